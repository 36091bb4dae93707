<?php

/*
 * The PHP face's tests, run by tests/run.sh with the distribution's php-cli:
 *
 *   SECCODE_LIB=/path/to/libseccode.so php -d ffi.enable=1 tests/test.php VECTORS_DIR
 *
 * Real results through the real library: the right code verifies, a wrong one does not, five
 * failures lock, unlock and the lock's end release, bad input gives the typed exception
 * (never with the code in its message), accounts survive a JSON round trip, and the core's
 * shared vectors (policy, legacy Argon2id and bcrypt hashes, imports) give the answers pinned
 * in crates/seccode/tests/vectors. Exits non-zero on any failure.
 */

declare(strict_types=1);

require __DIR__ . '/../src/autoload.php';

use SecCode\Account;
use SecCode\Engine;
use SecCode\ErrorCode;
use SecCode\Normalization;
use SecCode\Outcome;
use SecCode\SecCodeException;
use SecCode\Slot;
use SecCode\VerifyReason;

$vectors = $argv[1] ?? (__DIR__ . '/../../../crates/seccode/tests/vectors');
$passed = 0;
$failed = 0;

function check(bool $ok, string $what): void
{
    global $passed, $failed;
    if ($ok) {
        $passed++;
    } else {
        $failed++;
        fwrite(STDERR, "FAIL: $what\n");
    }
}

/** Run `$call`, which must throw a SecCodeException with `$error` (and `$name` if given). */
function throws(callable $call, ErrorCode $error, ?string $name, string $what, ?string $secret = null): ?SecCodeException
{
    try {
        $call();
    } catch (SecCodeException $e) {
        check($e->error === $error, "$what: error {$e->error->name}, expected {$error->name}");
        check($e->getCode() === $error->value, "$what: getCode()");
        if ($name !== null) {
            check($e->name === $name, "$what: name `{$e->name}`, expected `$name`");
        }
        check($e->getMessage() !== '', "$what: a message");
        if ($secret !== null && $secret !== '') {
            check(!str_contains($e->getMessage(), $secret), "$what: the message contains the secret");
        }
        return $e;
    }
    check(false, "$what: no exception");
    return null;
}

function load(string $dir, string $file): mixed
{
    return json_decode((string) file_get_contents("$dir/$file"), true, 64, JSON_THROW_ON_ERROR);
}

const START = 1795469251;
const JOE = 3522;
const CONTACT = 3523;
const GOOD = 'tangerine osprey velvet 42';
const WRONG = 'tangerine osprey velvet 43';

function cheapEngine(array $more = []): Engine
{
    return new Engine($more + [
        'hash_params' => ['m_kib' => 64, 't' => 1, 'p' => 1],
        'manual_clock' => START,
        'max_concurrent_hashes' => 2,
    ]);
}

function anyCompany(Engine $engine): Account
{
    $account = Account::create($engine, 1707, 'Any Company', JOE, [
        'name' => 'Joe Example',
        'title' => 'Primary Contact',
        'phone' => '000-000-0000',
        'email' => 'marketing@viviotech.net',
    ]);
    $account->addContact(JOE, CONTACT, [
        'name' => 'Contact Example',
        'phone' => '000-000-0000',
        'email' => 'marketing@viviotech.net',
    ]);
    return $account;
}

// ----- constants PHP's FFI cannot read from the header (it takes no #define but FFI_SCOPE and
// FFI_LIB), copied into the wrapper: they must be seccode.h's -----
$header = file_get_contents(__DIR__ . '/../../c/include/seccode.h');
check(
    preg_match('/^#define SECCODE_MAX_REASONS (\d+)$/m', $header, $m) === 1
        && (int) $m[1] === SecCode\Native::MAX_REASONS,
    'Native::MAX_REASONS is seccode.h\'s SECCODE_MAX_REASONS',
);

// ----- the core flow -----
$engine = cheapEngine();
$account = anyCompany($engine);
check($account->id() === 1707, 'account id');

$weak = 'qwertyuiop';
$e = throws(fn () => $account->setContactCode(JOE, CONTACT, $weak), ErrorCode::PolicyRejected, 'policy_rejected', 'a weak code', $weak);
check($e !== null && in_array('common_password', array_map(fn ($r) => $r->code, $e->reasons), true), 'the weak code is refused as common');
$reasons = $account->checkCode(Slot::Individual, CONTACT, 'Contact Example 1707');
check(count($reasons) > 0, 'checkCode finds the contact name');
check($account->checkCode(Slot::Individual, CONTACT, GOOD) === [], 'checkCode accepts a good code');

$account->setContactCode(JOE, CONTACT, GOOD);
$v = $account->verify(CONTACT, GOOD);
check($v->verified && $v->outcome === Outcome::Verified, 'the right code verifies');
check($v->reason === VerifyReason::Individual, 'by the individual code');
check($v->upgrades === [], 'nothing to upgrade');
check($account->verify(CONTACT, 'Tangerine-Osprey velvet, 42!')->verified, 'spoken matching');
$v = $account->verify(CONTACT, WRONG);
check(!$v->verified && $v->outcome === Outcome::NotVerified && $v->reason === VerifyReason::WrongCode, 'a wrong code does not');
check($v->failedAttempts === 1, 'one failure counted');
$v = $account->verify(9999, GOOD);
check($v->outcome === Outcome::NotVerified && $v->reason === VerifyReason::UnknownContact, 'an unknown contact reads as not verified');

// Lockout: five consecutive failures lock for 1800 s; the right code then answers locked.
for ($i = 0; $i < 4; $i++) {
    $v = $account->verify(CONTACT, WRONG);
}
check($v->outcome === Outcome::NotVerified && $v->failedAttempts === 5 && $v->lockedUntil === START + 1800, 'the fifth failure locks until +1800 s');
$v = $account->verify(CONTACT, GOOD);
check($v->outcome === Outcome::Locked && !$v->verified, 'locked: even the right code is refused');
$state = $account->lockState(CONTACT);
check($state['locked'] && $state['failed_attempts'] === 5, 'lockState says locked');
$account->drainAudit();
$account->setAgent('alice');
$account->unlock(JOE, CONTACT);
$account->setAgent(null);
$unlocked = $account->drainAudit();
check(count($unlocked) === 1 && $unlocked[0]['kind'] === 'unlocked' && $unlocked[0]['agent'] === 'alice', 'the unlock names the agent');
throws(fn () => $account->setAgent(''), ErrorCode::InvalidArgument, null, 'an empty agent name');
throws(fn () => $account->setAgent(str_repeat('a', 65)), ErrorCode::InputTooLong, null, 'an agent name over 64 characters');
check(!$account->lockState(CONTACT)['locked'], 'unlocked');
check($account->verify(CONTACT, GOOD)->verified, 'verifies after unlock');
for ($i = 0; $i < 5; $i++) {
    $account->verify(CONTACT, WRONG);
}
check($account->verify(CONTACT, GOOD)->locked(), 'locked again');
$engine->advanceClock(1801);
check($account->verify(CONTACT, GOOD)->verified, 'the lock ends after its duration');

// The account survives its JSON, and never holds the code.
$json = $account->toJson();
check(!str_contains($json, GOOD) && str_contains($json, '"format"'), 'the JSON holds hashes, not codes');
$reloaded = Account::fromJson($engine, $json);
check($reloaded->verify(CONTACT, GOOD)->verified, 'a reloaded account verifies');
check(!$reloaded->verify(CONTACT, WRONG)->verified, 'and refuses a wrong code');
check($reloaded->contact(CONTACT)['has_code'] === true && !isset($reloaded->contact(CONTACT)['code']), 'contact view');
$events = array_column($reloaded->drainAudit(), 'kind');
check(in_array('verification_succeeded', $events, true) || count($events) >= 2, 'audit events drained: ' . implode(',', $events));

// ----- bad input: typed exceptions, never the code in the message -----
$long = str_repeat('x', 1025);
throws(fn () => $account->verify(CONTACT, $long), ErrorCode::InputTooLong, null, 'a code over 1024 bytes', $long);
$notUtf8 = "caf\xC3\x28 secret code";
throws(fn () => $account->verify(CONTACT, $notUtf8), ErrorCode::InvalidUtf8, null, 'a code that is not UTF-8', 'secret code');
throws(fn () => Account::fromJson($engine, '{'), ErrorCode::MalformedData, null, 'malformed JSON');
$future = json_decode($json, true, 64, JSON_THROW_ON_ERROR);
$future['format'] = 99;
throws(fn () => Account::fromJson($engine, json_encode($future, JSON_THROW_ON_ERROR)), ErrorCode::UnsupportedFormat, 'unsupported_format', 'another format version');
throws(fn () => $account->setContactCode(JOE, 4242, GOOD), ErrorCode::NotFound, 'unknown_contact', 'an unknown contact', GOOD);
throws(fn () => $account->setContactCode(CONTACT, JOE, 'another fine code 77'), ErrorCode::PermissionDenied, 'permission_denied', 'not entitled', 'another fine code 77');
throws(fn () => $account->importLegacyCode(Slot::Individual, CONTACT, 'old code 1'), ErrorCode::AlreadySet, 'already_set', 'import over a set code', 'old code 1');
throws(fn () => new Engine(['hash_params' => ['m_kib' => 1, 't' => 1, 'p' => 1]]), ErrorCode::InvalidArgument, null, 'unusable hash parameters');

// ----- plain hash helpers -----
$phc = $engine->hashCode('Purple monkey, dishwasher!');
check(str_starts_with($phc, '$argon2id$v=19$m=64,t=1,p=1$'), 'hashCode makes an Argon2id PHC string');
check($engine->verifyCode($phc, 'purple monkey dishwasher'), 'verifyCode: the right code (spoken)');
check(!$engine->verifyCode($phc, 'purple monkey dishwashers'), 'verifyCode: a wrong code');
throws(fn () => $engine->verifyCode('$argon2id$v=19$m=64', 'x'), ErrorCode::MalformedData, 'malformed_hash', 'a malformed PHC string');

// ----- shared vectors -----
$policy = load($vectors, 'policy.json');
$byNumber = [];
foreach ($policy as $case) {
    $c = $case['context'] + ['account_id' => 0, 'account_name' => '', 'contact_name' => '', 'email' => '', 'phone' => ''];
    $got = $engine->checkCode($case['code'], $case['normalization'] === 'spoken' ? Normalization::Spoken : Normalization::Exact, $c['account_id'], $c['account_name'], [
        'name' => $c['contact_name'],
        'email' => $c['email'],
        'phone' => $c['phone'],
    ]);
    $codes = array_map(fn ($r) => $r->code, $got);
    sort($codes);
    $want = $case['reasons'];
    sort($want);
    check($codes === $want, "policy vector `{$case['note']}`: got [" . implode(',', $codes) . '] want [' . implode(',', $want) . ']');
    foreach ($got as $r) {
        $byNumber[$r->number] = $r;
        check($r->message !== '', "policy vector `{$case['note']}`: message");
    }
}
check(count($byNumber) === 11, 'the policy vectors cover all 11 reasons: ' . count($byNumber));

$legacy = load($vectors, 'legacy_hashes.json');
foreach ($legacy['vectors'] as $vector) {
    $n = $vector['normalization'] === 'spoken' ? Normalization::Spoken : Normalization::Exact;
    foreach ($vector['verifies_with'] as $good) {
        check($engine->verifyCode($vector['phc'], $good, $n), "legacy `{$vector['source']}` verifies");
    }
    foreach ($vector['fails_with'] as $bad) {
        check(!$engine->verifyCode($vector['phc'], $bad, $n), "legacy `{$vector['source']}` refuses `$bad`");
    }
}

$defaultCeilings = cheapEngine(); // the import vectors assume the default ceilings
$imports = load($vectors, 'imports.json');
foreach ($imports['vectors'] as $vector) {
    $target = anyCompany($defaultCeilings);
    $target->setContactCode(JOE, CONTACT, GOOD);
    if ($vector['error'] === null) {
        $target->importLegacyHash(Slot::Individual, CONTACT, $vector['phc'], true);
        check(!$target->verify(CONTACT, GOOD)->verified, "import `{$vector['note']}` replaced the code");
    } else {
        throws(fn () => $target->importLegacyHash(Slot::Individual, CONTACT, $vector['phc'], true), ErrorCode::MalformedData, $vector['error'], "import `{$vector['note']}`");
        check($target->verify(CONTACT, GOOD)->verified, "import `{$vector['note']}` replaced nothing");
    }
}

// bcrypt from PHP's own password_hash, through the C face: imported, verified, upgraded.
$bcrypt = load($vectors, 'bcrypt_hashes.json');
foreach ($bcrypt['vectors'] as $vector) {
    $target = anyCompany($engine);
    $target->importLegacyHash(Slot::Individual, CONTACT, $vector['phc']);
    foreach ($vector['attempts'] as $attempt) {
        if (!$attempt['matched']) {
            $v = $target->verify(CONTACT, $attempt['code']);
            check(!$v->verified && $v->upgrades === [], "bcrypt `{$vector['source']}` refuses an attempt");
        }
    }
    $good = array_values(array_filter($vector['attempts'], fn ($a) => $a['matched']))[0]['code'];
    $before = $engine->evaluations();
    $v = $target->verify(CONTACT, $good);
    check($v->verified, "bcrypt `{$vector['source']}` verifies");
    // bcrypt for the contact's code, Argon2id for the account-wide slot, Argon2id for the new hash.
    check($engine->evaluations() === $before + 3, "bcrypt `{$vector['source']}`: one evaluation per slot and the upgrade");
    check(count($v->upgrades) === 1 && $v->upgrades[0]['slot'] === Slot::Individual
        && str_starts_with($v->upgrades[0]['stored_hash']['phc'], '$argon2id$')
        && $v->upgrades[0]['stored_hash']['binding'] === 'scoped', "bcrypt `{$vector['source']}` upgraded to Argon2id");
    check(!str_contains($target->toJson(), $vector['phc']), "bcrypt `{$vector['source']}`: the bcrypt hash is gone");
    check(in_array('code_upgraded', array_column($target->drainAudit(), 'kind'), true), "bcrypt `{$vector['source']}`: code_upgraded audited");
    check(password_verify($good, $vector['phc']), "bcrypt `{$vector['source']}`: PHP agrees");
}
foreach ($bcrypt['refused'] as $r) {
    $target = anyCompany($engine);
    if ($r['error'] === null) {
        $target->importLegacyHash(Slot::Individual, CONTACT, $r['phc']);
        check($target->contact(CONTACT)['has_code'], "bcrypt import `{$r['note']}` accepted");
    } else {
        throws(fn () => $target->importLegacyHash(Slot::Individual, CONTACT, $r['phc']), ErrorCode::MalformedData, $r['error'], "bcrypt import `{$r['note']}`", substr($r['phc'], 7));
    }
}

// ----- native handles: freed on destruction (a double free or use after free would crash) -----
for ($i = 0; $i < 200; $i++) {
    $a = anyCompany($engine);
    $b = Account::fromJson($engine, $a->toJson());
    unset($a);
    check($b->id() === 1707, "account $i after its twin was freed");
}

echo "$passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);

#!/usr/bin/env perl
# A portal's core flow through libseccode from Perl (as cPanel-style portals would), with
# FFI::Platypus (Debian: libffi-platypus-perl), checked with Test::More:
#
#   SECCODE_LIB=/path/to/libseccode.so perl examples/perl/portal.pl
#
# An account with its owner and a contact, a code refused by the policy, the contact's code
# set and verified, a wrong code refused, five failures locking, unlock, the typed error of a
# bad input, the account saved and loaded as JSON, and a bcrypt hash made by PHP's
# password_hash imported and upgraded to Argon2id at its first successful verification.
# examples/perl/run.sh builds the library and runs this.
use strict;
use warnings;
use FFI::Platypus 2.00;
use FFI::Platypus::Memory qw(malloc free);
use FFI::Platypus::Buffer qw(buffer_to_scalar);
use Test::More;

my $lib = $ENV{SECCODE_LIB} or die "set SECCODE_LIB to the path of libseccode.so\n";
my $ffi = FFI::Platypus->new(api => 2, lib => [$lib]);

# The C names (seccode.h); byte strings are (pointer, length) pairs: Perl's `string` passes
# the scalar's own buffer, read-only. `seccode_result` is a uint32_t.
my %fn = (
    seccode_engine_config_new             => [['opaque*'] => 'uint32'],
    seccode_engine_config_set_hash_params => [['opaque', 'uint32', 'uint32', 'uint32'] => 'uint32'],
    seccode_engine_config_set_manual_clock => [['opaque', 'sint64'] => 'uint32'],
    seccode_engine_config_free            => [['opaque'] => 'void'],
    seccode_engine_new                    => [['opaque', 'opaque*'] => 'uint32'],
    seccode_engine_free                   => [['opaque'] => 'void'],
    seccode_contact_details_new           => [['opaque*'] => 'uint32'],
    seccode_contact_details_set_name      => [['opaque', 'string', 'size_t'] => 'uint32'],
    seccode_contact_details_free          => [['opaque'] => 'void'],
    seccode_account_new => [['uint64', 'string', 'size_t', 'uint64', 'opaque', 'opaque*'] => 'uint32'],
    seccode_account_add_contact           => [['opaque', 'opaque', 'uint64', 'uint64', 'opaque'] => 'uint32'],
    seccode_account_set_contact_code => [['opaque', 'opaque', 'uint64', 'uint64', 'string', 'size_t'] => 'uint32'],
    seccode_account_verify => [['opaque', 'opaque', 'uint64', 'string', 'size_t', 'opaque*'] => 'uint32'],
    seccode_account_unlock                => [['opaque', 'opaque', 'uint64', 'uint64'] => 'uint32'],
    seccode_account_import_legacy_hash =>
        [['opaque', 'opaque', 'uint32', 'uint64', 'string', 'size_t', 'uint8'] => 'uint32'],
    seccode_account_to_json               => [['opaque', 'opaque*'] => 'uint32'],
    seccode_account_from_json             => [['string', 'size_t', 'opaque*'] => 'uint32'],
    seccode_account_free                  => [['opaque'] => 'void'],
    seccode_verification_outcome          => [['opaque', 'uint32*'] => 'uint32'],
    seccode_verification_upgrade_count    => [['opaque', 'size_t*'] => 'uint32'],
    seccode_verification_upgrade_phc      => [['opaque', 'size_t', 'opaque*'] => 'uint32'],
    seccode_verification_free             => [['opaque'] => 'void'],
    seccode_last_error_name               => [['opaque', 'size_t', 'size_t*'] => 'uint32'],
    seccode_last_error_reasons            => [['opaque', 'size_t', 'size_t*'] => 'uint32'],
    seccode_string_free                   => [['opaque'] => 'void'],
);
$ffi->attach($_ => @{ $fn{$_} }) for sort keys %fn;

use constant {
    OK => 0, INPUT_TOO_LONG => 3, PERMISSION_DENIED => 6, POLICY_REJECTED => 7,
    MALFORMED_DATA => 8,
    VERIFIED => 0, NOT_VERIFIED => 1, LOCKED => 2,
    SLOT_INDIVIDUAL => 1,
    JOE => 3522, CONTACT => 3523,
};

# The last error's stable name (`policy_rejected`, `malformed_hash`, ...), for logs.
sub last_error_name {
    my $len = 0;
    seccode_last_error_name(undef, 0, \$len);
    my $buf = malloc($len + 1);
    seccode_last_error_name($buf, $len + 1, \$len);
    my $name = buffer_to_scalar($buf, $len);
    free($buf);
    return $name;
}

# A string the library returned through a char ** (then freed with seccode_string_free).
sub take_string {
    my ($ptr) = @_;
    my $s = $ffi->cast('opaque' => 'string', $ptr);
    seccode_string_free($ptr);
    return $s;
}

sub ok_call {
    my ($rc, $what) = @_;
    is($rc, OK, $what) or diag(last_error_name());
}

# Verify and return (outcome, number of upgraded hashes, the first upgraded PHC or undef).
sub verify {
    my ($account, $engine, $contact, $code) = @_;
    my $v;
    ok_call(seccode_account_verify($account, $engine, $contact, $code, length($code), \$v), 'verify call');
    my ($outcome, $count, $phc) = (0, 0, undef);
    seccode_verification_outcome($v, \$outcome);
    seccode_verification_upgrade_count($v, \$count);
    if ($count > 0) {
        my $p;
        seccode_verification_upgrade_phc($v, 0, \$p);
        $phc = take_string($p);
    }
    seccode_verification_free($v);
    return ($outcome, $count, $phc);
}

# An engine with cheap Argon2id parameters (tests only) and a manual clock.
my ($config, $engine);
ok_call(seccode_engine_config_new(\$config), 'engine config');
ok_call(seccode_engine_config_set_hash_params($config, 64, 1, 1), 'cheap hash parameters');
ok_call(seccode_engine_config_set_manual_clock($config, 1_795_469_251), 'manual clock');
ok_call(seccode_engine_new($config, \$engine), 'engine');
seccode_engine_config_free($config);

sub details {
    my ($name) = @_;
    my $d;
    seccode_contact_details_new(\$d);
    seccode_contact_details_set_name($d, $name, length $name);
    return $d;
}

my $account;
my $owner = details('Joe Example');
ok_call(seccode_account_new(1707, 'Any Company', 11, JOE, $owner, \$account), 'account 1707');
seccode_contact_details_free($owner);
my $contact = details('Contact Example');
ok_call(seccode_account_add_contact($account, $engine, JOE, CONTACT, $contact), 'contact 3523');
seccode_contact_details_free($contact);

# The policy refuses a common password, with its reasons.
my $weak = 'qwertyuiop';
is(seccode_account_set_contact_code($account, $engine, JOE, CONTACT, $weak, length $weak),
    POLICY_REJECTED, 'a weak code is refused');
is(last_error_name(), 'policy_rejected', 'typed: policy_rejected');
my $reasons = 0;
seccode_last_error_reasons(undef, 0, \$reasons);
cmp_ok($reasons, '>=', 1, 'with its reasons');

my $good = 'tangerine osprey velvet 42';
ok_call(seccode_account_set_contact_code($account, $engine, JOE, CONTACT, $good, length $good), 'code set');
is((verify($account, $engine, CONTACT, $good))[0], VERIFIED, 'the right code verifies');
is((verify($account, $engine, CONTACT, 'Tangerine osprey, velvet 42!'))[0], VERIFIED, 'spoken matching');
is((verify($account, $engine, CONTACT, 'tangerine osprey velvet 43'))[0], NOT_VERIFIED, 'a wrong code does not');
is((verify($account, $engine, 9999, $good))[0], NOT_VERIFIED, 'an unknown contact reads the same');

# Five consecutive failures lock the contact: the right code is then refused.
verify($account, $engine, CONTACT, 'wrong code number two') for 1 .. 4;
is((verify($account, $engine, CONTACT, $good))[0], LOCKED, 'locked after five failures');
is(seccode_account_unlock($account, $engine, CONTACT, CONTACT), PERMISSION_DENIED, 'a contact cannot unlock itself');
ok_call(seccode_account_unlock($account, $engine, JOE, CONTACT), 'the owner unlocks');
is((verify($account, $engine, CONTACT, $good))[0], VERIFIED, 'verifies after unlock');

# Bad input: a typed error, and the account is unchanged.
my $long = 'x' x 1025;
my $v;
is(seccode_account_verify($account, $engine, CONTACT, $long, length $long, \$v), INPUT_TOO_LONG, 'a code over 1024 bytes');
is(last_error_name(), 'input_too_long', 'typed: input_too_long');
unlike(last_error_name(), qr/xxxx/, 'the error never holds the code');

# A bcrypt hash from PHP's password_hash("Purple monkey dishwasher", PASSWORD_BCRYPT):
# imported as it is, upgraded to seccode's Argon2id at the first successful verification.
my $bcrypt = '$2y$04$Ei9RGWwF06v2xkoEGF8bTu6AeV/BsX4w9lbDijULnpwEicfwaMyy6';
is(seccode_account_import_legacy_hash($account, $engine, SLOT_INDIVIDUAL, CONTACT, '$2y$04$short', 11, 1),
    MALFORMED_DATA, 'a malformed bcrypt hash is refused');
is(last_error_name(), 'malformed_hash', 'typed: malformed_hash');
ok_call(seccode_account_import_legacy_hash($account, $engine, SLOT_INDIVIDUAL, CONTACT, $bcrypt, length $bcrypt, 1),
    'bcrypt hash imported');
my @wrong = verify($account, $engine, CONTACT, 'purple monkey dishwasher');
is_deeply([@wrong[0, 1]], [NOT_VERIFIED, 0], 'bcrypt: a wrong code, nothing upgraded');
my ($outcome, $count, $phc) = verify($account, $engine, CONTACT, 'Purple monkey dishwasher');
is($outcome, VERIFIED, 'bcrypt: the right code verifies');
is($count, 1, 'and upgrades the hash');
like($phc, qr/^\$argon2id\$v=19\$m=64,t=1,p=1\$/, 'to Argon2id');

# Saved and loaded: hashes only, and the upgraded hash verifies.
my $json_ptr;
ok_call(seccode_account_to_json($account, \$json_ptr), 'saved');
my $json = take_string($json_ptr);
unlike($json, qr/\Q$good\E|\$2y\$/, 'the JSON holds no code and no bcrypt hash any more');
my $loaded;
ok_call(seccode_account_from_json($json, length $json, \$loaded), 'loaded');
is((verify($loaded, $engine, CONTACT, 'Purple monkey dishwasher'))[0], VERIFIED, 'the loaded account verifies');

seccode_account_free($loaded);
seccode_account_free($account);
seccode_engine_free($engine);
done_testing();

<?php

declare(strict_types=1);

namespace SecCode;

use FFI;
use FFI\CData;

/**
 * An account ("Client ID" 1707, "Any Company"): its contacts, codes (as hashes), permission
 * grids, lockout state and pending audit events, bound to the Engine it is used with. Load it
 * from the versioned JSON the portal stores (Account::fromJson, what `seccode account export`
 * writes) and save it again (toJson) after every change, a verification included: failed
 * attempts and upgraded hashes are part of it. The native account is freed when the object is
 * destroyed.
 */
final class Account
{
    private ?CData $handle;

    private function __construct(private readonly Engine $engine, CData $handle)
    {
        $this->handle = $handle;
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            Native::ffi()->seccode_account_free($this->handle);
            $this->handle = null;
        }
    }

    /**
     * A new account on the portal's default catalog, with its primary contact (the owner).
     *
     * @param array{name: string, title?: string, phone?: string, email?: string, audit_account?: bool, rwhois?: list<string>} $primary
     */
    public static function create(Engine $engine, int $accountId, string $name, int $primaryContactId, array $primary): self
    {
        $ffi = Native::ffi();
        $out = Native::out('struct seccode_account*');
        Native::withDetails($primary, fn ($details) => Native::withBytes(
            $name,
            fn ($p, $n) => Native::check($ffi->seccode_account_new($accountId, $p, $n, $primaryContactId, $details, FFI::addr($out))),
        ));
        return new self($engine, $out);
    }

    /**
     * Load an account from its versioned JSON (`"format": 1`).
     *
     * @throws SecCodeException MalformedData for malformed JSON or an impossible account,
     *   UnsupportedFormat for another format version.
     */
    public static function fromJson(Engine $engine, string $json): self
    {
        $ffi = Native::ffi();
        $out = Native::out('struct seccode_account*');
        Native::withBytes($json, fn ($p, $n) => Native::check($ffi->seccode_account_from_json($p, $n, FFI::addr($out))));
        return new self($engine, $out);
    }

    /** The account as versioned JSON (hashes only, never a code), to store. */
    public function toJson(): string
    {
        $out = Native::out('char*');
        Native::check(Native::ffi()->seccode_account_to_json($this->handle(), FFI::addr($out)));
        return Native::takeString($out);
    }

    /** The account's id ("Client ID"). */
    public function id(): int
    {
        $out = Native::out('uint64_t');
        Native::check(Native::ffi()->seccode_account_id($this->handle(), FFI::addr($out)));
        return $out->cdata;
    }

    /**
     * Verify a caller who claims to be contact `$contactId` and gives `$code`. A wrong code is
     * not an exception: the result says not verified (or locked after too many failures).
     * Test `->verified`, never the object itself. Save the account afterwards.
     *
     * @throws SecCodeException InputTooLong for a code over 1024 bytes, InvalidUtf8.
     */
    public function verify(int $contactId, string $code): Verification
    {
        $ffi = Native::ffi();
        $out = Native::out('struct seccode_verification*');
        Native::withBytes($code, fn ($p, $n) => Native::check(
            $ffi->seccode_account_verify($this->handle(), $this->engine->handle(), $contactId, $p, $n, FFI::addr($out)),
        ));
        try {
            $outcome = Native::out('seccode_outcome');
            $reason = Native::out('seccode_verify_reason');
            $contact = Native::out('uint64_t');
            $failures = Native::out('uint32_t');
            $lockedUntil = Native::out('int64_t');
            $count = Native::out('size_t');
            Native::check($ffi->seccode_verification_outcome($out, FFI::addr($outcome)));
            Native::check($ffi->seccode_verification_reason($out, FFI::addr($reason)));
            Native::check($ffi->seccode_verification_contact($out, FFI::addr($contact)));
            Native::check($ffi->seccode_verification_lock_state($out, FFI::addr($failures), FFI::addr($lockedUntil)));
            Native::check($ffi->seccode_verification_upgrade_count($out, FFI::addr($count)));
            $upgrades = [];
            for ($i = 0; $i < $count->cdata; $i++) {
                $slot = Native::out('seccode_slot');
                $json = Native::out('char*');
                Native::check($ffi->seccode_verification_upgrade($out, $i, FFI::addr($slot), FFI::addr($json)));
                $upgrades[] = [
                    'slot' => Slot::from($slot->cdata),
                    'stored_hash' => json_decode(Native::takeString($json), true, 8, JSON_THROW_ON_ERROR),
                ];
            }
            return new Verification(
                Outcome::from($outcome->cdata),
                VerifyReason::from($reason->cdata),
                $contact->cdata,
                $failures->cdata,
                $lockedUntil->cdata === 0 ? null : $lockedUntil->cdata,
                $upgrades,
            );
        } finally {
            $ffi->seccode_verification_free($out);
        }
    }

    /**
     * Check a candidate code against the policy without setting it: for the account-wide code
     * (Slot::AccountWide; `$contactId` is ignored) or `$contactId`'s individual code. An empty
     * list means acceptable.
     *
     * @return list<Reason>
     */
    public function checkCode(Slot $slot, int $contactId, string $code): array
    {
        $ffi = Native::ffi();
        $reasons = $ffi->new('uint32_t[' . Native::MAX_REASONS . ']');
        $count = Native::out('size_t');
        Native::withBytes($code, fn ($p, $n) => Native::check($ffi->seccode_account_check_code(
            $this->handle(),
            $this->engine->handle(),
            $slot->value,
            $contactId,
            $p,
            $n,
            $reasons,
            Native::MAX_REASONS,
            FFI::addr($count),
        )));
        return Native::reasons($reasons, $count->cdata, $this->engine);
    }

    /**
     * Set or change the account-wide code. `$actor` needs Profile / Update.
     *
     * @throws SecCodeException PolicyRejected (with ->reasons), PermissionDenied.
     */
    public function setAccountCode(int $actor, string $code): void
    {
        $ffi = Native::ffi();
        Native::withBytes($code, fn ($p, $n) => Native::check(
            $ffi->seccode_account_set_account_code($this->handle(), $this->engine->handle(), $actor, $p, $n),
        ));
    }

    /**
     * Set or change `$target`'s individual code. `$actor` needs Manage Contacts / Update.
     *
     * @throws SecCodeException PolicyRejected (with ->reasons), PermissionDenied, NotFound.
     */
    public function setContactCode(int $actor, int $target, string $code): void
    {
        $ffi = Native::ffi();
        Native::withBytes($code, fn ($p, $n) => Native::check(
            $ffi->seccode_account_set_contact_code($this->handle(), $this->engine->handle(), $actor, $target, $p, $n),
        ));
    }

    /**
     * Import a legacy plaintext code from an old system: hashed at once, not held to the
     * policy.
     *
     * @throws SecCodeException AlreadySet when the slot holds a code and `$overwrite` is false.
     */
    public function importLegacyCode(Slot $slot, int $contactId, string $code, bool $overwrite = false): void
    {
        $ffi = Native::ffi();
        Native::withBytes($code, fn ($p, $n) => Native::check($ffi->seccode_account_import_legacy_code(
            $this->handle(),
            $this->engine->handle(),
            $slot->value,
            $contactId,
            $p,
            $n,
            $overwrite,
        )));
    }

    /**
     * Import a legacy hash from an old system: an Argon2id PHC string (argon2-cffi, libsodium,
     * PHP's PASSWORD_ARGON2ID) or a bcrypt hash (`$2y$`, `$2b$`, `$2a$`: PHP's password_hash
     * with PASSWORD_DEFAULT or PASSWORD_BCRYPT), of the code as typed. It is replaced by a
     * seccode Argon2id hash at its first successful verification (save the account then). A
     * code over 72 bytes never matches a bcrypt hash (bcrypt would ignore the rest).
     *
     * @throws SecCodeException MalformedData (name `malformed_hash` or
     *   `hash_ceiling_exceeded`) for a hash that could never be checked, NotFound for an
     *   unknown pepper key id, AlreadySet when the slot holds a code and `$overwrite` is false;
     *   nothing is replaced then.
     */
    public function importLegacyHash(Slot $slot, int $contactId, string $hash, bool $overwrite = false): void
    {
        $ffi = Native::ffi();
        Native::withBytes($hash, fn ($p, $n) => Native::check($ffi->seccode_account_import_legacy_hash(
            $this->handle(),
            $this->engine->handle(),
            $slot->value,
            $contactId,
            $p,
            $n,
            $overwrite,
        )));
    }

    /**
     * Add a contact. `$actor` needs Manage Contacts / Create.
     *
     * @param array{name: string, title?: string, phone?: string, email?: string, audit_account?: bool, rwhois?: list<string>} $details
     */
    public function addContact(int $actor, int $contactId, array $details): void
    {
        $ffi = Native::ffi();
        Native::withDetails($details, fn ($d) => Native::check(
            $ffi->seccode_account_add_contact($this->handle(), $this->engine->handle(), $actor, $contactId, $d),
        ));
    }

    /** Unlock a locked contact (the portal's "Unlock" tab). `$actor` needs Manage Contacts / Update. */
    public function unlock(int $actor, int $target): void
    {
        Native::check(Native::ffi()->seccode_account_unlock($this->handle(), $this->engine->handle(), $actor, $target));
    }

    /**
     * Name the support agent working through this object, or `null` for none: every audit
     * event recorded from now on (verifications, unlocks, changes) names it in `agent`, apart
     * from the acting contact. Not part of `toJson()`.
     *
     * @throws SecCodeException InvalidArgument (empty, control characters), InputTooLong (over 64).
     */
    public function setAgent(?string $agent): void
    {
        $ffi = Native::ffi();
        if ($agent === null) {
            Native::check($ffi->seccode_account_clear_agent($this->handle()));
            return;
        }
        Native::withBytes($agent, fn ($p, $n) => Native::check(
            $ffi->seccode_account_set_agent($this->handle(), $p, $n),
        ));
    }

    /**
     * A contact's failed-attempt state now.
     *
     * @return array{failed_attempts: int, locked: bool, locked_until: ?int}
     */
    public function lockState(int $contactId): array
    {
        $failures = Native::out('uint32_t');
        $locked = Native::out('bool');
        $until = Native::out('int64_t');
        Native::check(Native::ffi()->seccode_account_contact_lock_state(
            $this->handle(),
            $this->engine->handle(),
            $contactId,
            FFI::addr($failures),
            FFI::addr($locked),
            FFI::addr($until),
        ));
        return [
            'failed_attempts' => $failures->cdata,
            'locked' => $locked->cdata,
            'locked_until' => $until->cdata === 0 ? null : $until->cdata,
        ];
    }

    /**
     * One contact as the portal shows it (never a code or a hash): `id`, `name`, `title`,
     * `phone`, `email`, `primary`, `active`, `has_code`, `failed_attempts`, `locked`, ...
     *
     * @return array<string, mixed>
     */
    public function contact(int $contactId): array
    {
        $out = Native::out('char*');
        Native::check(Native::ffi()->seccode_account_contact_json($this->handle(), $this->engine->handle(), $contactId, FFI::addr($out)));
        return json_decode(Native::takeString($out), true, 16, JSON_THROW_ON_ERROR);
    }

    /**
     * The audit events recorded since the last drain, oldest first, removed from the account
     * (store them in the portal's audit log).
     *
     * @return list<array<string, mixed>>
     */
    public function drainAudit(): array
    {
        $out = Native::out('char*');
        Native::check(Native::ffi()->seccode_account_drain_audit($this->handle(), FFI::addr($out)));
        return json_decode(Native::takeString($out), true, 16, JSON_THROW_ON_ERROR);
    }

    private function handle(): CData
    {
        return $this->handle ?? throw new \LogicException('the account was freed');
    }
}

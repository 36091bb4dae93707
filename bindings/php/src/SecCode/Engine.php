<?php

declare(strict_types=1);

namespace SecCode;

use FFI;
use FFI\CData;

/**
 * The engine: Argon2id parameters, pepper, code policy, lockout rule and clock. Build one per
 * process (or per request under PHP-FPM: building runs one Argon2id computation) and share it
 * between accounts. The native engine is freed when the object is destroyed.
 */
final class Engine
{
    private ?CData $handle;

    /**
     * @param array{
     *     hash_params?: array{m_kib: int, t: int, p: int},
     *     ceilings?: array{max_m_kib: int, max_t: int, max_p: int},
     *     lockout?: array{max_failures: int, duration_secs: int},
     *     policy?: array{min_chars: int, max_chars: int, min_strength: int},
     *     pepper?: array{key_id: string, secret: string},
     *     verification_lifetime_secs?: int,
     *     max_concurrent_hashes?: int,
     *     manual_clock?: int,
     * } $options Everything left out keeps the library's default (Argon2id m=19456 KiB,
     *   t=2, p=1; 5 failures lock for 1800 s; codes of 8 to 128 characters, strength 3;
     *   the system clock). `manual_clock` (Unix seconds) is for tests.
     * @throws SecCodeException InvalidArgument for unusable options.
     */
    public function __construct(array $options = [])
    {
        $ffi = Native::ffi();
        $config = Native::out('struct seccode_engine_config*');
        Native::check($ffi->seccode_engine_config_new(FFI::addr($config)));
        try {
            if (isset($options['hash_params'])) {
                $h = $options['hash_params'];
                Native::check($ffi->seccode_engine_config_set_hash_params($config, $h['m_kib'], $h['t'], $h['p']));
            }
            if (isset($options['ceilings'])) {
                $c = $options['ceilings'];
                Native::check($ffi->seccode_engine_config_set_ceilings($config, $c['max_m_kib'], $c['max_t'], $c['max_p']));
            }
            if (isset($options['lockout'])) {
                $l = $options['lockout'];
                Native::check($ffi->seccode_engine_config_set_lockout($config, $l['max_failures'], $l['duration_secs']));
            }
            if (isset($options['policy'])) {
                $p = $options['policy'];
                Native::check($ffi->seccode_engine_config_set_policy($config, $p['min_chars'], $p['max_chars'], $p['min_strength']));
            }
            if (isset($options['pepper'])) {
                $pepper = $options['pepper'];
                Native::withBytes($pepper['key_id'], fn ($id, $idLen) => Native::withBytes(
                    $pepper['secret'],
                    fn ($secret, $secretLen) => Native::check($ffi->seccode_engine_config_set_pepper($config, $id, $idLen, $secret, $secretLen)),
                ));
            }
            if (isset($options['verification_lifetime_secs'])) {
                Native::check($ffi->seccode_engine_config_set_verification_lifetime($config, $options['verification_lifetime_secs']));
            }
            if (isset($options['max_concurrent_hashes'])) {
                Native::check($ffi->seccode_engine_config_set_max_concurrent_hashes($config, $options['max_concurrent_hashes']));
            }
            if (isset($options['manual_clock'])) {
                Native::check($ffi->seccode_engine_config_set_manual_clock($config, $options['manual_clock']));
            }
            $engine = Native::out('struct seccode_engine*');
            Native::check($ffi->seccode_engine_new($config, FFI::addr($engine)));
            $this->handle = $engine;
        } finally {
            $ffi->seccode_engine_config_free($config);
        }
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            Native::ffi()->seccode_engine_free($this->handle);
            $this->handle = null;
        }
    }

    /** @internal The native engine, for the other classes of this package. */
    public function handle(): CData
    {
        return $this->handle ?? throw new \LogicException('the engine was freed');
    }

    /** The engine's current time, in Unix seconds. */
    public function now(): int
    {
        $out = Native::out('int64_t');
        Native::check(Native::ffi()->seccode_engine_now($this->handle(), FFI::addr($out)));
        return $out->cdata;
    }

    /**
     * Move a manual clock by `$seconds`.
     *
     * @throws SecCodeException Conflict on the system clock.
     */
    public function advanceClock(int $seconds): void
    {
        Native::check(Native::ffi()->seccode_engine_advance_clock($this->handle(), $seconds));
    }

    /** How many hash evaluations (Argon2id, or bcrypt for an imported hash) the engine has run. */
    public function evaluations(): int
    {
        $evaluations = Native::out('uint64_t');
        $peak = Native::out('size_t');
        Native::check(Native::ffi()->seccode_engine_hash_stats($this->handle(), FFI::addr($evaluations), FFI::addr($peak)));
        return $evaluations->cdata;
    }

    /**
     * Hash a code to a plain Argon2id PHC string (no account binding, no pepper), which
     * argon2-cffi, libsodium and PHP's own password_verify() (with Argon2 support) verify.
     */
    public function hashCode(string $code, Normalization $normalization = Normalization::Spoken): string
    {
        $ffi = Native::ffi();
        $out = Native::out('char*');
        Native::withBytes($code, fn ($p, $n) => Native::check(
            $ffi->seccode_hash_code($this->handle(), $p, $n, $normalization->value, FFI::addr($out)),
        ));
        return Native::takeString($out);
    }

    /**
     * Check a code against a plain Argon2id PHC string. A wrong code returns false.
     *
     * @throws SecCodeException MalformedData for a string that is not an acceptable Argon2id
     *   PHC string, or one over the ceilings.
     */
    public function verifyCode(string $phc, string $code, Normalization $normalization = Normalization::Spoken): bool
    {
        $ffi = Native::ffi();
        $matched = Native::out('bool');
        Native::withBytes($phc, fn ($h, $hn) => Native::withBytes($code, fn ($p, $n) => Native::check(
            $ffi->seccode_verify_code($this->handle(), $h, $hn, $p, $n, $normalization->value, FFI::addr($matched)),
        )));
        return $matched->cdata;
    }

    /**
     * Check a candidate code against the policy without an account (a sign-up form): what it
     * must not contain is the account's id and name and the contact's name, email and phone.
     * An empty list means acceptable.
     *
     * @param array{name?: string, title?: string, phone?: string, email?: string} $contact
     * @return list<Reason>
     */
    public function checkCode(
        string $code,
        Normalization $normalization = Normalization::Spoken,
        int $accountId = 0,
        string $accountName = '',
        array $contact = [],
    ): array {
        $ffi = Native::ffi();
        $reasons = $ffi->new('uint32_t[' . Native::MAX_REASONS . ']');
        $count = Native::out('size_t');
        Native::withDetails($contact, fn ($details) => Native::withBytes(
            $accountName,
            fn ($name, $nameLen) => Native::withBytes($code, fn ($p, $n) => Native::check($ffi->seccode_engine_check_code(
                $this->handle(),
                $p,
                $n,
                $normalization->value,
                $accountId,
                $nameLen === 0 ? null : $name,
                $nameLen,
                $details,
                $reasons,
                Native::MAX_REASONS,
                FFI::addr($count),
            ))),
        ));
        return Native::reasons($reasons, $count->cdata, $this);
    }
}

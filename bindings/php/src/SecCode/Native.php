<?php

declare(strict_types=1);

namespace SecCode;

use FFI;
use FFI\CData;

/**
 * The one place that talks to libseccode: loads it, copies byte strings into native buffers
 * (wiped after each call), turns failed results into SecCodeException and native strings into
 * PHP strings (freed with seccode_string_free).
 *
 * Loading, in this order:
 *  1. the library configured with Native::useLibrary() or the SECCODE_LIB environment
 *     variable (a path to libseccode.so): FFI::cdef of seccode.ffi.h (needs ffi.enable=1);
 *  2. the scope "SECCODE" preloaded by opcache.preload (FFI::load of seccode.ffi.h in the
 *     preload script): works with ffi.enable=preload, PHP-FPM's setting;
 *  3. FFI::load of seccode.ffi.h, which opens "libseccode.so" from the system's library path
 *     (after `make install` and ldconfig; needs ffi.enable=1).
 *
 * @internal The classes of this package are the API; this one may change.
 */
final class Native
{
    /** The most rejection reasons one policy check can report (SECCODE_MAX_REASONS). */
    public const MAX_REASONS = 16;

    private static ?FFI $ffi = null;
    private static ?string $library = null;

    /** Use the libseccode.so at `$path` (before the first call into the library). */
    public static function useLibrary(string $path): void
    {
        self::$library = $path;
        self::$ffi = null;
    }

    /** The path of the FFI header shipped with this package. */
    public static function header(): string
    {
        return dirname(__DIR__, 2) . '/seccode.ffi.h';
    }

    /** The loaded library. */
    public static function ffi(): FFI
    {
        return self::$ffi ??= self::load();
    }

    private static function load(): FFI
    {
        $library = self::$library ?? (getenv('SECCODE_LIB') ?: null);
        if ($library !== null) {
            // FFI::cdef reads no directive at all: drop the two that FFI::load reads.
            $declarations = preg_replace('/^#define FFI_(SCOPE|LIB) .*$/m', '', (string) file_get_contents(self::header()));
            return FFI::cdef((string) $declarations, $library);
        }
        try {
            return FFI::scope('SECCODE');
        } catch (FFI\Exception) {
            // Not preloaded.
        }
        $ffi = FFI::load(self::header());
        if ($ffi === null) {
            throw new \RuntimeException('cannot load ' . self::header() . ' (is libseccode.so on the library path?)');
        }
        return $ffi;
    }

    /**
     * Call `$call($pointer, $length)` with `$bytes` copied into a native buffer, which is
     * wiped (zeroed) when the call returns or throws. The header declares byte strings as
     * `const uint8_t *`, which PHP strings do not convert to; the copy is one the wrapper owns
     * and can wipe (the PHP string itself is immutable and stays the caller's).
     *
     * @template T
     * @param callable(CData, int): T $call
     * @return T
     */
    public static function withBytes(string $bytes, callable $call): mixed
    {
        $length = strlen($bytes);
        $size = max(1, $length);
        $buffer = self::ffi()->new("uint8_t[$size]");
        try {
            if ($length > 0) {
                FFI::memcpy($buffer, $bytes, $length);
            }
            return $call($buffer, $length);
        } finally {
            FFI::memset($buffer, 0, $size);
        }
    }

    /** Throw the SecCodeException for a failed result; return for success (0). */
    public static function check(int $result): void
    {
        if ($result !== 0) {
            throw SecCodeException::fromLastError($result);
        }
    }

    /** A new native output cell of `$type` (e.g. `bool`, `struct seccode_account*`). */
    public static function out(string $type): CData
    {
        return self::ffi()->new($type);
    }

    /** Take a string the library returned through a `char **` (and free it). */
    public static function takeString(CData $pointer): string
    {
        if (FFI::isNull($pointer)) {
            return '';
        }
        try {
            return FFI::string($pointer);
        } finally {
            self::ffi()->seccode_string_free($pointer);
        }
    }

    /**
     * A string written by a `(buf, len, out_len)` function of the library: asks for the
     * length first, then reads it.
     *
     * @param callable(?CData, int, CData): int $call
     */
    public static function readBuffer(callable $call): string
    {
        $needed = self::out('size_t');
        $result = $call(null, 0, FFI::addr($needed));
        if ($result === 0) {
            return '';
        }
        if ($result !== ErrorCode::BufferTooSmall->value) {
            self::check($result);
        }
        $size = $needed->cdata + 1;
        $buffer = self::ffi()->new("char[$size]");
        self::check($call($buffer, $size, FFI::addr($needed)));
        return FFI::string($buffer, $needed->cdata);
    }

    /**
     * Reasons written into a `uint32_t[SECCODE_MAX_REASONS]` array, as Reason objects.
     *
     * @return list<Reason>
     */
    public static function reasons(CData $array, int $count, ?Engine $engine = null): array
    {
        $reasons = [];
        for ($i = 0; $i < $count; $i++) {
            $reasons[] = Reason::of((int) $array[$i], $engine);
        }
        return $reasons;
    }

    /**
     * Call `$call($details)` with native contact details made from `$details` (keys `name`,
     * `title`, `phone`, `email`: strings; `audit_account`: bool; `rwhois`: list of `poc`,
     * `tech`, `abuse`), freed afterwards.
     *
     * @template T
     * @param array{name?: string, title?: string, phone?: string, email?: string, audit_account?: bool, rwhois?: list<string>} $details
     * @param callable(CData): T $call
     * @return T
     */
    public static function withDetails(array $details, callable $call): mixed
    {
        $ffi = self::ffi();
        $out = self::out('struct seccode_contact_details*');
        self::check($ffi->seccode_contact_details_new(FFI::addr($out)));
        try {
            foreach (['name', 'title', 'phone', 'email'] as $field) {
                if (isset($details[$field])) {
                    $setter = "seccode_contact_details_set_$field";
                    self::withBytes((string) $details[$field], fn ($p, $n) => self::check($ffi->$setter($out, $p, $n)));
                }
            }
            if (isset($details['audit_account'])) {
                self::check($ffi->seccode_contact_details_set_audit_account($out, (bool) $details['audit_account']));
            }
            if (isset($details['rwhois'])) {
                $roles = $details['rwhois'];
                self::check($ffi->seccode_contact_details_set_rwhois(
                    $out,
                    in_array('poc', $roles, true),
                    in_array('tech', $roles, true),
                    in_array('abuse', $roles, true),
                ));
            }
            return $call($out);
        } finally {
            $ffi->seccode_contact_details_free($out);
        }
    }
}

<?php

declare(strict_types=1);

namespace SecCode;

/**
 * Why the code policy refused a code: the stable number (`seccode_reason`), its snake_case
 * name (`too_short`, `ssn_shaped`, ... for translation tables) and the message to show.
 */
final class Reason
{
    public function __construct(
        public readonly int $number,
        public readonly string $code,
        public readonly string $message,
    ) {
    }

    /** The reason numbered `$number`, worded with `$engine`'s policy when given. */
    public static function of(int $number, ?Engine $engine = null): self
    {
        $ffi = Native::ffi();
        $code = Native::readBuffer(fn ($buf, $len, $out) => $ffi->seccode_reason_code($number, $buf, $len, $out));
        $message = $engine === null
            ? Native::readBuffer(fn ($buf, $len, $out) => $ffi->seccode_reason_message($number, $buf, $len, $out))
            : Native::readBuffer(fn ($buf, $len, $out) => $ffi->seccode_engine_reason_message($engine->handle(), $number, $buf, $len, $out));
        return new self($number, $code, $message);
    }
}

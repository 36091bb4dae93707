<?php

declare(strict_types=1);

namespace SecCode;

use FFI;

/**
 * A call into libseccode failed. Carries the typed error ($error, also getCode()), the core's
 * stable error name ($name: `unknown_contact`, `malformed_hash`, `hash_ceiling_exceeded`, ...)
 * and, for a code the policy refused, the reasons. The message is the library's, which never
 * contains a code or a hash.
 */
class SecCodeException extends \RuntimeException
{
    /**
     * @param list<Reason> $reasons
     */
    public function __construct(
        public readonly ErrorCode $error,
        public readonly string $name,
        string $message,
        public readonly array $reasons = [],
    ) {
        parent::__construct($message, $error->value);
    }

    /** The exception for `$result`, with the details of the last failure on this thread. */
    public static function fromLastError(int $result): self
    {
        $ffi = Native::ffi();
        $error = ErrorCode::tryFrom($result) ?? ErrorCode::Internal;
        $message = Native::readBuffer(fn ($buf, $len, $out) => $ffi->seccode_last_error_message($buf, $len, $out));
        $name = Native::readBuffer(fn ($buf, $len, $out) => $ffi->seccode_last_error_name($buf, $len, $out));
        if ($message === '') {
            $message = Native::readBuffer(fn ($buf, $len, $out) => $ffi->seccode_result_message($result, $buf, $len, $out));
        }
        $reasons = [];
        if ($error === ErrorCode::PolicyRejected) {
            $array = $ffi->new('uint32_t[' . Native::MAX_REASONS . ']');
            $count = Native::out('size_t');
            if ($ffi->seccode_last_error_reasons($array, Native::MAX_REASONS, FFI::addr($count)) === 0) {
                $reasons = Native::reasons($array, $count->cdata);
            }
        }
        return new self($error, $name, $message, $reasons);
    }
}

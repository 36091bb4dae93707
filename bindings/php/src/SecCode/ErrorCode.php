<?php

declare(strict_types=1);

namespace SecCode;

/**
 * What a failed call of libseccode returned (`seccode_result`): stable numbers, carried by
 * every SecCodeException as its `$error` (and as `getCode()`).
 */
enum ErrorCode: int
{
    case NullArgument = 1;
    case InvalidUtf8 = 2;
    case InputTooLong = 3;
    case InvalidArgument = 4;
    case NotFound = 5;
    case PermissionDenied = 6;
    case PolicyRejected = 7;
    case MalformedData = 8;
    case UnsupportedFormat = 9;
    case NotApplicable = 10;
    case Conflict = 11;
    case BufferTooSmall = 12;
    case Internal = 13;
    case Panic = 14;
    case AlreadySet = 15;
    case SealedUnavailable = 16;
}

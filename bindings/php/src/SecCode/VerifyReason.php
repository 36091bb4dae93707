<?php

declare(strict_types=1);

namespace SecCode;

/**
 * Why a verification ended as it did (`seccode_verify_reason`): for the audit log, never for
 * the caller (it would tell which contacts exist and have codes).
 */
enum VerifyReason: int
{
    case Individual = 0;
    case AccountWide = 1;
    case WrongCode = 2;
    case UnknownContact = 3;
    case Deactivated = 4;
    case NoUsableCode = 5;
    case Locked = 6;
    case UnusableHash = 7;
    case Changed = 8;
    case Throttled = 9;
}

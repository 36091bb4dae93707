<?php

declare(strict_types=1);

namespace SecCode;

/** What a verification tells the caller on the phone, and nothing more (`seccode_outcome`). */
enum Outcome: int
{
    /** The code is right for this contact. */
    case Verified = 0;
    /** Wrong code, unknown contact, deactivated contact or no usable code: indistinguishable. */
    case NotVerified = 1;
    /** Too many failed attempts: no code was checked. */
    case Locked = 2;
}

<?php

declare(strict_types=1);

namespace SecCode;

/** Which of a contact's two possible codes (`seccode_slot`). */
enum Slot: int
{
    /** The account-wide security code. */
    case AccountWide = 0;
    /** A contact's individual security code. */
    case Individual = 1;
}

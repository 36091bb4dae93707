<?php

declare(strict_types=1);

namespace SecCode;

/** How codes are compared (`seccode_normalization`). */
enum Normalization: int
{
    /** NFKC, case folded, whitespace and punctuation removed (the default). */
    case Spoken = 0;
    /** NFKC only. */
    case Exact = 1;
}

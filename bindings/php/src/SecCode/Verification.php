<?php

declare(strict_types=1);

namespace SecCode;

/**
 * The result of Account::verify(). Tell the caller on the phone only the outcome; the reason
 * is for the audit log.
 *
 * An object is always true in PHP: `if ($account->verify(...))` lets every caller in. Test
 * `$result->verified` (or `$result->outcome === Outcome::Verified`).
 */
final class Verification
{
    /** True only when the code was right for this contact (Outcome::Verified). */
    public readonly bool $verified;

    /**
     * @param list<array{slot: Slot, stored_hash: array{phc: string, normalization: string, binding: string}}> $upgrades
     *   the stored hashes this verification replaced by current ones (the account already
     *   holds them: save it)
     */
    public function __construct(
        public readonly Outcome $outcome,
        public readonly VerifyReason $reason,
        public readonly int $contactId,
        public readonly int $failedAttempts,
        public readonly ?int $lockedUntil,
        public readonly array $upgrades,
    ) {
        $this->verified = $outcome === Outcome::Verified;
    }

    /** Whether the caller is locked out (too many failed attempts): no code was checked. */
    public function locked(): bool
    {
        return $this->outcome === Outcome::Locked;
    }
}

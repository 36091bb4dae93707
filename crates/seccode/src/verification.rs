//! What a verification is (SPEC 2.4 to 2.7, 7 and 8): its three steps ([`Attempt`], then
//! [`CheckedAttempt`], then [`Verification`]), its outcome and audit reason, and the
//! [`VerifiedCall`] a success grants for the call in progress. The steps themselves are
//! [`Account::begin_verify`](crate::Account::begin_verify), [`Attempt::check`] and
//! [`Account::finish_verify`](crate::Account::finish_verify).

use subtle::Choice;

use crate::account::{AccountId, LockStatus};
use crate::clock::Timestamp;
use crate::code::hash::{CodeHash, Scope};
use crate::code::normalize::Normalization;
use crate::code::secret::SecurityCode;
use crate::contact::ContactId;
use crate::engine::Engine;
use crate::error::Result;

/// Which of a contact's two possible codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    /// The account-wide security code.
    AccountWide,
    /// The contact's individual security code.
    Individual,
}

impl Slot {
    /// Both slots.
    pub const ALL: [Slot; 2] = [Slot::AccountWide, Slot::Individual];

    /// `account_wide` or `individual`: the name in data and other languages.
    pub fn as_str(self) -> &'static str {
        match self {
            Slot::AccountWide => "account_wide",
            Slot::Individual => "individual",
        }
    }
}

impl std::fmt::Display for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Slot::AccountWide => "account-wide code",
            Slot::Individual => "individual code",
        })
    }
}

/// What the caller is told: nothing more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
pub enum Outcome {
    /// The code is right for this contact.
    Verified = 0,
    /// Wrong code, unknown contact, deactivated contact or no usable code: indistinguishable.
    NotVerified = 1,
    /// Too many failures: no code was checked.
    Locked = 2,
}

impl Outcome {
    /// Every outcome, in number order.
    pub const ALL: [Outcome; 3] = [Outcome::Verified, Outcome::NotVerified, Outcome::Locked];

    /// `verified`, `not_verified` or `locked`: the name in data and other languages.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Verified => "verified",
            Outcome::NotVerified => "not_verified",
            Outcome::Locked => "locked",
        }
    }
}

impl std::fmt::Display for Outcome {
    /// `verified`, `not verified` or `locked`: what an agent reads.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Outcome::Verified => "verified",
            Outcome::NotVerified => "not verified",
            Outcome::Locked => "locked",
        })
    }
}

/// Why a verification ended as it did: for the audit log, never for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifyReason {
    /// Matched the contact's individual code.
    Individual,
    /// Matched the account-wide code.
    AccountWide,
    /// The code matched none of the codes the contact may use.
    WrongCode,
    /// No such contact in the account.
    UnknownContact,
    /// The contact is deactivated.
    Deactivated,
    /// The contact has no individual code and may not use the account-wide one (or it is unset).
    NoUsableCode,
    /// The contact is locked.
    Locked,
    /// A stored hash could not be used (over the configured ceilings, or its pepper key is
    /// not configured): that slot was checked against the dummy hash. An operator problem.
    UnusableHash,
    /// The contact or the code it matched changed while the code was being checked.
    Changed,
    /// The account's unknown-id state is full: every verification answers *locked* a while.
    Throttled,
}

impl VerifyReason {
    /// Every reason.
    pub const ALL: [VerifyReason; 10] = [
        VerifyReason::Individual,
        VerifyReason::AccountWide,
        VerifyReason::WrongCode,
        VerifyReason::UnknownContact,
        VerifyReason::Deactivated,
        VerifyReason::NoUsableCode,
        VerifyReason::Locked,
        VerifyReason::UnusableHash,
        VerifyReason::Changed,
        VerifyReason::Throttled,
    ];

    /// The snake_case name, for logs and other languages.
    pub fn as_str(self) -> &'static str {
        match self {
            VerifyReason::Individual => "individual",
            VerifyReason::AccountWide => "account_wide",
            VerifyReason::WrongCode => "wrong_code",
            VerifyReason::UnknownContact => "unknown_contact",
            VerifyReason::Deactivated => "deactivated",
            VerifyReason::NoUsableCode => "no_usable_code",
            VerifyReason::Locked => "locked",
            VerifyReason::UnusableHash => "unusable_hash",
            VerifyReason::Changed => "changed",
            VerifyReason::Throttled => "throttled",
        }
    }
}

impl std::fmt::Display for VerifyReason {
    /// The reason in words, for an operator reading the audit log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VerifyReason::Individual => "matched the individual code",
            VerifyReason::AccountWide => "matched the account-wide code",
            VerifyReason::WrongCode => "wrong code",
            VerifyReason::UnknownContact => "unknown contact",
            VerifyReason::Deactivated => "contact deactivated",
            VerifyReason::NoUsableCode => "no code the contact may use",
            VerifyReason::Locked => "contact locked",
            VerifyReason::UnusableHash => "stored hash unusable",
            VerifyReason::Changed => "contact or code changed during the check",
            VerifyReason::Throttled => "account throttled",
        })
    }
}

/// A stored hash that a successful verification has replaced: store it.
#[derive(Debug, Clone, PartialEq)]
pub struct Upgrade {
    slot: Slot,
    hash: CodeHash,
}

impl Upgrade {
    /// Which code.
    pub fn slot(&self) -> Slot {
        self.slot
    }

    /// The new hash (current parameters, pepper, scope binding and normalization).
    pub fn hash(&self) -> &CodeHash {
        &self.hash
    }
}

/// What a successful verification grants: permission for the call in progress (SPEC 7).
///
/// It belongs to one account and to the contact as it was when it verified: it authorizes
/// requests only on that account, and a contact removed (even if its id is reused later),
/// deactivated, or whose code changed since, makes it void. It expires after the engine's
/// verification lifetime (15 minutes by default). Ask
/// [`Account::call_status`](crate::Account::call_status), or
/// [`Account::authorize`](crate::Account::authorize) directly. It holds no secret and
/// serializes, so a service can keep it under an opaque token of its own.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifiedCall {
    account: AccountId,
    contact: ContactId,
    slot: Slot,
    contact_stamp: u64,
    code_stamp: u64,
    verified_at: Timestamp,
    expires_at: Timestamp,
}

impl VerifiedCall {
    /// The account it was made on.
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// The contact that verified.
    pub fn contact(&self) -> ContactId {
        self.contact
    }

    /// With which code.
    pub fn slot(&self) -> Slot {
        self.slot
    }

    /// When the caller verified.
    pub fn verified_at(&self) -> Timestamp {
        self.verified_at
    }

    /// When it stops authorizing anything.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    pub(crate) fn stamps(&self) -> (u64, u64) {
        (self.contact_stamp, self.code_stamp)
    }
}

/// Whether a [`VerifiedCall`] still authorizes requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallStatus {
    /// It does.
    Valid,
    /// Its lifetime is over: verify again.
    Expired,
    /// It was made on another account, or the contact was removed, deactivated or its code
    /// changed since: verify again.
    Void,
}

impl CallStatus {
    /// `valid`, `expired` or `void`.
    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Valid => "valid",
            CallStatus::Expired => "expired",
            CallStatus::Void => "void",
        }
    }
}

impl std::fmt::Display for CallStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CallStatus::Valid => "valid",
            CallStatus::Expired => "expired: verify again",
            CallStatus::Void => "void: verify again",
        })
    }
}

/// The result of a verification.
///
/// Show callers only [`Verification::outcome`]; [`Verification::reason`] is for the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    pub(crate) contact: ContactId,
    pub(crate) outcome: Outcome,
    pub(crate) reason: VerifyReason,
    pub(crate) upgrades: Vec<Upgrade>,
    pub(crate) lock: LockStatus,
    pub(crate) call: Option<VerifiedCall>,
}

impl Verification {
    /// Verified, not verified, or locked.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// Whether the caller is verified.
    pub fn is_verified(&self) -> bool {
        self.outcome == Outcome::Verified
    }

    /// The internal reason, for the audit log only.
    pub fn reason(&self) -> VerifyReason {
        self.reason
    }

    /// The contact id the caller claimed.
    pub fn contact(&self) -> ContactId {
        self.contact
    }

    /// Upgraded hashes to store (already applied to the account).
    pub fn upgrades(&self) -> &[Upgrade] {
        &self.upgrades
    }

    /// The contact id's failed attempts and lock after this verification.
    pub fn lock_status(&self) -> LockStatus {
        self.lock
    }

    /// What the success grants for this call; `None` unless verified.
    pub fn call(&self) -> Option<&VerifiedCall> {
        self.call.as_ref()
    }
}

impl std::fmt::Display for Verification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.outcome.fmt(f)
    }
}

/// One slot as the check step needs it: a hash to evaluate (the stored one, or the dummy when
/// there is none or it is unusable), and what to do after a match.
#[derive(Clone)]
pub(crate) struct Target {
    pub(crate) hash: CodeHash,
    pub(crate) present: bool,
    pub(crate) unusable: bool,
    pub(crate) scope: Scope,
    /// The normalization an upgraded copy gets, when the stored one is outdated.
    pub(crate) upgrade_to: Option<Normalization>,
}

/// What [`Attempt::check`] needs besides the code, taken under the account's lock.
#[derive(Clone)]
pub(crate) struct Open {
    pub(crate) known: bool,
    pub(crate) active: bool,
    pub(crate) individual: Target,
    pub(crate) account_wide: Target,
    pub(crate) contact_stamp: u64,
    pub(crate) code_stamp: u64,
    /// The lock this attempt set because it reached the limit, if it did.
    pub(crate) locks_until: Option<Timestamp>,
}

/// Step one of a verification, made by
/// [`Account::begin_verify`](crate::Account::begin_verify): the attempt is already counted,
/// and it holds what the hash check needs, so that the account (or the store's transaction)
/// can be released before [`Attempt::check`] runs Argon2.
///
/// It borrows nothing and is `Send`: check it on any thread, then hand the result to
/// [`Account::finish_verify`](crate::Account::finish_verify) on the same account.
#[derive(Clone)]
pub struct Attempt {
    pub(crate) account: AccountId,
    pub(crate) contact: ContactId,
    /// `None` when the attempt answers *locked* without a check.
    pub(crate) open: Option<Box<Open>>,
    pub(crate) locked_reason: VerifyReason,
}

impl std::fmt::Debug for Attempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attempt")
            .field("account", &self.account)
            .field("contact", &self.contact)
            .field("locked", &self.is_locked())
            .finish_non_exhaustive()
    }
}

impl Attempt {
    /// The account it was begun on.
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// The contact id the caller claimed.
    pub fn contact(&self) -> ContactId {
        self.contact
    }

    /// Whether it answers *locked*: [`Attempt::check`] then runs no hash.
    pub fn is_locked(&self) -> bool {
        self.open.is_none()
    }

    /// Step two: check `code` against both slots, two Argon2id evaluations whatever the
    /// contact (none when locked), and on a match hash outdated codes anew. Holds no lock and
    /// borrows no account.
    pub fn check(self, engine: &Engine, code: &SecurityCode) -> Result<CheckedAttempt> {
        let Some(open) = self.open.as_deref() else {
            return Ok(CheckedAttempt {
                attempt: self,
                individual: false,
                account_wide: false,
                upgrades: Vec::new(),
            });
        };
        let verifier = engine.verifier();
        let check = |target: &Target| -> Result<bool> {
            let slot = verifier.check(Some(&target.hash), &target.scope, code)?;
            let hit = Choice::from(u8::from(slot.matched)) & Choice::from(u8::from(target.present));
            Ok(bool::from(hit))
        };
        let individual = check(&open.individual)?;
        let account_wide = check(&open.account_wide)?;
        let mut upgrades = Vec::new();
        for (slot, target, hit) in [
            (Slot::Individual, &open.individual, individual),
            (Slot::AccountWide, &open.account_wide, account_wide),
        ] {
            if let (true, Some(wanted)) = (hit, target.upgrade_to) {
                upgrades.push(Upgrade {
                    slot,
                    hash: verifier.hash(code, wanted, &target.scope)?,
                });
            }
        }
        Ok(CheckedAttempt {
            attempt: self,
            individual,
            account_wide,
            upgrades,
        })
    }
}

/// Step two's result, for [`Account::finish_verify`](crate::Account::finish_verify). Holds
/// whether the code matched (never the code) and any upgraded hash.
#[derive(Clone)]
pub struct CheckedAttempt {
    pub(crate) attempt: Attempt,
    pub(crate) individual: bool,
    pub(crate) account_wide: bool,
    pub(crate) upgrades: Vec<Upgrade>,
}

impl std::fmt::Debug for CheckedAttempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedAttempt")
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

impl CheckedAttempt {
    /// The attempt that was checked.
    pub fn attempt(&self) -> &Attempt {
        &self.attempt
    }
}

pub(crate) fn call(
    account: AccountId,
    contact: ContactId,
    slot: Slot,
    stamps: (u64, u64),
    verified_at: Timestamp,
    expires_at: Timestamp,
) -> VerifiedCall {
    VerifiedCall {
        account,
        contact,
        slot,
        contact_stamp: stamps.0,
        code_stamp: stamps.1,
        verified_at,
        expires_at,
    }
}

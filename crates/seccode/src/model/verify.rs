//! Verifying a caller (SPEC 2.4 to 2.7): which codes a contact may use, constant work whatever
//! the contact, lockout, and rehash on success.

use subtle::Choice;

use crate::audit::{AuditKind, Subject};
use crate::clock::Timestamp;
use crate::code::hash::{CodeHash, Scope};
use crate::code::normalize::Normalization;
use crate::code::secret::SecurityCode;
use crate::engine::Engine;
use crate::error::Result;
use crate::model::account::Account;
use crate::model::contact::{ContactId, LockState};

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

    /// `account_wide` or `individual`.
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
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Verified => "verified",
            Outcome::NotVerified => "not_verified",
            Outcome::Locked => "locked",
        }
    }

    /// `verified`, `not verified` or `locked`: what an agent reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Verified => "verified",
            Outcome::NotVerified => "not verified",
            Outcome::Locked => "locked",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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
}

impl VerifyReason {
    /// Every reason.
    pub const ALL: [VerifyReason; 8] = [
        VerifyReason::Individual,
        VerifyReason::AccountWide,
        VerifyReason::WrongCode,
        VerifyReason::UnknownContact,
        VerifyReason::Deactivated,
        VerifyReason::NoUsableCode,
        VerifyReason::Locked,
        VerifyReason::UnusableHash,
    ];

    /// A snake_case name, for logs and other languages.
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
        }
    }
}

impl std::fmt::Display for VerifyReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored hash that a successful verification has replaced: store it.
#[derive(Debug, Clone, PartialEq)]
pub struct Upgrade {
    /// Which code.
    pub slot: Slot,
    /// The new hash (current parameters, pepper, scope binding and normalization).
    pub hash: CodeHash,
}

/// The result of [`Account::verify`].
///
/// Show callers only [`Verification::outcome`]; [`Verification::reason`] is for the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    pub(crate) contact: ContactId,
    pub(crate) outcome: Outcome,
    pub(crate) reason: VerifyReason,
    pub(crate) upgrades: Vec<Upgrade>,
    pub(crate) lock: LockState,
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

    /// Upgraded hashes to store (already applied to the account in memory).
    pub fn upgrades(&self) -> &[Upgrade] {
        &self.upgrades
    }

    /// The contact's failed-attempt state after this verification.
    pub fn lock_state(&self) -> LockState {
        self.lock
    }
}

impl std::fmt::Display for Verification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.outcome.fmt(f)
    }
}

/// The normalization an upgraded hash gets: the account's, except that a code stored with
/// spoken matching stays spoken when the account has switched to exact matching. Its exact form
/// is unknown (the caller's spelling is only one of the many that match), so making the
/// caller's spelling the exact code would lock out everyone who learned it as it was set; it
/// becomes exact when the code is set anew. Exact to spoken is always safe.
fn upgrade_normalization(stored: Normalization, account: Normalization) -> Normalization {
    match (stored, account) {
        (Normalization::Spoken, Normalization::Exact) => Normalization::Spoken,
        _ => account,
    }
}

/// A slot's stored hash if it can be checked, or `None` (the dummy stands in) and whether it
/// was unusable. The same operations run either way: one usability check.
fn usable_slot<'a>(
    verifier: &crate::code::verifier::Verifier,
    stored: Option<&'a CodeHash>,
) -> (Option<&'a CodeHash>, bool) {
    match stored {
        Some(hash) => match verifier.usable(hash) {
            Ok(()) => (Some(hash), false),
            Err(_) => (None, true),
        },
        None => {
            let _ = verifier.usable(verifier.dummy());
            (None, false)
        }
    }
}

impl Account {
    /// The matching an upgraded copy of `hash` gets at its next successful verification: the
    /// account's setting, except that a hash made with spoken matching stays spoken when the
    /// account has switched to exact (see [`Account::verify`]). Tools that list outdated hashes
    /// ask this together with [`Verifier::is_outdated`](crate::Verifier::is_outdated).
    pub fn upgraded_normalization(&self, hash: &CodeHash) -> Normalization {
        upgrade_normalization(hash.normalization(), self.normalization)
    }

    /// Verify a caller who claims to be `contact` and gives `code`.
    ///
    /// Unless the contact is locked, exactly two Argon2id evaluations run (the individual slot
    /// and the account-wide slot, each against a dummy hash when unusable), so the time taken
    /// does not tell whether the contact exists, is active or has a code. Failures count toward
    /// the lockout, for unknown ids too, so the *locked* answer does not reveal existence either.
    /// On success the failure count resets and outdated hashes are upgraded (in memory, and
    /// listed in [`Verification::upgrades`] for the caller to store).
    ///
    /// Errors only on operator problems: a stored hash over the configured ceilings, a pepper
    /// key id that is not configured, or an internal failure. A wrong code is not an error.
    pub fn verify(
        &mut self,
        engine: &Engine,
        contact: ContactId,
        code: &SecurityCode,
    ) -> Result<Verification> {
        let now = engine.now();
        let mut lock = self.lock_state_for(contact);
        if lock.is_locked(now) {
            self.record(
                now,
                None,
                Subject::Contact(contact),
                AuditKind::VerificationFailed {
                    reason: VerifyReason::Locked,
                },
            );
            return Ok(Verification {
                contact,
                outcome: Outcome::Locked,
                reason: VerifyReason::Locked,
                upgrades: Vec::new(),
                lock,
            });
        }
        if lock.locked_until.is_some() {
            // The lock has expired: start counting afresh.
            lock = LockState::default();
        }

        let account_scope = Scope::account(self.id.0);
        let contact_scope = Scope::contact(self.id.0, contact.0);
        let verifier = engine.verifier();
        // Everything that depends on which contact this is, and on whether it has codes, is
        // done on borrowed hashes with the same operations either way: a present hash and an
        // absent one (the dummy) each get one usability check and one Argon2 evaluation. A
        // stored hash that cannot be used (over the ceilings, unknown pepper key) is checked
        // as if absent, and the audit log says why. No hash is cloned before the outcome.
        let (known, active, stored_individual, stored_account) = match self.find(contact) {
            None => (false, false, None, None),
            Some(c) if !c.active => (true, false, None, None),
            Some(c) => {
                let account_wide = if self.may_use_account_code(c) {
                    self.account_code.as_ref()
                } else {
                    None
                };
                (true, true, c.code.as_ref(), account_wide)
            }
        };
        let (individual, unusable_individual) = usable_slot(verifier, stored_individual);
        let (account_wide, unusable_account) = usable_slot(verifier, stored_account);
        let ind = verifier.check(individual, &contact_scope, code)?;
        let acc = verifier.check(account_wide, &account_scope, code)?;
        let matched: Choice =
            Choice::from(u8::from(ind.matched)) | Choice::from(u8::from(acc.matched));
        let has_usable = individual.is_some() || account_wide.is_some();
        // What a success must re-hash, decided while the stored hashes are borrowed.
        let due = |hash: Option<&CodeHash>, hit: bool| {
            hash.filter(|_| hit)
                .map(|h| self.upgraded_normalization(h))
                .filter(|wanted| hash.is_some_and(|h| verifier.is_outdated(h, *wanted)))
        };
        let individual_due = due(individual, ind.matched);
        let account_due = due(account_wide, acc.matched);

        let reason = if !known {
            VerifyReason::UnknownContact
        } else if !active {
            VerifyReason::Deactivated
        } else if bool::from(matched) {
            if ind.matched {
                VerifyReason::Individual
            } else {
                VerifyReason::AccountWide
            }
        } else if unusable_individual || unusable_account {
            VerifyReason::UnusableHash
        } else if !has_usable {
            VerifyReason::NoUsableCode
        } else {
            VerifyReason::WrongCode
        };

        if bool::from(matched) {
            let slot = if ind.matched {
                Slot::Individual
            } else {
                Slot::AccountWide
            };
            let mut upgrades = Vec::new();
            if let Some(wanted) = individual_due {
                let fresh = verifier.hash(code, wanted, &contact_scope)?;
                upgrades.push(Upgrade {
                    slot: Slot::Individual,
                    hash: fresh,
                });
            }
            if let Some(wanted) = account_due {
                let fresh = verifier.hash(code, wanted, &account_scope)?;
                upgrades.push(Upgrade {
                    slot: Slot::AccountWide,
                    hash: fresh,
                });
            }
            for upgrade in &upgrades {
                match upgrade.slot {
                    Slot::Individual => {
                        if let Some(c) = self.find_mut(contact) {
                            c.code = Some(upgrade.hash.clone());
                        }
                    }
                    Slot::AccountWide => self.account_code = Some(upgrade.hash.clone()),
                }
                self.record(
                    now,
                    None,
                    Subject::Contact(contact),
                    AuditKind::CodeUpgraded { slot: upgrade.slot },
                );
            }
            let lock = LockState::default();
            self.set_lock_state(contact, lock);
            self.record(
                now,
                None,
                Subject::Contact(contact),
                AuditKind::VerificationSucceeded { slot },
            );
            return Ok(Verification {
                contact,
                outcome: Outcome::Verified,
                reason,
                upgrades,
                lock,
            });
        }

        lock.failed_attempts = lock.failed_attempts.saturating_add(1);
        let lockout = engine.lockout();
        self.record(
            now,
            None,
            Subject::Contact(contact),
            AuditKind::VerificationFailed { reason },
        );
        if lock.failed_attempts >= lockout.max_failures {
            let until: Timestamp = now.plus_seconds(lockout.duration_secs);
            lock.locked_until = Some(until);
            self.record(
                now,
                None,
                Subject::Contact(contact),
                AuditKind::Locked { until },
            );
        }
        self.set_lock_state(contact, lock);
        Ok(Verification {
            contact,
            // This check ran and failed; from the next attempt on the answer is `Locked`.
            outcome: Outcome::NotVerified,
            reason,
            upgrades: Vec::new(),
            lock,
        })
    }
}

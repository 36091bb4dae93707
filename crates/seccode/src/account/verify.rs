//! Verifying a caller (SPEC 2.4 to 2.7 and 8) in three steps: *begin* counts the attempt and
//! takes what the check needs, under the account's lock for a few microseconds; *check*
//! ([`Attempt::check`]) runs Argon2 with nothing locked; *finish* records the outcome.

use crate::audit::{AuditKind, Subject};
use crate::code::hash::{CodeHash, Scope};
use crate::code::normalize::Normalization;
use crate::code::secret::SecurityCode;
use crate::code::verifier::Verifier;
use crate::contact::ContactId;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::verification::{
    self, Attempt, CheckedAttempt, Open, Outcome, Slot, Target, Verification, VerifyReason,
};

use super::Account;
use super::rights::Right;

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

impl Account {
    /// The matching an upgraded copy of `hash` gets at its next successful verification: the
    /// account's setting, except that a hash made with spoken matching stays spoken when the
    /// account has switched to exact. Tools that list outdated hashes ask this together with
    /// [`Verifier::is_outdated`].
    pub fn upgraded_normalization(&self, hash: &CodeHash) -> Normalization {
        upgrade_normalization(hash.normalization(), self.normalization)
    }

    /// One slot for the check step. The same operations run whether the slot holds a usable
    /// hash or not: one usability check and one clone of a hash (the dummy stands in).
    fn target(&self, verifier: &Verifier, stored: Option<&CodeHash>, scope: Scope) -> Target {
        let usable = stored.filter(|hash| verifier.usable(hash).is_ok());
        let unusable = stored.is_some() && usable.is_none();
        if stored.is_none() {
            let _ = verifier.usable(verifier.dummy());
        }
        let hash = usable.unwrap_or(verifier.dummy()).clone();
        let wanted = self.upgraded_normalization(&hash);
        let outdated = verifier.is_outdated(&hash, wanted);
        let upgrade_to = (usable.is_some() && outdated).then_some(wanted);
        Target {
            hash,
            present: usable.is_some(),
            unusable,
            scope,
            upgrade_to,
        }
    }

    /// Step one of a verification of a caller who claims to be `contact`: hold the account
    /// (or the store's transaction) only for this call.
    ///
    /// If the contact id is locked (or the account throttled), the attempt answers *locked*
    /// and its check runs no hash. Otherwise the attempt is counted as a failure **now**,
    /// before any hash runs, so that however many attempts arrive at once, at most
    /// `max_failures` are ever checked between two successes; the one that reaches the limit
    /// locks the id. Unknown and deactivated ids are counted the same way.
    pub fn begin_verify(&mut self, engine: &Engine, contact: ContactId) -> Result<Attempt> {
        let locks_until = match self.count_attempt(engine, contact, |reason| {
            AuditKind::VerificationFailed { reason }
        }) {
            Ok(locks_until) => locks_until,
            Err(reason) => {
                return Ok(Attempt {
                    account: self.id,
                    contact,
                    open: None,
                    locked_reason: reason,
                });
            }
        };

        let verifier = engine.verifier();
        let found = self.find(contact);
        let known = found.is_some();
        let active = found.is_some_and(|c| c.active);
        let (individual, account_wide) = match found.filter(|c| c.active) {
            Some(c) => (
                c.code.as_ref(),
                self.account_code
                    .as_ref()
                    .filter(|_| self.holds(c, Right::KnowAccountCode)),
            ),
            None => (None, None),
        };
        let open = Open {
            known,
            active,
            individual: self.target(verifier, individual, Scope::contact(self.id.0, contact.0)),
            account_wide: self.target(verifier, account_wide, Scope::account(self.id.0)),
            contact_stamp: found.map_or(0, |c| c.stamp),
            code_stamp: self.code_stamp,
            locks_until,
        };
        Ok(Attempt {
            account: self.id,
            contact,
            open: Some(Box::new(open)),
            locked_reason: VerifyReason::Locked,
        })
    }

    /// Step three: record a checked attempt's outcome on the account it was begun on.
    ///
    /// A match verifies only if the contact and the code it matched are still as they were
    /// at *begin*; then the failed attempts are forgotten, outdated hashes replaced (listed in
    /// [`Verification::upgrades`] for the caller to store) and a [`VerifiedCall`] granted for
    /// the engine's verification lifetime. A failure stays counted, as *begin* left it.
    ///
    /// [`VerifiedCall`]: crate::VerifiedCall
    pub fn finish_verify(
        &mut self,
        engine: &Engine,
        checked: CheckedAttempt,
    ) -> Result<Verification> {
        let CheckedAttempt {
            attempt,
            individual,
            account_wide,
            upgrades,
        } = checked;
        if attempt.account != self.id {
            return Err(Error::invalid(
                "attempt",
                format!("was begun on account `{}`", attempt.account),
            ));
        }
        let now = engine.now();
        let lockout = engine.lockout();
        let contact = attempt.contact;
        let Some(open) = attempt.open else {
            return Ok(Verification {
                contact,
                outcome: Outcome::Locked,
                reason: attempt.locked_reason,
                upgrades: Vec::new(),
                lock: self.status_of(contact, now, lockout),
                call: None,
            });
        };
        let matched = individual || account_wide;
        let slot = if individual {
            Slot::Individual
        } else {
            Slot::AccountWide
        };
        let current = self.find(contact);
        let unchanged = current.is_some_and(|c| c.active && c.stamp == open.contact_stamp)
            && (slot == Slot::Individual || self.code_stamp == open.code_stamp);

        let reason = if !open.known {
            VerifyReason::UnknownContact
        } else if !open.active {
            VerifyReason::Deactivated
        } else if matched && !unchanged {
            VerifyReason::Changed
        } else if matched {
            match slot {
                Slot::Individual => VerifyReason::Individual,
                Slot::AccountWide => VerifyReason::AccountWide,
            }
        } else if open.individual.unusable || open.account_wide.unusable {
            VerifyReason::UnusableHash
        } else if !open.individual.present && !open.account_wide.present {
            VerifyReason::NoUsableCode
        } else {
            VerifyReason::WrongCode
        };

        if matched && unchanged {
            for upgrade in &upgrades {
                match upgrade.slot() {
                    Slot::Individual => {
                        if let Some(c) = self.find_mut(contact) {
                            c.code = Some(upgrade.hash().clone());
                        }
                    }
                    Slot::AccountWide => self.account_code = Some(upgrade.hash().clone()),
                }
                self.record(
                    now,
                    None,
                    Subject::Contact(contact),
                    AuditKind::CodeUpgraded {
                        slot: upgrade.slot(),
                    },
                );
            }
            self.put_attempt_state(contact, Default::default(), now, lockout);
            self.record(
                now,
                None,
                Subject::Contact(contact),
                AuditKind::VerificationSucceeded { slot },
            );
            let stamps = (open.contact_stamp, open.code_stamp);
            let expires = now.plus_seconds(engine.verification_lifetime_secs());
            return Ok(Verification {
                contact,
                outcome: Outcome::Verified,
                reason,
                upgrades,
                lock: self.status_of(contact, now, lockout),
                call: Some(verification::call(
                    self.id, contact, slot, stamps, now, expires,
                )),
            });
        }

        self.record_failure(now, contact, reason);
        if let Some(until) = open.locks_until {
            self.record(
                now,
                None,
                Subject::Contact(contact),
                AuditKind::Locked { until },
            );
        }
        Ok(Verification {
            contact,
            // This check ran and failed; from the next attempt on the answer is `Locked`.
            outcome: Outcome::NotVerified,
            reason,
            upgrades: Vec::new(),
            lock: self.status_of(contact, now, lockout),
            call: None,
        })
    }

    /// Verify a caller who claims to be `contact` and gives `code`: the three steps at once,
    /// holding the account throughout. A portal that shares the account between threads or
    /// processes uses [`Account::begin_verify`], [`Attempt::check`] and
    /// [`Account::finish_verify`] instead, and holds its lock only for the first and last.
    ///
    /// Unless the contact is locked, exactly two Argon2id evaluations check the code (the
    /// individual slot and the account-wide slot, each against a dummy hash when unusable), so
    /// the time taken does not tell whether the contact exists, is active or has a code.
    /// Failures count toward the lockout, for unknown ids too, so the *locked* answer does not
    /// reveal existence either.
    ///
    /// Errors only on operator problems (an internal failure); a wrong code is not an error.
    pub fn verify(
        &mut self,
        engine: &Engine,
        contact: ContactId,
        code: &SecurityCode,
    ) -> Result<Verification> {
        let attempt = self.begin_verify(engine, contact)?;
        let checked = attempt.check(engine, code)?;
        self.finish_verify(engine, checked)
    }

    /// Count an attempt of `contact` as a failure **now**, before any hash runs (SPEC 2.6 and
    /// 8), for a verification or a sign-in alike: answers when the lock it sets ends, if it
    /// reaches the limit. `Err` with the reason when the attempt answers *locked* instead
    /// (the id is locked, or the account throttled), recorded with `failure`.
    pub(crate) fn count_attempt(
        &mut self,
        engine: &Engine,
        contact: ContactId,
        failure: fn(VerifyReason) -> AuditKind,
    ) -> std::result::Result<Option<crate::clock::Timestamp>, VerifyReason> {
        let now = engine.now();
        let lockout = engine.lockout();
        let refuse = |account: &mut Account, reason: VerifyReason| {
            account.record(now, None, Subject::Contact(contact), failure(reason));
            Err(reason)
        };
        if self.throttle_at(now).is_some() {
            return refuse(self, VerifyReason::Throttled);
        }
        let state = self.attempt_state(contact, now, lockout);
        if state.locks_at(now) {
            return refuse(self, VerifyReason::Locked);
        }
        let mut counted = state;
        counted.failed_attempts = counted.failed_attempts.saturating_add(1);
        counted.last_failure = Some(now);
        let locks_until = (counted.failed_attempts >= lockout.max_failures)
            .then(|| now.plus_seconds(lockout.duration_secs));
        counted.locked_until = locks_until;
        if !self.put_attempt_state(contact, counted, now, lockout) {
            self.throttle(now, lockout);
            return refuse(self, VerifyReason::Throttled);
        }
        Ok(locks_until)
    }

    fn record_failure(
        &mut self,
        now: crate::clock::Timestamp,
        contact: ContactId,
        reason: VerifyReason,
    ) {
        self.record(
            now,
            None,
            Subject::Contact(contact),
            AuditKind::VerificationFailed { reason },
        );
    }
}

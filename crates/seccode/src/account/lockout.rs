//! Failed attempts and locks (SPEC 2.6 and 8), for real and unknown contact ids alike.
//!
//! Every contact id that has failed attempts, whether a contact of the account or an id a
//! caller made up, keeps its [`LockState`] in one map, with the same operations either way, so
//! neither the answers nor the time they take tell which ids exist. A lock ends when its time
//! is up; a count with no new failure for as long as a lock lasts is forgotten. Such expired
//! entries read as fresh and may be dropped at any time, which keeps the map bounded: it holds
//! at most one entry per contact plus [`MAX_UNKNOWN_IDS`]. If it is full of live entries, that
//! is an attack in progress: every verification of the account answers *locked* for as long as
//! a lock lasts, whatever the id, and the audit log says so.

use crate::audit::{AuditKind, Subject};
use crate::clock::Timestamp;
use crate::contact::ContactId;
use crate::engine::{Engine, Lockout};
use crate::error::{Error, Result};
use crate::record::LockState;

use super::Account;
use super::rights::Right;

/// How many ids beyond the account's contacts may hold failed-attempt state at once.
pub const MAX_UNKNOWN_IDS: usize = 256;

impl LockState {
    /// The state as it stands at `now`: an expired lock, or a count whose last failure is as
    /// old as a lock's length, reads as no failures at all.
    pub(crate) fn at(self, now: Timestamp, lockout: Lockout) -> LockState {
        match (self.locked_until, self.last_failure) {
            (Some(until), _) if now >= until => LockState::default(),
            (Some(_), _) => self,
            (None, Some(last)) if now >= last.plus_seconds(lockout.duration_secs) => {
                LockState::default()
            }
            _ => self,
        }
    }

    /// Whether this state locks at `now`.
    pub(crate) fn locks_at(&self, now: Timestamp) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }
}

/// A contact's failed attempts and lock as they stand at one moment (SPEC 2.6): what an agent,
/// a portal page or a report shows. Made by [`Account::lock_status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LockStatus {
    failed_attempts: u32,
    locked: bool,
    locked_until: Option<Timestamp>,
}

impl LockStatus {
    pub(crate) fn new(state: LockState, now: Timestamp) -> LockStatus {
        let locked = state.locks_at(now);
        LockStatus {
            failed_attempts: state.failed_attempts,
            locked,
            locked_until: if locked { state.locked_until } else { None },
        }
    }

    /// Whether verifications answer *locked* (no code is checked) at that moment.
    pub fn is_locked(&self) -> bool {
        self.locked
    }

    /// Failed verifications since the last success, unlock or expiry.
    pub fn failed_attempts(&self) -> u32 {
        self.failed_attempts
    }

    /// When the lock ends, if locked.
    pub fn locked_until(&self) -> Option<Timestamp> {
        self.locked_until
    }
}

impl Account {
    /// The failed-attempt state of any id, real or not, as it stands at `now`.
    pub(crate) fn attempt_state(
        &self,
        id: ContactId,
        now: Timestamp,
        lockout: Lockout,
    ) -> LockState {
        self.attempts
            .get(&id)
            .copied()
            .unwrap_or_default()
            .at(now, lockout)
    }

    /// The account-wide throttle's end, if it is on at `now`.
    pub(crate) fn throttle_at(&self, now: Timestamp) -> Option<Timestamp> {
        self.throttled_until.filter(|until| now < *until)
    }

    /// Keep `state` for `id`. Answers false, and keeps nothing, when the map is full of live
    /// entries even after dropping expired ones (the caller then throttles the account).
    pub(crate) fn put_attempt_state(
        &mut self,
        id: ContactId,
        state: LockState,
        now: Timestamp,
        lockout: Lockout,
    ) -> bool {
        if state == LockState::default() {
            self.attempts.remove(&id);
            return true;
        }
        let room = self.contacts.len().saturating_add(MAX_UNKNOWN_IDS);
        if !self.attempts.contains_key(&id) && self.attempts.len() >= room {
            self.attempts
                .retain(|_, kept| kept.at(now, lockout) != LockState::default());
            if self.attempts.len() >= room {
                return false;
            }
        }
        self.attempts.insert(id, state);
        true
    }

    /// Turn the account-wide throttle on for as long as a lock lasts, and say so in the log.
    pub(crate) fn throttle(&mut self, now: Timestamp, lockout: Lockout) -> Timestamp {
        let until = now.plus_seconds(lockout.duration_secs);
        self.throttled_until = Some(until);
        self.record(now, None, Subject::Account, AuditKind::Throttled { until });
        until
    }

    /// A contact's failed attempts and lock as they stand now (the engine's clock and lockout
    /// rule). While the account is throttled every contact reads as locked until it ends.
    pub fn lock_status(&self, engine: &Engine, contact: ContactId) -> Result<LockStatus> {
        self.contact(contact)?;
        Ok(self.status_of(contact, engine.now(), engine.lockout()))
    }

    /// [`Account::lock_status`] of any id, known or not.
    pub(crate) fn status_of(&self, id: ContactId, now: Timestamp, lockout: Lockout) -> LockStatus {
        let mut state = self.attempt_state(id, now, lockout);
        if let Some(until) = self.throttle_at(now) {
            state.locked_until = Some(state.locked_until.map_or(until, |own| own.max(until)));
        }
        LockStatus::new(state, now)
    }

    /// Unlock a locked contact (the portal's "Unlock" tab): its failed attempts are forgotten.
    /// Needs `Manage Contacts / Update`.
    pub fn unlock(&mut self, engine: &Engine, actor: ContactId, target: ContactId) -> Result<()> {
        self.actor(actor, Right::ManageCodes)?;
        if self.find(target).is_none() {
            return Err(Error::UnknownContact(target));
        }
        self.attempts.remove(&target);
        self.record(
            engine.now(),
            Some(actor),
            Subject::Contact(target),
            AuditKind::Unlocked,
        );
        Ok(())
    }
}

//! Portal passwords (SPEC 10): setting one, and signing in with it in three steps that count
//! failures with the contact's verifications ([`crate::SignInAttempt`]).

use crate::audit::{AuditKind, Subject};
use crate::code::hash::Scope;
use crate::code::normalize::Normalization;
use crate::contact::ContactId;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::password::Password;
use crate::sign_in::{CheckedSignIn, OpenSignIn, SignIn, SignInAttempt, SignInOutcome};
use crate::verification::VerifyReason;

use super::Account;
use super::rights::Right;

impl Account {
    /// Set or change `contact`'s portal password (the "Login & Password" tab). A contact
    /// changing its own needs `Change Password / Update`; another contact's needs
    /// `Manage Contacts / Update` (the primary contact sets the first passwords). The password
    /// is held to the security-code policy for that contact, and hashed in a slot of its own.
    pub fn set_password(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        contact: ContactId,
        password: &Password,
    ) -> Result<()> {
        let right = if actor == contact {
            Right::ChangeOwnPassword
        } else {
            Right::EditContact
        };
        self.actor(actor, right)?;
        let target = self.contact(contact)?;
        if !target.active {
            return Err(Error::Deactivated(contact));
        }
        let reasons = self.check_code(engine, Some(contact), password.as_code())?;
        if !reasons.is_empty() {
            return Err(Error::PolicyRejected(reasons));
        }
        let scope = Scope::password(self.id.0, contact.0);
        let hash = engine
            .verifier()
            .hash(password.as_code(), Normalization::Exact, &scope)?;
        if let Some(c) = self.find_mut(contact) {
            c.password = Some(hash);
        }
        self.record(
            engine.now(),
            Some(actor),
            Subject::Contact(contact),
            AuditKind::PasswordSet,
        );
        Ok(())
    }

    /// Step one of a sign-in as `contact`: counts the attempt now, with the contact's
    /// verifications (see [`Account::begin_verify`]), and takes the stored password's hash (or
    /// the dummy) for [`SignInAttempt::check`], which runs with no lock held.
    pub fn begin_sign_in(&mut self, engine: &Engine, contact: ContactId) -> Result<SignInAttempt> {
        let locks_until = match self
            .count_attempt(engine, contact, |reason| AuditKind::SignInFailed { reason })
        {
            Ok(locks_until) => locks_until,
            Err(reason) => {
                return Ok(SignInAttempt {
                    account: self.id,
                    contact,
                    open: None,
                    locked_reason: reason,
                });
            }
        };
        let verifier = engine.verifier();
        let found = self.find(contact);
        let stored = found.filter(|c| c.active).and_then(|c| c.password.as_ref());
        let usable = stored.filter(|hash| verifier.usable(hash).is_ok());
        let open = OpenSignIn {
            hash: usable.unwrap_or(verifier.dummy()).clone(),
            present: usable.is_some(),
            unusable: stored.is_some() && usable.is_none(),
            scope: Scope::password(self.id.0, contact.0),
            known: found.is_some(),
            active: found.is_some_and(|c| c.active),
            locks_until,
        };
        Ok(SignInAttempt {
            account: self.id,
            contact,
            open: Some(Box::new(open)),
            locked_reason: VerifyReason::Locked,
        })
    }

    /// Step three: record a checked sign-in. A match signs in only if the contact is still
    /// active with the same password as at *begin*; then its failed attempts are forgotten.
    pub fn finish_sign_in(&mut self, engine: &Engine, checked: CheckedSignIn) -> Result<SignIn> {
        let CheckedSignIn { attempt, matched } = checked;
        if attempt.account != self.id {
            return Err(Error::invalid(
                "sign-in attempt",
                format!("was begun on account `{}`", attempt.account),
            ));
        }
        let now = engine.now();
        let contact = attempt.contact;
        let answer = |outcome, reason| SignIn {
            account: attempt.account,
            contact,
            outcome,
            reason,
        };
        let Some(open) = attempt.open.as_deref() else {
            return Ok(answer(SignInOutcome::Locked, attempt.locked_reason));
        };
        let unchanged = self
            .find(contact)
            .is_some_and(|c| c.active && c.password.as_ref() == Some(&open.hash));
        let reason = if !open.known {
            VerifyReason::UnknownContact
        } else if !open.active {
            VerifyReason::Deactivated
        } else if matched && !unchanged {
            VerifyReason::Changed
        } else if matched {
            VerifyReason::Individual
        } else if open.unusable {
            VerifyReason::UnusableHash
        } else if !open.present {
            VerifyReason::NoUsableCode
        } else {
            VerifyReason::WrongCode
        };
        if matched && unchanged {
            self.put_attempt_state(contact, Default::default(), now, engine.lockout());
            self.record(now, None, Subject::Contact(contact), AuditKind::SignedIn);
            return Ok(answer(SignInOutcome::SignedIn, reason));
        }
        self.record(
            now,
            None,
            Subject::Contact(contact),
            AuditKind::SignInFailed { reason },
        );
        if let Some(until) = open.locks_until {
            self.record(
                now,
                None,
                Subject::Contact(contact),
                AuditKind::Locked { until },
            );
        }
        Ok(answer(SignInOutcome::Refused, reason))
    }

    /// Sign in as `contact` with `password`: the three steps at once, holding the account
    /// throughout. One Argon2id evaluation unless locked, whatever the contact.
    pub fn sign_in(
        &mut self,
        engine: &Engine,
        contact: ContactId,
        password: &Password,
    ) -> Result<SignIn> {
        let attempt = self.begin_sign_in(engine, contact)?;
        let checked = attempt.check(engine, password)?;
        self.finish_sign_in(engine, checked)
    }
}

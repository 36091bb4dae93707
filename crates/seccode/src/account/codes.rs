//! Setting, changing and clearing the account-wide and individual codes, the policy check they
//! pass, and the account's choice of matching.

use crate::audit::{AuditKind, Subject};
use crate::code::hash::Scope;
use crate::code::normalize::Normalization;
use crate::code::policy::{PolicyContext, Reason};
use crate::code::secret::SecurityCode;
use crate::contact::{Contact, ContactId};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::verification::Slot;

use super::rights::Right;
use super::{Account, new_stamp, reveal};

impl Account {
    fn policy_context<'a>(&'a self, subject: &'a Contact) -> PolicyContext<'a> {
        let details = &subject.details;
        fn opt(s: &str) -> Option<&str> {
            if s.is_empty() { None } else { Some(s) }
        }
        PolicyContext {
            account_id: Some(self.id.0),
            account_name: Some(&self.name),
            contact_name: opt(&details.name),
            email: opt(&details.email),
            phone: opt(&details.phone),
        }
    }

    /// Check a candidate code against the policy for `subject` (a contact's individual code), or
    /// for the account-wide code when `subject` is `None` (checked against the primary
    /// contact's details). Returns every reason that applies; empty means acceptable.
    pub fn check_code(
        &self,
        engine: &Engine,
        subject: Option<ContactId>,
        code: &SecurityCode,
    ) -> Result<Vec<Reason>> {
        let whose = self.contact(subject.unwrap_or(self.primary))?;
        let ctx = self.policy_context(whose);
        Ok(engine.policy().check(code, self.normalization, &ctx))
    }

    fn accept(
        &self,
        engine: &Engine,
        subject: Option<ContactId>,
        code: &SecurityCode,
    ) -> Result<()> {
        let reasons = self.check_code(engine, subject, code)?;
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(Error::PolicyRejected(reasons))
        }
    }

    /// Set or change the account-wide code ("Success: Account information updated").
    /// The actor needs `Profile / Update`; the code must pass the policy. Verifications made
    /// with the previous account-wide code stop counting.
    pub fn set_account_code(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        code: &SecurityCode,
    ) -> Result<()> {
        self.actor(actor, Right::SetAccountCode)?;
        self.accept(engine, None, code)?;
        let scope = Scope::account(self.id.0);
        let hash = engine.verifier().hash(code, self.normalization, &scope)?;
        let sealed = reveal::seal(engine, code, &scope)?;
        self.code_stamp = new_stamp()?;
        self.account_code = Some(hash);
        self.account_sealed = sealed;
        self.record(
            engine.now(),
            Some(actor),
            Subject::Account,
            AuditKind::CodeSet {
                slot: Slot::AccountWide,
            },
        );
        Ok(())
    }

    /// Set or change a contact's individual code ("Success: Contact updated"). Setting one's
    /// own or another's code needs `Manage Contacts / Update`; the target must be active.
    /// Verifications the contact made before stop counting.
    pub fn set_contact_code(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        target: ContactId,
        code: &SecurityCode,
    ) -> Result<()> {
        self.actor(actor, Right::ManageCodes)?;
        let contact = self.contact(target)?;
        if !contact.active {
            return Err(Error::Deactivated(target));
        }
        self.accept(engine, Some(target), code)?;
        let scope = Scope::contact(self.id.0, target.0);
        let hash = engine.verifier().hash(code, self.normalization, &scope)?;
        let sealed = reveal::seal(engine, code, &scope)?;
        let stamp = new_stamp()?;
        if let Some(c) = self.find_mut(target) {
            c.code = Some(hash);
            c.sealed = sealed;
            c.stamp = stamp;
        }
        self.record(
            engine.now(),
            Some(actor),
            Subject::Contact(target),
            AuditKind::CodeSet {
                slot: Slot::Individual,
            },
        );
        Ok(())
    }

    /// Remove the account-wide code. Needs `Profile / Update`.
    pub fn clear_account_code(&mut self, engine: &Engine, actor: ContactId) -> Result<()> {
        self.actor(actor, Right::SetAccountCode)?;
        self.code_stamp = new_stamp()?;
        self.account_code = None;
        self.account_sealed = None;
        self.record(
            engine.now(),
            Some(actor),
            Subject::Account,
            AuditKind::CodeCleared {
                slot: Slot::AccountWide,
            },
        );
        Ok(())
    }

    /// Remove a contact's individual code. Needs `Manage Contacts / Update`.
    pub fn clear_contact_code(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        target: ContactId,
    ) -> Result<()> {
        self.actor(actor, Right::ManageCodes)?;
        let stamp = new_stamp()?;
        let contact = self.find_mut(target).ok_or(Error::UnknownContact(target))?;
        contact.code = None;
        contact.sealed = None;
        contact.stamp = stamp;
        self.record(
            engine.now(),
            Some(actor),
            Subject::Contact(target),
            AuditKind::CodeCleared {
                slot: Slot::Individual,
            },
        );
        Ok(())
    }

    /// Choose how codes set from now on are matched. Existing hashes keep the normalization
    /// they were made with until their next successful verification upgrades them. Needs
    /// `Profile / Update`.
    pub fn set_normalization(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        normalization: Normalization,
    ) -> Result<()> {
        self.actor(actor, Right::SetAccountCode)?;
        if self.normalization != normalization {
            self.normalization = normalization;
            self.record(
                engine.now(),
                Some(actor),
                Subject::Account,
                AuditKind::NormalizationChanged { to: normalization },
            );
        }
        Ok(())
    }
}

/// A stored hash that no verification can use (SPEC 6): over the configured ceilings, or
/// naming a pepper key that is not configured. It stays in the data (nothing else of the
/// account is lost), verifies as *not verified*, and every consistency check reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusableHash {
    /// Which code.
    pub slot: Slot,
    /// The contact whose individual code it is (`None`: the account-wide code).
    pub contact: Option<ContactId>,
    /// Why it cannot be used.
    pub error: Error,
}

impl std::fmt::Display for UnusableHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.contact {
            None => write!(f, "the account-wide code: {}", self.error),
            Some(id) => write!(f, "contact `{id}`'s code: {}", self.error),
        }
    }
}

impl Account {
    /// Every stored hash of the account that the engine's verifier cannot use.
    pub fn unusable_hashes(&self, engine: &Engine) -> Vec<UnusableHash> {
        let verifier = engine.verifier();
        let account = self
            .account_code
            .iter()
            .map(|h| (Slot::AccountWide, None, h));
        let contacts = self
            .contacts
            .values()
            .filter_map(|c| c.code.as_ref().map(|h| (Slot::Individual, Some(c.id), h)));
        account
            .chain(contacts)
            .filter_map(|(slot, contact, hash)| {
                verifier.usable(hash).err().map(|error| UnusableHash {
                    slot,
                    contact,
                    error,
                })
            })
            .collect()
    }
}

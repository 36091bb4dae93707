//! Sealed copies of codes (SPEC 3, feature `sealed`): made when a code is set if the engine has
//! a sealing key, and opened for a contact allowed to know the code, with an audit event.

use crate::code::hash::Scope;
use crate::code::sealed::SealedCode;
use crate::code::secret::SecurityCode;
use crate::engine::Engine;
use crate::error::Result;
#[cfg(feature = "sealed")]
use crate::{
    audit::{AuditKind, Subject},
    code::sealer::{RevealedCode, Sealer},
    contact::ContactId,
    error::Error,
    verification::Slot,
};

#[cfg(feature = "sealed")]
use super::Account;
#[cfg(feature = "sealed")]
use super::rights::Right;

/// Seal a copy of `code` when the engine has a sealing key (feature `sealed`); otherwise none.
pub(crate) fn seal(
    engine: &Engine,
    code: &SecurityCode,
    scope: &Scope,
) -> Result<Option<SealedCode>> {
    #[cfg(feature = "sealed")]
    {
        engine.sealer().map(|s| s.seal(code, scope)).transpose()
    }
    #[cfg(not(feature = "sealed"))]
    {
        let _ = (engine, code, scope);
        Ok(None)
    }
}

/// The engine's sealing key, asked before anything else so that a portal without one hears
/// so, whatever copies the data holds.
#[cfg(feature = "sealed")]
fn sealer(engine: &Engine) -> Result<&Sealer> {
    engine
        .sealer()
        .ok_or_else(|| Error::Sealed("no sealing key configured".into()))
}

#[cfg(feature = "sealed")]
impl Account {
    /// Whether `actor` may be shown the account-wide code, asked without opening it: what
    /// [`Account::reveal_account_code`] checks before it opens the copy (`Profile / View`, a
    /// sealing key in the engine, a copy sealed under one of its keys), so that a page can
    /// offer "Reveal" without decrypting anything. A copy that is damaged still fails when it
    /// is revealed.
    pub fn may_reveal_account_code(&self, engine: &Engine, actor: ContactId) -> Result<()> {
        let (sealer, sealed) = self.account_copy(engine, actor)?;
        sealer.has_key_of(sealed)
    }

    /// Reveal the account-wide code to an actor allowed to know it (`Profile / View`), from
    /// its sealed copy, and record that it was shown. Needs a sealing key in the engine and a
    /// copy sealed when the code was set.
    pub fn reveal_account_code(
        &mut self,
        engine: &Engine,
        actor: ContactId,
    ) -> Result<RevealedCode> {
        let (sealer, sealed) = self.account_copy(engine, actor)?;
        let code = sealer.open(sealed, &Scope::account(self.id.0))?;
        self.record(
            engine.now(),
            Some(actor),
            Subject::Account,
            AuditKind::CodeRevealed {
                slot: Slot::AccountWide,
            },
        );
        Ok(code)
    }

    /// Whether `actor` may be shown `target`'s individual code, asked without opening it, as
    /// [`Account::may_reveal_account_code`] asks for the account-wide one (`Manage Contacts /
    /// View`).
    pub fn may_reveal_contact_code(
        &self,
        engine: &Engine,
        actor: ContactId,
        target: ContactId,
    ) -> Result<()> {
        let (sealer, sealed) = self.contact_copy(engine, actor, target)?;
        sealer.has_key_of(sealed)
    }

    /// Reveal a contact's individual code to an actor allowed to view codes
    /// (`Manage Contacts / View`), from its sealed copy, and record that it was shown.
    pub fn reveal_contact_code(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        target: ContactId,
    ) -> Result<RevealedCode> {
        let (sealer, sealed) = self.contact_copy(engine, actor, target)?;
        let code = sealer.open(sealed, &Scope::contact(self.id.0, target.0))?;
        self.record(
            engine.now(),
            Some(actor),
            Subject::Contact(target),
            AuditKind::CodeRevealed {
                slot: Slot::Individual,
            },
        );
        Ok(code)
    }

    /// The account-wide code's sealed copy and the sealer to open it, if `actor` may (whether
    /// the sealer has the copy's key is the caller's to ask, or `open`'s to find).
    fn account_copy<'a>(
        &'a self,
        engine: &'a Engine,
        actor: ContactId,
    ) -> Result<(&'a Sealer, &'a SealedCode)> {
        self.actor(actor, Right::KnowAccountCode)?;
        let sealer = sealer(engine)?;
        let sealed = self
            .account_sealed
            .as_ref()
            .ok_or_else(|| Error::Sealed("no sealed copy of the account-wide code".into()))?;
        Ok((sealer, sealed))
    }

    /// `target`'s sealed copy and the sealer to open it, if `actor` may.
    fn contact_copy<'a>(
        &'a self,
        engine: &'a Engine,
        actor: ContactId,
        target: ContactId,
    ) -> Result<(&'a Sealer, &'a SealedCode)> {
        self.actor(actor, Right::ViewContactCodes)?;
        let contact = self.contact(target)?;
        let sealer = sealer(engine)?;
        let sealed = contact
            .sealed
            .as_ref()
            .ok_or_else(|| Error::Sealed(format!("no sealed copy of contact `{target}`'s code")))?;
        Ok((sealer, sealed))
    }
}

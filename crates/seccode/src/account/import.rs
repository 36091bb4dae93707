//! Importing legacy "Phone/Chat Codes" from an old system: plaintext codes (hashed at once),
//! Argon2id hashes made by another implementation and bcrypt hashes from PHP portals. Legacy codes are migrated, not refused, so
//! the policy is not applied; a hash the verifier could never check (over the configured
//! ceilings, or naming an unknown pepper) is refused and replaces nothing (SPEC 6).

use crate::audit::{AuditKind, Subject};
use crate::code::hash::{Binding, CodeHash, Scope};
use crate::code::normalize::Normalization;
use crate::code::sealed::SealedCode;
use crate::code::secret::SecurityCode;
use crate::contact::ContactId;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::verification::Slot;

use super::{Account, AccountId, new_stamp, reveal};

/// A legacy plaintext code already hashed for one account's slot, ready for
/// [`Account::import_prepared`]. Made by [`Account::prepare_import`], which does the Argon2
/// work without holding the account mutably, so a bulk import can hash on every core and then
/// store everything in one short transaction. Holds a hash and a sealed copy, never the code.
#[derive(Debug, Clone)]
pub struct PreparedImport {
    account: AccountId,
    target: Option<ContactId>,
    hash: CodeHash,
    sealed: Option<SealedCode>,
}

impl PreparedImport {
    /// The account it was prepared for.
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// The contact whose individual code it is, or `None` for the account-wide code.
    pub fn target(&self) -> Option<ContactId> {
        self.target
    }
}

impl Account {
    /// Hash a legacy plaintext code for `target` (`None`: the account-wide code) with the
    /// current parameters, the slot's scope and the account's matching. Changes nothing.
    pub fn prepare_import(
        &self,
        engine: &Engine,
        target: Option<ContactId>,
        code: &SecurityCode,
    ) -> Result<PreparedImport> {
        let scope = self.scope_of(target)?;
        let hash = engine.verifier().hash(code, self.normalization, &scope)?;
        let sealed = reveal::seal(engine, code, &scope)?;
        Ok(PreparedImport {
            account: self.id,
            target,
            hash,
            sealed,
        })
    }

    /// Store a prepared import. Refused when it was prepared for another account, when the
    /// account's matching changed since, or when the slot already holds a code and `overwrite`
    /// is false ([`Error::AlreadySet`]).
    pub fn import_prepared(
        &mut self,
        engine: &Engine,
        prepared: PreparedImport,
        overwrite: bool,
    ) -> Result<()> {
        if prepared.account != self.id {
            return Err(Error::invalid(
                "prepared import",
                format!("was prepared for account `{}`", prepared.account),
            ));
        }
        if prepared.hash.normalization() != self.normalization {
            return Err(Error::invalid(
                "prepared import",
                "the account's matching changed since it was prepared",
            ));
        }
        self.store_imported(
            engine,
            prepared.target,
            prepared.hash,
            prepared.sealed,
            overwrite,
        )
    }

    /// Import a legacy "Phone/Chat Code" given in plaintext: [`Account::prepare_import`] and
    /// [`Account::import_prepared`] in one step.
    pub fn import_legacy_code(
        &mut self,
        engine: &Engine,
        target: Option<ContactId>,
        code: &SecurityCode,
        overwrite: bool,
    ) -> Result<()> {
        let prepared = self.prepare_import(engine, target, code)?;
        self.import_prepared(engine, prepared, overwrite)
    }

    /// Import a legacy Argon2id PHC string made by another implementation (argon2-cffi,
    /// libsodium), or a bcrypt hash (`$2y$`, `$2b$`, `$2a$`: PHP's `password_hash`), from the
    /// code as typed. It verifies as a legacy hash and is upgraded to the scoped, normalized
    /// Argon2id form on its first successful verification (a `code_upgraded` event). A code
    /// of more than 72 bytes never matches a bcrypt hash (bcrypt would ignore the rest; see
    /// [`BCRYPT_MAX_CODE_LEN`](crate::BCRYPT_MAX_CODE_LEN)).
    ///
    /// Refused with [`Error::MalformedHash`] when it is not a hash seccode accepts, with
    /// [`Error::HashCeilingExceeded`] when its parameters exceed the configured ceilings (for
    /// bcrypt, a cost over [`BCRYPT_COST_CEILING`](crate::BCRYPT_COST_CEILING); it could
    /// never be checked), and with [`Error::AlreadySet`] when the slot holds a code and
    /// `overwrite` is false. A refused import replaces nothing.
    pub fn import_legacy_hash(
        &mut self,
        engine: &Engine,
        target: Option<ContactId>,
        phc: &str,
        overwrite: bool,
    ) -> Result<()> {
        self.scope_of(target)?;
        let hash = CodeHash::parse(phc, Normalization::Exact, Binding::Legacy)?;
        engine.verifier().usable(&hash)?;
        self.store_imported(engine, target, hash, None, overwrite)
    }

    /// Whether the slot already holds a code.
    pub fn code_is_set(&self, target: Option<ContactId>) -> Result<bool> {
        match target {
            None => Ok(self.account_code.is_some()),
            Some(id) => Ok(self.contact(id)?.code.is_some()),
        }
    }

    fn scope_of(&self, target: Option<ContactId>) -> Result<Scope> {
        match target {
            None => Ok(Scope::account(self.id.0)),
            Some(id) => {
                self.contact(id)?;
                Ok(Scope::contact(self.id.0, id.0))
            }
        }
    }

    fn store_imported(
        &mut self,
        engine: &Engine,
        target: Option<ContactId>,
        hash: CodeHash,
        sealed: Option<SealedCode>,
        overwrite: bool,
    ) -> Result<()> {
        if !overwrite && self.code_is_set(target)? {
            return Err(Error::AlreadySet(match target {
                None => "the account-wide code".to_string(),
                Some(id) => format!("contact `{id}`'s code"),
            }));
        }
        let now = engine.now();
        let stamp = new_stamp()?;
        match target {
            None => {
                self.account_code = Some(hash);
                self.account_sealed = sealed;
                self.code_stamp = stamp;
                self.record(
                    now,
                    None,
                    Subject::Account,
                    AuditKind::CodeImported {
                        slot: Slot::AccountWide,
                    },
                );
            }
            Some(id) => {
                let c = self.find_mut(id).ok_or(Error::UnknownContact(id))?;
                c.code = Some(hash);
                c.sealed = sealed;
                c.stamp = stamp;
                self.record(
                    now,
                    None,
                    Subject::Contact(id),
                    AuditKind::CodeImported {
                        slot: Slot::Individual,
                    },
                );
            }
        }
        Ok(())
    }
}

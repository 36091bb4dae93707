//! The account: its contacts, its account-wide code, and every operation on them, each checked
//! against SPEC section 3 ("who may do what with codes").
//!
//! One file per idea: [`rights`] (the SPEC 3 table), [`contacts`], [`codes`], [`import`],
//! [`lockout`], [`permissions`], [`verify`], [`sign_in`], [`requests`], [`view`], [`reveal`] and [`record`]
//! (to and from the stored form).

mod codes;
mod contacts;
mod import;
mod lockout;
mod permissions;
mod record;
mod requests;
mod reveal;
mod rights;
mod sign_in;
mod verify;
mod view;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::audit::{AgentName, AuditEvent, AuditKind, Subject};
use crate::clock::Timestamp;
use crate::code::hash::CodeHash;
use crate::code::normalize::Normalization;
use crate::code::sealed::SealedCode;
use crate::contact::{Contact, ContactDetails, ContactId, check_text};
use crate::error::{Error, Result};
use crate::permission::{Catalog, Grid, Settings};
use crate::record::LockState;

pub use codes::UnusableHash;
pub use import::PreparedImport;
pub use lockout::{LockStatus, MAX_UNKNOWN_IDS};
pub use view::ContactView;

/// An account's id ("Client ID", e.g. 1707).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct AccountId(pub u64);

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A customer account: its contacts, its optional account-wide code, and exactly one primary
/// contact (the account owner).
///
/// Every field is private: an account is changed only through its operations, each of which
/// checks the acting contact's rights and records an audit event.
#[derive(Debug, Clone)]
pub struct Account {
    id: AccountId,
    name: String,
    catalog: Arc<Catalog>,
    normalization: Normalization,
    primary: ContactId,
    contacts: BTreeMap<ContactId, Contact>,
    account_code: Option<CodeHash>,
    account_sealed: Option<SealedCode>,
    /// Changes whenever the account-wide code changes (SPEC 7).
    code_stamp: u64,
    /// Failed-attempt state of every contact id that has any, known or unknown, kept alike.
    attempts: BTreeMap<ContactId, LockState>,
    /// All verifications answer *locked* until then (the unknown-id state filled up).
    throttled_until: Option<Timestamp>,
    audit: Vec<AuditEvent>,
    /// The agent every event recorded from now on names (the session's, not stored).
    agent: Option<AgentName>,
}

/// A fresh random stamp (never 0, which marks data written before stamps existed).
pub(crate) fn new_stamp() -> Result<u64> {
    let n = getrandom::u64()
        .map_err(|e| Error::Internal(format!("the random number generator failed: {e}")))?;
    Ok(n.max(1))
}

impl Account {
    /// A new account with its primary contact (the account owner), on the portal's default
    /// permission catalog.
    pub fn new(
        id: AccountId,
        name: impl Into<String>,
        primary: ContactId,
        details: ContactDetails,
    ) -> Result<Account> {
        Self::with_catalog(id, name, primary, details, Arc::new(Catalog::portal()))
    }

    /// A new account on a custom permission catalog.
    pub fn with_catalog(
        id: AccountId,
        name: impl Into<String>,
        primary: ContactId,
        details: ContactDetails,
        catalog: Arc<Catalog>,
    ) -> Result<Account> {
        let name = name.into();
        check_text("account name", &name, 200, true)?;
        details.validate()?;
        let settings = Settings::new(&catalog);
        let mut account = Account {
            id,
            name,
            catalog,
            normalization: Normalization::default(),
            primary,
            contacts: BTreeMap::new(),
            account_code: None,
            account_sealed: None,
            code_stamp: new_stamp()?,
            attempts: BTreeMap::new(),
            throttled_until: None,
            audit: Vec::new(),
            agent: None,
        };
        account.insert_contact(Contact {
            id: primary,
            details,
            active: true,
            code: None,
            sealed: None,
            password: None,
            settings,
            grid: Grid::default(),
            stamp: new_stamp()?,
        });
        Ok(account)
    }

    // ----- reading -----

    /// The account's id ("Client ID").
    pub fn id(&self) -> AccountId {
        self.id
    }

    /// The account's name ("Any Company").
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The primary contact's id.
    pub fn primary(&self) -> ContactId {
        self.primary
    }

    /// Whether `contact` is the primary contact (the account owner).
    pub fn is_primary(&self, contact: ContactId) -> bool {
        self.primary == contact
    }

    /// The permission catalog this account's grids use.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// How codes set from now on are normalized.
    pub fn normalization(&self) -> Normalization {
        self.normalization
    }

    /// Every contact, in id order.
    pub fn contacts(&self) -> impl Iterator<Item = &Contact> {
        self.contacts.values()
    }

    /// The id a new contact gets when none is given (`contact add` without an id, the
    /// portal's "Add Contact"): one more than the highest id of the account, 1 for none.
    pub fn next_contact_id(&self) -> Result<ContactId> {
        let highest = self.contacts.keys().next_back().copied();
        highest.unwrap_or(ContactId(0)).next()
    }

    /// One contact.
    pub fn contact(&self, id: ContactId) -> Result<&Contact> {
        self.find(id).ok_or(Error::UnknownContact(id))
    }

    /// Whether the account-wide code is set.
    pub fn has_account_code(&self) -> bool {
        self.account_code.is_some()
    }

    /// The stored hash of the account-wide code, if set (never the code).
    pub fn account_code_hash(&self) -> Option<&CodeHash> {
        self.account_code.as_ref()
    }

    pub(crate) fn find(&self, id: ContactId) -> Option<&Contact> {
        self.contacts.get(&id)
    }

    pub(crate) fn find_mut(&mut self, id: ContactId) -> Option<&mut Contact> {
        self.contacts.get_mut(&id)
    }

    /// Insert or replace a contact, compiling its grid.
    pub(crate) fn insert_contact(&mut self, mut contact: Contact) {
        contact.grid = self.compile(&contact);
        self.contacts.insert(contact.id, contact);
    }

    /// A contact's grid: everything allowed for the primary contact, its settings otherwise.
    pub(crate) fn compile(&self, contact: &Contact) -> Grid {
        if contact.id == self.primary {
            Grid::owner(&self.catalog)
        } else {
            Grid::compile(&self.catalog, &contact.settings)
        }
    }

    pub(crate) fn record(
        &mut self,
        at: Timestamp,
        actor: Option<ContactId>,
        subject: Subject,
        kind: AuditKind,
    ) {
        self.audit.push(AuditEvent {
            at,
            account: self.id,
            actor,
            agent: self.agent.clone(),
            subject,
            kind,
        });
    }

    // ----- audit -----

    /// Name the support agent through whom every operation from now on happens (`None`: no
    /// agent). This is the one rule for agents in the audit log: every event the account
    /// records while an agent is set names it in [`AuditEvent::agent`], whatever the operation
    /// (a verification, an unlock, a decided request, a change), separately from the acting
    /// contact ([`AuditEvent::actor`]).
    ///
    /// The agent belongs to the session holding the account, not to the account: it is not
    /// part of [`Account::to_record`], and an account loaded from a record has none. A store
    /// that loads the account afresh for each transaction sets it on each load
    /// (`seccode_store::update_account_as`).
    pub fn set_agent(&mut self, agent: Option<AgentName>) {
        self.agent = agent;
    }

    /// The agent set with [`Account::set_agent`], if any.
    pub fn agent(&self) -> Option<&AgentName> {
        self.agent.as_ref()
    }

    /// Audit events recorded since the last drain, oldest first.
    pub fn audit(&self) -> &[AuditEvent] {
        &self.audit
    }

    /// Take the pending audit events (for the portal's own log).
    pub fn drain_audit(&mut self) -> Vec<AuditEvent> {
        std::mem::take(&mut self.audit)
    }
}

//! The account: its contacts, its account-wide code, and every operation on them, each checked
//! against SPEC section 3 ("who may do what with codes").

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::audit::{AuditEvent, AuditKind, Subject};
use crate::clock::Timestamp;
use crate::code::hash::{CodeHash, Scope};
use crate::code::normalize::Normalization;
use crate::code::policy::{PolicyContext, Reason};
use crate::code::secret::SecurityCode;
use crate::engine::Engine;
use crate::error::{Error, Requirement, Result};
use crate::model::contact::{Contact, ContactDetails, ContactId, LockState};
use crate::model::verify::Slot;
use crate::permission::{self, Action, Catalog, Cell, Grid, ResourceId, Setting, Settings};
use crate::request::{Decision, DenyReason, RequestKind};

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

/// How many unknown contact ids keep a failed-attempt count per account (oldest evicted).
const MAX_STRAY_LOCKS: usize = 256;

/// A customer account: its contacts, its optional account-wide code, and exactly one primary
/// contact (the account owner).
#[derive(Debug, Clone)]
pub struct Account {
    pub(crate) id: AccountId,
    pub(crate) name: String,
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) normalization: Normalization,
    pub(crate) primary: ContactId,
    pub(crate) contacts: BTreeMap<ContactId, Contact>,
    pub(crate) grids: BTreeMap<ContactId, Grid>,
    pub(crate) account_code: Option<CodeHash>,
    pub(crate) account_sealed: Option<crate::data::SealedCopy>,
    pub(crate) stray_locks: BTreeMap<ContactId, LockState>,
    pub(crate) audit: Vec<AuditEvent>,
}

/// What an operation needs the actor to be allowed (SPEC 3 and the contact administration
/// rules in DESIGN.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Right {
    /// Know / use the account-wide code: `Profile / View`.
    KnowAccountCode,
    /// Set or change the account-wide code, and the account's matching: `Profile / Update`.
    SetAccountCode,
    /// Set or view individual codes, unlock: `Manage Contacts / Update`.
    ManageCodes,
    /// View individual codes: `Manage Contacts / View`.
    #[cfg_attr(not(feature = "sealed"), allow(dead_code))]
    ViewContactCodes,
    /// Add or reactivate a contact: `Manage Contacts / Create`.
    AddContact,
    /// Edit another contact: `Manage Contacts / Update`.
    EditContact,
    /// Deactivate a contact: `Manage Contacts / Delete`.
    DeactivateContact,
    /// Billable requests: `Billing & Services / Update`.
    Billable,
    /// Change permissions: the primary contact only.
    ChangePermissions,
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
        crate::model::contact::check_text("account name", &name, 200, true)?;
        details.validate()?;
        let settings = Settings::new(&catalog);
        let mut account = Account {
            id,
            name,
            catalog,
            normalization: Normalization::default(),
            primary,
            contacts: BTreeMap::new(),
            grids: BTreeMap::new(),
            account_code: None,
            account_sealed: None,
            stray_locks: BTreeMap::new(),
            audit: Vec::new(),
        };
        account.insert_contact(Contact {
            id: primary,
            details,
            active: true,
            code: None,
            sealed: None,
            settings,
            lock: LockState::default(),
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

    /// Insert or replace a contact and compile its grid.
    pub(crate) fn insert_contact(&mut self, contact: Contact) {
        let grid = if contact.id == self.primary {
            Grid::owner(&self.catalog)
        } else {
            Grid::compile(&self.catalog, &contact.settings)
        };
        self.grids.insert(contact.id, grid);
        self.contacts.insert(contact.id, contact);
    }

    pub(crate) fn lock_state_for(&self, id: ContactId) -> LockState {
        match self.find(id) {
            Some(c) => c.lock,
            None => self.stray_locks.get(&id).copied().unwrap_or_default(),
        }
    }

    pub(crate) fn set_lock_state(&mut self, id: ContactId, lock: LockState) {
        if let Some(c) = self.find_mut(id) {
            c.lock = lock;
            return;
        }
        if lock == LockState::default() {
            self.stray_locks.remove(&id);
            return;
        }
        if self.stray_locks.len() >= MAX_STRAY_LOCKS && !self.stray_locks.contains_key(&id) {
            // Evict the entry closest to expiry (or never locked).
            let oldest = self
                .stray_locks
                .iter()
                .min_by_key(|(_, l)| l.locked_until.unwrap_or(Timestamp(i64::MIN)))
                .map(|(k, _)| *k);
            if let Some(k) = oldest {
                self.stray_locks.remove(&k);
            }
        }
        self.stray_locks.insert(id, lock);
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
            subject,
            kind,
        });
    }

    // ----- rights -----

    fn requirement(&self, right: Right) -> (Option<ResourceId>, Action, &'static str) {
        let roles = self.catalog.roles();
        match right {
            Right::KnowAccountCode => (roles.profile, Action::View, "Profile"),
            Right::SetAccountCode => (roles.profile, Action::Update, "Profile"),
            Right::ManageCodes | Right::EditContact => {
                (roles.manage_contacts, Action::Update, "Manage Contacts")
            }
            Right::ViewContactCodes => (roles.manage_contacts, Action::View, "Manage Contacts"),
            Right::AddContact => (roles.manage_contacts, Action::Create, "Manage Contacts"),
            Right::DeactivateContact => (roles.manage_contacts, Action::Delete, "Manage Contacts"),
            Right::Billable => (roles.billing, Action::Update, "Billing & Services"),
            Right::ChangePermissions => (None, Action::Update, ""),
        }
    }

    fn requirement_error(&self, right: Right) -> Error {
        if right == Right::ChangePermissions {
            return Error::PermissionDenied(Requirement::primary_only());
        }
        let (resource, action, fallback) = self.requirement(right);
        let name = resource
            .map(|r| self.catalog.name(r))
            .filter(|n| !n.is_empty())
            .unwrap_or(fallback);
        Error::PermissionDenied(Requirement::cell(name, action))
    }

    /// Whether an active contact holds a right (the primary contact holds every right).
    pub(crate) fn holds(&self, contact: &Contact, right: Right) -> bool {
        if !contact.active {
            return false;
        }
        if contact.id == self.primary {
            return true;
        }
        if right == Right::ChangePermissions {
            return false;
        }
        let (resource, action, _) = self.requirement(right);
        match (resource, self.grids.get(&contact.id)) {
            (Some(r), Some(grid)) => grid.allows(r, action),
            _ => false,
        }
    }

    pub(crate) fn may_use_account_code(&self, contact: &Contact) -> bool {
        self.holds(contact, Right::KnowAccountCode)
    }

    /// The acting contact, if it exists, is active and holds `right`.
    fn actor(&self, actor: ContactId, right: Right) -> Result<&Contact> {
        let contact = self.contact(actor)?;
        if !contact.active {
            return Err(Error::Deactivated(actor));
        }
        if !self.holds(contact, right) {
            return Err(self.requirement_error(right));
        }
        Ok(contact)
    }

    /// Whether `contact` may know and use the account-wide code (SPEC 2.5 and 3).
    pub fn may_know_account_code(&self, contact: ContactId) -> Result<bool> {
        let c = self.contact(contact)?;
        Ok(self.may_use_account_code(c))
    }

    // ----- contacts -----

    /// Add a contact. The actor needs `Manage Contacts / Create`.
    pub fn add_contact(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
        details: ContactDetails,
    ) -> Result<()> {
        self.actor(actor, Right::AddContact)?;
        details.validate()?;
        if self.contacts.contains_key(&id) {
            return Err(Error::DuplicateContact(id));
        }
        let lock = self.stray_locks.remove(&id).unwrap_or_default();
        let settings = Settings::new(&self.catalog);
        self.insert_contact(Contact {
            id,
            details,
            active: true,
            code: None,
            sealed: None,
            settings,
            lock,
        });
        self.record(
            engine.now(),
            Some(actor),
            Subject::Contact(id),
            AuditKind::ContactAdded,
        );
        Ok(())
    }

    /// Replace a contact's details. Contacts may edit their own; editing another needs
    /// `Manage Contacts / Update`.
    pub fn edit_contact(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
        details: ContactDetails,
    ) -> Result<()> {
        if actor == id {
            let me = self.contact(actor)?;
            if !me.active {
                return Err(Error::Deactivated(actor));
            }
        } else {
            self.actor(actor, Right::EditContact)?;
        }
        details.validate()?;
        let contact = self.find_mut(id).ok_or(Error::UnknownContact(id))?;
        contact.details = details;
        self.record(
            engine.now(),
            Some(actor),
            Subject::Contact(id),
            AuditKind::ContactEdited,
        );
        Ok(())
    }

    /// Deactivate a contact: it can no longer verify or act. Needs `Manage Contacts / Delete`.
    /// The primary contact cannot be deactivated.
    pub fn deactivate_contact(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
    ) -> Result<()> {
        self.actor(actor, Right::DeactivateContact)?;
        if id == self.primary {
            return Err(Error::PrimaryContact("deactivated"));
        }
        self.set_active(engine, actor, id, false)
    }

    /// Remove a contact for good: its code, settings and lock state go with it (the audit log
    /// keeps its history). Needs `Manage Contacts / Delete`. The primary contact cannot be
    /// removed. Portals usually deactivate instead, which can be undone.
    pub fn remove_contact(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
    ) -> Result<()> {
        self.actor(actor, Right::DeactivateContact)?;
        if id == self.primary {
            return Err(Error::PrimaryContact("removed"));
        }
        if self.contacts.remove(&id).is_none() {
            return Err(Error::UnknownContact(id));
        }
        self.grids.remove(&id);
        self.record(
            engine.now(),
            Some(actor),
            Subject::Contact(id),
            AuditKind::ContactRemoved,
        );
        Ok(())
    }

    /// Reactivate a deactivated contact. Needs `Manage Contacts / Create`.
    pub fn reactivate_contact(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
    ) -> Result<()> {
        self.actor(actor, Right::AddContact)?;
        self.set_active(engine, actor, id, true)
    }

    /// Flip a contact's active flag (no-op when already so) and record it.
    fn set_active(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
        active: bool,
    ) -> Result<()> {
        let contact = self.find_mut(id).ok_or(Error::UnknownContact(id))?;
        if contact.active == active {
            return Ok(());
        }
        contact.active = active;
        let kind = if active {
            AuditKind::ContactReactivated
        } else {
            AuditKind::ContactDeactivated
        };
        self.record(engine.now(), Some(actor), Subject::Contact(id), kind);
        Ok(())
    }

    // ----- codes -----

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
    /// The actor needs `Profile / Update`; the code must pass the policy.
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
        let sealed = crate::data::seal(engine, code, &scope)?;
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
        let sealed = crate::data::seal(engine, code, &scope)?;
        if let Some(c) = self.find_mut(target) {
            c.code = Some(hash);
            c.sealed = sealed;
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
        let contact = self.find_mut(target).ok_or(Error::UnknownContact(target))?;
        contact.code = None;
        contact.sealed = None;
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

    /// Import a legacy "Phone/Chat Code" given in plaintext: it is hashed at once (current
    /// parameters, scope, the account's normalization). Legacy codes are migrated, not
    /// refused, so the policy is not applied; `target` `None` is the account-wide code.
    pub fn import_legacy_code(
        &mut self,
        engine: &Engine,
        target: Option<ContactId>,
        code: &SecurityCode,
    ) -> Result<()> {
        let scope = self.scope_of(target)?;
        let hash = engine.verifier().hash(code, self.normalization, &scope)?;
        let sealed = crate::data::seal(engine, code, &scope)?;
        self.store_imported(engine, target, hash, sealed)
    }

    /// Import a legacy Argon2id PHC string made by another implementation (argon2-cffi,
    /// libsodium) from the code as typed. It verifies as a legacy hash and is upgraded to the
    /// scoped, normalized form on its first successful verification.
    pub fn import_legacy_hash(
        &mut self,
        engine: &Engine,
        target: Option<ContactId>,
        phc: &str,
    ) -> Result<()> {
        self.scope_of(target)?;
        let hash = CodeHash::parse(
            phc,
            Normalization::Exact,
            crate::code::hash::Binding::Legacy,
        )?;
        self.store_imported(engine, target, hash, None)
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
        sealed: Option<crate::data::SealedCopy>,
    ) -> Result<()> {
        let now = engine.now();
        match target {
            None => {
                self.account_code = Some(hash);
                self.account_sealed = sealed;
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

    /// Unlock a locked contact (the portal's "Unlock" tab). Needs `Manage Contacts / Update`.
    pub fn unlock(&mut self, engine: &Engine, actor: ContactId, target: ContactId) -> Result<()> {
        self.actor(actor, Right::ManageCodes)?;
        let contact = self.find_mut(target).ok_or(Error::UnknownContact(target))?;
        contact.lock = LockState::default();
        self.record(
            engine.now(),
            Some(actor),
            Subject::Contact(target),
            AuditKind::Unlocked,
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

    // ----- permissions -----

    /// Change one cell of a contact's permission grid. Only the primary contact may; the
    /// primary contact's own grid (everything allowed) cannot be changed; a not-applicable
    /// cell cannot be set to Allow or Deny.
    pub fn set_permission(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        target: ContactId,
        resource: ResourceId,
        action: Action,
        setting: Setting,
    ) -> Result<()> {
        self.actor(actor, Right::ChangePermissions)?;
        if target == self.primary {
            return Err(Error::PrimaryContact("given permission settings"));
        }
        let catalog = Arc::clone(&self.catalog);
        if !catalog.contains(resource) {
            return Err(Error::UnknownResource(format!("#{}", resource.index())));
        }
        let name = catalog.name(resource).to_string();
        let contact = self.find_mut(target).ok_or(Error::UnknownContact(target))?;
        let previous = contact.settings.set(&catalog, resource, action, setting)?;
        let grid = Grid::compile(&catalog, &contact.settings);
        self.grids.insert(target, grid);
        if previous != setting {
            self.record(
                engine.now(),
                Some(actor),
                Subject::Contact(target),
                AuditKind::PermissionChanged {
                    resource: name,
                    action,
                    from: previous,
                    to: setting,
                },
            );
        }
        Ok(())
    }

    /// A contact's compiled grid: after this, a check is a constant-time lookup by handle.
    pub fn grid(&self, contact: ContactId) -> Result<&Grid> {
        self.grids
            .get(&contact)
            .ok_or(Error::UnknownContact(contact))
    }

    /// One cell's effective value and which resource decided it.
    pub fn effective(
        &self,
        contact: ContactId,
        resource: ResourceId,
        action: Action,
    ) -> Result<Cell> {
        if !self.catalog.contains(resource) {
            return Err(Error::UnknownResource(format!("#{}", resource.index())));
        }
        Ok(self.grid(contact)?.cell(resource, action))
    }

    /// The grid as the portal shows it: effective values, inherited or default ones in
    /// parentheses, `-` where an action does not apply.
    pub fn render_grid(&self, contact: ContactId) -> Result<String> {
        Ok(permission::render_grid(&self.catalog, self.grid(contact)?))
    }

    /// The raw settings (Inherit / Allow / Deny) of a contact.
    pub fn render_settings(&self, contact: ContactId) -> Result<String> {
        Ok(permission::render_settings(
            &self.catalog,
            self.contact(contact)?.settings(),
        ))
    }

    // ----- requests -----

    /// What support may do for a caller already verified as `contact` (SPEC 5): routine
    /// requests are allowed; billable ones need `Billing & Services / Update`; significant
    /// changes and cancellations always need additional approval from the primary contact.
    pub fn authorize(&self, contact: ContactId, kind: RequestKind) -> Result<Decision> {
        let c = self.contact(contact)?;
        if !c.active {
            return Ok(Decision::Denied {
                reason: DenyReason::Deactivated,
            });
        }
        Ok(match kind {
            RequestKind::Routine => Decision::Allowed,
            RequestKind::Billable => {
                if self.holds(c, Right::Billable) {
                    Decision::Allowed
                } else {
                    let requirement = match self.requirement_error(Right::Billable) {
                        Error::PermissionDenied(r) => r,
                        _ => Requirement::primary_only(),
                    };
                    Decision::Denied {
                        reason: DenyReason::MissingPermission { requirement },
                    }
                }
            }
            RequestKind::SignificantChange | RequestKind::Cancellation => Decision::NeedsApproval {
                approvers: vec![self.primary],
            },
        })
    }

    /// [`Account::authorize`] for the caller of a [`Verification`](crate::Verification):
    /// denied unless it verified.
    pub fn authorize_verified(
        &self,
        verification: &crate::model::verify::Verification,
        kind: RequestKind,
    ) -> Result<Decision> {
        if !verification.is_verified() {
            return Ok(Decision::Denied {
                reason: DenyReason::NotVerified,
            });
        }
        self.authorize(verification.contact(), kind)
    }

    // ----- audit -----

    /// Audit events recorded since the last drain, oldest first.
    pub fn audit(&self) -> &[AuditEvent] {
        &self.audit
    }

    /// Take the pending audit events (for the portal's own log).
    pub fn drain_audit(&mut self) -> Vec<AuditEvent> {
        std::mem::take(&mut self.audit)
    }

    // ----- sealed copies -----

    /// Reveal the account-wide code to an actor allowed to know it (`Profile / View`), from
    /// its sealed copy. Needs the `sealed` feature and a sealing key in the engine.
    #[cfg(feature = "sealed")]
    pub fn reveal_account_code(&self, engine: &Engine, actor: ContactId) -> Result<SecurityCode> {
        self.actor(actor, Right::KnowAccountCode)?;
        let sealed = self
            .account_sealed
            .as_ref()
            .ok_or_else(|| Error::Sealed("no sealed copy of the account-wide code".into()))?;
        crate::data::open(engine, sealed, &Scope::account(self.id.0))
    }

    /// Reveal a contact's individual code to an actor allowed to view codes
    /// (`Manage Contacts / View`), from its sealed copy.
    #[cfg(feature = "sealed")]
    pub fn reveal_contact_code(
        &self,
        engine: &Engine,
        actor: ContactId,
        target: ContactId,
    ) -> Result<SecurityCode> {
        self.actor(actor, Right::ViewContactCodes)?;
        let contact = self.contact(target)?;
        let sealed = contact
            .sealed
            .as_ref()
            .ok_or_else(|| Error::Sealed(format!("no sealed copy of contact `{target}`'s code")))?;
        crate::data::open(engine, sealed, &Scope::contact(self.id.0, target.0))
    }
}

//! A contact as every face shows it (the portal's "View Contacts" row, the desk's listing, a
//! Python or C snapshot): its details, flags and lock status at one moment, never a code or
//! a hash.

use crate::clock::Timestamp;
use crate::contact::{ContactId, RwhoisRoles};
use crate::engine::Engine;
use crate::error::Result;

use super::Account;
use super::rights::Right;

/// One contact as shown at one moment: "ID", "Name", "Title", "Phone", "Email", whether its
/// security code is set, and its lock. Serializes to the JSON every face uses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ContactView {
    /// "ID".
    pub id: ContactId,
    /// "Name".
    pub name: String,
    /// "Title".
    pub title: String,
    /// "Phone".
    pub phone: String,
    /// "Email".
    pub email: String,
    /// "Audit Account".
    pub audit_account: bool,
    /// RWhois roles.
    pub rwhois: RwhoisRoles,
    /// The account owner.
    pub primary: bool,
    /// Not deactivated.
    pub active: bool,
    /// "Security Code: set": the contact has an individual code.
    pub has_code: bool,
    /// The contact may know and use the account-wide code.
    pub may_know_account_code: bool,
    /// Failed verifications counted now.
    pub failed_attempts: u32,
    /// Locked now.
    pub locked: bool,
    /// When the lock ends, if locked.
    pub locked_until: Option<Timestamp>,
}

impl Account {
    /// One contact as shown now (the engine's clock and lockout rule).
    pub fn contact_view(&self, engine: &Engine, id: ContactId) -> Result<ContactView> {
        let contact = self.contact(id)?;
        let lock = self.status_of(id, engine.now(), engine.lockout());
        let details = &contact.details;
        Ok(ContactView {
            id,
            name: details.name.clone(),
            title: details.title.clone(),
            phone: details.phone.clone(),
            email: details.email.clone(),
            audit_account: details.audit_account,
            rwhois: details.rwhois,
            primary: id == self.primary,
            active: contact.active,
            has_code: contact.code.is_some(),
            may_know_account_code: self.holds(contact, Right::KnowAccountCode),
            failed_attempts: lock.failed_attempts(),
            locked: lock.is_locked(),
            locked_until: lock.locked_until(),
        })
    }

    /// Every contact as shown now, in id order.
    pub fn contact_views(&self, engine: &Engine) -> Vec<ContactView> {
        self.contacts
            .keys()
            .filter_map(|id| self.contact_view(engine, *id).ok())
            .collect()
    }
}

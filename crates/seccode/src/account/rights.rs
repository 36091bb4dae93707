//! Who may do what (SPEC 3, and the contact administration rules of DESIGN.md): each right is
//! one cell of the permission grid that grants it, or the primary contact alone.
//!
//! | right | granted by |
//! | --- | --- |
//! | know / use the account-wide code | `Profile / View` |
//! | set or change the account-wide code, the account's matching | `Profile / Update` |
//! | set another contact's code, unlock, edit another contact | `Manage Contacts / Update` |
//! | view contacts' individual codes (sealed copies) | `Manage Contacts / View` |
//! | add or reactivate a contact | `Manage Contacts / Create` |
//! | deactivate or remove a contact | `Manage Contacts / Delete` |
//! | billable requests | `Billing & Services / Update` |
//! | change one's own portal password | `Change Password / Update` |
//! | set another contact's portal password | `Manage Contacts / Update` |
//! | change another contact's permissions | the primary contact only |
//!
//! The primary contact holds every right; a deactivated contact holds none. A custom catalog
//! names the resources that grant these rights ([`Roles`](crate::Roles)); a right whose
//! resource it does not name is the primary contact's alone.

use crate::contact::{Contact, ContactId};
use crate::error::{Error, Requirement, Result};
use crate::permission::{Action, ResourceId};

use super::Account;

/// The resource whose `Update` cell lets a contact change its own portal password.
const CHANGE_PASSWORD: &str = "Change Password";

/// A right an operation needs the acting contact to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Right {
    /// Know / use the account-wide code: `Profile / View`.
    KnowAccountCode,
    /// Set or change the account-wide code, and the account's matching: `Profile / Update`.
    SetAccountCode,
    /// Set individual codes, unlock: `Manage Contacts / Update`.
    ManageCodes,
    /// View individual codes: `Manage Contacts / View`.
    #[cfg_attr(not(feature = "sealed"), allow(dead_code))]
    ViewContactCodes,
    /// Add or reactivate a contact: `Manage Contacts / Create`.
    AddContact,
    /// Edit another contact: `Manage Contacts / Update`.
    EditContact,
    /// Deactivate or remove a contact: `Manage Contacts / Delete`.
    DeactivateContact,
    /// Billable requests: `Billing & Services / Update`.
    Billable,
    /// Change one's own portal password: `Change Password / Update`.
    ChangeOwnPassword,
    /// Change permissions: the primary contact only.
    ChangePermissions,
}

impl Account {
    /// The cell that grants `right` (`None` when only the primary contact holds it), and the
    /// resource's name to use when the catalog does not name one.
    fn cell_for(&self, right: Right) -> Option<(Option<ResourceId>, Action, &'static str)> {
        let roles = self.catalog.roles();
        Some(match right {
            Right::KnowAccountCode => (roles.profile, Action::View, "Profile"),
            Right::SetAccountCode => (roles.profile, Action::Update, "Profile"),
            Right::ManageCodes | Right::EditContact => {
                (roles.manage_contacts, Action::Update, "Manage Contacts")
            }
            Right::ViewContactCodes => (roles.manage_contacts, Action::View, "Manage Contacts"),
            Right::AddContact => (roles.manage_contacts, Action::Create, "Manage Contacts"),
            Right::DeactivateContact => (roles.manage_contacts, Action::Delete, "Manage Contacts"),
            Right::Billable => (roles.billing, Action::Update, "Billing & Services"),
            Right::ChangeOwnPassword => (
                self.catalog.resource(CHANGE_PASSWORD),
                Action::Update,
                CHANGE_PASSWORD,
            ),
            Right::ChangePermissions => return None,
        })
    }

    /// What `right` requires, as the error and the denial name it.
    pub(crate) fn requirement(&self, right: Right) -> Requirement {
        match self.cell_for(right) {
            None => Requirement::PrimaryContact,
            Some((resource, action, fallback)) => {
                let name = resource
                    .map(|r| self.catalog.name(r))
                    .filter(|n| !n.is_empty())
                    .unwrap_or(fallback);
                Requirement::Cell {
                    resource: name.to_string(),
                    action,
                }
            }
        }
    }

    /// Whether a contact holds a right: active, and the primary contact or allowed the cell.
    pub(crate) fn holds(&self, contact: &Contact, right: Right) -> bool {
        if !contact.active {
            return false;
        }
        if contact.id == self.primary {
            return true;
        }
        match self.cell_for(right) {
            Some((Some(resource), action, _)) => contact.grid.allows(resource, action),
            _ => false,
        }
    }

    /// The acting contact, if it exists, is active and holds `right`.
    pub(crate) fn actor(&self, actor: ContactId, right: Right) -> Result<&Contact> {
        let contact = self.contact(actor)?;
        if !contact.active {
            return Err(Error::Deactivated(actor));
        }
        if !self.holds(contact, right) {
            return Err(Error::PermissionDenied(self.requirement(right)));
        }
        Ok(contact)
    }

    /// Whether `contact` may know and use the account-wide code (SPEC 2.5 and 3).
    pub fn may_know_account_code(&self, contact: ContactId) -> Result<bool> {
        let c = self.contact(contact)?;
        Ok(self.holds(c, Right::KnowAccountCode))
    }
}

//! The roles: which resources of a catalog grant the rights of SPEC 3.
//!
//! - `profile`: `Profile / View` lets a contact use the account-wide code, `Profile / Update`
//!   set it;
//! - `manage_contacts`: the contacts and their codes;
//! - `billing`: requests that may cost money.
//!
//! A catalog read without roles takes, for each role, the resource its default name finds
//! ("Profile", "Manage Contacts", "Billing & Services"), if the catalog has one. Roles given
//! by name are found by the same rule as every name (letter case and surrounding whitespace
//! ignored); a role without a resource leaves that right to the primary contact alone.

use super::tree::Tree;
use super::{ResourceId, quoted};
use crate::error::{Error, Result};

/// The resources whose cells grant the rights of SPEC 3. `None`: no resource grants the
/// right, only the primary contact has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Roles {
    /// `Profile / View` lets a contact use the account-wide code, `Profile / Update` set it.
    pub profile: Option<ResourceId>,
    /// `Manage Contacts / View`, `Update`, `Create`, `Delete`: the contacts and their codes.
    pub manage_contacts: Option<ResourceId>,
    /// `Billing & Services / Update`: requests that may add cost.
    pub billing: Option<ResourceId>,
}

impl Roles {
    /// The default name of the profile role's resource.
    pub const PROFILE: &'static str = "Profile";
    /// The default name of the contact-management role's resource.
    pub const MANAGE_CONTACTS: &'static str = "Manage Contacts";
    /// The default name of the billing role's resource.
    pub const BILLING: &'static str = "Billing & Services";
}

/// The roles' names in data, in the order of [`Positions`].
pub(super) const KEYS: [&str; 3] = ["profile", "manage_contacts", "billing"];

/// Where each role's resource sits in display order: profile, manage contacts, billing.
pub(super) type Positions = [Option<usize>; 3];

/// The roles of a catalog without explicit roles: the resources the default names find.
pub(super) fn defaults(tree: &Tree) -> Positions {
    [Roles::PROFILE, Roles::MANAGE_CONTACTS, Roles::BILLING].map(|name| tree.find(name))
}

/// The roles as a document names them (profile, manage contacts, billing; `None`: no
/// resource).
///
/// # Errors
///
/// [`Error::InvalidCatalog`] when a name finds no resource.
pub(super) fn named(tree: &Tree, names: [Option<&str>; 3]) -> Result<Positions> {
    let mut positions: Positions = [None; 3];
    for ((slot, name), role) in positions.iter_mut().zip(names).zip(KEYS) {
        if let Some(name) = name {
            *slot = Some(tree.find(name).ok_or_else(|| {
                Error::InvalidCatalog(format!(
                    "role `{role}` names unknown resource {}",
                    quoted(name)
                ))
            })?);
        }
    }
    Ok(positions)
}

//! A contact: an authorized user of an account (the portal's "Contacts" list).

use crate::code::hash::CodeHash;
use crate::code::sealed::SealedCode;
use crate::error::{Error, Result};
use crate::permission::{Grid, Settings};

/// A contact's id ("ID" in the portal's contact list, e.g. 3522).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct ContactId(pub u64);

impl ContactId {
    /// The id after this one, for a new contact given none: one more, as long as the stores
    /// can hold it (they keep ids as signed 64-bit integers). [`Account::next_contact_id`] is
    /// the one after an account's highest.
    ///
    /// [`Account::next_contact_id`]: crate::Account::next_contact_id
    pub fn next(self) -> Result<ContactId> {
        self.0
            .checked_add(1)
            .filter(|n| *n <= i64::MAX.unsigned_abs())
            .map(ContactId)
            .ok_or(Error::InvalidInput {
                field: "contact id",
                problem: "no free id after the highest one; give one".into(),
            })
    }
}

impl std::fmt::Display for ContactId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The RWhois roles a contact holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RwhoisRoles {
    /// Point of contact.
    pub poc: bool,
    /// Technical contact.
    pub tech: bool,
    /// Abuse contact.
    pub abuse: bool,
}

/// The editable details of a contact (the "Contact Details" tab).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ContactDetails {
    /// Name (required, 1 to 200 characters).
    pub name: String,
    /// Title, e.g. "Primary Contact".
    pub title: String,
    /// Phone number as given.
    pub phone: String,
    /// Email address.
    pub email: String,
    /// "Audit Account": receives copies of all other contacts' mail.
    pub audit_account: bool,
    /// RWhois roles.
    pub rwhois: RwhoisRoles,
}

impl ContactDetails {
    /// Details with just a name.
    pub fn named(name: impl Into<String>) -> Self {
        ContactDetails {
            name: name.into(),
            ..ContactDetails::default()
        }
    }

    /// Refuse an empty name, over-long fields and control characters.
    pub fn validate(&self) -> Result<()> {
        check_text("contact name", &self.name, 200, true)?;
        check_text("contact title", &self.title, 200, false)?;
        check_text("contact phone", &self.phone, 64, false)?;
        check_text("contact email", &self.email, 254, false)?;
        if !self.email.is_empty() && !self.email.contains('@') {
            return Err(Error::invalid("contact email", "has no `@`"));
        }
        Ok(())
    }
}

pub(crate) fn check_text(
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) -> Result<()> {
    if required && value.trim().is_empty() {
        return Err(Error::invalid(field, "empty"));
    }
    if value.chars().count() > max {
        return Err(Error::InputTooLong {
            field,
            max,
            unit: "characters",
        });
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(())
}

/// An authorized user of an account.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub(crate) id: ContactId,
    pub(crate) details: ContactDetails,
    pub(crate) active: bool,
    pub(crate) code: Option<CodeHash>,
    pub(crate) sealed: Option<SealedCode>,
    /// The portal password's hash (SPEC 10), in its own slot.
    pub(crate) password: Option<CodeHash>,
    pub(crate) settings: Settings,
    /// The settings compiled into effective values (everything allowed for the primary
    /// contact); recompiled whenever the settings change.
    pub(crate) grid: Grid,
    /// Changes whenever a verification made before must stop counting: the contact was
    /// (re)added, deactivated, or its individual code changed (SPEC 7).
    pub(crate) stamp: u64,
}

impl Contact {
    /// The contact's id.
    pub fn id(&self) -> ContactId {
        self.id
    }

    /// Name, title, phone, email, flags.
    pub fn details(&self) -> &ContactDetails {
        &self.details
    }

    /// The contact's name.
    pub fn name(&self) -> &str {
        &self.details.name
    }

    /// Whether the contact is active (not deactivated).
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// Whether the contact has an individual security code.
    pub fn has_code(&self) -> bool {
        self.code.is_some()
    }

    /// Whether the contact has a portal password (SPEC 10).
    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    /// The stored hash of the individual code, if any (never the code).
    pub fn code_hash(&self) -> Option<&CodeHash> {
        self.code.as_ref()
    }

    /// The raw permission settings (Inherit / Allow / Deny per cell).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The effective values of every cell: after this, a check is a lookup by handle.
    pub fn grid(&self) -> &Grid {
        &self.grid
    }
}

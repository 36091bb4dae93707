//! A contact: an authorized user of an account (the portal's "Contacts" list).

use crate::clock::Timestamp;
use crate::code::hash::CodeHash;
use crate::error::{Error, Result};
use crate::permission::Settings;

/// A contact's id ("ID" in the portal's contact list, e.g. 3522).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct ContactId(pub u64);

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

/// Consecutive failed verifications and the lock they led to (SPEC 2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LockState {
    /// Failed verifications since the last success, unlock or lock expiry.
    pub failed_attempts: u32,
    /// Locked until this time, if locked.
    pub locked_until: Option<Timestamp>,
}

impl LockState {
    /// Whether the contact is locked at `now`.
    pub fn is_locked(&self, now: Timestamp) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }
}

/// An authorized user of an account.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub(crate) id: ContactId,
    pub(crate) details: ContactDetails,
    pub(crate) active: bool,
    pub(crate) code: Option<CodeHash>,
    pub(crate) sealed: Option<crate::data::SealedCopy>,
    pub(crate) settings: Settings,
    pub(crate) lock: LockState,
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

    /// The stored hash of the individual code, if any (never the code).
    pub fn code_hash(&self) -> Option<&CodeHash> {
        self.code.as_ref()
    }

    /// The raw permission settings (Inherit / Allow / Deny per cell).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Failed attempts and lock.
    pub fn lock_state(&self) -> LockState {
        self.lock
    }
}

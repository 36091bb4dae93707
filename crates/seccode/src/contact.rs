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

/// A change to some of a contact's details, as the desk's `contact edit --title …`, the API's
/// `PATCH` of a contact and Python's `edit_contact(title=…)` give it: each field given replaces
/// the contact's value, each left `None` keeps it. Made with
/// [`Account::edit_contact_details`](crate::Account::edit_contact_details).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailsChange {
    /// A new name.
    pub name: Option<String>,
    /// A new title.
    pub title: Option<String>,
    /// A new phone number.
    pub phone: Option<String>,
    /// A new email address.
    pub email: Option<String>,
    /// Whether the contact receives copies of all other contacts' mail.
    pub audit_account: Option<bool>,
    /// Whether the contact is the RWhois point of contact.
    pub poc: Option<bool>,
    /// Whether the contact is the RWhois technical contact.
    pub tech: Option<bool>,
    /// Whether the contact is the RWhois abuse contact.
    pub abuse: Option<bool>,
}

impl DetailsChange {
    /// This change with every RWhois role as `roles` has it (for faces that take the roles as
    /// one value).
    pub fn with_rwhois(self, roles: RwhoisRoles) -> DetailsChange {
        DetailsChange {
            poc: Some(roles.poc),
            tech: Some(roles.tech),
            abuse: Some(roles.abuse),
            ..self
        }
    }

    /// `current` with this change made (not yet checked: [`ContactDetails::validate`]).
    pub fn applied_to(&self, current: &ContactDetails) -> ContactDetails {
        fn pick<T: Clone>(new: &Option<T>, old: &T) -> T {
            new.as_ref().unwrap_or(old).clone()
        }
        ContactDetails {
            name: pick(&self.name, &current.name),
            title: pick(&self.title, &current.title),
            phone: pick(&self.phone, &current.phone),
            email: pick(&self.email, &current.email),
            audit_account: pick(&self.audit_account, &current.audit_account),
            rwhois: RwhoisRoles {
                poc: pick(&self.poc, &current.rwhois.poc),
                tech: pick(&self.tech, &current.rwhois.tech),
                abuse: pick(&self.abuse, &current.rwhois.abuse),
            },
        }
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

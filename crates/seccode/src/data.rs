//! Stored data: the versioned JSON format (`"format": 1`) of an account with its contacts,
//! hashes (never codes), permission settings and lockout state.
//!
//! ```json
//! { "format": 1, "id": 1707, "name": "Any Company", "normalization": "spoken",
//!   "security_code": { "phc": "$argon2id$v=19$m=19456,t=2,p=1$…$…",
//!                      "normalization": "spoken", "binding": "scoped" },
//!   "contacts": [
//!     { "id": 3522, "primary": true, "name": "Joe Example", "title": "Primary Contact",
//!       "phone": "000-000-0000", "email": "marketing@viviotech.net" },
//!     { "id": 3523, "name": "Contact Example",
//!       "permissions": { "Profile": { "view": "allow" } },
//!       "lock": { "failed_attempts": 2, "locked_until": null } } ] }
//! ```
//!
//! The old name of codes is accepted on load: `"phone_chat_code"` for `"security_code"`, and a
//! bare PHC string there is read as a legacy hash from another implementation. `"catalog"` is
//! present only for a custom permission catalog. Loading checks everything (format version,
//! hashes, catalog, one active primary contact, unique ids, settings against the catalog) and
//! answers a typed [`Error`]; nothing panics.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::code::hash::{CodeHash, Scope};
use crate::code::normalize::Normalization;
use crate::code::secret::SecurityCode;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::model::account::{Account, AccountId};
use crate::model::contact::{Contact, ContactDetails, ContactId, LockState, RwhoisRoles};
use crate::permission::{Action, Catalog, Setting, Settings};

/// The format version this library writes and reads.
pub const FORMAT: u64 = 1;

/// An account as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountRecord {
    /// Always [`FORMAT`].
    pub format: u64,
    /// "Client ID".
    pub id: AccountId,
    /// Account name.
    pub name: String,
    /// How codes set from now on are normalized.
    #[serde(default)]
    pub normalization: Normalization,
    /// A custom permission catalog; absent for the portal's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<Catalog>,
    /// The account-wide code's hash ("phone_chat_code" accepted on load).
    #[serde(
        default,
        alias = "phone_chat_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub security_code: Option<CodeHash>,
    /// The account-wide code's sealed copy, if the portal keeps them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_code: Option<SealedCopy>,
    /// The contacts, in id order.
    pub contacts: Vec<ContactRecord>,
    /// Failed-attempt counts kept for contact ids that do not exist (so that lockout does not
    /// reveal which ids exist).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_contact_locks: Vec<StrayLock>,
}

/// A contact as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRecord {
    /// Contact id.
    pub id: ContactId,
    /// Whether this is the account's primary contact (exactly one is).
    #[serde(default, skip_serializing_if = "is_false")]
    pub primary: bool,
    /// Name.
    pub name: String,
    /// Title.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Phone.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// Email.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// "Audit Account" flag.
    #[serde(default, skip_serializing_if = "is_false")]
    pub audit_account: bool,
    /// RWhois roles.
    #[serde(default, skip_serializing_if = "is_default_roles")]
    pub rwhois: RwhoisRoles,
    /// Active (default) or deactivated.
    #[serde(default = "yes")]
    pub active: bool,
    /// The individual code's hash ("phone_chat_code" accepted on load).
    #[serde(
        default,
        alias = "phone_chat_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub security_code: Option<CodeHash>,
    /// The individual code's sealed copy, if the portal keeps them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_code: Option<SealedCopy>,
    /// Explicit permission settings by resource name and action (Inherit cells omitted).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub permissions: BTreeMap<String, BTreeMap<Action, Setting>>,
    /// Failed attempts and lock.
    #[serde(default, skip_serializing_if = "is_default_lock")]
    pub lock: LockState,
}

/// Lockout state of a contact id that does not exist in the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrayLock {
    /// The id a caller claimed.
    pub contact: ContactId,
    /// Its failures and lock.
    pub lock: LockState,
}

/// An encrypted copy of a code (feature `sealed`), kept as data by every build so that loading
/// and saving never loses it: key id, nonce and ciphertext, base64.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedCopy {
    /// Which sealing key.
    pub key_id: String,
    /// Nonce, base64.
    pub nonce: String,
    /// Ciphertext with tag, base64.
    pub ciphertext: String,
}

fn yes() -> bool {
    true
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_default_roles(r: &RwhoisRoles) -> bool {
    *r == RwhoisRoles::default()
}

fn is_default_lock(l: &LockState) -> bool {
    *l == LockState::default()
}

fn json_error(e: &serde_json::Error) -> Error {
    Error::MalformedData(crate::error::json_message(e))
}

/// Map an error found while loading into one that says which contact it concerns.
fn in_contact(id: ContactId, e: Error) -> Error {
    match e {
        Error::InvalidInput { .. }
        | Error::InputTooLong { .. }
        | Error::UnknownResource(_)
        | Error::NotApplicable { .. }
        | Error::MalformedHash(_) => Error::InconsistentData(format!("contact `{id}`: {e}")),
        other => other,
    }
}

impl Account {
    /// Load an account from its JSON form.
    pub fn from_json(text: &str) -> Result<Account> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
        let format = value
            .get("format")
            .ok_or_else(|| Error::MalformedData("missing field `format`".into()))?;
        let format = format
            .as_u64()
            .ok_or_else(|| Error::MalformedData("`format` is not a version number".into()))?;
        if format != FORMAT {
            return Err(Error::UnsupportedFormat(format));
        }
        let record: AccountRecord = serde_json::from_value(value).map_err(|e| json_error(&e))?;
        Account::from_record(record)
    }

    /// The account as JSON (pretty-printed), hashes only.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(&self.to_record())
            .map_err(|e| Error::Internal(format!("serializing the account failed: {e}")))
    }

    /// Build an account from its stored record, checking it whole.
    pub fn from_record(record: AccountRecord) -> Result<Account> {
        if record.format != FORMAT {
            return Err(Error::UnsupportedFormat(record.format));
        }
        crate::model::contact::check_text("account name", &record.name, 200, true)
            .map_err(|e| Error::InconsistentData(e.to_string()))?;
        let catalog = Arc::new(record.catalog.unwrap_or_else(Catalog::portal));

        let mut primary: Option<ContactId> = None;
        let mut contacts = Vec::with_capacity(record.contacts.len());
        for c in record.contacts {
            let id = c.id;
            if c.primary {
                if let Some(first) = primary {
                    return Err(Error::InconsistentData(format!(
                        "two primary contacts `{first}` and `{id}`"
                    )));
                }
                if !c.active {
                    return Err(Error::InconsistentData(format!(
                        "primary contact `{id}` is deactivated"
                    )));
                }
                primary = Some(id);
            }
            let details = ContactDetails {
                name: c.name,
                title: c.title,
                phone: c.phone,
                email: c.email,
                audit_account: c.audit_account,
                rwhois: c.rwhois,
            };
            details.validate().map_err(|e| in_contact(id, e))?;
            let settings =
                Settings::from_named(&catalog, &c.permissions).map_err(|e| in_contact(id, e))?;
            contacts.push(Contact {
                id,
                details,
                active: c.active,
                code: c.security_code,
                sealed: c.sealed_code,
                settings,
                lock: c.lock,
            });
        }
        let primary =
            primary.ok_or_else(|| Error::InconsistentData("no primary contact".into()))?;

        let mut account = Account {
            id: record.id,
            name: record.name,
            catalog,
            normalization: record.normalization,
            primary,
            contacts: BTreeMap::new(),
            grids: BTreeMap::new(),
            account_code: record.security_code,
            account_sealed: record.sealed_code,
            stray_locks: BTreeMap::new(),
            audit: Vec::new(),
        };
        for contact in contacts {
            let id = contact.id;
            if account.contacts.contains_key(&id) {
                return Err(Error::InconsistentData(format!(
                    "duplicate contact id `{id}`"
                )));
            }
            account.insert_contact(contact);
        }
        for stray in record.unknown_contact_locks {
            if account.contacts.contains_key(&stray.contact) {
                return Err(Error::InconsistentData(format!(
                    "contact `{}` has lockout state twice",
                    stray.contact
                )));
            }
            account.stray_locks.insert(stray.contact, stray.lock);
        }
        Ok(account)
    }

    /// The account as its stored record.
    pub fn to_record(&self) -> AccountRecord {
        let catalog = if *self.catalog == Catalog::portal() {
            None
        } else {
            Some(Catalog::clone(&self.catalog))
        };
        AccountRecord {
            format: FORMAT,
            id: self.id,
            name: self.name.clone(),
            normalization: self.normalization,
            catalog,
            security_code: self.account_code.clone(),
            sealed_code: self.account_sealed.clone(),
            contacts: self
                .contacts
                .values()
                .map(|c| ContactRecord {
                    id: c.id,
                    primary: c.id == self.primary,
                    name: c.details.name.clone(),
                    title: c.details.title.clone(),
                    phone: c.details.phone.clone(),
                    email: c.details.email.clone(),
                    audit_account: c.details.audit_account,
                    rwhois: c.details.rwhois,
                    active: c.active,
                    security_code: c.code.clone(),
                    sealed_code: c.sealed.clone(),
                    permissions: c.settings.to_named(&self.catalog),
                    lock: c.lock,
                })
                .collect(),
            unknown_contact_locks: self
                .stray_locks
                .iter()
                .map(|(contact, lock)| StrayLock {
                    contact: *contact,
                    lock: *lock,
                })
                .collect(),
        }
    }
}

/// Seal a copy of `code` when the engine has a sealing key (feature `sealed`); otherwise none.
pub(crate) fn seal(
    engine: &Engine,
    code: &SecurityCode,
    scope: &Scope,
) -> Result<Option<SealedCopy>> {
    #[cfg(feature = "sealed")]
    {
        match engine.sealer() {
            Some(sealer) => {
                let sealed = sealer.seal(code, scope)?;
                // Same serde shape on both sides: {key_id, nonce, ciphertext}.
                let value = serde_json::to_value(&sealed)
                    .map_err(|e| Error::Internal(format!("sealing failed: {e}")))?;
                let copy = serde_json::from_value(value)
                    .map_err(|e| Error::Internal(format!("sealing failed: {e}")))?;
                Ok(Some(copy))
            }
            None => Ok(None),
        }
    }
    #[cfg(not(feature = "sealed"))]
    {
        let _ = (engine, code, scope);
        Ok(None)
    }
}

/// Open a sealed copy with the engine's sealing key.
#[cfg(feature = "sealed")]
pub(crate) fn open(engine: &Engine, sealed: &SealedCopy, scope: &Scope) -> Result<SecurityCode> {
    let sealer = engine
        .sealer()
        .ok_or_else(|| Error::Sealed("no sealing key configured".into()))?;
    let value = serde_json::to_value(sealed)
        .map_err(|_| Error::Sealed("the sealed copy is malformed".into()))?;
    let sealed: crate::code::sealed::SealedCode = serde_json::from_value(value)
        .map_err(|_| Error::Sealed("the sealed copy is malformed".into()))?;
    sealer.open(&sealed, scope)
}

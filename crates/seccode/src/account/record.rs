//! An account to and from its stored form ([`AccountRecord`], and its JSON text), checked
//! whole on the way in: nothing that contradicts the model loads, and nothing panics.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::contact::{Contact, ContactDetails, ContactId, check_text};
use crate::error::{Error, Result};
use crate::permission::{Catalog, Grid, Settings};
use crate::record::{AccountRecord, ContactRecord, FORMAT, LockState, StrayLock};

use super::Account;

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
        check_text("account name", &record.name, 200, true)
            .map_err(|e| Error::InconsistentData(e.to_string()))?;
        let catalog = Arc::new(record.catalog.unwrap_or_else(Catalog::portal));

        let mut primary: Option<ContactId> = None;
        let mut contacts = Vec::with_capacity(record.contacts.len());
        let mut locks = Vec::with_capacity(record.contacts.len());
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
            locks.push((id, c.lock));
            contacts.push(Contact {
                id,
                details,
                active: c.active,
                code: c.security_code,
                sealed: c.sealed_code,
                password: c.password,
                settings,
                grid: Grid::default(),
                stamp: c.stamp,
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
            account_code: record.security_code,
            account_sealed: record.sealed_code,
            code_stamp: record.code_stamp,
            attempts: BTreeMap::new(),
            throttled_until: record.throttled_until,
            audit: Vec::new(),
            agent: None,
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
            if stray.lock != LockState::default() {
                account.attempts.insert(stray.contact, stray.lock);
            }
        }
        for (id, lock) in locks {
            if lock != LockState::default() {
                account.attempts.insert(id, lock);
            }
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
                    password: c.password.clone(),
                    permissions: c.settings.to_named(&self.catalog),
                    lock: self.attempts.get(&c.id).copied().unwrap_or_default(),
                    stamp: c.stamp,
                })
                .collect(),
            unknown_contact_locks: self
                .attempts
                .iter()
                .filter(|(contact, _)| !self.contacts.contains_key(contact))
                .map(|(contact, lock)| StrayLock {
                    contact: *contact,
                    lock: *lock,
                })
                .collect(),
            code_stamp: self.code_stamp,
            throttled_until: self.throttled_until,
        }
    }
}

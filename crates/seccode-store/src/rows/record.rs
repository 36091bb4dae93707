//! An account's rows, as every SQL backend reads them, made into its [`AccountRecord`]. A
//! backend reads each table into the row types below (each value of its column's type) and
//! hands them here: how rows make a record, and which rows contradict each other, is decided
//! once. No rule of the core lives here: the record goes to [`seccode::Account::from_record`].

use std::collections::BTreeMap;

use seccode::{
    AccountId, AccountRecord, Action, Binding, CodeHash, ContactId, ContactRecord, FORMAT,
    LockState, Normalization, RwhoisRoles, SealedCode, Setting, StrayLock, Timestamp,
};

use super::{enum_parse, id_from_sql, json_parse, password_from_sql, stamp_from_sql};
use crate::error::{Result, StoreError};

/// The `accounts` row.
pub(crate) struct HeadRow {
    /// Account name.
    pub name: String,
    /// `spoken` or `exact`.
    pub normalization: String,
    /// JSON of a custom permission catalog.
    pub catalog: Option<String>,
    /// JSON of the account-wide code's sealed copy.
    pub sealed: Option<String>,
    /// The account-wide code's stamp.
    pub code_stamp: i64,
    /// Until when the account's verifications are throttled.
    pub throttled_until: Option<i64>,
}

/// A `contacts` row: id, primary, name, title, phone, email, audit account, RWhois point of
/// contact, technical, abuse, active, sealed copy (JSON), stamp, password (PHC).
pub(crate) type ContactRow = (
    i64,
    bool,
    String,
    String,
    String,
    String,
    bool,
    bool,
    bool,
    bool,
    bool,
    Option<String>,
    i64,
    Option<String>,
);

/// A `code_hashes` row: contact (none for the account-wide code), PHC, normalization, binding.
pub(crate) type HashRow = (Option<i64>, String, String, String);

/// A `permission_settings` row: contact, resource, action, setting.
pub(crate) type SettingRow = (i64, String, String, String);

/// A `contact_locks` or `unknown_contact_locks` row: contact, failures, last, locked until.
pub(crate) type LockRow = (i64, i64, Option<i64>, Option<i64>);

/// Every row of one account.
pub(crate) struct AccountRows {
    /// The `accounts` row.
    pub head: HeadRow,
    /// Its `contacts` rows.
    pub contacts: Vec<ContactRow>,
    /// Its `code_hashes` rows.
    pub hashes: Vec<HashRow>,
    /// Its `permission_settings` rows.
    pub settings: Vec<SettingRow>,
    /// Its `contact_locks` rows.
    pub locks: Vec<LockRow>,
    /// Its `unknown_contact_locks` rows.
    pub strays: Vec<LockRow>,
}

impl AccountRows {
    /// The record these rows keep. A row of a contact the account does not have, a name
    /// outside its set or JSON that does not parse is [`StoreError::Inconsistent`].
    pub(crate) fn into_record(self, id: AccountId) -> Result<AccountRecord> {
        let AccountRows {
            head,
            contacts: contact_rows,
            hashes,
            settings,
            locks,
            strays,
        } = self;
        let mut contacts: BTreeMap<u64, ContactRecord> = BTreeMap::new();
        for row in contact_rows {
            let contact = contact_record(row)?;
            contacts.insert(contact.id.0, contact);
        }

        let mut account_code = None;
        for (contact, phc, normalization, binding) in hashes {
            let hash = code_hash(&phc, &normalization, &binding)?;
            match contact {
                None => account_code = Some(hash),
                Some(c) => contact_mut(&mut contacts, c, "code hash")?.security_code = Some(hash),
            }
        }

        for (contact, resource, action, setting) in settings {
            let action: Action = enum_parse("action", &action)?;
            let setting: Setting = enum_parse("setting", &setting)?;
            contact_mut(&mut contacts, contact, "permission setting")?
                .permissions
                .entry(resource)
                .or_default()
                .insert(action, setting);
        }

        for (contact, failed, last, until) in locks {
            contact_mut(&mut contacts, contact, "lockout state")?.lock =
                lock_state(failed, last, until)?;
        }

        let mut unknown_contact_locks = Vec::new();
        for (contact, failed, last, until) in strays {
            unknown_contact_locks.push(StrayLock {
                contact: ContactId(id_from_sql("contact id", contact)?),
                lock: lock_state(failed, last, until)?,
            });
        }

        let HeadRow {
            name,
            normalization,
            catalog,
            sealed,
            code_stamp,
            throttled_until,
        } = head;
        Ok(AccountRecord {
            format: FORMAT,
            id,
            name,
            normalization: enum_parse("normalization", &normalization)?,
            catalog: catalog
                .map(|text| json_parse("permission catalog", &text))
                .transpose()?,
            security_code: account_code,
            sealed_code: sealed_copy(sealed)?,
            contacts: contacts.into_values().collect(),
            unknown_contact_locks,
            code_stamp: stamp_from_sql(code_stamp),
            throttled_until: throttled_until.map(Timestamp),
        })
    }
}

/// A contact from its row, without its hash, settings and lock (their own rows).
fn contact_record(row: ContactRow) -> Result<ContactRecord> {
    let (
        id,
        primary,
        name,
        title,
        phone,
        email,
        audit_account,
        poc,
        tech,
        abuse,
        active,
        sealed,
        stamp,
        password,
    ) = row;
    Ok(ContactRecord {
        id: ContactId(id_from_sql("contact id", id)?),
        primary,
        name,
        title,
        phone,
        email,
        audit_account,
        rwhois: RwhoisRoles { poc, tech, abuse },
        active,
        security_code: None,
        sealed_code: sealed_copy(sealed)?,
        password: password_from_sql(password)?,
        permissions: BTreeMap::new(),
        lock: LockState::default(),
        stamp: stamp_from_sql(stamp),
    })
}

fn sealed_copy(text: Option<String>) -> Result<Option<SealedCode>> {
    text.map(|text| json_parse::<SealedCode>("sealed copy", &text))
        .transpose()
}

fn lock_state(failed: i64, last: Option<i64>, until: Option<i64>) -> Result<LockState> {
    let failed_attempts = u32::try_from(failed)
        .map_err(|_| StoreError::Inconsistent(format!("failed-attempt count `{failed}`")))?;
    Ok(LockState {
        failed_attempts,
        last_failure: last.map(Timestamp),
        locked_until: until.map(Timestamp),
    })
}

fn code_hash(phc: &str, normalization: &str, binding: &str) -> Result<CodeHash> {
    let normalization: Normalization = enum_parse("normalization", normalization)?;
    let binding: Binding = enum_parse("binding", binding)?;
    CodeHash::parse(phc, normalization, binding)
        .map_err(|e| StoreError::Inconsistent(format!("stored hash: {e}")))
}

fn contact_mut<'a>(
    contacts: &'a mut BTreeMap<u64, ContactRecord>,
    id: i64,
    what: &str,
) -> Result<&'a mut ContactRecord> {
    let id = id_from_sql("contact id", id)?;
    contacts
        .get_mut(&id)
        .ok_or_else(|| StoreError::Inconsistent(format!("{what} of missing contact `{id}`")))
}

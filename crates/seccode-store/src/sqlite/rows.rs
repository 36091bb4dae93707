//! Mapping [`AccountRecord`]s to rows and back. No rule lives here: every record read is handed
//! to the core ([`seccode::Account::from_record`]) by the caller.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, Transaction, params};
use seccode::AccountId;
use seccode::Normalization;
use seccode::Timestamp;
use seccode::{AccountRecord, ContactRecord, FORMAT, SealedCode, StrayLock};
use seccode::{Action, Setting};
use seccode::{Binding, CodeHash};
use seccode::{ContactId, LockState, RwhoisRoles};

use crate::error::{Result, StoreError};
pub(crate) use crate::rows::{
    account_key, contact_key, enum_parse, enum_text, id_from_sql, json_parse, optional_json,
    password_from_sql, password_to_sql, stamp_from_sql, stamp_to_sql,
};

fn flag(value: bool) -> i64 {
    i64::from(value)
}

fn lock_row(failed: i64, last: Option<i64>, until: Option<i64>) -> Result<LockState> {
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

/// Read one account, or `None`.
pub(crate) fn read_account(tx: &Transaction<'_>, id: AccountId) -> Result<Option<AccountRecord>> {
    let key = account_key(id)?;
    let head = tx
        .query_row(
            "SELECT name, normalization, catalog, sealed_code, code_stamp, throttled_until
             FROM accounts WHERE id = ?1",
            [key],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, Option<i64>>(5)?,
                ))
            },
        )
        .optional()
        .map_err(sql)?;
    let Some((name, normalization, catalog, sealed, code_stamp, throttled_until)) = head else {
        return Ok(None);
    };

    let mut contacts: BTreeMap<u64, ContactRecord> = BTreeMap::new();
    {
        let mut stmt = tx
            .prepare_cached(
                "SELECT id, is_primary, name, title, phone, email, audit_account, rwhois_poc,
                        rwhois_tech, rwhois_abuse, active, sealed_code, stamp, password
                 FROM contacts WHERE account_id = ?1 ORDER BY id",
            )
            .map_err(sql)?;
        let mut rows = stmt.query([key]).map_err(sql)?;
        while let Some(row) = rows.next().map_err(sql)? {
            let id = id_from_sql("contact id", row.get(0).map_err(sql)?)?;
            let sealed: Option<String> = row.get(11).map_err(sql)?;
            let sealed_code = match sealed {
                Some(text) => Some(json_parse::<SealedCode>("sealed copy", &text)?),
                None => None,
            };
            let record = ContactRecord {
                id: ContactId(id),
                primary: row.get(1).map_err(sql)?,
                name: row.get(2).map_err(sql)?,
                title: row.get(3).map_err(sql)?,
                phone: row.get(4).map_err(sql)?,
                email: row.get(5).map_err(sql)?,
                audit_account: row.get(6).map_err(sql)?,
                rwhois: RwhoisRoles {
                    poc: row.get(7).map_err(sql)?,
                    tech: row.get(8).map_err(sql)?,
                    abuse: row.get(9).map_err(sql)?,
                },
                active: row.get(10).map_err(sql)?,
                security_code: None,
                sealed_code,
                password: password_from_sql(row.get(13).map_err(sql)?)?,
                permissions: BTreeMap::new(),
                lock: LockState::default(),
                stamp: stamp_from_sql(row.get(12).map_err(sql)?),
            };
            contacts.insert(id, record);
        }
    }

    let mut account_code = None;
    {
        let mut stmt = tx
            .prepare_cached(
                "SELECT contact_id, phc, normalization, binding FROM code_hashes
                 WHERE account_id = ?1",
            )
            .map_err(sql)?;
        let mut rows = stmt.query([key]).map_err(sql)?;
        while let Some(row) = rows.next().map_err(sql)? {
            let contact: Option<i64> = row.get(0).map_err(sql)?;
            let phc: String = row.get(1).map_err(sql)?;
            let normalization: String = row.get(2).map_err(sql)?;
            let binding: String = row.get(3).map_err(sql)?;
            let hash = code_hash(&phc, &normalization, &binding)?;
            match contact {
                None => account_code = Some(hash),
                Some(c) => contact_mut(&mut contacts, c, "code hash")?.security_code = Some(hash),
            }
        }
    }

    {
        let mut stmt = tx
            .prepare_cached(
                "SELECT contact_id, resource, action, setting FROM permission_settings
                 WHERE account_id = ?1",
            )
            .map_err(sql)?;
        let mut rows = stmt.query([key]).map_err(sql)?;
        while let Some(row) = rows.next().map_err(sql)? {
            let contact: i64 = row.get(0).map_err(sql)?;
            let resource: String = row.get(1).map_err(sql)?;
            let action: Action = enum_parse("action", &row.get::<_, String>(2).map_err(sql)?)?;
            let setting: Setting = enum_parse("setting", &row.get::<_, String>(3).map_err(sql)?)?;
            contact_mut(&mut contacts, contact, "permission setting")?
                .permissions
                .entry(resource)
                .or_default()
                .insert(action, setting);
        }
    }

    {
        let mut stmt = tx
            .prepare_cached(
                "SELECT contact_id, failed_attempts, last_failure, locked_until FROM contact_locks
                 WHERE account_id = ?1",
            )
            .map_err(sql)?;
        let mut rows = stmt.query([key]).map_err(sql)?;
        while let Some(row) = rows.next().map_err(sql)? {
            let contact: i64 = row.get(0).map_err(sql)?;
            let lock = lock_row(
                row.get(1).map_err(sql)?,
                row.get(2).map_err(sql)?,
                row.get(3).map_err(sql)?,
            )?;
            contact_mut(&mut contacts, contact, "lockout state")?.lock = lock;
        }
    }

    let mut unknown_contact_locks = Vec::new();
    {
        let mut stmt = tx
            .prepare_cached(
                "SELECT contact_id, failed_attempts, last_failure, locked_until
                 FROM unknown_contact_locks
                 WHERE account_id = ?1 ORDER BY contact_id",
            )
            .map_err(sql)?;
        let mut rows = stmt.query([key]).map_err(sql)?;
        while let Some(row) = rows.next().map_err(sql)? {
            let contact = id_from_sql("contact id", row.get(0).map_err(sql)?)?;
            let lock = lock_row(
                row.get(1).map_err(sql)?,
                row.get(2).map_err(sql)?,
                row.get(3).map_err(sql)?,
            )?;
            unknown_contact_locks.push(StrayLock {
                contact: ContactId(contact),
                lock,
            });
        }
    }

    let catalog = match catalog {
        Some(text) => Some(json_parse("permission catalog", &text)?),
        None => None,
    };
    let sealed_code = match sealed {
        Some(text) => Some(json_parse::<SealedCode>("sealed copy", &text)?),
        None => None,
    };
    Ok(Some(AccountRecord {
        format: FORMAT,
        id,
        name,
        normalization: enum_parse("normalization", &normalization)?,
        catalog,
        security_code: account_code,
        sealed_code,
        contacts: contacts.into_values().collect(),
        unknown_contact_locks,
        code_stamp: stamp_from_sql(code_stamp),
        throttled_until: throttled_until.map(Timestamp),
    }))
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

fn sql(e: rusqlite::Error) -> StoreError {
    // Classified with a path by the caller when it matters (open, corrupt pages); here the
    // message is enough.
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase
            ) =>
        {
            StoreError::Corrupt {
                path: String::from("the store"),
                detail: e.to_string(),
            }
        }
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            StoreError::Busy(e.to_string())
        }
        _ => StoreError::Database(e.to_string()),
    }
}

/// Insert the account row of a new account.
pub(crate) fn insert_account_row(
    tx: &Transaction<'_>,
    record: &AccountRecord,
    now: i64,
) -> Result<()> {
    let key = account_key(record.id)?;
    let exists: Option<i64> = tx
        .query_row("SELECT id FROM accounts WHERE id = ?1", [key], |r| r.get(0))
        .optional()
        .map_err(sql)?;
    if exists.is_some() {
        return Err(StoreError::DuplicateAccount(record.id));
    }
    tx.execute(
        "INSERT INTO accounts (id, name, normalization, catalog, sealed_code, revision,
                               created_at, updated_at, code_stamp, throttled_until)
         VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?6, ?7, ?8)",
        params![
            key,
            record.name,
            enum_text(&record.normalization)?,
            optional_json("permission catalog", record.catalog.as_ref())?,
            optional_json("sealed copy", record.sealed_code.as_ref())?,
            now,
            stamp_to_sql(record.code_stamp),
            record.throttled_until.map(|t| t.0)
        ],
    )
    .map_err(sql)?;
    write_account_code(tx, key, record.security_code.as_ref())?;
    for contact in &record.contacts {
        write_contact(tx, key, contact, false)?;
    }
    write_stray_locks(tx, key, &record.unknown_contact_locks)?;
    Ok(())
}

/// Write the changes from `old` (what this transaction loaded) to `new`; with no `old`,
/// rewrite every row of the account.
pub(crate) fn update_account(
    tx: &Transaction<'_>,
    old: Option<&AccountRecord>,
    new: &AccountRecord,
    now: i64,
) -> Result<()> {
    if old == Some(new) {
        return Ok(());
    }
    let key = account_key(new.id)?;
    let changed = tx
        .execute(
            "UPDATE accounts SET name = ?2, normalization = ?3, catalog = ?4, sealed_code = ?5,
                                 revision = revision + 1, updated_at = ?6, code_stamp = ?7,
                                 throttled_until = ?8
             WHERE id = ?1",
            params![
                key,
                new.name,
                enum_text(&new.normalization)?,
                optional_json("permission catalog", new.catalog.as_ref())?,
                optional_json("sealed copy", new.sealed_code.as_ref())?,
                now,
                stamp_to_sql(new.code_stamp),
                new.throttled_until.map(|t| t.0)
            ],
        )
        .map_err(sql)?;
    if changed == 0 {
        return Err(StoreError::UnknownAccount(new.id));
    }

    match old {
        Some(old) => {
            if old.security_code != new.security_code {
                write_account_code(tx, key, new.security_code.as_ref())?;
            }
            let before: BTreeMap<ContactId, &ContactRecord> =
                old.contacts.iter().map(|c| (c.id, c)).collect();
            let after: BTreeMap<ContactId, &ContactRecord> =
                new.contacts.iter().map(|c| (c.id, c)).collect();
            for (id, _) in before.iter().filter(|(id, _)| !after.contains_key(id)) {
                delete_contact(tx, key, *id)?;
            }
            for (id, contact) in &after {
                match before.get(id) {
                    Some(previous) if previous == contact => {}
                    Some(_) => write_contact(tx, key, contact, true)?,
                    None => write_contact(tx, key, contact, false)?,
                }
            }
            if old.unknown_contact_locks != new.unknown_contact_locks {
                write_stray_locks(tx, key, &new.unknown_contact_locks)?;
            }
        }
        None => {
            tx.execute("DELETE FROM contacts WHERE account_id = ?1", [key])
                .map_err(sql)?;
            write_account_code(tx, key, new.security_code.as_ref())?;
            for contact in &new.contacts {
                write_contact(tx, key, contact, false)?;
            }
            write_stray_locks(tx, key, &new.unknown_contact_locks)?;
        }
    }
    Ok(())
}

fn write_account_code(tx: &Transaction<'_>, key: i64, hash: Option<&CodeHash>) -> Result<()> {
    tx.execute(
        "DELETE FROM code_hashes WHERE account_id = ?1 AND contact_id IS NULL",
        [key],
    )
    .map_err(sql)?;
    if let Some(hash) = hash {
        insert_hash(tx, key, None, hash)?;
    }
    Ok(())
}

fn insert_hash(
    tx: &Transaction<'_>,
    key: i64,
    contact: Option<i64>,
    hash: &CodeHash,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO code_hashes (account_id, contact_id, phc, normalization, binding)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            key,
            contact,
            hash.phc(),
            hash.normalization().as_str(),
            hash.binding().as_str()
        ])
    })
    .map_err(sql)?;
    Ok(())
}

fn delete_contact(tx: &Transaction<'_>, key: i64, id: ContactId) -> Result<()> {
    // Hashes, settings and its lock row go with it (ON DELETE CASCADE); the core keeps the
    // id's failed attempts, which the caller writes as an unknown id's.
    tx.execute(
        "DELETE FROM contacts WHERE account_id = ?1 AND id = ?2",
        params![key, contact_key(id)?],
    )
    .map_err(sql)?;
    Ok(())
}

/// Insert (or, with `replace`, update) a contact row and rewrite its hash, settings and lock.
fn write_contact(tx: &Transaction<'_>, key: i64, c: &ContactRecord, replace: bool) -> Result<()> {
    let id = contact_key(c.id)?;
    let sealed = optional_json("sealed copy", c.sealed_code.as_ref())?;
    tx.prepare_cached(
        "INSERT INTO contacts (account_id, id, is_primary, name, title, phone, email,
                               audit_account, rwhois_poc, rwhois_tech, rwhois_abuse, active,
                               sealed_code, stamp, password)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (account_id, id) DO UPDATE SET
             is_primary = excluded.is_primary, name = excluded.name, title = excluded.title,
             phone = excluded.phone, email = excluded.email,
             audit_account = excluded.audit_account, rwhois_poc = excluded.rwhois_poc,
             rwhois_tech = excluded.rwhois_tech, rwhois_abuse = excluded.rwhois_abuse,
             active = excluded.active, sealed_code = excluded.sealed_code,
             stamp = excluded.stamp, password = excluded.password",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            key,
            id,
            flag(c.primary),
            c.name,
            c.title,
            c.phone,
            c.email,
            flag(c.audit_account),
            flag(c.rwhois.poc),
            flag(c.rwhois.tech),
            flag(c.rwhois.abuse),
            flag(c.active),
            sealed,
            stamp_to_sql(c.stamp),
            password_to_sql(c.password.as_ref())
        ])
    })
    .map_err(sql)?;

    if replace {
        for table in ["code_hashes", "permission_settings", "contact_locks"] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE account_id = ?1 AND contact_id = ?2"),
                params![key, id],
            )
            .map_err(sql)?;
        }
    }
    if let Some(hash) = &c.security_code {
        insert_hash(tx, key, Some(id), hash)?;
    }
    for (resource, cells) in &c.permissions {
        for (action, setting) in cells {
            tx.prepare_cached(
                "INSERT INTO permission_settings (account_id, contact_id, resource, action,
                                                  setting)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    key,
                    id,
                    resource,
                    action.as_str(),
                    setting.as_str()
                ])
            })
            .map_err(sql)?;
        }
    }
    if c.lock != LockState::default() {
        tx.prepare_cached(
            "INSERT INTO contact_locks (account_id, contact_id, failed_attempts, last_failure,
                                        locked_until)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                key,
                id,
                i64::from(c.lock.failed_attempts),
                c.lock.last_failure.map(|t| t.0),
                c.lock.locked_until.map(|t| t.0)
            ])
        })
        .map_err(sql)?;
    }
    Ok(())
}

fn write_stray_locks(tx: &Transaction<'_>, key: i64, locks: &[StrayLock]) -> Result<()> {
    tx.execute(
        "DELETE FROM unknown_contact_locks WHERE account_id = ?1",
        [key],
    )
    .map_err(sql)?;
    for stray in locks {
        let contact = contact_key(stray.contact)?;
        tx.prepare_cached(
            "INSERT INTO unknown_contact_locks (account_id, contact_id, failed_attempts,
                                                last_failure, locked_until)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                key,
                contact,
                i64::from(stray.lock.failed_attempts),
                stray.lock.last_failure.map(|t| t.0),
                stray.lock.locked_until.map(|t| t.0)
            ])
        })
        .map_err(sql)?;
    }
    Ok(())
}

//! Mapping [`AccountRecord`]s to SQLite rows and back, as the PostgreSQL store does: the rows
//! are read into the shared row types and made into a record by [`AccountRows::into_record`],
//! and written as [`row_writes`] says. No rule lives here: every record read is handed to the
//! core ([`seccode::Account::from_record`]) by the caller.

use rusqlite::types::FromSql;
use rusqlite::{OptionalExtension, Params, Row, Transaction, params};
use seccode::{AccountId, AccountRecord, CodeHash, ContactId, ContactRecord, LockState, StrayLock};

use crate::error::{Result, StoreError};
use crate::rows::{
    AccountRows, HeadRow, RowWrite, new_account_rows, optional_json, password_to_sql, row_writes,
    stamp_to_sql,
};
pub(crate) use crate::rows::{account_key, contact_key, enum_text, id_from_sql};

fn flag(value: bool) -> i64 {
    i64::from(value)
}

/// Every row a statement answers, each made by `row`.
fn all<T, P: Params>(
    tx: &Transaction<'_>,
    statement: &str,
    params: P,
    row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = tx.prepare_cached(statement).map_err(sql)?;
    let rows = stmt.query_map(params, row).map_err(sql)?;
    rows.collect::<rusqlite::Result<Vec<T>>>().map_err(sql)
}

/// A row of four columns (a hash, setting or lock row), each of its column's type.
fn four<A: FromSql, B: FromSql, C: FromSql, D: FromSql>(
    row: &Row<'_>,
) -> rusqlite::Result<(A, B, C, D)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
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
                Ok(HeadRow {
                    name: row.get(0)?,
                    normalization: row.get(1)?,
                    catalog: row.get(2)?,
                    sealed: row.get(3)?,
                    code_stamp: row.get(4)?,
                    throttled_until: row.get(5)?,
                })
            },
        )
        .optional()
        .map_err(sql)?;
    let Some(head) = head else {
        return Ok(None);
    };
    let rows = AccountRows {
        head,
        contacts: all(
            tx,
            "SELECT id, is_primary, name, title, phone, email, audit_account, rwhois_poc,
                    rwhois_tech, rwhois_abuse, active, sealed_code, stamp, password
             FROM contacts WHERE account_id = ?1 ORDER BY id",
            [key],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                    row.get(7)?,
                    row.get(8)?,
                    row.get(9)?,
                    row.get(10)?,
                    row.get(11)?,
                    row.get(12)?,
                    row.get(13)?,
                ))
            },
        )?,
        hashes: all(
            tx,
            "SELECT contact_id, phc, normalization, binding FROM code_hashes
             WHERE account_id = ?1",
            [key],
            four,
        )?,
        settings: all(
            tx,
            "SELECT contact_id, resource, action, setting FROM permission_settings
             WHERE account_id = ?1",
            [key],
            four,
        )?,
        locks: all(
            tx,
            "SELECT contact_id, failed_attempts, last_failure, locked_until FROM contact_locks
             WHERE account_id = ?1",
            [key],
            four,
        )?,
        strays: all(
            tx,
            "SELECT contact_id, failed_attempts, last_failure, locked_until
             FROM unknown_contact_locks
             WHERE account_id = ?1 ORDER BY contact_id",
            [key],
            four,
        )?,
    };
    rows.into_record(id).map(Some)
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
    write_rows(tx, key, &new_account_rows(record), now)
}

/// Write the changes from `old` (what this transaction loaded) to `new`: the rows
/// [`row_writes`] names.
pub(crate) fn update_account(
    tx: &Transaction<'_>,
    old: Option<&AccountRecord>,
    new: &AccountRecord,
    now: i64,
) -> Result<()> {
    write_rows(tx, account_key(new.id)?, &row_writes(old, new), now)
}

/// Run each write on account `key`'s rows.
fn write_rows(tx: &Transaction<'_>, key: i64, writes: &[RowWrite<'_>], now: i64) -> Result<()> {
    for &write in writes {
        match write {
            RowWrite::Head(new) => {
                let changed = tx
                    .execute(
                        "UPDATE accounts SET name = ?2, normalization = ?3, catalog = ?4,
                                             sealed_code = ?5, revision = revision + 1,
                                             updated_at = ?6, code_stamp = ?7,
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
            }
            RowWrite::AccountCode(hash) => write_account_code(tx, key, hash)?,
            RowWrite::RemoveContacts => {
                tx.execute("DELETE FROM contacts WHERE account_id = ?1", [key])
                    .map_err(sql)?;
            }
            RowWrite::RemoveContact(id) => delete_contact(tx, key, id)?,
            RowWrite::Contact { contact, replace } => write_contact(tx, key, contact, replace)?,
            RowWrite::Lock(contact) => write_lock(tx, key, contact_key(contact.id)?, contact)?,
            RowWrite::StrayLocks(locks) => write_stray_locks(tx, key, locks)?,
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
        write_lock(tx, key, id, c)?;
    }
    Ok(())
}

/// Write a contact's lock row, or remove it when the contact is back to no failures (the
/// state without failures has no row).
fn write_lock(tx: &Transaction<'_>, key: i64, id: i64, c: &ContactRecord) -> Result<()> {
    if c.lock == LockState::default() {
        tx.prepare_cached("DELETE FROM contact_locks WHERE account_id = ?1 AND contact_id = ?2")
            .and_then(|mut stmt| stmt.execute(params![key, id]))
            .map_err(sql)?;
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO contact_locks (account_id, contact_id, failed_attempts, last_failure,
                                    locked_until)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (account_id, contact_id) DO UPDATE SET
             failed_attempts = excluded.failed_attempts,
             last_failure = excluded.last_failure,
             locked_until = excluded.locked_until",
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

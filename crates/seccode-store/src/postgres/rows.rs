//! Mapping [`AccountRecord`]s to PostgreSQL rows and back, as the SQLite store does: the rows
//! are read into the shared row types and made into a record by [`AccountRows::into_record`],
//! and written as [`row_writes`](crate::rows::row_writes) says. No rule lives here: every
//! record read is handed to the core by the caller. Every value is read with `try_get`, so a
//! column of an unexpected type is an error, never a panic.

use postgres::GenericClient;
use seccode::{AccountId, AccountRecord, CodeHash, ContactRecord, LockState, StrayLock};

use super::connection::PgConn;
use super::pg;
use super::typed::{Session, SqlValue};
use crate::error::{Result, StoreError};
use crate::rows::{
    AccountRows, ContactRow, HashRow, HeadRow, LockRow, RowWrite, SettingRow, account_key,
    contact_key, enum_text, json_parse, new_account_rows, optional_json, password_to_sql,
    stamp_to_sql,
};

fn get<'a, T: postgres::types::FromSql<'a>>(row: &'a postgres::Row, i: usize) -> Result<T> {
    row.try_get(i).map_err(pg)
}

/// Lock one account's row until the transaction ends.
const LOCK_ACCOUNT: &str = "SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE";

/// The rows of one account's tables, each as a JSON array of row arrays, so that the account
/// is read in one statement (one round trip, the first step of every verification). Each row
/// array is decoded into a tuple of the column types: a value of another type is an error.
const READ_ACCOUNT: &str = "
SELECT a.name, a.normalization, a.catalog, a.sealed_code, a.code_stamp, a.throttled_until,
  (SELECT coalesce(json_agg(json_build_array(c.id, c.is_primary, c.name, c.title, c.phone,
            c.email, c.audit_account, c.rwhois_poc, c.rwhois_tech, c.rwhois_abuse, c.active,
            c.sealed_code, c.stamp, c.password) ORDER BY c.id), '[]')::text
     FROM contacts c WHERE c.account_id = a.id),
  (SELECT coalesce(json_agg(json_build_array(h.contact_id, h.phc, h.normalization, h.binding)),
            '[]')::text
     FROM code_hashes h WHERE h.account_id = a.id),
  (SELECT coalesce(json_agg(json_build_array(p.contact_id, p.resource, p.action, p.setting)),
            '[]')::text
     FROM permission_settings p WHERE p.account_id = a.id),
  (SELECT coalesce(json_agg(json_build_array(l.contact_id, l.failed_attempts, l.last_failure,
            l.locked_until)), '[]')::text
     FROM contact_locks l WHERE l.account_id = a.id),
  (SELECT coalesce(json_agg(json_build_array(u.contact_id, u.failed_attempts, u.last_failure,
            u.locked_until) ORDER BY u.contact_id), '[]')::text
     FROM unknown_contact_locks u WHERE u.account_id = a.id)
FROM accounts a WHERE a.id = $1";

/// The one row [`READ_ACCOUNT`] answers, read from either protocol.
pub(crate) struct AccountRow {
    head: HeadRow,
    /// The child tables' rows, each a JSON array of row arrays.
    children: [String; 5],
}

impl AccountRow {
    fn from_row(row: &postgres::Row) -> Result<AccountRow> {
        Ok(AccountRow {
            head: HeadRow {
                name: get(row, 0)?,
                normalization: get(row, 1)?,
                catalog: get(row, 2)?,
                sealed: get(row, 3)?,
                code_stamp: get(row, 4)?,
                throttled_until: get(row, 5)?,
            },
            children: [
                get(row, 6)?,
                get(row, 7)?,
                get(row, 8)?,
                get(row, 9)?,
                get(row, 10)?,
            ],
        })
    }

    /// The row as the simple-query protocol sends it: every value as text.
    fn from_text(row: &postgres::SimpleQueryRow) -> Result<AccountRow> {
        let text = |i: usize| -> Result<Option<String>> {
            Ok(row.try_get(i).map_err(pg)?.map(str::to_owned))
        };
        let required = |i: usize| -> Result<String> {
            text(i)?.ok_or_else(|| StoreError::Inconsistent(format!("account column {i} is null")))
        };
        let number = |t: String| -> Result<i64> {
            t.parse()
                .map_err(|_| StoreError::Inconsistent(format!("`{t}` is not a number")))
        };
        Ok(AccountRow {
            head: HeadRow {
                name: required(0)?,
                normalization: required(1)?,
                catalog: text(2)?,
                sealed: text(3)?,
                code_stamp: number(required(4)?)?,
                throttled_until: text(5)?.map(number).transpose()?,
            },
            children: [
                required(6)?,
                required(7)?,
                required(8)?,
                required(9)?,
                required(10)?,
            ],
        })
    }
}

/// Begin a transaction, lock account `key`'s row and read it, in one message to the server
/// (one round trip: the first step of every verification). Each statement of a simple query
/// takes its own snapshot under READ COMMITTED, so the read sees what the transaction it may
/// have waited for committed. The lock and the read are statements prepared on the
/// connection (`PREPARE`, once per connection), so the server plans them once. `None` when
/// there is no such account (the transaction is open all the same). The id is an integer,
/// written into the text as digits.
pub(crate) fn begin_and_lock(conn: &mut PgConn, key: i64) -> Result<Option<AccountRecord>> {
    if !conn.lock_and_read_prepared {
        conn.client
            .batch_execute(&format!(
                "PREPARE seccode_lock_account (bigint) AS {LOCK_ACCOUNT};
                 PREPARE seccode_read_account (bigint) AS {READ_ACCOUNT};
                 PREPARE seccode_write_lock (bigint, bigint, bigint, bigint, bigint) AS {WRITE_LOCK};
                 PREPARE seccode_clear_lock (bigint, bigint) AS {CLEAR_LOCK};
                 PREPARE seccode_append_audit (bigint, bigint, bigint, bigint, text, text, text)
                     AS {APPEND_AUDIT}"
            ))
            .map_err(pg)?;
        conn.lock_and_read_prepared = true;
    }
    let sql = format!(
        "BEGIN ISOLATION LEVEL READ COMMITTED;
         EXECUTE seccode_lock_account ({key});
         EXECUTE seccode_read_account ({key})"
    );
    let messages = conn.client.simple_query(&sql).map_err(pg)?;
    // The read's row is the last one; the lock's, if any, comes before it.
    let row = messages.iter().rev().find_map(|m| match m {
        postgres::SimpleQueryMessage::Row(row) => Some(row),
        _ => None,
    });
    match row {
        Some(row) if row.len() == 11 => {
            let id = AccountId(crate::rows::id_from_sql("account id", key)?);
            Ok(Some(record_from(id, AccountRow::from_text(row)?)?))
        }
        _ => Ok(None),
    }
}

/// Read one account, or `None`; with `for_update`, lock its row until the transaction ends.
pub(crate) fn read_account<C: GenericClient>(
    s: &mut Session<'_, C>,
    id: AccountId,
    for_update: bool,
) -> Result<Option<AccountRecord>> {
    let key = account_key(id)?;
    // The lock first, in a statement of its own: under READ COMMITTED a statement that waited
    // for the lock would still read the other tables as they were when it began, before the
    // transaction it waited for committed. The read that follows sees that transaction's rows.
    if for_update && s.query_opt(LOCK_ACCOUNT, &[&key])?.is_none() {
        return Ok(None);
    }
    let Some(head) = s.query_opt(READ_ACCOUNT, &[&key])? else {
        return Ok(None);
    };
    Ok(Some(record_from(id, AccountRow::from_row(&head)?)?))
}

/// The record from its row: every child row decoded into its column types.
fn record_from(id: AccountId, row: AccountRow) -> Result<AccountRecord> {
    let AccountRow {
        head,
        children: [contacts, hashes, settings, locks, strays],
    } = row;
    let rows = AccountRows {
        head,
        contacts: json_parse::<Vec<ContactRow>>("contact rows", &contacts)?,
        hashes: json_parse::<Vec<HashRow>>("code hash rows", &hashes)?,
        settings: json_parse::<Vec<SettingRow>>("permission setting rows", &settings)?,
        locks: json_parse::<Vec<LockRow>>("lockout rows", &locks)?,
        strays: json_parse::<Vec<LockRow>>("lockout rows", &strays)?,
    };
    rows.into_record(id)
}

/// Store a new account; [`StoreError::DuplicateAccount`] when the id is taken.
pub(crate) fn insert_account<C: GenericClient>(
    s: &mut Session<'_, C>,
    record: &AccountRecord,
    now: i64,
) -> Result<()> {
    let key = account_key(record.id)?;
    let inserted = s.execute(
        "INSERT INTO accounts (id, name, normalization, catalog, sealed_code, code_stamp,
                                   throttled_until, revision, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8)
             ON CONFLICT (id) DO NOTHING",
        &[
            &key,
            &record.name,
            &enum_text(&record.normalization)?,
            &optional_json("permission catalog", record.catalog.as_ref())?,
            &optional_json("sealed copy", record.sealed_code.as_ref())?,
            &stamp_to_sql(record.code_stamp),
            &record.throttled_until.map(|t| t.0),
            &now,
        ],
    )?;
    if inserted == 0 {
        return Err(StoreError::DuplicateAccount(record.id));
    }
    write_rows(s, key, &new_account_rows(record), now)
}

/// Run each write on account `key`'s rows.
pub(crate) fn write_rows<C: GenericClient>(
    s: &mut Session<'_, C>,
    key: i64,
    writes: &[RowWrite<'_>],
    now: i64,
) -> Result<()> {
    for &write in writes {
        match write {
            RowWrite::Head(new) => {
                let changed = s.execute(
                    "UPDATE accounts SET name = $2, normalization = $3, catalog = $4,
                        sealed_code = $5, code_stamp = $6, throttled_until = $7,
                        revision = revision + 1, updated_at = $8
                     WHERE id = $1",
                    &[
                        &key,
                        &new.name,
                        &enum_text(&new.normalization)?,
                        &optional_json("permission catalog", new.catalog.as_ref())?,
                        &optional_json("sealed copy", new.sealed_code.as_ref())?,
                        &stamp_to_sql(new.code_stamp),
                        &new.throttled_until.map(|t| t.0),
                        &now,
                    ],
                )?;
                if changed == 0 {
                    return Err(StoreError::UnknownAccount(new.id));
                }
            }
            RowWrite::AccountCode(hash) => write_account_code(s, key, hash)?,
            RowWrite::RemoveContacts => {
                s.execute("DELETE FROM contacts WHERE account_id = $1", &[&key])?;
            }
            RowWrite::RemoveContact(id) => {
                s.execute(
                    "DELETE FROM contacts WHERE account_id = $1 AND id = $2",
                    &[&key, &contact_key(id)?],
                )?;
            }
            RowWrite::Contact { contact, replace } => write_contact(s, key, contact, replace)?,
            RowWrite::Lock(contact) => write_lock(s, key, contact)?,
            RowWrite::StrayLocks(locks) => write_stray_locks(s, key, locks)?,
        }
    }
    Ok(())
}

/// `writes` as text to send with the `COMMIT` when they only move contacts' lock rows (what a
/// verification writes): `EXECUTE` of the statements [`begin_and_lock`] prepared, every value
/// an integer written as digits. `None` for any other change, which goes through
/// [`write_rows`].
pub(crate) fn lock_writes_as_text(key: i64, writes: &[RowWrite<'_>]) -> Result<Option<String>> {
    let mut sql = String::new();
    for write in writes {
        let RowWrite::Lock(contact) = write else {
            return Ok(None);
        };
        let id = contact_key(contact.id)?;
        let lock = contact.lock;
        if lock == LockState::default() {
            sql.push_str(&format!("EXECUTE seccode_clear_lock ({key}, {id});\n"));
        } else {
            sql.push_str(&format!(
                "EXECUTE seccode_write_lock ({key}, {id}, {}, {}, {});\n",
                lock.failed_attempts,
                sql_integer(lock.last_failure.map(|t| t.0)),
                sql_integer(lock.locked_until.map(|t| t.0)),
            ));
        }
    }
    Ok(Some(sql))
}

/// An optional integer as SQL text: its digits, or `NULL`.
pub(crate) fn sql_integer(value: Option<i64>) -> String {
    value.map_or_else(|| "NULL".to_owned(), |v| v.to_string())
}

/// Text as an SQL string literal, for a statement sent with its values in its text: quotes
/// doubled (the connection runs with `standard_conforming_strings` on, so a backslash is an
/// ordinary character). Text with a NUL, which PostgreSQL's text cannot hold, is refused.
pub(crate) fn sql_text(value: &str) -> Result<String> {
    if value.contains('\0') {
        return Err(StoreError::Database(
            "text with a NUL character cannot be stored".into(),
        ));
    }
    Ok(format!("'{}'", value.replace('\'', "''")))
}

fn write_account_code<C: GenericClient>(
    s: &mut Session<'_, C>,
    key: i64,
    hash: Option<&CodeHash>,
) -> Result<()> {
    s.execute(
        "DELETE FROM code_hashes WHERE account_id = $1 AND contact_id IS NULL",
        &[&key],
    )?;
    if let Some(hash) = hash {
        insert_hash(s, key, None, hash)?;
    }
    Ok(())
}

fn insert_hash<C: GenericClient>(
    s: &mut Session<'_, C>,
    key: i64,
    contact: Option<i64>,
    hash: &CodeHash,
) -> Result<()> {
    s.execute(
        "INSERT INTO code_hashes (account_id, contact_id, phc, normalization, binding)
             VALUES ($1, $2, $3, $4, $5)",
        &[
            &key,
            &contact,
            &hash.phc(),
            &hash.normalization().as_str(),
            &hash.binding().as_str(),
        ],
    )?;
    Ok(())
}

/// A contact's lock row, written: `$1` account, `$2` contact, `$3` failed attempts, `$4` last
/// failure, `$5` locked until.
const WRITE_LOCK: &str = "INSERT INTO contact_locks (account_id, contact_id, failed_attempts,
                                   last_failure, locked_until)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (account_id, contact_id) DO UPDATE SET
            failed_attempts = excluded.failed_attempts,
            last_failure = excluded.last_failure,
            locked_until = excluded.locked_until";

/// A contact's lock row, removed (the state without failures has no row).
const CLEAR_LOCK: &str = "DELETE FROM contact_locks WHERE account_id = $1 AND contact_id = $2";

/// One audit event: `$1` at, `$2` account, `$3` actor, `$4` subject contact, `$5` kind, `$6`
/// the event as JSON, `$7` agent.
pub(crate) const APPEND_AUDIT: &str =
    "INSERT INTO audit_log (at, account_id, actor_id, subject_contact_id, kind, details, agent)
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// The contact's lock row alone: the write a verification makes.
fn write_lock<C: GenericClient>(s: &mut Session<'_, C>, key: i64, c: &ContactRecord) -> Result<()> {
    let id = contact_key(c.id)?;
    if c.lock == LockState::default() {
        s.execute(CLEAR_LOCK, &[&key, &id])?;
        return Ok(());
    }
    s.execute(
        WRITE_LOCK,
        &[
            &key,
            &id,
            &i64::from(c.lock.failed_attempts),
            &c.lock.last_failure.map(|t| t.0),
            &c.lock.locked_until.map(|t| t.0),
        ],
    )?;
    Ok(())
}

/// Insert (or, with `replace`, update) a contact row and rewrite its hash, settings and lock.
fn write_contact<C: GenericClient>(
    s: &mut Session<'_, C>,
    key: i64,
    c: &ContactRecord,
    replace: bool,
) -> Result<()> {
    let id = contact_key(c.id)?;
    let sealed = optional_json("sealed copy", c.sealed_code.as_ref())?;
    let password = password_to_sql(c.password.as_ref());
    let values: [&dyn SqlValue; 15] = [
        &key,
        &id,
        &c.primary,
        &c.name,
        &c.title,
        &c.phone,
        &c.email,
        &c.audit_account,
        &c.rwhois.poc,
        &c.rwhois.tech,
        &c.rwhois.abuse,
        &c.active,
        &sealed,
        &stamp_to_sql(c.stamp),
        &password,
    ];
    s.execute(
        "INSERT INTO contacts (account_id, id, is_primary, name, title, phone, email,
                                   audit_account, rwhois_poc, rwhois_tech, rwhois_abuse, active,
                                   sealed_code, stamp, password)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             ON CONFLICT (account_id, id) DO UPDATE SET
                 is_primary = excluded.is_primary, name = excluded.name,
                 title = excluded.title, phone = excluded.phone, email = excluded.email,
                 audit_account = excluded.audit_account, rwhois_poc = excluded.rwhois_poc,
                 rwhois_tech = excluded.rwhois_tech, rwhois_abuse = excluded.rwhois_abuse,
                 active = excluded.active, sealed_code = excluded.sealed_code,
                 stamp = excluded.stamp, password = excluded.password",
        &values,
    )?;
    if replace {
        for sql in [
            "DELETE FROM code_hashes WHERE account_id = $1 AND contact_id = $2",
            "DELETE FROM permission_settings WHERE account_id = $1 AND contact_id = $2",
            "DELETE FROM contact_locks WHERE account_id = $1 AND contact_id = $2",
        ] {
            s.execute(sql, &[&key, &id])?;
        }
    }
    if let Some(hash) = &c.security_code {
        insert_hash(s, key, Some(id), hash)?;
    }
    for (resource, cells) in &c.permissions {
        for (action, setting) in cells {
            s.execute(
                "INSERT INTO permission_settings (account_id, contact_id, resource, action,
                                                      setting)
                     VALUES ($1, $2, $3, $4, $5)",
                &[&key, &id, resource, &action.as_str(), &setting.as_str()],
            )?;
        }
    }
    if c.lock != LockState::default() {
        write_lock(s, key, c)?;
    }
    Ok(())
}

fn write_stray_locks<C: GenericClient>(
    s: &mut Session<'_, C>,
    key: i64,
    locks: &[StrayLock],
) -> Result<()> {
    s.execute(
        "DELETE FROM unknown_contact_locks WHERE account_id = $1",
        &[&key],
    )?;
    for stray in locks {
        s.execute(
            "INSERT INTO unknown_contact_locks (account_id, contact_id, failed_attempts,
                                                    last_failure, locked_until)
                 VALUES ($1, $2, $3, $4, $5)",
            &[
                &key,
                &contact_key(stray.contact)?,
                &i64::from(stray.lock.failed_attempts),
                &stray.lock.last_failure.map(|t| t.0),
                &stray.lock.locked_until.map(|t| t.0),
            ],
        )?;
    }
    Ok(())
}

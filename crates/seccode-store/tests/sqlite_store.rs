//! The SQLite store: round trips, transactions, concurrency, and files it must refuse.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod fixtures;

use std::path::PathBuf;

use fixtures::*;

use seccode::AgentName;
use seccode::{Account, AccountId};
use seccode::{ContactDetails, ContactId};
use seccode_store::{
    APPLICATION_ID, AuditFilter, SCHEMA_VERSION, SqliteStore, Store, StoreError, insert_account,
    update_account_as,
};

fn db(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("seccode.db")
}

#[test]
fn a_foreign_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert!(err.to_string().contains("not a seccode store"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // Another application's id, even with no tables, is refused too.
    {
        let conn = rusqlite::Connection::open(dir.path().join("other.db")).unwrap();
        conn.execute_batch("PRAGMA application_id = 1234;").unwrap();
    }
    let err = SqliteStore::open(&dir.path().join("other.db")).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    std::fs::write(
        &path,
        b"account,contact,code\n1707,3522,hunter2hunter2\n".repeat(100),
    )
    .unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_truncated_store_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(5);
    let mut store = seed(&db(&dir).display().to_string(), &engine);
    // Grow the file well beyond one page so that truncation cuts real data.
    for i in 0..40u64 {
        let mut a = Account::new(
            AccountId(10_000 + i),
            format!("Company {i}"),
            ContactId(1),
            ContactDetails::named("Owner With A Reasonably Long Name"),
        )
        .unwrap();
        insert_account(&mut store, &mut a).unwrap();
    }
    drop(store);
    let path = db(&dir);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8192);
    for keep in [bytes.len() / 2, 4096 + 100, 100, 10] {
        std::fs::write(&path, &bytes[..keep]).unwrap();
        let outcome = SqliteStore::open(&path).and_then(|s| {
            let report = s.check(&engine)?;
            if report.problems.is_empty() {
                // Every account still there would mean nothing was cut; not acceptable.
                Ok(report.accounts)
            } else {
                Err(StoreError::Corrupt {
                    path: String::new(),
                    detail: report.problems.join("; "),
                })
            }
        });
        match outcome {
            Err(StoreError::Corrupt { .. }) => {}
            other => panic!("keeping {keep} bytes: {other:?}"),
        }
    }
}

/// A store written by the previous version (schema 2, no passwords) is migrated on open and
/// keeps everything it held.
#[test]
fn a_version_2_store_is_migrated_and_keeps_its_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let engine = engine(5);
    let before = {
        let store = seed(&path.display().to_string(), &engine);
        store.account(ACCOUNT).unwrap().unwrap()
    };
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "{TO_VERSION_3} ALTER TABLE contacts DROP COLUMN password; PRAGMA user_version = 2;"
        ))
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.account(ACCOUNT).unwrap().unwrap(), before);
}

/// What schema 4 added (the audit log's agent), taken away again.
const TO_VERSION_3: &str = "DROP INDEX audit_log_agent; ALTER TABLE audit_log DROP COLUMN agent;";

/// A store written by the previous version (schema 3, no agents in the audit log) is migrated
/// on open: its events load with no agent, and new ones record theirs.
#[test]
fn a_version_3_store_is_migrated_and_its_events_have_no_agent() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let engine = engine(5);
    let (before, events) = {
        let store = seed(&path.display().to_string(), &engine);
        let events = store.audit(&AuditFilter::default()).unwrap();
        (store.account(ACCOUNT).unwrap().unwrap(), events)
    };
    assert!(!events.is_empty());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!("{TO_VERSION_3} PRAGMA user_version = 3;"))
            .unwrap();
        // Events as schema 3 wrote them: no `agent` key in their JSON either.
        let details: String = conn
            .query_row("SELECT details FROM audit_log LIMIT 1", [], |r| r.get(0))
            .unwrap();
        assert!(!details.contains("agent"), "{details}");
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 4);
    assert_eq!(store.account(ACCOUNT).unwrap().unwrap(), before);
    let migrated = store.audit(&AuditFilter::default()).unwrap();
    assert_eq!(migrated, events);
    assert!(migrated.iter().all(|e| e.event.agent.is_none()));

    let alice = AgentName::new("alice").unwrap();
    update_account_as(&mut store, ACCOUNT, Some(&alice), |a| {
        a.unlock(&engine, JOE, CONTACT)
    })
    .unwrap();
    let by_alice = store
        .audit(&AuditFilter {
            agent: Some(alice.clone()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(by_alice.len(), 1);
    assert_eq!(by_alice[0].event.agent, Some(alice));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (nulls, named): (i64, i64) = conn
        .query_row(
            "SELECT count(*) FILTER (WHERE agent IS NULL), count(agent) FROM audit_log",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((nulls, named), (i64::try_from(events.len()).unwrap(), 1));
}

#[test]
fn a_store_from_a_newer_seccode_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    drop(SqliteStore::open(&path).unwrap());
    // user_version lives at offset 60 of the header.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(&path, bytes).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
}

#[test]
fn the_header_marks_the_file_as_a_seccode_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    drop(SqliteStore::open(&path).unwrap());
    let bytes = std::fs::read(&path).unwrap();
    let app = u32::from_be_bytes(bytes[68..72].try_into().unwrap());
    assert_eq!(i64::from(app), APPLICATION_ID);
    assert_eq!(&bytes[..16], b"SQLite format 3\0");
}

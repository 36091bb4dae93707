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

use seccode::{Account, AccountId};
use seccode::{ContactDetails, ContactId};
use seccode_store::{APPLICATION_ID, SqliteStore, Store, StoreError, insert_account};

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
        conn.execute_batch("ALTER TABLE contacts DROP COLUMN password; PRAGMA user_version = 2;")
            .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 3);
    assert_eq!(store.account(ACCOUNT).unwrap().unwrap(), before);
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

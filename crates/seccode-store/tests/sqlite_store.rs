//! The SQLite store: round trips, transactions, concurrency, and files it must refuse.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use seccode::HashParams;
use seccode::SecurityCode;
use seccode::{Account, AccountId};
use seccode::{Action, Setting};
use seccode::{ContactDetails, ContactId};
use seccode::{Engine, EngineConfig, Lockout};
use seccode_store::{APPLICATION_ID, SqliteStore, StoreError, insert_account};

const ACCOUNT: AccountId = AccountId(1707);
const JOE: ContactId = ContactId(3522);
const CONTACT: ContactId = ContactId(3523);
const CONTACT2: ContactId = ContactId(3526);

fn engine(max_failures: u32) -> Engine {
    let mut config = EngineConfig::default();
    config.verifier.params = HashParams {
        m_kib: 64,
        t: 1,
        p: 1,
    };
    config.lockout = Lockout {
        max_failures,
        duration_secs: 1800,
    };
    Engine::new(config).unwrap()
}

fn code(text: &str) -> SecurityCode {
    SecurityCode::try_from(text).unwrap()
}

fn db(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("seccode.db")
}

/// The seed's account: Joe (primary), Contact Example, Contact Example 2, with an account-wide
/// code, an individual code and the seed's permission changes.
fn seed(path: &Path, engine: &Engine) -> SqliteStore {
    let mut store = SqliteStore::open(path).unwrap();
    let mut details = ContactDetails::named("Joe Example");
    details.title = "Primary Contact".into();
    details.phone = "000-000-0000".into();
    details.email = "marketing@viviotech.net".into();
    let mut account = Account::new(ACCOUNT, "Any Company", JOE, details).unwrap();
    account
        .add_contact(
            engine,
            JOE,
            CONTACT,
            ContactDetails::named("Contact Example"),
        )
        .unwrap();
    account
        .add_contact(
            engine,
            JOE,
            CONTACT2,
            ContactDetails::named("Contact Example 2"),
        )
        .unwrap();
    account
        .set_account_code(engine, JOE, &code("velvet tractor orbits quietly"))
        .unwrap();
    let profile = account.catalog().require("Profile").unwrap();
    let manage = account.catalog().require("Manage Contacts").unwrap();
    account
        .set_permission(engine, JOE, CONTACT, profile, Action::View, Setting::Allow)
        .unwrap();
    account
        .set_permission(engine, JOE, CONTACT2, manage, Action::View, Setting::Allow)
        .unwrap();
    account
        .set_permission(
            engine,
            JOE,
            CONTACT2,
            manage,
            Action::Update,
            Setting::Allow,
        )
        .unwrap();
    account
        .set_contact_code(engine, JOE, CONTACT2, &code("lanterns drift over basalt"))
        .unwrap();
    insert_account(&mut store, &mut account).unwrap();
    store
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
    let mut store = seed(&db(&dir), &engine);
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

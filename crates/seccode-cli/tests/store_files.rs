//! Files the desk must refuse with a clear error (exit 4), never a panic or a silent reset.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use predicates::prelude::*;
use predicates::str::contains;

/// Many accounts, so that the file spans many pages.
fn big_desk() -> Desk {
    let desk = Desk::new();
    desk.seed();
    for i in 0..30u32 {
        let id = (2000 + i).to_string();
        let name = format!("Company Number {i} With A Long Enough Name");
        desk.run(&[
            "account",
            "create",
            &id,
            "--name",
            &name,
            "--contact-id",
            "1",
            "--contact-name",
            "Owner With A Long Enough Name",
        ])
        .success();
    }
    desk
}

fn no_panic() -> impl Predicate<str> {
    contains("panicked")
        .not()
        .and(contains("RUST_BACKTRACE").not())
}

#[test]
fn a_truncated_store_is_a_clear_error() {
    if sqlite_only("a truncated store is a clear error") {
        return;
    }
    let desk = big_desk();
    let bytes = std::fs::read(&desk.db).unwrap();
    assert!(bytes.len() > 16 * 1024, "{}", bytes.len());
    for keep in [bytes.len() / 2, bytes.len() / 4, 5000, 1000, 50] {
        std::fs::write(&desk.db, &bytes[..keep]).unwrap();
        let _ = std::fs::remove_file(desk.db.with_extension("db-wal"));
        let _ = std::fs::remove_file(desk.db.with_extension("db-shm"));
        // Whatever the command, a clear error: the open itself reads the main table.
        for args in [
            vec!["check"],
            vec!["--account", "1707", "contact", "list"],
            vec!["account", "list"],
            vec!["audit"],
            vec!["init"],
        ] {
            desk.run(&args)
                .code(4)
                .stderr(contains("is damaged or not a database"))
                .stderr(no_panic());
        }
        let json = desk.json(&["account", "list"]);
        assert_eq!(json["error"]["kind"], "store_corrupt", "{json}");
        // Never silently reset: the file is still the cut one.
        assert!(std::fs::metadata(&desk.db).unwrap().len() <= bytes.len() as u64);
    }
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    if sqlite_only("a file that is not a database is refused untouched") {
        return;
    }
    let desk = Desk::empty();
    let junk = "account,contact,code\n".repeat(400);
    std::fs::write(&desk.db, &junk).unwrap();
    desk.run(&["account", "list"])
        .code(4)
        .stderr(contains("is damaged or not a database"))
        .stderr(no_panic());
    let json = desk.json(&["account", "list"]);
    assert_eq!(json["error"]["kind"], "store_corrupt");
    assert_eq!(std::fs::read_to_string(&desk.db).unwrap(), junk);
}

#[test]
fn a_foreign_sqlite_file_is_refused_untouched() {
    if sqlite_only("a foreign sqlite file is refused untouched") {
        return;
    }
    let desk = Desk::empty();
    {
        let conn = rusqlite::Connection::open(&desk.db).unwrap();
        conn.execute_batch(
            "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);
             INSERT INTO invoices VALUES (1, 9.99);",
        )
        .unwrap();
    }
    let before = std::fs::read(&desk.db).unwrap();
    desk.run(&["init"])
        .code(4)
        .stderr(contains("is not a seccode store"))
        .stderr(contains("application id 0x0"))
        .stderr(no_panic());
    desk.run(&[
        "account",
        "create",
        "1",
        "--name",
        "X",
        "--contact-id",
        "1",
        "--contact-name",
        "Y",
    ])
    .code(4);
    assert_eq!(std::fs::read(&desk.db).unwrap(), before);
}

#[test]
fn a_store_from_a_newer_seccode_is_refused() {
    if sqlite_only("a store from a newer seccode is refused") {
        return;
    }
    let desk = Desk::new();
    let mut bytes = std::fs::read(&desk.db).unwrap();
    bytes[60..64].copy_from_slice(&7u32.to_be_bytes());
    std::fs::write(&desk.db, bytes).unwrap();
    desk.run(&["account", "list"])
        .code(4)
        .stderr(contains("schema version 7"))
        .stderr(contains("upgrade seccode"));
}

#[test]
fn a_directory_or_unwritable_place_is_a_clear_error() {
    if sqlite_only("a directory or unwritable place is a clear error") {
        return;
    }
    let desk = Desk::empty();
    std::fs::create_dir(&desk.db).unwrap();
    desk.run(&["account", "list"])
        .code(4)
        .stderr(contains("is a directory"));
}

//! `seccode serve` (the library's [`seccode_server::run`]) ends cleanly on SIGTERM, on SQLite
//! and on PostgreSQL (whose synchronous client must be dropped outside the runtime; it once
//! aborted the process at shutdown). The service runs in a child process: this test binary
//! re-executed with `SECCODE_SHUTDOWN_TEST_RUN` set.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{CHEAP, postgres_database};
use seccode_server::{KeyRing, ServiceOptions};
use seccode_store::{AnyStore, Store, StoreConfig};

const CHILD: &str = "SECCODE_SHUTDOWN_TEST_RUN";

/// Not a check on its own: `run` until SIGTERM when re-executed with
/// `SECCODE_SHUTDOWN_TEST_RUN=<store>\n<key file>`; fails if `run` does.
#[test]
fn child_runs_until_sigterm() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let (db, keys) = spec.split_once('\n').unwrap();
    seccode_server::run(
        ServiceOptions::new(db, keys),
        "127.0.0.1:0".parse().unwrap(),
    )
    .unwrap();
}

fn runs_and_stops_on_sigterm(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = AnyStore::open(db).unwrap();
        store
            .set_config(&StoreConfig {
                params: CHEAP,
                ..StoreConfig::default()
            })
            .unwrap();
    }
    let keys = KeyRing::new(dir.path().join("keys.json"));
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_runs_until_sigterm",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, format!("{db}\n{}", keys.path().display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let Some(line) = lines.next() else {
            let status = child.wait().unwrap();
            panic!("the service ended before it listened: {status}");
        };
        if let Some((_, addr)) = line.unwrap().split_once("listening on ") {
            break addr.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let ready = common::send(&base, "GET", "/readyz", None, &serde_json::Value::Null);
    assert_eq!(ready.status, 200, "{}", ready.text);
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "the service did not end cleanly: {status}"
    );
}

#[test]
fn sigterm_ends_the_service_cleanly_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    runs_and_stops_on_sigterm(&dir.path().join("s.db").display().to_string());
}

#[test]
fn sigterm_ends_the_service_cleanly_on_postgres() {
    let Some((url, _database)) = postgres_database() else {
        return;
    };
    runs_and_stops_on_sigterm(&url);
}

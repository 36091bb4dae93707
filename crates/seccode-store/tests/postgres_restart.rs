//! A PostgreSQL server restarted in the middle of a run loses nothing committed and leaves
//! nothing half-written. In a test binary of its own: the restart would disturb other tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod place;

use std::process::Command;

use place::Place;
use seccode::{Account, AccountId, ContactDetails, ContactId, Engine, EngineConfig, HashParams};
use seccode_store::{
    AnyStore, AuditFilter, Store, StoreError, insert_account, load_account, update_account,
};

const ACCOUNT: AccountId = AccountId(1707);
const JOE: ContactId = ContactId(3522);

fn engine() -> Engine {
    let mut config = EngineConfig::default();
    config.verifier.params = HashParams {
        m_kib: 64,
        t: 1,
        p: 1,
    };
    Engine::new(config).unwrap()
}

fn seed(place: &str) {
    let mut store = AnyStore::open(place).unwrap();
    let mut account = Account::new(
        ACCOUNT,
        "Any Company",
        JOE,
        ContactDetails::named("Joe Example"),
    )
    .unwrap();
    insert_account(&mut store, &mut account).unwrap();
}

fn pg_ctl(args: &[&str]) {
    let bin = std::env::var("SECCODE_TEST_POSTGRES_BIN").unwrap();
    let data = std::env::var("SECCODE_TEST_POSTGRES_DATA").unwrap();
    let owner = std::env::var("SECCODE_TEST_POSTGRES_OWNER").unwrap();
    let pg_ctl = format!("{bin}/pg_ctl");
    let mut command = if nix_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", &owner, "--", &pg_ctl]);
        c
    } else {
        Command::new(&pg_ctl)
    };
    let status = command
        .args(["-D", &data, "-w", "-t", "60"])
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "pg_ctl {args:?}");
}

fn nix_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[test]
fn a_server_restart_loses_nothing_committed() {
    let Some(place) = Place::postgres() else {
        return;
    };
    if std::env::var_os("SECCODE_TEST_POSTGRES_DATA").is_none() {
        place::no_server();
        return;
    }
    let engine = engine();
    seed(&place.spec());
    let mut store = AnyStore::open(&place.spec()).unwrap();
    let mut committed = Vec::new();
    let mut refused = 0;
    for i in 0..40u64 {
        if i == 15 {
            pg_ctl(&["restart", "-m", "fast"]);
        }
        let id = ContactId(5000 + i);
        let result = update_account(&mut store, ACCOUNT, |a| {
            a.add_contact(
                &engine,
                JOE,
                id,
                ContactDetails::named(format!("Contact {i}")),
            )
        });
        match result {
            Ok(()) => committed.push(id),
            Err(StoreError::Unavailable(_)) => refused += 1,
            Err(other) => panic!("{other}"),
        }
    }
    assert!(
        committed.len() >= 30,
        "the store reconnects after a restart ({refused} refused)"
    );
    let account = load_account(&store, ACCOUNT).unwrap();
    for id in &committed {
        assert!(
            account.contact(*id).is_ok(),
            "contact {id} was committed and must be there"
        );
    }
    // Nothing half-written: every contact has its audit event, and the store checks clean.
    let added = store
        .audit(&AuditFilter {
            kind: Some("contact_added".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(added.len(), committed.len());
    let AnyStore::Postgres(pg) = &store else {
        panic!("not postgres")
    };
    assert!(pg.check(&engine).unwrap().problems.is_empty());
}

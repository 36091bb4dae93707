//! What only a shared server shows: databases the store must refuse, several processes at once
//! on one contact, and a server restart in the middle of a run. Needs the test server (`bash
//! .ci/with-postgres cargo test`); under CI its absence is a failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod place;

use std::process::Command;

use place::Place;
use seccode::{
    Account, AccountId, AgentName, ContactDetails, ContactId, Engine, EngineConfig, HashParams,
    Lockout, SecurityCode, VerifyReason,
};
use seccode_store::{
    AnyStore, AuditFilter, PG_SCHEMA_VERSION, PgStore, Store, StoreError, insert_account,
    load_account, update_account_as,
};

const ACCOUNT: AccountId = AccountId(1707);
const JOE: ContactId = ContactId(3522);
const CONTACT: ContactId = ContactId(3523);

fn engine() -> Engine {
    let mut config = EngineConfig::default();
    config.verifier.params = HashParams {
        m_kib: 64,
        t: 1,
        p: 1,
    };
    config.lockout = Lockout {
        max_failures: 5,
        duration_secs: 1800,
    };
    Engine::new(config).unwrap()
}

fn code(text: &str) -> SecurityCode {
    SecurityCode::try_from(text).unwrap()
}

fn seed(place: &str, engine: &Engine) {
    let mut store = AnyStore::open(place).unwrap();
    let mut account = Account::new(
        ACCOUNT,
        "Any Company",
        JOE,
        ContactDetails::named("Joe Example"),
    )
    .unwrap();
    account
        .add_contact(
            engine,
            JOE,
            CONTACT,
            ContactDetails::named("Contact Example"),
        )
        .unwrap();
    account
        .set_contact_code(engine, JOE, CONTACT, &code("quiet harbor zebra violin"))
        .unwrap();
    insert_account(&mut store, &mut account).unwrap();
}

fn admin(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

#[test]
fn a_foreign_or_newer_database_is_refused_untouched() {
    let Some(place) = Place::postgres() else {
        return;
    };
    let url = place.spec();
    admin(&url)
        .batch_execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY)")
        .unwrap();
    let err = PgStore::open(&url).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    let tables: i64 = admin(&url)
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 1, "nothing was created in a foreign database");

    let Some(place) = Place::postgres() else {
        return;
    };
    let url = place.spec();
    drop(PgStore::open(&url).unwrap());
    admin(&url)
        .batch_execute("UPDATE seccode_meta SET value = '999' WHERE key = 'schema_version'")
        .unwrap();
    let err = PgStore::open(&url).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found: 999, .. }),
        "{err}"
    );
}

/// Rows changed behind the store's back (a hash that is no PHC string, a sealed copy that is
/// no JSON, a catalog cut short) are a typed error on every read and every verification, and the
/// rows stay as they were for an operator to see.
#[test]
fn damaged_rows_are_a_typed_error_and_change_nothing() {
    let Some(place) = Place::postgres() else {
        return;
    };
    let url = place.spec();
    let engine = engine();
    let snapshot = || -> String {
        admin(&url)
            .query_one(
                "SELECT concat_ws(' | ',
                    (SELECT string_agg(phc, ',' ORDER BY contact_id) FROM code_hashes),
                    (SELECT string_agg(coalesce(sealed_code, '-'), ',' ORDER BY id) FROM contacts),
                    (SELECT string_agg(failed_attempts::text, ',') FROM contact_locks),
                    (SELECT count(*)::text FROM audit_log))",
                &[],
            )
            .unwrap()
            .get(0)
    };
    let damages = [
        "UPDATE code_hashes SET phc = 'not-a-phc-string' WHERE contact_id = 3523",
        "UPDATE contacts SET sealed_code = '{not json' WHERE id = 3523",
        "UPDATE accounts SET catalog = '[1, 2' WHERE id = 1707",
    ];
    drop(PgStore::open(&url).unwrap());
    for damage in damages {
        admin(&url)
            .batch_execute("DELETE FROM accounts; DELETE FROM audit_log")
            .unwrap();
        seed(&url, &engine);
        admin(&url).batch_execute(damage).unwrap();
        let before = snapshot();

        let mut store = PgStore::open(&url).unwrap();
        let read = store.account(ACCOUNT);
        let verify = seccode_store::verify(
            &mut store,
            &engine,
            ACCOUNT,
            CONTACT,
            &code("quiet harbor zebra violin"),
        );
        assert!(
            matches!(read, Err(StoreError::Inconsistent(_))),
            "{damage}: {read:?}"
        );
        assert!(
            matches!(verify, Err(StoreError::Inconsistent(_))),
            "{damage}: {verify:?}"
        );
        assert_eq!(before, snapshot(), "{damage}: nothing was written");
    }
}

/// A database written by the previous version (schema 1, no passwords) is migrated on open
/// and keeps everything it held.
#[test]
fn a_version_1_database_is_migrated_and_keeps_its_accounts() {
    let Some(place) = Place::postgres() else {
        return;
    };
    let url = place.spec();
    let engine = engine();
    seed(&url, &engine);
    let before = PgStore::open(&url)
        .unwrap()
        .account(ACCOUNT)
        .unwrap()
        .unwrap();
    admin(&url)
        .batch_execute(&format!(
            "{TO_VERSION_2} ALTER TABLE contacts DROP COLUMN password;
             UPDATE seccode_meta SET value = '1' WHERE key = 'schema_version'"
        ))
        .unwrap();
    let store = PgStore::open(&url).unwrap();
    assert_eq!(store.schema_version().unwrap(), PG_SCHEMA_VERSION);
    assert_eq!(store.account(ACCOUNT).unwrap().unwrap(), before);
}

/// What schema 3 added (the audit log's agent), taken away again.
const TO_VERSION_2: &str = "DROP INDEX audit_log_agent; ALTER TABLE audit_log DROP COLUMN agent;";

/// A database written by the previous version (schema 2, no agents in the audit log) is
/// migrated on open: its events load with no agent, and new ones record theirs.
#[test]
fn a_version_2_database_is_migrated_and_its_events_have_no_agent() {
    let Some(place) = Place::postgres() else {
        return;
    };
    let url = place.spec();
    let engine = engine();
    seed(&url, &engine);
    let (before, events) = {
        let store = PgStore::open(&url).unwrap();
        let events = store.audit(&AuditFilter::default()).unwrap();
        (store.account(ACCOUNT).unwrap().unwrap(), events)
    };
    assert!(!events.is_empty());
    admin(&url)
        .batch_execute(&format!(
            "{TO_VERSION_2} UPDATE seccode_meta SET value = '2' WHERE key = 'schema_version'"
        ))
        .unwrap();
    let mut store = PgStore::open(&url).unwrap();
    assert_eq!(store.schema_version().unwrap(), 3);
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
    let row = admin(&url)
        .query_one(
            "SELECT count(*) FILTER (WHERE agent IS NULL), count(agent) FROM audit_log",
            &[],
        )
        .unwrap();
    let (nulls, named): (i64, i64) = (row.get(0), row.get(1));
    assert_eq!((nulls, named), (i64::try_from(events.len()).unwrap(), 1));
}

#[test]
fn the_password_is_never_shown() {
    let Some(place) = Place::postgres() else {
        return;
    };
    let url = place
        .spec()
        .replacen("://seccode@", "://seccode:hunter2secret@", 1);
    let store = PgStore::open(&url).unwrap();
    assert!(!store.location().contains("hunter2secret"));
    assert!(!format!("{store:?}").contains("hunter2secret"));
    let wrong = url.replace("127.0.0.1:", "127.0.0.1:1");
    if let Err(e) = PgStore::open(&wrong) {
        assert!(!e.to_string().contains("hunter2secret"), "{e}");
    }
}

/// The child half of `processes_guessing_at_once_check_at_most_max_failures_codes`.
fn guess_child() {
    let Some(place) = std::env::var_os("SECCODE_GUESS_CHILD") else {
        return;
    };
    let engine = engine();
    let mut store = AnyStore::open(&place.to_string_lossy()).unwrap();
    for _ in 0..50 {
        if let Err(e) = seccode_store::verify(
            &mut store,
            &engine,
            ACCOUNT,
            CONTACT,
            &code("wrong guess here"),
        ) {
            eprintln!("guess failed: {e}");
            std::process::exit(3);
        }
    }
    std::process::exit(0);
}

#[test]
fn processes_guessing_at_once_check_at_most_max_failures_codes() {
    guess_child();
    let Some(place) = Place::postgres() else {
        return;
    };
    let engine = engine();
    seed(&place.spec(), &engine);
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "processes_guessing_at_once_check_at_most_max_failures_codes",
                    "--test-threads=1",
                ])
                .env("SECCODE_GUESS_CHILD", place.spec())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let store = AnyStore::open(&place.spec()).unwrap();
    let account = load_account(&store, ACCOUNT).unwrap();
    let lock = account.lock_status(&engine, CONTACT).unwrap();
    assert!(lock.is_locked());
    assert_eq!(lock.failed_attempts(), 5);
    // The store's own record of what was checked: exactly five wrong codes, the rest locked.
    let failed = store
        .audit(&AuditFilter {
            kind: Some("verification_failed".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(failed.len(), 200);
    let checked = failed
        .iter()
        .filter(|e| {
            e.event.kind
                == seccode::AuditKind::VerificationFailed {
                    reason: VerifyReason::WrongCode,
                }
        })
        .count();
    assert_eq!(checked, 5);
}

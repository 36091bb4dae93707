//! One conformance suite for every store: each test here runs against the embedded SQLite
//! store and against a real PostgreSQL server (`bash .ci/with-postgres cargo test` starts a
//! throwaway one and sets `SECCODE_TEST_POSTGRES_URL`; every test gets a database of its own).
//! Without that variable the PostgreSQL half fails under CI and says how to run it elsewhere.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod fixtures;
mod place;

use std::sync::Arc;

use fixtures::*;
use place::Place;
use seccode::{
    Account, AccountId, Action, AgentName, AuditKind, ContactDetails, ContactId, Engine,
    EngineConfig, HashParams, Lockout, Outcome, Password, Setting, SignInOutcome,
};
use seccode_store::{
    AnyStore, AuditFilter, Store, StoreConfig, StoreError, StoreTx, insert_account, load_account,
    sign_in, update_account, update_account_as, verify_as,
};

/// The child half of `a_crash_mid_transaction_leaves_nothing_half_written`: writes a change
/// and dies before committing.
fn crash_child(place: &str) -> ! {
    let engine = engine(5);
    let mut store = AnyStore::open(place).unwrap();
    let mut tx = store.begin().unwrap();
    let record = tx.load_for_update(ACCOUNT).unwrap().unwrap();
    let mut account = Account::from_record(record).unwrap();
    account.clear_account_code(&engine, JOE).unwrap();
    account.deactivate_contact(&engine, JOE, CONTACT).unwrap();
    tx.save_account(&account.to_record()).unwrap();
    tx.append_audit(&account.drain_audit()).unwrap();
    std::process::abort();
}

fn a_record_round_trips_exactly(place: &Place) {
    let engine = engine(5);
    let mut store = seed(&place.spec(), &engine);
    // Some lockout state, for a real contact and for an unknown id.
    update_account(&mut store, ACCOUNT, |a| {
        a.verify(&engine, CONTACT, &code("wrong wrong wrong"))?;
        a.verify(&engine, ContactId(9999), &code("wrong wrong wrong"))?;
        a.deactivate_contact(&engine, JOE, CONTACT2)
    })
    .unwrap();

    let stored = store.account(ACCOUNT).unwrap().unwrap();
    let account = Account::from_record(stored.clone()).unwrap();
    assert_eq!(account.to_record(), stored);
    assert_eq!(
        account
            .lock_status(&engine, CONTACT)
            .unwrap()
            .failed_attempts(),
        1
    );
    assert_eq!(stored.unknown_contact_locks.len(), 1);
    assert!(!account.contact(CONTACT2).unwrap().is_active());
    assert!(account.contact(CONTACT2).unwrap().has_code());
    assert!(account.has_account_code());

    // A second connection (another process) sees the same.
    drop(store);
    let again = AnyStore::open(&place.spec()).unwrap();
    assert_eq!(again.account(ACCOUNT).unwrap().unwrap(), stored);
    let summaries = again.accounts().unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].contacts, 3);
}

fn a_failed_operation_writes_nothing(place: &Place) {
    let engine = engine(5);
    let mut store = seed(&place.spec(), &engine);
    let before = store.account(ACCOUNT).unwrap().unwrap();
    let events_before = store.audit(&AuditFilter::default()).unwrap().len();

    // Two changes, then a refusal: neither change may survive.
    let result = update_account(&mut store, ACCOUNT, |a| {
        a.verify(&engine, CONTACT, &code("wrong wrong wrong"))?;
        a.add_contact(&engine, JOE, ContactId(4000), ContactDetails::named("New"))?;
        // Contact Example may not change permissions: only the primary contact may.
        a.set_permission(
            &engine,
            CONTACT,
            CONTACT2,
            a.catalog().require("Reports")?,
            Action::View,
            Setting::Allow,
        )
    });
    assert!(matches!(
        result,
        Err(StoreError::Core(seccode::Error::PermissionDenied(_)))
    ));
    assert_eq!(store.account(ACCOUNT).unwrap().unwrap(), before);
    assert_eq!(
        store.audit(&AuditFilter::default()).unwrap().len(),
        events_before
    );
}

fn a_dropped_transaction_rolls_back(place: &Place) {
    let engine = engine(5);
    let mut store = seed(&place.spec(), &engine);
    let before = store.account(ACCOUNT).unwrap().unwrap();
    {
        let mut tx = store.begin().unwrap();
        let record = tx.load_for_update(ACCOUNT).unwrap().unwrap();
        let mut account = Account::from_record(record).unwrap();
        account.unlock(&engine, JOE, CONTACT).unwrap();
        account.clear_account_code(&engine, JOE).unwrap();
        tx.save_account(&account.to_record()).unwrap();
        tx.append_audit(&account.drain_audit()).unwrap();
        // no commit
    }
    assert_eq!(store.account(ACCOUNT).unwrap().unwrap(), before);
}

fn a_crash_mid_transaction_leaves_nothing_half_written(place: &Place) {
    let engine = engine(5);
    let store = seed(&place.spec(), &engine);
    let before = store.account(ACCOUNT).unwrap().unwrap();
    let events_before = store.audit(&AuditFilter::default()).unwrap();
    drop(store);

    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            &format!(
                "{}::a_crash_mid_transaction_leaves_nothing_half_written",
                place.kind()
            ),
            "--nocapture",
            "--test-threads=1",
        ])
        .env("SECCODE_STORE_CRASH_CHILD", place.spec())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child must have died");

    let store = AnyStore::open(&place.spec()).unwrap();
    assert_eq!(store.account(ACCOUNT).unwrap().unwrap(), before);
    assert_eq!(store.audit(&AuditFilter::default()).unwrap(), events_before);
    let report = store.check(&engine).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

fn concurrent_connections_never_lose_a_failed_attempt(place: &Place) {
    let engine = Arc::new(engine(50));
    drop(seed(&place.spec(), &engine));
    let path = place.spec();

    std::thread::scope(|scope| {
        for _ in 0..4 {
            let path = path.clone();
            let engine = Arc::clone(&engine);
            scope.spawn(move || {
                let mut store = AnyStore::open(&path).unwrap();
                for _ in 0..5 {
                    let v = update_account(&mut store, ACCOUNT, |a| {
                        a.verify(&engine, CONTACT, &code("not the right code"))
                    })
                    .unwrap();
                    assert_eq!(v.outcome(), Outcome::NotVerified);
                }
            });
        }
    });
    let store = AnyStore::open(&path).unwrap();
    let account = load_account(&store, ACCOUNT).unwrap();
    assert_eq!(
        account
            .lock_status(&engine, CONTACT)
            .unwrap()
            .failed_attempts(),
        20
    );
    let failures = store
        .audit(&AuditFilter {
            kind: Some("verification_failed".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(failures.len(), 20);
}

fn verification_upgrades_and_locks_in_the_same_transaction(place: &Place) {
    let weak = engine(3);
    let mut store = seed(&place.spec(), &weak);

    // New parameters: the stored hashes are outdated until a successful verification.
    let mut config = EngineConfig::default();
    config.verifier.params = HashParams {
        m_kib: 128,
        t: 1,
        p: 1,
    };
    let strong = Engine::new(config).unwrap();
    let v = update_account(&mut store, ACCOUNT, |a| {
        a.verify(&strong, CONTACT2, &code("Lanterns, drift over basalt!"))
    })
    .unwrap();
    assert_eq!(v.outcome(), Outcome::Verified);
    assert_eq!(v.upgrades().len(), 1);
    let account = load_account(&store, ACCOUNT).unwrap();
    let hash = account.contact(CONTACT2).unwrap().code_hash().unwrap();
    assert_eq!(hash.params().m_kib, 128);

    for _ in 0..3 {
        update_account(&mut store, ACCOUNT, |a| {
            a.verify(&weak, CONTACT, &code("guess guess guess"))
        })
        .unwrap();
    }
    let v = update_account(&mut store, ACCOUNT, |a| {
        a.verify(&weak, CONTACT, &code("velvet tractor orbits quietly"))
    })
    .unwrap();
    assert_eq!(v.outcome(), Outcome::Locked);
    let locked = store
        .audit(&AuditFilter {
            contact: Some(CONTACT),
            kind: Some("locked".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(locked.len(), 1);
    assert!(matches!(locked[0].event.kind, AuditKind::Locked { .. }));
}

fn audit_filters_by_contact_time_kind_and_limit(place: &Place) {
    let engine = engine(5);
    let store = seed(&place.spec(), &engine);
    let all = store.audit(&AuditFilter::default()).unwrap();
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    let about = store
        .audit(&AuditFilter {
            contact: Some(CONTACT2),
            ..AuditFilter::default()
        })
        .unwrap();
    assert!(!about.is_empty());
    assert!(about.len() < all.len());
    let last = store
        .audit(&AuditFilter {
            limit: Some(2),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(last.len(), 2);
    assert_eq!(last[1].seq, all.last().unwrap().seq);
    let future = store
        .audit(&AuditFilter {
            since: Some(seccode::Timestamp(i64::MAX)),
            ..AuditFilter::default()
        })
        .unwrap();
    assert!(future.is_empty());
    // Never a code, only hashes elsewhere: the log's JSON has no plaintext.
    let text = serde_json::to_string(&all).unwrap();
    assert!(!text.contains("velvet"));
    assert!(!text.contains("lanterns"));
}

fn the_agent_round_trips_and_filters(place: &Place) {
    let engine = engine(5);
    let mut store = seed(&place.spec(), &engine);
    let before = store.audit(&AuditFilter::default()).unwrap().len();
    // Quotes, a backslash and SQL in the names: they are stored as text, whatever way the
    // store sends them (PostgreSQL sends a verification's writes with their values in the
    // statement text, along with its COMMIT).
    let alice = AgentName::new(r"Ålice O'Brien \ Ünicode (desk 4)").unwrap();
    let bob = AgentName::new("bob'); DELETE FROM audit_log; --").unwrap();
    let v = verify_as(
        &mut store,
        &engine,
        Some(&alice),
        ACCOUNT,
        CONTACT,
        &code("wrong wrong wrong"),
    )
    .unwrap();
    assert_eq!(v.outcome(), Outcome::NotVerified);
    update_account_as(&mut store, ACCOUNT, Some(&bob), |a| {
        a.unlock(&engine, JOE, CONTACT)
    })
    .unwrap();
    // No agent: none recorded.
    update_account(&mut store, ACCOUNT, |a| a.unlock(&engine, JOE, CONTACT)).unwrap();

    // Another connection reads them back as written.
    drop(store);
    let store = AnyStore::open(&place.spec()).unwrap();
    let all = store.audit(&AuditFilter::default()).unwrap();
    let new: Vec<(&str, Option<&str>)> = all[before..]
        .iter()
        .map(|e| {
            (
                e.event.kind.as_str(),
                e.event.agent.as_ref().map(|a| a.as_str()),
            )
        })
        .collect();
    assert_eq!(
        new,
        [
            (
                "verification_failed",
                Some(r"Ålice O'Brien \ Ünicode (desk 4)")
            ),
            ("unlocked", Some("bob'); DELETE FROM audit_log; --")),
            ("unlocked", None),
        ]
    );
    let by = |agent: &AgentName| {
        store
            .audit(&AuditFilter {
                agent: Some(agent.clone()),
                ..AuditFilter::default()
            })
            .unwrap()
    };
    let by_alice = by(&alice);
    assert_eq!(by_alice.len(), 1);
    assert_eq!(by_alice[0].event.agent.as_ref(), Some(&alice));
    let by_bob = by(&bob);
    assert_eq!(by_bob.len(), 1);
    assert_eq!(by_bob[0].event.actor, Some(JOE));
    assert!(by(&AgentName::new("carol").unwrap()).is_empty());
    // Combined with the other filters.
    let bob_unlocks = store
        .audit(&AuditFilter {
            agent: Some(bob.clone()),
            kind: Some("verification_failed".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert!(bob_unlocks.is_empty());
    let json = serde_json::to_value(&by_bob[0]).unwrap();
    assert_eq!(json["agent"], "bob'); DELETE FROM audit_log; --");
    assert!(all.len() > before + 2, "nothing was deleted");
}

fn duplicate_and_unknown_accounts_and_oversized_ids_are_refused(place: &Place) {
    let engine = engine(5);
    let mut store = seed(&place.spec(), &engine);
    let mut again = Account::new(
        ACCOUNT,
        "Other Company",
        JOE,
        ContactDetails::named("Someone"),
    )
    .unwrap();
    assert!(matches!(
        insert_account(&mut store, &mut again),
        Err(StoreError::DuplicateAccount(ACCOUNT))
    ));
    assert!(matches!(
        load_account(&store, AccountId(1)),
        Err(StoreError::UnknownAccount(AccountId(1)))
    ));
    let result = update_account(&mut store, AccountId(2), |_| Ok::<(), StoreError>(()));
    assert!(matches!(result, Err(StoreError::UnknownAccount(_))));
    let mut huge = Account::new(
        AccountId(u64::MAX),
        "Huge",
        JOE,
        ContactDetails::named("Someone"),
    )
    .unwrap();
    let err = insert_account(&mut store, &mut huge).unwrap_err();
    assert!(matches!(err, StoreError::IdOutOfRange { .. }));
    assert!(err.is_bad_input());
}

fn config_round_trips(place: &Place) {
    let mut store = AnyStore::open(&place.spec()).unwrap();
    assert_eq!(store.config().unwrap(), StoreConfig::default());
    let config = StoreConfig {
        params: HashParams {
            m_kib: 256,
            t: 3,
            p: 2,
        },
        lockout: Lockout {
            max_failures: 7,
            duration_secs: 60,
        },
        pepper_key_id: Some("k2026".into()),
    };
    store.set_config(&config).unwrap();
    drop(store);
    assert_eq!(
        AnyStore::open(&place.spec()).unwrap().config().unwrap(),
        config
    );
}

fn many_connections_verifying_one_contact_check_at_most_max_failures_hashes(place: &Place) {
    let path = place.spec();
    let engine = Arc::new(engine(5));
    drop(seed(&path, &engine));
    let before = engine.verifier().evaluations();
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..20)
            .map(|_| {
                let engine = Arc::clone(&engine);
                let path = path.clone();
                scope.spawn(move || {
                    let mut store = AnyStore::open(&path).unwrap();
                    seccode_store::verify(
                        &mut store,
                        &engine,
                        ACCOUNT,
                        CONTACT2,
                        &code("not the right code"),
                    )
                    .unwrap()
                    .outcome()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let checked = outcomes
        .iter()
        .filter(|o| **o == Outcome::NotVerified)
        .count();
    assert_eq!(checked, 5, "{outcomes:?}");
    assert_eq!(
        outcomes.iter().filter(|o| **o == Outcome::Locked).count(),
        15
    );
    assert!(engine.verifier().evaluations() - before <= 10);
    let store = AnyStore::open(&path).unwrap();
    let account = load_account(&store, ACCOUNT).unwrap();
    let lock = account.lock_status(&engine, CONTACT2).unwrap();
    assert!(lock.is_locked());
    assert_eq!(lock.failed_attempts(), 5);
}

fn a_kept_verification_authorizes_only_while_it_holds(place: &Place) {
    let engine = engine(5);
    let mut store = seed(&place.spec(), &engine);
    let v = seccode_store::verify(
        &mut store,
        &engine,
        ACCOUNT,
        CONTACT2,
        &code("lanterns drift over basalt"),
    )
    .unwrap();
    assert!(v.is_verified());
    let token = seccode_store::keep_call(&mut store, &v).unwrap().unwrap();
    assert_eq!(format!("{token:?}"), "CallToken(..)");
    let again = seccode_store::CallToken::parse(token.expose_secret()).unwrap();
    let call = store.call(&again).unwrap().unwrap();
    let account = load_account(&store, ACCOUNT).unwrap();
    assert_eq!(
        account
            .authorize(&engine, &call, seccode::RequestKind::Routine)
            .unwrap(),
        seccode::Decision::Allowed
    );
    // Not verified: nothing kept. A made-up token: none; a malformed one: refused.
    let no = seccode_store::verify(&mut store, &engine, ACCOUNT, CONTACT2, &code("wrong wrong"))
        .unwrap();
    assert!(seccode_store::keep_call(&mut store, &no).unwrap().is_none());
    let other = seccode_store::CallToken::new().unwrap();
    assert!(store.call(&other).unwrap().is_none());
    assert!(matches!(
        seccode_store::CallToken::parse("short"),
        Err(StoreError::InvalidToken)
    ));
    // Deactivated since: the kept call is void.
    update_account(&mut store, ACCOUNT, |a| {
        a.deactivate_contact(&engine, JOE, CONTACT2)
    })
    .unwrap();
    let account = load_account(&store, ACCOUNT).unwrap();
    assert_eq!(
        account.call_status(&engine, &call),
        seccode::CallStatus::Void
    );
}

fn check_reports_a_stored_hash_over_the_ceilings(place: &Place) {
    let engine = engine(5);
    let mut store = seed(&place.spec(), &engine);
    // An import over the ceilings is refused and replaces nothing.
    let huge = "$argon2id$v=19$m=4294967295,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$\
                q5mBV5OqbsRC6k6vRfMSY0QAKchaS8ZPq5eSddd7L5M";
    let refused = update_account(&mut store, ACCOUNT, |a| {
        a.import_legacy_hash(&engine, Some(CONTACT2), huge, true)
    });
    assert!(matches!(
        refused,
        Err(StoreError::Core(seccode::Error::HashCeilingExceeded(_)))
    ));
    let v = seccode_store::verify(
        &mut store,
        &engine,
        ACCOUNT,
        CONTACT2,
        &code("lanterns drift over basalt"),
    )
    .unwrap();
    assert!(v.is_verified(), "the working code is still there");
    assert!(store.check(&engine).unwrap().problems.is_empty());

    // One already in stored data (written before the ceilings were lowered) is reported.
    let strict = {
        let mut config = EngineConfig::default();
        config.verifier.params = HashParams {
            m_kib: 64,
            t: 1,
            p: 1,
        };
        config.verifier.ceilings.max_m_kib = 32;
        config.verifier.params.m_kib = 16;
        Engine::new(config).unwrap()
    };
    let report = store.check(&strict).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("ceiling") && p.contains("3526")),
        "{:?}",
        report.problems
    );
}

/// While one connection holds a begun attempt (counted, not yet checked or finished), another
/// verifies a different contact from start to end: no store lock is held between the steps,
/// so verifications of different contacts never wait for each other. The store's own count
/// shows it: the first attempt is still counted as a failure when the second has finished.
fn a_begun_attempt_holds_no_lock_while_another_contact_verifies(place: &Place) {
    let engine = Arc::new(engine(5));
    let mut store = seed(&place.spec(), &engine);
    let attempt =
        update_account(&mut store, ACCOUNT, |a| a.begin_verify(&engine, CONTACT2)).unwrap();
    let (done, finished) = std::sync::mpsc::channel();
    let other = {
        let engine = Arc::clone(&engine);
        let spec = place.spec();
        std::thread::spawn(move || {
            let mut store = AnyStore::open(&spec).unwrap();
            let v = seccode_store::verify(
                &mut store,
                &engine,
                ACCOUNT,
                JOE,
                &code("velvet tractor orbits quietly"),
            )
            .unwrap();
            done.send(v.outcome()).unwrap();
        })
    };
    // A guard against a hang, not a timing assertion: the other verification must finish
    // while this attempt is still open.
    let outcome = finished
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("a verification of another contact waited for an open attempt");
    other.join().unwrap();
    assert_eq!(outcome, Outcome::Verified);
    let account = load_account(&store, ACCOUNT).unwrap();
    assert_eq!(
        account
            .lock_status(&engine, CONTACT2)
            .unwrap()
            .failed_attempts(),
        1,
        "the open attempt is counted"
    );
    let checked = attempt
        .check(&engine, &code("lanterns drift over basalt"))
        .unwrap();
    let v = update_account(&mut store, ACCOUNT, |a| a.finish_verify(&engine, checked)).unwrap();
    assert!(v.is_verified());
    let account = load_account(&store, ACCOUNT).unwrap();
    assert_eq!(
        account
            .lock_status(&engine, CONTACT2)
            .unwrap()
            .failed_attempts(),
        0
    );
}

/// The child half of `a_crash_mid_transaction_leaves_nothing_half_written`, started by the
/// test in a process of its own with the store's place in `SECCODE_STORE_CRASH_CHILD`.
/// A portal password set through the store signs in from another connection, survives the
/// round trip exactly, and its wrong guesses count with the contact's verifications.
fn a_password_signs_in_and_its_failures_lock_with_the_codes(place: &Place) {
    let engine = engine(3);
    let mut store = seed(&place.spec(), &engine);
    let secret = "Granite tulip orbit 7741 saxophone";
    let password = || Password::try_from(secret).unwrap();
    update_account(&mut store, ACCOUNT, |a| {
        a.set_password(&engine, JOE, CONTACT, &password())
    })
    .unwrap();
    let stored = store.account(ACCOUNT).unwrap().unwrap();
    assert_eq!(
        Account::from_record(stored.clone()).unwrap().to_record(),
        stored
    );
    let c = stored.contacts.iter().find(|c| c.id == CONTACT).unwrap();
    assert!(c.password.is_some());

    let mut other = AnyStore::open(&place.spec()).unwrap();
    let s = sign_in(&mut other, &engine, ACCOUNT, CONTACT, &password()).unwrap();
    assert_eq!(s.outcome(), SignInOutcome::SignedIn);
    let wrong = Password::try_from("not the password at all").unwrap();
    let s = sign_in(&mut other, &engine, ACCOUNT, CONTACT, &wrong).unwrap();
    assert_eq!(s.outcome(), SignInOutcome::Refused);
    seccode_store::verify(
        &mut other,
        &engine,
        ACCOUNT,
        CONTACT,
        &code("wrong wrong wrong"),
    )
    .unwrap();
    let s = sign_in(&mut other, &engine, ACCOUNT, CONTACT, &wrong).unwrap();
    assert_eq!(
        s.outcome(),
        SignInOutcome::Refused,
        "the third failure locks"
    );
    let s = sign_in(&mut other, &engine, ACCOUNT, CONTACT, &password()).unwrap();
    assert_eq!(s.outcome(), SignInOutcome::Locked);
    let kinds: Vec<String> = store
        .audit(&AuditFilter {
            account: Some(ACCOUNT),
            contact: Some(CONTACT),
            ..AuditFilter::default()
        })
        .unwrap()
        .iter()
        .map(|e| e.event.kind.as_str().to_owned())
        .collect();
    assert!(
        kinds.ends_with(&[
            "password_set".to_owned(),
            "signed_in".to_owned(),
            "sign_in_failed".to_owned(),
            "verification_failed".to_owned(),
            "sign_in_failed".to_owned(),
            "locked".to_owned(),
            "sign_in_failed".to_owned(),
        ]),
        "{kinds:?}"
    );
}

fn maybe_crash_child() {
    if let Some(place) = std::env::var_os("SECCODE_STORE_CRASH_CHILD") {
        crash_child(&place.to_string_lossy());
    }
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::maybe_crash_child();
                    super::$name(&super::Place::sqlite());
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    super::maybe_crash_child();
                    if let Some(place) = super::Place::postgres() {
                        super::$name(&place);
                    }
                }
            )*
        }
    };
}

conformance!(
    a_record_round_trips_exactly,
    a_failed_operation_writes_nothing,
    a_dropped_transaction_rolls_back,
    a_crash_mid_transaction_leaves_nothing_half_written,
    concurrent_connections_never_lose_a_failed_attempt,
    verification_upgrades_and_locks_in_the_same_transaction,
    audit_filters_by_contact_time_kind_and_limit,
    duplicate_and_unknown_accounts_and_oversized_ids_are_refused,
    config_round_trips,
    many_connections_verifying_one_contact_check_at_most_max_failures_hashes,
    a_kept_verification_authorizes_only_while_it_holds,
    check_reports_a_stored_hash_over_the_ceilings,
    a_begun_attempt_holds_no_lock_while_another_contact_verifies,
    a_password_signs_in_and_its_failures_lock_with_the_codes,
    the_agent_round_trips_and_filters,
);

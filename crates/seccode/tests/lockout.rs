//! Lockout for real and unknown ids alike (SPEC 2.6 and 8): counted before checked, bounded
//! unknown-id state that cannot be pushed out, and a throttle when it fills up.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use seccode::{Account, AuditKind, ContactId, MAX_UNKNOWN_IDS, Outcome, VerifyReason};

const GOOD: &str = "Quiet harbor zebra violin";

fn with_code() -> (seccode::Engine, Arc<seccode::ManualClock>, Account) {
    let (engine, clock) = engine();
    let mut account = any_company(&engine);
    account
        .set_contact_code(&engine, JOE, CONTACT, &code(GOOD))
        .unwrap();
    (engine, clock, account)
}

fn lock(account: &mut Account, engine: &seccode::Engine, id: ContactId) {
    for _ in 0..5 {
        let v = account
            .verify(engine, id, &code("wrong guess here"))
            .unwrap();
        assert_eq!(v.outcome(), Outcome::NotVerified);
    }
    assert_eq!(
        account.verify(engine, id, &code(GOOD)).unwrap().outcome(),
        Outcome::Locked
    );
}

#[test]
fn an_unknown_ids_lock_cannot_be_pushed_out_by_other_made_up_ids() {
    let (engine, _, mut account) = with_code();
    let made_up = ContactId(9_999);
    lock(&mut account, &engine, made_up);
    lock(&mut account, &engine, CONTACT);
    // Far more made-up ids than the state holds, each failing once.
    for id in 20_000..20_400 {
        account
            .verify(&engine, ContactId(id), &code("wrong guess here"))
            .unwrap();
    }
    // Both locks still hold: the earlier made-up id behaves exactly as the real contact.
    for id in [made_up, CONTACT] {
        let v = account.verify(&engine, id, &code(GOOD)).unwrap();
        assert_eq!(v.outcome(), Outcome::Locked, "{id}");
    }
    // The state filled up: the account is throttled for every id, and the log says so.
    let events = account.drain_audit();
    assert!(
        events
            .iter()
            .any(|e| matches!(e.kind, AuditKind::Throttled { .. })),
        "a full unknown-id state is audited"
    );
    assert!(events.iter().any(|e| e.kind
        == AuditKind::VerificationFailed {
            reason: VerifyReason::Throttled
        }));
    let v = account.verify(&engine, JOE, &code(GOOD)).unwrap();
    assert_eq!(v.outcome(), Outcome::Locked, "throttled alike for every id");
    // The state stays bounded through save and load.
    let record = account.to_record();
    assert!(record.unknown_contact_locks.len() <= record.contacts.len() + MAX_UNKNOWN_IDS);
}

#[test]
fn throttle_and_locks_end_and_expired_state_is_dropped() {
    let (engine, clock, mut account) = with_code();
    for id in 20_000..20_300 {
        account
            .verify(&engine, ContactId(id), &code("wrong guess here"))
            .unwrap();
    }
    assert_eq!(
        account
            .verify(&engine, CONTACT, &code(GOOD))
            .unwrap()
            .outcome(),
        Outcome::Locked
    );
    clock.advance(30 * 60);
    // Everything has expired: the throttle is over and the real contact verifies again.
    assert_eq!(
        account
            .verify(&engine, CONTACT, &code(GOOD))
            .unwrap()
            .outcome(),
        Outcome::Verified
    );
    // New made-up ids are counted again (expired entries made room).
    let v = account
        .verify(&engine, ContactId(30_000), &code("wrong guess here"))
        .unwrap();
    assert_eq!(v.outcome(), Outcome::NotVerified);
    assert_eq!(v.lock_status().failed_attempts(), 1);
}

#[test]
fn a_count_is_forgotten_after_a_quiet_lock_length_alike_for_real_and_unknown_ids() {
    let (engine, clock, mut account) = with_code();
    for id in [CONTACT, ContactId(9_999)] {
        for _ in 0..3 {
            account
                .verify(&engine, id, &code("wrong guess here"))
                .unwrap();
        }
    }
    clock.advance(29 * 60);
    for id in [CONTACT, ContactId(9_999)] {
        let v = account
            .verify(&engine, id, &code("wrong guess here"))
            .unwrap();
        assert_eq!(v.lock_status().failed_attempts(), 4, "{id}");
    }
    clock.advance(30 * 60);
    for id in [CONTACT, ContactId(9_999)] {
        let v = account
            .verify(&engine, id, &code("wrong guess here"))
            .unwrap();
        assert_eq!(v.lock_status().failed_attempts(), 1, "{id}");
    }
}

#[test]
fn attempts_are_counted_before_they_are_checked() {
    let (engine, _, mut account) = with_code();
    // 100 attempts begun before any is checked: only five are ever checked.
    let attempts: Vec<_> = (0..100)
        .map(|_| account.begin_verify(&engine, CONTACT).unwrap())
        .collect();
    assert_eq!(attempts.iter().filter(|a| !a.is_locked()).count(), 5);
    let before = engine.verifier().evaluations();
    let mut outcomes = Vec::new();
    for attempt in attempts {
        let checked = attempt.check(&engine, &code("wrong guess here")).unwrap();
        outcomes.push(account.finish_verify(&engine, checked).unwrap().outcome());
    }
    assert_eq!(
        engine.verifier().evaluations() - before,
        10,
        "5 attempts x 2 slots"
    );
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| **o == Outcome::NotVerified)
            .count(),
        5
    );
    assert_eq!(
        outcomes.iter().filter(|o| **o == Outcome::Locked).count(),
        95
    );
    assert!(account.lock_status(&engine, CONTACT).unwrap().is_locked());
}

#[test]
fn a_success_in_flight_still_verifies_and_resets() {
    let (engine, _, mut account) = with_code();
    let first = account.begin_verify(&engine, CONTACT).unwrap();
    let second = account.begin_verify(&engine, CONTACT).unwrap();
    assert_eq!(
        account
            .lock_status(&engine, CONTACT)
            .unwrap()
            .failed_attempts(),
        2
    );
    let ok = first.check(&engine, &code(GOOD)).unwrap();
    let v = account.finish_verify(&engine, ok).unwrap();
    assert!(v.is_verified());
    assert_eq!(v.lock_status().failed_attempts(), 0);
    let bad = second.check(&engine, &code("wrong guess here")).unwrap();
    assert_eq!(
        account.finish_verify(&engine, bad).unwrap().outcome(),
        Outcome::NotVerified
    );
}

#[test]
fn a_code_changed_during_the_check_does_not_verify() {
    let (engine, _, mut account) = with_code();
    let attempt = account.begin_verify(&engine, CONTACT).unwrap();
    account
        .set_contact_code(&engine, JOE, CONTACT, &code("Amber lantern cobalt river"))
        .unwrap();
    let checked = attempt.check(&engine, &code(GOOD)).unwrap();
    let v = account.finish_verify(&engine, checked).unwrap();
    assert_eq!(v.outcome(), Outcome::NotVerified);
    assert_eq!(v.reason(), VerifyReason::Changed);
    assert!(v.call().is_none());

    // Removed meanwhile: the same.
    let attempt = account.begin_verify(&engine, CONTACT).unwrap();
    account.remove_contact(&engine, JOE, CONTACT).unwrap();
    let checked = attempt
        .check(&engine, &code("Amber lantern cobalt river"))
        .unwrap();
    assert_eq!(
        account.finish_verify(&engine, checked).unwrap().outcome(),
        Outcome::NotVerified
    );
}

#[test]
fn an_attempt_is_finished_only_on_its_own_account() {
    let (engine, _, mut account) = with_code();
    let mut other = account.clone();
    let _ = &mut other;
    let mut foreign = Account::new(
        seccode::AccountId(1708),
        "Other Company",
        JOE,
        seccode::ContactDetails::named("Jane Other"),
    )
    .unwrap();
    let attempt = account.begin_verify(&engine, CONTACT).unwrap();
    let checked = attempt.check(&engine, &code(GOOD)).unwrap();
    assert!(foreign.finish_verify(&engine, checked).is_err());
}

#[test]
fn every_unlocked_verification_runs_exactly_two_argon2_evaluations() {
    let (engine, _, mut account) = with_code();
    account
        .set_account_code(&engine, JOE, &code("Velvet thunder orchard lamp"))
        .unwrap();
    account.deactivate_contact(&engine, JOE, CONTACT2).unwrap();
    let cases = [
        (CONTACT, GOOD),                      // right individual code
        (CONTACT, "wrong guess here"),        // wrong code
        (JOE, "Velvet thunder orchard lamp"), // account-wide code
        (CONTACT2, GOOD),                     // deactivated
        (ContactId(424_242), GOOD),           // unknown
    ];
    for (who, said) in cases {
        let before = engine.verifier().evaluations();
        let v = account.verify(&engine, who, &code(said)).unwrap();
        assert_ne!(v.outcome(), Outcome::Locked);
        assert_eq!(
            engine.verifier().evaluations() - before,
            2,
            "{who} {said:?}"
        );
    }
    // A locked contact runs none.
    account.unlock(&engine, JOE, CONTACT).unwrap();
    lock(&mut account, &engine, CONTACT);
    let before = engine.verifier().evaluations();
    account.verify(&engine, CONTACT, &code(GOOD)).unwrap();
    assert_eq!(engine.verifier().evaluations(), before);
}

#[test]
fn threads_guessing_at_once_check_at_most_max_failures_hashes() {
    let (engine, _, account) = with_code();
    let engine = Arc::new(engine);
    let account = Arc::new(Mutex::new(account));
    let before = engine.verifier().evaluations();
    let handles: Vec<_> = (0..100)
        .map(|_| {
            let engine = Arc::clone(&engine);
            let account = Arc::clone(&account);
            std::thread::spawn(move || {
                let attempt = account
                    .lock()
                    .unwrap()
                    .begin_verify(&engine, CONTACT)
                    .unwrap();
                // Argon2 with the account's mutex released.
                let checked = attempt.check(&engine, &code("wrong guess here")).unwrap();
                account
                    .lock()
                    .unwrap()
                    .finish_verify(&engine, checked)
                    .unwrap()
                    .outcome()
            })
        })
        .collect();
    let outcomes: Vec<Outcome> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| **o == Outcome::NotVerified)
            .count(),
        5
    );
    assert!(engine.verifier().evaluations() - before <= 10);
}

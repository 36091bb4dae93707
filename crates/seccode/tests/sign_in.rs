//! Portal passwords and signing in (SPEC 10): who may set one, the policy, one Argon2id
//! evaluation per sign-in whatever the contact, failures counted with the contact's
//! verifications (one lock), and a slot of its own (a code's hash never signs in).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{CONTACT, CONTACT2, JOE, any_company, code, engine};
use seccode::{
    Action, AuditKind, ContactId, Error, Outcome, Password, Requirement, Setting, SignInOutcome,
    VerifyReason,
};

const PASSWORD: &str = "Granite tulip orbit 7741 saxophone";

fn password(s: &str) -> Password {
    Password::try_from(s).unwrap()
}

#[test]
fn the_primary_sets_a_first_password_and_the_contact_signs_in_with_it() {
    let (engine, _) = engine();
    let mut a = any_company(&engine);
    a.set_password(&engine, JOE, CONTACT, &password(PASSWORD))
        .unwrap();
    assert!(a.contact(CONTACT).unwrap().has_password());
    assert!(!a.contact(CONTACT2).unwrap().has_password());

    let before = engine.verifier().evaluations();
    let s = a.sign_in(&engine, CONTACT, &password(PASSWORD)).unwrap();
    assert_eq!(engine.verifier().evaluations() - before, 1);
    assert_eq!(s.outcome(), SignInOutcome::SignedIn);
    assert_eq!(s.contact(), CONTACT);

    let wrong = a.sign_in(
        &engine,
        CONTACT,
        &password("granite tulip orbit 7741 saxophone"),
    );
    assert_eq!(
        wrong.unwrap().outcome(),
        SignInOutcome::Refused,
        "exact matching"
    );
    let kinds: Vec<&str> = a.audit().iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["password_set", "signed_in", "sign_in_failed"]);
    assert!(matches!(a.audit()[0].kind, AuditKind::PasswordSet));
}

#[test]
fn refusals_look_alike_and_each_costs_one_evaluation() {
    let (engine, _) = engine();
    let mut a = any_company(&engine);
    a.set_password(&engine, JOE, CONTACT, &password(PASSWORD))
        .unwrap();
    a.deactivate_contact(&engine, JOE, CONTACT).unwrap();
    for (contact, reason) in [
        (ContactId(999_999), VerifyReason::UnknownContact),
        (CONTACT, VerifyReason::Deactivated),
        (CONTACT2, VerifyReason::NoUsableCode),
    ] {
        let before = engine.verifier().evaluations();
        let s = a.sign_in(&engine, contact, &password(PASSWORD)).unwrap();
        assert_eq!(engine.verifier().evaluations() - before, 1, "{contact:?}");
        assert_eq!(s.outcome(), SignInOutcome::Refused);
        assert_eq!(s.reason(), reason);
    }
}

#[test]
fn an_unknown_account_is_refused_after_the_same_work() {
    let (engine, _) = engine();
    let before = engine.verifier().evaluations();
    let s = seccode::SignIn::for_unknown_account(
        &engine,
        seccode::AccountId(424_242),
        CONTACT,
        &password(PASSWORD),
    )
    .unwrap();
    assert_eq!(engine.verifier().evaluations() - before, 1);
    assert_eq!(s.outcome(), SignInOutcome::Refused);
}

#[test]
fn who_may_set_a_password() {
    let (engine, _) = engine();
    let mut a = any_company(&engine);
    // Contact Example holds no right by default: neither its own nor another's password.
    let err = a
        .set_password(&engine, CONTACT, CONTACT2, &password(PASSWORD))
        .unwrap_err();
    assert!(
        matches!(err, Error::PermissionDenied(Requirement::Cell { ref resource, action: Action::Update }) if resource == "Manage Contacts"),
        "{err}"
    );
    let err = a
        .set_password(&engine, CONTACT, CONTACT, &password(PASSWORD))
        .unwrap_err();
    assert!(
        matches!(err, Error::PermissionDenied(Requirement::Cell { ref resource, action: Action::Update }) if resource == "Change Password"),
        "{err}"
    );
    assert!(a.audit().is_empty(), "nothing recorded for a refusal");

    let change_password = a.catalog().require("Change Password").unwrap();
    a.set_permission(
        &engine,
        JOE,
        CONTACT,
        change_password,
        Action::Update,
        Setting::Allow,
    )
    .unwrap();
    a.set_password(&engine, CONTACT, CONTACT, &password(PASSWORD))
        .unwrap();
    let s = a.sign_in(&engine, CONTACT, &password(PASSWORD)).unwrap();
    assert_eq!(s.outcome(), SignInOutcome::SignedIn);
}

#[test]
fn a_password_is_held_to_the_code_policy() {
    let (engine, _) = engine();
    let mut a = any_company(&engine);
    let err = a
        .set_password(&engine, JOE, CONTACT, &password("password"))
        .unwrap_err();
    assert!(
        matches!(err, Error::PolicyRejected(ref reasons) if !reasons.is_empty()),
        "{err}"
    );
    assert!(!a.contact(CONTACT).unwrap().has_password());
}

#[test]
fn wrong_passwords_and_wrong_codes_add_up_to_one_lock() {
    let (engine, _) = engine();
    let mut a = any_company(&engine);
    a.set_password(&engine, JOE, CONTACT, &password(PASSWORD))
        .unwrap();
    a.set_contact_code(
        &engine,
        JOE,
        CONTACT,
        &code("Seven lazy herons juggle 19 kiwis"),
    )
    .unwrap();
    let max = engine.lockout().max_failures;
    for i in 0..max {
        if i % 2 == 0 {
            let s = a
                .sign_in(&engine, CONTACT, &password("Not the password 1234"))
                .unwrap();
            assert_eq!(s.outcome(), SignInOutcome::Refused);
        } else {
            let v = a
                .verify(&engine, CONTACT, &code("not the code at all"))
                .unwrap();
            assert_eq!(v.outcome(), Outcome::NotVerified);
        }
    }
    let before = engine.verifier().evaluations();
    let s = a.sign_in(&engine, CONTACT, &password(PASSWORD)).unwrap();
    assert_eq!(s.outcome(), SignInOutcome::Locked);
    let v = a
        .verify(&engine, CONTACT, &code("Seven lazy herons juggle 19 kiwis"))
        .unwrap();
    assert_eq!(v.outcome(), Outcome::Locked);
    assert_eq!(
        engine.verifier().evaluations(),
        before,
        "no hash checked when locked"
    );

    a.unlock(&engine, JOE, CONTACT).unwrap();
    let s = a.sign_in(&engine, CONTACT, &password(PASSWORD)).unwrap();
    assert_eq!(s.outcome(), SignInOutcome::SignedIn);
}

#[test]
fn a_code_never_signs_in_and_a_password_never_verifies() {
    let (engine, _) = engine();
    let mut a = any_company(&engine);
    let secret = "Seven lazy herons juggle 19 kiwis";
    a.set_contact_code(&engine, JOE, CONTACT, &code(secret))
        .unwrap();
    // The code's own hash copied into the password slot, as a damaged store might.
    let mut record = a.to_record();
    let c = record
        .contacts
        .iter_mut()
        .find(|c| c.id == CONTACT)
        .unwrap();
    c.password = c.security_code.clone();
    let mut a = seccode::Account::from_record(record).unwrap();
    let s = a.sign_in(&engine, CONTACT, &password(secret)).unwrap();
    assert_eq!(s.outcome(), SignInOutcome::Refused);

    let mut b = any_company(&engine);
    b.set_password(&engine, JOE, CONTACT2, &password(PASSWORD))
        .unwrap();
    let v = b.verify(&engine, CONTACT2, &code(PASSWORD)).unwrap();
    assert_eq!(v.outcome(), Outcome::NotVerified);
}

#[test]
fn a_password_survives_the_stored_form() {
    let (engine, _) = engine();
    let mut a = any_company(&engine);
    a.set_password(&engine, JOE, CONTACT, &password(PASSWORD))
        .unwrap();
    let json = serde_json::to_string(&a.to_record()).unwrap();
    assert!(!json.contains(PASSWORD));
    let record: seccode::AccountRecord = serde_json::from_str(&json).unwrap();
    let mut b = seccode::Account::from_record(record).unwrap();
    let s = b.sign_in(&engine, CONTACT, &password(PASSWORD)).unwrap();
    assert_eq!(s.outcome(), SignInOutcome::SignedIn);
}

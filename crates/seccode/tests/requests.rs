//! Requests a verified caller makes (SPEC 5), and a verification bound to its call (SPEC 7).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use seccode::{
    Account, AccountId, Action, CallStatus, ContactDetails, Decision, DenyReason, Engine,
    RequestKind, Setting, VerifiedCall,
};

const JOE_CODE: &str = "Velvet thunder orchard lamp";
const CONTACT_CODE: &str = "Quiet harbor zebra violin";

/// Any Company with an individual code for Contact Example, who is then verified.
fn verified(engine: &Engine) -> (Account, VerifiedCall) {
    let mut account = any_company(engine);
    account
        .set_contact_code(engine, JOE, CONTACT, &code(CONTACT_CODE))
        .unwrap();
    let v = account
        .verify(engine, CONTACT, &code(CONTACT_CODE))
        .unwrap();
    let call = v.call().cloned().expect("verified");
    assert_eq!(call.account(), ACCOUNT);
    assert_eq!(call.contact(), CONTACT);
    (account, call)
}

#[test]
fn routine_billable_significant_and_cancellation() {
    let (engine, _) = engine();
    let (mut account, call) = verified(&engine);
    account
        .set_account_code(&engine, JOE, &code(JOE_CODE))
        .unwrap();
    let joe = account.verify(&engine, JOE, &code(JOE_CODE)).unwrap();
    let joe = joe.call().cloned().unwrap();

    assert_eq!(
        account
            .authorize(&engine, &call, RequestKind::Routine)
            .unwrap(),
        Decision::Allowed
    );
    // Billable: needs Billing & Services / Update.
    match account
        .authorize(&engine, &call, RequestKind::Billable)
        .unwrap()
    {
        Decision::Denied {
            reason: DenyReason::MissingPermission { requirement },
        } => assert!(
            requirement
                .to_string()
                .contains("Billing & Services / Update")
        ),
        other => panic!("unexpected {other:?}"),
    }
    let billing = account.catalog().require("Billing & Services").unwrap();
    account
        .set_permission(
            &engine,
            JOE,
            CONTACT,
            billing,
            Action::Update,
            Setting::Allow,
        )
        .unwrap();
    assert_eq!(
        account
            .authorize(&engine, &call, RequestKind::Billable)
            .unwrap(),
        Decision::Allowed
    );
    // The primary contact may incur costs.
    assert_eq!(
        account
            .authorize(&engine, &joe, RequestKind::Billable)
            .unwrap(),
        Decision::Allowed
    );
    // Never on the code alone, even for the primary contact: approval by the primary contact.
    for kind in [RequestKind::SignificantChange, RequestKind::Cancellation] {
        for who in [&joe, &call] {
            let decision = account.authorize(&engine, who, kind).unwrap();
            assert_eq!(
                decision,
                Decision::NeedsApproval {
                    approvers: vec![JOE]
                }
            );
            assert!(decision.to_string().contains("3522"));
        }
    }
}

#[test]
fn an_unverified_caller_is_denied() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account
        .set_account_code(&engine, JOE, &code(JOE_CODE))
        .unwrap();
    let v = account
        .verify(&engine, JOE, &code("wrong wrong wrong"))
        .unwrap();
    assert!(v.call().is_none());
    assert_eq!(
        account
            .authorize_verified(&engine, &v, RequestKind::Routine)
            .unwrap(),
        Decision::Denied {
            reason: DenyReason::NotVerified
        }
    );
    let v = account
        .verify(&engine, JOE, &code("velvet thunder orchard lamp"))
        .unwrap();
    assert_eq!(
        account
            .authorize_verified(&engine, &v, RequestKind::Routine)
            .unwrap(),
        Decision::Allowed
    );
    assert!("significant_change".parse::<RequestKind>().is_ok());
    assert!("significant-change".parse::<RequestKind>().is_ok());
    assert!("refund everything".parse::<RequestKind>().is_err());
}

fn void(account: &Account, engine: &Engine, call: &VerifiedCall) {
    assert_eq!(account.call_status(engine, call), CallStatus::Void);
    assert_eq!(
        account
            .authorize(engine, call, RequestKind::Routine)
            .unwrap(),
        Decision::Denied {
            reason: DenyReason::VerificationVoid
        }
    );
}

#[test]
fn a_verification_authorizes_nothing_on_another_account() {
    let (engine, _) = engine();
    let (_, call) = verified(&engine);
    // Account 1708 also has a contact 3523.
    let mut other = Account::new(
        AccountId(1708),
        "Other Company",
        JOE,
        ContactDetails::named("Jane Other"),
    )
    .unwrap();
    other
        .add_contact(&engine, JOE, CONTACT, ContactDetails::named("Someone Else"))
        .unwrap();
    void(&other, &engine, &call);
}

#[test]
fn removal_and_id_reuse_void_a_verification() {
    let (engine, _) = engine();
    let (mut account, call) = verified(&engine);
    assert_eq!(account.call_status(&engine, &call), CallStatus::Valid);
    account.remove_contact(&engine, JOE, CONTACT).unwrap();
    void(&account, &engine, &call);
    account
        .add_contact(
            &engine,
            JOE,
            CONTACT,
            ContactDetails::named("A Different Person"),
        )
        .unwrap();
    void(&account, &engine, &call);
}

#[test]
fn deactivation_voids_a_verification_for_good() {
    let (engine, _) = engine();
    let (mut account, call) = verified(&engine);
    account.deactivate_contact(&engine, JOE, CONTACT).unwrap();
    void(&account, &engine, &call);
    account.reactivate_contact(&engine, JOE, CONTACT).unwrap();
    void(&account, &engine, &call);
}

#[test]
fn a_changed_code_voids_a_verification() {
    let (engine, _) = engine();
    let (mut account, call) = verified(&engine);
    account
        .set_contact_code(&engine, JOE, CONTACT, &code("Amber lantern cobalt river"))
        .unwrap();
    void(&account, &engine, &call);

    // A verification with the account-wide code is void once that code changes, and one
    // with an individual code is not.
    let (mut account, individual) = verified(&engine);
    account
        .set_account_code(&engine, JOE, &code(JOE_CODE))
        .unwrap();
    let joe = account.verify(&engine, JOE, &code(JOE_CODE)).unwrap();
    let joe = joe.call().cloned().unwrap();
    account
        .set_account_code(&engine, JOE, &code("Amber lantern cobalt river"))
        .unwrap();
    void(&account, &engine, &joe);
    assert_eq!(account.call_status(&engine, &individual), CallStatus::Valid);
}

#[test]
fn a_verification_expires_after_its_lifetime() {
    let (engine, clock) = engine();
    assert_eq!(engine.verification_lifetime_secs(), 15 * 60);
    let (account, call) = verified(&engine);
    assert_eq!(
        call.expires_at().unix_seconds() - call.verified_at().unix_seconds(),
        900
    );
    clock.advance(899);
    assert_eq!(account.call_status(&engine, &call), CallStatus::Valid);
    clock.advance(1);
    assert_eq!(account.call_status(&engine, &call), CallStatus::Expired);
    assert_eq!(
        account
            .authorize(&engine, &call, RequestKind::Routine)
            .unwrap(),
        Decision::Denied {
            reason: DenyReason::VerificationExpired
        }
    );
    assert!(
        DenyReason::VerificationExpired
            .to_string()
            .contains("verify again")
    );
}

#[test]
fn a_verification_survives_save_and_load() {
    let (engine, _) = engine();
    let (account, call) = verified(&engine);
    let again = Account::from_json(&account.to_json().unwrap()).unwrap();
    assert_eq!(again.call_status(&engine, &call), CallStatus::Valid);
    let json = serde_json::to_string(&call).unwrap();
    let back: VerifiedCall = serde_json::from_str(&json).unwrap();
    assert_eq!(back, call);
}

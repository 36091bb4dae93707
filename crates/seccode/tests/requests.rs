//! Requests a verified caller makes (SPEC 5).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use seccode::request::DenyReason;
use seccode::{Action, Decision, RequestKind, Setting};

#[test]
fn routine_billable_significant_and_cancellation() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);

    assert_eq!(
        account.authorize(CONTACT, RequestKind::Routine).unwrap(),
        Decision::Allowed
    );
    // Billable: needs Billing & Services / Update.
    match account.authorize(CONTACT, RequestKind::Billable).unwrap() {
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
        account.authorize(CONTACT, RequestKind::Billable).unwrap(),
        Decision::Allowed
    );
    // The primary contact may incur costs.
    assert_eq!(
        account.authorize(JOE, RequestKind::Billable).unwrap(),
        Decision::Allowed
    );
    // Never on the code alone, even for the primary contact: approval by the primary contact.
    for kind in [RequestKind::SignificantChange, RequestKind::Cancellation] {
        for who in [JOE, CONTACT] {
            let decision = account.authorize(who, kind).unwrap();
            assert_eq!(
                decision,
                Decision::NeedsApproval {
                    approvers: vec![JOE]
                }
            );
            assert!(decision.to_string().contains("3522"));
        }
    }
    // Deactivated contacts get nothing; unknown ones are an error.
    account.deactivate_contact(&engine, JOE, CONTACT).unwrap();
    assert_eq!(
        account.authorize(CONTACT, RequestKind::Routine).unwrap(),
        Decision::Denied {
            reason: DenyReason::Deactivated
        }
    );
    assert!(
        account
            .authorize(seccode::ContactId(1), RequestKind::Routine)
            .is_err()
    );
}

#[test]
fn an_unverified_caller_is_denied() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account
        .set_account_code(&engine, JOE, &code("Velvet thunder orchard lamp"))
        .unwrap();
    let v = account
        .verify(&engine, JOE, &code("wrong wrong wrong"))
        .unwrap();
    assert_eq!(
        account
            .authorize_verified(&v, RequestKind::Routine)
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
            .authorize_verified(&v, RequestKind::Routine)
            .unwrap(),
        Decision::Allowed
    );
    assert!("significant_change".parse::<RequestKind>().is_ok());
    assert!("refund everything".parse::<RequestKind>().is_err());
}

//! The four walkthroughs of the seed article "Managing Security Codes"
//! (`shared/seeds/000_c60454232015d506.txt`), step by step.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use seccode::AuditKind;
use seccode::Slot;
use seccode::{Action, Error, Outcome, Setting, VerifyReason};

const ACCOUNT_CODE: &str = "Velvet thunder orchard lamp";
const INDIVIDUAL_CODE: &str = "Quiet harbor zebra violin";

/// "Your account-wide security code": the owner sets it; it is ready to use.
#[test]
fn account_wide_security_code() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    assert!(!account.has_account_code());

    // Step 4: a code that is too short or holds personal information is refused.
    let err = account
        .set_account_code(&engine, JOE, &code("short"))
        .unwrap_err();
    assert!(
        matches!(err, Error::PolicyRejected(ref r) if r.iter().any(|r| r.code() == "too_short"))
    );
    let err = account
        .set_account_code(&engine, JOE, &code("my ssn is 123-45-6789 ok"))
        .unwrap_err();
    assert!(
        matches!(err, Error::PolicyRejected(ref r) if r.iter().any(|r| r.code() == "ssn_shaped"))
    );
    assert!(!account.has_account_code());

    // Step 5-6: "Save Changes" -> "Success: Account information updated".
    account
        .set_account_code(&engine, JOE, &code(ACCOUNT_CODE))
        .unwrap();
    assert!(account.has_account_code());
    let hash = account.account_code_hash().unwrap();
    assert!(hash.phc().starts_with("$argon2id$v=19$"));
    assert!(!hash.phc().contains("thunder"));

    // The owner can now use it on a call.
    let v = account.verify(&engine, JOE, &code(ACCOUNT_CODE)).unwrap();
    assert_eq!(v.outcome(), Outcome::Verified);
    assert_eq!(v.reason(), VerifyReason::AccountWide);

    let events = account.drain_audit();
    assert!(events.iter().any(|e| matches!(
        e.kind,
        AuditKind::CodeSet {
            slot: Slot::AccountWide
        }
    ) && e.actor == Some(JOE)));
    let log = serde_json::to_string(&events).unwrap();
    assert!(!log.to_lowercase().contains("thunder"));
}

/// "Allowing your other users to see the account-wide code": Profile / View Allow.
#[test]
fn letting_another_user_see_the_account_wide_code() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account
        .set_account_code(&engine, JOE, &code(ACCOUNT_CODE))
        .unwrap();

    // Before: Contact Example may not know the code, so cannot use it.
    assert!(!account.may_know_account_code(CONTACT).unwrap());
    let v = account
        .verify(&engine, CONTACT, &code(ACCOUNT_CODE))
        .unwrap();
    assert_eq!(v.outcome(), Outcome::NotVerified);
    assert_eq!(v.reason(), VerifyReason::NoUsableCode);

    // Step 5: the grid as shown, Client Profile expanded, nothing set.
    let grid = account.render_grid(CONTACT).unwrap();
    assert!(grid.contains("(None)  (None)  (None)  (None)"), "{grid}");

    // Step 6-7: on the "Profile" line, under "View", select "Allow"; "Update".
    let profile = account.catalog().require("Profile").unwrap();
    account
        .set_permission(&engine, JOE, CONTACT, profile, Action::View, Setting::Allow)
        .unwrap();

    // Step 8: "This user is now able to view the account-wide security code."
    assert!(account.may_know_account_code(CONTACT).unwrap());
    let v = account
        .verify(&engine, CONTACT, &code("velvet THUNDER, orchard-lamp!"))
        .unwrap();
    assert_eq!(v.outcome(), Outcome::Verified);
    assert_eq!(v.reason(), VerifyReason::AccountWide);

    // Contact Example 2 was not given the permission.
    let v = account
        .verify(&engine, CONTACT2, &code(ACCOUNT_CODE))
        .unwrap();
    assert_eq!(v.outcome(), Outcome::NotVerified);

    // Only the primary contact changes permissions.
    let err = account
        .set_permission(
            &engine,
            CONTACT,
            CONTACT2,
            profile,
            Action::View,
            Setting::Allow,
        )
        .unwrap_err();
    assert!(matches!(err, Error::PermissionDenied(_)));
}

/// "Creating individual codes for your other users": Custom Fields tab, Security Code.
#[test]
fn creating_individual_codes_for_other_users() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);

    account
        .set_contact_code(&engine, JOE, CONTACT2, &code(INDIVIDUAL_CODE))
        .unwrap();
    assert!(account.contact(CONTACT2).unwrap().has_code());

    let v = account
        .verify(&engine, CONTACT2, &code(INDIVIDUAL_CODE))
        .unwrap();
    assert_eq!(v.outcome(), Outcome::Verified);
    assert_eq!(v.reason(), VerifyReason::Individual);

    // The code is Contact Example 2's own: nobody else verifies with it.
    let v = account
        .verify(&engine, CONTACT, &code(INDIVIDUAL_CODE))
        .unwrap();
    assert_eq!(v.outcome(), Outcome::NotVerified);
    let v = account
        .verify(&engine, JOE, &code(INDIVIDUAL_CODE))
        .unwrap();
    assert_eq!(v.outcome(), Outcome::NotVerified);

    // A code naming the contact is refused.
    let err = account
        .set_contact_code(&engine, JOE, CONTACT2, &code("contact example 2 rules"))
        .unwrap_err();
    assert!(
        matches!(err, Error::PolicyRejected(ref r) if r.iter().any(|r| r.code() == "contains_name"))
    );

    // A contact without Manage Contacts / Update cannot set codes.
    let err = account
        .set_contact_code(&engine, CONTACT, CONTACT2, &code(INDIVIDUAL_CODE))
        .unwrap_err();
    assert!(matches!(err, Error::PermissionDenied(_)));
    assert!(
        err.to_string().contains("Manage Contacts / Update"),
        "{err}"
    );
}

/// "Changing permissions for your other users": Manage Contacts View + Update Allow lets a user
/// view and update their own code.
#[test]
fn changing_permissions_to_view_and_update_their_own_code() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);

    let err = account
        .set_contact_code(&engine, CONTACT2, CONTACT2, &code(INDIVIDUAL_CODE))
        .unwrap_err();
    assert!(matches!(err, Error::PermissionDenied(_)));

    let manage = account.catalog().require("Manage Contacts").unwrap();
    account
        .set_permission(&engine, JOE, CONTACT2, manage, Action::View, Setting::Allow)
        .unwrap();
    account
        .set_permission(
            &engine,
            JOE,
            CONTACT2,
            manage,
            Action::Update,
            Setting::Allow,
        )
        .unwrap();

    // Step 6 as the portal shows it.
    let grid = account.render_grid(CONTACT2).unwrap();
    let row = grid
        .lines()
        .find(|l| l.trim_start().starts_with("Manage Contacts "))
        .unwrap();
    assert!(row.ends_with("Allow  (None)  Allow  (None)"), "{row}");

    // Step 8: "This user can now view and update their security code."
    account
        .set_contact_code(&engine, CONTACT2, CONTACT2, &code(INDIVIDUAL_CODE))
        .unwrap();
    let v = account
        .verify(&engine, CONTACT2, &code(INDIVIDUAL_CODE))
        .unwrap();
    assert!(v.is_verified());

    let events = account.drain_audit();
    let changes = events
        .iter()
        .filter(|e| matches!(e.kind, AuditKind::PermissionChanged { .. }))
        .count();
    assert_eq!(changes, 2);
}

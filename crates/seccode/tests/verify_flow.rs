//! Verification per SPEC 2.4 to 2.7: uniform answers, lockout, unlock, rehash, legacy import.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use seccode::Slot;
use seccode::{
    Action, ContactDetails, ContactId, Error, Normalization, Outcome, Setting, VerifyReason,
};
use seccode::{Binding, HashParams};

const GOOD: &str = "Velvet thunder orchard lamp";
const WRONG: &str = "completely different words";

#[test]
fn wrong_code_unknown_deactivated_and_codeless_look_the_same() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account.set_account_code(&engine, JOE, &code(GOOD)).unwrap();
    account
        .set_contact_code(&engine, JOE, CONTACT, &code(GOOD))
        .unwrap();
    account.deactivate_contact(&engine, JOE, CONTACT).unwrap();

    let cases = [
        (JOE, WRONG, VerifyReason::WrongCode),
        (ContactId(9999), GOOD, VerifyReason::UnknownContact),
        (CONTACT, GOOD, VerifyReason::Deactivated),
        (CONTACT2, GOOD, VerifyReason::NoUsableCode),
    ];
    let mut shown = Vec::new();
    for (who, given, reason) in cases {
        let v = account.verify(&engine, who, &code(given)).unwrap();
        assert_eq!(v.outcome(), Outcome::NotVerified, "{who}");
        assert_eq!(v.reason(), reason, "{who}");
        assert!(v.upgrades().is_empty());
        shown.push(v.to_string());
    }
    // What the caller sees is the same text in every case.
    assert!(shown.iter().all(|s| s == "not verified"), "{shown:?}");
}

#[test]
fn five_failures_lock_for_thirty_minutes_and_success_resets() {
    let (engine, clock) = engine();
    let mut account = any_company(&engine);
    account.set_account_code(&engine, JOE, &code(GOOD)).unwrap();

    // Four failures, then a success: the count resets.
    for _ in 0..4 {
        let v = account.verify(&engine, JOE, &code(WRONG)).unwrap();
        assert_eq!(v.outcome(), Outcome::NotVerified);
    }
    assert_eq!(
        account.lock_status(&engine, JOE).unwrap().failed_attempts(),
        4
    );
    assert!(
        account
            .verify(&engine, JOE, &code(GOOD))
            .unwrap()
            .is_verified()
    );
    assert_eq!(
        account.lock_status(&engine, JOE).unwrap().failed_attempts(),
        0
    );

    // Five consecutive failures lock the contact.
    for i in 1..=5 {
        let v = account.verify(&engine, JOE, &code(WRONG)).unwrap();
        assert_eq!(v.outcome(), Outcome::NotVerified, "attempt {i}");
        assert_eq!(v.lock_status().failed_attempts(), i);
    }
    let v = account.verify(&engine, JOE, &code(GOOD)).unwrap();
    assert_eq!(v.outcome(), Outcome::Locked);
    assert_eq!(v.reason(), VerifyReason::Locked);

    // Still locked after 29 minutes, free after 30.
    clock.advance(29 * 60);
    assert_eq!(
        account.verify(&engine, JOE, &code(GOOD)).unwrap().outcome(),
        Outcome::Locked
    );
    clock.advance(60);
    assert!(
        account
            .verify(&engine, JOE, &code(GOOD))
            .unwrap()
            .is_verified()
    );
}

#[test]
fn unknown_ids_lock_too_so_locking_does_not_reveal_existence() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    let ghost = ContactId(424_242);
    for _ in 0..5 {
        assert_eq!(
            account
                .verify(&engine, ghost, &code(WRONG))
                .unwrap()
                .outcome(),
            Outcome::NotVerified
        );
    }
    assert_eq!(
        account
            .verify(&engine, ghost, &code(WRONG))
            .unwrap()
            .outcome(),
        Outcome::Locked
    );
    // The state survives a save and load.
    let again = seccode::Account::from_json(&account.to_json().unwrap()).unwrap();
    let mut again = again;
    assert_eq!(
        again
            .verify(&engine, ghost, &code(WRONG))
            .unwrap()
            .outcome(),
        Outcome::Locked
    );
}

#[test]
fn unlock_needs_manage_contacts_update() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account
        .set_contact_code(&engine, JOE, CONTACT2, &code(GOOD))
        .unwrap();
    for _ in 0..5 {
        account.verify(&engine, CONTACT2, &code(WRONG)).unwrap();
    }
    assert_eq!(
        account
            .verify(&engine, CONTACT2, &code(GOOD))
            .unwrap()
            .outcome(),
        Outcome::Locked
    );

    let err = account.unlock(&engine, CONTACT, CONTACT2).unwrap_err();
    assert!(matches!(err, Error::PermissionDenied(_)));

    let manage = account.catalog().require("Manage Contacts").unwrap();
    account
        .set_permission(
            &engine,
            JOE,
            CONTACT,
            manage,
            Action::Update,
            Setting::Allow,
        )
        .unwrap();
    account.unlock(&engine, CONTACT, CONTACT2).unwrap();
    assert!(
        account
            .verify(&engine, CONTACT2, &code(GOOD))
            .unwrap()
            .is_verified()
    );
}

#[test]
fn rehash_on_verify_when_parameters_change() {
    let clock = clock();
    let old = engine_with(cheap(), clock.clone());
    let mut account = any_company(&old);
    account.set_account_code(&old, JOE, &code(GOOD)).unwrap();
    let before = account.account_code_hash().unwrap().clone();

    let stronger = engine_with(
        HashParams {
            m_kib: 128,
            t: 2,
            p: 1,
        },
        clock,
    );
    // A wrong code upgrades nothing.
    let v = account.verify(&stronger, JOE, &code(WRONG)).unwrap();
    assert!(v.upgrades().is_empty());
    // The right one verifies under the old hash and yields the upgraded one.
    let v = account.verify(&stronger, JOE, &code(GOOD)).unwrap();
    assert!(v.is_verified());
    assert_eq!(v.upgrades().len(), 1);
    assert_eq!(v.upgrades()[0].slot(), Slot::AccountWide);
    let after = account.account_code_hash().unwrap();
    assert_ne!(after, &before);
    assert_eq!(
        after.params(),
        HashParams {
            m_kib: 128,
            t: 2,
            p: 1
        }
    );
    // Now current: no further upgrade.
    let v = account.verify(&stronger, JOE, &code(GOOD)).unwrap();
    assert!(v.upgrades().is_empty());
}

#[test]
fn changing_normalization_never_breaks_existing_codes() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account.set_account_code(&engine, JOE, &code(GOOD)).unwrap();
    account
        .set_normalization(&engine, JOE, Normalization::Exact)
        .unwrap();
    // The stored hash keeps its spoken normalization: a spoken variant still verifies. The
    // caller's spelling must not become the exact code, so the hash stays spoken.
    let v = account
        .verify(&engine, JOE, &code("velvet thunder orchard lamp"))
        .unwrap();
    assert!(v.is_verified());
    assert!(v.upgrades().is_empty());
    assert!(
        account
            .verify(&engine, JOE, &code(GOOD))
            .unwrap()
            .is_verified()
    );
    assert_eq!(
        account.account_code_hash().unwrap().normalization(),
        Normalization::Spoken
    );
    // A code set now is exact.
    account
        .set_contact_code(&engine, JOE, CONTACT2, &code("Quiet Harbor zebra violin"))
        .unwrap();
    assert!(
        !account
            .verify(&engine, CONTACT2, &code("quiet harbor zebra violin"))
            .unwrap()
            .is_verified()
    );

    // Back to spoken: the exact hash upgrades on its next success, and spoken variants work.
    account
        .set_normalization(&engine, JOE, Normalization::Spoken)
        .unwrap();
    let v = account
        .verify(&engine, CONTACT2, &code("Quiet Harbor zebra violin"))
        .unwrap();
    assert!(v.is_verified());
    assert_eq!(v.upgrades().len(), 1);
    assert_eq!(
        account
            .contact(CONTACT2)
            .unwrap()
            .code_hash()
            .unwrap()
            .normalization(),
        Normalization::Spoken
    );
    assert!(
        account
            .verify(&engine, CONTACT2, &code("quiet harbor, zebra violin"))
            .unwrap()
            .is_verified()
    );
}

#[test]
fn legacy_plaintext_phone_chat_code_is_hashed_on_import() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    // Legacy codes are migrated, not refused: even one the policy would reject today.
    account
        .import_legacy_code(&engine, Some(CONTACT2), &code("blue42"), false)
        .unwrap();
    let hash = account.contact(CONTACT2).unwrap().code_hash().unwrap();
    assert_eq!(hash.binding(), Binding::Scoped);
    assert!(!hash.phc().contains("blue42"));
    assert!(
        account
            .verify(&engine, CONTACT2, &code("Blue 42"))
            .unwrap()
            .is_verified()
    );
}

#[test]
fn hash_copied_onto_another_contact_does_not_verify() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account
        .set_contact_code(&engine, JOE, CONTACT, &code(GOOD))
        .unwrap();
    let mut record = account.to_record();
    let stolen = record
        .contacts
        .iter()
        .find(|c| c.id == CONTACT)
        .unwrap()
        .security_code
        .clone();
    for c in &mut record.contacts {
        if c.id == CONTACT2 {
            c.security_code = stolen.clone();
        }
    }
    let mut tampered = seccode::Account::from_record(record).unwrap();
    let v = tampered.verify(&engine, CONTACT2, &code(GOOD)).unwrap();
    assert_eq!(v.outcome(), Outcome::NotVerified);
    assert_eq!(v.reason(), VerifyReason::WrongCode);
}

#[test]
fn primary_contact_cannot_be_deactivated_and_deactivated_contacts_cannot_act() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    assert!(matches!(
        account.deactivate_contact(&engine, JOE, JOE),
        Err(Error::PrimaryContact(_))
    ));
    account.deactivate_contact(&engine, JOE, CONTACT).unwrap();
    assert!(!account.contact(CONTACT).unwrap().is_active());
    assert!(matches!(
        account.set_contact_code(&engine, CONTACT, CONTACT, &code(GOOD)),
        Err(Error::Deactivated(_))
    ));
    account.reactivate_contact(&engine, JOE, CONTACT).unwrap();
    assert!(account.contact(CONTACT).unwrap().is_active());
    assert!(matches!(
        account.add_contact(&engine, JOE, CONTACT, ContactDetails::named("Again")),
        Err(Error::DuplicateContact(_))
    ));
    assert!(matches!(
        account.add_contact(&engine, JOE, ContactId(1), ContactDetails::named("  ")),
        Err(Error::InvalidInput { .. })
    ));
}

#[test]
fn removing_contacts() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account
        .set_contact_code(&engine, JOE, CONTACT2, &code(GOOD))
        .unwrap();
    assert!(matches!(
        account.remove_contact(&engine, JOE, JOE),
        Err(Error::PrimaryContact(_))
    ));
    assert!(matches!(
        account.remove_contact(&engine, CONTACT, CONTACT2),
        Err(Error::PermissionDenied(_))
    ));
    account.remove_contact(&engine, JOE, CONTACT2).unwrap();
    assert!(matches!(
        account.contact(CONTACT2),
        Err(Error::UnknownContact(_))
    ));
    assert!(matches!(
        account.remove_contact(&engine, JOE, CONTACT2),
        Err(Error::UnknownContact(_))
    ));
    // Its code went with it: the id now answers like any unknown id.
    let v = account.verify(&engine, CONTACT2, &code(GOOD)).unwrap();
    assert_eq!(v.reason(), VerifyReason::UnknownContact);
    let again = seccode::Account::from_json(&account.to_json().unwrap()).unwrap();
    assert_eq!(again.contacts().count(), 2);
}

mod properties {
    use super::common::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// A code the policy accepts verifies (spoken variants too); a code whose normalized
        /// form differs does not.
        #[test]
        fn an_accepted_code_verifies_and_a_distinct_one_does_not(
            words in prop::collection::vec("[a-z]{4,9}", 4..7),
            extra in "[a-z]{1,3}",
        ) {
            let (engine, _) = engine();
            let mut account = any_company(&engine);
            let text = words.join(" ");
            let accepted = account.check_code(&engine, Some(CONTACT2), &code(&text)).unwrap();
            prop_assume!(accepted.is_empty());
            account.set_contact_code(&engine, JOE, CONTACT2, &code(&text)).unwrap();
            let shouted = format!("{}!", text.to_uppercase().replace(' ', ", "));
            prop_assert!(account.verify(&engine, CONTACT2, &code(&shouted)).unwrap().is_verified());
            let distinct = format!("{text}{extra}");
            prop_assert!(!account.verify(&engine, CONTACT2, &code(&distinct)).unwrap().is_verified());
        }
    }
}

//! The stored format: round trips, the old field name, and bad data as typed errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use proptest::prelude::*;
use seccode::{Account, Action, ContactDetails, ContactId, Error, ErrorKind, Setting};

const GOOD: &str = "Velvet thunder orchard lamp";

fn populated() -> Account {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account.set_account_code(&engine, JOE, &code(GOOD)).unwrap();
    account
        .set_contact_code(&engine, JOE, CONTACT2, &code("Quiet harbor zebra violin"))
        .unwrap();
    let manage = account.catalog().require("Manage Contacts").unwrap();
    let profile = account.catalog().require("Profile").unwrap();
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
    account
        .set_permission(&engine, JOE, CONTACT, profile, Action::View, Setting::Deny)
        .unwrap();
    account.deactivate_contact(&engine, JOE, CONTACT).unwrap();
    account
        .verify(&engine, CONTACT2, &code("nope nope nope"))
        .unwrap();
    account
}

#[test]
fn save_then_load_is_identity_and_holds_no_code() {
    let account = populated();
    let json = account.to_json().unwrap();
    assert!(json.contains("\"format\": 1"));
    assert!(!json.to_lowercase().contains("thunder"));
    assert!(!json.to_lowercase().contains("harbor"));
    let again = Account::from_json(&json).unwrap();
    assert_eq!(again.to_record(), account.to_record());
    assert_eq!(again.to_json().unwrap(), json);
    assert_eq!(
        again
            .lock_status(&engine().0, CONTACT2)
            .unwrap()
            .failed_attempts(),
        1
    );
}

#[test]
fn old_field_name_phone_chat_code_is_accepted() {
    let account = populated();
    let json = account
        .to_json()
        .unwrap()
        .replace("\"security_code\"", "\"phone_chat_code\"");
    let again = Account::from_json(&json).unwrap();
    assert_eq!(again.to_record(), account.to_record());
}

#[test]
fn a_bare_phc_string_loads_as_a_legacy_hash() {
    let json = r#"{"format":1,"id":1707,"name":"Any Company",
        "phone_chat_code":"$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzYWx0$q4Ez3BPrRd8q9RMiSS6pDwtxKJNOOVu6xXaHuU9sK0w",
        "contacts":[{"id":3522,"primary":true,"name":"Joe Example"}]}"#;
    let account = Account::from_json(json).unwrap();
    let hash = account.account_code_hash().unwrap();
    assert_eq!(hash.binding(), seccode::Binding::Legacy);
}

fn expect_kind(json: &str, kind: ErrorKind) -> Error {
    let err = Account::from_json(json).unwrap_err();
    assert_eq!(err.kind(), kind, "{err}");
    err
}

#[test]
fn bad_data_is_a_typed_error() {
    let contact = r#"{"id":3522,"primary":true,"name":"Joe Example"}"#;
    let ok = format!(r#"{{"format":1,"id":1707,"name":"Any Company","contacts":[{contact}]}}"#);
    Account::from_json(&ok).unwrap();

    assert!(matches!(
        expect_kind(
            &ok.replace("\"format\":1", "\"format\":2"),
            ErrorKind::MalformedData
        ),
        Error::UnsupportedFormat(2)
    ));
    expect_kind(&ok.replace("\"format\":1,", ""), ErrorKind::MalformedData);
    expect_kind("", ErrorKind::MalformedData);
    expect_kind("{", ErrorKind::MalformedData);
    expect_kind("[1,2,3]", ErrorKind::MalformedData);
    expect_kind(
        &ok.replace("\"primary\":true,", ""),
        ErrorKind::MalformedData,
    );
    let two = format!(
        r#"{{"format":1,"id":1707,"name":"A","contacts":[{contact},{{"id":3523,"primary":true,"name":"B"}}]}}"#
    );
    assert!(matches!(
        expect_kind(&two, ErrorKind::MalformedData),
        Error::InconsistentData(_)
    ));
    let dup = format!(r#"{{"format":1,"id":1707,"name":"A","contacts":[{contact},{contact}]}}"#);
    expect_kind(&dup, ErrorKind::MalformedData);
    let bad_hash = ok.replace(
        "\"contacts\"",
        "\"security_code\":{\"phc\":\"$argon2id$v=19$m=1,t=1$$\",\"normalization\":\"spoken\",\"binding\":\"scoped\"},\"contacts\"",
    );
    expect_kind(&bad_hash, ErrorKind::MalformedData);
    let bcrypt = ok.replace(
        "\"contacts\"",
        "\"security_code\":\"$2b$12$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01\",\"contacts\"",
    );
    expect_kind(&bcrypt, ErrorKind::MalformedData);
    let unknown_resource = ok.replace(
        "\"name\":\"Joe Example\"}",
        "\"name\":\"Joe Example\"},{\"id\":1,\"name\":\"X\",\"permissions\":{\"Nowhere\":{\"view\":\"allow\"}}}",
    );
    expect_kind(&unknown_resource, ErrorKind::MalformedData);
    let not_applicable = ok.replace(
        "\"name\":\"Joe Example\"}",
        "\"name\":\"Joe Example\"},{\"id\":1,\"name\":\"X\",\"permissions\":{\"Website\":{\"delete\":\"allow\"}}}",
    );
    expect_kind(&not_applicable, ErrorKind::MalformedData);
    let bad_catalog = ok.replace(
        "\"contacts\"",
        "\"catalog\":{\"resources\":[]},\"contacts\"",
    );
    expect_kind(&bad_catalog, ErrorKind::MalformedData);
    expect_kind(
        &ok.replace("\"name\":\"Any Company\"", "\"name\":\"\""),
        ErrorKind::MalformedData,
    );
}

#[test]
fn malformed_data_errors_do_not_echo_values() {
    // A plaintext code pasted where a hash belongs is refused without being repeated.
    let json = r#"{"format":1,"id":1707,"name":"A","security_code":{"phc":"hunter2 secret words","normalization":"spoken","binding":"scoped"},"contacts":[{"id":1,"primary":true,"name":"B"}]}"#;
    let err = Account::from_json(json).unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
    let json = r#"{"format":1,"id":"hunter2 secret","name":"A","contacts":[]}"#;
    let err = Account::from_json(json).unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Serialize then load is the identity, whatever the contacts and settings.
    #[test]
    fn serialize_then_load_is_identity(
        contacts in prop::collection::btree_map(1u64..10_000, "[A-Za-z][A-Za-z .'-]{0,30}", 0..12),
        cells in prop::collection::vec((0usize..13, 0usize..4, 0u8..3), 0..30),
        deactivate in prop::collection::vec(any::<bool>(), 12),
    ) {
        let (engine, _) = engine();
        let mut account = any_company(&engine);
        let ids: Vec<ContactId> = contacts.keys().map(|k| ContactId(k + 100_000)).collect();
        for (id, name) in ids.iter().zip(contacts.values()) {
            account.add_contact(&engine, JOE, *id, ContactDetails::named(name.clone())).unwrap();
        }
        let resources: Vec<_> = account.catalog().resources().collect();
        for (i, (r, a, s)) in cells.iter().enumerate() {
            if let Some(id) = ids.get(i % ids.len().max(1)) {
                let setting = [Setting::Inherit, Setting::Allow, Setting::Deny][*s as usize];
                let _ = account.set_permission(&engine, JOE, *id, resources[*r], Action::ALL[*a], setting);
            }
        }
        for (id, off) in ids.iter().zip(deactivate) {
            if off {
                account.deactivate_contact(&engine, JOE, *id).unwrap();
            }
        }
        let json = account.to_json().unwrap();
        let again = Account::from_json(&json).unwrap();
        prop_assert_eq!(again.to_record(), account.to_record());
        for id in &ids {
            prop_assert_eq!(again.render_grid(*id).unwrap(), account.render_grid(*id).unwrap());
        }
    }

    /// Loading never panics, whatever the bytes.
    #[test]
    fn loading_arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = Account::from_json(&text);
    }
}

#[test]
fn serde_messages_lose_quoted_values_but_keep_what_was_expected() {
    let json = r#"{"format":1,"id":1707,"name":"A","normalization":"hunter2 secret","contacts":[{"id":1,"primary":true,"name":"B"}]}"#;
    let err = Account::from_json(json).unwrap_err();
    let text = err.to_string();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(
        text.contains("unknown variant") && text.contains("spoken"),
        "{text}"
    );
    let err =
        seccode::Catalog::from_json(r#"{"resources":[{"name":"hunter2 secret","actions":"x"}]}"#)
            .unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert_eq!(err.as_str(), "invalid_catalog");
}

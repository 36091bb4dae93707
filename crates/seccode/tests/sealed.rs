//! Feature `sealed`: a portal that shows codes reveals them only to entitled actors.
#![cfg(feature = "sealed")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use seccode::Sealer;
use seccode::VerifierConfig;
use seccode::{Action, Engine, EngineConfig, Error, Setting};

fn sealing_engine(key: [u8; 32]) -> Engine {
    Engine::new(EngineConfig {
        verifier: VerifierConfig {
            params: cheap(),
            ..VerifierConfig::default()
        },
        clock: clock(),
        sealer: Some(Sealer::new("k1", key).unwrap()),
        ..EngineConfig::default()
    })
    .unwrap()
}

/// The seed account with an account-wide code and Contact Example 2's own, both sealed.
fn with_sealed_codes(engine: &Engine) -> seccode::Account {
    let mut account = any_company(engine);
    account
        .set_account_code(engine, JOE, &code("Velvet thunder orchard lamp"))
        .unwrap();
    account
        .set_contact_code(engine, JOE, CONTACT2, &code("Quiet harbor zebra violin"))
        .unwrap();
    account
}

#[test]
fn reveal_only_to_entitled_actors_and_only_with_the_key() {
    let engine = sealing_engine([7; 32]);
    let mut account = with_sealed_codes(&engine);

    // The owner may see both; the revealed code verifies.
    let revealed = account.reveal_account_code(&engine, JOE).unwrap();
    assert_eq!(revealed.expose_secret(), "Velvet thunder orchard lamp");
    assert!(
        account
            .verify(&engine, JOE, &code(revealed.expose_secret()))
            .unwrap()
            .is_verified()
    );
    let revealed = account.reveal_contact_code(&engine, JOE, CONTACT2).unwrap();
    assert_eq!(revealed.expose_secret(), "Quiet harbor zebra violin");
    assert_eq!(format!("{revealed:?}"), "RevealedCode(..)");
    assert_eq!(
        account
            .drain_audit()
            .iter()
            .filter(|e| e.kind.as_str() == "code_revealed")
            .count(),
        2,
        "every reveal is audited"
    );

    // Contact Example may not, until allowed Profile / View.
    assert!(matches!(
        account.reveal_account_code(&engine, CONTACT),
        Err(Error::PermissionDenied(_))
    ));
    let profile = account.catalog().require("Profile").unwrap();
    account
        .set_permission(&engine, JOE, CONTACT, profile, Action::View, Setting::Allow)
        .unwrap();
    assert!(account.reveal_account_code(&engine, CONTACT).is_ok());
    assert!(matches!(
        account.reveal_contact_code(&engine, CONTACT, CONTACT2),
        Err(Error::PermissionDenied(_))
    ));

    // The sealed copy survives save and load, and holds no plaintext.
    let json = account.to_json().unwrap();
    assert!(json.contains("sealed_code"));
    assert!(!json.to_lowercase().contains("velvet"));
    let mut loaded = seccode::Account::from_json(&json).unwrap();
    assert!(loaded.reveal_account_code(&engine, JOE).is_ok());

    // Another key cannot open it.
    let other = sealing_engine([9; 32]);
    assert!(loaded.reveal_account_code(&other, JOE).is_err());
}

/// Asking whether a code may be revealed makes every check the reveal makes before it opens
/// the copy, opens nothing and records nothing.
#[test]
fn may_reveal_answers_as_the_reveal_would_without_opening() {
    let engine = sealing_engine([7; 32]);
    let mut account = with_sealed_codes(&engine);
    account.drain_audit();

    account.may_reveal_account_code(&engine, JOE).unwrap();
    account
        .may_reveal_contact_code(&engine, JOE, CONTACT2)
        .unwrap();
    assert!(matches!(
        account.may_reveal_account_code(&engine, CONTACT),
        Err(Error::PermissionDenied(_))
    ));
    assert!(matches!(
        account.may_reveal_contact_code(&engine, CONTACT, CONTACT2),
        Err(Error::PermissionDenied(_))
    ));
    // No copy (a contact without a code), no sealing key, or a copy under a key the engine
    // does not have: refused as the reveal refuses them.
    for (may, reveal) in [
        (
            account.may_reveal_contact_code(&engine, JOE, CONTACT),
            account
                .clone()
                .reveal_contact_code(&engine, JOE, CONTACT)
                .map(drop),
        ),
        (
            account.may_reveal_account_code(&engine_without_key(), JOE),
            account
                .clone()
                .reveal_account_code(&engine_without_key(), JOE)
                .map(drop),
        ),
    ] {
        assert!(matches!(may, Err(Error::Sealed(_))), "{may:?}");
        assert_eq!(may, reveal);
    }
    let rotated = Engine::new(EngineConfig {
        sealer: Some(Sealer::new("k2", [9; 32]).unwrap()),
        ..EngineConfig::default()
    })
    .unwrap();
    assert!(matches!(
        account.may_reveal_account_code(&rotated, JOE),
        Err(Error::UnknownKey(k)) if k == "k1"
    ));
    assert!(account.drain_audit().is_empty(), "asking records nothing");
}

fn engine_without_key() -> Engine {
    Engine::new(EngineConfig::default()).unwrap()
}

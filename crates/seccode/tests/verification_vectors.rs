//! The shared vectors for verifications bound to their call (`vectors/verifications.json`,
//! SPEC 7) and for legacy imports (`vectors/imports.json`, SPEC 6), read here as in C and Python.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use seccode::{
    Account, AccountId, ContactDetails, ContactId, Decision, Engine, EngineConfig, HashParams,
    ManualClock, RequestKind, SecurityCode, Timestamp, VerifierConfig,
};
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn code(s: &str) -> SecurityCode {
    SecurityCode::try_from(s).unwrap()
}

fn engine(clock: Arc<ManualClock>, lifetime: i64) -> Engine {
    Engine::new(EngineConfig {
        verifier: VerifierConfig {
            params: HashParams {
                m_kib: 64,
                t: 1,
                p: 1,
            },
            ..VerifierConfig::default()
        },
        clock,
        verification_lifetime_secs: lifetime,
        ..EngineConfig::default()
    })
    .unwrap()
}

fn account(
    engine: &Engine,
    id: u64,
    name: &str,
    primary: (u64, &str),
    other: (u64, &str),
) -> Account {
    let mut a = Account::new(
        AccountId(id),
        name,
        ContactId(primary.0),
        ContactDetails::named(primary.1),
    )
    .unwrap();
    a.add_contact(
        engine,
        ContactId(primary.0),
        ContactId(other.0),
        ContactDetails::named(other.1),
    )
    .unwrap();
    a
}

#[test]
fn verifications_hold_for_one_call() {
    let v = vectors("verifications.json");
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 8);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let clock = Arc::new(ManualClock::new(Timestamp(v["start"].as_i64().unwrap())));
        let engine = engine(Arc::clone(&clock), v["lifetime_secs"].as_i64().unwrap());
        let joe = ContactId(3522);
        let mut any = account(
            &engine,
            1707,
            "Any Company",
            (3522, "Joe Example"),
            (3523, "Contact Example"),
        );
        let other = account(
            &engine,
            1708,
            "Other Company",
            (3600, "Jane Other"),
            (3523, "Someone Else"),
        );
        any.set_contact_code(
            &engine,
            joe,
            ContactId(3523),
            &code("quiet harbor zebra violin"),
        )
        .unwrap();
        let verification = any
            .verify(&engine, ContactId(3523), &code("quiet harbor zebra violin"))
            .unwrap();
        let call = verification
            .call()
            .cloned()
            .unwrap_or_else(|| panic!("{name}: not verified"));
        for step in case["steps"].as_array().unwrap() {
            let id = |key: &str| ContactId(step[key].as_u64().unwrap());
            if let Some(secs) = step["advance"].as_i64() {
                clock.advance(secs);
            } else if step.get("remove").is_some() {
                any.remove_contact(&engine, joe, id("remove")).unwrap();
            } else if step.get("add").is_some() {
                let details = ContactDetails::named(step["name"].as_str().unwrap());
                any.add_contact(&engine, joe, id("add"), details).unwrap();
            } else if step.get("deactivate").is_some() {
                any.deactivate_contact(&engine, joe, id("deactivate"))
                    .unwrap();
            } else if step.get("reactivate").is_some() {
                any.reactivate_contact(&engine, joe, id("reactivate"))
                    .unwrap();
            } else if step.get("set_contact_code").is_some() {
                let new = code(step["code"].as_str().unwrap());
                any.set_contact_code(&engine, joe, id("set_contact_code"), &new)
                    .unwrap();
            } else if let Some(text) = step["set_account_code"].as_str() {
                any.set_account_code(&engine, joe, &code(text)).unwrap();
            } else {
                panic!("{name}: unknown step {step}");
            }
        }
        let asked = match case["ask_account"].as_u64().unwrap() {
            1707 => &any,
            1708 => &other,
            n => panic!("{name}: no account {n}"),
        };
        assert_eq!(
            asked.call_status(&engine, &call).as_str(),
            case["status"].as_str().unwrap(),
            "{name}"
        );
        let decision = asked
            .authorize(&engine, &call, RequestKind::Routine)
            .unwrap();
        let expected = &case["routine"];
        assert_eq!(
            decision.as_str(),
            expected["decision"].as_str().unwrap(),
            "{name}"
        );
        match (&decision, expected["reason"].as_str()) {
            (Decision::Denied { reason }, Some(wanted)) => {
                assert_eq!(reason.as_str(), wanted, "{name}")
            }
            (Decision::Allowed, None) => {}
            (other, wanted) => panic!("{name}: {other:?}, expected reason {wanted:?}"),
        }
    }
}

#[test]
fn imports_over_the_ceilings_are_refused_and_replace_nothing() {
    let v = vectors("imports.json");
    for vector in v["vectors"].as_array().unwrap() {
        let note = vector["note"].as_str().unwrap();
        let clock = Arc::new(ManualClock::new(Timestamp(1_795_469_251)));
        let engine = engine(clock, 900);
        let joe = ContactId(3522);
        let contact = ContactId(3523);
        let mut any = account(
            &engine,
            1707,
            "Any Company",
            (3522, "Joe Example"),
            (3523, "Contact Example"),
        );
        any.set_contact_code(&engine, joe, contact, &code("quiet harbor zebra violin"))
            .unwrap();
        let before = any.contact(contact).unwrap().code_hash().cloned();
        let result = any.import_legacy_hash(
            &engine,
            Some(contact),
            vector["phc"].as_str().unwrap(),
            true,
        );
        match vector["error"].as_str() {
            Some(wanted) => {
                let err = result.expect_err(note);
                assert_eq!(err.as_str(), wanted, "{note}: {err}");
                assert_eq!(
                    any.contact(contact).unwrap().code_hash().cloned(),
                    before,
                    "{note}"
                );
                assert!(
                    any.verify(&engine, contact, &code("quiet harbor zebra violin"))
                        .unwrap()
                        .is_verified(),
                    "{note}: the code set before still verifies"
                );
            }
            None => {
                result.unwrap_or_else(|e| panic!("{note}: {e}"));
                assert!(any.unusable_hashes(&engine).is_empty(), "{note}");
            }
        }
    }
}

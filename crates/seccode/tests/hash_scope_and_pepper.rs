#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Scope binding (a hash copied onto another record fails there) and pepper rotation.

use seccode::{Binding, CodeHash, HashParams, Pepper, Scope};
use seccode::{Error, Normalization, SecurityCode};
use seccode::{SlotCheck, Verifier, VerifierConfig};

const CHEAP: HashParams = HashParams {
    m_kib: 64,
    t: 1,
    p: 1,
};

fn code(s: &str) -> SecurityCode {
    SecurityCode::try_from(s).unwrap()
}

fn pepper(id: &str, byte: u8) -> Pepper {
    Pepper::new(id, vec![byte; 32]).unwrap()
}

fn verifier(pepper: Option<Pepper>, retired_peppers: Vec<Pepper>) -> Verifier {
    Verifier::new(VerifierConfig {
        params: CHEAP,
        pepper,
        retired_peppers,
        ..VerifierConfig::default()
    })
    .unwrap()
}

const MATCHED: SlotCheck = SlotCheck {
    matched: true,
    outdated: false,
};

#[test]
fn a_hash_copied_to_another_record_fails() {
    let v = verifier(Some(pepper("k1", 1)), vec![]);
    let given = code("Purple monkey, dishwasher!");
    let home = Scope::contact(1707, 3522);
    let stored = v.hash(&given, Normalization::Spoken, &home).unwrap();
    assert_eq!(v.check(Some(&stored), &home, &given).unwrap(), MATCHED);
    for elsewhere in [
        Scope::contact(1707, 3523),
        Scope::contact(1708, 3522),
        Scope::account(1707),
        Scope::account(3522),
        Scope::contact(17, 73522),
        Scope::contact(170, 73522),
    ] {
        let r = v.check(Some(&stored), &elsewhere, &given).unwrap();
        assert!(!r.matched, "{elsewhere}");
    }
    // The same holds through serialization: nothing of the scope is in the stored form.
    let json = serde_json::to_string(&stored).unwrap();
    assert!(!json.contains("1707") && !json.contains("3522"), "{json}");
    let copied: CodeHash = serde_json::from_str(&json).unwrap();
    assert!(
        !v.check(Some(&copied), &Scope::contact(1707, 1), &given)
            .unwrap()
            .matched
    );
    assert!(v.check(Some(&copied), &home, &given).unwrap().matched);
}

#[test]
fn account_wide_hashes_are_bound_to_the_account() {
    let v = verifier(None, vec![]);
    let given = code("correct horse battery");
    let stored = v
        .hash(&given, Normalization::Exact, &Scope::account(1))
        .unwrap();
    assert!(
        v.check(Some(&stored), &Scope::account(1), &given)
            .unwrap()
            .matched
    );
    assert!(
        !v.check(Some(&stored), &Scope::account(2), &given)
            .unwrap()
            .matched
    );
    assert!(
        !v.check(Some(&stored), &Scope::contact(1, 1), &given)
            .unwrap()
            .matched
    );
}

#[test]
fn a_rotated_pepper_still_verifies_and_reports_outdated() {
    let scope = Scope::contact(1, 2);
    let given = code("correct horse battery");
    let before = verifier(Some(pepper("k1", 1)), vec![]);
    let stored = before.hash(&given, Normalization::Spoken, &scope).unwrap();
    assert_eq!(stored.key_id(), Some("k1"));
    assert!(stored.phc().contains(",keyid=azE$"), "{}", stored.phc());

    let after = verifier(Some(pepper("k2", 2)), vec![pepper("k1", 1)]);
    assert_eq!(after.current_key_id(), Some("k2"));
    assert_eq!(
        after.check(Some(&stored), &scope, &given).unwrap(),
        SlotCheck {
            matched: true,
            outdated: true
        }
    );
    assert!(after.is_outdated(&stored, Normalization::Spoken));
    assert!(
        !after
            .check(Some(&stored), &scope, &code("wrong horse battery"))
            .unwrap()
            .matched
    );

    // The upgrade is made under the new pepper and is current.
    let fresh = after.hash(&given, Normalization::Spoken, &scope).unwrap();
    assert_eq!(fresh.key_id(), Some("k2"));
    assert_eq!(after.check(Some(&fresh), &scope, &given).unwrap(), MATCHED);
}

#[test]
fn an_unknown_key_id_is_unknown_key() {
    let scope = Scope::contact(1, 2);
    let given = code("correct horse battery");
    let stored = verifier(Some(pepper("k1", 1)), vec![])
        .hash(&given, Normalization::Spoken, &scope)
        .unwrap();
    for v in [
        verifier(Some(pepper("k2", 2)), vec![]),
        verifier(None, vec![]),
        verifier(Some(pepper("k2", 2)), vec![pepper("k3", 3)]),
    ] {
        match v.check(Some(&stored), &scope, &given) {
            Err(Error::UnknownKey(id)) => assert_eq!(id, "k1"),
            other => panic!("{other:?}"),
        }
        assert_eq!(v.in_flight(), 0);
        // An unusable hash treated as absent costs the same and never matches.
        assert!(!v.check(None, &scope, &given).unwrap().matched);
    }
}

#[test]
fn adding_or_removing_a_pepper_marks_hashes_outdated() {
    let scope = Scope::account(7);
    let given = code("correct horse battery");
    let unpeppered = verifier(None, vec![]);
    let plain = unpeppered
        .hash(&given, Normalization::Spoken, &scope)
        .unwrap();
    assert_eq!(plain.key_id(), None);

    // Pepper added: the old unpeppered hash still verifies (no key id, no pepper) but is
    // outdated.
    let added = verifier(Some(pepper("k1", 1)), vec![]);
    assert_eq!(
        added.check(Some(&plain), &scope, &given).unwrap(),
        SlotCheck {
            matched: true,
            outdated: true
        }
    );

    // Pepper removed (kept as retired so old hashes still verify): outdated too.
    let peppered = added.hash(&given, Normalization::Spoken, &scope).unwrap();
    let removed = verifier(None, vec![pepper("k1", 1)]);
    assert_eq!(removed.current_key_id(), None);
    assert_eq!(
        removed.check(Some(&peppered), &scope, &given).unwrap(),
        SlotCheck {
            matched: true,
            outdated: true
        }
    );
}

#[test]
fn a_pepper_secret_matters() {
    let scope = Scope::account(7);
    let given = code("correct horse battery");
    let stored = verifier(Some(pepper("k1", 1)), vec![])
        .hash(&given, Normalization::Spoken, &scope)
        .unwrap();
    let impostor = verifier(Some(pepper("k1", 9)), vec![]);
    assert!(
        !impostor
            .check(Some(&stored), &scope, &given)
            .unwrap()
            .matched
    );
}

#[test]
fn outdated_params_and_normalization() {
    let scope = Scope::account(7);
    let given = code("Correct Horse Battery");
    let old = verifier(None, vec![]);
    let stored = old.hash(&given, Normalization::Exact, &scope).unwrap();
    assert_eq!(stored.normalization(), Normalization::Exact);
    assert!(
        !old.check(Some(&stored), &scope, &code("correct horse battery"))
            .unwrap()
            .matched
    );

    let stronger = Verifier::new(VerifierConfig {
        params: HashParams {
            m_kib: 128,
            t: 2,
            p: 1,
        },
        ..VerifierConfig::default()
    })
    .unwrap();
    let r = stronger.check(Some(&stored), &scope, &given).unwrap();
    assert_eq!(
        r,
        SlotCheck {
            matched: true,
            outdated: true
        }
    );
    assert!(!old.is_outdated(&stored, Normalization::Exact));
    assert!(old.is_outdated(&stored, Normalization::Spoken));

    // A stored legacy hash with current params is still outdated.
    let legacy = CodeHash::parse(stored.phc(), Normalization::Exact, Binding::Legacy).unwrap();
    assert!(old.is_outdated(&legacy, Normalization::Exact));
}

#[test]
fn absent_hashes_do_the_same_work_and_never_match() {
    let v = verifier(Some(pepper("k1", 1)), vec![]);
    let given = code("anything at all");
    for scope in [Scope::account(1), Scope::contact(1, 2)] {
        assert_eq!(
            v.check(None, &scope, &given).unwrap(),
            SlotCheck {
                matched: false,
                outdated: false
            }
        );
    }
    assert!(v.peak_in_flight() >= 1, "the dummy check ran Argon2");
}

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Legacy bcrypt hashes (SPEC 6): what PHP's `password_hash` made for years, imported as
//! legacy hashes, checked by the `bcrypt` crate, and replaced by a scoped Argon2id hash at the
//! first successful verification.
//!
//! `vectors/bcrypt_hashes.json` holds hashes made by PHP 8.2's `password_hash` and `crypt`
//! (the file says how, and what PHP's `password_verify` answered for each attempt), and the
//! hashes offered for import that must be refused. The `bcrypt` crate's own test vectors (made
//! by an online tool, Python's bcrypt and node's) are checked here too.

mod common;

use common::{CONTACT, JOE, code, engine};
use seccode::{
    AuditKind, BCRYPT_COST_CEILING, BCRYPT_MAX_CODE_LEN, Binding, CodeHash, Error, HashAlgorithm,
    HashCost, Normalization, Scope, Slot, SlotCheck, Verifier, VerifierConfig,
};

#[derive(serde::Deserialize)]
struct File {
    vectors: Vec<Vector>,
    refused: Vec<Refused>,
}

#[derive(serde::Deserialize)]
struct Vector {
    source: String,
    phc: String,
    attempts: Vec<Attempt>,
}

#[derive(serde::Deserialize)]
struct Attempt {
    code: String,
    matched: bool,
}

#[derive(serde::Deserialize)]
struct Refused {
    note: String,
    phc: String,
    error: Option<String>,
}

fn file() -> File {
    let file: File = serde_json::from_str(include_str!("vectors/bcrypt_hashes.json")).unwrap();
    assert!(file.vectors.len() >= 6 && file.refused.len() >= 8);
    file
}

fn verifier() -> Verifier {
    Verifier::new(VerifierConfig {
        params: common::cheap(),
        max_concurrent: 2,
        ..VerifierConfig::default()
    })
    .unwrap()
}

fn legacy(phc: &str) -> CodeHash {
    CodeHash::parse(phc, Normalization::Exact, Binding::Legacy).unwrap()
}

#[test]
fn php_hashes_verify_as_legacy_hashes_one_evaluation_each() {
    let v = verifier();
    let scope = Scope::contact(1707, 3523);
    let mut checked = 0;
    for vector in file().vectors {
        let stored = legacy(&vector.phc);
        assert_eq!(
            stored.algorithm(),
            HashAlgorithm::Bcrypt,
            "{}",
            vector.source
        );
        assert_eq!(
            Some(stored.cost()),
            vector.phc[4..6]
                .parse::<u32>()
                .ok()
                .map(|cost| HashCost::Bcrypt { cost }),
            "{}",
            vector.source
        );
        assert!(
            vector.attempts.iter().any(|a| a.matched),
            "{}",
            vector.source
        );
        for attempt in &vector.attempts {
            let before = v.evaluations();
            let r = v
                .check(Some(&stored), &scope, &code(&attempt.code))
                .unwrap();
            assert_eq!(
                r,
                SlotCheck {
                    matched: attempt.matched,
                    outdated: true
                },
                "{}: {:?}",
                vector.source,
                attempt.code
            );
            assert_eq!(v.evaluations(), before + 1, "{}", vector.source);
            checked += 1;
        }
    }
    assert!(checked >= 15);
}

#[test]
fn a_code_over_72_bytes_never_matches_even_where_bcrypt_would() {
    let file = file();
    let vector = file
        .vectors
        .iter()
        .find(|v| {
            v.attempts
                .iter()
                .any(|a| a.code.len() > BCRYPT_MAX_CODE_LEN)
        })
        .unwrap();
    let long = vector
        .attempts
        .iter()
        .find(|a| a.code.len() > BCRYPT_MAX_CODE_LEN)
        .unwrap();
    // The bcrypt crate alone (like PHP) accepts it: it ignores the bytes past 72.
    assert!(bcrypt::verify(long.code.as_bytes(), &vector.phc).unwrap());
    let v = verifier();
    let r = v
        .check(
            Some(&legacy(&vector.phc)),
            &Scope::account(1),
            &code(&long.code),
        )
        .unwrap();
    assert!(!r.matched);
}

#[test]
fn the_bcrypt_crates_own_vectors_verify() {
    // From the bcrypt crate's tests: an online tool ($2a$), Python's bcrypt ($2b$), node ($2a$).
    let v = verifier();
    for (phc, good) in [
        (
            "$2a$04$UuTkLRZZ6QofpDOlMz32MuuxEHA43WOemOYHPz6.SjsVsyO1tDU96",
            "password",
        ),
        (
            "$2b$04$EGdrhbKUv8Oc9vGiXX0HQOxSg445d458Muh7DAHskb6QbtCvdxcie",
            "correctbatteryhorsestapler",
        ),
        (
            "$2a$04$n4Uy0eSnMfvnESYL.bLwuuj0U/ETSsoTpRT9GVk5bektyVVa5xnIi",
            "correctbatteryhorsestapler",
        ),
    ] {
        let stored = legacy(phc);
        let scope = Scope::account(7);
        assert!(v.check(Some(&stored), &scope, &code(good)).unwrap().matched);
        let wrong = format!("{good}!");
        assert!(
            !v.check(Some(&stored), &scope, &code(&wrong))
                .unwrap()
                .matched
        );
    }
}

#[test]
fn import_refuses_malformed_and_over_the_ceiling_replacing_nothing() {
    let (engine, _) = engine();
    let mut account = common::any_company(&engine);
    account
        .import_legacy_code(&engine, Some(CONTACT), &code("an older code 11"), false)
        .unwrap();
    for r in file().refused {
        let kept = account.contact(CONTACT).unwrap().code_hash().cloned();
        assert!(kept.is_some());
        let result = account.import_legacy_hash(&engine, Some(CONTACT), &r.phc, true);
        match &r.error {
            None => {
                result.unwrap_or_else(|e| panic!("{}: {e}", r.note));
                let stored = account.contact(CONTACT).unwrap().code_hash().unwrap();
                assert_eq!(stored.phc(), r.phc, "{}", r.note);
                // Put the previous code back for the next entries.
                account
                    .import_legacy_code(&engine, Some(CONTACT), &code("an older code 11"), true)
                    .unwrap();
            }
            Some(name) => {
                let err = result
                    .err()
                    .unwrap_or_else(|| panic!("{}: accepted", r.note));
                assert_eq!(err.as_str(), name, "{}: {err}", r.note);
                // Never echoes the hash (beyond what identifies the algorithm).
                let msg = err.to_string();
                assert!(!msg.contains(&r.phc[7..20]), "{}: {msg}", r.note);
                let now = account.contact(CONTACT).unwrap().code_hash().cloned();
                assert_eq!(now, kept, "{}: replaced", r.note);
            }
        }
    }
}

#[test]
fn an_imported_php_hash_is_upgraded_to_argon2id_at_the_first_success() {
    let (engine, _) = engine();
    let mut account = common::any_company(&engine);
    let file = file();
    let vector = &file.vectors[0];
    let good = vector.attempts.iter().find(|a| a.matched).unwrap();
    let bad = vector.attempts.iter().find(|a| !a.matched).unwrap();
    account
        .import_legacy_hash(&engine, Some(CONTACT), &vector.phc, false)
        .unwrap();
    // The saved account keeps the bcrypt string as a legacy hash, and loads it back.
    let json = serde_json::to_string(&account.contact(CONTACT).unwrap().code_hash()).unwrap();
    assert!(
        json.contains(&vector.phc) && json.contains("\"legacy\""),
        "{json}"
    );
    let back: CodeHash = serde_json::from_str(&json).unwrap();
    assert_eq!(back.algorithm(), HashAlgorithm::Bcrypt);
    let bare: CodeHash = serde_json::from_str(&format!("\"{}\"", vector.phc)).unwrap();
    assert_eq!(bare, back);
    account.drain_audit();

    let evaluations = engine.verifier().evaluations();
    let v = account.verify(&engine, CONTACT, &code(&bad.code)).unwrap();
    assert!(!v.is_verified());
    assert!(v.upgrades().is_empty());
    // One bcrypt evaluation for the individual code, one Argon2id for the account-wide slot.
    assert_eq!(engine.verifier().evaluations(), evaluations + 2);
    let still = account.contact(CONTACT).unwrap().code_hash().unwrap();
    assert_eq!(still.algorithm(), HashAlgorithm::Bcrypt);

    let v = account.verify(&engine, CONTACT, &code(&good.code)).unwrap();
    assert!(v.is_verified());
    assert_eq!(v.upgrades().len(), 1);
    assert_eq!(v.upgrades()[0].slot(), Slot::Individual);
    let upgraded = account.contact(CONTACT).unwrap().code_hash().unwrap();
    assert_eq!(upgraded.algorithm(), HashAlgorithm::Argon2id);
    assert_eq!(upgraded.binding(), Binding::Scoped);
    assert_eq!(upgraded.params(), common::cheap());
    assert_eq!(upgraded, v.upgrades()[0].hash());
    assert!(account.drain_audit().iter().any(|e| matches!(
        e.kind,
        AuditKind::CodeUpgraded {
            slot: Slot::Individual
        }
    )));
    // The upgraded hash is current, bound to the contact, and the bcrypt string is gone.
    let v = account.verify(&engine, CONTACT, &code(&good.code)).unwrap();
    assert!(v.is_verified() && v.upgrades().is_empty());
    let saved = serde_json::to_string(&account.contact(CONTACT).unwrap().code_hash()).unwrap();
    assert!(!saved.contains("$2y$"), "{saved}");
    assert!(
        !account
            .verify(&engine, JOE, &code(&good.code))
            .unwrap()
            .is_verified()
    );
}

#[test]
fn bcrypt_is_legacy_only_and_not_a_plain_hash() {
    let phc = &file().vectors[0].phc;
    let err = CodeHash::parse(phc, Normalization::Spoken, Binding::Scoped).unwrap_err();
    assert!(matches!(err, Error::MalformedHash(_)), "{err}");
    let v = verifier();
    let err = v
        .verify_plain(phc, &code("Purple monkey dishwasher"), Normalization::Exact)
        .unwrap_err();
    assert!(matches!(err, Error::MalformedHash(_)), "{err}");
    let h = legacy(phc);
    assert_eq!(h.key_id(), None);
    assert_eq!(h.params().t, 0, "a bcrypt hash has no Argon2id parameters");
    assert_eq!(h.cost(), HashCost::Bcrypt { cost: 4 });
    assert_eq!(h.cost().to_string(), "bcrypt cost=4", "what the faces show");
    let argon2 = verifier()
        .hash_plain(&code("Purple monkey dishwasher"), Normalization::Exact)
        .unwrap();
    let argon2 = legacy(&argon2);
    assert_eq!(argon2.cost(), HashCost::Argon2id(argon2.params()));
    assert_eq!(argon2.cost().to_string(), argon2.params().to_string());
    assert_eq!(format!("{h:?}"), "CodeHash(bcrypt cost=4 exact legacy)");
    assert_eq!(HashAlgorithm::Bcrypt.to_string(), "bcrypt");
}

#[test]
fn over_the_ceiling_is_refused_before_any_work() {
    let base = &file().vectors[0].phc;
    let over = format!("$2y${}{}", BCRYPT_COST_CEILING + 1, &base[6..]);
    let stored = legacy(&over);
    let v = verifier();
    let before = v.evaluations();
    let err = v
        .check(Some(&stored), &Scope::account(1), &code("anything"))
        .unwrap_err();
    assert!(matches!(err, Error::HashCeilingExceeded(_)), "{err}");
    assert!(v.usable(&stored).is_err());
    assert_eq!(v.evaluations(), before);
}

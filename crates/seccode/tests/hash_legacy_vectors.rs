#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Known-answer tests against Argon2id hashes made by other implementations.
//!
//! `vectors/legacy_hashes.json` holds PHC strings produced by argon2-cffi (`PasswordHasher`
//! with small costs, including 8-byte salts / 16-byte outputs and 64-byte salts / outputs),
//! by libsodium through PyNaCl (`nacl.pwhash.argon2id.str`), the reference implementation's
//! own test vector, and strings made by seccode's `Verifier::hash_plain` that argon2-cffi's
//! `PasswordHasher().verify` accepted when the file was generated. They were made in a
//! throwaway venv (`python3 -m venv /tmp/legacy && /tmp/legacy/bin/pip install argon2-cffi
//! pynacl`); the file records the versions.
//!
//! Each entry must verify, as a legacy `CodeHash` and through `verify_plain`, with every
//! `verifies_with` code and with none of the `fails_with` codes.

use seccode::{Binding, CodeHash, Scope};
use seccode::{Normalization, SecurityCode};
use seccode::{SlotCheck, Verifier, VerifierConfig};

#[derive(serde::Deserialize)]
struct File {
    vectors: Vec<Vector>,
}

#[derive(serde::Deserialize)]
struct Vector {
    source: String,
    phc: String,
    code: String,
    normalization: Normalization,
    verifies_with: Vec<String>,
    fails_with: Vec<String>,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("vectors/legacy_hashes.json");
    let file: File = serde_json::from_str(text).unwrap();
    assert!(file.vectors.len() >= 6);
    file.vectors
}

fn code(s: &str) -> SecurityCode {
    SecurityCode::try_from(s).unwrap()
}

fn verifier() -> Verifier {
    Verifier::new(VerifierConfig {
        params: seccode::HashParams {
            m_kib: 64,
            t: 1,
            p: 1,
        },
        max_concurrent: 4,
        ..VerifierConfig::default()
    })
    .unwrap()
}

#[test]
fn every_vector_verifies_as_a_legacy_hash() {
    let v = verifier();
    let scope = Scope::contact(1707, 3522);
    for vector in vectors() {
        let stored = CodeHash::parse(&vector.phc, vector.normalization, Binding::Legacy)
            .unwrap_or_else(|e| panic!("{}: {e}", vector.source));
        assert!(
            vector.verifies_with.contains(&vector.code),
            "{}",
            vector.source
        );
        for good in &vector.verifies_with {
            let r = v.check(Some(&stored), &scope, &code(good)).unwrap();
            assert_eq!(
                r,
                SlotCheck {
                    matched: true,
                    outdated: true
                },
                "{}: {good:?}",
                vector.source
            );
            // The scope does not enter a legacy hash.
            let r = v
                .check(Some(&stored), &Scope::account(1), &code(good))
                .unwrap();
            assert!(r.matched, "{}", vector.source);
        }
        for bad in &vector.fails_with {
            let r = v.check(Some(&stored), &scope, &code(bad)).unwrap();
            assert!(!r.matched, "{}: {bad:?}", vector.source);
        }
        assert!(v.is_outdated(&stored, vector.normalization));
    }
}

#[test]
fn verify_plain_agrees() {
    let v = verifier();
    for vector in vectors() {
        for good in &vector.verifies_with {
            assert!(
                v.verify_plain(&vector.phc, &code(good), vector.normalization)
                    .unwrap(),
                "{}: {good:?}",
                vector.source
            );
        }
        for bad in &vector.fails_with {
            assert!(
                !v.verify_plain(&vector.phc, &code(bad), vector.normalization)
                    .unwrap(),
                "{}: {bad:?}",
                vector.source
            );
        }
    }
}

#[test]
fn bare_strings_deserialize_as_legacy_exact() {
    for vector in vectors() {
        let json = serde_json::to_string(&vector.phc).unwrap();
        let stored: CodeHash = serde_json::from_str(&json).unwrap();
        assert_eq!(stored.binding(), Binding::Legacy);
        assert_eq!(stored.normalization(), Normalization::Exact);
        assert_eq!(stored.phc(), vector.phc);
        assert_eq!(stored.key_id(), None);
    }
}

#[test]
fn a_verified_legacy_hash_upgrades_to_a_scoped_one() {
    let v = verifier();
    let scope = Scope::contact(1707, 3522);
    let vector = vectors().into_iter().next().unwrap();
    let stored = CodeHash::parse(&vector.phc, vector.normalization, Binding::Legacy).unwrap();
    let given = code(&vector.code);
    assert!(v.check(Some(&stored), &scope, &given).unwrap().matched);
    let fresh = v.hash(&given, Normalization::Spoken, &scope).unwrap();
    assert_eq!(fresh.binding(), Binding::Scoped);
    assert_eq!(
        v.check(Some(&fresh), &scope, &given).unwrap(),
        SlotCheck {
            matched: true,
            outdated: false
        }
    );
    assert!(!v.is_outdated(&fresh, Normalization::Spoken));
}

#[test]
fn our_plain_hashes_are_standard() {
    // What hash_plain writes has the exact shape other implementations write.
    let v = Verifier::new(VerifierConfig::default()).unwrap();
    let phc = v
        .hash_plain(&code("Correct Horse Battery Staple"), Normalization::Exact)
        .unwrap();
    let parts: Vec<&str> = phc.split('$').collect();
    assert_eq!(parts.len(), 6, "{phc}");
    assert_eq!(&parts[..4], &["", "argon2id", "v=19", "m=19456,t=2,p=1"]);
    assert_eq!(parts[4].len(), 22); // 16-byte salt, unpadded base64
    assert_eq!(parts[5].len(), 43); // 32-byte hash, unpadded base64
}

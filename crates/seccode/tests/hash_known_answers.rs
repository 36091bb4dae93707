#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Frozen known answers for seccode's own scoped hashes: `vectors/scoped_hashes.json`.
//!
//! Fixed codes, a fixed salt and small fixed parameters, for each scope (the account-wide code
//! of account 1707, the individual code of contact 3523 in account 1707), with and without a
//! pepper, under both normalizations. The PHC strings were made once by seccode itself and
//! frozen. A stored hash is only ever checked by recomputing it, so if the input layout (the
//! domain prefix, the scope label, the pepper's use, the normalization) changed, every code
//! already stored would stop verifying; these tests fail first:
//!
//! - hashing each code again with the same salt gives the frozen string exactly;
//! - each frozen string verifies through the ordinary `CodeHash` / `Verifier::check` path, and
//!   not under the other scope, another pepper secret, or the other normalization;
//! - each frozen hash equals a direct Argon2id computation (the `argon2` crate, without
//!   seccode) of the layout DESIGN.md documents, from the normalized form and the scope label
//!   the file spells out.

use argon2::{Algorithm, Argon2, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;

use seccode::{Binding, CodeHash, HashParams, Pepper, Scope};
use seccode::{Error, Normalization, SecurityCode};
use seccode::{SlotCheck, Verifier, VerifierConfig};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[allow(dead_code)]
    description: String,
    #[allow(dead_code)]
    generated_with: String,
    params: HashParams,
    salt_hex: String,
    pepper: PepperSpec,
    vectors: Vec<Vector>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PepperSpec {
    key_id: String,
    secret_hex: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    code: String,
    normalization: Normalization,
    normalized: String,
    account: u64,
    contact: Option<u64>,
    scope_label: String,
    peppered: bool,
    phc: String,
}

impl Vector {
    fn scope(&self) -> Scope {
        match self.contact {
            None => Scope::account(self.account),
            Some(contact) => Scope::contact(self.account, contact),
        }
    }

    /// The same record's other scope: the account-wide code for a contact's, and the contact's
    /// for the account-wide one.
    fn other_scope(&self) -> Scope {
        match self.contact {
            None => Scope::contact(self.account, 3523),
            Some(_) => Scope::account(self.account),
        }
    }

    fn code(&self) -> SecurityCode {
        SecurityCode::try_from(self.code.as_str()).unwrap()
    }

    fn stored(&self, normalization: Normalization) -> CodeHash {
        CodeHash::parse(&self.phc, normalization, Binding::Scoped).unwrap()
    }
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "{s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn file() -> File {
    let file: File = serde_json::from_str(include_str!("vectors/scoped_hashes.json")).unwrap();
    assert_eq!(file.vectors.len(), 16);
    file
}

fn verifier(file: &File, pepper_secret: Option<Vec<u8>>) -> Verifier {
    Verifier::new(VerifierConfig {
        params: file.params,
        pepper: pepper_secret.map(|secret| Pepper::new(&file.pepper.key_id, secret).unwrap()),
        max_concurrent: 2,
        ..VerifierConfig::default()
    })
    .unwrap()
}

fn verifier_for(file: &File, vector: &Vector) -> Verifier {
    verifier(file, vector.peppered.then(|| hex(&file.pepper.secret_hex)))
}

#[test]
fn the_vectors_cover_every_combination() {
    let file = file();
    let mut seen: Vec<(&str, Normalization, Option<u64>, bool)> = file
        .vectors
        .iter()
        .map(|v| (v.code.as_str(), v.normalization, v.contact, v.peppered))
        .collect();
    seen.sort_by_key(|s| format!("{s:?}"));
    seen.dedup();
    assert_eq!(
        seen.len(),
        16,
        "2 codes x 2 normalizations x 2 scopes x 2 peppers"
    );
    // Every input changes the hash: no two vectors share a string.
    let mut phcs: Vec<&str> = file.vectors.iter().map(|v| v.phc.as_str()).collect();
    phcs.sort_unstable();
    phcs.dedup();
    assert_eq!(phcs.len(), 16);
}

#[test]
fn hashing_again_with_the_same_salt_gives_the_frozen_strings() {
    let file = file();
    let salt = hex(&file.salt_hex);
    for vector in &file.vectors {
        let v = verifier_for(&file, vector);
        let made = v
            .hash_with_salt(&vector.code(), vector.normalization, &vector.scope(), &salt)
            .unwrap();
        assert_eq!(
            made.phc(),
            vector.phc,
            "{} {} {} peppered={}",
            vector.code,
            vector.normalization,
            vector.scope_label,
            vector.peppered
        );
        assert_eq!(vector.scope().label(), vector.scope_label);
        let normalized = vector.normalization.apply(&vector.code());
        assert_eq!(normalized.as_str(), vector.normalized);
    }
}

#[test]
fn the_frozen_strings_verify_and_only_where_they_belong() {
    let file = file();
    for vector in &file.vectors {
        let what = format!(
            "{} {} {} peppered={}",
            vector.code, vector.normalization, vector.scope_label, vector.peppered
        );
        let v = verifier_for(&file, vector);
        let stored = vector.stored(vector.normalization);
        assert_eq!(stored.params(), file.params, "{what}");
        assert_eq!(
            stored.key_id(),
            vector.peppered.then_some(file.pepper.key_id.as_str()),
            "{what}"
        );
        assert_eq!(
            v.check(Some(&stored), &vector.scope(), &vector.code())
                .unwrap(),
            SlotCheck {
                matched: true,
                outdated: false
            },
            "{what}"
        );

        // Copied onto the other record: computed with that record's scope, fails.
        let elsewhere = v
            .check(Some(&stored), &vector.other_scope(), &vector.code())
            .unwrap();
        assert!(!elsewhere.matched, "{what}: other scope");

        // Recorded under the other normalization: the code's other form does not match.
        let other = match vector.normalization {
            Normalization::Spoken => Normalization::Exact,
            Normalization::Exact => Normalization::Spoken,
        };
        let mislabeled = vector.stored(other);
        assert!(
            !v.check(Some(&mislabeled), &vector.scope(), &vector.code())
                .unwrap()
                .matched,
            "{what}: other normalization"
        );

        if vector.peppered {
            // Same key id, another secret: fails; no such key: refused before any work.
            let wrong = verifier(&file, Some(vec![0x5A; 32]));
            assert!(
                !wrong
                    .check(Some(&stored), &vector.scope(), &vector.code())
                    .unwrap()
                    .matched,
                "{what}: other pepper"
            );
            let unpeppered = verifier(&file, None);
            assert!(
                matches!(
                    unpeppered.check(Some(&stored), &vector.scope(), &vector.code()),
                    Err(Error::UnknownKey(_))
                ),
                "{what}: no pepper"
            );
        }
    }
}

#[test]
fn the_frozen_hashes_follow_the_documented_input_layout() {
    let file = file();
    let salt = hex(&file.salt_hex);
    let secret = hex(&file.pepper.secret_hex);
    for vector in &file.vectors {
        let parts: Vec<&str> = vector.phc.split('$').collect();
        assert_eq!(parts.len(), 6, "{}", vector.phc);
        assert_eq!(STANDARD_NO_PAD.decode(parts[4]).unwrap(), salt);
        let frozen = STANDARD_NO_PAD.decode(parts[5]).unwrap();

        let mut input = b"seccode/v1\0".to_vec();
        input.extend_from_slice(vector.scope_label.as_bytes());
        input.push(0);
        input.extend_from_slice(vector.normalized.as_bytes());
        let params = argon2::Params::new(
            file.params.m_kib,
            file.params.t,
            file.params.p,
            Some(frozen.len()),
        )
        .unwrap();
        let argon = if vector.peppered {
            Argon2::new_with_secret(&secret, Algorithm::Argon2id, Version::V0x13, params).unwrap()
        } else {
            Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        };
        let mut direct = vec![0u8; frozen.len()];
        argon
            .hash_password_into(&input, &salt, &mut direct)
            .unwrap();
        assert_eq!(
            direct, frozen,
            "{} {} {} peppered={}",
            vector.code, vector.normalization, vector.scope_label, vector.peppered
        );
    }
}

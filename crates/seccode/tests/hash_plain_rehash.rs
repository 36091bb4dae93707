#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `Verifier::needs_rehash_plain`: the rehash rule for plain Argon2id PHC strings (the Python
//! face's `needs_rehash`, as argon2-cffi's `check_needs_rehash`).

use seccode::{Error, HashParams, Normalization, SecurityCode};
use seccode::{Verifier, VerifierConfig};

const SALT_16: &str = "c29tZXNhbHRzb21lc2FsdA";
const SALT_8: &str = "c29tZXNhbHQ";
const HASH_32: &str = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
const HASH_16: &str = "CTFhFdXPJO1aFaMaO6Mm5Q";

fn verifier(m_kib: u32, t: u32, p: u32) -> Verifier {
    Verifier::new(VerifierConfig {
        params: HashParams { m_kib, t, p },
        ..VerifierConfig::default()
    })
    .unwrap()
}

fn code() -> SecurityCode {
    SecurityCode::try_from("purple monkey dishwasher").unwrap()
}

#[test]
fn a_fresh_plain_hash_needs_none_and_other_parameters_do() {
    let v = verifier(64, 1, 1);
    let phc = v.hash_plain(&code(), Normalization::Spoken).unwrap();
    assert!(!v.needs_rehash_plain(&phc).unwrap());
    // The same string under other current parameters: each of m, t and p counts.
    for (m, t, p) in [(128, 1, 1), (64, 2, 1), (64, 1, 2)] {
        assert!(
            verifier(m, t, p).needs_rehash_plain(&phc).unwrap(),
            "m={m},t={t},p={p}"
        );
    }
}

#[test]
fn the_default_parameters_are_the_current_ones_by_default() {
    let v = Verifier::new(VerifierConfig::default()).unwrap();
    let current = format!("$argon2id$v=19$m=19456,t=2,p=1${SALT_16}${HASH_32}");
    assert!(!v.needs_rehash_plain(&current).unwrap());
    let weaker = format!("$argon2id$v=19$m=65536,t=1,p=4${SALT_16}${HASH_32}");
    assert!(v.needs_rehash_plain(&weaker).unwrap());
}

#[test]
fn other_salt_or_output_lengths_need_a_rehash() {
    let v = verifier(64, 1, 1);
    let params = "m=64,t=1,p=1";
    let both = format!("$argon2id$v=19${params}${SALT_16}${HASH_32}");
    assert!(!v.needs_rehash_plain(&both).unwrap());
    let short_salt = format!("$argon2id$v=19${params}${SALT_8}${HASH_32}");
    assert!(v.needs_rehash_plain(&short_salt).unwrap());
    let short_output = format!("$argon2id$v=19${params}${SALT_16}${HASH_16}");
    assert!(v.needs_rehash_plain(&short_output).unwrap());
}

#[test]
fn a_hash_over_the_ceilings_needs_a_rehash_and_costs_nothing() {
    let v = verifier(64, 1, 1);
    let before = v.evaluations();
    let over = format!("$argon2id$v=19$m=4294967295,t=1,p=1${SALT_16}${HASH_32}");
    assert!(v.needs_rehash_plain(&over).unwrap());
    assert!(matches!(
        v.verify_plain(&over, &code(), Normalization::Exact),
        Err(Error::HashCeilingExceeded(_))
    ));
    assert_eq!(v.evaluations(), before, "no Argon2 work");
}

#[test]
fn malformed_strings_are_refused_as_verify_plain_refuses_them() {
    let v = verifier(64, 1, 1);
    let tail = format!("{SALT_16}${HASH_32}");
    for phc in [
        String::new(),
        "purple monkey dishwasher".to_owned(),
        format!("$argon2i$v=19$m=64,t=1,p=1${tail}"),
        format!("$argon2id$v=16$m=64,t=1,p=1${tail}"),
        format!("$argon2id$v=19$m=64,t=1${tail}"),
        format!("$argon2id$v=19$m=64,t=1,p=1${SALT_16}"),
        // A key id means a pepper, which a plain hash has not.
        format!("$argon2id$v=19$m=64,t=1,p=1,keyid=azE${tail}"),
        // bcrypt is imported into an account, never a plain hash.
        "$2y$04$Ei9RGWwF06v2xkoEGF8bTu6AeV/BsX4w9lbDijULnpwEicfwaMyy6".to_owned(),
    ] {
        let err = v.needs_rehash_plain(&phc).unwrap_err();
        assert!(matches!(err, Error::MalformedHash(_)), "{phc:?}: {err:?}");
        let plain = v
            .verify_plain(&phc, &code(), Normalization::Exact)
            .unwrap_err();
        assert!(
            matches!(plain, Error::MalformedHash(_)),
            "{phc:?}: {plain:?}"
        );
        assert!(!err.to_string().contains(HASH_32), "{err}");
    }
}

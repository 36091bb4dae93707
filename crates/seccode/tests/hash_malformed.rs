#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Stored hashes that must be refused: malformed PHC strings (`MalformedHash`, never echoing
//! the hash) and parameters over the ceilings (`HashCeilingExceeded`, before any memory is
//! allocated).

use std::time::{Duration, Instant};

use seccode::{Binding, Ceilings, CodeHash, HashParams, Scope};
use seccode::{Error, Normalization, SecurityCode};
use seccode::{Verifier, VerifierConfig};

const SALT: &str = "c29tZXNhbHRzb21lc2FsdA"; // 16 bytes
const HASH: &str = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"; // 32 bytes

fn cheap_verifier() -> Verifier {
    Verifier::new(VerifierConfig {
        params: HashParams {
            m_kib: 64,
            t: 1,
            p: 1,
        },
        ..VerifierConfig::default()
    })
    .unwrap()
}

fn code() -> SecurityCode {
    SecurityCode::try_from("purple monkey dishwasher").unwrap()
}

fn malformed_strings() -> Vec<String> {
    let ok_tail = format!("{SALT}${HASH}");
    let mut list = vec![
        // Empty, not PHC at all.
        String::new(),
        "argon2id".to_owned(),
        "$".to_owned(),
        "$$$$$".to_owned(),
        "purple monkey dishwasher".to_owned(),
        // Other algorithms.
        format!("$argon2i$v=19$m=19456,t=2,p=1${ok_tail}"),
        format!("$argon2d$v=19$m=19456,t=2,p=1${ok_tail}"),
        // bcrypt is accepted as a legacy hash (tests/hash_bcrypt.rs), but not crypt_blowfish's
        // buggy `$2x$` variant, nor a bcrypt string of the wrong length.
        "$2x$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW".to_owned(),
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMU".to_owned(),
        "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E"
            .to_owned(),
        format!("$ARGON2ID$v=19$m=19456,t=2,p=1${ok_tail}"),
        // Versions.
        format!("$argon2id$m=19456,t=2,p=1${ok_tail}"),
        format!("$argon2id$v=16$m=19456,t=2,p=1${ok_tail}"),
        format!("$argon2id$v=20$m=19456,t=2,p=1${ok_tail}"),
        format!("$argon2id$v=019$m=19456,t=2,p=1${ok_tail}"),
        // Missing or extra fields.
        format!("$argon2id$v=19$m=19456,t=2,p=1${SALT}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1${SALT}$"),
        format!("$argon2id$v=19$m=19456,t=2,p=1$${HASH}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1${ok_tail}$"),
        format!("$argon2id$v=19$m=19456,t=2,p=1$${ok_tail}"),
        format!("$argon2id$v=19$${ok_tail}"),
        format!("argon2id$v=19$m=19456,t=2,p=1${ok_tail}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1${ok_tail} "),
        format!(" $argon2id$v=19$m=19456,t=2,p=1${ok_tail}"),
        // Parameters missing, reordered, duplicated, unknown, or out of range.
        format!("$argon2id$v=19$m=19456,t=2${ok_tail}"),
        format!("$argon2id$v=19$t=2,m=19456,p=1${ok_tail}"),
        format!("$argon2id$v=19$m=19456,m=19456,t=2,p=1${ok_tail}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1,x=1${ok_tail}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1,data=Dw8PDw8P${ok_tail}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1,${ok_tail}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1,keyid=${ok_tail}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1,keyid=!!!!${ok_tail}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1,keyid=AAECAwQFBgcICQ${ok_tail}"), // 10 bytes
        format!("$argon2id$v=19$m=19456,t=2,p=1,keyid=AAE${ok_tail}"),            // not printable
        format!("$argon2id$v=19$m=4294967296,t=2,p=1${ok_tail}"),
        format!("$argon2id$v=19$m=99999999999999999999999999,t=2,p=1${ok_tail}"),
        format!("$argon2id$v=19$m=-1,t=2,p=1${ok_tail}"),
        format!("$argon2id$v=19$m=0x4c00,t=2,p=1${ok_tail}"),
        format!("$argon2id$v=19$m=19456,t=0,p=1${ok_tail}"),
        format!("$argon2id$v=19$m=19456,t=2,p=0${ok_tail}"),
        format!("$argon2id$v=19$m=4,t=2,p=1${ok_tail}"),
        format!("$argon2id$v=19$m=19456,t=2,p=16777216${ok_tail}"),
        // Base64: bad characters, padding, URL-safe alphabet, stray trailing bits.
        format!("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ*${HASH}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1${SALT}==${HASH}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1${SALT}${HASH}="),
        format!(
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPd"
        ),
        format!("$argon2id$v=19$m=19456,t=2,p=1$c29-ZXNhbHRzb21lc2FsdA${HASH}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdAAAA${HASH}"),
        // Salt and hash lengths.
        format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA${HASH}"), // 4-byte salt
        format!("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbA${HASH}"), // 7-byte salt
        format!("$argon2id$v=19$m=19456,t=2,p=1${}${HASH}", "A".repeat(88)), // 66-byte salt
        format!("$argon2id$v=19$m=19456,t=2,p=1${SALT}$AAAAAAAAAAAAAAAAAAAA"), // 15-byte hash
        format!("$argon2id$v=19$m=19456,t=2,p=1${SALT}${}", "A".repeat(88)), // 66-byte hash
        // Too long overall.
        format!("$argon2id$v=19$m=19456,t=2,p=1${SALT}${}", "A".repeat(600)),
    ];
    // Non-ASCII and control characters.
    list.push(format!(
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2Fsd\u{e9}${HASH}"
    ));
    list.push(format!("$argon2id$v=19$m=19456,t=2,p=1\n${ok_tail}"));
    list.push(format!("$argon2id\0$v=19$m=19456,t=2,p=1${ok_tail}"));
    list
}

#[test]
fn the_good_baseline_parses() {
    let good = format!("$argon2id$v=19$m=19456,t=2,p=1${SALT}${HASH}");
    CodeHash::parse(&good, Normalization::Spoken, Binding::Scoped).unwrap();
    let with_key = format!("$argon2id$v=19$m=19456,t=2,p=1,keyid=azE${SALT}${HASH}");
    let h = CodeHash::parse(&with_key, Normalization::Spoken, Binding::Scoped).unwrap();
    assert_eq!(h.key_id(), Some("k1"));
}

#[test]
fn malformed_strings_are_malformed_hash() {
    let list = malformed_strings();
    assert!(list.len() >= 20);
    let v = cheap_verifier();
    for phc in &list {
        for binding in [Binding::Scoped, Binding::Legacy] {
            match CodeHash::parse(phc, Normalization::Spoken, binding) {
                Err(Error::MalformedHash(message)) => {
                    assert!(!message.contains(SALT), "{phc:?}: {message}");
                    assert!(!message.contains("CTFh"), "{phc:?}: {message}");
                    assert!(!message.contains("AAAAAAAA"), "{phc:?}: {message}");
                }
                other => panic!("{phc:?} gave {other:?}"),
            }
        }
        assert!(
            matches!(
                v.verify_plain(phc, &code(), Normalization::Exact),
                Err(Error::MalformedHash(_))
            ),
            "{phc:?}"
        );
        let json = serde_json::to_string(phc).unwrap();
        let err = serde_json::from_str::<CodeHash>(&json)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("malformed stored hash"), "{phc:?}: {err}");
        let object = format!(r#"{{"phc":{json},"normalization":"spoken","binding":"scoped"}}"#);
        let err = serde_json::from_str::<CodeHash>(&object)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("malformed stored hash"), "{phc:?}: {err}");
    }
}

#[test]
fn malformed_objects_are_refused() {
    let good = format!("$argon2id$v=19$m=19456,t=2,p=1${SALT}${HASH}");
    for json in [
        format!(r#"{{"phc":"{good}","normalization":"loose","binding":"scoped"}}"#),
        format!(r#"{{"phc":"{good}","normalization":"spoken","binding":"other"}}"#),
        format!(r#"{{"phc":"{good}","normalization":"spoken"}}"#),
        format!(r#"{{"phc":"{good}","normalization":"spoken","binding":"scoped","x":1}}"#),
        r#"{"normalization":"spoken","binding":"scoped"}"#.to_owned(),
        "null".to_owned(),
        "[]".to_owned(),
        "17".to_owned(),
    ] {
        assert!(serde_json::from_str::<CodeHash>(&json).is_err(), "{json}");
    }
    // A legacy hash cannot carry a pepper key id.
    let keyed = format!("$argon2id$v=19$m=19456,t=2,p=1,keyid=azE${SALT}${HASH}");
    assert!(matches!(
        CodeHash::parse(&keyed, Normalization::Exact, Binding::Legacy),
        Err(Error::MalformedHash(_))
    ));
    assert!(serde_json::from_str::<CodeHash>(&format!("\"{keyed}\"")).is_err());
}

#[test]
fn ceilings_refuse_huge_parameters_at_once() {
    let v = Verifier::new(VerifierConfig::default()).unwrap();
    assert_eq!(v.ceilings(), Ceilings::default());
    let scope = Scope::account(1707);
    for params in [
        "m=4294967295,t=2,p=1",
        "m=262145,t=2,p=1",
        "m=19456,t=4294967295,p=1",
        "m=19456,t=17,p=1",
        "m=4294967295,t=2,p=16777215",
        "m=19456,t=2,p=17",
        "m=262144,t=16,p=17",
    ] {
        let phc = format!("$argon2id$v=19${params}${SALT}${HASH}");
        let stored = CodeHash::parse(&phc, Normalization::Spoken, Binding::Scoped).unwrap();
        let start = Instant::now();
        let err = v.check(Some(&stored), &scope, &code()).unwrap_err();
        assert!(
            matches!(err, Error::HashCeilingExceeded(_)),
            "{params}: {err:?}"
        );
        assert!(v.usable(&stored).is_err());
        let err = v
            .verify_plain(&phc, &code(), Normalization::Exact)
            .unwrap_err();
        assert!(
            matches!(err, Error::HashCeilingExceeded(_)),
            "{params}: {err:?}"
        );
        // A 4 TiB allocation would abort or take ages; a refused one takes nothing. (Generous
        // bound: this is a smoke check, not a timing assertion.)
        assert!(start.elapsed() < Duration::from_secs(5), "{params}");
        assert_eq!(v.in_flight(), 0);
    }
}

#[test]
fn ceilings_are_configurable() {
    let v = Verifier::new(VerifierConfig {
        params: HashParams {
            m_kib: 64,
            t: 1,
            p: 1,
        },
        ceilings: Ceilings {
            max_m_kib: 128,
            max_t: 2,
            max_p: 1,
        },
        ..VerifierConfig::default()
    })
    .unwrap();
    let at = v
        .hash_plain(&code(), Normalization::Exact)
        .unwrap()
        .replace("m=64,t=1", "m=128,t=2");
    // Parameters at the ceiling are computed (the hash simply does not match any more).
    assert!(!v.verify_plain(&at, &code(), Normalization::Exact).unwrap());
    let over = at.replace("m=128", "m=129");
    assert!(matches!(
        v.verify_plain(&over, &code(), Normalization::Exact),
        Err(Error::HashCeilingExceeded(_))
    ));
    // Current parameters over the ceilings are a configuration error.
    assert!(matches!(
        Verifier::new(VerifierConfig {
            params: HashParams::default(),
            ceilings: Ceilings {
                max_m_kib: 1024,
                ..Ceilings::default()
            },
            ..VerifierConfig::default()
        }),
        Err(Error::InvalidInput { .. })
    ));
}

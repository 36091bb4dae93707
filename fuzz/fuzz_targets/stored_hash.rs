//! Untrusted input: a stored hash (a PHC string, bare or in its JSON object form) and the code
//! checked against it.
//!
//! - `CodeHash::parse` and serde on arbitrary strings answer a hash or a typed error; what
//!   parses keeps its exact text, re-parses equal and survives a serde round trip.
//! - `Verifier::check` / `verify_plain` run under tight ceilings (m <= 64 KiB, t <= 2,
//!   p <= 2): a hash over a ceiling is refused before any work, so no input can make the
//!   target allocate more than 64 KiB of Argon2 memory.
//! - Differential: a hash built here with the raw `argon2` crate over the input layout that
//!   DESIGN.md documents (legacy: the normalized code; scoped: `seccode/v1\0 || scope || \0 ||
//!   normalized`, with the pepper as Argon2 secret) must verify, and must stop verifying when
//!   one byte of its output changes.
#![no_main]

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use argon2::{Algorithm, Argon2, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use libfuzzer_sys::fuzz_target;
use seccode::{
    Binding, Ceilings, CodeHash, Error, HashCost, HashParams, Normalization, Pepper, Scope,
    SecurityCode, Verifier, VerifierConfig,
};

const CURRENT_KEY: (&str, u8) = ("k1", 0x11);
const RETIRED_KEY: (&str, u8) = ("k0", 0x22);

fn pepper((id, byte): (&str, u8)) -> Pepper {
    Pepper::new(id, vec![byte; 32]).expect("valid pepper")
}

fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        Verifier::new(VerifierConfig {
            params: HashParams {
                m_kib: 8,
                t: 1,
                p: 1,
            },
            ceilings: Ceilings {
                max_m_kib: 64,
                max_t: 2,
                max_p: 2,
            },
            pepper: Some(pepper(CURRENT_KEY)),
            retired_peppers: vec![pepper(RETIRED_KEY)],
            max_concurrent: 1,
        })
        .expect("valid verifier")
    })
}

/// Input layout: `text 0xFF code 0xFF rest`; `text` is a PHC string or a JSON document
/// holding a stored hash (lossily decoded), `code` the code's bytes, and `rest` feeds
/// `arbitrary` for [`Knobs`]. 0xFF never occurs in UTF-8, so the seeds are plain text.
#[derive(Arbitrary, Debug)]
struct Knobs {
    spoken: bool,
    legacy: bool,
    account: u64,
    contact: Option<u64>,
    made: Option<Made>,
}

/// A hash to build with the raw argon2 crate.
#[derive(Arbitrary, Debug)]
struct Made {
    m: u8,
    t: u8,
    p: u8,
    salt: Vec<u8>,
    out_len: u8,
    /// 0: legacy; 1: scoped, no pepper; 2: scoped, current pepper; 3: scoped, retired pepper.
    kind: u8,
    flip: u8,
}

fn normalization(spoken: bool) -> Normalization {
    if spoken {
        Normalization::Spoken
    } else {
        Normalization::Exact
    }
}

/// Invariants of any hash that parsed.
fn check_parsed(hash: &CodeHash, text: Option<&str>) {
    if let Some(text) = text {
        assert_eq!(hash.phc(), text, "a parsed hash keeps its exact text");
    }
    if let HashCost::Bcrypt { .. } = hash.cost() {
        assert_eq!(hash.binding(), Binding::Legacy, "bcrypt is legacy only");
    } else {
        let params = hash.params();
        params.validate().expect("parsed parameters are valid");
    }
    if hash.binding() == Binding::Legacy {
        assert!(hash.key_id().is_none(), "a legacy hash has no key id");
    }
    let again = CodeHash::parse(hash.phc(), hash.normalization(), hash.binding())
        .expect("a parsed hash re-parses");
    assert!(again == *hash);
    let json = serde_json::to_string(hash).expect("serializes");
    let back: CodeHash = serde_json::from_str(&json).expect("deserializes");
    assert!(back == *hash, "serde round trip");
    // Debug shows neither salt nor hash.
    let shown = format!("{hash:?}");
    let parts: Vec<&str> = hash.phc().split('$').collect();
    if let [_, _, _, _, salt, out] = parts.as_slice() {
        assert!(!shown.contains(out), "Debug shows the hash");
        assert!(
            salt.len() < 4 || !shown.contains(salt),
            "Debug shows the salt"
        );
    }
}

/// Check a parsed hash with the verifier: refused before any work when over a ceiling or
/// naming an unknown key, else an answer.
fn verify_parsed(hash: &CodeHash, scope: &Scope, code: &SecurityCode) {
    let v = verifier();
    let ceilings = v.ceilings();
    // A legacy bcrypt hash has its own ceiling (a cost over seccode::BCRYPT_COST_CEILING).
    let bcrypt_cost = match hash.cost() {
        HashCost::Bcrypt { cost } => Some(cost),
        _ => None,
    };
    let over = match bcrypt_cost {
        Some(cost) => cost > seccode::BCRYPT_COST_CEILING,
        None => ceilings.check(&hash.params()).is_err(),
    };
    if bcrypt_cost.is_some_and(|cost| !over && cost > 6) {
        // Up to 2^16 bcrypt rounds: too slow for a fuzzer; only the cheap refusals are run.
        assert!(v.usable(hash).is_ok());
        return;
    }
    let known_key = hash
        .key_id()
        .is_none_or(|k| k == CURRENT_KEY.0 || k == RETIRED_KEY.0);
    match v.check(Some(hash), scope, code) {
        Ok(_) => assert!(!over && known_key, "checked a hash it should refuse"),
        Err(Error::HashCeilingExceeded(_)) => assert!(over),
        Err(Error::UnknownKey(_)) => assert!(!over && !known_key),
        Err(other) => panic!("unexpected error {other:?}"),
    }
    assert_eq!(v.usable(hash).is_ok(), !over && known_key);
}

fn scoped_input(scope: &Scope, normalized: &str) -> Vec<u8> {
    let mut input = b"seccode/v1\0".to_vec();
    input.extend_from_slice(scope.label().as_bytes());
    input.push(0);
    input.extend_from_slice(normalized.as_bytes());
    input
}

fn differential(made: &Made, spoken: bool, scope: &Scope, code: &SecurityCode) {
    let p = u32::from(made.p % 2) + 1;
    let m = (u32::from(made.m) % 57 + 8).max(8 * p);
    let t = u32::from(made.t % 2) + 1;
    let mut salt = made.salt.clone();
    salt.truncate(64);
    salt.resize(salt.len().max(8), 0xA5);
    let out_len = usize::from(made.out_len % 49) + 16;
    let n = normalization(spoken);
    let normalized = n.apply(code);

    let (input, key): (Vec<u8>, Option<(&str, u8)>) = match made.kind % 4 {
        0 => (normalized.as_bytes().to_vec(), None),
        1 => (scoped_input(scope, &normalized), None),
        2 => (scoped_input(scope, &normalized), Some(CURRENT_KEY)),
        _ => (scoped_input(scope, &normalized), Some(RETIRED_KEY)),
    };
    let params = argon2::Params::new(m, t, p, Some(out_len)).expect("valid raw params");
    let secret = key.map(|(_, byte)| vec![byte; 32]);
    let argon = match &secret {
        Some(secret) => {
            Argon2::new_with_secret(secret, Algorithm::Argon2id, Version::V0x13, params)
                .expect("valid secret")
        }
        None => Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
    };
    let mut out = vec![0u8; out_len];
    argon
        .hash_password_into(&input, &salt, &mut out)
        .expect("raw argon2");

    let phc = |out: &[u8]| {
        let keyid = key
            .map(|(id, _)| format!(",keyid={}", STANDARD_NO_PAD.encode(id)))
            .unwrap_or_default();
        format!(
            "$argon2id$v=19$m={m},t={t},p={p}{keyid}${}${}",
            STANDARD_NO_PAD.encode(&salt),
            STANDARD_NO_PAD.encode(out)
        )
    };
    let v = verifier();
    let binding = if made.kind.is_multiple_of(4) {
        Binding::Legacy
    } else {
        Binding::Scoped
    };
    let good = CodeHash::parse(&phc(&out), n, binding).expect("a well-formed hash parses");
    check_parsed(&good, None);
    let r = v
        .check(Some(&good), scope, code)
        .expect("within the ceilings");
    assert!(
        r.matched,
        "the raw argon2 hash does not verify: {}",
        good.phc()
    );
    if binding == Binding::Legacy {
        assert!(v.verify_plain(good.phc(), code, n).expect("plain verify"));
    }

    let i = usize::from(made.flip) % out_len;
    if let Some(byte) = out.get_mut(i) {
        *byte ^= 0x01;
    }
    let bad = CodeHash::parse(&phc(&out), n, binding).expect("still well-formed");
    assert!(
        !v.check(Some(&bad), scope, code).expect("checks").matched,
        "a changed hash verifies"
    );
    if binding == Binding::Legacy {
        assert!(!v.verify_plain(bad.phc(), code, n).expect("plain verify"));
    }
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0xFF);
    let text = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let code = parts.next().unwrap_or_default();
    let Ok(input) = Knobs::arbitrary_take_rest(Unstructured::new(parts.next().unwrap_or_default()))
    else {
        return;
    };
    let text: &str = &text;
    let code = SecurityCode::from_utf8(code)
        .unwrap_or_else(|_| SecurityCode::from_str_copy("fallback code").expect("valid"));
    let scope = match input.contact {
        Some(contact) => Scope::contact(input.account, contact),
        None => Scope::account(input.account),
    };
    let n = normalization(input.spoken);
    let binding = if input.legacy {
        Binding::Legacy
    } else {
        Binding::Scoped
    };

    if let Ok(hash) = CodeHash::parse(text, n, binding) {
        check_parsed(&hash, Some(text));
        verify_parsed(&hash, &scope, &code);
    }
    if let Ok(hash) = serde_json::from_str::<CodeHash>(text) {
        check_parsed(&hash, None);
        verify_parsed(&hash, &scope, &code);
    }
    match verifier().verify_plain(text, &code, n) {
        Ok(_) => {
            let plain = CodeHash::parse(text, n, Binding::Legacy).expect("verified, so parses");
            assert!(verifier().ceilings().check(&plain.params()).is_ok());
        }
        Err(Error::MalformedHash(_) | Error::HashCeilingExceeded(_)) => {}
        Err(other) => panic!("unexpected error {other:?}"),
    }
    // No stored hash: the dummy never matches.
    if text.is_empty() {
        assert!(
            !verifier()
                .check(None, &scope, &code)
                .expect("dummy check")
                .matched
        );
    }
    if let Some(made) = &input.made {
        differential(made, input.spoken, &scope, &code);
    }
});

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Property tests: a hashed code always checks; a code whose normalized form differs never
//! does; stored hashes survive serialization; no PHC input makes parsing panic.

use std::sync::OnceLock;

use proptest::prelude::*;
use seccode::{Binding, CodeHash, HashParams, Pepper, Scope};
use seccode::{Normalization, SecurityCode};
use seccode::{Verifier, VerifierConfig};

fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        Verifier::new(VerifierConfig {
            params: HashParams {
                m_kib: 32,
                t: 1,
                p: 1,
            },
            pepper: Some(Pepper::new("prop", vec![0x5A; 32]).unwrap()),
            ..VerifierConfig::default()
        })
        .unwrap()
    })
}

fn normalization() -> impl Strategy<Value = Normalization> {
    prop_oneof![Just(Normalization::Spoken), Just(Normalization::Exact)]
}

fn scope() -> impl Strategy<Value = Scope> {
    prop_oneof![
        any::<u64>().prop_map(Scope::account),
        (any::<u64>(), any::<u64>()).prop_map(|(a, c)| Scope::contact(a, c)),
    ]
}

/// Codes: printable text with some Unicode, spaces and punctuation, at least one letter.
fn code_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,.!?'\u{e9}\u{df}\u{3a9}\u{ff21}-]{0,30}[a-z\u{e9}]"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn hash_then_check_matches(
        text in code_text(),
        n in normalization(),
        scope in scope(),
    ) {
        let v = verifier();
        let given = SecurityCode::try_from(text.as_str()).unwrap();
        let stored = v.hash(&given, n, &scope).unwrap();
        prop_assert_eq!(stored.binding(), Binding::Scoped);
        prop_assert_eq!(stored.normalization(), n);
        let r = v.check(Some(&stored), &scope, &given).unwrap();
        prop_assert!(r.matched);
        prop_assert!(!r.outdated);
        // Round trip through the stored form.
        let back: CodeHash = serde_json::from_str(&serde_json::to_string(&stored).unwrap()).unwrap();
        prop_assert_eq!(&back, &stored);
        prop_assert!(v.check(Some(&back), &scope, &given).unwrap().matched);
    }

    #[test]
    fn a_different_normalized_code_does_not_match(
        a in code_text(),
        b in code_text(),
        n in normalization(),
        scope in scope(),
    ) {
        let v = verifier();
        let code_a = SecurityCode::try_from(a.as_str()).unwrap();
        let code_b = SecurityCode::try_from(b.as_str()).unwrap();
        let same = n.apply(&code_a).as_str() == n.apply(&code_b).as_str();
        let stored = v.hash(&code_a, n, &scope).unwrap();
        prop_assert_eq!(v.check(Some(&stored), &scope, &code_b).unwrap().matched, same);
    }

    #[test]
    fn appending_a_letter_never_matches(
        text in code_text(),
        extra in "[a-z]",
        n in normalization(),
        scope in scope(),
    ) {
        let v = verifier();
        let stored = v.hash(&SecurityCode::try_from(text.as_str()).unwrap(), n, &scope).unwrap();
        let longer = SecurityCode::try_from(format!("{text}{extra}")).unwrap();
        prop_assert!(!v.check(Some(&stored), &scope, &longer).unwrap().matched);
    }

    #[test]
    fn plain_hashes_round_trip(text in code_text(), n in normalization()) {
        let v = verifier();
        let given = SecurityCode::try_from(text.as_str()).unwrap();
        let phc = v.hash_plain(&given, n).unwrap();
        prop_assert!(v.verify_plain(&phc, &given, n).unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parsing_arbitrary_strings_never_panics(s in ".{0,600}") {
        let _ = CodeHash::parse(&s, Normalization::Spoken, Binding::Scoped);
    }

    #[test]
    fn parsing_phc_shaped_strings_never_panics(
        alg in prop_oneof![Just("argon2id".to_owned()), "[a-z0-9]{0,9}"],
        v in prop_oneof![Just("v=19".to_owned()), "v=[0-9]{0,3}"],
        m in "[0-9]{0,12}",
        t in "[0-9]{0,12}",
        p in "[0-9]{0,12}",
        extra in prop_oneof![Just(String::new()), ",keyid=[A-Za-z0-9+/]{0,12}", ",[a-z]{1,5}=[A-Za-z0-9+/]{0,12}"],
        salt in "[A-Za-z0-9+/=]{0,90}",
        hash in "[A-Za-z0-9+/=]{0,90}",
    ) {
        let s = format!("${alg}${v}$m={m},t={t},p={p}{extra}${salt}${hash}");
        if let Ok(h) = CodeHash::parse(&s, Normalization::Spoken, Binding::Scoped) {
            // Whatever parses is canonical and reparses identically.
            prop_assert_eq!(h.phc(), s.as_str());
            let again = CodeHash::parse(h.phc(), Normalization::Spoken, Binding::Scoped).unwrap();
            prop_assert_eq!(again, h);
        }
    }
}

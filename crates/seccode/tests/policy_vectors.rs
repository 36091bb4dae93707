//! Known-answer vectors for the code policy (SPEC 2.2), shared with the other faces:
//! `tests/vectors/policy.json`. Each case lists the full set of reasons, chosen by hand from
//! the rules documented on `CodePolicy`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use seccode::{CodePolicy, PolicyContext, Reason};
use seccode::{Normalization, SecurityCode};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Context {
    account_id: Option<u64>,
    account_name: Option<String>,
    contact_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    note: String,
    code: String,
    normalization: Normalization,
    context: Context,
    reasons: Vec<Reason>,
}

impl Context {
    fn policy_context(&self) -> PolicyContext<'_> {
        PolicyContext {
            account_id: self.account_id,
            account_name: self.account_name.as_deref(),
            contact_name: self.contact_name.as_deref(),
            email: self.email.as_deref(),
            phone: self.phone.as_deref(),
        }
    }
}

fn cases() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/policy.json");
    let text = std::fs::read_to_string(path).expect("read policy.json");
    serde_json::from_str(&text).expect("parse policy.json")
}

#[test]
fn vectors_give_the_recorded_reasons() {
    let policy = CodePolicy::default();
    let mut failures = Vec::new();
    for case in cases() {
        let code = SecurityCode::from_str_copy(&case.code).unwrap();
        let got = policy.check(&code, case.normalization, &case.context.policy_context());
        if got != case.reasons {
            failures.push(format!(
                "{} ({:?}, {}): expected {:?}, got {:?}",
                case.note, case.code, case.normalization, case.reasons, got
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn vectors_cover_every_reason() {
    let cases = cases();
    for reason in Reason::ALL {
        assert!(
            cases.iter().any(|c| c.reasons.contains(&reason)),
            "no case rejected for {reason:?}"
        );
        // A code short enough to be too short is always too easy to guess as well.
        if reason != Reason::TooShort {
            assert!(
                cases.iter().any(|c| c.reasons == [reason]),
                "no case rejected for {reason:?} alone"
            );
        }
    }
    assert!(cases.iter().filter(|c| c.reasons.is_empty()).count() >= 5);
}

#[test]
fn recorded_reasons_are_sorted_and_unique() {
    for case in cases() {
        assert!(
            case.reasons.windows(2).all(|w| w[0] < w[1]),
            "{}: {:?}",
            case.note,
            case.reasons
        );
    }
}

/// A check of a 128-character code stays under a millisecond in an optimized build (the
/// strength estimator dominates). The best of several rounds is compared, so a busy machine
/// does not fail the test; debug builds only report.
#[test]
fn a_long_code_checks_quickly() {
    let policy = CodePolicy::default();
    let ctx = PolicyContext {
        account_id: Some(1707),
        account_name: Some("Any Company"),
        contact_name: Some("Joe Example"),
        email: Some("marketing@viviotech.net"),
        phone: Some("000-000-0000"),
    };
    let words: String = "quartz lantern velvet osprey tangerine ember "
        .chars()
        .cycle()
        .take(150)
        .collect();
    let random = "xK9#mQ2vL7pRtZ4wN8sD3fG6hJ1kB5cV0".repeat(4);
    for text in [&words[..], &random[..128], &"a".repeat(128)[..]] {
        let code = SecurityCode::from_str_copy(text).unwrap();
        policy.check(&code, Normalization::Spoken, &ctx); // build the lists once
        let best = (0..5)
            .map(|_| {
                let start = Instant::now();
                for _ in 0..10 {
                    std::hint::black_box(policy.check(&code, Normalization::Spoken, &ctx));
                }
                start.elapsed() / 10
            })
            .min()
            .unwrap();
        if cfg!(debug_assertions) {
            eprintln!("policy check of a long code: {best:?} (debug build)");
        } else {
            assert!(best < Duration::from_millis(1), "{best:?}");
        }
    }
}

//! Untrusted input: a candidate security code (arbitrary bytes) and the contact details and
//! policy settings it is checked with.
//!
//! - `SecurityCode::from_utf8` accepts exactly the valid UTF-8 inputs of 1 to 1024 bytes.
//! - Both normalizations are idempotent (normalizing a normalized code changes nothing), the
//!   spoken form of a code equals the spoken form of its exact (NFKC) form, and the spoken form
//!   holds no whitespace.
//! - `CodePolicy::check` never panics; its reasons are sorted and unique; `too_short` /
//!   `too_long` appear exactly when the normalized length is outside the policy's bounds; a
//!   strength minimum of 0 never yields `too_weak` and one above 4 always does.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use seccode::{CodePolicy, Normalization, PolicyContext, Reason, SecurityCode};

/// Input layout: `code 0xFF account_name 0xFF contact_name 0xFF email 0xFF phone 0xFF rest`.
/// A detail that is absent (fewer separators) is unknown; details are decoded lossily; `rest`
/// feeds `arbitrary` for [`Knobs`] (no policy settings: the default policy). 0xFF never occurs
/// in UTF-8, so the seeds are plain text.
#[derive(Arbitrary, Debug)]
struct Knobs {
    exact: bool,
    account_id: Option<u64>,
    /// `min_chars`, `max_chars`, `min_strength` (0 to 5).
    policy: Option<(u8, u8, u8)>,
}

/// Normalize `text` again, when it is a valid code at all.
fn renormalize(n: Normalization, text: &str) -> Option<String> {
    let code = SecurityCode::from_str_copy(text).ok()?;
    Some(n.apply(&code).to_string())
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(6, |b| *b == 0xFF);
    let raw_code = parts.next().unwrap_or_default();
    let mut detail = || {
        parts
            .next()
            .map(|d| String::from_utf8_lossy(d).into_owned())
    };
    let (account_name, contact_name, email, phone) = (detail(), detail(), detail(), detail());
    let Ok(input) = Knobs::arbitrary_take_rest(Unstructured::new(parts.next().unwrap_or_default()))
    else {
        return;
    };
    let valid_utf8 = std::str::from_utf8(raw_code).is_ok();
    let code = SecurityCode::from_utf8(raw_code);
    let expected_ok = valid_utf8 && (1..=SecurityCode::MAX_INPUT_BYTES).contains(&raw_code.len());
    assert_eq!(
        code.is_ok(),
        expected_ok,
        "from_utf8 accepts the wrong inputs"
    );
    let Ok(code) = code else {
        return;
    };
    assert_eq!(format!("{code:?}"), "SecurityCode(<redacted>)");

    let exact = Normalization::Exact.apply(&code).to_string();
    let spoken = Normalization::Spoken.apply(&code).to_string();
    if let Some(again) = renormalize(Normalization::Exact, &exact) {
        assert_eq!(again, exact, "exact normalization is not idempotent");
    }
    if let Some(again) = renormalize(Normalization::Spoken, &spoken) {
        assert_eq!(again, spoken, "spoken normalization is not idempotent");
    }
    if let Some(via_exact) = renormalize(Normalization::Spoken, &exact) {
        assert_eq!(via_exact, spoken, "spoken(x) differs from spoken(exact(x))");
    }
    assert!(
        !spoken.chars().any(char::is_whitespace),
        "spoken form keeps whitespace"
    );

    let normalization = if input.exact {
        Normalization::Exact
    } else {
        Normalization::Spoken
    };
    let policy = match input.policy {
        Some((min_chars, max_chars, min_strength)) => CodePolicy {
            min_chars: usize::from(min_chars),
            max_chars: usize::from(max_chars),
            min_strength: min_strength % 6,
        },
        None => CodePolicy::default(),
    };
    let ctx = PolicyContext {
        account_id: input.account_id,
        account_name: account_name.as_deref(),
        contact_name: contact_name.as_deref(),
        email: email.as_deref(),
        phone: phone.as_deref(),
    };
    let reasons = policy.check(&code, normalization, &ctx);
    assert!(
        reasons.windows(2).all(|w| w[0] < w[1]),
        "reasons not sorted and unique"
    );
    let len = match normalization {
        Normalization::Exact => exact.chars().count(),
        Normalization::Spoken => spoken.chars().count(),
    };
    assert_eq!(reasons.contains(&Reason::TooShort), len < policy.min_chars);
    assert_eq!(reasons.contains(&Reason::TooLong), len > policy.max_chars);
    if policy.min_strength == 0 {
        assert!(!reasons.contains(&Reason::TooWeak));
    }
    if policy.min_strength > CodePolicy::MAX_STRENGTH {
        assert!(reasons.contains(&Reason::TooWeak));
    }
    for reason in &reasons {
        let described = policy.describe(*reason);
        assert!(!described.is_empty());
        assert_eq!(Reason::from_number(reason.number()), Some(*reason));
        assert_eq!(Reason::from_code(reason.code()), Some(*reason));
    }
});

//! Properties of the normalization and the code policy on arbitrary input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use seccode::{CodePolicy, PolicyContext, Reason};
use seccode::{Normalization, SecurityCode};
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// Characters where normalization has corner cases: combining marks that reorder or compose
/// across a removed separator, compatibility forms, case-folding expansions, Greek sigma and
/// iota subscript, dotted and dotless i, invisible format characters, the longest NFKC
/// expansion, Hangul jamo.
const TRICKY: &[char] = &[
    'a', 'e', 'i', 'I', 's', 'S', 'k', 'K', '0', '1', ' ', '\t', '\n', '-', '.', ',', '!', '\'',
    '\u{00A0}', '\u{00A8}', '\u{00B4}', '\u{00B5}', '\u{00DF}', '\u{1E9E}', '\u{0130}', '\u{0131}',
    '\u{0300}', '\u{0301}', '\u{0307}', '\u{0308}', '\u{0323}', '\u{0327}', '\u{0345}', '\u{0338}',
    '\u{03A3}', '\u{03C2}', '\u{03C3}', '\u{0390}', '\u{1FB3}', '\u{1FBC}', '\u{1F80}', '\u{212A}',
    '\u{212B}', '\u{2126}', '\u{FB01}', '\u{FB03}', '\u{FB05}', '\u{FF21}', '\u{FF41}', '\u{FF10}',
    '\u{3000}', '\u{200B}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{FDFA}', '\u{3131}',
    '\u{1100}', '\u{1161}', '\u{11A8}', '\u{AC00}', '\u{2460}', '\u{216B}', '\u{01C4}', '\u{01C5}',
    '\u{0587}', '\u{1E9B}', '\u{0149}', '\u{1F88}', '\u{0344}', '\u{0F73}', '\u{0F77}', '\u{0F81}',
    '\u{0CCA}', '\u{0DDA}', '\u{3099}', '\u{309B}', '\u{304B}', '\u{FF76}', '\u{FF9E}', '\u{2024}',
    '\u{FE50}', '\u{FF0C}', '\u{037E}', '\u{0387}', '\u{1FEF}', '\u{1FFD}', '\u{1FC1}', '\u{02DC}',
];

fn text(max_chars: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(TRICKY),
            1 => any::<char>(),
        ],
        0..max_chars,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// At most 1024 bytes, cut at a character boundary.
fn bounded(s: &str) -> &str {
    let mut end = s.len().min(SecurityCode::MAX_INPUT_BYTES);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.general_category_group() == GeneralCategoryGroup::Punctuation
        || c.general_category() == GeneralCategory::Format
}

fn joe() -> PolicyContext<'static> {
    PolicyContext {
        account_id: Some(1707),
        account_name: Some("Any Company"),
        contact_name: Some("Joe Example"),
        email: Some("marketing@viviotech.net"),
        phone: Some("000-000-0000"),
    }
}

fn check_idempotent(s: &str) -> Result<(), TestCaseError> {
    let Ok(code) = SecurityCode::from_str_copy(bounded(s)) else {
        return Ok(());
    };
    for mode in [Normalization::Spoken, Normalization::Exact] {
        let once = mode.apply(&code);
        // A normalized form that is empty or longer than an input may be is not a code.
        let Ok(again) = SecurityCode::from_str_copy(&once) else {
            continue;
        };
        let twice = mode.apply(&again);
        prop_assert_eq!(
            once.as_str(),
            twice.as_str(),
            "{} not idempotent on {:?}",
            mode,
            s.escape_unicode().to_string()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn normalization_is_idempotent(s in text(48)) {
        check_idempotent(&s)?;
    }

    #[test]
    fn normalization_is_idempotent_on_any_string(s in any::<String>()) {
        check_idempotent(&s)?;
    }

    #[test]
    fn spoken_form_has_no_whitespace_or_punctuation(s in text(48)) {
        let Ok(code) = SecurityCode::from_str_copy(bounded(&s)) else { return Ok(()) };
        let spoken = Normalization::Spoken.apply(&code);
        prop_assert!(
            !spoken.chars().any(is_separator),
            "{:?}", spoken.escape_unicode().to_string()
        );
    }

    #[test]
    fn spoken_ignores_case_and_separators(words in prop::collection::vec("[a-zA-Z0-9]{1,8}", 1..6)) {
        let plain = words.join(" ");
        let shouted = words.join(", ").to_uppercase() + "!";
        let a = Normalization::Spoken.apply(&SecurityCode::from_str_copy(&plain).unwrap());
        let b = Normalization::Spoken.apply(&SecurityCode::from_str_copy(&shouted).unwrap());
        prop_assert_eq!(a.as_str(), b.as_str());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn policy_check_never_panics(s in prop_oneof![text(400), any::<String>(), "[0-9 ./-]{0,64}"]) {
        let Ok(code) = SecurityCode::from_str_copy(bounded(&s)) else { return Ok(()) };
        let policy = CodePolicy::default();
        for mode in [Normalization::Spoken, Normalization::Exact] {
            for ctx in [joe(), PolicyContext::default()] {
                let reasons = policy.check(&code, mode, &ctx);
                prop_assert!(reasons.windows(2).all(|w| w[0] < w[1]), "{:?}", reasons);
                let chars = mode.apply(&code).chars().count();
                prop_assert_eq!(reasons.contains(&Reason::TooShort), chars < policy.min_chars);
                prop_assert_eq!(reasons.contains(&Reason::TooLong), chars > policy.max_chars);
            }
        }
    }

    #[test]
    fn policy_check_never_panics_on_long_codes(s in text(1100)) {
        let Ok(code) = SecurityCode::from_str_copy(bounded(&s)) else { return Ok(()) };
        let _ = CodePolicy::default().check(&code, Normalization::Spoken, &joe());
    }
}

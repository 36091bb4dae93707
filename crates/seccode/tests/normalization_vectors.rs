//! Known-answer vectors for the two normalizations (SPEC 2.3), shared with the other faces:
//! `tests/vectors/normalization.json`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use seccode::{Normalization, SecurityCode};

#[derive(serde::Deserialize)]
struct Case {
    note: String,
    input: String,
    spoken: String,
    exact: String,
}

fn cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/normalization.json"
    );
    let text = std::fs::read_to_string(path).expect("read normalization.json");
    serde_json::from_str(&text).expect("parse normalization.json")
}

#[test]
fn vectors_normalize_as_recorded() {
    let cases = cases();
    assert!(cases.len() >= 15, "{} cases", cases.len());
    for case in &cases {
        let code = SecurityCode::from_str_copy(&case.input).unwrap();
        assert_eq!(
            Normalization::Spoken.apply(&code).as_str(),
            case.spoken,
            "spoken: {}",
            case.note
        );
        assert_eq!(
            Normalization::Exact.apply(&code).as_str(),
            case.exact,
            "exact: {}",
            case.note
        );
    }
}

#[test]
fn recorded_forms_are_fixed_points() {
    for case in cases() {
        for (mode, expected) in [
            (Normalization::Spoken, &case.spoken),
            (Normalization::Exact, &case.exact),
        ] {
            let Ok(again) = SecurityCode::from_str_copy(expected) else {
                assert!(expected.is_empty(), "{}", case.note);
                continue;
            };
            assert_eq!(
                mode.apply(&again).as_str(),
                expected,
                "{mode}: {}",
                case.note
            );
        }
        // Spoken matching sees through exact normalization.
        if let Ok(exact) = SecurityCode::from_str_copy(&case.exact) {
            assert_eq!(
                Normalization::Spoken.apply(&exact).as_str(),
                case.spoken,
                "spoken of exact: {}",
                case.note
            );
        }
    }
}

#[test]
fn spec_example_matches_its_plain_form() {
    let a = SecurityCode::from_str_copy("Purple monkey, dishwasher!").unwrap();
    let b = SecurityCode::from_str_copy("purple monkey dishwasher").unwrap();
    assert_eq!(
        Normalization::Spoken.apply(&a),
        Normalization::Spoken.apply(&b)
    );
    assert_ne!(
        Normalization::Exact.apply(&a),
        Normalization::Exact.apply(&b)
    );
}

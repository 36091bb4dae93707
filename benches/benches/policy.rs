//! The policy for new codes on a typical code and on a 128-character one, and normalization.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use seccode::{CodePolicy, Normalization, PolicyContext};
use seccode_benches::code;

/// A typical spoken code.
const TYPICAL: &str = "Purple monkey, dishwasher & lantern!";

/// A code of exactly 128 characters after spoken normalization (the policy's maximum),
/// 160 as typed.
fn max_length_code() -> String {
    let words = "quartz lantern velvet osprey tangerine ember piano cloud ";
    let mut typed = String::new();
    let mut chars = 0;
    for c in words.chars().cycle() {
        if chars == 128 {
            break;
        }
        if c != ' ' {
            chars += 1;
        }
        typed.push(c);
    }
    typed
}

fn policy(c: &mut Criterion) {
    let policy = CodePolicy::default();
    let ctx = PolicyContext {
        account_id: Some(1707),
        account_name: Some("Any Company"),
        contact_name: Some("Joe Example"),
        email: Some("marketing@viviotech.net"),
        phone: Some("000-000-0000"),
    };
    let typical = code(TYPICAL);
    let long_text = max_length_code();
    let long = code(&long_text);
    assert_eq!(Normalization::Spoken.apply(&long).chars().count(), 128);
    assert!(
        policy
            .check(&typical, Normalization::Spoken, &ctx)
            .is_empty()
    );
    assert!(policy.check(&long, Normalization::Spoken, &ctx).is_empty());

    let mut g = c.benchmark_group("policy_check");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("typical_code", |b| {
        b.iter(|| policy.check(black_box(&typical), Normalization::Spoken, black_box(&ctx)))
    });
    g.bench_function("code_128_chars", |b| {
        b.iter(|| policy.check(black_box(&long), Normalization::Spoken, black_box(&ctx)))
    });
    g.finish();

    let mut g = c.benchmark_group("normalization");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("spoken_typical", |b| {
        b.iter(|| Normalization::Spoken.apply(black_box(&typical)))
    });
    g.bench_function("exact_typical", |b| {
        b.iter(|| Normalization::Exact.apply(black_box(&typical)))
    });
    g.bench_function("spoken_128_chars", |b| {
        b.iter(|| Normalization::Spoken.apply(black_box(&long)))
    });
    g.finish();
}

criterion_group!(benches, policy);
criterion_main!(benches);

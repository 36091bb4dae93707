//! Verification through the Rust API against the raw argon2 crate at the same parameters (in
//! the same run), and through the C ABI against the Rust API.
//!
//! `Account::verify` always runs two Argon2id evaluations (the individual and the account-wide
//! slot, for constant timing), so it is compared with the raw crate doing two evaluations;
//! `Verifier::check` (one stored hash) with one raw evaluation. The raw crate allocates (and
//! frees, unwiped) its working memory on every call; seccode reuses pooled memory that it wipes
//! after every hash. For ratios measured with interleaved calls (less sensitive to the load of a
//! shared machine), see `cargo run --release --bin verify-ratio`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use seccode::{HashParams, Scope};
use seccode_benches::{
    ACCOUNT, CAccount, CONTACT, CONTACT_CODE, DEFAULT_PARAMS, RawArgon2, cheap, code, engine,
    portal_account, scoped_input,
};

fn group(c: &mut Criterion, name: &str, params: HashParams, slow: bool) {
    let engine = engine(params, 0);
    let mut account = portal_account(&engine);
    let json = account.to_json().unwrap();
    let c_account = CAccount::new(params, &json);
    let the_code = code(CONTACT_CODE);
    let scope = Scope::contact(ACCOUNT, CONTACT.0);
    let hash = account
        .contact(CONTACT)
        .unwrap()
        .code_hash()
        .unwrap()
        .clone();
    let raw = RawArgon2::new(params);
    let input = scoped_input(&scope, CONTACT_CODE);
    assert!(
        account
            .verify(&engine, CONTACT, &the_code)
            .unwrap()
            .is_verified()
    );
    assert!(c_account.verify(CONTACT.0, CONTACT_CODE));

    let mut g = c.benchmark_group(name);
    if slow {
        g.sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(8));
    } else {
        g.warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
    }
    g.bench_function("seccode_account_verify_2_evals", |b| {
        b.iter(|| {
            account
                .verify(&engine, CONTACT, black_box(&the_code))
                .unwrap()
        })
    });
    g.bench_function("raw_argon2_2_evals", |b| {
        b.iter(|| raw.check_two(black_box(&input)))
    });
    g.bench_function("seccode_verifier_check_1_eval", |b| {
        b.iter(|| {
            engine
                .verifier()
                .check(Some(&hash), &scope, black_box(&the_code))
                .unwrap()
        })
    });
    g.bench_function("raw_argon2_1_eval", |b| {
        b.iter(|| raw.check(black_box(&input)))
    });
    g.bench_function("c_abi_account_verify_2_evals", |b| {
        b.iter(|| c_account.verify(CONTACT.0, black_box(CONTACT_CODE)))
    });
    g.finish();
}

fn verify(c: &mut Criterion) {
    group(c, "verify_default_m19456_t2_p1", DEFAULT_PARAMS, true);
    group(c, "verify_cheap_m256_t1_p1", cheap(256), false);
}

criterion_group!(benches, verify);
criterion_main!(benches);

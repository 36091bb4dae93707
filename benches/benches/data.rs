//! Loading and saving an account with 10,000 contacts (the versioned JSON format).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use seccode::Account;
use seccode_benches::big_account_json;

fn data(c: &mut Criterion) {
    let json = big_account_json(10_000);
    let account = Account::from_json(&json).unwrap();
    assert_eq!(account.contacts().count(), 10_000);

    let mut g = c.benchmark_group("account_10000_contacts");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    g.bench_function("load_from_json", |b| {
        b.iter(|| Account::from_json(black_box(&json)).unwrap())
    });
    g.bench_function("save_to_json", |b| {
        b.iter(|| black_box(&account).to_json().unwrap())
    });
    g.finish();
}

criterion_group!(benches, data);
criterion_main!(benches);

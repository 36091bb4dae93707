//! Verify-vs-raw-argon2 and C-ABI-vs-Rust ratios measured with interleaved calls.
//!
//! On a shared machine the load changes from one second to the next; criterion measures one
//! function after the other, so a load change between two of them shows up as a difference.
//! Here every round calls each contender once, in a rotating order, and the medians of the
//! per-call times are compared.
//!
//! Usage: cargo run --release --bin verify-ratio [rounds_default] [rounds_cheap]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use seccode::{HashParams, Scope};
use seccode_benches::{
    ACCOUNT, CAccount, CONTACT, CONTACT_CODE, DEFAULT_PARAMS, RawArgon2, cheap, code, engine,
    machine, portal_account, scoped_input,
};

fn median(v: &mut [Duration]) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

fn run(label: &str, params: HashParams, rounds: usize) {
    let engine = engine(params, 0);
    let mut account = portal_account(&engine);
    let c_account = CAccount::new(params, &account.to_json().unwrap());
    // A second, identical Rust engine and account: the control. Two engines differ only in
    // where their pooled Argon2 memory happens to lie, which moves the time by a percent or two
    // at the default cost; the C ABI side necessarily uses an engine of its own.
    let control_engine = seccode_benches::engine(params, 0);
    let mut control = seccode::Account::from_json(&account.to_json().unwrap()).unwrap();
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

    const NAMES: [&str; 6] = [
        "seccode Account::verify (2 evals)",
        "raw argon2 (2 evals)",
        "seccode Verifier::check (1 eval)",
        "raw argon2 (1 eval)",
        "C ABI seccode_account_verify (2 evals)",
        "control: Account::verify, 2nd engine",
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); NAMES.len()];
    let mut one = |which: usize| {
        let start = Instant::now();
        match which {
            0 => {
                black_box(
                    account
                        .verify(&engine, CONTACT, black_box(&the_code))
                        .unwrap(),
                );
            }
            1 => {
                black_box(raw.check_two(black_box(&input)));
            }
            2 => {
                black_box(
                    engine
                        .verifier()
                        .check(Some(&hash), &scope, black_box(&the_code))
                        .unwrap(),
                );
            }
            3 => {
                black_box(raw.check(black_box(&input)));
            }
            4 => {
                black_box(c_account.verify(CONTACT.0, black_box(CONTACT_CODE)));
            }
            _ => {
                black_box(
                    control
                        .verify(&control_engine, CONTACT, black_box(&the_code))
                        .unwrap(),
                );
            }
        }
        start.elapsed()
    };
    // Warm up: pools, caches, allocator state.
    for which in 0..NAMES.len() {
        for _ in 0..3 {
            one(which);
        }
    }
    for round in 0..rounds {
        for k in 0..NAMES.len() {
            let which = (round + k) % NAMES.len();
            let t = one(which);
            times[which].push(t);
        }
    }
    let medians: Vec<Duration> = times.iter_mut().map(|t| median(t)).collect();
    println!(
        "\n{label}: m={} KiB, t={}, p={}; {rounds} interleaved rounds",
        params.m_kib, params.t, params.p
    );
    for (name, m) in NAMES.iter().zip(&medians) {
        println!("  {name:<42} median {:>10.3} ms", m.as_secs_f64() * 1e3);
    }
    let ratio = |a: usize, b: usize| medians[a].as_secs_f64() / medians[b].as_secs_f64();
    println!(
        "  ratio Account::verify / raw argon2 (2 evals)     {:.4} ({:+.2}%)",
        ratio(0, 1),
        (ratio(0, 1) - 1.0) * 100.0
    );
    println!(
        "  ratio Verifier::check / raw argon2 (1 eval)      {:.4} ({:+.2}%)",
        ratio(2, 3),
        (ratio(2, 3) - 1.0) * 100.0
    );
    println!(
        "  ratio C ABI verify / Rust Account::verify        {:.4} ({:+.2}%)",
        ratio(4, 0),
        (ratio(4, 0) - 1.0) * 100.0
    );
    println!(
        "  ratio control (2nd Rust engine) / Rust           {:.4} ({:+.2}%)",
        ratio(5, 0),
        (ratio(5, 0) - 1.0) * 100.0
    );
    println!(
        "  summary m={}: verify/raw {:+.2}%  check/raw {:+.2}%  C/Rust {:+.2}%  control {:+.2}%",
        params.m_kib,
        (ratio(0, 1) - 1.0) * 100.0,
        (ratio(2, 3) - 1.0) * 100.0,
        (ratio(4, 0) - 1.0) * 100.0,
        (ratio(5, 0) - 1.0) * 100.0
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds_default: usize = args.next().map_or(60, |a| a.parse().unwrap());
    let rounds_cheap: usize = args.next().map_or(2000, |a| a.parse().unwrap());
    println!("machine: {}", machine());
    run("default cost", DEFAULT_PARAMS, rounds_default);
    run("cheap cost", cheap(256), rounds_cheap);
}

//! dudect-style constant-time checks (Welch's t-test on cropped timing distributions, via the
//! `dudect-bencher` crate). Each check times two classes of inputs, randomly interleaved; a
//! |max t| above about 4.5 is evidence that the timing depends on the class (dudect's
//! threshold; above 10, overwhelming evidence). Not a CI gate: timings on a shared machine are
//! noisy, and the verdict is recorded in README.md.
//!
//! - `verify_*`: `Account::verify` (cheap Argon2 parameters, m=64 KiB, t=1, so many samples
//!   are affordable) with a wrong code for a contact that has codes (left) against an unknown
//!   contact, a contact without a code, and a deactivated contact (right).
//! - `ct_eq_equal_vs_different`: the final hash comparison (`subtle`'s `ct_eq` on 32-byte
//!   outputs, as the verifier does) of equal outputs against different ones.
//! - `leaky_*` (controls that must fail): an early-exit byte loop on 32-byte outputs, and `==`
//!   on 4 KiB slices, differing in the first byte (left) or the last byte (right).
//!
//! After dudect's verdicts, the median time of each class is printed (from the raw samples,
//! which are kept in `--out FILE`, by default target/timing-samples.csv).
//!
//! Usage: cargo run --release --bin timing [-- --filter NAME] [--out FILE]
//! Env:   SECCODE_DUDECT_SCALE=k multiplies every sample count.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::hint::black_box;

use std::collections::BTreeMap;
use std::path::PathBuf;

use dudect_bencher::ctbench::{BenchMetadata, BenchName, BenchOpts, run_benches_console};
use dudect_bencher::rand::Rng;
use dudect_bencher::{BenchRng, Class, CtRunner};
use seccode::{Account, ContactId, Engine};
use seccode_benches::{
    CONTACT, DEACTIVATED, NO_CODE, UNKNOWN, WRONG_CODE, cheap, code, engine, portal_account,
};
use subtle::ConstantTimeEq;

fn scale(n: usize) -> usize {
    let k: f64 = std::env::var("SECCODE_DUDECT_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    ((n as f64) * k).max(100.0) as usize
}

fn class(rng: &mut BenchRng) -> Class {
    if rng.next_u32() & 1 == 0 {
        Class::Left
    } else {
        Class::Right
    }
}

/// Wrong code for `CONTACT` (two real stored hashes) against the same code for `right`.
fn verify_against(runner: &mut CtRunner, rng: &mut BenchRng, right: ContactId) {
    let engine: Engine = engine(cheap(64), 1);
    let account = RefCell::new(portal_account(&engine));
    let wrong = code(WRONG_CODE);
    // Warm up both paths (pools, lock-state entries, allocator).
    for _ in 0..200 {
        for who in [CONTACT, right] {
            account.borrow_mut().verify(&engine, who, &wrong).unwrap();
        }
    }
    account.borrow_mut().drain_audit();
    for _ in 0..scale(100_000) {
        let c = class(rng);
        let who = match c {
            Class::Left => CONTACT,
            Class::Right => right,
        };
        runner.run_one(c, || {
            let v: Result<_, _> = account.borrow_mut().verify(&engine, who, &wrong);
            v.map(|v| v.is_verified())
        });
        let _: Vec<_> = Account::drain_audit(&mut account.borrow_mut());
    }
}

fn verify_wrong_vs_unknown(runner: &mut CtRunner, rng: &mut BenchRng) {
    verify_against(runner, rng, UNKNOWN);
}

fn verify_wrong_vs_no_code(runner: &mut CtRunner, rng: &mut BenchRng) {
    verify_against(runner, rng, NO_CODE);
}

fn verify_wrong_vs_deactivated(runner: &mut CtRunner, rng: &mut BenchRng) {
    verify_against(runner, rng, DEACTIVATED);
}

/// Comparisons per timed sample, so that one sample is well above the timer's resolution.
const BATCH: usize = 64;

fn random_output(rng: &mut BenchRng) -> [u8; 32] {
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(8) {
        chunk.copy_from_slice(&rng.next_u64().to_le_bytes());
    }
    out
}

/// Pairs of 32-byte outputs: equal ones (left) or ones that differ (right), as the verifier's
/// final `out.as_slice().ct_eq(expected)` sees them.
fn ct_eq_equal_vs_different(runner: &mut CtRunner, rng: &mut BenchRng) {
    let mut inputs = Vec::new();
    for _ in 0..scale(200_000) {
        let c = class(rng);
        let pairs: Vec<([u8; 32], [u8; 32])> = (0..BATCH)
            .map(|_| {
                let a = random_output(rng);
                let b = match c {
                    Class::Left => a,
                    Class::Right => random_output(rng),
                };
                (a, b)
            })
            .collect();
        inputs.push((c, pairs));
    }
    for (c, pairs) in inputs {
        runner.run_one(c, || {
            let mut equal = 0u8;
            for (a, b) in &pairs {
                equal ^= black_box(a.as_slice())
                    .ct_eq(black_box(b.as_slice()))
                    .unwrap_u8();
            }
            equal
        });
    }
}

/// A naive comparison that stops at the first difference. `black_box` on every byte keeps the
/// compiler from turning it into one 32-byte comparison (which it may, since stopping early is
/// not observable to the program, only to a stopwatch).
#[inline(never)]
fn early_exit_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    for i in 0..32 {
        if black_box(a[i]) != black_box(b[i]) {
            return false;
        }
    }
    true
}

/// Two byte strings that are compared.
type Pair<const N: usize> = (Box<[u8; N]>, Box<[u8; N]>);

/// Pairs that differ only in the first byte (left) or only in the last (right).
fn differing_pairs<const N: usize>(rng: &mut BenchRng, c: Class) -> Vec<Pair<N>> {
    (0..BATCH)
        .map(|_| {
            let mut a = Box::new([0u8; N]);
            for chunk in a.chunks_mut(8) {
                chunk.copy_from_slice(&rng.next_u64().to_le_bytes()[..chunk.len()]);
            }
            let mut b = a.clone();
            let i = match c {
                Class::Left => 0,
                Class::Right => N - 1,
            };
            b[i] ^= 0x01;
            (a, b)
        })
        .collect()
}

fn leaky_early_exit_loop_32(runner: &mut CtRunner, rng: &mut BenchRng) {
    let mut inputs = Vec::new();
    for _ in 0..scale(200_000) {
        let c = class(rng);
        inputs.push((c, differing_pairs::<32>(rng, c)));
    }
    for (c, pairs) in inputs {
        runner.run_one(c, || {
            let mut equal = 0u32;
            for (a, b) in &pairs {
                equal += u32::from(early_exit_eq(black_box(a), black_box(b)));
            }
            equal
        });
    }
}

fn leaky_slice_eq_4096(runner: &mut CtRunner, rng: &mut BenchRng) {
    let mut inputs = Vec::new();
    for _ in 0..scale(20_000) {
        let c = class(rng);
        inputs.push((c, differing_pairs::<4096>(rng, c)));
    }
    for (c, pairs) in inputs {
        runner.run_one(c, || {
            let mut equal = 0u32;
            for (a, b) in &pairs {
                equal += u32::from(black_box(a.as_slice()) == black_box(b.as_slice()));
            }
            equal
        });
    }
}

/// Per bench, the medians of the left and right samples of the CSV dudect-bencher wrote (it
/// writes left and right samples alternately, both labelled class 0).
fn summarize(csv: &std::path::Path) {
    let Ok(text) = std::fs::read_to_string(csv) else {
        return;
    };
    let mut samples: BTreeMap<String, (Vec<u64>, Vec<u64>)> = BTreeMap::new();
    let mut parity: BTreeMap<String, bool> = BTreeMap::new();
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let mut fields = line.split(',');
        let (Some(name), Some(_), Some(t)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        let Ok(t) = t.parse::<u64>() else { continue };
        let right = parity.entry(name.to_owned()).or_insert(false);
        let entry = samples.entry(name.to_owned()).or_default();
        if *right {
            entry.1.push(t)
        } else {
            entry.0.push(t)
        }
        *right = !*right;
    }
    println!("\nmedian time per sample (ns), from {}:", csv.display());
    println!("| check | samples per class | left median | right median | right - left |");
    println!("|---|---:|---:|---:|---:|");
    for (name, (mut left, mut right)) in samples {
        left.sort_unstable();
        right.sort_unstable();
        let (l, r) = (left[left.len() / 2], right[right.len() / 2]);
        println!(
            "| {name} | {} | {l} | {r} | {:+} |",
            left.len().min(right.len()),
            r as i64 - l as i64
        );
    }
}

fn main() {
    let mut opts = BenchOpts::default();
    let mut args = std::env::args().skip(1);
    let mut out = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/target/timing-samples.csv"
    ));
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--filter" => opts.filter = args.next(),
            "--out" => out = PathBuf::from(args.next().expect("--out FILE")),
            other => panic!("unknown argument `{other}` (expected --filter NAME, --out FILE)"),
        }
    }
    opts.file_out = Some(out.clone());
    let benches: [(&'static str, dudect_bencher::ctbench::BenchFn); 6] = [
        ("verify_wrong_vs_unknown", verify_wrong_vs_unknown),
        ("verify_wrong_vs_no_code", verify_wrong_vs_no_code),
        ("verify_wrong_vs_deactivated", verify_wrong_vs_deactivated),
        ("ct_eq_equal_vs_different", ct_eq_equal_vs_different),
        ("leaky_early_exit_loop_32", leaky_early_exit_loop_32),
        ("leaky_slice_eq_4096", leaky_slice_eq_4096),
    ];
    let benches = benches
        .into_iter()
        .map(|(name, benchfn)| BenchMetadata {
            name: BenchName(name),
            seed: None,
            benchfn,
        })
        .collect();
    println!("machine: {}", seccode_benches::machine());
    run_benches_console(opts, benches).expect("console output");
    summarize(&out);
}

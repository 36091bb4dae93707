//! Peak memory under 64 concurrent verify requests at the default cost (m=19456 KiB, t=2, p=1),
//! with the verifier's concurrency limit at 1, 2, the number of cores, and (for contrast) 64,
//! i.e. no effective limit.
//!
//! Each configuration runs in a fresh child process, so that its peak resident set size
//! (`VmHWM` in /proc/self/status) is its own: the child records its RSS before building the
//! engine, builds the engine and 64 copies of the seed account, then releases 64 threads at once,
//! each verifying one caller (two Argon2id evaluations), and reports the peak RSS and the
//! verifier's `peak_in_flight`.
//!
//! The setup itself (setting the seed account's codes) runs the code policy, whose strength
//! estimator loads its dictionaries (several MiB, once per process), and leaves one pooled
//! Argon2 buffer; both are part of the constant that does not grow with the limit.
//!
//! Usage: cargo run --release --bin memory [limit...]    (default: 1 2 <cores> 64)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::sync::{Arc, Barrier};

use seccode::Account;
use seccode_benches::{
    CONTACT, CONTACT_CODE, DEFAULT_PARAMS, WRONG_CODE, code, engine, machine, portal_account,
};

const THREADS: usize = 64;
const MIB: f64 = 1024.0 * 1024.0;

/// A field of /proc/self/status, in bytes.
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

fn child(limit: usize) {
    let before = status_bytes("VmRSS:");
    let engine = Arc::new(engine(DEFAULT_PARAMS, limit));
    let json = portal_account(&engine).to_json().unwrap();
    let accounts: Vec<Account> = (0..THREADS)
        .map(|_| Account::from_json(&json).unwrap())
        .collect();
    let setup_hwm = status_bytes("VmHWM:");
    let barrier = Arc::new(Barrier::new(THREADS));
    let start = std::time::Instant::now();
    let handles: Vec<_> = accounts
        .into_iter()
        .enumerate()
        .map(|(i, mut account)| {
            let engine = Arc::clone(&engine);
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                let the_code = code(if i % 2 == 0 { CONTACT_CODE } else { WRONG_CODE });
                barrier.wait();
                let v = account.verify(&engine, CONTACT, &the_code).unwrap();
                assert_eq!(v.is_verified(), i % 2 == 0);
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let elapsed = start.elapsed();
    let hwm = status_bytes("VmHWM:");
    let v = engine.verifier();
    // One line the parent parses: limit, peak in flight, RSS before, setup HWM, final HWM, secs.
    println!(
        "{limit} {} {} {} {} {:.3}",
        v.peak_in_flight(),
        before,
        setup_hwm,
        hwm,
        elapsed.as_secs_f64()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(args[1].parse().unwrap());
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let limits: Vec<usize> = if args.is_empty() {
        vec![1, 2, cores, 64]
    } else {
        args.iter().map(|a| a.parse().unwrap()).collect()
    };
    let mut limits_seen = Vec::new();
    let working = f64::from(DEFAULT_PARAMS.m_kib) * 1024.0;
    println!("machine: {}", machine());
    println!(
        "{THREADS} threads verify at once (2 Argon2id evaluations each, m={} KiB = {:.1} MiB working memory)",
        DEFAULT_PARAMS.m_kib,
        working / MIB
    );
    println!(
        "| max_concurrent | peak_in_flight | RSS at start | peak RSS after setup | peak RSS (VmHWM) | peak - start | limit x 19 MiB | constant: peak - start - limit x 19 MiB | wall time |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for limit in limits {
        if limits_seen.contains(&limit) {
            continue;
        }
        limits_seen.push(limit);
        let exe = std::env::current_exe().unwrap();
        let out = Command::new(exe)
            .args(["--child", &limit.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let f: Vec<f64> = text
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        let (peak, before, setup, hwm, secs) = (f[1], f[2], f[3], f[4], f[5]);
        let bound = limit as f64 * working;
        println!(
            "| {limit} | {peak} | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:+.1} MiB | {secs:.2} s |",
            before / MIB,
            setup / MIB,
            hwm / MIB,
            (hwm - before) / MIB,
            bound / MIB,
            (hwm - before - bound) / MIB,
        );
    }
}

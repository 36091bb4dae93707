#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The concurrency limit: many threads hashing at once never run more than
//! `max_concurrent` Argon2 computations together.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

use seccode::{HashParams, Scope};
use seccode::{Normalization, SecurityCode};
use seccode::{Verifier, VerifierConfig};

fn verifier(max_concurrent: usize) -> Verifier {
    Verifier::new(VerifierConfig {
        params: HashParams {
            m_kib: 256,
            t: 1,
            p: 1,
        },
        max_concurrent,
        ..VerifierConfig::default()
    })
    .unwrap()
}

fn hammer(v: &Verifier, threads: usize, rounds: usize) -> usize {
    let stop = Arc::new(AtomicBool::new(false));
    let observed = Arc::new(AtomicUsize::new(0));
    // An observer samples in_flight while the workers run.
    let observer = {
        let v = v.clone();
        let stop = Arc::clone(&stop);
        let observed = Arc::clone(&observed);
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                observed.fetch_max(v.in_flight(), Ordering::Relaxed);
                thread::yield_now();
            }
        })
    };
    let workers: Vec<_> = (0..threads)
        .map(|i| {
            let v = v.clone();
            thread::spawn(move || {
                let scope = Scope::contact(1, i as u64);
                let given = SecurityCode::try_from(format!("code number {i}")).unwrap();
                for _ in 0..rounds {
                    let stored = v.hash(&given, Normalization::Spoken, &scope).unwrap();
                    assert!(v.check(Some(&stored), &scope, &given).unwrap().matched);
                    assert!(!v.check(None, &scope, &given).unwrap().matched);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    observer.join().unwrap();
    observed.load(Ordering::Relaxed)
}

#[test]
fn in_flight_never_exceeds_the_limit() {
    for limit in [1, 2, 3] {
        let v = verifier(limit);
        assert_eq!(v.max_concurrent(), limit);
        let observed = hammer(&v, 12, 4);
        assert!(observed <= limit, "observed {observed} > {limit}");
        assert!(v.peak_in_flight() <= limit);
        assert!(v.peak_in_flight() >= 1);
        assert_eq!(v.in_flight(), 0);
    }
}

#[test]
fn clones_share_the_limit() {
    let v = verifier(2);
    let w = v.clone();
    let a = thread::spawn(move || hammer(&w, 6, 3));
    let observed = hammer(&v, 6, 3);
    let observed_by_clone = a.join().unwrap();
    assert!(observed <= 2 && observed_by_clone <= 2);
    assert!(v.peak_in_flight() <= 2);
}

#[test]
fn zero_means_available_parallelism() {
    let v = verifier(0);
    let cores = thread::available_parallelism().map_or(1, usize::from);
    assert_eq!(v.max_concurrent(), cores);
}

#[test]
fn a_panicking_caller_does_not_wedge_the_verifier() {
    let v = verifier(1);
    let w = v.clone();
    let r = thread::spawn(move || {
        let scope = Scope::account(1);
        let given = SecurityCode::try_from("panic after hashing").unwrap();
        let _ = w.hash(&given, Normalization::Spoken, &scope).unwrap();
        panic!("caller panics");
    })
    .join();
    assert!(r.is_err());
    assert_eq!(v.in_flight(), 0);
    let scope = Scope::account(1);
    let given = SecurityCode::try_from("still works").unwrap();
    let stored = v.hash(&given, Normalization::Spoken, &scope).unwrap();
    assert!(v.check(Some(&stored), &scope, &given).unwrap().matched);
}

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The concurrency limit: many threads hashing at once never run more than
//! `max_concurrent` Argon2 computations together, and a caller that panics in the middle of one
//! does not leave the verifier wedged.
//!
//! How many run at once is measured independently of the verifier's own counters: a probe
//! (`Verifier::set_probe`) is called from inside the guarded section of every evaluation, and
//! the test keeps its own count of the evaluations inside it. The probe sleeps a little inside,
//! so that without the limit several evaluations would certainly be inside together (the
//! sleep only widens the window; nothing here asserts a duration).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use seccode::{HashParams, Probe, ProbeEvent, Scope};
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

/// The test's own count of evaluations inside the guarded section: now, at most, and in all.
#[derive(Default)]
struct Inside {
    now: AtomicUsize,
    peak: AtomicUsize,
    entered: AtomicUsize,
    exited: AtomicUsize,
}

impl Inside {
    /// Install a probe on `v` (and so on its clones) that keeps this count.
    fn watch(v: &Verifier) -> Arc<Inside> {
        let inside = Arc::new(Inside::default());
        let probe: Probe = {
            let inside = Arc::clone(&inside);
            Arc::new(move |event| match event {
                ProbeEvent::Enter => {
                    let now = inside.now.fetch_add(1, Ordering::SeqCst) + 1;
                    inside.peak.fetch_max(now, Ordering::SeqCst);
                    inside.entered.fetch_add(1, Ordering::SeqCst);
                    thread::sleep(Duration::from_millis(1));
                }
                ProbeEvent::Exit => {
                    inside.now.fetch_sub(1, Ordering::SeqCst);
                    inside.exited.fetch_add(1, Ordering::SeqCst);
                }
            })
        };
        v.set_probe(Some(probe));
        inside
    }

    fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

/// `threads` threads, started together, each hashing and checking `rounds` times (three
/// evaluations a round). Returns the number of evaluations they ran.
fn hammer(v: &Verifier, threads: usize, rounds: usize) -> usize {
    let start = Arc::new(Barrier::new(threads));
    let workers: Vec<_> = (0..threads)
        .map(|i| {
            let v = v.clone();
            let start = Arc::clone(&start);
            thread::spawn(move || {
                let scope = Scope::contact(1, i as u64);
                let given = SecurityCode::try_from(format!("code number {i}")).unwrap();
                start.wait();
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
    threads * rounds * 3
}

#[test]
fn in_flight_never_exceeds_the_limit() {
    for limit in [1, 2, 3] {
        let v = verifier(limit);
        assert_eq!(v.max_concurrent(), limit);
        let inside = Inside::watch(&v);
        let before = v.evaluations();
        let ran = hammer(&v, 12, 4);
        let peak = inside.peak();
        assert!(peak <= limit, "{peak} evaluations at once, limit {limit}");
        assert!(peak >= 1);
        // Every evaluation went through the guarded section, and the count is exact.
        assert_eq!(inside.entered.load(Ordering::SeqCst), ran);
        assert_eq!(inside.exited.load(Ordering::SeqCst), ran);
        assert_eq!(v.evaluations() - before, ran as u64);
        // The verifier's own counters agree.
        assert!(v.peak_in_flight() <= limit);
        assert_eq!(v.in_flight(), 0);
    }
}

#[test]
fn clones_share_the_limit() {
    let v = verifier(2);
    let w = v.clone();
    let inside = Inside::watch(&v);
    let a = thread::spawn(move || hammer(&w, 6, 3));
    let ran = hammer(&v, 6, 3) + a.join().unwrap();
    let peak = inside.peak();
    assert!(
        peak <= 2,
        "{peak} evaluations at once across clones, limit 2"
    );
    assert_eq!(inside.entered.load(Ordering::SeqCst), ran);
    assert!(v.peak_in_flight() <= 2);
}

#[test]
fn zero_means_available_parallelism() {
    let v = verifier(0);
    let cores = thread::available_parallelism().map_or(1, usize::from);
    assert_eq!(v.max_concurrent(), cores);
}

/// A caller whose thread panics while its evaluation holds the only place under the limit
/// (and its pooled memory): the unwinding frees both, so the next caller is not blocked.
#[test]
fn a_panicking_caller_does_not_wedge_the_verifier() {
    let v = verifier(1);
    let panicked = Arc::new(AtomicBool::new(false));
    let probe: Probe = {
        let panicked = Arc::clone(&panicked);
        Arc::new(move |event| {
            if event == ProbeEvent::Enter && !panicked.swap(true, Ordering::SeqCst) {
                panic!("caller panics in the middle of an evaluation");
            }
        })
    };
    v.set_probe(Some(probe));
    let w = v.clone();
    let r = thread::spawn(move || {
        let scope = Scope::account(1);
        let given = SecurityCode::try_from("panic while hashing").unwrap();
        let _ = w.hash(&given, Normalization::Spoken, &scope);
    })
    .join();
    assert!(r.is_err(), "the caller panicked");
    assert!(panicked.load(Ordering::SeqCst), "inside an evaluation");
    // Checked before anything that would wait for the place, so a leaked place fails here
    // instead of hanging the next call.
    assert_eq!(v.in_flight(), 0, "the panicking caller's place was freed");
    let scope = Scope::account(1);
    let given = SecurityCode::try_from("still works").unwrap();
    let stored = v.hash(&given, Normalization::Spoken, &scope).unwrap();
    assert!(v.check(Some(&stored), &scope, &given).unwrap().matched);
    assert_eq!(v.in_flight(), 0);
}

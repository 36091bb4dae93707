//! Verify throughput from 1 and from 2 workers on 2 different contacts of one account, at the
//! default cost (m=19456 KiB, t=2, p=1), each ratio against the 1-worker baseline measured in
//! the same run (SPEC 8: verifications of different contacts proceed in parallel).
//!
//! - `threads`: one `Account` shared behind a `Mutex` by threads of one process. *three steps*:
//!   `Account::begin_verify` under the lock, `Attempt::check` with the lock released,
//!   `Account::finish_verify` under the lock (and the audit events drained, as a portal would
//!   store them). The contrast, *lock held*: `Account::verify` with the lock held throughout.
//! - `store`: one SQLite store (a temporary file) shared by processes, each with its own
//!   connection and engine (this program started again with `--child`). *three steps*:
//!   `seccode_store::verify` (two short write transactions, the hash between them with none
//!   open). The contrast, *one transaction*: `update_account(.., |a| a.verify(..))`, the
//!   hash inside the write transaction.
//!
//! Worker 1 verifies contact 3523 ("Contact Example"), worker 2 contact 3522 ("Joe Example"),
//! each with its right individual code, so every call is a success with two Argon2id
//! evaluations (checked: the outcome, and the verifier's evaluation count). Each round
//! measures 1 worker then 2 workers, or the other way round on odd rounds; a worker makes
//! `calls` verifications. Throughput is the calls of all workers divided by the time from the
//! first worker's start to the last worker's end; the table gives each round's ratio, and the
//! median of the rounds. The load average is printed before and after: on a shared 2-core
//! machine another process's load takes a core away from the 2-worker case.
//!
//! Usage: cargo run --release --bin throughput -- [threads|store|all] [--rounds R] [--calls N]
//! (default: all, 5 rounds, 10 calls per worker per round).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use seccode::{Account, AccountId, ContactId, Engine, SecurityCode};
use seccode_benches::{
    ACCOUNT, CONTACT, CONTACT_CODE, DEFAULT_PARAMS, PRIMARY, code, engine, machine, portal_account,
};
use seccode_store::{AnyStore, insert_account, update_account};

/// The primary contact's individual code (set here; the seed account has none for him).
const PRIMARY_CODE: &str = "Amber falcon meadow trumpet";

/// The two workers' contacts and codes.
const WORKERS: [(ContactId, &str); 2] = [(CONTACT, CONTACT_CODE), (PRIMARY, PRIMARY_CODE)];

/// How a verification is run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Begin and finish under the lock (or in a transaction), the check with nothing held.
    ThreeSteps,
    /// `Account::verify` with the lock (or the transaction) held throughout.
    Held,
}

impl Mode {
    fn name(self, store: bool) -> &'static str {
        match (self, store) {
            (Mode::ThreeSteps, false) => "three steps (begin / check unlocked / finish)",
            (Mode::Held, false) => "contrast: Account::verify, lock held throughout",
            (Mode::ThreeSteps, true) => "three steps (seccode_store::verify)",
            (Mode::Held, true) => "contrast: update_account(|a| a.verify(..)), one transaction",
        }
    }

    fn arg(self) -> &'static str {
        match self {
            Mode::ThreeSteps => "three-steps",
            Mode::Held => "held",
        }
    }

    fn parse(s: &str) -> Mode {
        match s {
            "three-steps" => Mode::ThreeSteps,
            "held" => Mode::Held,
            other => panic!("unknown mode `{other}`"),
        }
    }
}

/// The seed account with an individual code for the primary contact too.
fn account(engine: &Engine) -> Account {
    let mut a = portal_account(engine);
    a.set_contact_code(engine, PRIMARY, PRIMARY, &code(PRIMARY_CODE))
        .unwrap();
    a.drain_audit();
    a
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One verification on the shared account; true when verified.
fn verify_shared(
    shared: &Mutex<Account>,
    engine: &Engine,
    who: ContactId,
    the_code: &SecurityCode,
    mode: Mode,
) -> bool {
    match mode {
        Mode::ThreeSteps => {
            let attempt = shared.lock().unwrap().begin_verify(engine, who).unwrap();
            let checked = attempt.check(engine, the_code).unwrap();
            let mut account = shared.lock().unwrap();
            let v = account.finish_verify(engine, checked).unwrap();
            account.drain_audit();
            v.is_verified()
        }
        Mode::Held => {
            let mut account = shared.lock().unwrap();
            let v = account.verify(engine, who, the_code).unwrap();
            account.drain_audit();
            v.is_verified()
        }
    }
}

/// `workers` threads (1 or 2) each make `calls` verifications; the elapsed time.
fn thread_phase(
    shared: &Mutex<Account>,
    engine: &Engine,
    workers: usize,
    calls: usize,
    mode: Mode,
) -> Duration {
    let codes: Vec<(ContactId, SecurityCode)> = WORKERS
        .iter()
        .take(workers)
        .map(|(who, c)| (*who, code(c)))
        .collect();
    let barrier = Barrier::new(workers + 1);
    let before = engine.verifier().evaluations();
    let elapsed = std::thread::scope(|s| {
        let handles: Vec<_> = codes
            .iter()
            .map(|(who, the_code)| {
                let barrier = &barrier;
                s.spawn(move || {
                    barrier.wait();
                    for _ in 0..calls {
                        assert!(verify_shared(shared, engine, *who, the_code, mode));
                    }
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        for h in handles {
            h.join().unwrap();
        }
        start.elapsed()
    });
    let evaluations = engine.verifier().evaluations() - before;
    assert_eq!(evaluations, (2 * workers * calls) as u64, "two per verify");
    elapsed
}

/// Per round: (throughput of 1 worker, throughput of 2 workers), in verifications per second.
type Rounds = Vec<(f64, f64)>;

fn report(title: &str, mode_name: &str, calls: usize, rounds: &Rounds) -> f64 {
    println!("\n{title}: {mode_name}");
    println!("| round | 1 worker (verify/s) | 2 workers (verify/s) | ratio |");
    println!("|---:|---:|---:|---:|");
    let mut ratios = Vec::new();
    for (i, (one, two)) in rounds.iter().enumerate() {
        ratios.push(two / one);
        println!("| {} | {one:.2} | {two:.2} | {:.3} |", i + 1, two / one);
    }
    let ones: Vec<f64> = rounds.iter().map(|r| r.0).collect();
    let twos: Vec<f64> = rounds.iter().map(|r| r.1).collect();
    let ratio = median(&ratios);
    println!(
        "| **median** | **{:.2}** | **{:.2}** | **{ratio:.3}** |",
        median(&ones),
        median(&twos)
    );
    println!("({calls} verifications per worker per round)");
    ratio
}

fn threads(rounds: usize, calls: usize) {
    let engine = engine(DEFAULT_PARAMS, 0);
    println!(
        "\nthreads: one Mutex<Account>, engine at m={} KiB, t={}, p={}, max_concurrent {}",
        DEFAULT_PARAMS.m_kib,
        DEFAULT_PARAMS.t,
        DEFAULT_PARAMS.p,
        engine.verifier().max_concurrent()
    );
    let shared = Mutex::new(account(&engine));
    for mode in [Mode::ThreeSteps, Mode::Held] {
        // Warm up: the pooled buffers of both concurrent computations, the allocator.
        thread_phase(&shared, &engine, 2, 2, mode);
        let mut results = Rounds::new();
        for round in 0..rounds {
            let mut one = 0.0;
            let mut two = 0.0;
            let order: [usize; 2] = if round % 2 == 0 { [1, 2] } else { [2, 1] };
            for workers in order {
                let t = thread_phase(&shared, &engine, workers, calls, mode);
                let throughput = (workers * calls) as f64 / t.as_secs_f64();
                if workers == 1 {
                    one = throughput;
                } else {
                    two = throughput;
                }
            }
            results.push((one, two));
        }
        report("threads", mode.name(false), calls, &results);
    }
}

fn epoch_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// A worker process: open the store, build an engine, warm up, say `ready`, wait for a line
/// on stdin, make `calls` verifications, print `<start ns> <end ns> <evaluations>`.
fn child(db: &str, who: ContactId, calls: usize, mode: Mode) {
    let the_code = code(
        WORKERS
            .iter()
            .find(|(id, _)| *id == who)
            .map(|(_, c)| *c)
            .unwrap(),
    );
    let engine = engine(DEFAULT_PARAMS, 0);
    let mut store = AnyStore::open(db).unwrap();
    let id = AccountId(ACCOUNT);
    // The store's part and Argon2's part of each verification, timed apart: the three steps of
    // `seccode_store::verify`, written out (begin and finish are the store's transactions).
    let store_ns = std::cell::Cell::new(0u128);
    let hash_ns = std::cell::Cell::new(0u128);
    let verify_once = |store: &mut AnyStore| -> bool {
        match mode {
            Mode::ThreeSteps => {
                let t0 = Instant::now();
                let attempt = update_account(store, id, |a| a.begin_verify(&engine, who)).unwrap();
                let t1 = Instant::now();
                let checked = attempt.check(&engine, &the_code).unwrap();
                let t2 = Instant::now();
                let v = update_account(store, id, |a| a.finish_verify(&engine, checked)).unwrap();
                let t3 = Instant::now();
                store_ns.set(store_ns.get() + (t1 - t0).as_nanos() + (t3 - t2).as_nanos());
                hash_ns.set(hash_ns.get() + (t2 - t1).as_nanos());
                v.is_verified()
            }
            Mode::Held => update_account(store, id, |a| a.verify(&engine, who, &the_code))
                .unwrap()
                .is_verified(),
        }
    };
    assert!(verify_once(&mut store));
    println!("ready");
    std::io::stdout().flush().unwrap();
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).unwrap();
    let before = engine.verifier().evaluations();
    store_ns.set(0);
    hash_ns.set(0);
    let start = epoch_ns();
    for _ in 0..calls {
        assert!(verify_once(&mut store));
    }
    let end = epoch_ns();
    println!(
        "{start} {end} {} {} {}",
        engine.verifier().evaluations() - before,
        store_ns.get(),
        hash_ns.get()
    );
}

/// `workers` processes (1 or 2) each make `calls` verifications through the store; the time
/// from the first start to the last end.
/// The time from the first start to the last end, and the store's share of the workers' time
/// (three steps only; 0 for the contrast).
fn process_phase(db: &str, workers: usize, calls: usize, mode: Mode) -> (Duration, f64) {
    let exe = std::env::current_exe().unwrap();
    let mut children: Vec<(Child, BufReader<std::process::ChildStdout>)> = WORKERS
        .iter()
        .take(workers)
        .map(|(who, _)| {
            let mut child = Command::new(&exe)
                .arg("--child")
                .arg(db)
                .args([&who.0.to_string(), &calls.to_string(), mode.arg()])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let out = BufReader::new(child.stdout.take().unwrap());
            (child, out)
        })
        .collect();
    for (_, out) in &mut children {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready");
    }
    for (child, _) in &mut children {
        writeln!(child.stdin.as_mut().unwrap(), "go").unwrap();
    }
    let mut first_start = u128::MAX;
    let mut last_end = 0;
    let (mut in_store, mut in_hash) = (0u128, 0u128);
    for (mut child, mut out) in children {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let f: Vec<u128> = line
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        assert_eq!(f[2], (2 * calls) as u128, "two evaluations per verify");
        in_store += f[3];
        in_hash += f[4];
        first_start = first_start.min(f[0]);
        last_end = last_end.max(f[1]);
        assert!(child.wait().unwrap().success());
    }
    let share = if in_store + in_hash == 0 {
        0.0
    } else {
        in_store as f64 / (in_store + in_hash) as f64 * 100.0
    };
    (Duration::from_nanos((last_end - first_start) as u64), share)
}

/// `db`: `None` for a fresh SQLite file, or the URL of an empty PostgreSQL database.
fn store(rounds: usize, calls: usize, db: Option<String>) {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("seccode-throughput-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let place = db.unwrap_or_else(|| dir.join("seccode.db").display().to_string());
    let kind = {
        let engine = engine(DEFAULT_PARAMS, 0);
        let mut store = AnyStore::open(&place).unwrap();
        insert_account(&mut store, &mut account(&engine)).unwrap();
        store.kind()
    };
    println!(
        "\nstore: {kind} ({}), one process per worker, each with its own connection and engine (m={} KiB, t={}, p={})",
        if kind == "sqlite" {
            place.as_str()
        } else {
            "postgres://…"
        },
        DEFAULT_PARAMS.m_kib,
        DEFAULT_PARAMS.t,
        DEFAULT_PARAMS.p
    );
    for mode in [Mode::ThreeSteps, Mode::Held] {
        let mut results = Rounds::new();
        let mut shares = Vec::new();
        for round in 0..rounds {
            let mut one = 0.0;
            let mut two = 0.0;
            let order: [usize; 2] = if round % 2 == 0 { [1, 2] } else { [2, 1] };
            for workers in order {
                let (t, share) = process_phase(&place, workers, calls, mode);
                if workers == 1 {
                    shares.push(share);
                }
                let throughput = (workers * calls) as f64 / t.as_secs_f64();
                if workers == 1 {
                    one = throughput;
                } else {
                    two = throughput;
                }
            }
            results.push((one, two));
        }
        report(kind, mode.name(true), calls, &results);
        if mode == Mode::ThreeSteps {
            println!(
                "  the store's share of a verification (its two transactions against the Argon2 check, one worker, median): {:.2} %",
                median(&shares)
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(
            &args[1],
            ContactId(args[2].parse().unwrap()),
            args[3].parse().unwrap(),
            Mode::parse(&args[4]),
        );
        return;
    }
    let mut what = "all".to_owned();
    let mut rounds = 5;
    let mut calls = 10;
    let mut db = None;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--rounds" => rounds = it.next().expect("--rounds R").parse().unwrap(),
            "--calls" => calls = it.next().expect("--calls N").parse().unwrap(),
            "--db" => db = Some(it.next().expect("--db URL")),
            "threads" | "store" | "all" => what = arg,
            other => panic!(
                "unknown argument `{other}` (expected threads, store, all, --rounds R, --calls N, --db URL)"
            ),
        }
    }
    println!("machine: {}", machine());
    println!("load average before: {}", load_average());
    if what == "threads" || what == "all" {
        threads(rounds, calls);
    }
    if what == "store" || what == "all" {
        store(rounds, calls, db);
    }
    println!("\nload average after: {}", load_average());
}

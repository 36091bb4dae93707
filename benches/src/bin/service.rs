//! Verifications per second through the HTTP service (`seccode serve`, crates/seccode-server)
//! against the library called directly, in the same run, at the default cost (m=19456 KiB,
//! t=2, p=1); then the service's latency under an open-loop load at 50 % and 100 % of its
//! saturation throughput.
//!
//! Set-up: a temporary SQLite store (the default cost, the default lockout) holding the seed
//! account (1707) with [`CONTACTS`] contacts that each have an individual code: 3523 and 3522
//! with the codes `throughput` uses, then 5000, 5001, … (every verification below is a
//! success: two Argon2id evaluations, then a call token kept); a `portal` API key; the service
//! opened with its default options (`ServiceOptions::new`: as many Argon2 slots as cores, 2 s
//! of waiting for a slot before `503`) and served on 127.0.0.1:0 by this process, on a tokio
//! runtime of its own with the default worker threads, as `seccode serve` does (`router` and
//! `axum::serve` with a graceful shutdown, as `seccode_server::serve`, plus a count of the
//! connections it accepts). Logging is initialised as `seccode serve` does (`info`).
//!
//! - *library*: `callers` threads, one contact each, each with its own store connection and
//!   one engine shared by all (built from the store's configuration, as the service builds
//!   its own): `seccode_store::verify` then `seccode_store::keep_call`, exactly the work of
//!   the service's verify handler, without HTTP.
//! - *service*: `callers` client threads, one contact each, each with one HTTP/1.1
//!   keep-alive connection (a `ureq` agent): `POST /v1/accounts/1707/verifications` with
//!   `{"contact", "code"}` and the portal key. Every answer must be `200` with outcome
//!   `verified` and a token, and each phase must open exactly one connection per client
//!   (checked against the server's count), so a broken run cannot look fast.
//!
//! Each round measures 1 and 2 callers, library then service (service then library on odd
//! rounds), then the service with twice as many clients as Argon2 slots (every slot kept
//! busy: the saturation throughput S); each caller first makes one verification outside the
//! clock (the connection, the buffers). Throughput is all callers' verifications over the
//! time from the common start to the last end; each round's ratio service / library is taken
//! against the library in the same round; the table gives the medians of the rounds. The
//! target (issue 11): service ≥ 0.95 of the library. At 1 caller every call is also timed
//! (p50 and minimum over all rounds): the difference is what HTTP adds to one verification.
//!
//! Latency: open loop at 0.5 S and 1.0 S (S: the median saturation throughput of this run)
//! for `seconds` each. Request i is due at start + i / rate and is sent by client thread
//! i mod [`CONTACTS`] (each with its own contact and keep-alive connection, opened before the
//! clock with a `/healthz` request; enough threads that the service, not the client, sheds
//! load: a `503` comes after 2 s of waiting); its latency is measured from the time it was due, not from when it was sent, so an answer
//! that made later requests wait is not hidden (no coordinated omission). p50 and p99 are
//! over the verified answers (nearest rank); `503` answers are counted apart.
//!
//! The load average is printed before and after: the client threads share the machine's
//! cores with the service, and so does anything else running.
//!
//! Usage: cargo run --release --bin service -- [--rounds R] [--calls N] [--seconds S]
//! (default: 5 rounds, 20 verifications per caller per round, 25 s per open-loop rate).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use seccode::{Account, AccountId, ContactDetails, ContactId, Engine, EngineConfig, SecurityCode};
use seccode_benches::{
    ACCOUNT, CONTACT, CONTACT_CODE, DEFAULT_PARAMS, PRIMARY, code, machine, portal_account,
};
use seccode_server::{KeyRing, Role, Service, ServiceOptions};
use seccode_store::{AnyStore, Store, StoreConfig, insert_account};

/// The primary contact's individual code (as in `throughput`).
const PRIMARY_CODE: &str = "Amber falcon meadow trumpet";

/// Contacts with a code, one per client thread of the open loop.
const CONTACTS: usize = 64;

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

/// The `i`-th extra contact's code: four words, a different combination for every `i` < 512.
fn extra_code(i: usize) -> String {
    const A: [&str; 8] = [
        "Copper", "Silent", "Golden", "Hidden", "Crimson", "Frozen", "Gentle", "Rapid",
    ];
    const B: [&str; 8] = [
        "canyon", "lantern", "glacier", "orchard", "compass", "beacon", "thistle", "quarry",
    ];
    const C: [&str; 8] = [
        "whistles", "gathers", "wanders", "shimmers", "hums", "drifts", "tumbles", "echoes",
    ];
    const D: [&str; 8] = [
        "northward",
        "at dawn",
        "softly",
        "below deck",
        "in winter",
        "uphill",
        "nightly",
        "twice",
    ];
    format!(
        "{} {} {} {}",
        A[i % 8],
        B[(i / 8) % 8],
        C[(i / 64 + i * 3) % 8],
        D[(i * 5 + 1) % 8]
    )
}

/// The contacts and their codes: 3523 and 3522 first, then 5000, 5001, …
fn contact_codes() -> Vec<(ContactId, String)> {
    let mut v = vec![
        (CONTACT, CONTACT_CODE.to_owned()),
        (PRIMARY, PRIMARY_CODE.to_owned()),
    ];
    for i in 0..CONTACTS - 2 {
        v.push((ContactId(5000 + i as u64), extra_code(i)));
    }
    v
}

/// The engine the service builds from the store's configuration (`Service::open`).
fn engine_like_the_service(store: &AnyStore) -> Engine {
    let config = store.config().unwrap();
    let mut engine = EngineConfig::default();
    engine.verifier.params = config.params;
    engine.lockout = config.lockout;
    Engine::new(engine).unwrap()
}

/// The store (a fresh SQLite file at the default cost) with the account; the portal key.
fn set_up(dir: &std::path::Path, contacts: &[(ContactId, String)]) -> (String, PathBuf, String) {
    let db = dir.join("seccode.db").display().to_string();
    let mut store = AnyStore::open(&db).unwrap();
    store
        .set_config(&StoreConfig {
            params: DEFAULT_PARAMS,
            ..StoreConfig::default()
        })
        .unwrap();
    let engine = engine_like_the_service(&store);
    let mut account: Account = portal_account(&engine);
    for (who, the_code) in contacts {
        if account.contact(*who).is_err() {
            account
                .add_contact(
                    &engine,
                    PRIMARY,
                    *who,
                    ContactDetails::named(format!("Bench Contact {}", who.0)),
                )
                .unwrap();
        }
        account
            .set_contact_code(&engine, PRIMARY, *who, &code(the_code))
            .unwrap_or_else(|e| panic!("contact {}: {e}", who.0));
    }
    account.drain_audit();
    insert_account(&mut store, &mut account).unwrap();
    let keys = dir.join("keys.json");
    let key = KeyRing::new(keys.clone())
        .create(Role::Portal, "bench")
        .unwrap()
        .1
        .expose_secret()
        .to_owned();
    (db, keys, key)
}

/// The service on 127.0.0.1:0 on a runtime of its own, until dropped.
struct Server {
    base: String,
    accepted: Arc<AtomicUsize>,
    argon2_slots: usize,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(db: &str, keys: &std::path::Path) -> Server {
        seccode_server::init_logging();
        let options = ServiceOptions::new(db, keys);
        let argon2_slots = options.argon2_concurrency;
        let service: Arc<Service> = Service::open(options).unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            // The runtime `seccode_server::run` builds: multi-threaded, one worker per core.
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                use axum::serve::ListenerExt;
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let listener = listener.tap_io(move |_| {
                    counter.fetch_add(1, Ordering::SeqCst);
                });
                // What `seccode_server::serve` does, with the counting listener.
                axum::serve(listener, seccode_server::router(Arc::clone(&service)))
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                    .unwrap();
            });
            drop(runtime);
            drop(service);
        });
        Server {
            base: format!("http://{}", addr_rx.recv().unwrap()),
            accepted,
            argon2_slots,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// One client: a keep-alive connection (a `ureq` agent) and the request for its contact.
struct Client {
    agent: ureq::Agent,
    health: String,
    url: String,
    auth: String,
    body: Vec<u8>,
}

/// What the service answered.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Answer {
    Verified,
    Saturated,
}

impl Client {
    fn new(server: &Server, key: &str, who: ContactId, the_code: &str) -> Client {
        Client {
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .into(),
            health: format!("{}/healthz", server.base),
            url: format!("{}/v1/accounts/{ACCOUNT}/verifications", server.base),
            auth: format!("Bearer {key}"),
            body: serde_json::to_vec(&serde_json::json!({ "contact": who.0, "code": the_code }))
                .unwrap(),
        }
    }

    /// One verification; panics on anything but `200 verified` (with a token) or `503`.
    fn verify(&self) -> Answer {
        let mut response = self
            .agent
            .post(&self.url)
            .header("Authorization", &self.auth)
            .content_type("application/json")
            .send(&self.body[..])
            .unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap();
        if status == 503 {
            return Answer::Saturated;
        }
        assert_eq!(status, 200, "{text}");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["outcome"], "verified", "{text}");
        assert!(
            json["token"]
                .as_str()
                .is_some_and(|t| t.starts_with("scv_"))
        );
        Answer::Verified
    }

    /// One verification outside the clock, tried again while the service is saturated.
    fn warm_up(&self) {
        while self.verify() == Answer::Saturated {
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Open the connection with a health check (no Argon2 work).
    fn connect(&self) {
        let mut response = self.agent.get(&self.health).call().unwrap();
        assert_eq!(response.status().as_u16(), 200);
        response.body_mut().read_to_string().unwrap();
    }
}

/// A closed-loop phase: the time from the common start to the last end, and each call's time.
type Phase = (Duration, Vec<Duration>);

/// Library: `callers` threads, each with its own connection, `calls` verifications each.
fn library_phase(
    db: &str,
    engine: &Engine,
    contacts: &[(ContactId, SecurityCode)],
    calls: usize,
) -> Phase {
    let barrier = Barrier::new(contacts.len() + 1);
    let before = engine.verifier().evaluations();
    let id = AccountId(ACCOUNT);
    let verify_once = |store: &mut AnyStore, who: ContactId, the_code: &SecurityCode| {
        let v = seccode_store::verify(store, engine, id, who, the_code).unwrap();
        assert!(v.is_verified());
        let token = seccode_store::keep_call(store, &v).unwrap();
        assert!(token.is_some());
    };
    let elapsed = std::thread::scope(|s| {
        let handles: Vec<_> = contacts
            .iter()
            .map(|(who, the_code)| {
                let barrier = &barrier;
                let verify_once = &verify_once;
                s.spawn(move || {
                    let mut store = AnyStore::open(db).unwrap();
                    verify_once(&mut store, *who, the_code);
                    barrier.wait();
                    (0..calls)
                        .map(|_| {
                            let t = Instant::now();
                            verify_once(&mut store, *who, the_code);
                            t.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let per_call: Vec<Duration> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        (start.elapsed(), per_call)
    });
    let evaluations = engine.verifier().evaluations() - before;
    assert_eq!(
        evaluations,
        (2 * contacts.len() * (calls + 1)) as u64,
        "two evaluations per verification"
    );
    elapsed
}

/// Service: `callers` client threads, one keep-alive connection each, `calls` verifications
/// each.
fn service_phase(
    server: &Server,
    key: &str,
    contacts: &[(ContactId, String)],
    calls: usize,
) -> Phase {
    let barrier = Barrier::new(contacts.len() + 1);
    let accepted = server.accepted.load(Ordering::SeqCst);
    let elapsed = std::thread::scope(|s| {
        let handles: Vec<_> = contacts
            .iter()
            .map(|(who, the_code)| {
                let barrier = &barrier;
                s.spawn(move || {
                    let client = Client::new(server, key, *who, the_code);
                    client.warm_up();
                    barrier.wait();
                    (0..calls)
                        .map(|_| {
                            let t = Instant::now();
                            assert_eq!(client.verify(), Answer::Verified, "saturated");
                            t.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let per_call: Vec<Duration> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        (start.elapsed(), per_call)
    });
    assert_eq!(
        server.accepted.load(Ordering::SeqCst) - accepted,
        contacts.len(),
        "one keep-alive connection per client"
    );
    elapsed
}

/// One open-loop run's results.
struct Open {
    rate: f64,
    threads: usize,
    due: usize,
    verified: usize,
    saturated: usize,
    achieved: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

/// The nearest-rank percentile `q` (0 to 100) of sorted `v`.
fn percentile(v: &[Duration], q: usize) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    let rank = (v.len() * q).div_ceil(100).max(1);
    v[rank - 1]
}

/// Requests due at `rate` per second for `seconds`, request i sent by thread i mod
/// `contacts.len()`; latency from the time each was due.
fn open_loop(
    server: &Server,
    key: &str,
    contacts: &[(ContactId, String)],
    rate: f64,
    seconds: f64,
) -> Open {
    let threads = contacts.len();
    let due = (rate * seconds).round() as usize;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let barrier = Barrier::new(threads + 1);
    let start = std::sync::OnceLock::<Instant>::new();
    let accepted = server.accepted.load(Ordering::SeqCst);
    let results: Vec<(Vec<Duration>, usize, Instant)> = std::thread::scope(|s| {
        let handles: Vec<_> = contacts
            .iter()
            .enumerate()
            .map(|(j, (who, the_code))| {
                let barrier = &barrier;
                let start = &start;
                s.spawn(move || {
                    let client = Client::new(server, key, *who, the_code);
                    client.connect();
                    barrier.wait();
                    barrier.wait();
                    let t0 = *start.get().unwrap();
                    let mut latencies = Vec::new();
                    let mut saturated = 0;
                    let mut last = t0;
                    for i in (j..due).step_by(threads) {
                        let at = t0 + interval * i as u32;
                        if let Some(wait) = at.checked_duration_since(Instant::now()) {
                            std::thread::sleep(wait);
                        }
                        let answer = client.verify();
                        last = Instant::now();
                        match answer {
                            Answer::Verified => latencies.push(last - at),
                            Answer::Saturated => saturated += 1,
                        }
                    }
                    (latencies, saturated, last)
                })
            })
            .collect();
        barrier.wait();
        start
            .set(Instant::now() + Duration::from_millis(200))
            .unwrap();
        barrier.wait();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let t0 = *start.get().unwrap();
    assert_eq!(
        server.accepted.load(Ordering::SeqCst) - accepted,
        threads,
        "one keep-alive connection per client thread"
    );
    let mut latencies: Vec<Duration> = results.iter().flat_map(|r| r.0.clone()).collect();
    latencies.sort();
    let saturated = results.iter().map(|r| r.1).sum();
    let end = results.iter().map(|r| r.2).max().unwrap_or(t0);
    assert_eq!(latencies.len() + saturated, due, "every request answered");
    Open {
        rate,
        threads,
        due,
        verified: latencies.len(),
        saturated,
        achieved: latencies.len() as f64 / (end - t0).as_secs_f64(),
        p50: percentile(&latencies, 50),
        p99: percentile(&latencies, 99),
        max: latencies.last().copied().unwrap_or_default(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let mut rounds = 5;
    let mut calls = 20;
    let mut seconds = 25.0;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--rounds" => rounds = it.next().expect("--rounds R").parse().unwrap(),
            "--calls" => calls = it.next().expect("--calls N").parse().unwrap(),
            "--seconds" => seconds = it.next().expect("--seconds S").parse().unwrap(),
            other => {
                panic!("unknown argument `{other}` (expected --rounds R, --calls N, --seconds S)")
            }
        }
    }
    let began = Instant::now();
    println!("machine: {}", machine());
    println!("load average before: {}", load_average());

    let dir: PathBuf =
        std::env::temp_dir().join(format!("seccode-service-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let contacts = contact_codes();
    let (db, keys, key) = set_up(&dir, &contacts);
    let engine = engine_like_the_service(&AnyStore::open(&db).unwrap());
    let server = Server::start(&db, &keys);
    let params = engine.verifier().params();
    assert_eq!(params, DEFAULT_PARAMS);
    println!(
        "store: SQLite {db}, account {ACCOUNT} with {CONTACTS} contacts with codes, m={} KiB, t={}, p={}",
        params.m_kib, params.t, params.p
    );
    println!(
        "service: {} (Argon2 slots {}, default options), library engine max_concurrent {}; set-up {:.1} s",
        server.base,
        server.argon2_slots,
        engine.verifier().max_concurrent(),
        began.elapsed().as_secs_f64()
    );

    let codes: Vec<(ContactId, SecurityCode)> =
        contacts.iter().map(|(w, c)| (*w, code(c))).collect();
    let saturating = 2 * server.argon2_slots;
    // Per round: library and service throughput at 1 and 2 callers, service at `saturating`.
    let mut lib = [Vec::new(), Vec::new()];
    let mut svc = [Vec::new(), Vec::new()];
    let mut sat = Vec::new();
    // Every call's time at 1 caller (library, service): the HTTP cost per call.
    let mut single: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    for round in 0..rounds {
        for (k, callers) in [1usize, 2].into_iter().enumerate() {
            let library_first = round % 2 == 0;
            for service in [!library_first, library_first] {
                let (t, per_call) = if service {
                    service_phase(&server, &key, &contacts[..callers], calls)
                } else {
                    library_phase(&db, &engine, &codes[..callers], calls)
                };
                if callers == 1 {
                    single[usize::from(service)].extend(per_call);
                }
                let throughput = (callers * calls) as f64 / t.as_secs_f64();
                if service {
                    svc[k].push(throughput);
                } else {
                    lib[k].push(throughput);
                }
            }
        }
        let (t, _) = service_phase(&server, &key, &contacts[..saturating], calls);
        sat.push((saturating * calls) as f64 / t.as_secs_f64());
        println!(
            "round {}: 1 caller lib {:.2} svc {:.2}; 2 callers lib {:.2} svc {:.2}; {saturating} clients svc {:.2} (load {})",
            round + 1,
            lib[0][round],
            svc[0][round],
            lib[1][round],
            svc[1][round],
            sat[round],
            load_average()
        );
    }

    println!(
        "\nthroughput, verifications per second ({calls} per caller per round, {rounds} rounds, medians):"
    );
    println!("| callers | library | service | service / library | rounds' ratios |");
    println!("|---:|---:|---:|---:|---|");
    let mut verdict = Vec::new();
    for (k, callers) in [1, 2].into_iter().enumerate() {
        let ratios: Vec<f64> = svc[k].iter().zip(&lib[k]).map(|(s, l)| s / l).collect();
        let ratio = median(&ratios);
        verdict.push(ratio);
        println!(
            "| {callers} | {:.2} | {:.2} | **{ratio:.3}** | {} |",
            median(&lib[k]),
            median(&svc[k]),
            ratios
                .iter()
                .map(|r| format!("{r:.3}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let s = median(&sat);
    println!(
        "| {saturating} (saturation S) | — | {s:.2} | — | {} |",
        sat.iter()
            .map(|r| format!("{r:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for v in &mut single {
        v.sort();
    }
    println!(
        "per call at 1 caller: library p50 {} (min {}), service p50 {} (min {}): HTTP adds {} at p50, {} at the minimum",
        ms(percentile(&single[0], 50)),
        ms(single[0][0]),
        ms(percentile(&single[1], 50)),
        ms(single[1][0]),
        ms(percentile(&single[1], 50).saturating_sub(percentile(&single[0], 50))),
        ms(single[1][0].saturating_sub(single[0][0]))
    );
    println!(
        "target service / library ≥ 0.95: 1 caller {}, 2 callers {}",
        if verdict[0] >= 0.95 { "met" } else { "NOT met" },
        if verdict[1] >= 0.95 { "met" } else { "NOT met" }
    );

    println!("\nlatency, open loop ({seconds} s per rate, from the time each request was due):");
    if s * 2.5 > CONTACTS as f64 {
        println!(
            "  note: {CONTACTS} client threads may be too few to keep 2.5 s × S requests outstanding"
        );
    }
    let mut open = Vec::new();
    for share in [0.5, 1.0] {
        let before = load_average();
        let o = open_loop(&server, &key, &contacts, share * s, seconds);
        println!(
            "  {:.0} % of S done (load before {before}, after {})",
            share * 100.0,
            load_average()
        );
        open.push((share, o));
    }
    println!(
        "| offered | requests | client threads | verified | 503 | achieved | p50 | p99 | max |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (share, o) in &open {
        println!(
            "| {:.0} % of S = {:.2} /s | {} | {} | {} | {} | {:.2} /s | {} | {} | {} |",
            share * 100.0,
            o.rate,
            o.due,
            o.threads,
            o.verified,
            o.saturated,
            o.achieved,
            ms(o.p50),
            ms(o.p99),
            ms(o.max)
        );
    }
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
    println!("\nload average after: {}", load_average());
    println!("whole run: {:.0} s", began.elapsed().as_secs_f64());
}

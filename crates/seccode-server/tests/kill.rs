//! A service killed with SIGKILL in the middle of a load run, then restarted on the same
//! store: every change and every counted attempt that was answered with a 2xx before the kill
//! is in the store, the account and its audit log agree (no half-written change) and the
//! store's check finds no problem. On SQLite and on PostgreSQL.
//!
//! The service runs in a child process: this test binary itself, re-executed with
//! `SECCODE_KILL_TEST_SERVE` set so that `child_serves_until_killed` serves instead of
//! returning at once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Backend, CHEAP, postgres_database};
use seccode::{AccountId, Engine, EngineConfig, Lockout, VerifierConfig};
use seccode_server::{KeyRing, Role, Service, ServiceOptions};
use seccode_store::{AnyStore, AuditFilter, Store, StoreConfig};
use serde_json::{Value, json};

const CHILD: &str = "SECCODE_KILL_TEST_SERVE";
const CODE: &str = "Seven lazy herons juggle 19 kiwis";
const WRONG: &str = "a wrong guess, once more";

/// Not a check on its own: the service of the kill test, when this binary is re-executed
/// with `SECCODE_KILL_TEST_SERVE=<store>\n<key file>`. It prints where it listens and serves
/// until killed.
#[test]
fn child_serves_until_killed() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let (db, keys) = spec.split_once('\n').unwrap();
    let service = Service::open(ServiceOptions::new(db, keys)).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("LISTENING {}", listener.local_addr().unwrap());
        seccode_server::serve(listener, service, std::future::pending())
            .await
            .unwrap();
    });
}

/// The child process; killed (SIGKILL) when dropped, if it still runs.
struct Served {
    child: Child,
    base: String,
}

impl Served {
    fn start(db: &str, keys: &std::path::Path) -> Served {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "child_serves_until_killed",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, format!("{db}\n{}", keys.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("the child ended before it listened")
                .unwrap();
            // libtest may have written the test's name on the same line.
            if let Some((_, addr)) = line.split_once("LISTENING ") {
                break addr.to_owned();
            }
        };
        // Keep reading (and dropping) its output so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Served {
            child,
            base: format!("http://{addr}"),
        }
    }

    /// SIGKILL (what `Child::kill` sends on Unix), and reap it.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Send a request; `None` when the service did not answer (killed).
fn try_send(base: &str, method: &str, path: &str, key: &str, body: Value) -> Option<(u16, Value)> {
    let http: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let req = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"))
        .header("Authorization", format!("Bearer {key}"))
        .header("Content-Type", "application/json")
        .body(serde_json::to_vec(&body).unwrap())
        .unwrap();
    let response = http.run(req).ok()?;
    let status = response.status().as_u16();
    let text = response.into_body().read_to_string().ok()?;
    Some((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

fn count(store: &AnyStore, kind: &str) -> usize {
    store
        .audit(&AuditFilter {
            account: Some(AccountId(1707)),
            kind: Some(kind.to_owned()),
            ..AuditFilter::default()
        })
        .unwrap()
        .len()
}

#[test]
fn nothing_answered_before_a_sigkill_is_lost() {
    killed_and_restarted(Backend::Sqlite);
}

#[test]
fn nothing_answered_before_a_sigkill_is_lost_on_postgresql() {
    killed_and_restarted(Backend::Postgres);
}

fn killed_and_restarted(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (db, _database) = match backend {
        Backend::Sqlite => (dir.path().join("s.db").display().to_string(), None),
        Backend::Postgres => {
            let Some((url, database)) = postgres_database() else {
                return;
            };
            (url, Some(database))
        }
    };
    {
        let mut store = AnyStore::open(&db).unwrap();
        store
            .set_config(&StoreConfig {
                params: CHEAP,
                // Never lock: every wrong guess is checked and counted.
                lockout: Lockout {
                    max_failures: 1_000_000,
                    ..Lockout::default()
                },
                ..StoreConfig::default()
            })
            .unwrap();
    }
    let ring = KeyRing::new(dir.path().join("keys.json"));
    let admin = ring
        .create(Role::Admin, "t")
        .unwrap()
        .1
        .expose_secret()
        .to_owned();
    let mut served = Served::start(&db, ring.path());
    let base = served.base.clone();
    let (st, v) = try_send(
        &base,
        "POST",
        "/v1/accounts",
        &admin,
        json!({"id": 1707, "name": "Any Company", "primary": {"id": 3522, "name": "Joe Example"}}),
    )
    .unwrap();
    assert_eq!(st, 201, "{v}");

    // The load: writers add contacts and set their codes, guessers make wrong guesses.
    let added = Arc::new(Mutex::new(BTreeSet::new()));
    let coded = Arc::new(Mutex::new(BTreeSet::new()));
    let guessed = Arc::new(AtomicUsize::new(0));
    let sent_guesses = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for t in 0..6u64 {
        let (base, admin) = (base.clone(), admin.clone());
        let (added, coded) = (Arc::clone(&added), Arc::clone(&coded));
        let (guessed, sent_guesses) = (Arc::clone(&guessed), Arc::clone(&sent_guesses));
        let (answered, stop) = (Arc::clone(&answered), Arc::clone(&stop));
        threads.push(std::thread::spawn(move || {
            for n in 0.. {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                if t % 2 == 0 {
                    let id = 10_000 + t * 1_000 + n;
                    let Some((st, v)) = try_send(
                        &base,
                        "POST",
                        "/v1/accounts/1707/contacts",
                        &admin,
                        json!({"actor": 3522, "id": id, "name": format!("Contact {id}")}),
                    ) else {
                        break;
                    };
                    assert!(st == 201 || st == 503, "{st} {v}");
                    if st != 201 {
                        continue;
                    }
                    added.lock().unwrap().insert(id);
                    answered.fetch_add(1, Ordering::SeqCst);
                    let Some((st, v)) = try_send(
                        &base,
                        "PUT",
                        &format!("/v1/accounts/1707/contacts/{id}/code"),
                        &admin,
                        json!({"actor": 3522, "code": CODE}),
                    ) else {
                        break;
                    };
                    assert!(st == 200 || st == 503, "{st} {v}");
                    if st == 200 {
                        coded.lock().unwrap().insert(id);
                        answered.fetch_add(1, Ordering::SeqCst);
                    }
                } else {
                    sent_guesses.fetch_add(1, Ordering::SeqCst);
                    let Some((st, v)) = try_send(
                        &base,
                        "POST",
                        "/v1/accounts/1707/verifications",
                        &admin,
                        json!({"contact": 3522, "code": WRONG}),
                    ) else {
                        break;
                    };
                    assert!(st == 200 || st == 503, "{st} {v}");
                    if st == 200 {
                        assert_eq!(v["outcome"], "not_verified", "{v}");
                        guessed.fetch_add(1, Ordering::SeqCst);
                        answered.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
        }));
    }
    // Kill it in the middle of the run: once enough was answered, while requests are in flight.
    let enough = || {
        answered.load(Ordering::SeqCst) >= 60
            && added.lock().unwrap().len() >= 5
            && guessed.load(Ordering::SeqCst) >= 5
    };
    while !enough() && threads.iter().any(|t| !t.is_finished()) {
        std::thread::sleep(Duration::from_millis(5));
    }
    served.kill();
    stop.store(true, Ordering::SeqCst);
    for t in threads {
        t.join().expect("a load thread failed");
    }
    let added = added.lock().unwrap().clone();
    let coded = coded.lock().unwrap().clone();
    let guessed = guessed.load(Ordering::SeqCst);
    let sent_guesses = sent_guesses.load(Ordering::SeqCst);
    assert!(!added.is_empty() && guessed > 0);

    // Restarted on the same store: everything answered is there.
    let served = Served::start(&db, ring.path());
    let (st, account) = try_send(
        &served.base,
        "GET",
        "/v1/accounts/1707",
        &admin,
        json!(null),
    )
    .expect("the restarted service answers");
    assert_eq!(st, 200, "{account}");
    let contacts = account["contacts"].as_array().unwrap();
    let present: BTreeSet<u64> = contacts
        .iter()
        .map(|c| c["id"].as_u64().unwrap())
        .filter(|id| *id != 3522)
        .collect();
    let with_code: BTreeSet<u64> = contacts
        .iter()
        .filter(|c| c["has_code"] == json!(true))
        .map(|c| c["id"].as_u64().unwrap())
        .collect();
    assert!(added.is_subset(&present), "an added contact was lost");
    assert!(coded.is_subset(&with_code), "a code that was set was lost");
    let primary = contacts.iter().find(|c| c["id"] == json!(3522)).unwrap();
    let failures = usize::try_from(primary["failed_attempts"].as_u64().unwrap()).unwrap();
    assert!(
        (guessed..=sent_guesses).contains(&failures),
        "{guessed} wrong guesses answered, {sent_guesses} sent, {failures} counted"
    );

    // No half-written change: the account and its audit log agree, and the store is sound.
    let engine = Engine::new(EngineConfig {
        verifier: VerifierConfig {
            params: CHEAP,
            ..VerifierConfig::default()
        },
        ..EngineConfig::default()
    })
    .unwrap();
    let store = AnyStore::open(&db).unwrap();
    assert_eq!(count(&store, "contact_added"), present.len());
    assert_eq!(count(&store, "code_set"), with_code.len());
    // A verification counts its attempt before Argon2 runs and records the outcome after:
    // one cut off by the kill is counted as a failure without an audited outcome.
    let audited = count(&store, "verification_failed");
    assert!(
        guessed <= audited && audited <= failures,
        "{guessed} wrong guesses answered, {audited} audited, {failures} counted"
    );
    let report = store.check(&engine).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.accounts, 1);

    // And it serves as before.
    if let Some(id) = coded.first() {
        let (st, v) = try_send(
            &served.base,
            "POST",
            "/v1/accounts/1707/verifications",
            &admin,
            json!({"contact": id, "code": CODE}),
        )
        .unwrap();
        assert_eq!((st, v["outcome"].clone()), (200, json!("verified")));
    }
}

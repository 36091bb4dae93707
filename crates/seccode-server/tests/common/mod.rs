//! A service on an ephemeral port of 127.0.0.1 in this process, on a fresh store (a SQLite
//! file, or a database of its own on the test PostgreSQL server named by
//! `SECCODE_TEST_POSTGRES_URL`) with cheap hashes (unless told otherwise), and a blocking HTTP
//! client.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    dead_code
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use seccode::HashParams;
use seccode_server::{KeyRing, Role, Service, ServiceOptions};
use seccode_store::{AnyStore, Store, StoreConfig};
use serde_json::Value;

/// A running service and keys of every role.
pub struct Server {
    pub base: String,
    pub admin: String,
    pub portal: String,
    pub agent: String,
    /// The store, as `AnyStore::open` takes it.
    pub db: String,
    pub service: Arc<Service>,
    pub dir: tempfile::TempDir,
    /// Dropped after the service stopped (fields drop after `Drop::drop`).
    _database: Option<Database>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
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

/// The cheap parameters most tests use.
pub const CHEAP: HashParams = HashParams {
    m_kib: 64,
    t: 1,
    p: 1,
};

/// Which store a test's service runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database of its own on the test PostgreSQL server, dropped with it.
pub struct Database {
    server: String,
    name: String,
}

fn admin(server: &str) -> postgres::Client {
    postgres::Client::connect(server, postgres::NoTls).expect("connect to the test server")
}

impl Drop for Database {
    fn drop(&mut self) {
        let _ = admin(&self.server).batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

/// A fresh database on the test server: (its URL, the guard that drops it). No server:
/// `None`, except under CI, where that fails the test instead of skipping it.
pub fn postgres_database() -> Option<(String, Database)> {
    let Some(server) = std::env::var("SECCODE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "SECCODE_TEST_POSTGRES_URL is not set: under CI the PostgreSQL tests must run \
             (bash .ci/with-postgres cargo test -p seccode-server)"
        );
        eprintln!(
            "skipped: no PostgreSQL server for this run; `bash .ci/with-postgres cargo test \
             -p seccode-server` starts one"
        );
        return None;
    };
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "seccode_srv_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    admin(&server)
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
    Some((format!("{base}/{name}"), Database { server, name }))
}

/// Start a service on a new SQLite store with hashes of `params`; `tune` adjusts its options.
pub fn start_with(params: HashParams, tune: impl FnOnce(&mut ServiceOptions)) -> Server {
    start_on(Backend::Sqlite, params, tune).unwrap()
}

/// Start a service on a new store of `backend`; `None` when that backend is not available
/// in this run (no PostgreSQL server, outside CI).
pub fn start_on(
    backend: Backend,
    params: HashParams,
    tune: impl FnOnce(&mut ServiceOptions),
) -> Option<Server> {
    let dir = tempfile::tempdir().unwrap();
    let (db, database) = match backend {
        Backend::Sqlite => (dir.path().join("s.db").display().to_string(), None),
        Backend::Postgres => {
            let (url, database) = postgres_database()?;
            (url, Some(database))
        }
    };
    {
        let mut store = AnyStore::open(&db).unwrap();
        let config = StoreConfig {
            params,
            ..StoreConfig::default()
        };
        store.set_config(&config).unwrap();
    }
    let ring = KeyRing::new(dir.path().join("keys.json"));
    let named = |role, name| {
        ring.create(role, name)
            .unwrap()
            .1
            .expose_secret()
            .to_owned()
    };
    let key = |role| named(role, "t");
    let (admin, portal) = (key(Role::Admin), key(Role::Portal));
    // The agent key's name is the agent the audit log names.
    let agent = named(Role::Agent, "console desk");
    let mut options = ServiceOptions::new(db.clone(), ring.path());
    tune(&mut options);
    let service: Arc<Service> = Service::open(options).unwrap();
    let (addr, tx, thread) = serve(Arc::clone(&service));
    Some(Server {
        base: format!("http://{addr}"),
        admin,
        portal,
        agent,
        db,
        service,
        dir,
        _database: database,
        shutdown: Some(tx),
        thread: Some(thread),
    })
}

type Running = (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    std::thread::JoinHandle<()>,
);

/// Serve `service` on an ephemeral port of 127.0.0.1 on a runtime of its own.
fn serve(service: Arc<Service>) -> Running {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            seccode_server::serve(listener, service, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
    });
    (addr_rx.recv().unwrap(), tx, thread)
}

/// Another instance of the service on the same store and key file (drop it before the
/// [`Server`] it was made from).
pub struct Instance {
    pub base: String,
    /// Held here so that the last reference (and a PostgreSQL store's synchronous client)
    /// is dropped on the test's thread, outside the runtime.
    _service: Arc<Service>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Server {
    /// Start another instance on this server's store and keys.
    pub fn another_instance(&self) -> Instance {
        let options = ServiceOptions::new(self.db.clone(), self.dir.path().join("keys.json"));
        let service = Service::open(options).unwrap();
        let (addr, tx, thread) = serve(Arc::clone(&service));
        Instance {
            base: format!("http://{addr}"),
            _service: service,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }
}

/// Start a service with cheap hashes and the default options.
pub fn start() -> Server {
    start_with(CHEAP, |_| {})
}

/// A client that hands back every status instead of failing on 4xx/5xx.
pub fn client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// An answer: status, the named headers' values, the body as text.
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    pub text: String,
}

impl Answer {
    /// The body as JSON (Null when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
}

/// Send `body` (JSON, unless Null) with `key`; the raw answer.
pub fn send(base: &str, method: &str, path: &str, key: Option<&str>, body: &Value) -> Answer {
    let http = client();
    let mut req = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"));
    if let Some(k) = key {
        req = req.header("Authorization", format!("Bearer {k}"));
    }
    let bytes = if body.is_null() {
        Vec::new()
    } else {
        req = req.header("Content-Type", "application/json");
        serde_json::to_vec(body).unwrap()
    };
    let response = http.run(req.body(bytes).unwrap()).unwrap();
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.into_body().read_to_string().unwrap_or_default();
    Answer {
        status,
        retry_after,
        text,
    }
}

/// Send and answer (status, JSON body).
pub fn j(s: &Server, method: &str, path: &str, key: &str, body: Value) -> (u16, Value) {
    let a = send(&s.base, method, path, Some(key), &body);
    (a.status, a.json())
}

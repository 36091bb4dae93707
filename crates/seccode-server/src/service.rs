//! [`Service`]: what every request works with: a small pool of store connections, the engine
//! built from the store's configuration, the key file, the bound on Argon2 work and the
//! metrics. The store is synchronous: its calls run on tokio's blocking threads.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use seccode::{Account, AccountId, AgentName, Clock, Engine, EngineConfig, Pepper, Sealer};
use seccode_store::{AnyStore, Store, update_account_as};
use tokio::sync::Semaphore;

use crate::error::{ApiError, ServerError};
use crate::keys::KeyRing;
use crate::metrics::Metrics;

/// How to run the service.
#[derive(Debug, Clone)]
pub struct ServiceOptions {
    /// The store: a SQLite file or a `postgres://` URL (as `seccode --db`).
    pub db: String,
    /// The key file ([`KeyRing`]).
    pub keys: PathBuf,
    /// The current pepper, if the store's hashes use one.
    pub pepper: Option<Pepper>,
    /// Former peppers whose hashes must still verify.
    pub retired_peppers: Vec<Pepper>,
    /// The sealing key, if any (default none): every code set through the service then keeps
    /// a sealed copy, and the portal pages offer to reveal a code to a contact the core allows
    /// to know it. Without one, the pages say a code is set but never show it.
    pub sealer: Option<Sealer>,
    /// Argon2 computations at once (default: the number of cores).
    pub argon2_concurrency: usize,
    /// How long a request waits for an Argon2 slot before `503` (default 2 s).
    pub argon2_wait: Duration,
    /// Store connections at once (default 16).
    pub store_connections: usize,
    /// The deadline of every request (default 30 s).
    pub request_timeout: Duration,
    /// Where the engine's time comes from; `None` (the default) is the system clock. Only
    /// tests set it (a manual clock, to pass a verification's lifetime); the command line
    /// has no way to.
    #[doc(hidden)]
    pub clock: Option<Arc<dyn Clock>>,
}

impl ServiceOptions {
    /// Options with the defaults, for this store and key file.
    pub fn new(db: impl Into<String>, keys: impl Into<PathBuf>) -> ServiceOptions {
        ServiceOptions {
            db: db.into(),
            keys: keys.into(),
            pepper: None,
            retired_peppers: Vec::new(),
            sealer: None,
            argon2_concurrency: std::thread::available_parallelism().map_or(2, |n| n.get()),
            argon2_wait: Duration::from_secs(2),
            store_connections: 16,
            request_timeout: Duration::from_secs(30),
            clock: None,
        }
    }
}

/// The running service's shared state.
#[derive(Debug)]
pub struct Service {
    place: String,
    pool: Mutex<Vec<AnyStore>>,
    connections: Semaphore,
    pub(crate) engine: Engine,
    pub(crate) keys: KeyRing,
    argon2: Semaphore,
    argon2_wait: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) metrics: Metrics,
}

impl Service {
    /// Open the store, build the engine from its configuration (one dummy hash) and check
    /// the key file.
    pub fn open(options: ServiceOptions) -> Result<Arc<Service>, ServerError> {
        let store = AnyStore::open(&options.db)?;
        let config = store.config()?;
        let mut engine = EngineConfig::default();
        engine.verifier.params = config.params;
        engine.verifier.pepper = options.pepper.clone();
        engine.verifier.retired_peppers = options.retired_peppers.clone();
        engine.lockout = config.lockout;
        engine.sealer = options.sealer.clone();
        if let Some(clock) = options.clock.clone() {
            engine.clock = clock;
        }
        let engine = Engine::new(engine)?;
        let keys = KeyRing::new(options.keys.clone());
        keys.list()?;
        let connections = options.store_connections.max(1);
        Ok(Arc::new(Service {
            place: options.db,
            pool: Mutex::new(vec![store]),
            connections: Semaphore::new(connections),
            engine,
            keys,
            argon2: Semaphore::new(options.argon2_concurrency.max(1)),
            argon2_wait: options.argon2_wait,
            request_timeout: options.request_timeout,
            metrics: Metrics::new(),
        }))
    }

    /// Where the store is (a path, or a URL without its password).
    pub fn store_location(&self) -> String {
        self.pool
            .lock()
            .ok()
            .and_then(|p| p.first().map(AnyStore::location))
            .unwrap_or_else(|| "(store)".to_owned())
    }

    fn take_store(&self) -> Result<AnyStore, ApiError> {
        let pooled = self.pool.lock().ok().and_then(|mut p| p.pop());
        match pooled {
            Some(store) => Ok(store),
            None => Ok(AnyStore::open(&self.place)?),
        }
    }

    fn give_back(&self, store: AnyStore) {
        if let Ok(mut pool) = self.pool.lock() {
            pool.push(store);
        }
    }

    /// Run `work` with a store connection on a blocking thread (waiting for a connection
    /// first: at most `store_connections` at once).
    pub(crate) async fn store<T, F>(self: &Arc<Self>, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyStore, &Engine) -> Result<T, ApiError> + Send + 'static,
    {
        let _permit = self
            .connections
            .acquire()
            .await
            .map_err(|_| ApiError::internal("the service is shutting down"))?;
        let service = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut store = service.take_store()?;
            let out = work(&mut store, &service.engine);
            service.give_back(store);
            out
        })
        .await
        .map_err(|_| ApiError::internal("a store task failed"))?
    }

    /// [`Service::store`] for work that runs Argon2 (verification, setting a code): wait for
    /// one of the bounded Argon2 slots, at most `argon2_wait`, else `503` with `Retry-After`.
    pub(crate) async fn hashing<T, F>(self: &Arc<Self>, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyStore, &Engine) -> Result<T, ApiError> + Send + 'static,
    {
        let waited = Instant::now();
        self.metrics.argon2_waiting.inc();
        let permit = tokio::time::timeout(self.argon2_wait, self.argon2.acquire()).await;
        self.metrics.argon2_waiting.dec();
        self.metrics
            .argon2_wait_seconds
            .observe(waited.elapsed().as_secs_f64());
        let _permit = match permit {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err(ApiError::internal("the service is shutting down")),
            Err(_) => {
                self.metrics.saturated.inc();
                return Err(ApiError::new(
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    "saturated",
                    "too many verifications at once: try again shortly",
                )
                .retry_after(1));
            }
        };
        self.metrics.argon2_running.inc();
        let started = Instant::now();
        let out = self.store(work).await;
        self.metrics
            .argon2_seconds
            .observe(started.elapsed().as_secs_f64());
        self.metrics.argon2_running.dec();
        out
    }

    /// Whether the store answers (for `/readyz`).
    pub(crate) async fn ready(self: &Arc<Self>) -> Result<(), ApiError> {
        self.store(|store, _| {
            store.config()?;
            Ok(())
        })
        .await
    }
}

/// The store work that changes one account in one transaction ([`update_account_as`]): load
/// it, run `change` on it, save it with the audit events it recorded; with `agent`, every
/// event names that agent. A core error leaves the account as it was. Handlers run it with
/// [`Service::store`], or [`Service::hashing`] when the change runs Argon2 (a new code).
pub(crate) fn changing<T, F>(
    agent: Option<AgentName>,
    account: AccountId,
    change: F,
) -> impl FnOnce(&mut AnyStore, &Engine) -> Result<T, ApiError>
where
    F: FnOnce(&mut Account, &Engine) -> seccode::Result<T>,
{
    move |store, engine| {
        Ok(update_account_as(store, account, agent.as_ref(), |a| {
            change(a, engine)
        })?)
    }
}

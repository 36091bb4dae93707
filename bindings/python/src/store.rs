//! `Store`: accounts kept in a SQLite file or a PostgreSQL database, every change one
//! transaction, verifications in the core's three steps.
//!
//! A `Store` keeps a few handles on the database (each an [`AnyStore`]: one SQLite connection,
//! or one PostgreSQL connection pool). Every operation takes a handle for itself, opening
//! another when all are in use, runs with the interpreter detached and **no lock held**, and
//! gives the handle back; the only lock is the one around the list of idle handles, held for
//! a push or a pop. So each thread works on its own connection, and a verification runs
//! [`seccode_store::verify`] as it is: the attempt counted in one short transaction, the
//! Argon2 work with no transaction open and nothing locked, the outcome recorded in another.
//! Every other change is one [`update_account_as`](seccode_store::update_account_as) (or
//! [`insert_account`]) transaction.
//!
//! The engine's hash cost and lockout come from the store's settings (`StoreConfig`), read
//! before every operation, so every process and thread hashes and locks alike; the pepper,
//! the sealing key and the rest come from the caller. An engine is rebuilt only when the
//! settings change.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use pyo3::prelude::*;
use pyo3::types::PyString;
use seccode::{
    Account, AccountId, AgentName, ContactDetails, ContactId, Engine, EngineConfig, ManualClock,
    RwhoisRoles, SecurityCode, Timestamp, VerifiedCall, VerifierConfig,
};
use seccode_store::{
    AnyStore, AuditFilter, CallToken, Store, StoreConfig, StoreError, insert_account,
    is_postgres_url, keep_call, load_account, update_account_as,
};
use zeroize::Zeroizing;

use crate::account::{PyAccount, details_change, rwhois_roles};
use crate::catalog::PyCatalog;
use crate::engine::{PyCodePolicy, PyEngine, Secrets, secrets};
use crate::views::{
    PyAuditEvent, PyContact, PyDecision, PyLockStatus, PyVerification, PyVerifiedCall,
};
use crate::{convert, errors};

/// Idle handles kept for reuse; more are opened while more threads work at once, and the
/// extra ones are closed when they come back.
const MAX_IDLE: usize = 8;

/// Why an operation on the store did not finish (turned into an exception once attached).
enum Fail {
    /// The store said no.
    Store(StoreError),
    /// `Store.close()` was called.
    Closed,
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Self {
        Fail::Store(e)
    }
}

impl From<seccode::Error> for Fail {
    fn from(e: seccode::Error) -> Self {
        Fail::Store(StoreError::Core(e))
    }
}

fn raise(py: Python<'_>, fail: &Fail) -> PyErr {
    match fail {
        Fail::Store(e) => errors::store(py, e),
        Fail::Closed => errors::unavailable(py, "closed", "the store is closed"),
    }
}

/// The engine built for one set of store settings.
struct Built {
    config: StoreConfig,
    engine: Arc<Engine>,
}

/// Accounts, contacts, codes, permissions, lockout state and the audit log in a database
/// shared by every process and thread that opens it: `Store("seccode.db")` (a SQLite file,
/// created on first use) or `Store("postgres://user@host/db")` (the schema created or
/// migrated). Each operation is one transaction; `verify` counts the attempt in one short
/// transaction before the code is checked (with no transaction open and the interpreter
/// released), so however many processes guess at once, at most `max_failures` codes are
/// checked and the contact locks with the exact count.
///
/// The engine it runs with is made of two parts. The hash cost of new hashes and the lockout
/// rule are the store's settings, kept in the database so that every process hashes and locks
/// alike: read them with `config()`, change them with `set_config(...)`; they are read again
/// before every operation. The secrets and local choices are the caller's, given here:
/// `pepper` and `pepper_key_id` (the same in every process; retired ones in
/// `retired_peppers`, a mapping of key id to bytes), `sealing_key` (32 bytes) and
/// `sealing_key_id` for sealed copies of codes, the code `policy`, `max_concurrent` Argon2
/// computations, `verification_lifetime_seconds`, and `now=` for a manual clock in tests
/// (`store.engine.advance_clock(...)`). `store.engine` shows the engine in use.
///
/// Safe to share between threads: every operation runs on a connection of its own (a few are
/// kept open for reuse) with nothing locked. Open one `Store` per process (after a fork,
/// open a new one). `close()`, or a `with` block, closes its connections.
#[pyclass(module = "seccode._native", name = "Store", frozen)]
pub(crate) struct PyStore {
    /// What the store was opened on: a path or a URL that may hold a password. Never shown;
    /// wiped when the store is dropped.
    place: Zeroizing<String>,
    /// `sqlite` or `postgres`.
    kind: &'static str,
    /// Where the store is, without a password.
    location: String,
    idle: Mutex<Vec<AnyStore>>,
    closed: AtomicBool,
    /// The caller's part of the engine (pepper, sealing key, policy, lifetime, clock); the
    /// hash cost and lockout are the store's.
    template: EngineConfig,
    clock: Option<Arc<ManualClock>>,
    built: Mutex<Option<Arc<Built>>>,
    /// The support agent this store's operations act through: every audit event they record
    /// names it (the core's rule, `Account::set_agent`).
    agent: Option<AgentName>,
}

impl PyStore {
    /// A handle for one operation: an idle one, or a new connection.
    fn checkout(&self) -> Result<AnyStore, Fail> {
        if self.closed.load(Ordering::Acquire) {
            return Err(Fail::Closed);
        }
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        match idle {
            Some(handle) => Ok(handle),
            None => Ok(AnyStore::open(&self.place)?),
        }
    }

    /// Give a handle back (closed instead when the store was closed or enough are idle).
    fn checkin(&self, handle: AnyStore) {
        if self.closed.load(Ordering::Acquire) {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < MAX_IDLE {
            idle.push(handle);
        }
    }

    /// The engine for the store's current settings: the one built last if they have not
    /// changed, else a new one (its dummy hash computed here, detached, nothing locked).
    fn engine_for(&self, handle: &AnyStore) -> Result<Arc<Engine>, Fail> {
        let config = handle.config()?;
        let current = self
            .built
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(built) = current.filter(|b| b.config == config) {
            return Ok(Arc::clone(&built.engine));
        }
        let engine = Arc::new(self.build(&config)?);
        self.remember(config, Arc::clone(&engine));
        Ok(engine)
    }

    fn build(&self, config: &StoreConfig) -> seccode::Result<Engine> {
        build_engine(&self.template, config)
    }

    fn remember(&self, config: StoreConfig, engine: Arc<Engine>) {
        *self.built.lock().unwrap_or_else(PoisonError::into_inner) =
            Some(Arc::new(Built { config, engine }));
    }

    /// Run `op` on a handle with the interpreter detached and nothing locked.
    fn with_handle<T, F>(&self, py: Python<'_>, op: F) -> PyResult<T>
    where
        T: Send,
        F: FnOnce(&mut AnyStore) -> Result<T, Fail> + Send,
    {
        let result = py.detach(|| {
            let mut handle = self.checkout()?;
            let out = op(&mut handle);
            self.checkin(handle);
            out
        });
        result.map_err(|fail| raise(py, &fail))
    }

    /// [`PyStore::with_handle`] with the engine for the store's current settings.
    fn with_engine<T, F>(&self, py: Python<'_>, op: F) -> PyResult<T>
    where
        T: Send,
        F: FnOnce(&mut AnyStore, &Arc<Engine>) -> Result<T, Fail> + Send,
    {
        self.with_handle(py, |handle| {
            let engine = self.engine_for(handle)?;
            op(handle, &engine)
        })
    }

    /// One core operation on one account, in one transaction
    /// ([`update_account_as`](seccode_store::update_account_as)).
    fn change<T, F>(&self, py: Python<'_>, account: u64, op: F) -> PyResult<T>
    where
        T: Send,
        F: FnOnce(&mut Account, &Engine) -> seccode::Result<T> + Send,
    {
        self.with_engine(py, |handle, engine| {
            Ok(update_account_as(
                handle,
                AccountId(account),
                self.agent.as_ref(),
                |a| op(a, engine),
            )?)
        })
    }

    /// A read of one account through the core's checks (no transaction held).
    fn read<T, F>(&self, py: Python<'_>, account: u64, op: F) -> PyResult<T>
    where
        T: Send,
        F: FnOnce(&Account, &Engine) -> seccode::Result<T> + Send,
    {
        self.with_engine(py, |handle, engine| {
            let loaded = load_account(handle, AccountId(account))?;
            Ok(op(&loaded, engine)?)
        })
    }

    /// The engine object for the current settings.
    fn engine_object(&self, engine: Arc<Engine>) -> PyEngine {
        PyEngine::from_parts(engine, self.clock.clone())
    }
}

/// The engine of a store: the caller's `template` with the store's hash cost and lockout
/// (its dummy hash is computed here: call it detached).
fn build_engine(template: &EngineConfig, config: &StoreConfig) -> seccode::Result<Engine> {
    let mut engine = template.clone();
    engine.verifier.params = config.params;
    engine.lockout = config.lockout;
    Engine::new(engine)
}

/// A verified call given as a `VerifiedCall` or as the token `keep_call` returned.
fn call_of(
    store: &AnyStore,
    call: Result<VerifiedCall, Zeroizing<String>>,
) -> Result<VerifiedCall, Fail> {
    match call {
        Ok(call) => Ok(call),
        Err(token) => {
            let token = CallToken::parse(&token)?;
            Ok(store.call(&token)?.ok_or(StoreError::UnknownToken)?)
        }
    }
}

fn call_arg(call: &Bound<'_, PyAny>) -> PyResult<Result<VerifiedCall, Zeroizing<String>>> {
    if let Ok(call) = call.cast::<PyVerifiedCall>() {
        return Ok(Ok(call.get().inner.clone()));
    }
    if let Ok(token) = call.cast::<PyString>() {
        return Ok(Err(utf8(call.py(), token, "token")?));
    }
    Err(errors::wrong_type(
        "call",
        "a VerifiedCall or a token str",
        call,
    ))
}

/// The UTF-8 text of a `str` that may be secret (a token, a URL with a password), copied
/// into a buffer wiped after use. A `str` that is not encodable raises `InvalidArgument`
/// without chaining the `UnicodeEncodeError`, which would quote it.
fn utf8(py: Python<'_>, text: &Bound<'_, PyString>, what: &str) -> PyResult<Zeroizing<String>> {
    let Ok(bytes) = text.encode_utf8() else {
        return Err(errors::invalid_argument(
            py,
            &format!("invalid {what}: not encodable as UTF-8"),
        ));
    };
    String::from_utf8(bytes.as_bytes().to_vec())
        .map(Zeroizing::new)
        .map_err(|_| errors::invalid_argument(py, &format!("invalid {what}: not UTF-8")))
}

/// A path (`str` or `os.PathLike`) or a URL, as UTF-8 text. A URL of another scheme
/// (`mysql://…`, `postgresql+psycopg://…`) is refused rather than taken for a file name,
/// which would create directories named after its user and password and show them.
fn place_arg(py: Python<'_>, place: &Bound<'_, PyAny>) -> PyResult<Zeroizing<String>> {
    if let Ok(text) = place.cast::<PyString>() {
        let text = utf8(py, text, "store place")?;
        if text.contains("://") && !is_postgres_url(&text) {
            return Err(errors::invalid_argument(
                py,
                "invalid store place: a URL that is not `postgres://…` or `postgresql://…` \
                 (give a PostgreSQL URL or the path of a SQLite file)",
            ));
        }
        return Ok(text);
    }
    let Ok(path) = place.extract::<PathBuf>() else {
        return Err(errors::wrong_type(
            "place",
            "a path or a postgres:// URL",
            place,
        ));
    };
    path.into_os_string()
        .into_string()
        .map(Zeroizing::new)
        .map_err(|_| errors::invalid_argument(py, "invalid store path: not UTF-8"))
}

/// The contact snapshot of `id` in `account`.
fn contact_of(account: &Account, engine: &Engine, id: ContactId) -> seccode::Result<PyContact> {
    let view = account.contact_view(engine, id)?;
    let hash = account.contact(id)?.code_hash().cloned();
    Ok(PyContact::new(view, hash))
}

#[pymethods]
impl PyStore {
    /// Open the store at `place`: the path of a SQLite file (created on first use) or a
    /// `postgres://user[:password]@host[:port]/database` URL (the schema created or migrated;
    /// the password from the URL, else `PGPASSWORD`, else the file named by
    /// `SECCODE_DB_PASSWORD_FILE`; never shown). The other arguments are the engine's parts
    /// that the caller keeps (see the class docstring); the hash cost and lockout are the
    /// store's (`config()`, `set_config()`).
    #[new]
    #[pyo3(signature = (
        place,
        *,
        pepper = None,
        pepper_key_id = None,
        retired_peppers = None,
        sealing_key = None,
        sealing_key_id = None,
        policy = None,
        max_concurrent = None,
        verification_lifetime_seconds = None,
        now = None,
        agent = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        place: &Bound<'_, PyAny>,
        pepper: Option<&Bound<'_, PyAny>>,
        pepper_key_id: Option<String>,
        retired_peppers: Option<&Bound<'_, PyAny>>,
        sealing_key: Option<&Bound<'_, PyAny>>,
        sealing_key_id: Option<String>,
        policy: Option<&Bound<'_, PyCodePolicy>>,
        max_concurrent: Option<usize>,
        verification_lifetime_seconds: Option<i64>,
        now: Option<i64>,
        agent: Option<String>,
    ) -> PyResult<Self> {
        let place = place_arg(py, place)?;
        let agent = errors::core(py, agent.map(AgentName::new).transpose())?;
        let Secrets {
            pepper,
            retired,
            sealer,
        } = secrets(
            py,
            pepper,
            pepper_key_id,
            retired_peppers,
            sealing_key,
            sealing_key_id,
        )?;
        let defaults = EngineConfig::default();
        let clock = now.map(|at| Arc::new(ManualClock::new(Timestamp(at))));
        let mut template = EngineConfig {
            verifier: VerifierConfig {
                pepper,
                retired_peppers: retired,
                max_concurrent: max_concurrent.unwrap_or(defaults.verifier.max_concurrent),
                ..defaults.verifier.clone()
            },
            policy: policy.map_or_else(Default::default, |p| p.get().inner.clone()),
            verification_lifetime_secs: verification_lifetime_seconds
                .unwrap_or(defaults.verification_lifetime_secs),
            sealer,
            ..defaults
        };
        if let Some(clock) = &clock {
            template.clock = Arc::clone(clock) as Arc<dyn seccode::Clock>;
        }
        let opened = py.detach(|| -> Result<(AnyStore, StoreConfig, Engine), Fail> {
            let handle = AnyStore::open(&place)?;
            let config = handle.config()?;
            let engine = build_engine(&template, &config)?;
            Ok((handle, config, engine))
        });
        let (handle, config, engine) = opened.map_err(|fail| raise(py, &fail))?;
        let store = PyStore {
            kind: handle.kind(),
            location: handle.location(),
            place,
            idle: Mutex::new(vec![handle]),
            closed: AtomicBool::new(false),
            template,
            clock,
            built: Mutex::new(None),
            agent,
        };
        store.remember(config, Arc::new(engine));
        Ok(store)
    }

    /// `"sqlite"` or `"postgres"`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.kind
    }

    /// Where the store is: the file's path, or the URL without its password.
    #[getter]
    fn location(&self) -> &str {
        &self.location
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// The store's schema version.
    #[getter]
    fn schema_version(&self, py: Python<'_>) -> PyResult<i64> {
        self.with_handle(py, |handle| Ok(handle.schema_version()?))
    }

    /// The engine the store's operations run with now: the store's hash cost and lockout,
    /// the caller's pepper, sealing key, policy and clock. A new object each time; after a
    /// change of settings it is a new engine (counters start again).
    #[getter]
    fn engine(&self, py: Python<'_>) -> PyResult<PyEngine> {
        let engine = self.with_engine(py, |_, engine| Ok(Arc::clone(engine)))?;
        Ok(self.engine_object(engine))
    }

    /// The store's settings: hash cost of new hashes, lockout, and the key id of the pepper
    /// in use (never the pepper).
    fn config(&self, py: Python<'_>) -> PyResult<PyStoreConfig> {
        let inner = self.with_handle(py, |handle| Ok(handle.config()?))?;
        Ok(PyStoreConfig { inner })
    }

    /// Change the store's settings (what is not given stays), for every process that uses
    /// the store; the pepper key id becomes this store object's pepper's. The core checks
    /// them first (`InvalidArgument` for a cost or lockout it refuses; nothing is changed).
    /// Codes hashed before keep their cost until their next successful verification.
    #[pyo3(signature = (
        *,
        memory_kib = None,
        iterations = None,
        parallelism = None,
        max_failures = None,
        lockout_seconds = None,
    ))]
    fn set_config(
        &self,
        py: Python<'_>,
        memory_kib: Option<u32>,
        iterations: Option<u32>,
        parallelism: Option<u32>,
        max_failures: Option<u32>,
        lockout_seconds: Option<i64>,
    ) -> PyResult<PyStoreConfig> {
        let pepper_key_id = self
            .template
            .verifier
            .pepper
            .as_ref()
            .map(|p| p.key_id().to_owned());
        let inner = self.with_handle(py, |handle| {
            let mut next = handle.config()?;
            next.pepper_key_id = pepper_key_id;
            if let Some(m) = memory_kib {
                next.params.m_kib = m;
            }
            if let Some(t) = iterations {
                next.params.t = t;
            }
            if let Some(p) = parallelism {
                next.params.p = p;
            }
            if let Some(n) = max_failures {
                next.lockout.max_failures = n;
            }
            if let Some(seconds) = lockout_seconds {
                next.lockout.duration_secs = seconds;
            }
            let engine = Arc::new(self.build(&next)?);
            handle.set_config(&next)?;
            self.remember(next.clone(), engine);
            Ok(next)
        })?;
        Ok(PyStoreConfig { inner })
    }

    /// The whole store read and judged through the core's checks (what `seccode check`
    /// reports): every account loads, no stored hash is unusable with this store's engine.
    fn check(&self, py: Python<'_>) -> PyResult<PyStoreCheck> {
        let report = self.with_engine(py, |handle, engine| Ok(handle.check(engine)?))?;
        Ok(PyStoreCheck {
            schema_version: report.schema_version,
            accounts: report.accounts,
            audit_events: report.audit_events,
            problems: report.problems,
        })
    }

    /// Close every connection of this store object; later operations raise
    /// `StoreUnavailable` (`closed`). Operations already running finish first.
    fn close(&self, py: Python<'_>) {
        self.closed.store(true, Ordering::Release);
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(PoisonError::into_inner));
        py.detach(move || drop(idle));
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __exit__(
        &self,
        py: Python<'_>,
        _kind: Option<&Bound<'_, PyAny>>,
        _value: Option<&Bound<'_, PyAny>>,
        _traceback: Option<&Bound<'_, PyAny>>,
    ) -> bool {
        self.close(py);
        false
    }

    /// Every account, in id order.
    fn accounts(&self, py: Python<'_>) -> PyResult<Vec<PyAccountSummary>> {
        let list = self.with_handle(py, |handle| Ok(handle.accounts()?))?;
        Ok(list
            .into_iter()
            .map(|a| PyAccountSummary {
                id: a.id.0,
                name: a.name,
                contacts: a.contacts,
            })
            .collect())
    }

    /// Create an account with its primary contact (the account owner), on the default
    /// portal catalog or `catalog`. `Conflict` (`duplicate_account`) if the id is taken.
    #[pyo3(signature = (
        id,
        name,
        *,
        primary,
        primary_name,
        primary_title = String::new(),
        primary_phone = String::new(),
        primary_email = String::new(),
        catalog = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn create_account(
        &self,
        py: Python<'_>,
        id: u64,
        name: String,
        primary: u64,
        primary_name: String,
        primary_title: String,
        primary_phone: String,
        primary_email: String,
        catalog: Option<&Bound<'_, PyCatalog>>,
    ) -> PyResult<()> {
        let details = ContactDetails {
            name: primary_name,
            title: primary_title,
            phone: primary_phone,
            email: primary_email,
            ..ContactDetails::default()
        };
        let account = match catalog {
            None => Account::new(AccountId(id), name, ContactId(primary), details),
            Some(catalog) => Account::with_catalog(
                AccountId(id),
                name,
                ContactId(primary),
                details,
                Arc::clone(&catalog.get().inner),
            ),
        };
        let mut account = errors::core(py, account)?;
        account.set_agent(self.agent.clone());
        self.with_handle(py, move |handle| Ok(insert_account(handle, &mut account)?))
    }

    /// The account as stored now, as an `Account` object: a **snapshot** for reading (its
    /// grids, contacts, codes' hashes...). Changes made to it are not stored; change the
    /// account through the store's methods. `NotFound` (`unknown_account`) if there is none.
    fn account(&self, py: Python<'_>, id: u64) -> PyResult<PyAccount> {
        let (account, engine) = self.with_engine(py, |handle, engine| {
            let account = load_account(handle, AccountId(id))?;
            Ok((account, Arc::clone(engine)))
        })?;
        let engine = Py::new(py, self.engine_object(engine))?;
        Ok(PyAccount::wrap(engine, account))
    }

    /// Every contact of the account, in id order (snapshots of the core's `ContactView`).
    fn contacts(&self, py: Python<'_>, account: u64) -> PyResult<Vec<PyContact>> {
        self.read(py, account, |a, engine| {
            a.contacts()
                .map(|c| contact_of(a, engine, c.id()))
                .collect()
        })
    }

    /// One contact as stored now; `NotFound` if the account has no such contact.
    fn contact(&self, py: Python<'_>, account: u64, contact_id: u64) -> PyResult<PyContact> {
        self.read(py, account, move |a, engine| {
            contact_of(a, engine, ContactId(contact_id))
        })
    }

    /// A contact's failed attempts and lock now.
    fn lock_status(&self, py: Python<'_>, account: u64, contact_id: u64) -> PyResult<PyLockStatus> {
        let inner = self.read(py, account, move |a, engine| {
            a.lock_status(engine, ContactId(contact_id))
        })?;
        Ok(PyLockStatus { inner })
    }

    /// Add a contact, under `contact_id` or, when it is `None`, one more than the highest id
    /// of the account; returns the id. The actor needs `Manage Contacts / Create`.
    #[pyo3(signature = (
        account,
        contact_id,
        name,
        *,
        actor,
        title = String::new(),
        phone = String::new(),
        email = String::new(),
        audit_account = false,
        rwhois = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn add_contact(
        &self,
        py: Python<'_>,
        account: u64,
        contact_id: Option<u64>,
        name: String,
        actor: u64,
        title: String,
        phone: String,
        email: String,
        audit_account: bool,
        rwhois: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<u64> {
        let rwhois = match rwhois {
            Some(roles) => rwhois_roles(py, roles)?,
            None => RwhoisRoles::default(),
        };
        let details = ContactDetails {
            name,
            title,
            phone,
            email,
            audit_account,
            rwhois,
        };
        self.change(py, account, move |a, engine| {
            let id = match contact_id {
                Some(id) => ContactId(id),
                None => a.next_contact_id()?,
            };
            a.add_contact(engine, ContactId(actor), id, details)?;
            Ok(id.0)
        })
    }

    /// Change a contact's details; fields not given keep their value.
    #[pyo3(signature = (
        account,
        contact_id,
        *,
        actor,
        name = None,
        title = None,
        phone = None,
        email = None,
        audit_account = None,
        rwhois = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn edit_contact(
        &self,
        py: Python<'_>,
        account: u64,
        contact_id: u64,
        actor: u64,
        name: Option<String>,
        title: Option<String>,
        phone: Option<String>,
        email: Option<String>,
        audit_account: Option<bool>,
        rwhois: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let change = details_change(py, name, title, phone, email, audit_account, rwhois)?;
        self.change(py, account, move |a, engine| {
            a.edit_contact_details(engine, ContactId(actor), ContactId(contact_id), &change)
        })
    }

    /// Deactivate a contact: it can no longer verify or act.
    #[pyo3(signature = (account, contact_id, *, actor))]
    fn deactivate_contact(
        &self,
        py: Python<'_>,
        account: u64,
        contact_id: u64,
        actor: u64,
    ) -> PyResult<()> {
        self.change(py, account, move |a, engine| {
            a.deactivate_contact(engine, ContactId(actor), ContactId(contact_id))
        })
    }

    /// Reactivate a deactivated contact.
    #[pyo3(signature = (account, contact_id, *, actor))]
    fn reactivate_contact(
        &self,
        py: Python<'_>,
        account: u64,
        contact_id: u64,
        actor: u64,
    ) -> PyResult<()> {
        self.change(py, account, move |a, engine| {
            a.reactivate_contact(engine, ContactId(actor), ContactId(contact_id))
        })
    }

    /// Remove a contact for good (its code and settings go with it; its failed-attempt count
    /// stays with the id, as for any unknown id).
    #[pyo3(signature = (account, contact_id, *, actor))]
    fn remove_contact(
        &self,
        py: Python<'_>,
        account: u64,
        contact_id: u64,
        actor: u64,
    ) -> PyResult<()> {
        self.change(py, account, move |a, engine| {
            a.remove_contact(engine, ContactId(actor), ContactId(contact_id))
        })
    }

    /// Every policy reason that rejects `code` as a new code (nothing is stored).
    #[pyo3(signature = (account, code, *, contact = None))]
    fn check_code<'py>(
        &self,
        py: Python<'py>,
        account: u64,
        code: &Bound<'py, PyAny>,
        contact: Option<u64>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let code: SecurityCode = convert::security_code(code)?;
        let reasons = self.read(py, account, move |a, engine| {
            a.check_code(engine, contact.map(ContactId), &code)
        })?;
        reasons
            .into_iter()
            .map(|r| convert::reason(py, r))
            .collect()
    }

    /// Set or change the account-wide code (hashed with the store's cost, detached).
    #[pyo3(signature = (account, code, *, actor))]
    fn set_account_code(
        &self,
        py: Python<'_>,
        account: u64,
        code: &Bound<'_, PyAny>,
        actor: u64,
    ) -> PyResult<()> {
        let code = convert::security_code(code)?;
        self.change(py, account, move |a, engine| {
            a.set_account_code(engine, ContactId(actor), &code)
        })
    }

    /// Set or change a contact's individual code.
    #[pyo3(signature = (account, contact_id, code, *, actor))]
    fn set_contact_code(
        &self,
        py: Python<'_>,
        account: u64,
        contact_id: u64,
        code: &Bound<'_, PyAny>,
        actor: u64,
    ) -> PyResult<()> {
        let code = convert::security_code(code)?;
        self.change(py, account, move |a, engine| {
            a.set_contact_code(engine, ContactId(actor), ContactId(contact_id), &code)
        })
    }

    /// Remove the account-wide code.
    #[pyo3(signature = (account, *, actor))]
    fn clear_account_code(&self, py: Python<'_>, account: u64, actor: u64) -> PyResult<()> {
        self.change(py, account, move |a, engine| {
            a.clear_account_code(engine, ContactId(actor))
        })
    }

    /// Remove a contact's individual code.
    #[pyo3(signature = (account, contact_id, *, actor))]
    fn clear_contact_code(
        &self,
        py: Python<'_>,
        account: u64,
        contact_id: u64,
        actor: u64,
    ) -> PyResult<()> {
        self.change(py, account, move |a, engine| {
            a.clear_contact_code(engine, ContactId(actor), ContactId(contact_id))
        })
    }

    /// Import a legacy plaintext code (hashed at once, no policy).
    #[pyo3(signature = (account, code, *, contact = None, overwrite = false))]
    fn import_legacy_code(
        &self,
        py: Python<'_>,
        account: u64,
        code: &Bound<'_, PyAny>,
        contact: Option<u64>,
        overwrite: bool,
    ) -> PyResult<()> {
        let code = convert::security_code(code)?;
        self.change(py, account, move |a, engine| {
            a.import_legacy_code(engine, contact.map(ContactId), &code, overwrite)
        })
    }

    /// Import a plain Argon2id PHC string made by another implementation.
    #[pyo3(signature = (account, phc, *, contact = None, overwrite = false))]
    fn import_legacy_hash(
        &self,
        py: Python<'_>,
        account: u64,
        phc: String,
        contact: Option<u64>,
        overwrite: bool,
    ) -> PyResult<()> {
        self.change(py, account, move |a, engine| {
            a.import_legacy_hash(engine, contact.map(ContactId), &phc, overwrite)
        })
    }

    /// Choose how codes set from now on are matched (`spoken` or `exact`).
    #[pyo3(signature = (account, normalization, *, actor))]
    fn set_normalization(
        &self,
        py: Python<'_>,
        account: u64,
        normalization: String,
        actor: u64,
    ) -> PyResult<()> {
        let normalization = convert::normalization_in(py, Some(&normalization))?;
        self.change(py, account, move |a, engine| {
            a.set_normalization(engine, ContactId(actor), normalization)
        })
    }

    /// Change one cell of a contact's permission grid.
    #[pyo3(signature = (account, contact_id, resource, action, setting, *, actor))]
    #[allow(clippy::too_many_arguments)]
    fn set_permission(
        &self,
        py: Python<'_>,
        account: u64,
        contact_id: u64,
        resource: String,
        action: String,
        setting: String,
        actor: u64,
    ) -> PyResult<()> {
        let action = convert::action_in(py, &action)?;
        let setting = convert::setting_in(py, &setting)?;
        self.change(py, account, move |a, engine| {
            let id = a.catalog().require(&resource)?;
            a.set_permission(
                engine,
                ContactId(actor),
                ContactId(contact_id),
                id,
                action,
                setting,
            )
        })
    }

    /// Verify a caller who claims to be `contact_id` of `account` and gives `code`, in the
    /// core's three steps through the store: the attempt counted in one short transaction,
    /// the code checked with no transaction open, nothing locked and the interpreter
    /// released, the outcome recorded in another. A wrong code, an unknown or deactivated
    /// contact and a lock are results, not exceptions.
    fn verify(
        &self,
        py: Python<'_>,
        account: u64,
        contact_id: u64,
        code: &Bound<'_, PyAny>,
    ) -> PyResult<PyVerification> {
        let code = convert::security_code(code)?;
        let inner = self.with_engine(py, move |handle, engine| {
            Ok(seccode_store::verify_as(
                handle,
                engine,
                self.agent.as_ref(),
                AccountId(account),
                ContactId(contact_id),
                &code,
            )?)
        })?;
        Ok(PyVerification { inner })
    }

    /// Keep a successful verification's call in the store for the rest of the call, and
    /// return the token (`scv_…`) that finds it again from any process; `None` when it did
    /// not verify. The store keeps only the token's SHA-256: show the token once.
    fn keep_call(
        &self,
        py: Python<'_>,
        verification: &Bound<'_, PyVerification>,
    ) -> PyResult<Option<String>> {
        let verification = verification.get().inner.clone();
        let token = self.with_handle(py, move |handle| Ok(keep_call(handle, &verification)?))?;
        Ok(token.map(|t| t.expose_secret().to_owned()))
    }

    /// The verified call kept under `token`, or `None` (never kept, or expired).
    /// `InvalidArgument` (`invalid_token`) for text that is not a token.
    fn call(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyString>,
    ) -> PyResult<Option<PyVerifiedCall>> {
        let token = utf8(py, token, "token")?;
        let call = self.with_handle(py, move |handle| {
            let token = CallToken::parse(&token)?;
            Ok(handle.call(&token)?)
        })?;
        Ok(call.map(|inner| PyVerifiedCall { inner }))
    }

    /// What support may do for the caller of `call` (a `VerifiedCall`, or the token
    /// `keep_call` returned), decided on the account as stored now. A call whose contact
    /// changed since is denied (`verification_void`), and so is an expired one
    /// (`verification_expired`). `NotFound` (`unknown_token`) for a token no call is kept
    /// under.
    fn authorize(
        &self,
        py: Python<'_>,
        call: &Bound<'_, PyAny>,
        kind: String,
    ) -> PyResult<PyDecision> {
        let kind = convert::request_kind_in(py, &kind)?;
        let call = call_arg(call)?;
        let inner = self.with_engine(py, move |handle, engine| {
            let call = call_of(handle, call)?;
            let account = load_account(handle, call.account())?;
            Ok(account.authorize(engine, &call, kind)?)
        })?;
        Ok(PyDecision { inner })
    }

    /// Whether `call` (a `VerifiedCall` or a token) still authorizes requests:
    /// `CallStatus.VALID`, `EXPIRED` or `VOID`.
    fn call_status<'py>(
        &self,
        py: Python<'py>,
        call: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let call = call_arg(call)?;
        let status = self.with_engine(py, move |handle, engine| {
            let call = call_of(handle, call)?;
            let account = load_account(handle, call.account())?;
            Ok(account.call_status(engine, &call))
        })?;
        convert::call_status_out(py, status)
    }

    /// Unlock a locked contact.
    #[pyo3(signature = (account, contact_id, *, actor))]
    fn unlock(&self, py: Python<'_>, account: u64, contact_id: u64, actor: u64) -> PyResult<()> {
        self.change(py, account, move |a, engine| {
            a.unlock(engine, ContactId(actor), ContactId(contact_id))
        })
    }

    /// The account-wide code in plaintext from its sealed copy (needs `sealing_key`); the
    /// reveal is recorded in the audit log in the same transaction.
    #[pyo3(signature = (account, *, actor))]
    fn reveal_account_code<'py>(
        &self,
        py: Python<'py>,
        account: u64,
        actor: u64,
    ) -> PyResult<Bound<'py, PyString>> {
        let revealed = self.change(py, account, move |a, engine| {
            a.reveal_account_code(engine, ContactId(actor))
        })?;
        Ok(PyString::new(py, revealed.expose_secret()))
    }

    /// A contact's individual code in plaintext from its sealed copy; recorded likewise.
    #[pyo3(signature = (account, contact_id, *, actor))]
    fn reveal_contact_code<'py>(
        &self,
        py: Python<'py>,
        account: u64,
        contact_id: u64,
        actor: u64,
    ) -> PyResult<Bound<'py, PyString>> {
        let revealed = self.change(py, account, move |a, engine| {
            a.reveal_contact_code(engine, ContactId(actor), ContactId(contact_id))
        })?;
        Ok(PyString::new(py, revealed.expose_secret()))
    }

    /// The audit log, oldest first, filtered: one account, one contact (the subject or the
    /// actor), from `since` (included) to `until` (excluded) in Unix seconds, one `kind`
    /// (`verification_failed`, `code_set`...; letter case, `-` and spaces as the desk reads
    /// them), the `limit` most recent. Each event has its `seq`.
    #[pyo3(signature = (
        *,
        account = None,
        contact = None,
        since = None,
        until = None,
        kind = None,
        agent = None,
        limit = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn audit(
        &self,
        py: Python<'_>,
        account: Option<u64>,
        contact: Option<u64>,
        since: Option<i64>,
        until: Option<i64>,
        kind: Option<String>,
        agent: Option<String>,
        limit: Option<usize>,
    ) -> PyResult<Vec<PyAuditEvent>> {
        let agent = errors::core(py, agent.map(AgentName::new).transpose())?;
        let kind = kind
            .as_deref()
            .map(|k| convert::audit_kind_in(py, k).map(str::to_owned))
            .transpose()?;
        let filter = AuditFilter {
            account: account.map(AccountId),
            contact: contact.map(ContactId),
            since: since.map(Timestamp),
            until: until.map(Timestamp),
            kind,
            agent,
            limit,
        };
        let events = self.with_handle(py, move |handle| Ok(handle.audit(&filter)?))?;
        Ok(events.into_iter().map(PyAuditEvent::from).collect())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "<Store {} {}{}>",
            self.kind,
            crate::views::py_repr(py, &self.location)?,
            if self.closed() { " closed" } else { "" }
        ))
    }
}

/// The store's settings (`Store.config()`): the hash cost of new hashes, the lockout rule,
/// and the key id of the pepper in use.
#[pyclass(module = "seccode._native", name = "StoreConfig", frozen, eq)]
#[derive(PartialEq)]
pub(crate) struct PyStoreConfig {
    inner: StoreConfig,
}

#[pymethods]
impl PyStoreConfig {
    /// Argon2id memory cost of new hashes, in KiB.
    #[getter]
    fn memory_kib(&self) -> u32 {
        self.inner.params.m_kib
    }

    /// Argon2id passes of new hashes.
    #[getter]
    fn iterations(&self) -> u32 {
        self.inner.params.t
    }

    /// Argon2id lanes of new hashes.
    #[getter]
    fn parallelism(&self) -> u32 {
        self.inner.params.p
    }

    /// Consecutive failed verifications that lock a contact.
    #[getter]
    fn max_failures(&self) -> u32 {
        self.inner.lockout.max_failures
    }

    /// How long a lock lasts, in seconds.
    #[getter]
    fn lockout_seconds(&self) -> i64 {
        self.inner.lockout.duration_secs
    }

    /// The key id of the pepper new hashes are made with, if any (never the pepper).
    #[getter]
    fn pepper_key_id(&self) -> Option<&str> {
        self.inner.pepper_key_id.as_deref()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let pepper = match &self.inner.pepper_key_id {
            Some(id) => crate::views::py_repr(py, id)?,
            None => String::from("None"),
        };
        Ok(format!(
            "StoreConfig(memory_kib={}, iterations={}, parallelism={}, max_failures={}, \
             lockout_seconds={}, pepper_key_id={pepper})",
            self.inner.params.m_kib,
            self.inner.params.t,
            self.inner.params.p,
            self.inner.lockout.max_failures,
            self.inner.lockout.duration_secs,
        ))
    }
}

/// What `Store.check()` found.
#[pyclass(module = "seccode._native", name = "StoreCheck", frozen)]
pub(crate) struct PyStoreCheck {
    schema_version: i64,
    accounts: usize,
    audit_events: u64,
    problems: Vec<String>,
}

#[pymethods]
impl PyStoreCheck {
    /// The store's schema version.
    #[getter]
    fn schema_version(&self) -> i64 {
        self.schema_version
    }

    /// How many accounts it holds.
    #[getter]
    fn accounts(&self) -> usize {
        self.accounts
    }

    /// How many audit events it holds.
    #[getter]
    fn audit_events(&self) -> u64 {
        self.audit_events
    }

    /// Every problem found, in words (empty: none).
    #[getter]
    fn problems(&self) -> Vec<String> {
        self.problems.clone()
    }

    /// Whether no problem was found.
    #[getter]
    fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// Refused: `.ok` says it.
    fn __bool__(&self) -> PyResult<bool> {
        Err(crate::views::ambiguous_truth("StoreCheck", ".ok"))
    }

    fn __repr__(&self) -> String {
        format!(
            "<StoreCheck schema_version={} accounts={} audit_events={} problems={}>",
            self.schema_version,
            self.accounts,
            self.audit_events,
            self.problems.len()
        )
    }
}

/// One line of `Store.accounts()`.
#[pyclass(module = "seccode._native", name = "AccountSummary", frozen)]
pub(crate) struct PyAccountSummary {
    id: u64,
    name: String,
    contacts: usize,
}

#[pymethods]
impl PyAccountSummary {
    /// The account's id ("Client ID").
    #[getter]
    fn id(&self) -> u64 {
        self.id
    }

    /// The account's name.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// How many contacts it has, active or not.
    #[getter]
    fn contacts(&self) -> usize {
        self.contacts
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "<AccountSummary {} {} contacts={}>",
            self.id,
            crate::views::py_repr(py, &self.name)?,
            self.contacts
        ))
    }
}

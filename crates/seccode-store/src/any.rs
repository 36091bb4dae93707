//! [`AnyStore`]: the store a face opens from one string, a SQLite path or a PostgreSQL URL,
//! so that the desk, the Python package and the service take either.

use std::path::Path;

use seccode::{AccountId, AccountRecord, AuditEvent, Engine, VerifiedCall};

use crate::error::Result;
use crate::postgres::{PgStore, PgTx};
use crate::sqlite::{CheckReport, SqliteStore, SqliteTx};
use crate::{AccountSummary, AuditFilter, CallToken, Store, StoreConfig, StoreTx, StoredEvent};

/// A SQLite or a PostgreSQL store, chosen by what it was opened on.
#[derive(Debug)]
pub enum AnyStore {
    /// The embedded store: one SQLite file.
    Sqlite(SqliteStore),
    /// The store shared by several machines.
    Postgres(PgStore),
}

/// Whether `place` names a PostgreSQL database (`postgres://…` or `postgresql://…`).
pub fn is_postgres_url(place: &str) -> bool {
    let lower = place.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

impl AnyStore {
    /// Open `place`: a `postgres://` URL, or else the path of a SQLite file (created on first
    /// use).
    pub fn open(place: &str) -> Result<AnyStore> {
        if is_postgres_url(place) {
            Ok(AnyStore::Postgres(PgStore::open(place.trim())?))
        } else {
            Ok(AnyStore::Sqlite(SqliteStore::open(Path::new(place))?))
        }
    }

    /// Where the store is: the file's path, or the URL without its password.
    pub fn location(&self) -> String {
        match self {
            AnyStore::Sqlite(s) => s.path().display().to_string(),
            AnyStore::Postgres(s) => s.location().to_owned(),
        }
    }

    /// `sqlite` or `postgres`.
    pub fn kind(&self) -> &'static str {
        match self {
            AnyStore::Sqlite(_) => "sqlite",
            AnyStore::Postgres(_) => "postgres",
        }
    }

    /// The schema version of the store.
    pub fn schema_version(&self) -> Result<i64> {
        match self {
            AnyStore::Sqlite(s) => s.schema_version(),
            AnyStore::Postgres(s) => s.schema_version(),
        }
    }

    /// The whole store through the core's checks (see [`SqliteStore::check`]).
    pub fn check(&self, engine: &Engine) -> Result<CheckReport> {
        match self {
            AnyStore::Sqlite(s) => s.check(engine),
            AnyStore::Postgres(s) => s.check(engine),
        }
    }
}

/// A write transaction on an [`AnyStore`].
#[derive(Debug)]
pub enum AnyTx<'s> {
    /// On SQLite.
    Sqlite(SqliteTx<'s>),
    /// On PostgreSQL (boxed: it holds the pooled connection and what it loaded).
    Postgres(Box<PgTx>),
}

macro_rules! each {
    ($value:expr, $name:ident => $body:expr) => {
        match $value {
            AnyStore::Sqlite($name) => $body,
            AnyStore::Postgres($name) => $body,
        }
    };
}

macro_rules! each_tx {
    ($value:expr, $name:ident => $body:expr) => {
        match $value {
            AnyTx::Sqlite($name) => $body,
            AnyTx::Postgres($name) => $body,
        }
    };
}

impl Store for AnyStore {
    type Tx<'s> = AnyTx<'s>;

    fn begin(&mut self) -> Result<AnyTx<'_>> {
        Ok(match self {
            AnyStore::Sqlite(s) => AnyTx::Sqlite(s.begin()?),
            AnyStore::Postgres(s) => AnyTx::Postgres(Box::new(s.begin()?)),
        })
    }

    fn account(&self, id: AccountId) -> Result<Option<AccountRecord>> {
        each!(self, s => s.account(id))
    }

    fn config(&self) -> Result<StoreConfig> {
        each!(self, s => s.config())
    }

    fn set_config(&mut self, config: &StoreConfig) -> Result<()> {
        each!(self, s => s.set_config(config))
    }

    fn accounts(&self) -> Result<Vec<AccountSummary>> {
        each!(self, s => s.accounts())
    }

    fn audit(&self, filter: &AuditFilter) -> Result<Vec<StoredEvent>> {
        each!(self, s => s.audit(filter))
    }

    fn call(&self, token: &CallToken) -> Result<Option<VerifiedCall>> {
        each!(self, s => s.call(token))
    }
}

impl StoreTx for AnyTx<'_> {
    fn load_for_update(&mut self, id: AccountId) -> Result<Option<AccountRecord>> {
        each_tx!(self, t => t.load_for_update(id))
    }

    fn insert_account(&mut self, record: &AccountRecord) -> Result<()> {
        each_tx!(self, t => t.insert_account(record))
    }

    fn save_account(&mut self, record: &AccountRecord) -> Result<()> {
        each_tx!(self, t => t.save_account(record))
    }

    fn append_audit(&mut self, events: &[AuditEvent]) -> Result<()> {
        each_tx!(self, t => t.append_audit(events))
    }

    fn keep_call(&mut self, token: &CallToken, call: &VerifiedCall) -> Result<()> {
        each_tx!(self, t => t.keep_call(token, call))
    }

    fn commit(self) -> Result<()> {
        match self {
            AnyTx::Sqlite(t) => t.commit(),
            AnyTx::Postgres(t) => (*t).commit(),
        }
    }
}

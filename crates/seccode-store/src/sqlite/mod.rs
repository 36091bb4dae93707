//! [`SqliteStore`]: the embedded store, one SQLite file.

mod rows;
mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use seccode::{Account, AccountId, AccountRecord, AuditEvent, Engine, Subject, VerifiedCall};

use crate::error::{Result, StoreError};
use crate::{AccountSummary, AuditFilter, CallToken, Store, StoreConfig, StoreTx, StoredEvent};

pub use schema::{APPLICATION_ID, SCHEMA_VERSION};

/// How long a command waits for another process's write transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The embedded store: one SQLite file (bundled SQLite), in WAL mode with `synchronous=FULL`,
/// foreign keys on and a 10 s busy timeout. Every change runs in a `BEGIN IMMEDIATE`
/// transaction, so writers queue instead of failing half-way, and every committed change
/// survives a crash.
///
/// Opening creates the file and its schema on first use and migrates an older schema. A file
/// of another application ([`StoreError::Foreign`]), a damaged one ([`StoreError::Corrupt`])
/// or one from a newer seccode ([`StoreError::TooNew`]) is refused with a clear error and left
/// untouched.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

/// What [`SqliteStore::check`] found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    /// The schema version of the file.
    pub schema_version: i64,
    /// How many accounts were loaded through the core's checks.
    pub accounts: usize,
    /// How many audit events the log holds.
    pub audit_events: u64,
    /// Everything wrong: SQLite's integrity check, foreign keys, accounts the core refuses.
    /// Empty when the store is sound.
    pub problems: Vec<String>,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl SqliteStore {
    /// Open the store at `path`, creating the file (and its directory) and the schema on first
    /// use, migrating an older schema.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let shown = path.display().to_string();
        if path.is_dir() {
            return Err(StoreError::Open {
                path: shown,
                detail: "is a directory".into(),
            });
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: shown.clone(),
                detail: e.to_string(),
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| StoreError::sqlite(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| StoreError::sqlite(path, e))?;
        let store = SqliteStore {
            conn,
            path: path.to_path_buf(),
        };
        store.prepare()?;
        Ok(store)
    }

    /// The schema version of the file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.header()?.1)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.path, e)
    }

    fn header(&self) -> Result<(i64, i64)> {
        let app: i64 = self
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| self.err(e))?;
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok((app, version))
    }

    /// Refuse foreign or newer files before anything is written to them.
    fn vet(&self, app: i64, version: i64) -> Result<()> {
        if app != APPLICATION_ID {
            let objects: i64 = self
                .conn
                .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            if app != 0 || version != 0 || objects != 0 {
                return Err(StoreError::Foreign {
                    path: self.path.display().to_string(),
                    detail: format!(
                        "application id {app:#x} (a seccode store has {APPLICATION_ID:#x}), \
                         schema version {version}, {objects} tables and indexes"
                    ),
                });
            }
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: self.path.display().to_string(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    fn prepare(&self) -> Result<()> {
        let (app, version) = self.header()?;
        self.vet(app, version)?;
        self.set_wal()?;
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(|e| self.err(e))?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| self.err(e))?;
        if app != APPLICATION_ID || version < SCHEMA_VERSION {
            self.migrate()?;
        }
        // A cheap read of the main table: a file cut short usually fails here already.
        self.conn
            .query_row("SELECT count(*) FROM accounts", [], |r| r.get::<_, i64>(0))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn set_wal(&self) -> Result<()> {
        // Switching to WAL needs a moment alone with the file; retry while another process
        // opens it at the same time.
        let started = std::time::Instant::now();
        loop {
            match self
                .conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            {
                Ok(_) => return Ok(()),
                Err(e) => {
                    let err = self.err(e);
                    if matches!(err, StoreError::Busy(_)) && started.elapsed() < BUSY_TIMEOUT {
                        std::thread::sleep(Duration::from_millis(20));
                        continue;
                    }
                    return Err(err);
                }
            }
        }
    }

    fn migrate(&self) -> Result<()> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        // Another process may have created or migrated the store meanwhile: look again.
        let (app, version) = self.header()?;
        self.vet(app, version)?;
        if app == APPLICATION_ID && version == SCHEMA_VERSION {
            return Ok(());
        }
        let from = usize::try_from(version).unwrap_or(0);
        for step in schema::MIGRATIONS.iter().skip(from) {
            tx.execute_batch(step).map_err(|e| self.err(e))?;
        }
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
        ))
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// A read transaction: every query in it sees one snapshot.
    fn read(&self) -> Result<Transaction<'_>> {
        self.conn.unchecked_transaction().map_err(|e| self.err(e))
    }

    /// The store's configuration (defaults for anything never set).
    pub(crate) fn read_config(&self) -> Result<StoreConfig> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, value FROM settings")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut pairs = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            pairs.push((
                row.get::<_, String>(0).map_err(|e| self.err(e))?,
                row.get::<_, String>(1).map_err(|e| self.err(e))?,
            ));
        }
        StoreConfig::from_pairs(pairs)
    }

    /// Replace the store's configuration. Check it first (the core's `Engine::new` does).
    pub(crate) fn write_config(&mut self, config: &StoreConfig) -> Result<()> {
        let tx = Transaction::new(&mut self.conn, TransactionBehavior::Immediate)
            .map_err(|e| StoreError::sqlite(&self.path, e))?;
        for (key, value) in config.to_pairs() {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value.as_str()],
            )
            .map_err(|e| StoreError::sqlite(&self.path, e))?;
        }
        tx.commit().map_err(|e| StoreError::sqlite(&self.path, e))
    }

    /// Check the whole store: SQLite's integrity check, foreign keys, and every account
    /// through the core's checks, including stored hashes `engine` could never use (over its
    /// ceilings, or naming a pepper it lacks). Reads everything; meant for `seccode check`, not for every
    /// command.
    pub fn check(&self, engine: &Engine) -> Result<CheckReport> {
        let mut problems = Vec::new();
        {
            let mut stmt = self
                .conn
                .prepare("PRAGMA integrity_check")
                .map_err(|e| self.err(e))?;
            let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
            while let Some(row) = rows.next().map_err(|e| self.err(e))? {
                let line: String = row.get(0).map_err(|e| self.err(e))?;
                if line != "ok" {
                    problems.push(format!("sqlite: {line}"));
                }
            }
        }
        {
            let mut stmt = self
                .conn
                .prepare("PRAGMA foreign_key_check")
                .map_err(|e| self.err(e))?;
            let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
            while let Some(row) = rows.next().map_err(|e| self.err(e))? {
                let table: String = row.get(0).map_err(|e| self.err(e))?;
                let parent: String = row.get(2).map_err(|e| self.err(e))?;
                problems.push(format!(
                    "a row of `{table}` refers to a missing `{parent}` row"
                ));
            }
        }
        let summaries = self.accounts()?;
        for summary in &summaries {
            match self.account(summary.id) {
                Ok(Some(record)) => match Account::from_record(record) {
                    Ok(account) => {
                        for unusable in account.unusable_hashes(engine) {
                            problems.push(format!("account `{}`: {unusable}", summary.id));
                        }
                    }
                    Err(e) => problems.push(format!("account `{}`: {e}", summary.id)),
                },
                Ok(None) => {}
                Err(e) => problems.push(format!("account `{}`: {e}", summary.id)),
            }
        }
        let audit_events: i64 = self
            .conn
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(CheckReport {
            schema_version: self.header()?.1,
            accounts: summaries.len(),
            audit_events: u64::try_from(audit_events).unwrap_or(0),
            problems,
        })
    }
}

impl Store for SqliteStore {
    type Tx<'s> = SqliteTx<'s>;

    fn begin(&mut self) -> Result<SqliteTx<'_>> {
        let tx = Transaction::new(&mut self.conn, TransactionBehavior::Immediate)
            .map_err(|e| StoreError::sqlite(&self.path, e))?;
        Ok(SqliteTx {
            tx,
            path: &self.path,
            loaded: BTreeMap::new(),
        })
    }

    fn account(&self, id: AccountId) -> Result<Option<AccountRecord>> {
        let tx = self.read()?;
        rows::read_account(&tx, id).map_err(|e| self.locate(e))
    }

    fn config(&self) -> Result<StoreConfig> {
        self.read_config()
    }

    fn set_config(&mut self, config: &StoreConfig) -> Result<()> {
        self.write_config(config)
    }

    fn call(&self, token: &CallToken) -> Result<Option<VerifiedCall>> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT call FROM verified_calls WHERE token_sha256 = ?1",
                [token.digest()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        text.map(|t| {
            serde_json::from_str(&t)
                .map_err(|_| StoreError::Inconsistent("a kept verification does not load".into()))
        })
        .transpose()
    }

    fn accounts(&self) -> Result<Vec<AccountSummary>> {
        let tx = self.read()?;
        let mut stmt = tx
            .prepare(
                "SELECT a.id, a.name,
                        (SELECT count(*) FROM contacts c WHERE c.account_id = a.id)
                 FROM accounts a ORDER BY a.id",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let id = rows::id_from_sql("account id", row.get(0).map_err(|e| self.err(e))?)?;
            let contacts: i64 = row.get(2).map_err(|e| self.err(e))?;
            out.push(AccountSummary {
                id: AccountId(id),
                name: row.get(1).map_err(|e| self.err(e))?,
                contacts: usize::try_from(contacts).unwrap_or(0),
            });
        }
        Ok(out)
    }

    fn audit(&self, filter: &AuditFilter) -> Result<Vec<StoredEvent>> {
        let mut sql = String::from("SELECT seq, details FROM audit_log WHERE 1 = 1");
        let mut args: Vec<Value> = Vec::new();
        if let Some(account) = filter.account {
            args.push(Value::Integer(rows::account_key(account)?));
            sql.push_str(&format!(" AND account_id = ?{}", args.len()));
        }
        if let Some(contact) = filter.contact {
            args.push(Value::Integer(rows::contact_key(contact)?));
            let n = args.len();
            sql.push_str(&format!(
                " AND (subject_contact_id = ?{n} OR actor_id = ?{n})"
            ));
        }
        if let Some(since) = filter.since {
            args.push(Value::Integer(since.0));
            sql.push_str(&format!(" AND at >= ?{}", args.len()));
        }
        if let Some(until) = filter.until {
            args.push(Value::Integer(until.0));
            sql.push_str(&format!(" AND at < ?{}", args.len()));
        }
        if let Some(kind) = &filter.kind {
            args.push(Value::Text(kind.clone()));
            sql.push_str(&format!(" AND kind = ?{}", args.len()));
        }
        if let Some(agent) = &filter.agent {
            args.push(Value::Text(agent.as_str().to_owned()));
            sql.push_str(&format!(" AND agent = ?{}", args.len()));
        }
        sql.push_str(" ORDER BY seq DESC");
        if let Some(limit) = filter.limit {
            args.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
            sql.push_str(&format!(" LIMIT ?{}", args.len()));
        }
        let tx = self.read()?;
        let mut stmt = tx.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(args))
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let seq: i64 = row.get(0).map_err(|e| self.err(e))?;
            let details: String = row.get(1).map_err(|e| self.err(e))?;
            let event: AuditEvent = serde_json::from_str(&details).map_err(|e| {
                StoreError::Inconsistent(format!("audit event {seq} does not parse: {e}"))
            })?;
            out.push(StoredEvent {
                seq: u64::try_from(seq).unwrap_or(0),
                event,
            });
        }
        out.reverse();
        Ok(out)
    }
}

impl SqliteStore {
    /// Put this store's path into a corruption error raised deep in the row code.
    fn locate(&self, e: StoreError) -> StoreError {
        locate(&self.path, e)
    }
}

fn locate(path: &Path, e: StoreError) -> StoreError {
    match e {
        StoreError::Corrupt { detail, .. } => StoreError::Corrupt {
            path: path.display().to_string(),
            detail,
        },
        other => other,
    }
}

/// A write transaction on a [`SqliteStore`] (`BEGIN IMMEDIATE`: it holds the database's write
/// lock from the start). Dropped without [`StoreTx::commit`], it rolls back.
#[derive(Debug)]
pub struct SqliteTx<'s> {
    tx: Transaction<'s>,
    path: &'s Path,
    /// What this transaction loaded, so that saving writes only what changed.
    loaded: BTreeMap<AccountId, AccountRecord>,
}

impl StoreTx for SqliteTx<'_> {
    fn load_for_update(&mut self, id: AccountId) -> Result<Option<AccountRecord>> {
        let record = rows::read_account(&self.tx, id).map_err(|e| locate(self.path, e))?;
        if let Some(record) = &record {
            self.loaded.insert(id, record.clone());
        }
        Ok(record)
    }

    fn insert_account(&mut self, record: &AccountRecord) -> Result<()> {
        rows::insert_account_row(&self.tx, record, now()).map_err(|e| locate(self.path, e))?;
        self.loaded.insert(record.id, record.clone());
        Ok(())
    }

    fn save_account(&mut self, record: &AccountRecord) -> Result<()> {
        rows::update_account(&self.tx, self.loaded.get(&record.id), record, now())
            .map_err(|e| locate(self.path, e))?;
        self.loaded.insert(record.id, record.clone());
        Ok(())
    }

    fn append_audit(&mut self, events: &[AuditEvent]) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO audit_log (at, account_id, actor_id, subject_contact_id, kind,
                                        details, agent)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(|e| StoreError::sqlite(self.path, e))?;
        for event in events {
            let actor = event.actor.map(rows::contact_key).transpose()?;
            let subject = match event.subject {
                Subject::Account => None,
                Subject::Contact(id) => Some(rows::contact_key(id)?),
            };
            let details = serde_json::to_string(event)
                .map_err(|e| StoreError::Database(format!("serializing an audit event: {e}")))?;
            stmt.execute(rusqlite::params![
                event.at.0,
                rows::account_key(event.account)?,
                actor,
                subject,
                event.kind.as_str(),
                details,
                event.agent.as_ref().map(|a| a.as_str())
            ])
            .map_err(|e| StoreError::sqlite(self.path, e))?;
        }
        Ok(())
    }

    fn keep_call(&mut self, token: &CallToken, call: &VerifiedCall) -> Result<()> {
        let text = serde_json::to_string(call)
            .map_err(|e| StoreError::Database(format!("serializing a verification: {e}")))?;
        self.tx
            .execute("DELETE FROM verified_calls WHERE expires_at <= ?1", [now()])
            .map_err(|e| StoreError::sqlite(self.path, e))?;
        self.tx
            .execute(
                "INSERT INTO verified_calls (token_sha256, account_id, contact_id, call,
                                             expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    token.digest(),
                    rows::account_key(call.account())?,
                    rows::contact_key(call.contact())?,
                    text,
                    call.expires_at().0
                ],
            )
            .map_err(|e| StoreError::sqlite(self.path, e))?;
        Ok(())
    }

    fn commit(self) -> Result<()> {
        self.tx
            .commit()
            .map_err(|e| StoreError::sqlite(self.path, e))
    }
}

//! [`PgStore`]: the store for everything past one machine, on PostgreSQL. Several processes on
//! several machines share one database, one lockout count, one audit log and one set of codes.

mod connection;
mod rows;
mod schema;
mod typed;

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

use postgres::error::SqlState;
use postgres::{IsolationLevel, NoTls};
use r2d2::{Pool, PooledConnection};
use seccode::{Account, AccountId, AccountRecord, AuditEvent, Engine, Subject, VerifiedCall};

use crate::error::{Result, StoreError};
use crate::rows::{account_key, contact_key, row_writes};
use crate::sqlite::CheckReport;
use crate::{AccountSummary, AuditFilter, CallToken, Store, StoreConfig, StoreTx, StoredEvent};

pub use schema::PG_SCHEMA_VERSION;

use connection::{Manager, PgConn};
use typed::Session;

/// Connections in the pool at most.
const POOL_SIZE: u32 = 8;

/// How many times a read, or a transaction that never committed, is tried on a connection
/// fault before the fault is the answer. Connections are not tested when taken from the pool
/// (that would cost a round trip per transaction); one the server has closed since (a
/// restart) fails at its first statement, is dropped, and the next is tried: so there are as
/// many tries as the pool holds connections, and a few more. Failing to get a connection at
/// all is the answer at once.
const ATTEMPTS: u32 = POOL_SIZE + 3;

/// Map a client error: connection faults are [`StoreError::Unavailable`], lock conflicts
/// [`StoreError::Busy`], everything else [`StoreError::Database`] with the server's message
/// (never a password: the URL is not part of any error).
pub(crate) fn pg(e: postgres::Error) -> StoreError {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::LOCK_NOT_AVAILABLE
            || *code == SqlState::QUERY_CANCELED
        {
            return StoreError::Busy(db.message().to_owned());
        }
        if code.code().starts_with("08") || code.code().starts_with("57P") {
            return StoreError::Unavailable(db.message().to_owned());
        }
        return StoreError::Database(db.message().to_owned());
    }
    if e.is_closed() {
        return StoreError::Unavailable("the connection was closed".into());
    }
    // The client's own text names what failed; its source says why (refused, timed out, …).
    match std::error::Error::source(&e) {
        Some(cause) => StoreError::Unavailable(format!("{e}: {cause}")),
        None => StoreError::Unavailable(e.to_string()),
    }
}

fn pool_error(e: r2d2::Error) -> StoreError {
    StoreError::Unavailable(format!("no connection to PostgreSQL: {e}"))
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A PostgreSQL connection URL with its password taken out: what the store shows of itself.
fn describe(config: &postgres::Config) -> String {
    let user = config.get_user().unwrap_or("");
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_default();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config.get_dbname().unwrap_or("");
    format!("postgres://{user}@{host}:{port}/{db}")
}

/// The store on PostgreSQL: a pool of connections (r2d2), the schema created and migrated on
/// first use in one transaction under an advisory lock, the application and schema version
/// checked on every open.
///
/// Every change runs in one transaction that locks the account's row (`SELECT … FOR UPDATE`),
/// so changes to one account from any number of processes apply one after another, and a
/// verification ([`crate::verify`]) holds it only for its two short steps, never while Argon2
/// runs. A connection fault is [`StoreError::Unavailable`]; reads and transactions that never
/// committed are retried first.
pub struct PgStore {
    pool: Pool<Manager>,
    shown: String,
    created: bool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("at", &self.shown).finish()
    }
}

impl PgStore {
    /// Connect to the database at `url` (`postgres://user[:password]@host[:port]/database`),
    /// creating or migrating the schema. The password comes from the URL, else `PGPASSWORD`,
    /// else the file named by `SECCODE_DB_PASSWORD_FILE`; it is never shown.
    pub fn open(url: &str) -> Result<PgStore> {
        let mut config = postgres::Config::from_str(url).map_err(|_| StoreError::Open {
            path: "postgres://…".into(),
            detail: "not a valid PostgreSQL connection URL".into(),
        })?;
        if config.get_password().is_none() {
            if let Some(password) = std::env::var_os("PGPASSWORD").filter(|p| !p.is_empty()) {
                config.password(password.as_encoded_bytes());
            } else if let Some(file) = std::env::var_os("SECCODE_DB_PASSWORD_FILE") {
                let text = std::fs::read(&file).map_err(|e| StoreError::Open {
                    path: describe(&config),
                    detail: format!("cannot read the password file: {e}"),
                })?;
                let text = text.strip_suffix(b"\n").unwrap_or(&text);
                config.password(text);
            }
        }
        config.application_name("seccode");
        config.connect_timeout(Duration::from_secs(10));
        let shown = describe(&config);
        // One direct connection first: a server that is not there, or refuses the credentials,
        // answers at once with its own reason (the pool would retry until its timeout).
        config.connect(NoTls).map_err(|e| StoreError::Open {
            path: shown.clone(),
            detail: match pg(e) {
                StoreError::Unavailable(d) | StoreError::Database(d) | StoreError::Busy(d) => d,
                other => other.to_string(),
            },
        })?;
        let pool = Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(1))
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(10))
            .build(Manager { config })
            .map_err(|e| StoreError::Open {
                path: shown.clone(),
                detail: e.to_string(),
            })?;
        let mut store = PgStore {
            pool,
            shown,
            created: false,
        };
        store.created = store.prepare()?;
        Ok(store)
    }

    /// Where the store is, without its password.
    pub fn location(&self) -> &str {
        &self.shown
    }

    fn conn(&self) -> Result<PooledConnection<Manager>> {
        self.pool.get().map_err(pool_error)
    }

    /// Run `f` in a read-only snapshot, retried on a connection fault.
    fn read<T>(
        &self,
        f: impl Fn(&mut Session<'_, postgres::Transaction<'_>>) -> Result<T>,
    ) -> Result<T> {
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let mut conn = self.conn()?;
            let attempt = (|| {
                let (client, statements) = conn.split();
                let mut tx = client
                    .build_transaction()
                    .isolation_level(IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()
                    .map_err(pg)?;
                let out = f(&mut Session::new(&mut tx, statements))?;
                tx.commit().map_err(pg)?;
                Ok(out)
            })();
            match attempt {
                Err(StoreError::Unavailable(e)) => last = Some(StoreError::Unavailable(e)),
                other => return other,
            }
        }
        Err(last.unwrap_or_else(|| StoreError::Unavailable("no attempt ran".into())))
    }

    /// Whether this open created the schema (the database held no seccode store before).
    pub fn created(&self) -> bool {
        self.created
    }

    /// Refuse a foreign or newer database; create or migrate the schema. Answers whether it
    /// created it.
    fn prepare(&self) -> Result<bool> {
        let mut conn = self.conn()?;
        let mut tx = conn.client.transaction().map_err(pg)?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1)",
            &[&schema::MIGRATION_LOCK],
        )
        .map_err(pg)?;
        let meta: Option<String> = tx
            .query_one("SELECT to_regclass('seccode_meta')::text", &[])
            .and_then(|r| r.try_get(0))
            .map_err(pg)?;
        let version = match meta {
            None => {
                let tables: i64 = tx
                    .query_one(
                        "SELECT count(*) FROM information_schema.tables
                         WHERE table_schema = current_schema()",
                        &[],
                    )
                    .and_then(|r| r.try_get(0))
                    .map_err(pg)?;
                if tables > 0 {
                    return Err(StoreError::Foreign {
                        path: self.shown.clone(),
                        detail: format!(
                            "its schema holds {tables} tables and no seccode_meta table"
                        ),
                    });
                }
                0
            }
            Some(_) => {
                let mut application = None;
                let mut version = None;
                for row in tx
                    .query("SELECT key, value FROM seccode_meta", &[])
                    .map_err(pg)?
                {
                    let key: String = row.try_get(0).map_err(pg)?;
                    let value: String = row.try_get(1).map_err(pg)?;
                    match key.as_str() {
                        "application" => application = Some(value),
                        "schema_version" => version = value.parse::<i64>().ok(),
                        _ => {}
                    }
                }
                if application.as_deref() != Some(schema::APPLICATION) {
                    return Err(StoreError::Foreign {
                        path: self.shown.clone(),
                        detail: format!(
                            "seccode_meta names the application {application:?}, not seccode"
                        ),
                    });
                }
                let version = version.ok_or_else(|| StoreError::Foreign {
                    path: self.shown.clone(),
                    detail: "seccode_meta has no schema version".into(),
                })?;
                if version > PG_SCHEMA_VERSION {
                    return Err(StoreError::TooNew {
                        path: self.shown.clone(),
                        found: version,
                        supported: PG_SCHEMA_VERSION,
                    });
                }
                version
            }
        };
        if version == PG_SCHEMA_VERSION {
            tx.commit().map_err(pg)?;
            return Ok(false);
        }
        for step in schema::MIGRATIONS
            .iter()
            .skip(usize::try_from(version).unwrap_or(0))
        {
            tx.batch_execute(step).map_err(pg)?;
        }
        tx.execute(
            "INSERT INTO seccode_meta (key, value) VALUES ('application', $1), ('schema_version', $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&schema::APPLICATION, &PG_SCHEMA_VERSION.to_string()],
        )
        .map_err(pg)?;
        tx.commit().map_err(pg)?;
        Ok(version == 0)
    }

    /// The schema version of the database.
    pub fn schema_version(&self) -> Result<i64> {
        self.read(|tx| {
            let text: String = tx
                .client
                .query_one(
                    "SELECT value FROM seccode_meta WHERE key = 'schema_version'",
                    &[],
                )
                .and_then(|r| r.try_get(0))
                .map_err(pg)?;
            text.parse()
                .map_err(|_| StoreError::Inconsistent(format!("schema version `{text}`")))
        })
    }

    /// Check the whole store: every account through the core's checks, including stored
    /// hashes `engine` could never use, and the rows no account owns.
    pub fn check(&self, engine: &Engine) -> Result<CheckReport> {
        let mut problems = Vec::new();
        let orphans: i64 = self.read(|tx| {
            tx.client
                .query_one(
                    "SELECT (SELECT count(*) FROM contact_locks l WHERE NOT EXISTS
                            (SELECT 1 FROM contacts c
                             WHERE c.account_id = l.account_id AND c.id = l.contact_id))
                      + (SELECT count(*) FROM unknown_contact_locks u WHERE NOT EXISTS
                            (SELECT 1 FROM accounts a WHERE a.id = u.account_id))",
                    &[],
                )
                .and_then(|r| r.try_get(0))
                .map_err(pg)
        })?;
        if orphans > 0 {
            problems.push(format!("{orphans} lockout rows belong to nothing"));
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
        let audit_events: i64 = self.read(|tx| {
            tx.client
                .query_one("SELECT count(*) FROM audit_log", &[])
                .and_then(|r| r.try_get(0))
                .map_err(pg)
        })?;
        Ok(CheckReport {
            schema_version: self.schema_version()?,
            accounts: summaries.len(),
            audit_events: u64::try_from(audit_events).unwrap_or(0),
            problems,
        })
    }
}

impl Store for PgStore {
    type Tx<'s> = PgTx;

    /// A transaction on a connection from the pool. `BEGIN` is sent with its first
    /// statement (for a verification, in one message with the account's lock and read).
    fn begin(&mut self) -> Result<PgTx> {
        Ok(PgTx {
            conn: self.conn()?,
            pool: self.pool.clone(),
            loaded: BTreeMap::new(),
            begun: false,
            open: true,
            deferred: String::new(),
        })
    }

    fn account(&self, id: AccountId) -> Result<Option<AccountRecord>> {
        self.read(|tx| rows::read_account(tx, id, false))
    }

    fn config(&self) -> Result<StoreConfig> {
        self.read(|tx| {
            let mut pairs = Vec::new();
            for row in tx
                .client
                .query("SELECT key, value FROM settings", &[])
                .map_err(pg)?
            {
                pairs.push((row.try_get(0).map_err(pg)?, row.try_get(1).map_err(pg)?));
            }
            StoreConfig::from_pairs(pairs)
        })
    }

    fn set_config(&mut self, config: &StoreConfig) -> Result<()> {
        let mut tx = self.begin()?;
        tx.start()?;
        for (key, value) in config.to_pairs() {
            tx.conn
                .client
                .execute(
                    "INSERT INTO settings (key, value) VALUES ($1, $2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    &[&key, &value],
                )
                .map_err(pg)?;
        }
        tx.commit()
    }

    fn accounts(&self) -> Result<Vec<AccountSummary>> {
        self.read(|tx| {
            let mut out = Vec::new();
            for row in tx
                .client
                .query(
                    "SELECT a.id, a.name,
                            (SELECT count(*) FROM contacts c WHERE c.account_id = a.id)
                     FROM accounts a ORDER BY a.id",
                    &[],
                )
                .map_err(pg)?
            {
                let id: i64 = row.try_get(0).map_err(pg)?;
                let contacts: i64 = row.try_get(2).map_err(pg)?;
                out.push(AccountSummary {
                    id: AccountId(crate::rows::id_from_sql("account id", id)?),
                    name: row.try_get(1).map_err(pg)?,
                    contacts: usize::try_from(contacts).unwrap_or(0),
                });
            }
            Ok(out)
        })
    }

    fn audit(&self, filter: &AuditFilter) -> Result<Vec<StoredEvent>> {
        let account = filter.account.map(account_key).transpose()?;
        let contact = filter.contact.map(contact_key).transpose()?;
        let since = filter.since.map(|t| t.0);
        let until = filter.until.map(|t| t.0);
        let limit = filter.limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX));
        let agent = filter.agent.as_ref().map(|a| a.as_str());
        self.read(|tx| {
            let mut out = Vec::new();
            for row in tx
                .client
                .query(
                    "SELECT seq, details FROM audit_log
                     WHERE ($1::BIGINT IS NULL OR account_id = $1)
                       AND ($2::BIGINT IS NULL OR subject_contact_id = $2 OR actor_id = $2)
                       AND ($3::BIGINT IS NULL OR at >= $3)
                       AND ($4::BIGINT IS NULL OR at < $4)
                       AND ($5::TEXT IS NULL OR kind = $5)
                       AND ($7::TEXT IS NULL OR agent = $7)
                     ORDER BY seq DESC
                     LIMIT $6",
                    &[
                        &account,
                        &contact,
                        &since,
                        &until,
                        &filter.kind,
                        &limit,
                        &agent,
                    ],
                )
                .map_err(pg)?
            {
                let seq: i64 = row.try_get(0).map_err(pg)?;
                let details: String = row.try_get(1).map_err(pg)?;
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
        })
    }

    fn call(&self, token: &CallToken) -> Result<Option<VerifiedCall>> {
        let digest = token.digest();
        let text: Option<String> = self.read(|tx| {
            tx.query_opt(
                "SELECT call FROM verified_calls WHERE token_sha256 = $1",
                &[&digest],
            )?
            .map(|r| r.try_get(0).map_err(pg))
            .transpose()
        })?;
        text.map(|t| {
            serde_json::from_str(&t)
                .map_err(|_| StoreError::Inconsistent("a kept verification does not load".into()))
        })
        .transpose()
    }
}

/// A write transaction on a [`PgStore`]: one pooled connection inside `BEGIN`. Dropped without
/// [`StoreTx::commit`], it rolls back.
pub struct PgTx {
    conn: PooledConnection<Manager>,
    pool: Pool<Manager>,
    loaded: BTreeMap<AccountId, AccountRecord>,
    /// `BEGIN` was sent (with the first statement).
    begun: bool,
    open: bool,
    /// Writes whose answers nothing waits for (a verification's lock rows and audit events),
    /// kept to go with the `COMMIT` in one message: after its first round trip (begin, lock,
    /// read), a verification's transaction is one more. Sent before any other statement.
    deferred: String,
}

impl PgTx {
    /// Run `first`, the transaction's first message (it begins the transaction), retried on
    /// a fresh connection while the one in hand turns out closed (the server restarted since
    /// it was pooled): nothing was done on it, so trying again is safe.
    fn first<T>(&mut self, first: impl Fn(&mut PgConn) -> Result<T>) -> Result<T> {
        let mut last = None;
        for _ in 0..ATTEMPTS {
            self.begun = true;
            match first(&mut self.conn) {
                Err(StoreError::Unavailable(e)) => {
                    self.begun = false;
                    last = Some(StoreError::Unavailable(e));
                    self.conn = self.pool.get().map_err(pool_error)?;
                }
                other => return other,
            }
        }
        Err(last.unwrap_or_else(|| StoreError::Unavailable("no attempt ran".into())))
    }

    /// Whether writes can wait for the `COMMIT`: the transaction has begun on a connection
    /// where [`rows::begin_and_lock`] prepared the statements they execute.
    fn can_defer(&self) -> bool {
        self.begun && self.conn.lock_and_read_prepared
    }

    /// Make the transaction ready for a statement whose answer is needed: `BEGIN` sent, and
    /// the deferred writes before it.
    fn ready(&mut self) -> Result<()> {
        self.start()?;
        if !self.deferred.is_empty() {
            let sql = std::mem::take(&mut self.deferred);
            self.conn.client.batch_execute(&sql).map_err(pg)?;
        }
        Ok(())
    }

    /// Send `BEGIN` if no statement has yet.
    fn start(&mut self) -> Result<()> {
        if self.begun {
            return Ok(());
        }
        self.first(|conn| {
            conn.client
                .batch_execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                .map_err(pg)
        })
    }
}

impl std::fmt::Debug for PgTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgTx")
            .field("open", &self.open)
            .finish_non_exhaustive()
    }
}

impl Drop for PgTx {
    fn drop(&mut self) {
        if self.open && self.begun {
            // A broken connection rolls back by itself; r2d2 drops it as broken.
            let _ = self.conn.client.batch_execute("ROLLBACK");
        }
    }
}

impl StoreTx for PgTx {
    fn load_for_update(&mut self, id: AccountId) -> Result<Option<AccountRecord>> {
        let record = if self.begun {
            self.ready()?;
            rows::read_account(&mut self.conn.session(), id, true)?
        } else {
            let key = account_key(id)?;
            self.first(|conn| rows::begin_and_lock(conn, key))?
        };
        if let Some(record) = &record {
            self.loaded.insert(id, record.clone());
        }
        Ok(record)
    }

    fn insert_account(&mut self, record: &AccountRecord) -> Result<()> {
        self.ready()?;
        rows::insert_account(&mut self.conn.session(), record, now())?;
        self.loaded.insert(record.id, record.clone());
        Ok(())
    }

    fn save_account(&mut self, record: &AccountRecord) -> Result<()> {
        // What to write, worked out once: a verification's lock rows go with the `COMMIT`,
        // anything else now.
        let writes = row_writes(self.loaded.get(&record.id), record);
        let key = account_key(record.id)?;
        let deferred = if self.can_defer() {
            rows::lock_writes_as_text(key, &writes)?
        } else {
            None
        };
        match deferred {
            Some(sql) => self.deferred.push_str(&sql),
            None => {
                self.ready()?;
                rows::write_rows(&mut self.conn.session(), key, &writes, now())?;
            }
        }
        self.loaded.insert(record.id, record.clone());
        Ok(())
    }

    fn append_audit(&mut self, events: &[AuditEvent]) -> Result<()> {
        let defer = self.can_defer();
        if !defer {
            self.ready()?;
        }
        for event in events {
            let actor = event.actor.map(contact_key).transpose()?;
            let subject = match event.subject {
                Subject::Account => None,
                Subject::Contact(id) => Some(contact_key(id)?),
            };
            let details = serde_json::to_string(event)
                .map_err(|e| StoreError::Database(format!("serializing an audit event: {e}")))?;
            let agent = event.agent.as_ref().map(|a| a.as_str());
            if defer {
                self.deferred.push_str(&format!(
                    "EXECUTE seccode_append_audit ({}, {}, {}, {}, {}, {}, {});\n",
                    event.at.0,
                    account_key(event.account)?,
                    rows::sql_integer(actor),
                    rows::sql_integer(subject),
                    rows::sql_text(event.kind.as_str())?,
                    rows::sql_text(&details)?,
                    agent.map_or_else(|| Ok("NULL".to_owned()), rows::sql_text)?,
                ));
                continue;
            }
            self.conn.session().execute(
                rows::APPEND_AUDIT,
                &[
                    &event.at.0,
                    &account_key(event.account)?,
                    &actor,
                    &subject,
                    &event.kind.as_str(),
                    &details,
                    &agent,
                ],
            )?;
        }
        Ok(())
    }

    fn keep_call(&mut self, token: &CallToken, call: &VerifiedCall) -> Result<()> {
        self.ready()?;
        let text = serde_json::to_string(call)
            .map_err(|e| StoreError::Database(format!("serializing a verification: {e}")))?;
        self.conn.session().execute(
            "DELETE FROM verified_calls WHERE expires_at <= $1",
            &[&now()],
        )?;
        self.conn.session().execute(
            "INSERT INTO verified_calls (token_sha256, account_id, contact_id, call, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &token.digest(),
                &account_key(call.account())?,
                &contact_key(call.contact())?,
                &text,
                &call.expires_at().0,
            ],
        )?;
        Ok(())
    }

    fn commit(mut self) -> Result<()> {
        self.open = false;
        if !self.begun {
            // Nothing was sent: nothing to commit.
            return Ok(());
        }
        // The deferred writes and the COMMIT in one message. Should a write fail, the server
        // skips the rest, COMMIT included, and the transaction stays open and failed: roll it
        // back before the connection goes back to the pool.
        let mut sql = std::mem::take(&mut self.deferred);
        let wrote = !sql.is_empty();
        sql.push_str("COMMIT");
        let result = self.conn.client.batch_execute(&sql);
        if result.is_err() && wrote && !self.conn.client.is_closed() {
            let _ = self.conn.client.batch_execute("ROLLBACK");
        }
        result.map_err(|e| match pg(e) {
            // The outcome of a commit whose connection broke is unknown: say so.
            StoreError::Unavailable(detail) => StoreError::Unavailable(format!(
                "{detail} (while committing: the change may or may not have been saved)"
            )),
            other => other,
        })
    }
}

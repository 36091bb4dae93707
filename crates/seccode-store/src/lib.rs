// The crate's page on docs.rs and crates.io, its example compiled and run as a doctest.
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod any;
mod config;
mod error;
mod export;
mod postgres;
mod rows;
mod sqlite;
mod token;

use seccode::{
    Account, AccountId, AccountRecord, AgentName, AuditEvent, ContactId, Engine, Password,
    SecurityCode, SignIn, Timestamp, Verification, VerifiedCall,
};

pub use any::{AnyStore, AnyTx, is_postgres_url};
pub use config::StoreConfig;
pub use error::{Result, StoreError};
pub use export::{contacts_csv, csv_cell, csv_contacts};
pub use postgres::{PG_SCHEMA_VERSION, PgStore, PgTx};
pub use sqlite::{APPLICATION_ID, CheckReport, SCHEMA_VERSION, SqliteStore, SqliteTx};
pub use token::CallToken;

/// A place that keeps accounts and their audit log.
///
/// Reads ([`Store::account`], [`Store::accounts`], [`Store::audit`]) each see one consistent
/// snapshot. Every change goes through a write transaction from [`Store::begin`].
pub trait Store {
    /// The write transaction type.
    type Tx<'s>: StoreTx
    where
        Self: 's;

    /// Begin a write transaction. Implementations must make the accounts it loads with
    /// [`StoreTx::load_for_update`] exclusive until it commits or is dropped: SQLite takes the
    /// database's write lock at once (`BEGIN IMMEDIATE`); PostgreSQL would
    /// `SELECT … FOR UPDATE` the account row. Waiting for another writer is bounded by the
    /// store's busy timeout, then fails with [`StoreError::Busy`].
    fn begin(&mut self) -> Result<Self::Tx<'_>>;

    /// One account as stored, or `None`.
    fn account(&self, id: AccountId) -> Result<Option<AccountRecord>>;

    /// The store-wide configuration (hash cost, lockout, pepper key id), kept with the data.
    fn config(&self) -> Result<StoreConfig>;

    /// Replace the store-wide configuration (check it first: the core's `Engine::new` does).
    fn set_config(&mut self, config: &StoreConfig) -> Result<()>;

    /// Every account, in id order (id, name and number of contacts).
    fn accounts(&self) -> Result<Vec<AccountSummary>>;

    /// Audit events matching `filter`, oldest first.
    fn audit(&self, filter: &AuditFilter) -> Result<Vec<StoredEvent>>;

    /// The verification kept under a token ([`StoreTx::keep_call`]), if any and not yet past
    /// its expiry (whether it still holds is the core's to say: [`Account::call_status`]).
    fn call(&self, token: &CallToken) -> Result<Option<VerifiedCall>>;
}

/// A write transaction. Dropping it without [`StoreTx::commit`] rolls everything back.
pub trait StoreTx {
    /// Load an account and hold it exclusively until the end of the transaction.
    fn load_for_update(&mut self, id: AccountId) -> Result<Option<AccountRecord>>;

    /// Store a new account; fails with [`StoreError::DuplicateAccount`] if the id is taken.
    fn insert_account(&mut self, record: &AccountRecord) -> Result<()>;

    /// Replace a stored account by `record` (contacts, hashes, settings, lockout state).
    /// Fails with [`StoreError::UnknownAccount`] if there is no such account.
    fn save_account(&mut self, record: &AccountRecord) -> Result<()>;

    /// Append events to the audit log.
    fn append_audit(&mut self, events: &[AuditEvent]) -> Result<()>;

    /// Keep a verification under `token` until it expires (only the token's digest is
    /// stored); expired ones are dropped.
    fn keep_call(&mut self, token: &CallToken, call: &VerifiedCall) -> Result<()>;

    /// Make every change of the transaction durable, all at once.
    fn commit(self) -> Result<()>;
}

/// One line of [`Store::accounts`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccountSummary {
    /// "Client ID".
    pub id: AccountId,
    /// Account name.
    pub name: String,
    /// How many contacts, active or not.
    pub contacts: usize,
}

/// Which audit events [`Store::audit`] returns. The default returns every event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this account's events.
    pub account: Option<AccountId>,
    /// Only events about this contact or made by it (needs no account: the contact id is
    /// matched in every account unless `account` is set).
    pub contact: Option<ContactId>,
    /// Only events at or after this time.
    pub since: Option<Timestamp>,
    /// Only events before this time.
    pub until: Option<Timestamp>,
    /// Only events of this kind (`verification_failed`, `code_set`, ...).
    pub kind: Option<String>,
    /// Only events that name this agent ([`AuditEvent::agent`]).
    pub agent: Option<AgentName>,
    /// At most this many events: the most recent ones (still returned oldest first).
    pub limit: Option<usize>,
}

/// An audit event as stored, with its place in the log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredEvent {
    /// Position in the log, increasing.
    pub seq: u64,
    /// The event.
    #[serde(flatten)]
    pub event: AuditEvent,
}

/// Load an account through the core's checks ([`Account::from_record`]).
pub fn load_account<S: Store + ?Sized>(store: &S, id: AccountId) -> Result<Account> {
    let record = store.account(id)?.ok_or(StoreError::UnknownAccount(id))?;
    Account::from_record(record).map_err(|source| StoreError::Data {
        account: id,
        source,
    })
}

/// Store a new account and its pending audit events in one transaction.
pub fn insert_account<S: Store + ?Sized>(store: &mut S, account: &mut Account) -> Result<()> {
    let mut tx = store.begin()?;
    tx.insert_account(&account.to_record())?;
    let events = account.drain_audit();
    tx.append_audit(&events)?;
    tx.commit()
}

/// Change one account in one transaction: load it for update (through the core's checks),
/// run `operation` on it, then save it and append the audit events it recorded, and commit.
///
/// If `operation` fails, nothing is written: not the account, not its audit events; a core
/// error comes back as [`StoreError::Core`]. A verification is
/// `update_account(store, id, |a| a.verify(&engine, contact, &code))`: its failed-attempt
/// count, lock and upgraded hash are saved in the same transaction that read them.
pub fn update_account<S, T, E>(
    store: &mut S,
    id: AccountId,
    operation: impl FnOnce(&mut Account) -> std::result::Result<T, E>,
) -> Result<T>
where
    S: Store + ?Sized,
    E: Into<StoreError>,
{
    update_account_as(store, id, None, operation)
}

/// [`update_account`] for a support agent: the account is loaded with `agent` set
/// ([`Account::set_agent`]), so every audit event the operation records names it. Desks and
/// services that know their agent change accounts through this one.
pub fn update_account_as<S, T, E>(
    store: &mut S,
    id: AccountId,
    agent: Option<&AgentName>,
    operation: impl FnOnce(&mut Account) -> std::result::Result<T, E>,
) -> Result<T>
where
    S: Store + ?Sized,
    E: Into<StoreError>,
{
    let mut tx = store.begin()?;
    let record = tx
        .load_for_update(id)?
        .ok_or(StoreError::UnknownAccount(id))?;
    let mut account = Account::from_record(record).map_err(|source| StoreError::Data {
        account: id,
        source,
    })?;
    account.set_agent(agent.cloned());
    let out = operation(&mut account).map_err(Into::into)?;
    let events = account.drain_audit();
    tx.save_account(&account.to_record())?;
    tx.append_audit(&events)?;
    tx.commit()?;
    Ok(out)
}

/// Verify a caller through the store in the core's three steps, so that no transaction is
/// open while Argon2 runs: *begin* (count the attempt) in one short transaction, the check
/// with none open, *finish* (record the outcome, any upgraded hash and the audit events) in
/// another. However many processes verify one contact at once, at most `max_failures` of
/// their attempts are ever checked; verifications of different contacts run in parallel.
pub fn verify<S: Store + ?Sized>(
    store: &mut S,
    engine: &Engine,
    account: AccountId,
    contact: ContactId,
    code: &SecurityCode,
) -> Result<Verification> {
    verify_as(store, engine, None, account, contact, code)
}

/// [`verify`] for a support agent: both transactions load the account with `agent` set, so
/// the verification's audit events (failure, success, lock, upgrade) name it.
pub fn verify_as<S: Store + ?Sized>(
    store: &mut S,
    engine: &Engine,
    agent: Option<&AgentName>,
    account: AccountId,
    contact: ContactId,
    code: &SecurityCode,
) -> Result<Verification> {
    let attempt = update_account_as(store, account, agent, |a| a.begin_verify(engine, contact))?;
    let checked = attempt.check(engine, code)?;
    update_account_as(store, account, agent, |a| a.finish_verify(engine, checked))
}

/// Sign a contact in to the portal pages with its password (SPEC 10), in the core's three
/// steps like [`verify`]: the attempt counted in one short transaction, one Argon2id
/// evaluation with none open, the outcome recorded in another. Failures add up with the
/// contact's verifications to one lock. An account that does not exist is *refused* after the
/// same Argon2id work ([`SignIn::for_unknown_account`]), not an error.
pub fn sign_in<S: Store + ?Sized>(
    store: &mut S,
    engine: &Engine,
    account: AccountId,
    contact: ContactId,
    password: &Password,
) -> Result<SignIn> {
    let attempt = match update_account(store, account, |a| a.begin_sign_in(engine, contact)) {
        Err(StoreError::UnknownAccount(_)) => {
            return Ok(SignIn::for_unknown_account(
                engine, account, contact, password,
            )?);
        }
        other => other?,
    };
    let checked = attempt.check(engine, password)?;
    update_account(store, account, |a| a.finish_sign_in(engine, checked))
}

/// Keep a successful verification's call under a new token, shown once to the agent, so a
/// later command can ask what the caller may request ([`Account::authorize`]). `None` when
/// the verification did not succeed.
pub fn keep_call<S: Store + ?Sized>(
    store: &mut S,
    verification: &Verification,
) -> Result<Option<CallToken>> {
    let Some(call) = verification.call() else {
        return Ok(None);
    };
    let token = CallToken::new()?;
    let mut tx = store.begin()?;
    tx.keep_call(&token, call)?;
    tx.commit()?;
    Ok(Some(token))
}

//! [`Desk`]: what every command works with: the store, its configuration, the engine (built
//! on first use: it computes one dummy hash), and the account the command is about.

use std::io::Read;
use std::path::{Path, PathBuf};

use seccode::AgentName;
use seccode::ContactId;
use seccode::{Account, AccountId};
use seccode::{Engine, EngineConfig};
use seccode::{Pepper, Sealer};
use seccode_store::{AnyStore, Store, StoreConfig, StoreError, is_postgres_url, update_account_as};
use zeroize::Zeroizing;

use crate::cli::Global;
use crate::error::CliError;

/// The store, its configuration and the engine.
pub(crate) struct Desk {
    pub store: AnyStore,
    pub config: StoreConfig,
    engine: Option<Engine>,
    pepper: Option<Pepper>,
    retired: Vec<Pepper>,
    sealer: Option<Sealer>,
    account: Option<AccountId>,
    /// `--agent` / `SECCODE_AGENT`: named by every audit event the desk's commands record.
    agent: Option<AgentName>,
    /// `--agent` given on the command line: what `audit` filters by.
    agent_filter: Option<AgentName>,
}

/// The store's path: `--db`, `$SECCODE_DB` (both via clap), else the per-user data directory.
/// Where the store is: `--db` / `SECCODE_DB` (a path or a `postgres://` URL), else the user's
/// data directory.
pub(crate) fn db_place(global: &Global) -> Result<String, CliError> {
    if let Some(place) = global.db.as_ref().filter(|p| !p.trim().is_empty()) {
        return Ok(place.clone());
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| Path::new(&home).join(".local").join("share"))
        })
        .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))
        .ok_or_else(|| {
            CliError::bad_input(
                "no_store_path",
                "no store given: use --db PATH or set SECCODE_DB (no home directory found)",
            )
        })?;
    Ok(data
        .join("seccode")
        .join("seccode.db")
        .display()
        .to_string())
}

/// Whether the store at `place` exists already (a PostgreSQL database always does: `init`
/// creates or migrates its schema).
pub(crate) fn store_exists(place: &str) -> bool {
    is_postgres_url(place) || Path::new(place).exists()
}

/// The longest file a secret is read from (a pepper is at most 64 bytes, a sealing key 64 hex
/// characters; each with a final newline).
const SECRET_FILE_MAX: u64 = 1024;

/// A secret given as `ID=FILE`: the key id, the file and the file's bytes, one final newline
/// (`\n` or `\r\n`) dropped. Errors name the file, never what it holds; their kind is
/// `kind` (exit 3).
fn read_secret_file<'a>(
    spec: &'a str,
    what: &str,
    kind: &'static str,
) -> Result<(&'a str, &'a str, Zeroizing<Vec<u8>>), CliError> {
    // Not echoed: without `=` it may well be the secret itself, pasted by mistake.
    let (id, file) = spec.split_once('=').ok_or_else(|| {
        CliError::bad_input(
            kind,
            format!("the {what} must be given as ID=FILE: a key id, `=`, and the file holding it"),
        )
    })?;
    let unreadable = |e: std::io::Error| {
        CliError::bad_input(kind, format!("cannot read {what} file `{file}`: {e}"))
    };
    // Read at most a little more than any secret is long (a device or a wrong file stops here).
    let mut bytes = Zeroizing::new(Vec::new());
    std::fs::File::open(file)
        .and_then(|f| f.take(SECRET_FILE_MAX + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() > usize::try_from(SECRET_FILE_MAX).unwrap_or(usize::MAX) {
        return Err(CliError::bad_input(
            kind,
            format!("the {what} file `{file}` is longer than {SECRET_FILE_MAX} bytes"),
        ));
    }
    let mut len = bytes.len();
    if bytes.ends_with(b"\r\n") {
        len = len.saturating_sub(2);
    } else if bytes.ends_with(b"\n") {
        len = len.saturating_sub(1);
    }
    // Truncating in place leaves the dropped bytes in the buffer, which is wiped on drop.
    bytes.truncate(len);
    Ok((id, file, bytes))
}

/// Read a pepper given as `ID=FILE`.
pub(crate) fn read_pepper(spec: &str) -> Result<Pepper, CliError> {
    let (id, _, secret) = read_secret_file(spec, "pepper", "invalid_pepper")?;
    Ok(Pepper::new(id, secret.to_vec())?)
}

/// Read a sealing key given as `ID=FILE` (`--seal-key`): the file holds the 32-byte key as 64
/// hex characters, one final newline allowed. Anything else is refused (exit 3) with a
/// message that says what is wrong but shows nothing of the file's contents.
pub(crate) fn read_sealer(spec: &str) -> Result<Sealer, CliError> {
    const KIND: &str = "invalid_seal_key";
    let (id, file, hex) = read_secret_file(spec, "sealing key", KIND)?;
    if hex.len() != 64 {
        return Err(CliError::bad_input(
            KIND,
            format!(
                "sealing key file `{file}` must hold exactly 64 hex characters (32 bytes; \
                 make one with `openssl rand -hex 32`), not {} bytes",
                hex.len()
            ),
        ));
    }
    let mut key = Zeroizing::new([0u8; 32]);
    for (byte, pair) in key.iter_mut().zip(hex.chunks_exact(2)) {
        let digit = |c: u8| char::from(c).to_digit(16);
        let (Some(high), Some(low)) = (
            pair.first().copied().and_then(digit),
            pair.get(1).copied().and_then(digit),
        ) else {
            return Err(CliError::bad_input(
                KIND,
                format!(
                    "sealing key file `{file}` must hold 64 hex characters (0-9, a-f; \
                     make one with `openssl rand -hex 32`): it holds something else"
                ),
            ));
        };
        // Both digits are below 16.
        *byte = u8::try_from(high * 16 + low).unwrap_or_default();
    }
    Ok(Sealer::new(id, *key)?)
}

impl Desk {
    /// Open the store named by the global options.
    pub(crate) fn open(global: &Global) -> Result<Desk, CliError> {
        let place = db_place(global)?;
        Desk::open_at(&place, global)
    }

    pub(crate) fn open_at(place: &str, global: &Global) -> Result<Desk, CliError> {
        let pepper = global.pepper.as_deref().map(read_pepper).transpose()?;
        let retired = global
            .retired_peppers
            .iter()
            .map(|s| read_pepper(s))
            .collect::<Result<Vec<_>, _>>()?;
        let sealer = global.seal_key.as_deref().map(read_sealer).transpose()?;
        let store = AnyStore::open(place)?;
        let config = store.config()?;
        Ok(Desk {
            store,
            config,
            engine: None,
            pepper,
            retired,
            sealer,
            account: global.account.map(AccountId),
            agent: global.agent.clone(),
            agent_filter: global
                .agent
                .clone()
                .filter(|_| global.agent_on_command_line),
        })
    }

    /// The engine config for a store configuration and this desk's peppers and sealing key.
    pub(crate) fn engine_config(&self, config: &StoreConfig) -> EngineConfig {
        let mut engine = EngineConfig::default();
        engine.verifier.params = config.params;
        engine.verifier.pepper = self.pepper.clone();
        engine.verifier.retired_peppers = self.retired.clone();
        engine.sealer = self.sealer.clone();
        engine.lockout = config.lockout;
        // Test builds only: a fixed clock, so that tests about time (a lock's end, a
        // verification's lifetime) never depend on how fast a loaded machine runs them.
        #[cfg(debug_assertions)]
        if let Some(at) = std::env::var("SECCODE_TEST_CLOCK")
            .ok()
            .and_then(|v| v.parse::<i64>().ok())
        {
            engine.clock = std::sync::Arc::new(seccode::ManualClock::new(seccode::Timestamp(at)));
        }
        engine
    }

    /// The engine, built on first use.
    /// The key id of the current pepper, if the desk has one.
    pub(crate) fn pepper_key_id(&self) -> Option<String> {
        self.pepper.as_ref().map(|p| p.key_id().to_owned())
    }

    pub(crate) fn engine(&mut self) -> Result<&Engine, CliError> {
        if self.engine.is_none() {
            let engine = Engine::new(self.engine_config(&self.config))?;
            self.engine = Some(engine);
        }
        self.engine
            .as_ref()
            .ok_or_else(|| CliError::internal("internal", "the engine is missing"))
    }

    /// The agent at the desk (`--agent` or `SECCODE_AGENT`), if named.
    pub(crate) fn agent(&self) -> Option<&AgentName> {
        self.agent.as_ref()
    }

    /// The agent `audit` filters by: `--agent` when given on the command line.
    pub(crate) fn agent_filter(&self) -> Option<&AgentName> {
        self.agent_filter.as_ref()
    }

    /// `--account` as given (or `SECCODE_ACCOUNT`), if at all.
    pub(crate) fn account_flag(&self) -> Option<AccountId> {
        self.account
    }

    /// The store and the engine at once (the engine built on first use).
    pub(crate) fn parts(&mut self) -> Result<(&mut AnyStore, &Engine), CliError> {
        self.engine()?;
        let Desk { store, engine, .. } = self;
        let engine = engine
            .as_ref()
            .ok_or_else(|| CliError::internal("internal", "the engine is missing"))?;
        Ok((store, engine))
    }

    /// The account the command is about: `--account`, or the only account of the store.
    pub(crate) fn account_id(&self) -> Result<AccountId, CliError> {
        if let Some(id) = self.account {
            return Ok(id);
        }
        let accounts = self.store.accounts()?;
        match accounts.as_slice() {
            [only] => Ok(only.id),
            [] => Err(CliError::bad_input(
                "no_account",
                "the store has no account yet: create one with `seccode account create`",
            )),
            _ => Err(CliError::bad_input(
                "which_account",
                format!(
                    "the store holds {} accounts: say which with --account (or SECCODE_ACCOUNT)",
                    accounts.len()
                ),
            )),
        }
    }

    /// Load an account (read only, through the core's checks).
    pub(crate) fn load(&self, id: AccountId) -> Result<Account, CliError> {
        Ok(seccode_store::load_account(&self.store, id)?)
    }

    /// Run a core operation on an account in one transaction, for the desk's agent (see
    /// [`seccode_store::update_account_as`]): its audit events name the agent.
    pub(crate) fn update<T>(
        &mut self,
        id: AccountId,
        operation: impl FnOnce(&mut Account, &Engine) -> seccode::Result<T>,
    ) -> Result<T, CliError> {
        self.engine()?;
        let Desk {
            store,
            engine,
            agent,
            ..
        } = self;
        let engine = engine
            .as_ref()
            .ok_or_else(|| CliError::internal("internal", "the engine is missing"))?;
        update_account_as(store, id, agent.as_ref(), |account| {
            operation(account, engine).map_err(StoreError::from)
        })
        .map_err(CliError::from)
    }
}

/// The acting contact, which every change must name (`--as`): the audit log records who made
/// it, so the desk never assumes the primary contact.
pub(crate) fn actor(actor: Option<u64>) -> Result<ContactId, CliError> {
    actor.map(ContactId).ok_or_else(|| {
        CliError::bad_input(
            "actor_required",
            "say which contact makes this change with --as CONTACT (the audit log names it)",
        )
    })
}

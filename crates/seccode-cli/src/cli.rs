//! The command tree (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use seccode::AgentName;

const EXIT_CODES: &str = "\
Exit status:
  0  success; verify: verified; authorize (or verify --request): allowed
  1  verify: not verified; authorize: not allowed on the code alone (needs approval, or denied)
  2  verify: the contact is locked (no code was checked)
  3  bad input: usage, unknown account/contact/resource, code rejected by the policy,
     permission denied, malformed CSV (import: some rows refused, the good rows are committed)
  4  internal or store error: damaged or foreign database file, store busy, I/O failure

Security codes are read from a prompt that does not echo, or from standard input when it is
not a terminal (one line; a final newline is dropped). They are never printed or stored in
plaintext.";

/// seccode: security codes for a support desk, on an embedded SQLite store.
#[derive(Debug, Parser)]
#[command(
    name = "seccode",
    version,
    about = "Security codes for a support desk: accounts, contacts, codes, permissions, \
             verification of callers, on an embedded SQLite store",
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// The store: a SQLite file, or a PostgreSQL URL (postgres://user@host:port/database; the
    /// password from PGPASSWORD or SECCODE_DB_PASSWORD_FILE). Default: $SECCODE_DB, else
    /// $XDG_DATA_HOME/seccode/seccode.db, else ~/.local/share/seccode/seccode.db
    #[arg(
        long,
        global = true,
        env = "SECCODE_DB",
        value_name = "PATH|URL",
        hide_env_values = true
    )]
    pub db: Option<String>,

    /// The support agent at the desk: every audit event this command records (a verification,
    /// an unlock, a decided request, a change) names the agent, apart from the contact acting
    /// (`--as`). Trimmed; 1 to 64 characters, no control characters. On `audit`, `--agent`
    /// shows only that agent's events (SECCODE_AGENT does not filter)
    #[arg(long, global = true, env = "SECCODE_AGENT", value_name = "NAME",
          value_parser = parse_agent)]
    pub agent: Option<AgentName>,

    /// Whether `--agent` was given on the command line (not from SECCODE_AGENT): `audit`
    /// filters by it only then.
    #[arg(skip)]
    pub agent_on_command_line: bool,

    /// Print machine-readable JSON on standard output (errors too)
    #[arg(long, global = true)]
    pub json: bool,

    /// The account ("Client ID") to work on; may be left out when the store holds one account
    #[arg(long, short = 'a', global = true, env = "SECCODE_ACCOUNT", value_name = "ACCOUNT",
          value_parser = parse_id)]
    pub account: Option<u64>,

    /// The current pepper: a key id and a file holding the secret (16 to 64 bytes; one final
    /// newline is dropped). Keep it apart from the store
    #[arg(long, global = true, env = "SECCODE_PEPPER", value_name = "ID=FILE")]
    pub pepper: Option<String>,

    /// A former pepper whose hashes must still verify (and upgrade); repeatable
    #[arg(long = "retired-pepper", global = true, value_name = "ID=FILE")]
    pub retired_peppers: Vec<String>,

    /// The sealing key: a key id and a file holding the 32-byte key as 64 hex characters (one
    /// final newline allowed; make one with `openssl rand -hex 32`). Codes set while it is given
    /// keep a sealed copy, which `serve`'s portal pages reveal to a contact allowed to know the
    /// code. Keep it apart from the store
    #[arg(
        long = "seal-key",
        global = true,
        env = "SECCODE_SEAL_KEY",
        value_name = "ID=FILE"
    )]
    pub seal_key: Option<String>,
}

/// An agent's name, by the core's rule ([`AgentName::new`]).
pub(crate) fn parse_agent(text: &str) -> Result<AgentName, String> {
    AgentName::new(text).map_err(|e| e.to_string())
}

/// Ids are unsigned and at most 2^63 - 1 (the SQLite store's integers).
pub(crate) fn parse_id(text: &str) -> Result<u64, String> {
    let id: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not an id (a whole number)"))?;
    if id > i64::MAX.unsigned_abs() {
        return Err(format!("`{text}` is larger than 9223372036854775807"));
    }
    Ok(id)
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create the store (or check an existing one) and optionally set its configuration
    Init(ConfigArgs),
    /// Show or change the store's configuration (hash cost of new codes, lockout)
    Config(ConfigArgs),
    /// Accounts ("Client ID")
    #[command(subcommand)]
    Account(AccountCommand),
    /// Contacts: the account's authorized users
    #[command(subcommand)]
    Contact(ContactCommand),
    /// Security codes: set, clear or try a code against the policy
    #[command(subcommand)]
    Code(CodeCommand),
    /// Permissions: the grid of Resources x View/Create/Update/Delete
    #[command(subcommand)]
    Perm(PermCommand),
    /// Verify a caller: the code they give, read without echo (or from standard input)
    Verify(VerifyArgs),
    /// Unlock a contact locked after repeated failed verifications
    Unlock(UnlockArgs),
    /// What the caller verified on this call may ask for (with the token `verify` printed)
    Authorize(AuthorizeArgs),
    /// The audit log (never a code)
    Audit(AuditArgs),
    /// Stored hashes that are outdated (parameters, pepper, matching, legacy format) and so
    /// will be upgraded at their next successful verification
    Hashes,
    /// Import legacy "Phone/Chat Code" data from CSV (codes are hashed on the way in)
    Import(ImportArgs),
    /// Check the whole store: SQLite integrity, foreign keys, every account
    Check,
    /// Play the seed's walkthrough on a fresh temporary store
    Demo(DemoArgs),
    /// Run the verification service: the JSON API over HTTP for portals and agents
    Serve(ServeArgs),
    /// API keys of the service: create (shown once), revoke, list
    #[command(subcommand)]
    Key(KeyCommand),
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff, for `man -l -`)
    Man,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address and port to listen on (port 0: any free port, printed at start)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub listen: std::net::SocketAddr,
    /// The service's API key file (default: next to the SQLite store, `<store>.keys.json`)
    #[arg(long, env = "SECCODE_KEYS", value_name = "PATH")]
    pub keys: Option<PathBuf>,
    /// Argon2 computations at once (default: the number of cores)
    #[arg(long, value_name = "N")]
    pub argon2_concurrency: Option<usize>,
    /// How long a request waits for an Argon2 slot before 503, in milliseconds
    #[arg(long, default_value_t = 2000, value_name = "MS")]
    pub argon2_wait_ms: u64,
    /// The deadline of every request, in seconds
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub request_timeout: u64,
    /// Serve HTTPS with this PEM certificate chain (the server's certificate first); needs
    /// --tls-key. Without it the service speaks plain HTTP: keep it on 127.0.0.1 behind a
    /// reverse proxy that terminates TLS
    #[arg(long, value_name = "PATH", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert (PKCS#8, PKCS#1 or SEC1); needs --tls-cert
    #[arg(long, value_name = "PATH", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Demo only: serve a new store in a temporary directory (removed when the server stops)
    /// holding the seed's account as `seccode demo` makes it, with portal passwords for 3522
    /// and 3523 and an agent and an admin key, all printed at start. The store and key file
    /// given by --db, --keys, SECCODE_DB, SECCODE_KEYS or --pepper are not used (not even
    /// opened): --demo never serves an existing store
    #[arg(long)]
    pub demo: bool,
}

/// `key` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum KeyCommand {
    /// Create an API key; it is shown once and stored hashed
    Create {
        /// portal (acts as a named contact), agent (verify, authorize, unlock, audit) or admin
        #[arg(long)]
        role: String,
        /// A name to recognise the key by
        #[arg(long, default_value = "")]
        name: String,
        /// The key file (default: next to the SQLite store)
        #[arg(long, env = "SECCODE_KEYS", value_name = "PATH")]
        keys: Option<PathBuf>,
    },
    /// Revoke an API key: refused from the next request on
    Revoke {
        /// The key's id (from `key create` or `key list`)
        id: String,
        /// The key file (default: next to the SQLite store)
        #[arg(long, env = "SECCODE_KEYS", value_name = "PATH")]
        keys: Option<PathBuf>,
    },
    /// List the API keys (never the keys themselves)
    List {
        /// The key file (default: next to the SQLite store)
        #[arg(long, env = "SECCODE_KEYS", value_name = "PATH")]
        keys: Option<PathBuf>,
    },
}

/// Store configuration flags (for `init` and `config`).
#[derive(Debug, Args, Default)]
pub(crate) struct ConfigArgs {
    /// Argon2id memory of new hashes, in KiB (default 19456)
    #[arg(long, value_name = "KIB")]
    pub argon2_memory_kib: Option<u32>,
    /// Argon2id passes of new hashes (default 2)
    #[arg(long, value_name = "N")]
    pub argon2_iterations: Option<u32>,
    /// Argon2id lanes of new hashes (default 1)
    #[arg(long, value_name = "N")]
    pub argon2_parallelism: Option<u32>,
    /// Consecutive failed verifications that lock a contact (default 5)
    #[arg(long, value_name = "N")]
    pub max_failures: Option<u32>,
    /// How long a lock lasts, in minutes (default 30)
    #[arg(long, value_name = "MINUTES", conflicts_with = "lock_seconds")]
    pub lock_minutes: Option<i64>,
    /// How long a lock lasts, in seconds
    #[arg(long, value_name = "SECONDS")]
    pub lock_seconds: Option<i64>,
}

impl ConfigArgs {
    pub(crate) fn is_empty(&self) -> bool {
        self.argon2_memory_kib.is_none()
            && self.argon2_iterations.is_none()
            && self.argon2_parallelism.is_none()
            && self.max_failures.is_none()
            && self.lock_minutes.is_none()
            && self.lock_seconds.is_none()
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum AccountCommand {
    /// Create an account with its primary contact (the account owner)
    Create(AccountCreateArgs),
    /// Show an account
    Show {
        /// The account; default: --account, or the only one
        #[arg(value_parser = parse_id)]
        account: Option<u64>,
    },
    /// List the accounts of the store
    List,
    /// Write an account as the versioned JSON the Python and C faces load
    /// (`Account.from_json`, `seccode_account_from_json`): its contacts, permissions, lockout
    /// state and the Argon2id hashes of its codes and portal passwords (what those faces verify
    /// with), sealed copies if any. Never a plaintext code; still, keep the file as private
    /// as the store
    Export {
        /// The account; default: --account, or the only one
        #[arg(value_parser = parse_id)]
        account: Option<u64>,
        /// Write to this file (readable by its owner only) instead of standard output
        #[arg(long, short = 'o', visible_alias = "out", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// How codes set from now on are matched: `spoken` (case, spaces and punctuation ignored;
    /// the default) or `exact`
    Matching {
        /// spoken or exact
        matching: String,
        /// The contact making the change (required: every change names who makes it)
        #[arg(long = "as", value_name = "CONTACT", value_parser = parse_id)]
        actor: Option<u64>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct AccountCreateArgs {
    /// The account id ("Client ID")
    #[arg(value_parser = parse_id)]
    pub account: u64,
    /// The account's name
    #[arg(long)]
    pub name: String,
    /// The primary contact's id
    #[arg(long, value_name = "ID", value_parser = parse_id)]
    pub contact_id: u64,
    /// The primary contact's name
    #[arg(long, value_name = "NAME")]
    pub contact_name: String,
    /// The primary contact's title
    #[arg(long, default_value = "")]
    pub title: String,
    /// The primary contact's phone
    #[arg(long, default_value = "")]
    pub phone: String,
    /// The primary contact's email
    #[arg(long, default_value = "")]
    pub email: String,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ContactCommand {
    /// Add a contact ("ADD CONTACT")
    Add(ContactAddArgs),
    /// Change a contact's details; only the fields given change
    Edit(ContactEditArgs),
    /// Deactivate a contact: it can no longer verify or act
    Deactivate(ContactTargetArgs),
    /// Reactivate a deactivated contact
    Reactivate(ContactTargetArgs),
    /// Remove a contact for good, with its code and permissions (the audit log keeps its
    /// history); deactivating can be undone, removing cannot
    Remove(ContactTargetArgs),
    /// Set a contact's portal password ("Login & Password"), read without echo (or from
    /// standard input): the primary contact sets the first ones
    Password(ContactTargetArgs),
    /// List the contacts ("View Contacts")
    List {
        /// Include deactivated contacts
        #[arg(long)]
        all: bool,
    },
    /// Write the contact list as CSV ("Download CSV File"): ID, Name, Title, Phone, Email,
    /// Security Code (`set` or `not set`, never the code). A cell that a spreadsheet would run
    /// as a formula (starting with =, +, -, @, a tab or a carriage return) starts with '
    Export(ExportArgs),
    /// Add contacts in bulk from CSV, all or none in one transaction
    Import(ContactImportArgs),
}

/// Options of `contact import`.
#[derive(Debug, Args)]
#[command(after_help = "\
The first row names the columns, in any order (case, spaces and punctuation do not count):
  name           required
  id             the contact id; empty or no such column: the next free id
  title, phone, email
  audit account, poc, tech, abuse
                 yes/no, true/false, 1/0, or empty (no)
Any other column is refused. Rows that repeat an id, or the name, email and phone of a
contact already there or of an earlier row, are refused. One bad row (exit status 3, each
named by line and column) and nothing is written; otherwise every row is added in one
transaction.

  id,name,title,phone,email,poc
  ,Contact Example 3,Billing,000-000-0000,billing@example.com,no")]
pub(crate) struct ContactImportArgs {
    /// The account ("Client ID") the contacts join
    #[arg(value_parser = parse_id)]
    pub account: u64,
    /// The CSV file (`-` for standard input)
    pub file: PathBuf,
    /// The contact adding them (required: every change names who makes it; needs
    /// Manage Contacts / Create)
    #[arg(long = "as", value_name = "CONTACT", value_parser = parse_id)]
    pub actor: Option<u64>,
}

#[derive(Debug, Args)]
pub(crate) struct ContactAddArgs {
    /// The new contact's id; default: one more than the highest in the account
    #[arg(value_parser = parse_id)]
    pub contact: Option<u64>,
    /// Name (required)
    #[arg(long)]
    pub name: String,
    /// Title
    #[arg(long, default_value = "")]
    pub title: String,
    /// Phone
    #[arg(long, default_value = "")]
    pub phone: String,
    /// Email
    #[arg(long, default_value = "")]
    pub email: String,
    /// "Audit Account": receives copies of all other contacts' mail
    #[arg(long)]
    pub audit_account: bool,
    /// RWhois role POC
    #[arg(long)]
    pub poc: bool,
    /// RWhois role Tech
    #[arg(long)]
    pub tech: bool,
    /// RWhois role Abuse
    #[arg(long)]
    pub abuse: bool,
    /// The contact making the change (required: every change names who makes it)
    #[arg(long = "as", value_name = "CONTACT", value_parser = parse_id)]
    pub actor: Option<u64>,
}

#[derive(Debug, Args)]
pub(crate) struct ContactEditArgs {
    /// The contact to edit
    #[arg(value_parser = parse_id)]
    pub contact: u64,
    /// Name
    #[arg(long)]
    pub name: Option<String>,
    /// Title (`""` clears it)
    #[arg(long)]
    pub title: Option<String>,
    /// Phone (`""` clears it)
    #[arg(long)]
    pub phone: Option<String>,
    /// Email (`""` clears it)
    #[arg(long)]
    pub email: Option<String>,
    /// "Audit Account"
    #[arg(long, value_name = "BOOL")]
    pub audit_account: Option<bool>,
    /// RWhois role POC
    #[arg(long, value_name = "BOOL")]
    pub poc: Option<bool>,
    /// RWhois role Tech
    #[arg(long, value_name = "BOOL")]
    pub tech: Option<bool>,
    /// RWhois role Abuse
    #[arg(long, value_name = "BOOL")]
    pub abuse: Option<bool>,
    /// The contact making the change (required: every change names who makes it)
    #[arg(long = "as", value_name = "CONTACT", value_parser = parse_id)]
    pub actor: Option<u64>,
}

#[derive(Debug, Args)]
pub(crate) struct ContactTargetArgs {
    /// The contact
    #[arg(value_parser = parse_id)]
    pub contact: u64,
    /// The contact making the change (required: every change names who makes it)
    #[arg(long = "as", value_name = "CONTACT", value_parser = parse_id)]
    pub actor: Option<u64>,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// CSV (the only format; accepted for clarity)
    #[arg(long)]
    pub csv: bool,
    /// Include deactivated contacts (adds a Status column)
    #[arg(long)]
    pub all: bool,
    /// Write to this file instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CodeCommand {
    /// Set or change the account-wide security code ("Success: Account information updated.")
    SetAccount {
        /// The contact making the change (required: every change names who makes it)
        #[arg(long = "as", value_name = "CONTACT", value_parser = parse_id)]
        actor: Option<u64>,
    },
    /// Set or change a contact's individual security code ("Success: Contact updated.")
    SetContact(ContactTargetArgs),
    /// Remove the account-wide security code
    ClearAccount {
        /// The contact making the change (required: every change names who makes it)
        #[arg(long = "as", value_name = "CONTACT", value_parser = parse_id)]
        actor: Option<u64>,
    },
    /// Remove a contact's individual security code
    ClearContact(ContactTargetArgs),
    /// Try a candidate code against the policy without storing it
    Check {
        /// Check it as CONTACT's individual code (default: as the account-wide code)
        #[arg(long, value_name = "CONTACT", value_parser = parse_id)]
        contact: Option<u64>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum PermCommand {
    /// Change one cell of a contact's grid (only the primary contact may)
    Set(PermSetArgs),
    /// Show a contact's grid as the portal does: `()` shows an inherited value, `-` a cell
    /// that does not apply
    Show(PermShowArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PermSetArgs {
    /// The contact whose permissions change
    #[arg(value_parser = parse_id)]
    pub contact: u64,
    /// The resource, e.g. "Manage Contacts" (quoted when it has spaces)
    pub resource: String,
    /// view, create, update or delete
    pub action: String,
    /// inherit, allow or deny
    pub setting: String,
    /// The contact making the change (required: every change names who makes it)
    #[arg(long = "as", value_name = "CONTACT", value_parser = parse_id)]
    pub actor: Option<u64>,
}

#[derive(Debug, Args)]
pub(crate) struct PermShowArgs {
    /// The contact
    #[arg(value_parser = parse_id)]
    pub contact: u64,
    /// Also show, for every cell, which resource's setting decided it
    #[arg(long)]
    pub explain: bool,
    /// Show the raw settings (Inherit / Allow / Deny) instead of the effective values
    #[arg(long, conflicts_with = "explain")]
    pub raw: bool,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The account the caller names ("Client ID")
    #[arg(value_parser = parse_id)]
    pub account: u64,
    /// The contact the caller claims to be
    #[arg(value_parser = parse_id)]
    pub contact: u64,
    /// Also decide a request of this kind: routine, billable, significant_change, cancellation
    #[arg(long, value_name = "KIND")]
    pub request: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct UnlockArgs {
    /// The locked contact
    #[arg(value_parser = parse_id)]
    pub contact: u64,
    /// The contact unlocking it (required: every change names who makes it)
    #[arg(long = "as", value_name = "CONTACT", value_parser = parse_id)]
    pub actor: Option<u64>,
}

#[derive(Debug, Args)]
pub(crate) struct AuthorizeArgs {
    /// routine, billable, significant_change or cancellation
    pub kind: String,
    /// The verification `seccode verify` printed for this call
    #[arg(
        long,
        env = "SECCODE_VERIFICATION",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub verification: String,
}

#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    /// Only events about this contact or made by it
    #[arg(long, value_parser = parse_id)]
    pub contact: Option<u64>,
    /// Only events at or after this time: RFC 3339 (2026-11-23T21:27:31Z), a date
    /// (2026-11-23), unix seconds (@1795469251), or an age (30m, 12h, 7d)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only events before this time (same forms as --since)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only events of this kind, e.g. verification_failed, code_set, locked, request_decided
    #[arg(long)]
    pub kind: Option<String>,

    /// At most this many events (the most recent)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The CSV file (`-` for standard input). A header row names the columns: `account`,
    /// `contact` (empty: the account-wide code), and `code` (plaintext; also "Phone/Chat
    /// Code", "Security Code") or `hash` (a legacy Argon2id PHC string)
    pub file: PathBuf,
    /// Replace codes that are already set (by default such rows are refused)
    #[arg(long)]
    pub overwrite: bool,
    /// Check every row without hashing or storing anything
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Keep the demo's store in this file instead of a temporary directory
    #[arg(long, value_name = "PATH")]
    pub keep: Option<PathBuf>,
    /// Use cheap Argon2id parameters (for tests; the default uses the real ones)
    #[arg(long, hide = true)]
    pub fast: bool,
}

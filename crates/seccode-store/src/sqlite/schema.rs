//! The SQLite schema and its migrations.
//!
//! `PRAGMA application_id` marks a file as a seccode store; `PRAGMA user_version` is the schema
//! version. Migration `n` (0-based) takes a store from version `n` to `n + 1`; each runs inside
//! the same `BEGIN IMMEDIATE` transaction that sets the new version, so a store is never left
//! between two versions.

/// The newest schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 4;

/// `PRAGMA application_id` of a seccode store: `SECC` in ASCII.
pub const APPLICATION_ID: i64 = 0x5345_4343;

/// Version 0 (empty file) to 1.
const V1: &str = r"
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One row per account (the portal's 'Client ID').
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    normalization TEXT    NOT NULL CHECK (normalization IN ('spoken', 'exact')),
    catalog       TEXT,             -- JSON of a custom permission catalog; NULL: the portal's
    sealed_code   TEXT,             -- JSON of the account-wide code's sealed copy, if kept
    revision      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL, -- unix seconds
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE contacts (
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id            INTEGER NOT NULL,
    is_primary    INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
    name          TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    phone         TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    audit_account INTEGER NOT NULL CHECK (audit_account IN (0, 1)),
    rwhois_poc    INTEGER NOT NULL CHECK (rwhois_poc IN (0, 1)),
    rwhois_tech   INTEGER NOT NULL CHECK (rwhois_tech IN (0, 1)),
    rwhois_abuse  INTEGER NOT NULL CHECK (rwhois_abuse IN (0, 1)),
    active        INTEGER NOT NULL CHECK (active IN (0, 1)),
    sealed_code   TEXT,
    PRIMARY KEY (account_id, id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX contacts_one_primary ON contacts (account_id) WHERE is_primary = 1;

-- Argon2id PHC strings with what they were made under. Never a code.
CREATE TABLE code_hashes (
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    contact_id    INTEGER,          -- NULL: the account-wide code
    phc           TEXT    NOT NULL,
    normalization TEXT    NOT NULL CHECK (normalization IN ('spoken', 'exact')),
    binding       TEXT    NOT NULL CHECK (binding IN ('scoped', 'legacy')),
    FOREIGN KEY (account_id, contact_id) REFERENCES contacts (account_id, id) ON DELETE CASCADE
) STRICT;
CREATE UNIQUE INDEX code_hashes_account_wide ON code_hashes (account_id)
    WHERE contact_id IS NULL;
CREATE UNIQUE INDEX code_hashes_individual ON code_hashes (account_id, contact_id)
    WHERE contact_id IS NOT NULL;

-- Explicit cells only: a missing row is Inherit.
CREATE TABLE permission_settings (
    account_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    resource   TEXT    NOT NULL,
    action     TEXT    NOT NULL CHECK (action IN ('view', 'create', 'update', 'delete')),
    setting    TEXT    NOT NULL CHECK (setting IN ('inherit', 'allow', 'deny')),
    PRIMARY KEY (account_id, contact_id, resource, action),
    FOREIGN KEY (account_id, contact_id) REFERENCES contacts (account_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- Failed attempts and locks of existing contacts; no row: no failures.
CREATE TABLE contact_locks (
    account_id      INTEGER NOT NULL,
    contact_id      INTEGER NOT NULL,
    failed_attempts INTEGER NOT NULL CHECK (failed_attempts BETWEEN 0 AND 4294967295),
    locked_until    INTEGER,        -- unix seconds; NULL: not locked
    PRIMARY KEY (account_id, contact_id),
    FOREIGN KEY (account_id, contact_id) REFERENCES contacts (account_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- The same for contact ids that do not exist, so that lockout does not reveal which do.
CREATE TABLE unknown_contact_locks (
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    contact_id      INTEGER NOT NULL,
    failed_attempts INTEGER NOT NULL CHECK (failed_attempts BETWEEN 0 AND 4294967295),
    locked_until    INTEGER,
    PRIMARY KEY (account_id, contact_id)
) STRICT, WITHOUT ROWID;

-- Append-only. No foreign keys: the log outlives what it talks about.
CREATE TABLE audit_log (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    at                 INTEGER NOT NULL, -- unix seconds
    account_id         INTEGER NOT NULL,
    actor_id           INTEGER,          -- NULL: a caller, an import, the system
    subject_contact_id INTEGER,          -- NULL: the account itself
    kind               TEXT    NOT NULL,
    details            TEXT    NOT NULL  -- the core's event as JSON (never a code)
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (account_id, subject_contact_id, at);
CREATE INDEX audit_log_actor ON audit_log (account_id, actor_id, at);
";

/// Version 1 to 2: stamps that void verifications made before a change (SPEC 7), the time of
/// the last failure (a quiet count expires), the account-wide throttle (SPEC 8), and the
/// verifications the desk keeps under a token.
const V2: &str = r"
ALTER TABLE accounts ADD COLUMN code_stamp INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN throttled_until INTEGER;
ALTER TABLE contacts ADD COLUMN stamp INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contact_locks ADD COLUMN last_failure INTEGER;
ALTER TABLE unknown_contact_locks ADD COLUMN last_failure INTEGER;

-- A verification granted to a caller, kept under a token the agent holds. Only the token's
-- SHA-256 is stored; the call itself holds no secret.
CREATE TABLE verified_calls (
    token_sha256 TEXT    PRIMARY KEY,
    account_id   INTEGER NOT NULL,
    contact_id   INTEGER NOT NULL,
    call         TEXT    NOT NULL, -- the core's VerifiedCall as JSON
    expires_at   INTEGER NOT NULL  -- unix seconds
) STRICT, WITHOUT ROWID;
CREATE INDEX verified_calls_expiry ON verified_calls (expires_at);
";

/// Version 2 to 3: the contacts' portal passwords (SPEC 10).
const V3: &str = r"
-- The portal password's Argon2id PHC string, in its own slot (never a password).
ALTER TABLE contacts ADD COLUMN password TEXT;
";

/// Version 3 to 4: the support agent through whom an event happened (NULL: none named, and
/// every event written before).
const V4: &str = r"
ALTER TABLE audit_log ADD COLUMN agent TEXT;
CREATE INDEX audit_log_agent ON audit_log (agent, at) WHERE agent IS NOT NULL;
";

/// The migrations, in order: `MIGRATIONS[n]` takes version `n` to `n + 1`.
pub(crate) const MIGRATIONS: [&str; 4] = [V1, V2, V3, V4];

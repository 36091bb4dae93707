//! The PostgreSQL schema and its migrations: the same tables as the SQLite store, in
//! PostgreSQL's types. `seccode_meta` marks a database as a seccode store and holds the schema
//! version; each migration runs in one transaction under an advisory lock, so two processes
//! opening a new database at once never migrate it twice, and a database is never left
//! between two versions.

/// The newest schema version this build writes and reads.
pub const PG_SCHEMA_VERSION: i64 = 3;

/// What `seccode_meta.application` holds in a seccode store.
pub(crate) const APPLICATION: &str = "seccode";

/// The advisory lock taken while migrating (`SECC` in ASCII).
pub(crate) const MIGRATION_LOCK: i64 = 0x5345_4343;

/// Version 0 (no seccode tables) to 1.
const V1: &str = r"
CREATE TABLE seccode_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE accounts (
    id              BIGINT  PRIMARY KEY CHECK (id >= 0),
    name            TEXT    NOT NULL,
    normalization   TEXT    NOT NULL CHECK (normalization IN ('spoken', 'exact')),
    catalog         TEXT,
    sealed_code     TEXT,
    code_stamp      BIGINT  NOT NULL DEFAULT 0,
    throttled_until BIGINT,
    revision        BIGINT  NOT NULL DEFAULT 0,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);

CREATE TABLE contacts (
    account_id    BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id            BIGINT  NOT NULL CHECK (id >= 0),
    is_primary    BOOLEAN NOT NULL,
    name          TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    phone         TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    audit_account BOOLEAN NOT NULL,
    rwhois_poc    BOOLEAN NOT NULL,
    rwhois_tech   BOOLEAN NOT NULL,
    rwhois_abuse  BOOLEAN NOT NULL,
    active        BOOLEAN NOT NULL,
    sealed_code   TEXT,
    stamp         BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, id)
);
CREATE UNIQUE INDEX contacts_one_primary ON contacts (account_id) WHERE is_primary;

-- Argon2id PHC strings with what they were made under. Never a code.
CREATE TABLE code_hashes (
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    contact_id    BIGINT,
    phc           TEXT   NOT NULL,
    normalization TEXT   NOT NULL CHECK (normalization IN ('spoken', 'exact')),
    binding       TEXT   NOT NULL CHECK (binding IN ('scoped', 'legacy')),
    FOREIGN KEY (account_id, contact_id) REFERENCES contacts (account_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX code_hashes_account_wide ON code_hashes (account_id)
    WHERE contact_id IS NULL;
CREATE UNIQUE INDEX code_hashes_individual ON code_hashes (account_id, contact_id)
    WHERE contact_id IS NOT NULL;

CREATE TABLE permission_settings (
    account_id BIGINT NOT NULL,
    contact_id BIGINT NOT NULL,
    resource   TEXT   NOT NULL,
    action     TEXT   NOT NULL CHECK (action IN ('view', 'create', 'update', 'delete')),
    setting    TEXT   NOT NULL CHECK (setting IN ('inherit', 'allow', 'deny')),
    PRIMARY KEY (account_id, contact_id, resource, action),
    FOREIGN KEY (account_id, contact_id) REFERENCES contacts (account_id, id) ON DELETE CASCADE
);

CREATE TABLE contact_locks (
    account_id      BIGINT NOT NULL,
    contact_id      BIGINT NOT NULL,
    failed_attempts BIGINT NOT NULL CHECK (failed_attempts BETWEEN 0 AND 4294967295),
    last_failure    BIGINT,
    locked_until    BIGINT,
    PRIMARY KEY (account_id, contact_id),
    FOREIGN KEY (account_id, contact_id) REFERENCES contacts (account_id, id) ON DELETE CASCADE
);

CREATE TABLE unknown_contact_locks (
    account_id      BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    contact_id      BIGINT NOT NULL,
    failed_attempts BIGINT NOT NULL CHECK (failed_attempts BETWEEN 0 AND 4294967295),
    last_failure    BIGINT,
    locked_until    BIGINT,
    PRIMARY KEY (account_id, contact_id)
);

-- Append-only. No foreign keys: the log outlives what it talks about.
CREATE TABLE audit_log (
    seq                BIGSERIAL PRIMARY KEY,
    at                 BIGINT NOT NULL,
    account_id         BIGINT NOT NULL,
    actor_id           BIGINT,
    subject_contact_id BIGINT,
    kind               TEXT   NOT NULL,
    details            TEXT   NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (account_id, subject_contact_id, at);
CREATE INDEX audit_log_actor ON audit_log (account_id, actor_id, at);

CREATE TABLE verified_calls (
    token_sha256 TEXT   PRIMARY KEY,
    account_id   BIGINT NOT NULL,
    contact_id   BIGINT NOT NULL,
    call         TEXT   NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX verified_calls_expiry ON verified_calls (expires_at);
";

/// Version 1 to 2: the contacts' portal passwords (SPEC 10).
const V2: &str = r"
-- The portal password's Argon2id PHC string, in its own slot (never a password).
ALTER TABLE contacts ADD COLUMN password TEXT;
";

/// Version 2 to 3: the support agent through whom an event happened (NULL: none named, and
/// every event written before).
const V3: &str = r"
ALTER TABLE audit_log ADD COLUMN agent TEXT;
CREATE INDEX audit_log_agent ON audit_log (agent, at) WHERE agent IS NOT NULL;
";

/// The migrations, in order: `MIGRATIONS[n]` takes version `n` to `n + 1`.
pub(crate) const MIGRATIONS: [&str; 3] = [V1, V2, V3];

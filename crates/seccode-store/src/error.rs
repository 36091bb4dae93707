//! [`StoreError`]: everything a store can answer instead of data.

use std::path::Path;

use seccode::AccountId;

/// The result type of the store crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What went wrong in a store. Messages are lowercase, without a final period, with user input
/// in backticks; none carries a security code (stores hold hashes only).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file is a database, but not a seccode store (another application's SQLite file).
    #[error("`{path}` is not a seccode store: {detail}")]
    Foreign {
        /// The database file.
        path: String,
        /// What was found instead.
        detail: String,
    },
    /// The file is damaged: truncated, overwritten, not a database at all.
    #[error("`{path}` is damaged or not a database: {detail}")]
    Corrupt {
        /// The database file.
        path: String,
        /// SQLite's diagnosis.
        detail: String,
    },
    /// The store was written by a newer seccode whose schema this one does not know.
    #[error(
        "`{path}` has schema version {found}, newer than the {supported} this seccode reads: upgrade seccode"
    )]
    TooNew {
        /// The database file.
        path: String,
        /// The schema version in the file.
        found: i64,
        /// The newest schema version this build reads.
        supported: i64,
    },
    /// The file could not be opened or created.
    #[error("cannot open `{path}`: {detail}")]
    Open {
        /// The database file.
        path: String,
        /// Why.
        detail: String,
    },
    /// No account with this id in the store.
    #[error("unknown account `{0}`")]
    UnknownAccount(AccountId),
    /// An account with this id already exists.
    #[error("account `{0}` already exists")]
    DuplicateAccount(AccountId),
    /// An id the store cannot keep (SQLite integers are signed 64-bit).
    #[error("{what} `{id}` is too large for the store (at most 9223372036854775807)")]
    IdOutOfRange {
        /// `account id` or `contact id`.
        what: &'static str,
        /// The id.
        id: u64,
    },
    /// Another process held the store longer than the busy timeout.
    #[error("the store is busy (another process held it too long): {0}")]
    Busy(String),
    /// A stored account does not pass the core's checks (or a record to save is invalid).
    #[error("stored account `{account}` does not load: {source}")]
    Data {
        /// The account.
        account: AccountId,
        /// The core's diagnosis.
        #[source]
        source: seccode::Error,
    },
    /// Rows that contradict each other or values outside their domain.
    #[error("inconsistent stored data: {0}")]
    Inconsistent(String),
    /// Any other database failure.
    #[error("database error: {0}")]
    Database(String),
    /// The database cannot be reached or went away in the middle of a command. Nothing of
    /// the command's change was committed unless it said so; a read, or a change whose
    /// transaction never committed, was retried before this answer.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A verification token that is not one (wrong length or characters); never echoed.
    #[error("invalid verification token: expected the `scv_…` token `seccode verify` printed")]
    InvalidToken,
    /// No verification is kept under this token (never made, or expired and dropped).
    #[error("no verification is kept under this token: verify again")]
    UnknownToken,
    /// The random number generator failed; nothing was written.
    #[error("internal error: {0}")]
    Internal(String),
    /// The core refused the operation run inside [`update_account`](crate::update_account)
    /// (permission denied, policy rejected, unknown contact...); nothing was written.
    #[error(transparent)]
    Core(#[from] seccode::Error),
}

impl StoreError {
    /// Whether the error is about the caller's input (an unknown or duplicate id, an id out of
    /// range, an operation the core refused for a reason other than bad stored data or an
    /// internal failure) rather than about the store itself.
    pub fn is_bad_input(&self) -> bool {
        use seccode::ErrorKind;
        match self {
            StoreError::UnknownAccount(_)
            | StoreError::DuplicateAccount(_)
            | StoreError::IdOutOfRange { .. }
            | StoreError::InvalidToken
            | StoreError::UnknownToken => true,
            StoreError::Core(e) => {
                !matches!(e.kind(), ErrorKind::MalformedData | ErrorKind::Internal)
            }
            _ => false,
        }
    }

    /// Classify a SQLite error met while working on the file at `path`.
    pub(crate) fn sqlite(path: &Path, e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode;
        let shown = path.display().to_string();
        match &e {
            rusqlite::Error::SqliteFailure(failure, message) => {
                let detail = message.clone().unwrap_or_else(|| failure.to_string());
                match failure.code {
                    ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => StoreError::Corrupt {
                        path: shown,
                        detail,
                    },
                    ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Busy(detail),
                    ErrorCode::CannotOpen
                    | ErrorCode::PermissionDenied
                    | ErrorCode::ReadOnly
                    | ErrorCode::NotFound => StoreError::Open {
                        path: shown,
                        detail,
                    },
                    _ => StoreError::Database(detail),
                }
            }
            _ => StoreError::Database(e.to_string()),
        }
    }
}

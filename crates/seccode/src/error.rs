//! The errors every entry point returns.
//!
//! One enum, [`Error`], whose messages are lowercase, end without a period and put user input
//! in backticks. No variant ever carries a security code. [`Error::kind`] sorts each variant
//! into a small, stable family that the C and Python layers map to their own error types.

use crate::contact::ContactId;
use crate::permission::Action;

/// The result type of the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in seccode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The actor lacks the permission the operation requires.
    #[error("permission denied: requires {0}")]
    PermissionDenied(Requirement),
    /// A new security code broke one or more rules of the code policy.
    #[error("security code rejected: {}", display_reasons(.0))]
    PolicyRejected(Vec<crate::code::policy::Reason>),
    /// No contact with this id exists in the account.
    #[error("unknown contact `{0}`")]
    UnknownContact(ContactId),
    /// No resource with this name exists in the catalog.
    #[error("unknown resource `{0}`")]
    UnknownResource(String),
    /// The action does not apply to the resource ("-" in the grid).
    #[error("`{action}` is not applicable to `{resource}`")]
    NotApplicable {
        /// The resource's name.
        resource: String,
        /// The action that does not apply to it.
        action: Action,
    },
    /// The operation would deactivate, remove or restrict the primary contact.
    #[error("the primary contact cannot be {0}")]
    PrimaryContact(&'static str),
    /// The contact is deactivated and cannot act or be given a code.
    #[error("contact `{0}` is deactivated")]
    Deactivated(ContactId),
    /// A contact with this id already exists.
    #[error("duplicate contact id `{0}`")]
    DuplicateContact(ContactId),
    /// An import would replace a code that is already set, and replacing was not asked for.
    #[error("{0} is already set")]
    AlreadySet(String),
    /// An argument is empty, too long, not UTF-8 or otherwise unusable.
    #[error("invalid {field}: {problem}")]
    InvalidInput {
        /// Which argument (never its value when it is a code).
        field: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// An argument is longer than its limit (a code over 1024 bytes, a name over its length).
    #[error("invalid {field}: longer than {max} {unit}")]
    InputTooLong {
        /// Which argument.
        field: &'static str,
        /// The limit.
        max: usize,
        /// `bytes` or `characters`.
        unit: &'static str,
    },
    /// An argument given as bytes is not UTF-8.
    #[error("invalid {field}: not valid UTF-8")]
    NotUtf8 {
        /// Which argument.
        field: &'static str,
    },
    /// A stored hash is not a well-formed Argon2id PHC string (or legacy bcrypt hash) of a kind
    /// seccode accepts.
    #[error("malformed stored hash: {0}")]
    MalformedHash(String),
    /// A stored hash asks for more work than the configured ceilings allow; refused unhashed.
    #[error("stored hash parameters exceed the configured ceiling: {0}")]
    HashCeilingExceeded(String),
    /// A permission catalog is not a valid tree.
    #[error("invalid catalog: {0}")]
    InvalidCatalog(String),
    /// Stored data declares a format version this library does not read.
    #[error("unsupported data format `{0}`")]
    UnsupportedFormat(u64),
    /// Stored data is well-formed but contradicts itself (two primary contacts, duplicate ids).
    #[error("inconsistent data: {0}")]
    InconsistentData(String),
    /// Stored data could not be parsed at all.
    #[error("malformed data: {0}")]
    MalformedData(String),
    /// A pepper or sealing key id names no configured key.
    #[error("unknown key id `{0}`")]
    UnknownKey(String),
    /// A sealed copy is missing, or failed to decrypt or authenticate.
    #[error("sealed code unavailable: {0}")]
    Sealed(String),
    /// Argon2 or the random number generator failed; nothing was changed.
    #[error("internal error: {0}")]
    Internal(String),
}

fn display_reasons(reasons: &[crate::code::policy::Reason]) -> String {
    let messages: Vec<&str> = reasons.iter().map(|r| r.message()).collect();
    messages.join("; ")
}

/// The family of an [`Error`]: what a caller in another language needs to branch on.
///
/// The numbers are stable; the C ABI and the Python exceptions are derived from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad argument: empty, too long, not UTF-8, unusable value.
    InvalidArgument = 1,
    /// An id or name that does not exist.
    NotFound = 2,
    /// The actor is not entitled to the operation.
    PermissionDenied = 3,
    /// The code policy rejected a new code.
    PolicyRejected = 4,
    /// Stored data, a stored hash or a catalog is malformed, inconsistent or of an unknown version.
    MalformedData = 5,
    /// The operation contradicts the model (primary contact, not applicable cell, deactivated).
    Conflict = 6,
    /// Internal failure (random number generator, memory); nothing was changed.
    Internal = 7,
}

impl Error {
    /// The family this error belongs to.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput { .. } | Error::InputTooLong { .. } | Error::NotUtf8 { .. } => {
                ErrorKind::InvalidArgument
            }
            Error::UnknownContact(_) | Error::UnknownResource(_) | Error::UnknownKey(_) => {
                ErrorKind::NotFound
            }
            Error::PermissionDenied(_) => ErrorKind::PermissionDenied,
            Error::PolicyRejected(_) => ErrorKind::PolicyRejected,
            Error::MalformedHash(_)
            | Error::HashCeilingExceeded(_)
            | Error::InvalidCatalog(_)
            | Error::UnsupportedFormat(_)
            | Error::InconsistentData(_)
            | Error::MalformedData(_) => ErrorKind::MalformedData,
            Error::NotApplicable { .. }
            | Error::PrimaryContact(_)
            | Error::Deactivated(_)
            | Error::DuplicateContact(_)
            | Error::AlreadySet(_)
            | Error::Sealed(_) => ErrorKind::Conflict,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// A stable snake_case name for the variant (`unknown_contact`, `policy_rejected`, …), for
    /// other languages and logs.
    pub fn as_str(&self) -> &'static str {
        match self {
            Error::PermissionDenied(_) => "permission_denied",
            Error::PolicyRejected(_) => "policy_rejected",
            Error::UnknownContact(_) => "unknown_contact",
            Error::UnknownResource(_) => "unknown_resource",
            Error::NotApplicable { .. } => "not_applicable",
            Error::PrimaryContact(_) => "primary_contact",
            Error::Deactivated(_) => "deactivated",
            Error::DuplicateContact(_) => "duplicate_contact",
            Error::AlreadySet(_) => "already_set",
            Error::InvalidInput { .. } => "invalid_input",
            Error::InputTooLong { .. } => "input_too_long",
            Error::NotUtf8 { .. } => "not_utf8",
            Error::MalformedHash(_) => "malformed_hash",
            Error::HashCeilingExceeded(_) => "hash_ceiling_exceeded",
            Error::InvalidCatalog(_) => "invalid_catalog",
            Error::UnsupportedFormat(_) => "unsupported_format",
            Error::InconsistentData(_) => "inconsistent_data",
            Error::MalformedData(_) => "malformed_data",
            Error::UnknownKey(_) => "unknown_key",
            Error::Sealed(_) => "sealed",
            Error::Internal(_) => "internal",
        }
    }

    pub(crate) fn invalid(field: &'static str, problem: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            problem: problem.into(),
        }
    }
}

impl ErrorKind {
    /// Every kind, in number order.
    pub const ALL: [ErrorKind; 7] = [
        ErrorKind::InvalidArgument,
        ErrorKind::NotFound,
        ErrorKind::PermissionDenied,
        ErrorKind::PolicyRejected,
        ErrorKind::MalformedData,
        ErrorKind::Conflict,
        ErrorKind::Internal,
    ];

    /// The stable number.
    pub fn number(self) -> u32 {
        self as u32
    }

    /// A snake_case name: `invalid_argument`, `not_found`, …
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::NotFound => "not_found",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::PolicyRejected => "policy_rejected",
            ErrorKind::MalformedData => "malformed_data",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Internal => "internal",
        }
    }
}

/// A serde_json error as a message that never quotes a value from the input (which might hold
/// a code): serde's own "invalid type/value/length" and "unknown variant" messages lose the
/// quoted value but keep what was expected; field names and our own validation messages stay.
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let position = format!("at line {} column {}", e.line(), e.column());
    match e.classify() {
        // serde_json's syntax messages are fixed texts ("expected `,` or `}`", "recursion limit
        // exceeded") with a position; they never quote the input.
        Category::Syntax | Category::Eof => e.to_string(),
        Category::Io => format!("read error {position}"),
        Category::Data => {
            let text = e.to_string();
            const QUOTING: [&str; 4] = [
                "invalid type",
                "invalid value",
                "invalid length",
                "unknown variant",
            ];
            match QUOTING.iter().find(|p| text.starts_with(*p)) {
                Some(prefix) => match text.find(", expected ").and_then(|i| text.get(i..)) {
                    Some(expected) => format!("{prefix}{expected}"),
                    None => format!("{prefix} {position}"),
                },
                None => text,
            }
        }
    }
}

/// The permission an operation requires, named in [`Error::PermissionDenied`] and in a
/// denied request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// Only the primary contact may do this.
    PrimaryContact,
    /// The primary contact, or a contact whose effective value for the cell is Allow.
    Cell {
        /// The resource's name.
        resource: String,
        /// The action on it.
        action: Action,
    },
}

impl std::fmt::Display for Requirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Requirement::Cell { resource, action } => {
                write!(f, "the primary contact or `{resource} / {action}` allow")
            }
            Requirement::PrimaryContact => f.write_str("the primary contact"),
        }
    }
}

//! Exit statuses and the command line's error type.

use seccode::ErrorKind;
use seccode_store::StoreError;
use serde_json::{Value, json};

/// The exit status of `seccode` (also shown by `seccode --help`).
///
/// | status | meaning |
/// | --- | --- |
/// | 0 | success; `verify`: verified; `authorize`: allowed |
/// | 1 | `verify`: not verified; `authorize`: not allowed on the code alone |
/// | 2 | `verify`, `authorize`: the contact is locked |
/// | 3 | bad input: usage, unknown ids, policy rejection, permission denied, malformed CSV |
/// | 4 | internal or store error: damaged or foreign database, store busy, I/O |
///
/// clap's own usage errors (normally status 2) are reported with status 3, so that 2 always
/// means *locked*.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: success; verified; allowed.
    Success,
    /// 1: not verified; not allowed on the code alone (needs approval, or denied).
    No,
    /// 2: locked: no code was checked.
    Locked,
    /// 3: bad input.
    BadInput,
    /// 4: internal or store error.
    Internal,
}

impl Exit {
    /// The number the process exits with.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::No => 1,
            Exit::Locked => 2,
            Exit::BadInput => 3,
            Exit::Internal => 4,
        }
    }
}

/// A failed command: what to print and how to exit.
#[derive(Debug)]
pub(crate) struct CliError {
    pub exit: Exit,
    /// A stable snake_case name for scripts.
    pub kind: &'static str,
    /// One lowercase line, no code in it.
    pub message: String,
    /// Further lines (a policy's reasons).
    pub details: Vec<String>,
    /// Extra JSON fields for `--json`.
    pub extra: Value,
}

impl CliError {
    pub(crate) fn new(exit: Exit, kind: &'static str, message: impl Into<String>) -> Self {
        CliError {
            exit,
            kind,
            message: message.into(),
            details: Vec::new(),
            extra: Value::Null,
        }
    }

    pub(crate) fn bad_input(kind: &'static str, message: impl Into<String>) -> Self {
        CliError::new(Exit::BadInput, kind, message)
    }

    pub(crate) fn internal(kind: &'static str, message: impl Into<String>) -> Self {
        CliError::new(Exit::Internal, kind, message)
    }

    pub(crate) fn io(what: &str, e: &std::io::Error) -> Self {
        CliError::internal("io", format!("{what}: {e}"))
    }

    /// The error as the `--json` document.
    pub(crate) fn to_json(&self) -> Value {
        let mut error = json!({
            "kind": self.kind,
            "message": self.message,
        });
        if !self.details.is_empty() {
            crate::output::put(&mut error, "details", json!(self.details));
        }
        if let (Value::Object(extra), Value::Object(target)) = (&self.extra, &mut error) {
            for (k, v) in extra {
                target.insert(k.clone(), v.clone());
            }
        }
        json!({ "ok": false, "exit": self.exit.code(), "error": error })
    }
}

impl From<seccode::Error> for CliError {
    fn from(e: seccode::Error) -> Self {
        if let seccode::Error::PolicyRejected(reasons) = &e {
            let mut err = CliError::bad_input("policy_rejected", "security code not accepted");
            err.details = reasons.iter().map(|r| r.message().to_owned()).collect();
            err.extra = json!({
                "reasons": reasons
                    .iter()
                    .map(|r| json!({ "code": r.code(), "message": r.message() }))
                    .collect::<Vec<_>>()
            });
            return err;
        }
        let (exit, kind) = match e.kind() {
            ErrorKind::InvalidArgument => (Exit::BadInput, "invalid_argument"),
            ErrorKind::NotFound => (Exit::BadInput, "not_found"),
            ErrorKind::PermissionDenied => (Exit::BadInput, "permission_denied"),
            ErrorKind::PolicyRejected => (Exit::BadInput, "policy_rejected"),
            ErrorKind::Conflict => (Exit::BadInput, "conflict"),
            ErrorKind::MalformedData => (Exit::Internal, "malformed_data"),
            _ => (Exit::Internal, "internal"),
        };
        CliError::new(exit, kind, e.to_string())
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        let kind = match &e {
            StoreError::Core(core) => return CliError::from(core.clone()),
            StoreError::UnknownAccount(_) => "unknown_account",
            StoreError::DuplicateAccount(_) => "duplicate_account",
            StoreError::IdOutOfRange { .. } => "id_out_of_range",
            StoreError::Foreign { .. } => "store_foreign",
            StoreError::Corrupt { .. } => "store_corrupt",
            StoreError::TooNew { .. } => "store_too_new",
            StoreError::Open { .. } => "store_open",
            StoreError::Busy(_) => "store_busy",
            StoreError::Unavailable(_) => "store_unavailable",
            StoreError::InvalidToken => "invalid_token",
            StoreError::UnknownToken => "unknown_token",
            StoreError::Data { .. } | StoreError::Inconsistent(_) => "store_data",
            _ => "store",
        };
        let exit = if e.is_bad_input() {
            Exit::BadInput
        } else {
            Exit::Internal
        };
        CliError::new(exit, kind, e.to_string())
    }
}

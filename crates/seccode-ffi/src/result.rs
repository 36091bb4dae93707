//! `seccode_result`: the one result enum of the C ABI, the one mapping from the core's
//! [`Error`] to it, and the per-thread detail of the last failure.

use std::cell::RefCell;

use seccode::Error;

/// What every fallible function returns. The numbers are stable: a value never changes its
/// meaning, and new values are only ever added.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum seccode_result {
    /// Success; the outputs were written.
    Ok = 0,
    /// A pointer argument that must not be NULL was NULL (or a `(NULL, len > 0)` input).
    NullArgument = 1,
    /// An input that must be UTF-8 was not.
    InvalidUtf8 = 2,
    /// An input is longer than allowed (a security code over 1024 bytes, a name over its limit).
    InputTooLong = 3,
    /// An argument is unusable: empty, out of range, an unknown enum value, bad parameters.
    InvalidArgument = 4,
    /// An id or name that does not exist: unknown contact, resource or key id.
    NotFound = 5,
    /// The acting contact is not entitled to the operation.
    PermissionDenied = 6,
    /// The code policy rejected a new security code; see `seccode_last_error_reasons`.
    PolicyRejected = 7,
    /// Data, a stored hash or a catalog is malformed, inconsistent or over the ceilings.
    MalformedData = 8,
    /// Stored data declares a format version this library does not read.
    UnsupportedFormat = 9,
    /// The action does not apply to the resource ("-" in the grid).
    NotApplicable = 10,
    /// The operation contradicts the model: the primary contact, a deactivated contact, a
    /// duplicate id, an engine without a manual clock.
    Conflict = 11,
    /// A caller-provided buffer is too small; the needed length was reported.
    BufferTooSmall = 12,
    /// An internal failure (random number generator, serialization); nothing was changed.
    Internal = 13,
    /// A bug inside the library was caught at the boundary; nothing unwound into C. The
    /// handles passed to the call should be freed and not used again.
    Panic = 14,
    /// An import would replace a code that is already set, and `overwrite` was false.
    AlreadySet = 15,
    /// No sealed copy can be opened: the engine has no sealing key, the code was set without
    /// one, or the copy does not decrypt under the configured keys.
    SealedUnavailable = 16,
}

/// Every value, in number order.
pub(crate) const ALL_RESULTS: [seccode_result; 17] = [
    seccode_result::Ok,
    seccode_result::NullArgument,
    seccode_result::InvalidUtf8,
    seccode_result::InputTooLong,
    seccode_result::InvalidArgument,
    seccode_result::NotFound,
    seccode_result::PermissionDenied,
    seccode_result::PolicyRejected,
    seccode_result::MalformedData,
    seccode_result::UnsupportedFormat,
    seccode_result::NotApplicable,
    seccode_result::Conflict,
    seccode_result::BufferTooSmall,
    seccode_result::Internal,
    seccode_result::Panic,
    seccode_result::AlreadySet,
    seccode_result::SealedUnavailable,
];

impl seccode_result {
    /// The value with this number, if any.
    pub fn from_number(number: u32) -> Option<seccode_result> {
        ALL_RESULTS.into_iter().find(|r| *r as u32 == number)
    }

    /// The snake_case name of the value (`ok`, `null_argument`, ...).
    pub fn name(self) -> &'static str {
        match self {
            seccode_result::Ok => "ok",
            seccode_result::NullArgument => "null_argument",
            seccode_result::InvalidUtf8 => "invalid_utf8",
            seccode_result::InputTooLong => "input_too_long",
            seccode_result::InvalidArgument => "invalid_argument",
            seccode_result::NotFound => "not_found",
            seccode_result::PermissionDenied => "permission_denied",
            seccode_result::PolicyRejected => "policy_rejected",
            seccode_result::MalformedData => "malformed_data",
            seccode_result::UnsupportedFormat => "unsupported_format",
            seccode_result::NotApplicable => "not_applicable",
            seccode_result::Conflict => "conflict",
            seccode_result::BufferTooSmall => "buffer_too_small",
            seccode_result::Internal => "internal",
            seccode_result::Panic => "panic",
            seccode_result::AlreadySet => "already_set",
            seccode_result::SealedUnavailable => "sealed_unavailable",
        }
    }

    /// A lowercase sentence describing the value.
    pub fn message(self) -> &'static str {
        match self {
            seccode_result::Ok => "success",
            seccode_result::NullArgument => "a required pointer argument was null",
            seccode_result::InvalidUtf8 => "an input is not valid UTF-8",
            seccode_result::InputTooLong => "an input is too long",
            seccode_result::InvalidArgument => "an argument is invalid",
            seccode_result::NotFound => "no such contact, resource or key",
            seccode_result::PermissionDenied => "permission denied",
            seccode_result::PolicyRejected => "the security code was rejected by the code policy",
            seccode_result::MalformedData => "malformed or inconsistent data",
            seccode_result::UnsupportedFormat => "unsupported data format version",
            seccode_result::NotApplicable => "the action is not applicable to the resource",
            seccode_result::Conflict => "the operation conflicts with the account's state",
            seccode_result::BufferTooSmall => "the buffer is too small",
            seccode_result::Internal => "internal error",
            seccode_result::Panic => "internal error: a panic was caught at the C boundary",
            seccode_result::AlreadySet => {
                "the code is already set and overwriting was not asked for"
            }
            seccode_result::SealedUnavailable => "no sealed copy of the code can be opened",
        }
    }
}

/// The one mapping from the core's errors to result codes.
pub(crate) fn result_for(error: &Error) -> seccode_result {
    match error {
        Error::InputTooLong { .. } => seccode_result::InputTooLong,
        Error::NotUtf8 { .. } => seccode_result::InvalidUtf8,
        Error::InvalidInput { .. } => seccode_result::InvalidArgument,
        Error::UnknownContact(_) | Error::UnknownResource(_) | Error::UnknownKey(_) => {
            seccode_result::NotFound
        }
        Error::PermissionDenied(_) => seccode_result::PermissionDenied,
        Error::PolicyRejected(_) => seccode_result::PolicyRejected,
        Error::UnsupportedFormat(_) => seccode_result::UnsupportedFormat,
        Error::MalformedHash(_)
        | Error::HashCeilingExceeded(_)
        | Error::InvalidCatalog(_)
        | Error::InconsistentData(_)
        | Error::MalformedData(_) => seccode_result::MalformedData,
        Error::NotApplicable { .. } => seccode_result::NotApplicable,
        Error::PrimaryContact(_) | Error::Deactivated(_) | Error::DuplicateContact(_) => {
            seccode_result::Conflict
        }
        Error::AlreadySet(_) => seccode_result::AlreadySet,
        Error::Sealed(_) => seccode_result::SealedUnavailable,
        Error::Internal(_) => seccode_result::Internal,
        // `Error` is non-exhaustive: a variant added later is reported by its family.
        other => match other.kind() {
            seccode::ErrorKind::InvalidArgument => seccode_result::InvalidArgument,
            seccode::ErrorKind::NotFound => seccode_result::NotFound,
            seccode::ErrorKind::PermissionDenied => seccode_result::PermissionDenied,
            seccode::ErrorKind::PolicyRejected => seccode_result::PolicyRejected,
            seccode::ErrorKind::MalformedData => seccode_result::MalformedData,
            seccode::ErrorKind::Conflict => seccode_result::Conflict,
            _ => seccode_result::Internal,
        },
    }
}

/// Why a call failed, before it becomes a [`seccode_result`] and the thread's last error.
#[derive(Debug)]
pub(crate) enum Failure {
    /// An error of the core.
    Core(Error),
    /// A failure found at the boundary (NULL, UTF-8, buffer size...), with its detail.
    Boundary(seccode_result, &'static str),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Core(error)
    }
}

impl Failure {
    pub(crate) fn null() -> Failure {
        Failure::Boundary(
            seccode_result::NullArgument,
            "a required pointer argument was null",
        )
    }

    pub(crate) fn invalid(detail: &'static str) -> Failure {
        Failure::Boundary(seccode_result::InvalidArgument, detail)
    }

    pub(crate) fn code(&self) -> seccode_result {
        match self {
            Failure::Core(e) => result_for(e),
            Failure::Boundary(code, _) => *code,
        }
    }
}

/// The detail of the last failed call on one thread.
#[derive(Default)]
struct LastError {
    name: &'static str,
    message: String,
    reasons: Vec<u32>,
}

thread_local! {
    static LAST_ERROR: RefCell<LastError> = RefCell::new(LastError::default());
}

/// Record `failure` as this thread's last error. Never panics (a thread being torn down, or a
/// re-entrant call, simply records nothing).
pub(crate) fn record(failure: &Failure) {
    let (name, message, reasons) = match failure {
        Failure::Core(e) => {
            let reasons = match e {
                Error::PolicyRejected(reasons) => reasons.iter().map(|r| r.number()).collect(),
                _ => Vec::new(),
            };
            (e.as_str(), e.to_string(), reasons)
        }
        Failure::Boundary(code, detail) => (code.name(), (*detail).to_owned(), Vec::new()),
    };
    set_last(name, message, reasons);
}

/// Record that a panic was caught.
pub(crate) fn record_panic() {
    set_last(
        seccode_result::Panic.name(),
        seccode_result::Panic.message().to_owned(),
        Vec::new(),
    );
}

fn set_last(name: &'static str, message: String, reasons: Vec<u32>) {
    let _ = LAST_ERROR.try_with(|cell| {
        if let Ok(mut last) = cell.try_borrow_mut() {
            last.name = name;
            last.message = message;
            last.reasons = reasons;
        }
    });
}

/// This thread's last error name: the core's `Error::as_str()` (`unknown_contact`,
/// `already_set`, ...) or, for a failure found at the boundary, the result's name
/// (`null_argument`, `buffer_too_small`, ...); empty when no call has failed.
pub(crate) fn last_name() -> &'static str {
    LAST_ERROR
        .try_with(|cell| cell.try_borrow().map(|last| last.name).unwrap_or(""))
        .unwrap_or("")
}

/// Run `f` on this thread's last error message and reasons.
pub(crate) fn with_last<T>(f: impl FnOnce(&str, &[u32]) -> T) -> Option<T> {
    LAST_ERROR
        .try_with(|cell| {
            cell.try_borrow()
                .ok()
                .map(|last| f(&last.message, &last.reasons))
        })
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use seccode::SecurityCode;

    #[test]
    fn numbers_are_stable_and_dense() {
        for (i, r) in ALL_RESULTS.iter().enumerate() {
            assert_eq!(*r as u32 as usize, i);
            assert_eq!(seccode_result::from_number(i as u32), Some(*r));
            assert!(!r.message().is_empty());
            assert!(!r.message().ends_with('.'));
        }
        assert_eq!(seccode_result::from_number(17), None);
        assert_eq!(seccode_result::Ok as u32, 0);
        assert_eq!(seccode_result::Panic as u32, 14);
        assert_eq!(seccode_result::AlreadySet as u32, 15);
        assert_eq!(seccode_result::SealedUnavailable as u32, 16);
    }

    #[test]
    fn names_are_the_c_names() {
        for r in ALL_RESULTS {
            let debug = format!("{r:?}");
            let snake: String = debug
                .chars()
                .enumerate()
                .flat_map(|(i, ch)| {
                    let lower = ch.to_ascii_lowercase();
                    if ch.is_ascii_uppercase() && i > 0 {
                        vec!['_', lower]
                    } else {
                        vec![lower]
                    }
                })
                .collect();
            assert_eq!(r.name(), snake);
        }
    }

    #[test]
    fn the_last_error_names_the_core_error() {
        record(&Failure::Core(Error::AlreadySet(
            "the account-wide code".into(),
        )));
        assert_eq!(last_name(), "already_set");
        assert_eq!(
            result_for(&Error::AlreadySet(String::new())),
            seccode_result::AlreadySet
        );
        record(&Failure::null());
        assert_eq!(last_name(), "null_argument");
    }

    #[test]
    fn code_input_errors_are_classified() {
        let too_long = SecurityCode::from_utf8(&[b'x'; 2048]).unwrap_err();
        assert_eq!(result_for(&too_long), seccode_result::InputTooLong);
        let not_utf8 = SecurityCode::from_utf8(&[0x66, 0xff]).unwrap_err();
        assert_eq!(result_for(&not_utf8), seccode_result::InvalidUtf8);
        let empty = SecurityCode::from_utf8(b"").unwrap_err();
        assert_eq!(result_for(&empty), seccode_result::InvalidArgument);
    }
}

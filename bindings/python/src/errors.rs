//! The one place where a core [`seccode::Error`] becomes a Python exception.
//!
//! The exception classes live in the pure-Python module `seccode._errors` (so that they can
//! subclass `ValueError` or `LookupError` and carry attributes); they are looked up once and
//! cached. The family comes from the core's [`ErrorKind`]; the message is the core's own
//! (lowercase, never a code); `code` is the variant's stable snake_case name.
//!
//! | `ErrorKind`        | exception          | extra attributes        |
//! | ------------------ | ------------------ | ----------------------- |
//! | `InvalidArgument`  | `InvalidArgument`  |                         |
//! | `NotFound`         | `NotFound`         |                         |
//! | `PermissionDenied` | `PermissionDenied` | `resource`, `action`    |
//! | `PolicyRejected`   | `PolicyError`      | `reasons`               |
//! | `MalformedData`    | `MalformedData`    |                         |
//! | `Conflict`         | `Conflict`         |                         |
//! | `Internal`, other  | `SeccodeError`     |                         |
//!
//! A store's own errors ([`store`]) join the same families: an unknown account or token is
//! `NotFound`, a duplicate account `Conflict`, a foreign, damaged, newer or inconsistent
//! store `MalformedData`, and a database that cannot be opened or reached, went away or
//! stayed busy `StoreUnavailable`. No message carries a password: the stores never put one
//! in an error.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};
use seccode::{Error, ErrorKind, Requirement};
use seccode_store::StoreError;

use crate::convert;

const ERRORS: &str = "seccode._errors";

static SECCODE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static INVALID_ARGUMENT: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static NOT_FOUND: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static PERMISSION_DENIED: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static POLICY_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static MALFORMED_DATA: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static CONFLICT: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static STORE_UNAVAILABLE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The exception class for an error family.
fn class_for(py: Python<'_>, kind: ErrorKind) -> PyResult<&Bound<'_, PyType>> {
    let (cell, name) = match kind {
        ErrorKind::InvalidArgument => (&INVALID_ARGUMENT, "InvalidArgument"),
        ErrorKind::NotFound => (&NOT_FOUND, "NotFound"),
        ErrorKind::PermissionDenied => (&PERMISSION_DENIED, "PermissionDenied"),
        ErrorKind::PolicyRejected => (&POLICY_ERROR, "PolicyError"),
        ErrorKind::MalformedData => (&MALFORMED_DATA, "MalformedData"),
        ErrorKind::Conflict => (&CONFLICT, "Conflict"),
        _ => (&SECCODE_ERROR, "SeccodeError"),
    };
    cell.import(py, ERRORS, name)
}

/// Build the Python exception for a core error. Never fails: if the exception classes
/// cannot be imported, that import error is what the caller sees.
pub(crate) fn to_py(py: Python<'_>, err: &Error) -> PyErr {
    build(py, err).unwrap_or_else(|import_error| import_error)
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let class = class_for(py, err.kind())?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", err.as_str())?;
    match err {
        Error::PolicyRejected(reasons) => {
            let list = PyList::empty(py);
            for reason in reasons {
                list.append(convert::reason(py, *reason)?)?;
            }
            kwargs.set_item("reasons", list)?;
        }
        Error::PermissionDenied(Requirement::Cell { resource, action }) => {
            kwargs.set_item("resource", resource)?;
            kwargs.set_item("action", convert::action_out(py, *action)?)?;
        }
        Error::PermissionDenied(Requirement::PrimaryContact) => {
            kwargs.set_item("resource", py.None())?;
            kwargs.set_item("action", py.None())?;
        }
        _ => {}
    }
    let value = class.call((err.to_string(),), Some(&kwargs))?;
    Ok(PyErr::from_value(value))
}

/// Convert a core result, mapping its error with [`to_py`].
pub(crate) fn core<T>(py: Python<'_>, result: seccode::Result<T>) -> PyResult<T> {
    result.map_err(|e| to_py(py, &e))
}

/// `InvalidArgument` raised by the binding itself (a value the core never saw). The message
/// names the argument and the problem, never the value.
pub(crate) fn invalid_argument(py: Python<'_>, message: &str) -> PyErr {
    let raise = || -> PyResult<PyErr> {
        let class = class_for(py, ErrorKind::InvalidArgument)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("code", "invalid_input")?;
        Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
    };
    raise().unwrap_or_else(|import_error| import_error)
}

/// `SeccodeError` for a failure inside the binding (a poisoned lock): nothing was changed.
pub(crate) fn internal(py: Python<'_>, message: &str) -> PyErr {
    let raise = || -> PyResult<PyErr> {
        let class = class_for(py, ErrorKind::Internal)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("code", "internal")?;
        Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
    };
    raise().unwrap_or_else(|import_error| import_error)
}

/// An exception of class `name` (cached in `cell`) with a stable `code` and a message.
fn plain(
    py: Python<'_>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
    code: &str,
    message: &str,
) -> PyErr {
    let raise = || -> PyResult<PyErr> {
        let class = cell.import(py, ERRORS, name)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("code", code)?;
        Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
    };
    raise().unwrap_or_else(|import_error| import_error)
}

/// `StoreUnavailable` raised by the binding itself (a store that was closed).
pub(crate) fn unavailable(py: Python<'_>, code: &str, message: &str) -> PyErr {
    plain(py, &STORE_UNAVAILABLE, "StoreUnavailable", code, message)
}

/// Build the Python exception for a store error: a core error inside it as [`to_py`] does,
/// the store's own in the family that fits, with a stable `code`.
pub(crate) fn store(py: Python<'_>, err: &StoreError) -> PyErr {
    let message = err.to_string();
    let (cell, name, code) = match err {
        StoreError::Core(e) => return to_py(py, e),
        StoreError::UnknownAccount(_) => (&NOT_FOUND, "NotFound", "unknown_account"),
        StoreError::UnknownToken => (&NOT_FOUND, "NotFound", "unknown_token"),
        StoreError::DuplicateAccount(_) => (&CONFLICT, "Conflict", "duplicate_account"),
        StoreError::IdOutOfRange { .. } => {
            (&INVALID_ARGUMENT, "InvalidArgument", "id_out_of_range")
        }
        StoreError::InvalidToken => (&INVALID_ARGUMENT, "InvalidArgument", "invalid_token"),
        StoreError::Foreign { .. } => (&MALFORMED_DATA, "MalformedData", "foreign_store"),
        StoreError::Corrupt { .. } => (&MALFORMED_DATA, "MalformedData", "corrupt_store"),
        StoreError::TooNew { .. } => (&MALFORMED_DATA, "MalformedData", "store_too_new"),
        StoreError::Data { .. } => (&MALFORMED_DATA, "MalformedData", "stored_account"),
        StoreError::Inconsistent(_) => (&MALFORMED_DATA, "MalformedData", "inconsistent_store"),
        StoreError::Open { .. } => (&STORE_UNAVAILABLE, "StoreUnavailable", "cannot_open"),
        StoreError::Unavailable(_) => (&STORE_UNAVAILABLE, "StoreUnavailable", "unavailable"),
        StoreError::Busy(_) => (&STORE_UNAVAILABLE, "StoreUnavailable", "busy"),
        StoreError::Database(_) => (&SECCODE_ERROR, "SeccodeError", "database"),
        StoreError::Internal(_) => (&SECCODE_ERROR, "SeccodeError", "internal"),
        _ => (&SECCODE_ERROR, "SeccodeError", "store"),
    };
    plain(py, cell, name, code, &message)
}

/// `TypeError` for an argument of the wrong type; names the type, never the value.
pub(crate) fn wrong_type(what: &str, expected: &str, got: &Bound<'_, PyAny>) -> PyErr {
    let type_name = got
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| String::from("?"));
    PyTypeError::new_err(format!("{what} must be {expected}, not {type_name}"))
}

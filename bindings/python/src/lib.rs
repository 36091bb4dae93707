//! `seccode._native`: the private native module of the Python package `seccode`.
//!
//! It converts and delegates to the core crate and holds no rule of its own. The package
//! (`bindings/python/python/seccode`) re-exports it next to its enums and exception classes,
//! and `_native.pyi` types it.
//!
//! - Codes arrive as `str`, `bytes` or `bytearray` and are copied straight into the core's
//!   zeroizing `SecurityCode` (see [`convert::security_code`]).
//! - Core errors become the package's exceptions in one place ([`errors`]).
//! - Argon2 work, and every wait for an account's lock, runs detached from the interpreter
//!   (`Python::detach`), so other Python threads keep running; a verification's Argon2 work
//!   runs with the account's lock released too (the core's three steps). The module is
//!   declared safe for free-threaded Python: every class is frozen, and the one mutable
//!   state (an account) sits behind a `Mutex`.
//! - `Store` keeps accounts in SQLite or PostgreSQL: each operation is one transaction of
//!   its own, on a connection of its own, run detached with nothing locked ([`store`]).

mod account;
mod catalog;
mod convert;
mod engine;
mod errors;
mod store;
mod views;

use pyo3::prelude::*;
use seccode::{Action, Outcome, Reason, RequestKind, Setting, Slot, VerifyReason};

/// The core's names of the enums whose members it can list, for the package's tests:
/// `[("Action", [...]), ("Setting", [...]), ("RequestKind", [...]), ...]`.
#[pyfunction]
fn _core_names() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("Action", Action::ALL.map(Action::as_str).to_vec()),
        ("Setting", Setting::ALL.map(Setting::as_str).to_vec()),
        (
            "RequestKind",
            RequestKind::ALL.map(RequestKind::as_str).to_vec(),
        ),
        ("Reason", Reason::ALL.map(Reason::code).to_vec()),
        ("Outcome", Outcome::ALL.map(Outcome::as_str).to_vec()),
        ("Slot", Slot::ALL.map(Slot::as_str).to_vec()),
        (
            "VerifyReason",
            VerifyReason::ALL.map(VerifyReason::as_str).to_vec(),
        ),
    ]
}

#[pymodule(gil_used = false)]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<engine::PyEngine>()?;
    m.add_class::<engine::PyCodePolicy>()?;
    m.add_class::<engine::PyMeeting>()?;
    m.add_class::<catalog::PyCatalog>()?;
    m.add_class::<account::PyAccount>()?;
    m.add_class::<views::PyContact>()?;
    m.add_class::<views::PyLockStatus>()?;
    m.add_class::<views::PyUnusableHash>()?;
    m.add_class::<views::PyVerifiedCall>()?;
    m.add_class::<views::PyCodeHash>()?;
    m.add_class::<views::PyVerification>()?;
    m.add_class::<views::PyUpgrade>()?;
    m.add_class::<views::PyDecision>()?;
    m.add_class::<views::PyCell>()?;
    m.add_class::<views::PyGridRow>()?;
    m.add_class::<views::PyAuditEvent>()?;
    m.add_class::<store::PyStore>()?;
    m.add_class::<store::PyStoreConfig>()?;
    m.add_class::<store::PyStoreCheck>()?;
    m.add_class::<store::PyAccountSummary>()?;
    m.add_function(wrap_pyfunction!(engine::hash_code, m)?)?;
    m.add_function(wrap_pyfunction!(engine::verify_code, m)?)?;
    m.add_function(wrap_pyfunction!(engine::needs_rehash, m)?)?;
    m.add_function(wrap_pyfunction!(engine::_reason_info, m)?)?;
    m.add_function(wrap_pyfunction!(_core_names, m)?)?;
    Ok(())
}

//! Conversions between Python values and core types: codes, enums, ids, secrets.
//!
//! Enums cross the boundary as their core names (`"view"`, `"allow"`, `"spoken"`...). On the
//! way in a plain `str` or a member of the package's `enum.Enum` classes (which are `str`
//! subclasses) is parsed by the core's own `FromStr`; on the way out the core name is turned
//! into a member of the class in `seccode._enums`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyString, PyType};
use seccode::AuditKind;
use seccode::Normalization;
use seccode::Reason;
use seccode::RequestKind;
use seccode::SecurityCode;
use seccode::{Action, Effective, Origin, Setting};
use seccode::{CallStatus, Outcome, Slot, VerifyReason};
use zeroize::Zeroizing;

use crate::errors;

const ENUMS: &str = "seccode._enums";

// ----- codes and other secrets -----

/// Copy a security code given as `str`, `bytes` or `bytearray` into the core's zeroizing
/// [`SecurityCode`]; no other copy is kept on the Rust side.
///
/// A `str` is encoded to UTF-8 through a short-lived Python `bytes` object (the stable ABI
/// for Python 3.9 offers no borrowed UTF-8 view of a `str`). A `str` that cannot be encoded
/// (lone surrogates) raises `InvalidArgument` without chaining the `UnicodeEncodeError`,
/// which would quote the text.
pub(crate) fn security_code(obj: &Bound<'_, PyAny>) -> PyResult<SecurityCode> {
    let py = obj.py();
    if let Ok(text) = obj.cast::<PyString>() {
        let Ok(utf8) = text.encode_utf8() else {
            return Err(errors::invalid_argument(
                py,
                "invalid security code: not encodable as UTF-8",
            ));
        };
        return errors::core(py, SecurityCode::from_utf8(utf8.as_bytes()));
    }
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return errors::core(py, SecurityCode::from_utf8(bytes.as_bytes()));
    }
    if let Ok(array) = obj.cast::<PyByteArray>() {
        let copy = Zeroizing::new(array.to_vec());
        return errors::core(py, SecurityCode::from_utf8(&copy));
    }
    Err(errors::wrong_type(
        "security code",
        "str, bytes or bytearray",
        obj,
    ))
}

/// Copy secret bytes (a pepper) given as `bytes` or `bytearray` into a zeroizing buffer.
pub(crate) fn secret_bytes(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Zeroizing<Vec<u8>>> {
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return Ok(Zeroizing::new(bytes.as_bytes().to_vec()));
    }
    if let Ok(array) = obj.cast::<PyByteArray>() {
        return Ok(Zeroizing::new(array.to_vec()));
    }
    Err(errors::wrong_type(what, "bytes or bytearray", obj))
}

// ----- enums in -----

fn choices<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn bad_choice<'a>(py: Python<'_>, what: &str, names: impl IntoIterator<Item = &'a str>) -> PyErr {
    errors::invalid_argument(
        py,
        &format!("invalid {what}: expected one of {}", choices(names)),
    )
}

/// `view`, `create`, `update` or `delete` (any case), or an `Action` member.
pub(crate) fn action_in(py: Python<'_>, name: &str) -> PyResult<Action> {
    name.parse()
        .map_err(|_| bad_choice(py, "action", Action::ALL.map(Action::as_str)))
}

/// An audit event kind as the core reads it (`verification_failed`, `Verification-Failed`,
/// ...: [`AuditKind::parse_name`]), as the desk and the service read it; an unknown one is
/// the core's `invalid_input`, naming the kinds there are.
pub(crate) fn audit_kind_in(py: Python<'_>, name: &str) -> PyResult<&'static str> {
    AuditKind::parse_name(name).map_err(|e| errors::to_py(py, &e))
}

/// `inherit`, `allow` or `deny` (any case), or a `Setting` member.
pub(crate) fn setting_in(py: Python<'_>, name: &str) -> PyResult<Setting> {
    name.parse()
        .map_err(|_| bad_choice(py, "setting", Setting::ALL.map(Setting::as_str)))
}

/// `spoken` or `exact`, or a `Normalization` member; `None` is the core's default.
pub(crate) fn normalization_in(py: Python<'_>, name: Option<&str>) -> PyResult<Normalization> {
    match name {
        None => Ok(Normalization::default()),
        Some(name) => name.parse().map_err(|_| {
            bad_choice(
                py,
                "normalization",
                [
                    Normalization::Spoken.as_str(),
                    Normalization::Exact.as_str(),
                ],
            )
        }),
    }
}

/// `routine`, `billable`, `significant_change` (or `significant-change`) or `cancellation`,
/// or a `RequestKind` member: the core's `FromStr` decides.
pub(crate) fn request_kind_in(py: Python<'_>, name: &str) -> PyResult<RequestKind> {
    name.parse().map_err(|_| {
        bad_choice(
            py,
            "request kind",
            RequestKind::ALL.map(RequestKind::as_str),
        )
    })
}

/// A policy reason by its stable code (`too_short`...), or a `Reason` member.
pub(crate) fn reason_in(py: Python<'_>, code: &str) -> PyResult<Reason> {
    Reason::from_code(code).ok_or_else(|| bad_choice(py, "reason", Reason::ALL.map(Reason::code)))
}

// ----- enums out -----

/// A member of the `enum.Enum` class `class` of `seccode._enums`, by its value.
fn member<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyType>>,
    class: &str,
    value: &str,
) -> PyResult<Bound<'py, PyAny>> {
    cell.import(py, ENUMS, class)?.call1((value,))
}

macro_rules! enum_out {
    ($(#[$doc:meta])* $fn:ident, $ty:ty, $class:literal, $name:expr) => {
        $(#[$doc])*
        pub(crate) fn $fn(py: Python<'_>, value: $ty) -> PyResult<Bound<'_, PyAny>> {
            static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
            let name: fn($ty) -> &'static str = $name;
            member(py, &CLASS, $class, name(value))
        }
    };
}

enum_out!(
    /// `Action.VIEW` ...
    action_out, Action, "Action", Action::as_str
);
enum_out!(
    /// `Setting.INHERIT` ...
    setting_out, Setting, "Setting", Setting::as_str
);
enum_out!(
    /// `Effective.ALLOW` ...
    effective_out, Effective, "Effective", Effective::as_str
);
enum_out!(
    /// `Normalization.SPOKEN` or `Normalization.EXACT`.
    normalization_out, Normalization, "Normalization", Normalization::as_str
);
enum_out!(
    /// `VerifyReason.INDIVIDUAL` ... (the core's snake_case names).
    verify_reason_out, VerifyReason, "VerifyReason", VerifyReason::as_str
);
enum_out!(
    /// `Reason.TOO_SHORT` ... (the policy's stable codes).
    reason, Reason, "Reason", Reason::code
);
enum_out!(
    /// `Outcome.VERIFIED`, `Outcome.NOT_VERIFIED` or `Outcome.LOCKED`.
    outcome_out, Outcome, "Outcome", Outcome::as_str
);
enum_out!(
    /// `Slot.ACCOUNT_WIDE` or `Slot.INDIVIDUAL`.
    slot_out, Slot, "Slot", Slot::as_str
);
enum_out!(
    /// `Origin.EXPLICIT` ... (where an effective value comes from).
    origin_out, Origin, "Origin", Origin::as_str
);
enum_out!(
    /// `CallStatus.VALID`, `CallStatus.EXPIRED` or `CallStatus.VOID`.
    call_status_out, CallStatus, "CallStatus", CallStatus::as_str
);

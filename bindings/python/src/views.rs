//! Read-only snapshots of core values: `Contact`, `LockStatus`, `UnusableHash`, `CodeHash`,
//! `Verification`, `Upgrade`, `VerifiedCall`, `Decision`, `Cell`,
//! `GridRow` and `AuditEvent`. None of them holds or shows a code.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyFrozenSet, PyModule, PyTuple};
use seccode::{AuditEvent, Subject};
use seccode::{Binding, CodeHash};
use seccode::{Catalog, Cell, GridRow};
use seccode::{ContactView, Error, LockStatus, UnusableHash};
use seccode::{Decision, DenyReason};
use seccode::{Outcome, Upgrade, Verification, VerifiedCall};

use crate::{convert, errors};

/// The `TypeError` of `bool()` on a result whose truth would be ambiguous (a `Verification`
/// that did not verify, a `Decision` that needs approval...): `name` names the type and
/// `instead` the attribute to read, as numpy words it for an array.
pub(crate) fn ambiguous_truth(name: &str, instead: &str) -> PyErr {
    pyo3::exceptions::PyTypeError::new_err(format!(
        "the truth value of a {name} is ambiguous; use {instead}"
    ))
}

/// Python's `repr` of a string, for the reprs of the views.
pub(crate) fn py_repr(py: Python<'_>, text: &str) -> PyResult<String> {
    Ok(pyo3::types::PyString::new(py, text).repr()?.to_string())
}

// ----- CodeHash -----

/// A stored hash of a code: the PHC string and how it was made. Not a secret, but `repr`
/// shows only the parameters, never the salt or hash.
#[pyclass(module = "seccode._native", name = "CodeHash", frozen, eq)]
#[derive(PartialEq)]
pub(crate) struct PyCodeHash {
    pub(crate) inner: CodeHash,
}

fn binding_name(binding: Binding) -> &'static str {
    binding.as_str()
}

#[pymethods]
impl PyCodeHash {
    /// The PHC string (`$argon2id$v=19$m=...`), as stored.
    #[getter]
    fn phc(&self) -> &str {
        self.inner.phc()
    }

    /// How the code was normalized before hashing.
    #[getter]
    fn normalization<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::normalization_out(py, self.inner.normalization())
    }

    /// `scoped` (made by seccode, bound to its account or contact) or `legacy`.
    #[getter]
    fn binding<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        static CLASS: PyOnceLock<Py<pyo3::types::PyType>> = PyOnceLock::new();
        CLASS
            .import(py, "seccode._enums", "Binding")?
            .call1((binding_name(self.inner.binding()),))
    }

    /// Argon2id memory cost, in KiB (0 for an imported bcrypt hash, which has none).
    #[getter]
    fn memory_kib(&self) -> u32 {
        self.inner.params().m_kib
    }

    /// Argon2id passes.
    #[getter]
    fn iterations(&self) -> u32 {
        self.inner.params().t
    }

    /// Argon2id lanes.
    #[getter]
    fn parallelism(&self) -> u32 {
        self.inner.params().p
    }

    /// The key id of the pepper it was made with, if any.
    #[getter]
    fn key_id(&self) -> Option<&str> {
        self.inner.key_id()
    }

    /// The core's own account of the hash (algorithm and cost, key id, matching, binding:
    /// `bcrypt cost=10` for an imported bcrypt hash), never its bytes.
    fn __repr__(&self) -> String {
        format!("<{:?}>", self.inner)
    }
}

// ----- Contact -----

/// A contact as it was when read (a snapshot: read it again after a change): the core's
/// [`ContactView`] (details, flags and lock status at one moment), plus the stored hash of its
/// individual code.
#[pyclass(module = "seccode._native", name = "Contact", frozen)]
pub(crate) struct PyContact {
    view: ContactView,
    code_hash: Option<CodeHash>,
}

impl PyContact {
    /// A snapshot from the core's view of a contact and the hash of its individual code.
    pub(crate) fn new(view: ContactView, code_hash: Option<CodeHash>) -> Self {
        PyContact { view, code_hash }
    }

    fn rwhois_names(&self) -> Vec<&'static str> {
        let roles = self.view.rwhois;
        [
            (roles.poc, "poc"),
            (roles.tech, "tech"),
            (roles.abuse, "abuse"),
        ]
        .into_iter()
        .filter_map(|(held, name)| held.then_some(name))
        .collect()
    }
}

#[pymethods]
impl PyContact {
    /// The contact's id ("ID" in the portal's list).
    #[getter]
    fn id(&self) -> u64 {
        self.view.id.0
    }

    /// Name.
    #[getter]
    fn name(&self) -> &str {
        &self.view.name
    }

    /// Title ("" when not set).
    #[getter]
    fn title(&self) -> &str {
        &self.view.title
    }

    /// Phone ("" when not set).
    #[getter]
    fn phone(&self) -> &str {
        &self.view.phone
    }

    /// Email ("" when not set).
    #[getter]
    fn email(&self) -> &str {
        &self.view.email
    }

    /// The "Audit Account" flag.
    #[getter]
    fn audit_account(&self) -> bool {
        self.view.audit_account
    }

    /// RWhois roles held: a subset of `{"poc", "tech", "abuse"}`.
    #[getter]
    fn rwhois<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyFrozenSet>> {
        PyFrozenSet::new(py, self.rwhois_names())
    }

    /// Whether the contact is active (not deactivated).
    #[getter]
    fn active(&self) -> bool {
        self.view.active
    }

    /// Whether this is the account's primary contact (the owner).
    #[getter]
    fn primary(&self) -> bool {
        self.view.primary
    }

    /// Whether the contact has an individual security code.
    #[getter]
    fn has_code(&self) -> bool {
        self.view.has_code
    }

    /// Whether the contact may know and use the account-wide code.
    #[getter]
    fn may_know_account_code(&self) -> bool {
        self.view.may_know_account_code
    }

    /// The stored hash of the individual code, if any (never the code).
    #[getter]
    fn code_hash(&self) -> Option<PyCodeHash> {
        self.code_hash.clone().map(|inner| PyCodeHash { inner })
    }

    /// Failed verifications counted when the snapshot was taken.
    #[getter]
    fn failed_attempts(&self) -> u32 {
        self.view.failed_attempts
    }

    /// When the lock ends (Unix seconds), if the contact was locked.
    #[getter]
    fn locked_until(&self) -> Option<i64> {
        self.view.locked_until.map(|t| t.unix_seconds())
    }

    /// Whether the contact was locked when the snapshot was taken.
    #[getter]
    fn locked(&self) -> bool {
        self.view.locked
    }

    /// The snapshot as the core's JSON view of a contact (never a code or a hash).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        serde_json::to_string(&self.view)
            .map_err(|e| errors::to_py(py, &Error::Internal(format!("contact view: {e}"))))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let mut flags = String::new();
        if self.view.primary {
            flags.push_str(" primary");
        }
        if !self.view.active {
            flags.push_str(" deactivated");
        }
        if self.view.locked {
            flags.push_str(" locked");
        }
        Ok(format!(
            "<Contact {} {}{flags}>",
            self.view.id,
            py_repr(py, &self.view.name)?
        ))
    }
}

// ----- LockStatus -----

/// A contact's failed attempts and lock at one moment, as the core's `LockStatus` says.
#[pyclass(module = "seccode._native", name = "LockStatus", frozen, eq)]
#[derive(PartialEq)]
pub(crate) struct PyLockStatus {
    pub(crate) inner: LockStatus,
}

#[pymethods]
impl PyLockStatus {
    /// Whether verifications answer *locked* (no code is checked).
    #[getter]
    fn locked(&self) -> bool {
        self.inner.is_locked()
    }

    /// Failed verifications since the last success, unlock or expiry.
    #[getter]
    fn failed_attempts(&self) -> u32 {
        self.inner.failed_attempts()
    }

    /// When the lock ends (Unix seconds), if locked.
    #[getter]
    fn locked_until(&self) -> Option<i64> {
        self.inner.locked_until().map(|t| t.unix_seconds())
    }

    /// Refused: `.locked` says it.
    fn __bool__(&self) -> PyResult<bool> {
        Err(ambiguous_truth("LockStatus", ".locked"))
    }

    fn __repr__(&self) -> String {
        match self.inner.locked_until() {
            Some(until) => format!(
                "<LockStatus locked until {until}, failed_attempts={}>",
                self.inner.failed_attempts()
            ),
            None => format!(
                "<LockStatus unlocked, failed_attempts={}>",
                self.inner.failed_attempts()
            ),
        }
    }
}

// ----- UnusableHash -----

/// A stored hash that no verification can use (over the engine's ceilings, or peppered with a
/// key the engine lacks): it stays stored, verifies as *not verified*, and consistency checks
/// report it.
#[pyclass(module = "seccode._native", name = "UnusableHash", frozen)]
pub(crate) struct PyUnusableHash {
    pub(crate) inner: UnusableHash,
}

#[pymethods]
impl PyUnusableHash {
    /// Which code: `Slot.INDIVIDUAL` or `Slot.ACCOUNT_WIDE`.
    #[getter]
    fn slot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::slot_out(py, self.inner.slot)
    }

    /// The contact whose individual code it is, or `None` for the account-wide code.
    #[getter]
    fn contact(&self) -> Option<u64> {
        self.inner.contact.map(|c| c.0)
    }

    /// The stable name of why it cannot be used (`hash_ceiling_exceeded`, `unknown_key`...).
    #[getter]
    fn code(&self) -> &'static str {
        self.inner.error.as_str()
    }

    /// Why it cannot be used, in the core's words.
    #[getter]
    fn message(&self) -> String {
        self.inner.error.to_string()
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<UnusableHash {}>", self.inner)
    }
}

// ----- Verification -----

/// A stored hash that a successful verification replaced: store `hash` in place of the old.
#[pyclass(module = "seccode._native", name = "Upgrade", frozen)]
pub(crate) struct PyUpgrade {
    inner: Upgrade,
}

#[pymethods]
impl PyUpgrade {
    /// Which code: `Slot.INDIVIDUAL` or `Slot.ACCOUNT_WIDE`.
    #[getter]
    fn slot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::slot_out(py, self.inner.slot())
    }

    /// The new hash (already applied to the account in memory).
    #[getter]
    fn hash(&self) -> PyCodeHash {
        PyCodeHash {
            inner: self.inner.hash().clone(),
        }
    }

    fn __repr__(&self) -> String {
        format!("<Upgrade {}>", self.inner.slot())
    }
}

/// The result of `Account.verify`. Tell the caller only `outcome`; `reason` is for the
/// audit log.
#[pyclass(module = "seccode._native", name = "Verification", frozen)]
pub(crate) struct PyVerification {
    pub(crate) inner: Verification,
}

#[pymethods]
impl PyVerification {
    /// `Outcome.VERIFIED`, `Outcome.NOT_VERIFIED` or `Outcome.LOCKED`.
    #[getter]
    fn outcome<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::outcome_out(py, self.inner.outcome())
    }

    /// Whether the caller is verified.
    #[getter]
    fn verified(&self) -> bool {
        self.inner.is_verified()
    }

    /// Whether the contact is locked (no code was checked).
    #[getter]
    fn locked(&self) -> bool {
        self.inner.outcome() == Outcome::Locked
    }

    /// Why, for the audit log only: never tell the caller.
    #[getter]
    fn reason<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::verify_reason_out(py, self.inner.reason())
    }

    /// The contact id the caller claimed.
    #[getter]
    fn contact(&self) -> u64 {
        self.inner.contact().0
    }

    /// Upgraded hashes to store (already applied to the account in memory).
    #[getter]
    fn upgrades(&self) -> Vec<PyUpgrade> {
        self.inner
            .upgrades()
            .iter()
            .map(|u| PyUpgrade { inner: u.clone() })
            .collect()
    }

    /// The contact's consecutive failures after this verification.
    #[getter]
    fn failed_attempts(&self) -> u32 {
        self.inner.lock_status().failed_attempts()
    }

    /// When the contact's lock ends (Unix seconds), if it is locked.
    #[getter]
    fn locked_until(&self) -> Option<i64> {
        self.inner
            .lock_status()
            .locked_until()
            .map(|t| t.unix_seconds())
    }

    /// The contact's failed attempts and lock after this verification.
    #[getter]
    fn lock_status(&self) -> PyLockStatus {
        PyLockStatus {
            inner: self.inner.lock_status(),
        }
    }

    /// What a success grants for this call (`VerifiedCall`): pass it to
    /// `Account.authorize`. `None` unless verified.
    #[getter]
    fn call(&self) -> Option<PyVerifiedCall> {
        self.inner
            .call()
            .cloned()
            .map(|inner| PyVerifiedCall { inner })
    }

    /// Refused: `.verified` says it.
    fn __bool__(&self) -> PyResult<bool> {
        Err(ambiguous_truth("Verification", ".verified"))
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Verification contact={} outcome={}>",
            self.inner.contact(),
            self.inner.outcome()
        )
    }
}

// ----- VerifiedCall -----

/// What a successful verification grants: permission for the call in progress, on one
/// account, for the contact as it was, until `expires_at` (SPEC 7). Holds no secret; keep it
/// with `to_json` and load it with `from_json`. `Account.authorize` and `Account.call_status`
/// say whether it still holds.
#[pyclass(module = "seccode._native", name = "VerifiedCall", frozen, eq)]
#[derive(PartialEq)]
pub(crate) struct PyVerifiedCall {
    pub(crate) inner: VerifiedCall,
}

#[pymethods]
impl PyVerifiedCall {
    /// The account it was made on.
    #[getter]
    fn account(&self) -> u64 {
        self.inner.account().0
    }

    /// The contact that verified.
    #[getter]
    fn contact(&self) -> u64 {
        self.inner.contact().0
    }

    /// Which code it verified with: `Slot.INDIVIDUAL` or `Slot.ACCOUNT_WIDE`.
    #[getter]
    fn slot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::slot_out(py, self.inner.slot())
    }

    /// When the caller verified (Unix seconds).
    #[getter]
    fn verified_at(&self) -> i64 {
        self.inner.verified_at().unix_seconds()
    }

    /// When it stops authorizing anything (Unix seconds).
    #[getter]
    fn expires_at(&self) -> i64 {
        self.inner.expires_at().unix_seconds()
    }

    /// The core's JSON form, for a script that keeps it between steps.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        serde_json::to_string(&self.inner)
            .map_err(|e| errors::to_py(py, &Error::Internal(format!("verified call: {e}"))))
    }

    /// Read the JSON form back; `MalformedData` when it is not a verified call.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = crate::catalog::json_text(text)?;
        serde_json::from_str(&text)
            .map(|inner| PyVerifiedCall { inner })
            .map_err(|e| errors::to_py(py, &Error::MalformedData(json_problem(&e))))
    }

    fn __repr__(&self) -> String {
        format!(
            "<VerifiedCall account={} contact={} {} expires_at={}>",
            self.inner.account(),
            self.inner.contact(),
            self.inner.slot().as_str(),
            self.inner.expires_at()
        )
    }
}

/// A serde_json error about a `VerifiedCall` text, without quoting any value of the input:
/// syntax errors keep serde's fixed wording and position, others say only where.
fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof => format!("verified call: {e}"),
        Category::Data | Category::Io => format!(
            "not a verified call (at line {} column {})",
            e.line(),
            e.column()
        ),
    }
}

// ----- Decision -----

/// What support may do with a request of a verified caller.
#[pyclass(module = "seccode._native", name = "Decision", frozen, eq)]
#[derive(PartialEq)]
pub(crate) struct PyDecision {
    pub(crate) inner: Decision,
}

fn deny_reason_name(reason: &DenyReason) -> &'static str {
    reason.as_str()
}

#[pymethods]
impl PyDecision {
    /// `DecisionKind.ALLOWED`, `NEEDS_APPROVAL` or `DENIED`.
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        static CLASS: PyOnceLock<Py<pyo3::types::PyType>> = PyOnceLock::new();
        CLASS
            .import(py, "seccode._enums", "DecisionKind")?
            .call1((self.inner.as_str(),))
    }

    /// Whether support may go ahead.
    #[getter]
    fn allowed(&self) -> bool {
        matches!(self.inner, Decision::Allowed)
    }

    /// Whether the request needs additional approval (from `approvers`).
    #[getter]
    fn needs_approval(&self) -> bool {
        matches!(self.inner, Decision::NeedsApproval { .. })
    }

    /// Whether the request is refused (see `reason`).
    #[getter]
    fn denied(&self) -> bool {
        matches!(self.inner, Decision::Denied { .. })
    }

    /// Who may approve the request (contact ids); empty unless it needs approval.
    #[getter]
    fn approvers(&self) -> Vec<u64> {
        match &self.inner {
            Decision::NeedsApproval { approvers } => approvers.iter().map(|a| a.0).collect(),
            _ => Vec::new(),
        }
    }

    /// Why the request is refused (`DenyReason`), or `None`.
    #[getter]
    fn reason<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        static CLASS: PyOnceLock<Py<pyo3::types::PyType>> = PyOnceLock::new();
        match &self.inner {
            Decision::Denied { reason } => Ok(Some(
                CLASS
                    .import(py, "seccode._enums", "DenyReason")?
                    .call1((deny_reason_name(reason),))?,
            )),
            _ => Ok(None),
        }
    }

    /// The permission a denied request lacked, worded (`the primary contact or `Billing &
    /// Services / Update` allow`), or `None`.
    #[getter]
    fn requirement(&self) -> Option<String> {
        match &self.inner {
            Decision::Denied {
                reason: DenyReason::MissingPermission { requirement },
            } => Some(requirement.to_string()),
            _ => None,
        }
    }

    /// Refused: `.allowed` says it.
    fn __bool__(&self) -> PyResult<bool> {
        Err(ambiguous_truth("Decision", ".allowed"))
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<Decision {}>", self.inner)
    }
}

// ----- Cell and GridRow -----

/// One cell of a contact's grid: its effective value and what decided it.
#[pyclass(module = "seccode._native", name = "Cell", frozen)]
pub(crate) struct PyCell {
    resource: String,
    inner: Cell,
    decided_by: Option<String>,
}

impl PyCell {
    pub(crate) fn new(catalog: &Catalog, cell: Cell) -> Self {
        PyCell {
            resource: catalog.name(cell.resource).to_owned(),
            decided_by: cell.decided_by().map(|r| catalog.name(r).to_owned()),
            inner: cell,
        }
    }
}

#[pymethods]
impl PyCell {
    /// The cell's resource.
    #[getter]
    fn resource(&self) -> &str {
        &self.resource
    }

    /// The cell's action.
    #[getter]
    fn action<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::action_out(py, self.inner.action)
    }

    /// The effective value (`Effective`); only `ALLOW` grants access.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::effective_out(py, self.inner.value)
    }

    /// Whether the cell grants access.
    #[getter]
    fn allowed(&self) -> bool {
        self.inner.is_allow()
    }

    /// Where the value comes from (`Origin`).
    #[getter]
    fn origin<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::origin_out(py, self.inner.origin)
    }

    /// The resource whose setting decided the cell, or `None` (default, owner, not
    /// applicable).
    #[getter]
    fn decided_by(&self) -> Option<&str> {
        self.decided_by.as_deref()
    }

    /// The cell as the portal prints it: `Allow`, `(None)`, `-`...
    #[getter]
    fn label(&self) -> &'static str {
        self.inner.label()
    }

    /// Refused: `.allowed` says it.
    fn __bool__(&self) -> PyResult<bool> {
        Err(ambiguous_truth("Cell", ".allowed"))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "<Cell {} {}: {}>",
            py_repr(py, &self.resource)?,
            self.inner.action.as_str(),
            self.inner.label()
        ))
    }
}

/// One line of a rendered grid.
#[pyclass(module = "seccode._native", name = "GridRow", frozen)]
pub(crate) struct PyGridRow {
    inner: GridRow,
}

impl From<GridRow> for PyGridRow {
    fn from(inner: GridRow) -> Self {
        PyGridRow { inner }
    }
}

#[pymethods]
impl PyGridRow {
    /// The resource's name.
    #[getter]
    fn resource(&self) -> &str {
        &self.inner.name
    }

    /// Its depth (0 for the root).
    #[getter]
    fn depth(&self) -> usize {
        self.inner.depth
    }

    /// The four cells' text, in column order (View, Create, Update, Delete).
    #[getter]
    fn cells<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.inner.cells)
    }

    /// The cells joined by two spaces, e.g. `Allow  (None)  Allow  (None)`.
    #[getter]
    fn line(&self) -> String {
        self.inner.cells_line()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "<GridRow {}: {}>",
            py_repr(py, &self.inner.name)?,
            self.inner.cells_line()
        ))
    }
}

// ----- AuditEvent -----

/// One audit record: what happened, to whom, by whom and when (never a code).
#[pyclass(module = "seccode._native", name = "AuditEvent", frozen)]
pub(crate) struct PyAuditEvent {
    inner: AuditEvent,
    seq: Option<u64>,
}

impl From<AuditEvent> for PyAuditEvent {
    fn from(inner: AuditEvent) -> Self {
        PyAuditEvent { inner, seq: None }
    }
}

impl From<seccode_store::StoredEvent> for PyAuditEvent {
    fn from(stored: seccode_store::StoredEvent) -> Self {
        PyAuditEvent {
            inner: stored.event,
            seq: Some(stored.seq),
        }
    }
}

#[pymethods]
impl PyAuditEvent {
    /// Its place in a store's log (increasing), or `None` for an event not read from a store.
    #[getter]
    fn seq(&self) -> Option<u64> {
        self.seq
    }

    /// When, in Unix seconds.
    #[getter]
    fn at(&self) -> i64 {
        self.inner.at.unix_seconds()
    }

    /// Which account.
    #[getter]
    fn account(&self) -> u64 {
        self.inner.account.0
    }

    /// Who did it: a contact id, or `None` for a caller on the phone, an import, the system.
    #[getter]
    fn actor(&self) -> Option<u64> {
        self.inner.actor.map(|a| a.0)
    }

    /// The support agent it was done through (`Store(..., agent=...)`, the desk's `--agent`,
    /// an agent key of the service), or `None`.
    #[getter]
    fn agent(&self) -> Option<&str> {
        self.inner.agent.as_ref().map(|a| a.as_str())
    }

    /// The contact the event concerns, or `None` when it concerns the account itself.
    #[getter]
    fn contact(&self) -> Option<u64> {
        match self.inner.subject {
            Subject::Contact(id) => Some(id.0),
            Subject::Account => None,
        }
    }

    /// What happened: `code_set`, `verification_failed`, `permission_changed`...
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind.as_str()
    }

    /// The event as one JSON object (the core's format).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The event as a dict (the JSON object, parsed).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let loads = LOADS.get_or_try_init(py, || {
            PyModule::import(py, "json")?
                .getattr("loads")
                .map(Bound::unbind)
        })?;
        loads.bind(py).call1((self.inner.to_json(),))
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<AuditEvent {}>", self.inner)
    }
}

//! `Account`: the core account behind a mutex, every operation delegated.
//!
//! Each method copies its inputs out of Python objects (codes into the core's zeroizing
//! buffer), then detaches from the interpreter, takes the account's lock, runs the core
//! operation and converts the result once attached again. The lock is never waited for, nor
//! held, while attached. A verification holds it only for the core's first and last steps
//! (`begin_verify`, `finish_verify`); its Argon2 work (`Attempt::check`) runs with the lock
//! released and the interpreter detached, so verifications of different contacts of one
//! account run in parallel, and concurrent guesses on one contact are counted before any of
//! them is checked.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::types::PyString;
use seccode::{
    self, Account, AccountId, Action, AgentName, ContactDetails, ContactId, DetailsChange, Engine,
    RwhoisRoles, SecurityCode, Setting, Verification, grid_rows, settings_rows,
};

use crate::catalog::{PyCatalog, json_text};
use crate::engine::PyEngine;
use crate::views::{
    PyAuditEvent, PyCell, PyCodeHash, PyContact, PyDecision, PyGridRow, PyLockStatus,
    PyUnusableHash, PyVerification, PyVerifiedCall,
};
use crate::{convert, errors};

/// A customer account: its contacts, its optional account-wide code and its permission
/// grids, bound to the `Engine` it runs with. Safe to share between threads; operations on
/// one account run one at a time.
#[pyclass(module = "seccode._native", name = "Account", frozen)]
pub(crate) struct PyAccount {
    engine: Py<PyEngine>,
    inner: Mutex<Account>,
}

/// The account's lock was poisoned by a panic in an earlier operation.
struct Poisoned;

fn poisoned(py: Python<'_>) -> PyErr {
    errors::internal(
        py,
        "internal error: the account is unusable after an earlier failure",
    )
}

/// RWhois roles from an iterable of role names (`poc`, `tech`, `abuse`).
pub(crate) fn rwhois_roles(py: Python<'_>, roles: &Bound<'_, PyAny>) -> PyResult<RwhoisRoles> {
    if roles.is_instance_of::<pyo3::types::PyString>() {
        return Err(errors::wrong_type(
            "rwhois",
            "an iterable of role names",
            roles,
        ));
    }
    let mut out = RwhoisRoles::default();
    for role in roles.try_iter()? {
        let role: String = role?.extract()?;
        match role.as_str() {
            "poc" => out.poc = true,
            "tech" => out.tech = true,
            "abuse" => out.abuse = true,
            _ => {
                return Err(errors::invalid_argument(
                    py,
                    "invalid rwhois role: expected `poc`, `tech` or `abuse`",
                ));
            }
        }
    }
    Ok(out)
}

/// The change a Python `edit_contact(name=…, rwhois=…)` asks for: the core's [`DetailsChange`]
/// (each field given replaces the contact's, the others are kept).
#[allow(clippy::too_many_arguments)]
pub(crate) fn details_change(
    py: Python<'_>,
    name: Option<String>,
    title: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    audit_account: Option<bool>,
    rwhois: Option<&Bound<'_, PyAny>>,
) -> PyResult<DetailsChange> {
    let change = DetailsChange {
        name,
        title,
        phone,
        email,
        audit_account,
        ..DetailsChange::default()
    };
    Ok(match rwhois {
        Some(roles) => change.with_rwhois(rwhois_roles(py, roles)?),
        None => change,
    })
}

impl PyAccount {
    /// An `Account` object around a core account, bound to `engine`.
    pub(crate) fn wrap(engine: Py<PyEngine>, account: Account) -> Self {
        PyAccount {
            engine,
            inner: Mutex::new(account),
        }
    }

    /// Run `op` on the account with the interpreter detached: wait for the lock, run, and
    /// convert a core error once attached again.
    fn run<T, F>(&self, py: Python<'_>, op: F) -> PyResult<T>
    where
        T: Send,
        F: FnOnce(&mut Account, &Engine) -> seccode::Result<T> + Send,
    {
        let engine: Arc<Engine> = self.engine.get().core();
        let result = py.detach(|| {
            let mut account = self.lock()?;
            Ok(op(&mut account, &engine))
        });
        match result {
            Ok(result) => errors::core(py, result),
            Err(Poisoned) => Err(poisoned(py)),
        }
    }

    /// Lock the account (detached): a poisoned lock is [`Poisoned`].
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Account>, Poisoned> {
        self.inner.lock().map_err(|_| Poisoned)
    }

    /// [`PyAccount::run`] for operations that cannot fail.
    fn read<T, F>(&self, py: Python<'_>, op: F) -> PyResult<T>
    where
        T: Send,
        F: FnOnce(&Account, &Engine) -> T + Send,
    {
        self.run(py, |account, engine| Ok(op(account, engine)))
    }
}

#[pymethods]
impl PyAccount {
    /// A new account with its primary contact (the account owner), on the default portal
    /// catalog or `catalog`.
    #[new]
    #[pyo3(signature = (
        id,
        name,
        *,
        engine,
        primary,
        primary_name,
        primary_title = String::new(),
        primary_phone = String::new(),
        primary_email = String::new(),
        catalog = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        id: u64,
        name: String,
        engine: Py<PyEngine>,
        primary: u64,
        primary_name: String,
        primary_title: String,
        primary_phone: String,
        primary_email: String,
        catalog: Option<&Bound<'_, PyCatalog>>,
    ) -> PyResult<Self> {
        let details = ContactDetails {
            name: primary_name,
            title: primary_title,
            phone: primary_phone,
            email: primary_email,
            ..ContactDetails::default()
        };
        let account = match catalog {
            None => Account::new(AccountId(id), name, ContactId(primary), details),
            Some(catalog) => Account::with_catalog(
                AccountId(id),
                name,
                ContactId(primary),
                details,
                Arc::clone(&catalog.get().inner),
            ),
        };
        Ok(Self::wrap(engine, errors::core(py, account)?))
    }

    /// Load an account from its JSON form (`"format": 1`; the old `phone_chat_code` name is
    /// accepted). `MalformedData` for anything that is not a valid account.
    #[staticmethod]
    #[pyo3(signature = (text, *, engine))]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>, engine: Py<PyEngine>) -> PyResult<Self> {
        let text = json_text(text)?;
        let account = py.detach(move || Account::from_json(&text));
        Ok(Self::wrap(engine, errors::core(py, account)?))
    }

    /// The account as JSON: hashes, never codes.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |account, _| account.to_json())
    }

    /// The engine this account runs with.
    #[getter]
    fn engine(&self, py: Python<'_>) -> Py<PyEngine> {
        self.engine.clone_ref(py)
    }

    /// The account's id ("Client ID").
    #[getter]
    fn id(&self, py: Python<'_>) -> PyResult<u64> {
        self.read(py, |account, _| account.id().0)
    }

    /// The account's name.
    #[getter]
    fn name(&self, py: Python<'_>) -> PyResult<String> {
        self.read(py, |account, _| account.name().to_owned())
    }

    /// The primary contact's id.
    #[getter]
    fn primary(&self, py: Python<'_>) -> PyResult<u64> {
        self.read(py, |account, _| account.primary().0)
    }

    /// How codes set from now on are normalized (`Normalization`).
    #[getter]
    fn normalization<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let n = self.read(py, |account, _| account.normalization())?;
        convert::normalization_out(py, n)
    }

    /// Whether the account-wide code is set.
    #[getter]
    fn has_account_code(&self, py: Python<'_>) -> PyResult<bool> {
        self.read(py, |account, _| account.has_account_code())
    }

    /// The stored hash of the account-wide code, if set (never the code).
    #[getter]
    fn account_code_hash(&self, py: Python<'_>) -> PyResult<Option<PyCodeHash>> {
        let hash = self.read(py, |account, _| account.account_code_hash().cloned())?;
        Ok(hash.map(|inner| PyCodeHash { inner }))
    }

    /// The permission catalog of this account's grids.
    #[getter]
    fn catalog(&self, py: Python<'_>) -> PyResult<PyCatalog> {
        let inner = self.read(py, |account, _| Arc::clone(account.catalog()))?;
        Ok(PyCatalog { inner })
    }

    /// Every contact, in id order (snapshots of the core's `ContactView`).
    #[getter]
    fn contacts(&self, py: Python<'_>) -> PyResult<Vec<PyContact>> {
        self.read(py, |account, engine| {
            account
                .contact_views(engine)
                .into_iter()
                .map(|view| {
                    let hash = account.contact(view.id).ok().and_then(|c| c.code_hash());
                    let hash = hash.cloned();
                    PyContact::new(view, hash)
                })
                .collect()
        })
    }

    /// One contact (a snapshot of the core's `ContactView`); `NotFound` if the account has
    /// no such contact.
    fn contact(&self, py: Python<'_>, contact_id: u64) -> PyResult<PyContact> {
        self.run(py, move |account, engine| {
            let id = ContactId(contact_id);
            let view = account.contact_view(engine, id)?;
            let hash = account.contact(id)?.code_hash().cloned();
            Ok(PyContact::new(view, hash))
        })
    }

    /// A contact's failed attempts and lock now (the core's `lock_status`); `NotFound` if
    /// the account has no such contact.
    fn lock_status(&self, py: Python<'_>, contact_id: u64) -> PyResult<PyLockStatus> {
        let inner = self.run(py, move |account, engine| {
            account.lock_status(engine, ContactId(contact_id))
        })?;
        Ok(PyLockStatus { inner })
    }

    /// Add a contact. The actor needs `Manage Contacts / Create`.
    #[pyo3(signature = (
        contact_id,
        name,
        *,
        actor,
        title = String::new(),
        phone = String::new(),
        email = String::new(),
        audit_account = false,
        rwhois = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn add_contact(
        &self,
        py: Python<'_>,
        contact_id: u64,
        name: String,
        actor: u64,
        title: String,
        phone: String,
        email: String,
        audit_account: bool,
        rwhois: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let rwhois = match rwhois {
            Some(roles) => rwhois_roles(py, roles)?,
            None => RwhoisRoles::default(),
        };
        let details = ContactDetails {
            name,
            title,
            phone,
            email,
            audit_account,
            rwhois,
        };
        self.run(py, move |account, engine| {
            account.add_contact(engine, ContactId(actor), ContactId(contact_id), details)
        })
    }

    /// Change a contact's details; fields not given keep their value. Contacts may edit
    /// their own; editing another needs `Manage Contacts / Update`.
    #[pyo3(signature = (
        contact_id,
        *,
        actor,
        name = None,
        title = None,
        phone = None,
        email = None,
        audit_account = None,
        rwhois = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn edit_contact(
        &self,
        py: Python<'_>,
        contact_id: u64,
        actor: u64,
        name: Option<String>,
        title: Option<String>,
        phone: Option<String>,
        email: Option<String>,
        audit_account: Option<bool>,
        rwhois: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let change = details_change(py, name, title, phone, email, audit_account, rwhois)?;
        self.run(py, move |account, engine| {
            account.edit_contact_details(engine, ContactId(actor), ContactId(contact_id), &change)
        })
    }

    /// Deactivate a contact: it can no longer verify or act. Needs `Manage Contacts /
    /// Delete`; the primary contact cannot be deactivated.
    #[pyo3(signature = (contact_id, *, actor))]
    fn deactivate_contact(&self, py: Python<'_>, contact_id: u64, actor: u64) -> PyResult<()> {
        self.run(py, move |account, engine| {
            account.deactivate_contact(engine, ContactId(actor), ContactId(contact_id))
        })
    }

    /// Remove a contact for good (its code and settings go with it). Needs `Manage Contacts /
    /// Delete`; the primary contact cannot be removed.
    #[pyo3(signature = (contact_id, *, actor))]
    fn remove_contact(&self, py: Python<'_>, contact_id: u64, actor: u64) -> PyResult<()> {
        self.run(py, move |account, engine| {
            account.remove_contact(engine, ContactId(actor), ContactId(contact_id))
        })
    }

    /// Reactivate a deactivated contact. Needs `Manage Contacts / Create`.
    #[pyo3(signature = (contact_id, *, actor))]
    fn reactivate_contact(&self, py: Python<'_>, contact_id: u64, actor: u64) -> PyResult<()> {
        self.run(py, move |account, engine| {
            account.reactivate_contact(engine, ContactId(actor), ContactId(contact_id))
        })
    }

    /// Every policy reason that rejects `code` as a new code for `contact` (its individual
    /// code), or for the account-wide code when `contact` is `None`. Empty: acceptable.
    #[pyo3(signature = (code, *, contact = None))]
    fn check_code<'py>(
        &self,
        py: Python<'py>,
        code: &Bound<'py, PyAny>,
        contact: Option<u64>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let code: SecurityCode = convert::security_code(code)?;
        let reasons = self.run(py, move |account, engine| {
            account.check_code(engine, contact.map(ContactId), &code)
        })?;
        reasons
            .into_iter()
            .map(|r| convert::reason(py, r))
            .collect()
    }

    /// Set or change the account-wide code. The actor needs `Profile / Update`; the code
    /// must pass the policy (`PolicyError` lists the reasons).
    #[pyo3(signature = (code, *, actor))]
    fn set_account_code(
        &self,
        py: Python<'_>,
        code: &Bound<'_, PyAny>,
        actor: u64,
    ) -> PyResult<()> {
        let code = convert::security_code(code)?;
        self.run(py, move |account, engine| {
            account.set_account_code(engine, ContactId(actor), &code)
        })
    }

    /// Set or change a contact's individual code. The actor needs `Manage Contacts /
    /// Update`; the code must pass the policy.
    #[pyo3(signature = (contact_id, code, *, actor))]
    fn set_contact_code(
        &self,
        py: Python<'_>,
        contact_id: u64,
        code: &Bound<'_, PyAny>,
        actor: u64,
    ) -> PyResult<()> {
        let code = convert::security_code(code)?;
        self.run(py, move |account, engine| {
            account.set_contact_code(engine, ContactId(actor), ContactId(contact_id), &code)
        })
    }

    /// Remove the account-wide code. Needs `Profile / Update`.
    #[pyo3(signature = (*, actor))]
    fn clear_account_code(&self, py: Python<'_>, actor: u64) -> PyResult<()> {
        self.run(py, move |account, engine| {
            account.clear_account_code(engine, ContactId(actor))
        })
    }

    /// Remove a contact's individual code. Needs `Manage Contacts / Update`.
    #[pyo3(signature = (contact_id, *, actor))]
    fn clear_contact_code(&self, py: Python<'_>, contact_id: u64, actor: u64) -> PyResult<()> {
        self.run(py, move |account, engine| {
            account.clear_contact_code(engine, ContactId(actor), ContactId(contact_id))
        })
    }

    /// Import a legacy "Phone/Chat Code" given in plaintext (hashed at once, no policy), as
    /// `contact`'s individual code or, when `contact` is `None`, the account-wide code.
    /// `Conflict` (`already_set`) when that code is set, unless `overwrite`.
    #[pyo3(signature = (code, *, contact = None, overwrite = false))]
    fn import_legacy_code(
        &self,
        py: Python<'_>,
        code: &Bound<'_, PyAny>,
        contact: Option<u64>,
        overwrite: bool,
    ) -> PyResult<()> {
        let code = convert::security_code(code)?;
        self.run(py, move |account, engine| {
            account.import_legacy_code(engine, contact.map(ContactId), &code, overwrite)
        })
    }

    /// Import a plain Argon2id PHC string made by another implementation from the code as
    /// typed; upgraded on its first successful verification. `MalformedData` for a string
    /// that is not such a hash or whose parameters exceed the engine's ceilings
    /// (`hash_ceiling_exceeded`), `Conflict` (`already_set`) when the code is set, unless
    /// `overwrite`; a refused import replaces nothing.
    #[pyo3(signature = (phc, *, contact = None, overwrite = false))]
    fn import_legacy_hash(
        &self,
        py: Python<'_>,
        phc: String,
        contact: Option<u64>,
        overwrite: bool,
    ) -> PyResult<()> {
        self.run(py, move |account, engine| {
            account.import_legacy_hash(engine, contact.map(ContactId), &phc, overwrite)
        })
    }

    /// Every stored hash of the account that the engine cannot use (over its ceilings, or
    /// peppered with a key it lacks): what a consistency check reports.
    fn unusable_hashes(&self, py: Python<'_>) -> PyResult<Vec<PyUnusableHash>> {
        self.read(py, |account, engine| {
            account
                .unusable_hashes(engine)
                .into_iter()
                .map(|inner| PyUnusableHash { inner })
                .collect()
        })
    }

    /// Verify a caller who claims to be `contact_id` and gives `code`. A wrong code, an
    /// unknown or deactivated contact, and a lock are results, not exceptions.
    ///
    /// The core's three steps: `begin_verify` under the account's lock (the attempt is
    /// counted before any hash runs), `Attempt::check` with the lock released and the
    /// interpreter detached (two Argon2id evaluations, none when locked), `finish_verify`
    /// under the lock again.
    fn verify(
        &self,
        py: Python<'_>,
        contact_id: u64,
        code: &Bound<'_, PyAny>,
    ) -> PyResult<PyVerification> {
        let code = convert::security_code(code)?;
        let engine: Arc<Engine> = self.engine.get().core();
        let contact = ContactId(contact_id);
        let result = py.detach(|| -> Result<seccode::Result<Verification>, Poisoned> {
            let begun = {
                let mut account = self.lock()?;
                account.begin_verify(&engine, contact)
            };
            let checked = match begun.and_then(|attempt| attempt.check(&engine, &code)) {
                Ok(checked) => checked,
                Err(e) => return Ok(Err(e)),
            };
            let mut account = self.lock()?;
            Ok(account.finish_verify(&engine, checked))
        });
        let inner = match result {
            Ok(result) => errors::core(py, result)?,
            Err(Poisoned) => return Err(poisoned(py)),
        };
        Ok(PyVerification { inner })
    }

    /// Unlock a locked contact (the portal's "Unlock" tab). Needs `Manage Contacts / Update`.
    #[pyo3(signature = (contact_id, *, actor))]
    fn unlock(&self, py: Python<'_>, contact_id: u64, actor: u64) -> PyResult<()> {
        self.run(py, move |account, engine| {
            account.unlock(engine, ContactId(actor), ContactId(contact_id))
        })
    }

    /// Choose how codes set from now on are matched (`spoken` or `exact`). Needs
    /// `Profile / Update`.
    #[pyo3(signature = (normalization, *, actor))]
    fn set_normalization(&self, py: Python<'_>, normalization: String, actor: u64) -> PyResult<()> {
        let normalization = convert::normalization_in(py, Some(&normalization))?;
        self.run(py, move |account, engine| {
            account.set_normalization(engine, ContactId(actor), normalization)
        })
    }

    /// Whether a contact may know and use the account-wide code.
    fn may_know_account_code(&self, py: Python<'_>, contact_id: u64) -> PyResult<bool> {
        self.run(py, move |account, _| {
            account.may_know_account_code(ContactId(contact_id))
        })
    }

    /// Change one cell of a contact's permission grid. Only the primary contact may;
    /// `Conflict` for the primary contact's own grid or a not-applicable cell.
    #[pyo3(signature = (contact_id, resource, action, setting, *, actor))]
    fn set_permission(
        &self,
        py: Python<'_>,
        contact_id: u64,
        resource: String,
        action: String,
        setting: String,
        actor: u64,
    ) -> PyResult<()> {
        let action = convert::action_in(py, &action)?;
        let setting = convert::setting_in(py, &setting)?;
        self.run(py, move |account, engine| {
            let id = account.catalog().require(&resource)?;
            account.set_permission(
                engine,
                ContactId(actor),
                ContactId(contact_id),
                id,
                action,
                setting,
            )
        })
    }

    /// A contact's explicit settings: `{resource: {Action: Setting}}` (Inherit omitted).
    fn permissions<'py>(&self, py: Python<'py>, contact_id: u64) -> PyResult<Bound<'py, PyDict>> {
        let named: BTreeMap<String, BTreeMap<Action, Setting>> =
            self.run(py, move |account, _| {
                let contact = account.contact(ContactId(contact_id))?;
                Ok(contact.settings().to_named(account.catalog()))
            })?;
        let out = PyDict::new(py);
        for (resource, row) in named {
            let cells = PyDict::new(py);
            for (action, setting) in row {
                cells.set_item(
                    convert::action_out(py, action)?,
                    convert::setting_out(py, setting)?,
                )?;
            }
            out.set_item(resource, cells)?;
        }
        Ok(out)
    }

    /// One cell's effective value and the resource that decided it.
    fn effective(
        &self,
        py: Python<'_>,
        contact_id: u64,
        resource: String,
        action: String,
    ) -> PyResult<PyCell> {
        let action = convert::action_in(py, &action)?;
        self.run(py, move |account, _| {
            let id = account.catalog().require(&resource)?;
            let cell = account.effective(ContactId(contact_id), id, action)?;
            Ok(PyCell::new(account.catalog(), cell))
        })
    }

    /// The rows of a contact's grid as the portal shows it, in display order.
    fn grid_rows(&self, py: Python<'_>, contact_id: u64) -> PyResult<Vec<PyGridRow>> {
        self.run(py, move |account, _| {
            let grid = account.grid(ContactId(contact_id))?;
            Ok(grid_rows(account.catalog(), grid)
                .into_iter()
                .map(PyGridRow::from)
                .collect())
        })
    }

    /// The rows of a contact's raw settings (Inherit / Allow / Deny / -), in display order.
    fn settings_rows(&self, py: Python<'_>, contact_id: u64) -> PyResult<Vec<PyGridRow>> {
        self.run(py, move |account, _| {
            let contact = account.contact(ContactId(contact_id))?;
            Ok(settings_rows(account.catalog(), contact.settings())
                .into_iter()
                .map(PyGridRow::from)
                .collect())
        })
    }

    /// The grid as the portal shows it: effective values, inherited or default ones in
    /// parentheses, `-` where an action does not apply.
    fn render_grid(&self, py: Python<'_>, contact_id: u64) -> PyResult<String> {
        self.run(py, move |account, _| {
            account.render_grid(ContactId(contact_id))
        })
    }

    /// The raw settings (Inherit / Allow / Deny) of a contact, in the same layout.
    fn render_settings(&self, py: Python<'_>, contact_id: u64) -> PyResult<String> {
        self.run(py, move |account, _| {
            account.render_settings(ContactId(contact_id))
        })
    }

    /// What support may do for the caller of `call` (`kind`: `routine`, `billable`,
    /// `significant_change` or `cancellation`). A call made on another account, or whose
    /// contact was removed, deactivated or got a new code since, is denied
    /// (`verification_void`), and so is an expired one (`verification_expired`).
    fn authorize(
        &self,
        py: Python<'_>,
        call: &Bound<'_, PyVerifiedCall>,
        kind: String,
    ) -> PyResult<PyDecision> {
        let kind = convert::request_kind_in(py, &kind)?;
        let call = call.get().inner.clone();
        let inner = self.run(py, move |account, engine| {
            account.authorize(engine, &call, kind)
        })?;
        Ok(PyDecision { inner })
    }

    /// `authorize` for the call of a `Verification`: denied (`not_verified`) unless it
    /// verified.
    fn authorize_verified(
        &self,
        py: Python<'_>,
        verification: &Bound<'_, PyVerification>,
        kind: String,
    ) -> PyResult<PyDecision> {
        let kind = convert::request_kind_in(py, &kind)?;
        let verification = verification.get().inner.clone();
        let inner = self.run(py, move |account, engine| {
            account.authorize_verified(engine, &verification, kind)
        })?;
        Ok(PyDecision { inner })
    }

    /// Whether `call` still authorizes requests on this account: `CallStatus.VALID`,
    /// `EXPIRED` or `VOID`.
    fn call_status<'py>(
        &self,
        py: Python<'py>,
        call: &Bound<'py, PyVerifiedCall>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let call = call.get().inner.clone();
        let status = self.read(py, move |account, engine| {
            account.call_status(engine, &call)
        })?;
        convert::call_status_out(py, status)
    }

    /// The account-wide code in plaintext, from its sealed copy, for an actor allowed to know
    /// it (`Profile / View`); the core records that it was shown. Needs an engine with a
    /// sealing key and a code set under it (`Conflict`, code `sealed`, otherwise). The
    /// returned `str` is Python's and cannot be wiped: show it and drop it.
    #[pyo3(signature = (*, actor))]
    fn reveal_account_code<'py>(
        &self,
        py: Python<'py>,
        actor: u64,
    ) -> PyResult<Bound<'py, PyString>> {
        let revealed = self.run(py, move |account, engine| {
            account.reveal_account_code(engine, ContactId(actor))
        })?;
        Ok(PyString::new(py, revealed.expose_secret()))
    }

    /// A contact's individual code in plaintext, from its sealed copy, for an actor allowed
    /// to view codes (`Manage Contacts / View`); recorded like `reveal_account_code`.
    #[pyo3(signature = (contact_id, *, actor))]
    fn reveal_contact_code<'py>(
        &self,
        py: Python<'py>,
        contact_id: u64,
        actor: u64,
    ) -> PyResult<Bound<'py, PyString>> {
        let revealed = self.run(py, move |account, engine| {
            account.reveal_contact_code(engine, ContactId(actor), ContactId(contact_id))
        })?;
        Ok(PyString::new(py, revealed.expose_secret()))
    }

    /// Audit events recorded since the last drain, oldest first (left in place).
    #[getter]
    fn audit(&self, py: Python<'_>) -> PyResult<Vec<PyAuditEvent>> {
        self.read(py, |account, _| {
            account
                .audit()
                .iter()
                .cloned()
                .map(PyAuditEvent::from)
                .collect()
        })
    }

    /// The support agent that every audit event recorded from now on names (`None`: none),
    /// as `Store(agent=…)` names it: `account.agent = "Ann (desk 4)"`. A name that is empty,
    /// over 64 characters or has control characters is `InvalidArgument`.
    #[getter]
    fn agent(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.read(py, |account, _| {
            account.agent().map(|a| a.as_str().to_owned())
        })
    }

    #[setter]
    fn set_agent(&self, py: Python<'_>, agent: Option<String>) -> PyResult<()> {
        let agent = errors::core(py, agent.map(AgentName::new).transpose())?;
        self.run(py, move |account, _| {
            account.set_agent(agent);
            Ok(())
        })
    }

    /// Take the pending audit events, oldest first.
    fn drain_audit(&self, py: Python<'_>) -> PyResult<Vec<PyAuditEvent>> {
        self.run(py, |account, _| {
            Ok(account
                .drain_audit()
                .into_iter()
                .map(PyAuditEvent::from)
                .collect())
        })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (id, name, contacts) = self.read(py, |account, _| {
            (
                account.id().0,
                account.name().to_owned(),
                account.contacts().count(),
            )
        })?;
        Ok(format!(
            "<Account {id} {} contacts={contacts}>",
            crate::views::py_repr(py, &name)?
        ))
    }
}

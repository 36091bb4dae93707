//! `seccode_account`: an account with its contacts, codes (as hashes), permission grids,
//! lockout state and pending audit events, and every operation on it.

use std::ffi::c_char;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use seccode::Normalization;
use seccode::model::account::{Account, AccountId};
use seccode::model::contact::ContactId;
use seccode::model::verify::Slot;
use seccode::permission::{Action, ResourceId, Setting};
use seccode::request::RequestKind;

use crate::boundary::{self, Handle, borrow, free_handle, into_handle, write_string};
use crate::catalog::seccode_catalog;
use crate::decision::{DecisionInner, seccode_decision};
use crate::details::seccode_contact_details;
use crate::engine::seccode_engine;
use crate::enums::{seccode_effective, seccode_normalization, seccode_origin, seccode_setting};
use crate::guard::ffi_guard;
use crate::result::{Failure, seccode_result};
use crate::verification::seccode_verification;

/// An account ("Client ID" 1707, "Any Company"): its contacts, its account-wide code, the
/// permission grids, the lockout state and the audit events not yet drained.
///
/// Thread safety: an account may be used from any number of threads at once; every call
/// locks it for its duration (so verifications of one account run one after the other, while
/// different accounts verify in parallel).
pub struct seccode_account {
    _private: [u8; 0],
}

// SAFETY: `seccode_account` is a zero-sized opaque type never constructed in Rust.
unsafe impl Handle for seccode_account {
    type Inner = Mutex<Account>;
}

/// Lock the account behind a handle.
///
/// A lock poisoned by a caught panic is recovered: the core changes an account only after
/// every check has passed, so the account is never left half-changed by a refused operation.
///
/// # Safety
///
/// As for [`borrow`].
pub(crate) unsafe fn account_of<'a>(
    account: *const seccode_account,
) -> Result<MutexGuard<'a, Account>, Failure> {
    // SAFETY: forwarded contract.
    let cell = unsafe { borrow(account) }?;
    Ok(cell.lock().unwrap_or_else(PoisonError::into_inner))
}

fn new_account(account: Account, out_account: boundary::Out<*mut seccode_account>) {
    let handle = into_handle::<seccode_account>(Mutex::new(account));
    // SAFETY: every caller checked `out_account` before doing any work; the C caller provides
    // a writable pointer.
    unsafe { out_account.write(handle) };
}

/// Look a resource up by its exact name in the account's catalog.
fn resource(account: &Account, name: &str) -> Result<ResourceId, Failure> {
    Ok(account.catalog().require(name)?)
}

/// Create an account on the portal's default catalog, with its primary contact (the account
/// owner). `name` is the account's name (UTF-8, required).
///
/// `*out_account` receives an account to free with `seccode_account_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_new(
    account_id: u64,
    name: *const u8,
    name_len: usize,
    primary_contact_id: u64,
    primary_details: *const seccode_contact_details,
    out_account: *mut *mut seccode_account,
) -> seccode_result {
    ffi_guard! {
        let out_account = out(out_account);
        let name = text(name, name_len);
        let details = details(primary_details);
        =>
        let account = Account::new(
            AccountId(account_id),
            name,
            ContactId(primary_contact_id),
            details,
        )?;
        new_account(account, out_account);
        Ok(())
    }
}

/// Create an account on a custom permission catalog (see `seccode_catalog_from_json`). The
/// account keeps its own reference to the catalog.
///
/// `*out_account` receives an account to free with `seccode_account_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_new_with_catalog(
    account_id: u64,
    name: *const u8,
    name_len: usize,
    primary_contact_id: u64,
    primary_details: *const seccode_contact_details,
    catalog: *const seccode_catalog,
    out_account: *mut *mut seccode_account,
) -> seccode_result {
    ffi_guard! {
        let out_account = out(out_account);
        let name = text(name, name_len);
        let catalog = catalog(catalog);
        let details = details(primary_details);
        =>
        let account = Account::with_catalog(
            AccountId(account_id),
            name,
            ContactId(primary_contact_id),
            details,
            Arc::clone(catalog),
        )?;
        new_account(account, out_account);
        Ok(())
    }
}

/// Load an account from its versioned JSON form (`"format": 1`; the old field name
/// `"phone_chat_code"` is accepted). Malformed JSON or an impossible account fails with
/// `SECCODE_RESULT_MALFORMED_DATA`, another format version with
/// `SECCODE_RESULT_UNSUPPORTED_FORMAT`.
///
/// `*out_account` receives an account to free with `seccode_account_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_from_json(
    json: *const u8,
    json_len: usize,
    out_account: *mut *mut seccode_account,
) -> seccode_result {
    ffi_guard! {
        let out_account = out(out_account);
        let json = text(json, json_len);
        =>
        let account = Account::from_json(json)?;
        new_account(account, out_account);
        Ok(())
    }
}

/// Save the account as versioned JSON (hashes only, never a code), in a string to free with
/// `seccode_string_free`. Pending audit events are not part of it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_to_json(
    account: *const seccode_account,
    out_json: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_json = out(out_json);
        let account = account(account);
        =>
        let json = account.to_json()?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_json, json) }
    }
}

/// Free an account. NULL does nothing; free each account exactly once, after every call using
/// it has returned.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_free(account: *mut seccode_account) {
    ffi_guard! {
        =>
        // SAFETY: the caller hands back an account made by this library, exactly once.
        unsafe { free_handle(account) }
    }
}

/// The account's id ("Client ID").
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_id(
    account: *const seccode_account,
    out_account_id: *mut u64,
) -> seccode_result {
    ffi_guard! {
        let out_account_id = out(out_account_id);
        let account = account(account);
        =>
        let id = account.id().0;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_account_id.write(id) };
        Ok(())
    }
}

/// The primary contact's id (the account owner).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_primary(
    account: *const seccode_account,
    out_contact_id: *mut u64,
) -> seccode_result {
    ffi_guard! {
        let out_contact_id = out(out_contact_id);
        let account = account(account);
        =>
        let id = account.primary().0;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_contact_id.write(id) };
        Ok(())
    }
}

/// The ids of every contact, in id order, into the caller's array `(ids, ids_len)`.
/// `*out_count` receives the number of contacts; when it exceeds `ids_len` nothing is written
/// into the array and the call fails with `SECCODE_RESULT_BUFFER_TOO_SMALL` (`(NULL, 0)` asks
/// for the count).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_contact_ids(
    account: *const seccode_account,
    ids: *mut u64,
    ids_len: usize,
    out_count: *mut usize,
) -> seccode_result {
    ffi_guard! {
        let buf = buffer(ids, ids_len, out_count);
        let account = account(account);
        =>
        let list: Vec<u64> = account
            .contacts()
            .map(|c| c.id().0)
            .collect();
        // SAFETY: the caller's array holds `ids_len` writable entries.
        unsafe { buf.fill(&list) }
    }
}

/// One contact as a JSON object, in a string to free with `seccode_string_free`: `id`,
/// `primary`, `active`, `name`, `title`, `phone`, `email`, `audit_account`, `rwhois`
/// (`poc`, `tech`, `abuse`), `has_code`, and `lock` (`failed_attempts`, `locked_until`).
/// An unknown id fails with `SECCODE_RESULT_NOT_FOUND`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_contact_json(
    account: *const seccode_account,
    contact_id: u64,
    out_json: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_json = out(out_json);
        let account = account(account);
        =>
        let contact = account.contact(ContactId(contact_id))?;
        let internal = |e: serde_json::Error| {
            let _ = e;
            Failure::Boundary(seccode_result::Internal, "serializing the contact failed")
        };
        let mut value = serde_json::to_value(contact.details()).map_err(internal)?;
        let lock = serde_json::to_value(contact.lock_state()).map_err(internal)?;
        let object = value.as_object_mut().ok_or(Failure::Boundary(
            seccode_result::Internal,
            "contact details are not a JSON object",
        ))?;
        object.insert("id".into(), contact_id.into());
        object.insert("primary".into(), (account.primary() == contact.id()).into());
        object.insert("active".into(), contact.is_active().into());
        object.insert("has_code".into(), contact.has_code().into());
        object.insert("lock".into(), lock);
        let json = serde_json::to_string(&value).map_err(internal)?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_json, json) }
    }
}

/// Whether the account-wide code is set.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_has_account_code(
    account: *const seccode_account,
    out_has_code: *mut bool,
) -> seccode_result {
    ffi_guard! {
        let out_has_code = out(out_has_code);
        let account = account(account);
        =>
        let has = account.has_account_code();
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_has_code.write(has) };
        Ok(())
    }
}

/// The account's permission catalog, as a new reference.
///
/// `*out_catalog` receives a catalog to free with `seccode_catalog_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_catalog(
    account: *const seccode_account,
    out_catalog: *mut *mut seccode_catalog,
) -> seccode_result {
    ffi_guard! {
        let out_catalog = out(out_catalog);
        let account = account(account);
        =>
        let catalog = Arc::clone(account.catalog());
        let handle = into_handle::<seccode_catalog>(catalog);
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_catalog.write(handle) };
        Ok(())
    }
}

/// How codes set from now on are matched (a `seccode_normalization`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_normalization(
    account: *const seccode_account,
    out_normalization: *mut seccode_normalization,
) -> seccode_result {
    ffi_guard! {
        let out_normalization = out(out_normalization);
        let account = account(account);
        =>
        let n = account.normalization();
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_normalization.write(n.into()) };
        Ok(())
    }
}

/// Choose how codes set from now on are matched (`normalization`: a `seccode_normalization`).
/// Existing codes keep working. `actor` needs `Profile / Update` (or is the primary contact).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_set_normalization(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    normalization: u32,
) -> seccode_result {
    ffi_guard! {
        let n = enum_arg(Normalization, normalization);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.set_normalization(engine, ContactId(actor), n)?;
        Ok(())
    }
}

/// Add a contact with `details`. `actor` needs `Manage Contacts / Create`. A duplicate id fails
/// with `SECCODE_RESULT_CONFLICT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_add_contact(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    contact_id: u64,
    details: *const seccode_contact_details,
) -> seccode_result {
    ffi_guard! {
        let details = details(details);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.add_contact(engine, ContactId(actor), ContactId(contact_id), details)?;
        Ok(())
    }
}

/// Replace a contact's details. A contact may edit its own; editing another needs
/// `Manage Contacts / Update`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_edit_contact(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    contact_id: u64,
    details: *const seccode_contact_details,
) -> seccode_result {
    ffi_guard! {
        let details = details(details);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.edit_contact(engine, ContactId(actor), ContactId(contact_id), details)?;
        Ok(())
    }
}

/// Remove a contact for good: its code, settings and lock state go with it (the
/// audit log keeps its history). `actor` needs `Manage Contacts / Delete`; the
/// primary contact cannot be removed (`SECCODE_RESULT_CONFLICT`); an unknown
/// contact is `SECCODE_RESULT_NOT_FOUND`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_remove_contact(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    contact_id: u64,
) -> seccode_result {
    ffi_guard! {
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.remove_contact(engine, ContactId(actor), ContactId(contact_id))?;
        Ok(())
    }
}

/// Deactivate a contact: it can no longer verify or act. `actor` needs
/// `Manage Contacts / Delete`; the primary contact cannot be deactivated
/// (`SECCODE_RESULT_CONFLICT`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_deactivate_contact(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    contact_id: u64,
) -> seccode_result {
    ffi_guard! {
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.deactivate_contact(engine, ContactId(actor), ContactId(contact_id))?;
        Ok(())
    }
}

/// Reactivate a deactivated contact. `actor` needs `Manage Contacts / Create`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_reactivate_contact(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    contact_id: u64,
) -> seccode_result {
    ffi_guard! {
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.reactivate_contact(engine, ContactId(actor), ContactId(contact_id))?;
        Ok(())
    }
}

/// The subject of a policy check or an import: the account-wide code, or one contact's.
fn subject(slot: Slot, contact_id: u64) -> Option<ContactId> {
    match slot {
        Slot::AccountWide => None,
        Slot::Individual => Some(ContactId(contact_id)),
    }
}

/// Check a candidate code against the code policy without setting it: for the account-wide
/// code (`slot` = `SECCODE_SLOT_ACCOUNT_WIDE`, checked against the primary contact's details;
/// `contact_id` is ignored) or for `contact_id`'s individual code
/// (`SECCODE_SLOT_INDIVIDUAL`).
///
/// On success `*out_count` receives the number of rejection reasons (0: the code is
/// acceptable) and the array `(reasons, reasons_len)` their `seccode_reason` numbers;
/// `SECCODE_MAX_REASONS` entries are always enough. Describe each with
/// `seccode_reason_message`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_check_code(
    account: *const seccode_account,
    engine: *const seccode_engine,
    slot: u32,
    contact_id: u64,
    code: *const u8,
    code_len: usize,
    reasons: *mut u32,
    reasons_len: usize,
    out_count: *mut usize,
) -> seccode_result {
    ffi_guard! {
        let buf = buffer(reasons, reasons_len, out_count);
        let slot = enum_arg(Slot, slot);
        let code = code(code, code_len);
        let engine = engine(engine);
        let account = account(account);
        =>
        let found: Vec<u32> = account
            .check_code(engine, subject(slot, contact_id), &code)?
            .into_iter()
            .map(|r| r.number())
            .collect();
        drop(account);
        // SAFETY: the caller's array holds `reasons_len` writable entries.
        unsafe { buf.fill(&found) }
    }
}

/// Set or change the account-wide code ("Success: Account information updated"). `actor` needs
/// `Profile / Update`. A code the policy refuses fails with `SECCODE_RESULT_POLICY_REJECTED`;
/// `seccode_last_error_reasons` then lists the reasons.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_set_account_code(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    code: *const u8,
    code_len: usize,
) -> seccode_result {
    ffi_guard! {
        let code = code(code, code_len);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.set_account_code(engine, ContactId(actor), &code)?;
        Ok(())
    }
}

/// Set or change `target`'s individual code ("Success: Contact updated"). `actor` needs
/// `Manage Contacts / Update` (also for its own code); the target must be active. Policy
/// rejections as for `seccode_account_set_account_code`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_set_contact_code(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    target: u64,
    code: *const u8,
    code_len: usize,
) -> seccode_result {
    ffi_guard! {
        let code = code(code, code_len);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.set_contact_code(engine, ContactId(actor), ContactId(target), &code)?;
        Ok(())
    }
}

/// Remove the account-wide code. `actor` needs `Profile / Update`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_clear_account_code(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
) -> seccode_result {
    ffi_guard! {
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.clear_account_code(engine, ContactId(actor))?;
        Ok(())
    }
}

/// Remove `target`'s individual code. `actor` needs `Manage Contacts / Update`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_clear_contact_code(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    target: u64,
) -> seccode_result {
    ffi_guard! {
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.clear_contact_code(engine, ContactId(actor), ContactId(target))?;
        Ok(())
    }
}

/// Import a legacy plaintext "Phone/Chat Code" from an old system: hashed at once, not held to
/// the policy. `slot` and `contact_id` as for `seccode_account_check_code`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_import_legacy_code(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    slot: u32,
    contact_id: u64,
    code: *const u8,
    code_len: usize,
) -> seccode_result {
    ffi_guard! {
        let slot = enum_arg(Slot, slot);
        let code = code(code, code_len);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.import_legacy_code(engine, subject(slot, contact_id), &code)?;
        Ok(())
    }
}

/// Import a legacy Argon2id PHC string made by another implementation (argon2-cffi,
/// libsodium) from the code as typed; it is upgraded on its first successful verification.
/// `slot` and `contact_id` as for `seccode_account_check_code`. A malformed PHC string fails
/// with `SECCODE_RESULT_MALFORMED_DATA`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_import_legacy_hash(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    slot: u32,
    contact_id: u64,
    phc: *const u8,
    phc_len: usize,
) -> seccode_result {
    ffi_guard! {
        let slot = enum_arg(Slot, slot);
        let phc = text(phc, phc_len);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.import_legacy_hash(engine, subject(slot, contact_id), phc)?;
        Ok(())
    }
}

/// Unlock a locked contact (the portal's "Unlock" tab). `actor` needs
/// `Manage Contacts / Update`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_unlock(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    target: u64,
) -> seccode_result {
    ffi_guard! {
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.unlock(engine, ContactId(actor), ContactId(target))?;
        Ok(())
    }
}

/// A contact's failed-attempt state at the engine's current time: consecutive failures,
/// whether it is locked now, and until when (Unix seconds; 0 when there is no lock).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_contact_lock_state(
    account: *const seccode_account,
    engine: *const seccode_engine,
    contact_id: u64,
    out_failed_attempts: *mut u32,
    out_locked: *mut bool,
    out_locked_until: *mut i64,
) -> seccode_result {
    ffi_guard! {
        let out_failed_attempts = out(out_failed_attempts);
        let out_locked = out(out_locked);
        let out_locked_until = out(out_locked_until);
        let engine = engine(engine);
        let account = account(account);
        =>
        let lock = account.contact(ContactId(contact_id))?.lock_state();
        let locked = lock.is_locked(engine.now());
        let until = lock.locked_until.map_or(0, |t| t.unix_seconds());
        // SAFETY: all three checked above; writable by the caller's contract.
        unsafe {
            out_failed_attempts.write(lock.failed_attempts);
            out_locked.write(locked);
            out_locked_until.write(until);
        }
        Ok(())
    }
}

/// Whether `contact_id` may know and use the account-wide code (the primary contact, or
/// `Profile / View` Allow).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_may_know_account_code(
    account: *const seccode_account,
    contact_id: u64,
    out_may: *mut bool,
) -> seccode_result {
    ffi_guard! {
        let out_may = out(out_may);
        let account = account(account);
        =>
        let may = account.may_know_account_code(ContactId(contact_id))?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_may.write(may) };
        Ok(())
    }
}

/// Verify a caller who claims to be `contact_id` and gives `code`.
///
/// The work done is the same whether the contact exists, is active or has a code. A wrong
/// code is not an error: the call succeeds and the verification's outcome says
/// *not verified* (or *locked* after too many failures). When the stored hash was outdated,
/// the account already holds the upgraded hash and the verification lists it: save the
/// account (or store the listed hash).
///
/// `*out_verification` receives a verification to free with `seccode_verification_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_verify(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    contact_id: u64,
    code: *const u8,
    code_len: usize,
    out_verification: *mut *mut seccode_verification,
) -> seccode_result {
    ffi_guard! {
        let out_verification = out(out_verification);
        let code = code(code, code_len);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        let verification = account.verify(engine, ContactId(contact_id), &code)?;
        drop(account);
        drop(code);
        let handle = into_handle::<seccode_verification>(verification);
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_verification.write(handle) };
        Ok(())
    }
}

/// Change one cell of `target`'s permission grid: `resource` is a resource's exact name
/// (UTF-8), `action` a `seccode_action`, `setting` a `seccode_setting`. Only the primary
/// contact may; the primary contact's own grid cannot change (`SECCODE_RESULT_CONFLICT`); an
/// unknown resource fails with `SECCODE_RESULT_NOT_FOUND`, Allow or Deny on a cell whose
/// action does not apply with `SECCODE_RESULT_NOT_APPLICABLE`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_set_permission(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    target: u64,
    resource_name: *const u8,
    resource_name_len: usize,
    action: u32,
    setting: u32,
) -> seccode_result {
    ffi_guard! {
        let action = enum_arg(Action, action);
        let setting = enum_arg(Setting, setting);
        let name = text(resource_name, resource_name_len);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        let resource = resource(&account, name)?;
        account.set_permission(
            engine,
            ContactId(actor),
            ContactId(target),
            resource,
            action,
            setting,
        )?;
        Ok(())
    }
}

/// The raw setting (Inherit, Allow or Deny) of one cell of a contact's grid. A cell whose
/// action does not apply reads Inherit.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_permission_setting(
    account: *const seccode_account,
    contact_id: u64,
    resource_name: *const u8,
    resource_name_len: usize,
    action: u32,
    out_setting: *mut seccode_setting,
) -> seccode_result {
    ffi_guard! {
        let out_setting = out(out_setting);
        let action = enum_arg(Action, action);
        let name = text(resource_name, resource_name_len);
        let account = account(account);
        =>
        let resource = resource(&account, name)?;
        let setting = account
            .contact(ContactId(contact_id))?
            .settings()
            .get(resource, action);
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_setting.write(setting.into()) };
        Ok(())
    }
}

/// The effective value of one cell of a contact's grid and where it comes from.
///
/// `*out_decided_by` receives the name of the resource whose setting decided the value (the
/// cell's own, or an ancestor's), as a string to free with `seccode_string_free`, or NULL
/// when no setting decided it (the default None, the primary contact, not applicable).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_effective(
    account: *const seccode_account,
    contact_id: u64,
    resource_name: *const u8,
    resource_name_len: usize,
    action: u32,
    out_effective: *mut seccode_effective,
    out_origin: *mut seccode_origin,
    out_decided_by: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_effective = out(out_effective);
        let out_origin = out(out_origin);
        let out_decided_by = out(out_decided_by);
        let action = enum_arg(Action, action);
        let name = text(resource_name, resource_name_len);
        let account = account(account);
        =>
        let resource = resource(&account, name)?;
        let cell = account.effective(ContactId(contact_id), resource, action)?;
        let decided_by = cell
            .decided_by()
            .map(|r| account.catalog().name(r).to_owned());
        drop(account);
        match decided_by {
            // SAFETY: checked above; writable by the caller's contract.
            Some(name) => unsafe { write_string(out_decided_by, name) }?,
            // SAFETY: checked above; writable by the caller's contract.
            None => unsafe { out_decided_by.write(std::ptr::null_mut()) },
        }
        // SAFETY: both checked above; writable by the caller's contract.
        unsafe {
            out_effective.write(cell.value.into());
            out_origin.write(cell.origin.into());
        }
        Ok(())
    }
}

/// A contact's grid as the portal shows it, one line per resource: effective values,
/// inherited or default ones in parentheses, `-` where the action does not apply. The string
/// is freed with `seccode_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_render_grid(
    account: *const seccode_account,
    contact_id: u64,
    out_text: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_text = out(out_text);
        let account = account(account);
        =>
        let text = account.render_grid(ContactId(contact_id))?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_text, text) }
    }
}

/// A contact's raw settings (Inherit, Allow, Deny, `-`) in the layout of
/// `seccode_account_render_grid`. The string is freed with `seccode_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_render_settings(
    account: *const seccode_account,
    contact_id: u64,
    out_text: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_text = out(out_text);
        let account = account(account);
        =>
        let text = account.render_settings(ContactId(contact_id))?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_text, text) }
    }
}

/// What support may do for a caller already verified as `contact_id` making a request of kind
/// `request_kind` (a `seccode_request_kind`): routine requests are allowed, billable ones need
/// `Billing & Services / Update`, significant changes and cancellations need approval.
///
/// `*out_decision` receives a decision to free with `seccode_decision_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_authorize(
    account: *const seccode_account,
    contact_id: u64,
    request_kind: u32,
    out_decision: *mut *mut seccode_decision,
) -> seccode_result {
    ffi_guard! {
        let out_decision = out(out_decision);
        let kind = enum_arg(RequestKind, request_kind);
        let account = account(account);
        =>
        let decision = account.authorize(ContactId(contact_id), kind)?;
        let handle = into_handle::<seccode_decision>(DecisionInner(decision));
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_decision.write(handle) };
        Ok(())
    }
}

/// As `seccode_account_authorize`, for the caller of `verification`: denied (reason
/// `SECCODE_DENY_REASON_NOT_VERIFIED`) unless it verified.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_authorize_verified(
    account: *const seccode_account,
    verification: *const seccode_verification,
    request_kind: u32,
    out_decision: *mut *mut seccode_decision,
) -> seccode_result {
    ffi_guard! {
        let out_decision = out(out_decision);
        let kind = enum_arg(RequestKind, request_kind);
        let verification = verification(verification);
        let account = account(account);
        =>
        let decision = account.authorize_verified(verification, kind)?;
        let handle = into_handle::<seccode_decision>(DecisionInner(decision));
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_decision.write(handle) };
        Ok(())
    }
}

/// Take the audit events recorded since the last drain (code changes, verifications, locks,
/// unlocks, permission changes; never a code), as a JSON array, oldest first, in a string to
/// free with `seccode_string_free`. Each event has `at` (Unix seconds), `account`, `actor`
/// (null for a caller, an import or the system), `subject` and `kind` with its fields.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_drain_audit(
    account: *mut seccode_account,
    out_json: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_json = out(out_json);
        let mut account = account(account);
        =>
        let json = serde_json::to_string(account.audit()).map_err(|_| {
            Failure::Boundary(seccode_result::Internal, "serializing audit events failed")
        })?;
        let json = boundary::c_string(json)?;
        // Drained only once they are safely serialized: a failure loses no event.
        account.drain_audit();
        drop(account);
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { boundary::write_c_string(out_json, json) };
        Ok(())
    }
}

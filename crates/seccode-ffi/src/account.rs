//! `seccode_account`: an account with its contacts, codes (as hashes), permission grids,
//! lockout state and pending audit events, and every operation on it.

use std::ffi::c_char;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use seccode::{
    Account, AccountId, Action, AgentName, ContactId, Normalization, RequestKind, ResourceId,
    RevealedCode, Setting, Slot,
};

use crate::boundary::{self, Handle, borrow, free_handle, into_handle, write_string};
use crate::call::seccode_verified_call;
use crate::catalog::seccode_catalog;
use crate::decision::{DecisionInner, seccode_decision};
use crate::details::seccode_contact_details;
use crate::engine::seccode_engine;
use crate::enums::{
    seccode_call_status, seccode_effective, seccode_normalization, seccode_origin, seccode_setting,
};
use crate::guard::ffi_guard;
use crate::result::{Failure, seccode_result};
use crate::verification::seccode_verification;

/// An account ("Client ID" 1707, "Any Company"): its contacts, its account-wide code, the
/// permission grids, the lockout state and the audit events not yet drained.
///
/// Thread safety: an account may be used from any number of threads at once; every call
/// locks it for its duration, except `seccode_account_verify`, which locks it only before and
/// after Argon2 runs (so verifications of one account, of different contacts or not, run in
/// parallel, and the lockout still counts every attempt before it is checked).
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
    Ok(lock(cell))
}

/// Lock an account's mutex, recovering from poisoning as [`account_of`] does.
pub(crate) fn lock(cell: &Mutex<Account>) -> MutexGuard<'_, Account> {
    cell.lock().unwrap_or_else(PoisonError::into_inner)
}

fn new_account(account: Account, out_account: boundary::Out<*mut seccode_account>) {
    let handle = into_handle::<seccode_account>(Mutex::new(account));
    // SAFETY: every caller checked `out_account` before doing any work; the C caller provides
    // a writable pointer.
    unsafe { out_account.write(handle) };
}

/// Look a resource up by its name in the account's catalog (in any letter case: the core's
/// one rule).
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

/// One contact as the portal shows it, as a JSON object in a string to free with
/// `seccode_string_free`: `id`, `name`, `title`, `phone`, `email`, `audit_account`, `rwhois`
/// (`poc`, `tech`, `abuse`), `primary`, `active`, `has_code`, `may_know_account_code`,
/// `failed_attempts`, `locked` and `locked_until` (Unix seconds or null), as they stand at the
/// engine's current time. Never a code or a hash. An unknown id fails with
/// `SECCODE_RESULT_NOT_FOUND`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_contact_json(
    account: *const seccode_account,
    engine: *const seccode_engine,
    contact_id: u64,
    out_json: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_json = out(out_json);
        let engine = engine(engine);
        let account = account(account);
        =>
        let view = account.contact_view(engine, ContactId(contact_id))?;
        drop(account);
        let json = to_json(&view, "serializing the contact failed")?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_json, json) }
    }
}

/// Every contact as `seccode_account_contact_json` shows it, in id order, as a JSON array in a
/// string to free with `seccode_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_contacts_json(
    account: *const seccode_account,
    engine: *const seccode_engine,
    out_json: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_json = out(out_json);
        let engine = engine(engine);
        let account = account(account);
        =>
        let views = account.contact_views(engine);
        drop(account);
        let json = to_json(&views, "serializing the contacts failed")?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_json, json) }
    }
}

/// `value` as JSON; a failure (none is expected for these types) is an internal error.
fn to_json(value: &impl serde::Serialize, what: &'static str) -> Result<String, Failure> {
    serde_json::to_string(value).map_err(|_| Failure::Boundary(seccode_result::Internal, what))
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

/// Remove a contact for good: its code and settings go with it (its failed-attempt count
/// stays with the id, as for any unknown id; the audit log keeps its history). `actor` needs `Manage Contacts / Delete`; the
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
/// the policy. `slot` and `contact_id` as for `seccode_account_check_code`. When the slot
/// already holds a code and `overwrite` is false, nothing changes and the call fails with
/// `SECCODE_RESULT_ALREADY_SET`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_import_legacy_code(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    slot: u32,
    contact_id: u64,
    code: *const u8,
    code_len: usize,
    overwrite: bool,
) -> seccode_result {
    ffi_guard! {
        let slot = enum_arg(Slot, slot);
        let code = code(code, code_len);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.import_legacy_code(engine, subject(slot, contact_id), &code, overwrite)?;
        Ok(())
    }
}

/// Import a legacy Argon2id PHC string made by another implementation (argon2-cffi,
/// libsodium), or a bcrypt hash (`$2y$`, `$2b$`, `$2a$`: PHP's `password_hash`), from the
/// code as typed; it is upgraded to Argon2id on its first successful verification. A code
/// of more than 72 bytes never matches a bcrypt hash (bcrypt would ignore the rest).
/// `slot` and `contact_id` as for `seccode_account_check_code`.
///
/// Refused, replacing nothing: a malformed hash, or one whose parameters exceed the engine's
/// ceilings (a bcrypt cost over 16; it could never be checked), with
/// `SECCODE_RESULT_MALFORMED_DATA`; one
/// naming an unknown pepper key id with `SECCODE_RESULT_NOT_FOUND`; a slot that already holds
/// a code while `overwrite` is false with `SECCODE_RESULT_ALREADY_SET`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_import_legacy_hash(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    slot: u32,
    contact_id: u64,
    phc: *const u8,
    phc_len: usize,
    overwrite: bool,
) -> seccode_result {
    ffi_guard! {
        let slot = enum_arg(Slot, slot);
        let phc = text(phc, phc_len);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        account.import_legacy_hash(engine, subject(slot, contact_id), phc, overwrite)?;
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

/// Name the support agent working on the account through this handle (`agent`: UTF-8, 1 to
/// 64 characters after trimming, no control characters): every audit event recorded from now
/// on (verifications, unlocks, decided requests, changes) names it in `agent`, apart from the
/// acting contact. The agent belongs to the session, not the account: it is not part of
/// `seccode_account_to_json`. An invalid name fails with `SECCODE_RESULT_INVALID_ARGUMENT`
/// (`SECCODE_RESULT_INPUT_TOO_LONG` over 64 characters) and changes nothing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_set_agent(
    account: *mut seccode_account,
    agent: *const u8,
    agent_len: usize,
) -> seccode_result {
    ffi_guard! {
        let name = text(agent, agent_len);
        let mut account = account(account);
        =>
        account.set_agent(Some(AgentName::new(name)?));
        Ok(())
    }
}

/// Stop naming an agent in the events this handle records (`seccode_account_set_agent`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_clear_agent(
    account: *mut seccode_account,
) -> seccode_result {
    ffi_guard! {
        let mut account = account(account);
        =>
        account.set_agent(None);
        Ok(())
    }
}

/// A contact's failed-attempt state at the engine's current time: consecutive failures,
/// whether it is locked now (also while the account is throttled), and until when (Unix
/// seconds; 0 when it is not locked). An unknown id fails with `SECCODE_RESULT_NOT_FOUND`.
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
        let lock = account.lock_status(engine, ContactId(contact_id))?;
        drop(account);
        // SAFETY: all three checked above; writable by the caller's contract.
        unsafe {
            out_failed_attempts.write(lock.failed_attempts());
            out_locked.write(lock.is_locked());
            out_locked_until.write(lock.locked_until().map_or(0, |t| t.unix_seconds()));
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

/// Verify a caller who claims to be `contact_id` and gives `code`: the three steps of
/// `seccode_account_begin_verify`, `seccode_attempt_check` and `seccode_account_finish_verify`
/// in one call. The account is locked only for the first and the last step, not while Argon2
/// runs: other calls on the account (verifications of other contacts too) proceed meanwhile,
/// and however many threads verify one contact at once, at most the lockout's `max_failures`
/// attempts are checked against its code; the others answer *locked*.
///
/// The work done is the same whether the contact exists, is active or has a code. A wrong
/// code is not an error: the call succeeds and the verification's outcome says
/// *not verified* (or *locked* after too many failures). A success grants a
/// `seccode_verified_call` (see `seccode_verification_call`). When the stored hash was
/// outdated, the account already holds the upgraded hash and the verification lists it: save
/// the account (or store the listed hash).
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
        let cell = account_cell(account);
        =>
        // Each lock is a temporary that ends with its statement: none is held during `check`.
        let attempt = lock(cell).begin_verify(engine, ContactId(contact_id))?;
        let checked = attempt.check(engine, &code)?;
        drop(code);
        let verification = lock(cell).finish_verify(engine, checked)?;
        let handle = into_handle::<seccode_verification>(verification);
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_verification.write(handle) };
        Ok(())
    }
}

/// Change one cell of `target`'s permission grid: `resource` is a resource's name (any case)
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

/// Whether `call` still authorizes requests on this account (a `seccode_call_status`): valid;
/// expired; or void when it was made on another account, or the contact was removed (even if
/// its id was reused), deactivated or its code changed since.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_call_status(
    account: *const seccode_account,
    engine: *const seccode_engine,
    call: *const seccode_verified_call,
    out_status: *mut seccode_call_status,
) -> seccode_result {
    ffi_guard! {
        let out_status = out(out_status);
        let call = call(call);
        let engine = engine(engine);
        let account = account(account);
        =>
        let status = account.call_status(engine, call);
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_status.write(status.into()) };
        Ok(())
    }
}

/// What support may do for the caller of `call` (from `seccode_verification_call`) making a
/// request of kind `request_kind` (a `seccode_request_kind`) on this account: routine
/// requests are allowed, billable ones need `Billing & Services / Update`, significant changes
/// and cancellations need approval. A call that is void (another account, the contact
/// removed, deactivated or its code changed) or expired is denied with
/// `SECCODE_DENY_REASON_VERIFICATION_VOID` or `_EXPIRED`: verify again.
///
/// `*out_decision` receives a decision to free with `seccode_decision_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_authorize(
    account: *const seccode_account,
    engine: *const seccode_engine,
    call: *const seccode_verified_call,
    request_kind: u32,
    out_decision: *mut *mut seccode_decision,
) -> seccode_result {
    ffi_guard! {
        let out_decision = out(out_decision);
        let kind = enum_arg(RequestKind, request_kind);
        let call = call(call);
        let engine = engine(engine);
        let account = account(account);
        =>
        let decision = account.authorize(engine, call, kind)?;
        drop(account);
        let handle = into_handle::<seccode_decision>(DecisionInner(decision));
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_decision.write(handle) };
        Ok(())
    }
}

/// As `seccode_account_authorize`, for the call `verification` granted: denied (reason
/// `SECCODE_DENY_REASON_NOT_VERIFIED`) unless it verified.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_authorize_verified(
    account: *const seccode_account,
    engine: *const seccode_engine,
    verification: *const seccode_verification,
    request_kind: u32,
    out_decision: *mut *mut seccode_decision,
) -> seccode_result {
    ffi_guard! {
        let out_decision = out(out_decision);
        let kind = enum_arg(RequestKind, request_kind);
        let verification = verification(verification);
        let engine = engine(engine);
        let account = account(account);
        =>
        let decision = account.authorize_verified(engine, verification, kind)?;
        drop(account);
        let handle = into_handle::<seccode_decision>(DecisionInner(decision));
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_decision.write(handle) };
        Ok(())
    }
}

/// Reveal the account-wide code, from its sealed copy, to `actor` (the primary contact or a
/// contact allowed `Profile / View`): the code and a terminating NUL are written into the
/// caller's buffer `(buf, buf_len)` and its length into `*out_len`. The reveal is recorded in
/// the audit log. Wipe the buffer once the code has been shown.
///
/// Needs a sealing key in the engine (`seccode_engine_config_set_sealing_key`) and a copy
/// sealed when the code was set; otherwise `SECCODE_RESULT_SEALED_UNAVAILABLE`. A buffer of
/// `SECCODE_MAX_CODE_LEN + 1` bytes always suffices; a smaller one that cannot hold the code
/// gets `SECCODE_RESULT_BUFFER_TOO_SMALL` and the needed length (the reveal is recorded all
/// the same).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_reveal_account_code(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> seccode_result {
    ffi_guard! {
        let buf = buffer(buf, buf_len, out_len);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        let revealed = account.reveal_account_code(engine, ContactId(actor))?;
        drop(account);
        // SAFETY: the caller's buffer holds `buf_len` writable bytes, `out_len` a `size_t`.
        unsafe { write_revealed(buf, &revealed) }
    }
}

/// Reveal `target`'s individual code, from its sealed copy, to `actor` (a contact allowed
/// `Manage Contacts / View`, or the primary contact), into the caller's buffer, as
/// `seccode_account_reveal_account_code` does.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_reveal_contact_code(
    account: *mut seccode_account,
    engine: *const seccode_engine,
    actor: u64,
    target: u64,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> seccode_result {
    ffi_guard! {
        let buf = buffer(buf, buf_len, out_len);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        let revealed = account.reveal_contact_code(engine, ContactId(actor), ContactId(target))?;
        drop(account);
        // SAFETY: the caller's buffer holds `buf_len` writable bytes, `out_len` a `size_t`.
        unsafe { write_revealed(buf, &revealed) }
    }
}

/// The one place the C library reads a revealed code's plaintext: straight from the core's
/// wiped buffer into the caller's.
///
/// # Safety
///
/// As for [`boundary::Buffer::fill_text`].
unsafe fn write_revealed(
    buf: boundary::Buffer<c_char>,
    revealed: &RevealedCode,
) -> Result<(), Failure> {
    // SAFETY: forwarded contract.
    unsafe { buf.fill_text(revealed.expose_secret()) }
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

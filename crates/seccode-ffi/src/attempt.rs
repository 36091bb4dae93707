//! The three steps of a verification (SPEC 8), for a portal that keeps accounts in its own
//! database: `seccode_account_begin_verify` (under the account's lock or in a short
//! transaction), `seccode_attempt_check` (Argon2, nothing locked) and
//! `seccode_account_finish_verify` (under the lock again). `seccode_account_verify` runs the
//! same three steps on one account handle.

use std::sync::{Mutex, MutexGuard, PoisonError};

use seccode::{Attempt, CheckedAttempt, ContactId};

use crate::boundary::{Handle, borrow, free_handle, into_handle};
use crate::engine::seccode_engine;
use crate::guard::ffi_guard;
use crate::result::{Failure, seccode_result};
use crate::verification::seccode_verification;

/// Step one of a verification, from `seccode_account_begin_verify`: the attempt is already
/// counted against the contact id's lockout, and it holds what the check needs (hashes, never
/// a code), so the account can be saved and released before `seccode_attempt_check` runs.
///
/// Thread safety: may be passed to and used from any thread (locked internally).
pub struct seccode_attempt {
    _private: [u8; 0],
}

/// Step two's result, from `seccode_attempt_check`: whether the code matched (never the code)
/// and any upgraded hash, for `seccode_account_finish_verify`.
///
/// Thread safety: may be passed to and used from any thread (locked internally).
pub struct seccode_checked_attempt {
    _private: [u8; 0],
}

// SAFETY: `seccode_attempt` is a zero-sized opaque type never constructed in Rust. The slot is
// emptied when the attempt is checked, so it is checked at most once.
unsafe impl Handle for seccode_attempt {
    type Inner = Mutex<Option<Attempt>>;
}

// SAFETY: `seccode_checked_attempt` is a zero-sized opaque type never constructed in Rust. The
// slot is emptied when the attempt is finished, so it is finished at most once.
unsafe impl Handle for seccode_checked_attempt {
    type Inner = Mutex<Option<CheckedAttempt>>;
}

/// Lock the slot behind an attempt or checked-attempt handle (recovering from poisoning: the
/// slot is emptied only after the step succeeded, in one assignment).
///
/// # Safety
///
/// As for [`borrow`].
pub(crate) unsafe fn slot_of<'a, H, T>(ptr: *const H) -> Result<MutexGuard<'a, Option<T>>, Failure>
where
    H: Handle<Inner = Mutex<Option<T>>>,
    T: 'a,
{
    // SAFETY: forwarded contract.
    let cell = unsafe { borrow(ptr) }?;
    Ok(cell.lock().unwrap_or_else(PoisonError::into_inner))
}

/// The failure for a step handle whose content an earlier step already took.
fn consumed(what: &'static str) -> Failure {
    Failure::Boundary(seccode_result::Conflict, what)
}

/// Step one: begin verifying a caller who claims to be `contact_id`, holding the account only
/// for this call. Unless the contact id is locked, the attempt is counted as a failure now,
/// before any hash runs, so that however many attempts run at once at most the lockout's
/// `max_failures` are ever checked; a success in step three clears the count.
///
/// A portal that keeps the account in its own database runs this step in one short
/// transaction with the account row locked, and saves the account (`seccode_account_to_json`)
/// in that same transaction, so that the count is stored before the code is checked.
///
/// `*out_attempt` receives an attempt for `seccode_attempt_check`, freed with
/// `seccode_attempt_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_begin_verify(
    account: *mut crate::account::seccode_account,
    engine: *const seccode_engine,
    contact_id: u64,
    out_attempt: *mut *mut seccode_attempt,
) -> seccode_result {
    ffi_guard! {
        let out_attempt = out(out_attempt);
        let engine = engine(engine);
        let mut account = account(account);
        =>
        let attempt = account.begin_verify(engine, ContactId(contact_id))?;
        drop(account);
        let handle = into_handle::<seccode_attempt>(Mutex::new(Some(attempt)));
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_attempt.write(handle) };
        Ok(())
    }
}

/// Step two: check `code` against the attempt's contact, with nothing locked and no account
/// involved: two Argon2id evaluations whatever the contact (none when the attempt answers
/// *locked*). Run it outside any database transaction.
///
/// On success the attempt's content moves into `*out_checked` (a checked attempt for
/// `seccode_account_finish_verify`, freed with `seccode_checked_attempt_free`): the attempt is
/// used up, a second check fails with `SECCODE_RESULT_CONFLICT`, and it still has to be freed
/// with `seccode_attempt_free`. A failed call leaves the attempt as it was.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_attempt_check(
    engine: *const seccode_engine,
    attempt: *mut seccode_attempt,
    code: *const u8,
    code_len: usize,
    out_checked: *mut *mut seccode_checked_attempt,
) -> seccode_result {
    ffi_guard! {
        let out_checked = out(out_checked);
        let code = code(code, code_len);
        let engine = engine(engine);
        let mut slot = attempt(attempt);
        =>
        let attempt = slot
            .as_ref()
            .ok_or(consumed("the attempt was already checked"))?
            .clone();
        let checked = attempt.check(engine, &code)?;
        drop(code);
        *slot = None;
        drop(slot);
        let handle = into_handle::<seccode_checked_attempt>(Mutex::new(Some(checked)));
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_checked.write(handle) };
        Ok(())
    }
}

/// Step three: record a checked attempt's outcome on the account it was begun on (another
/// account fails with `SECCODE_RESULT_INVALID_ARGUMENT`), holding the account only for this
/// call. A match verifies only if the contact and the code it matched are unchanged since step
/// one; then the failed attempts are cleared, outdated hashes are replaced (listed by the
/// verification) and the verification grants a `seccode_verified_call`. A failure stays
/// counted, as step one left it.
///
/// A portal with its own database runs this step in a second short transaction with the
/// account row locked, and saves the account in it.
///
/// On success the checked attempt is used up (a second finish fails with
/// `SECCODE_RESULT_CONFLICT`; it still has to be freed with `seccode_checked_attempt_free`) and
/// `*out_verification` receives a verification to free with `seccode_verification_free`. A
/// failed call leaves the checked attempt as it was.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_account_finish_verify(
    account: *mut crate::account::seccode_account,
    engine: *const seccode_engine,
    checked: *mut seccode_checked_attempt,
    out_verification: *mut *mut seccode_verification,
) -> seccode_result {
    ffi_guard! {
        let out_verification = out(out_verification);
        let engine = engine(engine);
        let mut slot = checked(checked);
        let mut account = account(account);
        =>
        let checked = slot
            .as_ref()
            .ok_or(consumed("the checked attempt was already finished"))?
            .clone();
        let verification = account.finish_verify(engine, checked)?;
        drop(account);
        *slot = None;
        drop(slot);
        let handle = into_handle::<seccode_verification>(verification);
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_verification.write(handle) };
        Ok(())
    }
}

/// The contact id an attempt is for (also after it was checked: then
/// `SECCODE_RESULT_CONFLICT`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_attempt_contact(
    attempt: *const seccode_attempt,
    out_contact_id: *mut u64,
) -> seccode_result {
    ffi_guard! {
        let out_contact_id = out(out_contact_id);
        let slot = attempt(attempt);
        =>
        let attempt = slot
            .as_ref()
            .ok_or(consumed("the attempt was already checked"))?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_contact_id.write(attempt.contact().0) };
        Ok(())
    }
}

/// Whether an attempt answers *locked* (the contact id is locked, or the account throttled):
/// `seccode_attempt_check` then runs no hash. For the portal's own bookkeeping only; the
/// caller is told the outcome of the finished verification. A checked attempt fails with
/// `SECCODE_RESULT_CONFLICT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_attempt_is_locked(
    attempt: *const seccode_attempt,
    out_locked: *mut bool,
) -> seccode_result {
    ffi_guard! {
        let out_locked = out(out_locked);
        let slot = attempt(attempt);
        =>
        let attempt = slot
            .as_ref()
            .ok_or(consumed("the attempt was already checked"))?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_locked.write(attempt.is_locked()) };
        Ok(())
    }
}

/// Free an attempt, checked or not. NULL does nothing; free each exactly once. An attempt
/// freed unchecked stays counted as a failure.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_attempt_free(attempt: *mut seccode_attempt) {
    ffi_guard! {
        =>
        // SAFETY: the caller hands back an attempt made by this library, exactly once.
        unsafe { free_handle(attempt) }
    }
}

/// Free a checked attempt, finished or not. NULL does nothing; free each exactly once. A
/// checked attempt freed unfinished stays counted as a failure.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_checked_attempt_free(checked: *mut seccode_checked_attempt) {
    ffi_guard! {
        =>
        // SAFETY: the caller hands back a checked attempt made by this library, exactly once.
        unsafe { free_handle(checked) }
    }
}

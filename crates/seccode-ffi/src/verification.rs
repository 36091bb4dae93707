//! `seccode_verification`: the result of verifying a caller.

use std::ffi::c_char;

use seccode::{Upgrade, Verification};

use crate::boundary::{Handle, borrow, free_handle, write_string};
use crate::enums::{seccode_outcome, seccode_slot, seccode_verify_reason};
use crate::guard::ffi_guard;
use crate::result::{Failure, seccode_result};

/// The result of `seccode_account_verify` (or `seccode_account_finish_verify`). Tell the caller
/// on the phone only the outcome; the reason is for the audit log. A success grants a
/// `seccode_verified_call` (`seccode_verification_call`).
///
/// Thread safety: immutable; may be read from any number of threads at once.
pub struct seccode_verification {
    _private: [u8; 0],
}

// SAFETY: `seccode_verification` is a zero-sized opaque type never constructed in Rust.
unsafe impl Handle for seccode_verification {
    type Inner = Verification;
}

/// The verification behind a handle.
///
/// # Safety
///
/// As for [`borrow`].
pub(crate) unsafe fn verification_of<'a>(
    verification: *const seccode_verification,
) -> Result<&'a Verification, Failure> {
    // SAFETY: forwarded contract.
    unsafe { borrow(verification) }
}

/// Free a verification. NULL does nothing; free each exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verification_free(verification: *mut seccode_verification) {
    ffi_guard! {
        =>
        // SAFETY: the caller hands back a verification made by this library, exactly once.
        unsafe { free_handle(verification) }
    }
}

/// Verified, not verified, or locked: all the caller may be told.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verification_outcome(
    verification: *const seccode_verification,
    out_outcome: *mut seccode_outcome,
) -> seccode_result {
    ffi_guard! {
        let out_outcome = out(out_outcome);
        let v = verification(verification);
        =>
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_outcome.write(v.outcome().into()) };
        Ok(())
    }
}

/// Why the verification ended as it did: for the audit log only, never for the caller (it
/// would tell which contacts exist and have codes).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verification_reason(
    verification: *const seccode_verification,
    out_reason: *mut seccode_verify_reason,
) -> seccode_result {
    ffi_guard! {
        let out_reason = out(out_reason);
        let v = verification(verification);
        =>
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_reason.write(v.reason().into()) };
        Ok(())
    }
}

/// The contact id the caller claimed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verification_contact(
    verification: *const seccode_verification,
    out_contact_id: *mut u64,
) -> seccode_result {
    ffi_guard! {
        let out_contact_id = out(out_contact_id);
        let v = verification(verification);
        =>
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_contact_id.write(v.contact().0) };
        Ok(())
    }
}

/// The contact's failed-attempt state after this verification: consecutive failures and the
/// end of its lock (Unix seconds; 0 when not locked).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verification_lock_state(
    verification: *const seccode_verification,
    out_failed_attempts: *mut u32,
    out_locked_until: *mut i64,
) -> seccode_result {
    ffi_guard! {
        let out_failed_attempts = out(out_failed_attempts);
        let out_locked_until = out(out_locked_until);
        let verification = verification(verification);
        =>
        let lock = verification.lock_status();
        // SAFETY: both checked above; writable by the caller's contract.
        unsafe {
            out_failed_attempts.write(lock.failed_attempts());
            out_locked_until.write(lock.locked_until().map_or(0, |t| t.unix_seconds()));
        }
        Ok(())
    }
}

/// How many stored hashes this (successful) verification upgraded: 0 unless a matching hash
/// used weaker parameters, another pepper, a legacy format or another normalization. The
/// account already holds the upgraded hashes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verification_upgrade_count(
    verification: *const seccode_verification,
    out_count: *mut usize,
) -> seccode_result {
    ffi_guard! {
        let out_count = out(out_count);
        let verification = verification(verification);
        =>
        let n = verification.upgrades().len();
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_count.write(n) };
        Ok(())
    }
}

/// The upgrade at `index` (below the upgrade count; otherwise
/// `SECCODE_RESULT_INVALID_ARGUMENT`): which code it replaces, and the new stored hash as the
/// JSON object the account data holds (`{"phc": ..., "normalization": ..., "binding": ...}`),
/// in a string to free with `seccode_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verification_upgrade(
    verification: *const seccode_verification,
    index: usize,
    out_slot: *mut seccode_slot,
    out_stored_hash_json: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_slot = out(out_slot);
        let out_json = out(out_stored_hash_json);
        =>
        // SAFETY: the caller passes a live verification handle.
        let upgrade = unsafe { upgrade_at(verification, index) }?;
        let json = serde_json::to_string(upgrade.hash()).map_err(|_| {
            Failure::Boundary(seccode_result::Internal, "serializing the hash failed")
        })?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_json, json) }?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_slot.write(upgrade.slot().into()) };
        Ok(())
    }
}

/// The PHC string alone of the upgrade at `index` (see `seccode_verification_upgrade`), in a
/// string to free with `seccode_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verification_upgrade_phc(
    verification: *const seccode_verification,
    index: usize,
    out_phc: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_phc = out(out_phc);
        =>
        // SAFETY: the caller passes a live verification handle.
        let upgrade = unsafe { upgrade_at(verification, index) }?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_phc, upgrade.hash().phc().to_owned()) }
    }
}

/// # Safety
///
/// As for [`borrow`].
unsafe fn upgrade_at<'a>(
    verification: *const seccode_verification,
    index: usize,
) -> Result<&'a Upgrade, Failure> {
    // SAFETY: forwarded contract.
    let v = unsafe { verification_of(verification) }?;
    v.upgrades()
        .get(index)
        .ok_or(Failure::invalid("upgrade index out of range"))
}

//! `seccode_verified_call`: what a successful verification grants (SPEC 7), a short-lived
//! permission for the call in progress, bound to its account and to the contact as it was.

use std::ffi::c_char;

use seccode::VerifiedCall;

use crate::boundary::{Handle, free_handle, into_handle, write_string};
use crate::enums::seccode_slot;
use crate::guard::ffi_guard;
use crate::result::{Failure, seccode_result};

/// What a successful verification grants: requests on its account, for the contact as it was
/// when it verified, until it expires (the engine's verification lifetime, 15 minutes by
/// default). The contact removed (even if its id is reused), deactivated, or its code changed
/// since makes it void; `seccode_account_authorize` then denies with
/// `SECCODE_DENY_REASON_VERIFICATION_VOID` (or `_EXPIRED`): verify again.
///
/// It holds no secret. `seccode_verified_call_to_json` lets a portal keep it in its own session
/// store, on the server side: it is not signed, so never hand it to the caller or the browser.
///
/// Thread safety: immutable; may be read from any number of threads at once.
pub struct seccode_verified_call {
    _private: [u8; 0],
}

// SAFETY: `seccode_verified_call` is a zero-sized opaque type never constructed in Rust.
unsafe impl Handle for seccode_verified_call {
    type Inner = VerifiedCall;
}

fn new_call(call: VerifiedCall) -> *mut seccode_verified_call {
    into_handle::<seccode_verified_call>(call)
}

/// The call a verification granted: `*out_call` receives a new verified call (freed with
/// `seccode_verified_call_free`) when the verification's outcome is *verified*, and NULL
/// otherwise (the call still succeeds).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verification_call(
    verification: *const crate::verification::seccode_verification,
    out_call: *mut *mut seccode_verified_call,
) -> seccode_result {
    ffi_guard! {
        let out_call = out(out_call);
        let verification = verification(verification);
        =>
        let handle = verification
            .call()
            .map_or(std::ptr::null_mut(), |call| new_call(call.clone()));
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_call.write(handle) };
        Ok(())
    }
}

/// Free a verified call. NULL does nothing; free each exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verified_call_free(call: *mut seccode_verified_call) {
    ffi_guard! {
        =>
        // SAFETY: the caller hands back a verified call made by this library, exactly once.
        unsafe { free_handle(call) }
    }
}

/// The account the call was verified on ("Client ID").
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verified_call_account(
    call: *const seccode_verified_call,
    out_account_id: *mut u64,
) -> seccode_result {
    ffi_guard! {
        let out_account_id = out(out_account_id);
        let call = call(call);
        =>
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_account_id.write(call.account().0) };
        Ok(())
    }
}

/// The contact that verified.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verified_call_contact(
    call: *const seccode_verified_call,
    out_contact_id: *mut u64,
) -> seccode_result {
    ffi_guard! {
        let out_contact_id = out(out_contact_id);
        let call = call(call);
        =>
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_contact_id.write(call.contact().0) };
        Ok(())
    }
}

/// Which code the contact verified with.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verified_call_slot(
    call: *const seccode_verified_call,
    out_slot: *mut seccode_slot,
) -> seccode_result {
    ffi_guard! {
        let out_slot = out(out_slot);
        let call = call(call);
        =>
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_slot.write(call.slot().into()) };
        Ok(())
    }
}

/// When the caller verified (Unix seconds on the engine's clock).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verified_call_verified_at(
    call: *const seccode_verified_call,
    out_unix_secs: *mut i64,
) -> seccode_result {
    ffi_guard! {
        let out_unix_secs = out(out_unix_secs);
        let call = call(call);
        =>
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_unix_secs.write(call.verified_at().unix_seconds()) };
        Ok(())
    }
}

/// When the call stops authorizing anything (Unix seconds on the engine's clock): the time of
/// the verification plus the engine's verification lifetime.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verified_call_expires_at(
    call: *const seccode_verified_call,
    out_unix_secs: *mut i64,
) -> seccode_result {
    ffi_guard! {
        let out_unix_secs = out(out_unix_secs);
        let call = call(call);
        =>
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_unix_secs.write(call.expires_at().unix_seconds()) };
        Ok(())
    }
}

/// The call as JSON, for the portal's server-side session store (no secret in it, but not
/// signed either: never give it to the caller), in a string to free with
/// `seccode_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verified_call_to_json(
    call: *const seccode_verified_call,
    out_json: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_json = out(out_json);
        let call = call(call);
        =>
        let json = serde_json::to_string(call).map_err(|_| {
            Failure::Boundary(seccode_result::Internal, "serializing the verified call failed")
        })?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_json, json) }
    }
}

/// A call kept by `seccode_verified_call_to_json`, read back. Anything else fails with
/// `SECCODE_RESULT_MALFORMED_DATA`.
///
/// `*out_call` receives a verified call to free with `seccode_verified_call_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verified_call_from_json(
    json: *const u8,
    json_len: usize,
    out_call: *mut *mut seccode_verified_call,
) -> seccode_result {
    ffi_guard! {
        let out_call = out(out_call);
        let json = text(json, json_len);
        =>
        // serde's message could quote the input: report a fixed text instead.
        let call: VerifiedCall = serde_json::from_str(json).map_err(|_| {
            Failure::Boundary(
                seccode_result::MalformedData,
                "not a verified call as seccode_verified_call_to_json writes it",
            )
        })?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_call.write(new_call(call)) };
        Ok(())
    }
}

//! Functions that need no account: plain PHC hashing and verification, the version, messages
//! for result codes and policy reasons, the last error, and freeing strings.

use std::ffi::c_char;

use seccode::{Normalization, PolicyContext, Reason};

use crate::boundary::{self, buffer, write_string};
use crate::engine::{engine_of, seccode_engine};
use crate::enums::from_c;
use crate::guard::{Quiet, StaticStr, ffi_guard};
use crate::result::{self, Failure, seccode_result};

/// The library's version, e.g. `0.1.0`: a static NUL-terminated string, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn seccode_version() -> *const c_char {
    ffi_guard! { => StaticStr(VERSION) }
}

const VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
) {
    Ok(v) => v,
    Err(_) => c"unknown",
};

/// Free a string this library returned through a `char **` output. NULL does nothing; free
/// each string exactly once, and never with `free()`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_string_free(s: *mut c_char) {
    ffi_guard! {
        =>
        // SAFETY: the caller hands back a string made by this library, exactly once.
        unsafe { boundary::free_string(s) }
    }
}

/// Hash a security code to a plain Argon2id PHC string (no account binding, no pepper; the
/// engine's parameters; the code normalized as `normalization`, a `seccode_normalization`
/// says), which argon2-cffi, libsodium and the reference implementation verify. The string is
/// freed with `seccode_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_hash_code(
    engine: *const seccode_engine,
    code: *const u8,
    code_len: usize,
    normalization: u32,
    out_phc: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_phc = out(out_phc);
        let n = enum_arg(Normalization, normalization);
        let code = code(code, code_len);
        let engine = engine(engine);
        =>
        let phc = engine.verifier().hash_plain(&code, n)?;
        drop(code);
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_phc, phc) }
    }
}

/// Check a security code, normalized as `normalization` says, against a plain Argon2id PHC
/// string (from `seccode_hash_code`, argon2-cffi, libsodium...). A wrong code is not an
/// error: `*out_matched` receives false. A malformed PHC string fails with
/// `SECCODE_RESULT_MALFORMED_DATA` (also when its parameters exceed the engine's ceilings).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_verify_code(
    engine: *const seccode_engine,
    phc: *const u8,
    phc_len: usize,
    code: *const u8,
    code_len: usize,
    normalization: u32,
    out_matched: *mut bool,
) -> seccode_result {
    ffi_guard! {
        let out_matched = out(out_matched);
        let n = enum_arg(Normalization, normalization);
        let phc = text(phc, phc_len);
        let code = code(code, code_len);
        let engine = engine(engine);
        =>
        let matched = engine.verifier().verify_plain(phc, &code, n)?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_matched.write(matched) };
        Ok(())
    }
}

/// Check a candidate code against the engine's code policy without an account (a sign-up form,
/// a batch check), as `normalization` (a `seccode_normalization`) compares it. What the code
/// must not contain: `account_id` (0: none), `account_name` (`(NULL, 0)`: none) and the name,
/// email and phone of `contact` (empty fields: none; `seccode_contact_details_new` gives all
/// empty). For a code of an existing account, `seccode_account_check_code` fills these in.
///
/// On success `*out_count` receives the number of rejection reasons (0: acceptable) and the
/// array `(reasons, reasons_len)` their `seccode_reason` numbers, as for
/// `seccode_account_check_code`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_check_code(
    engine: *const seccode_engine,
    code: *const u8,
    code_len: usize,
    normalization: u32,
    account_id: u64,
    account_name: *const u8,
    account_name_len: usize,
    contact: *const crate::details::seccode_contact_details,
    reasons: *mut u32,
    reasons_len: usize,
    out_count: *mut usize,
) -> seccode_result {
    ffi_guard! {
        let buf = buffer(reasons, reasons_len, out_count);
        let n = enum_arg(Normalization, normalization);
        let code = code(code, code_len);
        let account_name = text(account_name, account_name_len);
        let contact = details(contact);
        let engine = engine(engine);
        =>
        let context = PolicyContext {
            account_id: (account_id != 0).then_some(account_id),
            account_name: given(account_name),
            contact_name: given(&contact.name),
            email: given(&contact.email),
            phone: given(&contact.phone),
        };
        let found: Vec<u32> = engine
            .policy()
            .check(&code, n, &context)
            .into_iter()
            .map(|r| r.number())
            .collect();
        drop(code);
        // SAFETY: the caller's array holds `reasons_len` writable entries.
        unsafe { buf.fill(&found) }
    }
}

/// An optional text given as C's empty string.
fn given(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// Write the message for a result code (any number; unknown ones get a generic message) into
/// the caller's buffer `(buf, len)` with a terminating NUL. `*out_len` receives the message's
/// length without the NUL; if `len` is not larger than that, nothing is written into `buf`
/// and `SECCODE_RESULT_BUFFER_TOO_SMALL` is returned (`(NULL, 0)` asks for the length).
/// Does not change the last error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_result_message(
    result: u32,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> seccode_result {
    ffi_guard! {
        =>
        let message = seccode_result::from_number(result)
            .map_or("unknown result code", seccode_result::message);
        // SAFETY: the caller's buffer holds `len` writable bytes, `out_len` a `size_t`.
        Quiet(unsafe { fill_text(Ok(message), buf, len, out_len) })
    }
}

/// Write the message for a policy rejection reason (a `seccode_reason` number), e.g. `the code
/// must have at least 8 characters, not counting spaces and punctuation`, into the caller's
/// buffer, as `seccode_result_message` does. An unknown number fails with
/// `SECCODE_RESULT_INVALID_ARGUMENT`. Does not change the last error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_reason_message(
    reason: u32,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> seccode_result {
    ffi_guard! {
        =>
        let text = from_c::<Reason>(reason).map(|r| r.message());
        // SAFETY: the caller's buffer holds `len` writable bytes, `out_len` a `size_t`.
        Quiet(unsafe { fill_text(text, buf, len, out_len) })
    }
}

/// Write the message for a policy rejection reason worded with the engine's code policy (its
/// minimum and maximum length and strength, see `seccode_engine_config_set_policy`), e.g. `the
/// code must have at least 12 characters, not counting spaces and punctuation`, into the
/// caller's buffer, as `seccode_result_message` does. An unknown number fails with
/// `SECCODE_RESULT_INVALID_ARGUMENT`. Does not change the last error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_reason_message(
    engine: *const seccode_engine,
    reason: u32,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> seccode_result {
    ffi_guard! {
        =>
        let text = from_c::<Reason>(reason).and_then(|r| {
            // SAFETY: the caller passes a live engine handle.
            let engine = unsafe { engine_of(engine) }?;
            Ok(engine.policy().describe(r))
        });
        // SAFETY: the caller's buffer holds `len` writable bytes, `out_len` a `size_t`.
        Quiet(unsafe { fill_text(text, buf, len, out_len) })
    }
}

/// Write the stable snake_case name of a policy rejection reason, e.g. `too_short` or
/// `ssn_shaped` (for translation tables), into the caller's buffer, as
/// `seccode_result_message` does. Does not change the last error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_reason_code(
    reason: u32,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> seccode_result {
    ffi_guard! {
        =>
        let text =
            from_c::<Reason>(reason).map(|r| r.code());
        // SAFETY: the caller's buffer holds `len` writable bytes, `out_len` a `size_t`.
        Quiet(unsafe { fill_text(text, buf, len, out_len) })
    }
}

/// Write the detailed message of the last call on this thread that failed (e.g. `permission
/// denied: requires the primary contact or `Manage Contacts / Update` allow`; never a code)
/// into the caller's buffer, as `seccode_result_message` does; an empty string if no call has
/// failed on this thread. Successful calls do not clear it. Does not change the last error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_last_error_message(
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> seccode_result {
    ffi_guard! {
        =>
        let message = result::with_last(|m, _| m.to_owned()).unwrap_or_default();
        // SAFETY: the caller's buffer holds `len` writable bytes, `out_len` a `size_t`.
        Quiet(unsafe { fill_text(Ok(&message), buf, len, out_len) })
    }
}

/// Write the stable snake_case name of the last failure on this thread into the caller's
/// buffer, as `seccode_result_message` does: the core's error name (`unknown_contact`,
/// `already_set`, `hash_ceiling_exceeded`, ...) or, for a failure found at the C boundary,
/// the result's name (`null_argument`, `invalid_utf8`, ...); an empty string if no call has
/// failed on this thread. For logs and translation tables. Does not change the last error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_last_error_name(
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> seccode_result {
    ffi_guard! {
        =>
        let name = result::last_name();
        // SAFETY: the caller's buffer holds `len` writable bytes, `out_len` a `size_t`.
        Quiet(unsafe { fill_text(Ok(name), buf, len, out_len) })
    }
}

/// The policy rejection reasons (`seccode_reason` numbers) of the last call on this thread
/// that failed, into the caller's array `(reasons, reasons_len)`; `*out_count` receives their
/// number (0 unless that call failed with `SECCODE_RESULT_POLICY_REJECTED`). When it exceeds
/// `reasons_len`, nothing is written into the array and `SECCODE_RESULT_BUFFER_TOO_SMALL` is
/// returned. Does not change the last error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_last_error_reasons(
    reasons: *mut u32,
    reasons_len: usize,
    out_count: *mut usize,
) -> seccode_result {
    ffi_guard! {
        =>
        let list: Vec<u32> = result::with_last(|_, r| r.to_vec()).unwrap_or_default();
        Quiet(buffer(reasons, reasons_len, out_count).and_then(|buf| {
            // SAFETY: the caller's array holds `reasons_len` writable entries.
            unsafe { buf.fill(&list) }
        }))
    }
}

/// Write `text` into a caller buffer checked here.
///
/// # Safety
///
/// `buf` must be NULL or valid for writing `len` bytes; `out_len` valid for a `size_t`.
unsafe fn fill_text<S: AsRef<str>>(
    text: Result<S, Failure>,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> Result<(), Failure> {
    let buf = buffer(buf, len, out_len)?;
    // SAFETY: forwarded contract.
    unsafe { buf.fill_text(text?.as_ref()) }
}

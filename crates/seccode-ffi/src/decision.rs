//! `seccode_decision`: what support may do with a verified caller's request.

use std::ffi::c_char;

use seccode::Decision;

use crate::boundary::{Handle, borrow, free_handle, write_string};
use crate::enums::{seccode_deny_reason, seccode_verdict};
use crate::guard::ffi_guard;
use crate::result::{Failure, seccode_result};

/// A decision on a request: allowed, needs approval (from the listed approvers), or denied
/// (with a reason).
///
/// Thread safety: immutable; may be read from any number of threads at once.
pub struct seccode_decision {
    _private: [u8; 0],
}

pub(crate) struct DecisionInner(pub(crate) Decision);

// SAFETY: `seccode_decision` is a zero-sized opaque type never constructed in Rust.
unsafe impl Handle for seccode_decision {
    type Inner = DecisionInner;
}

/// # Safety
///
/// As for [`borrow`].
pub(crate) unsafe fn decision_of<'a>(
    decision: *const seccode_decision,
) -> Result<&'a Decision, Failure> {
    // SAFETY: forwarded contract.
    Ok(&unsafe { borrow(decision) }?.0)
}

/// Free a decision. NULL does nothing; free each exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_decision_free(decision: *mut seccode_decision) {
    ffi_guard! {
        =>
        // SAFETY: the caller hands back a decision made by this library, exactly once.
        unsafe { free_handle(decision) }
    }
}

/// Allowed, needs approval, or denied.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_decision_verdict(
    decision: *const seccode_decision,
    out_verdict: *mut seccode_verdict,
) -> seccode_result {
    ffi_guard! {
        let out_verdict = out(out_verdict);
        let d = decision(decision);
        =>
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_verdict.write(d.into()) };
        Ok(())
    }
}

/// Why the request was denied (`SECCODE_DENY_REASON_NONE` when it was not).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_decision_deny_reason(
    decision: *const seccode_decision,
    out_reason: *mut seccode_deny_reason,
) -> seccode_result {
    ffi_guard! {
        let out_reason = out(out_reason);
        let d = decision(decision);
        =>
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_reason.write(d.into()) };
        Ok(())
    }
}

/// The contact ids who may approve the request (the primary contact), into the caller's array
/// `(ids, ids_len)`; `*out_count` receives their number (0 unless the decision needs
/// approval). When it exceeds `ids_len`, nothing is written into the array and the call fails
/// with `SECCODE_RESULT_BUFFER_TOO_SMALL`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_decision_approvers(
    decision: *const seccode_decision,
    ids: *mut u64,
    ids_len: usize,
    out_count: *mut usize,
) -> seccode_result {
    ffi_guard! {
        let buf = buffer(ids, ids_len, out_count);
        let d = decision(decision);
        =>
        let approvers: Vec<u64> = match d {
            Decision::NeedsApproval { approvers } => approvers.iter().map(|c| c.0).collect(),
            Decision::Allowed | Decision::Denied { .. } => Vec::new(),
        };
        // SAFETY: the caller's array holds `ids_len` writable entries.
        unsafe { buf.fill(&approvers) }
    }
}

/// The decision in words for the support agent, e.g. `needs additional approval from contact
/// 3522` or `denied: requires the primary contact or `Billing & Services / Update` allow`, in
/// a string to free with `seccode_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_decision_message(
    decision: *const seccode_decision,
    out_text: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_text = out(out_text);
        let decision = decision(decision);
        =>
        let text = decision.to_string();
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_text, text) }
    }
}

/// The decision as JSON, e.g. `{"decision":"needs_approval","approvers":[3522]}` or
/// `{"decision":"denied","reason":"missing_permission","requirement":"..."}`, in a string to
/// free with `seccode_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_decision_to_json(
    decision: *const seccode_decision,
    out_json: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_json = out(out_json);
        let d = decision(decision);
        =>
        let json = serde_json::to_string(d).map_err(|_| {
            Failure::Boundary(seccode_result::Internal, "serializing the decision failed")
        })?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_json, json) }
    }
}

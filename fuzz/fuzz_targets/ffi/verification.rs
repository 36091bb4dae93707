//! What a verification handle must answer: the claimed contact, no upgrade without a
//! verified outcome, upgrades readable up to their count and refused beyond it, a verified call
//! exactly when verified (valid on its account, for its contact), and no request of an
//! unverified caller authorized.

use std::ptr::null_mut;

use seccode_ffi::*;

use crate::contract::{ok, take_string};

/// Read everything from a verification of `contact` and check it.
pub(crate) fn verification_checks(
    account: *const seccode_account,
    engine: *const seccode_engine,
    v: *mut seccode_verification,
    contact: u64,
) {
    let mut outcome = seccode_outcome::Locked;
    let mut reason = seccode_verify_reason::Locked;
    let mut who = 0u64;
    let mut failed = 0u32;
    let mut until = 0i64;
    let mut count = usize::MAX;
    // SAFETY: live verification handle, valid outputs.
    unsafe {
        assert!(ok(seccode_verification_outcome(v, &mut outcome)));
        assert!(ok(seccode_verification_reason(v, &mut reason)));
        assert!(ok(seccode_verification_contact(v, &mut who)));
        assert!(ok(seccode_verification_lock_state(
            v,
            &mut failed,
            &mut until
        )));
        assert!(ok(seccode_verification_upgrade_count(v, &mut count)));
    }
    assert_eq!(who, contact);
    if outcome != seccode_outcome::Verified {
        assert_eq!(count, 0, "upgrades without a verification");
    }
    let mut call = null_mut();
    // SAFETY: live verification handle, valid output.
    assert!(ok(unsafe { seccode_verification_call(v, &mut call) }));
    assert_eq!(
        call.is_null(),
        outcome != seccode_outcome::Verified,
        "a call granted without a verification, or none with one"
    );
    if !call.is_null() {
        let mut status = seccode_call_status::Void;
        let mut called = 0u64;
        // SAFETY: live handles, valid outputs; the call is freed once.
        unsafe {
            assert!(ok(seccode_account_call_status(
                account,
                engine,
                call,
                &mut status
            )));
            assert!(ok(seccode_verified_call_contact(call, &mut called)));
            seccode_verified_call_free(call);
        }
        assert_eq!(
            status,
            seccode_call_status::Valid,
            "a fresh call is not valid"
        );
        assert_eq!(called, contact);
    }
    for index in 0..=count {
        let mut slot = seccode_slot::AccountWide;
        let mut json = null_mut();
        let mut phc = null_mut();
        // SAFETY: live handle, valid outputs; `index == count` is out of range.
        let (a, b) = unsafe {
            (
                seccode_verification_upgrade(v, index, &mut slot, &mut json),
                seccode_verification_upgrade_phc(v, index, &mut phc),
            )
        };
        if index < count {
            assert!(ok(a) && ok(b));
            take_string(json);
            assert!(take_string(phc).starts_with("$argon2id$v=19$"));
        } else {
            assert!(!ok(a) && !ok(b));
            assert!(json.is_null() && phc.is_null(), "output written on failure");
        }
    }
    for kind in 0..5u32 {
        let mut decision = null_mut();
        // SAFETY: live handles, valid output.
        if ok(unsafe {
            seccode_account_authorize_verified(account, engine, v, kind, &mut decision)
        }) {
            let mut verdict = seccode_verdict::Allowed;
            // SAFETY: live decision handle; freed once.
            unsafe {
                assert!(ok(seccode_decision_verdict(decision, &mut verdict)));
                if outcome != seccode_outcome::Verified {
                    assert_eq!(
                        verdict,
                        seccode_verdict::Denied,
                        "an unverified caller is allowed"
                    );
                }
                seccode_decision_free(decision);
            }
        } else {
            assert!(decision.is_null() && kind >= 4);
        }
    }
}

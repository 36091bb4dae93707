//! Untrusted input: the C entry points of crates/seccode-ffi, called directly from Rust with
//! arbitrary bytes, lengths, ids, enum numbers, NULL pointers and buffer sizes.
//!
//! Input layout: an account JSON document up to the first 0xFF byte (a byte UTF-8 never holds;
//! loaded with `seccode_account_from_json`; a built-in account when it does not load), then
//! the bytes `arbitrary` turns into an engine configuration and up to 48 operations on the
//! account.
//!
//! Checked on every call: no `SECCODE_RESULT_PANIC` (and libFuzzer's panic hook aborts on any
//! panic, even one the guard catches); outputs are written only on success; `(NULL, len > 0)`
//! inputs and NULL handles or outputs are `SECCODE_RESULT_NULL_ARGUMENT`; a verification with a
//! valid code always succeeds (a wrong code is an outcome, not an error); strings returned are
//! valid NUL-terminated UTF-8 and freed exactly once.
//!
//! One module per idea: `inputs` (the arguments), `setup` (engine and built-in account),
//! `ops` (the operations and their checks), `contract` (what every call must satisfy),
//! `verification` (what a verification must answer), `secrets` (no code in any output).
#![no_main]

#[path = "ffi/contract.rs"]
mod contract;
#[path = "ffi/inputs.rs"]
mod inputs;
#[path = "ffi/ops.rs"]
mod ops;
#[path = "ffi/secrets.rs"]
mod secrets;
#[path = "ffi/setup.rs"]
mod setup;
#[path = "ffi/verification.rs"]
mod verification;

use std::ptr::null_mut;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use seccode_ffi::*;

use crate::contract::ok;
use crate::ops::{Op, run};
use crate::secrets::record_text;
use crate::setup::{Engine, EngineSpec, base_json};

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == 0xFF).unwrap_or(data.len());
    let (json, rest) = data.split_at(split);
    let mut u = Unstructured::new(rest.get(1..).unwrap_or_default());
    let Ok(spec) = EngineSpec::arbitrary(&mut u) else {
        return;
    };
    secrets::clear();
    record_text(json);
    let engine = Engine::new(&spec);

    let mut account = null_mut();
    // SAFETY: `json` is a live slice; valid output.
    if !ok(unsafe { seccode_account_from_json(json.as_ptr(), json.len(), &mut account) }) {
        assert!(account.is_null(), "output written on failure");
        let base = base_json();
        // SAFETY: as above.
        assert!(ok(unsafe {
            seccode_account_from_json(base.as_ptr(), base.len(), &mut account)
        }));
    }
    for _ in 0..48 {
        let Ok(op) = Op::arbitrary(&mut u) else {
            break;
        };
        run(&mut account, &engine, &op);
    }
    // SAFETY: live handle, freed once.
    unsafe { seccode_account_free(account) };
});

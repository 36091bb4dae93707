//! The panic guard: every exported function's body runs inside [`guard`], so no panic ever
//! unwinds into C (which would be undefined behaviour, or an abort since Rust 1.81).

use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::result::{self, Failure, seccode_result};

/// What an exported body produces, and what the C caller receives from it.
pub(crate) trait IntoFfi {
    /// The C return type.
    type Ffi;
    /// The value for a body that completed.
    fn into_ffi(self) -> Self::Ffi;
    /// The value for a body that panicked.
    fn panicked() -> Self::Ffi;
}

impl IntoFfi for Result<(), Failure> {
    type Ffi = seccode_result;

    fn into_ffi(self) -> seccode_result {
        match self {
            Ok(()) => seccode_result::Ok,
            Err(failure) => {
                result::record(&failure);
                failure.code()
            }
        }
    }

    fn panicked() -> seccode_result {
        seccode_result::Panic
    }
}

/// The body of a function that describes errors: its own failures (a buffer too small) are
/// returned but not recorded, so asking for the last error's length does not replace it.
pub(crate) struct Quiet(pub(crate) Result<(), Failure>);

impl IntoFfi for Quiet {
    type Ffi = seccode_result;

    fn into_ffi(self) -> seccode_result {
        match self.0 {
            Ok(()) => seccode_result::Ok,
            Err(failure) => failure.code(),
        }
    }

    fn panicked() -> seccode_result {
        seccode_result::Panic
    }
}

impl IntoFfi for () {
    type Ffi = ();

    fn into_ffi(self) {}

    fn panicked() {}
}

/// A pointer to a static NUL-terminated string.
pub(crate) struct StaticStr(pub(crate) &'static std::ffi::CStr);

impl IntoFfi for StaticStr {
    type Ffi = *const c_char;

    fn into_ffi(self) -> *const c_char {
        self.0.as_ptr()
    }

    fn panicked() -> *const c_char {
        c"".as_ptr()
    }
}

/// Run an exported function's body, catching any panic: a panic becomes
/// [`seccode_result::Panic`] (or the function's neutral value) and the thread's last error.
pub(crate) fn guard<R: IntoFfi>(body: impl FnOnce() -> R) -> R::Ffi {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(value) => value.into_ffi(),
        Err(payload) => {
            // Dropping the payload runs foreign code that could itself panic: contain it too.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            result::record_panic();
            R::panicked()
        }
    }
}

/// The body of an exported function: its C arguments converted, in the order written, then
/// its work, all inside [`guard`]. A conversion that fails ends the call with its error before
/// any later conversion runs, so the order of the `let` lines is part of the ABI's behaviour.
///
/// ```ignore
/// ffi_guard! {
///     let out_json = out(out_json);            // an output pointer, checked
///     let name = text(name, name_len);         // a UTF-8 `(ptr, len)` input
///     let mut account = account(account);      // a handle, locked
///     => /* the work, returning Result<(), Failure> */
/// }
/// ```
///
/// The conversions are those of [`ffi_arg!`]. The function's signature stays written out (it
/// is what cbindgen reads, and cbindgen does not expand macros); `tests/guarded.rs` checks
/// that every exported body is exactly one call of this macro, and that this macro expands to
/// exactly one [`guard`] call.
macro_rules! ffi_guard {
    ($(let $binding:pat = $kind:ident($($arg:tt)*);)* => $($body:tt)*) => {
        $crate::guard::guard(|| {
            $(let $binding = $crate::guard::ffi_arg!($kind($($arg)*));)*
            $($body)*
        })
    };
}
pub(crate) use ffi_guard;

/// One argument conversion of [`ffi_guard!`]; each returns early with its failure.
///
/// - `out(ptr)`: an output pointer, checked for NULL and alignment, written on success;
/// - `buffer(buf, len, out_len)`: a caller buffer and its length output;
/// - `enum_arg(Type, n)`: the core value of a C enum number;
/// - `bytes(ptr, len)`: a byte input; `text(ptr, len)`: a UTF-8 input; `code(ptr, len)`: a
///   security code, copied once into the core's wiped buffer;
/// - `engine(ptr)`, `catalog(ptr)`, `verification(ptr)`, `decision(ptr)`, `call(ptr)`: the
///   value behind a handle; `account(ptr)`, `config(ptr)`: the account or engine config,
///   locked for the rest of the call; `account_cell(ptr)`: the account's mutex, not locked (for
///   a call that locks it only for some steps); `attempt(ptr)`, `checked(ptr)`: the slot of a
///   verification step, locked for the rest of the call; `details(ptr)`: a copy of the contact
///   details (locked while copying).
///
/// Every `unsafe` block here relies on the crate's one contract for exported functions (see
/// the crate documentation, "Safety"): a handle is NULL or live, an input `(ptr, len)` is
/// `(NULL, 0)` or `len` readable bytes.
macro_rules! ffi_arg {
    (out($ptr:expr)) => {
        $crate::boundary::out($ptr)?
    };
    (buffer($buf:expr, $len:expr, $out_len:expr)) => {
        $crate::boundary::buffer($buf, $len, $out_len)?
    };
    (enum_arg($type:ty, $number:expr)) => {
        $crate::enums::from_c::<$type>($number)?
    };
    (bytes($ptr:expr, $len:expr)) => {
        // SAFETY: the caller passes a readable input.
        unsafe { $crate::boundary::bytes($ptr, $len) }?
    };
    (text($ptr:expr, $len:expr)) => {
        // SAFETY: the caller passes a readable input.
        unsafe { $crate::boundary::text($ptr, $len) }?
    };
    (code($ptr:expr, $len:expr)) => {
        // SAFETY: the caller passes a readable input.
        unsafe { $crate::boundary::code($ptr, $len) }?
    };
    (engine($ptr:expr)) => {
        // SAFETY: the caller passes a live engine handle.
        unsafe { $crate::engine::engine_of($ptr) }?
    };
    (account($ptr:expr)) => {
        // SAFETY: the caller passes a live account handle.
        unsafe { $crate::account::account_of($ptr) }?
    };
    (account_cell($ptr:expr)) => {
        // SAFETY: the caller passes a live account handle.
        unsafe { $crate::boundary::borrow::<$crate::account::seccode_account>($ptr) }?
    };
    (attempt($ptr:expr)) => {
        // SAFETY: the caller passes a live attempt handle.
        unsafe { $crate::attempt::slot_of::<$crate::attempt::seccode_attempt, _>($ptr) }?
    };
    (checked($ptr:expr)) => {
        // SAFETY: the caller passes a live checked-attempt handle.
        unsafe { $crate::attempt::slot_of::<$crate::attempt::seccode_checked_attempt, _>($ptr) }?
    };
    (call($ptr:expr)) => {
        // SAFETY: the caller passes a live verified-call handle.
        unsafe { $crate::boundary::borrow::<$crate::call::seccode_verified_call>($ptr) }?
    };
    (details($ptr:expr)) => {
        // SAFETY: the caller passes a live details handle.
        unsafe { $crate::details::details_of($ptr) }?.clone()
    };
    (catalog($ptr:expr)) => {
        // SAFETY: the caller passes a live catalog handle.
        unsafe { $crate::catalog::catalog_of($ptr) }?
    };
    (verification($ptr:expr)) => {
        // SAFETY: the caller passes a live verification handle.
        unsafe { $crate::verification::verification_of($ptr) }?
    };
    (config($ptr:expr)) => {
        // SAFETY: the caller passes a live config handle.
        unsafe { $crate::engine::config_of($ptr) }?
    };
    (decision($ptr:expr)) => {
        // SAFETY: the caller passes a live decision handle.
        unsafe { $crate::decision::decision_of($ptr) }?
    };
}
pub(crate) use ffi_arg;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::panic)]
    fn a_panic_becomes_a_result_code() {
        let r = guard(|| -> Result<(), Failure> { panic!("boom") });
        assert_eq!(r, seccode_result::Panic);
        let message = result::with_last(|m, _| m.to_owned()).unwrap();
        assert!(message.contains("panic"), "{message}");
        let p = guard(|| -> StaticStr { panic!("boom") });
        assert!(!p.is_null());
        guard(|| {
            if p.is_null() {
                return;
            }
            panic!("boom")
        });
    }

    #[test]
    fn errors_are_recorded() {
        let r = guard(|| Err(Failure::null()));
        assert_eq!(r, seccode_result::NullArgument);
        let ok = guard(|| Ok(()));
        assert_eq!(ok, seccode_result::Ok);
    }
}

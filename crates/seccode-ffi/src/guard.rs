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

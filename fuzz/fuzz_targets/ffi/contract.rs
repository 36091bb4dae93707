//! The ABI contract every call is held to: no panic reaches the caller, returned strings are
//! NUL-terminated UTF-8 freed once, `(NULL, len > 0)` is refused, caller buffers are written
//! only when they are large enough.

use std::ffi::{CStr, c_char};
use std::ptr::null_mut;

use seccode_ffi::*;

use crate::inputs::Arg;

/// Whether a call succeeded; it must not have panicked.
pub(crate) fn ok(r: seccode_result) -> bool {
    assert_ne!(r, seccode_result::Panic, "a call panicked");
    r == seccode_result::Ok
}

/// Take a string the library returned: it must be NUL-terminated UTF-8; free it once.
pub(crate) fn take_string(s: *mut c_char) -> String {
    assert!(!s.is_null(), "a successful call returned a NULL string");
    // SAFETY: the library returned a NUL-terminated string it allocated.
    let text = unsafe { CStr::from_ptr(s) }
        .to_str()
        .expect("UTF-8")
        .to_owned();
    // SAFETY: returned by the library, freed exactly once.
    unsafe { seccode_string_free(s) };
    text
}

/// The account's contact ids, through the C API (asking for the count first).
pub(crate) fn contact_ids(account: *const seccode_account) -> Vec<u64> {
    let mut count = 0usize;
    // SAFETY: live handle; `(NULL, 0)` asks for the count.
    let r = unsafe { seccode_account_contact_ids(account, null_mut(), 0, &mut count) };
    assert!(
        r == seccode_result::Ok || r == seccode_result::BufferTooSmall,
        "{r:?}"
    );
    let mut ids = vec![0u64; count];
    // SAFETY: `ids` holds `count` entries.
    assert!(ok(unsafe {
        seccode_account_contact_ids(account, ids.as_mut_ptr(), ids.len(), &mut count)
    }));
    assert_eq!(count, ids.len());
    ids
}

/// A `(NULL, len > 0)` input must be refused (as a NULL argument, unless another argument is
/// refused first).
pub(crate) fn expect_null_refused(arg: &Arg, r: seccode_result) {
    if arg.ptr.is_null() && arg.len > 0 {
        assert_ne!(r, seccode_result::Ok, "(NULL, {}) accepted", arg.len);
    }
}

/// Call a function that writes text into a caller buffer of `len` bytes, and check the buffer
/// contract: NUL-terminated UTF-8 when it fits, untouched when it does not.
pub(crate) fn text_buffer_call(
    len: u8,
    call: impl FnOnce(*mut c_char, usize, *mut usize) -> seccode_result,
) {
    let mut buf = vec![0x55u8; usize::from(len)];
    let mut needed = usize::MAX;
    let ptr = if buf.is_empty() {
        null_mut()
    } else {
        buf.as_mut_ptr().cast::<c_char>()
    };
    let r = call(ptr, buf.len(), &mut needed);
    match r {
        seccode_result::Ok => {
            assert!(needed < buf.len());
            assert_eq!(buf[needed], 0, "no terminating NUL");
            std::str::from_utf8(&buf[..needed]).expect("UTF-8 message");
        }
        seccode_result::BufferTooSmall => {
            assert!(needed >= buf.len(), "too small but it fits");
            assert!(
                buf.iter().all(|b| *b == 0x55),
                "written into a too-small buffer"
            );
        }
        other => {
            ok(other);
        }
    }
}

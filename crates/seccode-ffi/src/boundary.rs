//! Crossing the boundary: opaque handles, input slices and strings, output pointers and
//! buffers. Every `unsafe` operation of the crate on caller memory lives here.

use std::ffi::{CString, c_char};

use seccode::SecurityCode;

use crate::result::{Failure, seccode_result};

/// An opaque C handle type and the Rust value it stands for. A handle pointer given to C is a
/// `Box<Inner>` turned into a raw pointer and cast to the opaque type.
///
/// # Safety
///
/// Implementors must be zero-sized opaque types that are never constructed in Rust, so that a
/// pointer to one is only ever a cast pointer to `Inner`.
pub(crate) unsafe trait Handle {
    /// The Rust value behind the handle.
    type Inner;
}

/// Box `inner` and give out its pointer as the opaque handle type.
pub(crate) fn into_handle<H: Handle>(inner: H::Inner) -> *mut H {
    Box::into_raw(Box::new(inner)).cast::<H>()
}

/// Borrow the value behind a handle for the duration of a call.
///
/// # Safety
///
/// `ptr` must be NULL or a pointer returned by this library for a handle of type `H` that has
/// not been freed, and no other thread may free it during the call.
pub(crate) unsafe fn borrow<'a, H: Handle>(ptr: *const H) -> Result<&'a H::Inner, Failure> {
    let inner = ptr.cast::<H::Inner>();
    if inner.is_null() {
        return Err(Failure::null());
    }
    if !inner.is_aligned() {
        return Err(Failure::invalid("a handle pointer is misaligned"));
    }
    // SAFETY: non-null and aligned; by the caller's contract it points to a live `Inner` made
    // by `into_handle`. Only shared references are ever made from handles.
    Ok(unsafe { &*inner })
}

/// Free the value behind a handle; NULL does nothing.
///
/// # Safety
///
/// `ptr` must be NULL or a pointer returned by this library for a handle of type `H`, not
/// freed before and not used afterwards.
pub(crate) unsafe fn free_handle<H: Handle>(ptr: *mut H) {
    let inner = ptr.cast::<H::Inner>();
    if inner.is_null() || !inner.is_aligned() {
        return;
    }
    // SAFETY: by the caller's contract `inner` came from `Box::into_raw` in `into_handle` and
    // ownership is handed back exactly once.
    drop(unsafe { Box::from_raw(inner) });
}

/// Borrow an input given as `(ptr, len)`. `(NULL, 0)` is the empty input; `(NULL, len > 0)`
/// is a NULL-argument error.
///
/// # Safety
///
/// Unless NULL, `ptr` must point to `len` readable bytes that stay unchanged for the call.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Failure::null())
        };
    }
    if len > isize::MAX as usize {
        return Err(Failure::Boundary(
            seccode_result::InputTooLong,
            "an input length is larger than any object can be",
        ));
    }
    // SAFETY: non-null, `len` fits in an isize, and the caller guarantees `len` readable bytes
    // that are not written during the call. `u8` has alignment 1.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrow a UTF-8 text input given as `(ptr, len)` (see [`bytes`]).
///
/// # Safety
///
/// As for [`bytes`].
pub(crate) unsafe fn text<'a>(ptr: *const u8, len: usize) -> Result<&'a str, Failure> {
    // SAFETY: forwarded contract.
    let raw = unsafe { bytes(ptr, len) }?;
    std::str::from_utf8(raw)
        .map_err(|_| Failure::Boundary(seccode_result::InvalidUtf8, "an input is not valid UTF-8"))
}

/// Copy a security code given as `(ptr, len)` into the core's zeroizing buffer: the only copy
/// this library makes, wiped when the returned value is dropped. The core checks emptiness,
/// length and UTF-8.
///
/// # Safety
///
/// As for [`bytes`].
pub(crate) unsafe fn code(ptr: *const u8, len: usize) -> Result<SecurityCode, Failure> {
    // SAFETY: forwarded contract.
    let raw = unsafe { bytes(ptr, len) }?;
    Ok(SecurityCode::from_utf8(raw)?)
}

/// An output pointer checked for NULL and alignment, to be written once the call succeeds.
pub(crate) struct Out<T>(*mut T);

/// Check an output pointer before any work is done.
pub(crate) fn out<T>(ptr: *mut T) -> Result<Out<T>, Failure> {
    if ptr.is_null() {
        return Err(Failure::null());
    }
    if !ptr.is_aligned() {
        return Err(Failure::invalid("an output pointer is misaligned"));
    }
    Ok(Out(ptr))
}

impl<T> Out<T> {
    /// Write the output.
    ///
    /// # Safety
    ///
    /// The pointer given to [`out`] must be valid for writing a `T` for the call.
    pub(crate) unsafe fn write(self, value: T) {
        // SAFETY: non-null and aligned (checked in `out`), writable by the caller's contract;
        // `write` does not read or drop the (possibly uninitialized) old value.
        unsafe { self.0.write(value) }
    }
}

/// Make a C string of `value` (it never holds a NUL: JSON escapes it and the core refuses
/// control characters in names; one would be an internal error).
pub(crate) fn c_string(value: String) -> Result<CString, Failure> {
    CString::new(value).map_err(|_| {
        Failure::Boundary(
            seccode_result::Internal,
            "an output string holds a NUL byte",
        )
    })
}

/// Write `value` into `*out` as a library-allocated NUL-terminated string, to be freed with
/// `seccode_string_free`.
///
/// # Safety
///
/// As for [`Out::write`].
pub(crate) unsafe fn write_c_string(out: Out<*mut c_char>, value: CString) {
    // SAFETY: forwarded contract.
    unsafe { out.write(value.into_raw()) };
}

/// [`c_string`] then [`write_c_string`].
///
/// # Safety
///
/// As for [`Out::write`].
pub(crate) unsafe fn write_string(out: Out<*mut c_char>, value: String) -> Result<(), Failure> {
    let owned = c_string(value)?;
    // SAFETY: forwarded contract.
    unsafe { write_c_string(out, owned) };
    Ok(())
}

/// Free a string made by [`write_string`].
///
/// # Safety
///
/// `ptr` must be NULL or a string returned by this library, not freed before.
pub(crate) unsafe fn free_string(ptr: *mut c_char) {
    if ptr.is_null() {
        return;
    }
    // SAFETY: by the caller's contract `ptr` came from `CString::into_raw` and is handed back
    // exactly once.
    drop(unsafe { CString::from_raw(ptr) });
}

/// A caller-provided buffer `(buf, len)` with the `out_len` that reports its needed length.
pub(crate) struct Buffer<T> {
    buf: *mut T,
    len: usize,
    out_len: Out<usize>,
}

/// Check a caller buffer before any work is done. `(NULL, 0)` is allowed: it asks for the
/// needed length.
pub(crate) fn buffer<T>(
    buf: *mut T,
    len: usize,
    out_len: *mut usize,
) -> Result<Buffer<T>, Failure> {
    let out_len = out(out_len)?;
    if buf.is_null() && len > 0 {
        return Err(Failure::null());
    }
    if !buf.is_null() && !buf.is_aligned() {
        return Err(Failure::invalid("a buffer pointer is misaligned"));
    }
    Ok(Buffer { buf, len, out_len })
}

impl Buffer<c_char> {
    /// Copy `text` and a terminating NUL into the buffer, and its length (without the NUL)
    /// into `*out_len`. If the buffer cannot hold `text.len() + 1` bytes, nothing is written
    /// into it, `*out_len` still receives `text.len()`, and the call fails with
    /// `BufferTooSmall`.
    ///
    /// # Safety
    ///
    /// `buf` must be valid for writing `len` bytes and `out_len` for writing a `size_t`.
    pub(crate) unsafe fn fill_text(self, text: &str) -> Result<(), Failure> {
        let needed = text.len();
        // SAFETY: forwarded contract.
        unsafe { self.out_len.write(needed) };
        if self.len <= needed || self.buf.is_null() {
            return Err(too_small());
        }
        // SAFETY: `buf` is non-null and holds `len > needed` writable bytes; source and
        // destination cannot overlap (the source is owned by Rust).
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), self.buf.cast::<u8>(), needed);
            self.buf.cast::<u8>().add(needed).write(0);
        }
        Ok(())
    }
}

impl<T: Copy> Buffer<T> {
    /// Copy `items` into the buffer and their count into `*out_len`. If the buffer is too
    /// small, nothing is written into it, `*out_len` still receives the count, and the call
    /// fails with `BufferTooSmall`.
    ///
    /// # Safety
    ///
    /// `buf` must be valid for writing `len` items and `out_len` for writing a `size_t`.
    pub(crate) unsafe fn fill(self, items: &[T]) -> Result<(), Failure> {
        // SAFETY: forwarded contract.
        unsafe { self.out_len.write(items.len()) };
        if items.is_empty() {
            return Ok(());
        }
        if self.len < items.len() || self.buf.is_null() {
            return Err(too_small());
        }
        // SAFETY: `buf` is non-null, aligned and holds `len >= items.len()` writable items;
        // the source is owned by Rust, so the ranges do not overlap.
        unsafe { std::ptr::copy_nonoverlapping(items.as_ptr(), self.buf, items.len()) };
        Ok(())
    }
}

fn too_small() -> Failure {
    Failure::Boundary(
        seccode_result::BufferTooSmall,
        "the buffer is too small; the needed length was written to the length output",
    )
}

/// Convert an enum value given as a number, with a detail message when it is out of range.
pub(crate) fn enum_arg<T>(value: Option<T>, detail: &'static str) -> Result<T, Failure> {
    value.ok_or(Failure::invalid(detail))
}

/// Every handle's value may be shared between threads, as the header promises: the handles
/// that change (config, details, account) lock internally, the others are immutable.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<<crate::engine::seccode_engine_config as Handle>::Inner>();
    shared::<<crate::engine::seccode_engine as Handle>::Inner>();
    shared::<<crate::catalog::seccode_catalog as Handle>::Inner>();
    shared::<<crate::details::seccode_contact_details as Handle>::Inner>();
    shared::<<crate::account::seccode_account as Handle>::Inner>();
    shared::<<crate::verification::seccode_verification as Handle>::Inner>();
    shared::<<crate::decision::seccode_decision as Handle>::Inner>();
    shared::<<crate::attempt::seccode_attempt as Handle>::Inner>();
    shared::<<crate::attempt::seccode_checked_attempt as Handle>::Inner>();
    shared::<<crate::call::seccode_verified_call as Handle>::Inner>();
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_null_empty_and_utf8() {
        // SAFETY: NULL with length 0 is the documented empty input.
        assert_eq!(unsafe { bytes(std::ptr::null(), 0) }.unwrap(), b"");
        // SAFETY: NULL is refused before any read.
        let err = unsafe { bytes(std::ptr::null(), 3) }.unwrap_err();
        assert_eq!(err.code(), seccode_result::NullArgument);
        let bad = [0x61u8, 0xff];
        // SAFETY: `bad` is a live array of that length.
        let err = unsafe { text(bad.as_ptr(), bad.len()) }.unwrap_err();
        assert_eq!(err.code(), seccode_result::InvalidUtf8);
        let good = "grüße";
        // SAFETY: `good` is a live str of that length.
        assert_eq!(unsafe { text(good.as_ptr(), good.len()) }.unwrap(), good);
        // SAFETY: as above.
        let err = unsafe { code(std::ptr::null(), 0) }.unwrap_err();
        assert_eq!(err.code(), seccode_result::InvalidArgument);
    }

    #[test]
    fn text_buffers_report_the_needed_length() {
        let mut len = 0usize;
        let mut buf = [b'X' as c_char; 8];
        let b = buffer(buf.as_mut_ptr(), 5, &mut len).unwrap();
        // SAFETY: `buf` holds 8 writable bytes, `len` is a live usize.
        let err = unsafe { b.fill_text("hello") }.unwrap_err();
        assert_eq!(err.code(), seccode_result::BufferTooSmall);
        assert_eq!(len, 5);
        assert_eq!(buf[0], b'X' as c_char);
        let b = buffer(buf.as_mut_ptr(), 6, &mut len).unwrap();
        // SAFETY: as above.
        unsafe { b.fill_text("hello") }.unwrap();
        assert_eq!(buf[5], 0);
        assert_eq!(buf[6], b'X' as c_char);
        assert_eq!(
            buffer::<c_char>(std::ptr::null_mut(), 4, &mut len)
                .err()
                .map(|e| e.code()),
            Some(seccode_result::NullArgument)
        );
        assert!(buffer::<c_char>(std::ptr::null_mut(), 0, &mut len).is_ok());
        assert_eq!(
            buffer(buf.as_mut_ptr(), 8, std::ptr::null_mut())
                .err()
                .map(|e| e.code()),
            Some(seccode_result::NullArgument)
        );
    }

    #[test]
    fn item_buffers_take_nothing_when_too_small() {
        let mut count = 0usize;
        let mut ids = [7u64; 2];
        let b = buffer(ids.as_mut_ptr(), 2, &mut count).unwrap();
        // SAFETY: `ids` holds 2 writable items, `count` is a live usize.
        let err = unsafe { b.fill(&[1, 2, 3]) }.unwrap_err();
        assert_eq!(err.code(), seccode_result::BufferTooSmall);
        assert_eq!((count, ids), (3, [7, 7]));
        let b = buffer::<u64>(std::ptr::null_mut(), 0, &mut count).unwrap();
        // SAFETY: an empty list writes nothing into the (absent) array.
        unsafe { b.fill(&[]) }.unwrap();
        assert_eq!(count, 0);
    }

    #[test]
    fn handles_round_trip_and_null_frees_are_fine() {
        let h = into_handle::<crate::catalog::seccode_catalog>(std::sync::Arc::new(
            seccode::Catalog::portal(),
        ));
        // SAFETY: `h` is a live catalog handle made just above.
        assert!(unsafe { borrow(h) }.unwrap().len() > 1);
        // SAFETY: freed exactly once; NULL does nothing.
        unsafe {
            free_handle(h);
            free_handle::<crate::catalog::seccode_catalog>(std::ptr::null_mut());
            free_string(std::ptr::null_mut());
        }
        // SAFETY: NULL is refused before any read.
        let err = unsafe { borrow::<crate::account::seccode_account>(std::ptr::null()) };
        assert_eq!(
            err.err().map(|e| e.code()),
            Some(seccode_result::NullArgument)
        );
    }
}

//! `seccode_catalog`: a permission tree (resources and the actions that apply to each).

use std::ffi::c_char;
use std::sync::Arc;

use seccode::Catalog;

use crate::boundary::{Handle, borrow, free_handle, into_handle, write_string};
use crate::guard::ffi_guard;
use crate::result::seccode_result;

/// A permission catalog: the seed's default tree, or a portal's own read from JSON.
///
/// Thread safety: a catalog is immutable and may be used from any number of threads at once.
/// Accounts made with it keep their own reference, so it may be freed right after use.
pub struct seccode_catalog {
    _private: [u8; 0],
}

// SAFETY: `seccode_catalog` is a zero-sized opaque type never constructed in Rust.
unsafe impl Handle for seccode_catalog {
    type Inner = Arc<Catalog>;
}

/// The portal's default catalog (SPEC 4: Client Portal, Client Profile, Profile, ...).
///
/// `*out_catalog` receives a catalog to free with `seccode_catalog_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_catalog_portal(
    out_catalog: *mut *mut seccode_catalog,
) -> seccode_result {
    ffi_guard! {
        let out_catalog = out(out_catalog);
        =>
        let handle = into_handle::<seccode_catalog>(Arc::new(Catalog::portal()));
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_catalog.write(handle) };
        Ok(())
    }
}

/// Read a custom catalog from its JSON form (UTF-8, `(json, json_len)`): the tree of
/// resources with their applicable actions, and optionally the roles. An invalid tree fails
/// with `SECCODE_RESULT_MALFORMED_DATA`; the last error message names the offending resource.
///
/// `*out_catalog` receives a catalog to free with `seccode_catalog_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_catalog_from_json(
    json: *const u8,
    json_len: usize,
    out_catalog: *mut *mut seccode_catalog,
) -> seccode_result {
    ffi_guard! {
        let out_catalog = out(out_catalog);
        let json = text(json, json_len);
        =>
        let catalog = Catalog::from_json(json)?;
        let handle = into_handle::<seccode_catalog>(Arc::new(catalog));
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_catalog.write(handle) };
        Ok(())
    }
}

/// The catalog as JSON (flat form, with its roles), in a string to free with
/// `seccode_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_catalog_to_json(
    catalog: *const seccode_catalog,
    out_json: *mut *mut c_char,
) -> seccode_result {
    ffi_guard! {
        let out_json = out(out_json);
        =>
        // SAFETY: the caller passes a live catalog handle.
        let catalog = unsafe { borrow(catalog) }?;
        let json = catalog.to_json()?;
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { write_string(out_json, json) }
    }
}

/// Free a catalog. NULL does nothing; free each catalog exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_catalog_free(catalog: *mut seccode_catalog) {
    ffi_guard! {
        =>
        // SAFETY: the caller hands back a catalog made by this library, exactly once.
        unsafe { free_handle(catalog) }
    }
}

/// The catalog behind a handle.
///
/// # Safety
///
/// As for [`borrow`].
pub(crate) unsafe fn catalog_of<'a>(
    catalog: *const seccode_catalog,
) -> Result<&'a Arc<Catalog>, crate::result::Failure> {
    // SAFETY: forwarded contract.
    unsafe { borrow(catalog) }
}

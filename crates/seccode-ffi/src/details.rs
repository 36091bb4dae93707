//! `seccode_contact_details`: the editable details of a contact (the portal's "Contact
//! Details" tab), filled in from C and passed to create, add or edit.

use std::sync::{Mutex, MutexGuard, PoisonError};

use seccode::{ContactDetails, RwhoisRoles};

use crate::boundary::{self, Handle, borrow, free_handle, into_handle};
use crate::guard::ffi_guard;
use crate::result::{Failure, seccode_result};

/// A contact's details: name (required when used), title, phone, email, the "Audit Account"
/// flag and the RWhois roles. All fields start empty/false. The values are checked (name
/// present, lengths, no control characters, email with `@`) when the details are used.
///
/// Thread safety: may be used from several threads at once (locked internally).
pub struct seccode_contact_details {
    _private: [u8; 0],
}

// SAFETY: `seccode_contact_details` is a zero-sized opaque type never constructed in Rust.
unsafe impl Handle for seccode_contact_details {
    type Inner = Mutex<ContactDetails>;
}

/// Lock the details behind a handle. Every change is one assignment, so a poisoned lock never
/// holds a half-made change and is recovered.
///
/// # Safety
///
/// As for [`borrow`].
pub(crate) unsafe fn details_of<'a>(
    details: *const seccode_contact_details,
) -> Result<MutexGuard<'a, ContactDetails>, Failure> {
    // SAFETY: forwarded contract.
    let cell = unsafe { borrow(details) }?;
    Ok(cell.lock().unwrap_or_else(PoisonError::into_inner))
}

/// Create empty contact details.
///
/// `*out_details` receives details to free with `seccode_contact_details_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_contact_details_new(
    out_details: *mut *mut seccode_contact_details,
) -> seccode_result {
    ffi_guard! {
        let out_details = out(out_details);
        =>
        let handle = into_handle::<seccode_contact_details>(Mutex::new(ContactDetails::default()));
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_details.write(handle) };
        Ok(())
    }
}

/// Free contact details. NULL does nothing; free each exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_contact_details_free(details: *mut seccode_contact_details) {
    ffi_guard! {
        =>
        // SAFETY: the caller hands back details made by this library, exactly once.
        unsafe { free_handle(details) }
    }
}

/// Which text field a setter changes.
#[derive(Clone, Copy)]
enum Field {
    Name,
    Title,
    Phone,
    Email,
}

/// Set one text field from a UTF-8 `(ptr, len)` input.
///
/// # Safety
///
/// As for [`borrow`] and [`boundary::text`].
unsafe fn set_text(
    details: *mut seccode_contact_details,
    field: Field,
    value: *const u8,
    value_len: usize,
) -> Result<(), Failure> {
    // SAFETY: forwarded contract.
    let value = unsafe { boundary::text(value, value_len) }?.to_owned();
    // SAFETY: forwarded contract.
    let mut d = unsafe { details_of(details) }?;
    match field {
        Field::Name => d.name = value,
        Field::Title => d.title = value,
        Field::Phone => d.phone = value,
        Field::Email => d.email = value,
    }
    Ok(())
}

/// Set the name ("Name", required: 1 to 200 characters).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_contact_details_set_name(
    details: *mut seccode_contact_details,
    name: *const u8,
    name_len: usize,
) -> seccode_result {
    ffi_guard! {
        =>
        // SAFETY: the caller passes a live handle and a readable input.
        unsafe { set_text(details, Field::Name, name, name_len) }
    }
}

/// Set the title ("Title", e.g. "Primary Contact"; up to 200 characters).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_contact_details_set_title(
    details: *mut seccode_contact_details,
    title: *const u8,
    title_len: usize,
) -> seccode_result {
    ffi_guard! {
        =>
        // SAFETY: the caller passes a live handle and a readable input.
        unsafe { set_text(details, Field::Title, title, title_len) }
    }
}

/// Set the phone number as given (up to 64 characters).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_contact_details_set_phone(
    details: *mut seccode_contact_details,
    phone: *const u8,
    phone_len: usize,
) -> seccode_result {
    ffi_guard! {
        =>
        // SAFETY: the caller passes a live handle and a readable input.
        unsafe { set_text(details, Field::Phone, phone, phone_len) }
    }
}

/// Set the email address (up to 254 characters, with an `@`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_contact_details_set_email(
    details: *mut seccode_contact_details,
    email: *const u8,
    email_len: usize,
) -> seccode_result {
    ffi_guard! {
        =>
        // SAFETY: the caller passes a live handle and a readable input.
        unsafe { set_text(details, Field::Email, email, email_len) }
    }
}

/// Set the "Audit Account" flag (receives copies of all other contacts' mail).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_contact_details_set_audit_account(
    details: *mut seccode_contact_details,
    audit_account: bool,
) -> seccode_result {
    ffi_guard! {
        =>
        // SAFETY: the caller passes a live handle.
        let mut d = unsafe { details_of(details) }?;
        d.audit_account = audit_account;
        Ok(())
    }
}

/// Set the RWhois roles: point of contact, technical, abuse.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_contact_details_set_rwhois(
    details: *mut seccode_contact_details,
    poc: bool,
    tech: bool,
    abuse: bool,
) -> seccode_result {
    ffi_guard! {
        =>
        // SAFETY: the caller passes a live handle.
        let mut d = unsafe { details_of(details) }?;
        d.rwhois = RwhoisRoles { poc, tech, abuse };
        Ok(())
    }
}

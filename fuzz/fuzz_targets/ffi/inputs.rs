//! The arguments the target passes: bytes as `(ptr, len)` (NULL with any length, or owned
//! data), the codes worth trying, resource names and contact ids.

use std::ptr::null;

use arbitrary::Arbitrary;

use crate::secrets::record_text;

/// The portal's resource names, and one that no catalog has.
pub(crate) const RESOURCES: [&str; 14] = [
    "Client Portal",
    "Client Profile",
    "Profile",
    "Payment Methods",
    "Change Password",
    "Manage Contacts",
    "Manage Contact Facility Access",
    "Billing & Services",
    "Reports",
    "Domain Management",
    "Support",
    "Website",
    "Client Preferences",
    "No Such Resource",
];

/// Bytes given as `(ptr, len)`: NULL with any length, or data with a length up to its size.
#[derive(Arbitrary, Debug)]
pub(crate) enum Bytes {
    Null { len: u16 },
    Data { bytes: Vec<u8>, cut: Option<u16> },
    Text(String),
    Known(u8),
}

/// Codes worth trying: the built-in account's codes and near misses.
pub(crate) const CODES: [&str; 6] = [
    "Velvet thunder orchard lamp",
    "velvet thunder, orchard lamp!",
    "Quiet harbor zebra violin",
    "quiet harbor zebra violins",
    "Purple monkey dishwasher lantern",
    "x",
];

/// An argument ready for a call: `ptr` points into `_owned` (or is NULL), which lives as long
/// as the `Arg`.
pub(crate) struct Arg {
    _owned: Vec<u8>,
    pub(crate) ptr: *const u8,
    pub(crate) len: usize,
}

impl Bytes {
    pub(crate) fn arg(&self) -> Arg {
        match self {
            Bytes::Null { len } => Arg {
                _owned: Vec::new(),
                ptr: null(),
                len: usize::from(*len),
            },
            Bytes::Data { bytes, cut } => {
                let owned = bytes.clone();
                let len = cut.map_or(owned.len(), |c| usize::from(c).min(owned.len()));
                Arg {
                    ptr: owned.as_ptr(),
                    len,
                    _owned: owned,
                }
            }
            Bytes::Text(s) => {
                let owned = s.as_bytes().to_vec();
                Arg {
                    ptr: owned.as_ptr(),
                    len: owned.len(),
                    _owned: owned,
                }
            }
            Bytes::Known(i) => {
                let s = CODES[usize::from(*i) % CODES.len()];
                let owned = s.as_bytes().to_vec();
                Arg {
                    ptr: owned.as_ptr(),
                    len: owned.len(),
                    _owned: owned,
                }
            }
        }
    }
}

impl Bytes {
    /// As [`Bytes::arg`], for an input that is not a code (a name, JSON, ...): recorded, so
    /// that a code given as such text is not mistaken for a leak.
    pub(crate) fn text_arg(&self) -> Arg {
        let arg = self.arg();
        if !arg.ptr.is_null() {
            // SAFETY: `ptr` points to `len` bytes of `_owned`.
            record_text(unsafe { std::slice::from_raw_parts(arg.ptr, arg.len) });
        }
        arg
    }
}

impl Arg {
    /// Whether the core must accept this as a security code: 1 to 1024 bytes of UTF-8.
    pub(crate) fn valid_code(&self) -> bool {
        if self.ptr.is_null() || self.len == 0 || self.len > 1024 {
            return false;
        }
        // SAFETY: `ptr` points to `len` bytes of `_owned`.
        let bytes = unsafe { std::slice::from_raw_parts(self.ptr, self.len) };
        std::str::from_utf8(bytes).is_ok()
    }
}

/// A resource name: one of the portal's, or arbitrary bytes.
#[derive(Arbitrary, Debug)]
pub(crate) enum Resource {
    Known(u8),
    Raw(Bytes),
}

impl Resource {
    pub(crate) fn arg(&self) -> Arg {
        match self {
            Resource::Known(i) => {
                let owned = RESOURCES[usize::from(*i) % RESOURCES.len()]
                    .as_bytes()
                    .to_vec();
                Arg {
                    ptr: owned.as_ptr(),
                    len: owned.len(),
                    _owned: owned,
                }
            }
            Resource::Raw(b) => b.text_arg(),
        }
    }
}

/// A contact id: one of the account's (by position), or any number.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub(crate) enum Id {
    Known(u8),
    Raw(u64),
}

/// The contact id an [`Id`] stands for in an account with these contact ids.
pub(crate) fn id_of(id: Id, ids: &[u64]) -> u64 {
    match id {
        Id::Known(i) if !ids.is_empty() => ids[usize::from(i) % ids.len()],
        Id::Known(i) => u64::from(i),
        Id::Raw(n) => n,
    }
}

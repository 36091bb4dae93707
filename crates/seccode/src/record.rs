//! The stored record: the versioned JSON format (`"format": 1`) of an account with its contacts,
//! hashes (never codes), permission settings and lockout state.
//!
//! ```json
//! { "format": 1, "id": 1707, "name": "Any Company", "normalization": "spoken",
//!   "security_code": { "phc": "$argon2id$v=19$m=19456,t=2,p=1$…$…",
//!                      "normalization": "spoken", "binding": "scoped" },
//!   "contacts": [
//!     { "id": 3522, "primary": true, "name": "Joe Example", "title": "Primary Contact",
//!       "phone": "000-000-0000", "email": "marketing@viviotech.net" },
//!     { "id": 3523, "name": "Contact Example",
//!       "permissions": { "Profile": { "view": "allow" } },
//!       "lock": { "failed_attempts": 2, "locked_until": null } } ] }
//! ```
//!
//! The old name of codes is accepted on load: `"phone_chat_code"` for `"security_code"`, and a
//! bare PHC string there is read as a legacy hash from another implementation. `"catalog"` is
//! present only for a custom permission catalog. Loading checks everything (format version,
//! hashes, catalog, one active primary contact, unique ids, settings against the catalog) and
//! answers a typed [`Error`](crate::Error); nothing panics.

use std::collections::BTreeMap;

use crate::account::AccountId;
use crate::clock::Timestamp;
use crate::code::hash::CodeHash;
use crate::code::normalize::Normalization;
use crate::code::sealed::SealedCode;
use crate::contact::{ContactId, RwhoisRoles};
use crate::permission::{Action, Catalog, Setting};

/// The format version this library writes and reads.
pub const FORMAT: u64 = 1;

/// An account as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountRecord {
    /// Always [`FORMAT`].
    pub format: u64,
    /// "Client ID".
    pub id: AccountId,
    /// Account name.
    pub name: String,
    /// How codes set from now on are normalized.
    #[serde(default)]
    pub normalization: Normalization,
    /// A custom permission catalog; absent for the portal's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<Catalog>,
    /// The account-wide code's hash ("phone_chat_code" accepted on load).
    #[serde(
        default,
        alias = "phone_chat_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub security_code: Option<CodeHash>,
    /// The account-wide code's sealed copy, if the portal keeps them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_code: Option<SealedCode>,
    /// The contacts, in id order.
    pub contacts: Vec<ContactRecord>,
    /// Failed-attempt counts kept for contact ids that do not exist (so that lockout does not
    /// reveal which ids exist).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_contact_locks: Vec<StrayLock>,
    /// Changes whenever the account-wide code changes, so that verifications made with the
    /// old code stop counting (SPEC 7). `0` in data written before it existed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub code_stamp: u64,
    /// Every verification of the account answers *locked* until then: its unknown-id state
    /// filled up (SPEC 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttled_until: Option<Timestamp>,
}

/// A contact as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRecord {
    /// Contact id.
    pub id: ContactId,
    /// Whether this is the account's primary contact (exactly one is).
    #[serde(default, skip_serializing_if = "is_false")]
    pub primary: bool,
    /// Name.
    pub name: String,
    /// Title.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Phone.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// Email.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// "Audit Account" flag.
    #[serde(default, skip_serializing_if = "is_false")]
    pub audit_account: bool,
    /// RWhois roles.
    #[serde(default, skip_serializing_if = "is_default_roles")]
    pub rwhois: RwhoisRoles,
    /// Active (default) or deactivated.
    #[serde(default = "yes")]
    pub active: bool,
    /// The individual code's hash ("phone_chat_code" accepted on load).
    #[serde(
        default,
        alias = "phone_chat_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub security_code: Option<CodeHash>,
    /// The individual code's sealed copy, if the portal keeps them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_code: Option<SealedCode>,
    /// The portal password's hash (SPEC 10), if one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<CodeHash>,
    /// Explicit permission settings by resource name and action (Inherit cells omitted).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub permissions: BTreeMap<String, BTreeMap<Action, Setting>>,
    /// Failed attempts and lock.
    #[serde(default, skip_serializing_if = "is_default_lock")]
    pub lock: LockState,
    /// Changes whenever verifications of this contact made before must stop counting (it was
    /// added anew, deactivated, or its code changed). `0` in data written before it existed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub stamp: u64,
}

/// Consecutive failed verifications of one contact id and the lock they led to (SPEC 2.6), as
/// stored. Read it through [`Account::lock_status`](crate::Account::lock_status), which applies
/// the time: a lock ends at `locked_until`, and a count with no failure for as long as a lock
/// lasts is forgotten (the same for real and unknown ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LockState {
    /// Failed verifications since the last success, unlock or expiry.
    pub failed_attempts: u32,
    /// When the last of them was counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<Timestamp>,
    /// Locked until this time, if locked.
    pub locked_until: Option<Timestamp>,
}

/// Lockout state of a contact id that does not exist in the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrayLock {
    /// The id a caller claimed.
    pub contact: ContactId,
    /// Its failures and lock.
    pub lock: LockState,
}

fn yes() -> bool {
    true
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_default_roles(r: &RwhoisRoles) -> bool {
    *r == RwhoisRoles::default()
}

fn is_default_lock(l: &LockState) -> bool {
    *l == LockState::default()
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

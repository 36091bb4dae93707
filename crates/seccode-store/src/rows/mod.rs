//! Conversions every SQL backend shares: ids to signed 64-bit integers and back, enums to
//! their serde names, JSON columns, and stamps.

mod record;
mod writes;

pub(crate) use record::{AccountRows, ContactRow, HashRow, HeadRow, LockRow, SettingRow};
pub(crate) use writes::{RowWrite, new_account_rows, row_writes};

use seccode::{AccountId, Binding, CodeHash, ContactId, Normalization};

use crate::error::{Result, StoreError};

/// An SQL integer for an id; ids above `i64::MAX` are refused.
pub(crate) fn sql_id(what: &'static str, id: u64) -> Result<i64> {
    i64::try_from(id).map_err(|_| StoreError::IdOutOfRange { what, id })
}

pub(crate) fn account_key(id: AccountId) -> Result<i64> {
    sql_id("account id", id.0)
}

pub(crate) fn contact_key(id: ContactId) -> Result<i64> {
    sql_id("contact id", id.0)
}

/// An id read back from the database.
pub(crate) fn id_from_sql(what: &str, value: i64) -> Result<u64> {
    u64::try_from(value).map_err(|_| StoreError::Inconsistent(format!("negative {what} `{value}`")))
}

/// An enum's serde name (`spoken`, `view`, `allow`, ...).
pub(crate) fn enum_text<T: serde::Serialize>(value: &T) -> Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(StoreError::Database(
            "a stored name did not serialize as a string".into(),
        )),
    }
}

/// An enum from its serde name.
pub(crate) fn enum_parse<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| StoreError::Inconsistent(format!("unknown {what} `{text}`")))
}

pub(crate) fn json_text<T: serde::Serialize>(what: &str, value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Database(format!("serializing the {what} failed: {e}")))
}

pub(crate) fn json_parse<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        StoreError::Inconsistent(format!(
            "stored {what} is not valid (line {} column {})",
            e.line(),
            e.column()
        ))
    })
}

/// A stamp (a random u64) in a signed 64-bit SQL integer: the same 64 bits, read back unchanged.
pub(crate) fn stamp_to_sql(stamp: u64) -> i64 {
    i64::from_ne_bytes(stamp.to_ne_bytes())
}

/// A portal password's hash as stored: its PHC string (always exact matching, bound to its
/// scope, as the core makes it).
pub(crate) fn password_to_sql(hash: Option<&CodeHash>) -> Option<String> {
    hash.map(|h| h.phc().to_owned())
}

/// A stored password's PHC string read back; one that does not parse is
/// [`StoreError::Inconsistent`].
pub(crate) fn password_from_sql(phc: Option<String>) -> Result<Option<CodeHash>> {
    phc.map(|phc| {
        CodeHash::parse(&phc, Normalization::Exact, Binding::Scoped)
            .map_err(|e| StoreError::Inconsistent(format!("stored password hash: {e}")))
    })
    .transpose()
}

pub(crate) fn stamp_from_sql(value: i64) -> u64 {
    u64::from_ne_bytes(value.to_ne_bytes())
}

pub(crate) fn optional_json<T: serde::Serialize>(
    what: &str,
    value: Option<&T>,
) -> Result<Option<String>> {
    value.map(|v| json_text(what, v)).transpose()
}

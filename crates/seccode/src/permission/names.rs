//! Resource names: what a valid name is, and the one rule for finding a resource by name.
//!
//! A name is 1 to [`Catalog::MAX_NAME_CHARS`] characters, without control characters and
//! without leading or trailing whitespace.
//!
//! Finding a resource by name ([`Catalog::resource`], [`Catalog::require`], a `parent` or a
//! role in the catalog's JSON, the resource names of stored settings) ignores surrounding
//! whitespace and letter case: `profile`, ` PROFILE ` and `Profile` find the same resource.
//! Letter case is compared by Unicode canonical caseless matching (NFD, full case folding,
//! NFD), so `STRASSE` finds `Straße` and a decomposed `é` finds a composed one. Because of
//! this, a catalog whose names differ only in letter case is invalid.

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;

use super::{Catalog, quoted};
use crate::error::{Error, Result};

/// The key under which a resource is found: `name` trimmed, in its canonical caseless form.
/// Two names find the same resource exactly when their keys are equal.
pub(super) fn key(name: &str) -> String {
    name.trim()
        .chars()
        .nfd()
        .default_case_fold()
        .nfd()
        .collect()
}

/// Checks one resource name of a catalog; `position` (from 0) is its entry in the document.
pub(super) fn check(name: &str, position: usize) -> Result<()> {
    if name.is_empty() {
        return Err(Error::InvalidCatalog(format!(
            "resource `` (entry {}) has an empty name",
            position.saturating_add(1)
        )));
    }
    if name.chars().count() > Catalog::MAX_NAME_CHARS {
        return Err(Error::InvalidCatalog(format!(
            "resource name {} is longer than {} characters",
            quoted(name),
            Catalog::MAX_NAME_CHARS
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::InvalidCatalog(format!(
            "resource name {} contains a control character",
            quoted(name)
        )));
    }
    if name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace) {
        return Err(Error::InvalidCatalog(format!(
            "resource name {} starts or ends with whitespace",
            quoted(name)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_surrounding_space() {
        assert_eq!(key("Profile"), key("profile"));
        assert_eq!(key("Profile"), key("  PROFILE\t"));
        assert_eq!(key("Billing & Services"), key("billing & services"));
        assert_eq!(key("Straße"), key("STRASSE"));
        assert_eq!(key("Caf\u{e9}"), key("CAFE\u{301}"));
        assert_eq!(key("支持"), key("支持"));
        assert_ne!(key("Profile"), key("Profiles"));
        assert_ne!(key("Manage Contacts"), key("Manage  Contacts"));
        assert_eq!(key("   "), "");
    }
}

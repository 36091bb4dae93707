//! The CSRF token of a session: 256 random bits, in a hidden field `csrf` of every form, and
//! compared in constant time with the one the session keeps before any POST reaches its
//! handler.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::error::PageError;
use super::session::random_text;

/// The name of the hidden field that carries the token.
pub(crate) const FIELD: &str = "csrf";

/// A session's CSRF token. `Debug` never shows it.
#[derive(Clone)]
pub(crate) struct CsrfToken(Zeroizing<String>);

impl CsrfToken {
    /// A new random token.
    pub(crate) fn new() -> Result<CsrfToken, PageError> {
        Ok(CsrfToken(random_text()?))
    }

    /// The token, for the hidden field of a form.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `presented` is this token (in constant time).
    pub(crate) fn matches(&self, presented: &str) -> bool {
        self.0.as_bytes().ct_eq(presented.as_bytes()).into()
    }
}

impl std::fmt::Debug for CsrfToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfToken(..)")
    }
}

/// The `csrf` field of a URL-encoded form body, if there is exactly one.
pub(crate) fn field(body: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    let mut found = pairs
        .into_iter()
        .filter(|(k, _)| k == FIELD)
        .map(|(_, v)| v);
    let first = found.next()?;
    match found.next() {
        Some(_) => None,
        None => Some(first),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn a_token_matches_itself_only() {
        let a = CsrfToken::new().unwrap();
        let b = CsrfToken::new().unwrap();
        assert!(a.matches(a.as_str()));
        assert!(!a.matches(b.as_str()));
        assert!(!a.matches(""));
        assert!(!a.matches(&a.as_str()[1..]));
        assert_eq!(format!("{a:?}"), "CsrfToken(..)");
    }

    #[test]
    fn the_field_is_read_from_a_form_body() {
        assert_eq!(field(b"a=1&csrf=xyz&b=2").as_deref(), Some("xyz"));
        assert_eq!(field(b"a=1&b=2"), None);
        assert_eq!(field(b"csrf=x&csrf=y"), None);
    }
}

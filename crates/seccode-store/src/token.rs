//! [`CallToken`]: the opaque, unguessable handle under which a store keeps a verification for
//! the call in progress (SPEC 7). `scv_` and 32 random bytes in URL-safe base64, shown once;
//! the store keeps only its SHA-256. The prefix keeps a token from ever reading as a command
//! line option and lets secret scanners recognise one.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::{Result, StoreError};

/// A token for a kept verification. `Debug` never shows it; [`CallToken::expose_secret`] is the
/// one way to its text, to hand to the agent once.
#[derive(Clone, PartialEq, Eq)]
pub struct CallToken(String);

/// What every token starts with.
const PREFIX: &str = "scv_";

/// Length of a token's text: the prefix and 32 bytes in unpadded base64.
const TEXT_LEN: usize = PREFIX.len() + 43;

impl CallToken {
    /// A fresh random token.
    pub fn new() -> Result<CallToken> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| {
            StoreError::Internal(format!("the random number generator failed: {e}"))
        })?;
        let text = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
        Ok(CallToken(text))
    }

    /// A token as the agent typed it; refused unless it has a token's shape.
    pub fn parse(text: &str) -> Result<CallToken> {
        let text = text.trim();
        let shaped = text.len() == TEXT_LEN
            && text.starts_with(PREFIX)
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !shaped {
            return Err(StoreError::InvalidToken);
        }
        Ok(CallToken(text.to_owned()))
    }

    /// The token's text: show it to the agent once, never log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// What the store keeps: the SHA-256 of the text, in hex.
    pub(crate) fn digest(&self) -> String {
        let sum = Sha256::digest(self.0.as_bytes());
        sum.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl std::fmt::Debug for CallToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CallToken(..)")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn tokens_have_one_shape_and_never_read_as_an_option() {
        for _ in 0..200 {
            let token = CallToken::new().unwrap();
            let text = token.expose_secret();
            assert!(text.starts_with("scv_") && !text.starts_with('-'));
            assert_eq!(CallToken::parse(text).unwrap(), token);
            assert_eq!(token.digest().len(), 64);
        }
        for bad in [
            "",
            "scv_",
            "short",
            &"A".repeat(47),
            &format!("xyz_{}", "A".repeat(43)),
        ] {
            assert!(matches!(
                CallToken::parse(bad),
                Err(StoreError::InvalidToken)
            ));
        }
    }
}

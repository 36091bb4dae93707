//! [`CallToken`]: the opaque, unguessable handle under which a store keeps a verification for
//! the call in progress (SPEC 7). 32 random bytes, shown once as URL-safe base64; the store
//! keeps only their SHA-256.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::{Result, StoreError};

/// A token for a kept verification. `Debug` never shows it; [`CallToken::expose_secret`] is the
/// one way to its text, to hand to the agent once.
#[derive(Clone, PartialEq, Eq)]
pub struct CallToken(String);

/// Length of a token's text: 32 bytes in unpadded base64.
const TEXT_LEN: usize = 43;

impl CallToken {
    /// A fresh random token.
    pub fn new() -> Result<CallToken> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| {
            StoreError::Internal(format!("the random number generator failed: {e}"))
        })?;
        let text = URL_SAFE_NO_PAD.encode(bytes);
        Ok(CallToken(text))
    }

    /// A token as the agent typed it; refused unless it has a token's shape.
    pub fn parse(text: &str) -> Result<CallToken> {
        let text = text.trim();
        let shaped = text.len() == TEXT_LEN
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

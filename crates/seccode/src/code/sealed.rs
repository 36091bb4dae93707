//! A sealed copy of a security code ([`SealedCode`]), kept as data by every build so that
//! loading and saving never loses one; [`Sealer`](crate::Sealer) (feature `sealed`) makes
//! and opens them.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::code::hash::check_key_id;
use crate::code::secret::SecurityCode;
use crate::error::{Error, Result};

/// Longest sealing key id, in bytes.
pub const MAX_SEAL_KEY_ID_LEN: usize = 64;
/// Nonce length of XChaCha20-Poly1305, in bytes.
pub const NONCE_LEN: usize = 24;
/// Authentication tag length, in bytes.
pub(crate) const TAG_LEN: usize = 16;

/// An encrypted copy of a security code.
///
/// Serialized as `{ "key_id": "...", "nonce": "<base64>", "ciphertext": "<base64>" }`
/// (standard base64 with padding); deserialization checks the key id, the nonce length
/// (24 bytes) and the ciphertext length (a tag and 1 to 1024 bytes of code).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "SealedRepr", into = "SealedRepr")]
pub struct SealedCode {
    pub(crate) key_id: String,
    pub(crate) nonce: [u8; NONCE_LEN],
    pub(crate) ciphertext: Vec<u8>,
}

impl SealedCode {
    /// The id of the key it was sealed with.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The nonce.
    pub fn nonce(&self) -> &[u8; NONCE_LEN] {
        &self.nonce
    }

    /// The ciphertext followed by the 16-byte tag.
    pub fn ciphertext(&self) -> &[u8] {
        &self.ciphertext
    }
}

impl fmt::Debug for SealedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealedCode")
            .field("key_id", &self.key_id)
            .field("len", &self.ciphertext.len())
            .finish_non_exhaustive()
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedRepr {
    key_id: String,
    nonce: String,
    ciphertext: String,
}

impl From<SealedCode> for SealedRepr {
    fn from(sealed: SealedCode) -> SealedRepr {
        SealedRepr {
            key_id: sealed.key_id,
            nonce: STANDARD.encode(sealed.nonce),
            ciphertext: STANDARD.encode(&sealed.ciphertext),
        }
    }
}

impl TryFrom<SealedRepr> for SealedCode {
    type Error = Error;

    fn try_from(repr: SealedRepr) -> Result<SealedCode> {
        let bad = |problem: &str| Error::MalformedData(format!("sealed code: {problem}"));
        check_key_id("sealing key id", &repr.key_id, MAX_SEAL_KEY_ID_LEN)
            .map_err(|_| bad("invalid key id"))?;
        let max_len = SecurityCode::MAX_INPUT_BYTES + TAG_LEN;
        if repr.nonce.len() > 64 || repr.ciphertext.len() > (max_len / 3 + 1) * 4 {
            return Err(bad("too long"));
        }
        let nonce = STANDARD
            .decode(&repr.nonce)
            .ok()
            .and_then(|n| <[u8; NONCE_LEN]>::try_from(n).ok())
            .ok_or_else(|| bad("nonce is not 24 bytes of base64"))?;
        let ciphertext = STANDARD
            .decode(&repr.ciphertext)
            .map_err(|_| bad("ciphertext is not base64"))?;
        if ciphertext.len() <= TAG_LEN || ciphertext.len() > max_len {
            return Err(bad("ciphertext length out of range"));
        }
        Ok(SealedCode {
            key_id: repr.key_id,
            nonce,
            ciphertext,
        })
    }
}

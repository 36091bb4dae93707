//! [`SecurityCode`]: a code's plaintext, held only in a buffer that is wiped when dropped.

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// A security code as typed or spoken, before normalization.
///
/// The plaintext lives only in a zeroizing buffer. `Debug` prints no secret; there is no
/// `Display`, `Serialize`, `Clone` or comparison, and the plaintext is never handed back to
/// the caller: the library hashes, checks or seals it and nothing else.
pub struct SecurityCode(Zeroizing<String>);

impl SecurityCode {
    /// The longest input accepted, in bytes, before normalization. A new code is held to the
    /// policy's 128 characters after normalization; this bound only keeps hostile input (a
    /// 1 MiB "code") from costing anything.
    pub const MAX_INPUT_BYTES: usize = 1024;

    /// Take ownership of `code`; its buffer is wiped when the `SecurityCode` is dropped (and
    /// at once when it is rejected).
    pub fn new(code: String) -> Result<Self> {
        let code = Zeroizing::new(code);
        Self::check(&code)?;
        Ok(SecurityCode(code))
    }

    /// Copy `code` into a zeroizing buffer.
    pub fn from_str_copy(code: &str) -> Result<Self> {
        Self::check(code)?;
        let mut buf = Zeroizing::new(String::with_capacity(code.len()));
        buf.push_str(code);
        Ok(SecurityCode(buf))
    }

    /// Copy `bytes` into a zeroizing buffer; they must be UTF-8.
    pub fn from_utf8(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > Self::MAX_INPUT_BYTES {
            return Err(too_long());
        }
        let text = std::str::from_utf8(bytes).map_err(|_| Error::NotUtf8 {
            field: "security code",
        })?;
        Self::from_str_copy(text)
    }

    fn check(code: &str) -> Result<()> {
        if code.is_empty() {
            return Err(Error::invalid("security code", "empty"));
        }
        if code.len() > Self::MAX_INPUT_BYTES {
            return Err(too_long());
        }
        Ok(())
    }

    /// The plaintext, for hashing, checking and sealing inside the crate only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Length of the input in bytes (not secret-dependent beyond the length itself).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: an empty code is refused at construction.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn too_long() -> Error {
    Error::InputTooLong {
        field: "security code",
        max: SecurityCode::MAX_INPUT_BYTES,
        unit: "bytes",
    }
}

impl std::fmt::Debug for SecurityCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecurityCode(<redacted>)")
    }
}

impl TryFrom<&str> for SecurityCode {
    type Error = Error;
    fn try_from(code: &str) -> Result<Self> {
        SecurityCode::from_str_copy(code)
    }
}

impl TryFrom<String> for SecurityCode {
    type Error = Error;
    fn try_from(code: String) -> Result<Self> {
        SecurityCode::new(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts() {
        let code = SecurityCode::try_from("purple monkey dishwasher").unwrap();
        let shown = format!("{code:?}");
        assert!(!shown.contains("purple"), "{shown}");
        assert_eq!(shown, "SecurityCode(<redacted>)");
    }

    #[test]
    fn rejects_bad_input_with_typed_errors() {
        assert!(matches!(
            SecurityCode::try_from(""),
            Err(Error::InvalidInput { .. })
        ));
        let huge = "x".repeat(1 << 20);
        assert!(matches!(
            SecurityCode::new(huge),
            Err(Error::InputTooLong { max: 1024, .. })
        ));
        assert!(matches!(
            SecurityCode::from_utf8(&[0x66, 0xff, 0x66]),
            Err(Error::NotUtf8 { .. })
        ));
        assert!(SecurityCode::from_utf8("ok code".as_bytes()).is_ok());
    }
}

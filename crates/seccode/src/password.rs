//! [`Password`]: a contact's portal password (SPEC 10), held only in a buffer that is wiped
//! when dropped. It is hashed and checked like a security code (Argon2id through the engine's
//! verifier, held to the same policy), in a slot of its own ([`Scope::password`]), so that a
//! password's hash never passes for a code's and the other way round.
//!
//! [`Scope::password`]: crate::Scope::password

use crate::code::secret::SecurityCode;
use crate::error::{Error, Result};

/// A portal password as typed, compared exactly (no spoken matching).
///
/// Like [`SecurityCode`], it prints no secret in `Debug`, has no `Display`, `Serialize`,
/// `Clone` or comparison, and the library only hashes or checks it.
pub struct Password(SecurityCode);

impl Password {
    /// The longest input accepted, in bytes (a new password is held to the policy's 128
    /// characters; this bound only keeps hostile input from costing anything).
    pub const MAX_INPUT_BYTES: usize = SecurityCode::MAX_INPUT_BYTES;

    /// Take ownership of `password`; its buffer is wiped when dropped.
    pub fn new(password: String) -> Result<Password> {
        check(&password)?;
        Ok(Password(SecurityCode::new(password)?))
    }

    /// Copy `password` into a zeroizing buffer.
    pub fn from_str_copy(password: &str) -> Result<Password> {
        check(password)?;
        Ok(Password(SecurityCode::from_str_copy(password)?))
    }

    /// Copy `bytes` into a zeroizing buffer; they must be UTF-8.
    pub fn from_utf8(bytes: &[u8]) -> Result<Password> {
        if bytes.len() > Self::MAX_INPUT_BYTES {
            return Err(too_long());
        }
        let text = std::str::from_utf8(bytes).map_err(|_| Error::NotUtf8 { field: "password" })?;
        Self::from_str_copy(text)
    }

    /// The secret as the hashing code takes it, inside the crate only.
    pub(crate) fn as_code(&self) -> &SecurityCode {
        &self.0
    }
}

impl TryFrom<&str> for Password {
    type Error = Error;

    fn try_from(password: &str) -> Result<Password> {
        Password::from_str_copy(password)
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

fn check(password: &str) -> Result<()> {
    if password.is_empty() {
        return Err(Error::invalid("password", "empty"));
    }
    if password.len() > Password::MAX_INPUT_BYTES {
        return Err(too_long());
    }
    Ok(())
}

fn too_long() -> Error {
    Error::InputTooLong {
        field: "password",
        max: Password::MAX_INPUT_BYTES,
        unit: "bytes",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_is_a_typed_error_and_debug_shows_nothing() {
        assert!(matches!(
            Password::try_from(""),
            Err(Error::InvalidInput {
                field: "password",
                ..
            })
        ));
        assert!(matches!(
            Password::from_utf8(b"\xff\xfe"),
            Err(Error::NotUtf8 { field: "password" })
        ));
        assert!(matches!(
            Password::from_utf8(&[b'a'; 1025]),
            Err(Error::InputTooLong {
                field: "password",
                ..
            })
        ));
        let p = Password::try_from("correct horse battery staple").unwrap();
        assert_eq!(format!("{p:?}"), "Password(..)");
    }
}

//! The optional secret key mixed into every scoped hash ([`Pepper`]) and the rules for key ids.

use std::fmt;

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Longest pepper key id, in bytes (the PHC `keyid` parameter holds at most 8 bytes).
pub const MAX_KEY_ID_LEN: usize = 8;
/// Shortest pepper secret, in bytes.
pub const MIN_PEPPER_LEN: usize = 16;
/// Longest pepper secret, in bytes.
pub const MAX_PEPPER_LEN: usize = 64;

/// A secret key mixed into every scoped hash (the Argon2 "secret" input), named by a short key
/// id that the PHC string records as its `keyid` parameter.
///
/// Keep the secret outside the data store (a configuration secret, an HSM-backed file): a
/// stolen database is then useless for guessing codes offline. To rotate, make the new pepper
/// current and keep the old one as retired: hashes under the old key id still verify and are
/// reported outdated, so the caller rehashes them under the new one.
///
/// `Debug` shows the key id only; the secret lives in a buffer wiped on drop.
#[derive(Clone)]
pub struct Pepper {
    key_id: String,
    secret: Zeroizing<Vec<u8>>,
}

impl Pepper {
    /// A pepper named `key_id` (1 to 8 printable ASCII bytes, no spaces) with `secret`
    /// (16 to 64 bytes). The secret is wiped on drop, and at once when it is rejected.
    pub fn new(key_id: &str, secret: Vec<u8>) -> Result<Pepper> {
        let secret = Zeroizing::new(secret);
        check_key_id("pepper key id", key_id, MAX_KEY_ID_LEN)?;
        if secret.len() < MIN_PEPPER_LEN || secret.len() > MAX_PEPPER_LEN {
            return Err(Error::invalid(
                "pepper",
                format!("secret must be {MIN_PEPPER_LEN} to {MAX_PEPPER_LEN} bytes"),
            ));
        }
        Ok(Pepper {
            key_id: key_id.to_owned(),
            secret,
        })
    }

    /// The key id written into the hashes made with this pepper.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub(crate) fn secret(&self) -> &[u8] {
        &self.secret
    }
}

impl fmt::Debug for Pepper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pepper")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// Check a key id: `1..=max` bytes of printable ASCII without spaces (`!` to `~`).
pub(crate) fn check_key_id(field: &'static str, key_id: &str, max: usize) -> Result<()> {
    if key_id.is_empty() || key_id.len() > max {
        return Err(Error::invalid(field, format!("must be 1 to {max} bytes")));
    }
    if !key_id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid(
            field,
            "must be printable ASCII without spaces",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pepper_rules_and_debug() {
        let p = Pepper::new("k1", vec![0xAB; 32]).unwrap();
        assert_eq!(p.key_id(), "k1");
        let shown = format!("{p:?}");
        assert!(shown.contains("k1") && !shown.contains("171") && !shown.contains("AB"));
        assert!(Pepper::new("", vec![0; 32]).is_err());
        assert!(Pepper::new("123456789", vec![0; 32]).is_err());
        assert!(Pepper::new("a b", vec![0; 32]).is_err());
        assert!(Pepper::new("é", vec![0; 32]).is_err());
        assert!(Pepper::new("k1", vec![0; 15]).is_err());
        assert!(Pepper::new("k1", vec![0; 65]).is_err());
        assert!(Pepper::new("12345678", vec![0; 64]).is_ok());
    }
}

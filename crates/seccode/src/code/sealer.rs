//! Sealed copies of security codes (feature `sealed`, SPEC 3): for a portal that must show a
//! code back to an entitled contact, as the seed's "Security Code" column does.
//!
//! A [`Sealer`] encrypts the code with XChaCha20-Poly1305 under a key the host supplies,
//! with a random 24-byte nonce, and authenticates the code's [`Scope`] as associated data: a
//! sealed copy moved onto another account or contact does not open there. Off by default;
//! the hash stays the only thing verification uses. What it opens is a [`RevealedCode`], whose
//! plaintext is read only through the explicit [`RevealedCode::expose_secret`].

use std::fmt;

use chacha20poly1305::aead::AeadInOut;
use chacha20poly1305::{KeyInit, Tag, XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::code::hash::{Scope, check_key_id};
use crate::code::sealed::{MAX_SEAL_KEY_ID_LEN, NONCE_LEN, SealedCode, TAG_LEN};
use crate::code::secret::SecurityCode;
use crate::error::{Error, Result};

/// Domain-separation prefix of the associated data.
const AD_PREFIX: &[u8] = b"seccode/sealed/v1\0";

/// A security code opened from its sealed copy, for showing to a contact allowed to know it.
///
/// `Debug` and `Display` print nothing of it; the only way to the plaintext is
/// [`RevealedCode::expose_secret`], so every place that shows a code can be found by that name.
/// Wiped on drop.
pub struct RevealedCode(SecurityCode);

impl RevealedCode {
    /// The code's plaintext, to show to the entitled contact and nowhere else.
    pub fn expose_secret(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for RevealedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RevealedCode(..)")
    }
}

/// Seals and opens copies of security codes.
///
/// Holds one current key (used to seal) and any number of retired keys (used only to open
/// copies sealed before a rotation; [`Sealer::needs_reseal`] tells which copies those are).
/// `Debug` shows the key ids only; the keys are wiped on drop.
#[derive(Clone)]
pub struct Sealer {
    current: SealKey,
    retired: Vec<SealKey>,
}

#[derive(Clone)]
struct SealKey {
    key_id: String,
    cipher: XChaCha20Poly1305,
}

impl SealKey {
    fn new(key_id: &str, key: [u8; 32]) -> Result<SealKey> {
        // The caller's array was copied in; this copy is wiped on every path.
        let key = Zeroizing::new(key);
        check_key_id("sealing key id", key_id, MAX_SEAL_KEY_ID_LEN)?;
        let cipher = XChaCha20Poly1305::new_from_slice(key.as_slice())
            .map_err(|_| Error::invalid("sealing key", "must be 32 bytes"))?;
        Ok(SealKey {
            key_id: key_id.to_owned(),
            cipher,
        })
    }
}

impl Sealer {
    /// A sealer whose current key is `key`, named `key_id` (1 to 64 printable ASCII bytes,
    /// no spaces). The key id is stored with every sealed copy.
    pub fn new(key_id: &str, key: [u8; 32]) -> Result<Sealer> {
        Ok(Sealer {
            current: SealKey::new(key_id, key)?,
            retired: Vec::new(),
        })
    }

    /// Add a retired key: copies sealed under it still open. Fails with
    /// [`Error::InvalidInput`] when the key id is already in use.
    pub fn with_retired(mut self, key_id: &str, key: [u8; 32]) -> Result<Sealer> {
        let key = SealKey::new(key_id, key)?;
        if self.keys().any(|k| k.key_id == key.key_id) {
            return Err(Error::invalid("sealing key id", "already in use"));
        }
        self.retired.push(key);
        Ok(self)
    }

    /// The id of the key new copies are sealed with.
    pub fn key_id(&self) -> &str {
        &self.current.key_id
    }

    /// Seal `code`, exactly as given (not normalized), for `scope`.
    pub fn seal(&self, code: &SecurityCode, scope: &Scope) -> Result<SealedCode> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce)
            .map_err(|e| Error::Internal(format!("random number generator failed: {e}")))?;
        let mut buffer = Zeroizing::new(code.expose().as_bytes().to_vec());
        let tag = self
            .current
            .cipher
            .encrypt_inout_detached(
                &XNonce::from(nonce),
                &associated_data(scope),
                buffer.as_mut_slice().into(),
            )
            .map_err(|_| Error::Sealed("encryption failed".to_owned()))?;
        let mut ciphertext = Vec::with_capacity(buffer.len() + TAG_LEN);
        ciphertext.extend_from_slice(&buffer);
        ciphertext.extend_from_slice(tag.as_slice());
        Ok(SealedCode {
            key_id: self.current.key_id.clone(),
            nonce,
            ciphertext,
        })
    }

    /// Open a copy sealed for `scope`. Fails with [`Error::UnknownKey`] when its key id
    /// names no configured key, and with [`Error::Sealed`] when it does not authenticate
    /// (wrong key, another scope, tampering).
    pub fn open(&self, sealed: &SealedCode, scope: &Scope) -> Result<RevealedCode> {
        let key = self.key_of(sealed)?;
        let split = sealed.ciphertext.len().saturating_sub(TAG_LEN);
        let (body, tag) = sealed
            .ciphertext
            .split_at_checked(split)
            .unwrap_or_default();
        let tag = Tag::try_from(tag).map_err(|_| Error::Sealed("truncated".to_owned()))?;
        let mut buffer = Zeroizing::new(body.to_vec());
        key.cipher
            .decrypt_inout_detached(
                &XNonce::from(sealed.nonce),
                &associated_data(scope),
                buffer.as_mut_slice().into(),
                &tag,
            )
            .map_err(|_| {
                Error::Sealed("does not authenticate under this key and scope".to_owned())
            })?;
        SecurityCode::from_utf8(&buffer)
            .map(RevealedCode)
            .map_err(|_| Error::Sealed("the sealed copy is not a valid code".to_owned()))
    }

    /// Whether `sealed` was made with a key other than the current one and should be sealed
    /// again (after opening it) to complete a key rotation.
    pub fn needs_reseal(&self, sealed: &SealedCode) -> bool {
        sealed.key_id != self.current.key_id
    }

    /// The configured key `sealed` was made with; [`Error::UnknownKey`] when there is none.
    /// Whether the copy then opens is [`Sealer::open`]'s to say.
    fn key_of(&self, sealed: &SealedCode) -> Result<&SealKey> {
        self.keys()
            .find(|k| k.key_id == sealed.key_id)
            .ok_or_else(|| Error::UnknownKey(sealed.key_id.clone()))
    }

    /// Whether `sealed` was made with one of the configured keys, without opening it:
    /// [`Error::UnknownKey`] when not.
    pub(crate) fn has_key_of(&self, sealed: &SealedCode) -> Result<()> {
        self.key_of(sealed).map(drop)
    }

    fn keys(&self) -> impl Iterator<Item = &SealKey> {
        std::iter::once(&self.current).chain(self.retired.iter())
    }
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let retired: Vec<&str> = self.retired.iter().map(|k| k.key_id.as_str()).collect();
        f.debug_struct("Sealer")
            .field("key_id", &self.current.key_id)
            .field("retired_key_ids", &retired)
            .finish_non_exhaustive()
    }
}

/// `b"seccode/sealed/v1\0" || scope label`.
fn associated_data(scope: &Scope) -> Vec<u8> {
    let label = scope.label();
    let mut ad = Vec::with_capacity(AD_PREFIX.len() + label.len());
    ad.extend_from_slice(AD_PREFIX);
    ad.extend_from_slice(label.as_bytes());
    ad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> SecurityCode {
        SecurityCode::try_from(s).unwrap()
    }

    fn reveal(c: &RevealedCode) -> String {
        c.expose_secret().to_owned()
    }

    #[test]
    fn seal_open_round_trip() {
        let sealer = Sealer::new("s1", [7; 32]).unwrap();
        let scope = Scope::contact(1707, 3522);
        let sealed = sealer
            .seal(&code("Purple monkey, dishwasher!"), &scope)
            .unwrap();
        assert_eq!(sealed.key_id(), "s1");
        assert_eq!(sealed.ciphertext().len(), 26 + 16);
        let opened = sealer.open(&sealed, &scope).unwrap();
        assert_eq!(reveal(&opened), "Purple monkey, dishwasher!");
        // Fresh nonce every time.
        let again = sealer
            .seal(&code("Purple monkey, dishwasher!"), &scope)
            .unwrap();
        assert_ne!(again.nonce(), sealed.nonce());
    }

    #[test]
    fn scope_is_bound() {
        let sealer = Sealer::new("s1", [7; 32]).unwrap();
        let sealed = sealer
            .seal(&code("correct horse"), &Scope::contact(1, 2))
            .unwrap();
        for other in [
            Scope::contact(1, 3),
            Scope::contact(2, 2),
            Scope::account(1),
        ] {
            assert!(matches!(
                sealer.open(&sealed, &other),
                Err(Error::Sealed(_))
            ));
        }
    }

    #[test]
    fn keys_rotate_and_unknown_keys_are_named() {
        let old = Sealer::new("s1", [1; 32]).unwrap();
        let scope = Scope::account(5);
        let sealed = old.seal(&code("correct horse"), &scope).unwrap();
        let new = Sealer::new("s2", [2; 32])
            .unwrap()
            .with_retired("s1", [1; 32])
            .unwrap();
        assert!(new.needs_reseal(&sealed));
        assert_eq!(reveal(&new.open(&sealed, &scope).unwrap()), "correct horse");
        let forgot = Sealer::new("s2", [2; 32]).unwrap();
        assert!(matches!(forgot.open(&sealed, &scope), Err(Error::UnknownKey(k)) if k == "s1"));
        let wrong = Sealer::new("s1", [9; 32]).unwrap();
        assert!(matches!(wrong.open(&sealed, &scope), Err(Error::Sealed(_))));
        assert!(
            Sealer::new("s2", [2; 32])
                .unwrap()
                .with_retired("s2", [3; 32])
                .is_err()
        );
        assert!(Sealer::new("", [2; 32]).is_err());
    }

    #[test]
    fn tampering_is_detected() {
        let sealer = Sealer::new("s1", [7; 32]).unwrap();
        let scope = Scope::account(5);
        let sealed = sealer.seal(&code("correct horse"), &scope).unwrap();
        for i in 0..sealed.ciphertext.len() {
            let mut t = sealed.clone();
            t.ciphertext[i] ^= 1;
            assert!(matches!(sealer.open(&t, &scope), Err(Error::Sealed(_))));
        }
        let mut t = sealed.clone();
        t.nonce[0] ^= 1;
        assert!(matches!(sealer.open(&t, &scope), Err(Error::Sealed(_))));
    }

    #[test]
    fn serde_round_trip_and_validation() {
        let sealer = Sealer::new("s1", [7; 32]).unwrap();
        let scope = Scope::account(5);
        let sealed = sealer.seal(&code("correct horse"), &scope).unwrap();
        let json = serde_json::to_string(&sealed).unwrap();
        assert!(json.starts_with(r#"{"key_id":"s1","nonce":""#), "{json}");
        let back: SealedCode = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sealed);
        assert_eq!(
            reveal(&sealer.open(&back, &scope).unwrap()),
            "correct horse"
        );
        for bad in [
            r#"{"key_id":"s1","nonce":"AAAA","ciphertext":"AAAAAAAAAAAAAAAAAAAAAAAA"}"#,
            r#"{"key_id":"","nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","ciphertext":"AAAAAAAAAAAAAAAAAAAAAAAA"}"#,
            r#"{"key_id":"s1","nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","ciphertext":"AAAA"}"#,
            r#"{"key_id":"s1","nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","ciphertext":"!!!"}"#,
        ] {
            assert!(serde_json::from_str::<SealedCode>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_shows_no_key_or_code() {
        let sealer = Sealer::new("s1", [0xAB; 32])
            .unwrap()
            .with_retired("s0", [1; 32])
            .unwrap();
        let shown = format!("{sealer:?}");
        assert_eq!(
            shown,
            r#"Sealer { key_id: "s1", retired_key_ids: ["s0"], .. }"#
        );
        let sealed = sealer
            .seal(&code("correct horse"), &Scope::account(1))
            .unwrap();
        assert_eq!(
            format!("{sealed:?}"),
            r#"SealedCode { key_id: "s1", len: 29, .. }"#
        );
    }
}

//! The stored hash ([`CodeHash`]) and its serialized forms.

use std::fmt;

use super::bcrypt::{looks_like_bcrypt, parse_bcrypt};
use super::params::HashParams;
use super::phc::{ALGORITHM, format_phc, malformed, parse_phc};
use super::scope::Binding;
use crate::code::normalize::Normalization;
use crate::error::{Error, Result};

/// The algorithm of a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// Argon2id, version 19: every hash seccode makes, and imported PHC strings.
    Argon2id,
    /// bcrypt (`$2a$`, `$2b$`, `$2y$`): only ever an imported [`Binding::Legacy`] hash,
    /// replaced by an Argon2id one at its first successful verification.
    Bcrypt,
}

/// What checking a stored hash costs ([`CodeHash::cost`]), in its algorithm's own terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "algorithm", rename_all = "lowercase")]
#[non_exhaustive]
pub enum HashCost {
    /// Argon2id's memory, passes and lanes.
    Argon2id(HashParams),
    /// bcrypt's cost: log2 of its rounds.
    Bcrypt {
        /// 4 to 31 (PHP's `password_hash` uses 10).
        cost: u32,
    },
}

impl std::fmt::Display for HashCost {
    /// `m=19456,t=2,p=1` for Argon2id (the PHC parameter text), `bcrypt cost=10` for bcrypt.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HashCost::Argon2id(params) => params.fmt(f),
            HashCost::Bcrypt { cost } => write!(f, "bcrypt cost={cost}"),
        }
    }
}

impl HashAlgorithm {
    /// The name used in messages: `argon2id` or `bcrypt`.
    pub fn as_str(self) -> &'static str {
        match self {
            HashAlgorithm::Argon2id => ALGORITHM,
            HashAlgorithm::Bcrypt => "bcrypt",
        }
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored security code hash: an Argon2id PHC string (or an imported legacy bcrypt hash),
/// the [`Normalization`] the code was hashed under and its [`Binding`].
///
/// Serialized as `{ "phc": "$argon2id$v=19$...", "normalization": "spoken", "binding":
/// "scoped" }`. A bare string is also read, as a legacy PHC with `exact` normalization (what a
/// plain Argon2id store holds). Every way of building one validates the PHC string strictly
/// (one spelling per accepted string, parameters within their bounds); a malformed one is
/// [`Error::MalformedHash`].
///
/// A bcrypt hash (`$2y$10$...`, what PHP's `password_hash` made) is accepted in the `phc` field
/// (or bare) as a legacy hash only: see [`HashAlgorithm::Bcrypt`].
///
/// A `CodeHash` is not secret, but `Debug` still shows only the algorithm, parameters, key id,
/// normalization and binding, not the salt or hash.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "StoredHash")]
pub struct CodeHash {
    phc: String,
    normalization: Normalization,
    binding: Binding,
    algorithm: Algorithm,
}

/// What each algorithm's string holds, parsed.
#[derive(Clone, PartialEq, Eq)]
enum Algorithm {
    Argon2id {
        params: HashParams,
        key_id: Option<String>,
        salt: Vec<u8>,
        hash: Vec<u8>,
    },
    /// The salt and hash stay in the string: `bcrypt::verify` reads them there.
    Bcrypt { cost: u32 },
}

/// What [`CodeHash::params`] answers for a bcrypt hash: no Argon2id hash has `t=0`.
const NO_PARAMS: HashParams = HashParams {
    m_kib: 0,
    t: 0,
    p: 0,
};

impl CodeHash {
    /// Validate `phc` and pair it with the normalization and binding it was made under.
    ///
    /// Fails with [`Error::MalformedHash`] unless `phc` is an Argon2id, `v=19` PHC string of
    /// at most 512 bytes, with a salt of 8 to 64 bytes, an output of 16 to 64 bytes and
    /// valid parameters; a legacy hash must not carry a key id (it is unpeppered).
    ///
    /// A legacy hash may also be a bcrypt hash: `$2a$`, `$2b$` or `$2y$`, a cost from 04 to
    /// 31, then exactly 53 characters of bcrypt's base64 (a 16-byte salt, a 23-byte hash),
    /// written as bcrypt implementations write them. A scoped hash is never bcrypt.
    pub fn parse(phc: &str, normalization: Normalization, binding: Binding) -> Result<CodeHash> {
        let algorithm = if looks_like_bcrypt(phc) {
            if binding != Binding::Legacy {
                return Err(malformed("a bcrypt hash can only be a legacy hash"));
            }
            Algorithm::Bcrypt {
                cost: parse_bcrypt(phc)?,
            }
        } else {
            let parsed = parse_phc(phc)?;
            if binding == Binding::Legacy && parsed.key_id.is_some() {
                return Err(malformed("a legacy hash carries no pepper key id"));
            }
            Algorithm::Argon2id {
                params: parsed.params,
                key_id: parsed.key_id,
                salt: parsed.salt,
                hash: parsed.hash,
            }
        };
        Ok(CodeHash {
            phc: phc.to_owned(),
            normalization,
            binding,
            algorithm,
        })
    }

    /// A hash this crate just computed. The string is rebuilt from the parts and parsed back,
    /// so a `CodeHash` always holds exactly what [`CodeHash::parse`] accepts.
    pub(crate) fn from_parts(
        params: &HashParams,
        key_id: Option<&str>,
        salt: &[u8],
        hash: &[u8],
        normalization: Normalization,
        binding: Binding,
    ) -> Result<CodeHash> {
        let phc = format_phc(params, key_id, salt, hash);
        CodeHash::parse(&phc, normalization, binding)
            .map_err(|e| Error::Internal(format!("a freshly made hash does not parse: {e}")))
    }

    /// The PHC string (for a bcrypt hash, the bcrypt string).
    pub fn phc(&self) -> &str {
        &self.phc
    }

    /// How the code was normalized before hashing.
    pub fn normalization(&self) -> Normalization {
        self.normalization
    }

    /// Whether the hash is bound to its scope (made by seccode) or legacy.
    pub fn binding(&self) -> Binding {
        self.binding
    }

    /// The algorithm: Argon2id, or bcrypt for an imported legacy bcrypt hash.
    pub fn algorithm(&self) -> HashAlgorithm {
        match self.algorithm {
            Algorithm::Argon2id { .. } => HashAlgorithm::Argon2id,
            Algorithm::Bcrypt { .. } => HashAlgorithm::Bcrypt,
        }
    }

    /// The Argon2id parameters of the hash. A bcrypt hash has none: it answers
    /// `m=0,t=0,p=0`, which no Argon2id hash has; to show what a hash costs whatever its
    /// algorithm, use [`CodeHash::cost`].
    pub fn params(&self) -> HashParams {
        match &self.algorithm {
            Algorithm::Argon2id { params, .. } => *params,
            Algorithm::Bcrypt { .. } => NO_PARAMS,
        }
    }

    /// What checking the hash costs, in its algorithm's own terms: what a face shows for a
    /// stored hash (`m=19456,t=2,p=1`, or `bcrypt cost=10`), whatever the algorithm.
    pub fn cost(&self) -> HashCost {
        match self.algorithm {
            Algorithm::Argon2id { params, .. } => HashCost::Argon2id(params),
            Algorithm::Bcrypt { cost } => HashCost::Bcrypt { cost },
        }
    }

    /// The key id of the pepper the hash was made with, if any (never for bcrypt).
    pub fn key_id(&self) -> Option<&str> {
        match &self.algorithm {
            Algorithm::Argon2id { key_id, .. } => key_id.as_deref(),
            Algorithm::Bcrypt { .. } => None,
        }
    }

    /// The Argon2id salt; empty for bcrypt.
    pub(crate) fn salt(&self) -> &[u8] {
        match &self.algorithm {
            Algorithm::Argon2id { salt, .. } => salt,
            Algorithm::Bcrypt { .. } => &[],
        }
    }

    /// The Argon2id output; empty for bcrypt.
    pub(crate) fn hash_bytes(&self) -> &[u8] {
        match &self.algorithm {
            Algorithm::Argon2id { hash, .. } => hash,
            Algorithm::Bcrypt { .. } => &[],
        }
    }
}

impl fmt::Debug for CodeHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.algorithm {
            Algorithm::Argon2id { params, key_id, .. } => {
                write!(f, "CodeHash({ALGORITHM} {params}")?;
                if let Some(key_id) = key_id {
                    write!(f, ",keyid={key_id}")?;
                }
            }
            Algorithm::Bcrypt { cost } => write!(f, "CodeHash(bcrypt cost={cost}")?,
        }
        write!(f, " {} {})", self.normalization, self.binding)
    }
}

impl serde::Serialize for CodeHash {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut s = serializer.serialize_struct("CodeHash", 3)?;
        s.serialize_field("phc", &self.phc)?;
        s.serialize_field("normalization", &self.normalization)?;
        s.serialize_field("binding", &self.binding)?;
        s.end()
    }
}

/// What a stored hash deserializes from: the full object or a bare legacy PHC string.
enum StoredHash {
    Bare(String),
    Full(FullStoredHash),
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FullStoredHash {
    phc: String,
    normalization: Normalization,
    binding: Binding,
}

impl<'de> serde::Deserialize<'de> for StoredHash {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct StoredHashVisitor;

        impl<'de> serde::de::Visitor<'de> for StoredHashVisitor {
            type Value = StoredHash;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a stored hash object or a PHC string")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<StoredHash, E> {
                Ok(StoredHash::Bare(v.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(
                self,
                v: String,
            ) -> std::result::Result<StoredHash, E> {
                Ok(StoredHash::Bare(v))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<StoredHash, A::Error> {
                let full = <FullStoredHash as serde::Deserialize>::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(StoredHash::Full(full))
            }
        }

        deserializer.deserialize_any(StoredHashVisitor)
    }
}

impl TryFrom<StoredHash> for CodeHash {
    type Error = Error;

    fn try_from(stored: StoredHash) -> Result<CodeHash> {
        match stored {
            StoredHash::Bare(phc) => CodeHash::parse(&phc, Normalization::Exact, Binding::Legacy),
            StoredHash::Full(full) => CodeHash::parse(&full.phc, full.normalization, full.binding),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SALT: &str = "c29tZXNhbHRzb21lc2FsdA"; // 16 bytes
    const HASH: &str = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"; // 32 bytes

    fn phc(params: &str) -> String {
        format!("$argon2id$v=19${params}${SALT}${HASH}")
    }

    #[test]
    fn parses_a_plain_hash() {
        let h = CodeHash::parse(
            &phc("m=19456,t=2,p=1"),
            Normalization::Spoken,
            Binding::Scoped,
        )
        .unwrap();
        assert_eq!(h.params(), HashParams::default());
        assert_eq!(h.key_id(), None);
        assert_eq!(h.salt().len(), 16);
        assert_eq!(h.hash_bytes().len(), 32);
        assert_eq!(h.phc(), phc("m=19456,t=2,p=1"));
    }

    #[test]
    fn parses_key_id_and_round_trips_format() {
        let params = HashParams {
            m_kib: 64,
            t: 3,
            p: 2,
        };
        let s = format_phc(&params, Some("k-2025"), &[7; 16], &[9; 32]);
        assert!(s.contains(",keyid=ay0yMDI1$"), "{s}");
        let h = CodeHash::parse(&s, Normalization::Exact, Binding::Scoped).unwrap();
        assert_eq!(h.key_id(), Some("k-2025"));
        assert_eq!(h.params(), params);
        assert_eq!(
            format_phc(&h.params(), h.key_id(), h.salt(), h.hash_bytes()),
            s
        );
    }

    #[test]
    fn legacy_hash_may_not_carry_a_key_id() {
        let s = format_phc(&HashParams::default(), Some("k1"), &[7; 16], &[9; 32]);
        let err = CodeHash::parse(&s, Normalization::Exact, Binding::Legacy).unwrap_err();
        assert!(matches!(err, Error::MalformedHash(_)));
    }

    #[test]
    fn serde_full_and_bare() {
        let s = phc("m=19456,t=2,p=1");
        let h = CodeHash::parse(&s, Normalization::Spoken, Binding::Scoped).unwrap();
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(
            json,
            format!(r#"{{"phc":"{s}","normalization":"spoken","binding":"scoped"}}"#)
        );
        let back: CodeHash = serde_json::from_str(&json).unwrap();
        assert_eq!(back, h);

        let bare: CodeHash = serde_json::from_str(&format!("\"{s}\"")).unwrap();
        assert_eq!(bare.binding(), Binding::Legacy);
        assert_eq!(bare.normalization(), Normalization::Exact);

        let err = serde_json::from_str::<CodeHash>(
            r#""$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA""#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("malformed stored hash"), "{err}");
        assert!(!err.contains("c2FsdHNhbHQ"), "{err}");

        let err = serde_json::from_str::<CodeHash>(&format!(
            r#"{{"phc":"{s}","normalization":"spoken","binding":"scoped","extra":1}}"#
        ));
        assert!(err.is_err());
        let err = serde_json::from_str::<CodeHash>("42");
        assert!(err.is_err());
    }

    #[test]
    fn debug_is_short() {
        let s = format_phc(&HashParams::default(), Some("k1"), &[7; 16], &[9; 32]);
        let h = CodeHash::parse(&s, Normalization::Spoken, Binding::Scoped).unwrap();
        assert_eq!(
            format!("{h:?}"),
            "CodeHash(argon2id m=19456,t=2,p=1,keyid=k1 spoken scoped)"
        );
    }
}

//! The stored form of a security code: an Argon2id hash in the PHC string format, with the
//! parameters, pepper and scope that go into it (SPEC 2.1, DESIGN "Key decisions").
//!
//! - [`HashParams`]: the Argon2id cost (default m=19456 KiB, t=2, p=1).
//! - [`Ceilings`]: the most work a stored hash may ask for before it is refused unhashed.
//! - [`Pepper`]: an optional secret key mixed into every hash, named by a key id that the PHC
//!   string records (`keyid=`), so peppers can be rotated.
//! - [`Scope`]: the account or contact a code belongs to; it is hashed with the code, so a
//!   hash copied onto another record does not verify there.
//! - [`Binding`]: whether a hash was made by seccode (`scoped`) or imported from another
//!   implementation (`legacy`: plain Argon2id of the normalized code).
//! - [`CodeHash`]: the stored hash itself, validated when it is built or deserialized.
//!
//! # PHC parsing
//!
//! PHC strings are read by a small parser in this module rather than by the `password-hash`
//! crate. The accepted language is tiny and fixed
//! (`$argon2id$v=19$m=<u32>,t=<u32>,p=<u32>[,keyid=<b64>]$<b64 salt>$<b64 hash>`), and every
//! part of it needs a seccode-specific limit anyway (salt and hash lengths, key id shape,
//! total length, refusing `data=`); a general PHC parser would accept far more (any parameter
//! order, arbitrary identifiers) only for us to reject it again, and would add two crates
//! (`password-hash`, `phc`) to the dependency tree of every face. The parser is strict so that
//! each accepted string has exactly one spelling: decimal numbers without sign or leading
//! zeros, parameters in the order `m, t, p, keyid`, standard base64 without padding and
//! without stray trailing bits. Error messages name the part that is wrong and never echo the
//! string beyond its algorithm identifier.
//!
//! Only Argon2id version 0x13 (`v=19`) is accepted. Version 0x10 predates Argon2id's
//! publication in practice (every implementation that writes `argon2id` writes `v=19`), is
//! weaker against time-memory trade-offs, and a hash claiming it is more likely damaged than
//! genuine; such a string is [`Error::MalformedHash`]. The `data=` parameter (associated
//! data, dropped from the Argon2 standard) is refused the same way.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use zeroize::Zeroizing;

use crate::code::normalize::Normalization;
use crate::error::{Error, Result};

/// Longest PHC string accepted, in bytes.
pub const MAX_PHC_LEN: usize = 512;
/// Shortest salt accepted in a stored hash, in bytes.
pub const MIN_SALT_LEN: usize = 8;
/// Longest salt accepted in a stored hash, in bytes.
pub const MAX_SALT_LEN: usize = 64;
/// Shortest hash output accepted in a stored hash, in bytes.
pub const MIN_OUTPUT_LEN: usize = 16;
/// Longest hash output accepted in a stored hash, in bytes.
pub const MAX_OUTPUT_LEN: usize = 64;
/// Salt length of the hashes seccode makes, in bytes.
pub const SALT_LEN: usize = 16;
/// Output length of the hashes seccode makes, in bytes.
pub const OUTPUT_LEN: usize = 32;
/// Longest pepper key id, in bytes (the PHC `keyid` parameter holds at most 8 bytes).
pub const MAX_KEY_ID_LEN: usize = 8;
/// Shortest pepper secret, in bytes.
pub const MIN_PEPPER_LEN: usize = 16;
/// Longest pepper secret, in bytes.
pub const MAX_PEPPER_LEN: usize = 64;

/// The algorithm identifier of every hash seccode reads or writes.
const ALGORITHM: &str = "argon2id";
/// The Argon2 version written as `v=19` (0x13).
const VERSION: u32 = 0x13;
/// Argon2's largest degree of parallelism (2^24 - 1).
const MAX_LANES: u32 = 0x00FF_FFFF;
/// Domain-separation prefix of every scoped hash input.
const INPUT_PREFIX: &[u8] = b"seccode/v1\0";

/// Argon2id cost parameters.
///
/// The default is SPEC 2.1's: m=19456 KiB, t=2, p=1 (the OWASP recommendation for Argon2id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HashParams {
    /// Memory, in KiB (1 KiB Argon2 blocks); at least `8 * p`.
    pub m_kib: u32,
    /// Number of passes over the memory; at least 1.
    pub t: u32,
    /// Degree of parallelism (lanes); between 1 and 2^24 - 1.
    pub p: u32,
}

impl Default for HashParams {
    fn default() -> Self {
        HashParams {
            m_kib: 19_456,
            t: 2,
            p: 1,
        }
    }
}

impl HashParams {
    /// Check that Argon2 can run with these parameters: `t >= 1`, `1 <= p < 2^24`,
    /// `m_kib >= 8 * p`. Fails with [`Error::InvalidInput`].
    pub fn validate(&self) -> Result<()> {
        match self.problem() {
            Some(problem) => Err(Error::invalid("hash parameters", problem)),
            None => Ok(()),
        }
    }

    fn problem(&self) -> Option<&'static str> {
        if self.t < 1 {
            Some("t must be at least 1")
        } else if self.p < 1 {
            Some("p must be at least 1")
        } else if self.p > MAX_LANES {
            Some("p must be below 2^24")
        } else if u64::from(self.m_kib) < u64::from(self.p) * 8 {
            Some("m must be at least 8 KiB per lane (8 * p)")
        } else {
            None
        }
    }
}

impl fmt::Display for HashParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m={},t={},p={}", self.m_kib, self.t, self.p)
    }
}

/// The most work a stored hash may ask for. A stored hash over any ceiling is refused with
/// [`Error::HashCeilingExceeded`] before any memory is allocated for it, so a planted hash
/// with `m=4294967295` costs nothing.
///
/// The default allows 256 MiB, 16 passes and 16 lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ceilings {
    /// Largest memory cost accepted, in KiB (default 262144: 256 MiB).
    pub max_m_kib: u32,
    /// Largest number of passes accepted (default 16).
    pub max_t: u32,
    /// Largest degree of parallelism accepted (default 16).
    pub max_p: u32,
}

impl Default for Ceilings {
    fn default() -> Self {
        Ceilings {
            max_m_kib: 262_144,
            max_t: 16,
            max_p: 16,
        }
    }
}

impl Ceilings {
    /// Fail with [`Error::HashCeilingExceeded`] when `params` ask for more than a ceiling.
    pub fn check(&self, params: &HashParams) -> Result<()> {
        if params.m_kib > self.max_m_kib {
            return Err(Error::HashCeilingExceeded(format!(
                "m={} KiB is over {} KiB",
                params.m_kib, self.max_m_kib
            )));
        }
        if params.t > self.max_t {
            return Err(Error::HashCeilingExceeded(format!(
                "t={} is over {}",
                params.t, self.max_t
            )));
        }
        if params.p > self.max_p {
            return Err(Error::HashCeilingExceeded(format!(
                "p={} is over {}",
                params.p, self.max_p
            )));
        }
        Ok(())
    }

    /// Check that the ceilings themselves admit some valid parameters
    /// (`max_m_kib >= 8`, `max_t >= 1`, `max_p >= 1`). Fails with [`Error::InvalidInput`].
    pub fn validate(&self) -> Result<()> {
        if self.max_m_kib < 8 || self.max_t < 1 || self.max_p < 1 {
            return Err(Error::invalid(
                "hash ceilings",
                "must allow at least m=8, t=1, p=1",
            ));
        }
        Ok(())
    }
}

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

/// The record a code belongs to: the account (its account-wide code) or one contact of the
/// account (its individual code).
///
/// The scope is hashed together with the code but not written in the PHC string: a hash
/// copied onto another account or contact is computed with that record's scope and fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    account: u64,
    contact: Option<u64>,
}

impl Scope {
    /// The account-wide code of account `account`.
    pub fn account(account: u64) -> Scope {
        Scope {
            account,
            contact: None,
        }
    }

    /// The individual code of contact `contact` of account `account`.
    pub fn contact(account: u64, contact: u64) -> Scope {
        Scope {
            account,
            contact: Some(contact),
        }
    }

    /// The account id.
    pub fn account_id(&self) -> u64 {
        self.account
    }

    /// The contact id, for an individual code.
    pub fn contact_id(&self) -> Option<u64> {
        self.contact
    }

    /// The scope as hashed: `account:<id>` or `account:<id>/contact:<id>`.
    pub fn label(&self) -> String {
        self.to_string()
    }

    /// The Argon2 password input for a scoped hash:
    /// `b"seccode/v1\0" || label || b"\0" || normalized`, built in a buffer wiped on drop
    /// and sized up front so that no reallocation leaves a copy behind.
    pub(crate) fn input(&self, normalized: &str) -> Zeroizing<Vec<u8>> {
        let label = self.label();
        let mut input = Zeroizing::new(Vec::with_capacity(
            INPUT_PREFIX.len() + label.len() + 1 + normalized.len(),
        ));
        input.extend_from_slice(INPUT_PREFIX);
        input.extend_from_slice(label.as_bytes());
        input.push(0);
        input.extend_from_slice(normalized.as_bytes());
        input
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.contact {
            None => write!(f, "account:{}", self.account),
            Some(contact) => write!(f, "account:{}/contact:{contact}", self.account),
        }
    }
}

/// What a stored hash was computed over.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Binding {
    /// Made by seccode: the normalized code bound to its [`Scope`], with the pepper named by
    /// the key id, if any.
    #[default]
    Scoped,
    /// Imported from another implementation (argon2-cffi, libsodium, an old portal): plain
    /// Argon2id of the normalized code, no scope, no pepper. Always outdated, so a successful
    /// verification upgrades it.
    Legacy,
}

impl Binding {
    /// The name used in data: `scoped` or `legacy`.
    pub fn as_str(self) -> &'static str {
        match self {
            Binding::Scoped => "scoped",
            Binding::Legacy => "legacy",
        }
    }
}

impl fmt::Display for Binding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored security code hash: an Argon2id PHC string, the [`Normalization`] the code was
/// hashed under and its [`Binding`].
///
/// Serialized as `{ "phc": "$argon2id$v=19$...", "normalization": "spoken", "binding":
/// "scoped" }`. A bare string is also read, as a legacy PHC with `exact` normalization (what a
/// plain Argon2id store holds). Every way of building one validates the PHC string (see the
/// [module documentation](self)); a malformed one is [`Error::MalformedHash`].
///
/// A `CodeHash` is not secret, but `Debug` still shows only the algorithm, parameters, key id,
/// normalization and binding, not the salt or hash.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "StoredHash")]
pub struct CodeHash {
    phc: String,
    normalization: Normalization,
    binding: Binding,
    params: HashParams,
    key_id: Option<String>,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

impl CodeHash {
    /// Validate `phc` and pair it with the normalization and binding it was made under.
    ///
    /// Fails with [`Error::MalformedHash`] unless `phc` is an Argon2id, `v=19` PHC string of
    /// at most 512 bytes, with a salt of 8 to 64 bytes, an output of 16 to 64 bytes and
    /// valid parameters; a legacy hash must not carry a key id (it is unpeppered).
    pub fn parse(phc: &str, normalization: Normalization, binding: Binding) -> Result<CodeHash> {
        let parsed = parse_phc(phc)?;
        if binding == Binding::Legacy && parsed.key_id.is_some() {
            return Err(malformed("a legacy hash carries no pepper key id"));
        }
        Ok(CodeHash {
            phc: phc.to_owned(),
            normalization,
            binding,
            params: parsed.params,
            key_id: parsed.key_id,
            salt: parsed.salt,
            hash: parsed.hash,
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

    /// The PHC string.
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

    /// The Argon2id parameters of the hash.
    pub fn params(&self) -> HashParams {
        self.params
    }

    /// The key id of the pepper the hash was made with, if any.
    pub fn key_id(&self) -> Option<&str> {
        self.key_id.as_deref()
    }

    pub(crate) fn salt(&self) -> &[u8] {
        &self.salt
    }

    pub(crate) fn hash_bytes(&self) -> &[u8] {
        &self.hash
    }
}

impl fmt::Debug for CodeHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodeHash({ALGORITHM} {}", self.params)?;
        if let Some(key_id) = &self.key_id {
            write!(f, ",keyid={key_id}")?;
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

/// The parts of a validated PHC string.
struct ParsedPhc {
    params: HashParams,
    key_id: Option<String>,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

fn malformed(problem: impl Into<String>) -> Error {
    Error::MalformedHash(problem.into())
}

/// Parse and validate an Argon2id PHC string (see the module documentation for the grammar).
fn parse_phc(phc: &str) -> Result<ParsedPhc> {
    if phc.is_empty() {
        return Err(malformed("empty"));
    }
    if phc.len() > MAX_PHC_LEN {
        return Err(malformed(format!("longer than {MAX_PHC_LEN} bytes")));
    }
    let Some(rest) = phc.strip_prefix('$') else {
        return Err(malformed("not a PHC string (must start with `$`)"));
    };
    let mut fields = rest.split('$');
    let algorithm = fields.next().unwrap_or_default();
    if algorithm != ALGORITHM {
        return Err(unsupported_algorithm(algorithm));
    }
    let (Some(version), Some(params), Some(salt), Some(hash), None) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return Err(malformed(
            "expected `$argon2id$v=19$<params>$<salt>$<hash>`",
        ));
    };
    match version {
        "v=19" => {}
        "v=16" => return Err(malformed("version 16 (0x10) is not accepted, only 19")),
        _ => {
            return Err(malformed(
                "missing or invalid version (only `v=19` is accepted)",
            ));
        }
    }
    let (params, key_id) = parse_params(params)?;
    let salt = decode_b64("salt", salt, MIN_SALT_LEN, MAX_SALT_LEN)?;
    let hash = decode_b64("hash", hash, MIN_OUTPUT_LEN, MAX_OUTPUT_LEN)?;
    Ok(ParsedPhc {
        params,
        key_id,
        salt,
        hash,
    })
}

fn unsupported_algorithm(algorithm: &str) -> Error {
    let plausible = !algorithm.is_empty()
        && algorithm.len() <= 32
        && algorithm
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if plausible {
        malformed(format!(
            "algorithm `{algorithm}` is not accepted, only `{ALGORITHM}`"
        ))
    } else {
        malformed(format!(
            "unrecognized algorithm, only `{ALGORITHM}` is accepted"
        ))
    }
}

/// Parse `m=<u32>,t=<u32>,p=<u32>[,keyid=<b64>]`, in that order.
fn parse_params(params: &str) -> Result<(HashParams, Option<String>)> {
    let mut items = params.split(',');
    let m_kib = parse_decimal("m", items.next())?;
    let t = parse_decimal("t", items.next())?;
    let p = parse_decimal("p", items.next())?;
    let hash_params = HashParams { m_kib, t, p };
    if let Some(problem) = hash_params.problem() {
        return Err(malformed(problem));
    }
    let key_id = match items.next() {
        None => None,
        Some(item) => {
            let Some(value) = item.strip_prefix("keyid=") else {
                return Err(unexpected_param(item));
            };
            let bytes = decode_b64("keyid", value, 1, MAX_KEY_ID_LEN)?;
            let key_id = String::from_utf8(bytes)
                .ok()
                .filter(|k| check_key_id("keyid", k, MAX_KEY_ID_LEN).is_ok())
                .ok_or_else(|| malformed("keyid is not printable ASCII"))?;
            Some(key_id)
        }
    };
    if let Some(item) = items.next() {
        return Err(unexpected_param(item));
    }
    Ok((hash_params, key_id))
}

fn unexpected_param(item: &str) -> Error {
    let name = item.split('=').next().unwrap_or_default();
    match name {
        "data" => malformed("associated data (`data`) is not accepted"),
        "m" | "t" | "p" | "keyid" => malformed("parameters must be `m,t,p[,keyid]`, in that order"),
        _ => malformed("unexpected parameter (only `m,t,p[,keyid]` are accepted)"),
    }
}

/// Parse `<name>=<decimal>`: 1 to 10 digits, no sign, no leading zero, at most `u32::MAX`.
fn parse_decimal(name: &'static str, item: Option<&str>) -> Result<u32> {
    let value = item
        .and_then(|item| item.strip_prefix(name))
        .and_then(|rest| rest.strip_prefix('='))
        .ok_or_else(|| malformed("parameters must be `m,t,p[,keyid]`, in that order"))?;
    let canonical = !value.is_empty()
        && value.len() <= 10
        && value.bytes().all(|b| b.is_ascii_digit())
        && (value == "0" || !value.starts_with('0'));
    let number = if canonical {
        value
            .parse::<u64>()
            .ok()
            .and_then(|n| u32::try_from(n).ok())
    } else {
        None
    };
    number.ok_or_else(|| {
        malformed(format!(
            "parameter `{name}` is not a decimal number from 0 to 4294967295"
        ))
    })
}

/// Decode standard base64 without padding (canonical: no stray trailing bits), checking the
/// decoded length is within `min..=max` bytes.
fn decode_b64(field: &'static str, value: &str, min: usize, max: usize) -> Result<Vec<u8>> {
    // Each 4 characters hold 3 bytes; refuse absurd lengths before decoding.
    if value.len() > max.saturating_mul(4) / 3 + 4 {
        return Err(malformed(format!("{field} is longer than {max} bytes")));
    }
    let bytes = STANDARD_NO_PAD
        .decode(value)
        .map_err(|_| malformed(format!("{field} is not valid unpadded base64")))?;
    if bytes.len() < min || bytes.len() > max {
        return Err(malformed(format!("{field} must be {min} to {max} bytes")));
    }
    Ok(bytes)
}

/// Write the PHC string of an Argon2id v=19 hash.
pub(crate) fn format_phc(
    params: &HashParams,
    key_id: Option<&str>,
    salt: &[u8],
    hash: &[u8],
) -> String {
    let key_id = key_id
        .map(|k| format!(",keyid={}", STANDARD_NO_PAD.encode(k.as_bytes())))
        .unwrap_or_default();
    format!(
        "${ALGORITHM}$v={VERSION}${params}{key_id}${}${}",
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(hash)
    )
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
    fn numbers_are_canonical_and_do_not_overflow() {
        for params in [
            "m=019456,t=2,p=1",
            "m=+19456,t=2,p=1",
            "m=19456,t=2,p=-1",
            "m=4294967296,t=2,p=1",
            "m=99999999999999999999999,t=2,p=1",
            "m=,t=2,p=1",
            "m=1 9,t=2,p=1",
            "m=19456,t=0,p=1",
            "m=19456,t=2,p=0",
            "m=7,t=2,p=1",
            "m=64,t=2,p=9",
            "m=19456,t=2,p=16777216",
        ] {
            let err = parse_phc(&phc(params)).err();
            assert!(matches!(err, Some(Error::MalformedHash(_))), "{params}");
        }
        let max = parse_phc(&phc("m=4294967295,t=4294967295,p=16777215")).unwrap();
        assert_eq!(max.params.m_kib, u32::MAX);
        assert_eq!(max.params.t, u32::MAX);
    }

    #[test]
    fn messages_never_echo_the_hash() {
        let bad = format!("$argon2id$v=19$m=19456,t=2,p=1${SALT}${HASH}=");
        let msg = parse_phc(&bad).err().unwrap().to_string();
        assert!(!msg.contains(SALT) && !msg.contains("CTFh"), "{msg}");
        let msg = parse_phc("$argon2i$v=19$m=1,t=1,p=1$x$y")
            .err()
            .unwrap()
            .to_string();
        assert!(msg.contains("`argon2i`"), "{msg}");
        let msg = parse_phc("$SECRETSTUFF$").err().unwrap().to_string();
        assert!(!msg.contains("SECRETSTUFF"), "{msg}");
    }

    #[test]
    fn params_validation_and_ceilings() {
        assert!(HashParams::default().validate().is_ok());
        assert!(
            HashParams {
                m_kib: 8,
                t: 1,
                p: 1
            }
            .validate()
            .is_ok()
        );
        assert!(
            HashParams {
                m_kib: 15,
                t: 1,
                p: 2
            }
            .validate()
            .is_err()
        );
        assert!(
            HashParams {
                m_kib: 64,
                t: 0,
                p: 1
            }
            .validate()
            .is_err()
        );
        assert!(
            HashParams {
                m_kib: 64,
                t: 1,
                p: 0
            }
            .validate()
            .is_err()
        );
        let c = Ceilings::default();
        assert!(c.check(&HashParams::default()).is_ok());
        for p in [
            HashParams {
                m_kib: 262_145,
                t: 1,
                p: 1,
            },
            HashParams {
                m_kib: 64,
                t: 17,
                p: 1,
            },
            HashParams {
                m_kib: 640,
                t: 1,
                p: 17,
            },
        ] {
            assert!(matches!(c.check(&p), Err(Error::HashCeilingExceeded(_))));
        }
        assert!(
            Ceilings {
                max_m_kib: 7,
                max_t: 1,
                max_p: 1
            }
            .validate()
            .is_err()
        );
    }

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

    #[test]
    fn scope_input_layout() {
        let a = Scope::account(1707);
        let c = Scope::contact(1707, 3522);
        assert_eq!(a.label(), "account:1707");
        assert_eq!(c.label(), "account:1707/contact:3522");
        assert_eq!(
            c.input("abc").as_slice(),
            b"seccode/v1\0account:1707/contact:3522\0abc"
        );
        assert_eq!(a.input("").as_slice(), b"seccode/v1\0account:1707\0");
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

//! The PHC string grammar: a strict parser ([`parse_phc`]) and the writer ([`format_phc`]) of
//! `$argon2id$v=19$m=<u32>,t=<u32>,p=<u32>[,keyid=<b64>]$<b64 salt>$<b64 hash>`. The choices
//! are explained in the [`hash` module documentation](super).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;

use super::params::HashParams;
use super::pepper::{MAX_KEY_ID_LEN, check_key_id};
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

/// The algorithm identifier of every hash seccode reads or writes.
pub(super) const ALGORITHM: &str = "argon2id";
/// The Argon2 version written as `v=19` (0x13).
const VERSION: u32 = 0x13;

/// The parts of a validated PHC string.
pub(super) struct ParsedPhc {
    pub(super) params: HashParams,
    pub(super) key_id: Option<String>,
    pub(super) salt: Vec<u8>,
    pub(super) hash: Vec<u8>,
}

pub(super) fn malformed(problem: impl Into<String>) -> Error {
    Error::MalformedHash(problem.into())
}

/// Parse and validate an Argon2id PHC string (see the module documentation for the grammar).
pub(super) fn parse_phc(phc: &str) -> Result<ParsedPhc> {
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
pub(super) fn format_phc(
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
}

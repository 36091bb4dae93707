//! Legacy bcrypt hashes (`$2y$`, `$2b$`, `$2a$`): the strict parser of what seccode accepts
//! for import, and the cost ceiling a stored one is held to.
//!
//! A bcrypt hash is only ever a [`Binding::Legacy`](super::Binding::Legacy) hash of the
//! code as typed (normalized `exact`), imported from a portal that used PHP's
//! `password_hash` (or `crypt`, Python's `bcrypt`, ...). seccode never makes one: the first
//! successful verification replaces it by a scoped Argon2id hash. The computation and the
//! constant-time comparison are the `bcrypt` crate's (`bcrypt::verify`); the accepted format
//! is checked here first, strictly, so that every accepted string has one spelling and a
//! malformed one is refused at import, never at verification.
//!
//! # The 72-byte limit
//!
//! bcrypt uses at most the first 72 bytes of its input and silently ignores the rest, so a
//! stored bcrypt hash of a 100-byte code also matches any code sharing those 72 bytes. seccode
//! does not repeat that: a code of more than [`BCRYPT_MAX_CODE_LEN`] bytes (after
//! normalization) never matches a bcrypt hash. The verifier still runs bcrypt (over the first
//! 72 bytes) so that the work, and the evaluation count, do not depend on the code's length;
//! it only refuses the match. The contact then needs a new code, set by the portal.

use super::phc::malformed;
use crate::error::{Error, Result};

/// The most bytes of a code that a bcrypt hash covers. A longer code (after normalization)
/// never matches a bcrypt hash: bcrypt ignores every byte past the 72nd, so a hash of a
/// longer code would also match any code sharing its first 72 bytes. The verifier still runs
/// bcrypt over those 72 bytes (the same work, one counted evaluation) and refuses the match.
pub const BCRYPT_MAX_CODE_LEN: usize = 72;

/// The lowest cost a bcrypt hash may declare (bcrypt's own minimum).
pub const MIN_BCRYPT_COST: u32 = 4;
/// The highest cost a bcrypt hash may declare (bcrypt's own maximum): a string declaring
/// more is [`Error::MalformedHash`].
pub const MAX_BCRYPT_COST: u32 = 31;
/// The highest cost of a bcrypt hash the verifier runs (2^16 rounds, about 64 times PHP's
/// default cost of 10): above it a stored hash is refused unhashed with
/// [`Error::HashCeilingExceeded`], as an Argon2id hash over the ceilings is, so a planted
/// `$2y$31$` hash costs nothing.
pub const BCRYPT_COST_CEILING: u32 = 16;

/// Length of every bcrypt hash string: `$2y$` + two cost digits + `$` + 22 salt and 31 hash
/// characters.
const LEN: usize = 60;
/// The bcrypt base64 alphabet (not the standard one).
const ALPHABET: &[u8; 64] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Whether `phc` claims to be a bcrypt hash (starts with `$2`): such a string is parsed by
/// [`parse_bcrypt`], never as a PHC string.
pub(super) fn looks_like_bcrypt(phc: &str) -> bool {
    phc.starts_with("$2")
}

/// Parse and validate a bcrypt hash: `$2a$`, `$2b$` or `$2y$`, a two-digit cost from 04 to 31,
/// `$`, a 22-character salt and a 31-character hash in bcrypt's base64 alphabet, with the
/// unused low bits of the last salt and hash characters zero (as every bcrypt implementation
/// writes them). Returns the cost. Messages never echo the string.
pub(super) fn parse_bcrypt(phc: &str) -> Result<u32> {
    let bytes = phc.as_bytes();
    if bytes.len() != LEN {
        return Err(malformed(format!(
            "a bcrypt hash has exactly {LEN} characters"
        )));
    }
    let (Some(prefix), Some(cost), Some(b'$'), Some(rest)) =
        (phc.get(..4), phc.get(4..6), bytes.get(6), bytes.get(7..))
    else {
        return Err(shape());
    };
    match prefix {
        "$2a$" | "$2b$" | "$2y$" => {}
        "$2x$" => {
            return Err(malformed(
                "bcrypt `$2x$` (the pre-2011 crypt_blowfish bug) is not accepted",
            ));
        }
        _ => return Err(shape()),
    }
    if !cost.bytes().all(|b| b.is_ascii_digit()) {
        return Err(shape());
    }
    let cost: u32 = cost.parse().map_err(|_| shape())?;
    if !(MIN_BCRYPT_COST..=MAX_BCRYPT_COST).contains(&cost) {
        return Err(malformed(format!(
            "bcrypt cost `{cost}` is outside {MIN_BCRYPT_COST} to {MAX_BCRYPT_COST}"
        )));
    }
    let mut values = Vec::with_capacity(rest.len());
    for &b in rest {
        let Some(v) = ALPHABET.iter().position(|&a| a == b) else {
            return Err(malformed(
                "bcrypt salt and hash must be in bcrypt's base64 alphabet",
            ));
        };
        values.push(v);
    }
    // 22 characters carry the 16-byte salt (132 bits, the last 4 unused); 31 carry the
    // 23-byte hash (186 bits, the last 2 unused).
    if values.get(21).is_none_or(|v| v & 0x0f != 0) {
        return Err(malformed("bcrypt salt has stray trailing bits"));
    }
    if values.get(52).is_none_or(|v| v & 0x03 != 0) {
        return Err(malformed("bcrypt hash has stray trailing bits"));
    }
    Ok(cost)
}

/// Fail with [`Error::HashCeilingExceeded`] when `cost` is over [`BCRYPT_COST_CEILING`].
pub(crate) fn check_bcrypt_cost(cost: u32) -> Result<()> {
    if cost > BCRYPT_COST_CEILING {
        return Err(Error::HashCeilingExceeded(format!(
            "bcrypt cost {cost} is over {BCRYPT_COST_CEILING}"
        )));
    }
    Ok(())
}

fn shape() -> Error {
    malformed("expected a bcrypt hash `$2y$<cost>$<22 salt characters><31 hash characters>`")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `password_hash("correct horse battery", PASSWORD_BCRYPT, ["cost" => 4])`, PHP 8.2.
    const PHP: &str = "$2y$04$KHnDL3pf29Hz0snjyYYUmO8gsrHn2q0lvxy7lrOQ8Rr95R9NRAWeK";

    fn with(at: usize, c: char) -> String {
        let mut s = PHP.to_owned();
        s.replace_range(at..=at, &c.to_string());
        s
    }

    #[test]
    fn accepts_the_three_prefixes_and_reads_the_cost() {
        assert_eq!(parse_bcrypt(PHP).unwrap(), 4);
        for prefix in ["$2a$", "$2b$"] {
            let s = format!("{prefix}{}", &PHP[4..]);
            assert_eq!(parse_bcrypt(&s).unwrap(), 4);
        }
        assert_eq!(parse_bcrypt(&format!("$2y$31{}", &PHP[6..])).unwrap(), 31);
    }

    #[test]
    fn refuses_every_other_shape_without_echoing_it() {
        let bad = [
            String::new(),
            PHP[..59].to_owned(),
            format!("{PHP}."),
            format!("$2x${}", &PHP[4..]),
            format!("$2z${}", &PHP[4..]),
            format!("$3y${}", &PHP[4..]),
            format!("$2y$03{}", &PHP[6..]),
            format!("$2y$32{}", &PHP[6..]),
            format!("$2y$+4{}", &PHP[6..]),
            format!("$2y$ 4{}", &PHP[6..]),
            with(6, '.'),
            with(10, '+'),
            with(10, '='),
            with(59, 'é'),
            // The salt's last character carries 4 unused bits, the hash's 2.
            with(28, 'P'),
            with(59, 'n'),
        ];
        for s in bad {
            let err = parse_bcrypt(&s).unwrap_err();
            assert!(matches!(err, Error::MalformedHash(_)), "{s:?}: {err}");
            let msg = err.to_string();
            assert!(s.len() < 8 || !msg.contains(&s[7..15]), "{msg}");
        }
    }

    #[test]
    fn the_ceiling_is_separate_from_the_format() {
        assert!(check_bcrypt_cost(BCRYPT_COST_CEILING).is_ok());
        assert!(matches!(
            check_bcrypt_cost(BCRYPT_COST_CEILING + 1),
            Err(Error::HashCeilingExceeded(_))
        ));
    }
}

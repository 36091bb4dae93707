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
//! - [`HashAlgorithm`]: Argon2id, or bcrypt for a legacy hash imported from a PHP portal
//!   (`bcrypt`: its strict parser, the 72-byte limit and the cost ceiling).
//!
//! One file per idea: `params` (cost, ceilings, sizes of new hashes), `pepper`, `scope` (scope
//! and binding: what a hash is computed over), `phc` (the PHC string grammar) and `code_hash`
//! (the stored hash and its serialized form). Everything public is re-exported here.
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
//! genuine; such a string is [`Error::MalformedHash`](crate::error::Error::MalformedHash).
//! The `data=` parameter (associated data, dropped from the Argon2 standard) is refused the
//! same way.

mod bcrypt;
mod code_hash;
mod params;
mod pepper;
mod phc;
mod scope;

pub use bcrypt::{BCRYPT_COST_CEILING, BCRYPT_MAX_CODE_LEN, MAX_BCRYPT_COST, MIN_BCRYPT_COST};
pub use code_hash::{CodeHash, HashAlgorithm, HashCost};
pub use params::{Ceilings, HashParams, OUTPUT_LEN, SALT_LEN};
pub use pepper::{MAX_KEY_ID_LEN, MAX_PEPPER_LEN, MIN_PEPPER_LEN, Pepper};
pub use phc::{MAX_OUTPUT_LEN, MAX_PHC_LEN, MAX_SALT_LEN, MIN_OUTPUT_LEN, MIN_SALT_LEN};
pub use scope::{Binding, Scope};

pub(crate) use bcrypt::check_bcrypt_cost;
pub(crate) use pepper::check_key_id;

//! Security codes: the secret buffer, normalization, the policy for new codes, hashing and
//! verification.

pub mod hash;
pub mod normalize;
pub mod policy;
#[cfg(feature = "sealed")]
pub mod sealed;
pub mod secret;
pub mod verifier;

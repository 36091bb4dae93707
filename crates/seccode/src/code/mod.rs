//! Security codes: the secret buffer, normalization, the policy for new codes, hashing and
//! verification.

pub mod hash;
pub mod normalize;
pub mod policy;
pub mod sealed;
#[cfg(feature = "sealed")]
pub mod sealer;
pub mod secret;
pub mod verifier;

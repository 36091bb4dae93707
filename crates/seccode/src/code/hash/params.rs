//! Argon2id cost parameters ([`HashParams`]), the most a stored hash may ask for
//! ([`Ceilings`]), and the sizes of the hashes seccode makes.

use std::fmt;

use crate::error::{Error, Result};

/// Salt length of the hashes seccode makes, in bytes.
pub const SALT_LEN: usize = 16;
/// Output length of the hashes seccode makes, in bytes.
pub const OUTPUT_LEN: usize = 32;

/// Argon2's largest degree of parallelism (2^24 - 1).
const MAX_LANES: u32 = 0x00FF_FFFF;

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

    /// What makes the parameters unusable for Argon2, if anything.
    pub(super) fn problem(&self) -> Option<&'static str> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

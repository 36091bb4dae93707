//! [`Engine`]: the portal-wide configuration every operation runs with: the verifier (hash
//! parameters, pepper, concurrency), the code policy, the lockout rule and the clock.

use std::sync::Arc;

use crate::clock::{Clock, SystemClock, Timestamp};
use crate::code::policy::CodePolicy;
use crate::code::verifier::{Verifier, VerifierConfig};
use crate::error::{Error, Result};

/// How many consecutive failures lock a contact, and for how long (SPEC 2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Lockout {
    /// Consecutive failed verifications that lock the contact (default 5).
    pub max_failures: u32,
    /// How long the lock lasts, in seconds (default 1800: 30 minutes).
    pub duration_secs: i64,
}

impl Default for Lockout {
    fn default() -> Self {
        Lockout {
            max_failures: 5,
            duration_secs: 30 * 60,
        }
    }
}

/// Everything an [`Engine`] is made from. `EngineConfig::default()` is the SPEC's defaults:
/// Argon2id m=19456 KiB, t=2, p=1, no pepper, 5 failures lock for 30 minutes, the system clock.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Hash parameters, ceilings, peppers and the concurrency limit.
    pub verifier: VerifierConfig,
    /// Rules for new codes.
    pub policy: CodePolicy,
    /// Lockout after repeated failures.
    pub lockout: Lockout,
    /// Where time comes from.
    pub clock: Arc<dyn Clock>,
    /// How long a successful verification authorizes requests, in seconds (default 900:
    /// 15 minutes, a phone call's length; SPEC 7).
    pub verification_lifetime_secs: i64,
    /// Key for sealed copies of codes, when the portal shows codes to entitled contacts.
    #[cfg(feature = "sealed")]
    pub sealer: Option<crate::code::sealer::Sealer>,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            verifier: VerifierConfig::default(),
            policy: CodePolicy::default(),
            lockout: Lockout::default(),
            clock: Arc::new(SystemClock),
            verification_lifetime_secs: 15 * 60,
            #[cfg(feature = "sealed")]
            sealer: None,
        }
    }
}

/// The runtime every account operation takes: build one per process and share it (it is
/// `Send + Sync`; hashing is bounded by the verifier's concurrency limit).
#[derive(Debug)]
pub struct Engine {
    verifier: Verifier,
    policy: CodePolicy,
    lockout: Lockout,
    clock: Arc<dyn Clock>,
    verification_lifetime_secs: i64,
    #[cfg(feature = "sealed")]
    sealer: Option<crate::code::sealer::Sealer>,
}

impl Engine {
    /// Build an engine; fails if the hash parameters or lockout are unusable.
    pub fn new(config: EngineConfig) -> Result<Engine> {
        config.policy.validate()?;
        if config.lockout.max_failures == 0 {
            return Err(Error::invalid("lockout", "max_failures must be at least 1"));
        }
        if config.lockout.duration_secs <= 0 {
            return Err(Error::invalid("lockout", "duration must be positive"));
        }
        if config.verification_lifetime_secs <= 0 {
            return Err(Error::invalid(
                "verification lifetime",
                "must be a positive number of seconds",
            ));
        }
        Ok(Engine {
            verifier: Verifier::new(config.verifier)?,
            policy: config.policy,
            lockout: config.lockout,
            clock: config.clock,
            verification_lifetime_secs: config.verification_lifetime_secs,
            #[cfg(feature = "sealed")]
            sealer: config.sealer,
        })
    }

    /// The Argon2id verifier.
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// The policy for new codes.
    pub fn policy(&self) -> &CodePolicy {
        &self.policy
    }

    /// The lockout rule.
    pub fn lockout(&self) -> Lockout {
        self.lockout
    }

    /// How long a successful verification authorizes requests, in seconds.
    pub fn verification_lifetime_secs(&self) -> i64 {
        self.verification_lifetime_secs
    }

    /// The current time from the configured clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The sealing key, if sealed copies are enabled (a portal can reveal codes only then).
    #[cfg(feature = "sealed")]
    pub fn sealer(&self) -> Option<&crate::code::sealer::Sealer> {
        self.sealer.as_ref()
    }
}

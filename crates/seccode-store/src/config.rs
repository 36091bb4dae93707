//! [`StoreConfig`]: the settings every backend keeps with the data, so that every process that
//! opens the store hashes and locks alike.

use seccode::{HashParams, Lockout};

use crate::error::{Result, StoreError};

/// Store-wide configuration: the Argon2id cost of new hashes, the lockout rule, and the id of
/// the pepper key new hashes are made with. Defaults are the core's (m=19456 KiB, t=2, p=1; 5
/// failures lock for 30 minutes; no pepper). A pepper itself is deliberately **not** kept here:
/// it must live apart from the hashes; its id tells an operator which key the store needs.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct StoreConfig {
    /// Parameters of new hashes (older hashes upgrade at their next successful verification).
    pub params: HashParams,
    /// Failed attempts before a lock, and its length.
    pub lockout: Lockout,
    /// The key id of the pepper in use, if any (never the pepper).
    pub pepper_key_id: Option<String>,
}

impl StoreConfig {
    /// The settings as `(key, value)` rows, as every backend stores them.
    pub(crate) fn to_pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("argon2.m_kib", self.params.m_kib.to_string()),
            ("argon2.t", self.params.t.to_string()),
            ("argon2.p", self.params.p.to_string()),
            (
                "lockout.max_failures",
                self.lockout.max_failures.to_string(),
            ),
            (
                "lockout.duration_secs",
                self.lockout.duration_secs.to_string(),
            ),
            (
                "pepper.key_id",
                self.pepper_key_id.clone().unwrap_or_default(),
            ),
        ]
    }

    /// Read the settings back from `(key, value)` rows; unknown keys are ignored, missing ones
    /// keep their defaults, a malformed value is an error.
    pub(crate) fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Result<Self> {
        let mut config = StoreConfig::default();
        for (key, value) in pairs {
            let bad = || StoreError::Inconsistent(format!("setting `{key}` is `{value}`"));
            match key.as_str() {
                "argon2.m_kib" => config.params.m_kib = value.parse().map_err(|_| bad())?,
                "argon2.t" => config.params.t = value.parse().map_err(|_| bad())?,
                "argon2.p" => config.params.p = value.parse().map_err(|_| bad())?,
                "lockout.max_failures" => {
                    config.lockout.max_failures = value.parse().map_err(|_| bad())?;
                }
                "lockout.duration_secs" => {
                    config.lockout.duration_secs = value.parse().map_err(|_| bad())?;
                }
                "pepper.key_id" => {
                    config.pepper_key_id = Some(value.clone()).filter(|v| !v.is_empty());
                }
                _ => {}
            }
        }
        Ok(config)
    }
}

//! API keys (SPEC 9 "Credentials"): created and revoked on the server by `seccode key …`,
//! shown once, kept only as their SHA-256 in a small JSON file of the service's own.
//!
//! A key is `sck_` and 32 random bytes in URL-safe base64: far too much entropy for a slow
//! hash to add anything, so one SHA-256 is what is stored, and a presented key is compared
//! with every stored digest in constant time. The file is re-read when it changes, so a key
//! revoked by the command line is refused by a running service at its next request.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// What a key may do (SPEC 9 "Who calls").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A portal: acts on behalf of a named contact; every rule of SPEC 3 applies to it.
    Portal,
    /// A support agent: verifies callers, authorizes requests, unlocks on behalf of an
    /// entitled contact, reads the audit log; never sets codes or permissions.
    Agent,
    /// An operator: creates accounts and imports legacy codes, and may do what a portal does.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 3] = [Role::Portal, Role::Agent, Role::Admin];

    /// `portal`, `agent` or `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Portal => "portal",
            Role::Agent => "agent",
            Role::Admin => "admin",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = KeyError;

    /// Reads `portal`, `agent` or `admin`, in any letter case.
    fn from_str(s: &str) -> Result<Role, KeyError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| KeyError::InvalidRole(s.to_owned()))
    }
}

/// What went wrong with the key file. Never carries a key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key file could not be read or written.
    #[error("cannot use key file `{path}`: {detail}")]
    Io {
        /// The key file.
        path: String,
        /// Why.
        detail: String,
    },
    /// The key file is not a key file this service wrote.
    #[error("key file `{path}` is malformed: {detail}")]
    Malformed {
        /// The key file.
        path: String,
        /// What is wrong (never a key: the file holds digests only).
        detail: String,
    },
    /// No key with this id.
    #[error("unknown key `{0}`")]
    UnknownKey(String),
    /// Not `portal`, `agent` or `admin`.
    #[error("invalid role `{0}`: expected portal, agent or admin")]
    InvalidRole(String),
    /// The random number generator failed; nothing was written.
    #[error("internal error: {0}")]
    Random(String),
}

/// A key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeyInfo {
    /// The key's id, for `seccode key revoke ID` and the logs.
    pub id: String,
    /// A name the operator chose ("billing portal").
    pub name: String,
    /// What the key may do.
    pub role: Role,
    /// When it was created, in Unix seconds.
    pub created_at: i64,
    /// When it was revoked, if it was.
    pub revoked_at: Option<i64>,
}

impl KeyInfo {
    /// The agent the audit log names for what this key does: its name, or `key ID` when the
    /// name is empty or not a valid agent name ([`seccode::AgentName`]: over 64 characters,
    /// or with control characters). Only agent keys act as agents; `None` for the others.
    pub fn agent(&self) -> Option<seccode::AgentName> {
        if self.role != Role::Agent {
            return None;
        }
        seccode::AgentName::new(&self.name)
            .or_else(|_| seccode::AgentName::new(format!("key {}", self.id)))
            .ok()
    }
}

/// A new key's text, shown once. `Debug` never shows it.
pub struct ApiKey(Zeroizing<String>);

impl ApiKey {
    /// The key's text: show it to the operator once, never log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(..)")
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct StoredKey {
    #[serde(flatten)]
    info: KeyInfo,
    /// SHA-256 of the key's text, in hex.
    sha256: String,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFileData {
    version: u32,
    keys: Vec<StoredKey>,
}

/// The keys as last read, with the file's modification time and length then.
type Cached = (Option<SystemTime>, u64, Vec<StoredKey>);

const FORMAT_VERSION: u32 = 1;
const PREFIX: &str = "sck_";

/// The key file: the service's API keys, hashed.
#[derive(Debug)]
pub struct KeyRing {
    path: PathBuf,
    /// The keys as last read, with the file's modification time and length then.
    cache: Mutex<Option<Cached>>,
}

fn random<const N: usize>() -> Result<[u8; N], KeyError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| KeyError::Random(format!("the random number generator failed: {e}")))?;
    Ok(bytes)
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if text.len() != 64 {
        return None;
    }
    for (slot, pair) in out.iter_mut().zip(text.as_bytes().chunks(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *slot = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl KeyRing {
    /// The key file at `path` (created by the first [`KeyRing::create`]).
    pub fn new(path: impl Into<PathBuf>) -> KeyRing {
        KeyRing {
            path: path.into(),
            cache: Mutex::new(None),
        }
    }

    /// Where the keys are kept.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, e: impl std::fmt::Display) -> KeyError {
        KeyError::Io {
            path: self.path.display().to_string(),
            detail: e.to_string(),
        }
    }

    fn read(&self) -> Result<Vec<StoredKey>, KeyError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.io(e)),
        };
        let data: KeyFileData = serde_json::from_str(&text).map_err(|e| KeyError::Malformed {
            path: self.path.display().to_string(),
            detail: e.to_string(),
        })?;
        if data.version != FORMAT_VERSION {
            return Err(KeyError::Malformed {
                path: self.path.display().to_string(),
                detail: format!("unknown version `{}`", data.version),
            });
        }
        Ok(data.keys)
    }

    fn write(&self, keys: Vec<StoredKey>) -> Result<(), KeyError> {
        let data = KeyFileData {
            version: FORMAT_VERSION,
            keys,
        };
        let text = serde_json::to_string_pretty(&data).map_err(|e| self.io(e))?;
        let dir = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| self.io(e))?;
        let mut file = tempfile::NamedTempFile::new_in(&dir).map_err(|e| self.io(e))?;
        std::io::Write::write_all(&mut file, format!("{text}\n").as_bytes())
            .map_err(|e| self.io(e))?;
        file.as_file().sync_all().map_err(|e| self.io(e))?;
        // NamedTempFile is created with mode 0600: only the service's user reads the digests.
        file.persist(&self.path).map_err(|e| self.io(e.error))?;
        if let Ok(mut cache) = self.cache.lock() {
            *cache = None;
        }
        Ok(())
    }

    /// Make a new key with this role and name; the key's text is returned once.
    pub fn create(&self, role: Role, name: &str) -> Result<(KeyInfo, ApiKey), KeyError> {
        let mut keys = self.read()?;
        let id = hex(&random::<6>()?);
        let text = Zeroizing::new(format!(
            "{PREFIX}{}",
            URL_SAFE_NO_PAD.encode(random::<32>()?)
        ));
        let info = KeyInfo {
            id,
            name: name.to_owned(),
            role,
            created_at: now_secs(),
            revoked_at: None,
        };
        keys.push(StoredKey {
            info: info.clone(),
            sha256: hex(&digest(&text)),
        });
        self.write(keys)?;
        Ok((info, ApiKey(text)))
    }

    /// Revoke a key: it is refused from the next request on. Revoking twice is not an error.
    pub fn revoke(&self, id: &str) -> Result<KeyInfo, KeyError> {
        let mut keys = self.read()?;
        let key = keys
            .iter_mut()
            .find(|k| k.info.id == id.trim())
            .ok_or_else(|| KeyError::UnknownKey(id.to_owned()))?;
        if key.info.revoked_at.is_none() {
            key.info.revoked_at = Some(now_secs());
        }
        let info = key.info.clone();
        self.write(keys)?;
        Ok(info)
    }

    /// Every key, revoked ones too, in creation order.
    pub fn list(&self) -> Result<Vec<KeyInfo>, KeyError> {
        Ok(self.read()?.into_iter().map(|k| k.info).collect())
    }

    /// The key a request presented, if it is a live (not revoked) key of this file. Every
    /// stored digest is compared, in constant time.
    pub fn authenticate(&self, presented: &str) -> Result<Option<KeyInfo>, KeyError> {
        let wanted = digest(presented);
        let meta = std::fs::metadata(&self.path).ok();
        let stamp = (
            meta.as_ref().and_then(|m| m.modified().ok()),
            meta.as_ref().map_or(0, |m| m.len()),
        );
        let mut cache = self
            .cache
            .lock()
            .map_err(|_| KeyError::Random("the key cache lock is poisoned".to_owned()))?;
        let fresh = matches!(&*cache, Some((t, l, _)) if (*t, *l) == stamp && t.is_some());
        if !fresh {
            *cache = Some((stamp.0, stamp.1, self.read()?));
        }
        let mut found = None;
        for key in cache.iter().flat_map(|(_, _, keys)| keys) {
            let stored = unhex(&key.sha256).unwrap_or([0u8; 32]);
            if bool::from(stored.ct_eq(&wanted)) {
                found = Some(key.info.clone());
            }
        }
        Ok(found.filter(|k| k.revoked_at.is_none()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keys_are_shown_once_stored_hashed_and_revocable() {
        let dir = tempfile::tempdir().unwrap();
        let ring = KeyRing::new(dir.path().join("keys.json"));
        let (info, key) = ring.create(Role::Agent, "desk").unwrap();
        assert!(key.expose_secret().starts_with("sck_"));
        assert!(!format!("{key:?}").contains(key.expose_secret()));
        let file = std::fs::read_to_string(ring.path()).unwrap();
        assert!(!file.contains(key.expose_secret()));
        assert_eq!(
            ring.authenticate(key.expose_secret()).unwrap(),
            Some(info.clone())
        );
        assert_eq!(ring.authenticate("sck_wrong").unwrap(), None);
        ring.revoke(&info.id).unwrap();
        assert_eq!(ring.authenticate(key.expose_secret()).unwrap(), None);
        assert!(matches!(ring.revoke("nope"), Err(KeyError::UnknownKey(_))));
        assert_eq!(ring.list().unwrap().len(), 1);
    }
}

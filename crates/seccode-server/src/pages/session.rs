//! Server-side sessions of the pages: a random 256-bit id in the cookie
//! `__Host-seccode_session` (Secure, HttpOnly, SameSite=Strict, Path=/), only its SHA-256 kept
//! in memory with who signed in, the session's CSRF token, a message to show once and the
//! agent console's current call. A new id is issued at sign-in, the session is dropped at
//! sign-out, and a session unused for longer than the idle limit is gone.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use axum::http::header;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use seccode::{AccountId, ContactId, Outcome};
use seccode_store::CallToken;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::csrf::CsrfToken;
use super::error::PageError;

/// The session cookie's name. The `__Host-` prefix makes browsers refuse it unless it is
/// Secure, has `Path=/` and no `Domain`.
pub(crate) const COOKIE: &str = "__Host-seccode_session";

/// A session unused this long is dropped.
pub(crate) const IDLE: Duration = Duration::from_secs(15 * 60);

/// At most this many sessions are kept; beyond it the least recently used go first.
const MAX_SESSIONS: usize = 10_000;

/// Who a session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Who {
    /// Not signed in yet: the session only carries the sign-in form's CSRF token.
    Anonymous,
    /// A support agent, by the id of the API key it signed in with (never the key).
    Agent {
        /// The key's id.
        key_id: String,
    },
    /// A contact of an account, signed in with its portal password.
    Contact {
        /// The contact's account.
        account: AccountId,
        /// The contact.
        contact: ContactId,
    },
}

/// The agent console's caller on the line: the account and contact claimed, the answer, and
/// the verification's token (kept here, server-side only, never in a page or a URL).
#[derive(Clone)]
pub(crate) struct Call {
    /// The account the caller named.
    pub account: AccountId,
    /// The contact the caller claimed to be.
    pub contact: ContactId,
    /// The answer of the verification.
    pub outcome: Outcome,
    /// The verification's token, when verified.
    pub token: Option<CallToken>,
    /// When the verification ends, when verified.
    pub expires_at: Option<seccode::Timestamp>,
}

struct Session {
    who: Who,
    csrf: CsrfToken,
    last_seen: Instant,
    flash: Option<String>,
    call: Option<Call>,
}

/// The key a session is kept under: the SHA-256 of its id.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SessionKey([u8; 32]);

impl SessionKey {
    fn of(id: &str) -> SessionKey {
        SessionKey(Sha256::digest(id.as_bytes()).into())
    }
}

/// The session of the current request, as the guard found it.
#[derive(Clone)]
pub(crate) struct Current {
    /// Where the session is kept.
    pub key: SessionKey,
    /// Who signed in.
    pub who: Who,
    /// The session's CSRF token, for the forms of the page.
    pub csrf: CsrfToken,
}

impl std::fmt::Debug for Current {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Current")
            .field("who", &self.who)
            .finish_non_exhaustive()
    }
}

/// A new session's id, for its cookie only.
pub(crate) struct SessionId(Zeroizing<String>);

impl SessionId {
    /// The `Set-Cookie` value that hands this id to the browser.
    pub(crate) fn cookie(&self) -> String {
        format!(
            "{COOKIE}={}; Path=/; Secure; HttpOnly; SameSite=Strict",
            self.0.as_str()
        )
    }
}

/// The `Set-Cookie` value that makes the browser forget its session.
pub(crate) fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// 32 random bytes, in URL-safe base64.
pub(crate) fn random_text() -> Result<Zeroizing<String>, PageError> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(bytes.as_mut_slice())
        .map_err(|_| PageError::internal("the random number generator failed"))?;
    Ok(Zeroizing::new(URL_SAFE_NO_PAD.encode(bytes.as_slice())))
}

/// The session id the request's cookie presents, if any.
pub(crate) fn presented(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Every session of this process.
pub(crate) struct Sessions {
    map: Mutex<HashMap<SessionKey, Session>>,
    idle: Duration,
}

impl Sessions {
    /// No sessions; each is dropped after `idle` without use.
    pub(crate) fn new(idle: Duration) -> Sessions {
        Sessions {
            map: Mutex::new(HashMap::new()),
            idle,
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<SessionKey, Session>>, PageError> {
        self.map
            .lock()
            .map_err(|_| PageError::internal("the session table is unusable"))
    }

    /// A new session for `who`, with a new id and CSRF token.
    pub(crate) fn create(&self, who: Who) -> Result<(SessionId, Current), PageError> {
        let id = SessionId(random_text()?);
        let key = SessionKey::of(&id.0);
        let csrf = CsrfToken::new()?;
        let now = Instant::now();
        let mut map = self.lock()?;
        map.retain(|_, s| now.duration_since(s.last_seen) < self.idle);
        while map.len() >= MAX_SESSIONS {
            let oldest = map.iter().min_by_key(|(_, s)| s.last_seen).map(|(k, _)| *k);
            match oldest {
                Some(k) => map.remove(&k),
                None => break,
            };
        }
        map.insert(
            key,
            Session {
                who: who.clone(),
                csrf: csrf.clone(),
                last_seen: now,
                flash: None,
                call: None,
            },
        );
        Ok((id, Current { key, who, csrf }))
    }

    /// The live session with this id (its idle time starts again), or `None`: unknown,
    /// dropped or idle too long (then it is dropped now).
    pub(crate) fn find(&self, id: &str) -> Option<Current> {
        let key = SessionKey::of(id);
        let now = Instant::now();
        let mut map = self.map.lock().ok()?;
        let live = map
            .get(&key)
            .is_some_and(|s| now.duration_since(s.last_seen) < self.idle);
        if !live {
            map.remove(&key);
            return None;
        }
        let s = map.get_mut(&key)?;
        s.last_seen = now;
        Some(Current {
            key,
            who: s.who.clone(),
            csrf: s.csrf.clone(),
        })
    }

    /// Drop a session (sign-out, or its replacement at sign-in).
    pub(crate) fn drop_session(&self, key: SessionKey) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(&key);
        }
    }

    /// Keep a message to show on the session's next page.
    pub(crate) fn set_flash(&self, key: SessionKey, message: &str) {
        if let Ok(mut map) = self.map.lock() {
            if let Some(s) = map.get_mut(&key) {
                s.flash = Some(message.to_owned());
            }
        }
    }

    /// The message kept for this page, once.
    pub(crate) fn take_flash(&self, key: SessionKey) -> Option<String> {
        self.map
            .lock()
            .ok()
            .and_then(|mut map| map.get_mut(&key).and_then(|s| s.flash.take()))
    }

    /// Keep the console's current call (replacing the previous one).
    pub(crate) fn set_call(&self, key: SessionKey, call: Option<Call>) {
        if let Ok(mut map) = self.map.lock() {
            if let Some(s) = map.get_mut(&key) {
                s.call = call;
            }
        }
    }

    /// The console's current call.
    pub(crate) fn call(&self, key: SessionKey) -> Option<Call> {
        self.map
            .lock()
            .ok()
            .and_then(|map| map.get(&key).and_then(|s| s.call.clone()))
    }

    /// How many sessions are kept (for tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.map.lock().map(|m| m.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    fn cookie_id(id: &SessionId) -> String {
        let c = id.cookie();
        let value = c.split(';').next().unwrap();
        value.split_once('=').unwrap().1.to_owned()
    }

    #[test]
    fn ids_are_random_256_bit_and_only_their_hash_is_kept() {
        let sessions = Sessions::new(IDLE);
        let (a, current) = sessions.create(Who::Anonymous).unwrap();
        let (b, _) = sessions.create(Who::Anonymous).unwrap();
        let (a, b) = (cookie_id(&a), cookie_id(&b));
        assert_ne!(a, b);
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 32);
        assert!(current.key.0 != [0; 32]);
        assert!(current.key == SessionKey::of(&a));
        assert!(sessions.find(&a).is_some());
        assert!(sessions.find("not-a-session").is_none());
    }

    #[test]
    fn the_cookie_is_host_only_secure_httponly_strict() {
        let sessions = Sessions::new(IDLE);
        let (id, _) = sessions.create(Who::Anonymous).unwrap();
        let c = id.cookie();
        assert!(c.starts_with("__Host-seccode_session="));
        for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
            assert!(c.split("; ").any(|a| a == attribute), "{attribute}");
        }
        assert!(!c.contains("Domain"));
        assert!(clear_cookie().contains("Max-Age=0"));
    }

    #[test]
    fn a_dropped_session_is_gone() {
        let sessions = Sessions::new(IDLE);
        let (id, current) = sessions.create(Who::Anonymous).unwrap();
        sessions.drop_session(current.key);
        assert!(sessions.find(&cookie_id(&id)).is_none());
    }

    #[test]
    fn an_idle_session_expires() {
        let sessions = Sessions::new(Duration::ZERO);
        let (id, _) = sessions.create(Who::Anonymous).unwrap();
        assert!(sessions.find(&cookie_id(&id)).is_none());
        assert_eq!(sessions.len(), 0);
    }

    #[test]
    fn the_cookie_header_is_read_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "a=b; __Host-seccode_session=xyz; c=d".parse().unwrap(),
        );
        assert_eq!(presented(&headers).as_deref(), Some("xyz"));
        headers.insert(header::COOKIE, "seccode_session=xyz".parse().unwrap());
        assert_eq!(presented(&headers), None);
    }

    #[test]
    fn a_flash_message_is_shown_once() {
        let sessions = Sessions::new(IDLE);
        let (_, current) = sessions.create(Who::Anonymous).unwrap();
        sessions.set_flash(current.key, "Success: Contact updated.");
        assert_eq!(
            sessions.take_flash(current.key).as_deref(),
            Some("Success: Contact updated.")
        );
        assert_eq!(sessions.take_flash(current.key), None);
    }
}

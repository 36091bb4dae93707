//! What a hash is computed over: the record a code belongs to ([`Scope`]), the exact Argon2
//! input built from it, and whether a stored hash is bound to it ([`Binding`]).

use std::fmt;

use zeroize::Zeroizing;

/// Domain-separation prefix of every scoped hash input.
const INPUT_PREFIX: &[u8] = b"seccode/v1\0";

/// The record a code belongs to: the account (its account-wide code) or one contact of the
/// account (its individual code, or its portal password: a slot of its own, so that a hash of
/// one can never pass for the other).
///
/// The scope is hashed together with the code but not written in the PHC string: a hash
/// copied onto another account or contact is computed with that record's scope and fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    account: u64,
    contact: Option<u64>,
    password: bool,
}

impl Scope {
    /// The account-wide code of account `account`.
    pub fn account(account: u64) -> Scope {
        Scope {
            account,
            contact: None,
            password: false,
        }
    }

    /// The individual code of contact `contact` of account `account`.
    pub fn contact(account: u64, contact: u64) -> Scope {
        Scope {
            account,
            contact: Some(contact),
            password: false,
        }
    }

    /// The portal password of contact `contact` of account `account` (SPEC 10).
    pub fn password(account: u64, contact: u64) -> Scope {
        Scope {
            account,
            contact: Some(contact),
            password: true,
        }
    }

    /// The account id.
    pub fn account_id(&self) -> u64 {
        self.account
    }

    /// The contact id, for an individual code.
    pub fn contact_id(&self) -> Option<u64> {
        self.contact
    }

    /// The scope as hashed: `account:<id>`, `account:<id>/contact:<id>` or
    /// `account:<id>/contact:<id>/password`.
    pub fn label(&self) -> String {
        self.to_string()
    }

    /// The Argon2 password input for a scoped hash:
    /// `b"seccode/v1\0" || label || b"\0" || normalized`, built in a buffer wiped on drop
    /// and sized up front so that no reallocation leaves a copy behind.
    pub(crate) fn input(&self, normalized: &str) -> Zeroizing<Vec<u8>> {
        let label = self.label();
        let mut input = Zeroizing::new(Vec::with_capacity(
            INPUT_PREFIX.len() + label.len() + 1 + normalized.len(),
        ));
        input.extend_from_slice(INPUT_PREFIX);
        input.extend_from_slice(label.as_bytes());
        input.push(0);
        input.extend_from_slice(normalized.as_bytes());
        input
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.contact {
            None => write!(f, "account:{}", self.account)?,
            Some(contact) => write!(f, "account:{}/contact:{contact}", self.account)?,
        }
        if self.password {
            f.write_str("/password")?;
        }
        Ok(())
    }
}

/// What a stored hash was computed over.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Binding {
    /// Made by seccode: the normalized code bound to its [`Scope`], with the pepper named by
    /// the key id, if any.
    #[default]
    Scoped,
    /// Imported from another implementation (argon2-cffi, libsodium, an old portal): plain
    /// Argon2id of the normalized code, no scope, no pepper. Always outdated, so a successful
    /// verification upgrades it.
    Legacy,
}

impl Binding {
    /// The name used in data: `scoped` or `legacy`.
    pub fn as_str(self) -> &'static str {
        match self {
            Binding::Scoped => "scoped",
            Binding::Legacy => "legacy",
        }
    }
}

impl fmt::Display for Binding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_input_layout() {
        let a = Scope::account(1707);
        let c = Scope::contact(1707, 3522);
        assert_eq!(a.label(), "account:1707");
        assert_eq!(c.label(), "account:1707/contact:3522");
        assert_eq!(
            c.input("abc").as_slice(),
            b"seccode/v1\0account:1707/contact:3522\0abc"
        );
        assert_eq!(a.input("").as_slice(), b"seccode/v1\0account:1707\0");
        assert_eq!(
            Scope::password(1707, 3522).label(),
            "account:1707/contact:3522/password"
        );
    }
}

//! Signing in to the portal pages (SPEC 10) with a contact's own [`Password`]: the three steps
//! of a verification, with the same count of failed attempts. A contact's secrets are guessed
//! through one door, so wrong passwords and wrong codes add up to one lock (SPEC 2.6), and an
//! entitled contact's "Unlock" ends it for both.
//!
//! [`Password`]: crate::Password

use crate::account::AccountId;
use crate::code::hash::{CodeHash, Scope};
use crate::contact::ContactId;
use crate::engine::Engine;
use crate::error::Result;
use crate::password::Password;
use crate::verification::VerifyReason;

/// What a sign-in answers. Show it as it is: *refused* never says whether the contact exists,
/// is active, or has a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInOutcome {
    /// The password is the contact's: start a session for it.
    SignedIn,
    /// Wrong password, unknown or deactivated contact, or no password set: indistinguishable.
    Refused,
    /// Too many failures: no password was checked.
    Locked,
}

impl SignInOutcome {
    /// `signed_in`, `refused` or `locked`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignInOutcome::SignedIn => "signed_in",
            SignInOutcome::Refused => "refused",
            SignInOutcome::Locked => "locked",
        }
    }
}

/// The stored password (or the dummy standing in), taken under the account's lock.
#[derive(Clone)]
pub(crate) struct OpenSignIn {
    pub(crate) hash: CodeHash,
    pub(crate) present: bool,
    pub(crate) unusable: bool,
    pub(crate) scope: Scope,
    pub(crate) known: bool,
    pub(crate) active: bool,
    pub(crate) locks_until: Option<crate::clock::Timestamp>,
}

/// Step one of a sign-in, made by
/// [`Account::begin_sign_in`](crate::Account::begin_sign_in): the attempt is already counted;
/// check it with no lock held, then hand the result to
/// [`Account::finish_sign_in`](crate::Account::finish_sign_in).
#[derive(Clone)]
pub struct SignInAttempt {
    pub(crate) account: AccountId,
    pub(crate) contact: ContactId,
    /// `None` when the attempt answers *locked* without a check.
    pub(crate) open: Option<Box<OpenSignIn>>,
    pub(crate) locked_reason: VerifyReason,
}

impl std::fmt::Debug for SignInAttempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInAttempt")
            .field("account", &self.account)
            .field("contact", &self.contact)
            .field("locked", &self.open.is_none())
            .finish_non_exhaustive()
    }
}

impl SignInAttempt {
    /// The account it was begun on.
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// The contact id given.
    pub fn contact(&self) -> ContactId {
        self.contact
    }

    /// Whether it answers *locked*: [`SignInAttempt::check`] then runs no hash.
    pub fn is_locked(&self) -> bool {
        self.open.is_none()
    }

    /// Step two: one Argon2id evaluation whatever the contact (none when locked), against the
    /// dummy hash when there is no usable password. Holds no lock and borrows no account.
    pub fn check(self, engine: &Engine, password: &Password) -> Result<CheckedSignIn> {
        let matched = match self.open.as_deref() {
            None => false,
            Some(open) => {
                let slot =
                    engine
                        .verifier()
                        .check(Some(&open.hash), &open.scope, password.as_code())?;
                slot.matched & open.present
            }
        };
        Ok(CheckedSignIn {
            attempt: self,
            matched,
        })
    }
}

/// Step two's result, for [`Account::finish_sign_in`](crate::Account::finish_sign_in): whether
/// the password matched, never the password.
#[derive(Clone)]
pub struct CheckedSignIn {
    pub(crate) attempt: SignInAttempt,
    pub(crate) matched: bool,
}

impl std::fmt::Debug for CheckedSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedSignIn")
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

/// The result of a sign-in. Show only [`SignIn::outcome`]; [`SignIn::reason`] is for the
/// audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    pub(crate) account: AccountId,
    pub(crate) contact: ContactId,
    pub(crate) outcome: SignInOutcome,
    pub(crate) reason: VerifyReason,
}

impl SignIn {
    /// The answer for an account that does not exist, after the same work as a wrong password
    /// (one Argon2id evaluation against the dummy hash), so that neither the answer nor the
    /// time taken tells which Client IDs exist. There is no account to count the attempt on.
    pub fn for_unknown_account(
        engine: &Engine,
        account: AccountId,
        contact: ContactId,
        password: &Password,
    ) -> Result<SignIn> {
        let verifier = engine.verifier();
        let scope = Scope::password(account.0, contact.0);
        verifier.check(None, &scope, password.as_code())?;
        Ok(SignIn {
            account,
            contact,
            outcome: SignInOutcome::Refused,
            reason: VerifyReason::UnknownContact,
        })
    }

    /// The account.
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// The contact id given.
    pub fn contact(&self) -> ContactId {
        self.contact
    }

    /// Signed in, refused or locked.
    pub fn outcome(&self) -> SignInOutcome {
        self.outcome
    }

    /// Why, for the audit log and the operator: never shown to the person signing in.
    pub fn reason(&self) -> VerifyReason {
        self.reason
    }
}

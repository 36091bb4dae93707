//! Audit events: every code change, verification, lock, unlock and permission change (never a
//! code, only what happened, to whom, by whom and when).

use crate::account::AccountId;
use crate::clock::Timestamp;
use crate::code::normalize::Normalization;
use crate::contact::ContactId;
use crate::contact::check_text;
use crate::error::Result;
use crate::permission::{Action, Setting};
use crate::request::RequestKind;
use crate::verification::{Slot, VerifyReason};

/// The name of the support agent (a person at the desk, or an agent key of the service) who
/// made an event happen, as the audit log records it next to the acting contact.
///
/// Always trimmed, 1 to [`AgentName::MAX_LEN`] characters, with no control characters:
/// [`AgentName::new`] refuses anything else, and so does reading one from JSON. It names a
/// person or a key, never holds a secret, and is shown as it is.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct AgentName(String);

impl AgentName {
    /// The longest name, in characters.
    pub const MAX_LEN: usize = 64;

    /// An agent's name: `name` with surrounding whitespace removed.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) when it is empty (or only
    /// whitespace) or holds a control character, [`Error::InputTooLong`](crate::Error::InputTooLong)
    /// when it is longer than [`AgentName::MAX_LEN`] characters; the field is `agent name`.
    pub fn new(name: impl AsRef<str>) -> Result<AgentName> {
        let name = name.as_ref().trim();
        check_text("agent name", name, Self::MAX_LEN, true)?;
        Ok(AgentName(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AgentName {
    type Error = crate::Error;
    fn try_from(name: String) -> Result<AgentName> {
        AgentName::new(name)
    }
}

impl From<AgentName> for String {
    fn from(name: AgentName) -> String {
        name.0
    }
}

impl std::str::FromStr for AgentName {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<AgentName> {
        AgentName::new(s)
    }
}

impl std::fmt::Display for AgentName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum Subject {
    /// The account itself (its account-wide code, its settings).
    Account,
    /// One contact.
    Contact(ContactId),
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[non_exhaustive]
pub enum AuditKind {
    /// A contact was added.
    ContactAdded,
    /// A contact's details were edited.
    ContactEdited,
    /// A contact was deactivated.
    ContactDeactivated,
    /// A contact was reactivated.
    ContactReactivated,
    /// A contact was removed.
    ContactRemoved,
    /// A security code was set or changed.
    CodeSet {
        /// Which code.
        slot: Slot,
    },
    /// A security code was removed.
    CodeCleared {
        /// Which code.
        slot: Slot,
    },
    /// A legacy "Phone/Chat Code" (plaintext or foreign hash) was imported.
    CodeImported {
        /// Which code.
        slot: Slot,
    },
    /// A stored hash was upgraded after a successful verification.
    CodeUpgraded {
        /// Which code.
        slot: Slot,
    },
    /// A caller was verified.
    VerificationSucceeded {
        /// With which code.
        slot: Slot,
    },
    /// A verification failed (the internal reason, never shown to the caller).
    VerificationFailed {
        /// Why.
        reason: VerifyReason,
    },
    /// The contact was locked after repeated failures.
    Locked {
        /// Until when.
        until: Timestamp,
    },
    /// The contact was unlocked by an entitled actor.
    Unlocked,
    /// The account's unknown-id state filled up: every verification answers *locked* until
    /// then, whatever the id (an attack in progress, SPEC 8).
    Throttled {
        /// Until when.
        until: Timestamp,
    },
    /// A code was shown from its sealed copy to an entitled contact.
    CodeRevealed {
        /// Which code.
        slot: Slot,
    },
    /// A permission setting changed.
    PermissionChanged {
        /// Resource name.
        resource: String,
        /// Action.
        action: Action,
        /// Previous setting.
        from: Setting,
        /// New setting.
        to: Setting,
    },
    /// A contact's portal password was set or changed.
    PasswordSet,
    /// A contact signed in to the portal pages.
    SignedIn,
    /// A sign-in failed (the internal reason, never shown).
    SignInFailed {
        /// Why.
        reason: VerifyReason,
    },
    /// The account's code matching changed.
    NormalizationChanged {
        /// New normalization for codes set from now on.
        to: Normalization,
    },
    /// A verified caller's request was decided ([`Account::authorize_recorded`]).
    ///
    /// [`Account::authorize_recorded`]: crate::Account::authorize_recorded
    RequestDecided {
        /// The kind of request.
        request: RequestKind,
        /// `allowed`, `needs_approval` or `denied` ([`Decision::as_str`]).
        ///
        /// [`Decision::as_str`]: crate::Decision::as_str
        decision: String,
        /// Why it was denied ([`DenyReason::as_str`]), when it was.
        ///
        /// [`DenyReason::as_str`]: crate::DenyReason::as_str
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

impl AuditKind {
    /// Every kind's name, for looking one up.
    pub const NAMES: [&'static str; 21] = [
        "contact_added",
        "contact_edited",
        "contact_deactivated",
        "contact_reactivated",
        "contact_removed",
        "code_set",
        "code_cleared",
        "code_imported",
        "code_upgraded",
        "verification_succeeded",
        "verification_failed",
        "locked",
        "unlocked",
        "throttled",
        "code_revealed",
        "permission_changed",
        "normalization_changed",
        "password_set",
        "signed_in",
        "sign_in_failed",
        "request_decided",
    ];

    /// The name in [`AuditKind::NAMES`] that `name` is, ignoring letter case and surrounding
    /// whitespace (`-` and spaces read as `_`), or `None`.
    pub fn name(name: &str) -> Option<&'static str> {
        let wanted = name.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::NAMES.into_iter().find(|n| *n == wanted)
    }

    /// [`AuditKind::name`], or [`Error::InvalidInput`] naming the kinds there are: a filter by
    /// a kind that does not exist is a mistake to tell the caller, not one that silently
    /// matches nothing. The name given is not repeated in the error.
    ///
    /// [`Error::InvalidInput`]: crate::Error::InvalidInput
    pub fn parse_name(name: &str) -> crate::Result<&'static str> {
        Self::name(name).ok_or_else(|| crate::Error::InvalidInput {
            field: "audit kind",
            problem: format!("expected one of {}", Self::NAMES.join(", ")),
        })
    }

    /// The snake_case name, e.g. `verification_failed` (also the `kind` field in JSON).
    pub fn as_str(&self) -> &'static str {
        match self {
            AuditKind::PasswordSet => "password_set",
            AuditKind::SignedIn => "signed_in",
            AuditKind::SignInFailed { .. } => "sign_in_failed",
            AuditKind::ContactAdded => "contact_added",
            AuditKind::ContactEdited => "contact_edited",
            AuditKind::ContactDeactivated => "contact_deactivated",
            AuditKind::ContactReactivated => "contact_reactivated",
            AuditKind::ContactRemoved => "contact_removed",
            AuditKind::CodeSet { .. } => "code_set",
            AuditKind::CodeCleared { .. } => "code_cleared",
            AuditKind::CodeImported { .. } => "code_imported",
            AuditKind::CodeUpgraded { .. } => "code_upgraded",
            AuditKind::VerificationSucceeded { .. } => "verification_succeeded",
            AuditKind::VerificationFailed { .. } => "verification_failed",
            AuditKind::Locked { .. } => "locked",
            AuditKind::Unlocked => "unlocked",
            AuditKind::Throttled { .. } => "throttled",
            AuditKind::CodeRevealed { .. } => "code_revealed",
            AuditKind::PermissionChanged { .. } => "permission_changed",
            AuditKind::NormalizationChanged { .. } => "normalization_changed",
            AuditKind::RequestDecided { .. } => "request_decided",
        }
    }
}

/// One audit record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditEvent {
    /// When.
    pub at: Timestamp,
    /// Which account.
    pub account: AccountId,
    /// Who did it (`None`: a caller on the phone, an import, the system).
    pub actor: Option<ContactId>,
    /// The support agent through whom it happened (`None`: no agent named, or data written
    /// before agents were recorded): the agent set on the account with
    /// [`Account::set_agent`](crate::Account::set_agent) when the event was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentName>,
    /// What it concerns.
    pub subject: Subject,
    /// What happened.
    #[serde(flatten)]
    pub kind: AuditKind,
}

impl AuditEvent {
    /// The event as one JSON object.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}

impl std::fmt::Display for AuditEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} account {} ", self.at, self.account)?;
        match self.subject {
            Subject::Account => f.write_str("account")?,
            Subject::Contact(id) => write!(f, "contact {id}")?,
        }
        if let Some(actor) = self.actor {
            write!(f, " by {actor}")?;
        }
        if let Some(agent) = &self.agent {
            write!(f, " via agent {agent}")?;
        }
        write!(f, ": {}", self.kind.as_str())?;
        match &self.kind {
            AuditKind::CodeSet { slot }
            | AuditKind::CodeCleared { slot }
            | AuditKind::CodeImported { slot }
            | AuditKind::CodeUpgraded { slot }
            | AuditKind::VerificationSucceeded { slot }
            | AuditKind::CodeRevealed { slot } => write!(f, " ({slot})"),
            AuditKind::VerificationFailed { reason } => write!(f, " ({reason})"),
            AuditKind::Locked { until } | AuditKind::Throttled { until } => {
                write!(f, " (until {until})")
            }
            AuditKind::PermissionChanged {
                resource,
                action,
                from,
                to,
            } => write!(f, " ({resource} / {action}: {from} -> {to})"),
            AuditKind::NormalizationChanged { to } => write!(f, " ({to})"),
            AuditKind::RequestDecided {
                request,
                decision,
                reason,
            } => match reason {
                Some(reason) => write!(f, " ({request}: {decision}, {reason})"),
                None => write!(f, " ({request}: {decision})"),
            },
            _ => Ok(()),
        }
    }
}

//! Requests a verified caller makes, and what verification allows (SPEC 5).

use crate::contact::ContactId;
use crate::error::{Error, Requirement};

/// The kind of request a caller makes on a call or in a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Questions, troubleshooting.
    Routine,
    /// A request that may incur additional cost to the monthly services.
    Billable,
    /// A significant service change (`significant-change` is read too).
    #[serde(alias = "significant-change")]
    SignificantChange,
    /// A cancellation.
    Cancellation,
}

impl RequestKind {
    /// Every kind, in order.
    pub const ALL: [RequestKind; 4] = [
        RequestKind::Routine,
        RequestKind::Billable,
        RequestKind::SignificantChange,
        RequestKind::Cancellation,
    ];

    /// The snake_case name used in data and other languages: `routine`, `billable`,
    /// `significant_change`, `cancellation`.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Routine => "routine",
            RequestKind::Billable => "billable",
            RequestKind::SignificantChange => "significant_change",
            RequestKind::Cancellation => "cancellation",
        }
    }
}

impl std::fmt::Display for RequestKind {
    /// The kind in words: `routine`, `billable`, `significant change`, `cancellation`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RequestKind::SignificantChange => "significant change",
            other => other.as_str(),
        })
    }
}

impl std::str::FromStr for RequestKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let wanted = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        RequestKind::ALL
            .into_iter()
            .find(|k| k.as_str() == wanted)
            .ok_or_else(|| {
                Error::invalid(
                    "request kind",
                    "expected `routine`, `billable`, `significant_change` or `cancellation`",
                )
            })
    }
}

/// Why a request was denied.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum DenyReason {
    /// The contact is deactivated.
    Deactivated,
    /// The caller is not verified (or the contact is locked).
    NotVerified,
    /// The verification's lifetime is over: verify again.
    VerificationExpired,
    /// The verification was made on another account, or the contact was removed,
    /// deactivated or its code changed since: verify again.
    VerificationVoid,
    /// The contact lacks the permission the request needs.
    MissingPermission {
        /// What was required, e.g. `Billing & Services / Update`.
        #[serde(serialize_with = "display")]
        requirement: Requirement,
    },
}

fn display<S: serde::Serializer>(r: &Requirement, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(r)
}

impl DenyReason {
    /// The snake_case name: `deactivated`, `not_verified`, `verification_expired`,
    /// `verification_void` or `missing_permission`.
    pub fn as_str(&self) -> &'static str {
        match self {
            DenyReason::Deactivated => "deactivated",
            DenyReason::NotVerified => "not_verified",
            DenyReason::VerificationExpired => "verification_expired",
            DenyReason::VerificationVoid => "verification_void",
            DenyReason::MissingPermission { .. } => "missing_permission",
        }
    }
}

impl std::fmt::Display for DenyReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DenyReason::Deactivated => f.write_str("the contact is deactivated"),
            DenyReason::NotVerified => f.write_str("the caller is not verified"),
            DenyReason::VerificationExpired => {
                f.write_str("the verification has expired: verify again")
            }
            DenyReason::VerificationVoid => f.write_str(
                "the verification no longer holds (another account, or the contact or its code \
                 changed): verify again",
            ),
            DenyReason::MissingPermission { requirement } => write!(f, "requires {requirement}"),
        }
    }
}

/// What support may do with a request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Go ahead.
    Allowed,
    /// Not on the code alone: needs additional approval from one of these contacts.
    NeedsApproval {
        /// Who may approve (the primary contact).
        approvers: Vec<ContactId>,
    },
    /// Refused.
    Denied {
        /// Why.
        #[serde(flatten)]
        reason: DenyReason,
    },
}

impl Decision {
    /// `allowed`, `needs_approval` or `denied`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::NeedsApproval { .. } => "needs_approval",
            Decision::Denied { .. } => "denied",
        }
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Decision::Allowed => f.write_str("allowed"),
            Decision::NeedsApproval { approvers } => {
                let names: Vec<String> = approvers.iter().map(|a| a.to_string()).collect();
                write!(
                    f,
                    "needs additional approval from contact {}",
                    names.join(", ")
                )
            }
            Decision::Denied { reason } => write!(f, "denied: {reason}"),
        }
    }
}

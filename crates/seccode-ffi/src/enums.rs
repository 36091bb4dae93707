//! The small C enums, and their conversions to and from the core's types.
//!
//! Functions take these as `uint32_t` (a C caller can pass any number, which must not become
//! an invalid Rust enum) and answer an unknown number with `SECCODE_RESULT_INVALID_ARGUMENT`;
//! they write them as the enum types.

use seccode::Normalization;
use seccode::code::policy::Reason;
use seccode::model::verify::{Outcome, Slot, VerifyReason};
use seccode::permission::{Action, Effective, Origin, Setting};
use seccode::request::{Decision, DenyReason, RequestKind};

/// What a verification tells the caller on the phone: nothing more.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_outcome {
    /// The code is right for this contact.
    Verified = 0,
    /// Wrong code, unknown contact, deactivated contact or no usable code: indistinguishable.
    NotVerified = 1,
    /// Too many failed attempts: no code was checked.
    Locked = 2,
}

/// Which of a contact's two possible codes.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_slot {
    /// The account-wide security code.
    AccountWide = 0,
    /// A contact's individual security code.
    Individual = 1,
}

/// A column of the permission grid.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_action {
    /// "View".
    View = 0,
    /// "Create".
    Create = 1,
    /// "Update".
    Update = 2,
    /// "Delete".
    Delete = 3,
}

/// A contact's raw choice for one cell of the grid.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_setting {
    /// Take the value of the nearest ancestor with an explicit setting (the default).
    Inherit = 0,
    /// Explicitly allow.
    Allow = 1,
    /// Explicitly deny.
    Deny = 2,
}

/// The effective value of a cell. Only `ALLOW` grants access.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_effective {
    /// Nothing up to the root is explicit: grants nothing.
    None = 0,
    /// Granted.
    Allow = 1,
    /// Refused by an explicit Deny.
    Deny = 2,
    /// The action does not apply to the resource ("-"): grants nothing.
    NotApplicable = 3,
}

/// Where an effective value comes from.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_origin {
    /// The cell's own explicit setting.
    Explicit = 0,
    /// An ancestor's explicit setting (named by the deciding resource).
    Inherited = 1,
    /// Nothing is explicit up to the root: the value is None.
    Default = 2,
    /// The primary contact, who is allowed everything.
    Owner = 3,
    /// The action does not apply to the resource.
    NotApplicable = 4,
}

/// How codes are compared.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_normalization {
    /// NFKC, case folded, whitespace and punctuation removed (the default).
    Spoken = 0,
    /// NFKC only.
    Exact = 1,
}

/// The kind of request a verified caller makes.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_request_kind {
    /// Questions, troubleshooting.
    Routine = 0,
    /// May incur additional cost to the monthly services.
    Billable = 1,
    /// A significant service change.
    SignificantChange = 2,
    /// A cancellation.
    Cancellation = 3,
}

/// What support may do with a request.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_verdict {
    /// Go ahead.
    Allowed = 0,
    /// Not on the code alone: needs approval from one of the approvers.
    NeedsApproval = 1,
    /// Refused; see the deny reason.
    Denied = 2,
}

/// Why a request was denied.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_deny_reason {
    /// The decision is not a denial.
    None = 0,
    /// The contact is deactivated.
    Deactivated = 1,
    /// The caller is not verified (or is locked).
    NotVerified = 2,
    /// The contact lacks the permission the request needs.
    MissingPermission = 3,
}

/// Why a verification ended as it did: for the audit log, never for the caller.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_verify_reason {
    /// Matched the contact's individual code.
    Individual = 0,
    /// Matched the account-wide code.
    AccountWide = 1,
    /// Matched none of the codes the contact may use.
    WrongCode = 2,
    /// No such contact in the account.
    UnknownContact = 3,
    /// The contact is deactivated.
    Deactivated = 4,
    /// The contact has no code it may use.
    NoUsableCode = 5,
    /// The contact is locked.
    Locked = 6,
    /// A stored hash could not be used (over the engine's ceilings, or its pepper key id is
    /// not configured) and was checked as absent: an operator problem to fix.
    UnusableHash = 7,
}

/// Why the code policy rejected a new security code. The numbers are the core's stable
/// reason numbers; `seccode_reason_message` and `seccode_reason_code` describe each.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_reason {
    /// Fewer characters than the minimum (8), after normalization.
    TooShort = 1,
    /// More characters than the maximum (128), after normalization.
    TooLong = 2,
    /// Contains a number shaped like a US social security number.
    SsnShaped = 3,
    /// Contains a date that could be a date of birth.
    DateShaped = 4,
    /// Contains the contact's name or a part of it.
    ContainsName = 5,
    /// Contains the contact's email address or its local part.
    ContainsEmail = 6,
    /// Contains the digits of the contact's phone number.
    ContainsPhone = 7,
    /// Contains the account's name or a distinctive part of it.
    ContainsAccountName = 8,
    /// Contains the digits of the account's id.
    ContainsAccountId = 9,
    /// A common password or phrase.
    CommonPassword = 10,
    /// Below the minimum strength score.
    TooWeak = 11,
}

/// The most rejection reasons one check can report in this version of the library: a
/// reasons buffer of this many entries is always large enough.
pub const SECCODE_MAX_REASONS: usize = 16;

pub(crate) fn outcome(o: Outcome) -> seccode_outcome {
    match o {
        Outcome::Verified => seccode_outcome::Verified,
        Outcome::NotVerified => seccode_outcome::NotVerified,
        Outcome::Locked => seccode_outcome::Locked,
    }
}

pub(crate) fn slot(s: Slot) -> seccode_slot {
    match s {
        Slot::AccountWide => seccode_slot::AccountWide,
        Slot::Individual => seccode_slot::Individual,
    }
}

pub(crate) fn slot_from(n: u32) -> Option<Slot> {
    match n {
        0 => Some(Slot::AccountWide),
        1 => Some(Slot::Individual),
        _ => None,
    }
}

pub(crate) fn action_from(n: u32) -> Option<Action> {
    match n {
        0 => Some(Action::View),
        1 => Some(Action::Create),
        2 => Some(Action::Update),
        3 => Some(Action::Delete),
        _ => None,
    }
}

pub(crate) fn setting_from(n: u32) -> Option<Setting> {
    match n {
        0 => Some(Setting::Inherit),
        1 => Some(Setting::Allow),
        2 => Some(Setting::Deny),
        _ => None,
    }
}

pub(crate) fn setting(s: Setting) -> seccode_setting {
    match s {
        Setting::Inherit => seccode_setting::Inherit,
        Setting::Allow => seccode_setting::Allow,
        Setting::Deny => seccode_setting::Deny,
    }
}

pub(crate) fn effective(e: Effective) -> seccode_effective {
    match e {
        Effective::None => seccode_effective::None,
        Effective::Allow => seccode_effective::Allow,
        Effective::Deny => seccode_effective::Deny,
        Effective::NotApplicable => seccode_effective::NotApplicable,
    }
}

pub(crate) fn origin(o: Origin) -> seccode_origin {
    match o {
        Origin::Explicit => seccode_origin::Explicit,
        Origin::Inherited(_) => seccode_origin::Inherited,
        Origin::Default => seccode_origin::Default,
        Origin::Owner => seccode_origin::Owner,
        Origin::NotApplicable => seccode_origin::NotApplicable,
    }
}

pub(crate) fn normalization(n: Normalization) -> seccode_normalization {
    match n {
        Normalization::Spoken => seccode_normalization::Spoken,
        Normalization::Exact => seccode_normalization::Exact,
    }
}

pub(crate) fn normalization_from(n: u32) -> Option<Normalization> {
    match n {
        0 => Some(Normalization::Spoken),
        1 => Some(Normalization::Exact),
        _ => None,
    }
}

pub(crate) fn request_kind_from(n: u32) -> Option<RequestKind> {
    match n {
        0 => Some(RequestKind::Routine),
        1 => Some(RequestKind::Billable),
        2 => Some(RequestKind::SignificantChange),
        3 => Some(RequestKind::Cancellation),
        _ => None,
    }
}

pub(crate) fn verdict(d: &Decision) -> seccode_verdict {
    match d {
        Decision::Allowed => seccode_verdict::Allowed,
        Decision::NeedsApproval { .. } => seccode_verdict::NeedsApproval,
        Decision::Denied { .. } => seccode_verdict::Denied,
    }
}

pub(crate) fn deny_reason(d: &Decision) -> seccode_deny_reason {
    match d {
        Decision::Denied { reason } => match reason {
            DenyReason::Deactivated => seccode_deny_reason::Deactivated,
            DenyReason::NotVerified => seccode_deny_reason::NotVerified,
            DenyReason::MissingPermission { .. } => seccode_deny_reason::MissingPermission,
        },
        Decision::Allowed | Decision::NeedsApproval { .. } => seccode_deny_reason::None,
    }
}

pub(crate) fn verify_reason(r: VerifyReason) -> seccode_verify_reason {
    match r {
        VerifyReason::Individual => seccode_verify_reason::Individual,
        VerifyReason::AccountWide => seccode_verify_reason::AccountWide,
        VerifyReason::WrongCode => seccode_verify_reason::WrongCode,
        VerifyReason::UnknownContact => seccode_verify_reason::UnknownContact,
        VerifyReason::Deactivated => seccode_verify_reason::Deactivated,
        VerifyReason::NoUsableCode => seccode_verify_reason::NoUsableCode,
        VerifyReason::Locked => seccode_verify_reason::Locked,
        VerifyReason::UnusableHash => seccode_verify_reason::UnusableHash,
    }
}

/// The policy reason with this stable number.
pub(crate) fn reason_from(n: u32) -> Option<Reason> {
    Reason::from_number(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_numbers_match_the_core() {
        let ours = [
            seccode_reason::TooShort,
            seccode_reason::TooLong,
            seccode_reason::SsnShaped,
            seccode_reason::DateShaped,
            seccode_reason::ContainsName,
            seccode_reason::ContainsEmail,
            seccode_reason::ContainsPhone,
            seccode_reason::ContainsAccountName,
            seccode_reason::ContainsAccountId,
            seccode_reason::CommonPassword,
            seccode_reason::TooWeak,
        ];
        assert_eq!(ours.len(), Reason::ALL.len());
        assert!(Reason::ALL.len() <= SECCODE_MAX_REASONS);
        for (c, core) in ours.iter().zip(Reason::ALL) {
            assert_eq!(*c as u32, core.number());
            let name = format!("{c:?}");
            let snake: String = name
                .chars()
                .enumerate()
                .flat_map(|(i, ch)| {
                    let lower = ch.to_ascii_lowercase();
                    if ch.is_ascii_uppercase() && i > 0 {
                        vec!['_', lower]
                    } else {
                        vec![lower]
                    }
                })
                .collect();
            assert_eq!(snake, core.code());
        }
    }

    #[test]
    fn outcome_numbers_match_the_core() {
        for o in [Outcome::Verified, Outcome::NotVerified, Outcome::Locked] {
            assert_eq!(outcome(o) as u32, o as u32);
        }
    }

    #[test]
    fn number_conversions_round_trip() {
        for n in 0..4 {
            assert_eq!(action_from(n).map(|a| a.index() as u32), Some(n));
        }
        assert!(action_from(4).is_none());
        for n in 0..3 {
            assert_eq!(setting_from(n).map(|s| setting(s) as u32), Some(n));
        }
        assert!(setting_from(3).is_none());
        for n in 0..2 {
            assert_eq!(
                normalization_from(n).map(|s| normalization(s) as u32),
                Some(n)
            );
            assert_eq!(slot_from(n).map(|s| slot(s) as u32), Some(n));
        }
        assert!(normalization_from(2).is_none());
        assert!(slot_from(2).is_none());
        assert!(request_kind_from(4).is_none());
        assert_eq!(
            request_kind_from(2).map(|k| k.as_str()),
            Some("significant-change")
        );
    }
}

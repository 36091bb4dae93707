//! The small C enums, and their conversions to and from the core's types.
//!
//! Functions take these as `uint32_t` (a C caller can pass any number, which must not become
//! an invalid Rust enum) and answer an unknown number with `SECCODE_RESULT_INVALID_ARGUMENT`;
//! they write them as the enum types.

use seccode::{
    Action, CallStatus, Decision, DenyReason, Effective, Normalization, Origin, Outcome, Reason,
    RequestKind, Setting, Slot, VerifyReason,
};

use crate::boundary::enum_arg;
use crate::result::Failure;

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
    /// The verification's lifetime is over: verify again.
    VerificationExpired = 4,
    /// The verification was made on another account, or the contact was removed (even if its
    /// id was reused), deactivated, or its code changed since: verify again.
    VerificationVoid = 5,
}

/// Whether a `seccode_verified_call` still authorizes requests on an account.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum seccode_call_status {
    /// It does.
    Valid = 0,
    /// Its lifetime is over: verify again.
    Expired = 1,
    /// It was made on another account, or the contact was removed, deactivated or its code
    /// changed since: verify again.
    Void = 2,
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
    /// The code matched, but the contact or that code changed while it was being checked
    /// (between `seccode_account_begin_verify` and `seccode_account_finish_verify`).
    Changed = 8,
    /// The account's state for unknown contact ids is full (an attack in progress): every
    /// verification of the account answers *locked* for a while, and the audit log says so.
    Throttled = 9,
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

/// The longest security code, in UTF-8 bytes, that any function accepts (and so the longest a
/// reveal writes): a buffer of `SECCODE_MAX_CODE_LEN + 1` bytes always holds a revealed code
/// and its terminating NUL.
pub const SECCODE_MAX_CODE_LEN: usize = 1024;

const _: () = assert!(SECCODE_MAX_CODE_LEN == seccode::SecurityCode::MAX_INPUT_BYTES);

/// A core enum that C passes as a `uint32_t` number: the conversion of that number, refusing
/// an unknown one with `SECCODE_RESULT_INVALID_ARGUMENT` and the detail `unknown <type> value`.
pub(crate) trait FromC: Sized {
    /// The last error's detail for a number that names no value, e.g.
    /// `unknown seccode_action value`.
    const UNKNOWN: &'static str;

    /// The value with this C number, if any.
    fn from_number(n: u32) -> Option<Self>;
}

/// The core value for a C enum number (see [`FromC`]).
pub(crate) fn from_c<T: FromC>(n: u32) -> Result<T, Failure> {
    enum_arg(T::from_number(n), T::UNKNOWN)
}

/// The conversions of a C enum whose variants are a core enum's, name for name: core to C
/// (`From`) and C number to core ([`FromC`]). The C enum itself stays written out above, where
/// cbindgen (which does not expand macros) reads it.
macro_rules! c_enum {
    ($c:ident <=> $core:ident { $($variant:ident),+ $(,)? }) => {
        impl From<$core> for $c {
            fn from(value: $core) -> Self {
                match value {
                    $($core::$variant => Self::$variant,)+
                }
            }
        }

        impl FromC for $core {
            const UNKNOWN: &'static str = concat!("unknown ", stringify!($c), " value");

            fn from_number(n: u32) -> Option<Self> {
                $(
                    if n == $c::$variant as u32 {
                        return Some($core::$variant);
                    }
                )+
                None
            }
        }
    };
}

c_enum!(seccode_outcome <=> Outcome { Verified, NotVerified, Locked });
c_enum!(seccode_slot <=> Slot { AccountWide, Individual });
c_enum!(seccode_action <=> Action { View, Create, Update, Delete });
c_enum!(seccode_setting <=> Setting { Inherit, Allow, Deny });
c_enum!(seccode_effective <=> Effective { None, Allow, Deny, NotApplicable });
c_enum!(seccode_normalization <=> Normalization { Spoken, Exact });
c_enum!(seccode_request_kind <=> RequestKind {
    Routine,
    Billable,
    SignificantChange,
    Cancellation,
});
c_enum!(seccode_verify_reason <=> VerifyReason {
    Individual,
    AccountWide,
    WrongCode,
    UnknownContact,
    Deactivated,
    NoUsableCode,
    Locked,
    UnusableHash,
    Changed,
    Throttled,
});
c_enum!(seccode_call_status <=> CallStatus { Valid, Expired, Void });

impl From<Origin> for seccode_origin {
    fn from(o: Origin) -> Self {
        match o {
            Origin::Explicit => Self::Explicit,
            Origin::Inherited(_) => Self::Inherited,
            Origin::Default => Self::Default,
            Origin::Owner => Self::Owner,
            Origin::NotApplicable => Self::NotApplicable,
        }
    }
}

impl From<&Decision> for seccode_verdict {
    fn from(d: &Decision) -> Self {
        match d {
            Decision::Allowed => Self::Allowed,
            Decision::NeedsApproval { .. } => Self::NeedsApproval,
            Decision::Denied { .. } => Self::Denied,
        }
    }
}

impl From<&Decision> for seccode_deny_reason {
    fn from(d: &Decision) -> Self {
        match d {
            Decision::Denied { reason } => match reason {
                DenyReason::Deactivated => Self::Deactivated,
                DenyReason::NotVerified => Self::NotVerified,
                DenyReason::MissingPermission { .. } => Self::MissingPermission,
                DenyReason::VerificationExpired => Self::VerificationExpired,
                DenyReason::VerificationVoid => Self::VerificationVoid,
            },
            Decision::Allowed | Decision::NeedsApproval { .. } => Self::None,
        }
    }
}

/// The policy reasons carry the core's own stable numbers.
impl FromC for Reason {
    const UNKNOWN: &'static str = "unknown seccode_reason value";

    fn from_number(n: u32) -> Option<Self> {
        Reason::from_number(n)
    }
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
        for o in Outcome::ALL {
            assert_eq!(seccode_outcome::from(o) as u32, o as u32);
        }
    }

    /// `NotVerified` -> `not_verified`: a C enum value's name as the core spells it.
    fn snake(debug: impl std::fmt::Debug) -> String {
        let name = format!("{debug:?}");
        let mut out = String::new();
        for (i, ch) in name.chars().enumerate() {
            if ch.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        }
        out
    }

    #[test]
    fn c_names_are_the_core_names() {
        for o in Outcome::ALL {
            assert_eq!(snake(seccode_outcome::from(o)), o.as_str());
        }
        for r in VerifyReason::ALL {
            assert_eq!(snake(seccode_verify_reason::from(r)), r.as_str());
        }
        for s in [CallStatus::Valid, CallStatus::Expired, CallStatus::Void] {
            assert_eq!(snake(seccode_call_status::from(s)), s.as_str());
        }
        for s in Slot::ALL {
            assert_eq!(snake(seccode_slot::from(s)), s.as_str());
        }
        for k in RequestKind::ALL {
            assert_eq!(snake(seccode_request_kind::from(k)), k.as_str());
        }
        for reason in [
            DenyReason::Deactivated,
            DenyReason::NotVerified,
            DenyReason::VerificationExpired,
            DenyReason::VerificationVoid,
            DenyReason::MissingPermission {
                requirement: seccode::Requirement::PrimaryContact,
            },
        ] {
            let c = seccode_deny_reason::from(&Decision::Denied {
                reason: reason.clone(),
            });
            assert_eq!(snake(c), reason.as_str());
        }
    }

    #[test]
    fn number_conversions_round_trip() {
        for n in 0..4 {
            assert_eq!(Action::from_number(n).map(|a| a.index() as u32), Some(n));
            assert_eq!(
                Action::from_number(n).map(|a| seccode_action::from(a) as u32),
                Some(n)
            );
        }
        assert!(Action::from_number(4).is_none());
        for n in 0..3 {
            assert_eq!(
                Setting::from_number(n).map(|s| seccode_setting::from(s) as u32),
                Some(n)
            );
        }
        assert!(Setting::from_number(3).is_none());
        for n in 0..2 {
            assert_eq!(
                Normalization::from_number(n).map(|s| seccode_normalization::from(s) as u32),
                Some(n)
            );
            assert_eq!(
                Slot::from_number(n).map(|s| seccode_slot::from(s) as u32),
                Some(n)
            );
        }
        assert!(Normalization::from_number(2).is_none());
        assert!(Slot::from_number(2).is_none());
        assert!(RequestKind::from_number(4).is_none());
        assert_eq!(
            RequestKind::from_number(2).map(|k| k.as_str()),
            Some("significant_change")
        );
        for n in 0..10 {
            assert_eq!(
                VerifyReason::from_number(n).map(|r| seccode_verify_reason::from(r) as u32),
                Some(n)
            );
        }
        assert!(VerifyReason::from_number(10).is_none());
        for n in 0..3 {
            assert_eq!(
                CallStatus::from_number(n).map(|s| seccode_call_status::from(s) as u32),
                Some(n)
            );
        }
        assert!(Effective::from_number(4).is_none());
        assert!(Reason::from_number(0).is_none());
    }

    #[test]
    fn unknown_numbers_name_their_enum() {
        let details = [
            (from_c::<Action>(9).err(), "unknown seccode_action value"),
            (from_c::<Setting>(9).err(), "unknown seccode_setting value"),
            (from_c::<Slot>(9).err(), "unknown seccode_slot value"),
            (
                from_c::<Normalization>(9).err(),
                "unknown seccode_normalization value",
            ),
            (
                from_c::<RequestKind>(9).err(),
                "unknown seccode_request_kind value",
            ),
            (from_c::<Reason>(99).err(), "unknown seccode_reason value"),
        ];
        for (failure, detail) in details {
            match failure {
                Some(Failure::Boundary(code, d)) => {
                    assert_eq!(code, crate::result::seccode_result::InvalidArgument);
                    assert_eq!(d, detail);
                }
                other => panic!("expected {detail:?}, got {other:?}"),
            }
        }
        assert_eq!(from_c::<Action>(3).ok(), Some(Action::Delete));
    }
}

//! [`Reason`]: why the policy rejected a new code, with a stable number and name.

/// Why a new security code was rejected (SPEC 2.2).
///
/// The numbers and the snake_case names are stable: stored data, the C ABI and the Python
/// module use them. A reason names the rule that was broken and never carries any part of the
/// code. The messages describe the default policy (see [`CodePolicy`](super::CodePolicy));
/// [`CodePolicy::describe`](super::CodePolicy::describe) words a reason with the configured
/// numbers.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum Reason {
    /// Fewer characters than the minimum (8), counted after normalization.
    TooShort = 1,
    /// More characters than the maximum (128), counted after normalization.
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
    /// Contains the digits of the account's id (the portal's "Client ID").
    ContainsAccountId = 9,
    /// Is a common password or phrase, possibly with digits or symbols around it.
    CommonPassword = 10,
    /// Scores below the minimum strength (3 of 4) of the strength estimator.
    TooWeak = 11,
}

impl Reason {
    /// Every reason, in the order of their numbers.
    pub const ALL: [Reason; 11] = [
        Reason::TooShort,
        Reason::TooLong,
        Reason::SsnShaped,
        Reason::DateShaped,
        Reason::ContainsName,
        Reason::ContainsEmail,
        Reason::ContainsPhone,
        Reason::ContainsAccountName,
        Reason::ContainsAccountId,
        Reason::CommonPassword,
        Reason::TooWeak,
    ];

    /// The stable snake_case name, as serialized: `too_short`, `ssn_shaped`, ...
    pub fn code(self) -> &'static str {
        match self {
            Reason::TooShort => "too_short",
            Reason::TooLong => "too_long",
            Reason::SsnShaped => "ssn_shaped",
            Reason::DateShaped => "date_shaped",
            Reason::ContainsName => "contains_name",
            Reason::ContainsEmail => "contains_email",
            Reason::ContainsPhone => "contains_phone",
            Reason::ContainsAccountName => "contains_account_name",
            Reason::ContainsAccountId => "contains_account_id",
            Reason::CommonPassword => "common_password",
            Reason::TooWeak => "too_weak",
        }
    }

    /// The stable number, for the C ABI and stored data.
    pub fn number(self) -> u32 {
        self as u32
    }

    /// The reason with this stable name, if there is one.
    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The reason with this stable number, if there is one.
    pub fn from_number(number: u32) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.number() == number)
    }

    /// A lowercase sentence for the person choosing the code (or the agent helping them),
    /// stating the rule under the default policy. It never quotes the code.
    pub fn message(self) -> &'static str {
        match self {
            Reason::TooShort => {
                "the code must have at least 8 characters, not counting spaces and punctuation"
            }
            Reason::TooLong => "the code must have at most 128 characters",
            Reason::SsnShaped => {
                "the code must not contain a number shaped like a social security number"
            }
            Reason::DateShaped => "the code must not contain a date that could be a date of birth",
            Reason::ContainsName => "the code must not contain the contact's name",
            Reason::ContainsEmail => "the code must not contain the contact's email address",
            Reason::ContainsPhone => "the code must not contain the contact's phone number",
            Reason::ContainsAccountName => "the code must not contain the account's name",
            Reason::ContainsAccountId => "the code must not contain the account's client id",
            Reason::CommonPassword => "the code must not be a common password or phrase",
            Reason::TooWeak => {
                "the code is too easy to guess (strength below 3 of 4): use more words or random characters"
            }
        }
    }
}

impl std::fmt::Display for Reason {
    /// Writes the [`message`](Reason::message).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::str::FromStr for Reason {
    type Err = crate::Error;

    /// Parses a stable name such as `too_short`.
    fn from_str(s: &str) -> crate::Result<Self> {
        Reason::from_code(s).ok_or_else(|| {
            crate::Error::invalid("reason", format!("`{s}` is not a known rejection reason"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_stable_and_ordered() {
        let numbers: Vec<u32> = Reason::ALL.iter().map(|r| r.number()).collect();
        assert_eq!(numbers, (1..=11).collect::<Vec<u32>>());
        assert_eq!(Reason::TooShort.number(), 1);
        assert_eq!(Reason::CommonPassword.number(), 10);
        assert_eq!(Reason::TooWeak.number(), 11);
        let mut sorted = Reason::ALL;
        sorted.sort();
        assert_eq!(sorted, Reason::ALL);
    }

    #[test]
    fn codes_round_trip_through_str_number_and_serde() {
        for r in Reason::ALL {
            assert_eq!(Reason::from_code(r.code()), Some(r));
            assert_eq!(Reason::from_number(r.number()), Some(r));
            assert_eq!(r.code().parse::<Reason>().ok(), Some(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.code()));
            assert_eq!(serde_json::from_str::<Reason>(&json).unwrap(), r);
        }
        assert_eq!(Reason::from_code("TooShort"), None);
        assert_eq!(Reason::from_number(0), None);
        assert_eq!(Reason::from_number(12), None);
        assert!("nope".parse::<Reason>().is_err());
    }

    #[test]
    fn messages_are_lowercase_sentences_without_final_period() {
        for r in Reason::ALL {
            let m = r.message();
            assert!(m.starts_with("the code "), "{m}");
            assert!(!m.ends_with('.'), "{m}");
            assert_eq!(r.to_string(), m);
        }
        assert!(Reason::TooShort.message().contains('8'));
        assert!(Reason::TooLong.message().contains("128"));
        assert!(Reason::TooWeak.message().contains('3'));
    }
}

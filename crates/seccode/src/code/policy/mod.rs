//! The policy for new security codes (SPEC 2.2): length, personal data, common passwords and
//! strength. [`CodePolicy::check`] names every rule a candidate breaks, as [`Reason`]s.

mod common;
mod personal;
mod reason;
mod shapes;
mod strength;

pub use reason::Reason;

use crate::code::normalize::{Normalization, char_len};
use crate::code::secret::SecurityCode;

/// What the policy knows about whose code it is: the details a code must not contain and that
/// make a code easier to guess. Every field is optional; `Default` knows nothing.
///
/// For the account-wide code, pass the primary contact's details.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyContext<'a> {
    /// The account's id (the portal's "Client ID", e.g. 1707).
    pub account_id: Option<u64>,
    /// The account's name (e.g. "Any Company").
    pub account_name: Option<&'a str>,
    /// The contact's full name (e.g. "Joe Example").
    pub contact_name: Option<&'a str>,
    /// The contact's email address.
    pub email: Option<&'a str>,
    /// The contact's phone number, in any format (`000-000-0000`, `+1 (555) 867-5309 x42`).
    pub phone: Option<&'a str>,
}

/// The rules a new security code must follow (SPEC 2.2), with the SPEC's defaults.
///
/// [`check`](CodePolicy::check) returns every [`Reason`] that applies, sorted by number and
/// without duplicates; an empty list means the code is acceptable. The rules, and the choices
/// made where the SPEC leaves room:
///
/// - **Length** ([`Reason::TooShort`], [`Reason::TooLong`]): `min_chars..=max_chars`
///   characters (Unicode scalar values) of the code *after* the account's normalization, so
///   under the default spoken normalization spaces and punctuation do not count:
///   "ab cd, ef!" has six characters.
/// - **SSN-shaped numbers** ([`Reason::SsnShaped`]), anywhere in the code: three, two and
///   four digits apart by one to three spaces or punctuation characters as typed
///   (`123-45-6789`, `123 45 6789`, `123.45.6789`), or a run of exactly nine digits as typed
///   or once spaces and punctuation are removed (`123456789`, `12 345 6789`). A run of ten or
///   more digits does *not* count (it is a phone, card or account number, or random digits,
///   which the strength rule judges); every group must be a whole run of digits.
/// - **Dates that could be a date of birth** ([`Reason::DateShaped`]): a valid day of a
///   valid month (leap years included) of a year from 1900 to 2100 (a fixed bound, never the
///   clock), with a four-digit year: `1985-03-14`, `03/14/1985`, `14.03.1985`, `3-14-1985`;
///   eight digits read as `YYYYMMDD`, `DDMMYYYY` or `MMDDYYYY` (`14031985`, `03141985`); an
///   English month name or three-letter abbreviation in any case, in any order with the day
///   and year, with or without separators, ordinals and "of" (`March 14 1985`,
///   `Mar 14, 1985`, `14 March 1985`, `14th of March 1985`, `14-Mar-1985`,
///   `1985 March 14`). With a two-digit year (read as 19xx or 20xx), only where the code as
///   typed shows a date's shape: day and month (either order) then the year, apart by the same
///   `/`, `.` or `-` (`3/14/85`, `03/14/85`, `14.03.85`, `14-03-85`), but not when they are
///   part of a longer chain of numbers with that separator (a phone number `06.12.34.56.78`);
///   or a whole month word with the day before or after it (`14 Mar 85`, `14th of March 85`,
///   `Mar 14, 85`). Three numbers apart by spaces only (`14 03 85`) and bare six-digit runs
///   (`031485`) do not count: any six digits would. Digits are ASCII digits after NFKC
///   (fullwidth digits count, other scripts' digits do not).
/// - **Personal details**, found anywhere in the spoken form of the code (NFKC, case folded,
///   spaces and punctuation removed), whatever the account's normalization:
///   - [`Reason::ContainsName`]: the contact's whole name once normalized (`joeexample`), or
///     any part of it of at least 3 characters (`joe`, `example`); parts are runs of letters,
///     marks and digits. A part can match across the words of the code (`banjo everest`
///     contains `joe`): the code is compared as it is stored, without spaces.
///   - [`Reason::ContainsEmail`]: the whole address once normalized, or its local part
///     (before the last `@`) if it has at least 3 characters.
///   - [`Reason::ContainsPhone`]: the phone's ASCII digits up to any extension (the first
///     letter, as in `x42` or `ext. 42`), if there are at least 4; of a number longer than 7
///     digits, its last 7 (the subscriber number, so a code that drops the country or area
///     code is caught too). The digits must be consecutive in the code once spaces and
///     punctuation are removed: `(000) 000-0000` contains `000-000-0000`. Placeholder numbers
///     such as `000-000-0000` count like any other.
///   - [`Reason::ContainsAccountName`]: the whole account name once normalized (`anycompany`)
///     if it has at least 3 characters, or a part of at least 4 characters that is not a
///     legal form (company, corporation, incorporated, limited, group, holdings, corp, gmbh,
///     inc, llc, llp, ltd, plc, the). For "Any Company" only `anycompany` counts: "any" is too
///     short and "company" names no one.
///   - [`Reason::ContainsAccountId`]: the id's decimal digits, if there are at least 3,
///     consecutive in the code once spaces and punctuation are removed (`1707`, `17-07`).
/// - **Common passwords and phrases** ([`Reason::CommonPassword`]): a built-in list of about
///   six hundred, compared on the spoken form: the whole code (`Password`, `Let me in!`,
///   `correct horse battery staple`), or its core once the digits and symbols before and
///   after its letters are stripped (`password123!`, `2024 dragon`), if the core has at least
///   4 characters, also with digit-for-letter substitutions undone (`p4ssw0rd`). A code that
///   merely *contains* a common word ("purple monkey dishwasher") is not common.
/// - **Strength** ([`Reason::TooWeak`]): the zxcvbn estimator's score (0 to 4) of the
///   normalized code, told the contact's and account's details (and the words "security",
///   "code", "phone", "chat"), must reach `min_strength`. The estimator sees only the first
///   24 characters: its cost grows faster than the length (5 to 11 ms for the 100 characters
///   it would otherwise look at), and guessing a code means guessing its first 24 characters
///   too, so they must be hard to guess on their own. A check takes well under a millisecond
///   for a 128-character code. A `min_strength` of 0 turns the rule off.
///
/// A rejection names the rule, never the code. The code is only ever held in zeroizing
/// buffers here; the estimator makes short-lived copies of at most 24 characters that it
/// does not wipe.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CodePolicy {
    /// Fewest characters after normalization. Default 8 (the seed's rule).
    pub min_chars: usize,
    /// Most characters after normalization. Default 128.
    pub max_chars: usize,
    /// Lowest acceptable zxcvbn score, 0 (off) to 4. Default 3.
    pub min_strength: u8,
}

impl CodePolicy {
    /// The default fewest characters: 8.
    pub const DEFAULT_MIN_CHARS: usize = 8;
    /// The default most characters: 128.
    pub const DEFAULT_MAX_CHARS: usize = 128;
    /// The default lowest strength score: 3 of 4.
    pub const DEFAULT_MIN_STRENGTH: u8 = 3;
    /// The highest score the strength estimator gives.
    pub const MAX_STRENGTH: u8 = 4;

    /// Every reason why `code` may not be a new security code for the contact and account of
    /// `ctx`, under `normalization` (the account's setting). Sorted by number, no duplicates;
    /// empty means the code is acceptable. Never fails and never panics; the reasons never
    /// contain the code.
    pub fn check(
        &self,
        code: &SecurityCode,
        normalization: Normalization,
        ctx: &PolicyContext<'_>,
    ) -> Vec<Reason> {
        self.check_str(code.expose(), normalization, ctx)
    }

    /// [`check`](CodePolicy::check) on a plaintext the crate holds in a zeroizing buffer.
    pub(crate) fn check_str(
        &self,
        code: &str,
        normalization: Normalization,
        ctx: &PolicyContext<'_>,
    ) -> Vec<Reason> {
        let typed = Normalization::Exact.apply_str(code);
        let spoken = Normalization::Spoken.apply_str(code);
        let normalized: &str = match normalization {
            Normalization::Spoken => &spoken,
            Normalization::Exact => &typed,
        };
        let mut reasons = Vec::new();

        let len = char_len(normalized);
        if len < self.min_chars {
            reasons.push(Reason::TooShort);
        }
        if len > self.max_chars {
            reasons.push(Reason::TooLong);
        }
        if shapes::has_ssn(&typed, &spoken) {
            reasons.push(Reason::SsnShaped);
        }
        if shapes::has_date(&typed, &spoken) {
            reasons.push(Reason::DateShaped);
        }
        personal::check(&spoken, ctx, &mut reasons);
        if common::is_common(&spoken) {
            reasons.push(Reason::CommonPassword);
        }
        if self.min_strength > 0 {
            let inputs = personal::user_inputs(ctx);
            if strength::score(normalized, &inputs) < self.min_strength {
                reasons.push(Reason::TooWeak);
            }
        }

        reasons.sort_unstable();
        reasons.dedup();
        reasons
    }

    /// Whether the settings make sense: `min_chars` at least 1 and at most `max_chars`, and
    /// `min_strength` at most [`MAX_STRENGTH`](CodePolicy::MAX_STRENGTH). `check` works with
    /// any settings (a `min_strength` above 4 refuses every code); a portal should validate
    /// its configuration once, when it loads it.
    pub fn validate(&self) -> crate::Result<()> {
        if self.min_chars == 0 {
            return Err(crate::Error::invalid(
                "code policy",
                "`min_chars` must be at least 1",
            ));
        }
        if self.min_chars > self.max_chars {
            return Err(crate::Error::invalid(
                "code policy",
                format!(
                    "`min_chars` ({}) is greater than `max_chars` ({})",
                    self.min_chars, self.max_chars
                ),
            ));
        }
        if self.min_strength > Self::MAX_STRENGTH {
            return Err(crate::Error::invalid(
                "code policy",
                format!(
                    "`min_strength` ({}) is above the highest score, {}",
                    self.min_strength,
                    Self::MAX_STRENGTH
                ),
            ));
        }
        Ok(())
    }

    /// The reason's message worded with this policy's numbers (its minimum and maximum length
    /// and strength); for the other reasons, [`Reason::message`].
    pub fn describe(&self, reason: Reason) -> String {
        match reason {
            Reason::TooShort => format!(
                "the code must have at least {} characters, not counting spaces and punctuation",
                self.min_chars
            ),
            Reason::TooLong => format!("the code must have at most {} characters", self.max_chars),
            Reason::TooWeak => format!(
                "the code is too easy to guess (strength below {} of {}): use more words or random characters",
                self.min_strength,
                Self::MAX_STRENGTH
            ),
            other => other.message().to_owned(),
        }
    }
}

impl Default for CodePolicy {
    /// The SPEC's defaults: 8 to 128 characters, strength at least 3 of 4.
    fn default() -> Self {
        CodePolicy {
            min_chars: Self::DEFAULT_MIN_CHARS,
            max_chars: Self::DEFAULT_MAX_CHARS,
            min_strength: Self::DEFAULT_MIN_STRENGTH,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joe() -> PolicyContext<'static> {
        PolicyContext {
            account_id: Some(1707),
            account_name: Some("Any Company"),
            contact_name: Some("Joe Example"),
            email: Some("marketing@viviotech.net"),
            phone: Some("000-000-0000"),
        }
    }

    fn check(code: &str) -> Vec<Reason> {
        CodePolicy::default().check_str(code, Normalization::Spoken, &joe())
    }

    fn check_exact(code: &str) -> Vec<Reason> {
        CodePolicy::default().check_str(code, Normalization::Exact, &joe())
    }

    #[test]
    fn strong_codes_pass() {
        for code in [
            "purple monkey dishwasher lantern",
            "Purple monkey, dishwasher & lantern!",
            "xK9#mQ2vL7pR",
            "tangerine osprey velvet 42",
            "zebra cloud piano ember",
        ] {
            assert_eq!(check(code), [], "{code}");
        }
        assert_eq!(check_exact("Purple Monkey Dishwasher Lantern"), []);
    }

    #[test]
    fn check_takes_a_security_code() {
        let code = SecurityCode::from_str_copy("purple monkey dishwasher lantern").unwrap();
        let policy = CodePolicy::default();
        assert_eq!(policy.check(&code, Normalization::Spoken, &joe()), []);
        assert_eq!(
            policy.check(&code, Normalization::Exact, &PolicyContext::default()),
            []
        );
    }

    #[test]
    fn length_counts_normalized_characters() {
        // Nine characters as typed, six once spaces and punctuation are gone.
        let r = check("ab cd, ef!");
        assert!(r.contains(&Reason::TooShort), "{r:?}");
        assert!(!check_exact("ab cd, ef!").contains(&Reason::TooShort));
        // Eight characters exactly is enough; seven is not.
        let policy = CodePolicy {
            min_strength: 0,
            ..CodePolicy::default()
        };
        let ctx = PolicyContext::default();
        assert_eq!(
            policy.check_str("qz7xw9vk", Normalization::Spoken, &ctx),
            []
        );
        assert_eq!(
            policy.check_str("qz7xw9v", Normalization::Spoken, &ctx),
            [Reason::TooShort]
        );
        // Characters, not bytes.
        assert_eq!(
            policy.check_str("ĳĳĳĳĳĳĳĳ", Normalization::Exact, &ctx),
            [],
            "NFKC turns each ĳ into two letters"
        );
        assert_eq!(
            policy.check_str("žžžžžžž", Normalization::Exact, &ctx),
            [Reason::TooShort]
        );
    }

    #[test]
    fn too_long_past_max_chars() {
        let policy = CodePolicy {
            min_strength: 0,
            ..CodePolicy::default()
        };
        let ctx = PolicyContext::default();
        let words = "quartz lantern velvet osprey ";
        let long: String = words.chars().cycle().take(160).collect();
        let at_max: String = long.chars().filter(|c| *c != ' ').take(128).collect();
        let over: String = long.chars().filter(|c| *c != ' ').take(129).collect();
        assert_eq!(policy.check_str(&at_max, Normalization::Spoken, &ctx), []);
        assert_eq!(
            policy.check_str(&over, Normalization::Spoken, &ctx),
            [Reason::TooLong]
        );
        // Spaces count under exact matching.
        let spaced: String = long.chars().take(130).collect();
        assert_eq!(
            policy.check_str(&spaced, Normalization::Exact, &ctx),
            [Reason::TooLong]
        );
        assert_eq!(policy.check_str(&spaced, Normalization::Spoken, &ctx), []);
    }

    #[test]
    fn each_rule_names_its_reason() {
        assert!(check("tangerine 123-45-6789 osprey").contains(&Reason::SsnShaped));
        assert!(check("tangerine 1985-03-14 osprey").contains(&Reason::DateShaped));
        assert!(check("tangerine March 14 1985").contains(&Reason::DateShaped));
        assert!(check("tangerine joe osprey velvet").contains(&Reason::ContainsName));
        assert!(check("tangerine marketing osprey").contains(&Reason::ContainsEmail));
        assert!(check("tangerine 000 000 0000 osprey").contains(&Reason::ContainsPhone));
        assert!(check("tangerine AnyCompany osprey").contains(&Reason::ContainsAccountName));
        assert!(check("tangerine 1707 osprey velvet").contains(&Reason::ContainsAccountId));
        assert!(check("Password123!").contains(&Reason::CommonPassword));
        assert!(check("aaaaaaaaaaaa").contains(&Reason::TooWeak));
    }

    #[test]
    fn every_reason_at_once_sorted_and_unique() {
        let r = check("joe");
        assert!(r.windows(2).all(|w| w[0] < w[1]), "{r:?}");
        assert_eq!(r, [Reason::TooShort, Reason::ContainsName, Reason::TooWeak]);
        let many = check("Joe marketing 000-000-0000 AnyCompany 1707 123-45-6789 1985-03-14");
        for expected in [
            Reason::SsnShaped,
            Reason::DateShaped,
            Reason::ContainsName,
            Reason::ContainsEmail,
            Reason::ContainsPhone,
            Reason::ContainsAccountName,
            Reason::ContainsAccountId,
        ] {
            assert!(many.contains(&expected), "{expected:?} in {many:?}");
        }
        assert!(many.windows(2).all(|w| w[0] < w[1]), "{many:?}");
    }

    #[test]
    fn unknown_context_skips_the_personal_rules() {
        let policy = CodePolicy::default();
        assert_eq!(
            policy.check_str(
                "tangerine joe osprey velvet",
                Normalization::Spoken,
                &PolicyContext::default()
            ),
            []
        );
    }

    #[test]
    fn min_strength_zero_turns_the_estimator_off() {
        let policy = CodePolicy {
            min_strength: 0,
            ..CodePolicy::default()
        };
        let ctx = PolicyContext::default();
        assert_eq!(
            policy.check_str("aaaaaaaaaaaa", Normalization::Spoken, &ctx),
            []
        );
        let strict = CodePolicy {
            min_strength: 4,
            ..CodePolicy::default()
        };
        assert_eq!(
            strict.check_str(
                "purple monkey dishwasher lantern",
                Normalization::Spoken,
                &ctx
            ),
            []
        );
        let impossible = CodePolicy {
            min_strength: 5,
            ..CodePolicy::default()
        };
        assert_eq!(
            impossible.check_str(
                "purple monkey dishwasher lantern",
                Normalization::Spoken,
                &ctx
            ),
            [Reason::TooWeak]
        );
    }

    #[test]
    fn punctuation_only_code_is_short_and_weak() {
        assert_eq!(check("!!!!!!!!!!!!"), [Reason::TooShort, Reason::TooWeak]);
    }

    #[test]
    fn validate_settings() {
        assert!(CodePolicy::default().validate().is_ok());
        for bad in [
            CodePolicy {
                min_chars: 0,
                ..CodePolicy::default()
            },
            CodePolicy {
                min_chars: 200,
                ..CodePolicy::default()
            },
            CodePolicy {
                min_strength: 5,
                ..CodePolicy::default()
            },
        ] {
            assert!(
                matches!(bad.validate(), Err(crate::Error::InvalidInput { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn serde_defaults_and_unknown_fields() {
        let p: CodePolicy = serde_json::from_str("{}").unwrap();
        assert_eq!(p, CodePolicy::default());
        let p: CodePolicy = serde_json::from_str(r#"{"min_chars": 12}"#).unwrap();
        assert_eq!(p.min_chars, 12);
        assert_eq!(p.max_chars, 128);
        assert!(serde_json::from_str::<CodePolicy>(r#"{"min_char": 12}"#).is_err());
        let json = serde_json::to_string(&CodePolicy::default()).unwrap();
        assert_eq!(json, r#"{"min_chars":8,"max_chars":128,"min_strength":3}"#);
    }

    #[test]
    fn describe_uses_the_configured_numbers() {
        let p = CodePolicy {
            min_chars: 12,
            max_chars: 64,
            min_strength: 4,
        };
        assert!(p.describe(Reason::TooShort).contains("12"));
        assert!(p.describe(Reason::TooLong).contains("64"));
        assert!(p.describe(Reason::TooWeak).contains("below 4 of 4"));
        assert_eq!(p.describe(Reason::SsnShaped), Reason::SsnShaped.message());
        let d = CodePolicy::default();
        for r in Reason::ALL {
            assert_eq!(d.describe(r), r.message(), "{r:?}");
        }
    }

    #[test]
    fn rejections_never_echo_the_code() {
        let code = "Joe 123-45-6789 password";
        let p = CodePolicy::default();
        for r in check(code) {
            for shown in [
                r.code().to_owned(),
                r.message().to_owned(),
                p.describe(r),
                format!("{r:?}"),
            ] {
                assert!(!shown.contains("123-45"), "{shown}");
                assert!(!shown.to_lowercase().contains("joe"), "{shown}");
            }
        }
    }
}

//! The personal-details rules: the contact's name, email and phone, the account's name and id.
//!
//! Every comparison is a substring search in the spoken form of the code (NFKC, case folded,
//! whitespace and punctuation removed), whatever normalization the account uses: "Joe" is
//! found in "JOE-2024-purple" and the phone `000-000-0000` in "(000) 000 0000 blue".

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
use zeroize::Zeroizing;

use super::{PolicyContext, Reason};
use crate::Normalization;

/// Shortest name part (of the contact's name) that counts, in characters.
pub(super) const MIN_NAME_PART: usize = 3;
/// Shortest part of the account's name that counts, in characters.
pub(super) const MIN_ACCOUNT_NAME_PART: usize = 4;
/// Shortest whole name, email address or email local part that counts, in characters.
pub(super) const MIN_WHOLE: usize = 3;
/// Fewest digits of a phone number that count.
pub(super) const MIN_PHONE_DIGITS: usize = 4;
/// How many trailing digits of a longer phone number are searched for: the subscriber number,
/// so that a code that drops the country or area code is caught too.
pub(super) const PHONE_TAIL_DIGITS: usize = 7;
/// Fewest digits of an account id that count.
pub(super) const MIN_ACCOUNT_ID_DIGITS: usize = 3;

/// Words of a company name that say what kind of company it is, not which one: a code that
/// contains "company" or "limited" is not about "Any Company" or "Example Limited". The whole
/// account name still counts ("anycompany").
const LEGAL_FORMS: [&str; 14] = [
    "company",
    "corporation",
    "incorporated",
    "limited",
    "group",
    "holdings",
    "corp",
    "gmbh",
    "inc",
    "llc",
    "llp",
    "ltd",
    "plc",
    "the",
];

/// Push the reason of every personal detail of `ctx` found in `spoken`.
pub(super) fn check(spoken: &str, ctx: &PolicyContext<'_>, out: &mut Vec<Reason>) {
    if ctx
        .contact_name
        .is_some_and(|name| contains_name(spoken, name, MIN_NAME_PART, &[]))
    {
        out.push(Reason::ContainsName);
    }
    if ctx.email.is_some_and(|email| contains_email(spoken, email)) {
        out.push(Reason::ContainsEmail);
    }
    if ctx.phone.is_some_and(|phone| contains_phone(spoken, phone)) {
        out.push(Reason::ContainsPhone);
    }
    if ctx
        .account_name
        .is_some_and(|name| contains_name(spoken, name, MIN_ACCOUNT_NAME_PART, &LEGAL_FORMS))
    {
        out.push(Reason::ContainsAccountName);
    }
    if ctx
        .account_id
        .is_some_and(|id| contains_account_id(spoken, id))
    {
        out.push(Reason::ContainsAccountId);
    }
}

/// The details the strength estimator should know about: every needle the rules above search
/// for, plus the whole values as given.
pub(super) fn user_inputs(ctx: &PolicyContext<'_>) -> Vec<String> {
    let mut inputs = Vec::new();
    for name in [ctx.contact_name, ctx.account_name].into_iter().flatten() {
        inputs.push(name.to_owned());
        inputs.push(spoken(name).to_string());
        inputs.extend(parts(name).into_iter().map(|p| p.to_string()));
    }
    if let Some(email) = ctx.email {
        inputs.push(email.to_owned());
        inputs.push(spoken(email).to_string());
        if let Some((local, _)) = email.rsplit_once('@') {
            inputs.push(spoken(local).to_string());
            inputs.extend(parts(local).into_iter().map(|p| p.to_string()));
        }
    }
    if let Some(phone) = ctx.phone {
        let digits = phone_digits(phone);
        if let Some(tail) = tail(&digits, PHONE_TAIL_DIGITS) {
            inputs.push(tail.to_owned());
        }
        inputs.push(digits);
    }
    if let Some(id) = ctx.account_id {
        inputs.push(id.to_string());
    }
    inputs.retain(|s| !s.is_empty());
    inputs.sort_unstable();
    inputs.dedup();
    inputs
}

fn spoken(s: &str) -> Zeroizing<String> {
    Normalization::Spoken.apply_str(s)
}

/// The spoken form of each word of `name`: words are runs of letters, marks and digits.
fn parts(name: &str) -> Vec<Zeroizing<String>> {
    let nfkc = Normalization::Exact.apply_str(name);
    nfkc.split(|c: char| !is_word_char(c))
        .filter(|p| !p.is_empty())
        .map(spoken)
        .filter(|p| !p.is_empty())
        .collect()
}

fn is_word_char(c: char) -> bool {
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark | GeneralCategoryGroup::Number
    )
}

/// The whole name (at least [`MIN_WHOLE`] characters) or any of its parts (at least
/// `min_part` characters, not one of `skip`).
fn contains_name(code: &str, name: &str, min_part: usize, skip: &[&str]) -> bool {
    let whole = spoken(name);
    if whole.chars().count() >= MIN_WHOLE && code.contains(whole.as_str()) {
        return true;
    }
    parts(name).iter().any(|part| {
        part.chars().count() >= min_part
            && !skip.contains(&part.as_str())
            && code.contains(part.as_str())
    })
}

/// The whole address, or its local part (before the last `@`), of at least [`MIN_WHOLE`]
/// characters once normalized.
fn contains_email(code: &str, email: &str) -> bool {
    let whole = spoken(email);
    if whole.chars().count() >= MIN_WHOLE && code.contains(whole.as_str()) {
        return true;
    }
    email.rsplit_once('@').is_some_and(|(local, _)| {
        let local = spoken(local);
        local.chars().count() >= MIN_WHOLE && code.contains(local.as_str())
    })
}

/// The ASCII digits of a phone number (after NFKC) up to its extension: digits after the first
/// letter (`x123`, `ext. 123`) are left out.
fn phone_digits(phone: &str) -> String {
    let nfkc = Normalization::Exact.apply_str(phone);
    nfkc.chars()
        .take_while(|c| !c.is_alphabetic())
        .filter(char::is_ascii_digit)
        .collect()
}

/// The last `n` characters of an ASCII string (all of it when shorter).
fn tail(ascii: &str, n: usize) -> Option<&str> {
    ascii.get(ascii.len().saturating_sub(n)..)
}

/// The phone's digits (at least [`MIN_PHONE_DIGITS`]); of a longer number, its last
/// [`PHONE_TAIL_DIGITS`], which every code containing the whole number contains too.
fn contains_phone(code: &str, phone: &str) -> bool {
    let digits = phone_digits(phone);
    if digits.len() < MIN_PHONE_DIGITS {
        return false;
    }
    tail(&digits, PHONE_TAIL_DIGITS).is_some_and(|needle| code.contains(needle))
}

/// The id's decimal digits, if there are at least [`MIN_ACCOUNT_ID_DIGITS`].
fn contains_account_id(code: &str, id: u64) -> bool {
    let digits = id.to_string();
    digits.len() >= MIN_ACCOUNT_ID_DIGITS && code.contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> PolicyContext<'static> {
        PolicyContext {
            account_id: Some(1707),
            account_name: Some("Any Company"),
            contact_name: Some("Joe Example"),
            email: Some("marketing@viviotech.net"),
            phone: Some("000-000-0000"),
        }
    }

    fn reasons(code: &str, ctx: &PolicyContext<'_>) -> Vec<Reason> {
        let mut out = Vec::new();
        check(&spoken(code), ctx, &mut out);
        out
    }

    #[test]
    fn contact_name_parts_and_whole() {
        let c = ctx();
        assert_eq!(reasons("hello JOE blue sky", &c), [Reason::ContainsName]);
        assert_eq!(reasons("for-example-lantern", &c), [Reason::ContainsName]);
        assert_eq!(reasons("Ｊｏｅ rides a bike", &c), [Reason::ContainsName]);
        assert!(reasons("jo ex ample", &c).contains(&Reason::ContainsName));
        assert!(reasons("purple monkey dishwasher", &c).is_empty());
        // Two-letter parts never count alone, but the whole name does.
        let short = PolicyContext {
            contact_name: Some("Li Wu"),
            ..PolicyContext::default()
        };
        assert!(reasons("li and wu went out", &short).is_empty());
        assert_eq!(
            reasons("hello LiWu friends", &short),
            [Reason::ContainsName]
        );
        // Case folding beyond ASCII.
        let accented = PolicyContext {
            contact_name: Some("José Müßig"),
            ..PolicyContext::default()
        };
        assert_eq!(reasons("JOSÉ was here", &accented), [Reason::ContainsName]);
        assert_eq!(
            reasons("MUESSIG no, MÜSSIG yes", &accented),
            [Reason::ContainsName]
        );
    }

    #[test]
    fn email_whole_and_local_part() {
        let c = ctx();
        assert_eq!(
            reasons("Marketing rocks today", &c),
            [Reason::ContainsEmail]
        );
        assert_eq!(
            reasons("marketing@viviotech.net", &c),
            [Reason::ContainsEmail]
        );
        let short = PolicyContext {
            email: Some("jo@example.org"),
            ..PolicyContext::default()
        };
        assert!(reasons("jo jo banana split", &short).is_empty());
        assert_eq!(reasons("jo@example.org", &short), [Reason::ContainsEmail]);
    }

    #[test]
    fn phone_digits_anywhere_separators_ignored() {
        let c = ctx();
        assert_eq!(reasons("(000) 000-0000 blue", &c), [Reason::ContainsPhone]);
        assert_eq!(reasons("x0000000y", &c), [Reason::ContainsPhone]);
        assert!(reasons("000000 blue", &c).is_empty());
        let real = PolicyContext {
            phone: Some("+1 (555) 867-5309 ext. 42"),
            ..PolicyContext::default()
        };
        assert_eq!(reasons("jenny 867-5309", &real), [Reason::ContainsPhone]);
        assert_eq!(reasons("15558675309 call", &real), [Reason::ContainsPhone]);
        assert!(reasons("jenny 867-530 42", &real).is_empty());
        let tiny = PolicyContext {
            phone: Some("911"),
            ..PolicyContext::default()
        };
        assert!(reasons("call 911 now please", &tiny).is_empty());
        assert_eq!(phone_digits("+1 (555) 867-5309 x42"), "15558675309");
        assert_eq!(phone_digits("０００-０００-００００"), "0000000000");
    }

    #[test]
    fn account_name_whole_and_distinctive_parts() {
        let c = ctx();
        assert_eq!(
            reasons("any company rocks", &c),
            [Reason::ContainsAccountName]
        );
        assert_eq!(
            reasons("AnyCompany2024!", &c),
            [Reason::ContainsAccountName]
        );
        // "any" is too short and "company" is a legal form.
        assert!(reasons("our company has any number of lanterns", &c).is_empty());
        let named = PolicyContext {
            account_name: Some("Vivio Technologies, Inc."),
            ..PolicyContext::default()
        };
        assert_eq!(
            reasons("vivio rules", &named),
            [Reason::ContainsAccountName]
        );
        assert_eq!(
            reasons("technologies of tomorrow", &named),
            [Reason::ContainsAccountName]
        );
        assert!(reasons("inc. blue lantern", &named).is_empty());
    }

    #[test]
    fn account_id_digits() {
        let c = ctx();
        assert_eq!(reasons("room 1707 blue", &c), [Reason::ContainsAccountId]);
        assert_eq!(reasons("17-07 blue", &c), [Reason::ContainsAccountId]);
        assert!(reasons("17 blue 07", &c).is_empty());
        let short = PolicyContext {
            account_id: Some(42),
            ..PolicyContext::default()
        };
        assert!(reasons("the answer is 42", &short).is_empty());
    }

    #[test]
    fn empty_context_finds_nothing() {
        let empty = PolicyContext::default();
        assert!(reasons("Joe Example 000-000-0000 1707", &empty).is_empty());
        let blank = PolicyContext {
            account_id: Some(0),
            account_name: Some(""),
            contact_name: Some(" - "),
            email: Some("@"),
            phone: Some(""),
        };
        assert!(reasons("anything at all 0", &blank).is_empty());
        assert!(user_inputs(&blank).iter().all(|s| !s.is_empty()));
    }

    #[test]
    fn user_inputs_cover_the_details() {
        let inputs = user_inputs(&ctx());
        for expected in [
            "joe",
            "example",
            "joeexample",
            "marketing",
            "marketingviviotechnet",
            "0000000000",
            "anycompany",
            "company",
            "1707",
        ] {
            assert!(
                inputs.iter().any(|i| i == expected),
                "{expected}: {inputs:?}"
            );
        }
    }
}

//! Matchers for numbers shaped like personal data: social security numbers and dates that could
//! be dates of birth. Hand-written scanners over borrowed slices: no regex engine, no copy of
//! the code, linear in its length.
//!
//! Each matcher looks at two forms of the code:
//! - the *typed* form (NFKC only, so fullwidth digits are ASCII digits), where the separators
//!   the person typed still stand between the groups (`123-45-6789`, `03/14/1985`);
//! - the *spoken* form (case folded, whitespace and punctuation removed), where the groups of
//!   a separated number have run together (`123456789`, `03141985`, `march141985`).

use crate::code::normalize::is_separator;

/// Earliest year taken as a plausible year of birth.
pub(super) const FIRST_BIRTH_YEAR: u32 = 1900;
/// Latest year taken as a plausible year of birth: a fixed bound, so the rule never depends
/// on the clock and a code accepted today is judged the same way tomorrow.
pub(super) const LAST_BIRTH_YEAR: u32 = 2100;

/// Most separator characters allowed between the groups of a separated number.
const MAX_SEPARATOR_CHARS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A maximal run of ASCII digits.
    Digits,
    /// A maximal run of whitespace, punctuation and format characters.
    Separators,
    /// A maximal run of anything else (letters, symbols, other digits).
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Token<'s> {
    kind: Kind,
    text: &'s str,
    chars: usize,
}

impl Token<'_> {
    fn digits(&self, lens: std::ops::RangeInclusive<usize>) -> Option<u32> {
        if self.kind == Kind::Digits && lens.contains(&self.text.len()) {
            self.text.parse().ok()
        } else {
            None
        }
    }

    fn is_gap(&self) -> bool {
        self.kind == Kind::Separators && (1..=MAX_SEPARATOR_CHARS).contains(&self.chars)
    }
}

fn kind_of(c: char) -> Kind {
    if c.is_ascii_digit() {
        Kind::Digits
    } else if is_separator(c) {
        Kind::Separators
    } else {
        Kind::Other
    }
}

/// Split `s` into maximal runs of one kind. The tokens borrow `s`; nothing is copied.
fn tokens(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut current: Option<(Kind, usize, usize)> = None; // kind, start byte, chars
    for (i, c) in s.char_indices() {
        let kind = kind_of(c);
        current = match current {
            Some((k, start, n)) if k == kind => Some((k, start, n + 1)),
            Some((k, start, n)) => {
                if let Some(text) = s.get(start..i) {
                    out.push(Token {
                        kind: k,
                        text,
                        chars: n,
                    });
                }
                Some((kind, i, 1))
            }
            None => Some((kind, i, 1)),
        };
    }
    if let Some((kind, start, chars)) = current {
        if let Some(text) = s.get(start..) {
            out.push(Token { kind, text, chars });
        }
    }
    out
}

/// Whether the code contains a number shaped like a social security number.
///
/// Shapes: three, two and four digits separated by one to three whitespace or punctuation
/// characters (`123-45-6789`, `123 45 6789`, `123.45.6789`) in the typed form, or a run of
/// exactly nine digits (`123456789`) in the typed or the spoken form. Every group must be a
/// whole run of digits. A run of ten or more digits does not count: it is a phone number, a
/// card or account number, or random digits, and the strength estimator judges those.
/// Digits are ASCII digits after NFKC (fullwidth digits count, other scripts' digits do not).
pub(super) fn has_ssn(typed: &str, spoken: &str) -> bool {
    let typed_tokens = tokens(typed);
    let separated = typed_tokens.windows(5).any(|w| match w {
        [a, s1, b, s2, c] => {
            a.digits(3..=3).is_some()
                && s1.is_gap()
                && b.digits(2..=2).is_some()
                && s2.is_gap()
                && c.digits(4..=4).is_some()
        }
        _ => false,
    });
    separated || has_digit_run(&typed_tokens, 9) || has_digit_run(&tokens(spoken), 9)
}

fn has_digit_run(tokens: &[Token<'_>], len: usize) -> bool {
    tokens
        .iter()
        .any(|t| t.kind == Kind::Digits && t.text.len() == len)
}

/// Whether the code contains a date that could be a date of birth.
///
/// A date is a valid day of a valid month of a year in
/// [`FIRST_BIRTH_YEAR`]`..=`[`LAST_BIRTH_YEAR`], written with a four-digit year:
/// - separated numbers in the typed form, groups apart by one to three whitespace or
///   punctuation characters: year first (`1985-03-14`, `1985/3/14`), or year last with the
///   month or the day first (`03/14/1985`, `14.03.1985`, `3-14-1985`);
/// - a run of exactly eight digits in the typed or spoken form, read as `YYYYMMDD`, `DDMMYYYY`
///   or `MMDDYYYY` (`19850314`, `14031985`, `03141985`); so the separated forms are caught
///   again after the spoken normalization joins them;
/// - an English month name or its three-letter abbreviation (`sept` too), in any case, in the
///   spoken form: `March 14 1985`, `Mar 14, 1985`, `March 14th, 1985`, `14 March 1985`,
///   `14th of March 1985`, `14-Mar-1985`, `1985 March 14`. The month may be the end of a
///   longer word when the day follows it (`bornmarch141985`);
/// - with a two-digit year (any of `00` to `99`, read as 19xx or 20xx), only where the typed
///   form shows the date's shape (see [`has_short_year_date`]): `3/14/85`, `14.03.85`,
///   `14-03-85`, `14 Mar 85`, `Mar 14, 85`, `14th of March 85`.
///
/// A bare run of six digits (`031485`) is not read as a date with a two-digit year: every
/// six-digit number would look like one.
pub(super) fn has_date(typed: &str, spoken: &str) -> bool {
    let typed_tokens = tokens(typed);
    let separated = typed_tokens.windows(5).any(|w| match w {
        [a, s1, b, s2, c] if s1.is_gap() && s2.is_gap() => {
            if let (Some(y), Some(m), Some(d)) = (a.digits(4..=4), b.digits(1..=2), c.digits(1..=2))
            {
                is_birth_date(y, m, d)
            } else if let (Some(x), Some(z), Some(y)) =
                (a.digits(1..=2), b.digits(1..=2), c.digits(4..=4))
            {
                is_birth_date(y, x, z) || is_birth_date(y, z, x)
            } else {
                false
            }
        }
        _ => false,
    });
    separated
        || has_compact_date(&typed_tokens)
        || has_compact_date(&tokens(spoken))
        || has_month_name_date(spoken)
        || has_short_year_date(&typed_tokens)
}

/// Dates with a two-digit year, found in the tokens of the typed form (where the groups are
/// still apart; the spoken form joins `3/14/85` into `31485`, which could be anything).
///
/// - Three numbers, day and month (either order, one or two digits each) then a year of
///   exactly two digits, apart by the *same* date separator, `/`, `.` or `-`, with optional
///   whitespace around it: `3/14/85`, `03/14/85`, `14.03.85`, `14-03-85`, `14. 03. 85`.
///   Whitespace alone (`14 03 85`) does not count (three small numbers in a phrase are not a
///   date), and neither do the groups of a longer chain with that separator, such as a phone
///   number written `06.12.34.56.78` or an address `10.1.1.12`.
/// - A month word (an English month name or three-letter abbreviation, or `sept`, in any
///   case, the whole word) with a day of one or two digits and a two-digit year: day first
///   (`14 Mar 85`, `14-Mar-85`, `14Mar85`, `14th of March 85`) or month first (`Mar 14 85`,
///   `Mar 14, 85`, `March 14th 85`), apart by one to three separator characters or not at
///   all where a digit meets a letter. A month word inside a longer word (`grammar 12 34`)
///   does not count.
///
/// The day must exist in that month of 19yy or of 20yy (so `29.02.84` counts, `29.02.85`
/// does not).
fn has_short_year_date(tokens: &[Token<'_>]) -> bool {
    (0..tokens.len())
        .any(|i| numeric_short_year_at(tokens, i) || month_word_short_year_at(tokens, i))
}

/// `x<sep>y<sep>yy` starting at token `i`, not part of a longer chain with the same separator.
fn numeric_short_year_at(tokens: &[Token<'_>], i: usize) -> bool {
    let Some([a, s1, b, s2, c]) = tokens.get(i..i + 5) else {
        return false;
    };
    let (Some(x), Some(y), Some(yy)) = (a.digits(1..=2), b.digits(1..=2), c.digits(2..=2)) else {
        return false;
    };
    let Some(sep) = date_separator(s1).filter(|&sep| date_separator(s2) == Some(sep)) else {
        return false;
    };
    let chained_before = i.checked_sub(2).and_then(|j| tokens.get(j..i)).is_some_and(
        |pair| matches!(pair, [d, g] if d.kind == Kind::Digits && date_separator(g) == Some(sep)),
    );
    let chained_after = tokens.get(i + 5..i + 7).is_some_and(
        |pair| matches!(pair, [g, d] if d.kind == Kind::Digits && date_separator(g) == Some(sep)),
    );
    !chained_before
        && !chained_after
        && (is_short_year_birth_date(yy, x, y) || is_short_year_birth_date(yy, y, x))
}

/// The date separator a gap holds: `/`, `.` or `-`, alone or with whitespace around it.
fn date_separator(gap: &Token<'_>) -> Option<char> {
    if !gap.is_gap() {
        return None;
    }
    let mut chars = gap.text.trim().chars();
    match (chars.next(), chars.next()) {
        (Some(c @ ('/' | '.' | '-')), None) => Some(c),
        _ => None,
    }
}

/// A month word at token `i` with a day and a two-digit year around it.
fn month_word_short_year_at(tokens: &[Token<'_>], i: usize) -> bool {
    let Some(month) = tokens.get(i).and_then(month_word) else {
        return false;
    };
    // Day first: `14 Mar 85`, `14th of March 85`.
    let day_first = day_before(tokens, i)
        .zip(short_year_at(tokens, skip_gap(tokens, i + 1)))
        .is_some_and(|(day, yy)| is_short_year_birth_date(yy, month, day));
    // Month first: `Mar 14 85`, `Mar 14th, 85`.
    let month_first = || {
        let at = skip_gap(tokens, i + 1);
        let Some(day) = tokens.get(at).and_then(|t| t.digits(1..=2)) else {
            return false;
        };
        let mut at = at + 1;
        if tokens.get(at).is_some_and(is_ordinal) {
            at += 1;
        }
        short_year_at(tokens, skip_gap(tokens, at))
            .is_some_and(|yy| is_short_year_birth_date(yy, month, day))
    };
    day_first || month_first()
}

/// The month number of a token that is a whole month word, in any ASCII case.
fn month_word(token: &Token<'_>) -> Option<u32> {
    if token.kind != Kind::Other {
        return None;
    }
    MONTHS
        .iter()
        .find(|(name, _)| token.text.eq_ignore_ascii_case(name))
        .map(|&(_, month)| month)
}

fn is_ordinal(token: &Token<'_>) -> bool {
    token.kind == Kind::Other
        && ORDINALS
            .iter()
            .any(|o| token.text.as_bytes().eq_ignore_ascii_case(o))
}

/// The index after an optional gap at `at`.
fn skip_gap(tokens: &[Token<'_>], at: usize) -> usize {
    if tokens.get(at).is_some_and(Token::is_gap) {
        at + 1
    } else {
        at
    }
}

/// A two-digit year at token `at`.
fn short_year_at(tokens: &[Token<'_>], at: usize) -> Option<u32> {
    tokens.get(at).and_then(|t| t.digits(2..=2))
}

/// The day written before the month word at token `month_at`: `14 Mar`, `14-Mar`, `14Mar`,
/// `14th Mar`, `14th of Mar`.
fn day_before(tokens: &[Token<'_>], month_at: usize) -> Option<u32> {
    let token = |at: usize| at.checked_sub(1).and_then(|j| tokens.get(j));
    let mut at = month_at; // the day, ordinal, "of" or gap is just before `at`
    if token(at).is_some_and(Token::is_gap) {
        at = at.saturating_sub(1);
        let of =
            token(at).is_some_and(|t| t.kind == Kind::Other && t.text.eq_ignore_ascii_case("of"));
        if of && token(at.saturating_sub(1)).is_some_and(Token::is_gap) {
            at = at.saturating_sub(2);
        }
    }
    if token(at).is_some_and(is_ordinal) {
        at = at.saturating_sub(1);
    }
    token(at).and_then(|t| t.digits(1..=2))
}

/// Whether day `day` of month `month` exists in 19yy or in 20yy.
fn is_short_year_birth_date(yy: u32, month: u32, day: u32) -> bool {
    yy < 100 && (is_birth_date(1900 + yy, month, day) || is_birth_date(2000 + yy, month, day))
}

fn has_compact_date(tokens: &[Token<'_>]) -> bool {
    tokens
        .iter()
        .filter(|t| t.kind == Kind::Digits && t.text.len() == 8)
        .any(|t| {
            let part = |r: std::ops::Range<usize>| -> u32 {
                t.text.get(r).and_then(|p| p.parse().ok()).unwrap_or(0)
            };
            is_birth_date(part(0..4), part(4..6), part(6..8))
                || is_birth_date(part(4..8), part(2..4), part(0..2))
                || is_birth_date(part(4..8), part(0..2), part(2..4))
        })
}

/// Month names and abbreviations, lowercase, with their numbers.
const MONTHS: [(&str, u32); 24] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

const ORDINALS: [&[u8]; 4] = [b"st", b"nd", b"rd", b"th"];

/// Number of ASCII digits starting at `at`.
fn digits_from(b: &[u8], at: usize) -> usize {
    b.get(at..).map_or(0, |rest| {
        rest.iter().take_while(|c| c.is_ascii_digit()).count()
    })
}

/// Number of ASCII digits ending just before `at`.
fn digits_before(b: &[u8], at: usize) -> usize {
    b.get(..at).map_or(0, |head| {
        head.iter().rev().take_while(|c| c.is_ascii_digit()).count()
    })
}

fn number(b: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    let digits = b.get(range)?;
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0'))),
    )
}

fn ends_with_at(b: &[u8], at: usize, suffix: &[u8]) -> bool {
    b.get(..at).is_some_and(|head| head.ends_with(suffix))
}

fn starts_with_at(b: &[u8], at: usize, prefix: &[u8]) -> bool {
    b.get(at..).is_some_and(|tail| tail.starts_with(prefix))
}

/// Dates written with a month name, in the spoken form (lowercase, no separators).
fn has_month_name_date(spoken: &str) -> bool {
    let b = spoken.as_bytes();
    for (start, first) in b.iter().enumerate() {
        // Every month name starts with one of these letters.
        if !matches!(first, b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd') {
            continue;
        }
        for (name, month) in MONTHS {
            if !starts_with_at(b, start, name.as_bytes()) {
                continue;
            }
            let end = start + name.len();
            if month_first(b, end, month)
                || day_first(b, start, end, month)
                || year_first(b, start, end, month)
            {
                return true;
            }
        }
    }
    false
}

/// `march141985`, `march31985`, `march14th1985`.
fn month_first(b: &[u8], end: usize, month: u32) -> bool {
    let run = digits_from(b, end);
    match run {
        5 | 6 => {
            let split = end + run - 4;
            matches!(
                (number(b, end..split), number(b, split..end + run)),
                (Some(d), Some(y)) if is_birth_date(y, month, d)
            )
        }
        1 | 2 => {
            let Some(day) = number(b, end..end + run) else {
                return false;
            };
            let mut at = end + run;
            if let Some(ord) = ORDINALS.iter().find(|o| starts_with_at(b, at, o)) {
                at += ord.len();
            }
            digits_from(b, at) == 4
                && number(b, at..at + 4).is_some_and(|y| is_birth_date(y, month, day))
        }
        _ => false,
    }
}

/// `14march1985`, `14thmarch1985`, `14thofmarch1985`.
fn day_first(b: &[u8], start: usize, end: usize, month: u32) -> bool {
    if digits_from(b, end) != 4 {
        return false;
    }
    let Some(year) = number(b, end..end + 4) else {
        return false;
    };
    let mut at = start;
    if ends_with_at(b, at, b"of") {
        at -= 2;
    }
    if let Some(ord) = ORDINALS.iter().find(|o| ends_with_at(b, at, o)) {
        at -= ord.len();
    }
    let run = digits_before(b, at);
    (1..=2).contains(&run)
        && number(b, at - run..at).is_some_and(|day| is_birth_date(year, month, day))
}

/// `1985march14`.
fn year_first(b: &[u8], start: usize, end: usize, month: u32) -> bool {
    if digits_before(b, start) != 4 {
        return false;
    }
    let run = digits_from(b, end);
    (1..=2).contains(&run)
        && matches!(
            (number(b, start - 4..start), number(b, end..end + run)),
            (Some(y), Some(d)) if is_birth_date(y, month, d)
        )
}

fn is_birth_date(year: u32, month: u32, day: u32) -> bool {
    (FIRST_BIRTH_YEAR..=LAST_BIRTH_YEAR).contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Normalization;

    fn ssn(code: &str) -> bool {
        let typed = Normalization::Exact.apply_str(code);
        let spoken = Normalization::Spoken.apply_str(code);
        has_ssn(&typed, &spoken)
    }

    fn date(code: &str) -> bool {
        let typed = Normalization::Exact.apply_str(code);
        let spoken = Normalization::Spoken.apply_str(code);
        has_date(&typed, &spoken)
    }

    #[test]
    fn ssn_shapes_from_the_spec() {
        for code in [
            "123-45-6789",
            "123 45 6789",
            "123456789",
            "my ssn is 123-45-6789 ok",
            "abc123456789xyz",
            "078-05-1120",
            "123.45.6789",
            "123 - 45 - 6789",
            "１２３－４５－６７８９",
            "123-45-6789-0", // the groups are whole runs; a trailing group does not hide it
            "123--45--6789x0",
            // joined by the spoken form into a run of nine digits
            "12 3456789",
            "12-345-6789",
            "123    45    6789",
        ] {
            assert!(ssn(code), "{code}");
        }
    }

    #[test]
    fn not_ssn_shaped() {
        for code in [
            "12345678",
            "1234567890",
            "1234-56-7890",
            "123-456-7890",
            "123-45-678",
            "purple monkey dishwasher",
            "123a45b6789",
        ] {
            assert!(!ssn(code), "{code}");
        }
    }

    #[test]
    fn date_shapes_from_the_spec() {
        for code in [
            "1985-03-14",
            "03/14/1985",
            "14.03.1985",
            "14031985",
            "03141985",
            "19850314",
            "March 14 1985",
            "march 14 1985",
            "MARCH 14 1985",
            "Mar 14, 1985",
            "Mar. 14, 1985",
            "March 14th, 1985",
            "14 March 1985",
            "14th of March 1985",
            "14-Mar-1985",
            "1985 March 14",
            "born on march 1 1985",
            "bornMarch141985",
            "3/14/1985",
            "1985/3/14",
            "29.02.2000",
            "Sept 9 1999",
            "dec 31 1900",
            "jan 1 2100",
            "my birthday 1985-03-14!",
        ] {
            assert!(date(code), "{code}");
        }
    }

    #[test]
    fn not_date_shaped() {
        for code in [
            "1985",
            "13/13/1985",
            "1985-13-01",
            "1985-02-30",
            "29.02.1900",
            "29.02.1985",
            "31.04.1985",
            "14.03.1899",
            "14.03.2101",
            "march 1985",
            "march 32 1985",
            "12345678",
            "march141985123",
            "14 decades 1985",
            "purple monkey dishwasher",
        ] {
            assert!(!date(code), "{code}");
        }
    }

    #[test]
    fn dates_with_a_two_digit_year() {
        for code in [
            "3/14/85",
            "03/14/85",
            "14.03.85",
            "14-03-85",
            "14. 03. 85",
            "3 / 14 / 85",
            "１４．０３．８５",
            "3/14/85 giraffe",
            "giraffe 3/14/85",
            "1/2/03",
            "29.02.84",
            "29.02.00",
            "14 Mar 85",
            "14 mar 85 owl frog",
            "14-Mar-85",
            "14/mar/85",
            "14Mar85",
            "14th Mar 85",
            "14th of March 85",
            "Mar 14 85",
            "mar 14, 85",
            "MARCH 14TH 85",
            "Mar14 85",
            "Sept 9 99",
            "owl 1 may 05 frog",
            "3/14/85 42",
        ] {
            assert!(date(code), "{code}");
        }
    }

    #[test]
    fn two_digit_years_need_a_date_shape() {
        for code in [
            "85",
            "owl 85 frog",
            "031485",
            "140385",
            "14 03 85",
            "3/14/855",
            "3/14-85",
            "13/13/85",
            "31/04/85",
            "29.02.85",
            "12-34-56",
            "06.12.34.56.78",
            "10.1.1.12",
            "555-12-34",
            "+33 6 12 34 56 78",
            "3_14_85",
            "Mar 32 85",
            "grammar 12 34",
            "Marx 14 85",
            "14 Marx 85",
            "Mar 14",
            "14 Mar",
            "Mar 85",
            "Mar 1485",
            "14 of 85",
            "may 14 855",
            "14 decades 85",
        ] {
            assert!(!date(code), "{code}");
        }
    }

    #[test]
    fn leap_years() {
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(1984, 2), 29);
        assert_eq!(days_in_month(1985, 2), 28);
        assert_eq!(days_in_month(1985, 13), 0);
    }

    #[test]
    fn tokens_cover_the_input() {
        let s = "ab 12--34x";
        let joined: String = tokens(s).iter().map(|t| t.text).collect();
        assert_eq!(joined, s);
        assert!(tokens("").is_empty());
    }
}

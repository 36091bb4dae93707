//! How a spoken or typed code is brought to the form that is hashed (SPEC 2.3).

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
use zeroize::Zeroizing;

use crate::code::secret::SecurityCode;

/// How codes are compared. Recorded with every stored hash, so changing an account's setting
/// never breaks a code already set.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Normalization {
    /// Unicode NFKC, case folded, every whitespace and punctuation character removed:
    /// "Purple monkey, dishwasher!" matches "purple monkey dishwasher". The default.
    #[default]
    Spoken,
    /// Unicode NFKC only: case, spaces and punctuation count.
    Exact,
}

impl Normalization {
    /// Both, the default first.
    pub const ALL: [Normalization; 2] = [Normalization::Spoken, Normalization::Exact];

    /// The name used in data and on the command line: `spoken` or `exact`.
    pub fn as_str(self) -> &'static str {
        match self {
            Normalization::Spoken => "spoken",
            Normalization::Exact => "exact",
        }
    }

    /// Normalize `code`. The result lives in a zeroizing buffer; intermediate buffers are
    /// zeroized too.
    pub fn apply(self, code: &SecurityCode) -> Zeroizing<String> {
        self.apply_str(code.expose())
    }

    pub(crate) fn apply_str(self, code: &str) -> Zeroizing<String> {
        let nfkc = collect_wiping(code.nfkc(), code.len());
        match self {
            Normalization::Exact => nfkc,
            Normalization::Spoken => {
                // One pass is enough for nearly every input; the loop makes the result a fixed
                // point (normalizing it again changes nothing) for the rest, such as a
                // separator between two combining marks that must be reordered once it is
                // gone. It stops after a few passes whatever happens.
                let mut current = spoken_pass(&nfkc);
                for _ in 0..MAX_SPOKEN_PASSES {
                    let next = spoken_pass(&current);
                    if next == current {
                        break;
                    }
                    current = next;
                }
                current
            }
        }
    }
}

/// Most extra passes of the spoken normalization in search of a fixed point.
const MAX_SPOKEN_PASSES: usize = 4;

/// Case fold an NFKC string, NFKC again (folding can denormalize), drop whitespace and
/// punctuation, and NFKC once more (dropping a separator can bring a base letter and a
/// combining mark, or two marks, together). Every buffer is a zeroizing one.
fn spoken_pass(nfkc: &str) -> Zeroizing<String> {
    use caseless::Caseless;
    let folded = collect_wiping(nfkc.chars().default_case_fold(), nfkc.len());
    let joined = collect_wiping(folded.nfkc().filter(|c| !is_separator(*c)), folded.len());
    collect_wiping(joined.nfkc(), joined.len())
}

/// Collect `chars` into a zeroizing buffer, growing it without leaving copies behind.
fn collect_wiping(chars: impl Iterator<Item = char>, hint: usize) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(hint + 16));
    for c in chars {
        push_wiping(&mut out, c);
    }
    out
}

impl std::str::FromStr for Normalization {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "spoken" => Ok(Normalization::Spoken),
            "exact" => Ok(Normalization::Exact),
            _ => Err(crate::Error::invalid(
                "normalization",
                format!("`{s}` is not `spoken` or `exact`"),
            )),
        }
    }
}

impl std::fmt::Display for Normalization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whitespace, punctuation, and the invisible format characters (zero-width spaces and joiners)
/// that a copy-paste can smuggle in: what the spoken normalization removes.
pub(crate) fn is_separator(c: char) -> bool {
    if c.is_whitespace() {
        return true;
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Punctuation
    ) || matches!(
        c.general_category(),
        unicode_properties::GeneralCategory::Format
    )
}

/// Push `c`, growing through a fresh zeroizing buffer so no reallocation leaves a copy behind.
fn push_wiping(buf: &mut Zeroizing<String>, c: char) {
    if buf.capacity() - buf.len() < c.len_utf8() {
        let mut bigger = Zeroizing::new(String::with_capacity(buf.capacity() * 2 + 16));
        bigger.push_str(buf);
        *buf = bigger;
    }
    buf.push(c);
}

/// Number of characters (Unicode scalar values) of a normalized code, for the length rule.
pub(crate) fn char_len(normalized: &str) -> usize {
    normalized.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spoken(s: &str) -> String {
        Normalization::Spoken.apply_str(s).to_string()
    }

    #[test]
    fn spec_example_matches() {
        assert_eq!(
            spoken("Purple monkey, dishwasher!"),
            spoken("purple monkey dishwasher")
        );
        assert_eq!(
            spoken("Purple monkey, dishwasher!"),
            "purplemonkeydishwasher"
        );
    }

    #[test]
    fn exact_keeps_case_and_spaces_but_applies_nfkc() {
        assert_eq!(
            Normalization::Exact.apply_str("Ｐurple Monkey").as_str(),
            "Purple Monkey"
        );
    }

    #[test]
    fn spoken_is_a_fixed_point_when_a_removed_separator_reorders_marks() {
        // U+00B8 CEDILLA is NFKC " \u{0327}": once the space is gone, the cedilla (combining
        // class 202) must move before the Adlam mark (class 230). Found by the property test.
        let once = spoken("\u{1E944}\u{00B8}");
        assert_eq!(once, "\u{0327}\u{1E944}");
        assert_eq!(spoken(&once), once);
        // A removed separator between a letter and a combining accent: they compose.
        let composed = spoken("e\u{00B4}");
        assert_eq!(composed, "\u{00E9}");
        assert_eq!(spoken(&composed), composed);
        for earlier_counterexample in ["\u{FB01}\u{00B4}", "\u{10EAB} \u{0A3C}"] {
            let once = spoken(earlier_counterexample);
            assert_eq!(
                spoken(&once),
                once,
                "{}",
                earlier_counterexample.escape_unicode()
            );
        }
        assert_eq!(spoken("\u{FB01}\u{00B4}"), "f\u{00ED}");
    }

    #[test]
    fn spoken_folds_greek_sigma_and_keeps_symbols() {
        assert_eq!(spoken("ΟΔΥΣΣΕΥΣ"), spoken("οδυσσευς"));
        assert_eq!(spoken("x² + y²"), "x2+y2");
        assert_eq!(spoken("\t\r\n \u{3000}\u{200B}"), "");
    }

    #[test]
    fn spoken_folds_case_fully() {
        assert_eq!(spoken("STRASSE"), spoken("straße"));
        assert_eq!(spoken("ﬁve\u{200B}bells"), "fivebells");
    }
}

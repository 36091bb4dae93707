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
        let mut nfkc = Zeroizing::new(String::with_capacity(code.len() + 16));
        for c in code.nfkc() {
            push_wiping(&mut nfkc, c);
        }
        match self {
            Normalization::Exact => nfkc,
            Normalization::Spoken => {
                let mut folded = Zeroizing::new(String::with_capacity(nfkc.len() + 16));
                for c in caseless::default_case_fold_str(&nfkc).chars() {
                    push_wiping(&mut folded, c);
                }
                // NFKC again so that the result is a fixed point (NFKC_Casefold-like), then
                // drop whitespace and punctuation.
                let mut out = Zeroizing::new(String::with_capacity(folded.len() + 16));
                for c in folded.nfkc() {
                    if !is_separator(c) {
                        push_wiping(&mut out, c);
                    }
                }
                out
            }
        }
    }
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
/// that a copy-paste can smuggle in.
fn is_separator(c: char) -> bool {
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
        assert_eq!(spoken("Purple monkey, dishwasher!"), "purplemonkeydishwasher");
    }

    #[test]
    fn exact_keeps_case_and_spaces_but_applies_nfkc() {
        assert_eq!(
            Normalization::Exact.apply_str("Ｐurple Monkey").as_str(),
            "Purple Monkey"
        );
    }

    #[test]
    fn spoken_folds_case_fully() {
        assert_eq!(spoken("STRASSE"), spoken("straße"));
        assert_eq!(spoken("ﬁve\u{200B}bells"), "fivebells");
    }
}

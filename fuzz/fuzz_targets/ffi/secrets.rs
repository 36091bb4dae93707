//! The oracle for secrets: no output of the library holds a security code's plaintext, unless
//! the same run gave that text to the library as something other than a code.

use crate::inputs::CODES;

thread_local! {
    /// Every non-code text given to the library in this run (names, emails, JSON, ...): a
    /// code's plaintext may come back in an output only if the input carried it as such text.
    static TEXTS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Record a non-code input of this run.
pub(crate) fn record_text(bytes: &[u8]) {
    TEXTS.with(|t| t.borrow_mut().extend_from_slice(bytes));
}

/// Forget the texts of the previous run.
pub(crate) fn clear() {
    TEXTS.with(|t| t.borrow_mut().clear());
}

/// An output must not hold a code's plaintext, unless a non-code input of this run held it.
pub(crate) fn assert_no_code(output: &str, what: &str) {
    for code in CODES.iter().take(4) {
        if output.contains(code) {
            let given =
                TEXTS.with(|t| t.borrow().windows(code.len()).any(|w| w == code.as_bytes()));
            assert!(given, "a code in {what}: {output}");
        }
    }
}

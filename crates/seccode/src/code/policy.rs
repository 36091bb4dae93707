//! STUB: replaced by the code policy module.

/// Why a new code was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Too short.
    TooShort,
}

impl Reason {
    /// Stable code.
    pub fn code(self) -> &'static str {
        "too_short"
    }
}

//! STUB: replaced by the permission tree module.

/// One of the four actions of the permission grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// See.
    View,
    /// Create.
    Create,
    /// Update.
    Update,
    /// Delete.
    Delete,
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::View => "View",
            Action::Create => "Create",
            Action::Update => "Update",
            Action::Delete => "Delete",
        })
    }
}

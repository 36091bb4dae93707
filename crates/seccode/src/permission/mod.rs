//! The permission tree (SPEC 4): which contact may do what on which resource of the portal.
//!
//! - [`Catalog`] (in `catalog.rs`): the tree of resources and the [`Action`]s that apply to
//!   each, in display order, with the tree rules in `tree.rs`, the name rules (and the one rule
//!   for finding a resource by name) in `names.rs`, and the [`Roles`] in `roles.rs`.
//!   [`Catalog::portal`] (in `portal.rs`) is the seed's default tree; other portals supply
//!   their own in the one JSON form of `json.rs`.
//! - [`ResourceId`] (in `resource.rs`): a handle to a resource, bound to the catalog that
//!   issued it (and to catalogs equal to it).
//! - [`Settings`] (in `settings.rs`): one contact's raw choices, a [`Setting`] (Inherit, Allow,
//!   Deny) per applicable cell.
//! - [`resolve`] and [`Grid`] (in `grid.rs`): the effective value of a cell. [`resolve`] is the
//!   plain reference walk from a resource up to the root; [`Grid::compile`] computes every cell
//!   in one pass and answers each question in constant time.
//! - [`render_grid`] and [`render_settings`] (in `render.rs`): the grid as the portal shows it.
//!
//! The rules:
//!
//! - The effective value of a cell is found by walking from the resource up to the root: the
//!   first explicit Allow or Deny wins, so an Allow on a child reopens a Deny on its parent.
//!   If nothing up to the root is explicit, the value is [`Effective::None`], which grants
//!   nothing. Only an effective Allow grants access.
//! - A cell whose action does not apply to its resource ("-") is *not applicable*: it cannot be
//!   set to Allow or Deny, and asking about it answers [`Effective::NotApplicable`], never Allow.
//!   An ancestor on which the action does not apply holds no setting for it, so the walk
//!   passes through it to the ancestors above.
//! - The primary contact is allowed everything ([`Grid::owner`]).
//!
//! ```
//! use seccode::{Action, Catalog, Effective, Grid, Setting, Settings};
//!
//! # fn main() -> seccode::Result<()> {
//! let catalog = Catalog::portal();
//! let contacts = catalog.require("Manage Contacts")?;
//! let mut settings = Settings::new(&catalog);
//! settings.set(&catalog, contacts, Action::View, Setting::Allow)?;
//! settings.set(&catalog, contacts, Action::Update, Setting::Allow)?;
//!
//! let grid = Grid::compile(&catalog, &settings);
//! assert!(grid.allows(contacts, Action::Update));
//! assert_eq!(grid.check(contacts, Action::Delete), Effective::None);
//! # Ok(())
//! # }
//! ```

mod catalog;
mod grid;
mod json;
mod names;
mod portal;
mod render;
mod resource;
mod roles;
mod settings;
mod tree;

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};

use crate::error::{Error, Result};

pub use catalog::{Catalog, Children};
pub use grid::{Cell, Grid, Origin, resolve};
pub use render::{GridRow, grid_rows, render_grid, render_settings, settings_rows};
pub use resource::ResourceId;
pub use roles::Roles;
pub use settings::Settings;

/// One of the four actions of the permission grid, in the grid's column order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// See the resource ("View" column).
    View,
    /// Create something under the resource ("Create" column).
    Create,
    /// Change the resource ("Update" column).
    Update,
    /// Delete the resource ("Delete" column).
    Delete,
}

impl Action {
    /// The four actions in column order: View, Create, Update, Delete.
    pub const ALL: [Action; 4] = [Action::View, Action::Create, Action::Update, Action::Delete];

    /// The column of this action, `0..4` in the order of [`Action::ALL`].
    pub const fn index(self) -> usize {
        match self {
            Action::View => 0,
            Action::Create => 1,
            Action::Update => 2,
            Action::Delete => 3,
        }
    }

    /// The name used in data: `view`, `create`, `update` or `delete`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::View => "view",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }

    /// The portal's column heading: `View`, `Create`, `Update` or `Delete`.
    pub const fn title(self) -> &'static str {
        match self {
            Action::View => "View",
            Action::Create => "Create",
            Action::Update => "Update",
            Action::Delete => "Delete",
        }
    }

    const fn bit(self) -> u8 {
        1 << self.index()
    }
}

impl fmt::Display for Action {
    /// The portal's column heading: `View`, `Create`, `Update` or `Delete`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

impl FromStr for Action {
    type Err = Error;

    /// Reads `view`, `create`, `update` or `delete`, in any letter case.
    fn from_str(s: &str) -> Result<Self> {
        Action::ALL
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                Error::invalid(
                    "action",
                    format!("{} is not view, create, update or delete", quoted(s)),
                )
            })
    }
}

/// A set of actions: the actions that apply to a resource.
///
/// Serialized as a list of lowercase action names in column order, e.g.
/// `["view", "update"]`. Displayed as the SPEC's tree shows it: `V - U -`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ActionSet(u8);

impl ActionSet {
    /// No action applies.
    pub const EMPTY: ActionSet = ActionSet(0);
    /// All four actions apply.
    pub const ALL: ActionSet = ActionSet(0b1111);

    /// The set holding exactly `actions`.
    pub const fn of(actions: &[Action]) -> ActionSet {
        let mut bits = 0u8;
        let mut rest = actions;
        while let [first, tail @ ..] = rest {
            bits |= first.bit();
            rest = tail;
        }
        ActionSet(bits)
    }

    /// This set with `action` added.
    #[must_use]
    pub const fn with(self, action: Action) -> ActionSet {
        ActionSet(self.0 | action.bit())
    }

    /// This set with `action` removed.
    #[must_use]
    pub const fn without(self, action: Action) -> ActionSet {
        ActionSet(self.0 & !action.bit())
    }

    /// Adds `action`; true when it was not in the set before.
    pub fn insert(&mut self, action: Action) -> bool {
        let fresh = !self.contains(action);
        self.0 |= action.bit();
        fresh
    }

    /// Whether `action` is in the set (applies to the resource).
    pub const fn contains(self, action: Action) -> bool {
        self.0 & action.bit() != 0
    }

    /// The number of actions in the set, `0..=4`.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether no action is in the set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The actions in the set, in column order.
    pub fn iter(self) -> ActionSetIter {
        self.into_iter()
    }

    /// The set as four bits: bit `i` is the action of [`Action::index`] `i` (View = 1,
    /// Create = 2, Update = 4, Delete = 8).
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// The set from [`ActionSet::bits`]; `None` when a bit above the fourth is set.
    pub const fn from_bits(bits: u8) -> Option<ActionSet> {
        if bits & !0b1111 == 0 {
            Some(ActionSet(bits))
        } else {
            None
        }
    }
}

impl FromIterator<Action> for ActionSet {
    fn from_iter<I: IntoIterator<Item = Action>>(iter: I) -> Self {
        iter.into_iter().fold(ActionSet::EMPTY, ActionSet::with)
    }
}

impl IntoIterator for ActionSet {
    type Item = Action;
    type IntoIter = ActionSetIter;

    fn into_iter(self) -> ActionSetIter {
        ActionSetIter { set: self, next: 0 }
    }
}

/// The actions of an [`ActionSet`], in column order.
#[derive(Debug, Clone)]
pub struct ActionSetIter {
    set: ActionSet,
    next: usize,
}

impl Iterator for ActionSetIter {
    type Item = Action;

    fn next(&mut self) -> Option<Action> {
        while let Some(action) = Action::ALL.get(self.next).copied() {
            self.next += 1;
            if self.set.contains(action) {
                return Some(action);
            }
        }
        None
    }
}

impl fmt::Debug for ActionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for ActionSet {
    /// One letter per column, `-` where the action does not apply: `V C U D`, `V - U -`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let letters = ["V", "C", "U", "D"];
        let mut first = true;
        for (action, letter) in Action::ALL.into_iter().zip(letters) {
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            f.write_str(if self.contains(action) { letter } else { "-" })?;
        }
        Ok(())
    }
}

impl serde::Serialize for ActionSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for action in self.iter() {
            seq.serialize_element(&action)?;
        }
        seq.end()
    }
}

impl<'de> serde::Deserialize<'de> for ActionSet {
    /// Reads a list of lowercase action names; a name listed twice is an error.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct SetVisitor;
        impl<'de> Visitor<'de> for SetVisitor {
            type Value = ActionSet;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of actions (view, create, update, delete)")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<ActionSet, A::Error> {
                let mut set = ActionSet::EMPTY;
                while let Some(action) = seq.next_element::<Action>()? {
                    if !set.insert(action) {
                        return Err(de::Error::custom(format!(
                            "duplicate action `{}`",
                            action.as_str()
                        )));
                    }
                }
                Ok(set)
            }
        }
        deserializer.deserialize_seq(SetVisitor)
    }
}

/// A contact's raw choice for one cell of the grid, as the portal's drop-down offers it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Setting {
    /// Take the value from the nearest ancestor that has an explicit setting. The default.
    #[default]
    Inherit,
    /// Explicitly allow.
    Allow,
    /// Explicitly deny.
    Deny,
}

impl Setting {
    /// The three settings, in drop-down order.
    pub const ALL: [Setting; 3] = [Setting::Inherit, Setting::Allow, Setting::Deny];

    /// The name used in data: `inherit`, `allow` or `deny`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Setting::Inherit => "inherit",
            Setting::Allow => "allow",
            Setting::Deny => "deny",
        }
    }

    /// The portal's label: `Inherit`, `Allow` or `Deny`.
    pub const fn title(self) -> &'static str {
        match self {
            Setting::Inherit => "Inherit",
            Setting::Allow => "Allow",
            Setting::Deny => "Deny",
        }
    }

    /// Whether this is an explicit Allow or Deny (not Inherit).
    pub const fn is_explicit(self) -> bool {
        !matches!(self, Setting::Inherit)
    }
}

impl fmt::Display for Setting {
    /// The portal's label: `Inherit`, `Allow` or `Deny`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

impl FromStr for Setting {
    type Err = Error;

    /// Reads `inherit`, `allow` or `deny`, in any letter case.
    fn from_str(s: &str) -> Result<Self> {
        Setting::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                Error::invalid(
                    "setting",
                    format!("{} is not inherit, allow or deny", quoted(s)),
                )
            })
    }
}

/// The effective value of a cell: what a contact may actually do.
///
/// Serialized as `allow`, `deny`, `none` or `not_applicable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effective {
    /// Granted.
    Allow,
    /// Refused by an explicit Deny.
    Deny,
    /// Nothing up to the root is explicit: grants nothing.
    None,
    /// The action does not apply to the resource ("-"): grants nothing.
    NotApplicable,
}

impl Effective {
    /// Whether this value grants access; only [`Effective::Allow`] does.
    pub const fn is_allow(self) -> bool {
        matches!(self, Effective::Allow)
    }

    /// The name used in data: `allow`, `deny`, `none` or `not_applicable`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Effective::Allow => "allow",
            Effective::Deny => "deny",
            Effective::None => "none",
            Effective::NotApplicable => "not_applicable",
        }
    }

    /// The portal's label: `Allow`, `Deny`, `None` or `-`.
    pub const fn title(self) -> &'static str {
        match self {
            Effective::Allow => "Allow",
            Effective::Deny => "Deny",
            Effective::None => "None",
            Effective::NotApplicable => "-",
        }
    }
}

impl fmt::Display for Effective {
    /// The portal's label: `Allow`, `Deny`, `None` or `-`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

impl FromStr for Effective {
    type Err = Error;

    /// Reads `allow`, `deny`, `none` or `not_applicable` (also `-`), in any letter case.
    fn from_str(s: &str) -> Result<Self> {
        [
            Effective::Allow,
            Effective::Deny,
            Effective::None,
            Effective::NotApplicable,
        ]
        .into_iter()
        .find(|v| v.as_str().eq_ignore_ascii_case(s) || v.title() == s)
        .ok_or_else(|| {
            Error::invalid(
                "effective value",
                format!("{} is not allow, deny, none or not_applicable", quoted(s)),
            )
        })
    }
}

/// User input for an error message: in backticks, control characters escaped, cut after
/// 64 characters.
pub(crate) fn quoted(s: &str) -> String {
    const MAX: usize = 64;
    let mut out = String::with_capacity(s.len().min(4 * MAX) + 2);
    out.push('`');
    for (i, c) in s.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c == '`' {
            out.push_str("\\`");
        } else if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

/// Picks the entry of a per-action array for `action`, without indexing.
pub(crate) fn pick<T>(row: &[T; 4], action: Action) -> &T {
    let [view, create, update, delete] = row;
    match action {
        Action::View => view,
        Action::Create => create,
        Action::Update => update,
        Action::Delete => delete,
    }
}

/// Mutable [`pick`].
pub(crate) fn pick_mut<T>(row: &mut [T; 4], action: Action) -> &mut T {
    let [view, create, update, delete] = row;
    match action {
        Action::View => view,
        Action::Create => create,
        Action::Update => update,
        Action::Delete => delete,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn action_index_matches_all_order() {
        for (i, a) in Action::ALL.into_iter().enumerate() {
            assert_eq!(a.index(), i);
        }
    }

    #[test]
    fn action_names_round_trip() {
        for a in Action::ALL {
            assert_eq!(a.as_str().parse::<Action>().unwrap(), a);
            assert_eq!(a.to_string().parse::<Action>().unwrap(), a);
            assert_eq!(a.as_str().to_uppercase().parse::<Action>().unwrap(), a);
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.as_str()));
        }
        assert_eq!(Action::View.to_string(), "View");
        assert_eq!(Action::Delete.as_str(), "delete");
    }

    #[test]
    fn action_parse_rejects_unknown() {
        let err = "execute".parse::<Action>().unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidInput {
                field: "action",
                ..
            }
        ));
        assert_eq!(
            err.to_string(),
            "invalid action: `execute` is not view, create, update or delete"
        );
        assert!("".parse::<Action>().is_err());
        assert!(" view".parse::<Action>().is_err());
    }

    #[test]
    fn action_set_basics() {
        let set = ActionSet::of(&[Action::View, Action::Update]);
        assert!(set.contains(Action::View));
        assert!(!set.contains(Action::Create));
        assert_eq!(set.len(), 2);
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [Action::View, Action::Update]
        );
        assert_eq!(set.into_iter().count(), 2);
        assert_eq!(set.to_string(), "V - U -");
        assert_eq!(ActionSet::ALL.to_string(), "V C U D");
        assert_eq!(ActionSet::EMPTY.to_string(), "- - - -");
        assert!(ActionSet::EMPTY.is_empty());
        assert_eq!(ActionSet::ALL.len(), 4);
        assert_eq!(set.without(Action::View), ActionSet::of(&[Action::Update]));
        assert_eq!(
            [Action::Delete, Action::View]
                .into_iter()
                .collect::<ActionSet>(),
            ActionSet::of(&[Action::View, Action::Delete])
        );
        assert_eq!(ActionSet::from_bits(0b0101), Some(set));
        assert_eq!(ActionSet::from_bits(0b1_0000), None);
        assert_eq!(format!("{set:?}"), "{View, Update}");
    }

    #[test]
    fn action_set_serde() {
        let set = ActionSet::of(&[Action::Update, Action::View]);
        assert_eq!(serde_json::to_string(&set).unwrap(), r#"["view","update"]"#);
        let back: ActionSet = serde_json::from_str(r#"["update","view"]"#).unwrap();
        assert_eq!(back, set);
        assert!(serde_json::from_str::<ActionSet>(r#"["view","view"]"#).is_err());
        assert!(serde_json::from_str::<ActionSet>(r#"["run"]"#).is_err());
        assert_eq!(
            serde_json::from_str::<ActionSet>("[]").unwrap(),
            ActionSet::EMPTY
        );
    }

    #[test]
    fn setting_names() {
        assert_eq!(Setting::default(), Setting::Inherit);
        for s in Setting::ALL {
            assert_eq!(s.as_str().parse::<Setting>().unwrap(), s);
            assert_eq!(s.to_string().parse::<Setting>().unwrap(), s);
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert_eq!("ALLOW".parse::<Setting>().unwrap(), Setting::Allow);
        assert_eq!(Setting::Deny.to_string(), "Deny");
        let err = "maybe".parse::<Setting>().unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidInput {
                field: "setting",
                ..
            }
        ));
        assert!(!Setting::Inherit.is_explicit());
        assert!(Setting::Allow.is_explicit());
    }

    #[test]
    fn effective_labels() {
        assert_eq!(Effective::Allow.to_string(), "Allow");
        assert_eq!(Effective::Deny.to_string(), "Deny");
        assert_eq!(Effective::None.to_string(), "None");
        assert_eq!(Effective::NotApplicable.to_string(), "-");
        assert!(Effective::Allow.is_allow());
        assert!(!Effective::Deny.is_allow());
        assert!(!Effective::None.is_allow());
        assert!(!Effective::NotApplicable.is_allow());
        assert_eq!(
            serde_json::to_string(&Effective::NotApplicable).unwrap(),
            "\"not_applicable\""
        );
        assert_eq!("-".parse::<Effective>().unwrap(), Effective::NotApplicable);
        assert_eq!("NONE".parse::<Effective>().unwrap(), Effective::None);
    }

    #[test]
    fn quoted_escapes_and_truncates() {
        assert_eq!(quoted("a\nb"), "`a\\nb`");
        assert_eq!(quoted("a`b"), "`a\\`b`");
        assert_eq!(quoted("支持"), "`支持`");
        let long = "x".repeat(100);
        let q = quoted(&long);
        assert!(q.ends_with("…`"));
        assert_eq!(q.chars().count(), 64 + 3);
    }
}

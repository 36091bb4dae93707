//! The catalog: the tree of resources and the actions that apply to each (SPEC 4).
//!
//! # JSON shape
//!
//! A catalog is read from, and written as, this JSON object:
//!
//! ```json
//! {
//!   "resources": [
//!     { "name": "Client Portal", "actions": ["view", "create", "update", "delete"],
//!       "children": [
//!         { "name": "Client Profile", "actions": ["view", "create", "update", "delete"],
//!           "children": [
//!             { "name": "Change Password", "actions": ["view", "update"] } ] } ] }
//!   ],
//!   "roles": { "profile": "Profile", "manage_contacts": "Manage Contacts",
//!              "billing": "Billing & Services" }
//! }
//! ```
//!
//! - `resources` lists the resources. Each entry has a `name`, its applicable `actions`
//!   (required; any of `view`, `create`, `update`, `delete` in any letter case, each at most
//!   once; an empty list makes a grouping resource with no applicable cell), and either
//!   nested `children` or, in the *flat form*, the name of its `parent`. Both forms may be
//!   mixed: a top-level entry without `parent` is a root, a top-level entry with `parent`
//!   hangs under the resource of that name, and a nested child belongs to its enclosing entry
//!   (it must not name a `parent` as well). Unknown keys are refused.
//! - Display order is depth-first: a resource, then its children (and their subtrees) in the
//!   order the children appear in the document, read from top to bottom.
//! - `roles` (optional) names the resources whose cells grant the rights of SPEC 3:
//!   `profile` (the account-wide code), `manage_contacts` (contacts and their codes) and
//!   `billing` (requests that may cost money). When `roles` is absent, each role is the
//!   resource named "Profile", "Manage Contacts" or "Billing & Services" if the catalog has
//!   one. When `roles` is present it is taken as written: a role that is missing or `null`
//!   has no resource, which leaves that right to the primary contact alone.
//!
//! A valid catalog has exactly one root, at most [`Catalog::MAX_RESOURCES`] resources, no
//! resource deeper than [`Catalog::MAX_DEPTH`] (the root has depth 0), and unique names of 1
//! to [`Catalog::MAX_NAME_CHARS`] characters, without control characters and without leading
//! or trailing whitespace. In the flat form every `parent` must name a resource of the catalog
//! and parents must not form a cycle. Every violation is [`Error::InvalidCatalog`] naming the
//! offending resource. The JSON reader refuses documents nested more than 128 levels deep, so
//! the nested form reaches about depth 62; the flat form reaches the full depth.
//!
//! [`Catalog::to_json`] (and `Serialize`) writes the flat form, one entry per resource in
//! display order, with all three roles (`null` for a role without resource):
//! `{"resources":[{"name":"Client Portal","actions":["view",...]},{"name":"Client Profile",
//! "parent":"Client Portal","actions":[...]},...],"roles":{...}}`. The flat form keeps the
//! document's nesting constant however deep the tree is.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Action, ActionSet, quoted};
use crate::error::{Error, Result};

/// A handle to a resource of one [`Catalog`]: its position in display order.
///
/// A handle is only meaningful with the catalog that issued it. Every lookup with a handle
/// that is out of range for the catalog at hand answers "not applicable" or nothing; none
/// panics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId(u16);

impl ResourceId {
    /// The position of the resource in its catalog's display order, `0..catalog.len()`.
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// The handle at `index`; out-of-range values become a handle that no catalog holds.
    pub(crate) fn from_index(index: usize) -> ResourceId {
        ResourceId(u16::try_from(index).unwrap_or(u16::MAX))
    }
}

/// The resources whose cells grant the rights of SPEC 3. `None`: no resource grants the
/// right, only the primary contact has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Roles {
    /// `Profile / View` lets a contact use the account-wide code, `Profile / Update` set it.
    pub profile: Option<ResourceId>,
    /// `Manage Contacts / View`, `Update`, `Create`, `Delete`: the contacts and their codes.
    pub manage_contacts: Option<ResourceId>,
    /// `Billing & Services / Update`: requests that may add cost.
    pub billing: Option<ResourceId>,
}

impl Roles {
    /// The default name of the profile role's resource.
    pub const PROFILE: &'static str = "Profile";
    /// The default name of the contact-management role's resource.
    pub const MANAGE_CONTACTS: &'static str = "Manage Contacts";
    /// The default name of the billing role's resource.
    pub const BILLING: &'static str = "Billing & Services";
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    name: String,
    parent: Option<ResourceId>,
    actions: ActionSet,
    depth: usize,
    /// One past the last resource of this resource's subtree (display order is depth-first,
    /// so a subtree is a contiguous range).
    end: usize,
}

/// A tree of resources, each with the actions that apply to it, in display order.
///
/// Built by [`Catalog::portal`] (the seed's default), [`Catalog::from_json`] or serde; always
/// valid (see the module documentation for the rules and the JSON shape). Immutable once
/// built.
#[derive(Clone, PartialEq, Eq)]
pub struct Catalog {
    nodes: Vec<Node>,
    by_name: HashMap<String, ResourceId>,
    roles: Roles,
}

const VCUD: ActionSet = ActionSet::ALL;
const VU: ActionSet = ActionSet::of(&[Action::View, Action::Update]);
const V: ActionSet = ActionSet::of(&[Action::View]);

/// The seed's catalog (SPEC 4): name, depth, applicable actions, in display order.
const PORTAL: [(&str, usize, ActionSet); 13] = [
    ("Client Portal", 0, VCUD),
    ("Client Profile", 1, VCUD),
    ("Profile", 2, VCUD),
    ("Payment Methods", 2, VCUD),
    ("Change Password", 2, VU),
    ("Manage Contacts", 2, VCUD),
    ("Manage Contact Facility Access", 2, VCUD),
    ("Billing & Services", 1, VCUD),
    ("Reports", 1, VCUD),
    ("Domain Management", 1, VCUD),
    ("Support", 1, VCUD),
    ("Website", 1, V),
    ("Client Preferences", 1, VCUD),
];

/// A resource before assembly: its name, its parent's position (always before its own) and
/// its actions.
struct Ordered {
    name: String,
    parent: Option<usize>,
    actions: ActionSet,
}

impl Catalog {
    /// The most resources a catalog may hold.
    pub const MAX_RESOURCES: usize = 4096;
    /// The deepest a resource may sit; the root has depth 0.
    pub const MAX_DEPTH: usize = 64;
    /// The longest a resource name may be, in characters.
    pub const MAX_NAME_CHARS: usize = 128;

    /// The seed portal's catalog, exactly as SPEC 4 shows it: 13 resources under
    /// "Client Portal"; "Change Password" has View and Update only, "Website" View only.
    /// Its roles are "Profile", "Manage Contacts" and "Billing & Services".
    pub fn portal() -> Catalog {
        let mut stack: Vec<usize> = Vec::new();
        let mut ordered = Vec::with_capacity(PORTAL.len());
        for (i, (name, depth, actions)) in PORTAL.into_iter().enumerate() {
            stack.truncate(depth);
            ordered.push(Ordered {
                name: name.to_owned(),
                parent: stack.last().copied(),
                actions,
            });
            stack.push(i);
        }
        let (nodes, by_name) = assemble(ordered);
        let roles = default_roles(&by_name);
        Catalog {
            nodes,
            by_name,
            roles,
        }
    }

    /// Reads a catalog from JSON (the shape of the module documentation) and validates it.
    ///
    /// ```
    /// use seccode::{Action, Catalog};
    ///
    /// # fn main() -> seccode::Result<()> {
    /// let catalog = Catalog::from_json(
    ///     r#"{"resources":[{"name":"Store","actions":["view","update"],"children":[
    ///           {"name":"Orders","actions":["view"]}]}]}"#,
    /// )?;
    /// let orders = catalog.require("Orders")?;
    /// assert_eq!(catalog.parent(orders), Some(catalog.root()));
    /// assert!(!catalog.applies(orders, Action::Update));
    /// assert_eq!(Catalog::from_json(&catalog.to_json()?)?, catalog);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCatalog`] when the text is not such a document or the tree breaks a
    /// rule; the message names the offending resource.
    pub fn from_json(json: &str) -> Result<Catalog> {
        let doc: CatalogDoc = serde_json::from_str(json)
            .map_err(|e| Error::InvalidCatalog(crate::error::json_message(&e)))?;
        Catalog::from_doc(doc)
    }

    /// Writes the catalog as JSON, in the flat form (one entry per resource in display order,
    /// each naming its parent), with all three roles. [`Catalog::from_json`] reads it back
    /// into an equal catalog.
    ///
    /// # Errors
    ///
    /// [`Error::Internal`] if the JSON writer fails (it does not for a valid catalog).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(&self.to_doc()).map_err(|e| Error::Internal(e.to_string()))
    }

    /// The number of resources (at least 1).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Always false: a catalog has at least its root.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The root resource (the first in display order).
    pub fn root(&self) -> ResourceId {
        ResourceId(0)
    }

    /// Whether `id` is a handle of this catalog (in range).
    pub fn contains(&self, id: ResourceId) -> bool {
        id.index() < self.nodes.len()
    }

    /// The resource named exactly `name` (case and spaces count).
    pub fn resource(&self, name: &str) -> Option<ResourceId> {
        self.by_name.get(name).copied()
    }

    /// The resource named exactly `name`.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownResource`] when the catalog has no resource of that name.
    pub fn require(&self, name: &str) -> Result<ResourceId> {
        self.resource(name)
            .ok_or_else(|| Error::UnknownResource(name.to_owned()))
    }

    /// The resource at `index` in display order, if the catalog has that many.
    pub fn id_at(&self, index: usize) -> Option<ResourceId> {
        (index < self.nodes.len()).then(|| ResourceId::from_index(index))
    }

    fn node(&self, id: ResourceId) -> Option<&Node> {
        self.nodes.get(id.index())
    }

    /// The resource's name; `""` for a handle this catalog does not hold.
    pub fn name(&self, id: ResourceId) -> &str {
        self.node(id).map_or("", |n| n.name.as_str())
    }

    /// The resource's parent; `None` for the root and for a handle this catalog does not hold.
    pub fn parent(&self, id: ResourceId) -> Option<ResourceId> {
        self.node(id).and_then(|n| n.parent)
    }

    /// The actions that apply to the resource; empty for a handle this catalog does not hold.
    pub fn actions(&self, id: ResourceId) -> ActionSet {
        self.node(id).map_or(ActionSet::EMPTY, |n| n.actions)
    }

    /// Whether `action` applies to the resource (false for a foreign handle).
    pub fn applies(&self, id: ResourceId, action: Action) -> bool {
        self.actions(id).contains(action)
    }

    /// How deep the resource sits: 0 for the root (and for a handle this catalog does not
    /// hold), 1 for its children, and so on.
    pub fn depth(&self, id: ResourceId) -> usize {
        self.node(id).map_or(0, |n| n.depth)
    }

    /// Every resource, in display order (depth-first, parents before children).
    pub fn resources(&self) -> impl ExactSizeIterator<Item = ResourceId> + DoubleEndedIterator {
        (0..self.nodes.len()).map(ResourceId::from_index)
    }

    /// The resource's direct children, in display order (none for a foreign handle).
    pub fn children(&self, id: ResourceId) -> Children<'_> {
        let (next, end) = self
            .node(id)
            .map_or((0, 0), |n| (id.index().saturating_add(1), n.end));
        Children {
            catalog: self,
            next,
            end,
        }
    }

    /// The resource itself, then its parent, up to the root (nothing for a foreign handle).
    pub fn ancestors(&self, id: ResourceId) -> impl Iterator<Item = ResourceId> + '_ {
        std::iter::successors(self.contains(id).then_some(id), move |r| self.parent(*r))
    }

    /// Whether `id` is `ancestor` or lies below it. False when either handle is foreign.
    pub fn is_within(&self, id: ResourceId, ancestor: ResourceId) -> bool {
        match (self.node(id), self.node(ancestor)) {
            (Some(_), Some(a)) => ancestor.index() <= id.index() && id.index() < a.end,
            _ => false,
        }
    }

    /// The resources whose cells grant the rights of SPEC 3.
    pub fn roles(&self) -> Roles {
        self.roles
    }

    fn from_doc(doc: CatalogDoc) -> Result<Catalog> {
        let flat = flatten(doc.resources)?;
        let ordered = order(flat)?;
        let (nodes, by_name) = assemble(ordered);
        let roles = match doc.roles {
            None => default_roles(&by_name),
            Some(r) => Roles {
                profile: role(&by_name, "profile", r.profile.as_deref())?,
                manage_contacts: role(&by_name, "manage_contacts", r.manage_contacts.as_deref())?,
                billing: role(&by_name, "billing", r.billing.as_deref())?,
            },
        };
        Ok(Catalog {
            nodes,
            by_name,
            roles,
        })
    }

    fn to_doc(&self) -> CatalogDoc {
        let resources = self
            .nodes
            .iter()
            .map(|n| EntryDoc {
                name: n.name.clone(),
                parent: n.parent.map(|p| self.name(p).to_owned()),
                actions: n.actions.iter().map(|a| a.as_str().to_owned()).collect(),
                children: Vec::new(),
            })
            .collect();
        let name_of = |r: Option<ResourceId>| r.map(|id| self.name(id).to_owned());
        CatalogDoc {
            resources,
            roles: Some(RolesDoc {
                profile: name_of(self.roles.profile),
                manage_contacts: name_of(self.roles.manage_contacts),
                billing: name_of(self.roles.billing),
            }),
        }
    }
}

impl Default for Catalog {
    /// [`Catalog::portal`].
    fn default() -> Self {
        Catalog::portal()
    }
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Entry<'a>(&'a Node);
        impl fmt::Debug for Entry<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    f,
                    "{:indent$}{} [{}]",
                    "",
                    self.0.name,
                    self.0.actions,
                    indent = 2 * self.0.depth
                )
            }
        }
        f.debug_struct("Catalog")
            .field(
                "resources",
                &self.nodes.iter().map(Entry).collect::<Vec<_>>(),
            )
            .field("roles", &self.roles)
            .finish()
    }
}

impl FromStr for Catalog {
    type Err = Error;

    /// [`Catalog::from_json`].
    fn from_str(s: &str) -> Result<Self> {
        Catalog::from_json(s)
    }
}

impl Serialize for Catalog {
    /// The flat form of [`Catalog::to_json`].
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.to_doc().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Catalog {
    /// Either form of the module documentation, validated like [`Catalog::from_json`].
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let doc = CatalogDoc::deserialize(deserializer)?;
        Catalog::from_doc(doc).map_err(serde::de::Error::custom)
    }
}

/// The direct children of a resource, in display order.
#[derive(Debug, Clone)]
pub struct Children<'a> {
    catalog: &'a Catalog,
    next: usize,
    end: usize,
}

impl Iterator for Children<'_> {
    type Item = ResourceId;

    fn next(&mut self) -> Option<ResourceId> {
        if self.next >= self.end {
            return None;
        }
        let node = self.catalog.nodes.get(self.next)?;
        let id = ResourceId::from_index(self.next);
        // Skip this child's subtree; `end` is always past the node itself.
        self.next = node.end.max(self.next.saturating_add(1));
        Some(id)
    }
}

// ---------------------------------------------------------------------------------------
// JSON documents and validation.

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogDoc {
    resources: Vec<EntryDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    roles: Option<RolesDoc>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryDoc {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
    actions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    children: Vec<EntryDoc>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RolesDoc {
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    manage_contacts: Option<String>,
    #[serde(default)]
    billing: Option<String>,
}

/// Where a flattened entry's parent comes from.
enum ParentRef {
    Root,
    Named(String),
    Enclosing(usize),
}

/// An entry of the document, in input order, before the tree is checked.
struct Flat {
    name: String,
    parent: ParentRef,
    actions: ActionSet,
}

fn invalid(message: String) -> Error {
    Error::InvalidCatalog(message)
}

/// Lists every entry of the document, nested ones right after their enclosing entry, and
/// checks names and actions.
fn flatten(resources: Vec<EntryDoc>) -> Result<Vec<Flat>> {
    let mut flat: Vec<Flat> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    // Entries still to visit, with the position of their enclosing entry; reversed so that
    // popping yields input order.
    let mut stack: Vec<(EntryDoc, Option<usize>)> =
        resources.into_iter().rev().map(|e| (e, None)).collect();
    while let Some((entry, enclosing)) = stack.pop() {
        if flat.len() >= Catalog::MAX_RESOURCES {
            return Err(invalid(format!(
                "more than {} resources",
                Catalog::MAX_RESOURCES
            )));
        }
        check_name(&entry.name, flat.len())?;
        if by_name.contains_key(&entry.name) {
            return Err(invalid(format!(
                "duplicate resource {}",
                quoted(&entry.name)
            )));
        }
        let parent = match (enclosing, entry.parent) {
            (Some(_), Some(named)) => {
                return Err(invalid(format!(
                    "resource {} names parent {} but is nested in another resource",
                    quoted(&entry.name),
                    quoted(&named)
                )));
            }
            (Some(i), None) => ParentRef::Enclosing(i),
            (None, Some(named)) => ParentRef::Named(named),
            (None, None) => ParentRef::Root,
        };
        let mut actions = ActionSet::EMPTY;
        for raw in &entry.actions {
            let action = Action::from_str(raw).map_err(|_| {
                invalid(format!(
                    "resource {} has unknown action {}",
                    quoted(&entry.name),
                    quoted(raw)
                ))
            })?;
            if !actions.insert(action) {
                return Err(invalid(format!(
                    "resource {} lists action `{}` twice",
                    quoted(&entry.name),
                    action.as_str()
                )));
            }
        }
        let position = flat.len();
        by_name.insert(entry.name.clone(), position);
        stack.extend(
            entry
                .children
                .into_iter()
                .rev()
                .map(|child| (child, Some(position))),
        );
        flat.push(Flat {
            name: entry.name,
            parent,
            actions,
        });
    }
    Ok(flat)
}

fn check_name(name: &str, position: usize) -> Result<()> {
    if name.is_empty() {
        return Err(invalid(format!(
            "resource `` (entry {}) has an empty name",
            position.saturating_add(1)
        )));
    }
    if name.chars().count() > Catalog::MAX_NAME_CHARS {
        return Err(invalid(format!(
            "resource name {} is longer than {} characters",
            quoted(name),
            Catalog::MAX_NAME_CHARS
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid(format!(
            "resource name {} contains a control character",
            quoted(name)
        )));
    }
    if name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace) {
        return Err(invalid(format!(
            "resource name {} starts or ends with whitespace",
            quoted(name)
        )));
    }
    Ok(())
}

/// Resolves parents, checks the tree (one root, no missing parent, no cycle, depth) and puts
/// the entries in display order.
fn order(flat: Vec<Flat>) -> Result<Vec<Ordered>> {
    if flat.is_empty() {
        return Err(invalid("the catalog has no resources".to_owned()));
    }
    let position: HashMap<&str, usize> = flat
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), i))
        .collect();
    let mut parent_of: Vec<Option<usize>> = Vec::with_capacity(flat.len());
    let mut roots: Vec<usize> = Vec::new();
    for (i, f) in flat.iter().enumerate() {
        let parent = match &f.parent {
            ParentRef::Root => {
                roots.push(i);
                None
            }
            ParentRef::Enclosing(p) => Some(*p),
            ParentRef::Named(name) => match position.get(name.as_str()) {
                Some(p) => Some(*p),
                None => {
                    return Err(invalid(format!(
                        "resource {} names unknown parent {}",
                        quoted(&f.name),
                        quoted(name)
                    )));
                }
            },
        };
        parent_of.push(parent);
    }
    let name_at = |i: usize| flat.get(i).map_or("", |f| f.name.as_str());
    let root = match roots.as_slice() {
        [root] => *root,
        [first, second, ..] => {
            return Err(invalid(format!(
                "more than one root resource: {} and {}",
                quoted(name_at(*first)),
                quoted(name_at(*second))
            )));
        }
        [] => {
            let on_cycle = cycle_member(&parent_of, 0);
            return Err(invalid(format!(
                "resource {} is part of a parent cycle (the catalog has no root)",
                quoted(name_at(on_cycle))
            )));
        }
    };

    // Children in input order.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); flat.len()];
    for (i, parent) in parent_of.iter().enumerate() {
        if let Some(list) = parent.and_then(|p| children.get_mut(p)) {
            list.push(i);
        }
    }

    // Depth-first walk from the root, with an explicit stack.
    let mut placed: Vec<Option<usize>> = vec![None; flat.len()];
    let mut sequence: Vec<(usize, usize)> = Vec::with_capacity(flat.len());
    let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
    while let Some((i, depth)) = stack.pop() {
        if depth > Catalog::MAX_DEPTH {
            return Err(invalid(format!(
                "resource {} is nested deeper than {} levels",
                quoted(name_at(i)),
                Catalog::MAX_DEPTH
            )));
        }
        if let Some(slot) = placed.get_mut(i) {
            *slot = Some(sequence.len());
        }
        sequence.push((i, depth));
        if let Some(list) = children.get(i) {
            stack.extend(list.iter().rev().map(|c| (*c, depth.saturating_add(1))));
        }
    }
    if let Some(unreached) = placed.iter().position(Option::is_none) {
        let on_cycle = cycle_member(&parent_of, unreached);
        return Err(invalid(format!(
            "resource {} is part of a parent cycle",
            quoted(name_at(on_cycle))
        )));
    }

    let mut slots: Vec<Option<Flat>> = flat.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(sequence.len());
    for (i, _) in sequence {
        let parent = parent_of
            .get(i)
            .copied()
            .flatten()
            .and_then(|p| placed.get(p).copied().flatten());
        if let Some(f) = slots.get_mut(i).and_then(Option::take) {
            ordered.push(Ordered {
                name: f.name,
                parent,
                actions: f.actions,
            });
        }
    }
    Ok(ordered)
}

/// Follows parents from `start` until a resource repeats, and returns that resource (it lies
/// on a cycle). Only called when `start` is not connected to the root.
fn cycle_member(parent_of: &[Option<usize>], start: usize) -> usize {
    let mut seen = vec![false; parent_of.len()];
    let mut at = start;
    loop {
        match seen.get_mut(at) {
            Some(true) | None => return at,
            Some(flag) => *flag = true,
        }
        match parent_of.get(at).copied().flatten() {
            Some(p) => at = p,
            None => return at,
        }
    }
}

/// Builds the nodes from entries in display order (each parent before its children).
fn assemble(ordered: Vec<Ordered>) -> (Vec<Node>, HashMap<String, ResourceId>) {
    let mut nodes: Vec<Node> = Vec::with_capacity(ordered.len());
    let mut by_name = HashMap::with_capacity(ordered.len());
    for (i, entry) in ordered.into_iter().enumerate() {
        let depth = entry
            .parent
            .and_then(|p| nodes.get(p))
            .map_or(0, |p| p.depth.saturating_add(1));
        by_name.insert(entry.name.clone(), ResourceId::from_index(i));
        nodes.push(Node {
            name: entry.name,
            parent: entry.parent.map(ResourceId::from_index),
            actions: entry.actions,
            depth,
            end: i.saturating_add(1),
        });
    }
    // A subtree ends where the last subtree of its children ends; children come after their
    // parent, so one backward pass finishes each child before its parent.
    for i in (0..nodes.len()).rev() {
        let Some((end, parent)) = nodes.get(i).map(|n| (n.end, n.parent)) else {
            continue;
        };
        if let Some(p) = parent.and_then(|p| nodes.get_mut(p.index())) {
            p.end = p.end.max(end);
        }
    }
    (nodes, by_name)
}

fn default_roles(by_name: &HashMap<String, ResourceId>) -> Roles {
    Roles {
        profile: by_name.get(Roles::PROFILE).copied(),
        manage_contacts: by_name.get(Roles::MANAGE_CONTACTS).copied(),
        billing: by_name.get(Roles::BILLING).copied(),
    }
}

fn role(
    by_name: &HashMap<String, ResourceId>,
    role: &str,
    name: Option<&str>,
) -> Result<Option<ResourceId>> {
    match name {
        None => Ok(None),
        Some(name) => by_name.get(name).copied().map(Some).ok_or_else(|| {
            invalid(format!(
                "role `{role}` names unknown resource {}",
                quoted(name)
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )]

    use super::*;

    fn err(json: &str) -> String {
        match Catalog::from_json(json) {
            Err(Error::InvalidCatalog(m)) => m,
            other => panic!("expected InvalidCatalog, got {other:?}"),
        }
    }

    #[test]
    fn portal_matches_spec() {
        let c = Catalog::portal();
        assert_eq!(c.len(), 13);
        let names: Vec<&str> = c.resources().map(|r| c.name(r)).collect();
        assert_eq!(
            names,
            [
                "Client Portal",
                "Client Profile",
                "Profile",
                "Payment Methods",
                "Change Password",
                "Manage Contacts",
                "Manage Contact Facility Access",
                "Billing & Services",
                "Reports",
                "Domain Management",
                "Support",
                "Website",
                "Client Preferences",
            ]
        );
        let root = c.root();
        assert_eq!(c.name(root), "Client Portal");
        assert_eq!(c.parent(root), None);
        let profile = c.require("Client Profile").unwrap();
        assert_eq!(c.parent(profile), Some(root));
        assert_eq!(c.depth(profile), 1);
        let pw = c.require("Change Password").unwrap();
        assert_eq!(c.parent(pw), Some(profile));
        assert_eq!(c.depth(pw), 2);
        assert_eq!(
            c.actions(pw),
            ActionSet::of(&[Action::View, Action::Update])
        );
        let web = c.require("Website").unwrap();
        assert_eq!(c.actions(web), ActionSet::of(&[Action::View]));
        assert_eq!(c.parent(web), Some(root));
        let top: Vec<&str> = c.children(root).map(|r| c.name(r)).collect();
        assert_eq!(
            top,
            [
                "Client Profile",
                "Billing & Services",
                "Reports",
                "Domain Management",
                "Support",
                "Website",
                "Client Preferences"
            ]
        );
        assert_eq!(c.children(profile).count(), 5);
        assert_eq!(c.children(pw).count(), 0);
        let roles = c.roles();
        assert_eq!(roles.profile, c.resource("Profile"));
        assert_eq!(roles.manage_contacts, c.resource("Manage Contacts"));
        assert_eq!(roles.billing, c.resource("Billing & Services"));
        assert!(roles.profile.is_some() && roles.billing.is_some());
        assert_eq!(Catalog::default(), c);
    }

    #[test]
    fn lookups_are_exact() {
        let c = Catalog::portal();
        assert!(c.resource("profile").is_none());
        assert!(c.resource("Profile ").is_none());
        assert!(matches!(
            c.require("Nope"),
            Err(Error::UnknownResource(n)) if n == "Nope"
        ));
    }

    #[test]
    fn foreign_handles_never_panic() {
        let c = Catalog::portal();
        let foreign = ResourceId::from_index(13);
        assert!(!c.contains(foreign));
        assert_eq!(c.name(foreign), "");
        assert_eq!(c.parent(foreign), None);
        assert_eq!(c.actions(foreign), ActionSet::EMPTY);
        assert_eq!(c.depth(foreign), 0);
        assert_eq!(c.children(foreign).count(), 0);
        assert_eq!(c.ancestors(foreign).count(), 0);
        assert!(!c.is_within(foreign, c.root()));
        assert_eq!(c.id_at(13), None);
        assert_eq!(c.id_at(12).map(|r| c.name(r)), Some("Client Preferences"));
    }

    #[test]
    fn ancestors_and_subtrees() {
        let c = Catalog::portal();
        let mc = c.require("Manage Contacts").unwrap();
        let names: Vec<&str> = c.ancestors(mc).map(|r| c.name(r)).collect();
        assert_eq!(
            names,
            ["Manage Contacts", "Client Profile", "Client Portal"]
        );
        let cp = c.require("Client Profile").unwrap();
        assert!(c.is_within(mc, cp));
        assert!(c.is_within(mc, mc));
        assert!(!c.is_within(cp, mc));
        assert!(!c.is_within(c.require("Reports").unwrap(), cp));
    }

    #[test]
    fn json_round_trip_portal() {
        let c = Catalog::portal();
        let json = c.to_json().unwrap();
        assert!(json.starts_with(
            r#"{"resources":[{"name":"Client Portal","actions":["view","create","update","delete"]},{"name":"Client Profile","parent":"Client Portal","#
        ));
        assert!(json.contains(
            r#"{"name":"Change Password","parent":"Client Profile","actions":["view","update"]}"#
        ));
        assert!(json.ends_with(
            r#""roles":{"profile":"Profile","manage_contacts":"Manage Contacts","billing":"Billing & Services"}}"#
        ));
        assert_eq!(Catalog::from_json(&json).unwrap(), c);
        let via_serde: Catalog = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(via_serde, c);
    }

    #[test]
    fn nested_form_and_flat_form_agree() {
        let nested = r#"{"resources":[{"name":"Store","actions":["view","create","update","delete"],
            "children":[{"name":"Orders","actions":["View","update"],
                         "children":[{"name":"Refunds","actions":["view","create","update","delete"]}]},
                        {"name":"Catalog","actions":["view"]}]}]}"#;
        let flat = r#"{"resources":[
            {"name":"Refunds","parent":"Orders","actions":["view","create","update","delete"]},
            {"name":"Catalog","parent":"Store","actions":["view"]},
            {"name":"Store","actions":["view","create","update","delete"]},
            {"name":"Orders","parent":"Store","actions":["update","view"]}]}"#;
        let a = Catalog::from_json(nested).unwrap();
        let b = Catalog::from_json(flat).unwrap();
        let names: Vec<&str> = a.resources().map(|r| a.name(r)).collect();
        assert_eq!(names, ["Store", "Orders", "Refunds", "Catalog"]);
        let names_b: Vec<&str> = b.resources().map(|r| b.name(r)).collect();
        // Flat form: children in input order (Catalog is listed before Orders).
        assert_eq!(names_b, ["Store", "Catalog", "Orders", "Refunds"]);
        let orders = b.require("Orders").unwrap();
        assert_eq!(
            b.actions(orders),
            ActionSet::of(&[Action::View, Action::Update])
        );
        assert_eq!(b.depth(b.require("Refunds").unwrap()), 2);
        assert_eq!(a.roles(), Roles::default());
        assert_eq!(Catalog::from_json(&a.to_json().unwrap()).unwrap(), a);
        assert_eq!(Catalog::from_json(&b.to_json().unwrap()).unwrap(), b);
    }

    #[test]
    fn mixed_form() {
        let json = r#"{"resources":[
            {"name":"A","actions":[],"children":[{"name":"B","actions":["view"]}]},
            {"name":"C","parent":"B","actions":["view"]}]}"#;
        let c = Catalog::from_json(json).unwrap();
        let cc = c.require("C").unwrap();
        assert_eq!(c.parent(cc), c.resource("B"));
        assert_eq!(c.depth(cc), 2);
        assert!(c.actions(c.root()).is_empty());
    }

    #[test]
    fn roles_explicit_and_default() {
        let json = r#"{"resources":[{"name":"Root","actions":["view"],"children":[
            {"name":"Me","actions":["view","update"]},{"name":"Profile","actions":["view"]}]}],
            "roles":{"profile":"Me","billing":null}}"#;
        let c = Catalog::from_json(json).unwrap();
        assert_eq!(c.roles().profile, c.resource("Me"));
        assert_eq!(c.roles().manage_contacts, None);
        assert_eq!(c.roles().billing, None);
        let back = Catalog::from_json(&c.to_json().unwrap()).unwrap();
        assert_eq!(back.roles(), c.roles());

        let no_roles = r#"{"resources":[{"name":"Root","actions":["view"],"children":[
            {"name":"Profile","actions":["view"]}]}]}"#;
        let c = Catalog::from_json(no_roles).unwrap();
        assert_eq!(c.roles().profile, c.resource("Profile"));
        assert_eq!(c.roles().manage_contacts, None);

        let bad = r#"{"resources":[{"name":"Root","actions":[]}],"roles":{"billing":"Money"}}"#;
        assert_eq!(err(bad), "role `billing` names unknown resource `Money`");
        let typo = r#"{"resources":[{"name":"Root","actions":[]}],"roles":{"bill":"Root"}}"#;
        assert!(err(typo).contains("unknown field `bill`"));
    }

    #[test]
    fn validation_messages() {
        assert_eq!(err(r#"{"resources":[]}"#), "the catalog has no resources");
        assert!(err("not json").contains("expected"));
        assert!(err(r#"{"resources":[{"name":"A"}]}"#).contains("missing field `actions`"));
        assert!(
            err(r#"{"resources":[{"name":"A","actions":[],"chidren":[]}]}"#)
                .contains("unknown field `chidren`")
        );
        assert_eq!(
            err(r#"{"resources":[{"name":"A","actions":[]},{"name":"B","actions":[]}]}"#),
            "more than one root resource: `A` and `B`"
        );
        assert_eq!(
            err(
                r#"{"resources":[{"name":"A","actions":[],"children":[{"name":"A","actions":[]}]}]}"#
            ),
            "duplicate resource `A`"
        );
        assert_eq!(
            err(
                r#"{"resources":[{"name":"A","actions":[]},{"name":"B","parent":"Z","actions":[]}]}"#
            ),
            "resource `B` names unknown parent `Z`"
        );
        assert_eq!(
            err(
                r#"{"resources":[{"name":"A","actions":[]},{"name":"B","parent":"C","actions":[]},{"name":"C","parent":"B","actions":[]}]}"#
            ),
            "resource `B` is part of a parent cycle"
        );
        assert_eq!(
            err(r#"{"resources":[{"name":"A","parent":"A","actions":[]}]}"#),
            "resource `A` is part of a parent cycle (the catalog has no root)"
        );
        assert_eq!(
            err(r#"{"resources":[{"name":"A","actions":["view","fly"]}]}"#),
            "resource `A` has unknown action `fly`"
        );
        assert_eq!(
            err(r#"{"resources":[{"name":"A","actions":["view","VIEW"]}]}"#),
            "resource `A` lists action `view` twice"
        );
        assert_eq!(
            err(r#"{"resources":[{"name":"","actions":[]}]}"#),
            "resource `` (entry 1) has an empty name"
        );
        assert_eq!(
            err(r#"{"resources":[{"name":"a\u0007b","actions":[]}]}"#),
            "resource name `a\\u{7}b` contains a control character"
        );
        assert_eq!(
            err(r#"{"resources":[{"name":" A","actions":[]}]}"#),
            "resource name ` A` starts or ends with whitespace"
        );
        let long = "n".repeat(129);
        assert!(
            err(&format!(
                r#"{{"resources":[{{"name":"{long}","actions":[]}}]}}"#
            ))
            .ends_with("is longer than 128 characters")
        );
        let ok = "n".repeat(128);
        assert!(
            Catalog::from_json(&format!(
                r#"{{"resources":[{{"name":"{ok}","actions":[]}}]}}"#
            ))
            .is_ok()
        );
        assert_eq!(
            err(
                r#"{"resources":[{"name":"A","actions":[],"children":[{"name":"B","parent":"A","actions":[]}]}]}"#
            ),
            "resource `B` names parent `A` but is nested in another resource"
        );
    }

    fn chain(n: usize) -> String {
        let mut entries = vec![r#"{"name":"r0","actions":["view"]}"#.to_owned()];
        for i in 1..n {
            entries.push(format!(
                r#"{{"name":"r{i}","parent":"r{}","actions":["view"]}}"#,
                i - 1
            ));
        }
        format!(r#"{{"resources":[{}]}}"#, entries.join(","))
    }

    #[test]
    fn depth_limit() {
        // 65 resources in a chain: the deepest has depth 64, the limit.
        let c = Catalog::from_json(&chain(65)).unwrap();
        assert_eq!(c.depth(c.require("r64").unwrap()), 64);
        assert_eq!(Catalog::from_json(&c.to_json().unwrap()).unwrap(), c);
        assert_eq!(
            err(&chain(66)),
            "resource `r65` is nested deeper than 64 levels"
        );
    }

    #[test]
    fn size_limit() {
        let mut entries = vec![r#"{"name":"root","actions":[]}"#.to_owned()];
        for i in 1..Catalog::MAX_RESOURCES {
            entries.push(format!(
                r#"{{"name":"r{i}","parent":"root","actions":["view"]}}"#
            ));
        }
        let json = format!(r#"{{"resources":[{}]}}"#, entries.join(","));
        let c = Catalog::from_json(&json).unwrap();
        assert_eq!(c.len(), Catalog::MAX_RESOURCES);
        let last = c.id_at(Catalog::MAX_RESOURCES - 1).unwrap();
        assert_eq!(c.name(last), "r4095");
        entries.push(r#"{"name":"one too many","parent":"root","actions":[]}"#.to_owned());
        let json = format!(r#"{{"resources":[{}]}}"#, entries.join(","));
        assert_eq!(err(&json), "more than 4096 resources");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut json = String::new();
        for i in 0..200 {
            json.push_str(&format!(r#"{{"name":"n{i}","actions":[],"children":["#));
        }
        for _ in 0..200 {
            json.push_str("]}");
        }
        let json = format!(r#"{{"resources":[{json}]}}"#);
        assert!(err(&json).contains("recursion limit"));
    }

    #[test]
    fn serde_deserialize_validates() {
        let bad = r#"{"resources":[{"name":"A","actions":[]},{"name":"B","actions":[]}]}"#;
        let e = serde_json::from_str::<Catalog>(bad).unwrap_err();
        assert!(e.to_string().contains("more than one root resource"));
    }
}

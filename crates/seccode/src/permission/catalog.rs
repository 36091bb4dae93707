//! The catalog: the tree of resources and the actions that apply to each (SPEC 4).
//!
//! A catalog is built by [`Catalog::portal`] (the seed's tree, `portal.rs`) or read from its
//! one JSON form ([`Catalog::from_json`], `json.rs`); the tree rules are in `tree.rs`, the name
//! rules in `names.rs`, the roles in `roles.rs`. Immutable once built.
//!
//! Every [`ResourceId`] a catalog hands out carries the catalog's fingerprint
//! ([`Catalog::fingerprint`]), a hash of its content, so a handle works on the catalog that
//! issued it and on every catalog equal to it, and on no other.

use std::collections::HashMap;
use std::fmt;

use super::resource::CatalogTag;
use super::roles::{self, Positions};
use super::tree::{Node, Tree};
use super::{Action, ActionSet, ResourceId, Roles, names};

/// A tree of resources, each with the actions that apply to it, in display order.
///
/// Built by [`Catalog::portal`] (the seed's default), [`Catalog::from_json`] or serde; always
/// valid. Immutable once built. Two catalogs are equal when they have the same resources (names,
/// parents, actions, in the same display order) and the same roles; equal catalogs accept each
/// other's [`ResourceId`]s.
#[derive(Clone, PartialEq, Eq)]
pub struct Catalog {
    nodes: Vec<Node>,
    by_key: HashMap<String, usize>,
    roles: Roles,
    tag: CatalogTag,
}

impl Catalog {
    /// The most resources a catalog may hold.
    pub const MAX_RESOURCES: usize = 4096;
    /// The deepest a resource may sit; the root has depth 0.
    pub const MAX_DEPTH: usize = 64;
    /// The longest a resource name may be, in characters.
    pub const MAX_NAME_CHARS: usize = 128;

    /// The catalog of a valid tree with its roles.
    pub(super) fn new(tree: Tree, roles: Positions) -> Catalog {
        let Tree { nodes, by_key } = tree;
        let tag = fingerprint(&nodes, roles);
        let [profile, manage_contacts, billing] = roles.map(|r| r.map(|i| ResourceId::new(tag, i)));
        Catalog {
            nodes,
            by_key,
            roles: Roles {
                profile,
                manage_contacts,
                billing,
            },
            tag,
        }
    }

    /// The catalog of a valid tree whose roles are the resources of the default names.
    pub(super) fn with_default_roles(tree: Tree) -> Catalog {
        let roles = roles::defaults(&tree);
        Catalog::new(tree, roles)
    }

    pub(super) fn tag(&self) -> CatalogTag {
        self.tag
    }

    /// The fingerprint of the catalog's content (names, parents, actions, display order and
    /// roles), which every [`ResourceId`] of the catalog carries. Equal catalogs have the
    /// same fingerprint however and wherever they were built; different catalogs almost
    /// surely (all but one chance in 2³²) have different ones. It is a guard against using a
    /// handle with the wrong catalog, not a secret.
    pub fn fingerprint(&self) -> u32 {
        self.tag.0
    }

    /// The number of resources (at least 1).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Always false: a catalog has at least its root.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    fn id(&self, index: usize) -> ResourceId {
        ResourceId::new(self.tag, index)
    }

    /// The root resource (the first in display order).
    pub fn root(&self) -> ResourceId {
        self.id(0)
    }

    /// Whether `id` is a handle of this catalog: issued by it or by a catalog equal to it.
    /// False for a handle of any other catalog, whatever its index.
    pub fn contains(&self, id: ResourceId) -> bool {
        self.node(id).is_some()
    }

    /// The resource `name` finds. The one rule for names: letter case and surrounding
    /// whitespace are ignored, so `profile`, ` PROFILE ` and `Profile` find the same resource
    /// (letter case by Unicode canonical caseless matching: `STRASSE` finds `Straße`). A
    /// catalog's names are distinct under this rule.
    pub fn resource(&self, name: &str) -> Option<ResourceId> {
        self.by_key
            .get(&names::key(name))
            .map(|&index| self.id(index))
    }

    /// The resource `name` finds, by the rule of [`Catalog::resource`].
    ///
    /// # Errors
    ///
    /// [`Error::UnknownResource`](crate::Error::UnknownResource) (holding `name` as given) when
    /// no resource has that name.
    pub fn require(&self, name: &str) -> crate::Result<ResourceId> {
        self.resource(name)
            .ok_or_else(|| crate::Error::UnknownResource(name.to_owned()))
    }

    /// The resource at `index` in display order, if the catalog has that many.
    pub fn id_at(&self, index: usize) -> Option<ResourceId> {
        (index < self.nodes.len()).then(|| self.id(index))
    }

    /// The node of a handle of this catalog.
    fn node(&self, id: ResourceId) -> Option<&Node> {
        if id.tag() == self.tag {
            self.nodes.get(id.index())
        } else {
            None
        }
    }

    /// The resource's name; `""` for a handle this catalog does not hold.
    pub fn name(&self, id: ResourceId) -> &str {
        self.node(id).map_or("", |n| n.name.as_str())
    }

    /// The resource's parent; `None` for the root and for a handle this catalog does not hold.
    pub fn parent(&self, id: ResourceId) -> Option<ResourceId> {
        self.node(id).and_then(|n| n.parent).map(|p| self.id(p))
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
        let tag = self.tag;
        (0..self.nodes.len()).map(move |i| ResourceId::new(tag, i))
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
            .field("fingerprint", &format_args!("{:08x}", self.tag.0))
            .field(
                "resources",
                &self.nodes.iter().map(Entry).collect::<Vec<_>>(),
            )
            .field("roles", &self.roles)
            .finish()
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
        let id = self.catalog.id(self.next);
        // Skip this child's subtree; `end` is always past the node itself.
        self.next = node.end.max(self.next.saturating_add(1));
        Some(id)
    }
}

/// FNV-1a (64 bits) over the catalog's content, every field length-prefixed or fixed-size so
/// that different content gives different input, folded to 32 bits.
fn fingerprint(nodes: &[Node], roles: Positions) -> CatalogTag {
    struct Fnv(u64);
    impl Fnv {
        fn bytes(&mut self, bytes: &[u8]) {
            for b in bytes {
                self.0 ^= u64::from(*b);
                self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        fn number(&mut self, n: usize) {
            self.bytes(&(n as u64).to_le_bytes());
        }
        fn position(&mut self, p: Option<usize>) {
            self.number(p.map_or(0, |p| p.saturating_add(1)));
        }
    }
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    h.bytes(b"seccode catalog v1");
    h.number(nodes.len());
    for node in nodes {
        h.number(node.name.len());
        h.bytes(node.name.as_bytes());
        h.position(node.parent);
        h.bytes(&[node.actions.bits()]);
    }
    for role in roles {
        h.position(role);
    }
    CatalogTag((h.0 ^ (h.0 >> 32)) as u32)
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
    use crate::error::Error;

    fn store() -> Catalog {
        Catalog::from_json(
            r#"{"resources":[{"name":"Store","actions":["view","update"]},
                {"name":"Orders","parent":"Store","actions":["view"]},
                {"name":"Refunds","parent":"Orders","actions":["view","create"]}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn lookups_ignore_case_and_surrounding_space() {
        let c = Catalog::portal();
        let profile = c.resource("Profile").unwrap();
        assert_eq!(c.resource("profile"), Some(profile));
        assert_eq!(c.resource(" PROFILE\t"), Some(profile));
        assert_eq!(
            c.require("billing & SERVICES").unwrap(),
            c.roles().billing.unwrap()
        );
        assert!(c.resource("Profiles").is_none());
        assert!(c.resource("").is_none());
        assert!(matches!(
            c.require(" Nope "),
            Err(Error::UnknownResource(n)) if n == " Nope "
        ));
    }

    #[test]
    fn foreign_handles_never_panic() {
        let c = Catalog::portal();
        let s = store();
        // A handle of another catalog, at an index `c` has, and one past `c`'s end.
        let foreign = s.id_at(1).unwrap();
        assert_eq!(foreign.index(), 1);
        let past = Catalog::from_json(&chain_json(20))
            .unwrap()
            .id_at(13)
            .unwrap();
        for foreign in [foreign, past] {
            assert!(!c.contains(foreign));
            assert_eq!(c.name(foreign), "");
            assert_eq!(c.parent(foreign), None);
            assert_eq!(c.actions(foreign), ActionSet::EMPTY);
            assert!(!c.applies(foreign, Action::View));
            assert_eq!(c.depth(foreign), 0);
            assert_eq!(c.children(foreign).count(), 0);
            assert_eq!(c.ancestors(foreign).count(), 0);
            assert!(!c.is_within(foreign, c.root()));
            assert!(!c.is_within(c.root(), foreign));
        }
        assert_eq!(c.id_at(13), None);
        assert_eq!(c.id_at(12).map(|r| c.name(r)), Some("Client Preferences"));
    }

    fn chain_json(n: usize) -> String {
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
    fn handles_are_bound_to_equal_catalogs() {
        let a = Catalog::portal();
        let b = Catalog::portal();
        let read = Catalog::from_json(&a.to_json().unwrap()).unwrap();
        let cloned = a.clone();
        assert_eq!(a.fingerprint(), b.fingerprint());
        for other in [&b, &read, &cloned] {
            assert_eq!(other, &a);
            for id in a.resources() {
                assert!(other.contains(id));
                assert_eq!(other.name(id), a.name(id));
            }
        }
        // The same tree with other roles is another catalog.
        let json = a
            .to_json()
            .unwrap()
            .replace(r#""billing":"Billing & Services""#, r#""billing":null"#);
        let other_roles = Catalog::from_json(&json).unwrap();
        assert_ne!(other_roles, a);
        assert_ne!(other_roles.fingerprint(), a.fingerprint());
        assert!(!other_roles.contains(a.root()));
        // Same size, other names: no handle crosses over.
        let renamed = Catalog::from_json(&a.to_json().unwrap().replace("Website", "Site")).unwrap();
        assert_eq!(renamed.len(), a.len());
        assert!(a.resources().all(|id| !renamed.contains(id)));
        // Same names, other actions.
        let fewer = Catalog::from_json(&a.to_json().unwrap().replace(
            r#""Website","parent":"Client Portal","actions":["view"]"#,
            r#""Website","parent":"Client Portal","actions":[]"#,
        ))
        .unwrap();
        assert_ne!(
            fewer.actions(fewer.require("Website").unwrap()),
            a.actions(a.require("Website").unwrap())
        );
        assert!(!fewer.contains(a.require("Reports").unwrap()));
    }

    #[test]
    fn roles_carry_the_catalog() {
        let c = Catalog::portal();
        let roles = c.roles();
        for role in [roles.profile, roles.manage_contacts, roles.billing] {
            assert!(c.contains(role.unwrap()));
            assert!(!store().contains(role.unwrap()));
        }
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
        let s = store();
        let refunds = s.require("Refunds").unwrap();
        assert_eq!(s.depth(refunds), 2);
        assert_eq!(s.children(s.root()).count(), 1);
        assert!(format!("{s:?}").contains("    Refunds [V C - -]"));
    }
}

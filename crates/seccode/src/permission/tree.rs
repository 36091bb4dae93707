//! Building a catalog's tree from a list of resources, and the rules a tree must follow.
//!
//! A valid tree has exactly one root, at most [`Catalog::MAX_RESOURCES`] resources, no
//! resource deeper than [`Catalog::MAX_DEPTH`] (the root has depth 0), valid names (see
//! `names.rs`) that stay distinct when letter case is ignored, every `parent` naming a
//! resource of the catalog, and no cycle of parents. Every violation is
//! [`Error::InvalidCatalog`] naming the offending resource.
//!
//! Display order is depth-first: a resource, then its children (and their subtrees) in the
//! order the children are listed.

use std::collections::HashMap;
use std::collections::hash_map::Entry as MapEntry;

use super::{ActionSet, Catalog, names, quoted};
use crate::error::{Error, Result};

/// A resource as a document lists it: its name, the name of its parent (`None` for the root)
/// and its applicable actions.
pub(super) struct Entry {
    pub(super) name: String,
    pub(super) parent: Option<String>,
    pub(super) actions: ActionSet,
}

/// A resource of a built tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Node {
    pub(super) name: String,
    /// The parent's position in display order (always before this resource's).
    pub(super) parent: Option<usize>,
    pub(super) actions: ActionSet,
    pub(super) depth: usize,
    /// One past the last resource of this resource's subtree (display order is depth-first,
    /// so a subtree is a contiguous range).
    pub(super) end: usize,
}

/// A resource in display order before assembly: its name, its parent's position (always
/// before its own) and its actions.
pub(super) struct Ordered {
    pub(super) name: String,
    pub(super) parent: Option<usize>,
    pub(super) actions: ActionSet,
}

/// The resources of a valid tree in display order, and where each name key is.
pub(super) struct Tree {
    pub(super) nodes: Vec<Node>,
    pub(super) by_key: HashMap<String, usize>,
}

impl Tree {
    /// The position of the resource `name` finds ([`names::key`]).
    pub(super) fn find(&self, name: &str) -> Option<usize> {
        self.by_key.get(&names::key(name)).copied()
    }
}

fn invalid(message: String) -> Error {
    Error::InvalidCatalog(message)
}

/// Checks the entries (names, parents, one root, no cycle, depth) and builds the tree in
/// display order.
pub(super) fn build(entries: Vec<Entry>) -> Result<Tree> {
    Ok(assemble(order(entries)?))
}

/// Resolves parents, checks the tree and puts the entries in display order.
fn order(entries: Vec<Entry>) -> Result<Vec<Ordered>> {
    if entries.is_empty() {
        return Err(invalid("the catalog has no resources".to_owned()));
    }
    if entries.len() > Catalog::MAX_RESOURCES {
        return Err(invalid(format!(
            "more than {} resources",
            Catalog::MAX_RESOURCES
        )));
    }
    let name_at = |i: usize| entries.get(i).map_or("", |e| e.name.as_str());

    let mut position: HashMap<String, usize> = HashMap::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        names::check(&entry.name, i)?;
        match position.entry(names::key(&entry.name)) {
            MapEntry::Vacant(slot) => {
                slot.insert(i);
            }
            MapEntry::Occupied(slot) => {
                let first = name_at(*slot.get());
                return Err(invalid(if first == entry.name {
                    format!("duplicate resource {}", quoted(&entry.name))
                } else {
                    format!(
                        "resource names {} and {} differ only in letter case",
                        quoted(first),
                        quoted(&entry.name)
                    )
                }));
            }
        }
    }

    let mut parent_of: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut roots: Vec<usize> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let parent = match &entry.parent {
            None => {
                roots.push(i);
                None
            }
            Some(name) => match position.get(&names::key(name)) {
                Some(p) => Some(*p),
                None => {
                    return Err(invalid(format!(
                        "resource {} names unknown parent {}",
                        quoted(&entry.name),
                        quoted(name)
                    )));
                }
            },
        };
        parent_of.push(parent);
    }
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

    // Children in the order they are listed.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    for (i, parent) in parent_of.iter().enumerate() {
        if let Some(list) = parent.and_then(|p| children.get_mut(p)) {
            list.push(i);
        }
    }

    // Depth-first walk from the root, with an explicit stack.
    let mut placed: Vec<Option<usize>> = vec![None; entries.len()];
    let mut sequence: Vec<usize> = Vec::with_capacity(entries.len());
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
        sequence.push(i);
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

    let mut slots: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(sequence.len());
    for i in sequence {
        let parent = parent_of
            .get(i)
            .copied()
            .flatten()
            .and_then(|p| placed.get(p).copied().flatten());
        if let Some(entry) = slots.get_mut(i).and_then(Option::take) {
            ordered.push(Ordered {
                name: entry.name,
                parent,
                actions: entry.actions,
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

/// Builds the nodes from resources in display order (each parent before its children).
/// Trusts its input: [`order`] produces it, and the portal's table is checked by a test.
pub(super) fn assemble(ordered: Vec<Ordered>) -> Tree {
    let mut nodes: Vec<Node> = Vec::with_capacity(ordered.len());
    let mut by_key = HashMap::with_capacity(ordered.len());
    for (i, entry) in ordered.into_iter().enumerate() {
        let depth = entry
            .parent
            .and_then(|p| nodes.get(p))
            .map_or(0, |p| p.depth.saturating_add(1));
        by_key.insert(names::key(&entry.name), i);
        nodes.push(Node {
            name: entry.name,
            parent: entry.parent,
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
        if let Some(p) = parent.and_then(|p| nodes.get_mut(p)) {
            p.end = p.end.max(end);
        }
    }
    Tree { nodes, by_key }
}

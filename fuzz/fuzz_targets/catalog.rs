//! Untrusted input: a permission catalog (`Catalog::from_json`, raw text or a generated tree,
//! entries in generated order, names in generated letter case) and a contact's settings on it.
//!
//! - What loads is a valid tree (one root, parents before children, consistent depths and
//!   names distinct whatever their letter case, each found by its name in any case) and
//!   survives a JSON round trip into an equal catalog that accepts its handles.
//! - `Settings::set` refuses exactly what it must (Allow/Deny on a not-applicable cell, a
//!   handle from another catalog).
//! - Differential: for every cell, the compiled `Grid` equals `permission::resolve` (the
//!   crate's reference walk) and a plain walk written here, value and deciding resource.
//! - Handles from a foreign catalog (any index, including the indexes this catalog has) are
//!   not contained and answer "not applicable", never a panic.
#![no_main]

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use seccode::{
    Action, Catalog, Effective, Error, Grid, Origin, ResourceId, Setting, Settings, render_grid,
    render_settings, resolve,
};
use serde_json::{Value, json};

/// Most resources of a generated tree (the catalog itself allows 4096).
const MAX_GENERATED: usize = 300;

/// Input layout: `text 0xFF rest`. A non-empty `text` is catalog JSON (decoded lossily); an
/// empty one asks for a tree generated from `rest`. `rest` feeds `arbitrary` for [`Knobs`]
/// (the generated tree, then the settings). 0xFF never occurs in UTF-8, so the seeds are plain
/// text.
#[derive(Arbitrary, Debug)]
struct Knobs {
    tree: Tree,
    settings: Vec<(u16, u8, u8)>,
}

#[derive(Arbitrary, Debug)]
struct Tree {
    nodes: Vec<NodeSpec>,
    /// Rotates the order of the entries in the document.
    rotate: u16,
    /// Spells parent and role references in upper case.
    shout: bool,
    roles: Option<[Option<u16>; 3]>,
}

#[derive(Arbitrary, Debug)]
struct NodeSpec {
    parent: u16,
    name: Option<String>,
    actions: u8,
}

fn actions_json(bits: u8) -> Value {
    let names: Vec<&str> = Action::ALL
        .into_iter()
        .filter(|a| bits & (1 << a.index()) != 0)
        .map(Action::as_str)
        .collect();
    json!(names)
}

/// A JSON document for a generated tree: node 0 is the root, node `i` hangs under
/// `parent % i`; the entries are listed rotated by `rotate`.
fn build(tree: &Tree) -> String {
    let nodes = tree
        .nodes
        .get(..tree.nodes.len().min(MAX_GENERATED))
        .unwrap_or_default();
    let names: Vec<String> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| n.name.clone().unwrap_or_else(|| format!("r{i}")))
        .collect();
    let refer = |name: &str| {
        if tree.shout {
            json!(name.to_uppercase())
        } else {
            json!(name)
        }
    };
    let mut resources: Vec<Value> = (0..nodes.len())
        .map(|i| {
            let mut v = json!({ "name": names[i], "actions": actions_json(nodes[i].actions) });
            if i > 0 {
                v["parent"] = refer(&names[usize::from(nodes[i].parent) % i]);
            }
            v
        })
        .collect();
    if !resources.is_empty() {
        let by = usize::from(tree.rotate) % resources.len();
        resources.rotate_left(by);
    }
    let mut doc = json!({ "resources": resources });
    if let Some(roles) = &tree.roles {
        let role = |r: Option<u16>| match r {
            Some(i) => names
                .get(usize::from(i) % names.len().max(1))
                .map_or(Value::Null, |n| refer(n)),
            None => Value::Null,
        };
        doc["roles"] = json!({
            "profile": role(roles[0]),
            "manage_contacts": role(roles[1]),
            "billing": role(roles[2]),
        });
    }
    doc.to_string()
}

/// A catalog bigger than any generated one, whose handles are foreign to the catalog at hand
/// (its names, `f0`, `f1`, ..., are never generated with these parents and actions).
fn foreign() -> &'static Catalog {
    static FOREIGN: OnceLock<Catalog> = OnceLock::new();
    FOREIGN.get_or_init(|| {
        let resources: Vec<Value> = (0..MAX_GENERATED + 20)
            .map(|i| {
                let mut v = json!({ "name": format!("f{i}"), "actions": ["view", "update"] });
                if i > 0 {
                    v["parent"] = json!(format!("f{}", (i - 1) / 4));
                }
                v
            })
            .collect();
        Catalog::from_json(&json!({ "resources": resources }).to_string()).expect("valid")
    })
}

/// The plain rule of SPEC 4, written independently of the crate: walk up from the resource;
/// the first explicit setting on a resource where the action applies wins.
fn plain_walk(
    catalog: &Catalog,
    settings: &Settings,
    id: ResourceId,
    action: Action,
) -> (Effective, Option<ResourceId>) {
    if !catalog.applies(id, action) {
        return (Effective::NotApplicable, None);
    }
    let mut at = Some(id);
    while let Some(r) = at {
        if catalog.applies(r, action) {
            match settings.get(r, action) {
                Setting::Allow => return (Effective::Allow, Some(r)),
                Setting::Deny => return (Effective::Deny, Some(r)),
                Setting::Inherit => {}
            }
        }
        at = catalog.parent(r);
    }
    (Effective::None, None)
}

fn check_tree(catalog: &Catalog) {
    assert!(!catalog.is_empty() && catalog.len() <= Catalog::MAX_RESOURCES);
    let root = catalog.root();
    assert_eq!(catalog.parent(root), None);
    assert_eq!(catalog.depth(root), 0);
    for (i, id) in catalog.resources().enumerate() {
        assert_eq!(id.index(), i);
        assert_eq!(catalog.id_at(i), Some(id));
        let name = catalog.name(id);
        assert_eq!(catalog.resource(name), Some(id), "names are unique");
        // Unicode case mappings and case folding disagree on a few letters (dotless i), so
        // other spellings are checked on ASCII names only.
        if name.is_ascii() {
            assert_eq!(catalog.resource(&name.to_uppercase()), Some(id), "any case");
            assert_eq!(
                catalog.resource(&format!(" {} ", name.to_lowercase())),
                Some(id)
            );
        }
        assert!(catalog.depth(id) <= Catalog::MAX_DEPTH);
        if let Some(parent) = catalog.parent(id) {
            assert!(parent.index() < i, "parents come first");
            assert_eq!(catalog.depth(id), catalog.depth(parent) + 1);
            assert!(catalog.is_within(id, parent));
            assert!(catalog.children(parent).any(|c| c == id));
        } else {
            assert_eq!(id, root, "exactly one root");
        }
        let chain: Vec<ResourceId> = catalog.ancestors(id).collect();
        assert_eq!(chain.first(), Some(&id));
        assert_eq!(chain.last(), Some(&root));
        assert_eq!(chain.len(), catalog.depth(id) + 1);
    }
    assert_eq!(catalog.id_at(catalog.len()), None);
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0xFF);
    let raw = parts.next().unwrap_or_default();
    let Ok(input) = Knobs::arbitrary_take_rest(Unstructured::new(parts.next().unwrap_or_default()))
    else {
        return;
    };
    let text = if raw.is_empty() {
        build(&input.tree)
    } else {
        String::from_utf8_lossy(raw).into_owned()
    };
    let catalog = match Catalog::from_json(&text) {
        Ok(catalog) => catalog,
        Err(Error::InvalidCatalog(_)) => return,
        Err(other) => panic!("unexpected error {other:?}"),
    };
    check_tree(&catalog);
    let saved = catalog.to_json().expect("saves");
    let again = Catalog::from_json(&saved).expect("loads again");
    assert_eq!(again, catalog, "round trip");
    assert_eq!(again.fingerprint(), catalog.fingerprint());
    assert!(catalog.resources().all(|id| again.contains(id)));

    let foreign = foreign();
    // The raw text may be the foreign catalog itself (or, one time in 2^32, a catalog with
    // the same fingerprint); its handles are then this catalog's.
    let distinct = foreign.fingerprint() != catalog.fingerprint();
    let mut settings = Settings::new(&catalog);
    for &(index, action, setting) in input.settings.iter().take(256) {
        let action = Action::ALL[usize::from(action) % 4];
        let setting = Setting::ALL[usize::from(setting) % 3];
        // Even numbers: this catalog's handles; odd ones: the foreign catalog's, at the same
        // indexes and a few past the end.
        let at = usize::from(index / 2) % (catalog.len() + 8);
        let id = match catalog.id_at(at) {
            Some(id) if index % 2 == 0 => id,
            _ => foreign.id_at(at).expect("the foreign catalog is bigger"),
        };
        let result = settings.set(&catalog, id, action, setting);
        if !catalog.contains(id) {
            assert!(
                matches!(result, Err(Error::UnknownResource(_))),
                "{result:?}"
            );
        } else if !catalog.applies(id, action) && setting.is_explicit() {
            assert!(
                matches!(result, Err(Error::NotApplicable { .. })),
                "{result:?}"
            );
        } else {
            result.expect("an applicable cell takes any setting");
            assert_eq!(settings.get(id, action), setting);
        }
    }

    let grid = Grid::compile(&catalog, &settings);
    let owner = Grid::owner(&catalog);
    assert_eq!(grid.len(), catalog.len());
    for id in catalog.resources() {
        for action in Action::ALL {
            let cell = grid.cell(id, action);
            assert_eq!(
                cell,
                resolve(&catalog, &settings, id, action),
                "grid differs from resolve"
            );
            let (value, decided_by) = plain_walk(&catalog, &settings, id, action);
            assert_eq!(cell.value, value, "grid differs from the plain walk");
            assert_eq!(cell.decided_by(), decided_by);
            assert_eq!(grid.check(id, action), value);
            assert_eq!(grid.allows(id, action), value == Effective::Allow);
            let o = owner.cell(id, action);
            if catalog.applies(id, action) {
                assert_eq!((o.value, o.origin), (Effective::Allow, Origin::Owner));
            } else {
                assert_eq!(o.value, Effective::NotApplicable);
            }
        }
    }
    for index in 0..(catalog.len() + 4) {
        if let Some(id) = foreign.id_at(index).filter(|_| distinct) {
            assert!(!catalog.contains(id));
            assert_eq!(catalog.name(id), "");
            for action in Action::ALL {
                assert_eq!(grid.check(id, action), Effective::NotApplicable);
                assert_eq!(
                    resolve(&catalog, &settings, id, action).value,
                    Effective::NotApplicable
                );
                assert_eq!(settings.get(id, action), Setting::Inherit);
            }
        }
    }
    assert_eq!(grid.cells().count(), catalog.len() * 4);

    let named = settings.to_named(&catalog);
    assert_eq!(
        Settings::from_named(&catalog, &named).expect("round trip"),
        settings
    );
    assert_eq!(
        render_grid(&catalog, &grid).lines().count(),
        catalog.len() + 1
    );
    assert_eq!(
        render_settings(&catalog, &settings).lines().count(),
        catalog.len() + 1
    );
});

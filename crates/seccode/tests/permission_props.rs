//! Properties of the permission tree over random catalogs and random settings.
//!
//! The compiled [`Grid`] is checked against the plain reference walk [`resolve`]; clearing a
//! cell only changes the cells it decided; not-applicable cells never allow; catalogs and
//! settings survive their data forms; the catalog reader never panics.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Value, json};

use seccode::Error;
use seccode::{
    Action, ActionSet, Catalog, Effective, Grid, Origin, ResourceId, Setting, Settings, resolve,
};

/// A random tree: resource `i > 0` hangs under a random earlier resource; each resource has a
/// random set of applicable actions (possibly none).
#[derive(Debug, Clone)]
struct Tree {
    parents: Vec<usize>,
    actions: Vec<u8>,
    /// Order of the entries in the document.
    shuffle: Vec<Index>,
    /// Spell each parent reference in upper case (names are found whatever their case).
    shout: bool,
}

const NAMES: [&str; 6] = [
    "Client Profile",
    "Billing & Services",
    "Zahlung",
    "支持",
    "r",
    "A/B",
];

impl Tree {
    fn len(&self) -> usize {
        self.actions.len()
    }

    fn name(i: usize) -> String {
        format!("{} {i}", NAMES[i % NAMES.len()])
    }

    fn actions_json(mask: u8) -> Value {
        let set = ActionSet::from_bits(mask).unwrap();
        Value::Array(set.iter().map(|a| json!(a.as_str())).collect())
    }

    fn json(&self) -> String {
        let mut order: Vec<usize> = (0..self.len()).collect();
        for (k, idx) in self.shuffle.iter().enumerate() {
            let k = k % order.len();
            let j = idx.index(order.len());
            order.swap(k, j);
        }
        let entries: Vec<Value> = order
            .into_iter()
            .map(|i| {
                let mut entry =
                    json!({"name": Tree::name(i), "actions": Tree::actions_json(self.actions[i])});
                if i > 0 {
                    let parent = Tree::name(self.parents[i - 1]);
                    entry["parent"] = json!(if self.shout {
                        parent.to_uppercase()
                    } else {
                        parent
                    });
                }
                entry
            })
            .collect();
        json!({"resources": entries}).to_string()
    }

    fn catalog(&self) -> Catalog {
        Catalog::from_json(&self.json()).unwrap()
    }
}

fn tree() -> impl Strategy<Value = Tree> {
    (1usize..=24).prop_flat_map(|n| {
        let parents = (1..n).map(|i| 0..i).collect::<Vec<_>>();
        (
            parents,
            prop::collection::vec(0u8..16, n),
            prop::collection::vec(any::<Index>(), n),
            any::<bool>(),
        )
            .prop_map(|(parents, actions, shuffle, shout)| Tree {
                parents,
                actions,
                shuffle,
                shout,
            })
    })
}

fn setting() -> impl Strategy<Value = Setting> {
    prop_oneof![
        3 => Just(Setting::Inherit),
        1 => Just(Setting::Allow),
        1 => Just(Setting::Deny),
    ]
}

/// A catalog and a setting choice for every cell (in display order, then column order).
fn scene() -> impl Strategy<Value = (Tree, Vec<Setting>)> {
    tree().prop_flat_map(|t| {
        let cells = t.len() * 4;
        (Just(t), prop::collection::vec(setting(), cells))
    })
}

/// Applies the choices to the applicable cells; Allow/Deny on a not-applicable cell must be
/// refused and change nothing.
fn settings_for(catalog: &Catalog, choices: &[Setting]) -> Settings {
    let mut settings = Settings::new(catalog);
    for (k, choice) in choices.iter().enumerate() {
        let id = catalog.id_at(k / 4).unwrap();
        let action = Action::ALL[k % 4];
        let before = settings.clone();
        match settings.set(catalog, id, action, *choice) {
            Ok(_) => assert!(catalog.applies(id, action) || *choice == Setting::Inherit),
            Err(Error::NotApplicable {
                resource,
                action: a,
            }) => {
                assert!(!catalog.applies(id, action));
                assert_eq!(resource, catalog.name(id));
                assert_eq!(a, action);
                assert_eq!(settings, before);
            }
            Err(other) => panic!("unexpected error {other}"),
        }
    }
    settings
}

fn cells(catalog: &Catalog) -> impl Iterator<Item = (ResourceId, Action)> + '_ {
    catalog
        .resources()
        .flat_map(|r| Action::ALL.into_iter().map(move |a| (r, a)))
}

proptest! {
    /// (1) The compiled grid agrees with the reference walk on every cell.
    #[test]
    fn compiled_grid_matches_reference((t, choices) in scene()) {
        let catalog = t.catalog();
        let settings = settings_for(&catalog, &choices);
        let grid = Grid::compile(&catalog, &settings);
        prop_assert_eq!(grid.len(), catalog.len());
        for (r, a) in cells(&catalog) {
            let reference = resolve(&catalog, &settings, r, a);
            prop_assert_eq!(grid.cell(r, a), reference);
            prop_assert_eq!(grid.check(r, a), reference.value);
            prop_assert_eq!(grid.allows(r, a), reference.value == Effective::Allow);
            // The explanation is consistent: the deciding resource is the cell's own or an
            // ancestor, applicable, and holds exactly the effective value.
            match reference.decided_by() {
                Some(by) => {
                    prop_assert!(catalog.is_within(r, by));
                    prop_assert!(catalog.applies(by, a));
                    let expected = match settings.get(by, a) {
                        Setting::Allow => Effective::Allow,
                        Setting::Deny => Effective::Deny,
                        Setting::Inherit => panic!("decided by an Inherit cell"),
                    };
                    prop_assert_eq!(reference.value, expected);
                    // Nothing between the cell and the deciding resource is explicit.
                    for between in catalog.ancestors(r).take_while(|x| *x != by) {
                        prop_assert_eq!(settings.get(between, a), Setting::Inherit);
                    }
                }
                None => prop_assert!(matches!(
                    reference.origin,
                    Origin::Default | Origin::NotApplicable
                )),
            }
        }
    }

    /// (2) Setting a cell back to Inherit changes only the cells it decided.
    #[test]
    fn clearing_a_cell_changes_only_what_it_decided(
        (t, choices) in scene(),
        pick in any::<Index>(),
    ) {
        let catalog = t.catalog();
        let mut settings = settings_for(&catalog, &choices);
        let explicit: Vec<_> = settings.explicit().collect();
        prop_assume!(!explicit.is_empty());
        let (id, action, previous) = explicit[pick.index(explicit.len())];
        let before = Grid::compile(&catalog, &settings);
        prop_assert_eq!(before.cell(id, action).origin, Origin::Explicit);

        prop_assert_eq!(settings.set(&catalog, id, action, Setting::Inherit).unwrap(), previous);
        let after = Grid::compile(&catalog, &settings);
        prop_assert_ne!(after.cell(id, action).origin, Origin::Explicit);
        for (r, a) in cells(&catalog) {
            let old = before.cell(r, a);
            let new = after.cell(r, a);
            if a == action && old.decided_by() == Some(id) {
                // Re-decided from above: by a strict ancestor of the cleared cell, or nothing.
                prop_assert!(new.decided_by().is_none_or(|by| by != id && catalog.is_within(id, by)));
            } else {
                prop_assert_eq!(old, new);
            }
        }
    }

    /// (3) A not-applicable cell never allows, however the contact is set up.
    #[test]
    fn not_applicable_never_allows((t, choices) in scene(), extra in 0usize..5000) {
        let catalog = t.catalog();
        let settings = settings_for(&catalog, &choices);
        let grid = Grid::compile(&catalog, &settings);
        let owner = Grid::owner(&catalog);
        for (r, a) in cells(&catalog) {
            if catalog.applies(r, a) {
                prop_assert_ne!(grid.check(r, a), Effective::NotApplicable);
                prop_assert!(owner.allows(r, a));
                prop_assert_eq!(owner.cell(r, a).origin, Origin::Owner);
                continue;
            }
            prop_assert_eq!(grid.check(r, a), Effective::NotApplicable);
            prop_assert!(!grid.allows(r, a));
            prop_assert!(!owner.allows(r, a));
            let cell = resolve(&catalog, &settings, r, a);
            prop_assert_eq!(cell.value, Effective::NotApplicable);
            prop_assert_eq!(cell.origin, Origin::NotApplicable);
            prop_assert_eq!(cell.decided_by(), None);
        }
        // Handles of another catalog never allow either, whatever their index.
        let mut bigger = catalog.len();
        let mut entries = Vec::new();
        entries.push(json!({"name": "root", "actions": ["view","create","update","delete"]}));
        for i in 1..=(catalog.len() + extra % 64) {
            entries.push(json!({"name": format!("n{i}"), "parent": "root", "actions": ["view"]}));
            bigger = i + 1;
        }
        let other = Catalog::from_json(&json!({"resources": entries}).to_string()).unwrap();
        prop_assert_eq!(other.len(), bigger);
        for foreign in other.resources() {
            prop_assert!(!catalog.contains(foreign));
            for a in Action::ALL {
                prop_assert_eq!(grid.check(foreign, a), Effective::NotApplicable);
                prop_assert!(!owner.allows(foreign, a));
                prop_assert_eq!(resolve(&catalog, &settings, foreign, a).value, Effective::NotApplicable);
            }
        }
    }

    /// (4) Catalogs survive to_json/from_json (and serde); settings survive to_named/from_named.
    #[test]
    fn data_forms_round_trip((t, choices) in scene()) {
        let catalog = t.catalog();
        let json = catalog.to_json().unwrap();
        let back = Catalog::from_json(&json).unwrap();
        prop_assert_eq!(&back, &catalog);
        let names: Vec<&str> = back.resources().map(|r| back.name(r)).collect();
        let original: Vec<&str> = catalog.resources().map(|r| catalog.name(r)).collect();
        prop_assert_eq!(names, original);
        prop_assert_eq!(back.roles(), catalog.roles());
        let via_serde: Catalog = serde_json::from_value(serde_json::to_value(&catalog).unwrap()).unwrap();
        prop_assert_eq!(&via_serde, &catalog);
        // The catalog really is the generated tree.
        prop_assert_eq!(catalog.len(), t.len());
        for i in 0..t.len() {
            let id = catalog.require(&Tree::name(i)).unwrap();
            prop_assert_eq!(catalog.actions(id).bits(), t.actions[i]);
            let parent = catalog.parent(id).map(|p| catalog.name(p).to_owned());
            prop_assert_eq!(parent, (i > 0).then(|| Tree::name(t.parents[i - 1])));
        }

        let settings = settings_for(&catalog, &choices);
        let named = settings.to_named(&catalog);
        prop_assert_eq!(
            named.values().map(|row| row.len()).sum::<usize>(),
            settings.explicit().count()
        );
        let restored = Settings::from_named(&catalog, &named).unwrap();
        prop_assert_eq!(&restored, &settings);
        // Also through the catalog's own JSON and back.
        let restored = Settings::from_named(&back, &named).unwrap();
        prop_assert_eq!(Grid::compile(&back, &restored), Grid::compile(&catalog, &settings));
    }

    /// (5) The catalog reader never panics on arbitrary text.
    #[test]
    fn from_json_never_panics_on_text(text in any::<String>()) {
        match Catalog::from_json(&text) {
            Ok(catalog) => prop_assert!(!catalog.is_empty()),
            Err(e) => prop_assert!(matches!(e, Error::InvalidCatalog(_))),
        }
    }

    /// (5) ... nor on catalog-like documents with missing parents, cycles, several roots,
    /// duplicate names and bad actions; whatever it accepts is a valid tree.
    #[test]
    fn from_json_never_panics_on_broken_catalogs(
        entries in prop::collection::vec(
            (
                0usize..8,
                prop::option::of(0usize..10),
                prop::collection::vec(prop::sample::select(vec!["view", "Create", "update", "delete", "fly", ""]), 0..5),
                any::<bool>(),
            ),
            0..10,
        ),
        roles in prop::option::of(prop::option::of(0usize..10)),
    ) {
        let resources: Vec<Value> = entries
            .iter()
            .map(|(name, parent, actions, upper)| {
                // Upper-case names collide with lower-case ones: such catalogs are refused.
                let name = if *upper { format!("N{name}") } else { format!("n{name}") };
                let mut entry = json!({"name": name, "actions": actions});
                if let Some(p) = parent {
                    entry["parent"] = json!(format!("n{p}"));
                }
                entry
            })
            .collect();
        let mut doc = json!({"resources": resources});
        if let Some(role) = roles {
            doc["roles"] = json!({"profile": role.map(|r| format!("n{r}"))});
        }
        match Catalog::from_json(&doc.to_string()) {
            Ok(catalog) => {
                prop_assert!(!catalog.is_empty());
                let root = catalog.root();
                prop_assert_eq!(catalog.parent(root), None);
                for r in catalog.resources().skip(1) {
                    let parent = catalog.parent(r).unwrap();
                    prop_assert!(parent < r);
                    prop_assert_eq!(catalog.depth(r), catalog.depth(parent) + 1);
                    prop_assert!(catalog.is_within(r, root));
                    prop_assert_eq!(catalog.resource(catalog.name(r)), Some(r));
                }
                // Accepted names are distinct whatever their letter case.
                let mut keys: Vec<String> =
                    catalog.resources().map(|r| catalog.name(r).to_lowercase()).collect();
                keys.sort();
                keys.dedup();
                prop_assert_eq!(keys.len(), catalog.len());
            }
            Err(e) => prop_assert!(matches!(e, Error::InvalidCatalog(_)), "{e:?}"),
        }
    }

    /// (6) A handle addresses resources only in the catalog that issued it and in catalogs
    /// equal to it; grids and settings of any other catalog ignore it.
    #[test]
    fn handles_are_bound_to_their_catalog(
        (t, choices) in scene(),
        (u, other_choices) in scene(),
    ) {
        let catalog = t.catalog();
        let other = u.catalog();
        let same = catalog == other;
        prop_assert_eq!(same, catalog.fingerprint() == other.fingerprint());
        let settings = settings_for(&other, &other_choices);
        let grid = Grid::compile(&other, &settings);
        let owner = Grid::owner(&other);
        for id in catalog.resources() {
            prop_assert_eq!(other.contains(id), same);
            if same {
                continue;
            }
            prop_assert_eq!(other.name(id), "");
            prop_assert_eq!(other.parent(id), None);
            prop_assert!(other.actions(id).is_empty());
            prop_assert_eq!(other.ancestors(id).count(), 0);
            prop_assert_eq!(other.children(id).count(), 0);
            prop_assert!(!other.is_within(id, other.root()));
            for a in Action::ALL {
                prop_assert_eq!(grid.check(id, a), Effective::NotApplicable);
                prop_assert!(!owner.allows(id, a));
                prop_assert_eq!(settings.get(id, a), Setting::Inherit);
                prop_assert_eq!(resolve(&other, &settings, id, a).origin, Origin::NotApplicable);
                let mut scratch = settings.clone();
                prop_assert!(matches!(
                    scratch.set(&other, id, a, Setting::Allow),
                    Err(Error::UnknownResource(_))
                ));
                prop_assert_eq!(&scratch, &settings);
            }
        }
        // The same tree read again (a separately built, equal catalog) takes every handle.
        let again = t.catalog();
        let mine = settings_for(&catalog, &choices);
        prop_assert_eq!(Grid::compile(&again, &mine), Grid::compile(&catalog, &mine));
        for id in catalog.resources() {
            prop_assert!(again.contains(id));
            prop_assert_eq!(again.name(id), catalog.name(id));
        }
    }

    /// (7) One rule for names: a resource is found by its name in any letter case and with
    /// surrounding whitespace, and a name no resource has (in any case) finds nothing.
    #[test]
    fn names_are_found_whatever_their_case(
        t in tree(),
        spelling in prop::collection::vec((any::<bool>(), 0usize..3), 24),
        missing in "( ?[rR] [0-9]{1,2}\\t?)|([a-zA-Z ]{0,8})",
    ) {
        let catalog = t.catalog();
        for (i, id) in catalog.resources().enumerate() {
            let name = catalog.name(id);
            let (upper, pad) = spelling[i % spelling.len()];
            let cased = if upper { name.to_uppercase() } else { name.to_lowercase() };
            let padded = format!("{}{cased}{}", " ".repeat(pad), "\t".repeat(pad));
            prop_assert_eq!(catalog.resource(&padded), Some(id));
            prop_assert_eq!(catalog.require(&padded).unwrap(), id);
        }
        let known = catalog
            .resources()
            .any(|r| catalog.name(r).to_lowercase() == missing.trim().to_lowercase());
        prop_assert_eq!(catalog.resource(&missing).is_some(), known);
        if !known {
            prop_assert_eq!(catalog.require(&missing), Err(Error::UnknownResource(missing.clone())));
        }
    }
}

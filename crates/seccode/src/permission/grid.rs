//! Effective values: the reference walk [`resolve`] and the compiled [`Grid`].

use super::resource::CatalogTag;
use super::{Action, Catalog, Effective, ResourceId, Setting, Settings, pick, pick_mut};

/// Where an effective value comes from: the answer to "why".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The cell's own explicit Allow or Deny.
    Explicit,
    /// The explicit setting of this ancestor (the nearest one with an explicit setting).
    Inherited(ResourceId),
    /// Nothing up to the root is explicit: [`Effective::None`].
    Default,
    /// The primary contact, who is allowed everything.
    Owner,
    /// The action does not apply to the resource.
    NotApplicable,
}

impl Origin {
    /// `explicit`, `inherited`, `default`, `owner` or `not_applicable`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Origin::Explicit => "explicit",
            Origin::Inherited(_) => "inherited",
            Origin::Default => "default",
            Origin::Owner => "owner",
            Origin::NotApplicable => "not_applicable",
        }
    }
}

/// One cell of a contact's grid: its effective value and where that comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cell {
    /// The cell's resource.
    pub resource: ResourceId,
    /// The cell's action.
    pub action: Action,
    /// The effective value.
    pub value: Effective,
    /// Where the value comes from.
    pub origin: Origin,
}

impl Cell {
    /// The resource whose setting decided this cell: the cell's own resource when explicit,
    /// the ancestor when inherited, `None` when nothing did (default, owner, not applicable).
    pub fn decided_by(&self) -> Option<ResourceId> {
        match self.origin {
            Origin::Explicit => Some(self.resource),
            Origin::Inherited(r) => Some(r),
            Origin::Default | Origin::Owner | Origin::NotApplicable => None,
        }
    }

    /// Whether the cell grants access (effective Allow).
    pub fn is_allow(&self) -> bool {
        self.value.is_allow()
    }

    fn not_applicable(resource: ResourceId, action: Action) -> Cell {
        Cell {
            resource,
            action,
            value: Effective::NotApplicable,
            origin: Origin::NotApplicable,
        }
    }
}

fn effective(setting: Setting) -> Option<Effective> {
    match setting {
        Setting::Inherit => None,
        Setting::Allow => Some(Effective::Allow),
        Setting::Deny => Some(Effective::Deny),
    }
}

/// The effective value of one cell, by the plain rule of SPEC 4: walk from the resource up to
/// the root; the nearest explicit Allow or Deny wins; if none, [`Effective::None`] with
/// [`Origin::Default`]. A cell whose action does not apply (or a handle `catalog` does not
/// hold) is [`Effective::NotApplicable`]. An ancestor on which the action does not apply has
/// no setting for it: the walk passes through.
///
/// This is the reference; [`Grid`] answers the same in constant time.
pub fn resolve(catalog: &Catalog, settings: &Settings, id: ResourceId, action: Action) -> Cell {
    if !catalog.applies(id, action) {
        return Cell::not_applicable(id, action);
    }
    for at in catalog.ancestors(id) {
        if !catalog.applies(at, action) {
            continue;
        }
        if let Some(value) = effective(settings.get(at, action)) {
            let origin = if at == id {
                Origin::Explicit
            } else {
                Origin::Inherited(at)
            };
            return Cell {
                resource: id,
                action,
                value,
                origin,
            };
        }
    }
    Cell {
        resource: id,
        action,
        value: Effective::None,
        origin: Origin::Default,
    }
}

/// Where a compiled cell's value comes from; [`Origin`] without the catalog's fingerprint,
/// which the grid holds once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Source {
    Explicit,
    Inherited(u16),
    Default,
    Owner,
    NotApplicable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Slot {
    value: Effective,
    source: Source,
}

const NOT_APPLICABLE: Slot = Slot {
    value: Effective::NotApplicable,
    source: Source::NotApplicable,
};

/// A contact's compiled grid: the effective value of every cell of a catalog.
///
/// Built once per change of settings; every lookup then takes constant time, allocates
/// nothing, and answers [`Effective::NotApplicable`] for a handle the catalog the grid was
/// compiled for does not hold (a handle of another catalog, whatever its index). Two grids
/// are equal when they were compiled for equal catalogs and hold the same cells.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Grid {
    catalog: CatalogTag,
    rows: Vec<[Slot; 4]>,
}

impl Grid {
    /// Compiles a contact's settings: one pass over the catalog in display order (parents
    /// before children), linear in its size. Agrees with [`resolve`] on every cell. Settings
    /// of another catalog count as Inherit everywhere.
    pub fn compile(catalog: &Catalog, settings: &Settings) -> Grid {
        // What a child inherits for each action: the nearest explicit value on the path from
        // the root, and the position of the resource that holds it. Passes through
        // not-applicable cells.
        let mut carry: Vec<[Option<(Effective, u16)>; 4]> = Vec::with_capacity(catalog.len());
        let mut rows = Vec::with_capacity(catalog.len());
        for id in catalog.resources() {
            let inherited = catalog
                .parent(id)
                .and_then(|p| carry.get(p.index()))
                .copied()
                .unwrap_or([None; 4]);
            let mut passed = inherited;
            let mut row = [NOT_APPLICABLE; 4];
            for action in catalog.actions(id) {
                let slot = match effective(settings.get(id, action)) {
                    Some(value) => {
                        *pick_mut(&mut passed, action) = Some((value, position(id)));
                        Slot {
                            value,
                            source: Source::Explicit,
                        }
                    }
                    None => match *pick(&inherited, action) {
                        Some((value, from)) => Slot {
                            value,
                            source: Source::Inherited(from),
                        },
                        None => Slot {
                            value: Effective::None,
                            source: Source::Default,
                        },
                    },
                };
                *pick_mut(&mut row, action) = slot;
            }
            carry.push(passed);
            rows.push(row);
        }
        Grid {
            catalog: catalog.tag(),
            rows,
        }
    }

    /// The primary contact's grid: every applicable cell Allow ([`Origin::Owner`]), whatever
    /// its settings.
    pub fn owner(catalog: &Catalog) -> Grid {
        let rows = catalog
            .resources()
            .map(|id| {
                let mut row = [NOT_APPLICABLE; 4];
                for action in catalog.actions(id) {
                    *pick_mut(&mut row, action) = Slot {
                        value: Effective::Allow,
                        source: Source::Owner,
                    };
                }
                row
            })
            .collect();
        Grid {
            catalog: catalog.tag(),
            rows,
        }
    }

    /// The compiled row of a handle of the grid's catalog.
    fn row(&self, id: ResourceId) -> Option<&[Slot; 4]> {
        if id.tag() == self.catalog {
            self.rows.get(id.index())
        } else {
            None
        }
    }

    fn origin(&self, source: Source) -> Origin {
        match source {
            Source::Explicit => Origin::Explicit,
            Source::Inherited(from) => {
                Origin::Inherited(ResourceId::new(self.catalog, usize::from(from)))
            }
            Source::Default => Origin::Default,
            Source::Owner => Origin::Owner,
            Source::NotApplicable => Origin::NotApplicable,
        }
    }

    /// One cell with its origin. Constant time, no allocation.
    pub fn cell(&self, id: ResourceId, action: Action) -> Cell {
        let slot = self
            .row(id)
            .map_or(NOT_APPLICABLE, |row| *pick(row, action));
        Cell {
            resource: id,
            action,
            value: slot.value,
            origin: self.origin(slot.source),
        }
    }

    /// The effective value of one cell. Constant time, no allocation.
    pub fn check(&self, id: ResourceId, action: Action) -> Effective {
        self.row(id)
            .map_or(Effective::NotApplicable, |row| pick(row, action).value)
    }

    /// Whether the cell's effective value is Allow. Constant time, no allocation.
    pub fn allows(&self, id: ResourceId, action: Action) -> bool {
        self.check(id, action).is_allow()
    }

    /// The number of resources the grid covers.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the grid covers no resource (only [`Grid::default`]).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Every cell, in display order and then column order (not-applicable cells included).
    pub fn cells(&self) -> impl Iterator<Item = Cell> + '_ {
        self.rows.iter().enumerate().flat_map(move |(i, row)| {
            let id = ResourceId::new(self.catalog, i);
            Action::ALL.into_iter().map(move |action| {
                let slot = *pick(row, action);
                Cell {
                    resource: id,
                    action,
                    value: slot.value,
                    origin: self.origin(slot.source),
                }
            })
        })
    }
}

/// The position of a resource as the grid stores it (catalogs hold at most
/// [`Catalog::MAX_RESOURCES`] resources, far below `u16::MAX`).
fn position(id: ResourceId) -> u16 {
    u16::try_from(id.index()).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    fn id(c: &Catalog, name: &str) -> ResourceId {
        c.require(name).unwrap()
    }

    fn agree(c: &Catalog, s: &Settings) -> Grid {
        let g = Grid::compile(c, s);
        for r in c.resources() {
            for a in Action::ALL {
                assert_eq!(g.cell(r, a), resolve(c, s, r, a), "{} {a}", c.name(r));
                assert_eq!(g.check(r, a), g.cell(r, a).value);
            }
        }
        g
    }

    #[test]
    fn fresh_contact_is_none_everywhere() {
        let c = Catalog::portal();
        let g = agree(&c, &Settings::new(&c));
        let pw = id(&c, "Change Password");
        assert_eq!(g.check(pw, Action::Create), Effective::NotApplicable);
        assert_eq!(g.check(pw, Action::Update), Effective::None);
        assert_eq!(g.cell(pw, Action::View).origin, Origin::Default);
        assert_eq!(g.cell(pw, Action::View).decided_by(), None);
        assert_eq!(g.len(), 13);
        assert!(g.cells().all(|cell| !cell.is_allow()));
    }

    #[test]
    fn nearest_setting_wins() {
        let c = Catalog::portal();
        let mut s = Settings::new(&c);
        let cp = id(&c, "Client Profile");
        let profile = id(&c, "Profile");
        s.set(&c, cp, Action::View, Setting::Deny).unwrap();
        s.set(&c, profile, Action::View, Setting::Allow).unwrap();
        let g = agree(&c, &s);
        assert!(g.allows(profile, Action::View));
        assert_eq!(g.cell(profile, Action::View).origin, Origin::Explicit);
        assert_eq!(g.cell(profile, Action::View).decided_by(), Some(profile));
        let pm = id(&c, "Payment Methods");
        assert_eq!(g.check(pm, Action::View), Effective::Deny);
        assert_eq!(g.cell(pm, Action::View).origin, Origin::Inherited(cp));
        assert_eq!(g.cell(pm, Action::View).decided_by(), Some(cp));
        assert_eq!(g.check(c.root(), Action::View), Effective::None);
        assert_eq!(g.check(pm, Action::Update), Effective::None);
    }

    #[test]
    fn walk_passes_through_not_applicable_ancestors() {
        let c = Catalog::from_json(
            r#"{"resources":[{"name":"Store","actions":["view","create"]},
                {"name":"Orders","parent":"Store","actions":["view"]},
                {"name":"Refunds","parent":"Orders","actions":["view","create"]}]}"#,
        )
        .unwrap();
        let mut s = Settings::new(&c);
        let store = id(&c, "Store");
        s.set(&c, store, Action::Create, Setting::Allow).unwrap();
        let g = agree(&c, &s);
        let refunds = id(&c, "Refunds");
        assert_eq!(
            g.check(id(&c, "Orders"), Action::Create),
            Effective::NotApplicable
        );
        assert_eq!(g.check(refunds, Action::Create), Effective::Allow);
        assert_eq!(
            g.cell(refunds, Action::Create).origin,
            Origin::Inherited(store)
        );
    }

    #[test]
    fn owner_allows_every_applicable_cell() {
        let c = Catalog::portal();
        let g = Grid::owner(&c);
        let web = id(&c, "Website");
        assert!(g.allows(web, Action::View));
        assert_eq!(g.cell(web, Action::View).origin, Origin::Owner);
        assert_eq!(g.cell(web, Action::View).decided_by(), None);
        assert_eq!(g.check(web, Action::Update), Effective::NotApplicable);
        assert!(!g.allows(web, Action::Delete));
        let allowed = g.cells().filter(Cell::is_allow).count();
        // 11 resources with four actions, Change Password with two, Website with one.
        assert_eq!(allowed, 11 * 4 + 2 + 1);
    }

    #[test]
    fn foreign_handles_are_not_applicable() {
        let c = Catalog::portal();
        let mut s = Settings::new(&c);
        s.set(&c, c.root(), Action::View, Setting::Allow).unwrap();
        let g = Grid::compile(&c, &s);
        let owner = Grid::owner(&c);
        // Another catalog of the same size whose every cell applies: its handles have the
        // indexes of `c`'s, and still address nothing in `c`'s grids.
        let other = Catalog::from_json(
            &c.to_json()
                .unwrap()
                .replace(r#""actions":["view"]"#, r#""actions":["view","create"]"#),
        )
        .unwrap();
        assert_eq!(other.len(), c.len());
        for foreign in other.resources() {
            assert!(g.allows(c.id_at(foreign.index()).unwrap(), Action::View));
            let cell = g.cell(foreign, Action::View);
            assert_eq!(cell.value, Effective::NotApplicable);
            assert_eq!(cell.origin, Origin::NotApplicable);
            assert!(!owner.allows(foreign, Action::View));
            assert_eq!(
                resolve(&c, &s, foreign, Action::View).value,
                Effective::NotApplicable
            );
        }
        // A grid of `c` answers for an equal catalog's handles.
        let again = Catalog::portal();
        assert!(g.allows(again.require("Website").unwrap(), Action::View));
        assert_eq!(Grid::compile(&again, &s), g);
        assert!(Grid::default().is_empty());
        assert_eq!(
            Grid::default().check(c.root(), Action::View),
            Effective::NotApplicable
        );
    }

    #[test]
    fn inherited_origin_names_the_catalog_resource() {
        let c = Catalog::portal();
        let mut s = Settings::new(&c);
        s.set(&c, c.root(), Action::Delete, Setting::Deny).unwrap();
        let g = Grid::compile(&c, &s);
        let reports = id(&c, "Reports");
        let Origin::Inherited(from) = g.cell(reports, Action::Delete).origin else {
            panic!("expected an inherited cell");
        };
        assert_eq!(from, c.root());
        assert!(c.contains(from));
        assert!(g.cells().all(|cell| c.contains(cell.resource)));
    }
}

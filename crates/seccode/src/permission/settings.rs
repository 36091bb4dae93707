//! One contact's raw settings: Inherit, Allow or Deny in each applicable cell.

use std::collections::BTreeMap;

use super::resource::CatalogTag;
use super::{Action, Catalog, ResourceId, Setting, pick, pick_mut, quoted};
use crate::error::{Error, Result};

/// One contact's raw settings, a table aligned with a [`Catalog`]: a [`Setting`] per resource
/// and action, [`Setting::Inherit`] unless set otherwise.
///
/// Settings belong to the catalog they were made for ([`Settings::new`]) and answer only for
/// its handles (and those of catalogs equal to it); a handle of another catalog reads as
/// Inherit. [`Settings::default`] belongs to no catalog until its first [`Settings::set`].
///
/// A not-applicable cell always holds Inherit: [`Settings::set`] refuses Allow and Deny
/// there. Two `Settings` are equal when they hold the same explicit cells (of equal
/// catalogs); all-Inherit settings are equal whatever their catalog.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    catalog: Option<CatalogTag>,
    cells: Vec<[Setting; 4]>,
}

impl Settings {
    /// A fresh contact's settings for `catalog`: Inherit everywhere.
    pub fn new(catalog: &Catalog) -> Settings {
        Settings {
            catalog: Some(catalog.tag()),
            cells: vec![[Setting::Inherit; 4]; catalog.len()],
        }
    }

    /// The row of a handle of the settings' catalog.
    fn row(&self, id: ResourceId) -> Option<&[Setting; 4]> {
        if self.catalog == Some(id.tag()) {
            self.cells.get(id.index())
        } else {
            None
        }
    }

    /// The setting of one cell; Inherit for a not-applicable cell or a handle of another
    /// catalog.
    pub fn get(&self, id: ResourceId, action: Action) -> Setting {
        self.row(id)
            .map_or(Setting::Inherit, |row| *pick(row, action))
    }

    /// Changes one cell and returns its previous setting.
    ///
    /// Setting Inherit on a not-applicable cell changes nothing and succeeds. Settings that
    /// are Inherit everywhere (fresh, or [`Settings::default`]) take `catalog` as theirs.
    ///
    /// # Errors
    ///
    /// - [`Error::UnknownResource`] (named `#index`) when `id` is not a handle of `catalog`,
    ///   or when these settings hold explicit cells of another catalog;
    /// - [`Error::NotApplicable`] when `setting` is Allow or Deny and `action` does not apply
    ///   to the resource.
    pub fn set(
        &mut self,
        catalog: &Catalog,
        id: ResourceId,
        action: Action,
        setting: Setting,
    ) -> Result<Setting> {
        if !catalog.contains(id) {
            return Err(foreign(id));
        }
        if self.catalog != Some(catalog.tag()) {
            if !self.is_all_inherit() {
                return Err(foreign(id));
            }
            *self = Settings::new(catalog);
        }
        if !catalog.applies(id, action) {
            return match setting {
                Setting::Inherit => Ok(Setting::Inherit),
                Setting::Allow | Setting::Deny => Err(Error::NotApplicable {
                    resource: catalog.name(id).to_owned(),
                    action,
                }),
            };
        }
        if self.cells.len() < catalog.len() {
            self.cells.resize(catalog.len(), [Setting::Inherit; 4]);
        }
        let row = self.cells.get_mut(id.index()).ok_or_else(|| foreign(id))?;
        Ok(std::mem::replace(pick_mut(row, action), setting))
    }

    /// Every explicit (Allow or Deny) cell, in display order and then column order.
    pub fn explicit(&self) -> impl Iterator<Item = (ResourceId, Action, Setting)> + '_ {
        let tag = self.catalog;
        tag.into_iter()
            .flat_map(move |tag| {
                self.cells
                    .iter()
                    .enumerate()
                    .map(move |(i, row)| (ResourceId::new(tag, i), row))
            })
            .flat_map(|(id, row)| {
                Action::ALL.into_iter().filter_map(move |action| {
                    let setting = *pick(row, action);
                    setting.is_explicit().then_some((id, action, setting))
                })
            })
    }

    /// Whether no cell is explicit (a fresh contact).
    pub fn is_all_inherit(&self) -> bool {
        self.explicit().next().is_none()
    }

    /// The explicit cells by resource name and action, as stored data holds them.
    pub fn to_named(&self, catalog: &Catalog) -> BTreeMap<String, BTreeMap<Action, Setting>> {
        let mut named: BTreeMap<String, BTreeMap<Action, Setting>> = BTreeMap::new();
        for (id, action, setting) in self.explicit() {
            if catalog.contains(id) {
                named
                    .entry(catalog.name(id).to_owned())
                    .or_default()
                    .insert(action, setting);
            }
        }
        named
    }

    /// Settings from explicit cells by resource name and action ([`Settings::to_named`]'s
    /// shape). Inherit entries are accepted and change nothing.
    ///
    /// # Errors
    ///
    /// - [`Error::UnknownResource`] for a name the catalog lacks (names are found as
    ///   [`Catalog::resource`] finds them: letter case and surrounding whitespace ignored);
    /// - [`Error::NotApplicable`] for Allow or Deny on a not-applicable cell;
    /// - [`Error::InconsistentData`] when two names find the same resource.
    ///
    /// The first in name order is reported.
    pub fn from_named(
        catalog: &Catalog,
        named: &BTreeMap<String, BTreeMap<Action, Setting>>,
    ) -> Result<Settings> {
        let mut settings = Settings::new(catalog);
        let mut seen: BTreeMap<ResourceId, &str> = BTreeMap::new();
        for (name, row) in named {
            let id = catalog.require(name)?;
            if let Some(first) = seen.insert(id, name) {
                return Err(Error::InconsistentData(format!(
                    "the settings name resource {} twice, as {} and {}",
                    quoted(catalog.name(id)),
                    quoted(first),
                    quoted(name)
                )));
            }
            for (action, setting) in row {
                settings.set(catalog, id, *action, *setting)?;
            }
        }
        Ok(settings)
    }
}

impl PartialEq for Settings {
    fn eq(&self, other: &Settings) -> bool {
        self.explicit().eq(other.explicit())
    }
}

impl Eq for Settings {}

fn foreign(id: ResourceId) -> Error {
    Error::UnknownResource(format!("#{}", id.index()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn fresh_settings_inherit_everywhere() {
        let c = Catalog::portal();
        let s = Settings::new(&c);
        for r in c.resources() {
            for a in Action::ALL {
                assert_eq!(s.get(r, a), Setting::Inherit);
            }
        }
        assert!(s.is_all_inherit());
        assert!(s.to_named(&c).is_empty());
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn set_returns_previous() {
        let c = Catalog::portal();
        let mut s = Settings::new(&c);
        let mc = c.require("Manage Contacts").unwrap();
        assert_eq!(
            s.set(&c, mc, Action::View, Setting::Allow).unwrap(),
            Setting::Inherit
        );
        assert_eq!(
            s.set(&c, mc, Action::View, Setting::Deny).unwrap(),
            Setting::Allow
        );
        assert_eq!(s.get(mc, Action::View), Setting::Deny);
        assert_eq!(s.get(mc, Action::Update), Setting::Inherit);
        assert_eq!(
            s.set(&c, mc, Action::View, Setting::Inherit).unwrap(),
            Setting::Deny
        );
        assert!(s.is_all_inherit());
    }

    #[test]
    fn not_applicable_cells_refuse_allow_and_deny() {
        let c = Catalog::portal();
        let mut s = Settings::new(&c);
        let pw = c.require("Change Password").unwrap();
        let e = s.set(&c, pw, Action::Create, Setting::Allow).unwrap_err();
        assert_eq!(
            e,
            Error::NotApplicable {
                resource: "Change Password".to_owned(),
                action: Action::Create
            }
        );
        assert_eq!(
            e.to_string(),
            "`Create` is not applicable to `Change Password`"
        );
        assert!(s.set(&c, pw, Action::Delete, Setting::Deny).is_err());
        assert_eq!(
            s.set(&c, pw, Action::Create, Setting::Inherit).unwrap(),
            Setting::Inherit
        );
        assert!(s.is_all_inherit());
    }

    fn store() -> Catalog {
        Catalog::from_json(
            r#"{"resources":[{"name":"Store","actions":["view","update"]},
                {"name":"Orders","parent":"Store","actions":["view"]}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn foreign_handle_is_unknown_resource() {
        let c = Catalog::portal();
        let other = store();
        let mut s = Settings::new(&c);
        s.set(&c, c.root(), Action::View, Setting::Allow).unwrap();
        // `other`'s root has index 0 like `c`'s, and is still not `c`'s.
        let foreign = other.root();
        assert_eq!(foreign.index(), 0);
        assert_eq!(s.get(foreign, Action::View), Setting::Inherit);
        assert_eq!(
            s.set(&c, foreign, Action::View, Setting::Deny).unwrap_err(),
            Error::UnknownResource("#0".to_owned())
        );
        // Settings holding `c`'s cells refuse `other`'s handles even with `other`.
        assert_eq!(
            s.set(&other, foreign, Action::View, Setting::Deny)
                .unwrap_err(),
            Error::UnknownResource("#0".to_owned())
        );
        assert_eq!(s.get(c.root(), Action::View), Setting::Allow);
        // All-Inherit settings take the catalog they are first set with.
        let mut fresh = Settings::new(&c);
        fresh
            .set(&other, foreign, Action::Update, Setting::Deny)
            .unwrap();
        assert_eq!(fresh.get(foreign, Action::Update), Setting::Deny);
        assert_eq!(fresh.get(c.root(), Action::Update), Setting::Inherit);
        assert_ne!(fresh, Settings::new(&other));
        assert_eq!(Settings::new(&c), Settings::new(&other));
    }

    #[test]
    fn equal_catalogs_share_settings() {
        let c = Catalog::portal();
        let again = Catalog::from_json(&c.to_json().unwrap()).unwrap();
        let mut s = Settings::new(&c);
        let web = again.require("website").unwrap();
        s.set(&c, web, Action::View, Setting::Deny).unwrap();
        assert_eq!(
            s.get(c.require("Website").unwrap(), Action::View),
            Setting::Deny
        );
        assert_eq!(s.to_named(&again), s.to_named(&c));
    }

    #[test]
    fn default_settings_grow_on_set() {
        let c = Catalog::portal();
        let mut s = Settings::default();
        let web = c.require("Website").unwrap();
        s.set(&c, web, Action::View, Setting::Allow).unwrap();
        assert_eq!(s.get(web, Action::View), Setting::Allow);
    }

    #[test]
    fn named_round_trip_and_errors() {
        let c = Catalog::portal();
        let mut s = Settings::new(&c);
        let mc = c.require("Manage Contacts").unwrap();
        let root = c.root();
        s.set(&c, mc, Action::View, Setting::Allow).unwrap();
        s.set(&c, mc, Action::Update, Setting::Allow).unwrap();
        s.set(&c, root, Action::Delete, Setting::Deny).unwrap();
        let named = s.to_named(&c);
        assert_eq!(named.len(), 2);
        assert_eq!(named["Manage Contacts"][&Action::Update], Setting::Allow);
        assert_eq!(named["Client Portal"][&Action::Delete], Setting::Deny);
        let explicit: Vec<_> = s.explicit().collect();
        assert_eq!(
            explicit,
            [
                (root, Action::Delete, Setting::Deny),
                (mc, Action::View, Setting::Allow),
                (mc, Action::Update, Setting::Allow)
            ]
        );
        assert_eq!(Settings::from_named(&c, &named).unwrap(), s);

        let mut bad = BTreeMap::new();
        bad.insert(
            "Nope".to_owned(),
            BTreeMap::from([(Action::View, Setting::Allow)]),
        );
        assert_eq!(
            Settings::from_named(&c, &bad).unwrap_err(),
            Error::UnknownResource("Nope".to_owned())
        );
        let mut na = BTreeMap::new();
        na.insert(
            "Website".to_owned(),
            BTreeMap::from([(Action::Update, Setting::Deny)]),
        );
        assert!(matches!(
            Settings::from_named(&c, &na),
            Err(Error::NotApplicable {
                action: Action::Update,
                ..
            })
        ));
        let spelled = BTreeMap::from([
            (
                "manage CONTACTS".to_owned(),
                BTreeMap::from([
                    (Action::View, Setting::Allow),
                    (Action::Update, Setting::Allow),
                ]),
            ),
            (
                "Client Portal".to_owned(),
                BTreeMap::from([(Action::Delete, Setting::Deny)]),
            ),
        ]);
        assert_eq!(Settings::from_named(&c, &spelled).unwrap(), s);
        let twice = BTreeMap::from([
            (
                "Profile".to_owned(),
                BTreeMap::from([(Action::View, Setting::Allow)]),
            ),
            (
                "profile".to_owned(),
                BTreeMap::from([(Action::View, Setting::Deny)]),
            ),
        ]);
        assert_eq!(
            Settings::from_named(&c, &twice).unwrap_err(),
            Error::InconsistentData(
                "the settings name resource `Profile` twice, as `Profile` and `profile`".to_owned()
            )
        );
        let mut inherit_na = BTreeMap::new();
        inherit_na.insert(
            "Website".to_owned(),
            BTreeMap::from([(Action::Update, Setting::Inherit)]),
        );
        assert!(
            Settings::from_named(&c, &inherit_na)
                .unwrap()
                .is_all_inherit()
        );
    }
}

//! One contact's raw settings: Inherit, Allow or Deny in each applicable cell.

use std::collections::BTreeMap;

use super::{Action, Catalog, ResourceId, Setting, pick, pick_mut};
use crate::error::{Error, Result};

/// One contact's raw settings, a table aligned with a [`Catalog`]: a [`Setting`] per resource
/// and action, [`Setting::Inherit`] unless set otherwise.
///
/// A not-applicable cell always holds Inherit: [`Settings::set`] refuses Allow and Deny
/// there. Two `Settings` are equal when they hold the same explicit cells.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    cells: Vec<[Setting; 4]>,
}

impl Settings {
    /// A fresh contact's settings for `catalog`: Inherit everywhere.
    pub fn new(catalog: &Catalog) -> Settings {
        Settings {
            cells: vec![[Setting::Inherit; 4]; catalog.len()],
        }
    }

    /// The setting of one cell; Inherit for a not-applicable cell or a foreign handle.
    pub fn get(&self, id: ResourceId, action: Action) -> Setting {
        self.cells
            .get(id.index())
            .map_or(Setting::Inherit, |row| *pick(row, action))
    }

    /// Changes one cell and returns its previous setting.
    ///
    /// Setting Inherit on a not-applicable cell changes nothing and succeeds.
    ///
    /// # Errors
    ///
    /// - [`Error::NotApplicable`] when `setting` is Allow or Deny and `action` does not apply
    ///   to the resource;
    /// - [`Error::UnknownResource`] when `id` is not a handle of `catalog` (named `#index`).
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
        self.cells.iter().enumerate().flat_map(|(i, row)| {
            let id = ResourceId::from_index(i);
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
    /// [`Error::UnknownResource`] for a name the catalog lacks, [`Error::NotApplicable`] for
    /// Allow or Deny on a not-applicable cell; the first in name order is reported.
    pub fn from_named(
        catalog: &Catalog,
        named: &BTreeMap<String, BTreeMap<Action, Setting>>,
    ) -> Result<Settings> {
        let mut settings = Settings::new(catalog);
        for (name, row) in named {
            let id = catalog.require(name)?;
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

    #[test]
    fn foreign_handle_is_unknown_resource() {
        let c = Catalog::portal();
        let mut s = Settings::new(&c);
        let foreign = ResourceId::from_index(99);
        assert_eq!(s.get(foreign, Action::View), Setting::Inherit);
        assert_eq!(
            s.set(&c, foreign, Action::View, Setting::Allow)
                .unwrap_err(),
            Error::UnknownResource("#99".to_owned())
        );
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

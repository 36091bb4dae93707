//! The seed portal's default catalog (SPEC 4).

use super::tree::{self, Ordered};
use super::{Action, ActionSet, Catalog};

const VCUD: ActionSet = ActionSet::ALL;
const VU: ActionSet = ActionSet::of(&[Action::View, Action::Update]);
const V: ActionSet = ActionSet::of(&[Action::View]);

/// The seed's catalog: name, depth, applicable actions, in display order.
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

impl Catalog {
    /// The seed portal's catalog, exactly as SPEC 4 shows it: 13 resources under
    /// "Client Portal"; "Change Password" has View and Update only, "Website" View only.
    /// Its roles are "Profile", "Manage Contacts" and "Billing & Services".
    ///
    /// Every call gives an equal catalog, so handles of one portal catalog work on another.
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
        Catalog::with_default_roles(tree::assemble(ordered))
    }
}

impl Default for Catalog {
    /// [`Catalog::portal`].
    fn default() -> Self {
        Catalog::portal()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn portal_matches_spec() {
        let c = Catalog::portal();
        assert_eq!(c.len(), 13);
        let names: Vec<&str> = c.resources().map(|r| c.name(r)).collect();
        assert_eq!(names, PORTAL.map(|(name, _, _)| name));
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
        for (id, (_, depth, actions)) in c.resources().zip(PORTAL) {
            assert_eq!(c.depth(id), depth);
            assert_eq!(c.actions(id), actions);
        }
        let roles = c.roles();
        assert_eq!(roles.profile, c.resource("Profile"));
        assert_eq!(roles.manage_contacts, c.resource("Manage Contacts"));
        assert_eq!(roles.billing, c.resource("Billing & Services"));
        assert!(roles.profile.is_some() && roles.billing.is_some());
        assert_eq!(Catalog::default(), c);
    }

    #[test]
    fn portal_passes_the_tree_rules() {
        // The portal skips validation; the same tree read as JSON must be accepted and equal.
        let c = Catalog::portal();
        let json = c.to_json().unwrap();
        assert_eq!(Catalog::from_json(&json).unwrap(), c);
        // And its names are distinct however they are spelled.
        for id in c.resources() {
            assert_eq!(c.resource(&c.name(id).to_uppercase()), Some(id));
        }
    }
}

//! The one JSON form of a catalog: a flat list of resources, each naming its parent.
//!
//! ```json
//! {
//!   "resources": [
//!     { "name": "Client Portal", "actions": ["view", "create", "update", "delete"] },
//!     { "name": "Client Profile", "parent": "Client Portal",
//!       "actions": ["view", "create", "update", "delete"] },
//!     { "name": "Change Password", "parent": "Client Profile", "actions": ["view", "update"] }
//!   ],
//!   "roles": { "profile": "Profile", "manage_contacts": "Manage Contacts",
//!              "billing": "Billing & Services" }
//! }
//! ```
//!
//! - `resources` lists every resource once. Each entry has a `name`, its applicable `actions`
//!   (required; any of `view`, `create`, `update`, `delete` in any letter case, each at most
//!   once; an empty list makes a grouping resource with no applicable cell) and, except for
//!   the one root, the name of its `parent`. Entries may come in any order; a resource's
//!   children are displayed in the order they are listed. Unknown keys are refused (a nested
//!   `children` list included).
//! - `roles` (optional) names the resources whose cells grant the rights of SPEC 3 (see
//!   `roles.rs`). When `roles` is absent, each role is the resource of its default name if
//!   the catalog has one. When present it is taken as written: a role that is missing or
//!   `null` has no resource.
//! - `parent` and role names find resources by the catalog's one rule (letter case and
//!   surrounding whitespace ignored, see `names.rs`); the tree rules are in `tree.rs`. Every
//!   violation is [`Error::InvalidCatalog`] naming the offending resource.
//!
//! [`Catalog::to_json`] (and `Serialize`) writes this form with one entry per resource in
//! display order, parents before children, and all three roles (`null` for a role without
//! resource). The document's nesting is the same however deep the tree is.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::tree::{self, Entry};
use super::{Action, ActionSet, Catalog, ResourceId, quoted, roles};
use crate::error::{Error, Result};

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

impl Catalog {
    /// Reads a catalog from its JSON form (see the module documentation of `json.rs`) and
    /// validates it.
    ///
    /// ```
    /// use seccode::{Action, Catalog};
    ///
    /// # fn main() -> seccode::Result<()> {
    /// let catalog = Catalog::from_json(
    ///     r#"{"resources":[{"name":"Store","actions":["view","update"]},
    ///                      {"name":"Orders","parent":"Store","actions":["view"]}]}"#,
    /// )?;
    /// let orders = catalog.require("orders")?;
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

    /// Writes the catalog as JSON: one entry per resource in display order, each but the root
    /// naming its parent, with all three roles. [`Catalog::from_json`] reads it back into an
    /// equal catalog (which accepts this catalog's [`ResourceId`]s).
    ///
    /// # Errors
    ///
    /// [`Error::Internal`] if the JSON writer fails (it does not for a valid catalog).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(&self.to_doc()).map_err(|e| Error::Internal(e.to_string()))
    }

    fn from_doc(doc: CatalogDoc) -> Result<Catalog> {
        let entries = doc
            .resources
            .into_iter()
            .map(entry)
            .collect::<Result<Vec<Entry>>>()?;
        let tree = tree::build(entries)?;
        Ok(match doc.roles {
            None => Catalog::with_default_roles(tree),
            Some(r) => {
                let positions = roles::named(
                    &tree,
                    [
                        r.profile.as_deref(),
                        r.manage_contacts.as_deref(),
                        r.billing.as_deref(),
                    ],
                )?;
                Catalog::new(tree, positions)
            }
        })
    }

    fn to_doc(&self) -> CatalogDoc {
        let resources = self
            .resources()
            .map(|id| EntryDoc {
                name: self.name(id).to_owned(),
                parent: self.parent(id).map(|p| self.name(p).to_owned()),
                actions: self
                    .actions(id)
                    .iter()
                    .map(|a| a.as_str().to_owned())
                    .collect(),
            })
            .collect();
        let roles = self.roles();
        let name_of = |r: Option<ResourceId>| r.map(|id| self.name(id).to_owned());
        CatalogDoc {
            resources,
            roles: Some(RolesDoc {
                profile: name_of(roles.profile),
                manage_contacts: name_of(roles.manage_contacts),
                billing: name_of(roles.billing),
            }),
        }
    }
}

/// One entry of the document, its actions checked.
fn entry(doc: EntryDoc) -> Result<Entry> {
    let mut actions = ActionSet::EMPTY;
    for raw in &doc.actions {
        let action = Action::from_str(raw).map_err(|_| {
            Error::InvalidCatalog(format!(
                "resource {} has unknown action {}",
                quoted(&doc.name),
                quoted(raw)
            ))
        })?;
        if !actions.insert(action) {
            return Err(Error::InvalidCatalog(format!(
                "resource {} lists action `{}` twice",
                quoted(&doc.name),
                action.as_str()
            )));
        }
    }
    Ok(Entry {
        name: doc.name,
        parent: doc.parent,
        actions,
    })
}

impl FromStr for Catalog {
    type Err = Error;

    /// [`Catalog::from_json`].
    fn from_str(s: &str) -> Result<Self> {
        Catalog::from_json(s)
    }
}

impl Serialize for Catalog {
    /// The form of [`Catalog::to_json`].
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.to_doc().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Catalog {
    /// The form of [`Catalog::from_json`], validated the same way.
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let doc = CatalogDoc::deserialize(deserializer)?;
        Catalog::from_doc(doc).map_err(serde::de::Error::custom)
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
    use crate::permission::Roles;

    fn err(json: &str) -> String {
        match Catalog::from_json(json) {
            Err(Error::InvalidCatalog(m)) => m,
            other => panic!("expected InvalidCatalog, got {other:?}"),
        }
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
        assert_eq!(json.parse::<Catalog>().unwrap(), c);
    }

    #[test]
    fn entries_in_any_order() {
        let listed = r#"{"resources":[
            {"name":"Refunds","parent":"Orders","actions":["view","create","update","delete"]},
            {"name":"Catalog","parent":"Store","actions":["view"]},
            {"name":"Store","actions":["view","create","update","delete"]},
            {"name":"Orders","parent":"Store","actions":["update","View"]}]}"#;
        let c = Catalog::from_json(listed).unwrap();
        let names: Vec<&str> = c.resources().map(|r| c.name(r)).collect();
        // Children in the order they are listed (Catalog before Orders).
        assert_eq!(names, ["Store", "Catalog", "Orders", "Refunds"]);
        let orders = c.require("Orders").unwrap();
        assert_eq!(
            c.actions(orders),
            ActionSet::of(&[Action::View, Action::Update])
        );
        assert_eq!(c.depth(c.require("Refunds").unwrap()), 2);
        assert_eq!(c.roles(), Roles::default());
        let back = Catalog::from_json(&c.to_json().unwrap()).unwrap();
        assert_eq!(back, c);
        assert!(back.contains(orders));
    }

    #[test]
    fn parents_and_roles_are_found_like_any_name() {
        let json = r#"{"resources":[{"name":"Store","actions":["view"]},
            {"name":"Orders","parent":"store","actions":["view"]},
            {"name":"Refunds","parent":" ORDERS ","actions":["view"]}],
            "roles":{"profile":"orders","billing":"REFUNDS"}}"#;
        let c = Catalog::from_json(json).unwrap();
        assert_eq!(
            c.parent(c.require("Refunds").unwrap()),
            c.resource("Orders")
        );
        assert_eq!(c.roles().profile, c.resource("Orders"));
        assert_eq!(c.roles().billing, c.resource("Refunds"));
        // Written back with the resources' own spelling.
        let out = c.to_json().unwrap();
        assert!(out.contains(r#"{"name":"Refunds","parent":"Orders","actions":["view"]}"#));
        assert!(out.contains(r#""profile":"Orders","manage_contacts":null,"billing":"Refunds""#));
    }

    #[test]
    fn roles_explicit_and_default() {
        let json = r#"{"resources":[{"name":"Root","actions":["view"]},
            {"name":"Me","parent":"Root","actions":["view","update"]},
            {"name":"Profile","parent":"Root","actions":["view"]}],
            "roles":{"profile":"Me","billing":null}}"#;
        let c = Catalog::from_json(json).unwrap();
        assert_eq!(c.roles().profile, c.resource("Me"));
        assert_eq!(c.roles().manage_contacts, None);
        assert_eq!(c.roles().billing, None);
        let back = Catalog::from_json(&c.to_json().unwrap()).unwrap();
        assert_eq!(back.roles(), c.roles());

        let no_roles = r#"{"resources":[{"name":"Root","actions":["view"]},
            {"name":"profile","parent":"Root","actions":["view"]}]}"#;
        let c = Catalog::from_json(no_roles).unwrap();
        assert_eq!(c.roles().profile, c.resource("Profile"));
        assert_eq!(c.roles().manage_contacts, None);

        let bad = r#"{"resources":[{"name":"Root","actions":[]}],"roles":{"billing":"Money"}}"#;
        assert_eq!(err(bad), "role `billing` names unknown resource `Money`");
        let typo = r#"{"resources":[{"name":"Root","actions":[]}],"roles":{"bill":"Root"}}"#;
        assert!(err(typo).contains("unknown field `bill`"));
    }

    #[test]
    fn nested_children_are_not_a_form() {
        let nested = r#"{"resources":[{"name":"Store","actions":["view"],
            "children":[{"name":"Orders","actions":["view"]}]}]}"#;
        assert!(err(nested).contains("unknown field `children`"));
    }

    #[test]
    fn validation_messages() {
        assert_eq!(err(r#"{"resources":[]}"#), "the catalog has no resources");
        assert!(err("not json").contains("expected"));
        assert!(err(r#"{"resources":[{"name":"A"}]}"#).contains("missing field `actions`"));
        assert_eq!(
            err(r#"{"resources":[{"name":"A","actions":[]},{"name":"B","actions":[]}]}"#),
            "more than one root resource: `A` and `B`"
        );
        assert_eq!(
            err(
                r#"{"resources":[{"name":"A","actions":[]},{"name":"A","parent":"A","actions":[]}]}"#
            ),
            "duplicate resource `A`"
        );
        assert_eq!(
            err(
                r#"{"resources":[{"name":"Profile","actions":[]},{"name":"PROFILE","parent":"Profile","actions":[]}]}"#
            ),
            "resource names `Profile` and `PROFILE` differ only in letter case"
        );
        assert_eq!(
            err(
                r#"{"resources":[{"name":"Straße","actions":[]},{"name":"STRASSE","parent":"Straße","actions":[]}]}"#
            ),
            "resource names `Straße` and `STRASSE` differ only in letter case"
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
        let json = format!(
            r#"{{"resources":[{{"name":"n","actions":{}{}}}]}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        // Refused as soon as the nesting leaves the form, without recursing through it.
        assert!(err(&json).starts_with("invalid type, expected a string"));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(err(&deep).starts_with("invalid type"), "{}", err(&deep));
    }

    #[test]
    fn serde_deserialize_validates() {
        let bad = r#"{"resources":[{"name":"A","actions":[]},{"name":"B","actions":[]}]}"#;
        let e = serde_json::from_str::<Catalog>(bad).unwrap_err();
        assert!(e.to_string().contains("more than one root resource"));
    }
}

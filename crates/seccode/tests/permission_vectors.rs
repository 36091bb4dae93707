//! Runs the shared permission vectors, `tests/vectors/permissions.json`.
//!
//! The file is a list of scenarios, read the same way by the Rust, C and Python tests:
//!
//! ```text
//! { "name": "...", "description": "...",              // description optional
//!   "catalog": null (the portal) | a catalog JSON object (the form of Catalog::from_json),
//!   "owner": true,                                     // optional: the primary contact's grid
//!   "settings": [{"resource", "action", "setting"}],   // applied in order, each must succeed
//!   "expect": [{"resource", "action",
//!               "effective": "allow|deny|none|not_applicable",
//!               "decided_by": resource name or null}],
//!   "rows": {"<resource>": "<cells line of the grid>"},
//!   "settings_rows": {"<resource>": "<cells line of the raw settings>"},   // optional
//!   "render": ["<line>", ...],                          // optional: render_grid, line by line
//!   "render_settings": ["<line>", ...],                 // optional: render_settings
//!   "roles": {"profile", "manage_contacts", "billing"}, // optional: resource name or null
//!   "errors": [{"resource", "action", "setting",
//!               "error": "not_applicable|unknown_resource"}] }
//! ```
//!
//! or, for a catalog that must be refused, `{ "name", "catalog": {...}, "catalog_error":
//! "<message of Error::InvalidCatalog>" }`.
//!
//! The expected values were worked out by hand from SPEC 4.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use seccode::Error;
use seccode::{
    Action, Catalog, Effective, Grid, Setting, Settings, grid_rows, render_grid, render_settings,
    resolve, settings_rows,
};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    name: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    catalog: Option<serde_json::Value>,
    #[serde(default)]
    owner: bool,
    #[serde(default)]
    settings: Vec<SettingEntry>,
    #[serde(default)]
    expect: Vec<Expect>,
    #[serde(default)]
    rows: BTreeMap<String, String>,
    #[serde(default)]
    settings_rows: BTreeMap<String, String>,
    #[serde(default)]
    render: Option<Vec<String>>,
    #[serde(default)]
    render_settings: Option<Vec<String>>,
    #[serde(default)]
    roles: Option<RolesEntry>,
    #[serde(default)]
    errors: Vec<ErrorEntry>,
    #[serde(default)]
    catalog_error: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingEntry {
    resource: String,
    action: Action,
    setting: Setting,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    resource: String,
    action: Action,
    effective: Effective,
    decided_by: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RolesEntry {
    profile: Option<String>,
    manage_contacts: Option<String>,
    billing: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorEntry {
    resource: String,
    action: Action,
    setting: Setting,
    error: String,
}

fn scenarios() -> Vec<Scenario> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/permissions.json"
    );
    let text = std::fs::read_to_string(path).expect("read permissions.json");
    serde_json::from_str(&text).expect("parse permissions.json")
}

fn catalog_of(scenario: &Scenario) -> seccode::Result<Catalog> {
    match &scenario.catalog {
        None => Ok(Catalog::portal()),
        Some(value) => Catalog::from_json(&value.to_string()),
    }
}

fn run(scenario: &Scenario) {
    let name = scenario.name.as_str();
    if let Some(message) = &scenario.catalog_error {
        match catalog_of(scenario) {
            Err(Error::InvalidCatalog(m)) => assert_eq!(&m, message, "{name}"),
            other => panic!("{name}: expected an invalid catalog, got {other:?}"),
        }
        return;
    }
    let catalog = catalog_of(scenario).unwrap_or_else(|e| panic!("{name}: {e}"));

    let mut settings = Settings::new(&catalog);
    for entry in &scenario.settings {
        let id = catalog.require(&entry.resource).unwrap();
        settings
            .set(&catalog, id, entry.action, entry.setting)
            .unwrap_or_else(|e| panic!("{name}: setting {}: {e}", entry.resource));
    }
    let grid = if scenario.owner {
        Grid::owner(&catalog)
    } else {
        Grid::compile(&catalog, &settings)
    };

    assert!(
        !scenario.expect.is_empty() || !scenario.rows.is_empty(),
        "{name}: nothing to check"
    );
    for expect in &scenario.expect {
        let id = catalog.require(&expect.resource).unwrap();
        let what = format!("{name}: {} / {}", expect.resource, expect.action);
        let cell = grid.cell(id, expect.action);
        assert_eq!(cell.value, expect.effective, "{what}");
        assert_eq!(grid.check(id, expect.action), expect.effective, "{what}");
        assert_eq!(
            grid.allows(id, expect.action),
            expect.effective == Effective::Allow,
            "{what}"
        );
        let decided_by = cell.decided_by().map(|r| catalog.name(r).to_owned());
        assert_eq!(decided_by, expect.decided_by, "{what}: decided by");
        if !scenario.owner {
            assert_eq!(
                resolve(&catalog, &settings, id, expect.action),
                cell,
                "{what}"
            );
        }
    }

    let rows = grid_rows(&catalog, &grid);
    for (resource, line) in &scenario.rows {
        let row = rows
            .iter()
            .find(|r| &r.name == resource)
            .unwrap_or_else(|| panic!("{name}: no row {resource}"));
        assert_eq!(&row.cells_line(), line, "{name}: row {resource}");
    }
    let raw_rows = settings_rows(&catalog, &settings);
    for (resource, line) in &scenario.settings_rows {
        let row = raw_rows.iter().find(|r| &r.name == resource).unwrap();
        assert_eq!(&row.cells_line(), line, "{name}: settings row {resource}");
    }
    if let Some(lines) = &scenario.render {
        let expected: String = lines.iter().map(|l| format!("{l}\n")).collect();
        assert_eq!(render_grid(&catalog, &grid), expected, "{name}: render");
    }
    if let Some(lines) = &scenario.render_settings {
        let expected: String = lines.iter().map(|l| format!("{l}\n")).collect();
        assert_eq!(
            render_settings(&catalog, &settings),
            expected,
            "{name}: render_settings"
        );
    }
    if let Some(roles) = &scenario.roles {
        let named = |r: Option<seccode::ResourceId>| r.map(|id| catalog.name(id).to_owned());
        let actual = catalog.roles();
        assert_eq!(named(actual.profile), roles.profile, "{name}: profile role");
        assert_eq!(
            named(actual.manage_contacts),
            roles.manage_contacts,
            "{name}: manage_contacts role"
        );
        assert_eq!(named(actual.billing), roles.billing, "{name}: billing role");
    }

    for entry in &scenario.errors {
        let what = format!(
            "{name}: {} / {} = {}",
            entry.resource, entry.action, entry.setting
        );
        let mut scratch = settings.clone();
        let outcome = catalog
            .require(&entry.resource)
            .and_then(|id| scratch.set(&catalog, id, entry.action, entry.setting));
        match (entry.error.as_str(), outcome) {
            ("not_applicable", Err(Error::NotApplicable { resource, action })) => {
                assert_eq!(resource, entry.resource, "{what}");
                assert_eq!(action, entry.action, "{what}");
            }
            ("unknown_resource", Err(Error::UnknownResource(resource))) => {
                assert_eq!(resource, entry.resource, "{what}");
            }
            (expected, other) => panic!("{what}: expected {expected}, got {other:?}"),
        }
        assert_eq!(
            scratch, settings,
            "{what}: a refused change changes nothing"
        );
    }
}

#[test]
fn permission_vectors() {
    let all = scenarios();
    assert!(all.len() >= 10, "the vector file lost scenarios");
    for scenario in &all {
        run(scenario);
    }
}

#[test]
fn vectors_cover_the_required_cases() {
    let names: Vec<String> = scenarios().into_iter().map(|s| s.name).collect();
    for required in [
        "fresh contact",
        "seed: Profile View Allow",
        "seed: Manage Contacts View Allow + Update Allow",
        "deny on Client Profile reopened by allow on Profile",
        "allow on Client Portal inherited everywhere",
        "not applicable cells cannot be set",
        "custom catalog",
    ] {
        assert!(names.iter().any(|n| n == required), "missing {required}");
    }
}

#[test]
fn seed_row_reads_as_the_spec_says() {
    // The one line SPEC 4 quotes, checked outside the vector file as well.
    let catalog = Catalog::portal();
    let contacts = catalog.require("Manage Contacts").unwrap();
    let mut settings = Settings::new(&catalog);
    settings
        .set(&catalog, contacts, Action::View, Setting::Allow)
        .unwrap();
    settings
        .set(&catalog, contacts, Action::Update, Setting::Allow)
        .unwrap();
    let rows = grid_rows(&catalog, &Grid::compile(&catalog, &settings));
    let row = rows.iter().find(|r| r.resource == contacts).unwrap();
    assert_eq!(row.cells_line(), "Allow  (None)  Allow  (None)");
}

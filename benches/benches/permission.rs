//! Permission checks (one cell, a whole 13 x 4 grid), compiling a contact's grid and rendering
//! it, side by side with cedar-policy's `Authorizer::is_authorized` on the same questions.
//!
//! The cedar side models SPEC 4 exactly for this contact: resources are entities whose parents
//! form the portal tree; each explicit setting of the contact is a `permit` (Allow) or `forbid`
//! (Deny) on `resource in <that resource>`, `unless` the resource lies under a nearer explicit
//! setting for the same action (nearest setting wins); each not-applicable cell is a `forbid`.
//! Before measuring, every one of the 52 cells is checked to get the same answer from both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use cedar_policy::{Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request};
use criterion::{Criterion, criterion_group, criterion_main};
use seccode::{Action, Catalog, Grid, Setting, render_grid, resolve};
use seccode_benches::{CONTACT, cheap, contact_settings, engine, portal_account};

fn uid(s: &str) -> EntityUid {
    s.parse().unwrap()
}

fn resource_uid(name: &str) -> String {
    format!("Resource::{}", serde_json::to_string(name).unwrap())
}

/// The cedar policy set and entities equivalent to `CONTACT`'s settings on the portal catalog.
fn cedar_model(catalog: &Catalog) -> (PolicySet, Entities) {
    let principal = format!("Contact::\"{}\"", CONTACT.0);
    let settings = contact_settings();
    let mut src = String::new();
    for (i, (name, action, setting)) in settings.iter().enumerate() {
        let id = catalog.require(name).unwrap();
        // Nearer explicit settings for the same action below this one override it.
        let nearer: Vec<String> = settings
            .iter()
            .filter(|(other, a, _)| {
                a == action && other != name && {
                    let o = catalog.require(other).unwrap();
                    catalog.is_within(o, id)
                }
            })
            .map(|(other, _, _)| format!("resource in {}", resource_uid(other)))
            .collect();
        let effect = match setting {
            Setting::Allow => "permit",
            Setting::Deny => "forbid",
            Setting::Inherit => continue,
        };
        src.push_str(&format!(
            "@id(\"s{i}\") {effect}(principal == {principal}, action == Action::\"{}\", resource in {})",
            action.as_str(),
            resource_uid(name)
        ));
        if !nearer.is_empty() {
            src.push_str(&format!(" unless {{ {} }}", nearer.join(" || ")));
        }
        src.push_str(";\n");
    }
    for id in catalog.resources() {
        for action in Action::ALL {
            if !catalog.applies(id, action) {
                src.push_str(&format!(
                    "@id(\"na {} {}\") forbid(principal, action == Action::\"{}\", resource == {});\n",
                    catalog.name(id),
                    action.as_str(),
                    action.as_str(),
                    resource_uid(catalog.name(id))
                ));
            }
        }
    }
    let policies: PolicySet = src.parse().expect("policies parse");

    let mut entities = vec![serde_json::json!({
        "uid": { "type": "Contact", "id": CONTACT.0.to_string() },
        "attrs": {}, "parents": []
    })];
    for id in catalog.resources() {
        let parents: Vec<serde_json::Value> = catalog
            .parent(id)
            .map(|p| serde_json::json!({ "type": "Resource", "id": catalog.name(p) }))
            .into_iter()
            .collect();
        entities.push(serde_json::json!({
            "uid": { "type": "Resource", "id": catalog.name(id) },
            "attrs": {}, "parents": parents
        }));
    }
    let entities = Entities::from_json_value(serde_json::Value::Array(entities), None).unwrap();
    (policies, entities)
}

fn request(resource: &str, action: Action) -> Request {
    Request::new(
        uid(&format!("Contact::\"{}\"", CONTACT.0)),
        uid(&format!("Action::\"{}\"", action.as_str())),
        uid(&resource_uid(resource)),
        Context::empty(),
        None,
    )
    .unwrap()
}

fn permission(c: &mut Criterion) {
    let engine = engine(cheap(8), 1);
    let account = portal_account(&engine);
    let catalog = account.catalog().clone();
    let grid = account.grid(CONTACT).unwrap().clone();
    let profile = catalog.require("Profile").unwrap();
    let (policies, entities) = cedar_model(&catalog);
    let authorizer = Authorizer::new();

    // The same answer on every cell, or the comparison means nothing.
    let mut requests = Vec::new();
    for id in catalog.resources() {
        for action in Action::ALL {
            let r = request(catalog.name(id), action);
            let cedar = authorizer
                .is_authorized(&r, &policies, &entities)
                .decision();
            assert_eq!(
                cedar == Decision::Allow,
                grid.allows(id, action),
                "cedar and seccode disagree on {} / {action}",
                catalog.name(id)
            );
            requests.push(r);
        }
    }
    let question = request("Profile", Action::View);
    assert!(grid.allows(profile, Action::View));

    let mut g = c.benchmark_group("permission_check");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("seccode_grid_allows", |b| {
        b.iter(|| black_box(&grid).allows(black_box(profile), black_box(Action::View)))
    });
    g.bench_function("seccode_account_effective", |b| {
        b.iter(|| {
            black_box(&account)
                .effective(black_box(CONTACT), black_box(profile), Action::View)
                .unwrap()
        })
    });
    g.bench_function("seccode_resolve_reference_walk", |b| {
        let settings = account.contact(CONTACT).unwrap().settings();
        b.iter(|| {
            resolve(
                black_box(&catalog),
                black_box(settings),
                black_box(profile),
                Action::View,
            )
        })
    });
    g.bench_function("cedar_is_authorized", |b| {
        b.iter(|| {
            authorizer
                .is_authorized(
                    black_box(&question),
                    black_box(&policies),
                    black_box(&entities),
                )
                .decision()
        })
    });
    // The floor of cedar's cost: one policy that answers this one question (not a model of the
    // whole grid), so the ratio above is not an artefact of the policy set's size.
    let minimal: PolicySet = format!(
        "permit(principal == Contact::\"{}\", action == Action::\"view\", resource in {});",
        CONTACT.0,
        resource_uid("Profile")
    )
    .parse()
    .unwrap();
    assert_eq!(
        authorizer
            .is_authorized(&question, &minimal, &entities)
            .decision(),
        Decision::Allow
    );
    g.bench_function("cedar_is_authorized_minimal_policy", |b| {
        b.iter(|| {
            authorizer
                .is_authorized(
                    black_box(&question),
                    black_box(&minimal),
                    black_box(&entities),
                )
                .decision()
        })
    });
    g.bench_function("seccode_whole_grid_13x4", |b| {
        b.iter(|| {
            let mut allowed = 0u32;
            for id in catalog.resources() {
                for action in Action::ALL {
                    allowed += u32::from(black_box(&grid).allows(id, action));
                }
            }
            allowed
        })
    });
    g.bench_function("cedar_whole_grid_13x4", |b| {
        b.iter(|| {
            let mut allowed = 0u32;
            for r in &requests {
                let d = authorizer.is_authorized(black_box(r), &policies, &entities);
                allowed += u32::from(d.decision() == Decision::Allow);
            }
            allowed
        })
    });
    g.finish();

    let mut g = c.benchmark_group("grid");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let settings = account.contact(CONTACT).unwrap().settings().clone();
    g.bench_function("compile_contact_grid", |b| {
        b.iter(|| Grid::compile(black_box(&catalog), black_box(&settings)))
    });
    g.bench_function("render_grid", |b| {
        b.iter(|| render_grid(black_box(&catalog), black_box(&grid)))
    });
    g.bench_function("account_render_grid", |b| {
        b.iter(|| black_box(&account).render_grid(CONTACT).unwrap())
    });
    g.finish();
}

criterion_group!(benches, permission);
criterion_main!(benches);

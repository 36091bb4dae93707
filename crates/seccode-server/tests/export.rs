//! The contacts' CSV export through HTTP: the columns and spelling of
//! `seccode contact export --csv`, the deactivated contacts and a Status column with
//! `all=true`, never a code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{j, send, start};
use serde_json::json;

const CODE: &str = "Seven lazy herons juggle 19 kiwis";

#[test]
fn contacts_export_as_the_desk_writes_them() {
    let s = start();
    let (st, _) = j(
        &s,
        "POST",
        "/v1/accounts",
        &s.admin,
        json!({"id": 1707, "name": "Any Company", "primary": {"id": 3522, "name": "Joe Example",
               "title": "Owner", "phone": "000-000-0000", "email": "joe@example.com"}}),
    );
    assert_eq!(st, 201);
    for (id, name) in [(3523, "Example, Contact"), (3524, "Gone \"Away\" Person")] {
        let (st, v) = j(
            &s,
            "POST",
            "/v1/accounts/1707/contacts",
            &s.portal,
            json!({"actor": 3522, "id": id, "name": name}),
        );
        assert_eq!(st, 201, "{v}");
    }
    let (st, _) = j(
        &s,
        "PUT",
        "/v1/accounts/1707/contacts/3523/code",
        &s.portal,
        json!({"actor": 3522, "code": CODE}),
    );
    assert_eq!(st, 200);
    let (st, _) = j(
        &s,
        "POST",
        "/v1/accounts/1707/contacts/3524/deactivate",
        &s.portal,
        json!({"actor": 3522}),
    );
    assert_eq!(st, 200);

    let active = send(
        &s.base,
        "GET",
        "/v1/accounts/1707/contacts.csv",
        Some(&s.agent),
        &json!(null),
    );
    assert_eq!(active.status, 200, "{}", active.text);
    assert_eq!(
        active.text,
        "ID,Name,Title,Phone,Email,Security Code\n\
         3522,Joe Example,Owner,000-000-0000,joe@example.com,not set\n\
         3523,\"Example, Contact\",,,,set\n"
    );
    let all = send(
        &s.base,
        "GET",
        "/v1/accounts/1707/contacts.csv?all=true",
        Some(&s.agent),
        &json!(null),
    );
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(
        all.text,
        "ID,Name,Title,Phone,Email,Security Code,Status\n\
         3522,Joe Example,Owner,000-000-0000,joe@example.com,not set,active\n\
         3523,\"Example, Contact\",,,,set,active\n\
         3524,\"Gone \"\"Away\"\" Person\",,,,not set,deactivated\n"
    );
    assert!(!all.text.contains("herons") && !all.text.contains("argon2"));

    let missing = send(
        &s.base,
        "GET",
        "/v1/accounts/9999/contacts.csv",
        Some(&s.agent),
        &json!(null),
    );
    assert_eq!(
        (missing.status, missing.json()["type"].clone()),
        (404, json!("unknown_account"))
    );
    let unauthenticated = send(
        &s.base,
        "GET",
        "/v1/accounts/1707/contacts.csv",
        None,
        &json!(null),
    );
    assert_eq!(unauthenticated.status, 401);
}

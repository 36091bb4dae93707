//! Two instances of the service on one PostgreSQL database (SPEC 9: several instances may
//! serve one PostgreSQL), when `SECCODE_TEST_POSTGRES_URL` names a test server (under CI a
//! missing URL fails): a caller verified through one is authorized through the other, and
//! 200 concurrent wrong guesses of one contact from 8 clients spread over both check exactly
//! `max_failures` of them; the rest are *locked*.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::sync::Arc;

use common::{Backend, CHEAP, j, send, start_on};
use serde_json::json;

const CODE: &str = "Seven lazy herons juggle 19 kiwis";

#[test]
fn two_instances_on_one_postgresql_share_verifications_and_the_lockout() {
    let Some(s) = start_on(Backend::Postgres, CHEAP, |_| {}) else {
        return;
    };
    let s = Arc::new(s);
    let other = Arc::new(s.another_instance());
    let (st, v) = j(
        &s,
        "POST",
        "/v1/accounts",
        &s.admin,
        json!({"id": 1707, "name": "Any Company", "primary": {"id": 3522, "name": "Joe Example"}}),
    );
    assert_eq!(st, 201, "{v}");
    let a = send(
        &other.base,
        "POST",
        "/v1/accounts/1707/contacts",
        Some(&s.portal),
        &json!({"actor": 3522, "id": 3523, "name": "Contact Example"}),
    );
    assert_eq!(a.status, 201, "{}", a.text);
    let a = send(
        &s.base,
        "PUT",
        "/v1/accounts/1707/contacts/3523/code",
        Some(&s.portal),
        &json!({"actor": 3522, "code": CODE}),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    // Verified through one instance, authorized through the other.
    let a = send(
        &other.base,
        "POST",
        "/v1/accounts/1707/verifications",
        Some(&s.agent),
        &json!({"contact": 3523, "code": CODE}),
    );
    assert_eq!(
        (a.status, a.json()["outcome"].clone()),
        (200, json!("verified"))
    );
    let token = a.json()["token"].as_str().unwrap().to_owned();
    let (st, d) = j(
        &s,
        "POST",
        "/v1/authorizations",
        &s.agent,
        json!({"token": token, "kind": "routine"}),
    );
    assert_eq!(
        (st, d["decision"]["decision"].clone()),
        (200, json!("allowed"))
    );

    let threads: Vec<_> = (0..8)
        .map(|i| {
            let (s, other) = (Arc::clone(&s), Arc::clone(&other));
            std::thread::spawn(move || {
                let base = if i % 2 == 0 { &s.base } else { &other.base };
                (0..25)
                    .map(|_| {
                        let a = send(
                            base,
                            "POST",
                            "/v1/accounts/1707/verifications",
                            Some(&s.agent),
                            &json!({"contact": 3523, "code": "a wrong guess, again"}),
                        );
                        assert_eq!(a.status, 200, "{}", a.text);
                        a.json()["outcome"].as_str().unwrap().to_owned()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let all: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert_eq!(all.len(), 200);
    let checked = all.iter().filter(|o| *o == "not_verified").count();
    let locked = all.iter().filter(|o| *o == "locked").count();
    assert_eq!((checked, locked), (5, 195));
    drop(other);
}

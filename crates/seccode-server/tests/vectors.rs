//! The shared JSON vectors (`crates/seccode/tests/vectors/`) answered through HTTP exactly as
//! the Rust, C and Python faces answer them: the policy through the code-check route, the
//! verifications' call binding through verify and authorize (with a manual clock the tests
//! give the service), legacy imports through the import route. A case the API cannot express
//! is skipped with its reason printed, and each test asserts how many ran.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::sync::Arc;

use common::{Backend, CHEAP, Server, j, start_on};
use seccode::{
    AccountId, ContactId, Engine, EngineConfig, ManualClock, Normalization, Timestamp,
    VerifierConfig,
};
use seccode_store::AnyStore;
use serde_json::{Value, json};

fn vectors(name: &str) -> Value {
    let path = format!(
        "{}/../seccode/tests/vectors/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn ok(s: &Server, method: &str, path: &str, key: &str, body: Value) -> Value {
    let (st, v) = j(s, method, path, key, body);
    assert!((200..300).contains(&st), "{method} {path}: {st} {v}");
    v
}

/// Switch an account's matching in the store itself: the API has no route for it.
fn set_matching(s: &Server, account: u64, to: Normalization) {
    let engine = Engine::new(EngineConfig {
        verifier: VerifierConfig {
            params: CHEAP,
            ..VerifierConfig::default()
        },
        ..EngineConfig::default()
    })
    .unwrap();
    let mut store = AnyStore::open(&s.db).unwrap();
    seccode_store::update_account(&mut store, AccountId(account), |a| {
        a.set_normalization(&engine, ContactId(3522), to)
    })
    .unwrap();
}

#[test]
fn policy_vectors_through_the_code_check_route() {
    policy(Backend::Sqlite);
}

#[test]
fn policy_vectors_through_the_code_check_route_on_postgres() {
    policy(Backend::Postgres);
}

fn policy(backend: Backend) {
    let cases = vectors("policy.json");
    let cases = cases.as_array().unwrap();
    let Some(s) = start_on(backend, CHEAP, |_| {}) else {
        return;
    };
    // The context every expressible case names: the account and its primary contact.
    let context = json!({
        "account_id": 1707,
        "account_name": "Any Company",
        "contact_name": "Joe Example",
        "email": "marketing@viviotech.net",
        "phone": "000-000-0000",
    });
    ok(
        &s,
        "POST",
        "/v1/accounts",
        &s.admin,
        json!({"id": 1707, "name": "Any Company", "primary": {"id": 3522,
               "name": "Joe Example", "email": "marketing@viviotech.net",
               "phone": "000-000-0000"}}),
    );
    let mut ran = 0;
    let mut failures = Vec::new();
    for matching in [Normalization::Spoken, Normalization::Exact] {
        if matching == Normalization::Exact {
            set_matching(&s, 1707, Normalization::Exact);
        }
        for case in cases {
            let note = case["note"].as_str().unwrap();
            if case["normalization"].as_str().unwrap() != matching.to_string() {
                continue;
            }
            if case["context"] != context {
                if matching == Normalization::Spoken {
                    println!(
                        "skipped {note:?}: the API checks a code against a stored account, \
                         whose id, name and contact always make a context; it cannot \
                         express the context {}",
                        case["context"]
                    );
                }
                continue;
            }
            let (st, v) = j(
                &s,
                "POST",
                "/v1/accounts/1707/code-checks",
                &s.portal,
                json!({"code": case["code"]}),
            );
            assert_eq!(st, 200, "{note}: {v}");
            let got: Vec<&str> = v["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["reason"].as_str().unwrap())
                .collect();
            let wanted: Vec<&str> = case["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap())
                .collect();
            if got != wanted || v["acceptable"] != json!(wanted.is_empty()) {
                failures.push(format!("{note}: expected {wanted:?}, got {v}"));
            }
            // No answer quotes the candidate code (short ones, like `password`, are words the
            // reasons themselves use).
            let code = case["code"].as_str().unwrap();
            if code.chars().count() >= 10 && v.to_string().contains(code) {
                failures.push(format!("{note}: the answer quotes the code"));
            }
            ran += 1;
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    let skipped = cases.iter().filter(|c| c["context"] != context).count();
    assert_eq!(skipped, 1, "only the context-free case cannot be expressed");
    assert_eq!(ran, cases.len() - skipped);
    assert!(ran >= 81, "{ran} policy vectors ran");
}

const CODE: &str = "quiet harbor zebra violin";

/// The fixture of `verifications.json`, through the API, on a service whose clock is `clock`
/// (`None`: `backend` is not available in this run).
fn fixture(backend: Backend, clock: Arc<ManualClock>) -> Option<Server> {
    let s = start_on(backend, CHEAP, |o| o.clock = Some(clock))?;
    for (id, name, primary, other) in [
        (
            1707,
            "Any Company",
            (3522, "Joe Example"),
            (3523, "Contact Example"),
        ),
        (
            1708,
            "Other Company",
            (3600, "Jane Other"),
            (3523, "Someone Else"),
        ),
    ] {
        ok(
            &s,
            "POST",
            "/v1/accounts",
            &s.admin,
            json!({"id": id, "name": name, "primary": {"id": primary.0, "name": primary.1}}),
        );
        ok(
            &s,
            "POST",
            &format!("/v1/accounts/{id}/contacts"),
            &s.portal,
            json!({"actor": primary.0, "id": other.0, "name": other.1}),
        );
    }
    ok(
        &s,
        "PUT",
        "/v1/accounts/1707/contacts/3523/code",
        &s.portal,
        json!({"actor": 3522, "code": CODE}),
    );
    Some(s)
}

#[test]
fn verification_vectors_through_verify_and_authorize() {
    verifications(Backend::Sqlite);
}

#[test]
fn verification_vectors_through_verify_and_authorize_on_postgres() {
    verifications(Backend::Postgres);
}

fn verifications(backend: Backend) {
    let v = vectors("verifications.json");
    assert_eq!(
        v["lifetime_secs"].as_i64().unwrap(),
        EngineConfig::default().verification_lifetime_secs,
        "the service uses the default verification lifetime"
    );
    let cases = v["cases"].as_array().unwrap();
    let mut ran = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        if case["ask_account"] != json!(1707) {
            println!(
                "skipped {name:?}: an authorization names only the token, and the service \
                 answers for the verification's own account; asking about it on account {} \
                 cannot be expressed",
                case["ask_account"]
            );
            continue;
        }
        let clock = Arc::new(ManualClock::new(Timestamp(v["start"].as_i64().unwrap())));
        let Some(s) = fixture(backend, Arc::clone(&clock)) else {
            return;
        };
        let verified = ok(
            &s,
            "POST",
            "/v1/accounts/1707/verifications",
            &s.agent,
            json!({"contact": 3523, "code": CODE}),
        );
        assert_eq!(verified["outcome"], "verified", "{name}");
        let token = verified["token"].as_str().unwrap().to_owned();
        for step in case["steps"].as_array().unwrap() {
            let contact = |key: &str| step[key].as_u64().unwrap();
            let by = json!({"actor": 3522});
            if let Some(secs) = step["advance"].as_i64() {
                clock.advance(secs);
            } else if step.get("remove").is_some() {
                let path = format!("/v1/accounts/1707/contacts/{}", contact("remove"));
                ok(&s, "DELETE", &path, &s.portal, by);
            } else if step.get("add").is_some() {
                ok(
                    &s,
                    "POST",
                    "/v1/accounts/1707/contacts",
                    &s.portal,
                    json!({"actor": 3522, "id": contact("add"), "name": step["name"]}),
                );
            } else if step.get("deactivate").is_some() {
                let path = format!(
                    "/v1/accounts/1707/contacts/{}/deactivate",
                    contact("deactivate")
                );
                ok(&s, "POST", &path, &s.portal, by);
            } else if step.get("reactivate").is_some() {
                let path = format!(
                    "/v1/accounts/1707/contacts/{}/reactivate",
                    contact("reactivate")
                );
                ok(&s, "POST", &path, &s.portal, by);
            } else if step.get("set_contact_code").is_some() {
                let path = format!(
                    "/v1/accounts/1707/contacts/{}/code",
                    contact("set_contact_code")
                );
                ok(
                    &s,
                    "PUT",
                    &path,
                    &s.portal,
                    json!({"actor": 3522, "code": step["code"]}),
                );
            } else if let Some(text) = step["set_account_code"].as_str() {
                ok(
                    &s,
                    "PUT",
                    "/v1/accounts/1707/code",
                    &s.portal,
                    json!({"actor": 3522, "code": text}),
                );
            } else {
                panic!("{name}: unknown step {step}");
            }
        }
        let answer = ok(
            &s,
            "POST",
            "/v1/authorizations",
            &s.agent,
            json!({"token": token, "kind": "routine"}),
        );
        let decision = &answer["decision"];
        let expected = &case["routine"];
        assert_eq!(decision["decision"], expected["decision"], "{name}");
        assert_eq!(
            decision.get("reason"),
            expected.get("reason"),
            "{name}: {answer}"
        );
        // The call status the other faces report, as the decision shows it.
        let status = match decision["reason"].as_str() {
            None => "valid",
            Some("verification_expired") => "expired",
            Some("verification_void") => "void",
            Some(other) => panic!("{name}: denied for {other}"),
        };
        assert_eq!(status, case["status"].as_str().unwrap(), "{name}");
        ran += 1;
    }
    let skipped = cases
        .iter()
        .filter(|c| c["ask_account"] != json!(1707))
        .count();
    assert_eq!(skipped, 1);
    assert_eq!(ran, cases.len() - skipped);
    assert!(ran >= 8, "{ran} verification vectors ran");
}

#[test]
fn import_vectors_through_the_import_route() {
    imports(Backend::Sqlite);
}

#[test]
fn import_vectors_through_the_import_route_on_postgres() {
    imports(Backend::Postgres);
}

fn imports(backend: Backend) {
    let v = vectors("imports.json");
    let vectors = v["vectors"].as_array().unwrap();
    let clock = Arc::new(ManualClock::new(Timestamp(1_795_469_251)));
    let Some(s) = fixture(backend, clock) else {
        return;
    };
    let verifies = |code: &str| {
        let v = ok(
            &s,
            "POST",
            "/v1/accounts/1707/verifications",
            &s.agent,
            json!({"contact": 3523, "code": code}),
        );
        v["outcome"] == "verified"
    };
    let mut ran = 0;
    // Refusals first: each must replace nothing, so the code set before still verifies.
    let mut ordered: Vec<&Value> = vectors.iter().filter(|v| !v["error"].is_null()).collect();
    ordered.extend(vectors.iter().filter(|v| v["error"].is_null()));
    for vector in ordered {
        let note = vector["note"].as_str().unwrap();
        let (st, answer) = j(
            &s,
            "POST",
            "/v1/accounts/1707/imports",
            &s.admin,
            json!({"contact": 3523, "hash": vector["phc"], "overwrite": true}),
        );
        match vector["error"].as_str() {
            Some(wanted) => {
                assert!((400..500).contains(&st), "{note}: {st} {answer}");
                assert_eq!(answer["type"].as_str(), Some(wanted), "{note}: {answer}");
                assert!(
                    !answer.to_string().contains(vector["phc"].as_str().unwrap()),
                    "{note}: the problem quotes the hash"
                );
                assert!(verifies(CODE), "{note}: the code set before still verifies");
            }
            None => {
                assert_eq!(st, 200, "{note}: {answer}");
                assert!(verifies("purple monkey dishwasher"), "{note}");
                assert!(
                    !verifies(CODE),
                    "{note}: the imported hash replaced the code"
                );
            }
        }
        ran += 1;
    }
    assert_eq!(ran, vectors.len());
    assert!(ran >= 7);
}

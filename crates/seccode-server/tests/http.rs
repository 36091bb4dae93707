//! The service through real HTTP on 127.0.0.1: a router on an ephemeral port in this process,
//! a blocking client.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::sync::Arc;
use std::time::Duration;

use seccode::HashParams;
use seccode_server::{KeyRing, Role, Service, ServiceOptions};
use seccode_store::{SqliteStore, Store, StoreConfig};
use serde_json::{Value, json};

const ADMIN_CODE: &str = "Purple monkey dishwasher 42!";
const CONTACT_CODE: &str = "Seven lazy herons juggle 19 kiwis";

struct Server {
    base: String,
    admin: String,
    portal: String,
    agent: String,
    revoked: String,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn start(argon2_concurrency: usize, argon2_wait: Duration) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    {
        let mut store = SqliteStore::open(&db).unwrap();
        let config = StoreConfig {
            params: HashParams {
                m_kib: 64,
                t: 1,
                p: 1,
            },
            ..StoreConfig::default()
        };
        store.set_config(&config).unwrap();
    }
    let ring = KeyRing::new(dir.path().join("keys.json"));
    let named = |role, name| {
        ring.create(role, name)
            .unwrap()
            .1
            .expose_secret()
            .to_owned()
    };
    let key = |role| named(role, "t");
    let (admin, portal) = (key(Role::Admin), key(Role::Portal));
    // The agent key's name is the agent the audit log names.
    let agent = named(Role::Agent, "desk 4");
    let (info, revoked) = ring.create(Role::Admin, "old").unwrap();
    ring.revoke(&info.id).unwrap();
    let mut options = ServiceOptions::new(db.display().to_string(), ring.path());
    options.argon2_concurrency = argon2_concurrency;
    options.argon2_wait = argon2_wait;
    let service: Arc<Service> = Service::open(options).unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            seccode_server::serve(listener, service, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
    });
    let addr = addr_rx.recv().unwrap();
    Server {
        base: format!("http://{addr}"),
        admin,
        portal,
        agent,
        revoked: revoked.expose_secret().to_owned(),
        _dir: dir,
        shutdown: Some(tx),
        thread: Some(thread),
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// Send a request; answer (status, body as JSON or Null).
fn call(
    server: &Server,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<Vec<u8>>,
) -> (u16, Value) {
    let http = agent();
    let url = format!("{}{path}", server.base);
    let mut req = ureq::http::Request::builder().method(method).uri(&url);
    if let Some(k) = key {
        req = req.header("Authorization", format!("Bearer {k}"));
    }
    req = req.header("Content-Type", "application/json");
    let response = http
        .run(req.body(body.unwrap_or_default()).unwrap())
        .unwrap();
    let status = response.status().as_u16();
    let text = response.into_body().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Write `head` on a raw connection and read the answer's first bytes.
fn raw(server: &Server, head: &str) -> String {
    use std::io::{Read, Write};
    let addr = server.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let mut buf = [0u8; 512];
    let n = stream.read(&mut buf).unwrap();
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

fn j(server: &Server, method: &str, path: &str, key: &str, body: Value) -> (u16, Value) {
    call(
        server,
        method,
        path,
        Some(key),
        Some(serde_json::to_vec(&body).unwrap()),
    )
}

fn setup(s: &Server) {
    let (st, _) = j(
        s,
        "POST",
        "/v1/accounts",
        &s.admin,
        json!({"id": 1707, "name": "Any Company", "primary": {"id": 3522, "name": "Joe Example"}}),
    );
    assert_eq!(st, 201);
    let (st, _) = j(
        s,
        "POST",
        "/v1/accounts/1707/contacts",
        &s.portal,
        json!({"actor": 3522, "id": 3523, "name": "Contact Example"}),
    );
    assert_eq!(st, 201);
    let (st, _) = j(
        s,
        "PUT",
        "/v1/accounts/1707/code",
        &s.portal,
        json!({"actor": 3522, "code": ADMIN_CODE}),
    );
    assert_eq!(st, 200);
    let (st, _) = j(
        s,
        "PUT",
        "/v1/accounts/1707/contacts/3523/code",
        &s.admin,
        json!({"actor": 3522, "code": CONTACT_CODE}),
    );
    assert_eq!(st, 200);
}

#[test]
fn a_caller_is_verified_and_a_cancellation_needs_approval() {
    let s = start(2, Duration::from_secs(5));
    setup(&s);
    let (st, v) = j(
        &s,
        "POST",
        "/v1/accounts/1707/verifications",
        &s.agent,
        json!({"contact": 3523, "code": "seven lazy herons juggle 19 kiwis"}),
    );
    assert_eq!(st, 200);
    assert_eq!(v["outcome"], "verified");
    let token = v["token"].as_str().unwrap().to_owned();
    let (st, d) = j(
        &s,
        "POST",
        "/v1/authorizations",
        &s.agent,
        json!({"token": token, "kind": "cancellation"}),
    );
    assert_eq!(st, 200);
    assert_eq!(d["decision"]["decision"], "needs_approval");
    assert_eq!(d["decision"]["approvers"], json!([3522]));
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
    // A wrong code: not verified, no token.
    let (st, v) = j(
        &s,
        "POST",
        "/v1/accounts/1707/verifications",
        &s.agent,
        json!({"contact": 3523, "code": "not the code at all"}),
    );
    assert_eq!((st, v["outcome"].clone()), (200, json!("not_verified")));
    assert!(v.get("token").is_none());
    // An unknown token.
    let (st, p) = j(
        &s,
        "POST",
        "/v1/authorizations",
        &s.agent,
        json!({"token": format!("scv_{}", "A".repeat(43)), "kind": "routine"}),
    );
    assert_eq!((st, p["type"].clone()), (404, json!("unknown_token")));
}

/// What an agent key does (verify, authorize, unlock) is recorded under the key's name; what
/// a portal key does names no agent. `GET /v1/audit?agent=` filters by it.
#[test]
fn an_agent_keys_name_is_the_agent_in_the_audit_log() {
    let s = start(2, Duration::from_secs(5));
    setup(&s);
    let (_, before) = j(&s, "GET", "/v1/audit", &s.agent, Value::Null);
    let before = before["events"].as_array().unwrap().len();
    assert!(before > 0);
    let (_, v) = j(
        &s,
        "POST",
        "/v1/accounts/1707/verifications",
        &s.agent,
        json!({"contact": 3523, "code": CONTACT_CODE}),
    );
    let token = v["token"].as_str().unwrap().to_owned();
    let (st, _) = j(
        &s,
        "POST",
        "/v1/authorizations",
        &s.agent,
        json!({"token": token, "kind": "billable"}),
    );
    assert_eq!(st, 200);
    let (st, _) = j(
        &s,
        "POST",
        "/v1/accounts/1707/contacts/3523/unlock",
        &s.agent,
        json!({"actor": 3522}),
    );
    assert_eq!(st, 200);
    // The same through a portal key: no agent.
    let (st, _) = j(
        &s,
        "POST",
        "/v1/accounts/1707/contacts/3523/unlock",
        &s.portal,
        json!({"actor": 3522}),
    );
    assert_eq!(st, 200);

    let (st, log) = j(&s, "GET", "/v1/audit", &s.agent, Value::Null);
    assert_eq!(st, 200);
    let new: Vec<(String, Value)> = log["events"].as_array().unwrap()[before..]
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e.get("agent").cloned().unwrap_or(Value::Null),
            )
        })
        .collect();
    let desk = json!("desk 4");
    assert_eq!(
        new,
        [
            ("verification_succeeded".to_owned(), desk.clone()),
            ("request_decided".to_owned(), desk.clone()),
            ("unlocked".to_owned(), desk.clone()),
            ("unlocked".to_owned(), Value::Null),
        ]
    );
    let (st, by_desk) = j(&s, "GET", "/v1/audit?agent=desk%204", &s.agent, Value::Null);
    assert_eq!(st, 200);
    assert_eq!(by_desk["events"].as_array().unwrap().len(), 3);
    let (st, p) = j(&s, "GET", "/v1/audit?agent=", &s.agent, Value::Null);
    assert_eq!(st, 400);
    assert!(p["detail"].as_str().unwrap().contains("agent name"), "{p}");
    // A misspelt kind is refused with the valid ones, not answered with an empty log.
    let (st, p) = j(
        &s,
        "GET",
        "/v1/audit?kind=verfication_failed",
        &s.agent,
        Value::Null,
    );
    // The core's error, under its stable name, as every other bad argument.
    assert_eq!(
        (st, p["type"].clone()),
        (400, json!("invalid_input")),
        "{p}"
    );
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("verification_failed"),
        "{p}"
    );
    let (st, unlocked) = j(&s, "GET", "/v1/audit?kind=unlocked", &s.agent, Value::Null);
    assert_eq!(st, 200);
    let unlocked = unlocked["events"].as_array().unwrap();
    assert!(!unlocked.is_empty() && unlocked.iter().all(|e| e["kind"] == "unlocked"));
}

#[test]
fn a_contact_is_edited_in_part_deactivated_reactivated_and_removed() {
    let s = start(2, Duration::from_secs(5));
    setup(&s);
    let path = "/v1/accounts/1707/contacts/3523";
    let (st, before) = j(&s, "GET", path, &s.agent, Value::Null);
    assert_eq!(st, 200);
    // A PATCH changes the fields it gives and keeps the others.
    let (st, edited) = j(
        &s,
        "PATCH",
        path,
        &s.portal,
        json!({"actor": 3522, "title": "Billing", "rwhois": {"poc": true, "abuse": true}}),
    );
    assert_eq!(st, 200, "{edited}");
    assert_eq!(edited["title"], "Billing");
    assert_eq!(
        edited["rwhois"],
        json!({"poc": true, "tech": false, "abuse": true})
    );
    for kept in ["name", "phone", "email", "audit_account", "has_code"] {
        assert_eq!(edited[kept], before[kept], "{kept}");
    }
    // What it makes is checked as a whole: an empty name is refused and nothing changes.
    let (st, p) = j(
        &s,
        "PATCH",
        path,
        &s.portal,
        json!({"actor": 3522, "name": " "}),
    );
    assert_eq!(
        (st, p["type"].clone()),
        (400, json!("invalid_input")),
        "{p}"
    );
    let (_, now) = j(&s, "GET", path, &s.agent, Value::Null);
    assert_eq!(now, edited);
    // An agent key may not edit, whatever the body says.
    let (st, _) = j(
        &s,
        "PATCH",
        path,
        &s.agent,
        json!({"actor": 3522, "title": "x"}),
    );
    assert_eq!(st, 403);

    // Deactivated, it no longer verifies; reactivated, it does again.
    let verify = |s: &Server| {
        let (st, v) = j(
            s,
            "POST",
            "/v1/accounts/1707/verifications",
            &s.agent,
            json!({"contact": 3523, "code": CONTACT_CODE}),
        );
        assert_eq!(st, 200, "{v}");
        v["outcome"].as_str().unwrap().to_owned()
    };
    let actor = json!({"actor": 3522});
    let (st, _) = j(
        &s,
        "POST",
        &format!("{path}/deactivate"),
        &s.portal,
        actor.clone(),
    );
    assert_eq!(st, 200);
    assert_eq!(verify(&s), "not_verified");
    let (st, _) = j(
        &s,
        "POST",
        &format!("{path}/reactivate"),
        &s.portal,
        actor.clone(),
    );
    assert_eq!(st, 200);
    assert_eq!(verify(&s), "verified");
    // The primary contact cannot be removed; another contact can, for good.
    let (st, p) = j(
        &s,
        "DELETE",
        "/v1/accounts/1707/contacts/3522",
        &s.portal,
        actor.clone(),
    );
    assert_eq!(
        (st, p["type"].clone()),
        (409, json!("primary_contact")),
        "{p}"
    );
    let (st, _) = j(&s, "DELETE", path, &s.portal, actor.clone());
    assert_eq!(st, 200);
    let (st, p) = j(&s, "GET", path, &s.agent, Value::Null);
    assert_eq!((st, p["type"].clone()), (404, json!("unknown_contact")));
    // Each change is in the audit log, made by the actor.
    let (st, log) = j(
        &s,
        "GET",
        "/v1/audit?account=1707&contact=3523",
        &s.agent,
        Value::Null,
    );
    assert_eq!(st, 200);
    let kinds: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == 3522)
        .map(|e| e["kind"].as_str().unwrap())
        .filter(|k| k.starts_with("contact_"))
        .collect();
    assert_eq!(
        kinds,
        [
            "contact_added",
            "contact_edited",
            "contact_deactivated",
            "contact_reactivated",
            "contact_removed"
        ]
    );
}

#[test]
fn bad_input_is_answered_with_problem_details() {
    let s = start(2, Duration::from_secs(5));
    setup(&s);
    let verify = "/v1/accounts/1707/verifications";
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "malformed",
            b"{\"contact\": ".to_vec(),
            400,
            "malformed_json",
        ),
        (
            "wrong type",
            br#"{"contact": "x", "code": "y"}"#.to_vec(),
            400,
            "invalid_body",
        ),
        (
            "missing",
            br#"{"contact": 3523}"#.to_vec(),
            400,
            "invalid_body",
        ),
        (
            "non-utf8",
            b"{\"contact\": 3523, \"code\": \"\xff\xfe\"}".to_vec(),
            400,
            "malformed_json",
        ),
    ];
    for (what, body, status, kind) in cases {
        let (st, p) = call(&s, "POST", verify, Some(&s.agent), Some(body));
        assert_eq!((st, p["type"].as_str()), (status, Some(kind)), "{what}");
    }
    // A 1 MiB body is refused from its length, before it is read.
    let answer = raw(
        &s,
        &format!(
            "POST {verify} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            s.agent,
            1024 * 1024
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let (st, p) = j(&s, "GET", "/v1/accounts/9999", &s.agent, json!(null));
    assert_eq!((st, p["type"].clone()), (404, json!("unknown_account")));
    let (st, p) = j(
        &s,
        "GET",
        "/v1/accounts/1707/contacts/4242",
        &s.agent,
        json!(null),
    );
    assert_eq!((st, p["type"].clone()), (404, json!("unknown_contact")));
    let (st, _) = j(&s, "GET", "/v1/accounts/abc", &s.agent, json!(null));
    assert_eq!(st, 400);
    let (st, p) = j(
        &s,
        "POST",
        "/v1/accounts/1707/verifications?code=secret",
        &s.agent,
        json!({"contact": 3523, "code": "x"}),
    );
    assert_eq!((st, p["type"].clone()), (400, json!("code_in_query")));
    // Policy: every reason, never the code.
    let (st, p) = j(
        &s,
        "PUT",
        "/v1/accounts/1707/code",
        &s.portal,
        json!({"actor": 3522, "code": "joe1985"}),
    );
    assert_eq!((st, p["type"].clone()), (422, json!("policy_rejected")));
    assert!(p["reasons"].as_array().unwrap().len() >= 2);
    assert!(!p.to_string().contains("joe1985"));
}

#[test]
fn keys_and_roles_are_enforced_and_nothing_changes() {
    let s = start(2, Duration::from_secs(5));
    setup(&s);
    for key in [None, Some("sck_wrong"), Some(s.revoked.as_str())] {
        let (st, p) = call(&s, "GET", "/v1/accounts", key, None);
        assert_eq!((st, p["type"].clone()), (401, json!("unauthorized")));
    }
    let (st, _) = call(&s, "GET", "/healthz", None, None);
    assert_eq!(st, 200);
    // An agent may not set a code: refused, and the old code still verifies.
    let (st, p) = j(
        &s,
        "PUT",
        "/v1/accounts/1707/contacts/3523/code",
        &s.agent,
        json!({"actor": 3522, "code": "Another quite long code 77"}),
    );
    assert_eq!((st, p["type"].clone()), (403, json!("role_forbidden")));
    let (_, v) = j(
        &s,
        "POST",
        "/v1/accounts/1707/verifications",
        &s.agent,
        json!({"contact": 3523, "code": CONTACT_CODE}),
    );
    assert_eq!(v["outcome"], "verified");
    // A portal acting as a contact without the right: the core refuses.
    let (st, p) = j(
        &s,
        "PUT",
        "/v1/accounts/1707/code",
        &s.portal,
        json!({"actor": 3523, "code": "Another quite long code 77"}),
    );
    assert_eq!((st, p["type"].clone()), (403, json!("permission_denied")));
    let (st, p) = j(
        &s,
        "PUT",
        "/v1/accounts/1707/contacts/3523/permissions",
        &s.agent,
        json!({"actor": 3522, "resource": "Profile", "action": "view", "setting": "allow"}),
    );
    assert_eq!((st, p["type"].clone()), (403, json!("role_forbidden")));
    let (st, p) = j(
        &s,
        "PUT",
        "/v1/accounts/1707/contacts/3523/permissions",
        &s.portal,
        json!({"actor": 3522, "resource": "Manage Contacts", "action": "view", "setting": "allow"}),
    );
    assert_eq!(st, 200, "{p}");
    assert!(p["grid"].as_str().unwrap().contains("Allow"));
    let (st, p) = j(
        &s,
        "GET",
        "/v1/audit?account=1707&limit=5",
        &s.portal,
        json!(null),
    );
    assert_eq!((st, p["type"].clone()), (403, json!("role_forbidden")));
    let (st, p) = j(
        &s,
        "GET",
        "/v1/audit?account=1707&limit=5",
        &s.agent,
        json!(null),
    );
    assert_eq!(st, 200);
    assert_eq!(p["events"].as_array().unwrap().len(), 5);
}

#[test]
fn concurrent_wrong_guesses_check_at_most_max_failures() {
    let s = Arc::new(start(2, Duration::from_secs(30)));
    setup(&s);
    let mut threads = Vec::new();
    for _ in 0..8 {
        let s = Arc::clone(&s);
        threads.push(std::thread::spawn(move || {
            let mut outcomes = Vec::new();
            for _ in 0..25 {
                let (st, v) = j(
                    &s,
                    "POST",
                    "/v1/accounts/1707/verifications",
                    &s.agent,
                    json!({"contact": 3523, "code": "a wrong guess, again"}),
                );
                assert_eq!(st, 200, "{v}");
                outcomes.push(v["outcome"].as_str().unwrap().to_owned());
            }
            outcomes
        }));
    }
    let all: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert_eq!(all.len(), 200);
    let checked = all.iter().filter(|o| *o == "not_verified").count();
    let locked = all.iter().filter(|o| *o == "locked").count();
    assert_eq!((checked, locked), (5, 195));
}

#[test]
fn nothing_secret_in_responses_metrics_or_the_openapi_document() {
    let s = start(2, Duration::from_secs(5));
    setup(&s);
    let mut seen = String::new();
    for path in [
        "/v1/accounts/1707",
        "/v1/accounts/1707/contacts?all=true",
        "/v1/accounts/1707/hashes",
        "/v1/audit",
        "/v1/accounts/1707/contacts/3523/permissions",
    ] {
        let (st, v) = j(&s, "GET", path, &s.admin, json!(null));
        assert_eq!(st, 200, "{path}");
        seen.push_str(&v.to_string());
    }
    let http = agent();
    let metrics = http
        .get(format!("{}/metrics", s.base))
        .header("Authorization", format!("Bearer {}", s.agent))
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    assert!(metrics.contains("seccode_http_requests_total"));
    assert!(metrics.contains("seccode_argon2_seconds"));
    seen.push_str(&metrics);
    for secret in [
        ADMIN_CODE,
        CONTACT_CODE,
        &s.admin,
        &s.portal,
        &s.agent,
        "$argon2id$",
    ] {
        assert!(!seen.contains(secret), "a secret leaked");
    }
}

#[test]
fn the_served_openapi_document_is_the_committed_one_and_names_every_route() {
    let s = start(1, Duration::from_secs(5));
    let http = agent();
    let served = http
        .get(format!("{}/openapi.json", s.base))
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    let committed = include_str!("../openapi.json");
    assert!(
        served == committed,
        "crates/seccode-server/openapi.json is stale: regenerate it with \
         `SECCODE_WRITE_OPENAPI=1 cargo test -p seccode-server --test http`"
    );
    let doc: Value = serde_json::from_str(&served).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/v1/accounts",
        "/v1/accounts/{account}",
        "/v1/accounts/{account}/contacts",
        "/v1/accounts/{account}/contacts.csv",
        "/v1/accounts/{account}/contacts/{contact}",
        "/v1/accounts/{account}/contacts/{contact}/deactivate",
        "/v1/accounts/{account}/contacts/{contact}/reactivate",
        "/v1/accounts/{account}/contacts/{contact}/unlock",
        "/v1/accounts/{account}/contacts/{contact}/code",
        "/v1/accounts/{account}/contacts/{contact}/permissions",
        "/v1/accounts/{account}/code",
        "/v1/accounts/{account}/code-checks",
        "/v1/accounts/{account}/imports",
        "/v1/accounts/{account}/hashes",
        "/v1/accounts/{account}/verifications",
        "/v1/authorizations",
        "/v1/audit",
        "/healthz",
        "/readyz",
        "/metrics",
        "/openapi.json",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is not documented");
    }
}

/// Not a check: `SECCODE_WRITE_OPENAPI=1` rewrites the committed document.
#[test]
fn write_openapi_when_asked() {
    if std::env::var_os("SECCODE_WRITE_OPENAPI").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
        std::fs::write(path, seccode_server::openapi_json()).unwrap();
    }
}

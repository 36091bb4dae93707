//! Nothing secret leaves the service (SPEC 9): every log line (a tracing subscriber at TRACE
//! level writing to a buffer), the metrics and every response body are scanned for the codes,
//! API keys, tokens and hashes this test used, after driving every kind of request through
//! HTTP, successes and refusals alike, and the store's own rows (codes and tokens only: it
//! keeps hashes by design), on SQLite and on PostgreSQL. The one answer that may hold a secret is the
//! verification's own token, handed back once; it is scanned for everywhere else.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{Backend, CHEAP, Server, send, start, start_on};
use seccode_server::{KeyRing, Role};
use serde_json::{Value, json};

const ADMIN_CODE: &str = "Purple monkey dishwasher 42!";
const CONTACT_CODE: &str = "Seven lazy herons juggle 19 kiwis";
const WRONG_CODE: &str = "Crimson otters whistle 77 tunes";
const NEW_CODE: &str = "Silver badgers paint 31 fences";
const WEAK_CODE: &str = "joe1985anycompany";
const CANDIDATE: &str = "Quartz lantern velvet osprey 58";
const QUERY_CODE: &str = "Amber8Falcon8Drums";
const MISPLACED: &str = "Violet cobras hum 64 songs";
const LEGACY_HASH: &str = "$argon2id$v=19$m=1024,t=1,p=1$0Jtzz7jp2dn+vZA4Q7BuLA$VuHc/K5g7PPuZCuS38Jifn+1mZ1T660pD1ZJa3CqrSg";

#[derive(Clone)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every answer body, and the one token a verification handed back.
struct Seen {
    bodies: String,
    tokens: Vec<String>,
}

impl Seen {
    fn call(
        &mut self,
        s: &Server,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Value,
    ) -> Value {
        let a = send(&s.base, method, path, key, &body);
        let v = a.json();
        if let Some(token) = v.get("token").and_then(Value::as_str) {
            // The verification's own answer: the token is shown once, here and nowhere else.
            self.tokens.push(token.to_owned());
            let mut rest = v.clone();
            rest["token"] = json!("(scanned elsewhere)");
            self.bodies.push_str(&rest.to_string());
        } else {
            self.bodies.push_str(&a.text);
        }
        self.bodies.push('\n');
        v
    }

    fn raw(&mut self, s: &Server, path: &str, key: &str, body: &[u8]) {
        let http = common::client();
        let response = http
            .post(format!("{}{path}", s.base))
            .header("Authorization", format!("Bearer {key}"))
            .header("Content-Type", "application/json")
            .send(body)
            .unwrap();
        let text = response.into_body().read_to_string().unwrap_or_default();
        self.bodies.push_str(&text);
        self.bodies.push('\n');
    }
}

/// The forms a code could leak in: as given, lower-cased, and without spaces and
/// punctuation (the spoken matching's normalized form).
fn forms(code: &str) -> Vec<String> {
    let lower = code.to_lowercase();
    let squeezed: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    vec![code.to_owned(), lower, squeezed]
}

#[test]
fn no_code_key_token_or_hash_in_logs_metrics_answers_or_the_store() {
    let logs = Arc::new(Mutex::new(Vec::new()));
    let writer = Buffer(Arc::clone(&logs));
    tracing_subscriber::fmt()
        // Everything the service and its libraries log; not the test's own HTTP client.
        .with_env_filter("trace,ureq=off,ureq_proto=off")
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    scenario(&start(), &logs);
    // The same on PostgreSQL (its client logs too); absent only outside CI, which says so.
    if let Some(s) = start_on(Backend::Postgres, CHEAP, |_| {}) {
        scenario(&s, &logs);
    }
}

/// What the store keeps, as text: every row of every table (PostgreSQL), or the database
/// file and its write-ahead log (SQLite).
fn stored_text(s: &Server) -> String {
    if s.db.starts_with("postgres://") {
        let mut client = postgres::Client::connect(&s.db, postgres::NoTls).unwrap();
        let tables: Vec<String> = client
            .query(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema()",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(tables.len() > 5, "{tables:?}");
        let mut out = String::new();
        for table in tables {
            for row in client
                .query(&format!("SELECT t::text FROM {table} t"), &[])
                .unwrap()
            {
                out.push_str(row.get(0));
                out.push('\n');
            }
        }
        out
    } else {
        let mut out = String::new();
        for suffix in ["", "-wal"] {
            if let Ok(bytes) = std::fs::read(format!("{}{suffix}", s.db)) {
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
        out
    }
}

fn scenario(s: &Server, logs: &Arc<Mutex<Vec<u8>>>) {
    logs.lock().unwrap().clear();
    let ring = KeyRing::new(s.dir.path().join("keys.json"));
    let (info, revoked) = ring.create(Role::Admin, "old").unwrap();
    ring.revoke(&info.id).unwrap();
    let revoked = revoked.expose_secret().to_owned();
    let wrong_key = format!("sck_{}", "Q".repeat(43));
    let fake_token = format!("scv_{}", "Z".repeat(43));
    let (admin, portal, agent) = (s.admin.clone(), s.portal.clone(), s.agent.clone());
    let mut seen = Seen {
        bodies: String::new(),
        tokens: Vec::new(),
    };
    let verify = "/v1/accounts/1707/verifications";

    // Set up, and every kind of success.
    seen.call(
        s,
        "POST",
        "/v1/accounts",
        Some(&admin),
        json!({"id": 1707, "name": "Any Company", "primary": {"id": 3522, "name": "Joe Example"}}),
    );
    seen.call(
        s,
        "POST",
        "/v1/accounts/1707/contacts",
        Some(&portal),
        json!({"actor": 3522, "id": 3523, "name": "Contact Example"}),
    );
    seen.call(
        s,
        "PUT",
        "/v1/accounts/1707/code",
        Some(&portal),
        json!({"actor": 3522, "code": ADMIN_CODE}),
    );
    seen.call(
        s,
        "PUT",
        "/v1/accounts/1707/contacts/3523/code",
        Some(&admin),
        json!({"actor": 3522, "code": CONTACT_CODE}),
    );
    seen.call(
        s,
        "POST",
        "/v1/accounts/1707/code-checks",
        Some(&portal),
        json!({"code": CANDIDATE}),
    );
    let v = seen.call(
        s,
        "POST",
        verify,
        Some(&agent),
        json!({"contact": 3523, "code": CONTACT_CODE}),
    );
    assert_eq!(v["outcome"], "verified");
    let v = seen.call(
        s,
        "POST",
        verify,
        Some(&agent),
        json!({"contact": 3522, "code": ADMIN_CODE}),
    );
    assert_eq!(v["outcome"], "verified");
    let token = seen.tokens[0].clone();
    let d = seen.call(
        s,
        "POST",
        "/v1/authorizations",
        Some(&agent),
        json!({"token": token, "kind": "cancellation"}),
    );
    assert_eq!(d["decision"]["decision"], "needs_approval");
    seen.call(
        s,
        "POST",
        "/v1/accounts/1707/imports",
        Some(&admin),
        json!({"contact": 3523, "hash": LEGACY_HASH, "overwrite": true}),
    );
    seen.call(
        s,
        "PUT",
        "/v1/accounts/1707/contacts/3523/code",
        Some(&portal),
        json!({"actor": 3522, "code": NEW_CODE}),
    );
    for _ in 0..6 {
        seen.call(
            s,
            "POST",
            verify,
            Some(&agent),
            json!({"contact": 3523, "code": WRONG_CODE}),
        );
    }
    seen.call(
        s,
        "POST",
        "/v1/accounts/1707/contacts/3523/unlock",
        Some(&agent),
        json!({"actor": 3522}),
    );
    for path in [
        "/v1/accounts",
        "/v1/accounts/1707",
        "/v1/accounts/1707/contacts?all=true",
        "/v1/accounts/1707/contacts/3523",
        "/v1/accounts/1707/hashes",
        "/v1/accounts/1707/contacts/3523/permissions",
        "/v1/audit",
        "/readyz",
        "/healthz",
    ] {
        seen.call(s, "GET", path, Some(&admin), json!(null));
    }

    // Every kind of refusal.
    seen.call(
        s,
        "PUT",
        "/v1/accounts/1707/code",
        Some(&portal),
        json!({"actor": 3522, "code": WEAK_CODE}),
    );
    seen.call(
        s,
        "PUT",
        "/v1/accounts/1707/contacts/3523/code",
        Some(&agent),
        json!({"actor": 3522, "code": NEW_CODE}),
    );
    seen.call(
        s,
        "PUT",
        "/v1/accounts/1707/code",
        Some(&portal),
        json!({"actor": 3523, "code": NEW_CODE}),
    );
    seen.call(
        s,
        "POST",
        "/v1/authorizations",
        Some(&agent),
        json!({"token": fake_token, "kind": "routine"}),
    );
    seen.call(
        s,
        "POST",
        "/v1/authorizations",
        Some(&agent),
        json!({"token": CONTACT_CODE, "kind": "routine"}),
    );
    for key in [
        None,
        Some(wrong_key.as_str()),
        Some(revoked.as_str()),
        Some(CONTACT_CODE),
    ] {
        let p = seen.call(
            s,
            "POST",
            verify,
            key,
            json!({"contact": 3523, "code": CONTACT_CODE}),
        );
        assert_eq!(p["type"], "unauthorized");
    }
    seen.call(
        s,
        "POST",
        &format!("{verify}?code={QUERY_CODE}"),
        Some(&agent),
        json!({"contact": 3523, "code": CONTACT_CODE}),
    );
    seen.call(
        s,
        "GET",
        &format!("/v1/audit?code={QUERY_CODE}"),
        Some(&agent),
        json!(null),
    );
    // A code in the wrong field, as the name of a field, in malformed or non-UTF-8 JSON.
    seen.call(
        s,
        "POST",
        verify,
        Some(&agent),
        json!({"contact": MISPLACED, "code": "x"}),
    );
    seen.call(
        s,
        "POST",
        verify,
        Some(&agent),
        json!({"contact": 3523, MISPLACED: 1, "code": "x"}),
    );
    seen.call(
        s,
        "POST",
        verify,
        Some(&agent),
        json!({"contact": 3523, "code": [MISPLACED]}),
    );
    seen.raw(
        s,
        verify,
        &agent,
        format!("{{\"contact\": 3523, \"code\": \"{MISPLACED}").as_bytes(),
    );
    let mut non_utf8 = format!("{{\"contact\": 3523, \"code\": \"{MISPLACED}").into_bytes();
    non_utf8.extend_from_slice(b"\xff\"}");
    seen.raw(s, verify, &agent, &non_utf8);
    seen.call(s, "POST", "/v1/accounts/1707/imports", Some(&admin),
        json!({"contact": 3523, "hash": LEGACY_HASH.replace("m=1024", "m=262145"), "overwrite": true}));
    seen.call(
        s,
        "POST",
        "/v1/accounts/1707/imports",
        Some(&admin),
        json!({"contact": 3523, "hash": format!("{LEGACY_HASH}!"), "overwrite": true}),
    );

    let metrics = send(&s.base, "GET", "/metrics", Some(&agent), &json!(null)).text;
    assert!(metrics.contains("seccode_verifications_total"), "{metrics}");
    let logs = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    // The logs are there to be scanned: requests, refusals and authentication failures.
    assert!(
        logs.contains("/v1/accounts/{account}/verifications"),
        "{logs}"
    );
    assert!(logs.contains("authentication failed"), "{logs}");
    assert!(logs.contains("role refused"), "{logs}");

    let mut secrets: Vec<String> = [
        ADMIN_CODE,
        CONTACT_CODE,
        WRONG_CODE,
        NEW_CODE,
        WEAK_CODE,
        CANDIDATE,
        QUERY_CODE,
        MISPLACED,
    ]
    .iter()
    .flat_map(|c| forms(c))
    .collect();
    secrets.extend([admin, portal, agent, revoked, wrong_key, fake_token]);
    secrets.extend(seen.tokens.iter().cloned());
    let hashes = [
        "$argon2id$".to_owned(),
        "0Jtzz7jp2dn+vZA4Q7BuLA".to_owned(),
        "VuHc/K5g7PPuZCuS38Jifn".to_owned(),
    ];
    secrets.extend(hashes.iter().cloned());
    let stored = stored_text(s);
    assert!(stored.contains("Contact Example"), "the store was read");
    let mut leaks = Vec::new();
    for (place, text) in [
        ("logs", &logs),
        ("metrics", &metrics),
        ("answers", &seen.bodies),
        ("store", &stored),
    ] {
        for secret in &secrets {
            // The store keeps hashes by design: scan it for the rest.
            if place == "store" && hashes.contains(secret) {
                continue;
            }
            if text.contains(secret.as_str()) {
                // Name the kind of secret, not the secret.
                let what = if secret.starts_with("sck_") {
                    "an API key"
                } else if secret.starts_with("scv_") {
                    "a token"
                } else if hashes.contains(secret) {
                    "a hash"
                } else {
                    "a code"
                };
                leaks.push(format!(
                    "{what} in the {place} (secret #{})",
                    secrets.iter().position(|x| x == secret).unwrap_or(0)
                ));
            }
        }
    }
    assert!(leaks.is_empty(), "{leaks:#?}");
}

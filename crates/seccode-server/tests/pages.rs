//! The portal pages and the agent console over real HTTP on 127.0.0.1: the security headers,
//! the session cookie, the CSRF check, sign-in and sign-out, the throttle, escaping, and the
//! console's flow (right code, spoken variant, wrong code, lockout, a cancellation that needs
//! the primary contact's approval).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{Server, j, start};
use seccode_store::Store;
use serde_json::json;

const ADMIN_CODE: &str = "Purple monkey dishwasher 42!";
const CONTACT_CODE: &str = "Seven lazy herons juggle 19 kiwis";
const COOKIE: &str = "__Host-seccode_session";
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// A page as the browser got it.
struct Page {
    status: u16,
    headers: Vec<(String, String)>,
    text: String,
}

impl Page {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn location(&self) -> &str {
        self.header("location").unwrap_or("")
    }

    /// The value of the first hidden `csrf` field.
    fn csrf(&self) -> String {
        let at = self
            .text
            .find("name=\"csrf\" value=\"")
            .expect("a CSRF field");
        let rest = &self.text[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

/// A browser with one cookie jar slot (the session), no redirects followed.
struct Browser {
    base: String,
    cookie: Option<String>,
    agent: ureq::Agent,
}

impl Browser {
    fn new(s: &Server) -> Browser {
        Browser {
            base: s.base.clone(),
            cookie: None,
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .max_redirects_will_error(false)
                .build()
                .into(),
        }
    }

    fn run(&mut self, method: &str, path: &str, form: Option<&[(&str, &str)]>) -> Page {
        let mut req = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            req = req.header("Cookie", format!("{COOKIE}={c}"));
        }
        let body = match form {
            Some(fields) => {
                req = req.header("Content-Type", "application/x-www-form-urlencoded");
                serde_urlencoded::to_string(fields).unwrap().into_bytes()
            }
            None => Vec::new(),
        };
        let response = self.agent.run(req.body(body).unwrap()).unwrap();
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let first = v.split(';').next().unwrap();
                let (name, value) = first.split_once('=').unwrap();
                assert_eq!(name, COOKIE);
                self.cookie = if v.contains("Max-Age=0") {
                    None
                } else {
                    Some(value.to_owned())
                };
            }
        }
        let text = response.into_body().read_to_string().unwrap_or_default();
        Page {
            status,
            headers,
            text,
        }
    }

    fn get(&mut self, path: &str) -> Page {
        self.run("GET", path, None)
    }

    fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.run("POST", path, Some(form))
    }

    /// Sign in to the console with `key`; the answer to the sign-in POST.
    fn agent_sign_in(&mut self, key: &str) -> Page {
        let form = self.get("/console/signin");
        assert_eq!(form.status, 200);
        let csrf = form.csrf();
        self.post("/console/signin", &[("csrf", &csrf), ("key", key)])
    }
}

fn setup(s: &Server) {
    let (st, _) = j(
        s,
        "POST",
        "/v1/accounts",
        &s.admin,
        json!({"id": 1707, "name": "Any Company",
               "primary": {"id": 3522, "name": "Joe Example", "title": "Primary Contact"}}),
    );
    assert_eq!(st, 201);
    for (id, name) in [
        (3523, "Contact Example"),
        (3526, "<script>alert(1)</script>"),
    ] {
        let (st, _) = j(
            s,
            "POST",
            "/v1/accounts/1707/contacts",
            &s.portal,
            json!({"actor": 3522, "id": id, "name": name}),
        );
        assert_eq!(st, 201);
    }
    let (st, _) = j(
        s,
        "PUT",
        "/v1/accounts/1707/code",
        &s.portal,
        json!({"actor": 3522, "code": ADMIN_CODE}),
    );
    assert_eq!(st, 200);
    for contact in [3523, 3526] {
        let (st, _) = j(
            s,
            "PUT",
            &format!("/v1/accounts/1707/contacts/{contact}/code"),
            &s.portal,
            json!({"actor": 3522, "code": CONTACT_CODE}),
        );
        assert_eq!(st, 200);
    }
}

fn assert_secure_headers(page: &Page) {
    assert_eq!(page.header("content-security-policy"), Some(CSP));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
}

#[test]
fn every_page_has_the_security_headers_and_a_strict_session_cookie() {
    let s = start();
    let mut b = Browser::new(&s);
    let page = b.get("/signin");
    assert_eq!(page.status, 200);
    assert_secure_headers(&page);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let cookie = page.header("set-cookie").unwrap();
    assert!(cookie.starts_with("__Host-seccode_session="));
    for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(cookie.split("; ").any(|a| a == attribute), "{cookie}");
    }
    // Every field has a label.
    for id in ["account", "contact", "password"] {
        assert!(page.text.contains(&format!("<label for=\"{id}\"")), "{id}");
    }
    for path in ["/console/signin", "/static/seccode.css", "/portal/contacts"] {
        assert_secure_headers(&b.get(path));
    }
    let css = b.get("/static/seccode.css");
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    // Not signed in: the portal sends to the sign-in.
    let portal = b.get("/portal/contacts");
    assert_eq!((portal.status, portal.location()), (303, "/signin"));
}

#[test]
fn a_post_without_the_sessions_csrf_token_is_refused() {
    let s = start();
    let mut b = Browser::new(&s);
    let form = b.get("/console/signin");
    let csrf = form.csrf();
    // No token.
    let page = b.post("/console/signin", &[("key", &s.agent)]);
    assert_eq!(page.status, 403);
    assert_secure_headers(&page);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(!page.text.contains(&s.agent));
    // A wrong token.
    let wrong = "A".repeat(csrf.len());
    let page = b.post("/console/signin", &[("csrf", &wrong), ("key", &s.agent)]);
    assert_eq!(page.status, 403);
    // The right token without the session's cookie.
    let mut other = Browser::new(&s);
    let page = other.post("/console/signin", &[("csrf", &csrf), ("key", &s.agent)]);
    assert_eq!(page.status, 403);
    // The right token in its session: signed in.
    let page = b.post("/console/signin", &[("csrf", &csrf), ("key", &s.agent)]);
    assert_eq!((page.status, page.location()), (303, "/console"));
}

#[test]
fn agents_sign_in_with_a_new_session_and_sign_out_for_good() {
    let s = start();
    let mut b = Browser::new(&s);
    // A wrong key, and a key of another role, are refused.
    let page = b.agent_sign_in("sck_not-a-key");
    assert_eq!(page.status, 401);
    assert!(!page.text.contains("sck_not-a-key"));
    let page = b.agent_sign_in(&s.portal);
    assert_eq!(page.status, 401);
    assert!(!page.text.contains(&s.portal));
    let anonymous = b.cookie.clone().unwrap();
    let page = b.agent_sign_in(&s.agent);
    assert_eq!((page.status, page.location()), (303, "/console"));
    let signed_in = b.cookie.clone().unwrap();
    assert_ne!(anonymous, signed_in, "a new session id at sign-in");
    let console = b.get("/console");
    assert_eq!(console.status, 200);
    assert!(
        console.text.contains(
            r#"<input type="password" id="code" name="code" autocomplete="off" required>"#
        )
    );
    // The anonymous session is gone.
    let mut old = Browser::new(&s);
    old.cookie = Some(anonymous);
    assert_eq!(old.get("/console").status, 303);
    // Sign out: the cookie is cleared, and the session is dropped on the server.
    let csrf = console.csrf();
    let out = b.post("/signout", &[("csrf", &csrf)]);
    assert_eq!((out.status, out.location()), (303, "/console/signin"));
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert!(b.cookie.is_none());
    let mut reused = Browser::new(&s);
    reused.cookie = Some(signed_in);
    let page = reused.get("/console");
    assert_eq!((page.status, page.location()), (303, "/console/signin"));
    let page = reused.post(
        "/console/verify",
        &[
            ("csrf", &csrf),
            ("account", "1707"),
            ("contact", "3523"),
            ("code", CONTACT_CODE),
        ],
    );
    assert_eq!(page.status, 403);
}

#[test]
fn sign_in_is_throttled_per_address() {
    let s = start();
    let mut b = Browser::new(&s);
    for _ in 0..10 {
        assert_eq!(b.agent_sign_in("sck_wrong").status, 401);
    }
    let page = b.agent_sign_in(&s.agent);
    assert_eq!(page.status, 429);
    assert!(page.header("retry-after").is_some());
    assert_secure_headers(&page);
}

/// Verify on the console; the console page that follows.
fn verify(b: &mut Browser, contact: &str, code: &str) -> Page {
    let console = b.get("/console");
    let csrf = console.csrf();
    let answer = b.post(
        "/console/verify",
        &[
            ("csrf", &csrf),
            ("account", "1707"),
            ("contact", contact),
            ("code", code),
        ],
    );
    assert_eq!((answer.status, answer.location()), (303, "/console"));
    let page = b.get("/console");
    assert_eq!(page.status, 200);
    assert!(!page.text.contains(code), "the code is never shown");
    assert!(!page.text.contains("scv_"), "the token stays on the server");
    page
}

fn outcome(page: &Page) -> &str {
    let at = page.text.find("data-outcome=\"").unwrap() + "data-outcome=\"".len();
    let rest = &page.text[at..];
    &rest[..rest.find('"').unwrap()]
}

fn decision<'a>(page: &'a Page, kind: &str) -> &'a str {
    let marker = format!("id=\"decision-{kind}\" data-decision=\"");
    let at = page.text.find(&marker).unwrap() + marker.len();
    let rest = &page.text[at..];
    &rest[..rest.find('<').unwrap()]
}

#[test]
fn the_console_verifies_a_caller_and_says_what_they_may_request() {
    let s = start();
    setup(&s);
    let mut b = Browser::new(&s);
    assert_eq!(b.agent_sign_in(&s.agent).status, 303);

    // The right code: verified, and what the caller may request.
    let page = verify(&mut b, "3523", CONTACT_CODE);
    assert_eq!(outcome(&page), "verified");
    assert_eq!(decision(&page, "routine"), "allowed\">Allowed");
    assert_eq!(
        decision(&page, "cancellation"),
        "needs_approval\">Needs approval from Joe Example (3522)"
    );
    assert!(decision(&page, "billable").starts_with("denied\">Denied"));

    // The caller asks for a cancellation: the agent records it, and the console says what
    // was recorded. A request kind that does not exist records nothing.
    let csrf = page.csrf();
    let recorded = b.post(
        "/console/request",
        &[("csrf", &csrf), ("kind", "cancellation")],
    );
    assert_eq!((recorded.status, recorded.location()), (303, "/console"));
    let page = b.get("/console");
    assert!(
        page.text
            .contains("Recorded: Cancellation: Needs approval from Joe Example (3522)."),
        "{}",
        page.text
    );
    let forged = b.post("/console/request", &[("csrf", &csrf), ("kind", "refund")]);
    assert_eq!(forged.status, 400);
    assert!(forged.text.contains("id=\"error\""));

    // The spoken variant (letter case, spaces) is the same code.
    let page = verify(&mut b, "3523", "seven lazy herons juggle 19 kiwis");
    assert_eq!(outcome(&page), "verified");

    // A wrong code: not verified, nothing to request, and nothing to record.
    let page = verify(&mut b, "3523", "not the code at all");
    assert_eq!(outcome(&page), "not_verified");
    assert!(!page.text.contains("decision-routine"));
    let refused = b.post(
        "/console/request",
        &[("csrf", &page.csrf()), ("kind", "routine")],
    );
    assert_eq!(refused.status, 409);
    assert!(refused.text.contains("verify the caller first"));

    // Wrong again and again: locked, and then even the right code is refused.
    let mut locked = false;
    for _ in 0..20 {
        if outcome(&verify(&mut b, "3523", "still not the code")) == "locked" {
            locked = true;
            break;
        }
    }
    assert!(locked);
    assert_eq!(outcome(&verify(&mut b, "3523", CONTACT_CODE)), "locked");

    // Every verification made on the console names the agent key's name in the audit log.
    let store = seccode_store::AnyStore::open(&s.db).unwrap();
    let verifications: Vec<_> = store
        .audit(&seccode_store::AuditFilter::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.event.kind.as_str().starts_with("verification_"))
        .collect();
    assert!(verifications.len() >= 4);
    for e in &verifications {
        assert_eq!(
            e.event.agent.as_ref().map(|a| a.as_str()),
            Some("console desk"),
            "{}",
            e.event
        );
    }
    // The one request recorded, as `POST /v1/authorizations` records it: the decision, the
    // caller, and the agent.
    let requests = store
        .audit(&seccode_store::AuditFilter {
            kind: Some("request_decided".to_owned()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let event = &requests[0].event;
    assert_eq!(
        event.kind,
        seccode::AuditKind::RequestDecided {
            request: seccode::RequestKind::Cancellation,
            decision: "needs_approval".to_owned(),
            reason: None,
        }
    );
    assert_eq!(
        event.agent.as_ref().map(|a| a.as_str()),
        Some("console desk")
    );
    assert_eq!(
        event.subject,
        seccode::Subject::Contact(seccode::ContactId(3523))
    );
}

#[test]
fn a_contact_name_is_shown_as_text() {
    let s = start();
    setup(&s);
    let mut b = Browser::new(&s);
    assert_eq!(b.agent_sign_in(&s.agent).status, 303);
    let page = verify(&mut b, "3526", CONTACT_CODE);
    assert_eq!(outcome(&page), "verified");
    assert!(!page.text.contains("<script>alert(1)</script>"));
    assert!(
        page.text
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
    );
}

#[test]
fn the_console_refuses_bad_input_with_a_page() {
    let s = start();
    setup(&s);
    let mut b = Browser::new(&s);
    assert_eq!(b.agent_sign_in(&s.agent).status, 303);
    let csrf = b.get("/console").csrf();
    let page = b.post(
        "/console/verify",
        &[
            ("csrf", &csrf),
            ("account", "x"),
            ("contact", "3523"),
            ("code", CONTACT_CODE),
        ],
    );
    assert_eq!(page.status, 400);
    assert!(page.text.contains("id=\"error\""));
    assert!(!page.text.contains(CONTACT_CODE));
    let page = b.post(
        "/console/verify",
        &[
            ("csrf", &csrf),
            ("account", "9999"),
            ("contact", "3523"),
            ("code", CONTACT_CODE),
        ],
    );
    assert_eq!(page.status, 404);
    assert!(!page.text.contains(CONTACT_CODE));
}

const JOE_PASSWORD: &str = "Tangerine walrus 7 sails north";
const CONTACT_PASSWORD: &str = "Quiet copper falcon 88 hums";

/// Give the primary contact its first password, on the store, as `seccode` would.
fn first_password(s: &Server) {
    use seccode::{AccountId, ContactId, Engine, EngineConfig, Password};
    let mut config = EngineConfig::default();
    config.verifier.params = common::CHEAP;
    let engine = Engine::new(config).unwrap();
    let mut store = seccode_store::AnyStore::open(&s.db).unwrap();
    let password = Password::new(JOE_PASSWORD.to_owned()).unwrap();
    seccode_store::update_account(&mut store, AccountId(1707), |a| {
        a.set_password(&engine, ContactId(3522), ContactId(3522), &password)
    })
    .unwrap();
}

impl Browser {
    /// Sign in to the portal; the answer to the sign-in POST.
    fn contact_sign_in(&mut self, contact: &str, password: &str) -> Page {
        let form = self.get("/signin");
        assert_eq!(form.status, 200);
        let csrf = form.csrf();
        self.post(
            "/signin",
            &[
                ("csrf", &csrf),
                ("account", "1707"),
                ("contact", contact),
                ("password", password),
            ],
        )
    }

    /// POST a form found on `page_path` to `action` with `fields` (and its CSRF token); the
    /// answer, and the page it redirects to when it does.
    fn submit(&mut self, page_path: &str, action: &str, fields: &[(&str, &str)]) -> (Page, Page) {
        let page = self.get(page_path);
        assert_eq!(page.status, 200, "{page_path}");
        let csrf = page.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let answer = self.post(action, &all);
        let next = if answer.status == 303 {
            let to = answer.location().to_owned();
            self.get(&to)
        } else {
            Page {
                status: 0,
                headers: Vec::new(),
                text: String::new(),
            }
        };
        (answer, next)
    }
}

fn success(page: &Page) -> &str {
    let marker = "<p class=\"success\" id=\"message\" role=\"status\">";
    let at = page.text.find(marker).expect("a success message") + marker.len();
    let rest = &page.text[at..];
    &rest[..rest.find('<').unwrap()]
}

#[test]
fn contacts_sign_in_with_their_password_and_out_for_good() {
    let s = start();
    setup(&s);
    first_password(&s);
    let mut b = Browser::new(&s);
    let page = b.contact_sign_in("3522", "not the password");
    assert_eq!(page.status, 401);
    assert!(!page.text.contains("not the password"));
    let page = b.contact_sign_in("9999", JOE_PASSWORD);
    assert_eq!(page.status, 401);
    let anonymous = b.cookie.clone().unwrap();
    let page = b.contact_sign_in("3522", JOE_PASSWORD);
    assert_eq!((page.status, page.location()), (303, "/portal/profile"));
    let signed_in = b.cookie.clone().unwrap();
    assert_ne!(anonymous, signed_in);
    let profile = b.get("/portal/profile");
    assert_eq!(profile.status, 200);
    assert!(profile.text.contains("Any Company"));
    assert!(!profile.text.contains(JOE_PASSWORD));
    // Sign out; the old cookie no longer opens anything.
    let csrf = profile.csrf();
    let out = b.post("/signout", &[("csrf", &csrf)]);
    assert_eq!((out.status, out.location()), (303, "/signin"));
    let mut reused = Browser::new(&s);
    reused.cookie = Some(signed_in);
    let page = reused.get("/portal/contacts");
    assert_eq!((page.status, page.location()), (303, "/signin"));
    let page = reused.post("/portal/contacts/3523/deactivate", &[("csrf", &csrf)]);
    assert_eq!(page.status, 403);
}

#[test]
fn a_request_the_pages_cannot_read_is_answered_with_a_page() {
    let s = start();
    setup(&s);
    first_password(&s);
    let mut b = Browser::new(&s);
    assert_eq!(b.contact_sign_in("3522", JOE_PASSWORD).status, 303);
    for path in [
        "/portal/contacts/not-a-number/details",
        "/portal/contacts/3523/no-such-tab",
        "/portal/contacts/9999/details",
    ] {
        let page = b.get(path);
        assert!(page.status == 400 || page.status == 404, "{path}");
        assert!(
            page.header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
        assert_secure_headers(&page);
        assert!(!page.text.contains("not-a-number"));
    }
}

#[test]
fn view_contacts_shows_the_table_escaped_and_the_csv() {
    let s = start();
    setup(&s);
    first_password(&s);
    let mut b = Browser::new(&s);
    assert_eq!(b.contact_sign_in("3522", JOE_PASSWORD).status, 303);
    let page = b.get("/portal/contacts");
    assert_eq!(page.status, 200);
    assert_secure_headers(&page);
    assert!(page.text.contains("Contacts 1-3 of 3 Shown"));
    assert!(page.text.contains("Download CSV File"));
    assert!(page.text.contains("id=\"add-contact\""));
    assert!(page.text.contains("id=\"deactivate-3523\""));
    assert!(
        !page.text.contains("id=\"deactivate-3522\""),
        "not the primary"
    );
    assert!(!page.text.contains("<script>alert(1)</script>"));
    assert!(
        page.text
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
    );
    assert!(page.text.contains("<td class=\"code\">set</td>"));
    assert!(page.text.contains("<td class=\"code\">not set</td>"));
    let csv = b.get("/portal/contacts.csv");
    assert_eq!(csv.status, 200);
    assert!(
        csv.text
            .starts_with("ID,Name,Title,Phone,Email,Security Code")
    );
    assert!(csv.text.contains("3523,Contact Example,,,,set"));
}

#[test]
fn the_downloaded_csv_neutralizes_spreadsheet_formulas() {
    let s = start();
    setup(&s);
    first_password(&s);
    for (id, name) in [
        (3530, "=HYPERLINK(\"http://evil.example\",\"x\")"),
        (3531, "@SUM(1)"),
        (3532, "Jean-Luc Picard"),
    ] {
        let (st, _) = j(
            &s,
            "POST",
            "/v1/accounts/1707/contacts",
            &s.portal,
            json!({"actor": 3522, "id": id, "name": name, "phone": "+1 555 0100"}),
        );
        assert_eq!(st, 201);
    }
    let mut b = Browser::new(&s);
    assert_eq!(b.contact_sign_in("3522", JOE_PASSWORD).status, 303);
    let csv = b.get("/portal/contacts.csv");
    assert_eq!(csv.status, 200);
    // A formula starts with `'` (and the cell is quoted where CSV needs it: inner quotes).
    assert!(
        csv.text.contains(
            "3530,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",,'+1 555 0100,,not set\n"
        ),
        "{}",
        csv.text
    );
    assert!(
        csv.text.contains("3531,'@SUM(1),,'+1 555 0100,,not set\n"),
        "{}",
        csv.text
    );
    // An inner `-` is no formula.
    assert!(
        csv.text
            .contains("3532,Jean-Luc Picard,,'+1 555 0100,,not set\n"),
        "{}",
        csv.text
    );
    assert!(
        !csv.text.contains(",=") && !csv.text.contains(",@"),
        "{}",
        csv.text
    );
}

#[test]
fn the_account_wide_code_is_changed_with_the_policys_reasons_on_refusal() {
    let s = start();
    setup(&s);
    first_password(&s);
    let mut b = Browser::new(&s);
    assert_eq!(b.contact_sign_in("3522", JOE_PASSWORD).status, 303);
    let profile = b.get("/portal/profile");
    assert!(profile.text.contains("id=\"edit-custom-fields\""));
    let (answer, _) = b.submit(
        "/portal/profile/custom-fields",
        "/portal/profile/custom-fields",
        &[("code", "joe1985")],
    );
    assert_eq!(answer.status, 422);
    assert!(answer.text.contains("id=\"reasons\""));
    assert!(!answer.text.contains("joe1985"));
    let (answer, next) = b.submit(
        "/portal/profile/custom-fields",
        "/portal/profile/custom-fields",
        &[("code", "Marble otter 5 ferries dawn")],
    );
    assert_eq!((answer.status, answer.location()), (303, "/portal/profile"));
    assert_eq!(success(&next), "Success: Account information updated.");
    assert!(!next.text.contains("Marble otter"));
}

#[test]
fn the_primary_contact_changes_permissions_and_another_contact_cannot() {
    let s = start();
    setup(&s);
    first_password(&s);
    let mut joe = Browser::new(&s);
    assert_eq!(joe.contact_sign_in("3522", JOE_PASSWORD).status, 303);
    // The grid: one select per applicable cell, "-" elsewhere.
    let grid = joe.get("/portal/contacts/3523/permissions");
    assert_eq!(grid.status, 200);
    assert!(grid.text.contains("() shows inherited value"));
    assert!(grid.text.contains("<span class=\"na\">-</span>"));
    let manage = |page: &Page, action: &str| -> String {
        let at = page.text.find(">Manage Contacts</th>").unwrap();
        let rest = &page.text[at..];
        let marker = format!("-{action}-effective\">");
        let i = rest.find(&marker).unwrap() + marker.len();
        rest[i..i + rest[i..].find('<').unwrap()].to_owned()
    };
    assert_eq!(manage(&grid, "view"), "(None)");
    let field = |action: &str| {
        let at = grid.text.find(">Manage Contacts</th>").unwrap();
        let rest = &grid.text[at..];
        let i = rest.find("<select name=\"").unwrap() + "<select name=\"".len();
        let name = &rest[i..i + rest[i..].find('"').unwrap()];
        name.replace("-view", &format!("-{action}"))
    };
    let (view, update) = (field("view"), field("update"));
    let (answer, next) = joe.submit(
        "/portal/contacts/3523/permissions",
        "/portal/contacts/3523/permissions",
        &[(&view, "allow"), (&update, "allow")],
    );
    assert_eq!(answer.status, 303);
    assert_eq!(success(&next), "Success: Contact updated.");
    assert_eq!(manage(&next, "view"), "Allow");
    assert_eq!(manage(&next, "update"), "Allow");
    assert_eq!(manage(&next, "delete"), "(None)");

    // Joe gives 3523 a password on its Login & Password tab.
    let (answer, next) = joe.submit(
        "/portal/contacts/3523/login",
        "/portal/contacts/3523/login",
        &[
            ("password", CONTACT_PASSWORD),
            ("password_confirm", CONTACT_PASSWORD),
        ],
    );
    assert_eq!(answer.status, 303);
    assert_eq!(success(&next), "Success: Contact updated.");

    // 3523 may now update contacts, but not change permissions nor deactivate.
    let mut other = Browser::new(&s);
    assert_eq!(other.contact_sign_in("3523", CONTACT_PASSWORD).status, 303);
    let grid = other.get("/portal/contacts/3526/permissions");
    assert_eq!(grid.status, 200);
    assert!(!grid.text.contains("<select"), "nothing offered");
    let list = other.get("/portal/contacts");
    assert!(!list.text.contains("id=\"deactivate-"));
    assert!(!list.text.contains("id=\"add-contact\""));
    // Forged forms are refused by the core's check.
    let csrf = grid.csrf();
    let forged = other.post(
        "/portal/contacts/3526/permissions",
        &[("csrf", &csrf), (&view, "allow")],
    );
    assert_eq!(forged.status, 403);
    assert_secure_headers(&forged);
    let forged = other.post("/portal/contacts/3526/permissions", &[("csrf", &csrf)]);
    assert_eq!(forged.status, 403);
    let forged = other.post("/portal/contacts/3526/deactivate", &[("csrf", &csrf)]);
    assert_eq!(forged.status, 403);
    // What 3523 was allowed: set 3526's code on its Custom Fields tab.
    let (answer, next) = other.submit(
        "/portal/contacts/3526/custom-fields",
        "/portal/contacts/3526/custom-fields",
        &[("code", "Velvet badger 31 counts stars")],
    );
    assert_eq!(answer.status, 303);
    assert_eq!(success(&next), "Success: Contact updated.");
    // Joe's grid for 3526 is unchanged.
    let grid = joe.get("/portal/contacts/3526/permissions");
    assert_eq!(manage(&grid, "view"), "(None)");
}

#[test]
fn contacts_are_added_edited_and_deactivated() {
    let s = start();
    setup(&s);
    first_password(&s);
    let mut joe = Browser::new(&s);
    assert_eq!(joe.contact_sign_in("3522", JOE_PASSWORD).status, 303);
    let (answer, next) = joe.submit(
        "/portal/contacts/new",
        "/portal/contacts",
        &[("name", "New Person"), ("email", "new@example.net")],
    );
    assert_eq!(answer.status, 303);
    assert!(next.text.contains("Contacts 1-4 of 4 Shown"));
    assert!(next.text.contains("New Person"));
    let (answer, next) = joe.submit(
        "/portal/contacts/3527/details",
        "/portal/contacts/3527/details",
        &[
            ("name", "Renamed Person"),
            ("title", "Billing"),
            ("poc", "on"),
        ],
    );
    assert_eq!(answer.status, 303);
    assert_eq!(success(&next), "Success: Contact updated.");
    assert!(next.text.contains("value=\"Renamed Person\""));
    let (answer, next) = joe.submit("/portal/contacts", "/portal/contacts/3527/deactivate", &[]);
    assert_eq!(answer.status, 303);
    assert_eq!(success(&next), "Success: Contact updated.");
    assert!(next.text.contains("Contacts 1-3 of 3 Shown"));
    assert!(!next.text.contains("Renamed Person"));
}

#[test]
fn a_contact_locked_on_the_console_is_unlocked_on_its_unlock_tab() {
    let s = start();
    setup(&s);
    first_password(&s);
    let mut agent = Browser::new(&s);
    assert_eq!(agent.agent_sign_in(&s.agent).status, 303);
    let mut locked = false;
    for _ in 0..20 {
        if outcome(&verify(&mut agent, "3523", "wrong wrong wrong")) == "locked" {
            locked = true;
            break;
        }
    }
    assert!(locked);
    let mut joe = Browser::new(&s);
    assert_eq!(joe.contact_sign_in("3522", JOE_PASSWORD).status, 303);
    let tab = joe.get("/portal/contacts/3523/unlock");
    assert!(tab.text.contains("<p id=\"lock-status\">Locked"));
    let (answer, next) = joe.submit(
        "/portal/contacts/3523/unlock",
        "/portal/contacts/3523/unlock",
        &[],
    );
    assert_eq!(answer.status, 303);
    assert_eq!(success(&next), "Success: Contact updated.");
    assert!(next.text.contains("<p id=\"lock-status\">Not locked"));
    assert_eq!(
        outcome(&verify(&mut agent, "3523", CONTACT_CODE)),
        "verified"
    );
}

/// Give `contact` a portal password, on the store, as `seccode` would.
fn password_for(s: &Server, contact: u64, password: &str) {
    use seccode::{AccountId, ContactId, Engine, EngineConfig, Password};
    let mut config = EngineConfig::default();
    config.verifier.params = common::CHEAP;
    let engine = Engine::new(config).unwrap();
    let mut store = seccode_store::AnyStore::open(&s.db).unwrap();
    let password = Password::new(password.to_owned()).unwrap();
    seccode_store::update_account(&mut store, AccountId(1707), |a| {
        a.set_password(&engine, ContactId(3522), ContactId(contact), &password)
    })
    .unwrap();
}

/// A service whose engine has a sealing key.
fn start_sealed() -> Server {
    common::start_with(common::CHEAP, |o| {
        o.sealer = Some(seccode::Sealer::new("s1", [7; 32]).unwrap());
    })
}

/// The `code_revealed` events of the account, from the audit log.
fn reveals(s: &Server) -> Vec<serde_json::Value> {
    let (st, log) = j(
        s,
        "GET",
        "/v1/audit?account=1707&kind=code_revealed",
        &s.admin,
        json!(null),
    );
    assert_eq!(st, 200);
    log["events"].as_array().unwrap().clone()
}

/// The code on a "Reveal" answer.
fn revealed(page: &Page) -> &str {
    let marker = "<code id=\"revealed-code\" class=\"revealed\">";
    let at = page.text.find(marker).expect("a revealed code") + marker.len();
    let rest = &page.text[at..];
    &rest[..rest.find('<').unwrap()]
}

const NEW_CODE: &str = "Marble otter 5 ferries dawn";
const NOT_SHOWN: &str = "The code is set and can be changed, but it is not shown";

#[test]
fn with_a_sealing_key_an_entitled_contact_reveals_a_code_once_and_it_is_audited() {
    let s = start_sealed();
    setup(&s);
    first_password(&s);
    // A code set while the service had no sealing key has no sealed copy: not offered.
    {
        use seccode::{AccountId, ContactId, Engine, EngineConfig, SecurityCode};
        let mut config = EngineConfig::default();
        config.verifier.params = common::CHEAP;
        let engine = Engine::new(config).unwrap();
        let mut store = seccode_store::AnyStore::open(&s.db).unwrap();
        let code = SecurityCode::try_from(ADMIN_CODE).unwrap();
        seccode_store::update_account(&mut store, AccountId(1707), |a| {
            a.set_account_code(&engine, ContactId(3522), &code)
        })
        .unwrap();
    }
    let mut joe = Browser::new(&s);
    assert_eq!(joe.contact_sign_in("3522", JOE_PASSWORD).status, 303);
    let profile = joe.get("/portal/profile");
    assert!(!profile.text.contains("id=\"reveal-account-code\""));
    assert!(
        profile
            .text
            .contains("Set it again to be able to reveal it.")
    );
    let csrf = profile.csrf();
    let refused = joe.post("/portal/profile/custom-fields/reveal", &[("csrf", &csrf)]);
    assert_eq!(refused.status, 409);
    assert!(!refused.text.contains(ADMIN_CODE));

    // Set through the page: now it has a sealed copy and Joe (Profile / View) may reveal it.
    let (answer, next) = joe.submit(
        "/portal/profile/custom-fields",
        "/portal/profile/custom-fields",
        &[("code", NEW_CODE)],
    );
    assert_eq!(answer.status, 303);
    assert_eq!(success(&next), "Success: Account information updated.");
    assert!(!next.text.contains(NEW_CODE));
    let form = "<form method=\"post\" action=\"/portal/profile/custom-fields/reveal\"";
    assert!(next.text.contains(form), "a POST form");
    assert!(next.text.contains("id=\"reveal-account-code\""));
    assert!(
        !next
            .text
            .contains("href=\"/portal/profile/custom-fields/reveal")
    );
    assert!(reveals(&s).is_empty());
    // Only a POST with the CSRF token reveals.
    let get = joe.get("/portal/profile/custom-fields/reveal");
    assert_eq!(get.status, 405);
    assert!(!get.text.contains(NEW_CODE));
    let forged = joe.post("/portal/profile/custom-fields/reveal", &[]);
    assert_eq!(forged.status, 403);
    assert!(!forged.text.contains(NEW_CODE));
    assert!(reveals(&s).is_empty());
    let shown = joe.post(
        "/portal/profile/custom-fields/reveal",
        &[("csrf", &next.csrf())],
    );
    assert_eq!(shown.status, 200);
    assert_secure_headers(&shown);
    assert_eq!(revealed(&shown), NEW_CODE);
    let events = reveals(&s);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["actor"], json!(3522));
    assert!(!serde_json::to_string(&events).unwrap().contains(NEW_CODE));
    // Shown on that answer only.
    for path in ["/portal/profile", "/portal/profile/custom-fields"] {
        let page = joe.get(path);
        assert_eq!(page.status, 200);
        assert!(!page.text.contains(NEW_CODE), "{path}");
    }

    // A contact's own code (set through the API with the key: sealed), on its Custom Fields.
    let tab = joe.get("/portal/contacts/3523/custom-fields");
    assert!(
        tab.text.contains(
            "<form method=\"post\" action=\"/portal/contacts/3523/custom-fields/reveal\""
        )
    );
    assert!(!tab.text.contains(CONTACT_CODE));
    let shown = joe.post(
        "/portal/contacts/3523/custom-fields/reveal",
        &[("csrf", &tab.csrf())],
    );
    assert_eq!(shown.status, 200);
    assert_eq!(revealed(&shown), CONTACT_CODE);
    assert_eq!(reveals(&s).len(), 2);

    // 3523 holds neither Profile / View nor Manage Contacts / View: nothing is offered, and a
    // forged POST is refused by the core's check.
    password_for(&s, 3523, CONTACT_PASSWORD);
    let mut other = Browser::new(&s);
    assert_eq!(other.contact_sign_in("3523", CONTACT_PASSWORD).status, 303);
    let profile = other.get("/portal/profile");
    assert_eq!(profile.status, 200);
    assert!(!profile.text.contains("reveal"));
    assert!(
        profile
            .text
            .contains("The code is set; your permissions do not include viewing it.")
    );
    let csrf = profile.csrf();
    let forged = other.post("/portal/profile/custom-fields/reveal", &[("csrf", &csrf)]);
    assert_eq!(forged.status, 403);
    assert_secure_headers(&forged);
    assert!(!forged.text.contains(NEW_CODE));
    let tab = other.get("/portal/contacts/3526/custom-fields");
    assert_eq!(tab.status, 200);
    assert!(!tab.text.contains("reveal"));
    let forged = other.post(
        "/portal/contacts/3526/custom-fields/reveal",
        &[("csrf", &csrf)],
    );
    assert_eq!(forged.status, 403);
    assert!(!forged.text.contains(CONTACT_CODE));
    assert_eq!(reveals(&s).len(), 2, "refusals reveal nothing");
}

#[test]
fn without_a_sealing_key_a_code_is_set_but_never_shown() {
    let s = start();
    setup(&s);
    first_password(&s);
    let mut joe = Browser::new(&s);
    assert_eq!(joe.contact_sign_in("3522", JOE_PASSWORD).status, 303);
    let profile = joe.get("/portal/profile");
    assert_eq!(profile.status, 200);
    assert!(profile.text.contains("id=\"edit-custom-fields\""));
    assert!(profile.text.contains(NOT_SHOWN));
    assert!(!profile.text.contains("reveal"));
    let tab = joe.get("/portal/contacts/3523/custom-fields");
    assert!(tab.text.contains(NOT_SHOWN));
    assert!(!tab.text.contains("reveal"));
    // Forged: refused by the core (no sealing key), nothing shown, nothing recorded.
    let csrf = profile.csrf();
    for path in [
        "/portal/profile/custom-fields/reveal",
        "/portal/contacts/3523/custom-fields/reveal",
    ] {
        let forged = joe.post(path, &[("csrf", &csrf)]);
        assert_eq!(forged.status, 409, "{path}");
        assert!(forged.text.contains("no sealing key configured"), "{path}");
        assert!(!forged.text.contains(ADMIN_CODE) && !forged.text.contains(CONTACT_CODE));
    }
    assert!(reveals(&s).is_empty());
}

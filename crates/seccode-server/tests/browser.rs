//! The pages in a real browser: headless Chromium driven over WebDriver (chromedriver, spoken
//! to with plain HTTP requests) against a service on 127.0.0.1. The seed's walkthroughs click
//! by click, the agent console, a contact named `<script>alert(1)</script>` shown as text.
//! A screenshot of each main page is saved under the build directory
//! (`target/tmp/screenshots/`), not committed.
//!
//! Without `chromium` and `chromedriver` on the PATH the test is skipped, except under CI,
//! where it fails.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::process::{Child, Command, Stdio};

use base64::Engine as _;
use common::{Server, j, start};
use serde_json::{Value, json};

const CONTACT_CODE: &str = "Seven lazy herons juggle 19 kiwis";
const JOE_PASSWORD: &str = "Tangerine walrus 7 sails north";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn which(program: &str) -> Option<String> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
}

/// A chromedriver of this test, with one headless Chromium session; both end on drop.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: ureq::Agent,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self
            .http
            .delete(format!("{}/session/{}", self.base, self.session))
            .call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// Start chromedriver and a headless Chromium; `None` (skip) when either is missing
    /// outside CI.
    fn start() -> Option<Browser> {
        let (Some(chromium), Some(chromedriver)) = (
            which("chromium").or_else(|| which("chromium-browser")),
            which("chromedriver"),
        ) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "chromium and chromedriver are required under CI"
            );
            eprintln!("skipped: chromium and chromedriver are not installed");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let http: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        // Wait for the driver to listen (bounded number of tries, no timing asserted).
        let mut ready = false;
        for _ in 0..200 {
            if http.get(format!("{base}/status")).call().is_ok() {
                ready = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(ready, "chromedriver did not start");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,1000"]
            }
        }}});
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            http,
        };
        let answer = browser.call("POST", "/session", &caps);
        browser.session = answer["sessionId"].as_str().unwrap().to_owned();
        Some(browser)
    }

    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let url = format!("{}{path}", self.base);
        let response = match method {
            "GET" => self.http.get(&url).call(),
            _ => self
                .http
                .post(&url)
                .header("Content-Type", "application/json")
                .send(serde_json::to_vec(body).unwrap()),
        }
        .unwrap();
        let text = response.into_body().read_to_string().unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert!(
            value["value"].get("error").is_none(),
            "{method} {path}: {}",
            value["value"]
        );
        value["value"].clone()
    }

    fn s(&self, path: &str) -> String {
        format!("/session/{}{path}", self.session)
    }

    fn go(&self, url: &str) {
        self.call("POST", &self.s("/url"), &json!({ "url": url }));
    }

    fn url(&self) -> String {
        self.call("GET", &self.s("/url"), &Value::Null)
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            &self.s("/element"),
            &json!({"using": "css selector", "value": css}),
        );
        v[ELEMENT].as_str().unwrap().to_owned()
    }

    fn count(&self, css: &str) -> usize {
        self.call(
            "POST",
            &self.s("/elements"),
            &json!({"using": "css selector", "value": css}),
        )
        .as_array()
        .unwrap()
        .len()
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.call("POST", &self.s(&format!("/element/{e}/click")), &json!({}));
    }

    fn type_in(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.call(
            "POST",
            &self.s(&format!("/element/{e}/value")),
            &json!({ "text": text }),
        );
    }

    /// Click `css` and wait (a bounded number of polls) until the page's path ends with `path`.
    fn click_to(&self, css: &str, path: &str) {
        let before = self.find("html");
        self.click(css);
        for _ in 0..200 {
            // The new document's root element differs from the old one's.
            if self.url().ends_with(path) && self.find("html") != before {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("clicking {css} did not lead to {path}: at {}", self.url());
    }

    fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.call("GET", &self.s(&format!("/element/{e}/text")), &Value::Null)
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn screenshot(&self, name: &str) {
        let png = self.call("GET", &self.s("/screenshot"), &Value::Null);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), bytes).unwrap();
    }
}

fn setup(s: &Server) {
    let (st, _) = j(
        s,
        "POST",
        "/v1/accounts",
        &s.admin,
        json!({"id": 1707, "name": "Any Company",
               "primary": {"id": 3522, "name": "Joe Example", "title": "Primary Contact",
                           "phone": "000-000-0000", "email": "marketing@viviotech.net"}}),
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
        "/v1/accounts/1707/contacts/3523/code",
        &s.portal,
        json!({"actor": 3522, "code": CONTACT_CODE}),
    );
    assert_eq!(st, 200);
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

#[test]
fn the_pages_work_in_a_real_browser() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let s = start();
    setup(&s);
    let b = &browser;

    // The agent console: sign in with the key, verify, see what the caller may request.
    b.go(&format!("{}/console/signin", s.base));
    b.screenshot("console-signin");
    b.type_in("#key", &s.agent);
    b.click_to("#signin", "/console");
    b.type_in("#account", "1707");
    b.type_in("#contact", "3523");
    b.type_in("#code", "seven lazy herons juggle 19 kiwis");
    b.click_to("#verify", "/console");
    assert_eq!(b.text("#outcome"), "Verified");
    assert_eq!(b.text("#decision-routine"), "Allowed");
    assert_eq!(
        b.text("#decision-cancellation"),
        "Needs approval from Joe Example (3522)"
    );
    b.screenshot("console-verified");
    b.click_to("#signout", "/console/signin");

    // The portal: sign in as the primary contact.
    b.go(&format!("{}/signin", s.base));
    b.type_in("#account", "1707");
    b.type_in("#contact", "3522");
    b.type_in("#password", JOE_PASSWORD);
    b.click_to("#signin", "/portal/profile");

    // Your account-wide security code: View Profile → Custom Fields → Edit.
    b.click_to("#nav-profile", "/portal/profile");
    b.click_to("#edit-custom-fields", "/portal/profile/custom-fields");
    b.type_in("#code", "Marble otter 5 ferries dawn");
    b.screenshot("custom-fields");
    b.click_to("#save", "/portal/profile");
    assert_eq!(b.text("#message"), "Success: Account information updated.");
    assert_eq!(b.text("#account-code"), "set");

    // View Contacts: the table, the name shown as text.
    b.click_to("#nav-contacts", "/portal/contacts");
    assert!(b.text("#shown").starts_with("Contacts 1-3 of 3 Shown"));
    assert_eq!(b.text("#contact-3526 .name"), "<script>alert(1)</script>");
    b.screenshot("contacts");

    // Changing permissions for your other users: Manage Contacts, View and Update: Allow.
    b.click_to("#edit-3523", "/portal/contacts/3523/details");
    b.click_to("#tab-permissions", "/portal/contacts/3523/permissions");
    b.click("select[aria-label='Manage Contacts View'] option[value='allow']");
    b.click("select[aria-label='Manage Contacts Update'] option[value='allow']");
    b.click_to("#update", "/portal/contacts/3523/permissions");
    assert_eq!(b.text("#message"), "Success: Contact updated.");
    let effective = |action: &str| {
        let css = format!("select[aria-label='Manage Contacts {action}'] + .effective");
        b.text(&css)
    };
    assert_eq!(effective("View"), "Allow");
    assert_eq!(effective("Update"), "Allow");
    assert_eq!(effective("Delete"), "(None)");
    assert!(b.count("select") > 0);
    b.screenshot("permissions");

    // Creating individual codes for your other users: the Custom Fields tab.
    b.click_to("#tab-custom-fields", "/portal/contacts/3523/custom-fields");
    b.type_in("#code", "Velvet badger 31 counts stars");
    b.click_to("#update", "/portal/contacts/3523/custom-fields");
    assert_eq!(b.text("#message"), "Success: Contact updated.");
    assert_eq!(b.text("#contact-code"), "set");
}

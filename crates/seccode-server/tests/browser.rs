//! The pages in a real browser: headless Chromium driven over WebDriver (chromedriver, spoken
//! to with plain HTTP requests) against a service on 127.0.0.1, one browser per test.
//!
//! - The seed's four walkthroughs click by click, each ending at the seed's success message
//!   and the grid the seed shows, then checking that the change works (the agent console
//!   verifies with the code, or the contact may now do what was allowed).
//! - The agent console: right code, spoken variant, wrong code, lockout, then a cancellation
//!   that needs the primary contact's approval, recorded in the audit log with its button.
//! - A contact named `<script>alert(1)</script>` shown as text with no alert open; a POST
//!   without its CSRF token, a forged permissions form from a contact without the right, and
//!   a session cookie restored after sign-out: all refused.
//!
//! A screenshot of each main page is saved under the build directory
//! (`$CARGO_TARGET_TMPDIR/screenshots/`, i.e. `target/tmp/screenshots/`), never committed.
//!
//! Without `chromium` and `chromedriver` on the PATH the tests are skipped, except under CI,
//! where they fail.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::{Condvar, Mutex};

use base64::Engine as _;
use common::{Server, j, start};
use serde_json::{Value, json};

const ACCOUNT_CODE: &str = "Marble otter 5 ferries dawn";
const CONTACT_CODE: &str = "Seven lazy herons juggle 19 kiwis";
const OTHER_CODE: &str = "Velvet badger 31 counts stars";
const JOE_PASSWORD: &str = "Tangerine walrus 7 sails north";
const CONTACT_PASSWORD: &str = "Quiet copper falcon 88 hums";
const XSS: &str = "<script>alert(1)</script>";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const COOKIE: &str = "__Host-seccode_session";

/// How many browsers run at once: the machines that run this have few cores.
const BROWSERS_AT_ONCE: usize = 2;

/// Polls of a page before giving up (a bound on waiting, not a timed assertion).
const POLLS: usize = 800;

fn which(program: &str) -> Option<String> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
}

/// A counting semaphore: at most [`BROWSERS_AT_ONCE`] browsers alive.
static SLOTS: (Mutex<usize>, Condvar) = (Mutex::new(0), Condvar::new());

struct Slot;

impl Slot {
    fn take() -> Slot {
        let (count, freed) = &SLOTS;
        let mut n = count.lock().unwrap_or_else(|e| e.into_inner());
        while *n >= BROWSERS_AT_ONCE {
            n = freed.wait(n).unwrap_or_else(|e| e.into_inner());
        }
        *n += 1;
        Slot
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let (count, freed) = &SLOTS;
        let mut n = count.lock().unwrap_or_else(|e| e.into_inner());
        *n -= 1;
        freed.notify_one();
    }
}

/// A chromedriver of this test, with one headless Chromium session on a fresh profile; all
/// end on drop.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: ureq::Agent,
    _profile: tempfile::TempDir,
    _slot: Slot,
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
        let slot = Slot::take();
        let profile = tempfile::tempdir().unwrap();
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
        for _ in 0..400 {
            if http.get(format!("{base}/status")).call().is_ok() {
                ready = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(ready, "chromedriver did not start");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--disable-background-networking",
                         "--disable-extensions", "--disable-sync", "--no-first-run",
                         "--no-default-browser-check", "--window-size=1280,1000",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            http,
            _profile: profile,
            _slot: slot,
        };
        let answer = browser.call("POST", "/session", &caps);
        browser.session = answer["sessionId"].as_str().unwrap().to_owned();
        Some(browser)
    }

    /// A WebDriver command; its `value`, error or not.
    fn call_raw(&self, method: &str, path: &str, body: &Value) -> Value {
        let url = format!("{}{path}", self.base);
        let response = match method {
            "GET" => self.http.get(&url).call(),
            "DELETE" => self.http.delete(&url).call(),
            _ => self
                .http
                .post(&url)
                .header("Content-Type", "application/json")
                .send(serde_json::to_vec(body).unwrap()),
        }
        .unwrap();
        let text = response.into_body().read_to_string().unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        value["value"].clone()
    }

    /// A WebDriver command that must succeed; its `value`.
    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let value = self.call_raw(method, path, body);
        assert!(value.get("error").is_none(), "{method} {path}: {value}");
        value
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

    fn path(&self) -> String {
        self.try_path().unwrap()
    }

    /// The path of the page's URL, if the browser tells it now.
    fn try_path(&self) -> Option<String> {
        let v = self.call_raw("GET", &self.s("/url"), &Value::Null);
        let url = v.as_str()?;
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        Some(rest.find('/').map_or("/", |i| &rest[i..]).to_owned())
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            &self.s("/element"),
            &json!({"using": "css selector", "value": css}),
        );
        v[ELEMENT].as_str().unwrap().to_owned()
    }

    /// The element `css`, if there is one now.
    fn try_find(&self, css: &str) -> Option<String> {
        let v = self.call_raw(
            "POST",
            &self.s("/element"),
            &json!({"using": "css selector", "value": css}),
        );
        v[ELEMENT].as_str().map(str::to_owned)
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

    /// Clear the field `css`, then type `text` into it.
    fn fill(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.call("POST", &self.s(&format!("/element/{e}/clear")), &json!({}));
        self.call(
            "POST",
            &self.s(&format!("/element/{e}/value")),
            &json!({ "text": text }),
        );
    }

    /// Click `css` and wait (a bounded number of polls) until a new document whose path is
    /// `path` has loaded.
    fn click_to(&self, css: &str, path: &str) {
        let before = self.find("html");
        self.click(css);
        for _ in 0..POLLS {
            // The new document's root element differs from the old one's (while the new
            // document loads, there may be none to find).
            if self.try_path().as_deref() == Some(path)
                && self.try_find("html").is_some_and(|html| html != before)
            {
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

    fn property(&self, css: &str, name: &str) -> Value {
        let e = self.find(css);
        self.call(
            "GET",
            &self.s(&format!("/element/{e}/property/{name}")),
            &Value::Null,
        )
    }

    fn attribute(&self, css: &str, name: &str) -> Option<String> {
        let e = self.find(css);
        self.call(
            "GET",
            &self.s(&format!("/element/{e}/attribute/{name}")),
            &Value::Null,
        )
        .as_str()
        .map(str::to_owned)
    }

    fn source(&self) -> String {
        self.call("GET", &self.s("/source"), &Value::Null)
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Run `script` in the page (WebDriver `execute/sync`); what it returns.
    fn execute(&self, script: &str, args: &Value) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            &json!({ "script": script, "args": args }),
        )
    }

    /// The text of the open alert, or the WebDriver error (`no such alert` when none).
    fn alert(&self) -> Result<String, String> {
        let v = self.call_raw("GET", &self.s("/alert/text"), &Value::Null);
        match v.get("error") {
            Some(e) => Err(e.as_str().unwrap_or_default().to_owned()),
            None => Ok(v.as_str().unwrap_or_default().to_owned()),
        }
    }

    fn assert_no_alert(&self) {
        assert_eq!(
            self.alert(),
            Err("no such alert".to_owned()),
            "an alert is open"
        );
    }

    /// The session cookie as WebDriver sees it.
    fn session_cookie(&self) -> Value {
        self.call("GET", &self.s(&format!("/cookie/{COOKIE}")), &Value::Null)
    }

    fn delete_cookies(&self) {
        self.call("DELETE", &self.s("/cookie"), &Value::Null);
    }

    /// Put the session cookie `value` back in the browser, as it was set.
    fn restore_cookie(&self, value: &str) {
        self.call(
            "POST",
            &self.s("/cookie"),
            &json!({"cookie": {"name": COOKIE, "value": value, "path": "/",
                               "secure": true, "httpOnly": true, "sameSite": "Strict"}}),
        );
    }

    /// Choose `value` (`inherit`, `allow`, `deny`) in the grid's select labelled `label`.
    fn choose(&self, label: &str, value: &str) {
        self.click(&format!(
            "select[aria-label='{label}'] option[value='{value}']"
        ));
        assert_eq!(
            self.property(&format!("select[aria-label='{label}']"), "value"),
            json!(value)
        );
    }

    /// The permission grid on the page: one line per resource, `Name: cell | cell | …`,
    /// each applicable cell as `Setting Effective` (the select's choice, then the effective
    /// value as the page prints it), or the effective value alone where no choice is offered,
    /// or `-`.
    fn grid(&self) -> Vec<String> {
        let rows = self.execute(
            r"return [...document.querySelectorAll('#grid tbody tr')].map(tr => {
                const cells = [...tr.querySelectorAll('td')].map(td => {
                    const e = td.querySelector('.effective');
                    if (!e) { return td.textContent.trim(); }
                    const s = td.querySelector('select');
                    const choice = s ? s.options[s.selectedIndex].text + ' ' : '';
                    return choice + e.textContent.trim();
                });
                return tr.querySelector('th').textContent.trim() + ': ' + cells.join(' | ');
            });",
            &json!([]),
        );
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect()
    }

    /// Save a screenshot of the whole page as `screenshots/{name}.png` in the build's
    /// temporary directory.
    fn screenshot(&self, name: &str) {
        // The window grows to the page's height (plus the window's own frame).
        let sizes = self.execute(
            "return [Math.max(document.documentElement.scrollHeight, 700),
                     window.outerHeight - window.innerHeight];",
            &json!([]),
        );
        let height = sizes[0].as_u64().unwrap() + sizes[1].as_u64().unwrap_or(0);
        self.call(
            "POST",
            &self.s("/window/rect"),
            &json!({"width": 1280, "height": height}),
        );
        let png = self.call("GET", &self.s("/screenshot"), &Value::Null);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        assert!(bytes.starts_with(b"\x89PNG"));
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), bytes).unwrap();
    }

    /// Sign in to the Client Portal as `contact`; at View Profile.
    fn sign_in(&self, s: &Server, contact: &str, password: &str) {
        self.go(&format!("{}/signin", s.base));
        self.fill("#account", "1707");
        self.fill("#contact", contact);
        self.fill("#password", password);
        self.click_to("#signin", "/portal/profile");
    }

    /// Sign out when signed in (portal or console); at a sign-in page.
    fn sign_out(&self) {
        if self.count("#signout") > 0 {
            let to = if self.path().starts_with("/console") {
                "/console/signin"
            } else {
                "/signin"
            };
            self.click_to("#signout", to);
        }
    }

    /// Sign in to the agent console with the server's agent key.
    fn console_sign_in(&self, s: &Server) {
        self.sign_out();
        self.go(&format!("{}/console/signin", s.base));
        self.fill("#key", &s.agent);
        self.click_to("#signin", "/console");
    }

    /// On the console: verify `contact` of 1707 with `code`; the outcome as the page says it.
    fn verify(&self, contact: &str, code: &str) -> String {
        self.fill("#account", "1707");
        self.fill("#contact", contact);
        self.fill("#code", code);
        self.click_to("#verify", "/console");
        assert!(!self.source().contains(code), "the code is never shown");
        assert_eq!(
            self.property("#code", "value"),
            json!(""),
            "the code is not kept"
        );
        self.text("#outcome")
    }
}

/// The seed's account: "Any Company", Client ID 1707, with its three contacts, and a portal
/// password for the primary contact.
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
    for contact in [
        json!({"actor": 3522, "id": 3523, "name": "Contact Example",
               "phone": "000-000-0000", "email": "marketing@viviotech.net"}),
        json!({"actor": 3522, "id": 3526, "name": "Contact Example 2"}),
    ] {
        let (st, body) = j(s, "POST", "/v1/accounts/1707/contacts", &s.portal, contact);
        assert_eq!(st, 201, "{body}");
    }
    set_password(s, 3522, JOE_PASSWORD);
}

/// Give `contact` a portal password, on the store, as `seccode contact password` would.
fn set_password(s: &Server, contact: u64, password: &str) {
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

fn set_account_code(s: &Server, code: &str) {
    let (st, body) = j(
        s,
        "PUT",
        "/v1/accounts/1707/code",
        &s.portal,
        json!({"actor": 3522, "code": code}),
    );
    assert_eq!(st, 200, "{body}");
}

fn set_contact_code(s: &Server, contact: u64, code: &str) {
    let (st, body) = j(
        s,
        "PUT",
        &format!("/v1/accounts/1707/contacts/{contact}/code"),
        &s.portal,
        json!({"actor": 3522, "code": code}),
    );
    assert_eq!(st, 200, "{body}");
}

fn allow(s: &Server, contact: u64, resource: &str, action: &str) {
    let (st, body) = j(
        s,
        "PUT",
        &format!("/v1/accounts/1707/contacts/{contact}/permissions"),
        &s.portal,
        json!({"actor": 3522, "resource": resource, "action": action, "setting": "allow"}),
    );
    assert_eq!(st, 200, "{body}");
}

/// The portal's resources in display order, with the actions that apply (V C U D).
const RESOURCES: [(&str, [bool; 4]); 13] = [
    ("Client Portal", [true; 4]),
    ("Client Profile", [true; 4]),
    ("Profile", [true; 4]),
    ("Payment Methods", [true; 4]),
    ("Change Password", [true, false, true, false]),
    ("Manage Contacts", [true; 4]),
    ("Manage Contact Facility Access", [true; 4]),
    ("Billing & Services", [true; 4]),
    ("Reports", [true; 4]),
    ("Domain Management", [true; 4]),
    ("Support", [true; 4]),
    ("Website", [true, false, false, false]),
    ("Client Preferences", [true; 4]),
];

/// The grid the seed shows for a contact whose only own settings are `allowed` (resource,
/// action index): `Allow Allow` there, `Inherit (None)` in every other applicable cell
/// ("() shows inherited value"), `-` where the action does not apply.
fn seed_grid(allowed: &[(&str, usize)]) -> Vec<String> {
    RESOURCES
        .iter()
        .map(|(name, applies)| {
            let cells: Vec<&str> = (0..4)
                .map(|i| {
                    if !applies[i] {
                        "-"
                    } else if allowed.contains(&(*name, i)) {
                        "Allow Allow"
                    } else {
                        "Inherit (None)"
                    }
                })
                .collect();
            format!("{name}: {}", cells.join(" | "))
        })
        .collect()
}

/// A browser and a service with the seed's account; `None` when the browser tests are
/// skipped.
fn begin() -> Option<(Browser, Server)> {
    let browser = Browser::start()?;
    let s = start();
    setup(&s);
    Some((browser, s))
}

/// View Contacts as the seed shows it: "Contacts 1-3 of 3 Shown" and the three lines.
fn assert_seed_contacts(b: &Browser) {
    assert!(b.text("#shown").starts_with("Contacts 1-3 of 3 Shown"));
    assert!(b.text("#shown").contains("Download CSV File"));
    let line = |id: u64| b.text(&format!("#contact-{id}"));
    assert!(
        line(3522)
            .starts_with("3522 Joe Example Primary Contact 000-000-0000 marketing@viviotech.net"),
        "{}",
        line(3522)
    );
    assert!(
        line(3523).starts_with("3523 Contact Example 000-000-0000 marketing@viviotech.net"),
        "{}",
        line(3523)
    );
    assert!(line(3526).starts_with("3526 Contact Example 2"));
    for id in [3522, 3523, 3526] {
        assert_eq!(b.count(&format!("#edit-{id}")), 1);
    }
}

#[test]
fn walkthrough_1_your_account_wide_security_code() {
    let Some((b, s)) = begin() else {
        return;
    };
    // Step 1: Log in to the Client Portal.
    b.go(&format!("{}/signin", s.base));
    b.screenshot("portal-signin");
    b.sign_in(&s, "3522", JOE_PASSWORD);
    // Step 2: under "Client Profile", select "View Profile".
    b.click_to("#nav-profile", "/portal/profile");
    assert_eq!(b.text("h1"), "Any Company");
    assert_eq!(b.text("#account-code"), "not set");
    b.screenshot("profile");
    // Step 3: scroll down to "CUSTOM FIELDS" and select "Edit".
    assert!(b.text("#custom-fields").starts_with("Custom Fields"));
    b.click_to("#edit-custom-fields", "/portal/profile/custom-fields");
    assert_eq!(b.text("h1"), "Edit Custom Fields");
    // Step 4: type a new Security Code (not echoed).
    assert_eq!(b.attribute("#code", "type").as_deref(), Some("password"));
    b.fill("#code", ACCOUNT_CODE);
    b.screenshot("profile-custom-fields-edit");
    // Step 5: "Save Changes".
    assert_eq!(b.text("#save"), "Save Changes");
    b.click_to("#save", "/portal/profile");
    // Step 6: the message at the top of the screen.
    assert_eq!(b.text("#message"), "Success: Account information updated.");
    assert_eq!(b.text("#account-code"), "set");
    assert!(!b.source().contains(ACCOUNT_CODE));
    // "Your account-wide security code is now ready to use!"
    b.console_sign_in(&s);
    assert_eq!(b.verify("3522", ACCOUNT_CODE), "Verified");
}

#[test]
fn walkthrough_2_allowing_your_other_users_to_see_the_account_wide_code() {
    let Some((b, s)) = begin() else {
        return;
    };
    set_account_code(&s, ACCOUNT_CODE);
    // Before: Contact Example may not see the account-wide code, so cannot use it.
    b.console_sign_in(&s);
    assert_eq!(b.verify("3523", ACCOUNT_CODE), "Not verified");
    b.sign_out();
    // Step 1: Log in.
    b.sign_in(&s, "3522", JOE_PASSWORD);
    // Step 2: under "Client Profile", select "View Contacts".
    b.click_to("#nav-contacts", "/portal/contacts");
    assert_seed_contacts(&b);
    // Step 3: "Edit" on the contact's line.
    b.click_to("#edit-3523", "/portal/contacts/3523/details");
    assert_eq!(b.text("h1"), "Edit Contact");
    assert_eq!(b.property("#name", "value"), json!("Contact Example"));
    // Step 4: the "Permissions" tab.
    b.click_to("#tab-permissions", "/portal/contacts/3523/permissions");
    assert!(b.text("#main").contains("() shows inherited value"));
    // Step 5: every resource is shown (there is nothing to expand), as the seed shows it.
    assert_eq!(b.grid(), seed_grid(&[]));
    b.screenshot("contact-permissions");
    // Step 6: on the "Profile" line, under "View", select "Allow".
    b.choose("Profile View", "allow");
    // Step 7: "Update".
    b.click_to("#update", "/portal/contacts/3523/permissions");
    // Step 8: the message, and the grid: Profile View Allow, everything else as it was.
    assert_eq!(b.text("#message"), "Success: Contact updated.");
    assert_eq!(b.grid(), seed_grid(&[("Profile", 0)]));
    b.screenshot("permissions-after-walkthrough-2");
    // "This user is now able to view the account-wide security code": and so to use it.
    b.console_sign_in(&s);
    assert_eq!(b.verify("3523", ACCOUNT_CODE), "Verified");
    // The other contact, still not allowed, still cannot.
    assert_eq!(b.verify("3526", ACCOUNT_CODE), "Not verified");
}

#[test]
fn walkthrough_3_creating_individual_codes_for_your_other_users() {
    let Some((b, s)) = begin() else {
        return;
    };
    // Step 1: Log in.
    b.sign_in(&s, "3522", JOE_PASSWORD);
    // Step 2: "View Contacts".
    b.click_to("#nav-contacts", "/portal/contacts");
    assert_seed_contacts(&b);
    assert_eq!(b.text("#contact-3526 .code"), "not set");
    b.screenshot("contacts");
    // Step 3: "Edit" to the right of the contact.
    b.click_to("#edit-3526", "/portal/contacts/3526/details");
    assert_eq!(b.property("#name", "value"), json!("Contact Example 2"));
    let tabs: Vec<String> = (1..=5)
        .map(|i| b.text(&format!("nav.tabs li:nth-child({i}) a")))
        .collect();
    assert_eq!(
        tabs,
        [
            "Contact Details",
            "Login & Password",
            "Permissions",
            "Unlock",
            "Custom Fields"
        ]
    );
    b.screenshot("contact-details");
    // Step 4: the "Custom Fields" tab.
    b.click_to("#tab-custom-fields", "/portal/contacts/3526/custom-fields");
    assert_eq!(b.text("#contact-code"), "not set");
    // Step 5: type a new Security Code.
    assert_eq!(b.attribute("#code", "type").as_deref(), Some("password"));
    b.fill("#code", OTHER_CODE);
    b.screenshot("contact-custom-fields");
    // Step 6: "Update".
    b.click_to("#update", "/portal/contacts/3526/custom-fields");
    // Step 7: the message; the code is set (never shown).
    assert_eq!(b.text("#message"), "Success: Contact updated.");
    assert_eq!(b.text("#contact-code"), "set");
    assert!(!b.source().contains(OTHER_CODE));
    b.click_to("#nav-contacts", "/portal/contacts");
    assert_eq!(b.text("#contact-3526 .code"), "set");
    // "This security code is now ready for use!"
    b.console_sign_in(&s);
    assert_eq!(b.verify("3526", OTHER_CODE), "Verified");
}

#[test]
fn walkthrough_4_changing_permissions_for_your_other_users() {
    let Some((b, s)) = begin() else {
        return;
    };
    set_contact_code(&s, 3523, CONTACT_CODE);
    // Step 1: Log in.
    b.sign_in(&s, "3522", JOE_PASSWORD);
    // Step 2: "View Contacts".
    b.click_to("#nav-contacts", "/portal/contacts");
    assert_seed_contacts(&b);
    // Step 3: "Edit" to the right of the contact.
    b.click_to("#edit-3523", "/portal/contacts/3523/details");
    // Step 4: the "Permissions" tab.
    b.click_to("#tab-permissions", "/portal/contacts/3523/permissions");
    // Step 5: the grid as the seed shows it.
    assert_eq!(b.grid(), seed_grid(&[]));
    // Step 6: on the "Manage Contacts" line, "Allow" under "View" and "Update".
    b.choose("Manage Contacts View", "allow");
    b.choose("Manage Contacts Update", "allow");
    // Step 7: "Update".
    b.click_to("#update", "/portal/contacts/3523/permissions");
    // Step 8: the message, and the grid: that row reads Allow (None) Allow (None).
    assert_eq!(b.text("#message"), "Success: Contact updated.");
    assert_eq!(
        b.grid(),
        seed_grid(&[("Manage Contacts", 0), ("Manage Contacts", 2)])
    );
    let manage = b.grid()[5].clone();
    assert_eq!(
        manage,
        "Manage Contacts: Allow Allow | Inherit (None) | Allow Allow | Inherit (None)"
    );
    b.screenshot("permissions-after-walkthrough-4");

    // The other tabs: the contact gets a portal password on Login & Password …
    b.click_to("#tab-login", "/portal/contacts/3523/login");
    b.fill("#password", CONTACT_PASSWORD);
    b.fill("#password_confirm", CONTACT_PASSWORD);
    b.screenshot("contact-login");
    b.click_to("#update", "/portal/contacts/3523/login");
    assert_eq!(b.text("#message"), "Success: Contact updated.");
    assert!(!b.source().contains(CONTACT_PASSWORD));
    // … and is not locked (the Unlock tab).
    b.click_to("#tab-unlock", "/portal/contacts/3523/unlock");
    assert!(b.text("#lock-status").starts_with("Not locked"));
    b.screenshot("contact-unlock");

    // "This user can now view and update their security code."
    b.sign_out();
    b.sign_in(&s, "3523", CONTACT_PASSWORD);
    b.click_to("#nav-contacts", "/portal/contacts");
    b.click_to("#edit-3523", "/portal/contacts/3523/details");
    b.click_to("#tab-custom-fields", "/portal/contacts/3523/custom-fields");
    assert_eq!(b.text("#contact-code"), "set");
    b.fill("#code", OTHER_CODE);
    b.click_to("#update", "/portal/contacts/3523/custom-fields");
    assert_eq!(b.text("#message"), "Success: Contact updated.");
    // Permissions stay the primary contact's: none offered to this contact.
    b.click_to("#tab-permissions", "/portal/contacts/3523/permissions");
    assert_eq!(b.count("#grid select"), 0);
    b.console_sign_in(&s);
    assert_eq!(b.verify("3523", OTHER_CODE), "Verified");
    assert_eq!(b.verify("3523", CONTACT_CODE), "Not verified");
}

#[test]
fn the_agent_console_right_code_spoken_variant_wrong_code_lockout_then_a_cancellation() {
    let Some((b, s)) = begin() else {
        return;
    };
    set_contact_code(&s, 3523, CONTACT_CODE);
    set_contact_code(&s, 3526, OTHER_CODE);
    b.go(&format!("{}/console/signin", s.base));
    b.screenshot("console-signin");
    b.fill("#key", &s.agent);
    b.click_to("#signin", "/console");
    assert!(!b.source().contains(&s.agent));
    // The code field is not echoed nor completed.
    assert_eq!(b.attribute("#code", "type").as_deref(), Some("password"));
    assert_eq!(b.attribute("#code", "autocomplete").as_deref(), Some("off"));

    // The right code: verified, and what the caller may request.
    assert_eq!(b.verify("3523", CONTACT_CODE), "Verified");
    assert_eq!(b.text("#decision-routine"), "Allowed");
    b.screenshot("console-answer");
    // A spoken variant: other case, spacing and punctuation.
    assert_eq!(
        b.verify("3523", "SEVEN lazy-herons,  juggle 19... Kiwis!"),
        "Verified"
    );
    // A wrong code: not verified, nothing to request.
    assert_eq!(
        b.verify("3523", "Seven lazy herons juggle 91 kiwis"),
        "Not verified"
    );
    assert_eq!(b.count("#decision-routine"), 0);
    // Wrong again and again until locked; then the right code answers locked too.
    let mut locked = false;
    for _ in 0..20 {
        if b.verify("3523", "still not the code") == "Locked" {
            locked = true;
            break;
        }
    }
    assert!(locked, "never locked");
    assert_eq!(b.verify("3523", CONTACT_CODE), "Locked");
    assert_eq!(b.count("#decision-routine"), 0);
    // Another contact, not locked: a cancellation needs the primary contact's approval.
    assert_eq!(b.verify("3526", OTHER_CODE), "Verified");
    assert_eq!(
        b.attribute("#decision-cancellation", "data-decision")
            .as_deref(),
        Some("needs_approval")
    );
    let cancellation = b.text("#decision-cancellation");
    assert!(cancellation.contains("Joe Example"), "{cancellation}");
    assert_eq!(cancellation, "Needs approval from Joe Example (3522)");
    // The caller asks for the cancellation: the agent records it, and the console says so.
    b.click_to("#record-cancellation", "/console");
    assert_eq!(
        b.text("#message"),
        "Recorded: Cancellation: Needs approval from Joe Example (3522)."
    );
}

#[test]
fn a_contact_named_like_a_script_shows_as_text_and_opens_no_alert() {
    let Some((b, s)) = begin() else {
        return;
    };
    b.sign_in(&s, "3522", JOE_PASSWORD);
    // Add Contact, click by click, with the name a script.
    b.click_to("#nav-contacts", "/portal/contacts");
    b.click_to("#add-contact", "/portal/contacts/new");
    b.fill("#name", XSS);
    b.click_to("#add", "/portal/contacts");
    b.assert_no_alert();
    assert!(b.text("#shown").starts_with("Contacts 1-4 of 4 Shown"));
    assert_eq!(b.text("#contact-3527 .name"), XSS);
    assert_eq!(b.count("#contacts script"), 0);
    // Its Edit Contact page: the name in the field, as typed.
    b.click_to("#edit-3527", "/portal/contacts/3527/details");
    b.assert_no_alert();
    assert_eq!(b.property("#name", "value"), json!(XSS));
    assert_eq!(b.count("script"), 0);
    // The console names it as text too.
    set_contact_code(&s, 3527, OTHER_CODE);
    b.console_sign_in(&s);
    assert_eq!(b.verify("3527", OTHER_CODE), "Verified");
    b.assert_no_alert();
    assert!(b.text("#main").contains(XSS));
    assert_eq!(b.count("script"), 0);
    // The check above does see an alert when one is open.
    b.execute("setTimeout(() => alert('probe'), 0);", &json!([]));
    let mut seen = None;
    for _ in 0..POLLS {
        if let Ok(text) = b.alert() {
            seen = Some(text);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert_eq!(seen.as_deref(), Some("probe"));
    b.call("POST", &b.s("/alert/dismiss"), &json!({}));
    b.assert_no_alert();
}

#[test]
fn a_post_without_the_csrf_token_is_refused() {
    let Some((b, s)) = begin() else {
        return;
    };
    b.sign_in(&s, "3522", JOE_PASSWORD);
    b.click_to("#nav-contacts", "/portal/contacts");
    b.click_to("#edit-3523", "/portal/contacts/3523/details");
    b.fill("#name", "Renamed Without Token");
    let removed = b.execute(
        "const input = document.querySelector('#update').form.querySelector('input[name=csrf]');
         input.remove();
         return document.querySelector('#update').form.querySelectorAll('input[name=csrf]').length;",
        &json!([]),
    );
    assert_eq!(removed, json!(0));
    b.click_to("#update", "/portal/contacts/3523/details");
    assert!(b.text("h1").starts_with("403"), "{}", b.text("h1"));
    // Nothing changed.
    b.go(&format!("{}/portal/contacts/3523/details", s.base));
    assert_eq!(b.property("#name", "value"), json!("Contact Example"));
    // The same form with its token is accepted.
    b.fill("#name", "Renamed With Token");
    b.click_to("#update", "/portal/contacts/3523/details");
    assert_eq!(b.text("#message"), "Success: Contact updated.");
    assert_eq!(b.property("#name", "value"), json!("Renamed With Token"));
}

#[test]
fn a_forged_permissions_form_from_a_contact_without_the_right_is_refused() {
    let Some((b, s)) = begin() else {
        return;
    };
    // Contact Example may view and update contacts, but only the primary contact may
    // change permissions.
    allow(&s, 3523, "Manage Contacts", "view");
    allow(&s, 3523, "Manage Contacts", "update");
    set_password(&s, 3523, CONTACT_PASSWORD);
    b.sign_in(&s, "3523", CONTACT_PASSWORD);
    b.click_to("#nav-contacts", "/portal/contacts");
    for target in ["3526", "3523"] {
        let tab = format!("/portal/contacts/{target}/permissions");
        b.go(&format!("{}{tab}", s.base));
        assert_eq!(b.count("#grid select"), 0, "nothing offered");
        assert_eq!(b.count("#update"), 0);
        assert!(
            b.text("#main")
                .contains("Only the primary contact may change permissions.")
        );
        // A form built in the page, as if the grid had been offered: Profile View Allow.
        let field = b
            .execute(
                "const tr = [...document.querySelectorAll('#grid tbody tr')]
                     .find(tr => tr.querySelector('th').textContent.trim() === 'Profile');
                 return tr.querySelector('td .effective').id.replace(/-effective$/, '');",
                &json!([]),
            )
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            field.starts_with("cell-") && field.ends_with("-view"),
            "{field}"
        );
        b.execute(
            "const form = document.createElement('form');
             form.method = 'post';
             form.action = arguments[0];
             const add = (name, value) => {
                 const input = document.createElement('input');
                 input.type = 'hidden'; input.name = name; input.value = value;
                 form.appendChild(input);
             };
             add('csrf', document.querySelector('input[name=csrf]').value);
             add(arguments[1], 'allow');
             const button = document.createElement('button');
             button.type = 'submit'; button.id = 'forge'; button.textContent = 'Forge';
             form.appendChild(button);
             document.querySelector('#main').appendChild(form);",
            &json!([tab, field]),
        );
        b.click_to("#forge", &tab);
        assert!(b.text("h1").starts_with("403"), "{}", b.text("h1"));
        // Nothing changed.
        b.go(&format!("{}{tab}", s.base));
        assert_eq!(b.text(&format!("#{field}-effective")), "(None)");
    }
    // And the primary contact's grid for 3526 says the same.
    b.sign_out();
    b.sign_in(&s, "3522", JOE_PASSWORD);
    b.go(&format!("{}/portal/contacts/3526/permissions", s.base));
    assert_eq!(b.grid(), seed_grid(&[]));
}

#[test]
fn a_session_cookie_restored_after_sign_out_opens_nothing() {
    let Some((b, s)) = begin() else {
        return;
    };
    b.sign_in(&s, "3522", JOE_PASSWORD);
    let cookie = b.session_cookie();
    assert_eq!(cookie["httpOnly"], json!(true));
    assert_eq!(cookie["secure"], json!(true));
    assert_eq!(cookie["sameSite"], json!("Strict"));
    let value = cookie["value"].as_str().unwrap().to_owned();
    // While signed in, the cookie restored in an empty jar opens the portal.
    b.delete_cookies();
    b.go(&format!("{}/portal/contacts", s.base));
    assert_eq!(b.path(), "/signin");
    b.delete_cookies();
    b.restore_cookie(&value);
    b.go(&format!("{}/portal/contacts", s.base));
    assert_eq!(b.path(), "/portal/contacts");
    // Sign out; the same cookie restored no longer does.
    b.click_to("#signout", "/signin");
    b.delete_cookies();
    b.restore_cookie(&value);
    assert_eq!(b.session_cookie()["value"], json!(value));
    for page in ["/portal/contacts", "/portal/profile"] {
        b.go(&format!("{}{page}", s.base));
        assert_eq!(b.path(), "/signin");
        assert_eq!(b.text("h1"), "Client Portal: sign in");
        assert_eq!(b.count("#signout"), 0);
    }
}

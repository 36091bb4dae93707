//! `seccode serve --demo` through the real binary: it prints where to sign in and with what,
//! the printed password signs Joe Example in through the real sign-in form, the printed agent
//! key opens the console, the printed admin key reads the seed's account over the API, the
//! store and key file given with --db and --keys are not touched, and SIGTERM stops it with
//! status 0 and removes its temporary directory.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::BIN;

const COOKIE: &str = "__Host-seccode_session";

/// The running server; stopped with SIGTERM (so that it still removes its temporary
/// directory) if the test ends before it is.
struct Running {
    child: Child,
    /// Dropped when the test ends: the watchdog then stands down.
    _watchdog: mpsc::Sender<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            let _ = self.child.wait();
        }
    }
}

/// Kill process `pid` should the test hang (a server that never prints its banner), so that
/// the run fails instead of waiting for ever. Not an assertion about time.
fn watchdog(pid: u32) -> mpsc::Sender<()> {
    let (tx, rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_secs(600)) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    });
    tx
}

/// What the banner says.
#[derive(Debug)]
struct Banner {
    text: String,
    signin: String,
    console: String,
    passwords: Vec<(u64, String)>,
    agent: String,
    admin: String,
    store: PathBuf,
}

/// The first word after `label` on the line that starts (after spaces) with it.
fn after(text: &str, label: &str) -> String {
    let line = text
        .lines()
        .map(str::trim_start)
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no line `{label}` in:\n{text}"));
    line[label.len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

fn parse(text: String) -> Banner {
    let passwords = text
        .lines()
        .filter(|l| l.contains("password: "))
        .map(|l| {
            let id = after(l, "Contact ID:").parse().unwrap();
            let rest = l.split("password: ").nth(1).unwrap();
            (id, rest.split_whitespace().next().unwrap().to_owned())
        })
        .collect();
    Banner {
        signin: after(&text, "Portal sign-in:"),
        console: after(&text, "Agent console:"),
        agent: after(&text, "Agent key:"),
        admin: after(&text, "Admin key:"),
        store: PathBuf::from(after(&text, "Store:")),
        passwords,
        text,
    }
}

/// Read standard output up to the banner's last line.
fn read_banner(out: &mut impl BufRead) -> Banner {
    let mut text = String::new();
    loop {
        let mut line = String::new();
        let n = out.read_line(&mut line).unwrap();
        assert!(n > 0, "the server stopped before its banner ended:\n{text}");
        text.push_str(&line);
        if line.starts_with("Stop with ctrl-c") {
            return parse(text);
        }
    }
}

/// An answer as the browser got it.
struct Page {
    status: u16,
    location: String,
    set_cookie: Option<String>,
    text: String,
}

impl Page {
    /// The value of the first hidden `csrf` field.
    fn csrf(&self) -> String {
        let mark = "name=\"csrf\" value=\"";
        let at = self.text.find(mark).expect("a CSRF field");
        let rest = &self.text[at + mark.len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .build()
        .into()
}

/// `application/x-www-form-urlencoded`.
fn form(fields: &[(&str, &str)]) -> String {
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// One request with the session cookie `cookie` (if any), no redirect followed.
fn request(
    method: &str,
    url: &str,
    cookie: Option<&str>,
    bearer: Option<&str>,
    body: Option<String>,
) -> Page {
    let mut req = ureq::http::Request::builder().method(method).uri(url);
    if let Some(c) = cookie {
        req = req.header("Cookie", format!("{COOKIE}={c}"));
    }
    if let Some(key) = bearer {
        req = req.header("Authorization", format!("Bearer {key}"));
    }
    if body.is_some() {
        req = req.header("Content-Type", "application/x-www-form-urlencoded");
    }
    let response = agent()
        .run(req.body(body.unwrap_or_default().into_bytes()).unwrap())
        .unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let set_cookie = header("set-cookie").map(|v| {
        let first = v.split(';').next().unwrap();
        let (name, value) = first.split_once('=').unwrap();
        assert_eq!(name, COOKIE);
        value.to_owned()
    });
    let status = response.status().as_u16();
    let location = header("location").unwrap_or_default();
    let text = response.into_body().read_to_string().unwrap_or_default();
    Page {
        status,
        location,
        set_cookie,
        text,
    }
}

/// Sign in through the real form (GET it for the anonymous session's cookie and CSRF token,
/// POST it back); the answer to the POST and the cookie the browser then holds.
fn sign_in(url: &str, fields: &[(&str, &str)]) -> (Page, String) {
    let page = request("GET", url, None, None, None);
    assert_eq!(page.status, 200, "{}", page.text);
    let anonymous = page
        .set_cookie
        .clone()
        .expect("a session cookie with the form");
    let mut all = vec![("csrf", page.csrf())];
    all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let answer = request("POST", url, Some(&anonymous), None, Some(form(&pairs)));
    let cookie = answer.set_cookie.clone().unwrap_or(anonymous.clone());
    if answer.status == 303 {
        assert_ne!(cookie, anonymous, "a new session id at sign-in");
    }
    (answer, cookie)
}

fn base_of(url: &str) -> &str {
    let scheme_end = url.find("://").unwrap() + 3;
    let path = url[scheme_end..].find('/').unwrap();
    &url[..scheme_end + path]
}

fn wait_success(child: &mut Child) {
    let status = child.wait().unwrap();
    assert!(status.success(), "serve --demo ended with {status}");
}

fn terminate(child: &Child) {
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
}

/// `seccode GLOBAL serve --demo --listen 127.0.0.1:0 SERVE`, its output piped.
fn start(home: &Path, global: &[&str], serve: &[&str]) -> Running {
    let mut cmd = Command::new(BIN);
    for var in [
        "SECCODE_DB",
        "SECCODE_KEYS",
        "SECCODE_ACCOUNT",
        "SECCODE_PEPPER",
        "XDG_DATA_HOME",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    let child = cmd
        .env("HOME", home)
        .args(global)
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .args(serve)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let watchdog = watchdog(child.id());
    Running {
        child,
        _watchdog: watchdog,
    }
}

#[test]
fn the_demo_server_prints_what_signs_in_and_removes_its_store_at_sigterm() {
    let home = tempfile::tempdir().unwrap();
    let given_db = home.path().join("given.db");
    let given_keys = home.path().join("given.keys.json");
    // A store and a key file named on the command line: --demo must not use them.
    let mut running = start(
        home.path(),
        &["--db", given_db.to_str().unwrap()],
        &["--keys", given_keys.to_str().unwrap()],
    );
    let mut out = BufReader::new(running.child.stdout.take().unwrap());
    let banner = read_banner(&mut out);

    // What it prints: demo only, both sign-in pages, the seed's account and contacts.
    assert!(banner.text.contains("DEMO ONLY"), "{}", banner.text);
    assert!(banner.signin.ends_with("/signin"), "{banner:?}");
    assert!(banner.console.ends_with("/console/signin"), "{banner:?}");
    assert!(
        banner.text.contains("1707 (Any Company)"),
        "{}",
        banner.text
    );
    for contact in ["3522 (Joe Example)", "3523 (Contact Example)"] {
        assert!(banner.text.contains(contact), "{}", banner.text);
    }
    let ids: Vec<u64> = banner.passwords.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, [3522, 3523]);
    assert_ne!(banner.passwords[0].1, banner.passwords[1].1);
    assert!(banner.agent.starts_with("sck_") && banner.admin.starts_with("sck_"));
    assert_ne!(banner.agent, banner.admin);
    let dir = banner.store.parent().unwrap().to_owned();
    assert!(banner.store.is_file(), "{banner:?}");
    assert!(
        dir.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("seccode-serve-demo-"),
        "{banner:?}"
    );
    let base = base_of(&banner.signin).to_owned();

    // The sign-in page.
    let page = request("GET", &banner.signin, None, None, None);
    assert_eq!(page.status, 200);
    assert!(page.text.contains("name=\"password\""), "{}", page.text);

    // A wrong password is refused; the printed one signs Joe in.
    let (refused, _) = sign_in(
        &banner.signin,
        &[
            ("account", "1707"),
            ("contact", "3522"),
            ("password", "not-the-printed-password-00"),
        ],
    );
    assert_eq!(refused.status, 401);
    for (id, password) in &banner.passwords {
        let (answer, cookie) = sign_in(
            &banner.signin,
            &[
                ("account", "1707"),
                ("contact", &id.to_string()),
                ("password", password),
            ],
        );
        assert_eq!(answer.status, 303, "{}: {}", id, answer.text);
        assert_eq!(answer.location, "/portal/profile");
        let profile = request(
            "GET",
            &format!("{base}/portal/profile"),
            Some(&cookie),
            None,
            None,
        );
        assert_eq!(profile.status, 200);
        assert!(profile.text.contains("Any Company"), "{}", profile.text);
    }

    // The printed agent key opens the console.
    let (answer, cookie) = sign_in(&banner.console, &[("key", &banner.agent)]);
    assert_eq!(answer.status, 303, "{}", answer.text);
    assert_eq!(answer.location, "/console");
    let console = request("GET", &format!("{base}/console"), Some(&cookie), None, None);
    assert_eq!(console.status, 200);
    // The printed individual code verifies Contact Example 2 there at once.
    let code = banner
        .text
        .lines()
        .find(|l| l.contains("(individual: 3526"))
        .and_then(|l| l.split('"').nth(1))
        .expect("the individual code to try")
        .to_owned();
    let fields = form(&[
        ("csrf", &console.csrf()),
        ("account", "1707"),
        ("contact", "3526"),
        ("code", &code),
    ]);
    let verified = request(
        "POST",
        &format!("{base}/console/verify"),
        Some(&cookie),
        None,
        Some(fields),
    );
    let answer = if verified.status == 303 {
        request(
            "GET",
            &format!("{base}{}", verified.location),
            Some(&cookie),
            None,
            None,
        )
    } else {
        verified
    };
    assert!(
        answer.text.contains("data-outcome=\"verified\""),
        "{}",
        answer.text
    );

    // The printed admin key reads the seed's account over the API.
    let api = request(
        "GET",
        &format!("{base}/v1/accounts/1707"),
        None,
        Some(&banner.admin),
        None,
    );
    assert_eq!(api.status, 200, "{}", api.text);
    let account: serde_json::Value = serde_json::from_str(&api.text).unwrap();
    assert_eq!(account["name"], "Any Company");
    assert_eq!(account["primary"], 3522);
    let contacts: Vec<(u64, &str)> = account["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_u64().unwrap(), c["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        contacts,
        [
            (3522, "Joe Example"),
            (3523, "Contact Example"),
            (3526, "Contact Example 2")
        ]
    );

    let health = request("GET", &format!("{base}/healthz"), None, None, None);
    assert_eq!(health.status, 200);

    // SIGTERM: status 0, the temporary directory removed, the given store never made.
    terminate(&running.child);
    wait_success(&mut running.child);
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("stopped"), "{rest}");
    assert!(!dir.exists(), "{} is still there", dir.display());
    assert!(!given_db.exists() && !given_keys.exists());
    let mut err = String::new();
    running
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("are not used"), "{err}");
    // No secret in the log.
    for secret in [&banner.agent, &banner.admin, &banner.passwords[0].1] {
        assert!(!err.contains(secret.as_str()), "{err}");
    }
}

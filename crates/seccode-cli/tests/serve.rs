//! `seccode serve`'s TLS flags through the real binary: both or neither, and a certificate or
//! key that cannot be used stops the start with bad input (exit 3) before the store is
//! opened. (The service itself is tested in `crates/seccode-server/tests/`.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::time::Duration;

use assert_cmd::assert::Assert;
use common::*;
use predicates::str::contains;

/// `seccode serve ARGS` on an ephemeral port. Should the checks under test ever let it start,
/// it is stopped after a minute (and the test fails on its status) instead of hanging.
fn serve(desk: &Desk, json: bool, args: &[&str]) -> Assert {
    let mut cmd = desk.cmd();
    if json {
        cmd.arg("--json");
    }
    cmd.args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .write_stdin("")
        .timeout(Duration::from_secs(60))
        .assert()
}

fn json_of(a: &Assert) -> serde_json::Value {
    serde_json::from_slice(&a.get_output().stdout).unwrap()
}

#[test]
fn one_tls_flag_without_the_other_is_a_usage_error_naming_the_missing_flag() {
    let desk = Desk::empty();
    let cert = desk.dir.path().join("cert.pem");
    let key = desk.dir.path().join("key.pem");
    serve(&desk, false, &["--tls-cert", cert.to_str().unwrap()])
        .code(3)
        .stderr(contains("--tls-key"));
    serve(&desk, false, &["--tls-key", key.to_str().unwrap()])
        .code(3)
        .stderr(contains("--tls-cert"));
    let json = json_of(&serve(&desk, true, &["--tls-cert", cert.to_str().unwrap()]));
    assert_eq!(json["exit"], 3);
    assert_eq!(json["error"]["kind"], "usage");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--tls-key"),
        "{json}"
    );
}

#[test]
fn an_unusable_certificate_or_key_is_bad_input_before_the_store_is_opened() {
    if sqlite_only("whether the store file was created") {
        return;
    }
    let desk = Desk::empty();
    let cert = desk.dir.path().join("cert.pem");
    let key = desk.dir.path().join("key.pem");
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    // Missing files.
    serve(&desk, false, &["--tls-cert", cert, "--tls-key", key])
        .code(3)
        .stderr(contains("cannot read the TLS certificate file"))
        .stderr(contains("cert.pem"));
    // A certificate file with no certificate in it.
    std::fs::write(cert, "not a certificate\n").unwrap();
    std::fs::write(key, "not a key either\n").unwrap();
    let json = json_of(&serve(&desk, true, &["--tls-cert", cert, "--tls-key", key]));
    assert_eq!(json["exit"], 3, "{json}");
    assert_eq!(json["error"]["kind"], "tls");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("holds no valid PEM certificate"),
        "{json}"
    );
    assert!(
        !desk.db.exists(),
        "the store was opened before TLS was checked"
    );
}

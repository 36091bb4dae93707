//! The agent at the desk (`--agent`, `SECCODE_AGENT`) in the audit log: recorded on
//! verifications, unlocks and decided requests, apart from the acting contact; refused when
//! not a valid name; absent when not given; `audit --agent` filters by it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use predicates::str::contains;
use serde_json::Value;

/// The events after the first `skip`, as (kind, agent, actor).
fn events_after(desk: &Desk, skip: usize) -> Vec<(String, Option<String>, Option<u64>)> {
    let log = desk.json(&["audit"]);
    log["events"].as_array().unwrap()[skip..]
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e.get("agent").and_then(Value::as_str).map(str::to_owned),
                e["actor"].as_u64(),
            )
        })
        .collect()
}

fn log_len(desk: &Desk) -> usize {
    desk.json(&["audit"])["events"].as_array().unwrap().len()
}

fn token(out: &Value) -> String {
    out["verification"].as_str().unwrap().to_owned()
}

fn ev(
    kind: &str,
    agent: Option<&str>,
    actor: Option<u64>,
) -> (String, Option<String>, Option<u64>) {
    (kind.to_owned(), agent.map(str::to_owned), actor)
}

#[test]
fn the_agent_is_recorded_on_verify_unlock_and_authorize() {
    let desk = Desk::new();
    desk.seed();
    let before = log_len(&desk);

    // --agent on verify (a success and a failure), unlock and authorize.
    let verified = desk.json_in(
        &["--agent", "  alice  ", "verify", "1707", "3526"],
        CONTACT2_CODE,
    );
    assert_eq!(verified["outcome"], "verified");
    desk.run_in(
        &["verify", "--agent", "alice", "1707", "3526"],
        "wrong wrong wrong",
    )
    .code(1);
    desk.run(&["unlock", "3526", "--as", "3522", "--agent", "alice"])
        .success();
    desk.run(&[
        "--agent",
        "alice",
        "authorize",
        "routine",
        "--verification",
        &token(&verified),
    ])
    .success();
    // SECCODE_AGENT, the same.
    let verified = desk
        .cmd()
        .env("SECCODE_AGENT", "bob")
        .args(["--json", "verify", "1707", "3526", "--request", "billable"])
        .write_stdin(CONTACT2_CODE)
        .output()
        .unwrap();
    let verified: Value = serde_json::from_slice(&verified.stdout).unwrap();
    desk.cmd()
        .env("SECCODE_AGENT", "bob")
        .args(["unlock", "3526", "--as", "3522"])
        .assert()
        .success();
    desk.cmd()
        .env("SECCODE_AGENT", "bob")
        .env("SECCODE_VERIFICATION", token(&verified))
        .args(["authorize", "cancellation"])
        .assert()
        .code(1);
    // --agent wins over SECCODE_AGENT.
    desk.cmd()
        .env("SECCODE_AGENT", "bob")
        .args(["--agent", "carol", "unlock", "3526", "--as", "3522"])
        .assert()
        .success();
    // No agent: none recorded.
    desk.run_in(&["verify", "1707", "3526"], CONTACT2_CODE)
        .success();
    desk.run(&["unlock", "3526", "--as", "3522"]).success();

    assert_eq!(
        events_after(&desk, before),
        [
            ev("verification_succeeded", Some("alice"), None),
            ev("verification_failed", Some("alice"), None),
            ev("unlocked", Some("alice"), Some(3522)),
            ev("request_decided", Some("alice"), None),
            ev("verification_succeeded", Some("bob"), None),
            ev("request_decided", Some("bob"), None),
            ev("unlocked", Some("bob"), Some(3522)),
            ev("request_decided", Some("bob"), None),
            ev("unlocked", Some("carol"), Some(3522)),
            ev("verification_succeeded", None, None),
            ev("unlocked", None, Some(3522)),
        ]
    );

    // The decisions as recorded.
    let decided = desk.json(&["audit", "--kind", "request_decided"]);
    let decided = decided["events"].as_array().unwrap();
    assert_eq!(decided.len(), 3);
    assert_eq!(decided[0]["request"], "routine");
    assert_eq!(decided[0]["decision"], "allowed");
    assert_eq!(decided[2]["request"], "cancellation");
    assert_eq!(decided[2]["decision"], "needs_approval");

    // The text names the agent next to the acting contact.
    desk.run(&["audit", "--kind", "unlocked"])
        .success()
        .stdout(contains("contact 3526 by 3522 via agent alice: unlocked"))
        .stdout(contains("contact 3526 by 3522: unlocked\n"));
}

#[test]
fn audit_filters_by_the_agent_given_on_the_command_line() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&["--agent", "alice", "unlock", "3526", "--as", "3522"])
        .success();
    desk.run(&["--agent", "bob", "unlock", "3526", "--as", "3522"])
        .success();
    let alice = desk.json(&["audit", "--agent", "alice"]);
    let alice = alice["events"].as_array().unwrap();
    assert_eq!(alice.len(), 1);
    assert_eq!(alice[0]["agent"], "alice");
    let nobody = desk.json(&["audit", "--agent", "zed"]);
    assert!(nobody["events"].as_array().unwrap().is_empty());
    desk.run(&["audit", "--agent", "zed"])
        .success()
        .stdout(contains("No audit events match."));
    // SECCODE_AGENT names the desk's agent; it does not filter what the agent reads.
    let all = log_len(&desk);
    let out = desk
        .cmd()
        .env("SECCODE_AGENT", "alice")
        .args(["--json", "audit"])
        .output()
        .unwrap();
    let read: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(read["events"].as_array().unwrap().len(), all);
    assert!(all > 2);
}

#[test]
fn invalid_agent_names_are_refused_with_exit_3() {
    let desk = Desk::new();
    desk.seed();
    let before = log_len(&desk);
    let long = "a".repeat(65);
    for bad in ["", "   ", "ali\nce", "tab\there", long.as_str()] {
        desk.run(&["--agent", bad, "unlock", "3526", "--as", "3522"])
            .code(3)
            .stderr(contains("invalid agent name"));
        desk.cmd()
            .env("SECCODE_AGENT", bad)
            .args(["unlock", "3526", "--as", "3522"])
            .assert()
            .code(3);
        desk.run_in(&["--agent", bad, "verify", "1707", "3526"], CONTACT2_CODE)
            .code(3);
    }
    let json = desk.json(&["--agent", "", "unlock", "3526", "--as", "3522"]);
    assert_eq!(json["exit"], 3);
    assert_eq!(json["error"]["kind"], "usage");
    // Nothing was recorded (nor verified).
    assert_eq!(log_len(&desk), before);
    // 64 characters is the limit.
    desk.run(&["--agent", &"a".repeat(64), "unlock", "3526", "--as", "3522"])
        .success();
}

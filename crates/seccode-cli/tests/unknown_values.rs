//! Values from a closed set: an unknown one is refused (exit 3) naming the closest known
//! value, or listing them when none is close; never silently accepted or matched to nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn an_unknown_audit_kind_is_refused_with_a_suggestion() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&["audit", "--kind", "verfication_failed"])
        .code(3)
        .stdout("")
        .stderr(contains(
            "unknown audit kind `verfication_failed`; did you mean `verification_failed`?",
        ));
    // None close: every kind listed (the core's list).
    desk.run(&["audit", "--kind", "nonsense"])
        .code(3)
        .stderr(contains(
            "unknown audit kind `nonsense`; expected one of `contact_added`",
        ))
        .stderr(contains("`request_decided`"));
    let json = desk.json(&["audit", "--kind", "verfication_failed"]);
    assert_eq!(json["exit"], 3);
    assert_eq!(json["error"]["kind"], "unknown_value");
    assert_eq!(json["error"]["suggestion"], "verification_failed");
    assert_eq!(json["error"]["valid"].as_array().unwrap().len(), 21);
    // A known kind, in another spelling, still filters.
    let set = desk.json(&["audit", "--kind", "Code-Set"]);
    assert!(!set["events"].as_array().unwrap().is_empty());
    // A known kind with no events is still "no events", exit 0.
    desk.run(&["audit", "--kind", "throttled"])
        .success()
        .stdout(contains("No audit events match."));
}

#[test]
fn unknown_permission_values_are_refused_with_a_suggestion() {
    let desk = Desk::new();
    desk.seed();
    let set = |args: &[&str]| {
        let mut all = vec!["perm", "set", "--as", "3522", "3523"];
        all.extend_from_slice(args);
        desk.run(&all)
    };
    set(&["Profil", "view", "allow"]).code(3).stderr(contains(
        "unknown resource `Profil`; did you mean `Profile`?",
    ));
    set(&["manage contact", "view", "allow"])
        .code(3)
        .stderr(contains("did you mean `Manage Contacts`?"));
    set(&["Nowhere", "view", "allow"]).code(3).stderr(contains(
        "unknown resource `Nowhere`; expected one of `Client Portal`",
    ));
    set(&["Profile", "veiw", "allow"])
        .code(3)
        .stderr(contains("unknown action `veiw`; did you mean `view`?"));
    set(&["Profile", "view", "alow"])
        .code(3)
        .stderr(contains("unknown setting `alow`; did you mean `allow`?"));
    set(&["Profile", "view", "maybe"])
        .code(3)
        .stderr(contains("expected one of `inherit`, `allow`, `deny`"));
    // Letter case is not a mistake: the core's own rule reads it.
    set(&["PROFILE", "VIEW", "Deny"]).success();
}

#[test]
fn unknown_request_kinds_matchings_and_roles_are_refused_with_a_suggestion() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&["authorize", "billabel", "--verification", "scv_x"])
        .code(3)
        .stderr(contains(
            "unknown request kind `billabel`; did you mean `billable`?",
        ));
    // Refused before the code is read or anything counted.
    desk.run_in(
        &["verify", "1707", "3526", "--request", "cancelation"],
        CONTACT2_CODE,
    )
    .code(3)
    .stderr(contains("did you mean `cancellation`?"));
    assert!(
        !desk.json(&["audit"])["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"].as_str().unwrap().starts_with("verification"))
    );
    desk.run(&["account", "matching", "spokn", "--as", "3522"])
        .code(3)
        .stderr(contains("unknown matching `spokn`; did you mean `spoken`?"));
    desk.run(&["account", "matching", "loose", "--as", "3522"])
        .code(3)
        .stderr(contains("expected one of `spoken`, `exact`"));
    let keys = desk.dir.path().join("keys.json");
    desk.run(&[
        "key",
        "create",
        "--role",
        "agnet",
        "--keys",
        keys.to_str().unwrap(),
    ])
    .code(3)
    .stderr(contains("unknown role `agnet`; did you mean `agent`?"))
    .stdout(predicate::str::contains("sck_").not());
}

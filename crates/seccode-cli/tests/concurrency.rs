//! Real processes verifying the same contact at once never lose a failed attempt, and a kill
//! mid-command leaves nothing half-written.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::process::Child;

use common::*;

/// Start `n` processes verifying `contact` with `code`, release them together, and collect
/// their exit statuses.
fn verify_at_once(desk: &Desk, contact: &str, code: &str, n: usize) -> Vec<i32> {
    let mut children: Vec<Child> = (0..n)
        .map(|_| desk.spawn(&["verify", "1707", contact]))
        .collect();
    for child in &mut children {
        feed(child, code);
    }
    children
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("busy"), "{stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
            out.status.code().unwrap()
        })
        .collect()
}

#[test]
fn two_by_five_concurrent_wrong_codes_count_exactly_ten() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&["config", "--max-failures", "50"]).success();
    // Two waves of five processes at once, the second starting before the first is done.
    let first: Vec<Child> = (0..5)
        .map(|_| desk.spawn(&["verify", "1707", "3523"]))
        .collect();
    let second: Vec<Child> = (0..5)
        .map(|_| desk.spawn(&["verify", "1707", "3523"]))
        .collect();
    let mut all: Vec<Child> = first.into_iter().chain(second).collect();
    for child in &mut all {
        feed(child, "not the right code at all");
    }
    for child in all {
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(desk.lock_of(3523), (10, false));
    assert_eq!(desk.count_events("verification_failed"), 10);
}

#[test]
fn ten_concurrent_wrong_codes_lock_after_exactly_five() {
    let desk = Desk::new();
    desk.seed();
    let mut codes = verify_at_once(&desk, "3526", "still not the right code", 10);
    codes.sort_unstable();
    // Five failures counted one after the other: the fifth locks; the other five find the
    // contact locked. Nothing is lost, nothing is counted twice.
    assert_eq!(codes, vec![1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    assert_eq!(desk.lock_of(3526), (5, true));
    assert_eq!(desk.count_events("locked"), 1);
    assert_eq!(desk.count_events("verification_failed"), 10);
}

#[test]
fn concurrent_right_and_wrong_codes_on_different_contacts_all_land() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&["config", "--max-failures", "50"]).success();
    let mut children: Vec<(Child, i32)> = Vec::new();
    for i in 0..8 {
        let (contact, code, expected) = match i % 4 {
            0 => ("3523", ACCOUNT_CODE, 0),
            1 => ("3526", CONTACT2_CODE, 0),
            2 => ("3522", "wrong wrong wrong", 1),
            _ => ("3526", "wrong wrong wrong", 1),
        };
        let mut child = desk.spawn(&["verify", "1707", contact]);
        feed(&mut child, code);
        children.push((child, expected));
    }
    // Meanwhile, changes to the same account from other processes.
    desk.run(&[
        "contact", "edit", "--as", "3522", "3523", "--title", "Busy Day",
    ])
    .success();
    desk.run(&[
        "perm", "set", "--as", "3522", "3523", "Reports", "view", "allow",
    ])
    .success();
    for (child, expected) in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(expected));
    }
    assert_eq!(desk.count_events("verification_succeeded"), 4);
    assert_eq!(desk.count_events("verification_failed"), 4);
    assert_eq!(desk.lock_of(3522).0, 2);
    desk.run(&["check"]).success();
}

#[test]
fn a_kill_while_importing_writes_nothing() {
    const ROWS: u32 = 24;
    let desk = Desk::new();
    desk.seed();
    // A high cost, so that the import is still hashing when it is killed.
    desk.run(&[
        "config",
        "--argon2-memory-kib",
        "65536",
        "--argon2-iterations",
        "6",
    ])
    .success();
    let mut csv = String::from("account,contact,code\n");
    for i in 0..ROWS {
        let id = (5000 + i).to_string();
        desk.run(&[
            "contact",
            "add",
            "--as",
            "3522",
            &id,
            "--name",
            &format!("Legacy {i}"),
        ]);
        csv.push_str(&format!("1707,{id},legacy phone code {i}\n"));
    }
    let file = desk.dir.path().join("legacy.csv");
    std::fs::write(&file, csv).unwrap();
    let events_before = desk.json(&["audit"])["events"].as_array().unwrap().len();

    let mut child = desk.spawn(&["import", file.to_str().unwrap()]);
    drop(child.stdin.take());
    std::thread::sleep(std::time::Duration::from_millis(1000));
    match child.try_wait().unwrap() {
        None => {
            child.kill().unwrap();
            child.wait().unwrap();
            assert_eq!(desk.count_events("code_imported"), 0);
            assert_eq!(
                desk.json(&["audit"])["events"].as_array().unwrap().len(),
                events_before
            );
            let list = desk.json(&["contact", "list"]);
            let with_code = list["contacts"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["security_code"] == "set")
                .count();
            assert_eq!(with_code, 1, "only Contact Example 2's own code");
        }
        Some(status) => {
            // A very fast machine finished first: then everything is there.
            assert!(status.success());
            assert_eq!(desk.count_events("code_imported"), ROWS as usize);
        }
    }
    desk.run(&["check"]).success();
}

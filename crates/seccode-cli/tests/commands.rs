//! Every command through the real binary, on temporary stores: what it prints, how it exits,
//! and its bad input.
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

// ------------------------------------------------------------------ global behaviour

#[test]
fn help_and_version_succeed_and_document_the_exit_statuses() {
    let desk = Desk::empty();
    desk.run(&["--help"])
        .code(0)
        .stdout(contains("Exit status:"))
        .stdout(contains("2  verify: the contact is locked"))
        .stdout(contains("4  internal or store error"));
    desk.run(&["--version"]).code(0).stdout(contains("seccode"));
}

#[test]
fn usage_errors_exit_3_not_2() {
    let desk = Desk::new();
    desk.run(&[]).code(3);
    desk.run(&["frobnicate"]).code(3);
    desk.run(&["verify", "1707"])
        .code(3)
        .stderr(contains("CONTACT"));
    desk.run(&["verify", "1707", "not-a-number"]).code(3);
    desk.run(&["verify", "1707", "99999999999999999999"])
        .code(3);
    let json = desk.json(&["verify", "1707"]);
    assert_eq!(json["exit"], 3);
    assert_eq!(json["error"]["kind"], "usage");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("CONTACT")
    );
}

#[test]
fn init_creates_then_reports_an_existing_store() {
    let desk = Desk::empty();
    desk.run(&["init"])
        .success()
        .stdout(contains("Store created"))
        .stdout(contains("m=19456 KiB, t=2, p=1"))
        .stdout(contains(
            "5 consecutive failed verifications lock a contact for 30 minutes",
        ));
    desk.run(&["init"])
        .success()
        .stdout(contains("Store ready"));
    let json = desk.json(&["init"]);
    assert_eq!(json["created"], false);
    assert_eq!(json["schema_version"], if on_postgres() { 3 } else { 4 });
}

#[test]
fn the_default_store_lives_in_the_user_data_directory() {
    if sqlite_only("the default file's place") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let mut cmd = assert_cmd::Command::new(BIN);
    clean_env(&mut cmd, home.path());
    cmd.arg("init").assert().success();
    assert!(home.path().join(".local/share/seccode/seccode.db").exists());

    let mut cmd = assert_cmd::Command::new(BIN);
    clean_env(&mut cmd, home.path());
    let elsewhere = home.path().join("env.db");
    cmd.env("SECCODE_DB", &elsewhere)
        .arg("init")
        .assert()
        .success();
    assert!(elsewhere.exists());
}

#[test]
fn config_shows_and_changes_and_the_core_judges_it() {
    let desk = Desk::new();
    desk.run(&["config"])
        .success()
        .stdout(contains("m=64 KiB, t=1, p=1"));
    desk.run(&["config", "--max-failures", "3", "--lock-minutes", "5"])
        .success()
        .stdout(contains(
            "3 consecutive failed verifications lock a contact for 5 minutes",
        ));
    let json = desk.json(&["config"]);
    assert_eq!(json["config"]["lockout"]["max_failures"], 3);
    assert_eq!(json["config"]["lockout"]["duration_secs"], 300);
    // Refused by the core, nothing changed.
    desk.run(&["config", "--max-failures", "0"]).code(3);
    desk.run(&["config", "--argon2-iterations", "0"]).code(3);
    desk.run(&["config", "--argon2-memory-kib", "4"]).code(3);
    assert_eq!(
        desk.json(&["config"])["config"]["lockout"]["max_failures"],
        3
    );
}

// ------------------------------------------------------------------ accounts

#[test]
fn accounts_are_created_shown_and_listed() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&["account", "show"])
        .success()
        .stdout(contains("Any Company  Client ID: 1707"))
        .stdout(contains("Primary contact:   3522 (Joe Example)"))
        .stdout(contains("Account-wide code: set"));
    let json = desk.json(&["account", "show", "1707"]);
    assert_eq!(json["contacts"], 3);
    assert_eq!(json["with_individual_code"], 1);
    assert_eq!(json["matching"], "spoken");

    desk.run(&[
        "account",
        "create",
        "1707",
        "--name",
        "Again",
        "--contact-id",
        "1",
        "--contact-name",
        "X",
    ])
    .code(3)
    .stderr(contains("account `1707` already exists"));
    desk.run(&[
        "account",
        "create",
        "42",
        "--name",
        "",
        "--contact-id",
        "1",
        "--contact-name",
        "X",
    ])
    .code(3);
    desk.run(&["account", "show", "1708"])
        .code(3)
        .stderr(contains("unknown account `1708`"));

    // Two accounts: commands need --account.
    desk.run(&[
        "account",
        "create",
        "42",
        "--name",
        "Other Co",
        "--contact-id",
        "1",
        "--contact-name",
        "Ann Other",
    ])
    .success();
    desk.run(&["account", "list"])
        .success()
        .stdout(contains("1707       Any Company"))
        .stdout(contains("Other Co"));
    desk.run(&["contact", "list"])
        .code(3)
        .stderr(contains("--account"));
    desk.run(&["--account", "42", "contact", "list"])
        .success()
        .stdout(contains("Ann Other"));
    let mut cmd = desk.cmd();
    cmd.env("SECCODE_ACCOUNT", "42")
        .args(["contact", "list"])
        .assert()
        .success()
        .stdout(contains("Ann Other"));
}

#[test]
fn matching_can_become_exact_and_old_codes_keep_working() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&["account", "matching", "exact", "--as", "3523"])
        .code(3);
    desk.run(&["account", "matching", "shouty", "--as", "3522"])
        .code(3);
    desk.run(&["account", "matching", "exact", "--as", "3522"])
        .success()
        .stdout("Success: Account information updated.\n");
    // The existing hash was made under spoken matching. Its exact form is unknown, so it stays
    // spoken (not outdated) and keeps matching as it was made, spoken variants included.
    desk.run(&["hashes"]).success().stdout(contains(
        "contact 3526  m=64,t=1,p=1  -       spoken    scoped  current",
    ));
    desk.run_in(&["verify", "1707", "3526"], "LANTERNS drift, over basalt")
        .code(0)
        .stdout(contains("upgraded").not());
    desk.run_in(&["verify", "1707", "3526"], CONTACT2_CODE)
        .code(0);
    // A code set now is exact: case and punctuation count.
    desk.run_in(
        &["code", "set-contact", "--as", "3522", "3526"],
        "Amber Quartz lighthouse Sings",
    )
    .success();
    desk.run_in(&["verify", "1707", "3526"], "amber quartz lighthouse sings")
        .code(1);
    desk.run_in(&["verify", "1707", "3526"], "Amber Quartz lighthouse Sings")
        .code(0);
    desk.run(&["hashes"]).success().stdout(contains(
        "contact 3526  m=64,t=1,p=1  -       exact     scoped  current",
    ));
}

// ------------------------------------------------------------------ contacts

#[test]
fn contacts_are_added_edited_deactivated_and_reactivated() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&[
        "contact",
        "add",
        "--as",
        "3522",
        "--name",
        "Next One",
        "--email",
        "next@example.com",
    ])
    .success()
    .stdout(contains("3527 Next One"));
    desk.run(&["contact", "add", "--as", "3522", "3523", "--name", "Dup"])
        .code(3)
        .stderr(contains("duplicate contact id `3523`"));
    desk.run(&[
        "contact",
        "add",
        "--as",
        "3522",
        "4000",
        "--name",
        "Bad",
        "--email",
        "no-at-sign",
    ])
    .code(3);
    desk.run(&["contact", "add", "4001", "--name", "Nope", "--as", "3523"])
        .code(3)
        .stderr(contains("permission denied"));

    desk.run(&[
        "contact", "edit", "--as", "3522", "3523", "--title", "Billing", "--poc", "true",
    ])
    .success()
    .stdout("Success: Contact updated.\n");
    // A contact may edit its own details.
    desk.run(&[
        "contact",
        "edit",
        "3523",
        "--phone",
        "111-222-3333",
        "--as",
        "3523",
    ])
    .success();
    let list = desk.json(&["contact", "list"]);
    let c = list["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == 3523)
        .unwrap()
        .clone();
    assert_eq!(c["title"], "Billing");
    assert_eq!(c["phone"], "111-222-3333");
    assert_eq!(c["name"], "Contact Example");
    assert_eq!(c["rwhois"]["poc"], true);
    desk.run(&["contact", "edit", "--as", "3522", "9999", "--title", "x"])
        .code(3)
        .stderr(contains("unknown contact `9999`"));

    desk.run(&["contact", "deactivate", "--as", "3522", "3522"])
        .code(3);
    desk.run(&["contact", "deactivate", "3523", "--as", "3526"])
        .code(3)
        .stderr(contains("Manage Contacts / Delete"));
    desk.run(&["contact", "deactivate", "--as", "3522", "3523"])
        .success();
    desk.run(&["contact", "list"])
        .success()
        .stdout(contains("Contact Example").and(contains("3523").not()));
    desk.run(&["contact", "list", "--all"])
        .success()
        .stdout(contains("deactivated"));
    // A deactivated contact verifies with nothing.
    desk.run_in(&["verify", "1707", "3523"], ACCOUNT_CODE)
        .code(1);
    desk.run(&["contact", "reactivate", "--as", "3522", "3523"])
        .success();
    desk.run_in(&["verify", "1707", "3523"], ACCOUNT_CODE)
        .code(0);

    // Removed for good: gone from every list, its rows with it; the primary contact stays.
    desk.run(&["contact", "remove", "--as", "3522", "3522"])
        .code(3)
        .stderr(contains("primary contact cannot be removed"));
    desk.run(&["contact", "remove", "--as", "3522", "3527"])
        .success()
        .stdout(contains("Success: Contact removed (3527)."));
    desk.run(&["contact", "list", "--all"])
        .success()
        .stdout(contains("Next One").not());
    desk.run(&["contact", "remove", "--as", "3522", "3527"])
        .code(3)
        .stderr(contains("unknown contact `3527`"));
    desk.run(&["check"]).success();
}

#[test]
fn the_contact_list_looks_like_the_portal() {
    let desk = Desk::new();
    desk.seed();
    let out = desk.run(&["contact", "list"]).success();
    let text = stdout_of(&out);
    assert!(text.contains("Contacts 1-3 of 3 Shown"), "{text}");
    assert!(text.contains("ID    Name               Title            Phone         Email                    Security Code"), "{text}");
    assert!(text.contains("3526  Contact Example 2"), "{text}");
    let json = desk.json(&["contact", "list"]);
    let contacts = json["contacts"].as_array().unwrap();
    let by_id = |id: u64| contacts.iter().find(|c| c["id"] == id).unwrap();
    assert_eq!(by_id(3522)["may_know_account_code"], true);
    assert_eq!(by_id(3523)["may_know_account_code"], true);
    assert_eq!(by_id(3526)["may_know_account_code"], false);
    assert_eq!(by_id(3526)["security_code"], "set");
    assert_eq!(by_id(3523)["security_code"], "not set");
}

#[test]
fn export_writes_the_seed_csv_and_never_a_code() {
    let desk = Desk::new();
    desk.seed();
    let out = desk.run(&["contact", "export", "--csv"]).success();
    assert_eq!(
        stdout_of(&out),
        "ID,Name,Title,Phone,Email,Security Code\n\
         3522,Joe Example,Primary Contact,000-000-0000,marketing@viviotech.net,not set\n\
         3523,Contact Example,,000-000-0000,marketing@viviotech.net,not set\n\
         3526,Contact Example 2,,,,set\n"
    );
    let file = desk.dir.path().join("contacts.csv");
    desk.run(&[
        "contact",
        "export",
        "--csv",
        "--all",
        "--output",
        file.to_str().unwrap(),
    ])
    .success()
    .stdout(contains("Wrote 3 contacts"));
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.starts_with("ID,Name,Title,Phone,Email,Security Code,Status\n"));
    assert!(!written.contains("lanterns"));
    desk.run(&["contact", "export", "--output", "/nonexistent-dir/x.csv"])
        .code(4);
}

// ------------------------------------------------------------------ codes

#[test]
fn setting_codes_prints_the_seed_messages() {
    let desk = Desk::new();
    desk.seed();
    desk.run_in(
        &["code", "set-account", "--as", "3522"],
        "granite owls whisper twice\n",
    )
    .success()
    .stdout("Success: Account information updated.\n");
    desk.run_in(
        &["code", "set-contact", "3523", "--as", "3526"],
        "seven quiet mangoes orbit\n",
    )
    .success()
    .stdout("Success: Contact updated.\n");
    let json = desk.json_in(
        &["code", "set-contact", "--as", "3522", "3523"],
        "another fine mango phrase here",
    );
    assert_eq!(json["message"], "Success: Contact updated.");
    desk.run_in(
        &["verify", "1707", "3523"],
        "another fine mango phrase here",
    )
    .code(0);
}

#[test]
fn a_rejected_code_lists_the_reasons_and_never_echoes_it() {
    let desk = Desk::new();
    desk.seed();
    let out = desk
        .run_in(&["code", "set-account", "--as", "3522"], "AnyCompany1707")
        .code(3);
    let err = stderr_of(&out);
    assert!(err.contains("security code not accepted"), "{err}");
    assert!(
        err.contains("the code must not contain the account's name"),
        "{err}"
    );
    assert!(
        err.contains("the code must not contain the account's client id"),
        "{err}"
    );
    assert!(!err.contains("AnyCompany1707"), "{err}");
    assert!(stdout_of(&out).is_empty());

    desk.run_in(
        &["code", "set-contact", "--as", "3522", "3523"],
        "Contact Example 1985-03-14",
    )
    .code(3)
    .stderr(contains("date of birth"))
    .stderr(contains("contact's name"));
    desk.run_in(
        &["code", "set-contact", "--as", "3522", "3523"],
        "123-45-6789 extra words",
    )
    .code(3)
    .stderr(contains("social security"));
    let json = desk.json_in(&["code", "set-account", "--as", "3522"], "password");
    assert_eq!(json["exit"], 3);
    let reasons: Vec<&str> = json["error"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"common_password"), "{reasons:?}");
    assert!(!json.to_string().contains("\"password\""));
    // Nothing changed: the old code still verifies.
    desk.run_in(&["verify", "1707", "3522"], ACCOUNT_CODE)
        .code(0);
}

#[test]
fn code_input_problems_are_bad_input() {
    let desk = Desk::new();
    desk.seed();
    desk.run_in(&["code", "set-account", "--as", "3522"], "")
        .code(3)
        .stderr(contains("empty"));
    desk.run_in(&["code", "set-account", "--as", "3522"], "\n")
        .code(3);
    desk.run_in(&["code", "set-account", "--as", "3522"], &"x".repeat(2000))
        .code(3)
        .stderr(contains("longer than"));
    desk.cmd()
        .args(["code", "set-account", "--as", "3522"])
        .write_stdin(vec![0x66u8, 0xff, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66])
        .assert()
        .code(3)
        .stderr(contains("UTF-8"));
}

#[test]
fn code_rights_follow_the_permission_grid() {
    let desk = Desk::new();
    desk.seed();
    // Contact Example may see the account-wide code but not change it.
    desk.run_in(
        &["code", "set-account", "--as", "3523"],
        "granite owls whisper twice",
    )
    .code(3)
    .stderr(contains(
        "permission denied: requires the primary contact or `Profile / Update` allow",
    ));
    // Nor set another contact's code.
    desk.run_in(
        &["code", "set-contact", "3526", "--as", "3523"],
        "granite owls whisper twice",
    )
    .code(3)
    .stderr(contains("Manage Contacts / Update"));
    // An unknown actor or target.
    desk.run_in(
        &["code", "set-account", "--as", "9999"],
        "granite owls whisper twice",
    )
    .code(3)
    .stderr(contains("unknown contact `9999`"));
    desk.run_in(
        &["code", "set-contact", "--as", "3522", "9999"],
        "granite owls whisper twice",
    )
    .code(3)
    .stderr(contains("unknown contact `9999`"));
    // Clearing.
    desk.run(&["code", "clear-contact", "3526", "--as", "3523"])
        .code(3);
    desk.run(&["code", "clear-contact", "--as", "3522", "3526"])
        .success()
        .stdout("Success: Contact updated.\n");
    desk.run(&["code", "clear-account", "--as", "3522"])
        .success()
        .stdout("Success: Account information updated.\n");
    desk.run_in(&["verify", "1707", "3522"], ACCOUNT_CODE)
        .code(1);
}

#[test]
fn code_check_tries_a_candidate_without_storing_it() {
    let desk = Desk::new();
    desk.seed();
    desk.run_in(&["code", "check"], "granite owls whisper twice")
        .success()
        .stdout(contains("acceptable"));
    desk.run_in(
        &["code", "check", "--contact", "3523"],
        "contact example rocks",
    )
    .code(3)
    .stdout(contains("contact's name"));
    desk.run_in(&["verify", "1707", "3522"], "granite owls whisper twice")
        .code(1);
}

// ------------------------------------------------------------------ permissions

#[test]
fn perm_show_renders_the_grid_with_every_cell_under_its_header() {
    let desk = Desk::new();
    desk.seed();
    let out = desk.run(&["perm", "show", "3526"]).success();
    let text = stdout_of(&out);
    assert!(text.contains("() shows inherited value"), "{text}");
    assert!(
        text.contains("Resources                           View    Create  Update  Delete\n"),
        "{text}"
    );
    assert!(
        text.contains("\n    Manage Contacts                 Allow   (None)  Allow   (None)\n"),
        "{text}"
    );
    assert!(
        text.contains("\n    Change Password                 (None)  -       (None)  -\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  Website                           (None)  -       -       -\n"),
        "{text}"
    );

    desk.run(&["perm", "show", "3522"])
        .success()
        .stdout(contains("primary contact: allowed everything"))
        .stdout(contains("(Allow)  (Allow)  (Allow)  (Allow)"));

    desk.run(&["perm", "show", "3526", "--raw"])
        .success()
        .stdout(contains(
            "Manage Contacts                 Allow    Inherit  Allow    Inherit",
        ));

    // An Allow on a parent shows, inherited, in parentheses below it.
    desk.run(&[
        "perm",
        "set",
        "--as",
        "3522",
        "3523",
        "Client Profile",
        "update",
        "allow",
    ])
    .success();
    desk.run(&[
        "perm",
        "set",
        "--as",
        "3522",
        "3523",
        "payment methods",
        "update",
        "deny",
    ])
    .success();
    let out = desk.run(&["perm", "show", "3523", "--explain"]).success();
    let text = stdout_of(&out);
    assert!(
        text.contains(
            "Profile                         Update  (Allow)  the setting on Client Profile"
        ),
        "{text}"
    );
    assert!(
        text.contains("Payment Methods                 Update  Deny     its own setting"),
        "{text}"
    );
    assert!(
        text.contains("(None), no setting on it or above it"),
        "{text}"
    );
    let json = desk.json(&["perm", "show", "3523", "--explain"]);
    let cell = json["explain"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["resource"] == "Manage Contacts" && c["action"] == "update")
        .unwrap();
    assert_eq!(cell["value"], "allow");
    assert_eq!(cell["decided_by"], "Client Profile");
}

#[test]
fn perm_set_refuses_what_the_core_refuses() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&[
        "perm", "set", "3523", "Profile", "view", "allow", "--as", "3526",
    ])
    .code(3)
    .stderr(contains("permission denied: requires the primary contact"));
    desk.run(&[
        "perm",
        "set",
        "--as",
        "3522",
        "3523",
        "Change Password",
        "create",
        "allow",
    ])
    .code(3)
    .stderr(contains("not applicable"));
    desk.run(&[
        "perm", "set", "--as", "3522", "3523", "Nowhere", "view", "allow",
    ])
    .code(3)
    .stderr(contains("unknown resource `Nowhere`"));
    desk.run(&[
        "perm", "set", "--as", "3522", "3523", "Profile", "look", "allow",
    ])
    .code(3);
    desk.run(&[
        "perm", "set", "--as", "3522", "3523", "Profile", "view", "maybe",
    ])
    .code(3);
    desk.run(&[
        "perm", "set", "--as", "3522", "3522", "Profile", "view", "deny",
    ])
    .code(3);
    desk.run(&[
        "perm", "set", "--as", "3522", "9999", "Profile", "view", "allow",
    ])
    .code(3)
    .stderr(contains("unknown contact"));
    desk.run(&["perm", "show", "9999"]).code(3);
    // Back to Inherit.
    desk.run(&[
        "perm", "set", "--as", "3522", "3523", "Profile", "view", "inherit",
    ])
    .success()
    .stdout(contains("Profile  (None)  (None)  (None)  (None)"));
    desk.run_in(&["verify", "1707", "3523"], ACCOUNT_CODE)
        .code(1);
}

// ------------------------------------------------------------------ verify, unlock, authorize

#[test]
fn verify_answers_verified_not_verified_or_locked() {
    let desk = Desk::new();
    desk.seed();
    desk.run_in(&["verify", "1707", "3523"], ACCOUNT_CODE)
        .code(0)
        .stdout(predicates::str::starts_with(
            "verified\nVerification for this call",
        ));
    // The spoken variant of an individual code.
    desk.run_in(
        &["verify", "1707", "3526"],
        "Lanterns, drift over BASALT!\n",
    )
    .code(0);
    // The right account-wide code, but 3526 may not see it.
    desk.run_in(&["verify", "1707", "3526"], ACCOUNT_CODE)
        .code(1)
        .stdout(contains("not verified"));
    // An unknown contact is not verified, like a wrong code (and counts toward a lock).
    desk.run_in(&["verify", "1707", "4242"], ACCOUNT_CODE)
        .code(1)
        .stdout(contains("not verified"));
    // An unknown account is bad input, asked before the code.
    desk.run_in(&["verify", "1708", "3523"], ACCOUNT_CODE)
        .code(3)
        .stderr(contains("unknown account `1708`"));
    desk.run_in(&["verify", "1707", "3523"], "").code(3);

    for attempt in 1..=5 {
        let out = desk
            .run_in(&["verify", "1707", "3523"], "wrong wrong wrong")
            .code(1);
        if attempt == 5 {
            assert!(stdout_of(&out).contains("is now locked until"));
        }
    }
    assert_eq!(desk.lock_of(3523), (5, true));
    desk.run_in(&["verify", "1707", "3523"], ACCOUNT_CODE)
        .code(2)
        .stdout(contains("locked (until"));
    let json = desk.json_in(&["verify", "1707", "3523"], ACCOUNT_CODE);
    assert_eq!(json["outcome"], "locked");
    assert_eq!(json["exit"], 2);
    assert_eq!(desk.count_events("locked"), 1);
}

#[test]
fn a_success_resets_the_count() {
    let desk = Desk::new();
    desk.seed();
    for _ in 0..3 {
        desk.run_in(&["verify", "1707", "3526"], "wrong wrong wrong")
            .code(1);
    }
    assert_eq!(desk.lock_of(3526), (3, false));
    desk.run_in(&["verify", "1707", "3526"], CONTACT2_CODE)
        .code(0);
    assert_eq!(desk.lock_of(3526), (0, false));
}

#[test]
fn unlock_needs_manage_contacts_update() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&["config", "--max-failures", "2"]).success();
    for _ in 0..2 {
        desk.run_in(&["verify", "1707", "3522"], "wrong wrong wrong")
            .code(1);
    }
    desk.run_in(&["verify", "1707", "3522"], ACCOUNT_CODE)
        .code(2);
    desk.run(&["unlock", "3522", "--as", "3523"])
        .code(3)
        .stderr(contains("Manage Contacts / Update"));
    desk.run(&["unlock", "--as", "3522", "9999"]).code(3);
    desk.run(&["unlock", "3522", "--as", "3526"])
        .success()
        .stdout(contains("Success: Contact updated."));
    assert_eq!(desk.lock_of(3522), (0, false));
    desk.run_in(&["verify", "1707", "3522"], ACCOUNT_CODE)
        .code(0);
    assert_eq!(desk.count_events("unlocked"), 1);
}

#[test]
fn contact_password_sets_a_portal_password_through_the_core() {
    let desk = Desk::new();
    desk.seed();
    let strong = "Granite tulip orbit 7741 saxophone";
    desk.run_in(&["contact", "password", "3523", "--as", "3522"], strong)
        .success()
        .stdout(contains("Success: Contact updated."))
        .stdout(contains(strong).not());
    // Held to the policy; never echoed.
    desk.run_in(&["contact", "password", "3526", "--as", "3522"], "password")
        .code(3)
        .stderr(contains("password").and(contains("common")));
    // Another contact's password needs Manage Contacts / Update; one's own, Change Password.
    desk.run_in(&["contact", "password", "3526", "--as", "3523"], strong)
        .code(3)
        .stderr(contains("Manage Contacts / Update"));
    desk.run_in(&["contact", "password", "3523", "--as", "3523"], strong)
        .code(3)
        .stderr(contains("Change Password / Update"));
    desk.run_in(&["contact", "password", "3523", "--as", "3522"], "")
        .code(3);
    assert_eq!(desk.count_events("password_set"), 1);
}

#[test]
fn a_lock_expires_after_its_duration() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&["config", "--max-failures", "1", "--lock-seconds", "60"])
        .success();
    // The desk's clock, fixed for this test (debug builds only): no sleeping, no race.
    let at = |t: i64, code: &str| {
        desk.cmd()
            .env("SECCODE_TEST_CLOCK", (2_000_000_000 + t).to_string())
            .args(["verify", "1707", "3526"])
            .write_stdin(code.to_owned())
            .assert()
    };
    at(0, "wrong wrong wrong").code(1);
    at(1, CONTACT2_CODE).code(2);
    at(59, CONTACT2_CODE).code(2);
    at(60, CONTACT2_CODE).code(0);
}

/// Verify `contact` with `code` and return the verification token `verify` printed.
fn verified(desk: &Desk, contact: &str, code: &str) -> String {
    let json = desk.json_in(&["verify", "1707", contact], code);
    assert_eq!(json["outcome"], "verified", "{json}");
    json["verification"].as_str().unwrap().to_owned()
}

#[test]
fn authorize_follows_spec_section_5() {
    let desk = Desk::new();
    desk.seed();
    let contact = verified(&desk, "3523", ACCOUNT_CODE);
    let joe = verified(&desk, "3522", ACCOUNT_CODE);
    let authorize =
        |kind: &str, token: &str| desk.run(&["authorize", kind, "--verification", token]);
    authorize("routine", &contact)
        .code(0)
        .stdout("contact 3523 (Contact Example): routine: allowed\n");
    authorize("billable", &contact).code(1).stdout(contains(
        "denied: requires the primary contact or `Billing & Services / Update` allow",
    ));
    authorize("billable", &joe).code(0);
    authorize("cancellation", &contact).code(1).stdout(contains(
        "needs additional approval from 3522 (Joe Example)",
    ));
    authorize("significant-change", &contact).code(1);
    authorize("significant_change", &contact).code(1);
    let json = desk.json(&["authorize", "cancellation", "--verification", &contact]);
    assert_eq!(json["decision"]["decision"], "needs_approval");
    assert_eq!(json["decision"]["approvers"][0], 3522);
    authorize("refund-everything", &contact).code(3);
    // The token also comes from the environment, and is never echoed in an error.
    desk.cmd()
        .env("SECCODE_VERIFICATION", &contact)
        .args(["authorize", "routine"])
        .assert()
        .code(0);
    let made_up = format!("scv_{}", "A".repeat(43));
    authorize("routine", &made_up)
        .code(3)
        .stderr(contains("verify again"));
    authorize("routine", "not-a-token")
        .code(3)
        .stderr(contains("invalid verification token"))
        .stderr(contains("not-a-token").not());

    // Verification and the request in one step.
    desk.run_in(
        &["verify", "1707", "3523", "--request", "cancellation"],
        ACCOUNT_CODE,
    )
    .code(1)
    .stdout(contains("verified\n"))
    .stdout(contains("needs additional approval"));
    desk.run_in(
        &["verify", "1707", "3523", "--request", "routine"],
        ACCOUNT_CODE,
    )
    .code(0);
    desk.run_in(
        &["verify", "1707", "3523", "--request", "routine"],
        "wrong wrong wrong",
    )
    .code(1);
    desk.run_in(
        &["verify", "1707", "3523", "--request", "nonsense"],
        ACCOUNT_CODE,
    )
    .code(3);

    // A change to the contact makes its verification void: deactivated, then its code set.
    let second = verified(&desk, "3526", CONTACT2_CODE);
    desk.run_in(
        &["code", "set-contact", "3526", "--as", "3522"],
        "amber lantern cobalt river",
    )
    .success();
    authorize("routine", &second)
        .code(1)
        .stdout(contains("verify again"));
    desk.run(&["contact", "deactivate", "--as", "3522", "3523"])
        .success();
    authorize("routine", &contact)
        .code(1)
        .stdout(contains("verify again"));
}

#[test]
fn a_verification_on_one_account_authorizes_nothing_on_another() {
    let desk = Desk::new();
    desk.seed();
    let token = verified(&desk, "3523", ACCOUNT_CODE);
    // Account 1708 with its own contact 3523: the token names account 1707's contact only.
    desk.run(&[
        "account",
        "create",
        "1708",
        "--name",
        "Other Company",
        "--contact-id",
        "3600",
        "--contact-name",
        "Jane Other",
    ])
    .success();
    desk.run(&[
        "--account",
        "1708",
        "contact",
        "add",
        "--as",
        "3600",
        "3523",
        "--name",
        "Someone Else",
    ])
    .success();
    let json = desk.json(&["authorize", "routine", "--verification", &token]);
    assert_eq!(json["account"], 1707);
    // Removing 3523 from 1707 and adding another person under the same id voids it.
    desk.run(&[
        "--account",
        "1707",
        "contact",
        "remove",
        "--as",
        "3522",
        "3523",
    ])
    .success();
    desk.run(&[
        "--account",
        "1707",
        "contact",
        "add",
        "--as",
        "3522",
        "3523",
        "--name",
        "New Person",
    ])
    .success();
    desk.run(&["authorize", "routine", "--verification", &token])
        .code(1)
        .stdout(contains("verify again"));
}

#[test]
fn every_change_names_its_actor() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&["contact", "add", "4000", "--name", "No Actor"])
        .code(3)
        .stderr(contains("--as"));
    desk.run_in(&["code", "set-account"], "completely new phrase here")
        .code(3)
        .stderr(contains("--as"));
    desk.run(&["perm", "set", "3523", "Profile", "update", "allow"])
        .code(3);
    desk.run(&["unlock", "3523"]).code(3);
    // Nothing was changed by the refused commands.
    assert_eq!(desk.count_events("contact_added"), 2);
}

// ------------------------------------------------------------------ audit, hashes, check

#[test]
fn audit_filters_and_never_shows_a_code() {
    let desk = Desk::new();
    desk.seed();
    desk.run_in(&["verify", "1707", "3523"], "wrong wrong wrong")
        .code(1);
    desk.run_in(&["verify", "1707", "3523"], ACCOUNT_CODE)
        .code(0);

    let all = desk.run(&["audit"]).success();
    let text = stdout_of(&all);
    assert!(
        text.contains(
            "contact 3523 by 3522: permission_changed (Profile / View: Inherit -> Allow)"
        ),
        "{text}"
    );
    assert!(
        text.contains("account 1707 account by 3522: code_set (account-wide code)"),
        "{text}"
    );
    for code in [ACCOUNT_CODE, CONTACT2_CODE, "wrong wrong wrong"] {
        assert!(!text.contains(code));
    }
    let json = desk.json(&["audit", "--contact", "3523"]);
    let events = json["events"].as_array().unwrap();
    assert!(
        events
            .iter()
            .all(|e| e["subject"]["id"] == 3523 || e["actor"] == 3523)
    );
    assert!(events.iter().any(|e| e["kind"] == "verification_failed"));
    let json = desk.json(&["audit", "--kind", "verification_succeeded"]);
    assert_eq!(json["events"].as_array().unwrap().len(), 1);
    let json = desk.json(&["audit", "--limit", "2"]);
    assert_eq!(json["events"].as_array().unwrap().len(), 2);
    let json = desk.json(&["audit", "--since", "1h", "--until", "2999-01-01"]);
    assert!(json["events"].as_array().unwrap().len() > 5);
    let json = desk.json(&["audit", "--until", "2000-01-01T00:00:00Z"]);
    assert!(json["events"].as_array().unwrap().is_empty());
    desk.run(&["audit", "--since", "last tuesday"])
        .code(3)
        .stderr(contains("is not a time"));
    desk.run(&["--account", "1708", "audit"])
        .success()
        .stdout(contains("No audit events"));
    let all = desk.run(&["audit", "--json"]).success();
    assert!(!stdout_of(&all).contains("velvet"));
}

#[test]
fn hashes_reports_outdated_ones_until_they_verify() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&["hashes"])
        .success()
        .stdout(contains("2 hashes: 2 current, 0 outdated"));
    desk.run(&["config", "--argon2-memory-kib", "128"])
        .success();
    let out = desk.run(&["hashes"]).success();
    let text = stdout_of(&out);
    assert!(text.contains("outdated (parameters)"), "{text}");
    assert!(text.contains("2 hashes: 0 current, 2 outdated"), "{text}");
    desk.run_in(&["verify", "1707", "3526"], CONTACT2_CODE)
        .code(0)
        .stdout(contains("upgraded"));
    let json = desk.json(&["hashes"]);
    assert_eq!(json["summary"]["current"], 1);
    assert_eq!(json["summary"]["outdated"], 1);
    let upgraded = json["hashes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["code"] == "contact 3526")
        .unwrap();
    assert_eq!(upgraded["params"]["m_kib"], 128);
    assert_eq!(desk.count_events("code_upgraded"), 1);
}

#[test]
fn a_pepper_is_read_from_a_file_and_rotation_shows_in_hashes() {
    let desk = Desk::new();
    desk.seed();
    let p1 = desk.dir.path().join("pepper1");
    let p2 = desk.dir.path().join("pepper2");
    std::fs::write(&p1, "0123456789abcdef0123456789abcdef\n").unwrap();
    std::fs::write(&p2, "fedcba9876543210fedcba9876543210").unwrap();
    let pepper1 = format!("k1={}", p1.display());
    let pepper2 = format!("k2={}", p2.display());
    desk.run_in(
        &[
            "--pepper",
            &pepper1,
            "code",
            "set-contact",
            "3523",
            "--as",
            "3522",
        ],
        "peppered pineapple parade",
    )
    .success();
    // Without the pepper the hash is unusable; the verification fails, it does not crash.
    desk.run(&["hashes"]).success().stdout(contains("unusable"));
    desk.run_in(&["verify", "1707", "3523"], "peppered pineapple parade")
        .code(1);
    desk.run_in(
        &["--pepper", &pepper1, "verify", "1707", "3523"],
        "peppered pineapple parade",
    )
    .code(0);
    // Rotate: k2 current, k1 retired.
    desk.run(&["--pepper", &pepper2, "--retired-pepper", &pepper1, "hashes"])
        .success()
        .stdout(contains("outdated (pepper)"));
    desk.run_in(
        &[
            "--pepper",
            &pepper2,
            "--retired-pepper",
            &pepper1,
            "verify",
            "1707",
            "3523",
        ],
        "peppered pineapple parade",
    )
    .code(0);
    desk.run_in(
        &["--pepper", &pepper2, "verify", "1707", "3523"],
        "peppered pineapple parade",
    )
    .code(0);
    // A bad pepper specification.
    desk.run(&["--pepper", "k1", "hashes"]).code(3);
    desk.run(&["--pepper", "k1=/nonexistent", "hashes"]).code(3);
    let short = desk.dir.path().join("short");
    std::fs::write(&short, "tiny").unwrap();
    desk.run(&["--pepper", &format!("k3={}", short.display()), "hashes"])
        .code(3);
}

/// A sealing key as `openssl rand -hex 32` writes it.
const SEAL_KEY_HEX: &str = "8f3a5c7e9b1d2f4a6c8e0b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a";

#[test]
fn a_sealing_key_makes_the_desk_keep_a_sealed_copy_of_each_code() {
    let desk = Desk::new();
    desk.seed();
    let file = desk.dir.path().join("seal.key");
    std::fs::write(&file, format!("{SEAL_KEY_HEX}\n")).unwrap();
    let spec = format!("s1={}", file.display());
    let code = "sealed sardine semaphore 7";
    desk.run_in(
        &["--seal-key", &spec, "code", "set-account", "--as", "3522"],
        code,
    )
    .success();
    // Given through the environment too.
    desk.cmd()
        .env("SECCODE_SEAL_KEY", &spec)
        .args(["code", "set-contact", "3523", "--as", "3522"])
        .write_stdin("sealed sprat semaphore 8")
        .assert()
        .success();
    let mut key = [0u8; 32];
    for (i, b) in key.iter_mut().enumerate() {
        *b = u8::from_str_radix(&SEAL_KEY_HEX[2 * i..2 * i + 2], 16).unwrap();
    }
    let config = seccode::EngineConfig {
        sealer: Some(seccode::Sealer::new("s1", key).unwrap()),
        ..seccode::EngineConfig::default()
    };
    let engine = seccode::Engine::new(config).unwrap();
    let store = seccode_store::AnyStore::open(&desk.place).unwrap();
    let mut account = seccode_store::load_account(&store, seccode::AccountId(1707)).unwrap();
    let joe = seccode::ContactId(3522);
    let shown = account.reveal_account_code(&engine, joe).unwrap();
    assert_eq!(shown.expose_secret(), code);
    let shown = account
        .reveal_contact_code(&engine, joe, seccode::ContactId(3523))
        .unwrap();
    assert_eq!(shown.expose_secret(), "sealed sprat semaphore 8");
}

#[test]
fn a_bad_sealing_key_file_exits_3_without_showing_what_it_holds() {
    let desk = Desk::new();
    desk.seed();
    let dir = desk.dir.path();
    // Each holds a recognisable run of hex digits that must never be printed.
    let secret = "c0ffee11c0ffee11c0ffee11c0ffee11";
    let cases = [
        ("short", format!("{secret}\n")),
        ("long", format!("{secret}{secret}00\n")),
        ("not-hex", format!("{secret}{}zz", &secret[..30])),
        ("two-newlines", format!("{secret}{secret}\n\n")),
        ("spaces", format!(" {secret}{}", &secret[1..])),
    ];
    let mut specs: Vec<String> = cases
        .iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            format!("s1={}", path.display())
        })
        .collect();
    specs.push(format!("s1={}", dir.join("missing").display()));
    specs.push("s1".to_owned());
    specs.push(format!("{secret}{secret}"));
    if std::path::Path::new("/dev/zero").exists() {
        specs.push("s1=/dev/zero".to_owned());
    }
    for spec in &specs {
        for json in [false, true] {
            let mut args = vec!["--seal-key", spec.as_str(), "hashes"];
            if json {
                args.insert(0, "--json");
            }
            let out = desk.run(&args).code(3);
            let (stdout, stderr) = (stdout_of(&out), stderr_of(&out));
            assert!(
                stderr.contains("seal") || stdout.contains("seal"),
                "{spec}: {stdout}{stderr}"
            );
            for printed in [&stdout, &stderr] {
                assert!(!printed.contains("c0ffee"), "{spec}: {printed}");
            }
        }
    }
    let out = desk.run(&["--seal-key", &specs[0], "hashes"]).code(3);
    assert!(
        stderr_of(&out).contains("64 hex characters"),
        "{}",
        stderr_of(&out)
    );
    // `serve` refuses it before it listens.
    desk.cmd()
        .args(["--seal-key", &specs[2], "serve", "--listen", "127.0.0.1:0"])
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .code(3);
}

#[test]
fn check_passes_on_a_sound_store() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&["check"])
        .success()
        .stdout(contains("1 account"))
        .stdout(contains("No problems found."));
}

// ------------------------------------------------------------------ the demo

#[test]
fn the_demo_plays_the_whole_walkthrough() {
    let desk = Desk::empty();
    let kept = desk.dir.path().join("demo.db");
    let out = desk
        .run(&["demo", "--fast", "--keep", kept.to_str().unwrap()])
        .success();
    let text = stdout_of(&out);
    for expected in [
        "Success: Account information updated.",
        "Success: Contact updated.",
        "Manage Contacts  Allow  (None)  Allow  (None)",
        "security code not accepted",
        "locked (until",
        "needs additional approval from 3522 (Joe Example)",
        "code_upgraded",
        "ID,Name,Title,Phone,Email,Security Code",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for code in [ACCOUNT_CODE, "lanterns drift over basalt", "Copper kettles"] {
        assert!(!text.contains(code), "the demo printed a code");
    }
    // The kept store is a real store.
    let mut cmd = assert_cmd::Command::new(BIN);
    clean_env(&mut cmd, desk.dir.path());
    cmd.args(["--db", kept.to_str().unwrap(), "check"])
        .assert()
        .success();
    desk.run(&["demo", "--keep", kept.to_str().unwrap()])
        .code(3);
}

#[test]
fn an_unreachable_database_is_exit_4_and_never_shows_its_password() {
    let home = tempfile::tempdir().unwrap();
    // Port 1 on the loopback: nothing listens there.
    let url = "postgres://seccode:hunter2secret@127.0.0.1:1/seccode";
    for args in [vec!["init"], vec!["contact", "list"]] {
        let mut cmd = assert_cmd::Command::new(BIN);
        clean_env(&mut cmd, home.path());
        let out = cmd
            .arg("--db")
            .arg(url)
            .args(&args)
            .write_stdin("")
            .assert()
            .code(4);
        let output = out.get_output();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!all.contains("hunter2secret"), "{all}");
        assert!(all.contains("127.0.0.1:1"), "{all}");
    }
}

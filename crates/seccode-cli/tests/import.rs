//! `seccode import`: legacy "Phone/Chat Code" CSV.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use predicates::str::contains;

#[test]
fn good_rows_are_committed_and_bad_rows_reported_by_line_without_the_code() {
    let desk = Desk::new();
    desk.seed();
    desk.run(&[
        "contact",
        "add",
        "--as",
        "3522",
        "3530",
        "--name",
        "Legacy One",
    ])
    .success();
    desk.run(&[
        "contact",
        "add",
        "--as",
        "3522",
        "3531",
        "--name",
        "Legacy Two",
    ])
    .success();
    desk.run(&[
        "account",
        "create",
        "42",
        "--name",
        "Other Co",
        "--contact-id",
        "1",
        "--contact-name",
        "Ann",
    ])
    .success();
    let csv = "\
Account,Contact,Phone/Chat Code,Notes
1707,3530,oldcode-alpha-1,first
1707,3531,oldcode-bravo-2,second
42,,oldcode-charlie-3,account-wide
1708,3530,oldcode-secret-4,unknown account
1707,9999,oldcode-secret-5,unknown contact
1707,3530,oldcode-secret-6,repeated
1707,3526,oldcode-secret-7,already set
notanid,3530,oldcode-secret-8,bad account
1707,3530,oldcode,secret-9,too many fields
1707,3532,,no code
";
    let out = desk.run_in(&["import", "-"], csv).code(3);
    let text = stdout_of(&out);
    assert!(text.contains("Imported 3 codes; 7 rows refused."), "{text}");
    for expected in [
        "line 5: unknown account `1708`",
        "line 6: account 1707 has no contact `9999`",
        "line 7: repeats the code of contact 3530 of account 1707 (line 2)",
        "line 8: the code of contact 3526 of account 1707 is already set (--overwrite replaces it)",
        "line 9: the account column is not an id",
        "line 10: expected 4 fields, found 5",
        "line 11: no code",
        "Ignored columns: Notes",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("secret"), "a code was echoed:\n{text}");
    assert!(!text.contains("oldcode"), "a code was echoed:\n{text}");

    // The imported codes verify (hashed, bound to their contact, never stored in plaintext).
    desk.run_in(&["verify", "1707", "3530"], "oldcode-alpha-1")
        .code(0);
    desk.run_in(&["verify", "1707", "3531"], "OLDCODE bravo 2")
        .code(0);
    desk.run_in(
        &["--account", "42", "verify", "42", "1"],
        "oldcode-charlie-3",
    )
    .code(0);
    desk.run_in(&["verify", "1707", "3526"], CONTACT2_CODE)
        .code(0);
    assert_eq!(desk.count_events("code_imported"), 3);
    let raw = desk.raw_contents();
    assert!(raw.contains("argon2id"), "the store was read");
    assert!(!raw.contains("oldcode-alpha"));
}

#[test]
fn overwrite_replaces_and_dry_run_stores_nothing() {
    let desk = Desk::new();
    desk.seed();
    let file = desk.dir.path().join("codes.csv");
    std::fs::write(
        &file,
        "account,contact,code\n1707,3526,replacement code nine\n1707,,account wide again\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    desk.run(&["import", path, "--dry-run"])
        .code(3)
        .stdout(contains(
            "Dry run: 0 rows would be imported, 2 rows refused",
        ));
    desk.run(&["import", path, "--overwrite", "--dry-run"])
        .success()
        .stdout(contains("Dry run: 2 rows would be imported"));
    desk.run_in(&["verify", "1707", "3526"], CONTACT2_CODE)
        .code(0);
    desk.run(&["import", path, "--overwrite"])
        .success()
        .stdout(contains("Imported 2 codes; 0 rows refused."));
    desk.run_in(&["verify", "1707", "3526"], "replacement code nine")
        .code(0);
    desk.run_in(&["verify", "1707", "3522"], "account wide again")
        .code(0);
    desk.run_in(&["verify", "1707", "3522"], ACCOUNT_CODE)
        .code(1);
}

/// A plain Argon2id PHC string made by another implementation (argon2-cffi 25.1.0,
/// `PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)`) of the code as typed; the
/// same vector the core's legacy tests use.
const LEGACY_PHC: &str = "$argon2id$v=19$m=1024,t=1,p=1$0Jtzz7jp2dn+vZA4Q7BuLA$VuHc/K5g7PPuZCuS38Jifn+1mZ1T660pD1ZJa3CqrSg";
const LEGACY_CODE: &str = "purple monkey dishwasher";

#[test]
fn legacy_hashes_import_and_upgrade_on_first_verification() {
    let desk = Desk::new();
    desk.seed();
    // Quoted: a PHC string has commas.
    let csv = format!(
        "account,contact,hash\n1707,3523,\"{LEGACY_PHC}\"\n1707,3522,\"$argon2id$broken\"\n"
    );
    let out = desk.run_in(&["import", "-"], &csv).code(3);
    let text = stdout_of(&out);
    assert!(text.contains("Imported 1 code; 1 row refused."), "{text}");
    assert!(text.contains("line 3: malformed stored hash"), "{text}");
    desk.run(&["hashes"])
        .success()
        .stdout(contains("outdated (parameters, legacy format, matching)"));
    // Legacy hashes compare the code exactly as typed.
    desk.run_in(&["verify", "1707", "3523"], "Purple monkey dishwasher")
        .code(1);
    desk.run_in(&["verify", "1707", "3523"], LEGACY_CODE)
        .code(0)
        .stdout(contains("upgraded"));
    let json = desk.json(&["hashes"]);
    let line = json["hashes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["code"] == "contact 3523")
        .unwrap()
        .clone();
    assert_eq!(line["binding"], "scoped");
    assert_eq!(line["outdated"], false);
    // Upgraded to the account's spoken matching.
    desk.run_in(&["verify", "1707", "3523"], "Purple monkey, dishwasher!")
        .code(0);
}

#[test]
fn malformed_csv_files_are_bad_input() {
    let desk = Desk::new();
    desk.seed();
    desk.run_in(&["import", "-"], "")
        .code(3)
        .stderr(contains("the file is empty"));
    desk.run_in(&["import", "-"], "contact,code\n3523,abcdefghij\n")
        .code(3)
        .stderr(contains("no `account` column"));
    desk.run_in(&["import", "-"], "account,contact,name\n1707,3523,Joe\n")
        .code(3)
        .stderr(contains("no `code`"));
    desk.run_in(&["import", "-"], "account,account id,code\n1,1,x\n")
        .code(3)
        .stderr(contains("two columns"));
    desk.run(&["import", "/nonexistent/file.csv"])
        .code(3)
        .stderr(contains("cannot open"));
    let out = desk
        .run_in(
            &["import", "-"],
            "account,contact,code\n1707,3523,\"zzsecretzz\n",
        )
        .code(3)
        .stdout(contains("line 2: the code spans several lines"));
    assert!(!stdout_of(&out).contains("zzsecretzz"));
    let bytes: &[u8] = b"account,contact,code\n1707,3523,caf\xe9 au lait\n";
    desk.cmd()
        .args(["import", "-"])
        .write_stdin(bytes)
        .assert()
        .code(3)
        .stdout(contains("line 2: invalid security code: not valid UTF-8"));
}

#[test]
fn a_hash_over_the_ceilings_is_refused_and_replaces_nothing() {
    let desk = Desk::new();
    desk.seed();
    let file = desk.dir.path().join("huge.csv");
    std::fs::write(
        &file,
        "account,contact,hash\n1707,3526,\"$argon2id$v=19$m=4294967295,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$q5mBV5OqbsRC6k6vRfMSY0QAKchaS8ZPq5eSddd7L5M\"\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    desk.run(&["import", path, "--overwrite"])
        .code(3)
        .stdout(contains("line 2"))
        .stdout(contains("ceiling"));
    // The working code is still there, and the store is sound.
    desk.run_in(&["verify", "1707", "3526"], CONTACT2_CODE)
        .code(0);
    desk.run(&["check"]).success();
    assert_eq!(desk.count_events("code_imported"), 0);
}

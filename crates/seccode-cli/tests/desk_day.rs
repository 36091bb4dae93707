//! The desk for an agent's day, through the real binary on both stores: `account export`,
//! `contact import`, completions and the manual page, local times, tables by display width,
//! the permission grid under its headers, and formula-safe CSV.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use predicates::str::contains;
use seccode::{Account, AccountId, ContactId, Engine, EngineConfig, SecurityCode};
use unicode_width::UnicodeWidthStr;

/// The number of contacts of account 1707.
fn contacts(desk: &Desk) -> u64 {
    desk.json(&["account", "show", "1707"])["contacts"]
        .as_u64()
        .unwrap()
}

// ------------------------------------------------------------------ account export

#[test]
fn account_export_round_trips_through_the_core_loader_and_holds_no_code() {
    let desk = Desk::new();
    desk.seed();
    let file = desk.dir.path().join("1707.json");
    desk.run(&["account", "export", "1707", "--out", file.to_str().unwrap()])
        .success()
        .stdout(contains("Wrote account 1707 (3 contacts, format 1)"));
    let text = std::fs::read_to_string(&file).unwrap();

    // What the Python and C faces do with it: the core's loader.
    let loaded = Account::from_json(&text).unwrap();
    let store = seccode_store::AnyStore::open(&desk.place).unwrap();
    let stored = seccode_store::load_account(&store, AccountId(1707)).unwrap();
    assert_eq!(loaded.to_record(), stored.to_record());
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["format"], 1);
    assert_eq!(value["contacts"].as_array().unwrap().len(), 3);

    // Hashes, never a code; and the hashes are what verifies.
    assert!(text.contains("$argon2id$"));
    for code in [ACCOUNT_CODE, CONTACT2_CODE] {
        assert!(!text.contains(code));
    }
    let mut config = EngineConfig::default();
    config.verifier.params = seccode::HashParams {
        m_kib: 64,
        t: 1,
        p: 1,
    };
    let engine = Engine::new(config).unwrap();
    let mut account = loaded;
    let code = SecurityCode::from_str_copy(CONTACT2_CODE).unwrap();
    assert!(
        account
            .verify(&engine, ContactId(3526), &code)
            .unwrap()
            .is_verified()
    );

    // Standard output holds the same document; `--json` wraps it.
    let out = desk.run(&["account", "export"]).success();
    assert_eq!(stdout_of(&out), text);
    let json = desk.json(&["account", "export", "1707"]);
    assert_eq!(json["record"], value);
    assert_eq!(json["exit"], 0);

    desk.run(&["account", "export", "9999"])
        .code(3)
        .stderr(contains("9999"));
}

#[test]
fn account_export_says_what_it_holds() {
    let desk = Desk::empty();
    let out = desk.run(&["account", "export", "--help"]).success();
    // As one line, whatever the help's wrapping.
    let help = stdout_of(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(help.contains("the Argon2id hashes of its codes"), "{help}");
    assert!(help.contains("Never a plaintext code"), "{help}");
}

// ------------------------------------------------------------------ contact import

#[test]
fn ten_thousand_contacts_in_one_run() {
    let desk = Desk::new();
    desk.seed();
    let mut csv = String::from("Name,Email,Phone,POC\n");
    for i in 0..10_000 {
        csv.push_str(&format!(
            "Contact {i},c{i}@example.com,000-000-{:04},{}\n",
            i % 10_000,
            if i % 2 == 0 { "yes" } else { "" }
        ));
    }
    let json = desk.json_in(&["contact", "import", "1707", "-", "--as", "3522"], &csv);
    assert_eq!(json["exit"], 0, "{json}");
    assert_eq!(json["imported"], 10_000);
    // The next free ids after the seed's highest (3526).
    assert_eq!(json["contacts"][0], 3527);
    assert_eq!(json["contacts"][9_999], 13_526);
    assert_eq!(contacts(&desk), 10_003);
    let list = desk.json(&["contact", "list"]);
    let c = list["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == 13_526)
        .unwrap();
    assert_eq!(c["name"], "Contact 9999");
    assert_eq!(c["email"], "c9999@example.com");
    // Every addition is audited, by the contact who made it.
    assert_eq!(desk.count_events("contact_added"), 2 + 10_000);
}

#[test]
fn a_bad_row_in_the_middle_writes_nothing_and_is_named_by_line_and_column() {
    let desk = Desk::new();
    desk.seed();
    let file = desk.dir.path().join("contacts.csv");
    std::fs::write(
        &file,
        "id,name,email,tech\n\
         4001,Ann Example,ann@example.com,no\n\
         4002,Bob Example,bob@example.com,yes\n\
         4003,Cat Example,not-an-address,no\n\
         4004,Dan Example,dan@example.com,perhaps\n\
         4005,Eve Example,eve@example.com,1\n",
    )
    .unwrap();
    let out = desk
        .run(&[
            "contact",
            "import",
            "1707",
            file.to_str().unwrap(),
            "--as",
            "3522",
        ])
        .code(3);
    let err = stderr_of(&out);
    assert!(
        err.contains("2 rows refused; nothing was imported"),
        "{err}"
    );
    assert!(err.contains("line 4, column `email`"), "{err}");
    assert!(
        err.contains("line 5, column `tech`: `perhaps` is not yes or no"),
        "{err}"
    );
    assert_eq!(contacts(&desk), 3);
    assert_eq!(desk.count_events("contact_added"), 2);

    let json = desk.json(&[
        "contact",
        "import",
        "1707",
        file.to_str().unwrap(),
        "--as",
        "3522",
    ]);
    assert_eq!(json["exit"], 3);
    assert_eq!(json["error"]["kind"], "rows_refused");
    assert_eq!(json["error"]["refused"][0]["line"], 4);
    assert_eq!(json["error"]["refused"][0]["column"], "email");
    assert_eq!(contacts(&desk), 3);
}

#[test]
fn duplicates_are_refused_and_the_same_file_twice_adds_nothing() {
    let desk = Desk::new();
    desk.seed();
    let csv = "Name,Email\nFay Example,fay@example.com\nGus Example,gus@example.com\n";
    desk.run_in(&["contact", "import", "1707", "-", "--as", "3522"], csv)
        .success()
        .stdout(contains("2 contacts added"));
    assert_eq!(contacts(&desk), 5);
    // Again: both rows are contacts already there.
    desk.run_in(&["contact", "import", "1707", "-", "--as", "3522"], csv)
        .code(3)
        .stderr(contains(
            "line 2, column `Name`: the same name, email and phone as contact 3527",
        ))
        .stderr(contains("line 3, column `Name`"));
    assert_eq!(contacts(&desk), 5);

    // An id already in the account, an id repeated, a person repeated.
    desk.run_in(
        &["contact", "import", "1707", "-", "--as", "3522"],
        "id,name\n3523,Someone Else\n5000,Hal Example\n5000,Ida Example\n,Jo Example\n,jo example\n",
    )
    .code(3)
    .stderr(contains("line 2, column `id`: contact `3523` is already in the account"))
    .stderr(contains("line 4, column `id`: repeats id `5000` of line 3"))
    .stderr(contains("line 6, column `name`: the same name, email and phone as line 5"));
    assert_eq!(contacts(&desk), 5);
}

#[test]
fn the_header_row_is_required_and_unknown_columns_are_refused() {
    let desk = Desk::new();
    desk.seed();
    let import = |csv: &str| desk.run_in(&["contact", "import", "1707", "-", "--as", "3522"], csv);
    import("name,emial\nKim Example,kim@example.com\n")
        .code(3)
        .stderr(contains("unknown column `emial`"));
    import("4100,Kim Example\n")
        .code(3)
        .stderr(contains("the first row names the columns"));
    import("email\nkim@example.com\n")
        .code(3)
        .stderr(contains("no `name` column"));
    import("").code(3).stderr(contains("no header row"));
    import("name,phone\nKim Example\n")
        .code(3)
        .stderr(contains("line 2: expected 2 fields, found 1"));
    assert_eq!(contacts(&desk), 3);
    // A header alone adds nothing and is no error.
    import("name\n")
        .success()
        .stdout(contains("0 contacts added"));
}

#[test]
fn import_needs_an_acting_contact_with_the_right_to_add() {
    let desk = Desk::new();
    desk.seed();
    let csv = "name\nLee Example\n";
    desk.run_in(&["contact", "import", "1707", "-"], csv)
        .code(3)
        .stderr(contains("--as"));
    desk.run_in(&["contact", "import", "1707", "-", "--as", "3523"], csv)
        .code(3)
        .stderr(contains("permission"));
    desk.run_in(&["contact", "import", "9999", "-", "--as", "3522"], csv)
        .code(3);
    assert_eq!(contacts(&desk), 3);
    desk.run(&[
        "contact",
        "import",
        "1707",
        "/no/such/file.csv",
        "--as",
        "3522",
    ])
    .code(3);
}

// ------------------------------------------------------------------ completions and man

#[test]
fn completions_name_the_subcommands() {
    let desk = Desk::empty();
    let out = desk.run(&["completions", "bash"]).success();
    let script = stdout_of(&out);
    for word in [
        "seccode",
        "account",
        "contact",
        "verify",
        "authorize",
        "completions",
    ] {
        assert!(script.contains(word), "{word} missing");
    }
    assert!(script.contains("complete "), "a bash completion script");
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        desk.run(&["completions", shell])
            .success()
            .stdout(contains("verify"));
    }
    desk.run(&["completions", "tcsh"]).code(3);
}

#[test]
fn the_man_page_is_roff_and_names_the_subcommands() {
    let desk = Desk::empty();
    let out = desk.run(&["man"]).success();
    let page = stdout_of(&out);
    // The title request comes first, after clap_mangen's two-line preamble that defines the
    // apostrophe string (`.ie \n(.g .ds Aq ...` / `.el .ds Aq '`).
    let first = page
        .lines()
        .find(|l| !l.starts_with(".ie ") && !l.starts_with(".el "))
        .unwrap();
    assert!(first.starts_with(".TH seccode 1"), "{first}");
    assert!(page.lines().take(2).all(|l| l.starts_with('.')));
    assert!(page.contains("seccode"));
    for sub in ["account", "contact", "verify", "unlock", "audit", "import"] {
        assert!(page.contains(sub), "{sub} missing");
    }
}

// ------------------------------------------------------------------ local times

/// 2026-11-30T10:02:03Z.
const CLOCK: i64 = 1_796_032_923;

#[test]
fn times_show_in_the_local_zone_with_the_offset_and_json_keeps_utc() {
    let desk = Desk::new();
    desk.seed();
    let run = |tz: &str, args: &[&str], stdin: &str| {
        desk.cmd()
            .env("TZ", tz)
            .env("SECCODE_TEST_CLOCK", CLOCK.to_string())
            .args(args)
            .write_stdin(stdin.to_owned())
            .assert()
    };
    let paris = "CET-1CEST,M3.5.0,M10.5.0/3";
    for _ in 0..4 {
        run(paris, &["verify", "1707", "3523"], "wrong wrong wrong").code(1);
    }
    // The fifth failure locks for 30 minutes: until 10:32:03Z.
    run(paris, &["verify", "1707", "3523"], "wrong wrong wrong")
        .code(1)
        .stdout(contains("now locked until 2026-11-30 11:32:03 +01:00"));
    run(paris, &["verify", "1707", "3523"], ACCOUNT_CODE)
        .code(2)
        .stdout(contains("locked (until 2026-11-30 11:32:03 +01:00)"));
    run("Asia/Tokyo", &["contact", "list"], "")
        .success()
        .stdout(contains("locked until 2026-11-30 19:32:03 +09:00"));
    let audit = run("UTC", &["audit", "--kind", "locked"], "").success();
    let line = stdout_of(&audit);
    assert!(
        line.contains("2026-11-30 10:02:03 +00:00 account 1707 contact 3523"),
        "{line}"
    );
    assert!(
        line.contains("(until 2026-11-30 10:32:03 +00:00)"),
        "{line}"
    );
    run(paris, &["audit", "--kind", "locked"], "")
        .success()
        .stdout(contains("2026-11-30 11:02:03 +01:00 account 1707"));
    // What the desk shows is accepted back as a time.
    run(
        paris,
        &[
            "audit",
            "--kind",
            "locked",
            "--since",
            "2026-11-30 11:02:03 +01:00",
        ],
        "",
    )
    .success()
    .stdout(contains("contact 3523"));
    run(
        paris,
        &[
            "audit",
            "--kind",
            "locked",
            "--since",
            "2026-11-30 11:02:04 +01:00",
        ],
        "",
    )
    .success()
    .stdout(contains("No audit events match."));

    // Machine-readable output does not depend on the zone.
    let json = |tz: &str| {
        let out = run(tz, &["--json", "audit"], "").success();
        stdout_of(&out)
    };
    assert_eq!(json(paris), json("Asia/Tokyo"));
    assert_eq!(json("UTC"), json("America/New_York"));
}

// ------------------------------------------------------------------ display width

#[test]
fn tables_align_wide_names_by_display_width() {
    let desk = Desk::new();
    desk.seed();
    for (id, name, email) in [
        ("3600", "山田太郎", "yamada@example.jp"),
        ("3601", "Zoë 😀 Example", "zoe@example.com"),
    ] {
        desk.run(&[
            "contact", "add", "--as", "3522", id, "--name", name, "--email", email,
        ])
        .success();
    }
    let out = desk.run(&["contact", "list"]).success();
    let text = stdout_of(&out);
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("ID "))
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(table.len(), 6, "{text}");
    // The column after Name (Title, empty here) and Email start at one display column on
    // every line.
    let column_of = |line: &str, needle: &str| {
        let at = line
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in {line}"));
        line[..at].width()
    };
    let email = column_of(table[0], "Email");
    for (line, needle) in [
        (table[1], "marketing@"),
        (table[4], "yamada@"),
        (table[5], "zoe@"),
    ] {
        assert_eq!(column_of(line, needle), email, "{text}");
    }
    let code = column_of(table[0], "Security Code");
    for line in &table[1..] {
        let at = ["not set", "set"]
            .iter()
            .filter_map(|w| line.find(&format!("  {w}  ")))
            .min()
            .unwrap()
            + 2;
        assert_eq!(line[..at].width(), code, "{text}");
    }
}

#[test]
fn the_grid_puts_every_cell_under_its_header() {
    let desk = Desk::new();
    desk.seed();
    for args in [
        vec!["perm", "show", "3526"],
        vec!["perm", "show", "3526", "--raw"],
    ] {
        let out = desk.run(&args).success();
        let text = stdout_of(&out);
        let grid: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("Resources"))
            .collect();
        let header = grid[0];
        let starts: Vec<usize> = ["View", "Create", "Update", "Delete"]
            .iter()
            .map(|h| header.find(h).unwrap())
            .collect();
        assert_eq!(grid.len(), 14, "{text}");
        for line in &grid[1..] {
            for (i, start) in starts.iter().enumerate() {
                // A cell starts right under its header, after at least two spaces.
                assert_eq!(&line[start - 2..*start], "  ", "{line}\n{text}");
                assert_ne!(line.as_bytes()[*start], b' ', "cell {i} of {line}\n{text}");
            }
        }
    }
    // The API's canonical row text is unchanged.
    let json = desk.json(&["perm", "show", "3526"]);
    let rows = json["rows"].as_array().unwrap();
    let manage = rows
        .iter()
        .find(|r| r["resource"] == "Manage Contacts")
        .unwrap();
    assert_eq!(
        manage["cells"],
        serde_json::json!(["Allow", "(None)", "Allow", "(None)"])
    );
}

// ------------------------------------------------------------------ formula-safe CSV

#[test]
fn the_csv_export_neutralizes_spreadsheet_formulas() {
    let desk = Desk::new();
    desk.seed();
    for (id, name, phone) in [
        ("3700", "=HYPERLINK(\"http://evil.example\",\"x\")", ""),
        ("3701", "@SUM(1)", "+1 555 0100"),
        ("3702", "Jean-Luc Picard", "-5"),
    ] {
        let phone = format!("--phone={phone}");
        desk.run(&["contact", "add", "--as", "3522", id, "--name", name, &phone])
            .success();
    }
    let out = desk.run(&["contact", "export", "--csv"]).success();
    let csv = stdout_of(&out);
    assert!(
        csv.contains("3700,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",,,,not set\n"),
        "{csv}"
    );
    assert!(
        csv.contains("3701,'@SUM(1),,'+1 555 0100,,not set\n"),
        "{csv}"
    );
    assert!(
        csv.contains("3702,Jean-Luc Picard,,'-5,,not set\n"),
        "{csv}"
    );
    // Read back as CSV: every risky cell starts with the quote.
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
        }
    }
    // The file form is the same bytes.
    let file = desk.dir.path().join("contacts.csv");
    desk.run(&["contact", "export", "--csv", "-o", file.to_str().unwrap()])
        .success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), csv);
}

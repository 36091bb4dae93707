//! `seccode demo`: the seed's walkthrough, played on a fresh store through the same functions
//! the commands use, printing each step as the command a support agent would type.

use std::io::Write;
use std::path::{Path, PathBuf};

use seccode::AccountId;
use seccode::ContactId;
use seccode::Normalization;
use seccode::RequestKind;
use seccode::{Action, Setting};
use serde_json::json;

use crate::cli::{AccountCreateArgs, ConfigArgs, ContactAddArgs, DemoArgs, Global, ImportArgs};
use crate::commands::perm::View;
use crate::commands::{account, call, code, code_of, contact, log, perm, setup};
use crate::desk::Desk;
use crate::error::{CliError, Exit};
use crate::output::Report;

/// The seed's account, "Any Company".
pub(crate) const ACCOUNT: AccountId = AccountId(1707);
/// Joe Example, its primary contact.
pub(crate) const JOE: ContactId = ContactId(3522);
/// Contact Example.
pub(crate) const CONTACT: ContactId = ContactId(3523);
/// Contact Example 2.
pub(crate) const CONTACT2: ContactId = ContactId(3526);
/// The account-wide code Joe chooses in the walkthrough.
pub(crate) const ACCOUNT_CODE: &str = "velvet tractor orbits quietly";
/// The individual code Joe gives Contact Example 2 in the walkthrough.
pub(crate) const CONTACT2_CODE: &str = "lanterns drift over basalt";

/// Prints as it goes (unless quiet) and counts steps that did not end as the walkthrough
/// expects.
pub(crate) struct Stage {
    surprises: Vec<String>,
    quiet: bool,
}

impl Stage {
    /// A stage that prints nothing, only counts the surprises (for `serve --demo`).
    pub(crate) fn quiet() -> Stage {
        Stage {
            surprises: Vec::new(),
            quiet: true,
        }
    }

    /// The steps that did not end as expected, as an error; `Ok` when there are none.
    pub(crate) fn outcome(&mut self) -> Result<(), CliError> {
        if self.surprises.is_empty() {
            return Ok(());
        }
        let mut err = CliError::internal("demo", "the demo did not go as expected");
        err.details = std::mem::take(&mut self.surprises);
        Err(err)
    }

    fn print(&self, text: &str) {
        if self.quiet {
            return;
        }
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    fn chapter(&self, title: &str) {
        let rule = "=".repeat(title.chars().count() + 6);
        self.print(&format!("\n{rule}\n== {title} ==\n{rule}\n"));
    }

    fn say(&self, text: &str) {
        self.print(&format!("\n{text}\n"));
    }

    fn command(&self, line: &str) {
        self.print(&format!("\n$ seccode {line}\n"));
    }

    /// Print a command's result and check it ended with `expected`.
    fn result(&mut self, what: &str, result: Result<Report, CliError>, expected: Exit) {
        let exit = match result {
            Ok(report) => {
                // The demo shows where a verification token goes, never the token itself.
                let text = match report.json.get("verification").and_then(|v| v.as_str()) {
                    Some(token) => report.text.replace(token, "TOKEN"),
                    None => report.text.clone(),
                };
                self.print(&indent(&text));
                report.exit
            }
            Err(err) => {
                let mut text = format!("error: {}\n", err.message);
                for d in &err.details {
                    text.push_str(&format!("  - {d}\n"));
                }
                self.print(&indent(&text));
                err.exit
            }
        };
        if exit != expected {
            self.surprises.push(format!(
                "{what}: exit {} instead of {}",
                exit.code(),
                expected.code()
            ));
        }
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

fn global(db: &Path) -> Global {
    Global {
        db: Some(db.display().to_string()),
        json: false,
        account: Some(ACCOUNT.0),
        pepper: None,
        retired_peppers: Vec::new(),
        seal_key: None,
        agent: None,
        agent_on_command_line: false,
    }
}

/// `seccode demo`.
pub(crate) fn run(args: &DemoArgs) -> Result<Report, CliError> {
    let temp = tempfile::Builder::new()
        .prefix("seccode-demo-")
        .tempdir()
        .map_err(|e| CliError::io("creating a temporary directory", &e))?;
    let path: PathBuf = match &args.keep {
        Some(p) => {
            if p.exists() {
                return Err(CliError::bad_input(
                    "exists",
                    format!(
                        "`{}` exists already; the demo needs a fresh store",
                        p.display()
                    ),
                ));
            }
            p.clone()
        }
        None => temp.path().join("seccode.db"),
    };
    let mut stage = Stage {
        surprises: Vec::new(),
        quiet: false,
    };
    play(&mut stage, &path, temp.path(), args.fast)?;

    let where_ = if args.keep.is_some() {
        format!("The store is kept at {}.", path.display())
    } else {
        "The temporary store is deleted now; `seccode demo --keep PATH` keeps one to explore."
            .to_owned()
    };
    stage.say(&format!(
        "That is the whole walkthrough. {where_}\n\
         Your own desk: `seccode init`, then `seccode account create ...` (see `seccode --help`)."
    ));
    stage.outcome()?;
    Ok(Report::new(
        "",
        json!({ "store": path.display().to_string(), "surprises": [] }),
    ))
}

fn play(stage: &mut Stage, db: &Path, scratch: &Path, fast: bool) -> Result<(), CliError> {
    stage.print(
        "seccode demo: the seed's \"Managing Security Codes\" walkthrough, on a fresh store.\n\
         Each step shows the command a support agent would type, then what it prints.\n\
         Codes are typed at a prompt that does not echo (or piped on standard input);\n\
         the demo types them itself and does not print them.\n",
    );
    let mut desk = seed(stage, db, fast)?;
    stage.command("contact list");
    stage.result(
        "contact list",
        contact::list(&mut desk, ACCOUNT, false),
        Exit::Success,
    );
    walkthrough(stage, &mut desk, scratch)
}

/// Create the store at `db` (a new SQLite file; cheap Argon2id parameters when `fast`) and in
/// it the seed's account as every demo starts: "Any Company" (1707), its primary contact Joe
/// Example (3522), Contact Example (3523) and Contact Example 2 (3526), through the desk's
/// own commands. Returns the desk open on it; a step that did not succeed is one of `stage`'s
/// surprises.
pub(crate) fn seed(stage: &mut Stage, db: &Path, fast: bool) -> Result<Desk, CliError> {
    let g = global(db);
    stage.command(&format!("--db {} init", db.display()));
    let config = if fast {
        ConfigArgs {
            argon2_memory_kib: Some(64),
            argon2_iterations: Some(1),
            ..ConfigArgs::default()
        }
    } else {
        ConfigArgs::default()
    };
    stage.result("init", setup::init(&g, &config), Exit::Success);
    let mut desk = Desk::open_at(&db.display().to_string(), &g)?;

    // ---------------------------------------------------------------- the account
    stage.chapter("The account and its contacts");
    stage.say("Any Company (Client ID 1707) and the three contacts of the seed's screens.");
    stage.command(
        "account create 1707 --name \"Any Company\" --contact-id 3522 --contact-name \"Joe Example\" \
         --title \"Primary Contact\" --phone 000-000-0000 --email marketing@viviotech.net",
    );
    let create = AccountCreateArgs {
        account: ACCOUNT.0,
        name: "Any Company".into(),
        contact_id: JOE.0,
        contact_name: "Joe Example".into(),
        title: "Primary Contact".into(),
        phone: "000-000-0000".into(),
        email: "marketing@viviotech.net".into(),
    };
    stage.result(
        "account create",
        account::create(&mut desk, &create),
        Exit::Success,
    );
    for (id, name, phone, email) in [
        (
            CONTACT,
            "Contact Example",
            "000-000-0000",
            "marketing@viviotech.net",
        ),
        (CONTACT2, "Contact Example 2", "", ""),
    ] {
        let mut line = format!("contact add {id} --name \"{name}\" --as 3522");
        if !phone.is_empty() {
            line.push_str(&format!(" --phone {phone} --email {email}"));
        }
        stage.command(&line);
        let add = ContactAddArgs {
            contact: Some(id.0),
            name: name.into(),
            title: String::new(),
            phone: phone.into(),
            email: email.into(),
            audit_account: false,
            poc: false,
            tech: false,
            abuse: false,
            actor: Some(JOE.0),
        };
        stage.result(
            "contact add",
            contact::add(&mut desk, ACCOUNT, &add),
            Exit::Success,
        );
    }
    Ok(desk)
}

/// The rest of the walkthrough, on the seeded account.
fn walkthrough(stage: &mut Stage, desk: &mut Desk, scratch: &Path) -> Result<(), CliError> {
    // ---------------------------------------------------------------- account-wide code
    stage.chapter("Your account-wide security code");
    stage.say(
        "Joe, the account owner, chooses the account-wide code. A first try uses the company's\n\
         name and Client ID: the policy refuses it and says why (never repeating the code).",
    );
    stage.command("code set-account --as 3522        # typed: the company name and client id");
    let weak = code_of("AnyCompany1707!")?;
    stage.result(
        "weak account code",
        code::set_account(desk, ACCOUNT, Some(JOE.0), &weak),
        Exit::BadInput,
    );
    stage.say("A phrase of unrelated words is accepted:");
    stage.command("code set-account --as 3522        # typed: four unrelated words");
    let account_code = code_of(ACCOUNT_CODE)?;
    stage.result(
        "account code",
        code::set_account(desk, ACCOUNT, Some(JOE.0), &account_code),
        Exit::Success,
    );

    // ---------------------------------------------------------------- letting a user see it
    stage.chapter("Allowing your other users to see the account-wide code");
    stage.say(
        "Contact Example's permissions start empty: every cell is (None), which grants nothing.",
    );
    stage.command("perm show 3523");
    stage.result(
        "perm show",
        perm::show(desk, ACCOUNT, CONTACT, View::Effective),
        Exit::Success,
    );
    stage.say("On the \"Profile\" line, under \"View\", select \"Allow\":");
    stage.command("perm set 3523 Profile view allow --as 3522");
    stage.result(
        "perm set",
        perm::set(
            desk,
            ACCOUNT,
            CONTACT,
            "Profile",
            Action::View,
            Setting::Allow,
            Some(JOE.0),
        ),
        Exit::Success,
    );
    stage.command("perm show 3523 --explain");
    stage.result(
        "perm show",
        perm::show(desk, ACCOUNT, CONTACT, View::Explain),
        Exit::Success,
    );

    // ---------------------------------------------------------------- individual codes
    stage.chapter("Creating individual codes for your other users");
    stage.say("Joe gives Contact Example 2 a code of its own (\"be sure to let this user know what it is!\"):");
    stage.command("code set-contact 3526 --as 3522");
    let individual = code_of(CONTACT2_CODE)?;
    stage.result(
        "set contact code",
        code::set_contact(desk, ACCOUNT, CONTACT2, Some(JOE.0), &individual),
        Exit::Success,
    );

    // ---------------------------------------------------------------- permissions
    stage.chapter("Changing permissions for your other users");
    stage.say("Contact Example 2 tries to change its own code, but may not yet:");
    stage.command("code set-contact 3526 --as 3526");
    let own = code_of("Copper kettles hum at dawn")?;
    stage.result(
        "own code before permission",
        code::set_contact(desk, ACCOUNT, CONTACT2, Some(CONTACT2.0), &own),
        Exit::BadInput,
    );
    stage.say(
        "On the \"Manage Contacts\" line, Joe selects \"Allow\" under \"View\" and \"Update\":",
    );
    for action in [Action::View, Action::Update] {
        stage.command(&format!(
            "perm set 3526 \"Manage Contacts\" {} allow --as 3522",
            action.as_str()
        ));
        stage.result(
            "perm set",
            perm::set(
                desk,
                ACCOUNT,
                CONTACT2,
                "Manage Contacts",
                action,
                Setting::Allow,
                Some(JOE.0),
            ),
            Exit::Success,
        );
    }
    stage.command("perm show 3526");
    stage.result(
        "perm show",
        perm::show(desk, ACCOUNT, CONTACT2, View::Effective),
        Exit::Success,
    );
    stage.say("Now Contact Example 2 can view and update their security code:");
    stage.command("code set-contact 3526 --as 3526");
    stage.result(
        "own code",
        code::set_contact(desk, ACCOUNT, CONTACT2, Some(CONTACT2.0), &own),
        Exit::Success,
    );

    // ---------------------------------------------------------------- calls
    stage.chapter("Calls and chats: verifying callers");
    stage.say("Contact Example calls and gives the account-wide code, which they may now see:");
    stage.command("verify 1707 3523 --request routine");
    let verified = call::verify(
        desk,
        ACCOUNT,
        CONTACT,
        &account_code,
        Some(RequestKind::Routine),
    );
    // The token that verify printed, for `authorize` later in this call.
    let token = verified
        .as_ref()
        .ok()
        .and_then(|r| r.json.get("verification"))
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();
    stage.result("3523 account code", verified, Exit::Success);
    stage.say(
        "Contact Example 2 gives the account-wide code too. It is the right code, but they may\n\
         not see it (no Profile / View), so they cannot use it:",
    );
    stage.command("verify 1707 3526");
    stage.result(
        "3526 account code",
        call::verify(desk, ACCOUNT, CONTACT2, &account_code, None),
        Exit::No,
    );
    stage.say(
        "They give their own code the way people say it on the phone, capitals and commas\n\
         included. Matching is \"spoken\" by default: case, spaces and punctuation do not count.",
    );
    stage.command("verify 1707 3526                 # said with capitals and punctuation");
    let spoken = code_of("COPPER KETTLES, hum at dawn!")?;
    stage.result(
        "3526 spoken",
        call::verify(desk, ACCOUNT, CONTACT2, &spoken, None),
        Exit::Success,
    );
    stage.say("Someone claiming to be Joe guesses, five times:");
    for (i, guess) in [
        "any company joe",
        "marketing viviotech",
        "joe example 3522",
        "velvet tractor orbits loudly",
        "purple tractor quietly",
    ]
    .into_iter()
    .enumerate()
    {
        stage.command(&format!(
            "verify 1707 3522                 # wrong guess {}",
            i + 1
        ));
        let wrong = code_of(guess)?;
        stage.result(
            "wrong guess",
            call::verify(desk, ACCOUNT, JOE, &wrong, None),
            Exit::No,
        );
    }
    stage.say("Joe is now locked: even the right code is not checked.");
    stage.command("verify 1707 3522                 # the right code");
    stage.result(
        "locked",
        call::verify(desk, ACCOUNT, JOE, &account_code, None),
        Exit::Locked,
    );
    stage.say(
        "Contact Example 2, allowed \"Manage Contacts / Update\", unlocks Joe (the Unlock tab):",
    );
    stage.command("unlock 3522 --as 3526");
    stage.result(
        "unlock",
        call::unlock(desk, ACCOUNT, JOE, Some(CONTACT2.0)),
        Exit::Success,
    );
    stage.command("verify 1707 3522 --request billable");
    stage.result(
        "joe after unlock",
        call::verify(
            desk,
            ACCOUNT,
            JOE,
            &account_code,
            Some(RequestKind::Billable),
        ),
        Exit::Success,
    );
    stage.say(
        "What a verified caller may ask for: requests that cost money need \"Billing & Services /\n\
         Update\"; cancellations are never done on the code alone.",
    );
    stage.say(
        "(for the rest of Contact Example's call, with the verification `verify` printed; it\n\
         lasts 15 minutes, and a change to the contact or its code makes it void)",
    );
    stage.command("authorize billable --verification TOKEN");
    stage.result(
        "billable",
        call::authorize(desk, &token, RequestKind::Billable),
        Exit::No,
    );
    stage.command("authorize cancellation --verification TOKEN");
    stage.result(
        "cancellation",
        call::authorize(desk, &token, RequestKind::Cancellation),
        Exit::No,
    );

    // ---------------------------------------------------------------- the old name
    stage.chapter("\"I already set up a Phone/Chat Code\"");
    stage.say(
        "Codes from the old system are imported, not re-entered. Here Contact Example's old\n\
         \"Phone/Chat Code\" arrives as the Argon2id hash the old system kept (a CSV with the\n\
         columns account,contact,hash; plaintext codes would go in a `code` column).",
    );
    let legacy_code = code_of("Harbor lights at seven")?;
    let phc = desk
        .engine()?
        .verifier()
        .hash_plain(&legacy_code, Normalization::Exact)?;
    let csv_path = scratch.join("legacy-codes.csv");
    // A PHC string has commas: quoted, as any CSV writer does.
    std::fs::write(
        &csv_path,
        format!("account,contact,hash\n1707,3523,\"{phc}\"\n"),
    )
    .map_err(|e| CliError::io("writing the demo's CSV", &e))?;
    stage.command("import legacy-codes.csv");
    let import = ImportArgs {
        file: csv_path,
        overwrite: false,
        dry_run: false,
    };
    stage.result("import", crate::import::run(desk, &import), Exit::Success);
    stage.command("hashes");
    stage.result("hashes", log::hashes(desk), Exit::Success);
    stage.say(
        "Contact Example gives the old code on the phone; the hash is upgraded as it verifies:",
    );
    stage.command("verify 1707 3523");
    stage.result(
        "legacy verify",
        call::verify(desk, ACCOUNT, CONTACT, &legacy_code, None),
        Exit::Success,
    );
    stage.command("hashes");
    stage.result("hashes", log::hashes(desk), Exit::Success);

    // ---------------------------------------------------------------- the record
    stage.chapter("The audit log and the contact list");
    stage.say("Every change, verification, lock and unlock is logged (never a code):");
    stage.command("audit --limit 12");
    let audit = crate::cli::AuditArgs {
        contact: None,
        since: None,
        until: None,
        kind: None,
        limit: Some(12),
    };
    stage.result("audit", log::audit(desk, &audit), Exit::Success);
    stage.command("contact export --csv");
    let export = crate::cli::ExportArgs {
        csv: true,
        all: false,
        output: None,
    };
    stage.result(
        "export",
        contact::export(desk, ACCOUNT, &export),
        Exit::Success,
    );
    Ok(())
}

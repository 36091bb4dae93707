//! A desk for tests: a temporary store, the real `seccode` binary, cheap Argon2id parameters.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_seccode");

/// The seed's codes (test data).
pub const ACCOUNT_CODE: &str = "velvet tractor orbits quietly";
pub const CONTACT2_CODE: &str = "lanterns drift over basalt";

pub struct Desk {
    pub dir: tempfile::TempDir,
    /// The SQLite file (in SQLite mode).
    pub db: PathBuf,
    /// What `--db` says: the SQLite file, or the URL of this desk's own PostgreSQL database.
    pub place: String,
    /// This desk's database on the test server, dropped with the desk (PostgreSQL mode).
    pub postgres: Option<(String, String)>,
}

/// Whether this run of the command suite is on PostgreSQL (`SECCODE_CLI_TEST_STORE=postgres`,
/// with the server `.ci/with-postgres` starts): every desk gets a database of its own there.
pub fn on_postgres() -> bool {
    std::env::var("SECCODE_CLI_TEST_STORE").is_ok_and(|v| v == "postgres")
}

/// For the few tests about the SQLite file itself: in the PostgreSQL run they say why they do
/// not apply and stop.
pub fn sqlite_only(what: &str) -> bool {
    if on_postgres() {
        eprintln!("not on PostgreSQL: this test is about the SQLite file ({what})");
        return true;
    }
    false
}

fn admin(server: &str) -> postgres::Client {
    postgres::Client::connect(server, postgres::NoTls).expect("connect to the test server")
}

impl Desk {
    /// Everything the store holds, as text: the SQLite file's bytes, or every row of every
    /// table of the PostgreSQL database as JSON. For tests that no code was stored.
    pub fn raw_contents(&self) -> String {
        match &self.postgres {
            None => String::from_utf8_lossy(&std::fs::read(&self.db).unwrap()).into_owned(),
            Some(_) => {
                let mut client = postgres::Client::connect(&self.place, postgres::NoTls).unwrap();
                let tables: Vec<String> = client
                    .query(
                        "SELECT table_name::text FROM information_schema.tables
                         WHERE table_schema = current_schema()",
                        &[],
                    )
                    .unwrap()
                    .iter()
                    .map(|r| r.get(0))
                    .collect();
                let mut all = String::new();
                for table in tables {
                    for row in client
                        .query(&format!("SELECT row_to_json(t)::text FROM {table} t"), &[])
                        .unwrap()
                    {
                        all.push_str(&row.get::<_, String>(0));
                        all.push('\n');
                    }
                }
                all
            }
        }
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.postgres {
            let _ = admin(server)
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

impl Desk {
    /// A new store with cheap hashing parameters.
    pub fn new() -> Desk {
        let desk = Desk::empty();
        desk.run(&[
            "init",
            "--argon2-memory-kib",
            "64",
            "--argon2-iterations",
            "1",
        ])
        .success();
        desk
    }

    /// A directory for a store, nothing created yet.
    pub fn empty() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.db");
        if !on_postgres() {
            let place = db.display().to_string();
            return Desk {
                dir,
                db,
                place,
                postgres: None,
            };
        }
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let server = std::env::var("SECCODE_TEST_POSTGRES_URL")
            .expect("SECCODE_CLI_TEST_STORE=postgres needs SECCODE_TEST_POSTGRES_URL (bash .ci/with-postgres)");
        let name = format!(
            "seccode_cli_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        admin(&server)
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let base = server
            .rsplit_once('/')
            .map_or(server.as_str(), |(b, _)| b)
            .to_owned();
        let place = format!("{base}/{name}");
        Desk {
            dir,
            db,
            place,
            postgres: Some((server, name)),
        }
    }

    /// The binary with this desk's store and a clean environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(BIN);
        clean_env(&mut cmd, self.dir.path());
        cmd.arg("--db").arg(&self.place);
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Assert {
        self.cmd().args(args).write_stdin("").assert()
    }

    /// Run with `stdin` as standard input (a code, a CSV).
    pub fn run_in(&self, args: &[&str], stdin: &str) -> Assert {
        self.cmd().args(args).write_stdin(stdin).assert()
    }

    /// Run with `--json` and parse standard output.
    pub fn json(&self, args: &[&str]) -> Value {
        self.json_in(args, "")
    }

    pub fn json_in(&self, args: &[&str], stdin: &str) -> Value {
        let out = self
            .cmd()
            .arg("--json")
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}\nstderr: {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    /// Start `seccode ARGS` with a piped standard input (for concurrency tests).
    pub fn spawn(&self, args: &[&str]) -> Child {
        let mut cmd = std::process::Command::new(BIN);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .arg("--db")
            .arg(&self.place)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd.spawn().unwrap()
    }

    /// The seed: account 1707 "Any Company", Joe Example (3522, primary), Contact Example
    /// (3523, may see the account-wide code), Contact Example 2 (3526, its own code, Manage
    /// Contacts View and Update).
    pub fn seed(&self) {
        self.run(&[
            "account",
            "create",
            "1707",
            "--name",
            "Any Company",
            "--contact-id",
            "3522",
            "--contact-name",
            "Joe Example",
            "--title",
            "Primary Contact",
            "--phone",
            "000-000-0000",
            "--email",
            "marketing@viviotech.net",
        ])
        .success();
        self.run(&[
            "contact",
            "add",
            "--as",
            "3522",
            "3523",
            "--name",
            "Contact Example",
            "--phone",
            "000-000-0000",
            "--email",
            "marketing@viviotech.net",
        ])
        .success();
        self.run(&[
            "contact",
            "add",
            "--as",
            "3522",
            "3526",
            "--name",
            "Contact Example 2",
        ])
        .success();
        self.run_in(&["code", "set-account", "--as", "3522"], ACCOUNT_CODE)
            .success();
        self.run(&[
            "perm", "set", "--as", "3522", "3523", "Profile", "view", "allow",
        ])
        .success();
        self.run(&[
            "perm",
            "set",
            "--as",
            "3522",
            "3526",
            "Manage Contacts",
            "view",
            "allow",
        ])
        .success();
        self.run(&[
            "perm",
            "set",
            "--as",
            "3522",
            "3526",
            "Manage Contacts",
            "update",
            "allow",
        ])
        .success();
        self.run_in(
            &["code", "set-contact", "--as", "3522", "3526"],
            CONTACT2_CODE,
        )
        .success();
    }

    /// A contact's failed-attempt count and whether it is locked.
    pub fn lock_of(&self, contact: u64) -> (u64, bool) {
        let list = self.json(&["contact", "list", "--all"]);
        let c = list["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == contact)
            .unwrap_or_else(|| panic!("no contact {contact} in {list}"));
        (
            c["failed_attempts"].as_u64().unwrap(),
            c["locked"].as_bool().unwrap(),
        )
    }

    /// How many audit events of a kind.
    pub fn count_events(&self, kind: &str) -> usize {
        self.json(&["audit", "--kind", kind])["events"]
            .as_array()
            .unwrap()
            .len()
    }
}

/// No SECCODE_* from the caller's environment, and a home directory inside the test's.
pub fn clean_env(cmd: &mut Command, home: &Path) {
    for var in [
        "SECCODE_DB",
        "SECCODE_ACCOUNT",
        "SECCODE_VERIFICATION",
        "SECCODE_PEPPER",
        "SECCODE_SEAL_KEY",
        "SECCODE_AGENT",
        "XDG_DATA_HOME",
        "APPDATA",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home);
}

/// Write `text` to a child's standard input and close it.
pub fn feed(child: &mut Child, text: &str) {
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(text.as_bytes()).unwrap();
}

/// Text of an assert's standard output / error.
pub fn stdout_of(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

pub fn stderr_of(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

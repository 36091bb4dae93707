//! Where a conformance test keeps its store: a SQLite file in a temporary directory, or a
//! fresh database on the test PostgreSQL server (dropped when the test ends).
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

pub enum Place {
    /// A SQLite file in a directory removed on drop.
    Sqlite(tempfile::TempDir),
    /// A database of its own on the test server: (server URL, database URL, database name).
    Postgres {
        server: String,
        url: String,
        name: String,
    },
}

/// The test PostgreSQL server's URL, if one was started for this run.
pub fn server_url() -> Option<String> {
    std::env::var("SECCODE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// No server: under CI that is a failure, never a skip; elsewhere say how to run them.
pub fn no_server() {
    if std::env::var_os("CI").is_some() {
        panic!(
            "SECCODE_TEST_POSTGRES_URL is not set: under CI the PostgreSQL tests must run \
             (bash .ci/with-postgres cargo test)"
        );
    }
    eprintln!(
        "skipped: no PostgreSQL server for this run; `bash .ci/with-postgres cargo test -p \
         seccode-store` starts one"
    );
}

fn admin(server: &str) -> postgres::Client {
    postgres::Client::connect(server, postgres::NoTls).expect("connect to the test server")
}

impl Place {
    pub fn sqlite() -> Place {
        Place::Sqlite(tempfile::tempdir().unwrap())
    }

    /// A fresh database, or `None` (after [`no_server`]) when no server runs.
    pub fn postgres() -> Option<Place> {
        let Some(server) = server_url() else {
            no_server();
            return None;
        };
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "seccode_t_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        admin(&server)
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Some(Place::Postgres { server, url, name })
    }

    /// What `AnyStore::open` takes.
    pub fn spec(&self) -> String {
        match self {
            Place::Sqlite(dir) => dir.path().join("seccode.db").display().to_string(),
            Place::Postgres { url, .. } => url.clone(),
        }
    }

    /// `sqlite` or `postgres`: the test module's name.
    pub fn kind(&self) -> &'static str {
        match self {
            Place::Sqlite(_) => "sqlite",
            Place::Postgres { .. } => "postgres",
        }
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Place::Postgres { server, name, .. } = self {
            let _ = admin(server)
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

//! `init`, `config`, `check`.

use seccode::Engine;
use seccode_store::{Store, StoreConfig};
use serde_json::json;

use crate::cli::{ConfigArgs, Global};
use crate::desk::{Desk, db_place, store_exists};
use crate::error::{CliError, Exit};
use crate::output::Report;

/// `seccode init`: create the store (or open an existing one), then apply the given settings.
pub(crate) fn init(global: &Global, args: &ConfigArgs) -> Result<Report, CliError> {
    let place = db_place(global)?;
    let file_existed = store_exists(&place);
    let mut desk = Desk::open_at(&place, global)?;
    let existed = match &desk.store {
        seccode_store::AnyStore::Postgres(pg) => !pg.created(),
        seccode_store::AnyStore::Sqlite(_) => file_existed,
    };
    let version = desk.store.schema_version()?;
    let location = desk.store.location();
    if !args.is_empty() {
        apply(&mut desk, args)?;
    }
    let headline = if existed {
        format!("Store ready: {location} (schema version {version})")
    } else {
        format!("Store created: {location} (schema version {version})")
    };
    let text = format!("{headline}\n{}", describe(&desk));
    Ok(Report::new(
        text,
        json!({
            "store": location,
            "backend": desk.store.kind(),
            "created": !existed,
            "schema_version": version,
            "config": desk.config,
            "pepper": desk.engine_config(&desk.config).verifier.pepper.as_ref().map(|p| p.key_id().to_owned()),
        }),
    ))
}

/// `seccode config`: show, or change then show.
pub(crate) fn config(desk: &mut Desk, args: &ConfigArgs) -> Result<Report, CliError> {
    let changed = !args.is_empty();
    if changed {
        apply(desk, args)?;
    }
    let mut text = String::new();
    if changed {
        text.push_str(
            "Configuration updated. Codes hashed before keep their parameters until their next \
             successful verification (see `seccode hashes`).\n",
        );
    }
    text.push_str(&describe(desk));
    Ok(Report::new(
        text,
        json!({
            "store": desk.store.location(),
            "config": desk.config,
            "changed": changed,
        }),
    ))
}

fn apply(desk: &mut Desk, args: &ConfigArgs) -> Result<(), CliError> {
    let mut next: StoreConfig = desk.config.clone();
    // The key id of the pepper this desk hashes with, so every process sees which key the
    // store needs (never the pepper).
    next.pepper_key_id = desk.pepper_key_id();
    if let Some(m) = args.argon2_memory_kib {
        next.params.m_kib = m;
    }
    if let Some(t) = args.argon2_iterations {
        next.params.t = t;
    }
    if let Some(p) = args.argon2_parallelism {
        next.params.p = p;
    }
    if let Some(n) = args.max_failures {
        next.lockout.max_failures = n;
    }
    if let Some(minutes) = args.lock_minutes {
        next.lockout.duration_secs = minutes.saturating_mul(60);
    }
    if let Some(seconds) = args.lock_seconds {
        next.lockout.duration_secs = seconds;
    }
    // The core judges the configuration (parameters, ceilings, lockout).
    Engine::new(desk.engine_config(&next))?;
    desk.store.set_config(&next)?;
    desk.config = next;
    Ok(())
}

fn duration(seconds: i64) -> String {
    if seconds % 3600 == 0 {
        crate::output::plural(
            usize::try_from(seconds / 3600).unwrap_or(0),
            "hour",
            "hours",
        )
    } else if seconds % 60 == 0 {
        crate::output::plural(
            usize::try_from(seconds / 60).unwrap_or(0),
            "minute",
            "minutes",
        )
    } else {
        crate::output::plural(usize::try_from(seconds).unwrap_or(0), "second", "seconds")
    }
}

fn describe(desk: &Desk) -> String {
    let c = &desk.config;
    let pepper = match &desk.engine_config(c).verifier.pepper {
        Some(p) => format!("key id `{}` (from --pepper)", p.key_id()),
        None => "none (give one with --pepper ID=FILE)".to_owned(),
    };
    format!(
        "Store:      {}\n\
         New hashes: Argon2id m={} KiB, t={}, p={}\n\
         Lockout:    {} consecutive failed verifications lock a contact for {}\n\
         Pepper:     {pepper}\n",
        desk.store.location(),
        c.params.m_kib,
        c.params.t,
        c.params.p,
        c.lockout.max_failures,
        duration(c.lockout.duration_secs),
    )
}

/// `seccode check`: the whole store, read and judged.
pub(crate) fn check(desk: &mut Desk) -> Result<Report, CliError> {
    let (store, engine) = desk.parts()?;
    let report = store.check(engine)?;
    let mut text = format!(
        "Store {}: schema version {}, {}, {}.\n",
        desk.store.location(),
        report.schema_version,
        crate::output::plural(report.accounts, "account", "accounts"),
        crate::output::plural(
            usize::try_from(report.audit_events).unwrap_or(usize::MAX),
            "audit event",
            "audit events"
        ),
    );
    let exit = if report.problems.is_empty() {
        text.push_str("No problems found.\n");
        Exit::Success
    } else {
        text.push_str(&format!("{} problems:\n", report.problems.len()));
        for p in &report.problems {
            text.push_str(&format!("  - {p}\n"));
        }
        Exit::Internal
    };
    Ok(Report::new(text, json!(report)).exit(exit))
}

//! `serve` (the verification service of `seccode-server`) and `key` (its API keys).

use std::path::PathBuf;
use std::time::Duration;

use seccode_server::{KeyError, KeyRing, Role, ServerError, ServiceOptions, Tls};
use seccode_store::is_postgres_url;
use serde_json::json;

use crate::cli::{Global, KeyCommand, ServeArgs};
use crate::desk::{db_place, read_pepper};
use crate::error::CliError;
use crate::output::Report;
use crate::suggest::parse_or_suggest;

/// The key file: `--keys`, else `<store>.keys.json` beside a SQLite store.
fn keys_path(global: &Global, given: Option<&PathBuf>) -> Result<PathBuf, CliError> {
    if let Some(path) = given {
        return Ok(path.clone());
    }
    let place = db_place(global)?;
    if is_postgres_url(&place) {
        return Err(CliError::bad_input(
            "keys_required",
            "a PostgreSQL store has no directory of its own: give the key file with --keys PATH",
        ));
    }
    Ok(PathBuf::from(format!("{place}.keys.json")))
}

/// A key file's error as the command line reports it.
pub(crate) fn key_error(e: KeyError) -> CliError {
    match e {
        KeyError::UnknownKey(_) | KeyError::InvalidRole(_) => {
            CliError::bad_input("key", e.to_string())
        }
        other => CliError::internal("key_file", other.to_string()),
    }
}

/// The options every `serve` takes from its flags, whatever the store.
pub(crate) fn tune(options: &mut ServiceOptions, args: &ServeArgs) {
    if let Some(n) = args.argon2_concurrency {
        options.argon2_concurrency = n;
    }
    options.argon2_wait = Duration::from_millis(args.argon2_wait_ms);
    options.request_timeout = Duration::from_secs(args.request_timeout.max(1));
}

/// The service's error as the command line reports it.
pub(crate) fn server_error(e: ServerError) -> CliError {
    match e {
        ServerError::Store(e) => CliError::from(e),
        ServerError::Core(e) => CliError::from(e),
        ServerError::Keys(e) => key_error(e),
        ServerError::Tls(e) => CliError::bad_input("tls", e.to_string()),
        other => CliError::internal("serve", other.to_string()),
    }
}

/// `serve`: run until ctrl-c or SIGTERM (with `--demo`, on a new temporary store).
pub(crate) fn serve(global: &Global, args: &ServeArgs) -> Result<Report, CliError> {
    // Checked first: a bad certificate or key stops the start before the store is opened.
    // clap makes sure both flags or neither are given.
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(
            Tls::from_pem_files(cert, key)
                .map_err(|e| CliError::bad_input("tls", e.to_string()))?,
        ),
        _ => None,
    };
    if args.demo {
        return crate::serve_demo::serve(global, args, tls);
    }
    let place = db_place(global)?;
    let mut options = ServiceOptions::new(place, keys_path(global, args.keys.as_ref())?);
    options.sealer = global
        .seal_key
        .as_deref()
        .map(crate::desk::read_sealer)
        .transpose()?;
    options.pepper = global.pepper.as_deref().map(read_pepper).transpose()?;
    options.retired_peppers = global
        .retired_peppers
        .iter()
        .map(|s| read_pepper(s))
        .collect::<Result<Vec<_>, _>>()?;
    tune(&mut options, args);
    let served = match tls {
        Some(tls) => seccode_server::run_tls(options, args.listen, tls),
        None => seccode_server::run(options, args.listen),
    };
    served.map_err(server_error)?;
    Ok(Report::new(
        "seccode serve: stopped\n".to_owned(),
        json!({ "stopped": true }),
    ))
}

/// `key create | revoke | list`.
pub(crate) fn key(global: &Global, command: KeyCommand) -> Result<Report, CliError> {
    match command {
        KeyCommand::Create { role, name, keys } => {
            let roles = Role::ALL.map(Role::as_str);
            let role = parse_or_suggest("role", &role, &roles, str::parse::<Role>)?;
            let ring = KeyRing::new(keys_path(global, keys.as_ref())?);
            let (info, key) = ring.create(role, &name).map_err(key_error)?;
            Ok(Report::new(
                format!(
                    "Key {} ({}) created. It is shown this once; keep it secret:\n{}\n",
                    info.id,
                    info.role,
                    key.expose_secret()
                ),
                json!({ "id": info.id, "role": info.role, "name": info.name,
                        "key": key.expose_secret() }),
            ))
        }
        KeyCommand::Revoke { id, keys } => {
            let ring = KeyRing::new(keys_path(global, keys.as_ref())?);
            let info = ring.revoke(&id).map_err(key_error)?;
            Ok(Report::new(
                format!("Key {} revoked.\n", info.id),
                json!({ "id": info.id, "revoked": true }),
            ))
        }
        KeyCommand::List { keys } => {
            let ring = KeyRing::new(keys_path(global, keys.as_ref())?);
            let list = ring.list().map_err(key_error)?;
            let mut text = String::new();
            for k in &list {
                let state = if k.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                text.push_str(&format!(
                    "{}  {:<6}  {:<7}  {}\n",
                    k.id, k.role, state, k.name
                ));
            }
            if list.is_empty() {
                text.push_str("No keys.\n");
            }
            Ok(Report::new(text, json!({ "keys": list })))
        }
    }
}

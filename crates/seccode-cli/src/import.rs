//! `import`: legacy "Phone/Chat Code" data from CSV.
//!
//! The file has a header row. Columns are found by name (case, spaces and punctuation do not
//! count; other columns are ignored):
//!
//! | column | names accepted | content |
//! | --- | --- | --- |
//! | account | `account`, `account id`, `client id` | the account id (required) |
//! | contact | `contact`, `contact id` | the contact id; empty: the account-wide code |
//! | code | `code`, `security code`, `phone/chat code` | the plaintext code, taken as is |
//! | hash | `hash`, `phc` | instead of a code: a legacy Argon2id PHC string |
//!
//! Plaintext codes are hashed on every core in parallel (the core's `prepare_import`: the
//! current parameters, bound to their account or contact, no policy applied: legacy codes are
//! migrated, not refused) with a progress bar on a terminal. This happens **before** the store
//! is locked; then one short transaction stores every good row through the core's
//! `import_prepared` and `import_legacy_hash` (which refuses a hash over the ceilings), so a kill while hashing writes
//! nothing and the desk keeps verifying meanwhile. Bad rows are reported by line number and
//! never echo a code; the good rows are committed. A row for a code that is already set is
//! refused unless `--overwrite`.

use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Read};
use std::sync::atomic::{AtomicUsize, Ordering};

use seccode::{Account, AccountId, ContactId, Engine, PreparedImport, SecurityCode};
use seccode_store::{Store, StoreError, StoreTx};
use serde_json::json;
use zeroize::Zeroizing;

use crate::cli::{ImportArgs, parse_id};
use crate::desk::Desk;
use crate::error::{CliError, Exit};
use crate::output::{Report, plural};

/// What a row brings.
enum Secret {
    Code(SecurityCode),
    Hash(String),
}

struct Row {
    line: u64,
    account: AccountId,
    target: Option<ContactId>,
    secret: Secret,
}

/// A refused row.
#[derive(Debug, Clone, serde::Serialize)]
struct Refused {
    line: u64,
    error: String,
}

fn refuse(refused: &mut Vec<Refused>, line: u64, error: impl Into<String>) {
    refused.push(Refused {
        line,
        error: error.into(),
    });
}

fn slot_name(account: AccountId, target: Option<ContactId>) -> String {
    match target {
        None => format!("the account-wide code of account {account}"),
        Some(c) => format!("the code of contact {c} of account {account}"),
    }
}

/// Column positions found in the header.
struct Columns {
    account: usize,
    contact: Option<usize>,
    code: Option<usize>,
    hash: Option<usize>,
    width: usize,
    ignored: Vec<String>,
}

/// A column name with case, spaces and punctuation dropped (`Phone/Chat Code` → `phonechatcode`).
pub(crate) fn simplify(name: &[u8]) -> String {
    String::from_utf8_lossy(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn columns(header: &csv::ByteRecord) -> Result<Columns, CliError> {
    let mut account = None;
    let mut contact = None;
    let mut code = None;
    let mut hash = None;
    let mut ignored = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let simple = simplify(name);
        let slot = match simple.as_str() {
            "account" | "accountid" | "clientid" | "client" => &mut account,
            "contact" | "contactid" => &mut contact,
            "code" | "securitycode" | "phonechatcode" | "chatcode" | "phonecode" => &mut code,
            "hash" | "phc" | "codehash" | "securitycodehash" => &mut hash,
            _ => {
                ignored.push(String::from_utf8_lossy(name).into_owned());
                continue;
            }
        };
        if slot.is_some() {
            return Err(CliError::bad_input(
                "malformed_csv",
                format!("malformed CSV: two columns mean `{simple}`"),
            ));
        }
        *slot = Some(i);
    }
    let account = account.ok_or_else(|| {
        CliError::bad_input(
            "malformed_csv",
            "malformed CSV: the header row has no `account` column (expected e.g. \
             `account,contact,code`)",
        )
    })?;
    if code.is_none() && hash.is_none() {
        return Err(CliError::bad_input(
            "malformed_csv",
            "malformed CSV: the header row has no `code` (or `Phone/Chat Code`) or `hash` column",
        ));
    }
    Ok(Columns {
        account,
        contact,
        code,
        hash,
        width: header.len(),
        ignored,
    })
}

fn field(record: &csv::ByteRecord, at: Option<usize>) -> &[u8] {
    at.and_then(|i| record.get(i)).unwrap_or_default()
}

fn id_field(bytes: &[u8]) -> Option<u64> {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|s| parse_id(s).ok())
}

/// Read the whole input (`-`: standard input) into a buffer wiped on drop, sized up front for
/// a file.
pub(crate) fn read_input(path: &std::path::Path) -> Result<Zeroizing<Vec<u8>>, CliError> {
    let what = format!("reading `{}`", path.display());
    if path.as_os_str() == "-" {
        let mut buf = Zeroizing::new(Vec::new());
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| CliError::io(&what, &e))?;
        return Ok(buf);
    }
    let mut file = std::fs::File::open(path).map_err(|e| {
        CliError::bad_input(
            "unreadable_file",
            format!("cannot open `{}`: {e}", path.display()),
        )
    })?;
    let size = file
        .metadata()
        .map(|m| usize::try_from(m.len()).unwrap_or(0))
        .unwrap_or(0);
    let mut buf = Zeroizing::new(Vec::with_capacity(size.saturating_add(1)));
    file.read_to_end(&mut buf)
        .map_err(|e| CliError::io(&what, &e))?;
    Ok(buf)
}

/// Parse every row; bad rows go to `refused`.
fn parse(bytes: &[u8], refused: &mut Vec<Refused>) -> Result<(Vec<Row>, Vec<String>), CliError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let header = reader
        .byte_headers()
        .map_err(|e| {
            CliError::bad_input(
                "malformed_csv",
                format!("malformed CSV header: {}", csv_problem(&e)),
            )
        })?
        .clone();
    if header.is_empty() {
        return Err(CliError::bad_input(
            "malformed_csv",
            "malformed CSV: the file is empty (expected a header row such as `account,contact,code`)",
        ));
    }
    let cols = columns(&header)?;
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                refuse(refused, line, format!("malformed CSV: {}", csv_problem(&e)));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        if record.len() != cols.width {
            refuse(
                refused,
                line,
                format!("expected {} fields, found {}", cols.width, record.len()),
            );
            continue;
        }
        let Some(account) = id_field(trim(field(&record, Some(cols.account)))) else {
            refuse(refused, line, "the account column is not an id");
            continue;
        };
        let contact_bytes = trim(field(&record, cols.contact));
        let target = if contact_bytes.is_empty() {
            None
        } else if let Some(c) = id_field(contact_bytes) {
            Some(ContactId(c))
        } else {
            refuse(refused, line, "the contact column is not an id");
            continue;
        };
        let code = field(&record, cols.code);
        let hash = trim(field(&record, cols.hash));
        let secret = match (code.is_empty(), hash.is_empty()) {
            (true, true) => {
                refuse(refused, line, "no code");
                continue;
            }
            (false, false) => {
                refuse(refused, line, "both a code and a hash: give one");
                continue;
            }
            (false, true) if code.iter().any(|b| *b == b'\n' || *b == b'\r') => {
                refuse(
                    refused,
                    line,
                    "the code spans several lines (an unterminated quote?)",
                );
                continue;
            }
            (false, true) => match SecurityCode::from_utf8(code) {
                Ok(code) => Secret::Code(code),
                Err(e) => {
                    refuse(refused, line, e.to_string());
                    continue;
                }
            },
            (true, false) => match std::str::from_utf8(hash) {
                Ok(h) => Secret::Hash(h.to_owned()),
                Err(_) => {
                    refuse(refused, line, "the hash is not valid UTF-8");
                    continue;
                }
            },
        };
        rows.push(Row {
            line,
            account: AccountId(account),
            target,
            secret,
        });
    }
    // The reader's own buffer held plaintext too: overwrite the record before it is freed.
    record.clear();
    Ok((rows, cols.ignored))
}

fn trim(bytes: &[u8]) -> &[u8] {
    bytes.trim_ascii()
}

/// A csv error in words that never quote a field.
pub(crate) fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => format!("read error: {io}"),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_owned(),
        _ => "unreadable record".to_owned(),
    }
}

/// Whether a slot already holds a code.
/// Hash the plaintext codes on every core, with no transaction open: each worker asks the
/// core to prepare the import (`Account::prepare_import`, which changes nothing).
fn hash_all(
    engine: &Engine,
    bases: &HashMap<AccountId, Account>,
    jobs: &[&Row],
    show_progress: bool,
) -> Vec<Option<seccode::Result<PreparedImport>>> {
    let bar = if show_progress {
        let bar = indicatif::ProgressBar::new(u64::try_from(jobs.len()).unwrap_or(u64::MAX));
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "hashing {pos}/{len} codes [{bar:40}] {elapsed} elapsed, {eta} left",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(jobs.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<seccode::Result<PreparedImport>>> = Vec::new();
    results.resize_with(jobs.len(), || None);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let bar = bar.clone();
                let next = &next;
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        let Secret::Code(code) = &job.secret else {
                            continue;
                        };
                        let Some(account) = bases.get(&job.account) else {
                            continue;
                        };
                        let result = account.prepare_import(engine, job.target, code);
                        done.push((i, result));
                        bar.inc(1);
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            if let Ok(done) = handle.join() {
                for (i, result) in done {
                    if let Some(slot) = results.get_mut(i) {
                        *slot = Some(result);
                    }
                }
            }
        }
    });
    bar.finish_and_clear();
    results
}

/// `seccode import FILE`.
pub(crate) fn run(desk: &mut Desk, args: &ImportArgs) -> Result<Report, CliError> {
    let input = read_input(&args.file)?;
    let mut refused = Vec::new();
    let (rows, ignored) = parse(&input, &mut refused)?;
    drop(input);

    // Check every row against a snapshot of its account.
    let mut bases: HashMap<AccountId, Account> = HashMap::new();
    let mut probes: HashMap<AccountId, Account> = HashMap::new();
    let mut unknown: Vec<AccountId> = Vec::new();
    let mut seen: HashMap<(AccountId, Option<ContactId>), u64> = HashMap::new();
    let mut good: Vec<Row> = Vec::new();
    for row in rows {
        if !bases.contains_key(&row.account) && !unknown.contains(&row.account) {
            match desk.load(row.account) {
                Ok(account) => {
                    bases.insert(row.account, account);
                }
                Err(e) if e.kind == "unknown_account" => unknown.push(row.account),
                Err(e) => return Err(e),
            }
        }
        let Some(account) = bases.get(&row.account) else {
            refuse(
                &mut refused,
                row.line,
                format!("unknown account `{}`", row.account),
            );
            continue;
        };
        if let Some(c) = row.target
            && account.contact(c).is_err()
        {
            refuse(
                &mut refused,
                row.line,
                format!("account {} has no contact `{c}`", row.account),
            );
            continue;
        }
        if let Some(first) = seen.get(&(row.account, row.target)) {
            refuse(
                &mut refused,
                row.line,
                format!(
                    "repeats {} (line {first})",
                    slot_name(row.account, row.target)
                ),
            );
            continue;
        }
        seen.insert((row.account, row.target), row.line);
        if !args.overwrite && account.code_is_set(row.target)? {
            refuse(
                &mut refused,
                row.line,
                format!(
                    "{} is already set (--overwrite replaces it)",
                    slot_name(row.account, row.target)
                ),
            );
            continue;
        }
        if let Secret::Hash(phc) = &row.secret {
            // The core judges the hash now (it parses it and checks it against the ceilings),
            // on a scratch copy.
            let engine = desk.engine()?;
            let probe = probes.entry(row.account).or_insert_with(|| account.clone());
            if let Err(e) = probe.import_legacy_hash(engine, row.target, phc, true) {
                refuse(&mut refused, row.line, e.to_string());
                continue;
            }
        }
        good.push(row);
    }

    let imported = if args.dry_run || good.is_empty() {
        0
    } else {
        store_rows(desk, args, &bases, &good, &mut refused)?
    };
    refused.sort_by_key(|r| r.line);
    Ok(report(args, &good, imported, &refused, &ignored))
}

/// Hash (outside any transaction), then store every good row in one transaction.
fn store_rows(
    desk: &mut Desk,
    args: &ImportArgs,
    bases: &HashMap<AccountId, Account>,
    good: &[Row],
    refused: &mut Vec<Refused>,
) -> Result<usize, CliError> {
    let agent = desk.agent().cloned();
    let (store, engine) = desk.parts()?;
    let jobs: Vec<&Row> = good
        .iter()
        .filter(|r| matches!(r.secret, Secret::Code(_)))
        .collect();
    let show = std::io::stderr().is_terminal() && jobs.len() > 1;
    let hashed = hash_all(engine, bases, &jobs, show);

    let mut ready: BTreeMap<AccountId, Vec<(&Row, Option<PreparedImport>)>> = BTreeMap::new();
    for (job, result) in jobs.iter().zip(hashed) {
        match result {
            Some(Ok(p)) => ready.entry(job.account).or_default().push((job, Some(p))),
            Some(Err(e)) => refuse(refused, job.line, e.to_string()),
            None => refuse(refused, job.line, "internal error while hashing"),
        }
    }
    for row in good.iter().filter(|r| matches!(r.secret, Secret::Hash(_))) {
        ready.entry(row.account).or_default().push((row, None));
    }

    // Everything is stored by the core's import operations, in one transaction.
    let mut imported = 0usize;
    let mut tx = store.begin()?;
    for (id, entries) in ready {
        let Some(record) = tx.load_for_update(id)? else {
            for (row, _) in entries {
                refuse(
                    refused,
                    row.line,
                    format!("account `{id}` was deleted meanwhile"),
                );
            }
            continue;
        };
        let mut account = Account::from_record(record).map_err(|source| StoreError::Data {
            account: id,
            source,
        })?;
        account.set_agent(agent.clone());
        for (row, prepared) in entries {
            let done = match (prepared, &row.secret) {
                (Some(prepared), _) => account.import_prepared(engine, prepared, args.overwrite),
                (None, Secret::Hash(phc)) => {
                    account.import_legacy_hash(engine, row.target, phc, args.overwrite)
                }
                (None, Secret::Code(_)) => continue,
            };
            match done {
                Ok(()) => imported += 1,
                Err(seccode::Error::AlreadySet(_)) => refuse(
                    refused,
                    row.line,
                    format!("{} was set meanwhile", slot_name(row.account, row.target)),
                ),
                Err(e) => refuse(refused, row.line, e.to_string()),
            }
        }
        let events = account.drain_audit();
        tx.save_account(&account.to_record())?;
        tx.append_audit(&events)?;
    }
    tx.commit()?;
    Ok(imported)
}

fn report(
    args: &ImportArgs,
    good: &[Row],
    imported: usize,
    refused: &[Refused],
    ignored: &[String],
) -> Report {
    let mut text = if args.dry_run {
        format!(
            "Dry run: {} would be imported, {} refused. Nothing was hashed or stored.\n",
            plural(good.len(), "row", "rows"),
            plural(refused.len(), "row", "rows")
        )
    } else {
        format!(
            "Imported {}; {} refused.\n",
            plural(imported, "code", "codes"),
            plural(refused.len(), "row", "rows")
        )
    };
    for r in refused {
        text.push_str(&format!("  line {}: {}\n", r.line, r.error));
    }
    if !ignored.is_empty() {
        text.push_str(&format!("Ignored columns: {}\n", ignored.join(", ")));
    }
    if !args.dry_run && imported > 0 {
        text.push_str(
            "`seccode audit --kind code_imported` lists them; `seccode hashes` shows those \
             that upgrade at their next verification.\n",
        );
    }
    let exit = if refused.is_empty() {
        Exit::Success
    } else {
        Exit::BadInput
    };
    Report::new(
        text,
        json!({
            "dry_run": args.dry_run,
            "imported": imported,
            "would_import": if args.dry_run { good.len() } else { 0 },
            "refused": refused,
            "ignored_columns": ignored,
        }),
    )
    .exit(exit)
}

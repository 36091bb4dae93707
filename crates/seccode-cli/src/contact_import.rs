//! `contact import ACCOUNT FILE`: contacts in bulk from CSV, all of them or none.
//!
//! The first row names the columns (case, spaces and punctuation do not count): `name`
//! (required), `id` (empty, or no such column: the next free id), `title`, `phone`, `email`,
//! and the flags `audit account`, `poc`, `tech`, `abuse` (`yes`/`no`, `true`/`false`, `1`/`0`,
//! empty: no): what `contact add` takes. Any other column is refused, so that a misspelt
//! column never drops its data silently.
//!
//! Every row is checked first: its fields (through the core's own checks of a contact's
//! details), its id against the account and the earlier rows, and whether it repeats a contact
//! (the same name, email and phone as one already in the account or an earlier row: running
//! the same file twice must not add everyone twice). One bad row and nothing is written; the
//! refusals name the line and the column. Otherwise the core adds every contact (the acting
//! contact needs `Manage Contacts / Create`, and each addition is audited) in **one** store
//! transaction.

use std::collections::HashMap;

use seccode::{Account, AccountId, ContactDetails, ContactId};
use serde_json::json;

use crate::cli::{ContactImportArgs, parse_id};
use crate::desk::{Desk, actor};
use crate::error::CliError;
use crate::import::{csv_problem, read_input, simplify};
use crate::output::{Report, plural};

/// The columns a contact file may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Name,
    Title,
    Phone,
    Email,
    AuditAccount,
    Poc,
    Tech,
    Abuse,
}

/// The accepted column names, for messages.
const ACCEPTED: &str = "id, name, title, phone, email, audit account, poc, tech, abuse";

/// Refusals listed in the text (all of them are in `--json`).
const SHOWN: usize = 20;

impl Column {
    fn of(simple: &str) -> Option<Column> {
        Some(match simple {
            "id" | "contactid" | "contact" => Column::Id,
            "name" | "contactname" => Column::Name,
            "title" => Column::Title,
            "phone" | "phonenumber" => Column::Phone,
            "email" | "emailaddress" => Column::Email,
            "auditaccount" => Column::AuditAccount,
            "poc" | "rwhoispoc" => Column::Poc,
            "tech" | "rwhoistech" => Column::Tech,
            "abuse" | "rwhoisabuse" => Column::Abuse,
            _ => return None,
        })
    }

    /// The column the core's details check names (`contact email` → `Email`).
    fn of_field(field: &str) -> Option<Column> {
        Column::of(field.strip_prefix("contact ").unwrap_or(field))
    }
}

/// A refused row: its line, the column at fault if one is, and why.
#[derive(Debug, serde::Serialize)]
struct Refused {
    line: u64,
    column: Option<String>,
    error: String,
}

impl Refused {
    fn text(&self) -> String {
        match &self.column {
            Some(c) => format!("line {}, column `{c}`: {}", self.line, self.error),
            None => format!("line {}: {}", self.line, self.error),
        }
    }
}

/// A row that parsed.
struct Row {
    line: u64,
    id: Option<ContactId>,
    details: ContactDetails,
}

/// The header: which column each position holds, and the names as the file spells them.
struct Header {
    columns: Vec<Column>,
    names: Vec<String>,
}

impl Header {
    fn name(&self, column: Column) -> Option<String> {
        self.columns
            .iter()
            .position(|c| *c == column)
            .and_then(|i| self.names.get(i).cloned())
    }
}

fn malformed(message: impl Into<String>) -> CliError {
    CliError::bad_input("malformed_csv", message)
}

fn header(record: &csv::StringRecord) -> Result<Header, CliError> {
    let mut columns = Vec::new();
    let mut names = Vec::new();
    let mut unknown = Vec::new();
    for name in record {
        let simple = simplify(name.as_bytes());
        match Column::of(&simple) {
            Some(column) if columns.contains(&column) => {
                return Err(malformed(format!(
                    "malformed CSV: two columns mean `{simple}`"
                )));
            }
            Some(column) => {
                columns.push(column);
                names.push(name.trim().to_owned());
            }
            None => unknown.push(format!("`{}`", name.trim())),
        }
    }
    if !unknown.is_empty() {
        return Err(malformed(format!(
            "unknown column{} {} in the header row (the first row names the columns: {ACCEPTED})",
            if unknown.len() == 1 { "" } else { "s" },
            unknown.join(", ")
        )));
    }
    if !columns.contains(&Column::Name) {
        return Err(malformed(format!(
            "the header row has no `name` column (the first row names the columns: {ACCEPTED})"
        )));
    }
    Ok(Header { columns, names })
}

fn flag(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => Some(false),
        "yes" | "y" | "true" | "1" | "x" => Some(true),
        _ => None,
    }
}

/// One data row, or why it is refused.
fn row(header: &Header, record: &csv::StringRecord, line: u64) -> Result<Row, Refused> {
    let refuse = |column: Option<String>, error: String| Refused {
        line,
        column,
        error,
    };
    if record.len() != header.columns.len() {
        return Err(refuse(
            None,
            format!(
                "expected {} fields, found {}",
                header.columns.len(),
                record.len()
            ),
        ));
    }
    let mut id = None;
    let mut details = ContactDetails::default();
    for ((column, name), value) in header.columns.iter().zip(&header.names).zip(record) {
        let value = value.trim();
        let set = |slot: &mut bool| match flag(value) {
            Some(v) => {
                *slot = v;
                Ok(())
            }
            None => Err(refuse(
                Some(name.clone()),
                format!("`{value}` is not yes or no"),
            )),
        };
        match column {
            Column::Id if value.is_empty() => {}
            Column::Id => {
                id = Some(ContactId(
                    parse_id(value).map_err(|e| refuse(Some(name.clone()), e))?,
                ));
            }
            Column::Name => value.clone_into(&mut details.name),
            Column::Title => value.clone_into(&mut details.title),
            Column::Phone => value.clone_into(&mut details.phone),
            Column::Email => value.clone_into(&mut details.email),
            Column::AuditAccount => set(&mut details.audit_account)?,
            Column::Poc => set(&mut details.rwhois.poc)?,
            Column::Tech => set(&mut details.rwhois.tech)?,
            Column::Abuse => set(&mut details.rwhois.abuse)?,
        }
    }
    // The core's own checks of a contact's details, named by the column at fault.
    if let Err(e) = details.validate() {
        let column = match &e {
            seccode::Error::InvalidInput { field, .. }
            | seccode::Error::InputTooLong { field, .. } => {
                Column::of_field(field).and_then(|c| header.name(c))
            }
            _ => None,
        };
        return Err(refuse(column, e.to_string()));
    }
    Ok(Row { line, id, details })
}

/// Read the file: its header and rows, and the rows refused on their own.
fn parse(bytes: &[u8]) -> Result<(Header, Vec<Row>, Vec<Refused>), CliError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let first = reader
        .headers()
        .map_err(|e| malformed(format!("malformed CSV header: {}", csv_problem(&e))))?
        .clone();
    if first.is_empty() || first.iter().all(str::is_empty) {
        return Err(malformed(format!(
            "malformed CSV: no header row (the first row names the columns: {ACCEPTED})"
        )));
    }
    let header = header(&first)?;
    let mut rows = Vec::new();
    let mut refused = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, csv::Position::line);
                match row(&header, &record, line) {
                    Ok(r) => rows.push(r),
                    Err(r) => refused.push(r),
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                let io = matches!(e.kind(), csv::ErrorKind::Io(_));
                refused.push(Refused {
                    line,
                    column: None,
                    error: format!("malformed CSV: {}", csv_problem(&e)),
                });
                if io {
                    break;
                }
            }
        }
    }
    Ok((header, rows, refused))
}

/// What makes two contacts the same person here: name, email and phone (case aside).
fn person(details: &ContactDetails) -> (String, String, String) {
    (
        details.name.trim().to_lowercase(),
        details.email.trim().to_lowercase(),
        details.phone.trim().to_owned(),
    )
}

/// Give every row its id and refuse repeated ids and repeated contacts, against the account as
/// locked for the change.
fn plan(
    account: &Account,
    rows: Vec<Row>,
    header: &Header,
    refused: &mut Vec<Refused>,
) -> Vec<(ContactId, Row)> {
    let id_column = header.name(Column::Id);
    let name_column = header.name(Column::Name);
    // Who holds an id: a contact of the account (`None`) or a row (its line).
    let mut taken: HashMap<ContactId, Option<u64>> =
        account.contacts().map(|c| (c.id(), None)).collect();
    let mut people: HashMap<(String, String, String), Result<ContactId, u64>> = account
        .contacts()
        .map(|c| (person(c.details()), Ok(c.id())))
        .collect();
    let mut good: Vec<Row> = Vec::new();
    for row in rows {
        if let Some(id) = row.id {
            if let Some(holder) = taken.get(&id) {
                let error = match holder {
                    None => format!("contact `{id}` is already in the account"),
                    Some(line) => format!("repeats id `{id}` of line {line}"),
                };
                refused.push(Refused {
                    line: row.line,
                    column: id_column.clone(),
                    error,
                });
                continue;
            }
            taken.insert(id, Some(row.line));
        }
        good.push(row);
    }
    let mut next = taken.keys().max().copied().unwrap_or(ContactId(0));
    let mut planned = Vec::new();
    for row in good {
        let key = person(&row.details);
        if let Some(first) = people.get(&key) {
            let error = match first {
                Ok(id) => format!(
                    "the same name, email and phone as contact {id}, already in the account"
                ),
                Err(line) => format!("the same name, email and phone as line {line}"),
            };
            refused.push(Refused {
                line: row.line,
                column: name_column.clone(),
                error,
            });
            continue;
        }
        people.insert(key, Err(row.line));
        let id = match row.id {
            Some(id) => id,
            None => {
                // The core's rule for a new contact's id, after every id taken so far.
                match next.next() {
                    Ok(free) => {
                        next = free;
                        free
                    }
                    Err(e) => {
                        refused.push(Refused {
                            line: row.line,
                            column: id_column.clone(),
                            error: e.to_string(),
                        });
                        continue;
                    }
                }
            }
        };
        planned.push((id, row));
    }
    planned
}

/// `contact import ACCOUNT FILE --as C`.
pub(crate) fn run(desk: &mut Desk, args: &ContactImportArgs) -> Result<Report, CliError> {
    let by = actor(args.actor)?;
    let account = AccountId(args.account);
    let input = read_input(&args.file)?;
    let (header, rows, mut refused) = parse(&input)?;
    drop(input);

    let mut failed_line = None;
    let added = desk.update(account, |a, engine| {
        let planned = plan(a, rows, &header, &mut refused);
        if !refused.is_empty() {
            // Abort the transaction: nothing is written.
            return Err(seccode::Error::InvalidInput {
                field: "contact file",
                problem: "rows refused".to_owned(),
            });
        }
        let mut added = Vec::with_capacity(planned.len());
        for (id, row) in planned {
            if let Err(e) = a.add_contact(engine, by, id, row.details) {
                failed_line = Some(row.line);
                return Err(e);
            }
            added.push(id);
        }
        Ok(added)
    });
    if !refused.is_empty() {
        return Err(refusal(refused));
    }
    let added = match added {
        Ok(added) => added,
        Err(mut e) => {
            // The actor's rights and the account are the file's business only by line.
            if let (Some(line), "invalid_argument" | "conflict") = (failed_line, e.kind) {
                e.message = format!("line {line}: {}; nothing was imported", e.message);
            }
            return Err(e);
        }
    };
    let mut text = format!(
        "Success: {} added to account {account}.\n",
        plural(added.len(), "contact", "contacts")
    );
    if let (Some(first), Some(last)) = (added.first(), added.last()) {
        text.push_str(&format!("Contact ids {first} to {last}.\n"));
    }
    Ok(Report::new(
        text,
        json!({
            "message": "Success: Contacts added.",
            "account": account,
            "imported": added.len(),
            "contacts": added,
        }),
    ))
}

/// The error for refused rows: exit 3, each refusal by line and column, nothing written.
fn refusal(mut refused: Vec<Refused>) -> CliError {
    refused.sort_by_key(|r| r.line);
    let mut err = CliError::bad_input(
        "rows_refused",
        format!(
            "{} refused; nothing was imported",
            plural(refused.len(), "row", "rows")
        ),
    );
    err.details = refused.iter().take(SHOWN).map(Refused::text).collect();
    if refused.len() > SHOWN {
        err.details.push(format!(
            "… and {} more (all of them with --json)",
            refused.len() - SHOWN
        ));
    }
    err.extra = json!({ "refused": refused });
    err
}

//! `account create|show|list|matching|export`.

use seccode::Normalization;
use seccode::{Account, AccountId};
use seccode::{ContactDetails, ContactId};
use seccode_store::{Store, insert_account};
use serde_json::json;

use super::who;
use crate::cli::{AccountCommand, AccountCreateArgs};
use crate::desk::{Desk, actor};
use crate::error::CliError;
use crate::output::{Report, plural, table, write_atomically};

pub(crate) fn run(desk: &mut Desk, command: AccountCommand) -> Result<Report, CliError> {
    match command {
        AccountCommand::Create(args) => create(desk, &args),
        AccountCommand::Show { account } => {
            let id = match account {
                Some(a) => AccountId(a),
                None => desk.account_id()?,
            };
            show(desk, id)
        }
        AccountCommand::List => list(desk),
        AccountCommand::Export { account, output } => {
            let id = match account {
                Some(a) => AccountId(a),
                None => desk.account_id()?,
            };
            export(desk, id, output.as_deref())
        }
        AccountCommand::Matching { matching, actor } => {
            let id = desk.account_id()?;
            set_matching(desk, id, &matching, actor)
        }
    }
}

/// `account create`.
pub(crate) fn create(desk: &mut Desk, args: &AccountCreateArgs) -> Result<Report, CliError> {
    let details = ContactDetails {
        name: args.contact_name.clone(),
        title: args.title.clone(),
        phone: args.phone.clone(),
        email: args.email.clone(),
        ..ContactDetails::default()
    };
    let primary = ContactId(args.contact_id);
    let mut account = Account::new(AccountId(args.account), args.name.clone(), primary, details)?;
    account.set_agent(desk.agent().cloned());
    insert_account(&mut desk.store, &mut account)?;
    Ok(Report::new(
        format!(
            "Account {} ({}) created; primary contact {}.\n",
            account.id(),
            account.name(),
            who(&account, primary)
        ),
        json!({ "account": account.id(), "name": account.name(), "primary": primary }),
    ))
}

/// `account show`.
pub(crate) fn show(desk: &mut Desk, id: AccountId) -> Result<Report, CliError> {
    let account = desk.load(id)?;
    let contacts = account.contact_views(desk.engine()?);
    let active = contacts.iter().filter(|c| c.active).count();
    let locked = contacts.iter().filter(|c| c.locked).count();
    let with_code = contacts.iter().filter(|c| c.has_code).count();
    let matching = match account.normalization() {
        Normalization::Spoken => "spoken (case, spaces and punctuation do not count)",
        Normalization::Exact => "exact (case, spaces and punctuation count)",
    };
    let text = format!(
        "{}  Client ID: {}\n\
         Primary contact:   {}\n\
         Account-wide code: {}\n\
         Code matching:     {matching}\n\
         Contacts:          {} ({active} active, {with_code} with an individual code, {locked} locked)\n",
        account.name(),
        account.id(),
        who(&account, account.primary()),
        if account.has_account_code() {
            "set"
        } else {
            "not set"
        },
        contacts.len(),
    );
    Ok(Report::new(
        text,
        json!({
            "account": account.id(),
            "name": account.name(),
            "primary": account.primary(),
            "account_code": if account.has_account_code() { "set" } else { "not set" },
            "matching": account.normalization(),
            "contacts": contacts.len(),
            "active": active,
            "with_individual_code": with_code,
            "locked": locked,
        }),
    ))
}

/// `account list`.
pub(crate) fn list(desk: &Desk) -> Result<Report, CliError> {
    let accounts = desk.store.accounts()?;
    let rows: Vec<Vec<String>> = accounts
        .iter()
        .map(|a| vec![a.id.to_string(), a.name.clone(), a.contacts.to_string()])
        .collect();
    let text = if rows.is_empty() {
        "No accounts yet: create one with `seccode account create`.\n".to_owned()
    } else {
        table(&["Client ID", "Name", "Contacts"], &rows)
    };
    Ok(Report::new(text, json!({ "accounts": accounts })))
}

/// `account export`: the account in the core's versioned JSON (`Account::to_json`, format
/// [`seccode::FORMAT`]), which `Account::from_json` loads, and with it the Python and C faces:
/// hashes, never a plaintext code. To `output` (whole or not at all, owner-only), or as the
/// command's text.
pub(crate) fn export(
    desk: &Desk,
    id: AccountId,
    output: Option<&std::path::Path>,
) -> Result<Report, CliError> {
    let account = desk.load(id)?;
    let mut text = account.to_json()?;
    text.push('\n');
    let contacts = account.contacts().count();
    match output {
        Some(path) => {
            write_atomically(path, text.as_bytes())?;
            Ok(Report::new(
                format!(
                    "Wrote account {id} ({}, format {}) to {}.\n",
                    plural(contacts, "contact", "contacts"),
                    seccode::FORMAT,
                    path.display()
                ),
                json!({
                    "account": id,
                    "file": path.display().to_string(),
                    "format": seccode::FORMAT,
                    "contacts": contacts,
                }),
            ))
        }
        None => {
            let record = serde_json::from_str::<serde_json::Value>(&text)
                .map_err(|e| CliError::internal("internal", format!("the export: {e}")))?;
            Ok(Report::new(
                text,
                json!({ "account": id, "record": record }),
            ))
        }
    }
}

/// `account matching spoken|exact`.
pub(crate) fn set_matching(
    desk: &mut Desk,
    id: AccountId,
    matching: &str,
    as_contact: Option<u64>,
) -> Result<Report, CliError> {
    let normalization: Normalization = matching.parse()?;
    let by = actor(as_contact)?;
    desk.update(id, |a, engine| {
        a.set_normalization(engine, by, normalization)
    })?;
    Ok(Report::new(
        "Success: Account information updated.\n",
        json!({
            "message": "Success: Account information updated.",
            "account": id,
            "matching": normalization,
        }),
    ))
}

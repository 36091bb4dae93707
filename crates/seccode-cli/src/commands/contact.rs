//! `contact add|edit|deactivate|reactivate|remove|list|export|import`.

use seccode::{AccountId, ContactDetails, ContactId, ContactView, DetailsChange, RwhoisRoles};
use seccode_store::{contacts_csv, csv_contacts};
use serde_json::{Value, json};

use super::code::CONTACT_UPDATED;
use crate::cli::{ContactAddArgs, ContactCommand, ContactEditArgs, ExportArgs};
use crate::desk::{Desk, actor};
use crate::error::CliError;
use crate::output::{Report, local_time, put, table, write_atomically};
use crate::secret::read_password;

pub(crate) fn run(desk: &mut Desk, command: ContactCommand) -> Result<Report, CliError> {
    // `import` names its account itself.
    let command = match command {
        ContactCommand::Import(args) => return crate::contact_import::run(desk, &args),
        other => other,
    };
    let account = desk.account_id()?;
    match command {
        ContactCommand::Add(args) => add(desk, account, &args),
        ContactCommand::Edit(args) => edit(desk, account, &args),
        ContactCommand::Deactivate(args) => {
            set_active(desk, account, ContactId(args.contact), args.actor, false)
        }
        ContactCommand::Reactivate(args) => {
            set_active(desk, account, ContactId(args.contact), args.actor, true)
        }
        ContactCommand::Remove(args) => {
            let target = ContactId(args.contact);
            let by = actor(args.actor)?;
            desk.update(account, |a, engine| a.remove_contact(engine, by, target))?;
            Ok(Report::new(
                format!("Success: Contact removed ({target}).\n"),
                json!({ "message": "Success: Contact removed.", "account": account, "contact": target }),
            ))
        }
        ContactCommand::Password(args) => {
            let target = ContactId(args.contact);
            let by = actor(args.actor)?;
            let password = read_password("New portal password (not shown): ", true)?;
            desk.update(account, |a, engine| {
                a.set_password(engine, by, target, &password)
            })?;
            Ok(updated(account, target))
        }
        ContactCommand::List { all } => list(desk, account, all),
        ContactCommand::Export(args) => export(desk, account, &args),
        ContactCommand::Import(args) => crate::contact_import::run(desk, &args),
    }
}

/// `contact add`: the id given, or one more than the highest in the account.
pub(crate) fn add(
    desk: &mut Desk,
    id: AccountId,
    args: &ContactAddArgs,
) -> Result<Report, CliError> {
    let details = ContactDetails {
        name: args.name.clone(),
        title: args.title.clone(),
        phone: args.phone.clone(),
        email: args.email.clone(),
        audit_account: args.audit_account,
        rwhois: RwhoisRoles {
            poc: args.poc,
            tech: args.tech,
            abuse: args.abuse,
        },
    };
    let wanted = args.contact;
    let by = actor(args.actor)?;
    let added = desk.update(id, |a, engine| {
        let contact = match wanted {
            Some(c) => ContactId(c),
            None => a.next_contact_id()?,
        };
        a.add_contact(engine, by, contact, details)?;
        Ok(contact)
    })?;
    Ok(Report::new(
        format!("Success: Contact added ({added} {}).\n", args.name),
        json!({ "message": "Success: Contact added.", "account": id, "contact": added }),
    ))
}

/// `contact edit`: only the fields given change.
pub(crate) fn edit(
    desk: &mut Desk,
    id: AccountId,
    args: &ContactEditArgs,
) -> Result<Report, CliError> {
    let target = ContactId(args.contact);
    let by = actor(args.actor)?;
    let change = DetailsChange {
        name: args.name.clone(),
        title: args.title.clone(),
        phone: args.phone.clone(),
        email: args.email.clone(),
        audit_account: args.audit_account,
        poc: args.poc,
        tech: args.tech,
        abuse: args.abuse,
    };
    desk.update(id, |a, engine| {
        a.edit_contact_details(engine, by, target, &change)
    })?;
    Ok(updated(id, target))
}

fn updated(account: AccountId, contact: ContactId) -> Report {
    Report::new(
        format!("{CONTACT_UPDATED}\n"),
        json!({ "message": CONTACT_UPDATED, "account": account, "contact": contact }),
    )
}

/// `contact deactivate` / `contact reactivate`.
pub(crate) fn set_active(
    desk: &mut Desk,
    id: AccountId,
    target: ContactId,
    as_contact: Option<u64>,
    active: bool,
) -> Result<Report, CliError> {
    let by = actor(as_contact)?;
    desk.update(id, |a, engine| {
        if active {
            a.reactivate_contact(engine, by, target)
        } else {
            a.deactivate_contact(engine, by, target)
        }
    })?;
    Ok(updated(id, target))
}

fn status(view: &ContactView) -> String {
    if !view.active {
        "deactivated".to_owned()
    } else if let Some(until) = view.locked_until {
        format!("locked until {}", local_time(until))
    } else if view.failed_attempts > 0 {
        format!("active, {} failed", view.failed_attempts)
    } else {
        "active".to_owned()
    }
}

fn set_or_not(set: bool) -> &'static str {
    if set { "set" } else { "not set" }
}

/// The core's view of a contact, with "Security Code" spelled as the portal shows it.
fn contact_json(view: &ContactView) -> Value {
    let mut value = json!(view);
    put(
        &mut value,
        "security_code",
        json!(set_or_not(view.has_code)),
    );
    value
}

/// `contact list`: the portal's contact list, active contacts unless `all`.
pub(crate) fn list(desk: &mut Desk, id: AccountId, all: bool) -> Result<Report, CliError> {
    let account = desk.load(id)?;
    let engine = desk.engine()?;
    let shown: Vec<ContactView> = account
        .contact_views(engine)
        .into_iter()
        .filter(|c| all || c.active)
        .collect();
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|c| {
            vec![
                c.id.to_string(),
                c.name.clone(),
                c.title.clone(),
                c.phone.clone(),
                c.email.clone(),
                set_or_not(c.has_code).to_owned(),
                if c.may_know_account_code { "yes" } else { "no" }.to_owned(),
                status(c),
            ]
        })
        .collect();
    let view = if all {
        "All Contacts"
    } else {
        "Active Contacts"
    };
    let mut text = format!(
        "{} (Client ID {})  View: {view}\nContacts 1-{n} of {n} Shown\n\n",
        account.name(),
        account.id(),
        n = shown.len()
    );
    text.push_str(&table(
        &[
            "ID",
            "Name",
            "Title",
            "Phone",
            "Email",
            "Security Code",
            "Account Code",
            "Status",
        ],
        &rows,
    ));
    text.push_str(&format!(
        "\nAccount-wide code: {}; \"Account Code\" tells who may use it.\n",
        set_or_not(account.has_account_code())
    ));
    let contacts: Vec<Value> = shown.iter().map(contact_json).collect();
    Ok(Report::new(
        text,
        json!({
            "account": account.id(),
            "name": account.name(),
            "account_code": set_or_not(account.has_account_code()),
            "contacts": contacts,
        }),
    ))
}

/// `contact export --csv`: ID, Name, Title, Phone, Email, Security Code (`set`/`not set`), as
/// the store writes them for every face ([`contacts_csv`]: a cell a spreadsheet would run as a
/// formula starts with `'`).
pub(crate) fn export(desk: &Desk, id: AccountId, args: &ExportArgs) -> Result<Report, CliError> {
    let account = desk.load(id)?;
    let bytes = contacts_csv(&account, args.all)
        .map_err(|e| CliError::internal("io", format!("writing CSV: {e}")))?;
    let count = csv_contacts(&account, args.all).count();
    match &args.output {
        Some(path) => {
            write_atomically(path, &bytes)?;
            Ok(Report::new(
                format!(
                    "Wrote {} to {}.\n",
                    crate::output::plural(count, "contact", "contacts"),
                    path.display()
                ),
                json!({ "file": path.display().to_string(), "contacts": count }),
            ))
        }
        None => {
            let text = String::from_utf8(bytes)
                .map_err(|_| CliError::internal("io", "the CSV is not UTF-8"))?;
            Ok(Report::new(
                text.clone(),
                json!({ "csv": text, "contacts": count }),
            ))
        }
    }
}

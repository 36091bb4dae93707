//! `perm set|show`.

use seccode::ContactId;
use seccode::{Account, AccountId};
use seccode::{Action, Catalog, Origin, Setting, grid_rows};
use serde_json::{Value, json};

use super::code::CONTACT_UPDATED;
use super::who;
use crate::cli::PermCommand;
use crate::desk::{Desk, actor};
use crate::error::CliError;
use crate::output::{Report, put, table};
use crate::suggest::{parse_or_suggest, unknown};

pub(crate) fn run(desk: &mut Desk, command: PermCommand) -> Result<Report, CliError> {
    let account = desk.account_id()?;
    match command {
        PermCommand::Set(args) => {
            let actions = Action::ALL.map(Action::as_str);
            let action = parse_or_suggest("action", &args.action, &actions, str::parse::<Action>)?;
            let settings = Setting::ALL.map(Setting::as_str);
            let setting =
                parse_or_suggest("setting", &args.setting, &settings, str::parse::<Setting>)?;
            set(
                desk,
                account,
                ContactId(args.contact),
                &args.resource,
                action,
                setting,
                args.actor,
            )
        }
        PermCommand::Show(args) => {
            let view = if args.raw {
                View::Raw
            } else if args.explain {
                View::Explain
            } else {
                View::Effective
            };
            show(desk, account, ContactId(args.contact), view)
        }
    }
}

/// `perm set`.
pub(crate) fn set(
    desk: &mut Desk,
    id: AccountId,
    target: ContactId,
    resource_name: &str,
    action: Action,
    setting: Setting,
    as_contact: Option<u64>,
) -> Result<Report, CliError> {
    let by = actor(as_contact)?;
    // An unknown resource is refused naming the closest of the account's catalog.
    let catalog = std::sync::Arc::clone(desk.load(id)?.catalog());
    if catalog.resource(resource_name).is_none() {
        let names: Vec<&str> = catalog.resources().map(|r| catalog.name(r)).collect();
        return Err(unknown("resource", resource_name, &names));
    }
    let row = desk.update(id, |a, engine| {
        let r = a.catalog().require(resource_name)?;
        a.set_permission(engine, by, target, r, action, setting)?;
        let grid = a.grid(target)?;
        Ok(grid_rows(a.catalog(), grid)
            .into_iter()
            .find(|row| row.resource == r))
    })?;
    let mut text = format!("{CONTACT_UPDATED}\n");
    let mut json = json!({
        "message": CONTACT_UPDATED,
        "account": id,
        "contact": target,
        "action": action,
        "setting": setting,
    });
    if let Some(row) = row {
        text.push_str(&format!("  {}  {}\n", row.name, row.cells_line()));
        put(&mut json, "resource", json!(row.name));
        put(&mut json, "row", json!(row.cells));
    }
    Ok(Report::new(text, json))
}

/// Which form of the grid to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    /// Effective values, as the portal shows them.
    Effective,
    /// Effective values and the resource that decided each.
    Explain,
    /// The raw settings.
    Raw,
}

/// The grid's text with its heading, for `perm show` and the demo.
pub(crate) fn grid_text(
    account: &Account,
    contact: ContactId,
    view: View,
) -> Result<String, CliError> {
    let mut text = format!("Permissions of contact {}", who(account, contact));
    if contact == account.primary() {
        text.push_str(" (primary contact: allowed everything)");
    }
    text.push('\n');
    match view {
        View::Raw => {
            text.push_str("Raw settings:\n\n");
            text.push_str(&crate::output::settings_grid(account, contact)?);
        }
        View::Effective | View::Explain => {
            text.push_str("() shows inherited value\n\n");
            text.push_str(&crate::output::effective_grid(account, contact)?);
        }
    }
    if view == View::Explain {
        let (rows, defaulted) = explain_rows(account, contact)?;
        text.push_str("\nWhat decided each cell:\n\n");
        if !rows.is_empty() {
            text.push_str(&table(
                &["Resource", "Action", "Value", "Decided by"],
                &rows,
            ));
        }
        if defaulted > 0 {
            text.push_str(&format!(
                "{}every other applicable cell ({defaulted}): (None), no setting on it or above it\n",
                if rows.is_empty() { "" } else { "and " }
            ));
        }
    }
    Ok(text)
}

fn origin_text(catalog: &Catalog, origin: Origin) -> String {
    match origin {
        Origin::Explicit => "its own setting".to_owned(),
        Origin::Inherited(r) => format!("the setting on {}", catalog.name(r)),
        Origin::Default => "nothing: no setting up to the root".to_owned(),
        Origin::Owner => "being the primary contact".to_owned(),
        Origin::NotApplicable => "not applicable".to_owned(),
    }
}

/// The cells something decided (an explicit setting, an ancestor's, ownership), and how many
/// others are left at the default.
fn explain_rows(
    account: &Account,
    contact: ContactId,
) -> Result<(Vec<Vec<String>>, usize), CliError> {
    let catalog = account.catalog();
    let mut rows = Vec::new();
    let mut defaulted = 0usize;
    for r in catalog.resources() {
        for action in Action::ALL {
            if !catalog.applies(r, action) {
                continue;
            }
            let cell = account.effective(contact, r, action)?;
            if cell.origin == Origin::Default {
                defaulted += 1;
                continue;
            }
            rows.push(vec![
                catalog.name(r).to_owned(),
                action.title().to_owned(),
                cell.label().to_owned(),
                origin_text(catalog, cell.origin),
            ]);
        }
    }
    Ok((rows, defaulted))
}

/// `perm show`.
pub(crate) fn show(
    desk: &Desk,
    id: AccountId,
    contact: ContactId,
    view: View,
) -> Result<Report, CliError> {
    let account = desk.load(id)?;
    let text = grid_text(&account, contact, view)?;
    let catalog = account.catalog();
    let rows: Vec<Value> = match view {
        View::Raw => seccode::settings_rows(catalog, account.contact(contact)?.settings())
            .into_iter()
            .map(|row| json!({ "resource": row.name, "depth": row.depth, "cells": row.cells }))
            .collect(),
        _ => grid_rows(catalog, account.grid(contact)?)
            .into_iter()
            .map(|row| json!({ "resource": row.name, "depth": row.depth, "cells": row.cells }))
            .collect(),
    };
    let mut json = json!({
        "account": id,
        "contact": contact,
        "primary": contact == account.primary(),
        "view": match view { View::Raw => "raw", View::Explain => "explain", View::Effective => "effective" },
        "rows": rows,
    });
    if view == View::Explain {
        let mut cells = Vec::new();
        for r in catalog.resources() {
            for action in Action::ALL {
                if !catalog.applies(r, action) {
                    continue;
                }
                let cell = account.effective(contact, r, action)?;
                cells.push(json!({
                    "resource": catalog.name(r),
                    "action": action,
                    "value": cell.value,
                    "label": cell.label(),
                    "decided_by": cell.decided_by().map(|d| catalog.name(d).to_owned()),
                    "owner": cell.origin == Origin::Owner,
                }));
            }
        }
        put(&mut json, "explain", Value::Array(cells));
    }
    Ok(Report::new(text, json))
}

//! `code set-account|set-contact|clear-account|clear-contact|check`.

use seccode::AccountId;
use seccode::ContactId;
use seccode::SecurityCode;
use serde_json::json;

use crate::desk::{Desk, actor};
use crate::error::{CliError, Exit};
use crate::output::Report;

/// The seed's message after the account-wide code changes.
pub(crate) const ACCOUNT_UPDATED: &str = "Success: Account information updated.";
/// The seed's message after a contact changes.
pub(crate) const CONTACT_UPDATED: &str = "Success: Contact updated.";

fn done(message: &str, account: AccountId, contact: Option<ContactId>) -> Report {
    Report::new(
        format!("{message}\n"),
        json!({ "message": message, "account": account, "contact": contact }),
    )
}

/// `code set-account`.
pub(crate) fn set_account(
    desk: &mut Desk,
    id: AccountId,
    as_contact: Option<u64>,
    code: &SecurityCode,
) -> Result<Report, CliError> {
    let by = actor(as_contact)?;
    desk.update(id, |a, engine| a.set_account_code(engine, by, code))?;
    Ok(done(ACCOUNT_UPDATED, id, None))
}

/// `code set-contact`.
pub(crate) fn set_contact(
    desk: &mut Desk,
    id: AccountId,
    target: ContactId,
    as_contact: Option<u64>,
    code: &SecurityCode,
) -> Result<Report, CliError> {
    let by = actor(as_contact)?;
    desk.update(id, |a, engine| a.set_contact_code(engine, by, target, code))?;
    Ok(done(CONTACT_UPDATED, id, Some(target)))
}

/// `code clear-account`.
pub(crate) fn clear_account(
    desk: &mut Desk,
    id: AccountId,
    as_contact: Option<u64>,
) -> Result<Report, CliError> {
    let by = actor(as_contact)?;
    desk.update(id, |a, engine| a.clear_account_code(engine, by))?;
    Ok(done(ACCOUNT_UPDATED, id, None))
}

/// `code clear-contact`.
pub(crate) fn clear_contact(
    desk: &mut Desk,
    id: AccountId,
    target: ContactId,
    as_contact: Option<u64>,
) -> Result<Report, CliError> {
    let by = actor(as_contact)?;
    desk.update(id, |a, engine| a.clear_contact_code(engine, by, target))?;
    Ok(done(CONTACT_UPDATED, id, Some(target)))
}

/// `code check`: the policy's verdict on a candidate, nothing stored.
pub(crate) fn check(
    desk: &mut Desk,
    id: AccountId,
    contact: Option<ContactId>,
    code: &SecurityCode,
) -> Result<Report, CliError> {
    let account = desk.load(id)?;
    let engine = desk.engine()?;
    let reasons = account.check_code(engine, contact, code)?;
    if reasons.is_empty() {
        return Ok(Report::new(
            "The code is acceptable (nothing was stored).\n",
            json!({ "acceptable": true, "reasons": [] }),
        ));
    }
    let mut text = String::from("The code would be rejected:\n");
    let mut listed = Vec::new();
    for r in &reasons {
        let message = engine.policy().describe(*r);
        text.push_str(&format!("  - {message}\n"));
        listed.push(json!({ "code": r.code(), "message": message }));
    }
    Ok(Report::new(text, json!({ "acceptable": false, "reasons": listed })).exit(Exit::BadInput))
}

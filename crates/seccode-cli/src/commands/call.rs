//! A caller on the line: `verify`, `unlock`, `authorize`.

use seccode::SecurityCode;
use seccode::{Account, AccountId};
use seccode::ContactId;
use seccode::Outcome;
use seccode::{Decision, RequestKind};
use serde_json::json;

use super::code::CONTACT_UPDATED;
use super::{now, who};
use crate::desk::{Desk, actor};
use crate::error::{CliError, Exit};
use crate::output::{Report, put};

fn outcome_exit(outcome: Outcome) -> Exit {
    match outcome {
        Outcome::Verified => Exit::Success,
        Outcome::NotVerified => Exit::No,
        Outcome::Locked => Exit::Locked,
    }
}

fn decision_exit(decision: &Decision) -> Exit {
    match decision {
        Decision::Allowed => Exit::Success,
        _ => Exit::No,
    }
}

/// The decision in words, naming approvers.
pub(crate) fn decision_text(account: &Account, kind: RequestKind, decision: &Decision) -> String {
    match decision {
        Decision::Allowed => format!("{kind}: allowed"),
        Decision::NeedsApproval { approvers } => {
            let names: Vec<String> = approvers.iter().map(|a| who(account, *a)).collect();
            format!(
                "{kind}: not on the code alone: needs additional approval from {}",
                names.join(" or ")
            )
        }
        Decision::Denied { reason } => format!("{kind}: denied: {reason}"),
    }
}

/// `verify ACCOUNT CONTACT`: load, verify, save the lockout state and any upgraded hash, in
/// one transaction. With a request kind, also decide it for the verified caller.
pub(crate) fn verify(
    desk: &mut Desk,
    id: AccountId,
    contact: ContactId,
    code: &SecurityCode,
    request: Option<RequestKind>,
) -> Result<Report, CliError> {
    let max_failures = desk.config.lockout.max_failures;
    let (verification, decision) = desk.update(id, |a, engine| {
        let v = a.verify(engine, contact, code)?;
        let d = match request {
            Some(kind) => {
                let decision = a.authorize_verified(&v, kind)?;
                let text = decision_text(a, kind, &decision);
                Some((kind, decision, text))
            }
            None => None,
        };
        Ok((v, d))
    })?;
    let outcome = verification.outcome();
    let lock = verification.lock_state();
    let mut text = match (outcome, lock.locked_until) {
        (Outcome::Locked, Some(until)) => format!("locked (until {until})\n"),
        (o, _) => format!("{o}\n"),
    };
    if outcome == Outcome::NotVerified {
        match lock.locked_until {
            Some(until) if lock.is_locked(now()) => {
                text.push_str(&format!(
                    "That was failed attempt {} of {max_failures}: the contact is now locked until {until}.\n",
                    lock.failed_attempts
                ));
            }
            _ => text.push_str(&format!(
                "Failed attempts: {} (a lock comes at {max_failures}).\n",
                lock.failed_attempts
            )),
        }
    }
    if !verification.upgrades().is_empty() {
        text.push_str("(its stored hash was upgraded to the current parameters and matching)\n");
    }
    let mut exit = outcome_exit(outcome);
    let mut json = json!({
        "account": id,
        "contact": contact,
        "outcome": outcome,
        "verified": verification.is_verified(),
        "failed_attempts": lock.failed_attempts,
        "locked_until": lock.locked_until,
        "upgraded": verification.upgrades().len(),
    });
    if let Some((kind, decision, said)) = decision {
        if outcome != Outcome::Locked {
            text.push_str(&format!("{said}\n"));
            exit = match exit {
                Exit::Success => decision_exit(&decision),
                other => other,
            };
        }
        put(
            &mut json,
            "request",
            json!({ "kind": kind, "decision": decision }),
        );
    }
    Ok(Report::new(text, json).exit(exit))
}

/// `unlock CONTACT`.
pub(crate) fn unlock(
    desk: &mut Desk,
    id: AccountId,
    target: ContactId,
    as_contact: Option<u64>,
) -> Result<Report, CliError> {
    desk.update(id, |a, engine| {
        let by = actor(as_contact, a);
        a.unlock(engine, by, target)
    })?;
    Ok(Report::new(
        format!("{CONTACT_UPDATED} Contact {target} is unlocked.\n"),
        json!({ "message": CONTACT_UPDATED, "account": id, "contact": target, "unlocked": true }),
    ))
}

/// `authorize CONTACT KIND`: what a caller already verified as CONTACT may ask for. A
/// contact that is locked now cannot have been verified: that answers *locked*.
pub(crate) fn authorize(
    desk: &Desk,
    id: AccountId,
    contact: ContactId,
    kind: RequestKind,
) -> Result<Report, CliError> {
    let account = desk.load(id)?;
    let lock = account.contact(contact)?.lock_state();
    if lock.is_locked(now()) {
        let until = lock
            .locked_until
            .map(|u| format!(" until {u}"))
            .unwrap_or_default();
        return Ok(Report::new(
            format!("locked{until}: contact {contact} cannot have been verified\n"),
            json!({ "account": id, "contact": contact, "kind": kind, "locked": true,
                    "locked_until": lock.locked_until }),
        )
        .exit(Exit::Locked));
    }
    let decision = account.authorize(contact, kind)?;
    Ok(Report::new(
        format!("{}\n", decision_text(&account, kind, &decision)),
        json!({ "account": id, "contact": contact, "kind": kind, "decision": decision }),
    )
    .exit(decision_exit(&decision)))
}

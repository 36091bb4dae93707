//! A caller on the line: `verify`, `unlock`, `authorize`.

use seccode::{Account, AccountId, ContactId, Decision, Outcome, RequestKind, SecurityCode};
use seccode_store::Store;
use serde_json::json;

use super::code::CONTACT_UPDATED;
use super::who;
use crate::desk::{Desk, actor};
use crate::error::{CliError, Exit};
use crate::output::{Report, local_time, put};

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

/// `verify ACCOUNT CONTACT`: the core's three steps through the store (the attempt counted in
/// one short transaction, the code checked with none open, the outcome recorded in another).
/// When verified, the call is kept under a token shown once, for `authorize`. With a request
/// kind, also decide it for the verified caller.
pub(crate) fn verify(
    desk: &mut Desk,
    id: AccountId,
    contact: ContactId,
    code: &SecurityCode,
    request: Option<RequestKind>,
) -> Result<Report, CliError> {
    let max_failures = desk.config.lockout.max_failures;
    let agent = desk.agent().cloned();
    let (store, engine) = desk.parts()?;
    let verification = seccode_store::verify_as(store, engine, agent.as_ref(), id, contact, code)?;
    let token = seccode_store::keep_call(store, &verification)?;
    let outcome = verification.outcome();
    let lock = verification.lock_status();
    let mut text = match (outcome, lock.locked_until().map(local_time)) {
        (Outcome::Locked, Some(until)) => format!("locked (until {until})\n"),
        (o, _) => format!("{o}\n"),
    };
    if outcome == Outcome::NotVerified {
        match lock.locked_until().map(local_time) {
            Some(until) => text.push_str(&format!(
                "That was failed attempt {} of {max_failures}: the contact is now locked until {until}.\n",
                lock.failed_attempts()
            )),
            None => text.push_str(&format!(
                "Failed attempts: {} (a lock comes at {max_failures}).\n",
                lock.failed_attempts()
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
        "failed_attempts": lock.failed_attempts(),
        "locked_until": lock.locked_until(),
        "upgraded": verification.upgrades().len(),
    });
    if let (Some(token), Some(call)) = (&token, verification.call()) {
        text.push_str(&format!(
            "Verification for this call, valid until {}: {}\n\
             (`seccode authorize KIND --verification TOKEN`, or set SECCODE_VERIFICATION)\n",
            local_time(call.expires_at()),
            token.expose_secret()
        ));
        put(&mut json, "verification", json!(token.expose_secret()));
        put(&mut json, "valid_until", json!(call.expires_at()));
    }
    if let Some(kind) = request {
        // A verified caller's request is decided and recorded; an unverified one is denied
        // (its failed verification is in the log already).
        let (decision, words) = match verification.call() {
            Some(call) => desk.update(id, |a, engine| {
                let decision = a.authorize_recorded(engine, call, kind)?;
                let words = decision_text(a, kind, &decision);
                Ok((decision, words))
            })?,
            None => {
                let account = desk.load(id)?;
                let decision = account.authorize_verified(desk.engine()?, &verification, kind)?;
                let words = decision_text(&account, kind, &decision);
                (decision, words)
            }
        };
        if outcome != Outcome::Locked {
            text.push_str(&format!("{words}\n"));
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
    let by = actor(as_contact)?;
    desk.update(id, |a, engine| a.unlock(engine, by, target))?;
    Ok(Report::new(
        format!("{CONTACT_UPDATED} Contact {target} is unlocked.\n"),
        json!({ "message": CONTACT_UPDATED, "account": id, "contact": target, "unlocked": true }),
    ))
}

/// `authorize KIND --verification TOKEN`: what the caller verified on this call may ask for,
/// recorded in the audit log (with the desk's agent). A verification that expired, or that a
/// change to the contact or its code made void, is denied ("verify again").
pub(crate) fn authorize(
    desk: &mut Desk,
    token: &str,
    kind: RequestKind,
) -> Result<Report, CliError> {
    let token = seccode_store::CallToken::parse(token)?;
    let call = desk
        .store
        .call(&token)?
        .ok_or(seccode_store::StoreError::UnknownToken)?;
    let id = call.account();
    let (decision, line) = desk.update(id, |a, engine| {
        let decision = a.authorize_recorded(engine, &call, kind)?;
        let line = format!(
            "contact {}: {}\n",
            who(a, call.contact()),
            decision_text(a, kind, &decision)
        );
        Ok((decision, line))
    })?;
    Ok(Report::new(
        line,
        json!({ "account": id, "contact": call.contact(), "kind": kind, "decision": decision }),
    )
    .exit(decision_exit(&decision)))
}

//! `audit` and `hashes`.

use seccode::Normalization;
use seccode::Verifier;
use seccode::{Account, AccountId};
use seccode::{AuditKind, ContactId};
use seccode::{Binding, CodeHash, HashCost};
use seccode_store::{AuditFilter, Store};
use serde_json::{Value, json};

use super::now;
use crate::cli::AuditArgs;
use crate::desk::Desk;
use crate::error::CliError;
use crate::output::{Report, event_line, plural, table};
use crate::suggest::unknown;
use crate::when::parse_time;

/// `audit`: the log, filtered; `--account` (or `SECCODE_ACCOUNT`) limits it to one account,
/// otherwise every account's events are shown.
pub(crate) fn audit(desk: &Desk, args: &AuditArgs) -> Result<Report, CliError> {
    let now = now();
    let kind = args
        .kind
        .as_deref()
        .map(|k| AuditKind::name(k).ok_or_else(|| unknown("audit kind", k, &AuditKind::NAMES)))
        .transpose()?;
    let filter = AuditFilter {
        account: desk.account_flag(),
        contact: args.contact.map(ContactId),
        since: args
            .since
            .as_deref()
            .map(|t| parse_time(t, now))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|t| parse_time(t, now))
            .transpose()?,
        kind: kind.map(str::to_owned),
        agent: desk.agent_filter().cloned(),
        limit: args.limit,
    };
    let events = desk.store.audit(&filter)?;
    let mut text = String::new();
    for e in &events {
        text.push_str(&format!("#{:<5} {}\n", e.seq, event_line(&e.event)));
    }
    if events.is_empty() {
        text.push_str("No audit events match.\n");
    }
    Ok(Report::new(text, json!({ "events": events })))
}

/// One stored hash, judged against the current verifier.
struct HashLine {
    account: AccountId,
    code: String,
    hash: CodeHash,
    status: String,
    outdated: bool,
    usable: bool,
}

fn judge(verifier: &Verifier, wanted: Normalization, hash: &CodeHash) -> (bool, bool, String) {
    if let Err(e) = verifier.usable(hash) {
        return (false, true, format!("unusable: {e}"));
    }
    if !verifier.is_outdated(hash, wanted) {
        return (true, false, "current".to_owned());
    }
    // The verdict is the verifier's; these words only say what differs.
    let mut why = Vec::new();
    if hash.cost() != HashCost::Argon2id(verifier.params()) {
        why.push("parameters");
    }
    if hash.key_id() != verifier.current_key_id() {
        why.push("pepper");
    }
    if hash.binding() == Binding::Legacy {
        why.push("legacy format");
    }
    if hash.normalization() != wanted {
        why.push("matching");
    }
    let why = if why.is_empty() {
        String::new()
    } else {
        format!(" ({})", why.join(", "))
    };
    (
        true,
        true,
        format!("outdated{why}: upgrades at next successful verification"),
    )
}

fn lines_of(verifier: &Verifier, account: &Account) -> Vec<HashLine> {
    let mut slots: Vec<(String, &CodeHash)> = Vec::new();
    if let Some(hash) = account.account_code_hash() {
        slots.push(("account-wide".to_owned(), hash));
    }
    for c in account.contacts() {
        if let Some(hash) = c.code_hash() {
            slots.push((format!("contact {}", c.id()), hash));
        }
    }
    slots
        .into_iter()
        .map(|(code, hash)| {
            let wanted = account.upgraded_normalization(hash);
            let (usable, outdated, status) = judge(verifier, wanted, hash);
            HashLine {
                account: account.id(),
                code,
                hash: hash.clone(),
                status,
                outdated,
                usable,
            }
        })
        .collect()
}

/// `hashes`: every stored hash against the current parameters, pepper and each account's
/// matching.
pub(crate) fn hashes(desk: &mut Desk) -> Result<Report, CliError> {
    let ids: Vec<AccountId> = match desk.account_flag() {
        Some(id) => vec![id],
        None => desk.store.accounts()?.into_iter().map(|a| a.id).collect(),
    };
    let mut lines = Vec::new();
    let mut unreadable = Vec::new();
    let mut accounts = Vec::new();
    for id in ids {
        match desk.load(id) {
            Ok(account) => accounts.push(account),
            Err(e) if ids_given(desk) => return Err(e),
            Err(e) => unreadable.push(format!("account {id}: {}", e.message)),
        }
    }
    let engine = desk.engine()?;
    let verifier = engine.verifier();
    for account in &accounts {
        lines.extend(lines_of(verifier, account));
    }
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.account.to_string(),
                l.code.clone(),
                l.hash.cost().to_string(),
                l.hash.key_id().unwrap_or("-").to_owned(),
                l.hash.normalization().to_string(),
                l.hash.binding().to_string(),
                l.status.clone(),
            ]
        })
        .collect();
    let outdated = lines.iter().filter(|l| l.usable && l.outdated).count();
    let unusable = lines.iter().filter(|l| !l.usable).count();
    let current = lines.len().saturating_sub(outdated + unusable);
    let mut text = format!(
        "Current: Argon2id {}, pepper {}\n\n",
        verifier.params(),
        verifier.current_key_id().unwrap_or("none"),
    );
    if rows.is_empty() {
        text.push_str("No stored hashes.\n");
    } else {
        text.push_str(&table(
            &[
                "Account",
                "Code",
                "Parameters",
                "Pepper",
                "Matching",
                "Format",
                "Status",
            ],
            &rows,
        ));
    }
    text.push_str(&format!(
        "\n{}: {current} current, {outdated} outdated (upgraded at their next successful \
         verification), {unusable} unusable.\n",
        plural(lines.len(), "hash", "hashes"),
    ));
    if unusable > 0 {
        text.push_str(
            "Unusable hashes cannot verify until their pepper is configured (--retired-pepper) \
             or the ceilings allow their parameters.\n",
        );
    }
    for u in &unreadable {
        text.push_str(&format!("Unreadable: {u}\n"));
    }
    let json_lines: Vec<Value> = lines
        .iter()
        .map(|l| {
            json!({
                "account": l.account,
                "code": l.code,
                "params": l.hash.cost(),
                "key_id": l.hash.key_id(),
                "normalization": l.hash.normalization(),
                "binding": l.hash.binding(),
                "outdated": l.outdated,
                "usable": l.usable,
                "status": l.status,
            })
        })
        .collect();
    Ok(Report::new(
        text,
        json!({
            "current_params": verifier.params(),
            "current_key_id": verifier.current_key_id(),
            "hashes": json_lines,
            "summary": { "current": current, "outdated": outdated, "unusable": unusable },
            "unreadable": unreadable,
        }),
    ))
}

fn ids_given(desk: &Desk) -> bool {
    desk.account_flag().is_some()
}

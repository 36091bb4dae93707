//! The agent console (SPEC 10): an agent enters the account, the contact and the code the
//! caller gives; the page answers verified / not verified / locked, then what the verified
//! caller may request (routine, billable, significant change, cancellation: allowed, needs
//! approval from whom, or denied and why) while the verification lasts. When the caller asks
//! for one, its "Record" button records the decision in the audit log under the agent's name.
//!
//! The verification runs exactly as `POST /v1/accounts/{account}/verifications` runs it, and
//! each request is judged exactly as `POST /v1/authorizations` judges it (and recorded by the
//! same [`crate::v1::record_request`]), with the verification's token, which stays in the
//! agent's session on the server.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use seccode::{Account, AccountId, ContactId, Decision, Outcome, RequestKind, SecurityCode};
use seccode_store::Store;
use zeroize::Zeroizing;

use super::error::{PageError, render};
use super::layout::Frame;
use super::session::Call;
use super::{AgentSession, Pages};
use crate::error::ApiError;
use crate::metrics::OutcomeLabels;
use crate::service::Service;

/// One request kind and what support may do with it.
struct Judged {
    /// `routine`, `billable`, `significant_change`, `cancellation` (for element ids).
    kind: &'static str,
    /// "Routine", "Billable", …
    title: &'static str,
    /// `allowed`, `needs_approval` or `denied` (for the class).
    decision: &'static str,
    /// The decision in words.
    text: String,
}

/// The console's view of the current call.
struct CallView {
    account: u64,
    contact: u64,
    name: String,
    outcome: &'static str,
    outcome_text: &'static str,
    expires_at: Option<String>,
    ended: bool,
    requests: Vec<Judged>,
}

#[derive(Template)]
#[template(path = "console.html")]
struct ConsolePage {
    frame: Frame,
    error: Option<String>,
    account: String,
    contact: String,
    call: Option<CallView>,
}

fn title(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Routine => "Routine",
        RequestKind::Billable => "Billable",
        RequestKind::SignificantChange => "Significant change",
        RequestKind::Cancellation => "Cancellation",
    }
}

fn outcome_text(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Verified => "Verified",
        Outcome::NotVerified => "Not verified",
        Outcome::Locked => "Locked",
    }
}

/// One request kind's decision as the console shows it (approvers by name).
fn judged(a: &Account, kind: RequestKind, decision: &Decision) -> Judged {
    let (class, text) = match decision {
        Decision::Allowed => ("allowed", "Allowed".to_owned()),
        Decision::NeedsApproval { approvers } => {
            let who: Vec<String> = approvers
                .iter()
                .map(|id| match a.contact(*id) {
                    Ok(c) => format!("{} ({id})", c.details().name),
                    Err(_) => format!("contact {id}"),
                })
                .collect();
            (
                "needs_approval",
                format!("Needs approval from {}", who.join(", ")),
            )
        }
        Decision::Denied { reason } => ("denied", format!("Denied: {reason}")),
    };
    Judged {
        kind: kind.as_str(),
        title: title(kind),
        decision: class,
        text,
    }
}

/// What the current call may request, asked of the core with the kept token.
async fn view(service: &Arc<Service>, call: Call) -> Result<CallView, PageError> {
    let Call {
        account,
        contact,
        outcome,
        token,
        expires_at,
    } = call;
    let judged = service
        .store(move |store, engine| {
            let a = crate::v1::load(store, account)?;
            let name = a
                .contact(contact)
                .map(|c| c.details().name.clone())
                .unwrap_or_default();
            let Some(token) = token else {
                return Ok((name, false, Vec::new()));
            };
            let Some(verified) = store.call(&token)? else {
                return Ok((name, true, Vec::new()));
            };
            let mut requests = Vec::new();
            for kind in RequestKind::ALL {
                let decision = a.authorize(engine, &verified, kind)?;
                requests.push(judged(&a, kind, &decision));
            }
            Ok((name, false, requests))
        })
        .await?;
    let (name, ended, requests) = judged;
    Ok(CallView {
        account: account.0,
        contact: contact.0,
        name,
        outcome: outcome.as_str(),
        outcome_text: outcome_text(outcome),
        expires_at: expires_at.map(|t| t.to_string()),
        ended,
        requests,
    })
}

async fn console_page(
    service: &Arc<Service>,
    pages: &Pages,
    agent: &AgentSession,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, PageError> {
    let call = match pages.sessions.call(agent.current.key) {
        Some(call) => Some(view(service, call).await?),
        None => None,
    };
    let (account, contact) = call.as_ref().map_or((String::new(), String::new()), |c| {
        (c.account.to_string(), c.contact.to_string())
    });
    let page = ConsolePage {
        frame: Frame::of(pages, &agent.current),
        error,
        account,
        contact,
        call,
    };
    Ok((status, render(&page)?).into_response())
}

/// The console page again, with the error's status and its words (never a code).
async fn refused(
    service: &Arc<Service>,
    pages: &Pages,
    agent: &AgentSession,
    e: ApiError,
) -> Result<Response, PageError> {
    let status = e.status();
    console_page(service, pages, agent, status, Some(e.problem().detail)).await
}

/// `GET /console`.
pub(crate) async fn page(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    agent: AgentSession,
) -> Result<Response, PageError> {
    console_page(&service, &pages, &agent, StatusCode::OK, None).await
}

/// The verification form.
#[derive(serde::Deserialize)]
pub(crate) struct VerifyForm {
    account: String,
    contact: String,
    code: Zeroizing<String>,
}

/// `POST /console/verify`: verify the caller; the answer replaces the previous call.
pub(crate) async fn verify(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    agent: AgentSession,
    Form(mut form): Form<VerifyForm>,
) -> Result<Response, PageError> {
    pages.sessions.set_call(agent.current.key, None);
    let ids = (
        form.account.trim().parse::<u64>(),
        form.contact.trim().parse::<u64>(),
    );
    let (Ok(account), Ok(contact)) = ids else {
        let error = "enter the Client ID and the contact's ID as numbers".to_owned();
        return console_page(
            &service,
            &pages,
            &agent,
            StatusCode::BAD_REQUEST,
            Some(error),
        )
        .await;
    };
    let code = match SecurityCode::new(std::mem::take(&mut *form.code)) {
        Ok(code) => code,
        Err(e) => return refused(&service, &pages, &agent, e.into()).await,
    };
    let (account, contact) = (AccountId(account), ContactId(contact));
    let by = agent.agent.clone();
    let verified = service
        .hashing(move |store, engine| {
            let v = seccode_store::verify_as(store, engine, by.as_ref(), account, contact, &code)?;
            let token = seccode_store::keep_call(store, &v)?;
            Ok((v.outcome(), token, v.call().map(|c| c.expires_at())))
        })
        .await;
    let (outcome, token, expires_at) = match verified {
        Ok(v) => v,
        Err(e) => return refused(&service, &pages, &agent, e).await,
    };
    service
        .metrics
        .verifications
        .get_or_create(&OutcomeLabels {
            outcome: outcome.as_str().to_owned(),
        })
        .inc();
    pages.sessions.set_call(
        agent.current.key,
        Some(Call {
            account,
            contact,
            outcome,
            token,
            expires_at,
        }),
    );
    Ok(Redirect::to("/console").into_response())
}

/// `POST /console/clear`: forget the current call (the next caller).
pub(crate) async fn clear(
    Extension(pages): Extension<Arc<Pages>>,
    agent: AgentSession,
) -> Redirect {
    pages.sessions.set_call(agent.current.key, None);
    Redirect::to("/console")
}

/// The form of a "Record" button: which request the caller makes.
#[derive(serde::Deserialize)]
pub(crate) struct RequestForm {
    kind: String,
}

/// `POST /console/request`: the caller makes a request; its decision is recorded in the audit
/// log under the agent's name, as `POST /v1/authorizations` records it, and the console says
/// so. Without a verified call, or after it ended, nothing is recorded and the page says why.
pub(crate) async fn request(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    agent: AgentSession,
    Form(form): Form<RequestForm>,
) -> Result<Response, PageError> {
    let kind: RequestKind = match form.kind.parse() {
        Ok(kind) => kind,
        Err(e) => return refused(&service, &pages, &agent, e.into()).await,
    };
    let token = pages
        .sessions
        .call(agent.current.key)
        .and_then(|call| call.token);
    let Some(token) = token else {
        let error = "verify the caller first: only a verified caller's requests are recorded";
        return console_page(
            &service,
            &pages,
            &agent,
            StatusCode::CONFLICT,
            Some(error.to_owned()),
        )
        .await;
    };
    let by = agent.agent.clone();
    let recorded = service
        .store(move |store, engine| {
            crate::v1::record_request(store, engine, by.as_ref(), &token, kind, |a, _, d| {
                judged(a, kind, &d)
            })
        })
        .await;
    match recorded {
        Ok(judged) => {
            let message = format!("Recorded: {}: {}.", judged.title, judged.text);
            pages.sessions.set_flash(agent.current.key, &message);
            Ok(Redirect::to("/console").into_response())
        }
        Err(e) => refused(&service, &pages, &agent, e).await,
    }
}

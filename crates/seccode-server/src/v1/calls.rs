//! A caller on the line: verification (SPEC 2.4, 8) and authorization of a request with the
//! verification's token (SPEC 5, 7).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use seccode::{
    Account, AccountId, AgentName, ContactId, Decision, Engine, RequestKind, SecurityCode,
    VerifiedCall,
};
use seccode_store::{AnyStore, CallToken, Store, StoreError, update_account_as};

use crate::auth::{Body, Caller};
use crate::error::{ApiError, Problem};
use crate::metrics::OutcomeLabels;
use crate::service::Service;

/// A caller's claim: the contact and the code they give.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct VerifyBody {
    /// The contact the caller claims to be.
    pub contact: u64,
    /// The code the caller gives (never stored, logged or returned).
    pub code: String,
}

/// The answer: `verified`, `not_verified` or `locked`, never the reason; with `verified`,
/// the token for this call and when it expires.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct VerifyOut {
    /// `verified`, `not_verified` or `locked`.
    pub outcome: String,
    /// The verification for this call (`scv_…`), shown once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// When the token expires (Unix seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

/// A request the verified caller makes.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuthorizeBody {
    /// The token of the verification.
    pub token: String,
    /// `routine`, `billable`, `significant_change` or `cancellation`.
    pub kind: String,
}

/// What support may do with the request.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct AuthorizeOut {
    /// The account of the verification.
    pub account: u64,
    /// The verified contact.
    pub contact: u64,
    /// The kind of request.
    pub kind: String,
    /// `{"decision": "allowed"}`, `{"decision": "needs_approval", "approvers": [..]}` or
    /// `{"decision": "denied", "reason": ..}`.
    #[schema(value_type = Object)]
    pub decision: serde_json::Value,
}

/// Verify a caller. The attempt is counted before it is checked, with no store lock held
/// while Argon2 runs; a saturated service answers `503` with `Retry-After`.
#[utoipa::path(post, path = "/v1/accounts/{account}/verifications", tag = "calls",
    params(("account" = u64, Path, description = "Client ID")), request_body = VerifyBody,
    responses((status = 200, body = VerifyOut), (status = 400, body = Problem),
              (status = 404, body = Problem), (status = 503, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn verify(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path(account): Path<u64>,
    Body(body): Body<VerifyBody>,
) -> Result<Json<VerifyOut>, ApiError> {
    let code = SecurityCode::new(body.code)?;
    let contact = ContactId(body.contact);
    let agent = caller.agent;
    let out = service
        .hashing(move |store, engine| {
            let v = seccode_store::verify_as(
                store,
                engine,
                agent.as_ref(),
                AccountId(account),
                contact,
                &code,
            )?;
            let token = seccode_store::keep_call(store, &v)?;
            Ok(VerifyOut {
                outcome: v.outcome().as_str().to_owned(),
                token: token.map(|t| t.expose_secret().to_owned()),
                expires_at: v.call().map(|c| c.expires_at().unix_seconds()),
            })
        })
        .await?;
    service
        .metrics
        .verifications
        .get_or_create(&OutcomeLabels {
            outcome: out.outcome.clone(),
        })
        .inc();
    Ok(Json(out))
}

/// What the caller verified on this call may request, recorded in the audit log (naming the
/// agent of an agent key). An expired or void verification is denied ("verify again").
#[utoipa::path(post, path = "/v1/authorizations", tag = "calls", request_body = AuthorizeBody,
    responses((status = 200, body = AuthorizeOut), (status = 400, body = Problem),
              (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn authorize(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Body(body): Body<AuthorizeBody>,
) -> Result<Json<AuthorizeOut>, ApiError> {
    let kind: RequestKind = body.kind.parse()?;
    let token = CallToken::parse(&body.token)?;
    let agent = caller.agent;
    let out = service
        .store(move |store, engine| {
            let (account, contact, decision) =
                record_request(store, engine, agent.as_ref(), &token, kind, |_, call, d| {
                    (call.account(), call.contact(), d)
                })?;
            Ok(AuthorizeOut {
                account: account.0,
                contact: contact.0,
                kind: kind.as_str().to_owned(),
                decision: serde_json::to_value(&decision)
                    .map_err(|e| ApiError::internal(e.to_string()))?,
            })
        })
        .await?;
    Ok(Json(out))
}

/// Judge what the caller verified under `token` asks for and record the decision in the audit
/// log, naming `agent`, in one transaction: what `POST /v1/authorizations` and the agent
/// console's "Record" buttons both do. `answer` makes the caller's answer from the account,
/// the call and the decision, in that transaction. An unknown or expired token is
/// `unknown_token`.
pub(crate) fn record_request<T>(
    store: &mut AnyStore,
    engine: &Engine,
    agent: Option<&AgentName>,
    token: &CallToken,
    kind: RequestKind,
    answer: impl FnOnce(&Account, &VerifiedCall, Decision) -> T,
) -> Result<T, ApiError> {
    let call = store.call(token)?.ok_or(StoreError::UnknownToken)?;
    Ok(update_account_as(store, call.account(), agent, |a| {
        let decision = a.authorize_recorded(engine, &call, kind)?;
        Ok::<_, seccode::Error>(answer(a, &call, decision))
    })?)
}

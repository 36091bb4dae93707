//! The audit log, filtered and paged (roles `agent`, `admin`): never a code.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use seccode::{AccountId, AgentName, AuditKind, ContactId, Timestamp};
use seccode_store::{AuditFilter, Store};

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::keys::Role;
use crate::service::Service;

/// Which events.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    /// Only this account's events.
    pub account: Option<u64>,
    /// Only events about this contact or made by it.
    pub contact: Option<u64>,
    /// Only events at or after this time (Unix seconds).
    pub since: Option<i64>,
    /// Only events before this time (Unix seconds).
    pub until: Option<i64>,
    /// Only events of this kind (`verification_failed`, `code_set`, …); an unknown kind is
    /// refused (400).
    pub kind: Option<String>,
    /// Only events made through this agent (an agent key's name).
    pub agent: Option<String>,
    /// At most this many events, the most recent (default 100, at most 1000).
    pub limit: Option<usize>,
}

/// Audit events, oldest first.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct AuditOut {
    /// The events, each with its place in the log (`seq`).
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<serde_json::Value>,
}

/// The audit log.
#[utoipa::path(get, path = "/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditOut), (status = 400, body = Problem),
              (status = 403, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn audit_log(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Query(query): Query<AuditQuery>,
) -> Result<Json<AuditOut>, ApiError> {
    caller.require(&[Role::Agent, Role::Admin], "read the audit log")?;
    let agent = query.agent.as_deref().map(AgentName::new).transpose()?;
    let kind = query
        .kind
        .as_deref()
        .map(AuditKind::parse_name)
        .transpose()?;
    let filter = AuditFilter {
        account: query.account.map(AccountId),
        contact: query.contact.map(ContactId),
        since: query.since.map(Timestamp),
        until: query.until.map(Timestamp),
        kind: kind.map(str::to_owned),
        agent,
        limit: Some(query.limit.unwrap_or(100).min(1000)),
    };
    let events = service
        .store(move |store, _| {
            store
                .audit(&filter)?
                .into_iter()
                .map(|e| serde_json::to_value(e).map_err(|e| ApiError::internal(e.to_string())))
                .collect()
        })
        .await?;
    Ok(Json(AuditOut { events }))
}

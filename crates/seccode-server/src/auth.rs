//! Who is calling: the API key of `Authorization: Bearer …`, checked against the key file on
//! every request but the health checks; and the JSON body extractor that never quotes input.

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use seccode::{AgentName, ContactId};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::keys::Role;
use crate::metrics::ReasonLabels;
use crate::service::Service;

/// The authenticated caller: the key's id and role (never the key), and for an agent key the
/// agent the audit log names ([`crate::keys::KeyInfo::agent`]).
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub key_id: String,
    pub role: Role,
    pub agent: Option<AgentName>,
}

impl Caller {
    /// Refuse (403, `role_forbidden`) unless the caller's role is one of `roles`.
    pub(crate) fn require(&self, roles: &[Role], what: &str) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            return Ok(());
        }
        tracing::warn!(key = %self.key_id, role = %self.role, operation = what, "role refused");
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "role_forbidden",
            format!("a key with role `{}` may not {what}", self.role),
        ))
    }
}

/// The acting contact a change names (`actor` in the body): the audit log records it, and
/// every rule of SPEC 3 is checked against it by the core.
pub(crate) fn actor(actor: Option<u64>) -> Result<ContactId, ApiError> {
    actor.map(ContactId).ok_or_else(|| {
        ApiError::bad_request(
            "actor_required",
            "name the contact making this change in the body's `actor` field",
        )
    })
}

fn refuse(service: &Service, reason: &'static str) -> ApiError {
    service
        .metrics
        .auth_failures
        .get_or_create(&ReasonLabels {
            reason: reason.to_owned(),
        })
        .inc();
    // SPEC 9: failed authentications are audited, without the secret. The store's audit log
    // is the accounts' (its events are the core's), so the record is this log line.
    tracing::warn!(reason, "authentication failed");
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "a valid API key is required: `Authorization: Bearer sck_…`",
    )
}

impl FromRequestParts<Arc<Service>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        service: &Arc<Service>,
    ) -> Result<Caller, ApiError> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(refuse(service, "missing"));
        };
        let Some(key) = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
        else {
            return Err(refuse(service, "malformed"));
        };
        let key = key.to_owned();
        let ring = Arc::clone(service);
        let found = tokio::task::spawn_blocking(move || ring.keys.authenticate(&key))
            .await
            .map_err(|_| ApiError::internal("the key check failed"))??;
        match found {
            Some(info) => Ok(Caller {
                agent: info.agent(),
                key_id: info.id,
                role: info.role,
            }),
            None => Err(refuse(service, "unknown_or_revoked")),
        }
    }
}

/// A JSON request body. Malformed JSON, wrong types and missing fields are answered with a
/// problem that names the position, never a value from the body (which may hold a code).
#[derive(Debug)]
pub(crate) struct Body<T>(pub T);

impl<T: DeserializeOwned> FromRequest<Arc<Service>> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &Arc<Service>) -> Result<Body<T>, ApiError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                v.starts_with("application/json") || v.contains("+json")
            });
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as `Content-Type: application/json`",
            ));
        }
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(bytes) => bytes,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "the body is larger than 64 KiB",
                ));
            }
            Err(_) => {
                return Err(ApiError::bad_request(
                    "bad_body",
                    "the body could not be read",
                ));
            }
        };
        serde_json::from_slice(&bytes).map(Body).map_err(|e| {
            use serde_json::error::Category;
            let at = format!("at line {} column {}", e.line(), e.column());
            match e.classify() {
                Category::Data => {
                    // serde's "missing field `x`" names one of our fields; "unknown field
                    // `x`" quotes the client's key, and "invalid type: string \"…\"" a value,
                    // either of which may be a code: keep only the shape.
                    let text = e.to_string();
                    let expected = text.find(", expected ").and_then(|i| text.get(i + 2..));
                    let detail = if text.starts_with("missing field") {
                        text
                    } else if text.starts_with("unknown field") {
                        match expected {
                            Some(expected) => format!("unknown field: {expected}"),
                            None => format!("unknown field {at}"),
                        }
                    } else {
                        match expected {
                            Some(expected) => format!("wrong type or value: {expected}"),
                            None => format!("wrong type or value {at}"),
                        }
                    };
                    ApiError::bad_request("invalid_body", detail)
                }
                _ => ApiError::bad_request("malformed_json", format!("malformed JSON {at}")),
            }
        })
    }
}

//! [`ApiError`]: every refusal of the API as RFC 9457 problem details whose `type` is the
//! core's stable error name (`permission_denied`, `policy_rejected`, …), and [`ServerError`]
//! for what stops the service from starting.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use seccode::ErrorKind;
use seccode_store::StoreError;

use crate::keys::KeyError;
use crate::tls::TlsError;

/// Problem details (RFC 9457), as every error of the API is answered.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// The stable error name: the core's (`permission_denied`, `unknown_contact`, …), the
    /// store's (`unknown_account`, `store_busy`, …) or the service's (`unauthorized`,
    /// `role_forbidden`, `malformed_json`, `code_in_query`, `saturated`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem (the HTTP reason phrase).
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong with this request; never a code, a hash, a key or a token.
    pub detail: String,
    /// For `policy_rejected`: every reason the policy gave (`too_short`, `too_weak`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasons: Option<Vec<String>>,
}

/// An error answer of the API.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    detail: String,
    reasons: Option<Vec<String>>,
    retry_after: Option<u64>,
}

impl ApiError {
    /// An error with this status, stable name and detail.
    pub fn new(status: StatusCode, kind: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind,
            detail: detail.into(),
            reasons: None,
            retry_after: None,
        }
    }

    /// Also tell the client when to try again (`Retry-After`, in seconds).
    pub fn retry_after(mut self, seconds: u64) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable name (the problem's `type`).
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    pub(crate) fn bad_request(kind: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, kind, detail)
    }

    pub(crate) fn internal(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
    }

    /// The problem document of this error.
    pub fn problem(&self) -> Problem {
        Problem {
            kind: self.kind.to_owned(),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            reasons: self.reasons.clone(),
        }
    }
}

impl From<seccode::Error> for ApiError {
    fn from(e: seccode::Error) -> ApiError {
        let status = match (&e, e.kind()) {
            (seccode::Error::MalformedHash(_) | seccode::Error::HashCeilingExceeded(_), _) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            (_, ErrorKind::InvalidArgument) => StatusCode::BAD_REQUEST,
            (_, ErrorKind::NotFound) => StatusCode::NOT_FOUND,
            (_, ErrorKind::PermissionDenied) => StatusCode::FORBIDDEN,
            (_, ErrorKind::PolicyRejected) => StatusCode::UNPROCESSABLE_ENTITY,
            (_, ErrorKind::Conflict) => StatusCode::CONFLICT,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let reasons = match &e {
            seccode::Error::PolicyRejected(reasons) => {
                Some(reasons.iter().map(|r| r.code().to_owned()).collect())
            }
            _ => None,
        };
        ApiError {
            reasons,
            ..ApiError::new(status, e.as_str(), e.to_string())
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        let (status, kind) = match &e {
            StoreError::Core(core) => return ApiError::from(core.clone()),
            StoreError::UnknownAccount(_) => (StatusCode::NOT_FOUND, "unknown_account"),
            StoreError::DuplicateAccount(_) => (StatusCode::CONFLICT, "duplicate_account"),
            StoreError::IdOutOfRange { .. } => (StatusCode::BAD_REQUEST, "id_out_of_range"),
            StoreError::InvalidToken => (StatusCode::BAD_REQUEST, "invalid_token"),
            StoreError::UnknownToken => (StatusCode::NOT_FOUND, "unknown_token"),
            StoreError::Busy(_) => {
                return ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "store_busy",
                    "the store is busy: try again",
                )
                .retry_after(1);
            }
            StoreError::Unavailable(_) => {
                tracing::error!(error = %e, "store unavailable");
                return ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "store_unavailable",
                    "the store is unavailable: try again",
                )
                .retry_after(5);
            }
            _ => {
                // Paths and database diagnoses are for the operator's log, not the client.
                tracing::error!(error = %e, "store error");
                return ApiError::internal("the store failed: see the service's log");
            }
        };
        ApiError::new(status, kind, e.to_string())
    }
}

impl From<KeyError> for ApiError {
    fn from(e: KeyError) -> ApiError {
        tracing::error!(error = %e, "key file error");
        ApiError::internal("the key file cannot be read: see the service's log")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Why the service could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// Binding, accepting or the runtime failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The store could not be opened or read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The engine refused its configuration (hash cost, pepper).
    #[error(transparent)]
    Core(#[from] seccode::Error),
    /// The key file could not be read.
    #[error(transparent)]
    Keys(#[from] KeyError),
    /// The TLS certificate or private key (`--tls-cert`, `--tls-key`) cannot be used.
    #[error(transparent)]
    Tls(#[from] TlsError),
}

//! [`PageError`]: a refusal or failure shown as a page of its own, with the status the JSON
//! API answers for the same error. Its message is the API's problem detail, which never holds
//! a code, a password, a key or a session id.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::layout::Frame;
use crate::error::ApiError;

/// An error page.
#[derive(Debug, Clone)]
pub(crate) struct PageError {
    status: StatusCode,
    message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    frame: Frame,
    status: u16,
    reason: &'a str,
    message: &'a str,
}

impl PageError {
    /// An error with this status and message (shown escaped).
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> PageError {
        PageError {
            status,
            message: message.into(),
        }
    }

    /// 500, with a message for the person (details go to the log).
    pub(crate) fn internal(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// 403.
    pub(crate) fn forbidden(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::FORBIDDEN, message)
    }

    /// 400.
    pub(crate) fn bad_request(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::BAD_REQUEST, message)
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        let problem = e.problem();
        PageError::new(e.status(), problem.detail)
    }
}

/// Render a template, or a plain 500 page when it cannot be (it always can: the templates
/// are checked at compile time).
pub(crate) fn render(template: &impl Template) -> Result<Html<String>, PageError> {
    template.render().map(Html).map_err(|e| {
        tracing::error!(error = %e, "a page could not be rendered");
        PageError::internal("the page could not be rendered")
    })
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = ErrorPage {
            frame: Frame::bare(),
            status: self.status.as_u16(),
            reason: self.status.canonical_reason().unwrap_or("Error"),
            message: &self.message,
        };
        let body = page
            .render()
            .unwrap_or_else(|_| "<!doctype html><title>Error</title><p>Error</p>".to_owned());
        (self.status, Html(body)).into_response()
    }
}

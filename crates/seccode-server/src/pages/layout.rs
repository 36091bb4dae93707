//! What every page shares: the frame of the layout template (who is signed in, the menu, the
//! sign-out form with the session's CSRF token, the message to show once), the stylesheet,
//! and the response headers of every page.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::IntoResponse;

use super::Pages;
use super::session::{Current, Who};

/// The stylesheet, served from the binary at `/static/seccode.css`.
pub(crate) const STYLESHEET: &str = include_str!("../../static/seccode.css");

/// The Content-Security-Policy of every page: nothing but this site's own stylesheet and
/// images, forms posting back here only, no framing, no `<base>`, and no script at all.
pub(crate) const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
                              form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The layout's part of a page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Frame {
    /// The session's CSRF token, for the hidden field of every form (empty without one).
    pub csrf: String,
    /// Who is signed in, in words; `None` when nobody is.
    pub who: Option<String>,
    /// Show the portal's menu.
    pub portal: bool,
    /// The signed-in contact's id (for "Change Password"), when a contact is signed in.
    pub me: Option<u64>,
    /// A message to show once ("Success: Contact updated.").
    pub flash: Option<String>,
}

impl Frame {
    /// The frame of a page outside any session (error pages).
    pub(crate) fn bare() -> Frame {
        Frame::default()
    }

    /// The frame of a page of `current`'s session, taking its message to show once.
    pub(crate) fn of(pages: &Pages, current: &Current) -> Frame {
        let who = match &current.who {
            Who::Anonymous => None,
            Who::Agent { key_id } => Some(format!("Agent (key {key_id})")),
            Who::Contact { account, contact } => {
                Some(format!("Contact {contact}, Client ID {account}"))
            }
        };
        Frame {
            csrf: current.csrf.as_str().to_owned(),
            portal: matches!(current.who, Who::Contact { .. }),
            me: match current.who {
                Who::Contact { contact, .. } => Some(contact.0),
                _ => None,
            },
            who,
            flash: pages.sessions.take_flash(current.key),
        }
    }
}

/// Set the headers every page carries.
pub(crate) fn secure_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

/// `GET /static/seccode.css`.
pub(crate) async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        STYLESHEET,
    )
}

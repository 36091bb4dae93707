//! The portal pages and the agent console (SPEC 10), served by `seccode serve` beside the
//! JSON API: server-rendered HTML from askama templates (checked at compile time, every value
//! escaped), plain forms that work without JavaScript.
//!
//! A handler converts and delegates exactly as the `/v1` handlers do: it calls the same core
//! operations through the same store functions with the signed-in contact as the actor, so a
//! forged form is refused by the same check as a forged API call. What a page offers is asked
//! of the core too ([`offers`]).
//!
//! What applies to every page lives in the guard ([`guard`]): the session from its cookie
//! ([`session`]), the CSRF check of every POST ([`csrf`]) and the security headers
//! ([`layout::secure_headers`]). Sign-in is throttled per client address ([`throttle`]).

mod console;
mod contact;
mod contacts;
mod csrf;
mod error;
mod layout;
mod offers;
mod profile;
mod session;
mod signin;
mod throttle;

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, body::Body};

use crate::service::Service;
use error::PageError;
use session::{Current, Sessions, Who};
use throttle::Throttle;

/// The state of the pages: the sessions and the sign-in throttle of this process.
pub(crate) struct Pages {
    sessions: Sessions,
    throttle: Throttle,
}

impl Pages {
    fn new() -> Pages {
        Pages {
            sessions: Sessions::new(session::IDLE),
            throttle: Throttle::new(throttle::MAX_FAILURES, throttle::WINDOW),
        }
    }
}

/// The routes of the pages (kept out of the OpenAPI document: they are not the API).
pub(crate) fn routes() -> Router<Arc<Service>> {
    let pages = Arc::new(Pages::new());
    Router::new()
        .route("/", get(index))
        .route("/static/seccode.css", get(layout::stylesheet))
        .route("/signin", get(signin::contact_form).post(signin::contact))
        .route("/signout", post(signin::signout))
        .route(
            "/console/signin",
            get(signin::agent_form).post(signin::agent),
        )
        .route("/console", get(console::page))
        .route("/console/verify", post(console::verify))
        .route("/console/request", post(console::request))
        .route("/console/clear", post(console::clear))
        .route("/portal", get(|| async { Redirect::to("/portal/profile") }))
        .route("/portal/profile", get(profile::view))
        .route(
            "/portal/profile/custom-fields",
            get(profile::edit).post(profile::save),
        )
        .route(
            "/portal/profile/custom-fields/reveal",
            post(profile::reveal),
        )
        .route("/portal/contacts", get(contacts::list).post(contacts::add))
        .route("/portal/contacts/new", get(contacts::new_form))
        .route("/portal/contacts.csv", get(contacts::csv))
        .route(
            "/portal/contacts/{contact}/deactivate",
            post(contacts::deactivate),
        )
        .route(
            "/portal/contacts/{contact}/custom-fields/reveal",
            post(contact::reveal),
        )
        .route(
            "/portal/contacts/{contact}/{tab}",
            get(contact::show).post(contact::save),
        )
        .layer(middleware::from_fn_with_state(Arc::clone(&pages), guard))
        .layer(Extension(pages))
}

/// `GET /`: the portal for a contact, the console for an agent, else the contact sign-in.
async fn index(visitor: Visitor) -> Redirect {
    match visitor.0.map(|c| c.who) {
        Some(Who::Agent { .. }) => Redirect::to("/console"),
        Some(Who::Contact { .. }) => Redirect::to("/portal/profile"),
        _ => Redirect::to("/signin"),
    }
}

/// What applies to every page: find the session of the cookie, refuse a POST whose form does
/// not carry the session's CSRF token (403), and set the security headers on every answer.
async fn guard(State(pages): State<Arc<Pages>>, request: Request, next: Next) -> Response {
    let current = session::presented(request.headers()).and_then(|id| pages.sessions.find(&id));
    let (mut parts, body) = request.into_parts();
    if let Some(current) = &current {
        parts.extensions.insert(current.clone());
    }
    let mut response = if parts.method == Method::POST {
        match axum::body::to_bytes(body, crate::BODY_LIMIT).await {
            Err(_) => PageError::bad_request("the form could not be read").into_response(),
            Ok(bytes) => {
                let sent = csrf::field(&bytes);
                let valid = match (&current, sent) {
                    (Some(c), Some(sent)) => c.csrf.matches(&sent),
                    _ => false,
                };
                if valid {
                    next.run(Request::from_parts(parts, Body::from(bytes)))
                        .await
                } else {
                    tracing::warn!("a form without this session's CSRF token was refused");
                    PageError::forbidden(
                        "this form was not sent from a current page of this site: go back, \
                         reload the page and try again",
                    )
                    .into_response()
                }
            }
        }
    } else {
        next.run(Request::from_parts(parts, body)).await
    };
    // A refusal that did not come from a page (a path or form the extractors could not read)
    // is answered as a page too, without echoing what was sent.
    let status = response.status();
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if (status.is_client_error() || status.is_server_error()) && !html {
        response = PageError::new(
            status,
            "this request cannot be answered: go back and try again",
        )
        .into_response();
    }
    layout::secure_headers(response.headers_mut());
    response
}

/// The client's address, for the sign-in throttle (the unspecified address when the server
/// was not started with connection information).
pub(crate) struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientAddr, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED), |c| c.0.ip()),
        ))
    }
}

/// The session of the request, if it has a live one.
pub(crate) struct Visitor(pub Option<Current>);

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Visitor, Self::Rejection> {
        Ok(Visitor(parts.extensions.get::<Current>().cloned()))
    }
}

/// A signed-in contact; anyone else is sent to the contact sign-in.
pub(crate) struct ContactSession {
    /// The session.
    pub current: Current,
    /// The contact's account.
    pub account: seccode::AccountId,
    /// The contact.
    pub contact: seccode::ContactId,
}

impl<S: Send + Sync> FromRequestParts<S> for ContactSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ContactSession, Response> {
        match parts.extensions.get::<Current>() {
            Some(current) => match current.who {
                Who::Contact { account, contact } => Ok(ContactSession {
                    current: current.clone(),
                    account,
                    contact,
                }),
                _ => Err(Redirect::to("/signin").into_response()),
            },
            None => Err(Redirect::to("/signin").into_response()),
        }
    }
}

/// A signed-in agent whose key is still valid; anyone else is sent to the agent sign-in.
pub(crate) struct AgentSession {
    /// The session.
    pub current: Current,
    /// The agent the audit log names: the key's ([`crate::keys::KeyInfo::agent`]).
    pub agent: Option<seccode::AgentName>,
}

impl FromRequestParts<Arc<Service>> for AgentSession {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        service: &Arc<Service>,
    ) -> Result<AgentSession, Response> {
        let Some(current) = parts.extensions.get::<Current>().cloned() else {
            return Err(Redirect::to("/console/signin").into_response());
        };
        let Who::Agent { key_id } = &current.who else {
            return Err(Redirect::to("/console/signin").into_response());
        };
        // A key revoked since sign-in ends the session at its next request.
        let ring = Arc::clone(service);
        let id = key_id.clone();
        let valid = tokio::task::spawn_blocking(move || {
            ring.keys.list().map(|keys| {
                keys.into_iter().find(|k| {
                    k.id == id && k.revoked_at.is_none() && k.role == crate::keys::Role::Agent
                })
            })
        })
        .await
        .ok()
        .and_then(Result::ok)
        .flatten();
        let Some(key) = valid else {
            if let Some(pages) = parts.extensions.get::<Arc<Pages>>() {
                pages.sessions.drop_session(current.key);
            }
            return Err(Redirect::to("/console/signin").into_response());
        };
        Ok(AgentSession {
            current,
            agent: key.agent(),
        })
    }
}

/// A 303 to `to` that also hands the browser `cookie`.
pub(crate) fn redirect_with_cookie(to: &str, cookie: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

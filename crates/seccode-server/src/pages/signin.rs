//! Sign-in and sign-out. The sign-in forms are posted from an anonymous session (so they carry
//! a CSRF token like every form); a successful sign-in drops that session and starts a new
//! one with a new id, and sign-out drops the session. Failed sign-ins are counted per client
//! address, and an address with too many is refused (429) before anything is checked.
//!
//! Agents sign in with their API key (role `agent`), checked by the key ring exactly as the
//! API checks it. Contacts sign in with their portal password.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use seccode::{AccountId, ContactId, Password, SignInOutcome};
use zeroize::Zeroizing;

use super::error::{PageError, render};
use super::layout::Frame;
use super::session::{Who, clear_cookie};
use super::{ClientAddr, Pages, Visitor, redirect_with_cookie};
use crate::keys::Role;
use crate::service::Service;

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    frame: Frame,
    agent: bool,
    error: Option<String>,
    account: String,
    contact: String,
}

/// Show a sign-in form, in the visitor's session or a new anonymous one.
fn form_page(
    pages: &Pages,
    visitor: Visitor,
    agent: bool,
    status: StatusCode,
    error: Option<String>,
    account: String,
    contact: String,
) -> Result<Response, PageError> {
    let (current, cookie) = match visitor.0 {
        Some(current) => (current, None),
        None => {
            let (id, current) = pages.sessions.create(Who::Anonymous)?;
            (current, Some(id.cookie()))
        }
    };
    let page = SignInPage {
        frame: Frame::of(pages, &current),
        agent,
        error,
        account,
        contact,
    };
    let mut response = (status, render(&page)?).into_response();
    if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

fn throttled() -> Response {
    let mut response = PageError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too many failed sign-ins from this address: wait a few minutes and try again",
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    response
}

/// `GET /signin`: the contact sign-in form.
pub(crate) async fn contact_form(
    Extension(pages): Extension<Arc<Pages>>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    if matches!(
        visitor.0.as_ref().map(|c| &c.who),
        Some(Who::Contact { .. })
    ) {
        return Ok(Redirect::to("/portal/profile").into_response());
    }
    form_page(
        &pages,
        visitor,
        false,
        StatusCode::OK,
        None,
        String::new(),
        String::new(),
    )
}

/// The contact sign-in form.
#[derive(serde::Deserialize)]
pub(crate) struct ContactSignIn {
    account: String,
    contact: String,
    password: Zeroizing<String>,
}

/// `POST /signin`: a contact signs in with account, contact and portal password, checked by
/// the core (`seccode_store::sign_in`: Argon2id, failures counted with the contact's
/// verifications). Every refusal reads the same.
pub(crate) async fn contact(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    ClientAddr(addr): ClientAddr,
    visitor: Visitor,
    Form(mut form): Form<ContactSignIn>,
) -> Result<Response, PageError> {
    if !pages.throttle.allows(addr) {
        return Ok(throttled());
    }
    let ids = (
        form.account.trim().parse::<u64>(),
        form.contact.trim().parse::<u64>(),
    );
    let password = Password::new(std::mem::take(&mut *form.password));
    let signed_in = match (ids, password) {
        ((Ok(account), Ok(contact)), Ok(password)) => {
            let (account, contact) = (AccountId(account), ContactId(contact));
            let answer = service
                .hashing(move |store, engine| {
                    Ok(seccode_store::sign_in(
                        store, engine, account, contact, &password,
                    )?)
                })
                .await;
            match answer {
                Ok(s) if s.outcome() == SignInOutcome::SignedIn => Some((account, contact)),
                Ok(_) => None,
                Err(e) if e.status() == StatusCode::NOT_FOUND => None,
                Err(e) => return Err(e.into()),
            }
        }
        _ => None,
    };
    match signed_in {
        Some((account, contact)) => {
            pages.throttle.succeeded(addr);
            if let Some(old) = &visitor.0 {
                pages.sessions.drop_session(old.key);
            }
            let (id, _) = pages.sessions.create(Who::Contact { account, contact })?;
            Ok(redirect_with_cookie("/portal/profile", &id.cookie()))
        }
        None => {
            pages.throttle.failed(addr);
            tracing::warn!(reason = "contact_password", "page sign-in failed");
            form_page(
                &pages,
                visitor,
                false,
                StatusCode::UNAUTHORIZED,
                Some(
                    "the sign-in was refused: check the Client ID, the contact ID and the \
                     password (after too many failures the contact is locked for a while)"
                        .to_owned(),
                ),
                form.account,
                form.contact,
            )
        }
    }
}

/// `GET /console/signin`: the agent sign-in form.
pub(crate) async fn agent_form(
    Extension(pages): Extension<Arc<Pages>>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    form_page(
        &pages,
        visitor,
        true,
        StatusCode::OK,
        None,
        String::new(),
        String::new(),
    )
}

/// The agent sign-in form.
#[derive(serde::Deserialize)]
pub(crate) struct AgentSignIn {
    key: Zeroizing<String>,
}

/// `POST /console/signin`: an agent signs in with its API key (role `agent`).
pub(crate) async fn agent(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    ClientAddr(addr): ClientAddr,
    visitor: Visitor,
    Form(form): Form<AgentSignIn>,
) -> Result<Response, PageError> {
    if !pages.throttle.allows(addr) {
        return Ok(throttled());
    }
    let ring = Arc::clone(&service);
    let key = form.key;
    let found = tokio::task::spawn_blocking(move || ring.keys.authenticate(key.trim()))
        .await
        .map_err(|_| PageError::internal("the key check failed"))?
        .map_err(|e| PageError::from(crate::error::ApiError::from(e)))?;
    match found {
        Some(info) if info.role == Role::Agent => {
            pages.throttle.succeeded(addr);
            if let Some(old) = &visitor.0 {
                pages.sessions.drop_session(old.key);
            }
            let (id, _) = pages.sessions.create(Who::Agent { key_id: info.id })?;
            Ok(redirect_with_cookie("/console", &id.cookie()))
        }
        _ => {
            pages.throttle.failed(addr);
            tracing::warn!(reason = "agent_key", "page sign-in failed");
            form_page(
                &pages,
                visitor,
                true,
                StatusCode::UNAUTHORIZED,
                Some("that is not a valid agent key".to_owned()),
                String::new(),
                String::new(),
            )
        }
    }
}

/// `POST /signout`: drop the session; the browser forgets its cookie.
pub(crate) async fn signout(Extension(pages): Extension<Arc<Pages>>, visitor: Visitor) -> Response {
    let to = match visitor.0 {
        Some(current) => {
            pages.sessions.drop_session(current.key);
            if matches!(current.who, Who::Agent { .. }) {
                "/console/signin"
            } else {
                "/signin"
            }
        }
        None => "/signin",
    };
    redirect_with_cookie(to, &clear_cookie())
}

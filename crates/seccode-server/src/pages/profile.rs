//! Client Profile → View Profile, and its Custom Fields → Edit: the account-wide code (SPEC
//! 10). The code is set through `Account::set_account_code`, as `PUT /v1/accounts/{id}/code`
//! sets it; a refusal of the policy shows every reason; success shows "Success: Account
//! information updated.".
//!
//! With a sealing key ([`crate::ServiceOptions::sealer`]) the profile offers "Reveal" to a
//! contact the core allows to know the code: a POST that runs `Account::reveal_account_code`
//! in one transaction (so its `code_revealed` event is stored) and shows the code on the
//! answer page only, never in a URL, a redirect or a log line.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use seccode::{Engine, RevealedCode, SecurityCode};
use seccode_store::{StoreError, update_account};
use zeroize::Zeroizing;

use super::error::{PageError, render};
use super::layout::Frame;
use super::offers::Reveal;
use super::{ContactSession, Pages, offers};
use crate::error::ApiError;
use crate::service::{Service, changing};
use crate::v1::{ACCOUNT_UPDATED, load};

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    frame: Frame,
    account_id: u64,
    account_name: String,
    name: String,
    email: String,
    phone: String,
    title: String,
    code_set: bool,
    may_edit_code: bool,
    reveal: Reveal,
}

/// The answer to a "Reveal": the code, this once.
#[derive(Template)]
#[template(path = "revealed.html")]
pub(crate) struct RevealedPage {
    pub frame: Frame,
    /// Whose code, in words ("Account-wide code").
    pub whose: String,
    /// The page to go back to.
    pub back: String,
    /// The code (wiped when the page is dropped).
    pub code: RevealedCode,
}

#[derive(Template)]
#[template(path = "profile_edit.html")]
struct EditCustomFields {
    frame: Frame,
    code_set: bool,
    reasons: Vec<String>,
}

/// A code-setting operation's answer: done, or refused by the policy with every reason in
/// words; any other error as the API answers it.
pub(crate) fn policy_outcome<T>(
    result: Result<T, StoreError>,
    engine: &Engine,
) -> Result<Result<T, Vec<String>>, ApiError> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(StoreError::Core(seccode::Error::PolicyRejected(reasons))) => Ok(Err(reasons
            .into_iter()
            .map(|r| engine.policy().describe(r))
            .collect())),
        Err(e) => Err(e.into()),
    }
}

/// `GET /portal/profile`.
pub(crate) async fn view(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    session: ContactSession,
) -> Result<Response, PageError> {
    let (account, me) = (session.account, session.contact);
    let page = service
        .store(move |store, engine| {
            let a = load(store, account)?;
            let d = a.contact(me)?.details().clone();
            Ok(ProfilePage {
                frame: Frame::default(),
                account_id: a.id().0,
                account_name: a.name().to_owned(),
                name: d.name,
                email: d.email,
                phone: d.phone,
                title: d.title,
                code_set: a.has_account_code(),
                may_edit_code: offers::account(&a, engine, me).set_account_code,
                reveal: offers::reveal_account_code(&a, engine, me),
            })
        })
        .await?;
    let page = ProfilePage {
        frame: Frame::of(&pages, &session.current),
        ..page
    };
    Ok(render(&page)?.into_response())
}

/// Refuse (403, with the core's reason) unless the contact may set the account-wide code;
/// answer whether it is set.
async fn editable(service: &Arc<Service>, session: &ContactSession) -> Result<bool, PageError> {
    let (account, me) = (session.account, session.contact);
    let set = service
        .store(move |store, engine| {
            let a = load(store, account)?;
            offers::probe(&a, |a| a.clear_account_code(engine, me))?;
            Ok(a.has_account_code())
        })
        .await?;
    Ok(set)
}

/// `GET /portal/profile/custom-fields`: "Edit Custom Fields".
pub(crate) async fn edit(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    session: ContactSession,
) -> Result<Response, PageError> {
    let code_set = editable(&service, &session).await?;
    let page = EditCustomFields {
        frame: Frame::of(&pages, &session.current),
        code_set,
        reasons: Vec::new(),
    };
    Ok(render(&page)?.into_response())
}

/// The Custom Fields form.
#[derive(serde::Deserialize)]
pub(crate) struct CodeForm {
    code: Zeroizing<String>,
}

/// `POST /portal/profile/custom-fields`: "Save Changes". The core decides who may.
pub(crate) async fn save(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    session: ContactSession,
    Form(mut form): Form<CodeForm>,
) -> Result<Response, PageError> {
    let code = SecurityCode::new(std::mem::take(&mut *form.code)).map_err(ApiError::from)?;
    let (account, me) = (session.account, session.contact);
    let outcome = service
        .hashing(move |store, engine| {
            policy_outcome(
                update_account(store, account, |a| a.set_account_code(engine, me, &code)),
                engine,
            )
        })
        .await?;
    match outcome {
        Ok(()) => {
            pages
                .sessions
                .set_flash(session.current.key, ACCOUNT_UPDATED);
            Ok(Redirect::to("/portal/profile").into_response())
        }
        Err(reasons) => {
            let code_set = editable(&service, &session).await?;
            let page = EditCustomFields {
                frame: Frame::of(&pages, &session.current),
                code_set,
                reasons,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

/// `POST /portal/profile/custom-fields/reveal`: "Reveal". The core decides who may (`Profile
/// / View`) and needs the sealing key; the `code_revealed` event is stored with the account
/// in the same transaction. The code is on this answer only.
pub(crate) async fn reveal(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    session: ContactSession,
) -> Result<Response, PageError> {
    let (account, me) = (session.account, session.contact);
    let code = service
        .store(changing(None, account, move |a, engine| {
            a.reveal_account_code(engine, me)
        }))
        .await?;
    let page = RevealedPage {
        frame: Frame::of(&pages, &session.current),
        whose: "Account-wide code".to_owned(),
        back: "/portal/profile".to_owned(),
        code,
    };
    Ok(render(&page)?.into_response())
}

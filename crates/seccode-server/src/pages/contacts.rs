//! Client Profile → View Contacts (SPEC 10): "Contacts 1-3 of 3 Shown", the table (ID, Name,
//! Title, Phone, Email, Security Code: set / not set, never the code), "Download CSV File",
//! "ADD CONTACT", and edit / deactivate on each line. Adding and deactivating run the same
//! core operations as `POST /v1/accounts/{id}/contacts` and `…/deactivate`.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use seccode::{ContactDetails, ContactId, RwhoisRoles};

use super::error::{PageError, render};
use super::layout::Frame;
use super::{ContactSession, Pages, offers};
use crate::service::{Service, changing};
use crate::v1::{CONTACT_UPDATED, load};

/// One line of the table.
struct Line {
    id: u64,
    name: String,
    title: String,
    phone: String,
    email: String,
    code_set: bool,
    primary: bool,
    may_deactivate: bool,
}

#[derive(Template)]
#[template(path = "contacts.html")]
struct ContactsPage {
    frame: Frame,
    shown: String,
    lines: Vec<Line>,
    may_add: bool,
}

#[derive(Template)]
#[template(path = "contact_new.html")]
struct NewContactPage {
    frame: Frame,
    error: Option<String>,
    form: DetailsForm,
}

/// "Contacts 1-3 of 3 Shown".
fn shown(n: usize) -> String {
    if n == 0 {
        "Contacts 0 of 0 Shown".to_owned()
    } else {
        format!("Contacts 1-{n} of {n} Shown")
    }
}

/// `GET /portal/contacts`: the active contacts.
pub(crate) async fn list(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    session: ContactSession,
) -> Result<Response, PageError> {
    let (account, me) = (session.account, session.contact);
    let (lines, may_add) = service
        .store(move |store, engine| {
            let a = load(store, account)?;
            let lines: Vec<Line> = a
                .contacts()
                .filter(|c| c.is_active())
                .map(|c| {
                    let d = c.details();
                    Line {
                        id: c.id().0,
                        name: d.name.clone(),
                        title: d.title.clone(),
                        phone: d.phone.clone(),
                        email: d.email.clone(),
                        code_set: c.has_code(),
                        primary: a.is_primary(c.id()),
                        may_deactivate: offers::contact(&a, engine, me, c.id()).deactivate,
                    }
                })
                .collect();
            Ok((lines, offers::account(&a, engine, me).add_contact))
        })
        .await?;
    let page = ContactsPage {
        frame: Frame::of(&pages, &session.current),
        shown: shown(lines.len()),
        lines,
        may_add,
    };
    Ok(render(&page)?.into_response())
}

/// `GET /portal/contacts.csv`: "Download CSV File", as the API exports it.
pub(crate) async fn csv(
    State(service): State<Arc<Service>>,
    session: ContactSession,
) -> Result<Response, PageError> {
    let account = session.account;
    let bytes = service
        .store(move |store, _| crate::v1::contacts_csv(&load(store, account)?, false))
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"contacts.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The Contact Details form (add and edit).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct DetailsForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub audit_account: Option<String>,
    #[serde(default)]
    pub poc: Option<String>,
    #[serde(default)]
    pub tech: Option<String>,
}

impl DetailsForm {
    /// The form filled with a contact's details.
    pub(crate) fn of(d: &ContactDetails) -> DetailsForm {
        let on = |b: bool| b.then(|| "on".to_owned());
        DetailsForm {
            name: d.name.clone(),
            title: d.title.clone(),
            phone: d.phone.clone(),
            email: d.email.clone(),
            audit_account: on(d.audit_account),
            poc: on(d.rwhois.poc),
            tech: on(d.rwhois.tech),
        }
    }

    /// The details the form gives; `keep` supplies what the form does not show.
    pub(crate) fn details(&self, keep: &ContactDetails) -> ContactDetails {
        ContactDetails {
            name: self.name.trim().to_owned(),
            title: self.title.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            email: self.email.trim().to_owned(),
            audit_account: self.audit_account.is_some(),
            rwhois: RwhoisRoles {
                poc: self.poc.is_some(),
                tech: self.tech.is_some(),
                ..keep.rwhois
            },
        }
    }
}

/// `GET /portal/contacts/new`: "ADD CONTACT".
pub(crate) async fn new_form(
    Extension(pages): Extension<Arc<Pages>>,
    session: ContactSession,
) -> Result<Response, PageError> {
    let page = NewContactPage {
        frame: Frame::of(&pages, &session.current),
        error: None,
        form: DetailsForm::default(),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /portal/contacts`: add a contact with the next free id.
pub(crate) async fn add(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    session: ContactSession,
    Form(form): Form<DetailsForm>,
) -> Result<Response, PageError> {
    let (account, me) = (session.account, session.contact);
    let details = form.details(&ContactDetails::default());
    let added = service
        .store(changing(None, account, move |a, engine| {
            let id = a.next_contact_id()?;
            a.add_contact(engine, me, id, details)
        }))
        .await;
    match added {
        Ok(()) => {
            pages
                .sessions
                .set_flash(session.current.key, CONTACT_UPDATED);
            Ok(Redirect::to("/portal/contacts").into_response())
        }
        Err(e) if e.status() == StatusCode::BAD_REQUEST => {
            let page = NewContactPage {
                frame: Frame::of(&pages, &session.current),
                error: Some(e.problem().detail),
                form,
            };
            Ok((StatusCode::BAD_REQUEST, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /portal/contacts/{contact}/deactivate`.
pub(crate) async fn deactivate(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    session: ContactSession,
    Path(target): Path<u64>,
) -> Result<Response, PageError> {
    let (account, me) = (session.account, session.contact);
    service
        .store(changing(None, account, move |a, engine| {
            a.deactivate_contact(engine, me, ContactId(target))
        }))
        .await?;
    pages
        .sessions
        .set_flash(session.current.key, CONTACT_UPDATED);
    Ok(Redirect::to("/portal/contacts").into_response())
}

//! Edit Contact (SPEC 10) with the seed's tabs: Contact Details, Login & Password,
//! Permissions (the grid: one Inherit / Allow / Deny choice per applicable cell, the effective
//! value as the core labels it, `-` where the action does not apply), Unlock, and Custom
//! Fields (the contact's own code). Each change runs the same core operation as its `/v1`
//! route with the signed-in contact as the actor; success shows "Success: Contact updated.".
//! With a sealing key, Custom Fields offers "Reveal" to a contact the core allows to view
//! codes (`Account::reveal_contact_code`, audited), as the profile does for the account's.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use seccode::{Account, AccountId, Action, ContactId, Engine, Password, SecurityCode, Setting};
use seccode_store::update_account;

use super::contacts::DetailsForm;
use super::error::{PageError, render};
use super::layout::Frame;
use super::offers::{self, ContactOffers, Reveal};
use super::profile::{RevealedPage, policy_outcome};
use super::{ContactSession, Pages};
use crate::error::ApiError;
use crate::service::{Service, changing};
use crate::v1::{CONTACT_UPDATED, load};

/// The tabs, in the seed's order: (path segment, title).
const TABS: [(&str, &str); 5] = [
    ("details", "Contact Details"),
    ("login", "Login & Password"),
    ("permissions", "Permissions"),
    ("unlock", "Unlock"),
    ("custom-fields", "Custom Fields"),
];

/// One cell of the permission grid.
struct GridCell {
    /// The select's name and id, e.g. `cell-3-view`; empty when the action does not apply.
    field: String,
    /// "Profile View", for the select's label.
    label: String,
    /// The cell's own setting: `inherit`, `allow`, `deny`.
    setting: &'static str,
    /// The effective value as the portal prints it: `Allow`, `(None)`, `-`, …
    effective: &'static str,
}

/// One row of the grid.
struct GridLine {
    name: String,
    depth: usize,
    cells: Vec<GridCell>,
}

#[derive(Template)]
#[template(path = "contact.html")]
struct ContactPage {
    frame: Frame,
    tab: &'static str,
    /// (path segment, title, current).
    tabs: Vec<(&'static str, &'static str, bool)>,
    account_id: u64,
    account_name: String,
    id: u64,
    primary: bool,
    offers: ContactOffers,
    form: DetailsForm,
    code_set: bool,
    reveal: Reveal,
    locked: bool,
    failed_attempts: u32,
    locked_until: Option<String>,
    grid: Vec<GridLine>,
    error: Option<String>,
    reasons: Vec<String>,
}

fn tab_of(tab: &str) -> Result<&'static str, PageError> {
    TABS.iter()
        .map(|(t, _)| *t)
        .find(|t| *t == tab)
        .ok_or_else(|| PageError::new(StatusCode::NOT_FOUND, "no such tab"))
}

fn cell_field(resource: seccode::ResourceId, action: Action) -> String {
    format!("cell-{}-{}", resource.index(), action.as_str())
}

fn grid(account: &Account, target: ContactId) -> Result<Vec<GridLine>, seccode::Error> {
    let catalog = account.catalog();
    let grid = account.grid(target)?;
    let settings = account.contact(target)?.settings();
    Ok(catalog
        .resources()
        .map(|r| GridLine {
            name: catalog.name(r).to_owned(),
            depth: catalog.depth(r),
            cells: Action::ALL
                .into_iter()
                .map(|action| {
                    let applies = catalog.applies(r, action);
                    GridCell {
                        field: if applies {
                            cell_field(r, action)
                        } else {
                            String::new()
                        },
                        label: format!("{} {}", catalog.name(r), action.title()),
                        setting: settings.get(r, action).as_str(),
                        effective: grid.cell(r, action).label(),
                    }
                })
                .collect(),
        })
        .collect())
}

/// The page of `target`'s `tab`, as `me` sees it.
fn page(
    a: &Account,
    engine: &Engine,
    me: ContactId,
    target: ContactId,
    tab: &'static str,
) -> Result<ContactPage, ApiError> {
    let contact = a.contact(target)?;
    let lock = a.lock_status(engine, target)?;
    Ok(ContactPage {
        frame: Frame::default(),
        tab,
        tabs: TABS.iter().map(|(p, t)| (*p, *t, *p == tab)).collect(),
        account_id: a.id().0,
        account_name: a.name().to_owned(),
        id: target.0,
        primary: a.is_primary(target),
        offers: offers::contact(a, engine, me, target),
        form: DetailsForm::of(contact.details()),
        code_set: contact.has_code(),
        reveal: offers::reveal_contact_code(a, engine, me, target),
        locked: lock.is_locked(),
        failed_attempts: lock.failed_attempts(),
        locked_until: lock.locked_until().map(|t| t.to_string()),
        grid: grid(a, target)?,
        error: None,
        reasons: Vec::new(),
    })
}

async fn load_page(
    service: &Arc<Service>,
    pages: &Pages,
    session: &ContactSession,
    target: u64,
    tab: &'static str,
) -> Result<ContactPage, PageError> {
    let (account, me) = (session.account, session.contact);
    let page = service
        .store(move |store, engine| {
            page(&load(store, account)?, engine, me, ContactId(target), tab)
        })
        .await?;
    Ok(ContactPage {
        frame: Frame::of(pages, &session.current),
        ..page
    })
}

/// `GET /portal/contacts/{contact}/{tab}`.
pub(crate) async fn show(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    session: ContactSession,
    Path((target, tab)): Path<(u64, String)>,
) -> Result<Response, PageError> {
    let tab = tab_of(&tab)?;
    let page = load_page(&service, &pages, &session, target, tab).await?;
    Ok(render(&page)?.into_response())
}

/// `POST /portal/contacts/{contact}/{tab}`: "Update" on a tab.
pub(crate) async fn save(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    session: ContactSession,
    Path((target, tab)): Path<(u64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let tab = tab_of(&tab)?;
    let (account, me, id) = (session.account, session.contact, ContactId(target));
    let refused = match tab {
        "details" => {
            let form: DetailsForm = serde_urlencoded::from_str(
                &serde_urlencoded::to_string(&pairs).map_err(|_| bad_form())?,
            )
            .map_err(|_| bad_form())?;
            save_details(&service, account, me, id, form).await?
        }
        "permissions" => save_permissions(&service, account, me, id, pairs).await?,
        "unlock" => {
            service
                .store(changing(None, account, move |a, engine| {
                    a.unlock(engine, me, id)
                }))
                .await?;
            None
        }
        "custom-fields" => save_code(&service, account, me, id, pairs).await?,
        "login" => save_password(&service, account, me, id, pairs).await?,
        _ => {
            return Err(PageError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "this tab has nothing to update",
            ));
        }
    };
    match refused {
        None => {
            pages
                .sessions
                .set_flash(session.current.key, CONTACT_UPDATED);
            Ok(Redirect::to(&format!("/portal/contacts/{target}/{tab}")).into_response())
        }
        Some(Refusal { error, reasons }) => {
            let mut page = load_page(&service, &pages, &session, target, tab).await?;
            page.error = error;
            page.reasons = reasons;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

/// `POST /portal/contacts/{contact}/custom-fields/reveal`: "Reveal" on Custom Fields. The
/// core decides who may (`Manage Contacts / View`); the `code_revealed` event is stored in the
/// same transaction; the code is on this answer only.
pub(crate) async fn reveal(
    State(service): State<Arc<Service>>,
    Extension(pages): Extension<Arc<Pages>>,
    session: ContactSession,
    Path(target): Path<u64>,
) -> Result<Response, PageError> {
    let (account, me, id) = (session.account, session.contact, ContactId(target));
    let code = service
        .store(changing(None, account, move |a, engine| {
            a.reveal_contact_code(engine, me, id)
        }))
        .await?;
    let page = RevealedPage {
        frame: Frame::of(&pages, &session.current),
        whose: format!("Contact {target}'s code"),
        back: format!("/portal/contacts/{target}/custom-fields"),
        code,
    };
    Ok(render(&page)?.into_response())
}

/// A change refused in a way the form shows (rather than an error page).
struct Refusal {
    error: Option<String>,
    reasons: Vec<String>,
}

fn malformed_cell() -> seccode::Error {
    seccode::Error::InvalidInput {
        field: "permission cell",
        problem: "not a cell of this grid".to_owned(),
    }
}

fn bad_form() -> PageError {
    PageError::bad_request("the form is not valid")
}

async fn save_details(
    service: &Arc<Service>,
    account: AccountId,
    me: ContactId,
    id: ContactId,
    form: DetailsForm,
) -> Result<Option<Refusal>, PageError> {
    let edited = service
        .store(changing(None, account, move |a, engine| {
            let details = form.details(a.contact(id)?.details());
            a.edit_contact(engine, me, id, details)
        }))
        .await;
    match edited {
        Ok(()) => Ok(None),
        Err(e) if e.status() == StatusCode::BAD_REQUEST => Ok(Some(Refusal {
            error: Some(e.problem().detail),
            reasons: Vec::new(),
        })),
        Err(e) => Err(e.into()),
    }
}

async fn save_permissions(
    service: &Arc<Service>,
    account: AccountId,
    me: ContactId,
    id: ContactId,
    pairs: Vec<(String, String)>,
) -> Result<Option<Refusal>, PageError> {
    service
        .store(changing(None, account, move |a, engine| {
            let catalog = Arc::clone(a.catalog());
            let mut changes = Vec::new();
            for (name, value) in &pairs {
                let Some(rest) = name.strip_prefix("cell-") else {
                    continue;
                };
                let Some((index, action)) = rest.split_once('-') else {
                    return Err(malformed_cell());
                };
                let resource = index
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| catalog.id_at(i))
                    .ok_or_else(malformed_cell)?;
                let action: Action = action.parse()?;
                let setting: Setting = value.parse()?;
                if a.contact(id)?.settings().get(resource, action) != setting {
                    changes.push((resource, action, setting));
                }
            }
            if changes.is_empty() {
                // Nothing changed: still only for one who may change them.
                let first = catalog.resources().find_map(|r| {
                    Action::ALL
                        .into_iter()
                        .find(|x| catalog.applies(r, *x))
                        .map(|x| (r, x))
                });
                if let Some((r, x)) = first {
                    let setting = a.contact(id)?.settings().get(r, x);
                    offers::probe(a, |a| a.set_permission(engine, me, id, r, x, setting))?;
                }
            }
            for (resource, action, setting) in changes {
                a.set_permission(engine, me, id, resource, action, setting)?;
            }
            Ok::<_, seccode::Error>(())
        }))
        .await?;
    Ok(None)
}

async fn save_code(
    service: &Arc<Service>,
    account: AccountId,
    me: ContactId,
    id: ContactId,
    pairs: Vec<(String, String)>,
) -> Result<Option<Refusal>, PageError> {
    let mut pairs = pairs;
    let mut text = take_field(&mut pairs, "code");
    drop(zeroize::Zeroizing::new(pairs));
    let code = SecurityCode::new(std::mem::take(&mut *text)).map_err(ApiError::from)?;
    save_checked(service, account, move |a, engine| {
        a.set_contact_code(engine, me, id, &code)
    })
    .await
}

/// Make a change the policy judges (a code, a password) in one transaction with Argon2 work;
/// the policy's reasons when it refuses.
async fn save_checked(
    service: &Arc<Service>,
    account: AccountId,
    change: impl FnOnce(&mut Account, &Engine) -> seccode::Result<()> + Send + 'static,
) -> Result<Option<Refusal>, PageError> {
    let outcome = service
        .hashing(move |store, engine| {
            policy_outcome(
                update_account(store, account, |a| change(a, engine)),
                engine,
            )
        })
        .await?;
    Ok(outcome.err().map(|reasons| Refusal {
        error: None,
        reasons,
    }))
}

/// The field `name` of a form, taken out of it (the rest is wiped when dropped).
fn take_field(pairs: &mut [(String, String)], name: &str) -> zeroize::Zeroizing<String> {
    zeroize::Zeroizing::new(
        pairs
            .iter_mut()
            .find(|(k, _)| k == name)
            .map(|(_, v)| std::mem::take(v))
            .unwrap_or_default(),
    )
}

async fn save_password(
    service: &Arc<Service>,
    account: AccountId,
    me: ContactId,
    id: ContactId,
    pairs: Vec<(String, String)>,
) -> Result<Option<Refusal>, PageError> {
    let mut pairs = pairs;
    let mut password = take_field(&mut pairs, "password");
    let confirm = take_field(&mut pairs, "password_confirm");
    drop(zeroize::Zeroizing::new(pairs));
    if *password != *confirm {
        return Ok(Some(Refusal {
            error: Some("the two passwords differ".to_owned()),
            reasons: Vec::new(),
        }));
    }
    let password = Password::new(std::mem::take(&mut *password)).map_err(ApiError::from)?;
    save_checked(service, account, move |a, engine| {
        a.set_password(engine, me, id, &password)
    })
    .await
}

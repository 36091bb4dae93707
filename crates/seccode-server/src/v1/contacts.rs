//! Contacts: list, add, show, edit, deactivate, reactivate, remove, unlock.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use seccode::{Account, AccountId, ContactDetails, ContactId, DetailsChange, Engine};

use super::{ActorBody, CONTACT_UPDATED, ContactOut, Message, Rwhois, load, message};
use crate::auth::{Body, Caller, actor};
use crate::error::{ApiError, Problem};
use crate::keys::Role;
use crate::service::{Service, changing};

/// Which contacts to list.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub(crate) struct ListQuery {
    /// Include deactivated contacts.
    #[serde(default)]
    pub all: bool,
}

/// The contacts of an account.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct ContactList {
    /// "Contacts 1-3 of 3 Shown": in id order.
    pub contacts: Vec<ContactOut>,
}

/// A contact to add ("ADD CONTACT").
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewContact {
    /// The contact making the change.
    pub actor: Option<u64>,
    /// The new contact's id; default: one more than the highest in the account.
    pub id: Option<u64>,
    /// Name (required).
    pub name: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// Email.
    #[serde(default)]
    pub email: String,
    /// "Audit Account".
    #[serde(default)]
    pub audit_account: bool,
    /// RWhois roles.
    #[serde(default)]
    pub rwhois: Rwhois,
}

/// A change of a contact's details: only the fields given change.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContactEdit {
    /// The contact making the change.
    pub actor: Option<u64>,
    /// Name.
    pub name: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// "Audit Account".
    pub audit_account: Option<bool>,
    /// RWhois roles.
    pub rwhois: Option<Rwhois>,
}

const CHANGERS: &[Role] = &[Role::Portal, Role::Admin];

/// List an account's contacts ("View Contacts").
#[utoipa::path(get, path = "/v1/accounts/{account}/contacts", tag = "contacts",
    params(("account" = u64, Path, description = "Client ID"), ListQuery),
    responses((status = 200, body = ContactList), (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn list_contacts(
    State(service): State<Arc<Service>>,
    _caller: Caller,
    Path(account): Path<u64>,
    Query(query): Query<ListQuery>,
) -> Result<Json<ContactList>, ApiError> {
    let contacts = service
        .store(move |store, engine| {
            let account = load(store, AccountId(account))?;
            Ok(account
                .contact_views(engine)
                .into_iter()
                .filter(|c| query.all || c.active)
                .map(ContactOut::from)
                .collect())
        })
        .await?;
    Ok(Json(ContactList { contacts }))
}

/// Export an account's contacts as CSV with the columns of `seccode contact export --csv`:
/// ID, Name, Title, Phone, Email, Security Code (`set` or `not set`), and with `all=true`
/// the deactivated contacts too and a Status column (`active` or `deactivated`). Never a
/// code or a hash. A cell that a spreadsheet would run as a formula (starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) starts with `'`, as OWASP advises.
#[utoipa::path(get, path = "/v1/accounts/{account}/contacts.csv", tag = "contacts",
    params(("account" = u64, Path, description = "Client ID"), ListQuery),
    responses((status = 200, description = "The contacts as CSV", content_type = "text/csv",
               body = String),
              (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn export_contacts(
    State(service): State<Arc<Service>>,
    _caller: Caller,
    Path(account): Path<u64>,
    Query(query): Query<ListQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let bytes = service
        .store(move |store, _| contacts_csv(&load(store, AccountId(account))?, query.all))
        .await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes))
}

/// The contacts of `account` as CSV: the store's [`seccode_store::contacts_csv`], the same
/// bytes as `seccode contact export --csv` (see [`export_contacts`]); the portal's "Download
/// CSV File" serves them too.
pub(crate) fn contacts_csv(account: &Account, all: bool) -> Result<Vec<u8>, ApiError> {
    seccode_store::contacts_csv(account, all)
        .map_err(|e| ApiError::internal(format!("writing CSV: {e}")))
}

/// Add a contact (roles `portal`, `admin`; the actor needs `Manage Contacts / Create`).
#[utoipa::path(post, path = "/v1/accounts/{account}/contacts", tag = "contacts",
    params(("account" = u64, Path, description = "Client ID")), request_body = NewContact,
    responses((status = 201, body = ContactOut), (status = 400, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn add_contact(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path(account): Path<u64>,
    Body(body): Body<NewContact>,
) -> Result<(StatusCode, Json<ContactOut>), ApiError> {
    caller.require(CHANGERS, "add contacts")?;
    let by = actor(body.actor)?;
    let details = ContactDetails {
        name: body.name,
        title: body.title,
        phone: body.phone,
        email: body.email,
        audit_account: body.audit_account,
        rwhois: body.rwhois.into(),
    };
    // The id chosen inside the transaction that adds the contact, by the core's rule.
    let view = service
        .store(changing(
            caller.agent,
            AccountId(account),
            move |a, engine| {
                let next = match body.id {
                    Some(c) => ContactId(c),
                    None => a.next_contact_id()?,
                };
                a.add_contact(engine, by, next, details)?;
                a.contact_view(engine, next)
            },
        ))
        .await?;
    Ok((StatusCode::CREATED, Json(ContactOut::from(view))))
}

/// Show a contact.
#[utoipa::path(get, path = "/v1/accounts/{account}/contacts/{contact}", tag = "contacts",
    params(("account" = u64, Path, description = "Client ID"),
           ("contact" = u64, Path, description = "Contact ID")),
    responses((status = 200, body = ContactOut), (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn get_contact(
    State(service): State<Arc<Service>>,
    _caller: Caller,
    Path((account, contact)): Path<(u64, u64)>,
) -> Result<Json<ContactOut>, ApiError> {
    let out = service
        .store(move |store, engine| {
            let a = load(store, AccountId(account))?;
            Ok(ContactOut::from(
                a.contact_view(engine, ContactId(contact))?,
            ))
        })
        .await?;
    Ok(Json(out))
}

/// Change a contact's details (roles `portal`, `admin`; one's own, or `Manage Contacts /
/// Update`).
#[utoipa::path(patch, path = "/v1/accounts/{account}/contacts/{contact}", tag = "contacts",
    params(("account" = u64, Path, description = "Client ID"),
           ("contact" = u64, Path, description = "Contact ID")),
    request_body = ContactEdit,
    responses((status = 200, body = ContactOut), (status = 400, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn edit_contact(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path((account, contact)): Path<(u64, u64)>,
    Body(body): Body<ContactEdit>,
) -> Result<Json<ContactOut>, ApiError> {
    caller.require(CHANGERS, "edit contacts")?;
    let by = actor(body.actor)?;
    let target = ContactId(contact);
    let change = DetailsChange {
        name: body.name,
        title: body.title,
        phone: body.phone,
        email: body.email,
        audit_account: body.audit_account,
        ..DetailsChange::default()
    };
    let change = match body.rwhois {
        Some(roles) => change.with_rwhois(roles.into()),
        None => change,
    };
    let view = service
        .store(changing(
            caller.agent,
            AccountId(account),
            move |a, engine| {
                a.edit_contact_details(engine, by, target, &change)?;
                a.contact_view(engine, target)
            },
        ))
        .await?;
    Ok(Json(ContactOut::from(view)))
}

/// Remove a contact for good (roles `portal`, `admin`; `Manage Contacts / Delete`).
#[utoipa::path(delete, path = "/v1/accounts/{account}/contacts/{contact}", tag = "contacts",
    params(("account" = u64, Path, description = "Client ID"),
           ("contact" = u64, Path, description = "Contact ID")),
    request_body = ActorBody,
    responses((status = 200, body = Message), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn remove_contact(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path((account, contact)): Path<(u64, u64)>,
    Body(body): Body<ActorBody>,
) -> Result<Json<Message>, ApiError> {
    caller.require(CHANGERS, "remove contacts")?;
    change_contact(
        &service,
        caller,
        account,
        contact,
        body.actor,
        Account::remove_contact,
    )
    .await
}

/// Deactivate a contact (roles `portal`, `admin`; `Manage Contacts / Delete`).
#[utoipa::path(post, path = "/v1/accounts/{account}/contacts/{contact}/deactivate",
    tag = "contacts",
    params(("account" = u64, Path, description = "Client ID"),
           ("contact" = u64, Path, description = "Contact ID")),
    request_body = ActorBody,
    responses((status = 200, body = Message), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn deactivate_contact(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path((account, contact)): Path<(u64, u64)>,
    Body(body): Body<ActorBody>,
) -> Result<Json<Message>, ApiError> {
    caller.require(CHANGERS, "deactivate contacts")?;
    change_contact(
        &service,
        caller,
        account,
        contact,
        body.actor,
        Account::deactivate_contact,
    )
    .await
}

/// Reactivate a contact (roles `portal`, `admin`; `Manage Contacts / Create`).
#[utoipa::path(post, path = "/v1/accounts/{account}/contacts/{contact}/reactivate",
    tag = "contacts",
    params(("account" = u64, Path, description = "Client ID"),
           ("contact" = u64, Path, description = "Contact ID")),
    request_body = ActorBody,
    responses((status = 200, body = Message), (status = 403, body = Problem),
              (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn reactivate_contact(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path((account, contact)): Path<(u64, u64)>,
    Body(body): Body<ActorBody>,
) -> Result<Json<Message>, ApiError> {
    caller.require(CHANGERS, "reactivate contacts")?;
    change_contact(
        &service,
        caller,
        account,
        contact,
        body.actor,
        Account::reactivate_contact,
    )
    .await
}

/// Unlock a contact locked after failed verifications (roles `portal`, `agent`, `admin`, on
/// behalf of the primary contact or one allowed `Manage Contacts / Update`).
#[utoipa::path(post, path = "/v1/accounts/{account}/contacts/{contact}/unlock",
    tag = "contacts",
    params(("account" = u64, Path, description = "Client ID"),
           ("contact" = u64, Path, description = "Contact ID")),
    request_body = ActorBody,
    responses((status = 200, body = Message), (status = 403, body = Problem),
              (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn unlock_contact(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path((account, contact)): Path<(u64, u64)>,
    Body(body): Body<ActorBody>,
) -> Result<Json<Message>, ApiError> {
    caller.require(&[Role::Portal, Role::Agent, Role::Admin], "unlock contacts")?;
    change_contact(
        &service,
        caller,
        account,
        contact,
        body.actor,
        Account::unlock,
    )
    .await
}

/// One change to one contact by the acting contact the body names, in one transaction: what
/// removing, deactivating, reactivating and unlocking share, answered "Success: Contact
/// updated.".
async fn change_contact(
    service: &Arc<Service>,
    caller: Caller,
    account: u64,
    contact: u64,
    actor_id: Option<u64>,
    change: fn(&mut Account, &Engine, ContactId, ContactId) -> seccode::Result<()>,
) -> Result<Json<Message>, ApiError> {
    let by = actor(actor_id)?;
    service
        .store(changing(
            caller.agent,
            AccountId(account),
            move |a, engine| change(a, engine, by, ContactId(contact)),
        ))
        .await?;
    Ok(message(CONTACT_UPDATED))
}

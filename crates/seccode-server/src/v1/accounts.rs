//! Accounts: create (operators), list and show.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use seccode::{Account, AccountId, ContactDetails, ContactId};
use seccode_store::Store;

use super::{AccountOut, account_out, load};
use crate::auth::{Body, Caller};
use crate::error::{ApiError, Problem};
use crate::keys::Role;
use crate::service::Service;

/// The primary contact of a new account.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewPrimary {
    /// Its id.
    pub id: u64,
    /// Its name (required).
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
}

/// A new account with its primary contact.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewAccount {
    /// "Client ID".
    pub id: u64,
    /// The account's name.
    pub name: String,
    /// The account owner.
    pub primary: NewPrimary,
}

/// One line of the account list.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct AccountLine {
    /// "Client ID".
    pub id: u64,
    /// The account's name.
    pub name: String,
    /// How many contacts, active or not.
    pub contacts: usize,
}

/// Every account of the store.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct AccountList {
    /// In id order.
    pub accounts: Vec<AccountLine>,
}

/// Create an account with its primary contact (role `admin`).
#[utoipa::path(post, path = "/v1/accounts", tag = "accounts", request_body = NewAccount,
    responses((status = 201, body = AccountOut), (status = 400, body = Problem),
              (status = 403, body = Problem), (status = 409, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn create_account(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Body(body): Body<NewAccount>,
) -> Result<(StatusCode, Json<AccountOut>), ApiError> {
    caller.require(&[Role::Admin], "create accounts")?;
    let out = service
        .store(move |store, engine| {
            let p = body.primary;
            let details = ContactDetails {
                name: p.name,
                title: p.title,
                phone: p.phone,
                email: p.email,
                ..ContactDetails::default()
            };
            let mut account =
                Account::new(AccountId(body.id), body.name, ContactId(p.id), details)?;
            seccode_store::insert_account(store, &mut account)?;
            Ok(account_out(&account, engine))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// List the accounts.
#[utoipa::path(get, path = "/v1/accounts", tag = "accounts",
    responses((status = 200, body = AccountList), (status = 401, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn list_accounts(
    State(service): State<Arc<Service>>,
    _caller: Caller,
) -> Result<Json<AccountList>, ApiError> {
    let accounts = service
        .store(|store, _| {
            Ok(store
                .accounts()?
                .into_iter()
                .map(|a| AccountLine {
                    id: a.id.0,
                    name: a.name,
                    contacts: a.contacts,
                })
                .collect())
        })
        .await?;
    Ok(Json(AccountList { accounts }))
}

/// Show an account and its contacts.
#[utoipa::path(get, path = "/v1/accounts/{account}", tag = "accounts",
    params(("account" = u64, Path, description = "Client ID")),
    responses((status = 200, body = AccountOut), (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn get_account(
    State(service): State<Arc<Service>>,
    _caller: Caller,
    Path(account): Path<u64>,
) -> Result<Json<AccountOut>, ApiError> {
    let out = service
        .store(move |store, engine| Ok(account_out(&load(store, AccountId(account))?, engine)))
        .await?;
    Ok(Json(out))
}

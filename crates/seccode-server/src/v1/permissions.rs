//! A contact's permissions: set a cell (the primary contact only), effective values with the
//! deciding resource, and the grid as the portal renders it.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use seccode::{Account, AccountId, Action, ContactId, Setting};

use super::load;
use crate::auth::{Body, Caller, actor};
use crate::error::{ApiError, Problem};
use crate::keys::Role;
use crate::service::{Service, changing};

/// One cell to change.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PermissionChange {
    /// The contact making the change (only the primary contact may).
    pub actor: Option<u64>,
    /// The resource's name, e.g. `Manage Contacts`.
    pub resource: String,
    /// `view`, `create`, `update` or `delete`.
    pub action: String,
    /// `inherit`, `allow` or `deny`.
    pub setting: String,
}

/// One applicable cell of the grid.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct CellOut {
    /// The resource's name.
    pub resource: String,
    /// `view`, `create`, `update` or `delete`.
    pub action: String,
    /// The cell's own setting: `inherit`, `allow` or `deny`.
    pub setting: String,
    /// The effective value: `allow`, `deny` or `none`.
    pub effective: String,
    /// The resource whose setting decided it, if any.
    pub decided_by: Option<String>,
    /// As the portal prints it: `Allow`, `(None)`, …
    pub label: String,
}

/// A contact's permissions.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct PermissionsOut {
    /// The grid as the portal renders it (`-` for a cell that does not apply).
    pub grid: String,
    /// Every applicable cell.
    pub cells: Vec<CellOut>,
}

fn permissions_out(account: &Account, contact: ContactId) -> seccode::Result<PermissionsOut> {
    let catalog = account.catalog();
    let grid = account.grid(contact)?;
    let settings = account.contact(contact)?.settings();
    let mut cells = Vec::new();
    for resource in catalog.resources() {
        for action in Action::ALL {
            if !catalog.applies(resource, action) {
                continue;
            }
            let cell = grid.cell(resource, action);
            cells.push(CellOut {
                resource: catalog.name(resource).to_owned(),
                action: action.as_str().to_owned(),
                setting: settings.get(resource, action).as_str().to_owned(),
                effective: cell.value.as_str().to_owned(),
                decided_by: cell.decided_by().map(|r| catalog.name(r).to_owned()),
                label: cell.label().to_owned(),
            });
        }
    }
    Ok(PermissionsOut {
        grid: account.render_grid(contact)?,
        cells,
    })
}

/// A contact's permissions: the grid, and every cell with the resource that decided it.
#[utoipa::path(get, path = "/v1/accounts/{account}/contacts/{contact}/permissions",
    tag = "permissions",
    params(("account" = u64, Path, description = "Client ID"),
           ("contact" = u64, Path, description = "Contact ID")),
    responses((status = 200, body = PermissionsOut), (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn get_permissions(
    State(service): State<Arc<Service>>,
    _caller: Caller,
    Path((account, contact)): Path<(u64, u64)>,
) -> Result<Json<PermissionsOut>, ApiError> {
    let out = service
        .store(move |store, _| {
            Ok(permissions_out(
                &load(store, AccountId(account))?,
                ContactId(contact),
            )?)
        })
        .await?;
    Ok(Json(out))
}

/// Change one cell of a contact's grid (roles `portal`, `admin`; the actor must be the
/// primary contact).
#[utoipa::path(put, path = "/v1/accounts/{account}/contacts/{contact}/permissions",
    tag = "permissions",
    params(("account" = u64, Path, description = "Client ID"),
           ("contact" = u64, Path, description = "Contact ID")),
    request_body = PermissionChange,
    responses((status = 200, body = PermissionsOut), (status = 400, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn set_permission(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path((account, contact)): Path<(u64, u64)>,
    Body(body): Body<PermissionChange>,
) -> Result<Json<PermissionsOut>, ApiError> {
    caller.require(&[Role::Portal, Role::Admin], "change permissions")?;
    let by = actor(body.actor)?;
    let action: Action = body.action.parse()?;
    let setting: Setting = body.setting.parse()?;
    let target = ContactId(contact);
    // The grid answered from the account as the transaction saves it.
    let out = service
        .store(changing(
            caller.agent,
            AccountId(account),
            move |a, engine| {
                let resource = a.catalog().require(&body.resource)?;
                a.set_permission(engine, by, target, resource, action, setting)?;
                permissions_out(a, target)
            },
        ))
        .await?;
    Ok(Json(out))
}

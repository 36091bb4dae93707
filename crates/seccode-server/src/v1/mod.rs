//! The JSON API under `/v1`. A handler converts and delegates: parse, call the core through
//! the store, map the answer. No rule of SPEC is decided here: the role check says which kind
//! of caller may ask at all, the core decides everything about the acting contact.

mod accounts;
mod audit;
mod calls;
mod codes;
mod contacts;
mod permissions;

pub(crate) use calls::record_request;
pub(crate) use contacts::contacts_csv;

use std::sync::Arc;

use seccode::{Account, AccountId, ContactView, Engine};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::service::Service;

/// The `/v1` routes, with their OpenAPI paths.
pub(crate) fn routes() -> OpenApiRouter<Arc<Service>> {
    OpenApiRouter::new()
        .routes(routes!(accounts::list_accounts, accounts::create_account))
        .routes(routes!(accounts::get_account))
        .routes(routes!(contacts::list_contacts, contacts::add_contact))
        .routes(routes!(contacts::export_contacts))
        .routes(routes!(
            contacts::get_contact,
            contacts::edit_contact,
            contacts::remove_contact
        ))
        .routes(routes!(contacts::deactivate_contact))
        .routes(routes!(contacts::reactivate_contact))
        .routes(routes!(contacts::unlock_contact))
        .routes(routes!(codes::check_code))
        .routes(routes!(codes::set_account_code, codes::clear_account_code))
        .routes(routes!(codes::set_contact_code, codes::clear_contact_code))
        .routes(routes!(codes::import_hash))
        .routes(routes!(codes::hash_status))
        .routes(routes!(calls::verify))
        .routes(routes!(calls::authorize))
        .routes(routes!(
            permissions::get_permissions,
            permissions::set_permission
        ))
        .routes(routes!(audit::audit_log))
}

/// RWhois roles of a contact.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub(crate) struct Rwhois {
    /// Point of contact.
    pub poc: bool,
    /// Technical contact.
    pub tech: bool,
    /// Abuse contact.
    pub abuse: bool,
}

impl From<seccode::RwhoisRoles> for Rwhois {
    fn from(r: seccode::RwhoisRoles) -> Rwhois {
        Rwhois {
            poc: r.poc,
            tech: r.tech,
            abuse: r.abuse,
        }
    }
}

impl From<Rwhois> for seccode::RwhoisRoles {
    fn from(r: Rwhois) -> seccode::RwhoisRoles {
        seccode::RwhoisRoles {
            poc: r.poc,
            tech: r.tech,
            abuse: r.abuse,
        }
    }
}

/// A contact as shown: never a code or a hash.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct ContactOut {
    /// "ID".
    pub id: u64,
    /// "Name".
    pub name: String,
    /// "Title".
    pub title: String,
    /// "Phone".
    pub phone: String,
    /// "Email".
    pub email: String,
    /// "Audit Account".
    pub audit_account: bool,
    /// RWhois roles.
    pub rwhois: Rwhois,
    /// The account owner.
    pub primary: bool,
    /// Not deactivated.
    pub active: bool,
    /// "Security Code: set": the contact has an individual code.
    pub has_code: bool,
    /// May know and use the account-wide code.
    pub may_know_account_code: bool,
    /// Failed verifications counted now.
    pub failed_attempts: u32,
    /// Locked now.
    pub locked: bool,
    /// When the lock ends (Unix seconds), if locked.
    pub locked_until: Option<i64>,
}

impl From<ContactView> for ContactOut {
    fn from(v: ContactView) -> ContactOut {
        ContactOut {
            id: v.id.0,
            name: v.name,
            title: v.title,
            phone: v.phone,
            email: v.email,
            audit_account: v.audit_account,
            rwhois: v.rwhois.into(),
            primary: v.primary,
            active: v.active,
            has_code: v.has_code,
            may_know_account_code: v.may_know_account_code,
            failed_attempts: v.failed_attempts,
            locked: v.locked,
            locked_until: v.locked_until.map(|t| t.unix_seconds()),
        }
    }
}

/// An account with its contacts.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct AccountOut {
    /// "Client ID".
    pub id: u64,
    /// The account's name.
    pub name: String,
    /// The primary contact's id.
    pub primary: u64,
    /// How codes are matched: `spoken` or `exact`.
    pub matching: String,
    /// Whether the account-wide code is set.
    pub has_account_code: bool,
    /// The contacts, active or not, in id order.
    pub contacts: Vec<ContactOut>,
}

pub(crate) fn account_out(account: &Account, engine: &Engine) -> AccountOut {
    AccountOut {
        id: account.id().0,
        name: account.name().to_owned(),
        primary: account.primary().0,
        matching: account.normalization().to_string(),
        has_account_code: account.has_account_code(),
        contacts: account
            .contact_views(engine)
            .into_iter()
            .map(ContactOut::from)
            .collect(),
    }
}

/// A plain success message, as the portal shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct Message {
    /// "Success: Contact updated." and the like.
    pub message: String,
}

pub(crate) const CONTACT_UPDATED: &str = "Success: Contact updated.";
pub(crate) const ACCOUNT_UPDATED: &str = "Success: Account information updated.";

pub(crate) fn message(text: &str) -> axum::Json<Message> {
    axum::Json(Message {
        message: text.to_owned(),
    })
}

/// A body that only names the acting contact.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActorBody {
    /// The contact making the change.
    pub actor: Option<u64>,
}

/// Load an account (through the core's checks).
pub(crate) fn load(
    store: &seccode_store::AnyStore,
    id: AccountId,
) -> Result<Account, crate::error::ApiError> {
    Ok(seccode_store::load_account(store, id)?)
}

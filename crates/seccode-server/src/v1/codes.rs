//! Security codes: the policy check with every reason, set and clear (account-wide and
//! individual) on behalf of an actor, legacy hash import and hash status. A code travels
//! only in a request body and is held in the core's zeroizing [`SecurityCode`] at once.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use seccode::{AccountId, Binding, ContactId, SecurityCode};

use super::{ACCOUNT_UPDATED, ActorBody, CONTACT_UPDATED, Message, load, message};
use crate::auth::{Body, Caller, actor};
use crate::error::{ApiError, Problem};
use crate::keys::Role;
use crate::service::{Service, changing};

/// A candidate code to try against the policy.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CodeCheck {
    /// The candidate code (never stored, logged or returned).
    pub code: String,
    /// Check it as this contact's individual code (default: as the account-wide code).
    pub contact: Option<u64>,
}

/// One reason of the policy.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct ReasonOut {
    /// The stable name: `too_short`, `date_shaped`, `too_weak`, …
    pub reason: String,
    /// The reason in words (never quoting the code).
    pub message: String,
}

/// The policy's verdict on a candidate code.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct CodeVerdict {
    /// No reason applies: the code may be set.
    pub acceptable: bool,
    /// Every reason that applies.
    pub reasons: Vec<ReasonOut>,
}

/// A new code, set on behalf of an actor.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewCode {
    /// The contact making the change.
    pub actor: Option<u64>,
    /// The new code (never stored in plaintext, logged or returned).
    pub code: String,
}

/// A legacy Argon2id hash to import.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct HashImport {
    /// The contact whose individual code it is; absent: the account-wide code.
    pub contact: Option<u64>,
    /// The PHC string (`$argon2id$v=19$…`) made by another implementation.
    pub hash: String,
    /// Replace a code that is already set.
    #[serde(default)]
    pub overwrite: bool,
}

/// One stored hash judged against the current parameters, pepper and matching.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct HashLine {
    /// `account-wide` or `contact 3522`.
    pub code: String,
    /// What it costs to check: Argon2id's `m=19456,t=2,p=1`, or `bcrypt cost=10` for an
    /// imported bcrypt hash.
    pub params: String,
    /// Its pepper's key id, if any.
    pub key_id: Option<String>,
    /// `legacy` or the scoped form.
    pub binding: String,
    /// The verifier can check it.
    pub usable: bool,
    /// It will be upgraded at its next successful verification.
    pub outdated: bool,
}

/// The hash status of an account.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct HashStatus {
    /// Every stored hash.
    pub hashes: Vec<HashLine>,
}

fn secret(code: String) -> Result<SecurityCode, ApiError> {
    Ok(SecurityCode::new(code)?)
}

const SETTERS: &[Role] = &[Role::Portal, Role::Admin];

/// Try a candidate code against the policy without storing it: every reason that applies.
#[utoipa::path(post, path = "/v1/accounts/{account}/code-checks", tag = "codes",
    params(("account" = u64, Path, description = "Client ID")), request_body = CodeCheck,
    responses((status = 200, body = CodeVerdict), (status = 400, body = Problem),
              (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn check_code(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path(account): Path<u64>,
    Body(body): Body<CodeCheck>,
) -> Result<Json<CodeVerdict>, ApiError> {
    caller.require(SETTERS, "check codes")?;
    let code = secret(body.code)?;
    let subject = body.contact.map(ContactId);
    let verdict = service
        .store(move |store, engine| {
            let a = load(store, AccountId(account))?;
            let reasons = a.check_code(engine, subject, &code)?;
            Ok(CodeVerdict {
                acceptable: reasons.is_empty(),
                reasons: reasons
                    .into_iter()
                    .map(|r| ReasonOut {
                        reason: r.code().to_owned(),
                        message: engine.policy().describe(r),
                    })
                    .collect(),
            })
        })
        .await?;
    Ok(Json(verdict))
}

/// Set or change the account-wide code (roles `portal`, `admin`; the actor needs
/// `Profile / Update`; the code must pass the policy).
#[utoipa::path(put, path = "/v1/accounts/{account}/code", tag = "codes",
    params(("account" = u64, Path, description = "Client ID")), request_body = NewCode,
    responses((status = 200, body = Message), (status = 400, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem), (status = 503, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn set_account_code(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path(account): Path<u64>,
    Body(body): Body<NewCode>,
) -> Result<Json<Message>, ApiError> {
    caller.require(SETTERS, "set codes")?;
    let by = actor(body.actor)?;
    let code = secret(body.code)?;
    service
        .hashing(changing(
            caller.agent,
            AccountId(account),
            move |a, engine| a.set_account_code(engine, by, &code),
        ))
        .await?;
    Ok(message(ACCOUNT_UPDATED))
}

/// Remove the account-wide code (roles `portal`, `admin`; `Profile / Update`).
#[utoipa::path(delete, path = "/v1/accounts/{account}/code", tag = "codes",
    params(("account" = u64, Path, description = "Client ID")), request_body = ActorBody,
    responses((status = 200, body = Message), (status = 403, body = Problem),
              (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn clear_account_code(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path(account): Path<u64>,
    Body(body): Body<ActorBody>,
) -> Result<Json<Message>, ApiError> {
    caller.require(SETTERS, "clear codes")?;
    let by = actor(body.actor)?;
    service
        .store(changing(
            caller.agent,
            AccountId(account),
            move |a, engine| a.clear_account_code(engine, by),
        ))
        .await?;
    Ok(message(ACCOUNT_UPDATED))
}

/// Set or change a contact's individual code (roles `portal`, `admin`; `Manage Contacts /
/// Update`; the code must pass the policy).
#[utoipa::path(put, path = "/v1/accounts/{account}/contacts/{contact}/code", tag = "codes",
    params(("account" = u64, Path, description = "Client ID"),
           ("contact" = u64, Path, description = "Contact ID")),
    request_body = NewCode,
    responses((status = 200, body = Message), (status = 400, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem), (status = 503, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn set_contact_code(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path((account, contact)): Path<(u64, u64)>,
    Body(body): Body<NewCode>,
) -> Result<Json<Message>, ApiError> {
    caller.require(SETTERS, "set codes")?;
    let by = actor(body.actor)?;
    let code = secret(body.code)?;
    service
        .hashing(changing(
            caller.agent,
            AccountId(account),
            move |a, engine| a.set_contact_code(engine, by, ContactId(contact), &code),
        ))
        .await?;
    Ok(message(CONTACT_UPDATED))
}

/// Remove a contact's individual code (roles `portal`, `admin`; `Manage Contacts / Update`).
#[utoipa::path(delete, path = "/v1/accounts/{account}/contacts/{contact}/code", tag = "codes",
    params(("account" = u64, Path, description = "Client ID"),
           ("contact" = u64, Path, description = "Contact ID")),
    request_body = ActorBody,
    responses((status = 200, body = Message), (status = 403, body = Problem),
              (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn clear_contact_code(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path((account, contact)): Path<(u64, u64)>,
    Body(body): Body<ActorBody>,
) -> Result<Json<Message>, ApiError> {
    caller.require(SETTERS, "clear codes")?;
    let by = actor(body.actor)?;
    service
        .store(changing(
            caller.agent,
            AccountId(account),
            move |a, engine| a.clear_contact_code(engine, by, ContactId(contact)),
        ))
        .await?;
    Ok(message(CONTACT_UPDATED))
}

/// Import a legacy Argon2id hash (role `admin`). A hash over the ceilings or naming an
/// unknown pepper is refused and replaces nothing.
#[utoipa::path(post, path = "/v1/accounts/{account}/imports", tag = "codes",
    params(("account" = u64, Path, description = "Client ID")), request_body = HashImport,
    responses((status = 200, body = Message), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn import_hash(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path(account): Path<u64>,
    Body(body): Body<HashImport>,
) -> Result<Json<Message>, ApiError> {
    caller.require(&[Role::Admin], "import codes")?;
    service
        .store(changing(
            caller.agent,
            AccountId(account),
            move |a, engine| {
                a.import_legacy_hash(
                    engine,
                    body.contact.map(ContactId),
                    &body.hash,
                    body.overwrite,
                )
            },
        ))
        .await?;
    Ok(message(ACCOUNT_UPDATED))
}

/// The account's stored hashes against the current parameters, pepper and matching (roles
/// `agent`, `admin`); never a hash.
#[utoipa::path(get, path = "/v1/accounts/{account}/hashes", tag = "codes",
    params(("account" = u64, Path, description = "Client ID")),
    responses((status = 200, body = HashStatus), (status = 403, body = Problem),
              (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub(crate) async fn hash_status(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Path(account): Path<u64>,
) -> Result<Json<HashStatus>, ApiError> {
    caller.require(&[Role::Agent, Role::Admin], "read hash status")?;
    let hashes = service
        .store(move |store, engine| {
            let a = load(store, AccountId(account))?;
            let verifier = engine.verifier();
            let mut slots = Vec::new();
            if let Some(h) = a.account_code_hash() {
                slots.push(("account-wide".to_owned(), h.clone()));
            }
            for c in a.contacts() {
                if let Some(h) = c.code_hash() {
                    slots.push((format!("contact {}", c.id()), h.clone()));
                }
            }
            Ok(slots
                .into_iter()
                .map(|(code, h)| {
                    let usable = verifier.usable(&h).is_ok();
                    HashLine {
                        code,
                        params: h.cost().to_string(),
                        key_id: h.key_id().map(str::to_owned),
                        binding: match h.binding() {
                            Binding::Legacy => "legacy".to_owned(),
                            other => other.to_string(),
                        },
                        usable,
                        outdated: usable && verifier.is_outdated(&h, a.upgraded_normalization(&h)),
                    }
                })
                .collect())
        })
        .await?;
    Ok(Json(HashStatus { hashes }))
}

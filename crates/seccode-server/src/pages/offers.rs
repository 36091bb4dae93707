//! What a page offers the signed-in contact: asked of the core, never decided here. Each
//! question runs the very operation the form would ask for, with the contact as the actor,
//! on a throw-away copy of the account: whatever the core refuses is not offered, and a
//! forged form for it is refused by the same check when it is really run. Only operations
//! that need no code are tried (the right to set a code is the right to clear it). Whether a
//! code may be revealed is asked of the core without opening it.

use seccode::{Account, Action, ContactId, Engine};

/// Run `op` on a throw-away copy of `account`: the core's answer, with nothing changed.
pub(crate) fn probe(
    account: &Account,
    op: impl FnOnce(&mut Account) -> seccode::Result<()>,
) -> seccode::Result<()> {
    let mut copy = account.clone();
    op(&mut copy)
}

fn core_allows(account: &Account, op: impl FnOnce(&mut Account) -> seccode::Result<()>) -> bool {
    probe(account, op).is_ok()
}

/// What `actor` may do on an account.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccountOffers {
    /// "ADD CONTACT".
    pub add_contact: bool,
    /// Set or change the account-wide code ("Custom Fields → Edit").
    pub set_account_code: bool,
}

/// What `actor` may do to one contact.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContactOffers {
    /// Change the contact's details.
    pub edit: bool,
    /// Deactivate the contact.
    pub deactivate: bool,
    /// Set or clear the contact's own code.
    pub set_code: bool,
    /// Unlock the contact.
    pub unlock: bool,
    /// Change the contact's permissions.
    pub permissions: bool,
    /// Set the contact's portal password.
    pub password: bool,
}

/// Whether `actor` may set `target`'s portal password: asked with a password the policy
/// refuses, so the core answers with its rights check (refused: not offered) or with the
/// policy (the right is held), and nothing is hashed.
fn may_set_password(
    account: &Account,
    engine: &Engine,
    actor: ContactId,
    target: ContactId,
) -> bool {
    let Ok(probe_password) = seccode::Password::new("x".to_owned()) else {
        return false;
    };
    matches!(
        probe(account, |a| a.set_password(
            engine,
            actor,
            target,
            &probe_password
        )),
        Ok(()) | Err(seccode::Error::PolicyRejected(_))
    )
}

/// What `actor` may do on `account`.
pub(crate) fn account(account: &Account, engine: &Engine, actor: ContactId) -> AccountOffers {
    let next = ContactId(
        account
            .contacts()
            .map(|c| c.id().0)
            .max()
            .unwrap_or(0)
            .saturating_add(1),
    );
    AccountOffers {
        add_contact: core_allows(account, |a| {
            let details = seccode::ContactDetails {
                name: "probe".to_owned(),
                ..seccode::ContactDetails::default()
            };
            a.add_contact(engine, actor, next, details)
        }),
        set_account_code: core_allows(account, |a| a.clear_account_code(engine, actor)),
    }
}

/// What `actor` may do to `target` on `account`.
pub(crate) fn contact(
    account: &Account,
    engine: &Engine,
    actor: ContactId,
    target: ContactId,
) -> ContactOffers {
    let details = account.contact(target).map(|c| c.details().clone());
    let catalog = account.catalog();
    let cell = catalog.resources().find_map(|r| {
        Action::ALL
            .into_iter()
            .find(|a| catalog.applies(r, *a))
            .map(|a| (r, a))
    });
    ContactOffers {
        edit: details
            .is_ok_and(|d| core_allows(account, |a| a.edit_contact(engine, actor, target, d))),
        deactivate: core_allows(account, |a| a.deactivate_contact(engine, actor, target)),
        set_code: core_allows(account, |a| a.clear_contact_code(engine, actor, target)),
        unlock: core_allows(account, |a| a.unlock(engine, actor, target)),
        password: may_set_password(account, engine, actor, target),
        permissions: cell.is_some_and(|(resource, action)| {
            core_allows(account, |a| {
                let setting = a.contact(target)?.settings().get(resource, action);
                a.set_permission(engine, actor, target, resource, action, setting)
            })
        }),
    }
}

/// Whether a page offers to reveal a code, and if not, why (the page says so in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reveal {
    /// No code is set: nothing to reveal.
    NotSet,
    /// The service has no sealing key: the code can be changed but is never shown.
    NoSealer,
    /// The core refuses to show this code to the contact.
    NotAllowed,
    /// The code has no sealed copy this service can open (it was set before the sealing key
    /// was configured, or under a key it no longer has): setting it again makes one.
    NoCopy,
    /// The "Reveal" button.
    Offered,
}

/// The offer for a code: `may` is the core's answer to whether it may be revealed, asked
/// without opening it (`may_reveal_account_code`, `may_reveal_contact_code`).
fn reveal_offer(engine: &Engine, is_set: bool, may: seccode::Result<()>) -> Reveal {
    if !is_set {
        return Reveal::NotSet;
    }
    if engine.sealer().is_none() {
        return Reveal::NoSealer;
    }
    match may {
        Ok(()) => Reveal::Offered,
        Err(seccode::Error::Sealed(_) | seccode::Error::UnknownKey(_)) => Reveal::NoCopy,
        Err(_) => Reveal::NotAllowed,
    }
}

/// Whether `actor` is offered to reveal the account-wide code (`Profile / View`).
pub(crate) fn reveal_account_code(account: &Account, engine: &Engine, actor: ContactId) -> Reveal {
    reveal_offer(
        engine,
        account.has_account_code(),
        account.may_reveal_account_code(engine, actor),
    )
}

/// Whether `actor` is offered to reveal `target`'s own code (`Manage Contacts / View`).
pub(crate) fn reveal_contact_code(
    account: &Account,
    engine: &Engine,
    actor: ContactId,
    target: ContactId,
) -> Reveal {
    let is_set = account.contact(target).is_ok_and(|c| c.has_code());
    reveal_offer(
        engine,
        is_set,
        account.may_reveal_contact_code(engine, actor, target),
    )
}

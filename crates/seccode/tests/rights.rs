//! Who may do what (SPEC 3, and the contact administration rules of DESIGN.md), row by row:
//! the primary contact may; a contact allowed exactly the granting cell may; a contact allowed
//! every other cell may not; a deactivated contact allowed the cell may not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use seccode::{
    Account, Action, AuditKind, ContactDetails, ContactId, DetailsChange, Engine, Error,
    RwhoisRoles, Setting, Subject,
};

/// The one who tries, and a contact the action is done to.
const ACTOR: ContactId = ContactId(4001);
const TARGET: ContactId = ContactId(4002);

type Attempt = fn(&mut Account, &Engine, ContactId) -> seccode::Result<()>;

struct Row {
    what: &'static str,
    /// The granting cell; `None`: the primary contact only.
    cell: Option<(&'static str, Action)>,
    attempt: Attempt,
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            what: "set or change the account-wide code",
            cell: Some(("Profile", Action::Update)),
            attempt: |a, e, by| a.set_account_code(e, by, &code("Velvet thunder orchard lamp")),
        },
        Row {
            what: "know / use the account-wide code",
            cell: Some(("Profile", Action::View)),
            attempt: |a, _, by| match a.may_know_account_code(by)? {
                true => Ok(()),
                false => Err(Error::PermissionDenied(
                    seccode::Requirement::PrimaryContact,
                )),
            },
        },
        Row {
            what: "set another contact's individual code",
            cell: Some(("Manage Contacts", Action::Update)),
            attempt: |a, e, by| {
                a.set_contact_code(e, by, TARGET, &code("Quiet harbor zebra violin"))
            },
        },
        Row {
            what: "update one's own individual code",
            cell: Some(("Manage Contacts", Action::Update)),
            attempt: |a, e, by| a.set_contact_code(e, by, by, &code("Amber lantern cobalt river")),
        },
        Row {
            what: "unlock a locked contact",
            cell: Some(("Manage Contacts", Action::Update)),
            attempt: |a, e, by| a.unlock(e, by, TARGET),
        },
        Row {
            what: "change another contact's permissions",
            cell: None,
            attempt: |a, e, by| {
                let r = a.catalog().require("Reports")?;
                a.set_permission(e, by, TARGET, r, Action::View, Setting::Allow)
            },
        },
        Row {
            what: "add a contact",
            cell: Some(("Manage Contacts", Action::Create)),
            attempt: |a, e, by| {
                a.add_contact(e, by, ContactId(4100), ContactDetails::named("New One"))
            },
        },
        Row {
            what: "edit another contact",
            cell: Some(("Manage Contacts", Action::Update)),
            attempt: |a, e, by| a.edit_contact(e, by, TARGET, ContactDetails::named("Renamed")),
        },
        Row {
            what: "change some details of another contact",
            cell: Some(("Manage Contacts", Action::Update)),
            attempt: |a, e, by| {
                let change = DetailsChange {
                    title: Some("Billing".into()),
                    ..DetailsChange::default()
                };
                a.edit_contact_details(e, by, TARGET, &change)
            },
        },
        Row {
            what: "deactivate a contact",
            cell: Some(("Manage Contacts", Action::Delete)),
            attempt: |a, e, by| a.deactivate_contact(e, by, TARGET),
        },
        Row {
            what: "remove a contact",
            cell: Some(("Manage Contacts", Action::Delete)),
            attempt: |a, e, by| a.remove_contact(e, by, TARGET),
        },
        Row {
            what: "reactivate a contact",
            cell: Some(("Manage Contacts", Action::Create)),
            attempt: |a, e, by| a.reactivate_contact(e, by, TARGET),
        },
    ]
}

/// Any Company with the actor and the target; the target deactivated for `reactivate`.
fn setup(engine: &Engine, row: &Row) -> Account {
    let mut account = any_company(engine);
    for id in [ACTOR, TARGET] {
        account
            .add_contact(
                engine,
                JOE,
                id,
                ContactDetails::named(format!("Contact {id}")),
            )
            .unwrap();
    }
    if row.what == "reactivate a contact" {
        account.deactivate_contact(engine, JOE, TARGET).unwrap();
    }
    account
}

fn allow(
    account: &mut Account,
    engine: &Engine,
    who: ContactId,
    cell: (&str, Action),
    setting: Setting,
) {
    let r = account.catalog().require(cell.0).unwrap();
    account
        .set_permission(engine, JOE, who, r, cell.1, setting)
        .unwrap();
}

/// Every applicable cell of the catalog.
fn every_cell(account: &Account) -> Vec<(String, Action)> {
    let catalog = account.catalog();
    catalog
        .resources()
        .flat_map(|r| {
            Action::ALL
                .into_iter()
                .filter(move |a| catalog.applies(r, *a))
                .map(move |a| (catalog.name(r).to_string(), a))
        })
        .collect()
}

#[test]
fn every_row_of_the_rights_table() {
    let (engine, _) = engine();
    for row in rows() {
        // The primary contact may.
        let mut account = setup(&engine, &row);
        assert!(
            (row.attempt)(&mut account, &engine, JOE).is_ok(),
            "primary: {}",
            row.what
        );

        // Allowed exactly the granting cell: may (unless the primary contact only).
        let mut account = setup(&engine, &row);
        if let Some(cell) = row.cell {
            allow(&mut account, &engine, ACTOR, cell, Setting::Allow);
        }
        let result = (row.attempt)(&mut account, &engine, ACTOR);
        match row.cell {
            Some(_) => assert!(result.is_ok(), "granted cell: {}: {result:?}", row.what),
            None => assert!(
                matches!(result, Err(Error::PermissionDenied(_))),
                "{}",
                row.what
            ),
        }

        // Allowed every other cell, and the granting one denied: may not, and nothing changes.
        let mut account = setup(&engine, &row);
        for (name, action) in every_cell(&account) {
            let setting = match row.cell {
                Some(cell) if cell.0 == name && cell.1 == action => Setting::Deny,
                _ => Setting::Allow,
            };
            allow(&mut account, &engine, ACTOR, (&name, action), setting);
        }
        let before = account.to_record();
        let result = (row.attempt)(&mut account, &engine, ACTOR);
        assert!(
            matches!(result, Err(Error::PermissionDenied(_))),
            "every other cell: {}: {result:?}",
            row.what
        );
        assert_eq!(account.to_record(), before, "nothing changed: {}", row.what);

        // Deactivated, even with the cell: may not.
        let mut account = setup(&engine, &row);
        if let Some(cell) = row.cell {
            allow(&mut account, &engine, ACTOR, cell, Setting::Allow);
        }
        account.deactivate_contact(&engine, JOE, ACTOR).unwrap();
        assert!(
            (row.attempt)(&mut account, &engine, ACTOR).is_err(),
            "deactivated: {}",
            row.what
        );
    }
}

/// A new contact given no id gets one more than the account's highest, however the ids are
/// spaced, and never one the stores cannot hold.
#[test]
fn a_new_contact_without_an_id_gets_the_one_after_the_highest() {
    let (engine, _) = engine();
    let mut account = Account::new(
        seccode::AccountId(1707),
        "Any Company",
        ContactId(3522),
        ContactDetails::named("Joe Example"),
    )
    .unwrap();
    assert_eq!(account.next_contact_id().unwrap(), ContactId(3523));
    account
        .add_contact(
            &engine,
            ContactId(3522),
            ContactId(9000),
            ContactDetails::named("Nine"),
        )
        .unwrap();
    account
        .add_contact(
            &engine,
            ContactId(3522),
            ContactId(4000),
            ContactDetails::named("Four"),
        )
        .unwrap();
    assert_eq!(account.next_contact_id().unwrap(), ContactId(9001));
    let last = ContactId(i64::MAX.unsigned_abs());
    assert!(matches!(last.next(), Err(Error::InvalidInput { .. })));
    assert_eq!(ContactId(0).next().unwrap(), ContactId(1));
}

/// A change to some details replaces the fields it gives and keeps the others; what it makes
/// is checked as a whole edit is, and it is audited as one.
#[test]
fn a_details_change_keeps_what_it_does_not_give() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account.drain_audit();
    let before = account.contact(CONTACT).unwrap().details().clone();
    let change = DetailsChange {
        title: Some("Billing".into()),
        tech: Some(true),
        ..DetailsChange::default()
    };
    account
        .edit_contact_details(&engine, JOE, CONTACT, &change)
        .unwrap();
    let after = account.contact(CONTACT).unwrap().details().clone();
    assert_eq!(
        after,
        ContactDetails {
            title: "Billing".into(),
            rwhois: RwhoisRoles {
                tech: true,
                ..before.rwhois
            },
            ..before.clone()
        }
    );
    let events = account.drain_audit();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, AuditKind::ContactEdited);
    assert_eq!(events[0].subject, Subject::Contact(CONTACT));

    // Every role at once, as the faces that take the roles as one value give them.
    let roles = RwhoisRoles {
        poc: true,
        tech: false,
        abuse: true,
    };
    let all = DetailsChange::default().with_rwhois(roles);
    assert_eq!(all.applied_to(&after).rwhois, roles);
    assert_eq!(DetailsChange::default().applied_to(&after), after);

    // An empty name is refused as a whole edit refuses it, and nothing changes.
    let empty = DetailsChange {
        name: Some(" ".into()),
        ..DetailsChange::default()
    };
    assert!(matches!(
        account.edit_contact_details(&engine, JOE, CONTACT, &empty),
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(account.contact(CONTACT).unwrap().details(), &after);
    assert!(matches!(
        account.edit_contact_details(&engine, JOE, ContactId(9999), &change),
        Err(Error::UnknownContact(_))
    ));
}

//! Which rows a write transaction writes to move an account from what it loaded to what the
//! core made of it, as every SQL backend writes them: only the rows that changed, so that a
//! verification writes its contact's lock row and nothing else. A backend runs each
//! [`RowWrite`] as its own SQL; what to write is decided here, once.

use std::collections::BTreeMap;

use seccode::{AccountRecord, CodeHash, ContactId, ContactRecord, StrayLock};

/// One write to an account's rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RowWrite<'a> {
    /// Update the `accounts` row from the record (name, normalization, catalog, sealed copy,
    /// code stamp, throttling); no row to update means the account does not exist.
    Head(&'a AccountRecord),
    /// Replace the account-wide code's hash row (remove it with `None`).
    AccountCode(Option<&'a CodeHash>),
    /// Remove every contact of the account with its rows (a rewrite without a loaded copy).
    RemoveContacts,
    /// Remove one contact with its rows.
    RemoveContact(ContactId),
    /// Write a contact's row with its hash, settings and lock rows; with `replace`, over the
    /// rows it had.
    Contact {
        /// The contact as it is now.
        contact: &'a ContactRecord,
        /// Whether the contact had rows already.
        replace: bool,
    },
    /// Write only a contact's lock row (remove it when the contact is back to no failures):
    /// nothing else of the contact changed.
    Lock(&'a ContactRecord),
    /// Replace the unknown ids' lock rows.
    StrayLocks(&'a [StrayLock]),
}

/// The rows of a new account below its `accounts` row (which the backend inserts first).
pub(crate) fn new_account_rows(new: &AccountRecord) -> Vec<RowWrite<'_>> {
    let mut writes = vec![RowWrite::AccountCode(new.security_code.as_ref())];
    writes.extend(new.contacts.iter().map(|contact| RowWrite::Contact {
        contact,
        replace: false,
    }));
    writes.push(RowWrite::StrayLocks(&new.unknown_contact_locks));
    writes
}

/// The writes from `old` (what the transaction loaded) to `new`: none when nothing changed;
/// with no `old`, every row of the account rewritten.
pub(crate) fn row_writes<'a>(
    old: Option<&AccountRecord>,
    new: &'a AccountRecord,
) -> Vec<RowWrite<'a>> {
    let Some(old) = old else {
        let mut writes = vec![RowWrite::Head(new), RowWrite::RemoveContacts];
        writes.extend(new_account_rows(new));
        return writes;
    };
    let mut writes = Vec::new();
    if old == new {
        return writes;
    }
    if head_changed(old, new) {
        writes.push(RowWrite::Head(new));
    }
    if old.security_code != new.security_code {
        writes.push(RowWrite::AccountCode(new.security_code.as_ref()));
    }
    let before: BTreeMap<ContactId, &ContactRecord> =
        old.contacts.iter().map(|c| (c.id, c)).collect();
    let after: BTreeMap<ContactId, &ContactRecord> =
        new.contacts.iter().map(|c| (c.id, c)).collect();
    for id in before.keys().filter(|id| !after.contains_key(id)) {
        writes.push(RowWrite::RemoveContact(*id));
    }
    for (id, contact) in after {
        match before.get(&id) {
            Some(previous) if *previous == contact => {}
            Some(previous) if only_lock_changed(previous, contact) => {
                writes.push(RowWrite::Lock(contact));
            }
            Some(_) => writes.push(RowWrite::Contact {
                contact,
                replace: true,
            }),
            None => writes.push(RowWrite::Contact {
                contact,
                replace: false,
            }),
        }
    }
    if old.unknown_contact_locks != new.unknown_contact_locks {
        writes.push(RowWrite::StrayLocks(&new.unknown_contact_locks));
    }
    writes
}

/// Whether a column of the `accounts` row changed.
fn head_changed(old: &AccountRecord, new: &AccountRecord) -> bool {
    old.name != new.name
        || old.normalization != new.normalization
        || old.catalog != new.catalog
        || old.sealed_code != new.sealed_code
        || old.code_stamp != new.code_stamp
        || old.throttled_until != new.throttled_until
}

fn only_lock_changed(a: &ContactRecord, b: &ContactRecord) -> bool {
    ContactRecord {
        lock: b.lock,
        ..a.clone()
    } == *b
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use seccode::{AccountId, ContactDetails, Engine, EngineConfig};

    use super::*;

    fn account() -> seccode::Account {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let mut a = seccode::Account::new(
            AccountId(1707),
            "Any Company",
            ContactId(3522),
            ContactDetails::named("Joe Example"),
        )
        .unwrap();
        a.add_contact(
            &engine,
            ContactId(3522),
            ContactId(3523),
            ContactDetails::named("Contact Example"),
        )
        .unwrap();
        a
    }

    #[test]
    fn nothing_changed_writes_nothing() {
        let record = account().to_record();
        assert_eq!(row_writes(Some(&record), &record), Vec::new());
    }

    #[test]
    fn a_lock_change_writes_the_lock_row_alone() {
        let old = account().to_record();
        let mut new = old.clone();
        new.contacts[1].lock.failed_attempts = 1;
        assert_eq!(
            row_writes(Some(&old), &new),
            vec![RowWrite::Lock(&new.contacts[1])]
        );
    }

    #[test]
    fn a_changed_contact_is_rewritten_a_removed_one_removed_and_a_name_updates_the_head() {
        let old = account().to_record();
        let mut new = old.clone();
        new.name = "Other Company".into();
        new.contacts[0].title = "Owner".into();
        new.contacts.pop();
        assert_eq!(
            row_writes(Some(&old), &new),
            vec![
                RowWrite::Head(&new),
                RowWrite::RemoveContact(ContactId(3523)),
                RowWrite::Contact {
                    contact: &new.contacts[0],
                    replace: true
                },
            ]
        );
    }

    #[test]
    fn without_a_loaded_copy_every_row_is_rewritten() {
        let new = account().to_record();
        let writes = row_writes(None, &new);
        assert_eq!(
            writes[..2],
            [RowWrite::Head(&new), RowWrite::RemoveContacts]
        );
        assert_eq!(writes[2..], new_account_rows(&new)[..]);
        assert_eq!(new_account_rows(&new).len(), 4);
    }
}

//! Adding, editing, deactivating, reactivating and removing contacts (the portal's "View
//! Contacts" and "Edit Contact → Contact Details").

use crate::audit::{AuditKind, Subject};
use crate::contact::{Contact, ContactDetails, ContactId, DetailsChange};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::permission::{Grid, Settings};

use super::rights::Right;
use super::{Account, new_stamp};

impl Account {
    /// Add a contact. The actor needs `Manage Contacts / Create`. A failed-attempt count the
    /// id gathered while unknown stays with it.
    pub fn add_contact(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
        details: ContactDetails,
    ) -> Result<()> {
        self.actor(actor, Right::AddContact)?;
        details.validate()?;
        if self.contacts.contains_key(&id) {
            return Err(Error::DuplicateContact(id));
        }
        let settings = Settings::new(&self.catalog);
        self.insert_contact(Contact {
            id,
            details,
            active: true,
            code: None,
            sealed: None,
            password: None,
            settings,
            grid: Grid::default(),
            stamp: new_stamp()?,
        });
        self.record(
            engine.now(),
            Some(actor),
            Subject::Contact(id),
            AuditKind::ContactAdded,
        );
        Ok(())
    }

    /// Replace a contact's details. Contacts may edit their own; editing another needs
    /// `Manage Contacts / Update`.
    pub fn edit_contact(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
        details: ContactDetails,
    ) -> Result<()> {
        if actor == id {
            let me = self.contact(actor)?;
            if !me.active {
                return Err(Error::Deactivated(actor));
            }
        } else {
            self.actor(actor, Right::EditContact)?;
        }
        details.validate()?;
        let contact = self.find_mut(id).ok_or(Error::UnknownContact(id))?;
        contact.details = details;
        self.record(
            engine.now(),
            Some(actor),
            Subject::Contact(id),
            AuditKind::ContactEdited,
        );
        Ok(())
    }

    /// [`Account::edit_contact`] with only the fields `change` gives; the others keep their
    /// values.
    pub fn edit_contact_details(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
        change: &DetailsChange,
    ) -> Result<()> {
        let details = change.applied_to(self.contact(id)?.details());
        self.edit_contact(engine, actor, id, details)
    }

    /// Deactivate a contact: it can no longer verify or act, and its verifications stop
    /// counting. Needs `Manage Contacts / Delete`. The primary contact cannot be deactivated.
    pub fn deactivate_contact(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
    ) -> Result<()> {
        self.actor(actor, Right::DeactivateContact)?;
        if id == self.primary {
            return Err(Error::PrimaryContact("deactivated"));
        }
        self.set_active(engine, actor, id, false)
    }

    /// Remove a contact for good: its code and settings go with it (the audit log keeps its
    /// history; its failed-attempt count stays with the id, as for any unknown id). Needs
    /// `Manage Contacts / Delete`. The primary contact cannot be removed. Portals usually
    /// deactivate instead, which can be undone.
    pub fn remove_contact(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
    ) -> Result<()> {
        self.actor(actor, Right::DeactivateContact)?;
        if id == self.primary {
            return Err(Error::PrimaryContact("removed"));
        }
        if self.contacts.remove(&id).is_none() {
            return Err(Error::UnknownContact(id));
        }
        self.record(
            engine.now(),
            Some(actor),
            Subject::Contact(id),
            AuditKind::ContactRemoved,
        );
        Ok(())
    }

    /// Reactivate a deactivated contact. Needs `Manage Contacts / Create`.
    pub fn reactivate_contact(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
    ) -> Result<()> {
        self.actor(actor, Right::AddContact)?;
        self.set_active(engine, actor, id, true)
    }

    /// Flip a contact's active flag (no-op when already so), restamp it and record it.
    fn set_active(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        id: ContactId,
        active: bool,
    ) -> Result<()> {
        let stamp = new_stamp()?;
        let contact = self.find_mut(id).ok_or(Error::UnknownContact(id))?;
        if contact.active == active {
            return Ok(());
        }
        contact.active = active;
        contact.stamp = stamp;
        let kind = if active {
            AuditKind::ContactReactivated
        } else {
            AuditKind::ContactDeactivated
        };
        self.record(engine.now(), Some(actor), Subject::Contact(id), kind);
        Ok(())
    }
}

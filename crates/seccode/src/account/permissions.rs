//! A contact's permission grid (the "Permissions" tab): changing a cell, reading effective
//! values with the resource that decided them, and the grid as the portal shows it.

use crate::audit::{AuditKind, Subject};
use crate::contact::ContactId;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::permission::{self, Action, Cell, Grid, ResourceId, Setting};

use super::Account;
use super::rights::Right;

impl Account {
    /// Change one cell of a contact's permission grid. Only the primary contact may; the
    /// primary contact's own grid (everything allowed) cannot be changed; a not-applicable
    /// cell cannot be set to Allow or Deny.
    pub fn set_permission(
        &mut self,
        engine: &Engine,
        actor: ContactId,
        target: ContactId,
        resource: ResourceId,
        action: Action,
        setting: Setting,
    ) -> Result<()> {
        self.actor(actor, Right::ChangePermissions)?;
        if target == self.primary {
            return Err(Error::PrimaryContact("given permission settings"));
        }
        if !self.catalog.contains(resource) {
            return Err(Error::UnknownResource(format!("#{}", resource.index())));
        }
        let name = self.catalog.name(resource).to_string();
        let catalog = std::sync::Arc::clone(&self.catalog);
        let contact = self.find_mut(target).ok_or(Error::UnknownContact(target))?;
        let previous = contact.settings.set(&catalog, resource, action, setting)?;
        contact.grid = Grid::compile(&catalog, &contact.settings);
        if previous != setting {
            self.record(
                engine.now(),
                Some(actor),
                Subject::Contact(target),
                AuditKind::PermissionChanged {
                    resource: name,
                    action,
                    from: previous,
                    to: setting,
                },
            );
        }
        Ok(())
    }

    /// A contact's compiled grid: after this, a check is a constant-time lookup by handle.
    pub fn grid(&self, contact: ContactId) -> Result<&Grid> {
        Ok(&self.contact(contact)?.grid)
    }

    /// One cell's effective value and which resource decided it.
    pub fn effective(
        &self,
        contact: ContactId,
        resource: ResourceId,
        action: Action,
    ) -> Result<Cell> {
        if !self.catalog.contains(resource) {
            return Err(Error::UnknownResource(format!("#{}", resource.index())));
        }
        Ok(self.grid(contact)?.cell(resource, action))
    }

    /// The grid as the portal shows it: effective values, inherited or default ones in
    /// parentheses, `-` where an action does not apply.
    pub fn render_grid(&self, contact: ContactId) -> Result<String> {
        Ok(permission::render_grid(&self.catalog, self.grid(contact)?))
    }

    /// The raw settings (Inherit / Allow / Deny) of a contact.
    pub fn render_settings(&self, contact: ContactId) -> Result<String> {
        Ok(permission::render_settings(
            &self.catalog,
            self.contact(contact)?.settings(),
        ))
    }
}

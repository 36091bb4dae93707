//! What a verified caller may request (SPEC 5), for as long as the verification holds (SPEC 7).

use crate::audit::{AuditKind, Subject};
use crate::contact::Contact;
use crate::engine::Engine;
use crate::error::Result;
use crate::request::{Decision, DenyReason, RequestKind};
use crate::verification::{CallStatus, Slot, Verification, VerifiedCall};

use super::Account;
use super::rights::Right;

impl Account {
    /// Whether `call` still authorizes requests on this account: made on it, for the contact
    /// as it still is (not removed, not deactivated, its code unchanged, and the account-wide
    /// code unchanged if that is what it matched), and not expired.
    pub fn call_status(&self, engine: &Engine, call: &VerifiedCall) -> CallStatus {
        let (contact_stamp, code_stamp) = call.stamps();
        let holds = call.account() == self.id
            && self
                .find(call.contact())
                .is_some_and(|c| c.active && c.stamp == contact_stamp)
            && (call.slot() == Slot::Individual || self.code_stamp == code_stamp);
        if !holds {
            CallStatus::Void
        } else if engine.now() >= call.expires_at() {
            CallStatus::Expired
        } else {
            CallStatus::Valid
        }
    }

    /// What support may do for the caller of `call` (SPEC 5): routine requests are allowed;
    /// billable ones need `Billing & Services / Update`; significant changes and cancellations
    /// always need additional approval from the primary contact. A void or expired call is
    /// denied ("verify again").
    pub fn authorize(
        &self,
        engine: &Engine,
        call: &VerifiedCall,
        kind: RequestKind,
    ) -> Result<Decision> {
        let reason = match self.call_status(engine, call) {
            CallStatus::Valid => None,
            CallStatus::Expired => Some(DenyReason::VerificationExpired),
            CallStatus::Void => Some(DenyReason::VerificationVoid),
        };
        if let Some(reason) = reason {
            return Ok(Decision::Denied { reason });
        }
        let contact = self.contact(call.contact())?;
        Ok(self.decide(contact, kind))
    }

    /// [`Account::authorize`] for the result of a verification: denied unless it verified.
    pub fn authorize_verified(
        &self,
        engine: &Engine,
        verification: &Verification,
        kind: RequestKind,
    ) -> Result<Decision> {
        match verification.call() {
            Some(call) => self.authorize(engine, call, kind),
            None => Ok(Decision::Denied {
                reason: DenyReason::NotVerified,
            }),
        }
    }

    /// [`Account::authorize`], recorded: the decision goes to the audit log
    /// ([`AuditKind::RequestDecided`], about the call's contact, naming the agent set with
    /// [`Account::set_agent`]), so that the log shows who was allowed what on which call.
    /// Desks and services that decide requests for an agent call this one; `authorize` stays a
    /// plain question that changes nothing.
    ///
    /// The call must have been made on this account (it is denied as void otherwise, and that
    /// denial is recorded too).
    pub fn authorize_recorded(
        &mut self,
        engine: &Engine,
        call: &VerifiedCall,
        kind: RequestKind,
    ) -> Result<Decision> {
        let decision = self.authorize(engine, call, kind)?;
        let reason = match &decision {
            Decision::Denied { reason } => Some(reason.as_str().to_owned()),
            _ => None,
        };
        self.record(
            engine.now(),
            None,
            Subject::Contact(call.contact()),
            AuditKind::RequestDecided {
                request: kind,
                decision: decision.as_str().to_owned(),
                reason,
            },
        );
        Ok(decision)
    }

    /// The SPEC 5 table for an active contact whose call holds.
    fn decide(&self, contact: &Contact, kind: RequestKind) -> Decision {
        if !contact.active {
            return Decision::Denied {
                reason: DenyReason::Deactivated,
            };
        }
        match kind {
            RequestKind::Routine => Decision::Allowed,
            RequestKind::Billable if self.holds(contact, Right::Billable) => Decision::Allowed,
            RequestKind::Billable => Decision::Denied {
                reason: DenyReason::MissingPermission {
                    requirement: self.requirement(Right::Billable),
                },
            },
            RequestKind::SignificantChange | RequestKind::Cancellation => Decision::NeedsApproval {
                approvers: vec![self.primary],
            },
        }
    }
}

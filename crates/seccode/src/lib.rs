#![doc = include_str!("../../../README.md")]
#![forbid(unsafe_code)]

pub mod audit;
pub mod clock;
pub mod code;
pub mod data;
pub mod engine;
pub mod error;
pub mod model;
pub mod permission;
pub mod request;

pub use audit::{AuditEvent, AuditKind, Subject};
pub use clock::{Clock, ManualClock, SystemClock, Timestamp};
pub use code::hash::{Binding, CodeHash, HashParams};
pub use code::normalize::Normalization;
pub use code::policy::{CodePolicy, PolicyContext, Reason};
pub use code::secret::SecurityCode;
pub use code::verifier::{Verifier, VerifierConfig};
pub use engine::{Engine, EngineConfig, Lockout};
pub use error::{Error, ErrorKind, Requirement, Result};
pub use model::account::{Account, AccountId};
pub use model::contact::{Contact, ContactDetails, ContactId, LockState, RwhoisRoles};
pub use model::verify::{Outcome, Slot, Upgrade, Verification, VerifyReason};
pub use permission::{
    Action, Catalog, Cell, Effective, Grid, Origin, ResourceId, Setting, Settings,
};
pub use request::{Decision, DenyReason, RequestKind};

// The crate's page on docs.rs and crates.io, its examples compiled and run as doctests.
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Private modules, one per idea; everything a user needs is re-exported flat below, so that
// `use seccode::{Account, Engine, SecurityCode}` is the whole API and the file tree is free to
// change.
mod account;
mod audit;
mod clock;
mod code;
mod contact;
mod engine;
mod error;
mod password;
mod permission;
mod record;
mod request;
mod sign_in;
mod verification;

pub use account::{
    Account, AccountId, ContactView, LockStatus, MAX_UNKNOWN_IDS, PreparedImport, UnusableHash,
};
pub use audit::{AgentName, AuditEvent, AuditKind, Subject};
pub use clock::{Clock, ManualClock, SystemClock, Timestamp};
pub use code::hash::{
    BCRYPT_COST_CEILING, BCRYPT_MAX_CODE_LEN, Binding, Ceilings, CodeHash, HashAlgorithm, HashCost,
    HashParams, MAX_BCRYPT_COST, MAX_KEY_ID_LEN, MAX_OUTPUT_LEN, MAX_PEPPER_LEN, MAX_PHC_LEN,
    MAX_SALT_LEN, MIN_BCRYPT_COST, MIN_OUTPUT_LEN, MIN_PEPPER_LEN, MIN_SALT_LEN, OUTPUT_LEN,
    Pepper, SALT_LEN, Scope,
};
pub use code::normalize::Normalization;
pub use code::policy::{CodePolicy, PolicyContext, Reason};
pub use code::sealed::{MAX_SEAL_KEY_ID_LEN, SealedCode};
#[cfg(feature = "sealed")]
#[cfg_attr(docsrs, doc(cfg(feature = "sealed")))]
pub use code::sealer::{RevealedCode, Sealer};
pub use code::secret::SecurityCode;
#[doc(hidden)]
pub use code::verifier::{Probe, ProbeEvent};
pub use code::verifier::{SlotCheck, Verifier, VerifierConfig};
pub use contact::{Contact, ContactDetails, ContactId, DetailsChange, RwhoisRoles};
pub use engine::{Engine, EngineConfig, Lockout};
pub use error::{Error, ErrorKind, Requirement, Result};
pub use password::Password;
pub use permission::{
    Action, ActionSet, ActionSetIter, Catalog, Cell, Children, Effective, Grid, GridRow, Origin,
    ResourceId, Roles, Setting, Settings, grid_rows, render_grid, render_settings, resolve,
    settings_rows,
};
pub use record::{AccountRecord, ContactRecord, FORMAT, LockState, StrayLock};
pub use request::{Decision, DenyReason, RequestKind};
pub use sign_in::{CheckedSignIn, SignIn, SignInAttempt, SignInOutcome};
pub use verification::{
    Attempt, CallStatus, CheckedAttempt, Outcome, Slot, Upgrade, Verification, VerifiedCall,
    VerifyReason,
};

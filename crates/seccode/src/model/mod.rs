//! The account, its contacts, and the verification of a caller.

pub mod account;
pub mod contact;
pub mod verify;

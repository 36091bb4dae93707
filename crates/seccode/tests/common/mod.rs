//! Shared fixtures: the seed's account "Any Company" (Client ID 1707) with its three contacts.
#![allow(dead_code)]

use std::sync::Arc;

use seccode::HashParams;
use seccode::VerifierConfig;
use seccode::{
    Account, AccountId, ContactDetails, ContactId, Engine, EngineConfig, ManualClock, SecurityCode,
    Timestamp,
};

pub const ACCOUNT: AccountId = AccountId(1707);
pub const JOE: ContactId = ContactId(3522);
pub const CONTACT: ContactId = ContactId(3523);
pub const CONTACT2: ContactId = ContactId(3526);

/// Cheap Argon2 parameters: the flow is what these tests check, not the cost.
pub fn cheap() -> HashParams {
    HashParams {
        m_kib: 64,
        t: 1,
        p: 1,
    }
}

pub fn engine_with(params: HashParams, clock: Arc<ManualClock>) -> Engine {
    Engine::new(EngineConfig {
        verifier: VerifierConfig {
            params,
            ..VerifierConfig::default()
        },
        clock,
        ..EngineConfig::default()
    })
    .expect("engine")
}

pub fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(Timestamp(1_795_469_251)))
}

pub fn engine() -> (Engine, Arc<ManualClock>) {
    let clock = clock();
    (engine_with(cheap(), Arc::clone(&clock)), clock)
}

pub fn code(s: &str) -> SecurityCode {
    SecurityCode::try_from(s).expect("code")
}

/// The seed's contact list: Joe Example (primary), Contact Example, Contact Example 2.
pub fn any_company(engine: &Engine) -> Account {
    let mut account = Account::new(
        ACCOUNT,
        "Any Company",
        JOE,
        ContactDetails {
            name: "Joe Example".into(),
            title: "Primary Contact".into(),
            phone: "000-000-0000".into(),
            email: "marketing@viviotech.net".into(),
            ..ContactDetails::default()
        },
    )
    .expect("account");
    account
        .add_contact(
            engine,
            JOE,
            CONTACT,
            ContactDetails {
                name: "Contact Example".into(),
                phone: "000-000-0000".into(),
                email: "marketing@viviotech.net".into(),
                ..ContactDetails::default()
            },
        )
        .expect("contact");
    account
        .add_contact(
            engine,
            JOE,
            CONTACT2,
            ContactDetails::named("Contact Example 2"),
        )
        .expect("contact 2");
    account.drain_audit();
    account
}

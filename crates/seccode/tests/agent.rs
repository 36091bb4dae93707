//! The agent in the audit log: its name's rules, every event recorded while an agent is set
//! names it, events without one (and old JSON) have none, and decided requests are recorded.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use seccode::{AgentName, AuditEvent, AuditKind, Decision, Error, RequestKind, Subject};

const CONTACT_CODE: &str = "Quiet harbor zebra violin";

fn agent(name: &str) -> AgentName {
    AgentName::new(name).unwrap()
}

#[test]
fn agent_names_are_trimmed_and_checked() {
    assert_eq!(agent("  alice  ").as_str(), "alice");
    assert_eq!(
        agent("Ann-Marie O'Neil (desk 4)").to_string(),
        "Ann-Marie O'Neil (desk 4)"
    );
    let longest = "é".repeat(AgentName::MAX_LEN);
    assert_eq!(agent(&longest).as_str(), longest);

    for bad in ["", "   ", "ali\nce", "tab\there", "nul\0"] {
        match AgentName::new(bad) {
            Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "agent name"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    match AgentName::new("x".repeat(AgentName::MAX_LEN + 1)) {
        Err(Error::InputTooLong { field, max, .. }) => {
            assert_eq!((field, max), ("agent name", AgentName::MAX_LEN));
        }
        other => panic!("{other:?}"),
    }
    // The same rules when read from JSON.
    assert!(serde_json::from_str::<AgentName>("\"  bob \"").is_ok());
    assert!(serde_json::from_str::<AgentName>("\"\"").is_err());
    assert!(serde_json::from_str::<AgentName>("\"a\\u0007b\"").is_err());
}

#[test]
fn every_event_recorded_while_an_agent_is_set_names_it() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account
        .set_contact_code(&engine, JOE, CONTACT, &code(CONTACT_CODE))
        .unwrap();
    account.drain_audit();

    account.set_agent(Some(agent("alice")));
    assert_eq!(account.agent().map(AgentName::as_str), Some("alice"));
    let v = account
        .verify(&engine, CONTACT, &code(CONTACT_CODE))
        .unwrap();
    let call = v.call().cloned().unwrap();
    account
        .verify(&engine, CONTACT, &code("wrong wrong wrong wrong"))
        .unwrap();
    account.unlock(&engine, JOE, CONTACT).unwrap();
    let decision = account
        .authorize_recorded(&engine, &call, RequestKind::Routine)
        .unwrap();
    assert_eq!(decision, Decision::Allowed);
    let events = account.drain_audit();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "verification_succeeded",
            "verification_failed",
            "unlocked",
            "request_decided"
        ]
    );
    for e in &events {
        assert_eq!(e.agent, Some(agent("alice")), "{e}");
        assert!(e.to_string().contains("via agent alice"), "{e}");
        assert!(
            e.to_json().contains(r#""agent":"alice""#),
            "{}",
            e.to_json()
        );
    }
    // The agent is not the actor: the unlock names both.
    assert_eq!(events[2].actor, Some(JOE));
    assert_eq!(
        events[3].kind,
        AuditKind::RequestDecided {
            request: RequestKind::Routine,
            decision: "allowed".into(),
            reason: None,
        }
    );
    assert_eq!(events[3].subject, Subject::Contact(CONTACT));

    // No agent: none recorded, none in JSON or text.
    account.set_agent(None);
    account.unlock(&engine, JOE, CONTACT).unwrap();
    let events = account.drain_audit();
    assert_eq!(events[0].agent, None);
    assert!(!events[0].to_json().contains("agent"));
    assert!(!events[0].to_string().contains("agent"));
}

#[test]
fn the_agent_is_not_stored_with_the_account() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account.set_agent(Some(agent("alice")));
    let loaded = seccode::Account::from_record(account.to_record()).unwrap();
    assert_eq!(loaded.agent(), None);
}

#[test]
fn a_denied_request_is_recorded_with_its_reason() {
    let (engine, _) = engine();
    let mut account = any_company(&engine);
    account
        .set_contact_code(&engine, JOE, CONTACT, &code(CONTACT_CODE))
        .unwrap();
    let call = account
        .verify(&engine, CONTACT, &code(CONTACT_CODE))
        .unwrap()
        .call()
        .cloned()
        .unwrap();
    account.drain_audit();
    let decision = account
        .authorize_recorded(&engine, &call, RequestKind::Billable)
        .unwrap();
    assert!(matches!(decision, Decision::Denied { .. }));
    let events = account.drain_audit();
    assert_eq!(
        events[0].kind,
        AuditKind::RequestDecided {
            request: RequestKind::Billable,
            decision: "denied".into(),
            reason: Some("missing_permission".into()),
        }
    );
    assert_eq!(events[0].agent, None);
    assert!(
        events[0]
            .to_string()
            .ends_with("request_decided (billable: denied, missing_permission)"),
        "{}",
        events[0]
    );
    // The plain question changes nothing.
    account
        .authorize(&engine, &call, RequestKind::Billable)
        .unwrap();
    assert!(account.audit().is_empty());
}

#[test]
fn events_without_an_agent_still_load() {
    // As stored before agents were recorded (no `agent` key).
    let old = r#"{"at":1795469251,"account":1707,"actor":3522,
        "subject":{"type":"contact","id":3523},"kind":"unlocked"}"#;
    let event: AuditEvent = serde_json::from_str(old).unwrap();
    assert_eq!(event.agent, None);
    assert_eq!(event.kind, AuditKind::Unlocked);
    let new = r#"{"at":1795469251,"account":1707,"actor":3522,"agent":"alice",
        "subject":{"type":"contact","id":3523},"kind":"unlocked"}"#;
    let event: AuditEvent = serde_json::from_str(new).unwrap();
    assert_eq!(event.agent, Some(agent("alice")));
    // An invalid stored agent is refused, not shown.
    let bad = new.replace("alice", "");
    assert!(serde_json::from_str::<AuditEvent>(&bad).is_err());
}

#[test]
fn kind_names_are_the_core_list() {
    for kind in AuditKind::NAMES {
        assert_eq!(AuditKind::name(kind), Some(kind));
    }
    assert_eq!(
        AuditKind::name(" Verification-Failed "),
        Some("verification_failed")
    );
    assert_eq!(AuditKind::name("verfication_failed"), None);
}

#[test]
fn an_unknown_kind_is_an_invalid_input_naming_the_kinds() {
    assert_eq!(
        AuditKind::parse_name("Code-Set").unwrap(),
        "code_set",
        "read as `name` reads"
    );
    let err = AuditKind::parse_name("verfication_failed").unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                field: "audit kind",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.as_str(), "invalid_input");
    let message = err.to_string();
    for kind in AuditKind::NAMES {
        assert!(message.contains(kind), "{message}");
    }
    assert!(
        !message.contains("verfication"),
        "the input is not echoed: {message}"
    );
}

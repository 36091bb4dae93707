//! The bound on Argon2 work (SPEC 9): one slot, no patience, many verifications at the
//! default cost at once. Some are refused with `503` and `Retry-After`, none hangs (every
//! client thread joins), the rest are answered normally, and the metrics count the refusals;
//! on SQLite and on PostgreSQL; and the process's peak memory grows by about one Argon2 slot,
//! not one per request.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Backend, j, send, start_on};
use seccode_store::StoreConfig;
use serde_json::json;

const CODE: &str = "Seven lazy herons juggle 19 kiwis";

#[test]
fn a_saturated_service_answers_503_with_retry_after_and_the_rest_normally() {
    saturate(Backend::Sqlite);
}

#[test]
fn a_saturated_service_on_postgresql_answers_alike() {
    saturate(Backend::Postgres);
}

fn saturate(backend: Backend) {
    // The default cost (m=19456 KiB, t=2): far longer than the zero wait for a slot.
    let Some(s) = start_on(backend, StoreConfig::default().params, |o| {
        o.argon2_concurrency = 1;
        o.argon2_wait = Duration::ZERO;
    }) else {
        return;
    };
    let s = Arc::new(s);
    let (st, _) = j(
        &s,
        "POST",
        "/v1/accounts",
        &s.admin,
        json!({"id": 1707, "name": "Any Company", "primary": {"id": 3522, "name": "Joe Example"}}),
    );
    assert_eq!(st, 201);
    for contact in 3523..3531 {
        let (st, v) = j(
            &s,
            "POST",
            "/v1/accounts/1707/contacts",
            &s.portal,
            json!({"actor": 3522, "id": contact, "name": format!("Contact {contact}")}),
        );
        assert_eq!(st, 201, "{v}");
        let (st, v) = j(
            &s,
            "PUT",
            &format!("/v1/accounts/1707/contacts/{contact}/code"),
            &s.admin,
            json!({"actor": 3522, "code": CODE}),
        );
        assert_eq!(st, 200, "{v}");
    }
    let peak_before = peak_memory_kib();
    let threads: Vec<_> = (0..16u64)
        .map(|i| {
            let s = Arc::clone(&s);
            std::thread::spawn(move || {
                (0..4)
                    .map(|_| {
                        send(
                            &s.base,
                            "POST",
                            "/v1/accounts/1707/verifications",
                            Some(&s.agent),
                            &json!({"contact": 3523 + i % 8, "code": CODE}),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let answers: Vec<_> = threads
        .into_iter()
        .flat_map(|t| t.join().expect("a client thread panicked"))
        .collect();
    assert_eq!(answers.len(), 64, "every request was answered");
    // Memory stays bounded: 64 verifications at once, each needing 19 MiB of Argon2 memory,
    // raise the process's peak by about one slot's worth, not 64 (1.2 GiB). (Both tests of
    // this file may run at once in this process: the bound allows for both.)
    let growth_mib = (peak_memory_kib() - peak_before) / 1024;
    assert!(
        growth_mib < 256,
        "the peak resident memory grew by {growth_mib} MiB under 64 concurrent verifications"
    );
    let mut refused = 0;
    let mut verified = 0;
    for a in &answers {
        match a.status {
            503 => {
                refused += 1;
                let after: u64 = a
                    .retry_after
                    .as_deref()
                    .expect("a 503 without Retry-After")
                    .parse()
                    .expect("Retry-After in seconds");
                assert!(after >= 1);
                assert_eq!(a.json()["type"], "saturated", "{}", a.text);
                assert_eq!(a.json()["status"], 503, "{}", a.text);
            }
            200 => {
                verified += 1;
                assert_eq!(a.json()["outcome"], "verified", "{}", a.text);
                assert!(a.retry_after.is_none());
            }
            other => panic!("unexpected status {other}: {}", a.text),
        }
    }
    assert!(
        refused > 0,
        "one slot and no patience: some must be refused"
    );
    assert!(verified > 0, "the slot's holders are answered normally");
    // The service still answers once the load is over, and counted every refusal.
    let a = send(
        &s.base,
        "POST",
        "/v1/accounts/1707/verifications",
        Some(&s.agent),
        &json!({"contact": 3523, "code": CODE}),
    );
    assert_eq!(
        (a.status, a.json()["outcome"].clone()),
        (200, json!("verified"))
    );
    let metrics = send(&s.base, "GET", "/metrics", Some(&s.agent), &json!(null)).text;
    let counted: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("seccode_saturated_total "))
        .expect("the saturation counter")
        .trim()
        .parse()
        .unwrap();
    assert_eq!(counted, refused);
    assert!(
        metrics.contains("seccode_argon2_queue_length 0"),
        "{metrics}"
    );
}

/// The process's peak resident memory so far (`VmHWM`), in KiB.
fn peak_memory_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

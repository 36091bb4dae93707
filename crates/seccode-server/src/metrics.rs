//! The service's Prometheus metrics: requests by route and status, verifications by outcome,
//! the Argon2 queue and its latency, failed authentications. Labels are route templates and
//! fixed names: never an id, a code, a key or a token.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct OutcomeLabels {
    pub outcome: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct ReasonLabels {
    pub reason: String,
}

/// The metrics of one service instance, in a registry of its own.
#[derive(Debug)]
pub(crate) struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub verifications: Family<OutcomeLabels, Counter>,
    pub auth_failures: Family<ReasonLabels, Counter>,
    pub argon2_waiting: Gauge,
    pub argon2_running: Gauge,
    pub argon2_seconds: Histogram,
    pub argon2_wait_seconds: Histogram,
    pub saturated: Counter,
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let mut registry = Registry::with_prefix("seccode");
        let requests = Family::<RequestLabels, Counter>::default();
        let verifications = Family::<OutcomeLabels, Counter>::default();
        let auth_failures = Family::<ReasonLabels, Counter>::default();
        let argon2_waiting = Gauge::default();
        let argon2_running = Gauge::default();
        let argon2_seconds = Histogram::new(exponential_buckets(0.002, 2.0, 12));
        let argon2_wait_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 14));
        let saturated = Counter::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        registry.register(
            "verifications",
            "Verifications answered, by outcome",
            verifications.clone(),
        );
        registry.register(
            "auth_failures",
            "Requests refused for a missing, unknown or revoked API key",
            auth_failures.clone(),
        );
        registry.register(
            "argon2_queue_length",
            "Requests waiting for an Argon2 slot",
            argon2_waiting.clone(),
        );
        registry.register(
            "argon2_running",
            "Argon2 computations running now",
            argon2_running.clone(),
        );
        registry.register(
            "argon2_seconds",
            "Time of the store and Argon2 work of hashing requests, once a slot was given",
            argon2_seconds.clone(),
        );
        registry.register(
            "argon2_wait_seconds",
            "Time waited for an Argon2 slot",
            argon2_wait_seconds.clone(),
        );
        registry.register(
            "saturated",
            "Requests refused with 503 after waiting too long for an Argon2 slot",
            saturated.clone(),
        );
        Metrics {
            registry,
            requests,
            verifications,
            auth_failures,
            argon2_waiting,
            argon2_running,
            argon2_seconds,
            argon2_wait_seconds,
            saturated,
        }
    }

    /// The Prometheus text exposition.
    pub(crate) fn render(&self) -> String {
        let mut text = String::new();
        if prometheus_client::encoding::text::encode(&mut text, &self.registry).is_err() {
            text.clear();
        }
        text
    }
}

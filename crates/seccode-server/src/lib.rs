//! `seccode serve`: the seccode verification service (SPEC 9), a JSON API over HTTP for the
//! portals and support agents that cannot link the library, on the same store as the desk.
//!
//! - [`router`]: the whole HTTP face: `/v1` (the JSON API), `/healthz`, `/readyz`,
//!   `/metrics` (Prometheus text) and `/openapi.json` (OpenAPI 3.1, [`openapi`]).
//! - [`Service`]: the store (SQLite or PostgreSQL), the engine built from the store's
//!   configuration, the API keys ([`KeyRing`]), the bound on Argon2 work, the metrics.
//! - [`serve`] runs the router on a listener until a shutdown signal, finishing the requests
//!   in flight; [`run`] does it all on a runtime of its own, for the command line.
//! - TLS: by default the service speaks plain HTTP (bind it to 127.0.0.1 and let a reverse
//!   proxy terminate TLS). Given a PEM certificate chain and key ([`Tls`], `seccode serve
//!   --tls-cert PATH --tls-key PATH`), [`serve_tls`] and [`run_tls`] serve HTTPS (rustls, TLS
//!   1.2 and 1.3, HTTP/1.1 or HTTP/2 by ALPN), with the same graceful shutdown.
//!
//! Every request but the health checks needs an API key (`Authorization: Bearer sck_…`). A
//! key has a role: `portal` (acts as the contact named in the body's `actor`; every rule of
//! SPEC 3 is the core's to check), `agent` (verify, authorize, unlock on behalf of an
//! entitled contact, read the audit log) or `admin` (also create accounts and import).
//! Errors are RFC 9457 problem details whose `type` is the core's stable error name. Codes
//! travel only in request bodies; a `code` query parameter is refused; no response, log line
//! or metric holds a code, a hash, a key or a token other than the one a verification returns.

#![forbid(unsafe_code)]

mod auth;
mod error;
pub mod keys;
mod metrics;
mod ops;
mod pages;
mod service;
mod tls;
mod v1;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

pub use error::{ApiError, Problem, ServerError};
pub use keys::{ApiKey, KeyError, KeyInfo, KeyRing, Role};
pub use service::{Service, ServiceOptions};
pub use tls::{Tls, TlsError};

/// Largest request body: 64 KiB (SPEC 9).
pub const BODY_LIMIT: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "seccode",
        description = "Security codes for a support desk: verify callers, authorize their \
                       requests, manage accounts, contacts, codes and permissions."
    ),
    modifiers(&BearerKey),
    components(schemas(Problem)),
    tags(
        (name = "accounts", description = "Accounts (\"Client ID\")"),
        (name = "contacts", description = "Contacts: the account's authorized users"),
        (name = "codes", description = "Security codes: policy, set, clear, import, status"),
        (name = "calls", description = "A caller on the line: verify, authorize"),
        (name = "permissions", description = "The permission grid"),
        (name = "audit", description = "The audit log"),
        (name = "operations", description = "Health, readiness, metrics, this document"),
    )
)]
struct ApiDoc;

struct BearerKey;

impl utoipa::Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "api_key",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some("An API key made by `seccode key create`"))
                        .build(),
                ),
            );
        }
    }
}

fn api() -> OpenApiRouter<Arc<Service>> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(v1::routes())
        .merge(ops::routes())
}

/// The OpenAPI 3.1 document of the service, as `/openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().split_for_parts().1
}

/// The OpenAPI document as the pretty JSON committed at `crates/seccode-server/openapi.json`.
pub fn openapi_json() -> String {
    let mut text = openapi().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}

/// Refuse a request whose query string names a `code` (SPEC 9: codes travel only in bodies),
/// before anything logs the URL.
async fn no_code_in_query(request: Request, next: Next) -> Response {
    if let Some(query) = request.uri().query() {
        let pairs = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(request.uri());
        let named = match pairs {
            Ok(axum::extract::Query(pairs)) => pairs
                .iter()
                .any(|(k, _)| k.trim().eq_ignore_ascii_case("code")),
            Err(_) => query.to_ascii_lowercase().contains("code"),
        };
        if named {
            return ApiError::bad_request(
                "code_in_query",
                "a security code is never sent in a URL: put it in the JSON body",
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// Count every answer by method, route template and status; give answers that did not come
/// from a handler (unknown route, wrong method, body too large, deadline) problem details.
async fn observe(State(service): State<Arc<Service>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    service
        .metrics
        .requests
        .get_or_create(&metrics::RequestLabels {
            method,
            route,
            status: status.as_u16(),
        })
        .inc();
    let problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    let page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if status.is_client_error() || status.is_server_error() {
        if problem || page {
            return response;
        }
        let kind = match status {
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE => "timeout",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            s if s.is_client_error() => "bad_request",
            _ => "internal",
        };
        let detail = match kind {
            "not_found" => "no such route",
            "method_not_allowed" => "this route does not take this method",
            "payload_too_large" => "the body is larger than 64 KiB",
            "timeout" => "the request took longer than its deadline",
            "unsupported_media_type" => "send the body as `Content-Type: application/json`",
            "bad_request" => "the request's path or query is not valid",
            _ => "internal error",
        };
        return ApiError::new(status, kind, detail).into_response();
    }
    response
}

/// The whole HTTP face of `service`.
pub fn router(service: Arc<Service>) -> Router {
    let timeout = service.request_timeout;
    let (routes, _) = api().split_for_parts();
    routes
        .merge(pages::routes())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&service),
            observe,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(
            // Spans name the method and the route template, never the URI (which could hold
            // a query) or a header (which holds the key).
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let route = request
                    .extensions()
                    .get::<MatchedPath>()
                    .map_or("unmatched", |p| p.as_str());
                tracing::info_span!("request", method = %request.method(), route)
            }),
        )
        .layer(middleware::from_fn(no_code_in_query))
        .with_state(service)
}

/// Serve `service` on `listener` until `shutdown` completes, then finish the requests in
/// flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(service).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Serve `service` over HTTPS with `tls` on `listener` until `shutdown` completes, then
/// finish the requests in flight (connections still in their TLS handshake are dropped).
/// A client that fails its handshake (plain HTTP, an untrusted certificate) is dropped and
/// logged at debug level; the service goes on.
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    tls: &Tls,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let handle = axum_server::Handle::<SocketAddr>::new();
    let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(
        axum_server::tls_rustls::RustlsConfig::from_config(tls.server_config()),
    );
    let server = axum_server::Server::from_listener(listener)
        .acceptor(acceptor)
        .handle(handle.clone())
        .accept_error_handler(|peer, error| {
            tracing::debug!(peer = ?peer, %error, "TLS connection refused");
        })
        .serve(router(service).into_make_service_with_connect_info::<SocketAddr>());
    let mut server = std::pin::pin!(server);
    tokio::select! {
        served = &mut server => return served,
        () = shutdown => handle.graceful_shutdown(None),
    }
    server.await
}

/// Completes on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// Log to standard error (`RUST_LOG` filters; default `info`). Calling it twice is harmless.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Open the service, bind `listen`, print where it listens and serve until ctrl-c or
/// SIGTERM, on a runtime of its own: what `seccode serve` runs.
pub fn run(options: ServiceOptions, listen: SocketAddr) -> Result<(), ServerError> {
    run_on(options, listen, None, |_, _| {})
}

/// As [`run`], over HTTPS with `tls` (load it first with [`Tls::from_pem_files`], so that a
/// bad certificate or key stops the start before the store is opened): what `seccode serve
/// --tls-cert PATH --tls-key PATH` runs. It prints `listening on https://ADDR`.
pub fn run_tls(options: ServiceOptions, listen: SocketAddr, tls: Tls) -> Result<(), ServerError> {
    run_on(options, listen, Some(tls), |_, _| {})
}

/// As [`run`] (or [`run_tls`] when `tls` is given), and once the listener is bound, before the
/// first request is answered, call `listening` with the address actually bound (the port
/// chosen for port 0) and the scheme (`http` or `https`): what `seccode serve --demo` runs,
/// to print its URLs. It is called at most once, and not at all when the start fails.
pub fn run_announcing(
    options: ServiceOptions,
    listen: SocketAddr,
    tls: Option<Tls>,
    listening: impl FnOnce(SocketAddr, &'static str),
) -> Result<(), ServerError> {
    run_on(options, listen, tls, listening)
}

fn run_on(
    options: ServiceOptions,
    listen: SocketAddr,
    tls: Option<Tls>,
    listening: impl FnOnce(SocketAddr, &'static str),
) -> Result<(), ServerError> {
    init_logging();
    let keys = options.keys.display().to_string();
    // Opened, and finally dropped, outside the runtime: a PostgreSQL store's client is
    // synchronous and runs a runtime of its own, which cannot start or stop inside another.
    let service = Service::open(options)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        tracing::info!(%addr, scheme, store = %service.store_location(), %keys, "seccode serve listening");
        println!("seccode serve: listening on {scheme}://{addr}");
        listening(addr, scheme);
        match &tls {
            Some(tls) => serve_tls(listener, Arc::clone(&service), tls, shutdown_signal()).await?,
            None => serve(listener, Arc::clone(&service), shutdown_signal()).await?,
        }
        Ok(())
    });
    drop(runtime);
    drop(service);
    served
}

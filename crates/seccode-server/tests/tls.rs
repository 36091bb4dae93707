//! HTTPS (`seccode serve --tls-cert PATH --tls-key PATH`) through real TLS on 127.0.0.1, with
//! a self-signed certificate made here: the API answers over HTTPS to a client that trusts
//! that certificate, plain HTTP gets no answer, TLS 1.2 and 1.3 and ALPN `h2` work, a request
//! in flight at SIGTERM is finished, and a certificate or key that cannot be used is a typed
//! error at start-up that never shows the key.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use seccode::HashParams;
use seccode_server::{KeyRing, Role, ServerError, Service, ServiceOptions, Tls, TlsError};
use seccode_store::{AnyStore, Store, StoreConfig};
use serde_json::{Value, json};

const CHILD: &str = "SECCODE_TLS_TEST_RUN";

/// A self-signed certificate for `localhost` and 127.0.0.1, written as PEM files.
struct Cert {
    der: Vec<u8>,
    cert: PathBuf,
    key: PathBuf,
    key_pem: String,
}

fn make_cert(dir: &Path, name: &str) -> Cert {
    let made =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap();
    let cert = dir.join(format!("{name}.crt.pem"));
    let key = dir.join(format!("{name}.key.pem"));
    let key_pem = made.signing_key.serialize_pem();
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, &key_pem).unwrap();
    Cert {
        der: made.cert.der().to_vec(),
        cert,
        key,
        key_pem,
    }
}

/// A fresh SQLite store with cheap hashes and an admin key: (store, key file, admin key).
fn store(dir: &Path) -> (String, PathBuf, String) {
    let db = dir.join("s.db").display().to_string();
    AnyStore::open(&db)
        .unwrap()
        .set_config(&StoreConfig {
            params: HashParams {
                m_kib: 64,
                t: 1,
                p: 1,
            },
            ..StoreConfig::default()
        })
        .unwrap();
    let ring = KeyRing::new(dir.join("keys.json"));
    let admin = ring
        .create(Role::Admin, "t")
        .unwrap()
        .1
        .expose_secret()
        .to_owned();
    (db, ring.path().to_owned(), admin)
}

/// The service over HTTPS on an ephemeral port of 127.0.0.1, in this process.
struct Served {
    addr: SocketAddr,
    cert: Cert,
    admin: String,
    _service: Arc<Service>,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn start() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let cert = make_cert(dir.path(), "server");
    let tls = Tls::from_pem_files(&cert.cert, &cert.key).unwrap();
    let (db, keys, admin) = store(dir.path());
    let service = Service::open(ServiceOptions::new(db, keys)).unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let running = Arc::clone(&service);
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            seccode_server::serve_tls(listener, running, &tls, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
    });
    Served {
        addr: addr_rx.recv().unwrap(),
        cert,
        admin,
        _service: service,
        _dir: dir,
        shutdown: Some(tx),
        thread: Some(thread),
    }
}

/// A ureq client that trusts only `der`, handing back every status.
fn https_client(der: &[u8]) -> ureq::Agent {
    let roots =
        ureq::tls::RootCerts::new_with_certs(&[ureq::tls::Certificate::from_der(der).to_owned()]);
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build())
        .build()
        .into()
}

/// GET or POST over HTTPS: (status, JSON body).
fn call(
    agent: &ureq::Agent,
    url: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> Result<(u16, Value), ureq::Error> {
    let method = if body.is_some() { "POST" } else { "GET" };
    let mut req = ureq::http::Request::builder().method(method).uri(url);
    if let Some(k) = key {
        req = req.header("Authorization", format!("Bearer {k}"));
    }
    let bytes = match body {
        Some(b) => {
            req = req.header("Content-Type", "application/json");
            serde_json::to_vec(&b).unwrap()
        }
        None => Vec::new(),
    };
    let response = agent.run(req.body(bytes).unwrap())?;
    let status = response.status().as_u16();
    let text = response.into_body().read_to_string().unwrap_or_default();
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// A rustls client (ring) trusting only `der`, for the given protocol versions and ALPN.
fn rustls_client(
    der: &[u8],
    versions: &[&'static rustls::SupportedProtocolVersion],
    alpn: &[&[u8]],
) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(der.to_vec()))
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Arc::new(config)
}

/// A TLS connection to `addr` as `localhost`, handshake done.
fn connect(
    addr: SocketAddr,
    config: Arc<rustls::ClientConfig>,
) -> rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
    let tcp = TcpStream::connect(addr).unwrap();
    // A guard against a hang, not an assertion.
    tcp.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let conn = rustls::ClientConnection::new(config, name).unwrap();
    let mut stream = rustls::StreamOwned::new(conn, tcp);
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock).unwrap();
    }
    stream
}

#[test]
fn the_api_answers_over_https_to_a_client_that_trusts_the_certificate() {
    let s = start();
    let agent = https_client(&s.cert.der);
    for host in ["127.0.0.1", "localhost"] {
        let base = format!("https://{host}:{}", s.addr.port());
        let (st, body) = call(&agent, &format!("{base}/healthz"), None, None).unwrap();
        assert_eq!((st, body), (200, json!({"status": "ok"})));
    }
    let base = format!("https://127.0.0.1:{}", s.addr.port());
    // An authenticated /v1 route: without the key refused, with it answered.
    let (st, p) = call(&agent, &format!("{base}/v1/accounts"), None, None).unwrap();
    assert_eq!((st, p["type"].clone()), (401, json!("unauthorized")));
    let new = json!({"id": 1707, "name": "Any Company", "primary": {"id": 3522, "name": "Joe"}});
    let (st, _) = call(
        &agent,
        &format!("{base}/v1/accounts"),
        Some(&s.admin),
        Some(new),
    )
    .unwrap();
    assert_eq!(st, 201);
    let (st, list) = call(&agent, &format!("{base}/v1/accounts"), Some(&s.admin), None).unwrap();
    assert_eq!(st, 200);
    assert_eq!(list["accounts"][0]["id"], 1707, "{list}");
}

#[test]
fn a_client_that_does_not_trust_the_certificate_is_refused() {
    let s = start();
    let other = make_cert(s._dir.path(), "other");
    let agent = https_client(&other.der);
    let url = format!("https://127.0.0.1:{}/healthz", s.addr.port());
    assert!(call(&agent, &url, None, None).is_err());
    // The default client (the web's roots) does not trust a self-signed certificate either.
    assert!(ureq::get(&url).call().is_err());
}

#[test]
fn plain_http_to_the_tls_port_gets_no_http_answer_and_the_service_goes_on() {
    let s = start();
    let mut tcp = TcpStream::connect(s.addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    assert!(!text.contains("HTTP/1."), "a plain HTTP answer: {text:?}");
    assert!(!text.contains("\"status\""), "a JSON answer: {text:?}");
    let agent = https_client(&s.cert.der);
    let url = format!("https://127.0.0.1:{}/healthz", s.addr.port());
    assert_eq!(call(&agent, &url, None, None).unwrap().0, 200);
}

#[test]
fn tls_1_2_and_1_3_are_served_and_alpn_offers_h2_then_http_1_1() {
    let s = start();
    for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
        let config = rustls_client(&s.cert.der, &[version], &[b"http/1.1"]);
        let mut stream = connect(s.addr, config);
        assert_eq!(
            stream.conn.protocol_version(),
            Some(version.version),
            "{version:?}"
        );
        assert_eq!(stream.conn.alpn_protocol(), Some(&b"http/1.1"[..]));
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("{\"status\":\"ok\"}"), "{answer}");
    }
    let h2 = rustls_client(&s.cert.der, rustls::DEFAULT_VERSIONS, &[b"h2", b"http/1.1"]);
    assert_eq!(connect(s.addr, h2).conn.alpn_protocol(), Some(&b"h2"[..]));
}

// ------------------------------------------------------------------ start-up errors

/// The error of loading `cert` and `key`, checked never to quote the key file.
fn load_error(cert: &Path, key: &Path, key_pem: &str) -> TlsError {
    let e = Tls::from_pem_files(cert, key).unwrap_err();
    let server = ServerError::from(e);
    let text = format!("{server} {server:?}");
    for line in key_pem.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!text.contains(line), "the error shows the key: {text}");
    }
    let ServerError::Tls(e) = server else {
        panic!("not a TLS error: {server}");
    };
    e
}

#[test]
fn a_key_that_does_not_match_the_certificate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = make_cert(dir.path(), "a");
    let b = make_cert(dir.path(), "b");
    let e = load_error(&a.cert, &b.key, &b.key_pem);
    assert!(matches!(e, TlsError::KeyMismatch { .. }), "{e:?}");
    assert!(e.to_string().contains("does not match"), "{e}");
    assert!(e.to_string().contains("b.key.pem"), "{e}");
    // Each with its own key loads.
    Tls::from_pem_files(&a.cert, &a.key).unwrap();
    Tls::from_pem_files(&b.cert, &b.key).unwrap();
}

#[test]
fn garbage_pem_and_a_key_file_without_a_private_key_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = make_cert(dir.path(), "good");
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "this is not PEM at all\n").unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    let broken = dir.path().join("broken.pem");
    std::fs::write(
        &broken,
        "-----BEGIN CERTIFICATE-----\n%%% not base64 %%%\n-----END CERTIFICATE-----\n",
    )
    .unwrap();

    for cert in [&garbage, &empty, &broken] {
        let e = load_error(cert, &good.key, &good.key_pem);
        assert!(matches!(e, TlsError::NoCertificate(_)), "{e:?}");
        assert!(
            e.to_string().contains("holds no valid PEM certificate"),
            "{e}"
        );
    }
    // The key file: garbage, empty, or a certificate instead of a key.
    for key in [&garbage, &empty, &good.cert] {
        let e = load_error(&good.cert, key, &good.key_pem);
        assert!(matches!(e, TlsError::NoPrivateKey(_)), "{e:?}");
        assert!(
            e.to_string().contains("holds no valid PEM private key"),
            "{e}"
        );
    }
    // A private key section whose contents are not a key.
    let not_a_key = dir.path().join("not-a-key.pem");
    let fake = "-----BEGIN PRIVATE KEY-----\nAAECAwQFBgcICQ==\n-----END PRIVATE KEY-----\n";
    std::fs::write(&not_a_key, fake).unwrap();
    let e = load_error(&good.cert, &not_a_key, fake);
    assert!(matches!(e, TlsError::UnusableKey(_)), "{e:?}");
}

#[test]
fn a_missing_file_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let good = make_cert(dir.path(), "good");
    let missing = dir.path().join("missing.pem");
    let e = load_error(&missing, &good.key, &good.key_pem);
    assert!(
        matches!(&e, TlsError::Read { what: "certificate", source, .. }
                 if source.kind() == std::io::ErrorKind::NotFound),
        "{e:?}"
    );
    assert!(e.to_string().contains("missing.pem"), "{e}");
    let e = load_error(&good.cert, &missing, &good.key_pem);
    assert!(
        matches!(
            &e,
            TlsError::Read {
                what: "private key",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("TLS private key file"), "{e}");
}

#[test]
fn tls_debug_never_shows_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let good = make_cert(dir.path(), "good");
    let tls = Tls::from_pem_files(&good.cert, &good.key).unwrap();
    assert_eq!(format!("{tls:?}"), "Tls { .. }");
}

// ------------------------------------------------------------------ `run_tls` and SIGTERM

/// Not a check on its own: `run_tls` until SIGTERM when re-executed with
/// `SECCODE_TLS_TEST_RUN=<store>\n<key file>\n<cert>\n<key>`; fails if `run_tls` does.
#[test]
fn child_runs_tls_until_sigterm() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let parts: Vec<&str> = spec.split('\n').collect();
    let [db, keys, cert, key] = parts[..] else {
        panic!("bad {CHILD}: {spec:?}");
    };
    let tls = Tls::from_pem_files(Path::new(cert), Path::new(key)).unwrap();
    seccode_server::run_tls(
        ServiceOptions::new(db, keys),
        "127.0.0.1:0".parse().unwrap(),
        tls,
    )
    .unwrap();
}

/// Read up to and including the blank line that ends a response's head.
fn read_head(stream: &mut impl Read) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).unwrap();
        assert_eq!(
            n,
            1,
            "the connection closed: {:?}",
            String::from_utf8_lossy(&head)
        );
        head.push(byte[0]);
    }
    String::from_utf8(head).unwrap()
}

#[test]
fn run_tls_prints_https_and_finishes_a_request_in_flight_at_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let cert = make_cert(dir.path(), "server");
    let (db, keys, admin) = store(dir.path());
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_runs_tls_until_sigterm",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(
            CHILD,
            format!(
                "{db}\n{}\n{}\n{}",
                keys.display(),
                cert.cert.display(),
                cert.key.display()
            ),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let Some(line) = lines.next() else {
            let status = child.wait().unwrap();
            panic!("the service ended before it listened: {status}");
        };
        if let Some((_, at)) = line.unwrap().split_once("listening on ") {
            break at.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let addr: SocketAddr = base
        .strip_prefix("https://")
        .unwrap_or_else(|| panic!("the start-up line does not say https://: {base}"))
        .parse()
        .unwrap();
    let agent = https_client(&cert.der);
    assert_eq!(
        call(&agent, &format!("{base}/healthz"), None, None)
            .unwrap()
            .0,
        200
    );

    // A request in flight: its head is read and its handler waits for the body (the server
    // asked for it with `100 Continue`).
    let body = serde_json::to_vec(
        &json!({"id": 1707, "name": "Any Company", "primary": {"id": 3522, "name": "Joe"}}),
    )
    .unwrap();
    let mut stream = connect(
        addr,
        rustls_client(&cert.der, rustls::DEFAULT_VERSIONS, &[]),
    );
    write!(
        stream,
        "POST /v1/accounts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {admin}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    let head = read_head(&mut stream);
    assert!(head.starts_with("HTTP/1.1 100 Continue"), "{head}");

    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    // Shutdown has begun once the listener is closed: new connections are refused. (Bounded:
    // a guard against a hang, not a measure of speed.)
    let mut refused = false;
    for _ in 0..6000 {
        if TcpStream::connect(addr).is_err() {
            refused = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        refused,
        "the service still accepts connections after SIGTERM"
    );

    // The request in flight is finished.
    stream.write_all(&body).unwrap();
    stream.flush().unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let (_, json) = answer.split_once("\r\n\r\n").unwrap();
    let json: Value = serde_json::from_str(json).unwrap();
    assert_eq!(json["id"], 1707, "{json}");

    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "the service did not end cleanly: {status}"
    );
}

//! HTTPS for `seccode serve --tls-cert PATH --tls-key PATH`: [`Tls`] loads and checks a PEM
//! certificate chain and its PEM private key at start-up, [`TlsError`] says what is wrong with
//! them (never showing the key), and [`crate::serve_tls`] serves over rustls.
//!
//! Without these flags the service speaks plain HTTP on 127.0.0.1, and TLS is the reverse
//! proxy's job. With them: TLS 1.2 and 1.3 only (rustls's safe defaults, ring's cipher
//! suites), HTTP/1.1 or HTTP/2 as the client's ALPN asks.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use zeroize::Zeroizing;

/// Why the certificate or the private key cannot be used. The messages name the files and
/// what is wrong, never the contents of the key file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A file could not be read (missing, unreadable).
    #[error("cannot read the TLS {what} file `{path}`: {source}")]
    Read {
        /// `certificate` or `private key`.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The certificate file is not PEM or holds no `CERTIFICATE` section.
    #[error("`{0}` holds no valid PEM certificate (-----BEGIN CERTIFICATE-----)")]
    NoCertificate(PathBuf),
    /// The key file is not PEM or holds no private key section (PKCS#8, PKCS#1 or SEC1).
    #[error(
        "`{0}` holds no valid PEM private key (-----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY)"
    )]
    NoPrivateKey(PathBuf),
    /// The private key's algorithm or encoding is not one rustls can sign with.
    #[error("the private key in `{0}` is not a usable RSA, ECDSA or Ed25519 key")]
    UnusableKey(PathBuf),
    /// The private key is not the one of the (first) certificate.
    #[error("the private key in `{key}` does not match the certificate in `{cert}`")]
    KeyMismatch {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
    },
    /// rustls refused the certificate chain (for example, a certificate it cannot parse).
    #[error("the certificate in `{path}` cannot be used: {reason}")]
    Rejected {
        /// The certificate file.
        path: PathBuf,
        /// rustls's reason (about the certificate; it never holds key material).
        reason: String,
    },
}

/// A checked TLS server configuration: the certificate chain and its private key, TLS 1.2
/// and 1.3, ALPN `h2` then `http/1.1`. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct Tls {
    config: Arc<ServerConfig>,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls").finish_non_exhaustive()
    }
}

fn read(what: &'static str, path: &Path) -> Result<Zeroizing<Vec<u8>>, TlsError> {
    std::fs::read(path)
        .map(Zeroizing::new)
        .map_err(|source| TlsError::Read {
            what,
            path: path.to_owned(),
            source,
        })
}

impl Tls {
    /// Load the certificate chain (PEM, the server's certificate first) from `cert` and its
    /// private key (PEM: PKCS#8, PKCS#1 or SEC1) from `key`, and check that the key is the
    /// certificate's. Every failure is a [`TlsError`]; nothing here panics.
    pub fn from_pem_files(cert: &Path, key: &Path) -> Result<Tls, TlsError> {
        let cert_pem = read("certificate", cert)?;
        let key_pem = read("private key", key)?;
        // PEM errors are not kept: their text could quote a line of the key file.
        let chain = CertificateDer::pem_slice_iter(&cert_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| TlsError::NoCertificate(cert.to_owned()))?;
        if chain.is_empty() {
            return Err(TlsError::NoCertificate(cert.to_owned()));
        }
        let private_key = PrivateKeyDer::from_pem_slice(&key_pem)
            .map_err(|_| TlsError::NoPrivateKey(key.to_owned()))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Rejected {
                path: cert.to_owned(),
                reason: e.to_string(),
            })?
            .with_no_client_auth()
            .with_single_cert(chain, private_key)
            .map_err(|e| match e {
                rustls::Error::InconsistentKeys(_) => TlsError::KeyMismatch {
                    cert: cert.to_owned(),
                    key: key.to_owned(),
                },
                rustls::Error::General(_) => TlsError::UnusableKey(key.to_owned()),
                other => TlsError::Rejected {
                    path: cert.to_owned(),
                    reason: other.to_string(),
                },
            })?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Tls {
            config: Arc::new(config),
        })
    }

    pub(crate) fn server_config(&self) -> Arc<ServerConfig> {
        Arc::clone(&self.config)
    }
}

//! The committed `bindings/c/include/seccode.h` must be exactly what cbindgen (the pinned
//! version, used as a library) generates from this crate and `cbindgen.toml`.
//!
//! To update the header after changing the ABI:
//! `SECCODE_BLESS=1 cargo test -p seccode-ffi --test header`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn header_path() -> PathBuf {
    crate_dir().join("../../bindings/c/include/seccode.h")
}

fn generate(crate_dir: &Path) -> Vec<u8> {
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable and valid");
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    out
}

#[test]
fn committed_header_equals_a_fresh_generation() {
    let fresh = generate(&crate_dir());
    let path = header_path();
    if std::env::var_os("SECCODE_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("write the header");
    }
    let committed =
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    if committed != fresh {
        let committed = String::from_utf8_lossy(&committed);
        let fresh = String::from_utf8_lossy(&fresh);
        let first = committed
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(fresh.lines().count()));
        panic!(
            "{} is stale: first difference at line {}:\n  committed: {:?}\n  generated: {:?}\n\
             regenerate with `SECCODE_BLESS=1 cargo test -p seccode-ffi --test header`",
            path.display(),
            first + 1,
            committed.lines().nth(first).unwrap_or("<end of file>"),
            fresh.lines().nth(first).unwrap_or("<end of file>"),
        );
    }
}

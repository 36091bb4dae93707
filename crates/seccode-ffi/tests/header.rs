//! The committed headers must be exactly what cbindgen (the pinned version, used as a library)
//! generates from this crate: `bindings/c/include/seccode.h` from `cbindgen.toml`, and
//! `bindings/php/seccode.ffi.h` (the same ABI in the C subset PHP's FFI reads) from
//! `cbindgen-ffi.toml`, with cbindgen's C23 conditionals resolved as a C11 compiler resolves
//! them (see [`as_c11`]).
//!
//! To update both headers after changing the ABI:
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

fn generate(crate_dir: &Path, config: &str) -> Vec<u8> {
    let config = cbindgen::Config::from_file(crate_dir.join(config))
        .unwrap_or_else(|e| panic!("{config} is readable and valid: {e}"));
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    out
}

/// cbindgen (0.29) writes every `#[repr(u32)]` enum with C23 conditionals, whatever the
/// configuration:
///
/// ```c
/// enum seccode_result
/// #if __STDC_VERSION__ >= 202311L
///   : uint32_t
/// #endif // __STDC_VERSION__ >= 202311L
///  { ... };
/// #if __STDC_VERSION__ >= 202311L
/// typedef enum seccode_result seccode_result;
/// #else
/// typedef uint32_t seccode_result;
/// #endif // __STDC_VERSION__ >= 202311L
/// ```
///
/// PHP's FFI parser reads no `#if`. This keeps what a C11 compiler keeps (the condition is
/// false): the plain enum and `typedef uint32_t seccode_result;`, the layout seccode.h gives
/// C11 code. Any other directive is left alone (and the test below then fails).
fn as_c11(text: &str) -> String {
    const IF: &str = "#if __STDC_VERSION__ >= 202311L";
    const ELSE: &str = "#else";
    const ENDIF: &str = "#endif // __STDC_VERSION__ >= 202311L";
    let mut out = String::with_capacity(text.len());
    // None: outside a conditional; Some(false): in its C23 branch; Some(true): in `#else`.
    let mut branch: Option<bool> = None;
    for line in text.split_inclusive('\n') {
        let directive = line.trim_end();
        match (branch, directive) {
            (None, IF) => branch = Some(false),
            (Some(false), ELSE) => branch = Some(true),
            (Some(_), ENDIF) => branch = None,
            (Some(false), _) => {}
            (None | Some(true), _) => out.push_str(line),
        }
    }
    assert_eq!(branch, None, "an unterminated C23 conditional");
    out
}

/// Generate the header from `config`, write it to `header` under `SECCODE_BLESS`, and fail
/// when the committed file differs; returns the fresh text.
fn check_committed(config: &str, header: &str, c11: bool) -> String {
    let mut fresh = generate(&crate_dir(), config);
    if c11 {
        fresh = as_c11(&String::from_utf8(fresh).expect("the header is UTF-8")).into_bytes();
    }
    let path = crate_dir().join(header);
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
    String::from_utf8(fresh).expect("the header is UTF-8")
}

#[test]
fn committed_header_equals_a_fresh_generation() {
    check_committed("cbindgen.toml", "../../bindings/c/include/seccode.h", false);
}

#[test]
fn committed_php_ffi_header_equals_a_fresh_generation() {
    check_committed(
        "cbindgen-ffi.toml",
        "../../bindings/php/seccode.ffi.h",
        true,
    );
}

/// What PHP's FFI parser refuses (`FFI\ParserException`) must not be in the FFI header: any
/// preprocessor directive but the two `#define`s FFI::load reads, and enums with a fixed
/// underlying type. (The PHP tests, bindings/php/tests/run.sh, load it for real.)
#[test]
fn php_ffi_header_has_no_directive_php_refuses() {
    let text = check_committed(
        "cbindgen-ffi.toml",
        "../../bindings/php/seccode.ffi.h",
        true,
    );
    let directives: Vec<&str> = text
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('#'))
        .collect();
    assert_eq!(
        directives,
        [
            "#define FFI_SCOPE \"SECCODE\"",
            "#define FFI_LIB \"libseccode.so\""
        ]
    );
    // PHP reads them only at the very start of the file.
    assert!(
        text.starts_with("#define FFI_SCOPE \"SECCODE\"\n#define FFI_LIB \"libseccode.so\"\n"),
        "{}",
        text.lines().next().unwrap_or_default()
    );
    assert!(!text.contains(": uint32_t"), "a fixed underlying type");
    assert!(!text.contains("extern \"C\""), "C++ linkage");
    // The same ABI as seccode.h: every function declared there is declared here.
    let c = check_committed("cbindgen.toml", "../../bindings/c/include/seccode.h", false);
    let functions = |t: &str| -> Vec<String> {
        t.lines()
            .filter_map(|l| l.split_once(" seccode_").map(|(_, rest)| rest))
            .filter_map(|rest| rest.split_once('(').map(|(name, _)| name.to_owned()))
            .collect()
    };
    let (c_fns, ffi_fns) = (functions(&c), functions(&text));
    assert!(c_fns.len() > 100, "{}", c_fns.len());
    assert_eq!(c_fns, ffi_fns);
}

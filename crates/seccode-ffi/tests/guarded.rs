//! Every exported function runs its whole body inside the one panic guard, and the header
//! declares exactly the exported functions.
//!
//! The check reads the crate's source text: after each `#[unsafe(no_mangle)]` comes
//! `pub [unsafe] extern "C" fn NAME(...) [-> T] { ffi_guard! { ... } }`, where the macro call
//! is the entire body, and `ffi_guard!` (in `src/guard.rs`) has one rule whose whole expansion
//! is one `guard(...)` call, so argument conversions and work all run inside the guard.
//! `catch_unwind` appears only in `src/guard.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::PathBuf;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sources() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(crate_dir().join("src"))
        .expect("src is readable")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                std::fs::read_to_string(&p).expect("source is readable"),
            )
        })
        .collect();
    files.sort();
    assert!(files.len() > 3, "sources not found");
    files
}

/// Blank out comments, string literals and char literals (keeping offsets), so that brackets
/// inside them do not count.
fn code_only(src: &str) -> Vec<u8> {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    out[i] = b' ';
                    i += 1;
                }
                if i < b.len() {
                    out[i] = b' ';
                    out[i + 1] = b' ';
                    i += 2;
                }
            }
            b'"' => {
                // Raw strings (r"..", r#".."#) are not used with brackets in this crate's
                // exported bodies; plain strings with escapes are handled.
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        out[i] = b' ';
                        i += 1;
                    }
                    if i < b.len() {
                        out[i] = b' ';
                        i += 1;
                    }
                }
                i += 1;
            }
            b'\'' => {
                // A char literal is 'x' or '\..'; otherwise this is a lifetime.
                if b.get(i + 1) == Some(&b'\\') {
                    let mut j = i + 2;
                    while j < b.len() && b[j] != b'\'' {
                        j += 1;
                    }
                    out[i + 1..j].fill(b' ');
                    i = j + 1;
                } else if b.get(i + 2) == Some(&b'\'') {
                    out[i + 1] = b' ';
                    i += 3;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// The index just past the bracket matching the opening bracket at `open`.
fn matching(code: &[u8], open: usize) -> usize {
    let (o, c) = match code[open] {
        b'(' => (b'(', b')'),
        b'{' => (b'{', b'}'),
        other => panic!("not an opening bracket: {}", other as char),
    };
    let mut depth = 0usize;
    for (i, &ch) in code.iter().enumerate().skip(open) {
        if ch == o {
            depth += 1;
        } else if ch == c {
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        }
    }
    panic!("unbalanced brackets");
}

fn skip_ws(code: &[u8], mut i: usize) -> usize {
    while i < code.len() && code[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Whether `body` (a function body without its braces) is exactly one `ffi_guard! { ... }`
/// (or `ffi_guard!(...)`) call; `code` and `at` locate it in the blanked source.
fn is_guard_macro_call(code: &[u8], text: &str, at: usize, end: usize) -> bool {
    let start = skip_ws(code, at);
    let name = "ffi_guard!";
    if !text[start..end].starts_with(name) {
        return false;
    }
    let open = skip_ws(code, start + name.len());
    if open >= end || !matches!(code[open], b'{' | b'(') {
        return false;
    }
    let close = matching(code, open);
    close <= end && text[close..end].trim().is_empty()
}

/// Every exported function: (file, name, whether its body is exactly `ffi_guard! { ... }`).
fn exported() -> Vec<(String, String, bool)> {
    let mut found = Vec::new();
    for (file, src) in sources() {
        let code = code_only(&src);
        let text = String::from_utf8(code.clone()).expect("ascii-preserving blanking");
        assert!(
            !text.contains("#[no_mangle]") && !text.contains("#[export_name"),
            "{file}: export only with #[unsafe(no_mangle)]"
        );
        let mut from = 0;
        while let Some(at) = text[from..].find("#[unsafe(no_mangle)]") {
            let attr = from + at;
            let after = skip_ws(&code, attr + "#[unsafe(no_mangle)]".len());
            // The signature is read from the source itself: literals are blanked in `text`.
            let rest = &src[after..];
            let sig = ["pub unsafe extern \"C\" fn ", "pub extern \"C\" fn "]
                .into_iter()
                .find(|s| rest.starts_with(s))
                .unwrap_or_else(|| {
                    panic!("{file}: #[unsafe(no_mangle)] not followed by pub extern \"C\" fn")
                });
            let name_start = after + sig.len();
            let name_end = name_start
                + text[name_start..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .expect("name end");
            let name = text[name_start..name_end].to_owned();
            let params_open = skip_ws(&code, name_end);
            assert_eq!(code[params_open], b'(', "{file}: {name}: parameters");
            let params_close = matching(&code, params_open);
            let body_open = params_close + text[params_close..].find('{').expect("function body");
            let body_close = matching(&code, body_open);
            let guarded = is_guard_macro_call(&code, &text, body_open + 1, body_close - 1);
            found.push((file.clone(), name, guarded));
            from = body_close;
        }
    }
    found
}

/// Function names declared in the committed header.
fn header_functions() -> BTreeSet<String> {
    let path = crate_dir().join("../../bindings/c/include/seccode.h");
    let header = std::fs::read_to_string(&path).expect("header is readable");
    // Drop comments, then every `seccode_name(` is a function declaration.
    let mut text = String::new();
    let mut rest = header.as_str();
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("closed comment") + start + 2;
        rest = &rest[end..];
    }
    text.push_str(rest);
    let bytes = text.as_bytes();
    let mut names = BTreeSet::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("seccode_") {
        let start = from + at;
        let boundary = start == 0 || {
            let p = bytes[start - 1];
            !(p.is_ascii_alphanumeric() || p == b'_')
        };
        let end = start
            + text[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(text.len() - start);
        if boundary && text[end..].trim_start().starts_with('(') {
            names.insert(text[start..end].to_owned());
        }
        from = end;
    }
    names
}

#[test]
fn every_exported_body_is_the_panic_guard() {
    let all = exported();
    assert!(
        all.len() > 50,
        "too few exported functions found: {}",
        all.len()
    );
    let unguarded: Vec<String> = all
        .iter()
        .filter(|(_, _, guarded)| !guarded)
        .map(|(file, name, _)| format!("{file}: {name}"))
        .collect();
    assert!(
        unguarded.is_empty(),
        "body is not exactly ffi_guard! {{ ... }}: {unguarded:#?}"
    );
}

/// The rules of `macro_rules! NAME` in `src`, as (pattern, expansion) texts.
fn macro_rules_of(src: &str, name: &str) -> Vec<(String, String)> {
    let code = code_only(src);
    let text = String::from_utf8(code.clone()).unwrap();
    let head = format!("macro_rules! {name}");
    let at = text.find(&head).unwrap_or_else(|| panic!("no {head}"));
    let open = skip_ws(&code, at + head.len());
    let close = matching(&code, open);
    let mut rules = Vec::new();
    let mut i = skip_ws(&code, open + 1);
    while i < close - 1 {
        let pattern_end = matching(&code, i);
        let arrow = skip_ws(&code, pattern_end);
        assert_eq!(&text[arrow..arrow + 2], "=>", "{name}: rule without =>");
        let expansion_open = skip_ws(&code, arrow + 2);
        let expansion_close = matching(&code, expansion_open);
        rules.push((
            text[i + 1..pattern_end - 1].to_owned(),
            text[expansion_open + 1..expansion_close - 1].to_owned(),
        ));
        i = skip_ws(&code, expansion_close);
        if code[i] == b';' {
            i = skip_ws(&code, i + 1);
        }
    }
    rules
}

#[test]
fn the_guard_macro_expands_to_one_guard_call() {
    let src = std::fs::read_to_string(crate_dir().join("src/guard.rs")).unwrap();
    let rules = macro_rules_of(&src, "ffi_guard");
    assert_eq!(rules.len(), 1, "ffi_guard! has exactly one rule");
    let expansion = rules[0].1.trim();
    let call = "$crate::guard::guard(";
    assert!(
        expansion.starts_with(call),
        "ffi_guard! expands to {expansion}"
    );
    let code = code_only(expansion);
    assert_eq!(
        matching(&code, call.len() - 1),
        expansion.len(),
        "ffi_guard!'s expansion is one guard(...) call and nothing else"
    );
    // Inside it: the conversions, then the body.
    assert!(expansion.contains("ffi_arg!") && expansion.contains("$($body)*"));
}

#[test]
fn the_header_declares_exactly_the_exported_functions() {
    let exported: BTreeSet<String> = exported().into_iter().map(|(_, n, _)| n).collect();
    let declared = header_functions();
    let missing: Vec<_> = exported.difference(&declared).collect();
    let extra: Vec<_> = declared.difference(&exported).collect();
    assert!(
        missing.is_empty(),
        "exported but not in the header: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "in the header but not exported (unguarded?): {extra:?}"
    );
}

#[test]
fn catch_unwind_lives_only_in_the_guard() {
    for (file, src) in sources() {
        let code = String::from_utf8(code_only(&src)).unwrap();
        if file != "guard.rs" {
            assert!(
                !code.contains("catch_unwind"),
                "{file} catches panics itself"
            );
        }
        let externs = src.matches("extern \"C\" fn").count();
        let exports = code.matches("#[unsafe(no_mangle)]").count();
        assert_eq!(
            externs, exports,
            "{file}: every extern \"C\" fn is exported"
        );
    }
}

#[test]
fn the_checker_rejects_an_unguarded_body() {
    for (src, guarded) in [
        (
            "fn f(x: u32) -> u32 { let y = ffi_guard! { => x }; y }",
            false,
        ),
        ("fn f(x: u32) -> u32 { x; ffi_guard! { => x } }", false),
        ("fn f(x: u32) -> u32 { guard(|| x) }", false),
        ("fn f(x: u32) -> u32 { ffi_guard! { => x } }", true),
        ("fn f(x: u32) -> u32 {\n    ffi_guard!(=> x)\n}", true),
    ] {
        let code = code_only(src);
        let text = String::from_utf8(code.clone()).unwrap();
        let open = text.find('{').unwrap();
        let close = matching(&code, open);
        assert_eq!(
            is_guard_macro_call(&code, &text, open + 1, close - 1),
            guarded,
            "{src}"
        );
    }
    let rules = macro_rules_of(
        "macro_rules! m { ($a:expr) => { g($a) }; () => { x(); g(()) } }",
        "m",
    );
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[1].1.trim(), "x(); g(())");
    let src = "fn g() { let s = \"(\"; let c = '('; let l: &'a str; /* ( */ }";
    let code = code_only(src);
    let open = src.find('{').unwrap();
    assert_eq!(matching(&code, open), src.len());
}

#!/usr/bin/env bash
# The Rust crates as a user of crates.io and docs.rs gets them (CI runs this):
#
# 1. Every declared rust-version is true (scripts/check-msrv.py: the locked dependencies, the
#    edition, let chains; clippy's `incompatible_msrv`, denied in the workspace lints, checks
#    the standard library APIs in the clippy step).
# 2. Every manifest's metadata is real: description, license, rust-version, keywords and
#    categories that crates.io accepts, no placeholder addresses; the publishable crates
#    (seccode, seccode-store) also name their README and docs.rs page, and the others say
#    `publish = false`.
# 3. `cargo package -p seccode -p seccode-store`, verification included: each tarball is
#    unpacked and built on its own, seccode-store against the packaged seccode (cargo's local
#    overlay of the packages being packaged, so seccode need not be on crates.io yet).
# 4. Each tarball holds README.md, LICENSE-MIT and LICENSE-APACHE (equal to the repository's)
#    and nothing but the manifest, sources, tests and their vectors: no target/, no stray files.
# 5. The docs.rs build (nightly rustdoc features through RUSTC_BOOTSTRAP=1, `--cfg docsrs`, all
#    features) has no warnings and marks the `sealed` items "Available on crate feature sealed
#    only".
#
# Usage: bash scripts/check-packaging.sh
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf -- '--> %s\n' "$*"; }

say "rust-version of every crate against its locked dependencies (scripts/check-msrv.py)"
python3 scripts/check-msrv.py

say "manifest metadata of every crate"
grep_hits=$(git ls-files -z -- '*Cargo.toml' '*pyproject.toml' '*composer.json' | xargs -0 grep -n 'example\.invalid' || true)
if [ -n "$grep_hits" ]; then
    printf 'check-packaging: a placeholder address in a manifest:\n%s\n' "$grep_hits" >&2
    exit 1
fi
for manifest in Cargo.toml benches/Cargo.toml fuzz/Cargo.toml; do
    cargo metadata --format-version 1 --no-deps --locked --manifest-path "$manifest"
done | python3 -c '
import json, re, sys

PUBLISHABLE = {"seccode", "seccode-store"}
# The category slugs crates.io accepts (its src/boot/categories.toml).
CATEGORIES = set("""
algorithms api-bindings asynchronous authentication caching command-line-interface
command-line-utilities compression computer-vision config concurrency cryptography
cryptography::cryptocurrencies database database-implementations data-structures date-and-time
development-tools development-tools::build-utils development-tools::cargo-plugins
development-tools::debugging development-tools::ffi development-tools::procedural-macro-helpers
development-tools::profiling development-tools::testing email embedded emulators encoding
external-ffi-bindings filesystem game-engines game-development games graphics gui
hardware-support internationalization localization mathematics memory-management multimedia
multimedia::audio multimedia::video multimedia::images multimedia::encoding network-programming
no-std os os::linux-apis os::macos-apis os::unix-apis os::windows-apis parser-implementations
parsing rendering rendering::engine rendering::graphics-api rendering::data-formats
rust-patterns science science::robotics simulation template-engine text-editors
text-processing value-formatting visualization wasm web-programming
web-programming::http-client web-programming::http-server web-programming::websocket
""".split())
KEYWORD = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,19}$")

errors, seen = [], set()
decoder = json.JSONDecoder()
text, pos = sys.stdin.read(), 0
while pos < len(text.rstrip()):
    meta, pos = decoder.raw_decode(text, pos)
    pos = len(text) - len(text[pos:].lstrip())
    for pkg in meta["packages"]:
        name = pkg["name"]
        if name in seen:
            continue
        seen.add(name)
        bad = lambda why: errors.append(f"{name}: {why}")
        for field in ("description", "license", "rust_version"):
            if not pkg.get(field):
                bad(f"no {field.replace(chr(95), chr(45))}")
        keywords, categories = pkg.get("keywords") or [], pkg.get("categories") or []
        if len(keywords) > 5:
            bad(f"{len(keywords)} keywords (crates.io takes at most 5)")
        for k in keywords:
            if not KEYWORD.match(k):
                bad(f"keyword `{k}` is not valid on crates.io (a letter, then up to 19 of [A-Za-z0-9_-])")
        if len(categories) > 5:
            bad(f"{len(categories)} categories (crates.io takes at most 5)")
        for c in categories:
            if c not in CATEGORIES:
                bad(f"category `{c}` is not a crates.io category slug")
        for field in ("repository", "homepage", "documentation"):
            url = pkg.get(field)
            if url and not url.startswith("https://"):
                bad(f"{field} `{url}` is not an https address")
        publishable = pkg.get("publish") != []
        if name in PUBLISHABLE:
            if not publishable:
                bad("is published on crates.io but says publish = false")
            if not keywords or not categories:
                bad("needs keywords and categories")
            if pkg.get("readme") != "README.md":
                bad("readme must be the crate`s own README.md")
            if pkg.get("documentation") != f"https://docs.rs/{name}":
                bad(f"documentation must be https://docs.rs/{name}")
            docs_rs = (pkg.get("metadata") or {}).get("docs", {}).get("rs", {})
            if pkg.get("features") and not (
                docs_rs.get("all-features") is True
                and "docsrs" in " ".join(docs_rs.get("rustdoc-args", []))
            ):
                bad("has features but no [package.metadata.docs.rs] all-features and --cfg docsrs")
        elif publishable:
            bad("is not meant for crates.io: say publish = false")
for e in errors:
    print(f"check-packaging: {e}", file=sys.stderr)
if errors:
    sys.exit(1)
print(f"{len(seen)} manifests checked")
'

say "the repository README's Rust example is the crate README's first one (a doctest there)"
python3 - <<'EOF'
import pathlib, re, sys
block = lambda path: re.search(r"```rust\n(.*?)```", pathlib.Path(path).read_text(), re.S)
root, crate = block("README.md"), block("crates/seccode/README.md")
if root and (crate is None or root.group(1) != crate.group(1)):
    sys.exit("check-packaging: README.md's Rust example differs from crates/seccode/README.md's "
             "first one, which is the one compiled and run as a doctest: keep them equal")
EOF

say "cargo package -p seccode -p seccode-store (each tarball unpacked and built)"
target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
rm -f "$target_dir"/package/seccode-*.crate
# --allow-dirty: a developer's uncommitted edits are packaged as they are; the file list is
# checked below either way.
cargo package -p seccode -p seccode-store --locked --allow-dirty

say "what each tarball holds"
for crate in seccode seccode-store; do
    version=$(cargo metadata --format-version 1 --no-deps |
        python3 -c "import json, sys; print(next(p['version'] for p in json.load(sys.stdin)['packages'] if p['name'] == '$crate'))")
    tarball=$target_dir/package/$crate-$version.crate
    python3 - "$tarball" "$crate-$version" "crates/$crate" <<'EOF'
import pathlib, re, sys, tarfile
tarball, prefix, source = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
TOP = {".cargo_vcs_info.json", "Cargo.lock", "Cargo.toml", "Cargo.toml.orig", "README.md",
       "LICENSE-MIT", "LICENSE-APACHE", "DESIGN.md"}
NEEDED = {"Cargo.toml", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "src/lib.rs"}
errors = []
with tarfile.open(tarball) as tar:
    members = {m.name.removeprefix(prefix + "/"): m for m in tar.getmembers() if m.isfile()}
    for path in sorted(members):
        parts = path.split("/")
        if "target" in parts or any(p.startswith(".") for p in parts[:-1]) or (
            parts[-1].startswith(".") and path != ".cargo_vcs_info.json"
        ):
            errors.append(f"stray file `{path}`")
        elif len(parts) == 1 and path not in TOP:
            errors.append(f"stray file `{path}` at the top")
        elif len(parts) > 1 and parts[0] not in ("src", "tests"):
            errors.append(f"stray file `{path}` outside src/ and tests/")
    for path in sorted(NEEDED - members.keys()):
        errors.append(f"`{path}` is missing")
    for path, original in (("LICENSE-MIT", "LICENSE-MIT"), ("LICENSE-APACHE", "LICENSE-APACHE"),
                           ("README.md", str(source / "README.md"))):
        if path in members:
            if tar.extractfile(members[path]).read() != pathlib.Path(original).read_bytes():
                errors.append(f"`{path}` differs from the repository's `{original}`")
size = pathlib.Path(tarball).stat().st_size
if size > 10 * 1024 * 1024:
    errors.append(f"{size} bytes: over crates.io's 10 MiB limit")
for e in errors:
    print(f"check-packaging: {prefix}: {e}", file=sys.stderr)
if errors:
    sys.exit(1)
print(f"{prefix}: {len(members)} files, {size} bytes compressed")
EOF
done

say "docs.rs build (RUSTC_BOOTSTRAP=1, --cfg docsrs, all features) and its feature labels"
RUSTC_BOOTSTRAP=1 RUSTDOCFLAGS="--cfg docsrs -D warnings" \
    cargo doc -p seccode -p seccode-store --all-features --no-deps --locked
python3 - "$target_dir/doc" <<'EOF'
import pathlib, re, sys
doc = pathlib.Path(sys.argv[1])
LABEL = "Available on <strong>crate feature <code>sealed</code></strong> only"
# Every item behind `sealed`: the type (a page of its own) or the member on its type's page.
ITEMS = {"struct.Sealer.html": None, "struct.RevealedCode.html": None,
         "struct.Engine.html": "method.sealer", "struct.EngineConfig.html": "structfield.sealer",
         "struct.Account.html": "method.reveal_account_code"}
errors = []
for page, anchor in ITEMS.items():
    text = (doc / "seccode" / page).read_text()
    if anchor is None:
        ok = LABEL in text.split('id="implementations"')[0]
    else:
        # From the member's anchor to the next member's: its header and its docs.
        at = text.find(f'id="{anchor}"')
        kind = anchor.split(".")[0]
        end = text.find(f'id="{kind}.', at + 1)
        ok = at >= 0 and LABEL in text[at:end if end > 0 else len(text)]
    if not ok:
        errors.append(f"{page}{'#' + anchor if anchor else ''} is not marked as needing `sealed`")
# And only them: an item every build has carries no such label.
if LABEL in (doc / "seccode" / "struct.SecurityCode.html").read_text():
    errors.append("struct.SecurityCode.html is marked as needing `sealed`, which it does not")
for e in errors:
    print(f"check-packaging: docs.rs: {e}", file=sys.stderr)
if errors:
    sys.exit(1)
print(f"docs.rs: {len(ITEMS)} sealed items marked")
EOF
say "packaging checks passed"

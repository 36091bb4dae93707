#!/usr/bin/env bash
# Build the Python package for distribution: one abi3 wheel (CPython 3.9 and later) for
# manylinux2014 (glibc 2.17 and later: CentOS 7, AlmaLinux/CloudLinux 8, Debian, Ubuntu...)
# and an sdist, so that the hosts that run support scripts install seccode without Rust.
#
#   bash bindings/python/build-wheels.sh [OUT]
#
# OUT defaults to target/python-dist (under the ignored target/, never committed). It is
# emptied first and then holds exactly one `seccode-*-cp39-abi3-manylinux*.whl` and one
# `seccode-*.tar.gz`.
#
# How: a build virtual environment (target/python-build-venv, kept between runs) gets maturin
# and zig (the `ziglang` package) from PyPI; `maturin build --release --zig --compatibility
# manylinux2014` links the extension against glibc 2.17's symbols with zig's linker, on any
# Linux host, without Docker. `maturin sdist` packs bindings/python together with the
# workspace crates it depends on (crates/seccode, crates/seccode-store) and Cargo.lock.
#
# Then it checks what it built, and fails if the wheel is not what its name promises:
#   - the name is tagged cp39-abi3 and manylinux_2_17 (manylinux2014) for this machine;
#   - `auditwheel show` finds it consistent with manylinux_2_17 or an older policy;
#   - no symbol of the extension needs a glibc newer than 2.17 (`objdump -T`);
#   - the extension links no library outside the manylinux2014 allow-list (auditwheel);
#   - the sdist holds the sources of every path dependency and its Cargo.lock, and cargo
#     builds the unpacked sdist on its own (`cargo check --offline`, then `cargo metadata`:
#     all its local packages inside it, its locked versions unchanged).
# PYTHON picks the interpreter of the build environment (default: python3).
set -euo pipefail

package="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$package/../.." && pwd)"
python="${PYTHON:-python3}"
out="${1:-$root/target/python-dist}"
venv="$root/target/python-build-venv"
max_glibc="2.17"

step() { printf '\n--> %s\n' "$*"; }
fail() {
    echo "build-wheels: $*" >&2
    exit 1
}

case "$(uname -m)" in
x86_64 | aarch64 | i686 | armv7l | ppc64le | s390x) arch="$(uname -m)" ;;
*) fail "no manylinux2014 platform for this machine ($(uname -m))" ;;
esac

step "build environment ($("$python" --version 2>&1)) in $venv: maturin, ziglang, auditwheel"
if ! [ -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$venv/bin/python" -m pip install --quiet --only-binary :all: \
    "maturin>=1.9.4,<2" "ziglang>=0.13,<0.16" "auditwheel>=6"
"$venv/bin/maturin" --version
"$venv/bin/python" -m ziglang version
# maturin finds zig through `python -m ziglang` of the interpreter on PATH: the venv's.
export PATH="$venv/bin:$PATH"

rm -rf "$out"
mkdir -p "$out"

step "maturin build --release --zig --compatibility manylinux2014 (abi3 wheel)"
(
    cd "$package"
    maturin build --release --zig --compatibility manylinux2014 \
        --interpreter "$venv/bin/python" --out "$out"
)

step "maturin sdist"
(
    cd "$package"
    maturin sdist --out "$out"
)

shopt -s nullglob
wheels=("$out"/*.whl)
sdists=("$out"/*.tar.gz)
shopt -u nullglob
[ "${#wheels[@]}" -eq 1 ] || fail "expected one wheel in $out, found ${#wheels[@]}"
[ "${#sdists[@]}" -eq 1 ] || fail "expected one sdist in $out, found ${#sdists[@]}"
wheel="${wheels[0]}"
sdist="${sdists[0]}"

step "the wheel's tags: $(basename "$wheel")"
case "$(basename "$wheel")" in
seccode-*-cp39-abi3-*manylinux_2_17_"$arch"*.whl | seccode-*-cp39-abi3-*manylinux2014_"$arch"*.whl) ;;
*) fail "$(basename "$wheel") is not tagged cp39-abi3 manylinux_2_17 (manylinux2014) $arch" ;;
esac

step "auditwheel show"
report="$(auditwheel show "$wheel")"
printf '%s\n' "$report"
# "... is consistent with the following platform tag: "manylinux_2_17_x86_64"."
policy="$(printf '%s\n' "$report" | tr '\n' ' ' |
    sed -n 's/.*consistent with the following platform tag: *"\(manylinux_[0-9]*_[0-9]*\)_.*/\1/p')"
[ -n "$policy" ] || fail "auditwheel found the wheel consistent with no manylinux policy"
policy_minor="${policy##*_}"
policy_major="$(echo "$policy" | cut -d_ -f2)"
if [ "$policy_major" -ne 2 ] || [ "$policy_minor" -gt 17 ]; then
    fail "auditwheel: the wheel needs $policy, newer than manylinux2014 (manylinux_2_17)"
fi
echo "auditwheel: consistent with $policy (manylinux2014 or older)"

step "glibc symbol versions the extension needs (objdump -T)"
unpacked="$(mktemp -d "${TMPDIR:-/tmp}/seccode-wheel.XXXXXX")"
trap 'rm -rf "$unpacked"' EXIT
"$venv/bin/python" -m zipfile -e "$wheel" "$unpacked/wheel"
so="$(find "$unpacked/wheel/seccode" -name '_native*.so' -print -quit)"
[ -n "$so" ] || fail "the wheel has no seccode/_native*.so"
case "$(basename "$so")" in
_native.abi3.so) ;;
*) fail "the extension is $(basename "$so"), not the stable-ABI _native.abi3.so" ;;
esac
newest="$(objdump -T "$so" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)"
[ -n "$newest" ] || fail "objdump found no glibc symbol version in $(basename "$so")"
if [ "$(printf '%s\n%s\n' "$newest" "$max_glibc" | sort -V | tail -n 1)" != "$max_glibc" ]; then
    objdump -T "$so" | grep "GLIBC_$newest" >&2 || true
    fail "$(basename "$so") needs GLIBC_$newest, newer than $max_glibc"
fi
echo "newest glibc symbol version: GLIBC_$newest (at most $max_glibc)"
for file in py.typed _native.pyi __init__.py _enums.py _errors.py; do
    [ -f "$unpacked/wheel/seccode/$file" ] || fail "the wheel lacks seccode/$file"
done

step "the sdist: $(basename "$sdist")"
mkdir "$unpacked/sdist"
tar -xzf "$sdist" -C "$unpacked/sdist"
top="$(find "$unpacked/sdist" -mindepth 1 -maxdepth 1 -type d -print -quit)"
[ -n "$top" ] || fail "the sdist has no top directory"
for file in pyproject.toml Cargo.lock PKG-INFO; do
    [ -f "$top/$file" ] || fail "the sdist lacks $file"
done
for crate in crates/seccode crates/seccode-store; do
    [ -f "$top/$crate/Cargo.toml" ] && [ -f "$top/$crate/src/lib.rs" ] ||
        fail "the sdist lacks the path dependency $crate"
done
# cargo builds the unpacked sdist by itself, with nothing from this checkout: every local
# package it names (the binding and its path dependencies) lies inside the sdist, every file
# they include is there (`cargo check` compiles them), and its Cargo.lock only loses the
# entries of the workspace members left out (no version changes). The check shares this
# checkout's target directory, so only the three local crates are checked anew.
cp "$top/Cargo.lock" "$unpacked/Cargo.lock.packed"
manifest="$(
    "$venv/bin/python" - "$top/pyproject.toml" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
found = re.search(r'^manifest-path\s*=\s*"([^"]+)"', text, re.MULTILINE)
print(found.group(1) if found else "Cargo.toml")
EOF
)"
(cd "$top" && CARGO_TARGET_DIR="$root/target" cargo check --offline --quiet \
    --manifest-path "$manifest") ||
    fail "cargo cannot build the unpacked sdist on its own (see above)"
(cd "$top" && cargo metadata --format-version 1 --offline \
    --manifest-path "$manifest" >"$unpacked/metadata.json") ||
    fail "cargo cannot resolve the unpacked sdist on its own (see above)"
"$venv/bin/python" - "$unpacked/metadata.json" "$top" "$unpacked/Cargo.lock.packed" <<'EOF'
import json, os, re, sys
meta = json.load(open(sys.argv[1], encoding="utf-8"))
top = os.path.realpath(sys.argv[2])
local = [p for p in meta["packages"] if p["source"] is None]
names = sorted(p["name"] for p in local)
outside = [p["manifest_path"] for p in local
           if not os.path.realpath(p["manifest_path"]).startswith(top + os.sep)]
if outside:
    sys.exit(f"build-wheels: local packages outside the sdist: {outside}")
for needed in ("seccode", "seccode-python", "seccode-store"):
    if needed not in names:
        sys.exit(f"build-wheels: the sdist does not resolve {needed} (local: {names})")

def locked(path):
    text = open(path, encoding="utf-8").read()
    return set(re.findall(r'^name = "([^"]+)"\nversion = "([^"]+)"', text, re.MULTILINE))

packed, used = locked(sys.argv[3]), locked(os.path.join(top, "Cargo.lock"))
if not used or not used <= packed:
    sys.exit(f"build-wheels: the sdist's build changed locked versions: {sorted(used - packed)}")
print(f"the sdist builds on its own with its locked versions ({len(used)} packages); "
      f"local packages: {', '.join(names)}")
EOF

step "built into $out"
ls -l "$out"

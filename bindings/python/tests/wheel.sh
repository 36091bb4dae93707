#!/usr/bin/env bash
# The distributed package, as a host without Rust meets it:
#   1. bindings/python/build-wheels.sh builds the manylinux2014 abi3 wheel and the sdist
#      (one release build) and fails unless the wheel really is manylinux2014 and the sdist
#      resolves on its own;
#   2. a fresh virtual environment, and a PATH without cargo or rustc (checked: `command -v
#      cargo` and `command -v rustc` must fail in the shell that runs pip and the tests;
#      CARGO_HOME and RUSTUP_HOME unset too);
#   3. `pip install --no-index --only-binary :all:` of the built wheel: pip may not build
#      anything, so a wheel this interpreter cannot take fails here instead of compiling;
#   4. pytest (the whole Python suite, run from the tests directory against the installed
#      wheel) and `python -m mypy.stubtest seccode` (the stubs shipped in the wheel).
# OUT (default target/python-dist) is where the wheel and sdist are built and left.
# PYTHON picks the interpreter (default: python3).
set -euo pipefail

tests="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package="$(dirname "$tests")"
root="$(cd "$package/../.." && pwd)"
python="${PYTHON:-python3}"
out="${OUT:-$root/target/python-dist}"

step() { printf '\n--> %s\n' "$*"; }

bash "$package/build-wheels.sh" "$out"
wheel="$(find "$out" -maxdepth 1 -name 'seccode-*.whl' -print -quit)"

work="$(mktemp -d "${TMPDIR:-/tmp}/seccode-wheel-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
venv="$work/venv"

step "fresh virtual environment ($("$python" --version 2>&1)) in $venv"
"$python" -m venv "$venv"

# PATH without any directory that holds cargo or rustc (~/.cargo/bin, a system toolchain).
clean_path="$venv/bin"
IFS=: read -r -a dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
    [ -n "$dir" ] || continue
    if [ -e "$dir/cargo" ] || [ -e "$dir/rustc" ]; then
        echo "leaving $dir off PATH (it holds cargo or rustc)"
        continue
    fi
    clean_path="$clean_path:$dir"
done

# Everything from here on runs without a Rust toolchain.
without_rust() {
    env -u CARGO_HOME -u RUSTUP_HOME -u RUSTC -u CARGO -u RUSTUP_TOOLCHAIN \
        PATH="$clean_path" PIP_DISABLE_PIP_VERSION_CHECK=1 "$@"
}

step "no cargo or rustc on PATH"
without_rust bash -c '
    if command -v cargo || command -v rustc; then
        echo "cargo or rustc is still on PATH" >&2
        exit 1
    fi
    echo "command -v cargo and command -v rustc both fail, as they should"'

step "pip install $(basename "$wheel") (no index, binary only: nothing may be built)"
without_rust "$venv/bin/python" -m pip install --no-index --only-binary :all: "$wheel"

step "pip install pytest mypy (binary only)"
without_rust "$venv/bin/python" -m pip install --quiet --only-binary :all: "pytest>=7" "mypy>=1.8"

step "pytest against the installed wheel, with no Rust toolchain"
cd "$tests"
without_rust "$venv/bin/python" -m pytest -c "$package/pyproject.toml" --rootdir "$package" -q "$tests"

step "mypy.stubtest seccode (the stubs the wheel ships)"
cd "$work"
without_rust "$venv/bin/python" -m mypy.stubtest seccode --mypy-config-file ""

step "the wheel installs and passes without cargo: $(basename "$wheel")"

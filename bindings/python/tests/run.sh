#!/usr/bin/env bash
# The Python suite, as a user would meet the package:
#   1. a fresh virtual environment in a temporary directory;
#   2. `pip install ./bindings/python` (maturin arrives through the build requirements; the
#      wheel is built in release mode from this checkout);
#   3. pytest against the *installed* package (run from the tests directory with
#      --import-mode=importlib, so `import seccode` cannot resolve to bindings/python/python);
#   4. `python -m mypy.stubtest seccode` (the hand-written stubs against the module) and
#      `mypy --strict` on the tests (the stubs as a type checker's user sees them).
# Exits non-zero on the first failure. PYTHON picks the interpreter (default: python3).
set -euo pipefail

tests="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package="$(dirname "$tests")"
python="${PYTHON:-python3}"

work="$(mktemp -d "${TMPDIR:-/tmp}/seccode-python.XXXXXX")"
trap 'rm -rf "$work"' EXIT
venv="$work/venv"

step() { printf '\n--> %s\n' "$*"; }

step "fresh virtual environment ($("$python" --version 2>&1)) in $venv"
"$python" -m venv "$venv"
py="$venv/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1

step "pip install ./bindings/python"
"$py" -m pip install "$package"

step "pip install pytest mypy"
"$py" -m pip install --quiet "pytest>=7" "mypy>=1.8"

step "pytest (installed package)"
cd "$tests"
"$venv/bin/pytest" -c "$package/pyproject.toml" --rootdir "$package" -q "$tests"

step "mypy.stubtest seccode"
cd "$work"
"$py" -m mypy.stubtest seccode --mypy-config-file ""

step "mypy --strict (tests, against the installed stubs)"
cd "$tests"
"$py" -m mypy --strict --cache-dir "$work/mypy-cache" \
    --config-file "" "$tests"

step "python suite passed"

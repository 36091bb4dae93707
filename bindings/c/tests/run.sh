#!/usr/bin/env bash
# The C tests of libseccode, as CI runs them:
#
#   1. build the Rust library (cargo build -p seccode-ffi: libseccode_ffi.a and
#      libseccode_ffi.so), copied by the Makefile to build/lib/libseccode.a and libseccode.so,
#      the C library's names;
#   2. convert the core's shared JSON vectors into the line format test_vectors.c reads;
#   3. compile every C test with gcc -std=c11 -Wall -Wextra -Wpedantic -Werror, linked once
#      statically and once against the shared library, and once more with
#      -fsanitize=address,undefined; build the example with pkg-config;
#   4. run each test linked statically, linked dynamically, under ASan+UBSan (LeakSanitizer
#      on), and under valgrind memcheck (leaks are errors); run the example.
#
# Exits non-zero on any failure; the last line is "N passed, M failed" over those runs.
# Installs valgrind with apt-get when it is missing. Set SECCODE_SKIP_VALGRIND=1 to skip the
# valgrind runs (they are then counted as failed, so CI never skips them silently).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)" # bindings/c
root="$(cd "$here/../.." && pwd)"
build="$here/build"
started=$SECONDS
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s\n' "$*"; }

step "cargo build -p seccode-ffi"
(cd "$root" && cargo build -p seccode-ffi)
target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
cargo_libdir="$target_dir/debug"
for lib in libseccode_ffi.a libseccode_ffi.so; do
    [[ -f "$cargo_libdir/$lib" ]] || { echo "missing $cargo_libdir/$lib" >&2; exit 1; }
done
# The C library under its C name (a copy made by `make lib`): what every C build links.
libdir="$build/lib"
make -C "$here" --no-print-directory LIBDIR="$cargo_libdir" BUILD="$build" lib

step "vectors"
mkdir -p "$build"
python3 "$here/tests/vectors_to_lines.py" "$root/crates/seccode/tests/vectors" >"$build/vectors.txt"
grep -c -v '^#' "$build/vectors.txt" | sed 's/$/ vector records/'

step "compile (static, shared, asan+ubsan, example)"
make -C "$here" --no-print-directory -j2 LIBDIR="$cargo_libdir" BUILD="$build" all

# The README's example, as printed there.
python3 - "$here/README.md" "$build/readme_example.c" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```c\n(.*?)```", text, re.S)
if not blocks:
    sys.exit("no C example in README.md")
open(sys.argv[2], "w", encoding="utf-8").write(blocks[0])
PY
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$here/include" "$build/readme_example.c" \
    -o "$build/readme_example" -L"$libdir" -lseccode

if ! command -v valgrind >/dev/null 2>&1 && [[ -z "${SECCODE_SKIP_VALGRIND:-}" ]]; then
    step "installing valgrind"
    sudo=""
    [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq valgrind >/dev/null
fi

tests=(vectors walkthrough bad_input portal threads)
passed=0
failed=0
failures=()
logs="$build/logs"
mkdir -p "$logs"

args_for() { [[ "$1" == vectors ]] && echo "$build/vectors.txt" || true; }

# run LABEL COMMAND...: one counted run; its output is kept in build/logs and shown on failure.
run() {
    local label="$1"
    shift
    local log="$logs/${label//\//_}.log"
    local t0=$SECONDS
    if "$@" >"$log" 2>&1; then
        passed=$((passed + 1))
        printf '  ok    %-28s %3ss  %s\n' "$label" $((SECONDS - t0)) "$(tail -n 1 "$log")"
    else
        failed=$((failed + 1))
        failures+=("$label")
        printf '  FAIL  %-28s %3ss  (log: %s)\n' "$label" $((SECONDS - t0)) "$log"
        tail -n 40 "$log" | sed 's/^/        /'
    fi
}

step "run: static"
for t in "${tests[@]}"; do
    run "static/$t" "$build/static/test_$t" $(args_for "$t")
done

step "run: shared"
# grep reads all of ldd's output (no -q): with pipefail, an early exit would SIGPIPE ldd.
if ldd "$build/shared/test_walkthrough" | grep "libseccode.so" >/dev/null; then
    for t in "${tests[@]}"; do
        run "shared/$t" "$build/shared/test_$t" $(args_for "$t")
    done
else
    echo "  the shared build is not linked against libseccode.so" >&2
    failed=$((failed + 1))
    failures+=("shared/linkage")
fi

step "run: AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer on)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
for t in "${tests[@]}"; do
    run "asan/$t" "$build/asan/test_$t" $(args_for "$t")
done
unset ASAN_OPTIONS UBSAN_OPTIONS

step "run: valgrind memcheck"
if [[ -n "${SECCODE_SKIP_VALGRIND:-}" ]] || ! command -v valgrind >/dev/null 2>&1; then
    echo "  valgrind unavailable or skipped" >&2
    failed=$((failed + 1))
    failures+=("valgrind")
else
    # Under valgrind Argon2id is ~50x slower: legacy vectors over 4 MiB are left to the other
    # runs (test_vectors prints how many). The lazily built tables of the strength estimator
    # live until exit ("possibly lost"/"still reachable"), which is not a leak.
    for t in "${tests[@]}"; do
        run "valgrind/$t" env SECCODE_VECTORS_MAX_M_KIB=4096 SECCODE_UNDER_VALGRIND=1 valgrind -q --leak-check=full \
            --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
            --error-exitcode=1 "$build/static/test_$t" $(args_for "$t")
    done
fi

step "run: examples (portal_example built with pkg-config; the README's)"
run "example/portal_example" env LD_LIBRARY_PATH="$libdir" "$build/example/portal_example"
run "example/readme" env LD_LIBRARY_PATH="$libdir" "$build/readme_example"

step "summary"
echo "C tests took $((SECONDS - started))s"
if ((failed > 0)); then
    printf 'failed: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
((failed == 0))

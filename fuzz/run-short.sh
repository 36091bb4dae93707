#!/usr/bin/env bash
# Short, bounded fuzz runs of every target (the CI step; the long campaign is in README.md).
#
# Installs cargo-fuzz if missing, builds the instrumented targets (AddressSanitizer, cargo
# fuzz's default), then runs each target from its committed seeds for a fixed number of
# executions with a fixed seed, so a run is repeatable. New corpus entries go to a temporary
# directory, never into fuzz/corpus. Exits non-zero if any target crashes (the reproducer is
# written under fuzz/artifacts/<target>/), and ends with "N passed, M failed".
#
# Usage: bash fuzz/run-short.sh [target...]      (default: every target)
# Env:   FUZZ_RUNS_SCALE=k multiplies every run count (e.g. 0.1 for a smoke test).
set -euo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1 CARGO_TERM_COLOR=never

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "==> installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

# Executions per target: each takes roughly 10 to 30 seconds on one core of a shared 2-core
# machine (Argon2 at m <= 64 KiB and the strength estimator set the slower ones' pace).
declare -A RUNS=(
    [account_json]=30000
    [stored_hash]=20000
    [code_policy]=4000
    [catalog]=30000
    [ffi]=2500
)
ORDER=(account_json stored_hash code_policy catalog ffi)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${ORDER[@]}")
scale="${FUZZ_RUNS_SCALE:-1}"

echo "==> cargo fuzz build (instrumented, release + debug assertions)"
cargo fuzz build

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
failed_names=()
for target in "${targets[@]}"; do
    runs="${RUNS[$target]:?unknown target $target}"
    runs="$(awk -v r="$runs" -v s="$scale" 'BEGIN { n = int(r * s); print (n < 1 ? 1 : n) }')"
    mkdir -p "$work/$target"
    echo "==> $target: $runs runs"
    start=$SECONDS
    # -max_total_time bounds a target whose executions turn out slower than expected.
    if cargo fuzz run "$target" "$work/$target" "corpus/$target" -- \
        -runs="$runs" -seed=1 -max_total_time=120 -timeout=30 -print_final_stats=1 \
        >"$work/$target.log" 2>&1; then
        grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|Done )' "$work/$target.log" || true
        echo "    ok in $((SECONDS - start)) s"
        passed=$((passed + 1))
    else
        tail -n 60 "$work/$target.log"
        echo "    FAILED: $target (reproducer under fuzz/artifacts/$target/)"
        failed=$((failed + 1))
        failed_names+=("$target")
    fi
done

echo "${passed} passed, ${failed} failed"
if [ "$failed" -ne 0 ]; then
    echo "failed targets: ${failed_names[*]}"
    exit 1
fi

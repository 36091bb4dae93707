#!/usr/bin/env bash
# Public API of the core crate `seccode` (all features), one sorted line per item, in the
# manner of `cargo public-api`, so the API cannot grow or change by accident.
#
#   scripts/public-api.sh           print the current listing
#   scripts/public-api.sh --check   compare it with crates/seccode/public-api.txt; when they
#                                   differ, print a unified diff and exit 1 (CI runs this)
#   scripts/public-api.sh --bless   rewrite crates/seccode/public-api.txt from the code; do
#                                   this when an API change is intended, and commit the file
#
# Works on stable Rust: RUSTC_BOOTSTRAP=1 lets rustdoc write its (unstable) JSON output, and
# scripts/public_api.py (python3, standard library only) turns that JSON into the listing.
set -euo pipefail
cd "$(dirname "$0")/.."

committed=crates/seccode/public-api.txt
mode=${1:-}
case $mode in
"" | --check | --bless) ;;
*)
    echo "usage: $0 [--check | --bless]" >&2
    exit 2
    ;;
esac

target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
json=$target_dir/doc/seccode.json
rm -f "$json"
RUSTC_BOOTSTRAP=1 cargo rustdoc --quiet -p seccode --all-features --lib -- \
    -Z unstable-options --output-format json
if ! [ -f "$json" ]; then
    echo "rustdoc did not write $json" >&2
    exit 1
fi

fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
python3 scripts/public_api.py "$json" >"$fresh"

case $mode in
"") cat "$fresh" ;;
--bless)
    cp "$fresh" "$committed"
    echo "wrote $committed ($(wc -l <"$committed") lines)"
    ;;
--check)
    if ! [ -f "$committed" ]; then
        echo "$committed is missing; create it with scripts/public-api.sh --bless" >&2
        exit 1
    fi
    if diff -u --label "$committed (committed)" --label "$committed (from the code)" \
        "$committed" "$fresh"; then
        echo "public API of seccode unchanged ($(wc -l <"$fresh") lines)"
    else
        echo >&2
        echo "The public API of seccode differs from $committed (diff above: - committed," \
            "+ current code)." >&2
        echo "If the change is intended, run scripts/public-api.sh --bless and commit the file." >&2
        exit 1
    fi
    ;;
esac

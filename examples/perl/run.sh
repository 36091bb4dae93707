#!/usr/bin/env bash
# Build libseccode and run examples/perl/portal.pl with the distribution's FFI::Platypus
# (installed with apt-get when missing: libffi-platypus-perl).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TERM_COLOR=never
if ! perl -MFFI::Platypus -e 1 2>/dev/null; then
    echo "installing libffi-platypus-perl (apt-get)" >&2
    sudo=""
    [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq && $sudo apt-get install -y -qq libffi-platypus-perl >/dev/null
fi
(cd "$root" && cargo build -q -p seccode-ffi)
target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps |
    perl -MJSON::PP -0777 -ne 'print decode_json($_)->{target_directory}')"
build="$root/bindings/c/build"
make -C "$root/bindings/c" --no-print-directory -s LIBDIR="$target_dir/debug" BUILD="$build" lib
SECCODE_LIB="$build/lib/libseccode.so" perl "$here/portal.pl"

# The README shows a block of portal.pl verbatim: it must still be there.
python3 - "$here/README.md" "$here/portal.pl" <<'PY'
import re, sys
readme, script = (open(p, encoding="utf-8").read() for p in sys.argv[1:])
blocks = re.findall(r"```perl\n(.*?)```", readme, re.S)
if not blocks or any(b not in script for b in blocks):
    sys.exit("examples/perl/README.md shows Perl that is not in portal.pl")
print("examples/perl/README.md: its example is portal.pl's own code")
PY

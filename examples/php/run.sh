#!/usr/bin/env bash
# Run examples/php/portal.php against a real `seccode serve` on a free port with a temporary
# store, and check what it prints. Usage: examples/php/run.sh [path/to/seccode]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seccode=${1:-}
if [[ -z $seccode ]]; then
    (cd "$root" && cargo build -q -p seccode-cli)
    seccode="${CARGO_TARGET_DIR:-$root/target}/debug/seccode"
fi
if ! command -v php >/dev/null || ! php -m | grep -i '^curl$' >/dev/null; then
    echo "installing php-cli and php-curl" >&2
    sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q php-cli php-curl >/dev/null
fi

tmp=$(mktemp -d)
server=""
cleanup() {
    if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
export SECCODE_DB="$tmp/seccode.db"

# Cheap hashes for the test; the real default is m=19456 KiB, t=2.
"$seccode" init --argon2-memory-kib 256 --argon2-iterations 1 >/dev/null
"$seccode" account create 1707 --name "Any Company" --contact-id 3522 --contact-name "Joe Example" >/dev/null
key=$("$seccode" --json key create --role portal --name "php example" \
      | php -r 'echo json_decode(stream_get_contents(STDIN), true)["key"];')

"$seccode" serve --listen 127.0.0.1:0 >"$tmp/serve.out" 2>"$tmp/serve.log" &
server=$!
for _ in $(seq 100); do
    grep -q 'listening on' "$tmp/serve.out" 2>/dev/null && break
    sleep 0.1
done
url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/serve.out")

out=$(SECCODE_URL="$url" SECCODE_KEY="$key" php "$here/portal.php")
expected="Success: Account information updated.
verification: verified
cancellation: needs approval from contact 3522"
if [[ $out != "$expected" ]]; then
    echo "portal.php printed:" >&2; echo "$out" >&2
    echo "expected:" >&2; echo "$expected" >&2
    exit 1
fi
# Nothing secret in the service's log.
if grep -qiE 'purple monkey|sck_|scv_' "$tmp/serve.log"; then
    echo "a secret reached the service's log" >&2; exit 1
fi
echo "examples/php: ok"

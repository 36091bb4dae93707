#!/usr/bin/env bash
# What one message to PostgreSQL costs on this machine after the client and the server have
# slept 50 ms (as they do while a verification's Argon2 check runs), against the same message
# back to back: pgbench, no seccode. Run against the test cluster:
#   bash .ci/with-postgres bash benches/wake.sh
# Prints the mean latency of each message in milliseconds.
set -euo pipefail
url="${SECCODE_TEST_POSTGRES_URL:?run under .ci/with-postgres}"
pgbench="$(ls /usr/lib/postgresql/*/bin/pgbench | tail -1)"
seconds="${SECONDS_PER_CASE:-6}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

PGOPTIONS="-c client_min_messages=warning" psql -q "$url" -c "DROP TABLE IF EXISTS wake_account;
    CREATE TABLE wake_account (id BIGINT PRIMARY KEY, revision BIGINT NOT NULL);
    INSERT INTO wake_account VALUES (1707, 0);"

printf 'SELECT 1;\n' >"$work/select.sql"
printf 'BEGIN\\; SELECT 1 FROM wake_account WHERE id = 1707 FOR UPDATE\\; COMMIT;\n' >"$work/lock.sql"
printf 'BEGIN\\; UPDATE wake_account SET revision = revision + 1 WHERE id = 1707\\; COMMIT;\n' >"$work/update.sql"

measure() { # NAME SCRIPT [SLEEP]
    local script="$work/$2"
    if [ -n "${3:-}" ]; then
        { printf '\\sleep %s ms\n' "$3"; cat "$work/$2"; } >"$work/slept-$2"
        script="$work/slept-$2"
    fi
    "$pgbench" -n -M simple -r -T "$seconds" -f "$script" "$url" 2>/dev/null |
        awk -v name="$1" '/^ +[0-9.]+ +[0-9]+ / && !/sleep/ { printf "%-58s %6.3f ms\n", name, $1 }'
}

for round in 1 2 3; do
    echo "round $round"
    measure "SELECT 1, back to back" select.sql
    measure "SELECT 1, after 50 ms asleep" select.sql 50
    measure "BEGIN; SELECT ... FOR UPDATE; COMMIT, after 50 ms asleep" lock.sql 50
    measure "BEGIN; UPDATE ...; COMMIT, after 50 ms asleep" update.sql 50
done
psql -q "$url" -c "DROP TABLE wake_account"

#!/usr/bin/env bash
# demo_embedded.sh: what scripts/demo shows, as a test: the demo service with
# no DATABASE_URL runs on its embedded default (here moved with --embedded),
# applies every migration with a line each, then finds the database up to
# date; the cluster persists between runs and no server is left running.
#   demo_embedded.sh DEMO_BINARY
set -euo pipefail
demo=$1
work=$(mktemp -d)
chmod 0755 "$work" # the server runs as postgres when the test runs as root
trap 'rm -rf "$work"' EXIT
unset DATABASE_URL
fail() { echo "FAIL: $*" >&2; exit 1; }

# "(13 migrations, 1 pack)"
n=$("$demo" --schema-version | sed -n 's/.*(\([0-9]*\) migrations[,)].*/\1/p')
[ "$n" -gt 0 ] || fail "cannot read the migration count"

"$demo" --embedded="$work/db" up >"$work/first" 2>&1 || { cat "$work/first"; fail "first up failed"; }
applied=$(grep -cE '^applied [0-9]+_.+\.sql \([0-9.]+ ms\)$' "$work/first" || true)
[ "$applied" = "$n" ] || { cat "$work/first"; fail "expected $n applied lines, saw $applied"; }
grep -qx "applied $n migrations; database is up to date" "$work/first" || { cat "$work/first"; fail "no summary line"; }

"$demo" --embedded="$work/db" up >"$work/second" 2>&1 || { cat "$work/second"; fail "second up failed"; }
grep -qx "database is up to date ($n migrations; 1 round trip)" "$work/second" || { cat "$work/second"; fail "second up was not a no-op"; }
[ ! -f "$work/db/data/postmaster.pid" ] || fail "the server was left running"

"$demo" --embedded="$work/db" status >"$work/status" 2>&1 || fail "status failed"
[ "$(grep -c ' applied ' "$work/status")" = "$n" ] || { cat "$work/status"; fail "status does not list every migration as applied"; }
echo "demo_embedded: $n migrations applied, then up to date"

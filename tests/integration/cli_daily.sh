#!/usr/bin/env bash
# cli_daily.sh: the service command line's daily loop (docs/cli.md):
# --version, help COMMAND and COMMAND --help, the short usage on a mistake,
# --format=json on status, plan, check and up (validated against the
# documented keys), libpq's own variables alone, and --connect-wait against
# a server that starts two seconds later.
#   cli_daily.sh DEMO
set -euo pipefail
demo=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
unset DATABASE_URL
pgtest_tmpdir
tmp=$PGTEST_TMP
failures=0
fail() { echo "FAIL [$last]: $*" >&2; failures=$((failures + 1)); }

run() {
  last=$1
  shift
  status=0
  "$@" >"$tmp/$last.out" 2>"$tmp/$last.err" || status=$?
}
expect_status() {
  [ "$status" = "$1" ] || {
    fail "exit code $status, expected $1"
    sed 's/^/  stdout: /' "$tmp/$last.out" >&2
    sed 's/^/  stderr: /' "$tmp/$last.err" >&2
  }
}
expect_empty() { [ ! -s "$tmp/$last.$1" ] || fail "std$1 is not empty: $(cat "$tmp/$last.$1")"; }

# ---- --version, help --------------------------------------------------------
run version "$demo" --version
expect_status 0
expect_empty err
grep -Eqx 'migc-demo: migc [0-9]+\.[0-9]+\.[0-9]+ \(data format [0-9]+\); schema platform_schema [0-9a-f]{64} \([0-9]+ migrations, 1 pack\)' \
  "$tmp/version.out" || fail "version line: $(cat "$tmp/version.out")"

for cmd in up status check plan resolve create-db drop-db; do
  run "help_$cmd" "$demo" help "$cmd"
  expect_status 0
  expect_empty err
  head -n 1 "$tmp/help_$cmd.out" | grep -q "^usage: migc-demo \[OPTIONS\] $cmd" ||
    fail "first line: $(head -n 1 "$tmp/help_$cmd.out")"
  # COMMAND --help says the same, and needs no database.
  run "dashhelp_$cmd" env -u PGHOST -u PGDATABASE "$demo" "$cmd" --help
  expect_status 0
  cmp -s "$tmp/help_$cmd.out" "$tmp/dashhelp_$cmd.out" || fail "$cmd --help differs from help $cmd"
done
grep -q -- '--single-transaction' "$tmp/help_up.out" || fail "help up lacks its options"
grep -q -- '--synchronous-commit' "$tmp/help_up.out" || fail "help up lacks --synchronous-commit"

run help_unknown "$demo" help frobnicate
expect_status 2
expect_empty out
printf '%s\n' "migc-demo: error: unknown command 'frobnicate'" \
  "usage: migc-demo [OPTIONS] COMMAND" \
  "run \`migc-demo --help\` for the commands and options" >"$tmp/expected"
cmp -s "$tmp/expected" "$tmp/help_unknown.err" || fail "stderr: $(cat "$tmp/help_unknown.err")"

run bad_format "$demo" --format yaml status
expect_status 2
[ "$(head -n 1 "$tmp/bad_format.err")" = "migc-demo: error: --format is text or json, not 'yaml'" ] ||
  fail "stderr: $(cat "$tmp/bad_format.err")"
[ "$(wc -l <"$tmp/bad_format.err")" = 3 ] || fail "the usage on a mistake is not short"

# ---- --format=json ----------------------------------------------------------
pgtest_createdb json
db=$PGTEST_DB
# validate FILE KIND: one JSON document whose keys are those docs/cli.md lists.
validate() {
  python3 - "$1" "$2" <<'PY' || fail "$2: $(cat "$1")"
import json, sys
doc = json.load(open(sys.argv[1]))
kind = sys.argv[2]
top = {"command", "schema", "error"}
keys = {
    "status": top | {"migrations", "packs", "pending", "round_trips"},
    "check": top | {"state", "pending", "ahead", "round_trips"},
    "plan": top | {"steps", "up_to_date"},
    "up": top | {"up_to_date", "applied", "packs_synced", "round_trips"},
}[kind]
assert set(doc) == keys, sorted(set(doc) ^ keys)
assert doc["command"] == kind
assert set(doc["schema"]) == {"name", "fingerprint", "migrations", "packs"}
for m in doc.get("migrations", []):
    assert set(m) == {"version", "name", "state", "applied_at", "duration_us",
                      "completed", "failed_statement", "error", "embedded"}, m
for p in doc.get("packs", []):
    assert set(p) == {"name", "state", "synced_at", "rows", "path"}, p
for s in doc.get("steps", []):
    want = {"apply": {"action", "version", "name", "statements",
                      "transaction", "resume_at"},
            "sync_pack": {"action", "name", "rows", "state"}}[s["action"]]
    assert set(s) == want, s
for a in doc.get("applied", []):
    assert set(a) == {"version", "name", "duration_us"}, a
PY
}
n=$("$demo" --schema-version | sed -n 's/.*(\([0-9]*\) migrations.*/\1/p')

run json_status_fresh "$demo" --database "$db" status --format=json
expect_status 0
expect_empty err
validate "$tmp/json_status_fresh.out" status
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['pending']==$n+1 and all(m['state']=='pending' for m in d['migrations'])" \
  "$tmp/json_status_fresh.out" || fail "fresh status: $(cat "$tmp/json_status_fresh.out")"

run json_check_fresh "$demo" --database "$db" --format=json check
expect_status 3
validate "$tmp/json_check_fresh.out" check
grep -q '"state": "pending"' "$tmp/json_check_fresh.out" || fail "$(cat "$tmp/json_check_fresh.out")"

run json_plan "$demo" --database "$db" plan --format json
expect_status 0
validate "$tmp/json_plan.out" plan
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); s=d['steps']; assert len(s)==$n+1 and s[0]['transaction']=='own' and s[-1]['action']=='sync_pack'" \
  "$tmp/json_plan.out" || fail "plan: $(cat "$tmp/json_plan.out")"

run json_up "$demo" --database "$db" up --format=json
expect_status 0
validate "$tmp/json_up.out" up
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['up_to_date'] and len(d['applied'])==$n and d['packs_synced']==1" \
  "$tmp/json_up.out" || fail "up: $(cat "$tmp/json_up.out")"
# Progress goes to stderr, so that stdout is the document alone.
[ "$(grep -c '^applied ' "$tmp/json_up.err")" = "$n" ] || fail "progress lines: $(cat "$tmp/json_up.err")"

# --synchronous-commit (no group commit): the same run, the same round trips.
pgtest_createdb sync_commit
run sync_up "$demo" --database "$PGTEST_DB" up --synchronous-commit --format=json
expect_status 0
python3 -c "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert len(b['applied'])==$n and a['round_trips']==b['round_trips']" \
  "$tmp/json_up.out" "$tmp/sync_up.out" || fail "up --synchronous-commit: $(cat "$tmp/sync_up.out")"

run json_check "$demo" --database "$db" check --format=json
expect_status 0
validate "$tmp/json_check.out" check
grep -q '"state": "up_to_date", "pending": 0, "ahead": 0, "round_trips": 1' "$tmp/json_check.out" ||
  fail "$(cat "$tmp/json_check.out")"

# A refusal still writes the document, with the error, and says it on stderr.
pgtest_psql "$db" -c "UPDATE migc_migrations SET checksum = 'x' WHERE version = (SELECT min(version) FROM migc_migrations)"
run json_drift "$demo" --database "$db" check --format=json
expect_status 4
validate "$tmp/json_drift.out" check
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['state']=='error' and d['error']['code']=='ERR_CHECKSUM' and 'was applied with checksum' in d['error']['message']" \
  "$tmp/json_drift.out" || fail "drift: $(cat "$tmp/json_drift.out")"
grep -q '^migc-demo: error: migration ' "$tmp/json_drift.err" || fail "stderr: $(cat "$tmp/json_drift.err")"

# ---- a malformed connection string is not echoed (it may hold a password) --
run malformed "$demo" --database 'postgresql://app:s3cr%et@localhost/db' check
expect_status 1
expect_empty out
[ "$(cat "$tmp/malformed.err")" = "migc-demo: error: cannot connect to the database: the connection string is malformed (not shown: it may hold a password); check its escaping, e.g. %25 for a % in a URL" ] ||
  fail "stderr: $(cat "$tmp/malformed.err")"
run malformed_env env DATABASE_URL='host=/x password=hunter2 bogus=1' "$demo" check
expect_status 1
grep -q 'hunter2' "$tmp/malformed_env.err" && fail "the password was printed: $(cat "$tmp/malformed_env.err")"
grep -q 'the connection string is malformed' "$tmp/malformed_env.err" || fail "stderr: $(cat "$tmp/malformed_env.err")"

# ---- libpq's own variables alone --------------------------------------------
pgtest_createdb libpq
run libpq_env env -u DATABASE_URL PGDATABASE="$PGTEST_DB_NAME" "$demo" check
expect_status 3
[ "$(cat "$tmp/libpq_env.out")" = "$((n + 1)) pending" ] || fail "stdout: $(cat "$tmp/libpq_env.out")"

# ---- --connect-wait ---------------------------------------------------------
bindir=${MIGC_PG_BINDIR:-$(pg_config --bindir)}
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
late=$(mktemp -d /tmp/migc-late.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$late"
as_server "$bindir/initdb" -D "$late/data" -A trust -U postgres -E UTF8 --locale=C >"$late/initdb.log" 2>&1 ||
  { cat "$late/initdb.log"; exit 1; }
stop_late() {
  as_server "$bindir/pg_ctl" -D "$late/data" -w -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$late"
}
trap 'stop_late; pgtest_cleanup' EXIT
url="host=$late port=5432 user=postgres dbname=postgres"

run no_wait "$demo" --database "$url" check
expect_status 1
grep -q '^migc-demo: error: cannot connect to the database: ' "$tmp/no_wait.err" || fail "$(cat "$tmp/no_wait.err")"

run wait_short "$demo" --database "$url" --connect-wait 1 check
expect_status 1
[ "$(sed -n 1p "$tmp/wait_short.err" | cut -d: -f1-2)" = "migc-demo: waiting up to 1.0 s for the database to accept connections" ] ||
  fail "$(cat "$tmp/wait_short.err")"
[ "$(grep -c 'waiting' "$tmp/wait_short.err")" = 1 ] || fail "more than one waiting line"
sed -n 2p "$tmp/wait_short.err" | grep -q '^migc-demo: error: cannot connect to the database: ' ||
  fail "$(cat "$tmp/wait_short.err")"

( sleep 2; as_server "$bindir/pg_ctl" -D "$late/data" -l "$late/log" -w -s \
    -o "-k $late -c listen_addresses=''" start >/dev/null ) &
starter=$!
run wait_late "$demo" --database "$url" --connect-wait 30 up
wait "$starter"
expect_status 0
grep -q '^migc-demo: waiting up to 30.0 s for the database to accept connections: cannot connect' "$tmp/wait_late.err" ||
  fail "stderr: $(cat "$tmp/wait_late.err")"
[ "$(tail -n 1 "$tmp/wait_late.out")" = "applied $n migrations; database is up to date" ] ||
  fail "stdout: $(tail -n 3 "$tmp/wait_late.out")"

[ "$failures" = 0 ] || { echo "cli_daily.sh: $failures failure(s)" >&2; exit 1; }
echo "cli_daily: version, help, JSON, libpq variables and --connect-wait"

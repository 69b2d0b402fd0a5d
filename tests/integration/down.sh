#!/usr/bin/env bash
# down.sh: down --steps N and --to VERSION, redo and up --to on a chain with
# down scripts (schemas/down: 0002 runs outside a transaction both ways,
# 0004 has no down script): each migration's lines, the ledger after each
# command, pg_dump equal before up and after down, and every refusal (exit
# 2, the message naming the migration, nothing changed). schemas/down_notx:
# a down script outside a transaction stopped part-way and resumed, on a
# ledger an older runtime wrote, and one another process reverts meanwhile.
#   down.sh PLAIN_SERVICE_DOWN PLAIN_SERVICE_DOWN_BASELINE
#           PLAIN_SERVICE_DOWN_NOTX
set -euo pipefail
shopt -s lastpipe # `... | expect err` counts failures in this shell
svc=$1 base=$2 notx=$3
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
# expect out|err: the stream, milliseconds masked, equals stdin.
expect() {
  sed -E 's/\([0-9]+\.[0-9] ms\)/(N ms)/' "$tmp/$last.$1" >"$tmp/got"
  cat >"$tmp/want"
  diff -u "$tmp/want" "$tmp/got" >"$tmp/diff" || { fail "std$1 differs:"; cat "$tmp/diff" >&2; }
}
ledger() { pgtest_psql "$db" -At -c "SELECT string_agg(version::text, ' ' ORDER BY version) FROM migc_migrations"; }
dump() { pg_dump --schema-only --no-owner --exclude-table='migc_migrations*' "$db" | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' | sed '/^$/d'; }

pgtest_createdb down
db=$PGTEST_DB
dump >"$tmp/dump0"

# ---- up --to ---------------------------------------------------------------
run up_to "$svc" --database "$db" up --to 3
expect_status 0
expect out <<'OUT'
applying 0001_accounts.up.sql (1/3)
applied 0001_accounts.up.sql (N ms)
applying 0002_accounts_email_idx.up.sql (2/3)
applied 0002_accounts_email_idx.up.sql (N ms)
applying 0003_orders.up.sql (3/3)
applied 0003_orders.up.sql (N ms)
applied 3 migrations, up to version 3 (--to); any later ones wait
OUT
[ "$(ledger)" = "1 2 3" ] || fail "ledger: $(ledger)"
dump >"$tmp/dump3"
cmp -s "$tmp/dump0" "$tmp/dump3" && fail "the dumps do not see the migrations"

# ---- down --steps 1, redo ----------------------------------------------------
run down_one "$svc" --database "$db" down --steps 1
expect_status 0
expect out <<'OUT'
reverting 0003_orders.up.sql (1/1)
reverted 0003_orders.up.sql (N ms)
reverted 1 migration
OUT
[ "$(ledger)" = "1 2" ] || fail "ledger: $(ledger)"
[ "$(pgtest_psql "$db" -At -c "SELECT to_regtype('order_state') IS NULL AND to_regclass('orders') IS NULL")" = t ] ||
  fail "the down script of 0003 did not run"

# redo: 0002 (outside a transaction) down and up again.
run redo "$svc" --database "$db" redo
expect_status 0
expect out <<'OUT'
reverting 0002_accounts_email_idx.up.sql (1/1)
reverted 0002_accounts_email_idx.up.sql (N ms)
applying 0002_accounts_email_idx.up.sql (1/1)
applied 0002_accounts_email_idx.up.sql (N ms)
redone 2
OUT
[ "$(ledger)" = "1 2" ] || fail "ledger: $(ledger)"

run up_to_again "$svc" --database "$db" up --to 3
expect_status 0
grep -qx "applied 1 migration, up to version 3 (--to); any later ones wait" "$tmp/up_to_again.out" ||
  fail "up --to again: $(cat "$tmp/up_to_again.out")"
run up_to_none "$svc" --database "$db" up --to 3
expect_status 0
expect out <<'OUT'
nothing to apply up to version 3 (--to; 1 round trip)
OUT
dump | cmp -s - "$tmp/dump3" || fail "the schema at 3 after down and up differs"

# ---- down --to 0: every migration, the schema as before up --------------------
run down_all "$svc" --database "$db" down --to 0
expect_status 0
expect out <<'OUT'
reverting 0003_orders.up.sql (1/3)
reverted 0003_orders.up.sql (N ms)
reverting 0002_accounts_email_idx.up.sql (2/3)
reverted 0002_accounts_email_idx.up.sql (N ms)
reverting 0001_accounts.up.sql (3/3)
reverted 0001_accounts.up.sql (N ms)
reverted 3 migrations
OUT
[ -z "$(ledger)" ] || fail "ledger: $(ledger)"
dump | diff -u "$tmp/dump0" - >"$tmp/diff" || { fail "pg_dump after down differs from before up:"; cat "$tmp/diff" >&2; }
run down_nothing "$svc" --database "$db" down --steps 2
expect_status 0
echo "nothing to revert" | expect out

# ---- refusals: exit 2, nothing changed ---------------------------------------
run up_all "$svc" --database "$db" up
expect_status 0
dump >"$tmp/dump4"
run no_down "$svc" --database "$db" down --steps 2
expect_status 2
expect out </dev/null
echo "plain_service_down: error: migration 4 (0004_accounts_note.up.sql) has no down script: down cannot go past it" | expect err
[ "$(ledger)" = "1 2 3 4" ] || fail "ledger: $(ledger)"
dump | cmp -s - "$tmp/dump4" || fail "a refused down changed the schema"

# The database ahead of the binary: a version it does not embed.
pgtest_psql "$db" -c "INSERT INTO migc_migrations (version, name, checksum, applied_at, duration_us, success, completed) VALUES (9, '0009_later.up.sql', 'x', now(), 0, true, 1)"
run ahead "$svc" --database "$db" down --to 3
expect_status 2
expect out </dev/null
grep -qx "plain_service_down: error: migration 9 (0009_later.up.sql) is not embedded in this binary (the database is ahead of it): this binary has no down script for it" "$tmp/ahead.err" ||
  fail "stderr: $(cat "$tmp/ahead.err")"
[ "$(ledger)" = "1 2 3 4 9" ] || fail "ledger: $(ledger)"

# A baseline cannot be undone, though it has a down script.
pgtest_createdb baseline
db=$PGTEST_DB
run base_up "$base" --database "$db" up
expect_status 0
run base_down "$base" --database "$db" down --to 0
expect_status 2
echo "plain_service_down_baseline: error: migration 4 (0004_baseline.up.sql) is a baseline (it squashes 1..3): a squash cannot be undone" | expect err
[ "$(ledger)" = "4 5" ] || fail "ledger: $(ledger)"
run base_down_one "$base" --database "$db" down --steps 1
expect_status 0
[ "$(ledger)" = "4" ] || fail "ledger: $(ledger)"

# ---- a down script outside a transaction stops part-way, then resumes -------
pgtest_createdb notx
db=$PGTEST_DB
run notx_up "$notx" --database "$db" up
expect_status 0
run notx_fail "$notx" --database "$db" down --steps 1
expect_status 1
echo "reverting 0002_events_idx.up.sql (1/1)" | expect out
grep -qx 'plain_service_down_notx: error: tests/integration/schemas/down_notx/0002_events_idx.down.sql:5:1: 42704 index "events_missing_idx" does not exist' \
  "$tmp/notx_fail.err" || fail "stderr: $(cat "$tmp/notx_fail.err")"
[ "$(ledger)" = "1 2" ] || fail "ledger: $(ledger)"
run notx_status "$notx" --database "$db" status
expect_status 0
grep -Eq '^2 +reverting ' "$tmp/notx_status.out" || fail "status: $(cat "$tmp/notx_status.out")"
grep -qF 'down stopped after 1 of 3 statements: ' "$tmp/notx_status.out" ||
  fail "status detail: $(cat "$tmp/notx_status.out")"
# up and check refuse until down finishes it.
for cmd in up check; do
  run "notx_$cmd" "$notx" --database "$db" "$cmd"
  expect_status 4
  echo "plain_service_down_notx: error: migration 2 (0002_events_idx.up.sql) was being reverted and its down script stopped after 1 of 3 statements: run down again to finish it" | expect err
done
# The operator makes the second statement possible; down resumes there (the
# first, run again, would fail: it has no IF EXISTS).
pgtest_psql "$db" -c "CREATE INDEX events_missing_idx ON events (kind)"
run notx_resume "$notx" --database "$db" down --steps 1
expect_status 0
[ "$(ledger)" = "1" ] || fail "ledger: $(ledger)"
[ "$(pgtest_psql "$db" -At -c "SELECT count(*) FROM pg_indexes WHERE tablename = 'events' AND indexname <> 'events_pkey'")" = 0 ] ||
  fail "indexes left: $(pgtest_psql "$db" -At -c "SELECT indexname FROM pg_indexes WHERE tablename = 'events'")"

# ---- a ledger an older runtime wrote: down adds the column it needs -----------
pgtest_createdb notx_old
db=$PGTEST_DB
run old_up "$notx" --database "$db" up
expect_status 0
pgtest_psql "$db" -c "ALTER TABLE migc_migrations DROP COLUMN down_completed" \
  -c "CREATE INDEX events_missing_idx ON events (kind)"
run old_down "$notx" --database "$db" down --steps 1
expect_status 0
[ "$(ledger)" = 1 ] || fail "ledger: $(ledger)"
[ "$(pgtest_psql "$db" -At -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 'migc_migrations'::regclass AND attname = 'down_completed'")" = 1 ] ||
  fail "down_completed was not added back"

# ---- another process reverts it between this one's read and its claim -------
# This run reads row 2 as applied under the migration lock, then waits to
# mark it reverting (another session holds the row) while that session
# removes it, as a down that finished would: the run stops there, and no
# statement of its down script runs.
# The migration lock's key: FNV-1a (64 bits, migc's offset) of the quoted
# ledger name, as runtime/fnv1a.h computes it.
lock_key() {
  local s=$1 h=1469598103934665603 i c
  for ((i = 0; i < ${#s}; i++)); do
    printf -v c '%d' "'${s:i:1}"
    h=$(((h ^ c) * 1099511628211))
  done
  echo "$h"
}
key=$(lock_key '"public"."migc_migrations"')
pgtest_createdb notx_race
db=$PGTEST_DB
run race_up "$notx" --database "$db" up
expect_status 0
coproc holder { pgtest_psql "$db" -At 2>&1; }
say_holder() { # SQL EXPECTED: the holder's session runs SQL, answers EXPECTED
  local line=
  echo "$1" >&"${holder[1]}"
  read -r -t 30 line <&"${holder[0]}" || true
  [ "$line" = "$2" ] || fail "the holder's session answered '$line' to $1"
}
say_holder "SELECT 'locked' FROM (SELECT pg_advisory_lock($key)) AS l;" locked
last=race_down
status=0
"$notx" --database "$db" down --steps 1 >"$tmp/race_down.out" 2>"$tmp/race_down.err" &
down_pid=$!
for _ in $(seq 1 400); do
  grep -q 'waiting for the migration lock' "$tmp/race_down.err" && break
  sleep 0.025
done
grep -q 'waiting for the migration lock' "$tmp/race_down.err" || fail "down never waited for the lock"
say_holder "BEGIN; SELECT 'held' FROM migc_migrations WHERE version = 2 FOR UPDATE;" held
say_holder "SELECT pg_advisory_unlock($key);" t
waiting=0
for _ in $(seq 1 400); do
  pgtest_psql "$db" -At -c "SELECT state, wait_event_type, wait_event, left(query, 60) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()" >>"$tmp/acts"
  [ "$(pgtest_psql "$db" -At -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE %down_completed%'")" = 1 ] &&
    { waiting=1; break; }
  sleep 0.025
done
[ $waiting = 1 ] || fail "down never waited for the row: $(sort | uniq -c <"$tmp/acts")"
say_holder "DELETE FROM migc_migrations WHERE version = 2; COMMIT; SELECT 'done';" done
exec {holder[1]}>&-
wait "$down_pid" || status=$?
expect_status 4
[ "$(tail -n 1 "$tmp/race_down.err")" = "plain_service_down_notx: error: migration 2 (0002_events_idx.up.sql) is no longer recorded as applied: another process reverted it" ] ||
  fail "stderr: $(cat "$tmp/race_down.err")"
[ "$(grep -vc 'waiting for the migration lock' "$tmp/race_down.err")" = 1 ] ||
  fail "stderr: $(cat "$tmp/race_down.err")"
[ "$(pgtest_psql "$db" -At -c "SELECT count(*) FROM pg_indexes WHERE indexname = 'events_kind_idx'")" = 1 ] ||
  fail "the down script ran"
[ "$(ledger)" = 1 ] || fail "ledger: $(ledger)"

# ---- usage --------------------------------------------------------------------
run down_usage "$svc" --database "$db" down
expect_status 2
[ "$(head -n 1 "$tmp/down_usage.err")" = "plain_service_down: error: down needs --steps N or --to VERSION (one of them)" ] ||
  fail "stderr: $(cat "$tmp/down_usage.err")"
run down_both "$svc" --database "$db" down --steps 1 --to 2
expect_status 2
run steps_bad "$svc" --database "$db" down --steps 0
expect_status 2
[ "$(head -n 1 "$tmp/steps_bad.err")" = "plain_service_down: error: --steps takes a count above 0, not '0'" ] ||
  fail "stderr: $(cat "$tmp/steps_bad.err")"

[ "$failures" = 0 ] || { echo "down.sh: $failures failure(s)" >&2; exit 1; }
echo "down: up --to, down --steps, redo, down --to 0 (pg_dump equal), refusals"

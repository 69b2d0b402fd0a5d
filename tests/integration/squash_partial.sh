#!/usr/bin/env bash
# squash_partial.sh: a baseline over migrations a database applied only in
# part (issue 16's defect). The chain 001_a, 002_b, 003_c is released and
# locked (schemas/squash_abc); a database applies 001 alone; the team
# replaces the three by 004_baseline.sql (`-- migc:squashes 1..3`) and runs
# `migc lock --squash` (schemas/squash_abc_base). The new binary must refuse
# that database before anything runs (up, check, plan: exit 4, the message
# naming 2 and 3; status: the baseline "partial"), leave the ledger and the
# schema as they were, and cross the baseline once the old binary finished
# the range. A database that applied the whole range is up to date in one
# round trip; a fresh one runs the baseline. squash_abc_base_v1 is the same
# baseline under a lock file of the previous format (the squash comment
# alone, no records): the versions are unknown, and a database that does
# not hold the range's last version is refused naming what it holds.
#   squash_partial.sh MIGC SCHEMAS OLD NEW NEW_V1
set -euo pipefail
shopt -s lastpipe # `... | expect err` counts failures in this shell
migc=$1 schemas=$2 old=$3 new=$4 v1=$5
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
unset DATABASE_URL
pgtest_tmpdir
tmp=$PGTEST_TMP
# shellcheck source-path=SCRIPTDIR source=../support/runexpect.bash
. "$here/../support/runexpect.bash"
ledger() {
  pgtest_psql "$1" -At -c "SELECT string_agg(version || ':' || success || ':' || checksum, ' ' ORDER BY version) FROM migc_migrations"
}
tables() {
  pgtest_psql "$1" -At -c "SELECT coalesce(string_agg(relname, ' ' ORDER BY relname), '') FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND relname <> 'migc_migrations' AND relname NOT LIKE 'migc_migrations%'"
}

# ---- the fixture's lock is what `migc lock --squash` writes ----------------
mkdir "$tmp/chain"
cp "$schemas/squash_abc/"* "$tmp/chain/"
rm "$tmp/chain/"00[123]_*.sql
cp "$schemas/squash_abc_base/004_baseline.sql" "$tmp/chain/"
run lock_squash "$migc" lock "$tmp/chain" --squash --no-verify
expect_status 0
cmp -s "$tmp/chain/migc.lock" "$schemas/squash_abc_base/migc.lock" ||
  fail "lock --squash does not write schemas/squash_abc_base/migc.lock"

# ---- the defect: D applied 001 alone ---------------------------------------
pgtest_createdb partial
d=$PGTEST_DB
run old_up_to_1 "$old" --database "$d" up --to 1
expect_status 0
before=$(ledger "$d")

refusal='the database applied only part of the migrations baseline 4 (004_baseline.sql) replaces: it lacks 2 (002_b.sql), 3 (003_c.sql); bring it through them with the last release that still carries them (or apply them by hand and record them in the ledger), then run this one again'
for cmd in up check plan; do
  run "partial_$cmd" "$new" --database "$d" "$cmd"
  expect_status 4
  expect out </dev/null
  echo "plain_service_squash_abc_base: error: $refusal" | expect err
done
[ "$(ledger "$d")" = "$before" ] || fail "the refusal changed the ledger: $(ledger "$d")"
[ "$(tables "$d")" = "a" ] || fail "tables after the refusal: $(tables "$d")"

run partial_status "$new" --database "$d" status
expect_status 0
expect out <<'OUT'
VERSION               STATE        APPLIED AT                DURATION  NAME
1                     squashed     TIME N ms  001_a.sql
4                     partial                                          004_baseline.sql
                      a baseline this database cannot cross: it lacks 2 (002_b.sql), 3 (003_c.sql)
1 migration, 0 pending
OUT
run partial_status_json "$new" --database "$d" status --format=json
expect_status 0
grep -qF '"version": 4, "name": "004_baseline.sql", "state": "partial"' "$tmp/partial_status_json.out" ||
  fail "status --format=json: $(cat "$tmp/partial_status_json.out")"
grep -qF '"error": "it lacks 2 (002_b.sql), 3 (003_c.sql)"' "$tmp/partial_status_json.out" ||
  fail "status --format=json names no lacking version"

# The way out: the old binary finishes the range, then the new one crosses.
run old_finishes "$old" --database "$d" up
expect_status 0
run partial_then_new "$new" --database "$d" up
expect_status 0
expect out <<'OUT'
database is up to date (1 migration; 1 round trip)
OUT
[ "$(tables "$d")" = "a b c" ] || fail "tables: $(tables "$d")"

# ---- the whole range: up to date, one round trip, nothing recorded ---------
pgtest_createdb whole
w=$PGTEST_DB
run old_up "$old" --database "$w" up
expect_status 0
before=$(ledger "$w")
run whole_up "$new" --database "$w" up
expect_status 0
expect out <<'OUT'
database is up to date (1 migration; 1 round trip)
OUT
run whole_check "$new" --database "$w" check
expect_status 0
[ "$(ledger "$w")" = "$before" ] || fail "the ledger changed: $(ledger "$w")"
run whole_status "$new" --database "$w" status
expect_status 0
expect out <<'OUT'
VERSION               STATE        APPLIED AT                DURATION  NAME
1                     squashed     TIME N ms  001_a.sql
2                     squashed     TIME N ms  002_b.sql
3                     squashed     TIME N ms  003_c.sql
4                     applied                                          004_baseline.sql
                      crossed: applied through its originals
1 migration, 0 pending
OUT

# ---- a fresh database runs the baseline ------------------------------------
pgtest_createdb fresh
f=$PGTEST_DB
run fresh_up "$new" --database "$f" up
expect_status 0
expect out <<'OUT'
applying 004_baseline.sql (1/1)
applied 004_baseline.sql (N ms)
applied 1 migration; database is up to date
OUT
[ "$(tables "$f")" = "a b c" ] || fail "tables: $(tables "$f")"

# ---- a lock file of the previous format: the versions are unknown ----------
pgtest_createdb partial_v1
p=$PGTEST_DB
run v1_old_up_to_1 "$old" --database "$p" up --to 1
expect_status 0
before=$(ledger "$p")
for cmd in up check; do
  run "v1_partial_$cmd" "$v1" --database "$p" "$cmd"
  expect_status 4
  expect out </dev/null
  expect err <<'ERR'
plain_service_squash_abc_base_v1: error: the database applied only part of the migrations baseline 4 (004_baseline.sql) replaces: it holds 1 (001_a.sql) of 1..3 but not 3, the last of the range; which versions the range held is unknown (the squash was locked without them); bring it through them with the last release that still carries them (or apply them by hand and record them in the ledger), then run this one again
ERR
done
[ "$(ledger "$p")" = "$before" ] || fail "the refusal changed the ledger"
run v1_whole "$v1" --database "$w" up
expect_status 0
expect out <<'OUT'
database is up to date (1 migration; 1 round trip)
OUT
pgtest_createdb fresh_v1
run v1_fresh "$v1" --database "$PGTEST_DB" up
expect_status 0
[ "$(tables "$PGTEST_DB")" = "a b c" ] || fail "tables: $(tables "$PGTEST_DB")"

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "squash_partial: all passed"

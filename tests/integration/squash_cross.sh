#!/usr/bin/env bash
# squash_cross.sh: crossing a baseline through its archived originals
# (issue 16, items 5 and 6). The chain 001_a, 002_b, 003_c is released
# (schemas/squash_abc, the old binary); baseline 004 squashes 1..3 with the
# originals in squashed/4/ (schemas/squash_abc_arch, the new binary); the
# same baseline after `migc squash --retire 4` (schemas/squash_abc_retired).
# A fresh database runs the baseline; one holding the whole range runs
# nothing (one round trip); one part-way applies the originals it lacks,
# each recorded as itself, then is up to date; the retired binary refuses a
# part-way database (exit 4) naming the release that can carry it, and
# changes nothing. status and plan say which case applies.
#   squash_cross.sh MIGC SCHEMAS OLD NEW RETIRED
set -euo pipefail
shopt -s lastpipe # `... | expect err` counts failures in this shell
migc=$1 schemas=$2 old=$3 new=$4 retired=$5
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

# ---- a fresh database runs the baseline ------------------------------------
pgtest_createdb fresh
f=$PGTEST_DB
run fresh_status "$new" --database "$f" status
expect_status 0
expect out <<'OUT'
VERSION               STATE        APPLIED AT                DURATION  NAME
4                     pending                                          004_baseline.sql
                      fresh: runs the baseline in place of 1..3
1 migration, 1 pending
OUT
run fresh_plan "$new" --database "$f" plan
expect_status 0
expect out <<'OUT'
apply 4 004_baseline.sql: 3 statements, in its own transaction; fresh: runs the baseline in place of 1..3
OUT
run fresh_up "$new" --database "$f" up
expect_status 0
expect out <<'OUT'
applying 004_baseline.sql (1/1)
applied 004_baseline.sql (N ms)
applied 1 migration; database is up to date
OUT
[ "$(tables "$f")" = "a b c" ] || fail "tables: $(tables "$f")"
[ "$(ledger "$f" | cut -d: -f1,2)" = "4:true" ] || fail "ledger: $(ledger "$f")"

# ---- the whole range: nothing runs, one round trip -------------------------
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
run whole_plan "$new" --database "$w" plan
expect_status 0
expect out <<'OUT'
nothing to do: the database is up to date
OUT

# A replaced row whose checksum is not the released original's: the
# database applied an edited 002_b.sql; the baseline is not counted over it.
pgtest_createdb edited
e=$PGTEST_DB
run edited_old "$old" --database "$e" up
expect_status 0
pgtest_psql "$PGTEST_DB_NAME" -c "UPDATE migc_migrations SET checksum = repeat('e', 64), canonical = repeat('f', 64) WHERE version = 2"
before=$(ledger "$e")
run edited_up "$new" --database "$e" up
expect_status 4
grep -q "migration 2 (002_b.sql) was applied with checksum eeeeeeeeeeee, but this binary embeds [0-9a-f]\{12\}: a released migration was edited" \
  "$tmp/edited_up.err" || fail "edited original: $(cat "$tmp/edited_up.err")"
[ "$(ledger "$e")" = "$before" ] || fail "the ledger changed"

# ---- part-way: issue 16's defect, finished from the archived originals -----
pgtest_createdb partway
p=$PGTEST_DB
run old_up_to_1 "$old" --database "$p" up --to 1
expect_status 0
run partway_status "$new" --database "$p" status
expect_status 0
expect out <<'OUT'
VERSION               STATE        APPLIED AT                DURATION  NAME
1                     squashed     TIME N ms  001_a.sql
2                     pending                                          002_b.sql
3                     pending                                          003_c.sql
4                     part-way                                         004_baseline.sql
                      part-way: 1 of 3 applied; will finish 2 (002_b.sql), 3 (003_c.sql) from the archived originals
1 migration, 2 pending
OUT
run partway_plan "$new" --database "$p" plan
expect_status 0
expect out <<'OUT'
apply 2 002_b.sql: 1 statement, in its own transaction
apply 3 003_c.sql: 1 statement, in its own transaction
cross baseline 4 004_baseline.sql: part-way: 1 of 3 applied; will finish 2 (002_b.sql), 3 (003_c.sql) from the archived originals, then it counts as applied
OUT
run partway_plan_json "$new" --database "$p" plan --format=json
expect_status 0
grep -qF '{"action": "cross", "version": 4, "name": "004_baseline.sql", "detail": "part-way: 1 of 3 applied; will finish 2 (002_b.sql), 3 (003_c.sql) from the archived originals"}' "$tmp/partway_plan_json.out" ||
  fail "plan --format=json: $(cat "$tmp/partway_plan_json.out")"
run partway_check "$new" --database "$p" check
expect_status 3
expect out <<'OUT'
2 pending
OUT
run partway_up "$new" --database "$p" up
expect_status 0
expect out <<'OUT'
applying 002_b.sql (1/2)
applied 002_b.sql (N ms)
applying 003_c.sql (2/2)
applied 003_c.sql (N ms)
applied 2 migrations; database is up to date
OUT
[ "$(tables "$p")" = "a b c" ] || fail "tables: $(tables "$p")"
# each original recorded as itself: the checksums the old binary records
[ "$(ledger "$p")" = "$(ledger "$w")" ] ||
  fail "ledger $(ledger "$p"), expected that of the old binary: $(ledger "$w")"
run partway_again "$new" --database "$p" up
expect_status 0
expect out <<'OUT'
database is up to date (1 migration; 1 round trip)
OUT
run partway_status_after "$new" --database "$p" status
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

# ---- part-way, the originals retired: refused, naming the release ---------
pgtest_createdb retired
r=$PGTEST_DB
run old_up_to_1_r "$old" --database "$r" up --to 1
expect_status 0
before=$(ledger "$r")
refusal="the database applied only part of the migrations baseline 4 (004_baseline.sql) replaces: it lacks 2 (002_b.sql), 3 (003_c.sql); bring it through them with a build made before baseline 4's originals were retired (its chain ended at version 4), or apply them by hand and record them in the ledger, then run this one again"
for cmd in up check plan; do
  run "retired_$cmd" "$retired" --database "$r" "$cmd"
  expect_status 4
  expect out </dev/null
  echo "plain_service_squash_abc_retired: error: $refusal" | expect err
done
[ "$(ledger "$r")" = "$before" ] || fail "the refusal changed the ledger: $(ledger "$r")"
[ "$(tables "$r")" = "a" ] || fail "tables after the refusal: $(tables "$r")"
run retired_status "$retired" --database "$r" status
expect_status 0
expect out <<'OUT'
VERSION               STATE        APPLIED AT                DURATION  NAME
1                     squashed     TIME N ms  001_a.sql
4                     partial                                          004_baseline.sql
                      a baseline this database cannot cross: it lacks 2 (002_b.sql), 3 (003_c.sql); its originals were retired after version 4
1 migration, 0 pending
OUT
# the way out the message names: a build that carried them
run retired_way_out "$new" --database "$r" up
expect_status 0
run retired_after "$retired" --database "$r" up
expect_status 0
expect out <<'OUT'
database is up to date (1 migration; 1 round trip)
OUT

# ---- `migc squash --retire`: what schemas/squash_abc_retired holds --------
mkdir "$tmp/chain"
cp -R "$schemas/squash_abc_arch/." "$tmp/chain/"
cp "$tmp/chain/migc.lock" "$tmp/lock.before"
run retire_no_baseline "$migc" squash "$tmp/chain" --retire 3
expect_status 1
expect err <<ERR
migc: error: --retire 3: the chain has no baseline of version 3 (a migration declaring \`-- migc:squashes FROM..TO\`) [archive]
ERR
cmp -s "$tmp/chain/migc.lock" "$tmp/lock.before" || fail "a refused retire wrote the lock"
[ -f "$tmp/chain/squashed/4/002_b.sql" ] || fail "a refused retire removed the archive"
run retire "$migc" squash "$tmp/chain" --retire 4
expect_status 0
expect out <<'OUT'
retired the originals of baseline 4 (3 files removed); a database part-way through its range now needs a build made before this retire (its chain ends at version 4)
OUT
cmp -s "$tmp/chain/migc.lock" "$schemas/squash_abc_retired/migc.lock" ||
  fail "retire does not write schemas/squash_abc_retired/migc.lock"
[ ! -e "$tmp/chain/squashed" ] || fail "retire left squashed/ (or squashed/4) behind"
run retire_again "$migc" squash "$tmp/chain" --retire 4
expect_status 1
cmp -s "$tmp/chain/migc.lock" "$schemas/squash_abc_retired/migc.lock" ||
  fail "a second retire changed the lock"
run retired_check "$migc" check "$tmp/chain"
expect_status 0

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "squash_cross: all passed"

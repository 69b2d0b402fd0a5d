#!/usr/bin/env bash
# squash_version.sh: a baseline that takes a version of its own range or 0
# (the seeds' convention; docs/ledger.md "Baselines"). The chain 001_a,
# 002_b, 003_c is released and locked (schemas/squash_abc, the old binary);
# the team squashes it into 1_baseline.sql (`-- migc:squashes 1..3`,
# schemas/squash_abc_first) or 0_baseline.sql (schemas/squash_abc_zero)
# and runs `migc lock --squash`. At the baseline's version the ledger row
# is told apart by checksum: the original's (a database that applied 1..3
# with the old binary: up to date in one round trip, nothing recorded),
# the baseline's (a fresh database ran it), anything else: refused. A
# database part-way through the range is refused naming what it lacks.
#   squash_version.sh MIGC SCHEMAS OLD FIRST ZERO
set -euo pipefail
migc=$1 schemas=$2 old=$3 first=$4 zero=$5
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
sum() { sha256sum <"$1" | cut -c1-64; }
a_sum=$(sum "$schemas/squash_abc/001_a.sql")
b_sum=$(sum "$schemas/squash_abc/002_b.sql")
c_sum=$(sum "$schemas/squash_abc/003_c.sql")

# ---- the fixtures' locks are what `migc lock --squash` writes --------------
for v in first:1 zero:0; do
  name=${v%%:*} n=${v##*:}
  mkdir "$tmp/chain_$name"
  cp "$schemas/squash_abc/migc.lock" "$schemas/squash_abc_$name/${n}_baseline.sql" "$tmp/chain_$name/"
  run "lock_squash_$name" "$migc" lock "$tmp/chain_$name" --squash --no-verify
  expect_status 0
  cmp -s "$tmp/chain_$name/migc.lock" "$schemas/squash_abc_$name/migc.lock" ||
    fail "lock --squash does not write schemas/squash_abc_$name/migc.lock"
done

# ---- databases the old binary brought to 1..3, to 1, and a fresh one ------
pgtest_createdb whole
whole=$PGTEST_DB
run old_up "$old" --database "$whole" up
expect_status 0
pgtest_createdb part
part=$PGTEST_DB
run old_up_to_1 "$old" --database "$part" up --to 1
expect_status 0
whole_ledger=$(ledger "$whole")
part_ledger=$(ledger "$part")
[ "$whole_ledger" = "1:true:$a_sum 2:true:$b_sum 3:true:$c_sum" ] ||
  fail "the old binary's ledger: $whole_ledger"

# crosses NAME BINARY N: the three databases against the baseline at N.
crosses() {
  local name=$1 new=$2 n=$3 base_sum
  base_sum=$(sum "$schemas/squash_abc_$name/${n}_baseline.sql")
  local svc=plain_service_squash_abc_$name

  # The whole range: up to date in one round trip, nothing recorded.
  run "${name}_whole_up" "$new" --database "$whole" up
  expect_status 0
  expect out <<'OUT'
database is up to date (1 migration; 1 round trip)
OUT
  run "${name}_whole_check" "$new" --database "$whole" check
  expect_status 0
  run "${name}_whole_plan" "$new" --database "$whole" plan
  expect_status 0
  [ "$(ledger "$whole")" = "$whole_ledger" ] ||
    fail "the ledger changed: $(ledger "$whole")"
  run "${name}_whole_status" "$new" --database "$whole" status
  expect_status 0
  if [ "$n" = 1 ]; then
    expect out <<'OUT'
VERSION               STATE        APPLIED AT                DURATION  NAME
1                     squashed     TIME N ms  001_a.sql
1                     applied                                          1_baseline.sql
                      crossed: applied through its originals
2                     squashed     TIME N ms  002_b.sql
3                     squashed     TIME N ms  003_c.sql
1 migration, 0 pending
OUT
  else
    expect out <<'OUT'
VERSION               STATE        APPLIED AT                DURATION  NAME
0                     applied                                          0_baseline.sql
                      crossed: applied through its originals
1                     squashed     TIME N ms  001_a.sql
2                     squashed     TIME N ms  002_b.sql
3                     squashed     TIME N ms  003_c.sql
1 migration, 0 pending
OUT
  fi
  run "${name}_whole_down" "$new" --database "$whole" down --steps 1
  expect_status 2
  expect err <<ERR
$svc: error: migration 3 (003_c.sql) is squashed into the baseline $n (${n}_baseline.sql): a squash cannot be undone
ERR
  [ "$(ledger "$whole")" = "$whole_ledger" ] || fail "down changed the ledger"

  # Part-way: refused before anything runs, naming 2 and 3.
  for cmd in up check plan; do
    run "${name}_part_$cmd" "$new" --database "$part" "$cmd"
    expect_status 4
    expect out </dev/null
    expect err <<ERR
$svc: error: the database applied only part of the migrations baseline $n (${n}_baseline.sql) replaces: it lacks 2 (002_b.sql), 3 (003_c.sql); bring it through them with the last release that still carries them (or apply them by hand and record them in the ledger), then run this one again
ERR
  done
  [ "$(ledger "$part")" = "$part_ledger" ] || fail "the refusal changed the ledger"
  [ "$(tables "$part")" = "a" ] || fail "tables after the refusal: $(tables "$part")"
  run "${name}_part_status" "$new" --database "$part" status
  expect_status 0
  if [ "$n" = 1 ]; then
    expect out <<'OUT'
VERSION               STATE        APPLIED AT                DURATION  NAME
1                     squashed     TIME N ms  001_a.sql
1                     partial                                          1_baseline.sql
                      a baseline this database cannot cross: it lacks 2 (002_b.sql), 3 (003_c.sql)
1 migration, 0 pending
OUT
  else
    expect out <<'OUT'
VERSION               STATE        APPLIED AT                DURATION  NAME
0                     partial                                          0_baseline.sql
                      a baseline this database cannot cross: it lacks 2 (002_b.sql), 3 (003_c.sql)
1                     squashed     TIME N ms  001_a.sql
1 migration, 0 pending
OUT
  fi

  # Fresh: the baseline runs and its row carries the baseline's checksum.
  pgtest_createdb "fresh_$name"
  local fresh=$PGTEST_DB
  run "${name}_fresh_up" "$new" --database "$fresh" up
  expect_status 0
  expect out <<OUT
applying ${n}_baseline.sql (1/1)
applied ${n}_baseline.sql (N ms)
applied 1 migration; database is up to date
OUT
  [ "$(tables "$fresh")" = "a b c" ] || fail "tables: $(tables "$fresh")"
  [ "$(ledger "$fresh")" = "$n:true:$base_sum" ] || fail "fresh ledger: $(ledger "$fresh")"
  run "${name}_fresh_again" "$new" --database "$fresh" up
  expect_status 0
  expect out <<'OUT'
database is up to date (1 migration; 1 round trip)
OUT
  run "${name}_fresh_status" "$new" --database "$fresh" status
  expect_status 0
  expect out <<OUT
VERSION               STATE        APPLIED AT                DURATION  NAME
$n                     applied      TIME N ms  ${n}_baseline.sql
1 migration, 0 pending
OUT
  run "${name}_fresh_down" "$new" --database "$fresh" down --steps 1
  expect_status 2
  expect err <<ERR
$svc: error: migration $n (${n}_baseline.sql) is a baseline (it squashes 1..3): a squash cannot be undone
ERR
}

crosses first "$first" 1
crosses zero "$zero" 0

# ---- a third checksum at the baseline's version: neither ran --------------
pgtest_createdb third
third=$PGTEST_DB
run third_old "$old" --database "$third" up
expect_status 0
pgtest_psql "$third" -q -c "UPDATE migc_migrations SET checksum = repeat('e', 64) WHERE version = 1"
before=$(ledger "$third")
for cmd in up check; do
  run "third_$cmd" "$first" --database "$third" "$cmd"
  expect_status 4
  expect out </dev/null
  expect err <<ERR
plain_service_squash_abc_first: error: migration 1 was applied with checksum eeeeeeeeeeee, but this binary embeds $(sum "$schemas/squash_abc_first/1_baseline.sql" | cut -c1-12) for the baseline 1 (1_baseline.sql) and ${a_sum:0:12} for 001_a.sql, the released migration of that version it replaced: one of them was edited
ERR
done
[ "$(ledger "$third")" = "$before" ] || fail "the refusal changed the ledger"
run third_status "$first" --database "$third" status
expect_status 0
expect out <<'OUT'
VERSION               STATE        APPLIED AT                DURATION  NAME
1                     modified     TIME N ms  1_baseline.sql
2                     squashed     TIME N ms  002_b.sql
3                     squashed     TIME N ms  003_c.sql
1 migration, 0 pending
OUT

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "squash_version: all passed"

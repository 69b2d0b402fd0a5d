#!/usr/bin/env bash
# squash_cross_own.sh: a database whose original at the baseline's own
# version failed (1..3 squashed into 1, `migc squash`'s default, with
# 001_a.sql outside a transaction and stopped at its second statement by the
# old binary). The new binary tells the row apart by checksum: status shows
# the original failed (once), plan and up refuse it as the old binary does,
# `resolve 1` resolves the original (not the baseline), and the next up
# finishes 1..3 from the archived originals without running the baseline
# over them.
#   squash_cross_own.sh MIGC CC INCLUDE_DIR LIBMIGC_CLI LIBMIGC
set -euo pipefail
migc=$1 cc=$2 include=$3 libcli=$4 libmigc=$5
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
  pgtest_psql "$1" -At -c "SELECT string_agg(version || ':' || success || ':' || name, ' ' ORDER BY version) FROM migc_migrations"
}
url="host='$PGHOST' user='${PGUSER:-postgres}' dbname='${PGDATABASE:-postgres}'"
# build NAME: the chain in $tmp/m compiled and linked into $tmp/NAME
build() {
  "$migc" compile "$tmp/m" -o "$tmp/$1.c" --header "$tmp/$1.h" \
    --name "$1_schema" --no-packs
  printf '#include <migc.h>\nextern const struct migc_schema %s_schema;\nint main(int c, char **v) { return migc_main(c, v, &%s_schema); }\n' \
    "$1" "$1" >"$tmp/$1_main.c"
  "$cc" -std=c11 -I"$include" -I"$tmp" -o "$tmp/$1" "$tmp/$1_main.c" \
    "$tmp/$1.c" "$libcli" "$libmigc" -lpq
}

mkdir "$tmp/m"
cat >"$tmp/m/001_a.sql" <<'SQL'
-- migc:no-transaction
CREATE TABLE a (id int);
SELECT 1 / (CASE WHEN current_setting('migc_test.fail', true) = 'yes' THEN 0 ELSE 1 END);
SQL
echo 'CREATE TABLE b (id int);' >"$tmp/m/002_b.sql"
echo 'CREATE TABLE c (id int);' >"$tmp/m/003_c.sql"
"$migc" lock "$tmp/m" >/dev/null
build old
pgtest_createdb own
d=$PGTEST_DB
pgtest_admin "ALTER DATABASE $PGTEST_DB_NAME SET migc_test.fail = 'yes'"
run old_up "$tmp/old" --database "$d" up
expect_status 1
pgtest_admin "ALTER DATABASE $PGTEST_DB_NAME RESET migc_test.fail"
[ "$(ledger "$d")" = "1:false:001_a.sql" ] || fail "old binary's ledger: $(ledger "$d")"

"$migc" squash "$tmp/m" --through 3 --database "$url" >/dev/null
"$migc" lock "$tmp/m" --squash --database "$url" >/dev/null
{ [ -f "$tmp/m/001_baseline.sql" ] && [ -f "$tmp/m/squashed/1/001_a.sql" ]; } ||
  fail "squash wrote no baseline at 1: $(ls -R "$tmp/m")"
build new

run status "$tmp/new" --database "$d" status
expect_status 0
expect out <<'OUT'
VERSION               STATE        APPLIED AT                DURATION  NAME
1                     failed       TIME N ms  001_a.sql
                      failed at statement 2: m/001_a.sql:3:1: 22012 division by zero
1                     part-way                                         001_baseline.sql
                      part-way: 0 of 3 applied; will finish 1 (001_a.sql), 2 (002_b.sql), 3 (003_c.sql) from the archived originals
2                     pending                                          002_b.sql
3                     pending                                          003_c.sql
1 migration, 2 pending
OUT
refusal="new: error: migration 1 (001_a.sql) is recorded as failed at statement 2: m/001_a.sql:3:1: 22012 division by zero; fix the database, then run \`resolve 1\`"
for cmd in plan up; do
  run "refused_$cmd" "$tmp/new" --database "$d" "$cmd"
  expect_status 4
  [ "$(cat "$tmp/refused_$cmd.err")" = "$refusal" ] ||
    fail "$cmd: $(cat "$tmp/refused_$cmd.err")"
done
[ "$(ledger "$d")" = "1:false:001_a.sql" ] || fail "the refusal changed the ledger: $(ledger "$d")"
run resolve "$tmp/new" --database "$d" resolve 1
expect_status 0
expect err <<'ERR'
new: resolved migration 1 (001_a.sql) (retry): the next `up` continues at statement 2
ERR
run up "$tmp/new" --database "$d" up
expect_status 0
expect out <<'OUT'
applying 001_a.sql (1/3)
applied 001_a.sql (N ms)
applying 002_b.sql (2/3)
applied 002_b.sql (N ms)
applying 003_c.sql (3/3)
applied 003_c.sql (N ms)
applied 3 migrations; database is up to date
OUT
[ "$(ledger "$d")" = "1:true:001_a.sql 2:true:002_b.sql 3:true:003_c.sql" ] ||
  fail "ledger after up: $(ledger "$d")"
run again "$tmp/new" --database "$d" up
expect_status 0
expect out <<'OUT'
database is up to date (1 migration; 1 round trip)
OUT

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "squash_cross_own: all passed"

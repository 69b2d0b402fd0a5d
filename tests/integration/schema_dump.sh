#!/usr/bin/env bash
# schema_dump.sh: the schema comparison (runtime/schema.h) on the project's
# own schema, the way `migc verify` meets it: migrations/ applied by psql
# file by file in one database, that database's pg_dump (schema, data and
# privileges, no owners) restored in another; the two must compare equal
# with grants and rows compared too, and an index added to the copy must
# be the one difference named.
#   schema_dump.sh SCHEMA_COMPARE MIGRATIONS_DIR
set -euo pipefail
compare=$1 migrations=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
pgtest_tmpdir
tmp=$PGTEST_TMP
fail() {
  echo "schema_dump.sh: FAIL: $*" >&2
  exit 1
}
pg_dump=${MIGC_PG_BINDIR:+$MIGC_PG_BINDIR/}pg_dump
[ -x "$pg_dump" ] || pg_dump=pg_dump

mapfile -t files < <(cd "$migrations" && printf '%s\n' *.sql |
  sort -t_ -k1,1n)
[ "${#files[@]}" -gt 0 ] || fail "no migrations in $migrations"
pgtest_createdb chain
chain=$PGTEST_DB chain_name=$PGTEST_DB_NAME
for f in "${files[@]}"; do
  pgtest_psql "$chain" --single-transaction -f "$migrations/$f" \
    >"$tmp/psql.log" 2>&1 || {
    cat "$tmp/psql.log" >&2
    fail "psql failed on $f"
  }
done
# Rows and a grant for the comparison to see.
pgtest_psql "$chain" -c "INSERT INTO identity (login) VALUES ('a'), ('b');
  GRANT SELECT ON identity TO pg_monitor" >/dev/null

pgtest_createdb dump
dump=$PGTEST_DB
"$pg_dump" --no-owner -d "$chain_name" >"$tmp/dump.sql" ||
  fail "pg_dump failed"
pgtest_psql "$dump" -f "$tmp/dump.sql" >"$tmp/restore.log" 2>&1 || {
  cat "$tmp/restore.log" >&2
  fail "the dump did not restore"
}

status=0
"$compare" --grants --data "$chain" "$dump" >"$tmp/equal.out" 2>&1 ||
  status=$?
if [ "$status" != 0 ] || [ -s "$tmp/equal.out" ]; then
  cat "$tmp/equal.out" >&2
  fail "chain and dump differ (exit $status)"
fi

pgtest_psql "$dump" -c "CREATE INDEX schema_dump_extra ON identity (login)"
status=0
"$compare" --grants --data "$chain" "$dump" >"$tmp/differ.out" 2>&1 ||
  status=$?
want="index public.schema_dump_extra: only in B"
if [ "$status" != 1 ] || [ "$(cat "$tmp/differ.out")" != "$want" ]; then
  cat "$tmp/differ.out" >&2
  fail "expected exit 1 and '$want', got exit $status"
fi
echo "schema_dump.sh: ok"

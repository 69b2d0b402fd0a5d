#!/usr/bin/env bash
# same_schema.sh: migc must produce the schema psql produces. The project's
# migrations go into database A through the demo binary and into database B
# through psql, file by file; the schema-only dumps (ledger excluded) must be
# identical.
#   same_schema.sh DEMO MIGRATIONS_DIR
set -euo pipefail
demo=$1 migrations=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
unset DATABASE_URL
pgtest_tmpdir
tmp=$PGTEST_TMP

# pg_dump of the server's own version: a client older than the server
# refuses to dump it, a newer one may print differently.
pg_dump=${MIGC_PG_BINDIR:?MIGC_PG_BINDIR is not set}/pg_dump

mapfile -t files < <(cd "$migrations" && printf '%s\n' *.sql |
  sort -t_ -k1,1n)
[ "${#files[@]}" -gt 0 ] || {
  echo "no migrations in $migrations" >&2
  exit 1
}

pgtest_createdb migc
db_migc=$PGTEST_DB
pgtest_createdb psql
db_psql=$PGTEST_DB

"$demo" --database "$db_migc" up >"$tmp/up.log" 2>&1 || {
  echo "migc-demo up failed:" >&2
  cat "$tmp/up.log" >&2
  exit 1
}

# psql runs each file as migc does: in one transaction, stopping at the first
# error.
for f in "${files[@]}"; do
  pgtest_psql "$db_psql" --single-transaction -f "$migrations/$f" \
    >"$tmp/psql.log" 2>&1 || {
    echo "psql failed on $f:" >&2
    cat "$tmp/psql.log" >&2
    exit 1
  }
done

# Newer pg_dump releases frame the dump with \restrict KEY ... \unrestrict
# KEY, a random key per run: masked. The runtime's own tables (the ledger,
# and its record of synchronised packs) are left out.
dump() {
  "$pg_dump" --schema-only --no-owner --no-privileges \
    --exclude-table='public.migc_migrations*' -d "$1" |
    sed -E 's/^\\(un)?restrict .*/\\\1restrict KEY/' >"$2"
}
dump "$db_migc" "$tmp/migc.sql"
dump "$db_psql" "$tmp/psql.sql"

# The dump must hold the schema, not just be empty on both sides.
grep -q '^CREATE TABLE' "$tmp/migc.sql" || {
  echo "the dump of the migc database has no table:" >&2
  cat "$tmp/migc.sql" >&2
  exit 1
}
if ! diff -u "$tmp/psql.sql" "$tmp/migc.sql" >"$tmp/diff"; then
  echo "schemas differ (- psql, + migc):" >&2
  cat "$tmp/diff" >&2
  exit 1
fi
# The ledger is the object only migc created (with its pack record).
[ "$(pgtest_psql "$db_migc" -At -c \
  "SELECT count(*) FROM public.migc_migrations")" = "${#files[@]}" ] || {
  echo "the ledger does not hold ${#files[@]} rows" >&2
  exit 1
}
echo "same_schema.sh: ${#files[@]} migrations, identical schemas" \
  "($(grep -c '^CREATE' "$tmp/migc.sql") CREATE statements)"

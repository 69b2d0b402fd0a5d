#!/usr/bin/env bash
# catalog.sh: `migc schema DIR` (migc's static catalog, no database) must
# print the tables, columns, indexes and constraints PostgreSQL holds after
# psql applies DIR, against the `pg` fixture's server.
#   catalog.sh MIGC DIR...
# For each DIR (its *.sql files, in version order): a fresh database, each
# file through psql, the catalog printed in migc's line format
#   table S.T
#   column S.T.C TYPE[ not null]    format_type(), search_path "$user", public
#   index S.I on S.T
#   constraint S.T.NAME CONTYPE
# and compared, LC_ALL=C sorted, with those lines of `migc schema DIR`, which
# must exit 0 and report no error.
set -euo pipefail
export LC_ALL=C NO_COLOR=1
[ $# -ge 2 ] || {
  echo "usage: catalog.sh MIGC DIR..." >&2
  exit 2
}
migc=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
pgtest_tmpdir
tmp=$PGTEST_TMP

# The catalog of the current database, one line an object, in user schemas.
catalog_sql() {
  cat <<'SQL'
SET search_path = "$user", public;
WITH ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema')
    AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp%'
)
SELECT 'table ' || n.nspname || '.' || c.relname
FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
UNION ALL
SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' ||
       format_type(a.atttypid, a.atttypmod) ||
       CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN ns n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'index ' || n.nspname || '.' || ic.relname || ' on ' ||
       tn.nspname || '.' || tc.relname
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN ns n ON n.oid = ic.relnamespace
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace tn ON tn.oid = tc.relnamespace
WHERE ic.relkind IN ('i', 'I')
UNION ALL
SELECT 'constraint ' || n.nspname || '.' || c.relname || '.' || co.conname ||
       ' ' || co.contype::text
FROM pg_constraint co
JOIN pg_class c ON c.oid = co.conrelid
JOIN ns n ON n.oid = c.relnamespace
WHERE co.conrelid <> 0;
SQL
}

failures=0
checked=0
for dir in "$@"; do
  name=$(basename "$dir")
  mapfile -t files < <(cd "$dir" && printf '%s\n' *.sql | sort -t_ -k1,1n)
  [ -f "$dir/${files[0]}" ] || {
    echo "catalog.sh: no migrations in $dir" >&2
    exit 1
  }

  # ---- PostgreSQL: psql, file by file --------------------------------------
  pgtest_createdb "catalog_$name"
  db=$PGTEST_DB
  for f in "${files[@]}"; do
    pgtest_psql "$db" -f "$dir/$f" >"$tmp/$name.psql.log" 2>&1 || {
      echo "catalog.sh: $name: psql failed on $f:" >&2
      cat "$tmp/$name.psql.log" >&2
      exit 1
    }
  done
  catalog_sql >"$tmp/catalog.sql"
  pgtest_psql "$db" -At -f "$tmp/catalog.sql" | sort >"$tmp/$name.db"

  # ---- migc: the static catalog --------------------------------------------
  rc=0
  "$migc" schema "$dir" >"$tmp/$name.schema" 2>"$tmp/$name.err" || rc=$?
  if [ $rc -ne 0 ] || grep -q ': error: ' "$tmp/$name.err"; then
    echo "catalog.sh: $name: migc schema exited $rc, reporting:" >&2
    grep ': error: ' "$tmp/$name.err" >&2 || cat "$tmp/$name.err" >&2
    failures=$((failures + 1))
  fi
  { grep -E '^(table|column|index|constraint) ' "$tmp/$name.schema" || true; } |
    sort >"$tmp/$name.migc"

  # Both sides must hold the schema, not just agree on nothing.
  grep -q '^table ' "$tmp/$name.db" || {
    echo "catalog.sh: $name: the database has no table" >&2
    exit 1
  }
  if diff -u --label "$name: PostgreSQL" --label "$name: migc schema" \
    "$tmp/$name.db" "$tmp/$name.migc" >"$tmp/$name.diff"; then
    echo "catalog.sh: $name: ${#files[@]} migrations," \
      "$(wc -l <"$tmp/$name.db") catalog lines agree" \
      "($(grep -c '^table ' "$tmp/$name.db") tables)"
  else
    echo "catalog.sh: $name: catalogs differ (- PostgreSQL, + migc):" >&2
    cat "$tmp/$name.diff" >&2
    failures=$((failures + 1))
  fi
  checked=$((checked + 1))
done

if [ "$failures" -gt 0 ]; then
  echo "catalog.sh: $failures failure(s)" >&2
  exit 1
fi
echo "catalog.sh: $checked migration sets, all agree"

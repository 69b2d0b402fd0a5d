#!/usr/bin/env bash
# peers.sh: a real migration tool from npm (tests/support/peers.bash)
# applies the three-migration chain of schemas/peers_* to a database and
# writes its own ledger; the ledger's rows are checked and printed, the
# schema recorded with pg_dump. Then the migc service built from the same
# SQL files adopts that database (issue 17): `adopt --dry-run` plans, `adopt`
# records, `up` is up to date, and neither the schema nor the tool's table
# changed. Skipped (77) when node, npm or the registry is missing.
#   peers.sh TOOL SQL_DIR SERVICE
# TOOL: dbmate (SQL_DIR schemas/peers_dbmate), postgrator (peers_postgrator),
# kysely or node-pg-migrate (peers_plain: the drivers turn each SQL file
# into a JS migration of the same stem that runs its bytes).
set -euo pipefail
tool=$1 sqldir=$2 service=$3
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
# shellcheck source-path=SCRIPTDIR source=../support/peers.bash
. "$here/../support/peers.bash"
drivers=$here/../support/peers

started=$(date +%s)
peers_install "$tool"
echo "$tool: installed in $PEERS_DIR ($(($(date +%s) - started)) s)"

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
show() { sed "s/^/  $last: /" "$tmp/$last.out"; }

# The tool's ledger, one row a line, and the SQL that reads it; the time
# columns are printed as "t" (set) so that the rows compare across runs.
case $tool in
dbmate)
  table=schema_migrations
  rows="SELECT version FROM schema_migrations ORDER BY version"
  want='20260101000001
20260101000002
20260101000003'
  ;;
postgrator)
  table=schemaversion
  rows="SELECT version || '|' || coalesce(name, '') || '|' || coalesce(md5, '') || '|' || (run_at IS NOT NULL) FROM schemaversion ORDER BY version"
  # postgrator's row 0 is its own (the table's creation, no run_at); md5
  # hex of each file's bytes.
  want="0|||false"
  for f in "$sqldir"/*.do.*.sql; do
    b=${f##*/}
    v=${b%%.*}
    n=${b#*.do.}
    want+=$'\n'"$((10#$v))|${n%.sql}|$(md5sum <"$f" | cut -d' ' -f1)|true"
  done
  ;;
kysely)
  table=kysely_migration
  rows="SELECT name || '|' || (timestamp <> '') FROM kysely_migration ORDER BY name"
  want='001_items|true
002_items_name_idx|true
003_item_state|true'
  ;;
node-pg-migrate)
  table=pgmigrations
  rows="SELECT id || '|' || name || '|' || (run_on IS NOT NULL) FROM pgmigrations ORDER BY id"
  want='1|001_items|true
2|002_items_name_idx|true
3|003_item_state|true'
  ;;
*)
  echo "peers.sh: unknown tool $tool" >&2
  exit 1
  ;;
esac

# ---- the tool applies the chain ------------------------------------------
pgtest_createdb "peers_$tool"
db=$PGTEST_DB
started=$(date +%s)
case $tool in
dbmate)
  run apply "$PEERS_DIR/node_modules/.bin/dbmate" \
    --url "postgres://${PGUSER:-postgres}@/$PGTEST_DB_NAME?socket=$PGHOST&sslmode=disable" \
    --migrations-dir "$sqldir" --no-dump-schema migrate
  ;;
postgrator)
  run apply env PGDATABASE="$PGTEST_DB_NAME" node "$drivers/postgrator.mjs" "$PEERS_DIR" "$sqldir"
  ;;
*)
  run apply env PGDATABASE="$PGTEST_DB_NAME" node "$drivers/$tool.mjs" "$PEERS_DIR" "$sqldir" "$tmp"
  ;;
esac
expect_status 0
show
echo "$tool: applied the chain ($(($(date +%s) - started)) s)"

ledger() { pgtest_psql "$db" -At -c "$rows"; }
dump() {
  "${MIGC_PG_BINDIR:+$MIGC_PG_BINDIR/}pg_dump" --schema-only --no-owner \
    -T 'migc_*' -d "$db" | grep -v '^\\\(un\)\?restrict ' >"$1"
}
tables() {
  pgtest_psql "$db" -At -c "SELECT coalesce(string_agg(relname, ' ' ORDER BY relname), '') FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace"
}

last=ledger
got=$(ledger)
echo "$tool: $table holds:"
printf '%s\n' "$got" | sed 's/^/  /'
[ "$got" = "$want" ] || fail "$table rows differ: expected
$want"
pgtest_psql "$db" -At -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '$table'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum" |
  paste -sd' ' | sed "s/^/$tool: $table columns: /"
echo "$tool: tables: $(tables)"
case $(tables) in
*items*) ;;
*) last=schema fail "the chain's table items is missing" ;;
esac
pgtest_psql "$db" -c "INSERT INTO items (name, state) VALUES ('x', 'done')" ||
  fail "the chain's schema does not take a row"
dump "$tmp/before.sql"
ledger >"$tmp/ledger_before"
pgtest_psql "$db" -At -c "SELECT * FROM $table ORDER BY 1" >"$tmp/table_before"
echo "$tool: $table as stored (SELECT *):"
sed 's/^/  /' "$tmp/table_before"

# ---- the migc service built from the same files adopts it ----------------
# adopt is issue 17's command; the part below runs when the service has it.
if ! "$service" --help 2>&1 | grep -qw adopt; then
  echo "$tool: SKIPPED the adopt part: $(basename "$service") has no adopt command yet"
  [ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
  echo "peers_$tool: tool part passed"
  exit 0
fi

run dry_run "$service" --database "$db" adopt --dry-run
expect_status 0
show
[ "$(pgtest_psql "$db" -At -c "SELECT to_regclass('migc_migrations') IS NULL")" = t ] ||
  fail "--dry-run created migc's ledger"
for f in "$sqldir"/*.sql; do
  stem=${f##*/}
  stem=${stem%.sql}
  grep -qF "${stem#*.do.}" "$tmp/dry_run.out" ||
    fail "the plan does not name ${stem}"
done

run adopt "$service" --database "$db" adopt
expect_status 0
show
run adopt_ledger pgtest_psql "$db" -At -c "SELECT version || '|' || success || '|' || coalesce(adopted_from, '') FROM migc_migrations ORDER BY version"
expect_status 0
show
[ "$(wc -l <"$tmp/adopt_ledger.out")" = 3 ] || fail "migc's ledger holds $(wc -l <"$tmp/adopt_ledger.out") rows, expected 3"
grep -qv "|true|$tool\$" "$tmp/adopt_ledger.out" && fail "rows not adopted from $tool"

run adopt_again "$service" --database "$db" adopt
expect_status 0
show

run up "$service" --database "$db" up
expect_status 0
show
grep -q '^database is up to date' "$tmp/up.out" || fail "up is not up to date"

dump "$tmp/after.sql"
last=schema
diff -u "$tmp/before.sql" "$tmp/after.sql" >"$tmp/schema.diff" ||
  { fail "the schema changed:"; cat "$tmp/schema.diff" >&2; }
last=foreign
pgtest_psql "$db" -At -c "SELECT * FROM $table ORDER BY 1" >"$tmp/table_after"
cmp -s "$tmp/table_before" "$tmp/table_after" || fail "$table changed"

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "peers_$tool: all passed"

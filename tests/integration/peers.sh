#!/usr/bin/env bash
# peers.sh: a real migration tool from npm (tests/support/peers.bash)
# applies the three-migration chain of schemas/peers_* to a database and
# writes its own ledger; the ledger's rows are checked and printed, the
# schema recorded with pg_dump. Then the migc service built from the same
# SQL files adopts that database (issue 17): `adopt --dry-run` plans, `adopt`
# records, `up` is up to date, and neither the schema nor the tool's table
# changed; a database where the tool applied two of the three is finished
# by `up --adopt`; postgrator's md5 values are verified, one not the file's
# refused. Skipped (77) when node 20, npm or the registry is missing.
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
# shellcheck source-path=SCRIPTDIR source=../support/runexpect.bash
. "$here/../support/runexpect.bash"
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

# apply DIR NAME: the tool applies the chain of DIR to database NAME.
apply() {
  case $tool in
  dbmate)
    "$PEERS_DIR/node_modules/.bin/dbmate" --url "$(peers_url "$2")" \
      --migrations-dir "$1" --no-dump-schema migrate
    ;;
  postgrator) PGDATABASE=$2 node "$drivers/postgrator.mjs" "$PEERS_DIR" "$1" ;;
  *) PGDATABASE=$2 node "$drivers/$tool.mjs" "$PEERS_DIR" "$1" "$tmp/$2" ;;
  esac
}
# dump DB FILE: the schema, migc's own tables left out.
dump() {
  "${MIGC_PG_BINDIR:+$MIGC_PG_BINDIR/}pg_dump" --schema-only --no-owner \
    -T 'migc_*' -d "$1" | grep -v '^\\\(un\)\?restrict ' >"$2"
}
tables() {
  pgtest_psql "$1" -At -c "SELECT coalesce(string_agg(relname, ' ' ORDER BY relname), '') FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace"
}
has_migc() {
  pgtest_psql "$1" -At -c "SELECT to_regclass('migc_migrations') IS NOT NULL"
}
migc_rows() {
  pgtest_psql "$1" -At -c "SELECT version || '|' || success || '|' || coalesce(adopted_from, '') FROM migc_migrations ORDER BY version"
}

# ---- the tool applies the chain ------------------------------------------
pgtest_createdb "peers_$tool"
db=$PGTEST_DB
started=$(date +%s)
run apply apply "$sqldir" "$PGTEST_DB_NAME"
expect_status 0
show
echo "$tool: applied the chain ($(($(date +%s) - started)) s)"

last=ledger
got=$(pgtest_psql "$db" -At -c "$rows")
echo "$tool: $table holds:"
printf '%s\n' "$got" | sed 's/^/  /'
[ "$got" = "$want" ] || fail "$table rows differ: expected
$want"
pgtest_psql "$db" -At -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '$table'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum" |
  paste -sd' ' | sed "s/^/$tool: $table columns: /"
echo "$tool: tables: $(tables "$db")"
case $(tables "$db") in
*items*) ;;
*) last=schema fail "the chain's table items is missing" ;;
esac
pgtest_psql "$db" -c "INSERT INTO items (name, state) VALUES ('x', 'done')" ||
  fail "the chain's schema does not take a row"
dump "$db" "$tmp/before.sql"
pgtest_psql "$db" -At -c "SELECT * FROM $table ORDER BY 1" >"$tmp/table_before"
echo "$tool: $table as stored (SELECT *):"
sed 's/^/  /' "$tmp/table_before"

# ---- the migc service built from the same files adopts it ----------------
# The plan (postgrator's md5 values checked against the embedded files'),
# the same plan and the outcome for adopt.
plan() {
  local f n v
  echo "$tool's ledger public.$table: 3 rows"
  echo "record as applied (3):"
  n=0
  for f in "$sqldir"/*.sql; do
    n=$((n + 1))
    v=${f##*/}
    case $tool in
    dbmate) echo "  ${v%%_*} ${f##*/}" ;;
    *) echo "  $n ${f##*/}" ;;
    esac
  done
  echo "pending (0):"
  echo "foreign rows with no embedded migration (0)"
  case $tool in
  postgrator) echo "checksums: 3 verified (MD5)" ;;
  *)
    echo "checksums: none ($tool keeps none)"
    # a tool without checksums: the schema is compared instead
    echo "schema: verified: the database's schema is what the 3 adopted migrations build (replayed on a scratch database)"
    ;;
  esac
}
drop_lines() {
  echo "public.$table is left as it was; when nothing reads it any more, run:"
  echo "  DROP TABLE \"public\".\"$table\";"
  [ "$tool" != kysely ] ||
    echo "  DROP TABLE IF EXISTS \"public\".\"kysely_migration_lock\";"
}

# `up` on the tool's database without migc's ledger refuses, naming adopt.
run up_refused "$service" --database "$db" up
expect_status 4
expect_empty() { [ ! -s "$tmp/$last.out" ] || fail "stdout not empty"; }
expect_empty
sed "s/^/  up_refused: /" "$tmp/up_refused.err"
[ "$(cat "$tmp/up_refused.err")" = "$(basename "$service"): error: this database has no migc ledger but holds $tool's ledger public.$table: nothing was applied; run \`adopt\` to record what $tool applied (\`adopt --dry-run\` shows the plan; \`up --adopt\` adopts, then applies)" ] ||
  fail "the refusal differs"
[ "$(has_migc "$db")" = f ] || fail "the refused up created migc's ledger"

run dry_run "$service" --database "$db" adopt --dry-run
expect_status 0
show
{ plan; echo "dry run: nothing written"; } | diff -u - "$tmp/dry_run.out" ||
  fail "the plan differs (- expected, + got)"
[ "$(has_migc "$db")" = f ] || fail "--dry-run created migc's ledger"

run adopt "$service" --database "$db" adopt
expect_status 0
show
{ plan; echo "adopted 3 migrations from $tool into public.migc_migrations"; drop_lines; } |
  diff -u - "$tmp/adopt.out" || fail "adopt's output differs (- expected, + got)"
last=adopt_ledger
got=$(migc_rows "$db")
printf '%s\n' "$got" | sed 's/^/  migc_migrations: /'
want_rows=
n=0
for f in "$sqldir"/*.sql; do
  n=$((n + 1))
  v=${f##*/}
  [ "$tool" = dbmate ] && n=${v%%_*}
  want_rows+="$n|true|$tool"$'\n'
done
[ "$got" = "${want_rows%$'\n'}" ] || fail "migc's ledger: expected
$want_rows"

# applied_at is the tool's time where its row has one (dbmate's has none).
case $tool in
kysely) times="SELECT string_agg(timestamp::timestamptz::text, ' ' ORDER BY name) FROM kysely_migration" ;;
node-pg-migrate) times="SELECT string_agg(run_on::timestamptz::text, ' ' ORDER BY id) FROM pgmigrations" ;;
postgrator) times="SELECT string_agg(run_at::text, ' ' ORDER BY version) FROM schemaversion WHERE version <> 0" ;;
*) times= ;;
esac
if [ -n "$times" ]; then
  last=applied_at
  got=$(pgtest_psql "$db" -At -c "SELECT string_agg(applied_at::text, ' ' ORDER BY version) FROM migc_migrations")
  expected=$(pgtest_psql "$db" -At -c "$times")
  [ "$got" = "$expected" ] || fail "applied_at $got, expected $table's $expected"
fi

run adopt_again "$service" --database "$db" adopt
expect_status 0
[ "$(cat "$tmp/adopt_again.out")" = "already adopted: public.migc_migrations holds 3 rows; nothing written" ] ||
  fail "a second adopt: $(cat "$tmp/adopt_again.out")"

run status "$service" --database "$db" status
expect_status 0
show
[ "$(grep -c adopted "$tmp/status.out")" -ge 3 ] || fail "status does not show the rows as adopted"

run up "$service" --database "$db" up
expect_status 0
show
[ "$(cat "$tmp/up.out")" = "database is up to date (3 migrations; 1 round trip)" ] ||
  fail "up is not up to date"

dump "$db" "$tmp/after.sql"
last=schema
diff -u "$tmp/before.sql" "$tmp/after.sql" >"$tmp/schema.diff" ||
  { fail "the schema changed:"; cat "$tmp/schema.diff" >&2; }
last=foreign
pgtest_psql "$db" -At -c "SELECT * FROM $table ORDER BY 1" >"$tmp/table_after"
cmp -s "$tmp/table_before" "$tmp/table_after" || fail "$table changed"

# ---- postgrator: a file edited after postgrator ran it ---------------------
# Its md5 column then differs from the embedded file's: adopt refuses,
# naming the file and both values, and writes nothing.
if [ "$tool" = postgrator ]; then
  pgtest_createdb peers_postgrator_edited
  edited=$PGTEST_DB
  run apply_edited apply "$sqldir" "$PGTEST_DB_NAME"
  expect_status 0
  pgtest_psql "$edited" -c "UPDATE schemaversion SET md5 = md5('edited') WHERE version = 2"
  bad=$(pgtest_psql "$edited" -At -c "SELECT md5('edited')")
  good=$(md5sum <"$sqldir/002.do.items_name_idx.sql" | cut -d' ' -f1)
  run adopt_edited "$service" --database "$edited" adopt
  expect_status 4
  sed "s/^/  adopt_edited: /" "$tmp/adopt_edited.err"
  [ "$(cat "$tmp/adopt_edited.err")" = "$(basename "$service"): error: postgrator's version 2 (items_name_idx) in public.schemaversion has checksum $bad, but tests/integration/schemas/peers_postgrator/002.do.items_name_idx.sql's MD5 is $good: the file differs from what postgrator applied; nothing written; restore it, then adopt" ] ||
    fail "the refusal differs"
  [ "$(has_migc "$edited")" = f ] || fail "the refused adopt created migc's ledger"
fi

# ---- the tool applied two of the three: up --adopt finishes in one run ----
# Its schema then is the one the tool's whole chain built.
mkdir "$tmp/first_two"
for f in $(find "$sqldir" -name '*.sql' | sort | head -n 2); do cp "$f" "$tmp/first_two/"; done
pgtest_createdb "peers_${tool}_part"
part=$PGTEST_DB
run apply_part apply "$tmp/first_two" "$PGTEST_DB_NAME"
expect_status 0
pgtest_psql "$part" -At -c "SELECT * FROM $table ORDER BY 1" >"$tmp/part_before"
run up_adopt "$service" --database "$part" up --adopt
expect_status 0
show
grep -q "^adopted 2 migrations from $tool into public.migc_migrations\$" "$tmp/up_adopt.out" ||
  fail "up --adopt did not adopt the two"
grep -q "^applied 1 migration; database is up to date\$" "$tmp/up_adopt.out" ||
  fail "up --adopt did not apply the third"
last=part_ledger
got=$(migc_rows "$part")
printf '%s\n' "$got" | sed 's/^/  migc_migrations: /'
want_part=$(printf '%s' "$want_rows" | head -n 2)$'\n'$(printf '%s' "$want_rows" | sed -n '3s/|true|.*/|true|/p')
[ "$got" = "$want_part" ] || fail "migc's ledger: expected
$want_part"
pgtest_psql "$part" -c "INSERT INTO items (name, state) VALUES ('x', 'done')" ||
  fail "the adopted and finished schema does not take a row"
dump "$part" "$tmp/part.sql"
last=part_schema
diff -u "$tmp/before.sql" "$tmp/part.sql" >"$tmp/part.diff" ||
  { fail "migc's third migration built another schema than $tool's:"; cat "$tmp/part.diff" >&2; }
pgtest_psql "$part" -At -c "SELECT * FROM $table ORDER BY 1" >"$tmp/part_after"
cmp -s "$tmp/part_before" "$tmp/part_after" || fail "$table changed"

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "peers_$tool: all passed"

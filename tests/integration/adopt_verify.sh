#!/usr/bin/env bash
# adopt_verify.sh: `adopt` compares the live schema with a replay of the
# migrations it adopts on a scratch database (issue 17, docs/adopting.md
# "Verifying the schema"): by default for a tool without checksums (dbmate,
# golang-migrate here, their ledgers made with the tools' DDL), on
# --verify-schema for one with (sqlx). Equal: adopted, and it says so. A
# column dropped and an index missing: refused (exit 4) listing exactly
# those, migc's ledger absent, no scratch database left; --dry-run refuses
# alike; --no-verify-schema skips it. A role without CREATEDB: the exact
# refusal. SIGTERM during the replay: the scratch database dropped.
#   adopt_verify.sh MIGC CC INCLUDE LIBCLI LIBMIGC
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
# shellcheck source-path=SCRIPTDIR source=../support/adoptdb.bash
. "$here/../support/adoptdb.bash"
# scratch databases whose process is gone (adopt.sh's may be in use)
no_scratch() {
  local left
  left=$(psql_at "${PGDATABASE:-postgres}" "SELECT datname FROM pg_database WHERE datname LIKE 'migc\_adopt\_%'" |
    while read -r name; do
      pid=${name#migc_adopt_}
      kill -0 "${pid%%_*}" 2>/dev/null || echo "$name"
    done)
  [ -z "$left" ] || fail "scratch databases left: $left"
}

# ---- the service ------------------------------------------------------------
build() { # NAME DIR
  (cd "$tmp" && "$migc" compile "$2" -o "$1_schema.c" --header "$1_schema.h" \
    --name "$1_schema") || { echo "migc compile $2 failed" >&2; exit 1; }
  printf '#include <migc.h>\n#include "%s_schema.h"\nint main(int argc, char **argv) { return migc_main(argc, argv, &%s_schema); }\n' \
    "$1" "$1" >"$tmp/$1_main.c"
  read -r -a ccv <<<"$cc"
  "${ccv[@]}" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include" -I"$tmp" \
    -o "$tmp/$1" "$tmp/$1_main.c" "$tmp/$1_schema.c" "$libcli" "$libmigc" \
    -L"$(pg_config --libdir)" -lpq -pthread || { echo "cannot build $1" >&2; exit 1; }
}
m=$tmp/src/flat
mkdir -p "$m" "$tmp/src/slow"
cat >"$m/001_orders.sql" <<'SQL'
CREATE TABLE orders (id int PRIMARY KEY, total numeric(10,2) NOT NULL, note text);
CREATE INDEX orders_total ON orders (total);
SQL
cat >"$m/002_items.sql" <<'SQL'
CREATE TABLE items (id int PRIMARY KEY, order_id int NOT NULL REFERENCES orders);
SQL
cat >"$m/003_later.sql" <<'SQL'
CREATE TABLE later (id int PRIMARY KEY);
SQL
printf 'CREATE TABLE a (id int PRIMARY KEY);\nSELECT pg_sleep(20);\n' >"$tmp/src/slow/001_a.sql"
build flat src/flat
build slow src/slow

# A database another tool migrated through 001 and 002 (their SQL), then
# its ledger (DDL and rows on stdin) and the edits in $2, as role $3.
tool_db() {
  pgtest_createdb "$1"
  db=$PGTEST_DB
  { cat "$m/001_orders.sql" "$m/002_items.sql"; cat; printf '%s\n' "${2:-}"; } |
    pgtest_psql "$db" -v ON_ERROR_STOP=1 >/dev/null
}
dbmate="CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
INSERT INTO schema_migrations VALUES ('001'), ('002');"
edits='ALTER TABLE orders DROP COLUMN note; DROP INDEX orders_total;'
plan() { # TOOL TABLE ROWS SUMS
  printf "%s's ledger public.%s: %s\n" "$1" "$2" "$3"
  printf 'record as applied (2):\n  1 001_orders.sql\n  2 002_items.sql\n'
  printf 'pending (1):\n  3 003_later.sql\nforeign rows with no embedded migration (0)\n%s\n' "$4"
}
verified="schema: verified: the database's schema is what the 2 adopted migrations build (replayed on a scratch database)"
written() { # TOOL TABLE
  printf 'adopted 2 migrations from %s into public.migc_migrations\n' "$1"
  printf 'public.%s is left as it was; when nothing reads it any more, run:\n' "$2"
  printf '  DROP TABLE "public"."%s";\n' "$2"
}
differences="schema: 2 differences between the database and a replay of the 2 adopted migrations (the database's side first):
  table public.orders: column note: only in the migrations
  index public.orders_total: only in the migrations"
refusal="flat: error: the database's schema is not what the 2 adopted migrations build (2 differences, listed above): nothing written; make the database agree with the migrations (or the files with the database), or skip the comparison with --no-verify-schema"

# ---- equal: adopted, and said so ------------------------------------------------
tool_db equal <<<"$dbmate"
run equal "$tmp/flat" --database "$db" adopt
expect_status 0
{ plan dbmate schema_migrations "2 rows" "checksums: none (dbmate keeps none)"
  echo "$verified"; written dbmate schema_migrations; } >"$tmp/w"; expect out <"$tmp/w"
[ "$(psql_at "$db" "SELECT count(*) FROM migc_migrations WHERE adopted_from = 'dbmate'")" = 2 ] ||
  fail "the ledger holds no 2 adopted rows"
no_scratch

# left out of the comparison: another tool's ledger beside the adopted one,
# and a ledger under another name (--ledger-table)
tool_db beside <<SQL
$dbmate
CREATE TABLE pgmigrations (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL);
SQL
run beside "$tmp/flat" --database "$db" adopt --from dbmate --dry-run
expect_status 0
grep -qxF "$verified" "$tmp/beside.out" || fail "not verified: $(cat "$tmp/beside.out" "$tmp/beside.err")"
tool_db renamed <<'SQL'
CREATE TABLE deploy_versions (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO deploy_versions VALUES (2, false);
SQL
run renamed "$tmp/flat" --database "$db" adopt --ledger-table deploy_versions --dry-run
expect_status 0
grep -qxF "$verified" "$tmp/renamed.out" || fail "not verified: $(cat "$tmp/renamed.out" "$tmp/renamed.err")"

# ---- a column dropped, an index missing: refused ------------------------------
tool_db edited "$edits" <<<"$dbmate"
run edited_dry "$tmp/flat" --database "$db" adopt --dry-run
expect_status 4
{ plan dbmate schema_migrations "2 rows" "checksums: none (dbmate keeps none)"
  echo "$differences"; } >"$tmp/w"; expect out <"$tmp/w"
expect err <<<"$refusal"
no_ledger "$db"
run edited "$tmp/flat" --database "$db" adopt
expect_status 4
{ plan dbmate schema_migrations "2 rows" "checksums: none (dbmate keeps none)"
  echo "$differences"; } >"$tmp/w"; expect out <"$tmp/w"
expect err <<<"$refusal"
no_ledger "$db"
no_scratch
# up --adopt refuses alike, before applying anything
run edited_up "$tmp/flat" --database "$db" up --adopt
expect_status 4
expect err <<<"$refusal"
no_ledger "$db"
[ "$(psql_at "$db" "SELECT to_regclass('public.later') IS NULL")" = t ] || fail "up applied 003"
# --no-verify-schema: skipped, and said so
run edited_skip "$tmp/flat" --database "$db" adopt --no-verify-schema
expect_status 0
{ plan dbmate schema_migrations "2 rows" "checksums: none (dbmate keeps none)"
  echo "schema: not verified (--no-verify-schema)"; written dbmate schema_migrations; } >"$tmp/w"; expect out <"$tmp/w"
[ "$(psql_at "$db" "SELECT count(*) FROM migc_migrations")" = 2 ] || fail "not adopted"

# golang-migrate (one row: the version it is at), the same edits
tool_db golang "$edits" <<'SQL'
CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (2, false);
SQL
run golang "$tmp/flat" --database "$db" adopt
expect_status 4
{ plan golang-migrate schema_migrations "1 row" "checksums: none (golang-migrate keeps none)"
  echo "$differences"; } >"$tmp/w"; expect out <"$tmp/w"
expect err <<<"$refusal"
no_ledger "$db"

# ---- a tool with checksums: compared only on --verify-schema -------------------
sha() { python3 -c "import hashlib,sys; print(hashlib.$1(open(sys.argv[1],'rb').read()).hexdigest())" "$2"; }
sqlx="CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
  installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL,
  checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);
INSERT INTO _sqlx_migrations VALUES
  (1, 'orders', now(), true, '\\x$(sha sha384 "$m/001_orders.sql")', 1),
  (2, 'items', now(), true, '\\x$(sha sha384 "$m/002_items.sql")', 1);"
tool_db sqlx "$edits" <<<"$sqlx"
run sqlx_forced "$tmp/flat" --database "$db" adopt --verify-schema
expect_status 4
{ plan sqlx _sqlx_migrations "2 rows" "checksums: 2 verified (SHA-384)"
  echo "$differences"; } >"$tmp/w"; expect out <"$tmp/w"
expect err <<<"$refusal"
no_ledger "$db"
run sqlx_default "$tmp/flat" --database "$db" adopt --dry-run
expect_status 0
{ plan sqlx _sqlx_migrations "2 rows" "checksums: 2 verified (SHA-384)"
  echo "dry run: nothing written"; } >"$tmp/w"; expect out <"$tmp/w"

# ---- a role without CREATEDB ----------------------------------------------------
role=migc_nocreatedb_$$
pgtest_admin "DROP ROLE IF EXISTS $role"
pgtest_admin "CREATE ROLE $role LOGIN NOCREATEDB"
pgtest_createdb nocreatedb
pgtest_admin "ALTER DATABASE $PGTEST_DB_NAME OWNER TO $role"
db="host='$PGHOST' user='$role' dbname='$PGTEST_DB_NAME'"
{ cat "$m/001_orders.sql" "$m/002_items.sql"; echo "$dbmate"; } |
  pgtest_psql "$db" -v ON_ERROR_STOP=1 >/dev/null
run nocreatedb "$tmp/flat" --database "$db" adopt
expect_status 4
expect err <<ERR
flat: error: verifying the schema replays the adopted migrations on a scratch database, but role $role may not create one (it lacks the CREATEDB privilege): nothing written; grant it (ALTER ROLE $role CREATEDB) or adopt as a role that has it, or skip the comparison with --no-verify-schema
ERR
no_ledger "$db"
run nocreatedb_skip "$tmp/flat" --database "$db" adopt --no-verify-schema
expect_status 0
pgtest_admin "DROP DATABASE $PGTEST_DB_NAME WITH (FORCE)"
pgtest_admin "DROP ROLE $role"

# ---- SIGTERM during the replay: the scratch database dropped -------------------
pgtest_createdb sigterm
db=$PGTEST_DB
pgtest_psql "$db" -c "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('001')" >/dev/null
last=sigterm
"$tmp/slow" --database "$db" adopt >"$tmp/sigterm.out" 2>&1 &
pid=$!
for _ in $(seq 100); do
  [ -z "$(psql_at "$db" "SELECT 1 FROM pg_stat_activity WHERE datname LIKE 'migc\_adopt\_${pid}\_%' AND query LIKE '%pg_sleep%' AND state = 'active'")" ] || break
  sleep 0.1
done
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[ "$status" = 143 ] || fail "exit $status after SIGTERM, expected 143: $(cat "$tmp/sigterm.out")"
[ -z "$(psql_at "$db" "SELECT datname FROM pg_database WHERE datname LIKE 'migc\_adopt\_${pid}\_%'")" ] ||
  fail "the scratch database was left"
no_ledger "$db"

# ---- usage ------------------------------------------------------------------------
run both "$tmp/flat" --database "$db" adopt --verify-schema --no-verify-schema
expect_status 2
[ "$(head -1 "$tmp/both.err")" = "flat: error: --verify-schema and --no-verify-schema contradict each other" ] ||
  fail "$(head -1 "$tmp/both.err")"
run not_adopting "$tmp/flat" --database "$db" status --verify-schema
expect_status 2
[ "$(head -1 "$tmp/not_adopting.err")" = "flat: error: --from, --ledger-table and --[no-]verify-schema are for adopt and up --adopt" ] ||
  fail "$(head -1 "$tmp/not_adopting.err")"

exit $((failures > 0))

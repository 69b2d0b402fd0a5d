#!/usr/bin/env bash
# adopt.sh: `adopt` takes over another tool's ledger (issue 17). For each
# tool its ledger is made here with the tool's documented DDL and rows
# (checksums computed here with python3's hashlib, apart from migc's own
# code) over a database the chain's SQL built: `adopt --dry-run` prints
# the exact plan and writes nothing, `adopt` records the rows, `up` applies
# what is pending and then is up to date, the foreign table is unchanged
# (pg_dump), a second adopt is a no-op. Every refusal: exact message, exit
# 4, no migc ledger afterwards. `up` refuses a foreign ledger without
# migc's; `up --adopt` adopts then applies; 8 at once adopt once. A
# baseline's carried originals are adopted, the baseline counted crossed.
#   adopt.sh MIGC CC INCLUDE LIBCLI LIBMIGC SQUASH_ARCH_SERVICE
set -euo pipefail
shopt -s lastpipe # `... | expect err` counts failures in this shell
migc=$1 cc=$2 include=$3 libcli=$4 libmigc=$5 arch=$6
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

# ---- the services: one chain in three layouts --------------------------------
build() { # NAME DIR: the service NAME from the migrations in DIR
  (cd "$tmp" && "$migc" compile "$2" -o "$1_schema.c" --header "$1_schema.h" \
    --name "$1_schema") || { echo "migc compile $2 failed" >&2; exit 1; }
  printf '#include <migc.h>\n#include "%s_schema.h"\nint main(int argc, char **argv) { return migc_main(argc, argv, &%s_schema); }\n' \
    "$1" "$1" >"$tmp/$1_main.c"
  read -r -a ccv <<<"$cc"
  "${ccv[@]}" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include" -I"$tmp" \
    -o "$tmp/$1" "$tmp/$1_main.c" "$tmp/$1_schema.c" "$libcli" "$libmigc" \
    -L"$(pg_config --libdir)" -lpq -pthread || { echo "cannot build $1" >&2; exit 1; }
}
mkdir -p "$tmp/src/flat" "$tmp/src/prisma/migrations" "$tmp/src/diesel/migrations"
for x in a b c d; do
  n=$(( $(printf '%d' "'$x") - 96 ))
  [ "$x" != d ] || n=5 # 4 is no migration: an unknown row may sit there
  printf 'CREATE TABLE %s (id int PRIMARY KEY);\n' "$x" >"$tmp/src/flat/00${n}_$x.sql"
  mkdir -p "$tmp/src/prisma/migrations/2024010100000${n}_$x" "$tmp/src/diesel/migrations/2024-01-01-00000${n}_$x"
  cp "$tmp/src/flat/00${n}_$x.sql" "$tmp/src/prisma/migrations/2024010100000${n}_$x/migration.sql"
  cp "$tmp/src/flat/00${n}_$x.sql" "$tmp/src/diesel/migrations/2024-01-01-00000${n}_$x/up.sql"
  printf 'DROP TABLE %s;\n' "$x" >"$tmp/src/diesel/migrations/2024-01-01-00000${n}_$x/down.sql"
done
printf 'provider = "postgresql"\n' >"$tmp/src/prisma/migrations/migration_lock.toml"
build flat src/flat
build prisma src/prisma/migrations
build diesel src/diesel/migrations
sha() { python3 -c "import hashlib,sys; print(hashlib.$1(open(sys.argv[1],'rb').read()).hexdigest())" "$2"; }

# A database the tool migrated through a, b, c: the chain's first three
# files' SQL, then the tool's ledger (DDL and rows from stdin).
tool_db() {
  pgtest_createdb "$1"
  db=$PGTEST_DB
  for x in a b c; do psql_at "$db" "CREATE TABLE $x (id int PRIMARY KEY)" >/dev/null; done
  pgtest_psql "$db" -q -v ON_ERROR_STOP=1 >/dev/null
}

# plan SERVICE TOOL TABLE ROWS SUMS [DRY]: the plan of a database holding
# a, b, c of the chain SERVICE's layout names.
names() {
  case $1 in
  flat) v1=1 v2=2 v3=3 v4=5 n1=001_a.sql n2=002_b.sql n3=003_c.sql n4=005_d.sql ;;
  prisma) v1=2024010100000100 v2=2024010100000200 v3=2024010100000300 v4=2024010100000500
    n1=20240101000001_a/migration.sql n2=20240101000002_b/migration.sql
    n3=20240101000003_c/migration.sql n4=20240101000005_d/migration.sql ;;
  diesel) v1=2024010100000100000 v2=2024010100000200000 v3=2024010100000300000 v4=2024010100000500000
    n1=2024-01-01-000001_a/up.sql n2=2024-01-01-000002_b/up.sql
    n3=2024-01-01-000003_c/up.sql n4=2024-01-01-000005_d/up.sql ;;
  esac
}
plan() {
  names "$1"
  printf "%s's ledger public.%s: %s\n" "$2" "$3" "$4"
  printf 'record as applied (3):\n  %s %s\n  %s %s\n  %s %s\n' "$v1" "$n1" "$v2" "$n2" "$v3" "$n3"
  printf 'pending (1):\n  %s %s\n' "$v4" "$n4"
  printf 'foreign rows with no embedded migration (0)\n%s\n' "$5"
  # the tools without checksums compare the schema (adopt_verify.sh)
  case $5 in "checksums: none"*)
    echo "schema: verified: the database's schema is what the 3 adopted migrations build (replayed on a scratch database)" ;;
  esac
}

# adopt_case SERVICE TOOL TABLE ROWS SUMS: the whole round, the ledger's
# DDL and rows on stdin.
adopt_case() {
  local svc=$1 tool=$2 table=$3 rows=$4 sums=$5 d
  tool_db "$tool"
  d=$db
  dump "$d" "$table" >"$tmp/$tool.before"
  names "$svc"
  run "${tool}_refused_up" "$tmp/$svc" --database "$d" up
  expect_status 4
  expect err <<ERR
$svc: error: this database has no migc ledger but holds $tool's ledger public.$table: nothing was applied; run \`adopt\` to record what $tool applied (\`adopt --dry-run\` shows the plan; \`up --adopt\` adopts, then applies)
ERR
  [ "$(psql_at "$d" "SELECT to_regclass('public.d') IS NULL")" = t ] || fail "up applied d"
  no_ledger "$d"
  run "${tool}_dry" "$tmp/$svc" --database "$d" adopt --dry-run
  expect_status 0
  { plan "$svc" "$tool" "$table" "$rows" "$sums"; echo 'dry run: nothing written'; } >"$tmp/plan"
  expect out <"$tmp/plan"
  no_ledger "$d"
  run "${tool}_adopt" "$tmp/$svc" --database "$d" adopt
  expect_status 0
  { plan "$svc" "$tool" "$table" "$rows" "$sums"
    printf 'adopted 3 migrations from %s into public.migc_migrations\n' "$tool"
    printf 'public.%s is left as it was; when nothing reads it any more, run:\n' "$table"
    printf '  DROP TABLE "public"."%s";\n' "$table"
    [ "$tool" != kysely ] || printf '  DROP TABLE IF EXISTS "public"."kysely_migration_lock";\n'
  } >"$tmp/plan"
  expect out <"$tmp/plan"
  [ "$(ledger "$d")" = "$v1:$n1:$tool $v2:$n2:$tool $v3:$n3:$tool" ] ||
    fail "ledger: $(ledger "$d")"
  run "${tool}_up" "$tmp/$svc" --database "$d" up
  expect_status 0
  expect out <<OUT
applying $n4 (1/1)
applied $n4 (N ms)
applied 1 migration; database is up to date
OUT
  run "${tool}_up2" "$tmp/$svc" --database "$d" up
  expect_status 0
  expect out <<'OUT'
database is up to date (4 migrations; 1 round trip)
OUT
  run "${tool}_again" "$tmp/$svc" --database "$d" adopt
  expect_status 0
  expect out <<'OUT'
already adopted: public.migc_migrations holds 4 rows; nothing written
OUT
  dump "$d" "$table" >"$tmp/$tool.after"
  cmp -s "$tmp/$tool.before" "$tmp/$tool.after" || fail "$tool's table changed"
  run "${tool}_status" "$tmp/$svc" --database "$d" status
  grep -q "adopted from $tool's ledger" "$tmp/${tool}_status.out" ||
    fail "status does not show the adopted rows"
  run "${tool}_status_json" "$tmp/$svc" --database "$d" status --format=json
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["migrations"]; assert [e["adopted_from"] for e in m] == [sys.argv[2]] * 3 + [None], m' \
    "$tmp/${tool}_status_json.out" "$tool" || fail "status JSON: adopted_from"
}

f=$tmp/src/flat
adopt_case flat sqlx _sqlx_migrations "3 rows" "checksums: 3 verified (SHA-384)" <<SQL
CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
  installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL,
  checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);
INSERT INTO _sqlx_migrations VALUES
  (1, 'a', '2024-01-01 00:00:01+00', true, '\\x$(sha sha384 "$f/001_a.sql")', 1000),
  (2, 'b', '2024-01-01 00:00:02+00', true, '\\x$(sha sha384 "$f/002_b.sql")', 1000),
  (3, 'c', '2024-01-01 00:00:03+00', true, '\\x$(sha sha384 "$f/003_c.sql")', 1000);
SQL
[ "$(psql_at "$db" "SELECT string_agg(applied_at::text, ' ' ORDER BY version) FROM migc_migrations WHERE version < 4")" = \
  "$(psql_at "$db" "SELECT string_agg(installed_on::text, ' ' ORDER BY version) FROM _sqlx_migrations")" ] ||
  fail "applied_at is not sqlx's installed_on"

adopt_case flat dbmate schema_migrations "3 rows" "checksums: none (dbmate keeps none)" <<'SQL'
CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
INSERT INTO schema_migrations VALUES ('001'), ('002'), ('003');
SQL

adopt_case flat golang-migrate schema_migrations "1 row" "checksums: none (golang-migrate keeps none)" <<'SQL'
CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (3, false);
SQL

adopt_case flat goose goose_db_version "3 rows" "checksums: none (goose keeps none)" <<'SQL'
CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL,
  is_applied boolean NOT NULL, tstamp timestamp NULL DEFAULT now(), PRIMARY KEY (id));
INSERT INTO goose_db_version (version_id, is_applied) VALUES
  (0, true), (1, true), (2, true), (3, true), (3, false), (3, true);
SQL

adopt_case flat kysely kysely_migration "3 rows" "checksums: none (kysely keeps none)" <<'SQL'
CREATE TABLE kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL);
CREATE TABLE kysely_migration_lock (id varchar(255) NOT NULL PRIMARY KEY, is_locked integer NOT NULL DEFAULT 0);
INSERT INTO kysely_migration_lock VALUES ('migration_lock', 0);
INSERT INTO kysely_migration VALUES ('001_a', '2024-01-01T00:00:01.000Z'),
  ('002_b', '2024-01-01T00:00:02.000Z'), ('003_c', '2024-01-01T00:00:03.000Z');
SQL

adopt_case flat postgrator schemaversion "3 rows" "checksums: 3 verified (MD5)" <<SQL
CREATE TABLE schemaversion (version BIGINT PRIMARY KEY, name TEXT, md5 TEXT, run_at TIMESTAMPTZ);
INSERT INTO schemaversion VALUES
  (1, 'a', '$(sha md5 "$f/001_a.sql")', now()), (2, 'b', '$(sha md5 "$f/002_b.sql")', now()),
  (3, 'c', '$(sha md5 "$f/003_c.sql")', now());
SQL

adopt_case flat node-pg-migrate pgmigrations "3 rows" "checksums: none (node-pg-migrate keeps none)" <<'SQL'
CREATE TABLE pgmigrations (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL);
INSERT INTO pgmigrations (name, run_on) VALUES ('001_a', now()), ('002_b', now()), ('003_c', now());
SQL

adopt_case diesel diesel __diesel_schema_migrations "3 rows" "checksums: none (diesel keeps none)" <<'SQL'
CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL,
  run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
INSERT INTO __diesel_schema_migrations (version) VALUES ('20240101000001'), ('20240101000002'), ('20240101000003');
SQL

p=$tmp/src/prisma/migrations
prisma_ddl='CREATE TABLE _prisma_migrations (id VARCHAR(36) PRIMARY KEY NOT NULL,
  checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ, migration_name VARCHAR(255) NOT NULL,
  logs TEXT, rolled_back_at TIMESTAMPTZ, started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  applied_steps_count INTEGER NOT NULL DEFAULT 0);'
# 20240101000002_b's row was recorded from a checkout with CR LF endings,
# which prisma accepts: so does adopt
adopt_case prisma prisma _prisma_migrations "3 rows" "checksums: 3 verified (SHA-256)" <<SQL
$prisma_ddl
INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES
  ('i1', '$(sha sha256 "$p/20240101000001_a/migration.sql")', now(), '20240101000001_a', 1),
  ('i2', '$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1], "rb").read().replace(b"\n", b"\r\n")).hexdigest())' "$p/20240101000002_b/migration.sql")', now(), '20240101000002_b', 1),
  ('i3', '$(sha sha256 "$p/20240101000003_c/migration.sql")', now(), '20240101000003_c', 1);
SQL

# ---- refusals: exact message, exit 4, no migc ledger ---------------------------
# refuse NAME SERVICE MESSAGE [ARGS...]: adopt refused on $db.
refuse() {
  local name=$1 svc=$2 msg=$3
  shift 3
  run "$name" "$tmp/$svc" --database "$db" adopt "$@"
  expect_status 4
  printf '%s: error: %s\n' "$svc" "$msg" | expect err
  no_ledger "$db"
}
tool_db dirty <<'SQL'
CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (3, true);
SQL
refuse dirty flat "golang-migrate's ledger public.schema_migrations is dirty at version 3 (its migration failed part-way): nothing written; fix the database, then \`migrate force VERSION\` with the version it really is at, and adopt"
tool_db sqlx_failed <<'SQL'
CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
  installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL,
  checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);
INSERT INTO _sqlx_migrations VALUES (1, 'a', now(), true, '\x00', 1), (2, 'b', now(), false, '\x00', 1);
SQL
refuse sqlx_failed flat "sqlx's row version 2 (b) in public._sqlx_migrations is recorded as failed (success = false): nothing written; fix the database and run it again with sqlx, then adopt"
tool_db prisma_unfinished <<SQL
$prisma_ddl
INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name) VALUES
  ('i1', '$(sha sha256 "$p/20240101000001_a/migration.sql")', now(), '20240101000001_a'),
  ('i2', 'x', NULL, '20240101000002_b');
SQL
refuse prisma_unfinished prisma "prisma's migration 20240101000002_b in public._prisma_migrations never finished (finished_at is NULL): nothing written; fix the database, then \`prisma migrate resolve --applied 20240101000002_b\` (or --rolled-back), and adopt"
tool_db prisma_rolled_back <<SQL
$prisma_ddl
INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, rolled_back_at) VALUES
  ('i1', '$(sha sha256 "$p/20240101000001_a/migration.sql")', now(), '20240101000001_a', NULL),
  ('i2', 'x', NULL, '20240101000002_b', now());
SQL
refuse prisma_rolled_back prisma "prisma's migration 20240101000002_b in public._prisma_migrations was rolled back and not applied again: nothing written; apply it with \`prisma migrate deploy\`, then adopt"
tool_db prisma_checksum <<SQL
$prisma_ddl
INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name) VALUES
  ('i1', '$(sha sha256 "$p/20240101000001_a/migration.sql")', now(), '20240101000001_a'),
  ('i2', '$(printf 'CREATE TABLE b (id int);\n' | python3 -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')', now(), '20240101000002_b');
SQL
refuse prisma_checksum prisma "prisma's migration 20240101000002_b in public._prisma_migrations has checksum $(printf 'CREATE TABLE b (id int);\n' | python3 -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())'), but src/prisma/migrations/20240101000002_b/migration.sql's SHA-256 is $(sha sha256 "$p/20240101000002_b/migration.sql"): the file differs from what prisma applied; nothing written; restore it, then adopt"
wrong=$(printf 'CREATE TABLE b (id int);\n' >"$tmp/wrong.sql"; sha sha384 "$tmp/wrong.sql")
tool_db sqlx_checksum <<SQL
CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
  installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL,
  checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);
INSERT INTO _sqlx_migrations VALUES
  (1, 'a', now(), true, '\\x$(sha sha384 "$f/001_a.sql")', 1), (2, 'b', now(), true, '\\x$wrong', 1);
SQL
refuse sqlx_checksum flat "sqlx's version 2 (b) in public._sqlx_migrations has checksum $wrong, but src/flat/002_b.sql's SHA-384 is $(sha sha384 "$f/002_b.sql"): the file differs from what sqlx applied; nothing written; restore it, then adopt"
wrong=$(sha md5 "$tmp/wrong.sql")
tool_db postgrator_checksum <<SQL
CREATE TABLE schemaversion (version BIGINT PRIMARY KEY, name TEXT, md5 TEXT, run_at TIMESTAMPTZ);
INSERT INTO schemaversion VALUES (1, 'a', '$(sha md5 "$f/001_a.sql")', now()), (2, 'b', '$wrong', now());
SQL
refuse postgrator_checksum flat "postgrator's version 2 (b) in public.schemaversion has checksum $wrong, but src/flat/002_b.sql's MD5 is $(sha md5 "$f/002_b.sql"): the file differs from what postgrator applied; nothing written; restore it, then adopt"
tool_db goose_down <<'SQL'
CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL,
  is_applied boolean NOT NULL, tstamp timestamp NULL DEFAULT now(), PRIMARY KEY (id));
INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true), (2, false);
SQL
refuse goose_down flat "goose's version 2 in public.goose_db_version was last rolled back (its last event has is_applied = false): nothing written; apply it again with \`goose up\`, then adopt"
tool_db flyway <<'SQL'
CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY, version VARCHAR(50),
  description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL,
  checksum INT, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(),
  execution_time INT NOT NULL, success BOOLEAN NOT NULL);
INSERT INTO flyway_schema_history VALUES (1, '1', 'a', 'SQL', 'V1__a.sql', 0, 'me', now(), 1, true);
SQL
# recognised, but this chain is not in Flyway's layout: nothing to map its
# rows to (adopt_flyway.sh adopts a Flyway chain)
refuse flyway flat "this binary's migrations are not in Flyway's layout (V1__x.sql), so its schema carries no Flyway versions or checksums to map flyway's ledger public.flyway_schema_history to: nothing written; compile the directory Flyway ran, then adopt"
tool_db interleaved <<'SQL'
CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
INSERT INTO schema_migrations VALUES ('001'), ('002'), ('004');
SQL
refuse interleaved flat "dbmate's row version 004 in public.schema_migrations maps to no migration this binary embeds and is not newer than all of them: nothing written; restore its migration file (or squash it into a baseline), build again, then adopt"
tool_db two <<'SQL'
CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
INSERT INTO schema_migrations VALUES ('001');
CREATE TABLE pgmigrations (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL);
INSERT INTO pgmigrations (name, run_on) VALUES ('001_a', now());
SQL
refuse two flat "this database holds two other tools' ledgers, node-pg-migrate's public.pgmigrations and dbmate's public.schema_migrations: nothing written; choose one with --from TOOL"
# --from chooses; a row newer than the binary is listed and left out.
psql_at "$db" "INSERT INTO schema_migrations VALUES ('009')" >/dev/null
run two_from "$tmp/flat" --database "$db" adopt --from dbmate --dry-run --no-verify-schema
expect_status 0
expect out <<'OUT'
dbmate's ledger public.schema_migrations: 2 rows
record as applied (1):
  1 001_a.sql
pending (3):
  2 002_b.sql
  3 003_c.sql
  5 005_d.sql
foreign rows with no embedded migration (1): newer than this binary, left out:
  version 009
checksums: none (dbmate keeps none)
schema: not verified (--no-verify-schema)
dry run: nothing written
OUT
no_ledger "$db"

# --ledger-table: the tool's table under another name, told by its columns.
tool_db renamed <<'SQL'
CREATE TABLE deploy_versions (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO deploy_versions VALUES (2, false);
SQL
run renamed_none "$tmp/flat" --database "$db" adopt
expect_status 1
expect err <<'ERR'
flat: error: no other tool's ledger in the search_path's schema or public: nothing to adopt; --ledger-table NAME names one under another name
ERR
run renamed "$tmp/flat" --database "$db" adopt --ledger-table deploy_versions --no-verify-schema
expect_status 0
[ "$(ledger "$db")" = "1:001_a.sql:golang-migrate 2:002_b.sql:golang-migrate" ] || fail "ledger: $(ledger "$db")"

# ---- up --adopt, and 8 at once ----------------------------------------------
kysely_rows="CREATE TABLE kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL);
INSERT INTO kysely_migration VALUES ('001_a', '2024-01-01T00:00:01.000Z'), ('002_b', '2024-01-01T00:00:02.000Z'), ('003_c', '2024-01-01T00:00:03.000Z');"
tool_db up_adopt <<<"$kysely_rows"
run up_adopt "$tmp/flat" --database "$db" up --adopt
expect_status 0
grep -q '^adopted 3 migrations from kysely' "$tmp/up_adopt.out" || fail "did not adopt"
grep -q '^applied 1 migration; database is up to date' "$tmp/up_adopt.out" || fail "did not apply d"
run up_adopt2 "$tmp/flat" --database "$db" up --adopt
expect_status 0
expect out <<'OUT'
database is up to date (4 migrations; 1 round trip)
OUT
# with --format=json stdout holds the document alone: the plan goes to stderr
tool_db up_adopt_json <<<"$kysely_rows"
run up_adopt_json "$tmp/flat" --database "$db" up --adopt --format=json
expect_status 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["applied"]) == 1, d' \
  "$tmp/up_adopt_json.out" || fail "stdout is not up's JSON document alone"
grep -q '^adopted 3 migrations from kysely' "$tmp/up_adopt_json.err" || fail "the plan is not on stderr"
tool_db eight <<<"$kysely_rows"
pids=()
for i in 1 2 3 4 5 6 7 8; do
  "$tmp/flat" --database "$db" up --adopt >"$tmp/eight$i.out" 2>&1 &
  pids+=($!)
done
for i in 0 1 2 3 4 5 6 7; do wait "${pids[$i]}" || fail "up --adopt $((i + 1)) failed: $(cat "$tmp/eight$((i + 1)).out")"; done
last=eight
[ "$(cat "$tmp"/eight*.out | grep -c '^adopted 3 migrations')" = 1 ] || fail "adopted more or less than once"
[ "$(ledger "$db")" = "1:001_a.sql:kysely 2:002_b.sql:kysely 3:003_c.sql:kysely 5:005_d.sql:-" ] || fail "ledger: $(ledger "$db")"

# ---- a baseline: the old tool ran its originals ---------------------------------
pgtest_createdb baseline
db=$PGTEST_DB
pgtest_psql "$db" <<'SQL'
CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY);
CREATE TABLE pgmigrations (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL);
INSERT INTO pgmigrations (name, run_on) VALUES ('001_a', now()), ('002_b', now());
SQL
svc=$(basename "$arch")
run baseline_dry "$arch" --database "$db" adopt --dry-run
expect_status 0
expect out <<'OUT'
node-pg-migrate's ledger public.pgmigrations: 2 rows
record as applied (2):
  1 001_a.sql
  2 002_b.sql
pending (1):
  3 003_c.sql (replaced by baseline 4)
foreign rows with no embedded migration (0)
checksums: none (node-pg-migrate keeps none)
schema: verified: the database's schema is what the 2 adopted migrations build (replayed on a scratch database)
dry run: nothing written
OUT
run baseline_up "$arch" --database "$db" up --adopt
expect_status 0
run baseline_up2 "$arch" --database "$db" up
expect_status 0
expect out <<'OUT'
database is up to date (1 migration; 1 round trip)
OUT
[ "$(ledger "$db")" = "1:001_a.sql:node-pg-migrate 2:002_b.sql:node-pg-migrate 3:003_c.sql:-" ] || fail "ledger: $(ledger "$db")"
: "$svc"

# check and plan refuse like up
tool_db check_refused <<<"$kysely_rows"
run check_refused "$tmp/flat" --database "$db" check
expect_status 4
no_ledger "$db"
run plan_refused "$tmp/flat" --database "$db" plan
expect_status 4

# usage
run bad_from "$tmp/flat" --database "$db" adopt --from rails
expect_status 2
run dry_up "$tmp/flat" --database "$db" up --dry-run
expect_status 2

exit $((failures > 0))

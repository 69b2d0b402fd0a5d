#!/usr/bin/env bash
# adopt_baseline.sh: a database another tool migrated through the
# migrations a migc baseline squashes (the binary carries them as its
# archive) is adopted onto those originals, for each kind of identity: a
# version (sqlx, with its checksums of the archived files; goose's events;
# golang-migrate's one row), a version string (dbmate), a name (Kysely);
# the baseline is then crossed (`up` up to date, nothing applied) or its
# missing originals applied. A tool whose ledger already records the
# baseline itself (the hand-inserted baseline row of a team that squashed
# in the old tool) maps onto the baseline.
#   adopt_baseline.sh SQUASH_ARCH_SERVICE SQUASH_ARCH_DIR
set -euo pipefail
shopt -s lastpipe
svc=$1 src=$2
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
sha384() { python3 -c "import hashlib,sys; print(hashlib.sha384(open(sys.argv[1],'rb').read()).hexdigest())" "$1"; }
o=$src/squashed/4

# old_db NAME TABLES: a database holding the tables the old tool made (a b
# or a b c), then the tool's ledger (DDL and rows on stdin).
old_db() {
  pgtest_createdb "$1"
  db=$PGTEST_DB
  for x in $2; do psql_at "$db" "CREATE TABLE $x (id int PRIMARY KEY)" >/dev/null; done
  pgtest_psql "$db" -q -v ON_ERROR_STOP=1 >/dev/null
}

# crossed NAME TOOL: adopted a, b, c; the baseline crossed, nothing to apply.
crossed() {
  run "$1" "$svc" --database "$db" up --adopt
  expect_status 0
  grep -q "^adopted 3 migrations from $2" "$tmp/$1.out" || fail "did not adopt 3: $(cat "$tmp/$1.out")"
  grep -q "^database is up to date (1 migration; " "$tmp/$1.out" || fail "up was not up to date: $(cat "$tmp/$1.out")"
  [ "$(ledger "$db")" = "1:001_a.sql:$2 2:002_b.sql:$2 3:003_c.sql:$2" ] || fail "ledger: $(ledger "$db")"
}

old_db sqlx "a b c" <<SQL
CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
  installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL,
  checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);
INSERT INTO _sqlx_migrations VALUES (1, 'a', now(), true, '\\x$(sha384 "$o/001_a.sql")', 1),
  (2, 'b', now(), true, '\\x$(sha384 "$o/002_b.sql")', 1), (3, 'c', now(), true, '\\x$(sha384 "$o/003_c.sql")', 1);
SQL
run sqlx_dry "$svc" --database "$db" adopt --dry-run
expect_status 0
expect out <<'OUT'
sqlx's ledger public._sqlx_migrations: 3 rows
record as applied (3):
  1 001_a.sql
  2 002_b.sql
  3 003_c.sql
pending (0):
foreign rows with no embedded migration (0)
checksums: 3 verified (SHA-384)
dry run: nothing written
OUT
crossed sqlx_up sqlx

# an archived original's checksum is checked like any file's
old_db sqlx_wrong "a b c" <<SQL
CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
  installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL,
  checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);
INSERT INTO _sqlx_migrations VALUES (1, 'a', now(), true, '\\x$(sha384 "$o/001_a.sql")', 1),
  (2, 'b', now(), true, '\\x$(sha384 "$o/001_a.sql")', 1);
SQL
run sqlx_wrong "$svc" --database "$db" adopt
expect_status 4
grep -q "^[a-z_]*: error: sqlx's version 2 (b) in public._sqlx_migrations has checksum $(sha384 "$o/001_a.sql"), but .*squashed/4/002_b.sql's SHA-384 is $(sha384 "$o/002_b.sql"): the file differs" "$tmp/sqlx_wrong.err" ||
  fail "an archived original's checksum not checked: $(cat "$tmp/sqlx_wrong.err")"
[ "$(psql_at "$db" "SELECT to_regclass('public.migc_migrations') IS NULL")" = t ] || fail "migc's ledger exists"

old_db dbmate "a b c" <<'SQL'
CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
INSERT INTO schema_migrations VALUES ('001'), ('002'), ('003');
SQL
crossed dbmate_up dbmate

old_db golang "a b c" <<'SQL'
CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (3, false);
SQL
crossed golang_up golang-migrate

old_db kysely "a b c" <<'SQL'
CREATE TABLE kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL);
INSERT INTO kysely_migration VALUES ('001_a', '2024-01-01T00:00:01.000Z'),
  ('002_b', '2024-01-01T00:00:02.000Z'), ('003_c', '2024-01-01T00:00:03.000Z');
SQL
crossed kysely_up kysely

# goose, part-way: a and b applied; c, the last original, is applied
# from the archive (recorded as itself), the baseline never run.
old_db goose "a b" <<'SQL'
CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL,
  is_applied boolean NOT NULL, tstamp timestamp NULL DEFAULT now(), PRIMARY KEY (id));
INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true);
SQL
run goose_up "$svc" --database "$db" up --adopt
expect_status 0
grep -q '^  3 003_c.sql (replaced by baseline 4)$' "$tmp/goose_up.out" || fail "c not pending from the archive: $(cat "$tmp/goose_up.out")"
[ "$(ledger "$db")" = "1:001_a.sql:goose 2:002_b.sql:goose 3:003_c.sql:-" ] || fail "ledger: $(ledger "$db")"
[ "$(psql_at "$db" "SELECT to_regclass('public.c') IS NOT NULL")" = t ] || fail "c not applied"

# The team squashed in the old tool and inserted the baseline's row by
# hand: the row maps onto the baseline, which is recorded as applied.
old_db kysely_base "a b c" <<'SQL'
CREATE TABLE kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL);
INSERT INTO kysely_migration VALUES ('004_baseline', '2024-02-01T00:00:00.000Z');
SQL
run kysely_base "$svc" --database "$db" up --adopt
expect_status 0
grep -q '^  4 004_baseline.sql$' "$tmp/kysely_base.out" || fail "the baseline row not mapped: $(cat "$tmp/kysely_base.out")"
[ "$(ledger "$db")" = "4:004_baseline.sql:kysely" ] || fail "ledger: $(ledger "$db")"
run kysely_base2 "$svc" --database "$db" up
expect_status 0
expect out <<'OUT'
database is up to date (1 migration; 1 round trip)
OUT

[ "$failures" = 0 ] || exit 1

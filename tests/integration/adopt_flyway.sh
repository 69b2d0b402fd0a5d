#!/usr/bin/env bash
# adopt_flyway.sh: `adopt` takes over Flyway's flyway_schema_history
# (issue 17, docs/adopting.md "Flyway"). A Flyway chain (underscore and
# dotted versions, a sub-folder, a CR LF file, a U script) compiles into a
# service; ledgers are made with Flyway's documented PostgreSQL DDL and
# rows as Flyway writes them, checksums computed here with Python's zlib
# apart from migc's code. The plan is exact; adopt records the rows
# (adopted_from flyway, applied_at Flyway's installed_on); a second adopt
# is a no-op, `up` applies the rest, then is up to date; Flyway's table is
# left as it was. Undo, delete, baseline, schema-creation and repeatable
# rows; a version recorded as "2.0" for V2. Refusals, each exit 4 with the
# exact message and no migc ledger: a wrong checksum, a failed row, another
# description, an interleaved unknown version, a Java migration's row, a
# binary whose schema is of format 6. `up --adopt`. Flyway's table under
# another name (its `table` option) with --ledger-table. The chain squashed
# by migc (V1, V1_1, V1.2 into V1__baseline.sql, originals carried):
# Flyway's rows map to the originals (format 7's flyway_originals), the
# baseline counted crossed.
#   adopt_flyway.sh MIGC CC INCLUDE LIBCLI LIBMIGC
set -euo pipefail
shopt -s lastpipe # `... | expect err` counts failures in this shell
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

# ---- the chain and its service -------------------------------------------------
m=$tmp/src/flyway
mkdir -p "$m/sub"
printf 'CREATE TABLE a (id int PRIMARY KEY);\n' >"$m/V1__create_a.sql"
printf -- '-- b, saved on Windows\r\nCREATE TABLE b (id int PRIMARY KEY);\r\n' \
  >"$m/V1_1__create_b.sql"
printf 'CREATE TABLE c (id int PRIMARY KEY);\n' >"$m/V1.2__create_c.sql"
printf 'CREATE TABLE d (id int PRIMARY KEY);' >"$m/sub/V2__create_d.sql"
printf 'CREATE TABLE e (id int PRIMARY KEY);\n' >"$m/V3__create_e.sql"
printf 'DROP TABLE e;\n' >"$m/U3__create_e.sql"
(cd "$tmp" && "$migc" compile src/flyway -o fw_schema.c --header fw_schema.h \
  --name fw_schema) || { echo "migc compile failed" >&2; exit 1; }
# fw: the service; fw6: the same data in a schema that says format 6, its
# Flyway fields wild (the library must not read them)
cat >"$tmp/fw.c" <<'C'
#include <migc.h>
#include <stdint.h>
#include "fw_schema.h"
int main(int argc, char **argv)
{
#ifdef FORMAT6
    struct migc_schema s = fw_schema;
    s.format = 6;
    s.flyway = (const struct migc_flyway *)(uintptr_t)8;
    s.flyway_originals = s.flyway;
    return migc_main(argc, argv, &s);
#else
    return migc_main(argc, argv, &fw_schema);
#endif
}
C
read -r -a ccv <<<"$cc"
link() { # SERVICE SCHEMA_DIR [CFLAGS...]
  local svc=$1 dir=$2
  shift 2
  "${ccv[@]}" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include" -I"$dir" \
    "$@" -o "$tmp/$svc" "$tmp/fw.c" "$dir/fw_schema.c" "$libcli" "$libmigc" \
    -L"$(pg_config --libdir)" -lpq -pthread || { echo "cannot build $svc" >&2; exit 1; }
}
link fw "$tmp"
link fw6 "$tmp" -DFORMAT6
# The same chain released (locked), then V1..V1.2 squashed by migc into
# V1__baseline.sql, the originals archived and carried.
mkdir -p "$tmp/sq"
cp -R "$tmp/src" "$tmp/sq/src"
url="host='$PGHOST' user='${PGUSER:-postgres}' dbname='${PGDATABASE:-postgres}'"
(cd "$tmp/sq" && "$migc" lock src/flyway >/dev/null &&
  "$migc" squash src/flyway --through 10200 --database "$url" >/dev/null &&
  "$migc" lock src/flyway --squash --database "$url" >/dev/null &&
  "$migc" compile src/flyway -o fw_schema.c --header fw_schema.h --name fw_schema) ||
  { echo "cannot squash the chain" >&2; exit 1; }
link fwsq "$tmp/sq"

# Flyway's checksum, apart from migc: CRC-32 (zlib's) of the lines as
# Java's readLine splits them, terminators left out, a BOM dropped; signed.
crc() {
  python3 - "$1" <<'PY'
import re, sys, zlib
data = open(sys.argv[1], "rb").read()
if data.startswith(b"\xef\xbb\xbf"):
    data = data[3:]
crc = 0
for line in re.split(rb"\r\n|\r|\n", data):
    crc = zlib.crc32(line, crc)
print(crc - (1 << 32) if crc >= 1 << 31 else crc)
PY
}
ca=$(crc "$m/V1__create_a.sql") cb=$(crc "$m/V1_1__create_b.sql")
cc_=$(crc "$m/V1.2__create_c.sql") cd=$(crc "$m/sub/V2__create_d.sql")
ce=$(crc "$m/V3__create_e.sql")

# Flyway's DDL for PostgreSQL (PostgreSQLDatabase.getRawCreateScript).
ddl='CREATE TABLE "public"."flyway_schema_history" (
    "installed_rank" INT NOT NULL,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
);
ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");'
cols='(installed_rank, version, description, type, script, checksum, installed_by, installed_on, execution_time, success)'
# A database Flyway migrated: the tables TABLES made, then its ledger with
# the rows on stdin (VALUES lists).
tool_db() {
  pgtest_createdb "$1"
  db=$PGTEST_DB
  for x in $2; do psql_at "$db" "CREATE TABLE $x (id int PRIMARY KEY)" >/dev/null; done
  { echo "$ddl"; echo "INSERT INTO flyway_schema_history $cols VALUES"; cat; echo ';'; } |
    pgtest_psql "$db" -q -v ON_ERROR_STOP=1 >/dev/null
}
# The rows Flyway writes for V1, V1_1, V1.2 and sub/V2 after creating the
# schema.
rows_abcd="(1, NULL, '<< Flyway Schema Creation >>', 'SCHEMA', '\"public\"', NULL, 'app', '2024-01-01 00:00:00', 0, true),
(2, '1', 'create a', 'SQL', 'V1__create_a.sql', $ca, 'app', '2024-01-01 00:00:01', 5, true),
(3, '1.1', 'create b', 'SQL', 'V1_1__create_b.sql', $cb, 'app', '2024-01-01 00:00:02', 5, true),
(4, '1.2', 'create c', 'SQL', 'V1.2__create_c.sql', $cc_, 'app', '2024-01-01 00:00:03', 5, true),
(5, '2', 'create d', 'SQL', 'sub/V2__create_d.sql', $cd, 'app', '2024-01-01 00:00:04', 5, true)"

record4='record as applied (4):
  10000 V1__create_a.sql
  10100 V1_1__create_b.sql
  10200 V1.2__create_c.sql
  20000 sub/V2__create_d.sql
pending (1):
  30000 V3__create_e.sql'
written="adopted 4 migrations from flyway into public.migc_migrations
public.flyway_schema_history is left as it was; when nothing reads it any more, run:
  DROP TABLE \"public\".\"flyway_schema_history\";"
adopted4="10000:V1__create_a.sql:flyway 10100:V1_1__create_b.sql:flyway 10200:V1.2__create_c.sql:flyway 20000:sub/V2__create_d.sql:flyway"

# ---- the whole round -------------------------------------------------------------
tool_db round "a b c d" <<<"$rows_abcd"
d=$db
dump "$d" flyway_schema_history >"$tmp/before"
run refused_up "$tmp/fw" --database "$d" up
expect_status 4
expect err <<'ERR'
fw: error: this database has no migc ledger but holds flyway's ledger public.flyway_schema_history: nothing was applied; run `adopt` to record what flyway applied (`adopt --dry-run` shows the plan; `up --adopt` adopts, then applies)
ERR
no_ledger "$d"
plan="flyway's ledger public.flyway_schema_history: 5 rows
$record4
foreign rows with no embedded migration (0)
checksums: 4 verified (CRC32)"
run dry "$tmp/fw" --database "$d" adopt --dry-run
expect_status 0
printf '%s\ndry run: nothing written\n' "$plan" | expect out
no_ledger "$d"
run adopt "$tmp/fw" --database "$d" adopt
expect_status 0
printf '%s\n%s\n' "$plan" "$written" | expect out
[ "$(ledger "$d")" = "$adopted4" ] || fail "ledger: $(ledger "$d")"
[ "$(psql_at "$d" "SELECT string_agg(applied_at::text, ' ' ORDER BY version) FROM migc_migrations")" = \
  "$(psql_at "$d" "SELECT string_agg(installed_on::timestamptz::text, ' ' ORDER BY installed_rank) FROM flyway_schema_history WHERE type = 'SQL'")" ] ||
  fail "applied_at is not Flyway's installed_on"
run again "$tmp/fw" --database "$d" adopt
expect_status 0
expect out <<'OUT'
already adopted: public.migc_migrations holds 4 rows; nothing written
OUT
run up "$tmp/fw" --database "$d" up
expect_status 0
expect out <<'OUT'
applying V3__create_e.sql (1/1)
applied V3__create_e.sql (N ms)
applied 1 migration; database is up to date
OUT
run up2 "$tmp/fw" --database "$d" up
expect_status 0
expect out <<'OUT'
database is up to date (5 migrations; 1 round trip)
OUT
run status "$tmp/fw" --database "$d" status
[ "$(grep -c "adopted from flyway's ledger" "$tmp/status.out")" = 4 ] ||
  fail "status does not show the 4 adopted rows: $(cat "$tmp/status.out")"
dump "$d" flyway_schema_history >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" || fail "Flyway's table changed"

# ---- undo, delete, baseline, repeatable, "2.0", a newer version --------------------
# Flyway was baselined at 1.1 (a and b existed), then ran V1.2 and V2
# (recorded as 2.0: Flyway's versions are equal to it), a repeatable script,
# V3 then its undo, a V2.5 that `flyway repair` marked deleted, and a V9
# this binary does not embed yet.
tool_db events "a b c d" <<SQL
(1, '1.1', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', NULL, 'app', '2024-01-01 00:00:01', 0, true),
(2, '1.2', 'create c', 'SQL', 'V1.2__create_c.sql', $cc_, 'app', '2024-01-01 00:00:03', 5, true),
(3, '2.0', 'create d', 'SQL', 'sub/V2__create_d.sql', $cd, 'app', '2024-01-01 00:00:04', 5, true),
(4, NULL, 'grants', 'SQL', 'R__grants.sql', 12345, 'app', '2024-01-01 00:00:05', 5, true),
(5, '3', 'create e', 'SQL', 'V3__create_e.sql', $ce, 'app', '2024-01-01 00:00:06', 5, true),
(6, '3', 'create e', 'UNDO_SQL', 'U3__create_e.sql', 777, 'app', '2024-01-01 00:00:07', 5, true),
(7, '2.5', 'gone', 'SQL', 'V2.5__gone.sql', 99, 'app', '2024-01-01 00:00:08', 5, true),
(8, '2.5', 'gone', 'DELETE', 'V2.5__gone.sql', 99, 'app', '2024-01-01 00:00:09', 0, true),
(9, '9', 'future', 'SQL', 'V9__future.sql', 42, 'app', '2024-01-01 00:00:10', 5, true)
SQL
plan="flyway's ledger public.flyway_schema_history: 9 rows
$record4
foreign rows with no embedded migration (1): newer than this binary, left out:
  version 9 (future)
not adopted (1):
  R__grants.sql (grants): repeatable: migc has no repeatable migrations
checksums: 2 verified (CRC32)
baseline: 2 migrations at or below version 1.1 adopted through Flyway's baseline (no checksum to prove them)"
verified="schema: verified: the database's schema is what the 4 adopted migrations build (replayed on a scratch database)"
run events_dry "$tmp/fw" --database "$db" adopt --dry-run
expect_status 0
printf '%s\n%s\ndry run: nothing written\n' "$plan" "$verified" | expect out
no_ledger "$db"
run events_json "$tmp/fw" --database "$db" adopt --dry-run --format=json
expect_status 0
python3 - "$tmp/events_json.out" <<'PY' || fail "adopt --format=json: $(cat "$tmp/events_json.out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tool"] == "flyway" and d["rows"] == 9, d
assert d["checksums"] == {"state": "verified", "algorithm": "CRC32", "verified": 2}, d
assert d["repeatable"] == ["R__grants.sql (grants)"] and d["through_baseline"] == 2, d
assert d["unmapped"] == ["version 9 (future)"] and len(d["adopt"]) == 4, d
assert d["schema_check"] == "verified" and d["result"] == "dry_run", d
PY
run events "$tmp/fw" --database "$db" adopt
expect_status 0
printf '%s\n%s\n%s\n' "$plan" "$verified" "$written" | expect out
[ "$(ledger "$db")" = "$adopted4" ] || fail "ledger: $(ledger "$db")"
# migrations adopted through the baseline take its time
[ "$(psql_at "$db" "SELECT string_agg(to_char(applied_at AT TIME ZONE current_setting('TimeZone'), 'SS'), ' ' ORDER BY version) FROM migc_migrations")" = "01 01 03 04" ] ||
  fail "applied_at: $(psql_at "$db" "SELECT string_agg(applied_at::text, ' ' ORDER BY version) FROM migc_migrations")"
run events_up "$tmp/fw" --database "$db" up
expect_status 0
grep -q '^applied V3__create_e.sql' "$tmp/events_up.out" || fail "up did not apply the undone V3"
# baseline and repeatable rows: the schema is compared by default, so a
# database that lacks what the baseline claims is refused
tool_db events_drift "a c d" <<SQL
(1, '1.1', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', NULL, 'app', now(), 0, true),
(2, '1.2', 'create c', 'SQL', 'V1.2__create_c.sql', $cc_, 'app', now(), 5, true),
(3, '2', 'create d', 'SQL', 'sub/V2__create_d.sql', $cd, 'app', now(), 5, true)
SQL
run events_drift "$tmp/fw" --database "$db" adopt
expect_status 4
grep -qx '  table public.b: only in the migrations' "$tmp/events_drift.out" ||
  fail "the missing table b is not listed: $(cat "$tmp/events_drift.out")"
no_ledger "$db"

# ---- up --adopt: adopt, then apply, in one run ------------------------------------
tool_db up_adopt "a b c d" <<<"$rows_abcd"
run up_adopt "$tmp/fw" --database "$db" up --adopt
expect_status 0
grep -qx 'adopted 4 migrations from flyway into public.migc_migrations' "$tmp/up_adopt.out" ||
  fail "did not adopt: $(cat "$tmp/up_adopt.out")"
grep -qx 'applied 1 migration; database is up to date' "$tmp/up_adopt.out" ||
  fail "did not apply V3: $(cat "$tmp/up_adopt.out")"
[ "$(ledger "$db")" = "$adopted4 30000:V3__create_e.sql:-" ] || fail "ledger: $(ledger "$db")"

# ---- Flyway's `table` option: another name, --ledger-table ----------------------
tool_db renamed "a b c d" <<<"$rows_abcd"
psql_at "$db" "ALTER TABLE flyway_schema_history RENAME TO deploy_history" >/dev/null
run renamed_none "$tmp/fw" --database "$db" adopt
expect_status 1
run renamed "$tmp/fw" --database "$db" adopt --ledger-table deploy_history
expect_status 0
head -1 "$tmp/renamed.out" | grep -qx "flyway's ledger public.deploy_history: 5 rows" ||
  fail "not read as Flyway's: $(head -1 "$tmp/renamed.out")"
[ "$(ledger "$db")" = "$adopted4" ] || fail "ledger: $(ledger "$db")"

# ---- migc's baseline: Flyway's rows map to the originals it carries ------------
tool_db squashed "a b c d" <<<"$rows_abcd"
run squashed "$tmp/fwsq" --database "$db" adopt
expect_status 0
expect out <<'OUT'
flyway's ledger public.flyway_schema_history: 5 rows
record as applied (4):
  10000 V1__create_a.sql
  10100 V1_1__create_b.sql
  10200 V1.2__create_c.sql
  20000 sub/V2__create_d.sql
pending (1):
  30000 V3__create_e.sql
foreign rows with no embedded migration (0)
checksums: 4 verified (CRC32)
adopted 4 migrations from flyway into public.migc_migrations
public.flyway_schema_history is left as it was; when nothing reads it any more, run:
  DROP TABLE "public"."flyway_schema_history";
OUT
run squashed_up "$tmp/fwsq" --database "$db" up
expect_status 0
grep -q '^applied V3__create_e.sql' "$tmp/squashed_up.out" || fail "up did not apply V3"
run squashed_up2 "$tmp/fwsq" --database "$db" up
expect_status 0
expect out <<'OUT'
database is up to date (3 migrations; 1 round trip)
OUT

# ---- refusals: exact message, exit 4, no migc ledger ---------------------------
refuse() { # NAME SERVICE MESSAGE [ARGS...]: adopt refused on $db
  local name=$1 svc=$2 msg=$3
  shift 3
  run "$name" "$tmp/$svc" --database "$db" adopt "$@"
  expect_status 4
  printf '%s: error: %s\n' "$svc" "$msg" | expect err
  no_ledger "$db"
}
tool_db wrong_checksum "a b" <<SQL
(1, '1', 'create a', 'SQL', 'V1__create_a.sql', $ca, 'app', now(), 5, true),
(2, '1.1', 'create b', 'SQL', 'V1_1__create_b.sql', 12345, 'app', now(), 5, true)
SQL
refuse wrong_checksum fw "flyway's version 1.1 (create b) in public.flyway_schema_history has checksum 12345, but src/flyway/V1_1__create_b.sql's CRC32 is $cb: the file differs from what flyway applied; nothing written; restore it, then adopt"
tool_db failed "a b" <<SQL
(1, '1', 'create a', 'SQL', 'V1__create_a.sql', $ca, 'app', now(), 5, true),
(2, '1.1', 'create b', 'SQL', 'V1_1__create_b.sql', $cb, 'app', now(), 5, false)
SQL
refuse failed fw "flyway's row version 1.1 (create b) (installed_rank 2, script V1_1__create_b.sql) in public.flyway_schema_history is recorded as failed (success = false): nothing written; fix the schema by hand, run \`flyway repair\` (which removes failed rows), then adopt"
tool_db description "a b" <<SQL
(1, '1', 'create a', 'SQL', 'V1__create_a.sql', $ca, 'app', now(), 5, true),
(2, '1.1', 'make b', 'SQL', 'V1_1__make_b.sql', $cb, 'app', now(), 5, true)
SQL
refuse description fw "flyway's version 1.1 (make b) in public.flyway_schema_history has description \"make b\", but src/flyway/V1_1__create_b.sql's is \"create b\" (Flyway's validate refuses this too): nothing written; rename the file back, or run \`flyway repair\` to record the new description, then adopt"
tool_db interleaved "a b" <<SQL
(1, '1', 'create a', 'SQL', 'V1__create_a.sql', $ca, 'app', now(), 5, true),
(2, '1.5', 'ghost', 'SQL', 'V1.5__ghost.sql', 1, 'app', now(), 5, true)
SQL
refuse interleaved fw "flyway's row version 1.5 (ghost) in public.flyway_schema_history maps to no migration this binary embeds and is not newer than all of them: nothing written; restore its migration file (or squash it into a baseline), build again, then adopt"
tool_db jdbc "a b" <<SQL
(1, '1', 'create a', 'SQL', 'V1__create_a.sql', $ca, 'app', now(), 5, true),
(2, '1.1', 'create b', 'JDBC', 'db.migration.V1_1__create_b', NULL, 'app', now(), 5, true)
SQL
refuse jdbc fw "flyway's version 1.1 (create b) in public.flyway_schema_history is a JDBC migration with no checksum (a Java migration, which migc cannot run or check), but this binary embeds src/flyway/V1_1__create_b.sql for it: nothing written; once that file does what the Java migration did, run \`flyway repair\` to record its checksum and type, then adopt"
tool_db format6 "a b c d" <<<"$rows_abcd"
refuse format6 fw6 "this binary's schema (format 6) carries no Flyway versions or checksums (format 7 does), so flyway's ledger public.flyway_schema_history can be neither mapped nor checked: nothing written; build the service again with this migc, then adopt"

exit $((failures > 0))

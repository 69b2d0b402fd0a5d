#!/usr/bin/env bash
# adopt_json.sh: `adopt --format=json` writes the plan and its outcome as
# one JSON document on stdout (the text plan on stderr) for a dry run, an
# adoption, a second adoption, a refusal and no ledger at all; and a
# binary whose schema is of data format 5 (before the foreign identities)
# adopts by names, says it cannot check sqlx's checksums and compares the
# schema instead, refusing a database its migrations did not build.
#   adopt_json.sh MIGC CC INCLUDE LIBCLI LIBMIGC
set -euo pipefail
shopt -s lastpipe
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
# json FILE PYTHON-EXPRESSION: the document in FILE (d) satisfies it.
json() {
  python3 - "$1" "$2" <<'PY' || fail "JSON: $2: $(cat "$1")"
import json, sys
d = json.load(open(sys.argv[1]))
assert eval(sys.argv[2]), d
PY
}

# ---- the services: today's format, and the same schema as format 5 -----------
mkdir -p "$tmp/src"
for x in a b c d; do
  n=$(( $(printf '%d' "'$x") - 96 ))
  printf 'CREATE TABLE %s (id int PRIMARY KEY);\n' "$x" >"$tmp/src/00${n}_$x.sql"
done
(cd "$tmp" && "$migc" compile src -o flat_schema.c --header flat_schema.h --name flat_schema) ||
  { echo "migc compile failed" >&2; exit 1; }
# flat5: the schema as a format-5 binary sees it: the fields format 6
# appended are never read (test_abi proves it), so the copy clears them.
cat >"$tmp/flat_main.c" <<'C'
#include <migc.h>
#include "flat_schema.h"
int main(int argc, char **argv) { return migc_main(argc, argv, &flat_schema); }
C
cat >"$tmp/flat5_main.c" <<'C'
#include <migc.h>
#include "flat_schema.h"
int main(int argc, char **argv)
{
    struct migc_schema older = flat_schema;
    older.format = 5;
    older.name = "flat5";
    older.foreign = NULL;
    older.foreign_originals = NULL;
    return migc_main(argc, argv, &older);
}
C
read -r -a ccv <<<"$cc"
for svc in flat flat5; do
  "${ccv[@]}" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include" -I"$tmp" \
    -o "$tmp/$svc" "$tmp/${svc}_main.c" "$tmp/flat_schema.c" "$libcli" "$libmigc" \
    -L"$(pg_config --libdir)" -lpq -pthread || { echo "cannot build $svc" >&2; exit 1; }
done
sha384() { python3 -c "import hashlib,sys; print(hashlib.sha384(open(sys.argv[1],'rb').read()).hexdigest())" "$1"; }

# A database sqlx migrated through a, b, c (the files' own SQL), its ledger
# with the files' SHA-384 (or CHECKSUM for b).
sqlx_db() {
  local sum_b=${2:-$(sha384 "$tmp/src/002_b.sql")}
  pgtest_createdb "$1"
  db=$PGTEST_DB
  pgtest_psql "$db" -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY);
CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
  installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL,
  checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);
INSERT INTO _sqlx_migrations VALUES
  (1, 'a', '2024-01-01 00:00:01+00', true, '\\x$(sha384 "$tmp/src/001_a.sql")', 1000),
  (2, 'b', '2024-01-01 00:00:02+00', true, '\\x$sum_b', 1000),
  (3, 'c', '2024-01-01 00:00:03+00', true, '\\x$(sha384 "$tmp/src/003_c.sql")', 1000);
SQL
}

# ---- --format=json: dry run, adoption, again -----------------------------------
sqlx_db json
run json_dry "$tmp/flat" --database "$db" adopt --dry-run --format=json
expect_status 0
json "$tmp/json_dry.out" 'd["command"] == "adopt" and d["tool"] == "sqlx" and d["ledger"] == "public._sqlx_migrations" and d["rows"] == 3'
json "$tmp/json_dry.out" '[(m["version"], m["name"], m["row"]) for m in d["adopt"]] == [(1, "001_a.sql", "version 1 (a)"), (2, "002_b.sql", "version 2 (b)"), (3, "003_c.sql", "version 3 (c)")]'
json "$tmp/json_dry.out" 'd["adopt"][0]["applied_at"].startswith("2024-01-01")'
json "$tmp/json_dry.out" 'd["pending"] == [{"version": 4, "name": "004_d.sql", "replaced_by": None}] and d["unmapped"] == []'
json "$tmp/json_dry.out" 'd["checksums"] == {"state": "verified", "algorithm": "SHA-384", "verified": 3} and d["schema_check"] == "not_needed"'
json "$tmp/json_dry.out" 'd["dry_run"] is True and d["result"] == "dry_run" and d["recorded"] == 0 and d["drop"] == [] and d["error"] is None'
grep -q '^record as applied (3):' "$tmp/json_dry.err" || fail "the text plan is not on stderr"
no_ledger "$db"
run json_adopt "$tmp/flat" --database "$db" adopt --format=json
expect_status 0
json "$tmp/json_adopt.out" 'd["result"] == "adopted" and d["recorded"] == 3 and d["dry_run"] is False and d["error"] is None'
json "$tmp/json_adopt.out" 'd["drop"] == ["DROP TABLE \"public\".\"_sqlx_migrations\";"]'
[ "$(psql_at "$db" "SELECT count(*) FROM migc_migrations WHERE adopted_from = 'sqlx'")" = 3 ] ||
  fail "the ledger does not hold the 3 adopted rows"
run json_again "$tmp/flat" --database "$db" adopt --format=json
expect_status 0
json "$tmp/json_again.out" 'd["result"] == "already_adopted" and d["held"] == 3 and d["recorded"] == 0 and d["tool"] is None'

# ---- --format=json: a refusal, and no ledger -----------------------------------
wrong=$(printf 'CREATE TABLE b (id int);\n' >"$tmp/wrong.sql"; sha384 "$tmp/wrong.sql")
sqlx_db json_refused "$wrong"
run json_refused "$tmp/flat" --database "$db" adopt --format=json
expect_status 4
json "$tmp/json_refused.out" 'd["result"] == "refused" and d["recorded"] == 0 and d["error"]["exit_code"] == 4'
json "$tmp/json_refused.out" "d['error']['message'].startswith(\"sqlx's version 2 (b) in public._sqlx_migrations has checksum $wrong\")"
no_ledger "$db"
pgtest_createdb json_none
db=$PGTEST_DB
run json_none "$tmp/flat" --database "$db" adopt --format=json
expect_status 1
json "$tmp/json_none.out" 'd["result"] == "failed" and d["tool"] is None and d["error"]["message"].startswith("no other tool'"'"'s ledger")'
no_ledger "$db"

# ---- a format-5 binary: names, no checksums, the schema compared ---------------
sqlx_db older
run older_dry "$tmp/flat5" --database "$db" adopt --dry-run
expect_status 0
expect out <<'OUT'
sqlx's ledger public._sqlx_migrations: 3 rows
record as applied (3):
  1 001_a.sql
  2 002_b.sql
  3 003_c.sql
pending (1):
  4 004_d.sql
foreign rows with no embedded migration (0)
checksums: not checked: this binary's schema (format 5) carries no SHA-384 checksums
schema: verified: the database's schema is what the 3 adopted migrations build (replayed on a scratch database)
dry run: nothing written
OUT
no_ledger "$db"
run older_adopt "$tmp/flat5" --database "$db" up --adopt
expect_status 0
[ "$(psql_at "$db" "SELECT string_agg(version || ':' || coalesce(adopted_from, '-'), ' ' ORDER BY version) FROM migc_migrations")" = \
  "1:sqlx 2:sqlx 3:sqlx 4:-" ] || fail "format 5: the ledger is not 3 adopted and d applied"
# A checksum format 5 cannot check, over a schema its migrations did not
# build (b has another column): the comparison refuses it.
sqlx_db older_differs "$wrong"
psql_at "$db" "ALTER TABLE b ADD COLUMN note text" >/dev/null
run older_differs "$tmp/flat5" --database "$db" adopt
expect_status 4
grep -q "^flat5: error: the database's schema is not what the 3 adopted migrations build (1 difference, listed above): nothing written" "$tmp/older_differs.err" ||
  fail "format 5: a differing schema not refused: $(cat "$tmp/older_differs.err")"
no_ledger "$db"

[ "$failures" = 0 ] || exit 1

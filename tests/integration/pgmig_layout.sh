#!/usr/bin/env bash
# pgmig_layout.sh: a postgres-migrations (npm) chain, ID-name.sql files,
# applies as that tool applies it: in id order (00010 after 0009), and a
# file holding `-- postgres-migrations disable-transaction` outside a
# transaction (each statement in its own).
#   pgmig_layout.sh MIGC CC INCLUDE_DIR LIBMIGC_CLI LIBMIGC
set -euo pipefail
migc=$1 cc=$2 include=$3 libcli=$4 libmigc=$5
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
unset DATABASE_URL
pgtest_tmpdir
work=$PGTEST_TMP
fail() { echo "FAIL: $*" >&2; exit 1; }
psql1() { "$PGTEST_PSQL" -X -q -At -d "$PGTEST_DB" -c "$1"; }

m=$work/migrations
mkdir -p "$m"
printf 'CREATE TABLE objects (id bigint PRIMARY KEY, n int);\nINSERT INTO objects VALUES (1, 0);\n' \
  >"$m/0001-initialmigration.sql"
# outside a transaction each statement gets its own transaction id; in
# one, both tables would record the same
cat >"$m/0002-xacts.sql" <<'SQL'
-- postgres-migrations disable-transaction
CREATE TABLE xact_a AS SELECT pg_current_xact_id()::text AS x;
CREATE TABLE xact_b AS SELECT pg_current_xact_id()::text AS x;
SQL
for i in 3 4 5 6 7 8 9; do
  printf 'UPDATE objects SET n = n * 10 + %s;\n' "$i" >"$m/000$i-step-$i.sql"
done
printf 'UPDATE objects SET n = -n;\n' >"$m/00010-negate.sql"
cat >"$work/main.c" <<'C'
#include <migc.h>
#include "app_schema.h"
int main(int argc, char **argv) { return migc_main(argc, argv, &app_schema); }
C
(cd "$work" && "$migc" compile migrations -o app_schema.c \
  --header app_schema.h --name app_schema) || fail "migc compile"
read -r -a ccv <<<"$cc"
"${ccv[@]}" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include" -I"$work" \
  -o "$work/app" "$work/main.c" "$work/app_schema.c" "$libcli" "$libmigc" \
  -L"$(pg_config --libdir)" -lpq -pthread || fail "cannot build the service"

pgtest_createdb pgmig
"$work/app" --database "$PGTEST_DB" up >"$work/up.out" 2>&1 ||
  { cat "$work/up.out"; fail "up"; }
got=$(psql1 "SELECT string_agg(version || ' ' || name, ',' ORDER BY version) FROM migc_migrations")
expected='1 0001-initialmigration.sql,2 0002-xacts.sql,3 0003-step-3.sql,4 0004-step-4.sql,5 0005-step-5.sql,6 0006-step-6.sql,7 0007-step-7.sql,8 0008-step-8.sql,9 0009-step-9.sql,10 00010-negate.sql'
[ "$got" = "$expected" ] || fail "ledger: $got"
[ "$(psql1 "SELECT count(*) FROM xact_a, xact_b WHERE xact_a.x <> xact_b.x")" = 1 ] ||
  fail "0002-xacts.sql ran in one transaction despite its marker"
# 00010 ran last: in text order it would have run before 0002
[ "$(psql1 "SELECT n FROM objects")" = -3456789 ] ||
  fail "not applied in id order: $(psql1 "SELECT n FROM objects")"
echo "pgmig_layout: ids in numeric order, the disable-transaction marker honoured"

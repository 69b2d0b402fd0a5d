#!/usr/bin/env bash
# flyway_layout.sh: a Flyway chain (V and U scripts, sub-folders, dotted
# and underscore versions, a .sql.conf) compiles into a service that
# applies it as Flyway orders it: CREATE INDEX CONCURRENTLY alone runs
# outside a transaction, executeInTransaction=false too; a second `up` is
# up to date; `status` lists every migration by its path; `down` runs the
# U script. Then `migc squash` writes the baseline with a Flyway name,
# archives the originals of sub-folders at their paths, and the squashed
# chain compiles and applies; `migc new` leaves the archive out.
#   flyway_layout.sh MIGC CC INCLUDE_DIR LIBMIGC_CLI LIBMIGC
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
mkdir -p "$m/release1" "$m/release2/hotfix"
printf 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n' >"$m/V1__init.sql"
printf 'ALTER TABLE accounts ADD COLUMN note text;\n' >"$m/V1.1__note.sql"
printf 'CREATE TABLE tags (id bigint PRIMARY KEY);\n' \
  >"$m/release1/V1_2__tags.sql"
# CONCURRENTLY fails inside a transaction: Flyway runs it outside one
printf 'CREATE INDEX CONCURRENTLY accounts_note ON accounts (note);\n' \
  >"$m/release1/V2__note_idx.sql"
printf 'DROP INDEX CONCURRENTLY accounts_note;\n' \
  >"$m/release1/U2__note_idx.sql"
# the script's configuration says so for a script of both kinds
printf 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE INDEX CONCURRENTLY users_id ON users (id);\n' \
  >"$m/release2/V2.0.1__users.sql"
printf 'executeInTransaction=false\n' >"$m/release2/V2.0.1__users.sql.conf"
printf 'CREATE TABLE audit (id bigint PRIMARY KEY);\n' \
  >"$m/release2/hotfix/V10__audit.sql"
printf 'DROP TABLE audit;\n' >"$m/release2/hotfix/U10__audit.sql"
cat >"$work/main.c" <<'C'
#include <migc.h>
#include "app_schema.h"
int main(int argc, char **argv) { return migc_main(argc, argv, &app_schema); }
C
build() {
  (cd "$work" && "$migc" compile migrations -o app_schema.c \
    --header app_schema.h --name app_schema) || fail "migc compile"
  read -r -a ccv <<<"$cc"
  "${ccv[@]}" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include" \
    -I"$work" -o "$work/app" "$work/main.c" "$work/app_schema.c" "$libcli" \
    "$libmigc" -L"$(pg_config --libdir)" -lpq -pthread ||
    fail "cannot build the service"
}
build
list=$("$migc" list "$m") || fail "migc list"
[ "$list" = "10000	V1__init.sql	1	-	-
10100	V1.1__note.sql	1	-	-
10200	release1/V1_2__tags.sql	1	-	-
20000	release1/V2__note_idx.sql	1	no-transaction	release1/U2__note_idx.sql
20001	release2/V2.0.1__users.sql	2	no-transaction,declared	-
100000	release2/hotfix/V10__audit.sql	1	-	release2/hotfix/U10__audit.sql" ] ||
  fail "list: $list"

pgtest_createdb flyway
"$work/app" --database "$PGTEST_DB" up >"$work/up.out" 2>&1 ||
  { cat "$work/up.out"; fail "up"; }
expected='10000 V1__init.sql
10100 V1.1__note.sql
10200 release1/V1_2__tags.sql
20000 release1/V2__note_idx.sql
20001 release2/V2.0.1__users.sql
100000 release2/hotfix/V10__audit.sql'
got=$(psql1 "SELECT version || ' ' || name FROM migc_migrations ORDER BY version")
[ "$got" = "$expected" ] || fail "ledger: $got"
for idx in accounts_note users_id; do
  [ "$(psql1 "SELECT indisvalid FROM pg_index WHERE indexrelid = '$idx'::regclass")" = t ] ||
    fail "the index $idx built outside a transaction is not there"
done
"$work/app" --database "$PGTEST_DB" up >"$work/up2.out" 2>&1 ||
  { cat "$work/up2.out"; fail "second up"; }
grep -q 'database is up to date (6 migrations' "$work/up2.out" ||
  fail "second up: $(cat "$work/up2.out")"
"$work/app" --database "$PGTEST_DB" status >"$work/status.out" 2>&1 ||
  { cat "$work/status.out"; fail "status"; }
for name in V1__init.sql release1/V2__note_idx.sql release2/hotfix/V10__audit.sql; do
  grep -qF "$name" "$work/status.out" || fail "status lacks $name: $(cat "$work/status.out")"
done
"$work/app" --database "$PGTEST_DB" down --steps 1 >"$work/down.out" 2>&1 ||
  { cat "$work/down.out"; fail "down"; }
[ "$(psql1 "SELECT count(*) FROM pg_class WHERE relname = 'audit'")" = 0 ] ||
  fail "the U script did not run"

# ---- squash: the baseline gets a Flyway name -----------------------------
# --through takes migc's versions; Flyway's own is named in the refusal
before=$(cd "$m" && find . | sort)
status=0
"$migc" squash "$m" --through 1 >"$work/squash1.out" 2>&1 || status=$?
[ "$status" = 2 ] || fail "squash --through 1: exit $status"
[ "$(cat "$work/squash1.out")" = "migc squash: error: --through 1: no migration of $m has that version (it holds 10000..100000); migc numbers Flyway's version 1 as 10000, as \`migc list\` shows" ] ||
  fail "squash --through 1: $(cat "$work/squash1.out")"
[ "$(cd "$m" && find . | sort)" = "$before" ] || fail "squash --through 1 changed $m"
"$migc" squash "$m" --through 10200 >"$work/squash.out" 2>&1 ||
  { cat "$work/squash.out"; fail "squash"; }
head -1 "$work/squash.out" | grep -qF "wrote $m/V1__baseline.sql: squashes 10000..10200 (3 migrations)" ||
  fail "squash: $(cat "$work/squash.out")"
[ -f "$m/squashed/10000/release1/V1_2__tags.sql" ] &&
  [ -f "$m/squashed/10000/V1.1__note.sql" ] && [ ! -e "$m/V1__init.sql" ] ||
  fail "archive: $(cd "$m" && find . | sort)"
"$migc" verify "$m" >"$work/verify.out" 2>&1 ||
  { cat "$work/verify.out"; fail "verify"; }
# the archive is no part of the chain: `migc new` does not read it either
"$migc" new "$m" next >"$work/new.out" 2>&1 || { cat "$work/new.out"; fail "new"; }
[ "$(cat "$work/new.out")" = "$m/V11__next.sql" ] || fail "new: $(cat "$work/new.out")"
rm "$m/V11__next.sql"
build
pgtest_createdb flyway_squashed
"$work/app" --database "$PGTEST_DB" up >"$work/up3.out" 2>&1 ||
  { cat "$work/up3.out"; fail "up after squash"; }
got=$(psql1 "SELECT version || ' ' || name FROM migc_migrations ORDER BY version")
[ "$got" = '10000 V1__baseline.sql
20000 release1/V2__note_idx.sql
20001 release2/V2.0.1__users.sql
100000 release2/hotfix/V10__audit.sql' ] || fail "ledger after squash: $got"
echo "flyway_layout: sub-folders, Flyway's order, no-transaction scripts, up/status/down, squash"

#!/usr/bin/env bash
# pop_layout.sh: a gobuffalo/pop (ory/popx) chain applies as pop applies it
# on PostgreSQL: the .postgres. script in place of the dialect-less one,
# other dialects' scripts never run, .autocommit scripts outside a
# transaction (CREATE INDEX CONCURRENTLY), in both directions.
#   pop_layout.sh MIGC CC INCLUDE_DIR LIBMIGC_CLI LIBMIGC
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
printf 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n' >"$m/20240101000000_init.up.sql"
printf 'DROP TABLE accounts;\n' >"$m/20240101000000_init.down.sql"
printf 'CREATE TABLE accounts (id INTEGER PRIMARY KEY AUTOINCREMENT);\n' \
  >"$m/20240101000000_init.sqlite3.up.sql"
# the dialect-less script is not PostgreSQL: only the postgres one may run
printf 'ALTER TABLE accounts ADD note STRING;\n' >"$m/20240102000000_note.up.sql"
printf 'ALTER TABLE accounts ADD COLUMN note varchar(40);\n' \
  >"$m/20240102000000_note.postgres.up.sql"
printf 'ALTER TABLE accounts ADD note VARCHAR(40) AFTER id;\n' \
  >"$m/20240102000000_note.mysql.up.sql"
printf 'ALTER TABLE accounts DROP COLUMN note;\n' >"$m/20240102000000_note.down.sql"
# CONCURRENTLY fails inside a transaction: .autocommit must run it outside
printf 'CREATE INDEX CONCURRENTLY accounts_note ON accounts (note);\n' \
  >"$m/20240103000000_note_idx.postgres.autocommit.up.sql"
printf 'DROP INDEX CONCURRENTLY accounts_note;\n' \
  >"$m/20240103000000_note_idx.postgres.autocommit.down.sql"
printf 'CREATE INDEX accounts_note ON accounts (note);\n' \
  >"$m/20240103000000_note_idx.up.sql"
printf 'DROP INDEX accounts_note;\n' >"$m/20240103000000_note_idx.down.sql"
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

pgtest_createdb pop
"$work/app" --database "$PGTEST_DB" up >"$work/up.out" 2>&1 ||
  { cat "$work/up.out"; fail "up"; }
expected='20240101000000 20240101000000_init.up.sql
20240102000000 20240102000000_note.postgres.up.sql
20240103000000 20240103000000_note_idx.postgres.autocommit.up.sql'
got=$(psql1 "SELECT version || ' ' || name FROM migc_migrations ORDER BY version")
[ "$got" = "$expected" ] || fail "ledger: $got"
[ "$(psql1 "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'note'")" = 'character varying(40)' ] ||
  fail "the postgres script did not run"
[ "$(psql1 "SELECT indisvalid FROM pg_index WHERE indexrelid = 'accounts_note'::regclass")" = t ] ||
  fail "the autocommit index is not there"
"$work/app" --database "$PGTEST_DB" down --steps 1 >"$work/down.out" 2>&1 ||
  { cat "$work/down.out"; fail "down"; }
[ "$(psql1 "SELECT count(*) FROM pg_class WHERE relname = 'accounts_note'")" = 0 ] ||
  fail "the autocommit down script did not drop the index"
echo "pop_layout: postgres scripts override, other dialects never run, autocommit outside a transaction"

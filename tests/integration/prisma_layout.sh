#!/usr/bin/env bash
# prisma_layout.sh: a prisma chain whose folders share a time stamp applies
# both, in prisma's order (folder names); a migration added later applies
# alone, the versions already in the ledger unchanged. A database an
# earlier build applied (version = time stamp) is refused, unchanged, until
# the one UPDATE docs/layouts.md gives brings it over.
#   prisma_layout.sh MIGC CC INCLUDE_DIR LIBMIGC_CLI LIBMIGC
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

build() {
  (cd "$work" && "$migc" compile prisma/migrations -o app_schema.c \
    --header app_schema.h --name app_schema) || fail "migc compile"
  read -r -a ccv <<<"$cc"
  "${ccv[@]}" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include" -I"$work" \
    -o "$work/app" "$work/main.c" "$work/app_schema.c" "$libcli" "$libmigc" \
    -L"$(pg_config --libdir)" -lpq -pthread || fail "cannot build the service"
}
ledger() {
  "$PGTEST_PSQL" -X -q -At -d "$PGTEST_DB" -c \
    "SELECT version || ' ' || name FROM migc_migrations ORDER BY version"
}

m=$work/prisma/migrations
mkdir -p "$m/20240101000000_init" "$m/20240101000000_add_posts"
printf 'provider = "postgresql"\n' >"$m/migration_lock.toml"
# _add_posts sorts before _init, and _init needs its table
printf 'CREATE TABLE posts (id bigint PRIMARY KEY);\n' \
  >"$m/20240101000000_add_posts/migration.sql"
printf 'CREATE TABLE users (id bigint PRIMARY KEY, pinned bigint REFERENCES posts (id));\n' \
  >"$m/20240101000000_init/migration.sql"
cat >"$work/main.c" <<'C'
#include <migc.h>
#include "app_schema.h"
int main(int argc, char **argv) { return migc_main(argc, argv, &app_schema); }
C
build
pgtest_createdb prisma
"$work/app" --database "$PGTEST_DB" up >"$work/up1.out" 2>&1 ||
  { cat "$work/up1.out"; fail "first up"; }
expected='2024010100000000 20240101000000_add_posts/migration.sql
2024010100000001 20240101000000_init/migration.sql'
[ "$(ledger)" = "$expected" ] || fail "ledger after the first up: $(ledger)"

# Later: a new migration of the same second (sorting last) and one of a
# later second. The applied ones keep their versions: nothing is drift.
mkdir -p "$m/20240101000000_seed" "$m/20240301120000_add_title"
printf 'INSERT INTO posts VALUES (1);\n' >"$m/20240101000000_seed/migration.sql"
printf 'ALTER TABLE posts ADD COLUMN title text;\n' \
  >"$m/20240301120000_add_title/migration.sql"
build
"$work/app" --database "$PGTEST_DB" up >"$work/up2.out" 2>&1 ||
  { cat "$work/up2.out"; fail "second up"; }
grep -q 'applied 2 migrations' "$work/up2.out" || fail "second up: $(cat "$work/up2.out")"
expected="$expected
2024010100000002 20240101000000_seed/migration.sql
2024030112000000 20240301120000_add_title/migration.sql"
[ "$(ledger)" = "$expected" ] || fail "ledger after the second up: $(ledger)"
"$work/app" --database "$PGTEST_DB" check >"$work/check.out" 2>&1 ||
  fail "check: $(cat "$work/check.out")"
[ "$("$PGTEST_PSQL" -X -q -At -d "$PGTEST_DB" -c 'SELECT count(*) FROM posts WHERE title IS NULL')" = 1 ] ||
  fail "the seed did not run"
# An earlier build took the time stamp as the version (and refused shared
# ones): such a ledger is made here from a chain of distinct time stamps.
rm -rf "$m/20240101000000_init" "$m/20240101000000_seed" \
  "$m/20240101000000_add_posts"
mkdir -p "$m/20240101000000_add_posts"
printf 'CREATE TABLE posts (id bigint PRIMARY KEY);\n' \
  >"$m/20240101000000_add_posts/migration.sql"
build
pgtest_createdb prisma_old
"$work/app" --database "$PGTEST_DB" up >"$work/up3.out" 2>&1 ||
  { cat "$work/up3.out"; fail "up of the two-folder chain"; }
"$PGTEST_PSQL" -X -q -d "$PGTEST_DB" -c \
  'UPDATE migc_migrations SET version = version / 100' || fail "psql"
before=$(ledger)
rc=0
"$work/app" --database "$PGTEST_DB" up >"$work/up4.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "up on an earlier build's ledger succeeded: $(cat "$work/up4.out")"
grep -q 'holds version 20240101000000 (20240101000000_add_posts/migration.sql), which this binary does not know' \
  "$work/up4.out" || fail "up on an earlier build's ledger: $(cat "$work/up4.out")"
[ "$(ledger)" = "$before" ] || fail "the refused up changed the ledger: $(ledger)"
"$PGTEST_PSQL" -X -q -d "$PGTEST_DB" -c \
  'UPDATE migc_migrations SET version = version * 100' || fail "psql"
"$work/app" --database "$PGTEST_DB" up >"$work/up5.out" 2>&1 ||
  { cat "$work/up5.out"; fail "up after the documented UPDATE"; }
grep -q 'up to date' "$work/up5.out" || fail "after the UPDATE: $(cat "$work/up5.out")"
echo "prisma_layout: folders sharing a time stamp apply in prisma's order; versions are stable; an earlier build's ledger comes over with one UPDATE"

#!/usr/bin/env bash
# cli_names.sh: a migration whose file name holds a line break and a tab
# (valid UTF-8, so the generator embeds it) is printed by the service on one
# line, its control characters as \xNN, in every line that names it.
#   cli_names.sh MIGC CC INCLUDE_DIR LIBMIGC_CLI LIBMIGC
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

mkdir "$work/m"
printf 'CREATE TABLE a (id int);\n' >"$work/m/001_a.sql"
printf 'CREATE TABLE b (id int);\n' >"$work/m/002_b
c	d.sql"
(cd "$work" && "$migc" compile m -o app_schema.c --header app_schema.h --name app_schema) ||
  fail "migc compile"
cat >"$work/main.c" <<'C'
#include <migc.h>
#include "app_schema.h"
int main(int argc, char **argv) { return migc_main(argc, argv, &app_schema); }
C
read -r -a ccv <<<"$cc"
"${ccv[@]}" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include" -I"$work" \
  -o "$work/app" "$work/main.c" "$work/app_schema.c" "$libcli" "$libmigc" \
  -L"$(pg_config --libdir)" -lpq -pthread || fail "cannot build the service"

pgtest_createdb names
"$work/app" --database "$PGTEST_DB" up >"$work/up.out" 2>&1 || { cat "$work/up.out"; fail "up"; }
expected='applying 001_a.sql (1/2)
applied 001_a.sql (N ms)
applying 002_b\x0ac\x09d.sql (2/2)
applied 002_b\x0ac\x09d.sql (N ms)
applied 2 migrations; database is up to date'
got=$(sed -E 's/\([0-9]+\.[0-9] ms\)/(N ms)/' "$work/up.out")
[ "$got" = "$expected" ] || fail "up printed:
$got"
"$work/app" --database "$PGTEST_DB" status >"$work/status.out" 2>&1 || fail "status"
[ "$(wc -l <"$work/status.out")" = 4 ] || fail "status is not one line a migration: $(cat "$work/status.out")"
grep -q ' 002_b\\x0ac\\x09d\.sql$' "$work/status.out" || fail "status: $(cat "$work/status.out")"
echo "cli_names: names with control characters stay on their line"

#!/usr/bin/env bash
# templates.sh: `create-db` and `drop-db` (issue 21, template databases for
# test suites). 8 processes creating databases at once build the template
# once, and every copy is up to date (`check`); a copy waits out a session
# on the template; a changed schema (the chain
# plus one migration, same schema name) builds a new template and drops the
# old one, never another schema name's, and leaves one in use; a build
# killed half-way is rebuilt; drop-db drops, refuses a template, --force,
# --if-exists; usage errors change nothing.
#   templates.sh MIGC CC INCLUDE LIBCLI LIBMIGC
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
last=setup
psql_at() { pgtest_psql "${2:-postgres}" -At -c "$1"; }
# Every database this script made: copies, and the templates of its
# schema names (unmarked first: a template cannot be dropped).
made=()
cleanup() {
  local rc=$? db
  for db in "${made[@]}" $(psql_at "SELECT datname FROM pg_database WHERE shobj_description(oid, 'pg_database') ~ '^migc template tpl_$$_'" || true); do
    pgtest_admin "ALTER DATABASE \"$db\" IS_TEMPLATE false" 2>/dev/null || true
    pgtest_admin "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" || true
  done
  (exit "$rc")
  pgtest_cleanup
}
trap cleanup EXIT
p=d$$ # this run's database names
for i in 1 2 3 4 5 6 7 8 9; do made+=("${p}_$i"); done
made+=("${p}_b1" "${p}_b2" "${p}_o1" "${p}_k1" "${p}_k2" "${p}_x" "${p}_r1" "${p}_r2")

# ---- the services ------------------------------------------------------------
build() { # BIN DIR SCHEMA_NAME
  (cd "$tmp" && "$migc" compile "$2" -o "$1_schema.c" --header "$1_schema.h" \
    --name "$3") >"$tmp/$1.compile" 2>&1 || { cat "$tmp/$1.compile" >&2; echo "migc compile $2 failed" >&2; exit 1; }
  printf '#include <migc.h>\n#include "%s_schema.h"\nint main(int argc, char **argv) { return migc_main(argc, argv, &%s); }\n' \
    "$1" "$3" >"$tmp/$1_main.c"
  read -r -a ccv <<<"$cc"
  "${ccv[@]}" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include" -I"$tmp" \
    -o "$tmp/$1" "$tmp/$1_main.c" "$tmp/$1_schema.c" "$libcli" "$libmigc" \
    -L"$(pg_config --libdir)" -lpq -pthread || { echo "cannot build $1" >&2; exit 1; }
}
mkdir -p "$tmp/a" "$tmp/b" "$tmp/o" "$tmp/k"
printf 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);\n' >"$tmp/a/001_accounts.sql"
printf 'CREATE INDEX accounts_name ON accounts (name);\n' >"$tmp/a/002_index.sql"
printf 'CREATE TABLE notes (id bigint PRIMARY KEY, account bigint REFERENCES accounts);\n' >"$tmp/a/003_notes.sql"
cp "$tmp"/a/*.sql "$tmp/b/"
printf 'ALTER TABLE notes ADD COLUMN body text;\n' >"$tmp/b/004_body.sql"
cp "$tmp"/a/001_accounts.sql "$tmp/o/"
cp "$tmp"/a/001_accounts.sql "$tmp/k/"
printf 'SELECT pg_sleep(2);\n' >"$tmp/k/002_slow.sql"
build tpa "$tmp/a" "tpl_$$_a"     # the chain
build tpb "$tmp/b" "tpl_$$_a"     # the same schema name, one migration more
build tpo "$tmp/o" "tpl_$$_other" # another schema name
build tpk "$tmp/k" "tpl_$$_k"     # a slow build, to kill
build tpr "$tmp/a" "tpl_$$_r"     # a build caught before its mark
tpa=$tmp/tpa tpb=$tmp/tpb tpo=$tmp/tpo tpk=$tmp/tpk tpr=$tmp/tpr
db="dbname=${PGDATABASE:-postgres}"
templates() { # SCHEMA_NAME: its templates, as "name istemplate allowconn"
  psql_at "SELECT coalesce(string_agg(datname || ' ' || datistemplate || ' ' || datallowconn, ',' ORDER BY datname), '') FROM pg_database WHERE shobj_description(oid, 'pg_database') ~ ('^migc template ' || '$1' || ' ')"
}
exists() { [ "$(psql_at "SELECT count(*) FROM pg_database WHERE datname = '$1'")" = 1 ]; }
# hold DB SECONDS: a session on DB sleeping that long, in the background
# ($holder), seen in pg_stat_activity before this returns.
hold() {
  pgtest_psql "$1" -c "SELECT pg_sleep($2)" >/dev/null 2>&1 &
  holder=$!
  for _ in $(seq 50); do
    [ "$(psql_at "SELECT count(*) FROM pg_stat_activity WHERE datname = '$1'")" = 1 ] && break
    sleep 0.1
  done
}

# ---- usage -------------------------------------------------------------------
run usage_noname "$tpa" --database "$db" create-db
expect_status 2
expect err <<EOF
tpa: error: create-db needs the NAME of the database
usage: tpa [OPTIONS] COMMAND
run \`tpa --help\` for the commands and options
EOF
run usage_force "$tpa" --database "$db" create-db "${p}_x" --force
expect_status 2
expect err <<EOF
tpa: error: --force and --if-exists are for drop-db, not create-db
usage: tpa [OPTIONS] COMMAND
run \`tpa --help\` for the commands and options
EOF
long=$(printf 'x%.0s' $(seq 64))
run usage_long "$tpa" --database "$db" create-db "$long"
expect_status 1
expect err <<EOF
tpa: error: database name "$long" is 64 bytes; PostgreSQL keeps 63 of a name and would cut it short
EOF
[ -z "$(templates "tpl_$$_a")" ] || fail "a refused create-db built a template"

# ---- 8 at once: one build ------------------------------------------------------
pids=()
for i in 1 2 3 4 5 6 7 8; do
  "$tpa" --database "$db" create-db "${p}_$i" >"$tmp/c$i.out" 2>"$tmp/c$i.err" &
  pids+=($!)
done
last=eight
for i in 1 2 3 4 5 6 7 8; do
  wait "${pids[$((i - 1))]}" || fail "create-db ${p}_$i failed: $(cat "$tmp/c$i.err")"
done
builds=$(cat "$tmp"/c?.err | grep -c '^tpa: built template ' || true)
[ "$builds" = 1 ] || fail "8 callers built the template $builds times"
tpl_a=$(sed -n 's/^created database .* from template //p' "$tmp/c1.out")
case $tpl_a in migc_tpl_tpl_$$_a_????????????????) ;; *) fail "template name '$tpl_a'" ;; esac
[ "$(templates "tpl_$$_a")" = "$tpl_a true false" ] ||
  fail "templates of tpl_$$_a: $(templates "tpl_$$_a")"
for i in 1 2 3 4 5 6 7 8; do
  grep -qx "created database ${p}_$i from template $tpl_a" "$tmp/c$i.out" ||
    fail "c$i.out: $(cat "$tmp/c$i.out")"
  run "check$i" "$tpa" --database "dbname=${p}_$i" check
  expect_status 0
  expect out <<<"up to date"
done
# the template's migrations ran once: one ledger, copied
[ "$(psql_at "SELECT count(*) FROM migc_migrations" "${p}_3")" = 3 ] || fail "ledger of a copy"
# a second call copies without building
run again "$tpa" --database "$db" create-db "${p}_9"
expect_status 0
expect out <<<"created database ${p}_9 from template $tpl_a"
expect err </dev/null
run exists "$tpa" --database "$db" create-db "${p}_9"
expect_status 1
expect err <<<"tpa: error: creating the database: database \"${p}_9\" already exists"

# a copy refused while a session holds the template (longer than the 5 s
# PostgreSQL waits by itself) is tried again until it goes
pgtest_admin "ALTER DATABASE $tpl_a ALLOW_CONNECTIONS true"
hold "$tpl_a" 6
run busy_copy "$tpa" --database "$db" create-db "${p}_x"
expect_status 0
expect out <<<"created database ${p}_x from template $tpl_a"
expect err <<<"tpa: waiting: another session is using template $tpl_a"
wait "$holder" || fail "the session on the template failed"
pgtest_admin "ALTER DATABASE $tpl_a ALLOW_CONNECTIONS false"

# ---- another schema name: its own template ---------------------------------------
run other "$tpo" --database "$db" create-db "${p}_o1"
expect_status 0
tpl_o=$(sed -n 's/^created database .* from template //p' "$tmp/other.out")
[ "$(templates "tpl_$$_other")" = "$tpl_o true false" ] || fail "other's template"

# ---- a changed schema: a new template, the old one dropped, unless in use ---------
# A session on the old template (connections allowed again by hand) makes
# its DROP fail: skipped, its mark restored.
pgtest_admin "ALTER DATABASE $tpl_a ALLOW_CONNECTIONS true"
hold "$tpl_a" 30
run changed_busy "$tpb" --database "$db" create-db "${p}_b1"
expect_status 0
tpl_b=$(sed -n 's/^created database .* from template //p' "$tmp/changed_busy.out")
{ [ -n "$tpl_b" ] && [ "$tpl_b" != "$tpl_a" ]; } || fail "changed schema, same template '$tpl_b'"
grep -qx "tpb: built template $tpl_b (4 migrations applied, 0 packs synchronised)" "$tmp/changed_busy.err" ||
  fail "no build line: $(cat "$tmp/changed_busy.err")"
grep -qx "tpb: left template $tpl_a: in use right now" "$tmp/changed_busy.err" ||
  fail "no in-use line: $(cat "$tmp/changed_busy.err")"
[ "$(templates "tpl_$$_a")" = "$(printf '%s\n' "$tpl_a true true" "$tpl_b true false" | LC_ALL=C sort | paste -sd,)" ] ||
  fail "after a skipped drop: $(templates "tpl_$$_a")"
kill "$holder" 2>/dev/null || true
pgtest_admin "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$tpl_a'"
wait "$holder" 2>/dev/null || true
# the next create (no build) sweeps it
run changed "$tpb" --database "$db" create-db "${p}_b2"
expect_status 0
expect out <<<"created database ${p}_b2 from template $tpl_b"
expect err <<<"tpb: dropped template $tpl_a"
[ "$(templates "tpl_$$_a")" = "$tpl_b true false" ] || fail "after the sweep: $(templates "tpl_$$_a")"
[ "$(templates "tpl_$$_other")" = "$tpl_o true false" ] || fail "another schema's template was touched"
run check_b "$tpb" --database "dbname=${p}_b2" check
expect_status 0
run check_b_old "$tpa" --database "dbname=${p}_1" check
expect_status 0 # the old copies are left as they are

# ---- a build seen between its CREATE DATABASE and its mark ---------------------
# Another process holds the schema name's build lock and has created the
# template's database, not marked yet: create-db waits for the lock rather
# than calling the database foreign; that build gives up (drops it), and
# create-db builds the template itself.
run r_first "$tpr" --database "$db" create-db "${p}_r1"
expect_status 0
tpl_r=$(sed -n 's/^created database .* from template //p' "$tmp/r_first.out")
pgtest_admin "ALTER DATABASE \"$tpl_r\" IS_TEMPLATE false"
pgtest_admin "DROP DATABASE \"$tpl_r\""
# the build lock: FNV-1a 64 of "migc template", its NUL, the schema name
lock_r=$(python3 -c '
import sys
h = 1469598103934665603  # the offset of runtime/fnv1a.h
for b in b"migc template\0" + sys.argv[1].encode():
    h = ((h ^ b) * 0x100000001b3) % 2**64
print(h - 2**64 if h >= 2**63 else h)' "tpl_$$_r")
pgtest_psql postgres -q -c "SELECT pg_advisory_lock($lock_r)" -c "CREATE DATABASE \"$tpl_r\"" \
  -c "SELECT pg_sleep(2)" -c "DROP DATABASE \"$tpl_r\"" >/dev/null 2>&1 &
builder=$!
for _ in $(seq 100); do exists "$tpl_r" && break; sleep 0.05; done
exists "$tpl_r" || fail "the stand-in build did not create $tpl_r"
run r_unmarked "$tpr" --database "$db" create-db "${p}_r2"
expect_status 0
wait "$builder" || fail "the stand-in build failed"
grep -q "^tpr: built template $tpl_r " "$tmp/r_unmarked.err" ||
  fail "create-db did not build the template after the lock: $(cat "$tmp/r_unmarked.err")"
exists "${p}_r2" || fail "create-db made no ${p}_r2"

# ---- a build killed half-way is built again ---------------------------------------
"$tpk" --database "$db" create-db "${p}_k1" >"$tmp/k1.out" 2>"$tmp/k1.err" &
killme=$!
for _ in $(seq 100); do
  [ "$(psql_at "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(2)%' AND datname LIKE 'migc_tpl_tpl_$$_k_%'")" = 1 ] && break
  sleep 0.05
done
kill -9 "$killme"
wait "$killme" 2>/dev/null || true
last=killed
tpl_k=$(templates "tpl_$$_k")
case $tpl_k in "migc_tpl_tpl_$$_k_"*" false true") ;; *) fail "after the kill: '$tpl_k'" ;; esac
run rebuilt "$tpk" --database "$db" create-db "${p}_k2"
expect_status 0
grep -q "^tpk: template migc_tpl_tpl_$$_k_.* was left half-built (a build that did not finish): building it again$" "$tmp/rebuilt.err" ||
  fail "no half-built line: $(cat "$tmp/rebuilt.err")"
grep -q "^tpk: built template " "$tmp/rebuilt.err" || fail "not rebuilt"
run check_k "$tpk" --database "dbname=${p}_k2" check
expect_status 0
exists "${p}_k1" && fail "the killed create made its database"

# ---- drop-db -----------------------------------------------------------------------
run drop "$tpa" --database "$db" drop-db "${p}_9"
expect_status 0
expect out <<<"dropped database ${p}_9"
exists "${p}_9" && fail "drop-db left it"
run drop_missing "$tpa" --database "$db" drop-db "${p}_9"
expect_status 1
expect err <<<"tpa: error: dropping the database: database \"${p}_9\" does not exist"
run drop_if_exists "$tpa" --database "$db" drop-db "${p}_9" --if-exists
expect_status 0
expect err </dev/null
run drop_template "$tpa" --database "$db" drop-db "$tpl_b"
expect_status 1
key_b=${tpl_b##*_}
fp_b=$("$tpb" --schema-version | cut -d' ' -f2)
expect err <<EOF
tpa: error: database $tpl_b is a template migc made ("migc template tpl_$$_a $key_b $fp_b"): migc drops it when the schema changes; to drop it by hand: ALTER DATABASE $tpl_b IS_TEMPLATE false; DROP DATABASE $tpl_b
EOF
exists "$tpl_b" || fail "drop-db dropped a template"
hold "${p}_8" 30
run drop_force "$tpa" --database "$db" drop-db "${p}_8" --force
expect_status 0
wait "$holder" 2>/dev/null || true
exists "${p}_8" && fail "drop-db --force left it"

[ "$failures" = 0 ] || exit 1

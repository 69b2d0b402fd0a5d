#!/usr/bin/env bash
# cli.sh: the command line a service gets from migc_main(): what it prints
# and its exit codes, against the `pg` fixture's server.
#   cli.sh DEMO PLAIN_OK PLAIN_OK_EDITED PLAIN_BAD MIGRATIONS_DIR
# DEMO is migc-demo (the project's migrations); PLAIN_* are plain_service.c
# built with the fixture schemas under schemas/.
set -euo pipefail
shopt -s lastpipe # `... | expect out` counts failures in this shell
demo=$1 plain_ok=$2 plain_edited=$3 plain_bad=$4 migrations=$5
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
unset DATABASE_URL

pgtest_tmpdir
tmp=$PGTEST_TMP
failures=0

# run NAME CMD...: run in $tmp/NAME.cwd (a fresh empty folder); stdout and
# stderr go to $tmp/NAME.out and .err, the exit code to $status.
run() {
  local name=$1
  shift
  mkdir "$tmp/$name.cwd"
  status=0
  (cd "$tmp/$name.cwd" && "$@") >"$tmp/$name.out" 2>"$tmp/$name.err" ||
    status=$?
  last=$name
}

fail() {
  echo "FAIL [$last]: $*" >&2
  failures=$((failures + 1))
}

expect_status() {
  [ "$status" = "$1" ] || {
    fail "exit code $status, expected $1"
    sed 's/^/  stdout: /' "$tmp/$last.out" >&2
    sed 's/^/  stderr: /' "$tmp/$last.err" >&2
  }
}

# compare WHAT: $tmp/got must equal $tmp/expected.
compare() {
  if ! diff -u "$tmp/got" "$tmp/expected" >"$tmp/diff"; then
    fail "$1 differs (- got, + expected):"
    cat "$tmp/diff" >&2
  fi
}

# expect out|err: the stream, milliseconds masked, must equal stdin.
expect() {
  cat >"$tmp/expected"
  sed -E 's/\([0-9]+\.[0-9] ms\)/(N ms)/' "$tmp/$last.$1" >"$tmp/got"
  compare "std$1"
}

expect_empty() {
  [ ! -s "$tmp/$last.$1" ] || {
    fail "std$1 is not empty:"
    cat "$tmp/$last.$1" >&2
  }
}

# expect_status_rows: the status table, reduced to "VERSION STATE NAME"
# rows and the footer, must equal stdin; the header is compared exactly.
expect_status_rows() {
  cat >"$tmp/expected"
  local header
  header=$(printf '%-20s  %-9s  %-22s  %10s  %s' VERSION STATE "APPLIED AT" \
    DURATION NAME)
  [ "$(head -n 1 "$tmp/$last.out")" = "$header" ] ||
    fail "status header: $(head -n 1 "$tmp/$last.out")"
  {
    sed '1d;$d' "$tmp/$last.out" | awk '{ print $1, $2, $NF }'
    tail -n 1 "$tmp/$last.out"
  } >"$tmp/got"
  compare "status table"
}

# Migration files of a directory in version order, one a line.
files_of() {
  (cd "$1" && printf '%s\n' *.sql) | sort -t_ -k1,1n
}

version_of() {
  local v=${1%%_*}
  echo $((10#$v))
}

# ---- (a) the demo: up, up again, status ------------------------------------
pgtest_createdb demo
db_a=$PGTEST_DB
mapfile -t files < <(files_of "$migrations")
n=${#files[@]}
plural=s
[ "$n" = 1 ] && plural=

run demo_status_fresh "$demo" --database "$db_a" status
expect_status 0
{
  for f in "${files[@]}"; do echo "$(version_of "$f") pending $f"; done
  echo "$n migrations, $n pending"
} | expect_status_rows
expect_empty err

run demo_up "$demo" --database "$db_a" up
expect_status 0
{
  for f in "${files[@]}"; do echo "applied $f (N ms)"; done
  echo "applied $n migration$plural; database is up to date"
} | expect out
expect_empty err

run demo_up_again "$demo" --database "$db_a" up
expect_status 0
echo "database is up to date ($n migrations)" | expect out
expect_empty err

# DATABASE_URL is read too, and --database takes precedence over it.
run demo_up_env env DATABASE_URL="$db_a" "$demo" up
expect_status 0
echo "database is up to date ($n migrations)" | expect out
run demo_up_both env DATABASE_URL="host=$tmp/nowhere" "$demo" \
  --database="$db_a" up
expect_status 0
echo "database is up to date ($n migrations)" | expect out

run demo_status "$demo" --database "$db_a" status
expect_status 0
{
  for f in "${files[@]}"; do echo "$(version_of "$f") applied $f"; done
  echo "$n migrations, 0 pending"
} | expect_status_rows
expect_empty err

# ---- (b) an unreachable server ---------------------------------------------
mkdir "$tmp/nosocket"
for how in option env; do
  if [ $how = option ]; then
    run "demo_unreachable_$how" "$demo" --database "host=$tmp/nosocket" up
  else
    run "demo_unreachable_$how" env DATABASE_URL="host=$tmp/nosocket" \
      "$demo" up
  fi
  expect_status 1
  expect_empty out
  [ "$(wc -l <"$tmp/$last.err")" = 1 ] || fail "stderr is not one line"
  grep -q '^migc-demo: error: cannot connect to the database: ' \
    "$tmp/$last.err" || fail "stderr: $(cat "$tmp/$last.err")"
  grep -qF "$tmp/nosocket" "$tmp/$last.err" ||
    fail "the message does not name the socket folder"
done

# ---- (c) a plain service given no database ---------------------------------
for cmd in up status; do
  for url in unset empty; do
    if [ $url = unset ]; then
      run "plain_nodb_${cmd}_$url" env -u DATABASE_URL "$plain_ok" "$cmd"
    else
      run "plain_nodb_${cmd}_$url" env DATABASE_URL= "$plain_ok" "$cmd"
    fi
    expect_status 2
    expect_empty out
    echo "plain_service_ok: error: no database given: set DATABASE_URL or" \
      "pass --database URL (--embedded[=DIR] runs a private local cluster" \
      "instead)" | expect err
    [ -z "$(ls -A "$tmp/$last.cwd")" ] ||
      fail "created in the working folder: $(ls -A "$tmp/$last.cwd")"
  done
done

# ---- (d) a migration edited after release ----------------------------------
pgtest_createdb drift
db_d=$PGTEST_DB
run plain_up "$plain_ok" --database "$db_d" up
expect_status 0
printf '%s\n' "applied 0001_items.sql (N ms)" \
  "applied 0002_touch_function.sql (N ms)" "applied 0003_tags.sql (N ms)" \
  "applied 3 migrations; database is up to date" | expect out
expect_empty err

old=$(sha256sum <"$here/schemas/ok/0002_touch_function.sql" | cut -c1-12)
new=$(sha256sum <"$here/schemas/ok_edited/0002_touch_function.sql" |
  cut -c1-12)
run edited_up "$plain_edited" --database "$db_d" up
expect_status 1
expect_empty out
echo "plain_service_ok_edited: error: migration 2 (0002_touch_function.sql)" \
  "was applied with checksum $old, but this binary embeds $new: a released" \
  "migration was edited" | expect err

run edited_status "$plain_edited" --database "$db_d" status
expect_status 0
printf '%s\n' "1 applied 0001_items.sql" "2 modified 0002_touch_function.sql" \
  "3 applied 0003_tags.sql" "3 migrations, 0 pending" | expect_status_rows

# ---- (d2) a failing statement: path:line:col: SQLSTATE message --------------
pgtest_createdb bad
db_bad=$PGTEST_DB
run bad_up "$plain_bad" --database "$db_bad" up
expect_status 1
echo "applied 0001_widgets.sql (N ms)" | expect out
echo 'tests/integration/schemas/bad/0002_fails.sql:4:13: 42P01 relation' \
  '"missing_table" does not exist' | expect err

# ---- (e) usage errors -------------------------------------------------------
usage_line="usage: migc-demo [--database URL | --embedded[=DIR]] COMMAND"
run demo_unknown_command "$demo" --database "$db_a" frobnicate
expect_status 2
expect_empty out
[ "$(sed -n 1p "$tmp/$last.err")" = \
  "migc-demo: error: unknown command 'frobnicate'" ] ||
  fail "stderr line 1: $(sed -n 1p "$tmp/$last.err")"
[ "$(sed -n 2p "$tmp/$last.err")" = "$usage_line" ] ||
  fail "stderr line 2: $(sed -n 2p "$tmp/$last.err")"

run demo_unknown_option "$demo" --database "$db_a" --frobnicate up
expect_status 2
expect_empty out
[ "$(sed -n 1p "$tmp/$last.err")" = \
  "migc-demo: error: unknown option '--frobnicate'" ] ||
  fail "stderr line 1: $(sed -n 1p "$tmp/$last.err")"

run demo_no_command "$demo" --database "$db_a"
expect_status 2
expect_empty out
[ "$(sed -n 1p "$tmp/$last.err")" = "$usage_line" ] ||
  fail "stderr line 1: $(sed -n 1p "$tmp/$last.err")"

run demo_help "$demo" --help
expect_status 0
expect_empty err
[ "$(sed -n 1p "$tmp/$last.out")" = "$usage_line" ] ||
  fail "stdout line 1: $(sed -n 1p "$tmp/$last.out")"
[ -z "$(ls -A "$tmp/$last.cwd")" ] || fail "--help created files"

if [ "$failures" -gt 0 ]; then
  echo "cli.sh: $failures failure(s)" >&2
  exit 1
fi
echo "cli.sh: all checks passed"

#!/usr/bin/env bash
# cli.sh: the command line a service gets from migc_main(): what it prints
# and its exit codes, against the `pg` fixture's server.
#   cli.sh DEMO PLAIN_OK PLAIN_OK_EDITED PLAIN_BAD MIGRATIONS_DIR PLAIN_PARTIAL
# DEMO is migc-demo (the project's migrations); PLAIN_* are plain_service.c
# built with the fixture schemas under schemas/ (PLAIN_PARTIAL: notx_partial,
# whose no-transaction migration 2 fails at its second statement).
set -euo pipefail
shopt -s lastpipe # `... | expect out` counts failures in this shell
demo=$1 plain_ok=$2 plain_edited=$3 plain_bad=$4 migrations=$5
plain_partial=$6
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
# rows (detail lines of failed and running ones, which start with blanks,
# and the packs' table after a blank line left out) and the footer, must
# equal stdin; the header is compared exactly.
expect_status_rows() {
  cat >"$tmp/expected"
  local header
  header=$(printf '%-20s  %-11s  %-22s  %10s  %s' VERSION STATE "APPLIED AT" \
    DURATION NAME)
  [ "$(head -n 1 "$tmp/$last.out")" = "$header" ] ||
    fail "status header: $(head -n 1 "$tmp/$last.out")"
  {
    sed '1d;$d' "$tmp/$last.out" | sed '/^$/,$d' | grep -v '^ ' |
      awk '{ print $1, $2, $NF }'
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
# The project's packs: packs/<name>/ with a row per YAML file.
packs=()
pack_rows=()
for d in "$migrations"/../packs/*/; do
  [ -f "$d/pack.yaml" ] || continue
  packs+=("$(basename "$d")")
  pack_rows+=("$(find "$d" -name '*.yaml' | wc -l)")
done
np=${#packs[@]}
footer() { # footer PENDING
  if [ "$np" = 0 ]; then
    echo "$n migrations, $1 pending"
  else
    local s=s
    [ "$np" = 1 ] && s=
    echo "$n migrations, $np pack$s, $1 pending"
  fi
}

run demo_status_fresh "$demo" --database "$db_a" status
expect_status 0
{
  for f in "${files[@]}"; do echo "$(version_of "$f") pending $f"; done
  footer $((n + np))
} | expect_status_rows
expect_empty err

run demo_up "$demo" --database "$db_a" up
expect_status 0
{
  i=0
  for f in "${files[@]}"; do
    i=$((i + 1))
    echo "applying $f ($i/$n)"
    echo "applied $f (N ms)"
  done
  for i in "${!packs[@]}"; do
    echo "synchronised pack ${packs[$i]} (${pack_rows[$i]} rows)"
  done
  echo "applied $n migration$plural; database is up to date"
} | expect out
expect_empty err

run demo_up_again "$demo" --database "$db_a" up
expect_status 0
echo "database is up to date ($n migrations; 1 round trip)" | expect out
expect_empty err

# DATABASE_URL is read too, and --database takes precedence over it.
run demo_up_env env DATABASE_URL="$db_a" "$demo" up
expect_status 0
echo "database is up to date ($n migrations; 1 round trip)" | expect out
run demo_up_both env DATABASE_URL="host=$tmp/nowhere" "$demo" \
  --database="$db_a" up
expect_status 0
echo "database is up to date ($n migrations; 1 round trip)" | expect out

run demo_status "$demo" --database "$db_a" status
expect_status 0
{
  for f in "${files[@]}"; do echo "$(version_of "$f") applied $f"; done
  footer 0
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
# (libpq's own variables, which the fixture sets, are unset here: they
# name a database too; see (c2).)
nopg=(env -u PGHOST -u PGHOSTADDR -u PGPORT -u PGDATABASE -u PGUSER
  -u PGPASSFILE -u PGSERVICE -u PGSERVICEFILE)
for cmd in up status; do
  for url in unset empty; do
    if [ $url = unset ]; then
      run "plain_nodb_${cmd}_$url" "${nopg[@]}" -u DATABASE_URL "$plain_ok" "$cmd"
    else
      run "plain_nodb_${cmd}_$url" "${nopg[@]}" DATABASE_URL= "$plain_ok" "$cmd"
    fi
    expect_status 2
    expect_empty out
    echo "plain_service_ok: error: no database given: set DATABASE_URL or" \
      "libpq's PGHOST and friends, or pass --database URL (--embedded[=DIR]" \
      "runs a private local cluster instead)" | expect err
    [ -z "$(ls -A "$tmp/$last.cwd")" ] ||
      fail "created in the working folder: $(ls -A "$tmp/$last.cwd")"
  done
done

# ---- (d) a migration edited after release ----------------------------------
pgtest_createdb drift
db_d=$PGTEST_DB
run plain_up "$plain_ok" --database "$db_d" up
expect_status 0
printf '%s\n' "applying 0001_items.sql (1/3)" "applied 0001_items.sql (N ms)" \
  "applying 0002_touch_function.sql (2/3)" "applied 0002_touch_function.sql (N ms)" \
  "applying 0003_tags.sql (3/3)" "applied 0003_tags.sql (N ms)" \
  "applied 3 migrations; database is up to date" | expect out
expect_empty err

old=$(sha256sum <"$here/schemas/ok/0002_touch_function.sql" | cut -c1-12)
new=$(sha256sum <"$here/schemas/ok_edited/0002_touch_function.sql" |
  cut -c1-12)
run edited_up "$plain_edited" --database "$db_d" up
expect_status 4
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
printf '%s\n' "applying 0001_widgets.sql (1/2)" "applied 0001_widgets.sql (N ms)" \
  "applying 0002_fails.sql (2/2)" | expect out
echo 'plain_service_bad: error: tests/integration/schemas/bad/0002_fails.sql:4:13:' \
  '42P01 relation "missing_table" does not exist' | expect err

# ---- (e) usage errors -------------------------------------------------------
usage_line="usage: migc-demo [OPTIONS] COMMAND"
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
printf '%s\n' "migc-demo: error: no command given" "$usage_line" \
  "run \`migc-demo --help\` for the commands and options" | expect err

run demo_help "$demo" --help
expect_status 0
expect_empty err
[ "$(sed -n 1p "$tmp/$last.out")" = "$usage_line" ] ||
  fail "stdout line 1: $(sed -n 1p "$tmp/$last.out")"
[ -z "$(ls -A "$tmp/$last.cwd")" ] || fail "--help created files"
# a command whose arguments overflow the column gets its summary on the
# next line, never glued to them ("--to VERSIONrevert")
grep -qx '  down --steps N | --to VERSION' "$tmp/$last.out" &&
  grep -qx '                   revert applied migrations by their down scripts' "$tmp/$last.out" ||
  fail "--help: the down line: $(grep -A1 '^  down' "$tmp/$last.out")"

# ---- (f) check and plan: exit codes for readiness probes --------------------
pgtest_createdb probe
db_p=$PGTEST_DB
run check_fresh "$plain_ok" --database "$db_p" check
expect_status 3
echo "3 pending" | expect out
expect_empty err
run plan_fresh "$plain_ok" --database "$db_p" plan
expect_status 0
printf '%s\n' \
  "apply 1 0001_items.sql: 2 statements, in its own transaction" \
  "apply 2 0002_touch_function.sql: 2 statements, in its own transaction" \
  "apply 3 0003_tags.sql: 3 statements, in its own transaction" | expect out
expect_empty err
run probe_up "$plain_ok" --database "$db_p" up
expect_status 0
run check_done "$plain_ok" --database "$db_p" check
expect_status 0
echo "up to date" | expect out
expect_empty err
run plan_done "$plain_ok" --database "$db_p" plan
expect_status 0
echo "nothing to do: the database is up to date" | expect out
run check_edited "$plain_edited" --database "$db_p" check
expect_status 4
expect_empty out
echo "plain_service_ok_edited: error: migration 2 (0002_touch_function.sql)" \
  "was applied with checksum $old, but this binary embeds $new: a released" \
  "migration was edited" | expect err

# A version newer than the binary's: a warning, allowed; --strict refuses.
psql -X -q -d "$db_p" -c "INSERT INTO public.migc_migrations (version, name,
  checksum) VALUES (99, '0099_future.sql', repeat('0', 64))"
run ahead_up "$plain_ok" --database "$db_p" up
expect_status 0
echo "database is up to date (3 migrations; 1 round trip)" | expect out
echo "plain_service_ok: warning: the database is ahead of this binary: it" \
  "holds migration 99 (0099_future.sql), newer than its newest 3 (a" \
  "rolled-back deploy?)" | expect err
run ahead_strict "$plain_ok" --database "$db_p" --strict check
expect_status 4
expect_empty out
echo "plain_service_ok: error: the database is ahead of this binary: it" \
  "holds migration 99 (0099_future.sql), newer than its newest 3" | expect err

# ---- (g) a failed no-transaction migration, and resolve ---------------------
pgtest_createdb partial
db_r=$PGTEST_DB
partial_msg='tests/integration/schemas/notx_partial/0002_partial.sql:5:15:'
partial_msg+=' 42703 column "missing_column" does not exist'
run partial_up "$plain_partial" --database "$db_r" up
expect_status 1
printf '%s\n' "applying 0001_accounts.sql (1/3)" "applied 0001_accounts.sql (N ms)" \
  "applying 0002_partial.sql (2/3)" | expect out
echo "plain_service_notx_partial: error: $partial_msg" | expect err
run partial_again "$plain_partial" --database "$db_r" up
expect_status 4
expect_empty out
echo "plain_service_notx_partial: error: migration 2 (0002_partial.sql) is" \
  "recorded as failed at statement 2: $partial_msg; fix the database, then" \
  "run \`resolve 2\`" | expect err
run partial_check "$plain_partial" --database "$db_r" check
expect_status 4
run partial_status "$plain_partial" --database "$db_r" status
expect_status 0
printf '%s\n' "1 applied 0001_accounts.sql" "2 failed 0002_partial.sql" \
  "3 pending 0003_after.sql" "3 migrations, 1 pending" | expect_status_rows
grep -qF "failed at statement 2: $partial_msg" "$tmp/$last.out" ||
  fail "status does not show the failed statement"
run partial_plan "$plain_partial" --database "$db_r" plan
expect_status 4
run resolve_usage "$plain_partial" --database "$db_r" resolve
expect_status 2
run resolve_not_a_version "$plain_partial" --database "$db_r" resolve 2x
expect_status 2
expect_empty out
printf '%s\n' "plain_service_notx_partial: error: '2x' is not a migration version" \
  "usage: plain_service_notx_partial [OPTIONS] COMMAND" \
  "run \`plain_service_notx_partial --help\` for the commands and options" |
  expect err
run wait_not_seconds "$plain_partial" --database "$db_r" --wait soon up
expect_status 2
expect_empty out
[ "$(sed -n 1p "$tmp/$last.err")" = \
  "plain_service_notx_partial: error: --wait takes seconds (or -1), not 'soon'" ] ||
  fail "stderr line 1: $(sed -n 1p "$tmp/$last.err")"
run resolve_none "$plain_partial" --database "$db_r" resolve 1
expect_status 1
echo "plain_service_notx_partial: error: migration 1 (0001_accounts.sql) is" \
  "not recorded as failed or left part-way: nothing to resolve" | expect err
# The operator ran the failed UPDATE by hand: skip it, continue after it.
run resolve_skip "$plain_partial" --database "$db_r" resolve 2 --skip
expect_status 0
expect_empty out
echo "plain_service_notx_partial: resolved migration 2 (0002_partial.sql)" \
  "(skip): the next \`up\` continues at statement 3" | expect err
# Nothing runs it now: status says pending, and where up resumes.
run status_resolved "$plain_partial" --database "$db_r" status
expect_status 0
printf '%s\n' "1 applied 0001_accounts.sql" "2 pending 0002_partial.sql" \
  "3 pending 0003_after.sql" "3 migrations, 2 pending" | expect_status_rows
grep -qF "resolved: up resumes at statement 3" "$tmp/$last.out" ||
  fail "status does not say where up resumes: $(cat "$tmp/$last.out")"
run plan_resume "$plain_partial" --database "$db_r" plan
expect_status 0
printf '%s\n' \
  "apply 2 0002_partial.sql: 3 statements, outside a transaction, statement by statement, resuming at statement 3" \
  "apply 3 0003_after.sql: 1 statement, in its own transaction" | expect out
run partial_resume "$plain_partial" --database "$db_r" up
expect_status 0
printf '%s\n' "applying 0002_partial.sql (1/2)" "applied 0002_partial.sql (N ms)" \
  "applying 0003_after.sql (2/2)" "applied 0003_after.sql (N ms)" \
  "applied 2 migrations; database is up to date" | expect out
[ "$(psql -X -At -d "$db_r" -c "SELECT string_agg(id || ':' || name, ','
  ORDER BY id) FROM accounts")" = "1:first,3:never" ] ||
  fail "the resumed migration did not run its third statement only once"

# ---- (h) the password is never printed --------------------------------------
run secret_up "$plain_ok" \
  --database "postgresql://someone:s3cr3t-pw@/postgres?host=$tmp/nosocket" up
expect_status 1
! grep -q 's3cr3t-pw' "$tmp/$last.out" "$tmp/$last.err" ||
  fail "the password was printed"

if [ "$failures" -gt 0 ]; then
  echo "cli.sh: $failures failure(s)" >&2
  exit 1
fi
echo "cli.sh: all checks passed"

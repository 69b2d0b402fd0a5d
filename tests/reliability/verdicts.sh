#!/usr/bin/env bash
# verdicts.sh: what a service's command line says, and its exit code, when
# the ledger disagrees with the binary (exit codes of migc_main: 0 ok,
# 1 failure, 2 usage, 3 pending (check), 4 the ledger disagrees):
#   (a) a modified applied migration (0004 edited after release); one
#       changed only in comments, whitespace and keyword case (0007): a
#       warning and exit 0, with --strict exit 4;
#   (b) an unknown newer version (a binary one migration behind): a warning
#       and exit 0, with --strict exit 4;
#   (c) an interleaved unknown version (a binary without 0006);
#   (d) a failed no-transaction migration: exit 1, then 4 until `resolve`;
#   (e) a failed no-transaction CREATE UNIQUE INDEX CONCURRENTLY: the HINT
#       names the INVALID index and its cleanup; after the cleanup and
#       `resolve`, the build is retried;
#   (f) a failed migration in a transaction: exit 1, nothing left, and the
#       next run tries it again (exit 1 again, `check` says pending).
# A refusal changes nothing: the ledger is the same before and after.
set -euo pipefail
shopt -s lastpipe # `... | expect err` counts failures in this shell
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.bash
. "$here/lib.bash"
rel_init verdicts
rel_pg_start
bin=$REL_BIN_DIR
schema=$REL_SCHEMA_DIR
variants=$here/variants
cases=0

# run NAME SERVICE ARGS...: SERVICE is rel_service_SERVICE; stdout and
# stderr go to $REL_TMP/NAME.out and .err, the exit code to $status.
run() {
  local name=$1 service=$2
  shift 2
  status=0
  rel_run_bounded 120 "$bin/rel_service_$service" "$@" \
    >"$REL_TMP/$name.out" 2>"$REL_TMP/$name.err" || status=$?
  last=$name
  cases=$((cases + 1))
}

show() {
  sed 's/^/  stdout: /' "$REL_TMP/$last.out" >&2
  sed 's/^/  stderr: /' "$REL_TMP/$last.err" >&2
}

expect_status() {
  [ "$status" = "$1" ] || {
    rel_fail "[$last] exit code $status, expected $1"
    show
  }
}

# expect out|err: the stream, durations masked, equals stdin.
expect() {
  cat >"$REL_TMP/expected"
  sed -E 's/\([0-9]+\.[0-9] ms\)/(N ms)/' "$REL_TMP/$last.$1" >"$REL_TMP/got"
  diff -u "$REL_TMP/expected" "$REL_TMP/got" >"$REL_TMP/diff" || {
    rel_fail "[$last] std$1 differs (- expected, + got):"
    cat "$REL_TMP/diff" >&2
  }
}

# expect_match out|err: every line of the stream matches the extended
# regular expression on the same line of stdin.
expect_match() {
  local -a want got
  mapfile -t want
  mapfile -t got <"$REL_TMP/$last.$1"
  local i ok=1
  [ "${#want[@]}" = "${#got[@]}" ] || ok=
  for ((i = 0; ok && i < ${#want[@]}; i++)); do
    [[ ${got[$i]} =~ ^${want[$i]}$ ]] || ok=
  done
  [ -n "$ok" ] || {
    rel_fail "[$last] std$1 does not match:"
    printf '  want: %s\n' "${want[@]}" >&2
    show
  }
}

# status_rows: the status table as "VERSION STATE" lines.
status_rows() {
  sed '1d;$d' "$REL_TMP/$last.out" | awk '$1 ~ /^[0-9]+$/ { print $1, $2 }'
}

ledger() {
  rel_psql "$1" -F ' ' -c "SELECT version, success, completed,
    coalesce(failed_statement, -1), coalesce(sqlstate, '-'), checksum
    FROM $REL_LEDGER ORDER BY version"
}

# unchanged DB SNAPSHOT: the ledger still equals the snapshot.
unchanged() {
  ledger "$1" >"$REL_TMP/ledger.now"
  diff -u "$2" "$REL_TMP/ledger.now" >"$REL_TMP/ledger.diff" || {
    rel_fail "[$last] the refusal changed the ledger:"
    cat "$REL_TMP/ledger.diff" >&2
  }
}

applied_lines() {
  local f
  local total=$1 i=0
  shift
  for f in "$@"; do
    i=$((i + 1))
    echo "applying $f ($i/$total)"
    echo "applied $f (N ms)"
  done
}

mapfile -t files < <(cd "$schema" && printf '%s\n' *.sql | sort)
n=${#files[@]}

# ---- (a) a modified applied migration ---------------------------------------
rel_createdb edited
db=$(rel_conninfo edited)
run a_up main up --database "$db"
expect_status 0
{ applied_lines "$n" "${files[@]}"; echo "applied $n migrations; database is up to date"; } | expect out
ledger edited >"$REL_TMP/ledger.edited"
was=$(sha256sum "$schema/0004_order_status.sql" | cut -c1-12)
now=$(sha256sum "$variants/edited/0004_order_status.sql" | cut -c1-12)
message="migration 4 (0004_order_status.sql) was applied with checksum $was, but this binary embeds $now: a released migration was edited"
for cmd in up check plan; do
  run "a_edited_$cmd" edited "$cmd" --database "$db"
  expect_status 4
  echo "rel_service_edited: error: $message" | expect err
  expect out </dev/null
done
run a_edited_status edited status --database "$db"
expect_status 0
status_rows | grep '^4 ' | { read -r _ state; [ "$state" = modified ] ||
  rel_fail "[$last] 0004 is '$state' in the status, expected modified"; }
unchanged edited "$REL_TMP/ledger.edited"
was=$(sha256sum "$schema/0007_orders_amount_check.sql" | cut -c1-12)
now=$(sha256sum "$variants/reformatted/0007_orders_amount_check.sql" | cut -c1-12)
run a_reformatted_up reformatted up --database "$db"
expect_status 0
echo "rel_service_reformatted: warning: migration 7 (0007_orders_amount_check.sql) differs from the applied one only in whitespace, line endings or comments" | expect err
run a_reformatted_strict reformatted up --strict --database "$db"
expect_status 4
expect out </dev/null
echo "rel_service_reformatted: error: migration 7 (0007_orders_amount_check.sql) was applied with checksum $was, but this binary embeds $now: a released migration was edited (only in whitespace, line endings or comments)" | expect err
run a_reformatted_status reformatted status --database "$db"
expect_status 0
status_rows | grep '^7 ' | { read -r _ state; [ "$state" = reformatted ] ||
  rel_fail "[$last] 0007 is '$state' in the status, expected reformatted"; }
unchanged edited "$REL_TMP/ledger.edited"

# ---- (b) an unknown newer version -------------------------------------------
rel_createdb ahead
db=$(rel_conninfo ahead)
run b_up main up --database "$db"
expect_status 0
ledger ahead >"$REL_TMP/ledger.ahead"
warning="rel_service_short: warning: the database is ahead of this binary: it holds migration 8 (0008_validate.sql), newer than its newest 7 (a rolled-back deploy?)"
run b_short_up short up --database "$db"
expect_status 0
# (what follows the count, such as the round trips made, is not checked)
echo "database is up to date \\($((n - 1)) migrations(;.*)?\\)" | expect_match out
echo "$warning" | expect err
run b_short_check short check --database "$db"
expect_status 0
echo "up to date" | expect out
echo "$warning" | expect err
strict="rel_service_short: error: the database is ahead of this binary: it holds migration 8 (0008_validate.sql), newer than its newest 7"
for cmd in up check; do
  run "b_short_${cmd}_strict" short "$cmd" --strict --database "$db"
  expect_status 4
  expect out </dev/null
  echo "$strict" | expect err
done
run b_short_status short status --database "$db"
expect_status 0
status_rows | grep '^8 ' | { read -r _ state; [ "$state" = ahead ] ||
  rel_fail "[$last] 8 is '$state' in the status, expected ahead"; }
unchanged ahead "$REL_TMP/ledger.ahead"

# ---- (c) an interleaved unknown version -------------------------------------
rel_createdb gap
db=$(rel_conninfo gap)
run c_up main up --database "$db"
expect_status 0
ledger gap >"$REL_TMP/ledger.gap"
message="the ledger holds version 6 (0006_account_summary.sql), which this binary does not know, older than its newest migration 8: a migration was added out of order or deleted"
for cmd in up check plan; do
  run "c_gap_$cmd" gap "$cmd" --database "$db"
  expect_status 4
  expect out </dev/null
  echo "rel_service_gap: error: $message" | expect err
done
run c_gap_status gap status --database "$db"
expect_status 0
status_rows | grep '^6 ' | { read -r _ state; [ "$state" = missing ] ||
  rel_fail "[$last] 6 is '$state' in the status, expected missing"; }
unchanged gap "$REL_TMP/ledger.gap"

# ---- (d) a failed no-transaction migration ----------------------------------
rel_createdb fail_notx
db=$(rel_conninfo fail_notx)
path=tests/reliability/schemas/fail_notx/0009_refunds.sql
failure="$path:9:1: 23505 duplicate key value violates unique constraint \"refunds_pkey\""
run d_up fail_notx up --database "$db"
expect_status 1
{ applied_lines $((n + 1)) "${files[@]}"; echo "applying 0009_refunds.sql ($((n + 1))/$((n + 1)))"; } | expect out
expect_match err <<EOF
$(rel_ere "rel_service_fail_notx: error: $failure")
  DETAIL: Key \\(id\\)=\\([0-9]+\\) already exists\\.
EOF
# The first statement stayed, the ledger says where it stopped.
[ "$(rel_psql fail_notx -c "SELECT to_regclass('refunds') IS NOT NULL")" = t ] ||
  rel_fail "[$last] the table of the first statement is missing"
row=$(rel_psql fail_notx -F ' ' -c "SELECT success, completed, failed_statement,
  sqlstate, error FROM $REL_LEDGER WHERE version = 9")
[ "$row" = "f 1 1 23505 $failure" ] ||
  rel_fail "[$last] ledger row of 9: '$row'"
ledger fail_notx >"$REL_TMP/ledger.fail_notx"
refusal="rel_service_fail_notx: error: migration 9 (0009_refunds.sql) is recorded as failed at statement 2: $failure; fix the database, then run \`resolve 9\`"
for cmd in up check plan; do
  run "d_again_$cmd" fail_notx "$cmd" --database "$db"
  expect_status 4
  expect out </dev/null
  echo "$refusal" | expect err
done
run d_status fail_notx status --database "$db"
expect_status 0
status_rows | grep '^9 ' | { read -r _ state; [ "$state" = failed ] ||
  rel_fail "[$last] 9 is '$state' in the status, expected failed"; }
grep -qxF "                      failed at statement 2: $failure" "$REL_TMP/$last.out" ||
  { rel_fail "[$last] no detail line for the failure"; show; }
unchanged fail_notx "$REL_TMP/ledger.fail_notx"
# The operator runs the statement as it should have been, then skips it.
rel_psql fail_notx -c "INSERT INTO refunds (id, order_id) SELECT id, id FROM orders WHERE id <= 10" >/dev/null
run d_resolve fail_notx resolve 9 --skip --database "$db"
expect_status 0
expect out </dev/null
echo 'rel_service_fail_notx: resolved migration 9 \(0009_refunds\.sql\) \(skip\): .*' |
  expect_match err
run d_up_after fail_notx up --database "$db"
expect_status 0
{ applied_lines 1 0009_refunds.sql; echo "applied 1 migration; database is up to date"; } | expect out
[ "$(rel_psql fail_notx -c "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('refunds_order_id_idx')")" = t ] ||
  rel_fail "[$last] the index of the third statement is not there"

# ---- (e) a failed CREATE UNIQUE INDEX CONCURRENTLY --------------------------
rel_createdb fail_index
db=$(rel_conninfo fail_index)
path=tests/reliability/schemas/fail_index/0009_orders_account_key.sql
failure="$path:3:1: 23505 could not create unique index \"orders_account_id_key\""
cleanup='DROP INDEX CONCURRENTLY IF EXISTS "orders_account_id_key"'
run e_up fail_index up --database "$db"
expect_status 1
{ applied_lines $((n + 1)) "${files[@]}"; echo "applying 0009_orders_account_key.sql ($((n + 1))/$((n + 1)))"; } | expect out
hint="  HINT: the failed build left the index \"orders_account_id_key\" INVALID; clear it with \`$cleanup;\`, then run \`resolve 9\` (statement 1 is then retried)"
expect_match err <<EOF
$(rel_ere "rel_service_fail_index: error: $failure")
  DETAIL: Key \\(account_id\\)=\\([0-9]+\\) is duplicated\\.
$(rel_ere "$hint")
EOF
[ "$(rel_invalid_indexes fail_index)" = public.orders_account_id_key ] ||
  rel_fail "[$last] INVALID indexes: $(rel_invalid_indexes fail_index)"
refusal="rel_service_fail_index: error: migration 9 (0009_orders_account_key.sql) is recorded as failed at statement 1: $failure; fix the database, then run \`resolve 9\`"
for cmd in up check; do
  run "e_again_$cmd" fail_index "$cmd" --database "$db"
  expect_status 4
  expect out </dev/null
  echo "$refusal" | expect err
done
# The operator removes the duplicates and the INVALID index, then retries.
rel_psql fail_index -c "DELETE FROM orders WHERE id > 15000" >/dev/null
rel_psql fail_index -c "$cleanup" >/dev/null
run e_resolve fail_index resolve 9 --database "$db"
expect_status 0
echo 'rel_service_fail_index: resolved migration 9 \(0009_orders_account_key\.sql\) \(retry\): .*' |
  expect_match err
run e_up_after fail_index up --database "$db"
expect_status 0
{ applied_lines 1 0009_orders_account_key.sql; echo "applied 1 migration; database is up to date"; } | expect out
[ "$(rel_psql fail_index -c "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('orders_account_id_key')")" = t ] ||
  rel_fail "[$last] the unique index is not valid after the retry"

# ---- (f) a failed migration in a transaction --------------------------------
rel_createdb fail_tx
db=$(rel_conninfo fail_tx)
path=tests/reliability/schemas/fail_tx/0009_refunds.sql
failure="$path:8:1: 23505 duplicate key value violates unique constraint \"refunds_pkey\""
detail='  DETAIL: Key \(id\)=\([0-9]+\) already exists\.'
run f_up fail_tx up --database "$db"
expect_status 1
{ applied_lines $((n + 1)) "${files[@]}"; echo "applying 0009_refunds.sql ($((n + 1))/$((n + 1)))"; } | expect out
printf '%s\n%s\n' "$(rel_ere "rel_service_fail_tx: error: $failure")" "$detail" | expect_match err
[ "$(rel_psql fail_tx -c "SELECT to_regclass('refunds') IS NULL")" = t ] ||
  rel_fail "[$last] the failed transaction left its table"
[ "$(rel_psql fail_tx -c "SELECT count(*) FROM $REL_LEDGER WHERE version = 9")" = 0 ] ||
  rel_fail "[$last] the failed transaction left a ledger row"
run f_again fail_tx up --database "$db"
expect_status 1
echo "applying 0009_refunds.sql (1/1)" | expect out
printf '%s\n%s\n' "$(rel_ere "rel_service_fail_tx: error: $failure")" "$detail" | expect_match err
run f_check fail_tx check --database "$db"
expect_status 3
echo "1 pending" | expect out

rel_say "$cases commands run: edited (exit 4), reformatted (exit 0 with a warning, 4 with --strict), ahead (exit 0 with a warning, 4 with --strict), interleaved (exit 4), failed no-transaction (exit 1, then 4, resolved), failed index build (exit 1, then 4, retried), failed transaction (exit 1, again 1, check 3)"
rel_finish

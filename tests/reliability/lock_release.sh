#!/usr/bin/env bash
# lock_release.sh: the migration lock is released on every error path, so
# that a second process gets it.
#   (a) command line: a migration in a transaction fails (exit 1); a second
#       process with --wait 5 gets the lock and fails on the same statement
#       (not on the wait);
#   (b) a long-running process (rel_tool hold: migc_migrate() on a
#       connection that stays open afterwards) fails on a migration in a
#       transaction, on a statement run outside one, and on a concurrent
#       index build: each time its connection is idle, not in a transaction,
#       its server process holds no advisory lock, and while it stays
#       connected a second process gets the lock (`up` for the first,
#       `resolve`, which takes the lock, for the others);
#   (c) a process gives up waiting for the lock (MIGC_ERR_LOCK_TIMEOUT)
#       while another holds it, blocked in a migration: the message names
#       the holder's server process and statement; the waiter's connection
#       is idle and holds no lock; `check` does not wait (no lock); once the
#       holder is done, everything converges.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.bash
. "$here/lib.bash"
rel_init lock_release
rel_pg_start
bin=$REL_BIN_DIR
cases=0

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

# expect_err_match ERE...: the lines of stderr match the EREs, in order.
expect_err_match() {
  local -a got
  mapfile -t got <"$REL_TMP/$last.err"
  local i ok=1
  [ "$#" = "${#got[@]}" ] || ok=
  for ((i = 0; ok && i < $#; i++)); do
    local want=${*:i+1:1}
    [[ ${got[$i]} =~ ^${want}$ ]] || ok=
  done
  [ -n "$ok" ] || {
    rel_fail "[$last] stderr does not match:"
    printf '  want: %s\n' "$@" >&2
    show
  }
}


# no_lock_held DB PID WHAT: server process PID is idle outside a
# transaction and holds no advisory lock, and nobody holds one on DB.
no_lock_held() {
  local db=$1 pid=$2 what=$3 got
  got=$(rel_psql postgres -F ' ' -c "SELECT a.state,
      (SELECT count(*) FROM pg_locks l WHERE l.locktype = 'advisory'
         AND l.pid = a.pid),
      (SELECT count(*) FROM pg_locks l JOIN pg_database d
         ON d.oid = l.database WHERE l.locktype = 'advisory'
         AND d.datname = '$db')
    FROM pg_stat_activity a WHERE a.pid = $pid")
  [ "$got" = "idle 0 0" ] ||
    rel_fail "$what: server process $pid (state, its advisory locks, all advisory locks on $db): '$got', expected 'idle 0 0'"
}

# hold SCHEMA DB WAIT_MS: start rel_tool hold in the background and wait
# for its "ready"; $hold_pid (the tool), $hold_backend, $hold_code,
# $hold_message, $hold_txn. release_hold ends it.
hold_n=0
hold() {
  local schema=$1 db=$2 wait_ms=$3
  hold_n=$((hold_n + 1))
  hold_out=$REL_TMP/hold.$hold_n.out hold_err=$REL_TMP/hold.$hold_n.err
  hold_release=$REL_TMP/hold.$hold_n.release
  rel_bg "$hold_out" "$hold_err" "$REL_TOOL" hold "$schema" \
    "$(rel_conninfo "$db")" "$wait_ms" "$hold_release"
  hold_pid=$REL_PID
  local deadline=$((SECONDS + 120))
  until grep -qx ready "$hold_out"; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$hold_pid" 2>/dev/null; then
      cat "$hold_out" "$hold_err" >&2
      rel_die "rel_tool hold $schema did not get ready"
    fi
    sleep 0.05
  done
  hold_backend=$(sed -n 's/^pid //p' "$hold_out")
  hold_code=$(sed -n 's/^code \([0-9]*\) .*/\1/p' "$hold_out")
  hold_message=$(sed -n 's/^message //p' "$hold_out")
  hold_txn=$(sed -n 's/^transaction //p' "$hold_out")
  cases=$((cases + 1))
}

release_hold() {
  : >"$hold_release"
  rel_wait_pid "$hold_pid" $((SECONDS + 30))
  [ "$REL_STATUS" = 0 ] || rel_fail "rel_tool hold exited $REL_STATUS"
}

# ---- (a) command line: a failed migration, then a second process ------------
rel_createdb cli_fail_tx
db=$(rel_conninfo cli_fail_tx)
tx_path=tests/reliability/schemas/fail_tx/0009_refunds.sql
tx_failure="$(rel_ere "$tx_path:8:1: 23505 duplicate key value violates unique constraint \"refunds_pkey\"")"
tx_detail='  DETAIL: Key \(id\)=\([0-9]+\) already exists\.'
run a_first fail_tx up --database "$db"
expect_status 1
expect_err_match "rel_service_fail_tx: error: $tx_failure" "$tx_detail"
run a_second fail_tx up --database "$db" --wait 5
expect_status 1
expect_err_match "rel_service_fail_tx: error: $tx_failure" "$tx_detail"

# ---- (b) a long-running process's failures ----------------------------------
# In a transaction.
rel_createdb hold_fail_tx
hold rel_fail_tx hold_fail_tx 5000
if [ "$hold_code" != 5 ] || [ "$hold_txn" != idle ]; then
  rel_fail "hold fail_tx: code $hold_code, transaction $hold_txn: $hold_message"
fi
[[ $hold_message =~ ^$tx_failure$ ]] ||
  rel_fail "hold fail_tx: message '$hold_message'"
no_lock_held hold_fail_tx "$hold_backend" "hold fail_tx"
run b_tx_second fail_tx up --database "$(rel_conninfo hold_fail_tx)" --wait 5
expect_status 1
expect_err_match "rel_service_fail_tx: error: $tx_failure" "$tx_detail"
release_hold

# Outside a transaction: the ledger records the failure, `up` refuses it
# without the lock (exit 4), `resolve` takes the lock.
rel_createdb hold_fail_notx
hold rel_fail_notx hold_fail_notx 5000
notx_failure="$(rel_ere "tests/reliability/schemas/fail_notx/0009_refunds.sql:9:1: 23505 duplicate key value violates unique constraint \"refunds_pkey\"")"
if [ "$hold_code" != 5 ] || [ "$hold_txn" != idle ]; then
  rel_fail "hold fail_notx: code $hold_code, transaction $hold_txn: $hold_message"
fi
[[ $hold_message =~ ^$notx_failure$ ]] ||
  rel_fail "hold fail_notx: message '$hold_message'"
no_lock_held hold_fail_notx "$hold_backend" "hold fail_notx"
run b_notx_up fail_notx up --database "$(rel_conninfo hold_fail_notx)" --wait 5
expect_status 4
run b_notx_resolve fail_notx resolve 9 --skip \
  --database "$(rel_conninfo hold_fail_notx)" --wait 5
expect_status 0
release_hold

# A concurrent index build that fails.
rel_createdb hold_fail_index
hold rel_fail_index hold_fail_index 5000
index_failure="$(rel_ere "tests/reliability/schemas/fail_index/0009_orders_account_key.sql:3:1: 23505 could not create unique index \"orders_account_id_key\"")"
if [ "$hold_code" != 5 ] || [ "$hold_txn" != idle ]; then
  rel_fail "hold fail_index: code $hold_code, transaction $hold_txn: $hold_message"
fi
[[ $hold_message =~ ^$index_failure$ ]] ||
  rel_fail "hold fail_index: message '$hold_message'"
no_lock_held hold_fail_index "$hold_backend" "hold fail_index"
rel_psql hold_fail_index -c 'DROP INDEX CONCURRENTLY IF EXISTS "orders_account_id_key"' >/dev/null
run b_index_resolve fail_index resolve 9 --applied \
  --database "$(rel_conninfo hold_fail_index)" --wait 5
expect_status 0
release_hold

# ---- (c) a lock wait that times out -----------------------------------------
rel_createdb blocked
db=$(rel_conninfo blocked)
run c_main main up --database "$db"
expect_status 0
# A session holds the row 0009 updates; `up` of the blocked set takes the
# migration lock and waits in 0009.
mkfifo "$REL_TMP/blocker.in"
rel_bg "$REL_TMP/blocker.out" "$REL_TMP/blocker.err" \
  "$REL_PSQL" -X -q -d blocked -f "$REL_TMP/blocker.in"
blocker=$REL_PID
exec 9>"$REL_TMP/blocker.in"
printf '%s\n' "BEGIN;" "SELECT 1 FROM accounts WHERE id = 1 FOR UPDATE;" >&9
rel_bg "$REL_TMP/holder.out" "$REL_TMP/holder.err" \
  "$bin/rel_service_blocked" up --database "$db" --wait 60
holder=$REL_PID
deadline=$((SECONDS + 60)) holder_backend=
while [ -z "$holder_backend" ]; do
  holder_backend=$(rel_psql postgres -c "SELECT pid FROM pg_stat_activity
    WHERE datname = 'blocked' AND wait_event_type = 'Lock'
      AND starts_with(query, 'UPDATE accounts')")
  [ -n "$holder_backend" ] && break
  if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$holder" 2>/dev/null; then
    rel_die "the holder never waited in 0009"
  fi
  sleep 0.05
done
statement=$(rel_ere "UPDATE accounts SET email = email WHERE id = 1")
# `check` takes no lock: it answers at once.
run c_check blocked check --database "$db" --wait 1
expect_status 3
# The command line gives up after a second.
run c_cli_wait blocked up --database "$db" --wait 1
expect_status 1
expect_err_match \
  "rel_service_blocked: waiting for the migration lock, held by server process $holder_backend \(application rel_service_blocked \(migc\), active for [0-9.]+ s\): $statement" \
  "rel_service_blocked: error: timed out after [0-9.]+ s waiting for the migration lock held by another process"
# So does a long-running process, whose connection stays idle and unlocked.
hold rel_blocked blocked 1000
if [ "$hold_code" != 12 ] || [ "$hold_txn" != idle ]; then
  rel_fail "hold blocked: code $hold_code, transaction $hold_txn: $hold_message"
fi
[[ $hold_message =~ ^timed\ out\ after\ [0-9.]+\ s\ waiting\ for\ the\ migration\ lock\ held\ by\ another\ process$ ]] ||
  rel_fail "hold blocked: message '$hold_message'"
grep -Eq "^rel_tool: waiting for the migration lock, held by server process $holder_backend " "$hold_err" ||
  rel_fail "hold blocked: no waiting line naming server process $holder_backend: $(cat "$hold_err")"
got=$(rel_psql postgres -F ' ' -c "SELECT a.state, (SELECT count(*) FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.pid = a.pid)
  FROM pg_stat_activity a WHERE a.pid = $hold_backend")
[ "$got" = "idle 0" ] ||
  rel_fail "hold blocked: its server process (state, advisory locks): '$got'"
# The holder goes on once the row is free; then everything is applied.
printf '%s\n' "COMMIT;" >&9
exec 9>&-
rel_wait_pid "$blocker" $((SECONDS + 30))
rel_wait_pid "$holder" $((SECONDS + 60))
[ "$REL_STATUS" = 0 ] || {
  rel_fail "the holder exited $REL_STATUS"
  cat "$REL_TMP/holder.err" >&2
}
grep -qx "applied 0009_touch_account.sql ([0-9.]* ms)" "$REL_TMP/holder.out" ||
  rel_fail "the holder did not apply 0009: $(cat "$REL_TMP/holder.out")"
release_hold
run c_after blocked up --database "$db"
expect_status 0
[[ $(cat "$REL_TMP/$last.out") =~ ^database\ is\ up\ to\ date\ \(9\ migrations(;.*)?\)$ ]] ||
  rel_fail "[$last] $(cat "$REL_TMP/$last.out")"

rel_say "$cases runs: a failed migration then a second process (command line), three failures of a long-running process, two lock-wait timeouts"
rel_finish

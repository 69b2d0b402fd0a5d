#!/usr/bin/env bash
# kill.sh MODE: the applying process dies, or the server restarts, at a
# random moment of `up` on a fresh database.
#   MODE kill: RUNS times (MIGC_REL_KILLS, default 50) `up` is killed with
#     SIGKILL after a random delay of 0..T ms, T the time a whole `up` took
#     once; after the killed process's server session ended, the ledger must
#     agree with the schema (rel_check_ledger in lib.bash); a following `up`
#     must exit 0 and converge to the reference. Then AT_ONCE more times
#     (MIGC_REL_KILLS_AT_ONCE, default 10) the following `up` starts right
#     after the kill, while the killed process's server session may still run
#     its statement (the takeover must wait for it), and must converge.
#   MODE restart: RUNS times (MIGC_REL_RESTARTS, default 10) the server is
#     restarted with `pg_ctl -m immediate restart` (every server process
#     killed, crash recovery) at a random moment of `up`; the process must
#     exit 0 (done before) or 1 (connection lost), the ledger must agree
#     with the schema, and a following `up` must converge. The WAL writer
#     is slowed (wal_writer_delay 10s) so that a restart loses the
#     asynchronous commits of group commit made just before it; an `up`
#     that exited 0 must have lost nothing.
# The seed of the random delays is printed first (MIGC_REL_SEED repeats it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.bash
. "$here/lib.bash"
mode=${1:?usage: kill.sh kill|restart}
case $mode in
kill) runs=${MIGC_REL_KILLS:-50} at_once=${MIGC_REL_KILLS_AT_ONCE:-10} ;;
restart) runs=${MIGC_REL_RESTARTS:-10} at_once=0 ;;
*) echo "unknown mode $mode" >&2; exit 2 ;;
esac
rel_init "$mode"
# bash reports every background job that SIGKILL ended ("...: line N: PID
# Killed ..."); here the kills are the point, so those lines are left out.
exec 2> >(grep --line-buffered -v '^/.*: line [0-9]*: *[0-9]* Killed ' >&2)
svc=$REL_BIN_DIR/rel_service_main
prog=rel_service_main

rel_pg_start
if [ "$mode" = restart ]; then
  # Group commit: every commit of a run but its last is asynchronous. The
  # WAL writer writes such commits out within wal_writer_delay; made long,
  # a restart loses the ones made just before it (each with its ledger
  # row), which the checks below must find consistent.
  rel_psql postgres -c "ALTER SYSTEM SET wal_writer_delay = '10s'" >/dev/null
  rel_psql postgres -c "SELECT pg_reload_conf()" >/dev/null
fi
rel_reference

# T: one whole `up` of a fresh database, as the runs start it.
rel_createdb measure
t0=$(date +%s%N)
rel_run_bounded 120 "$svc" up --database "$(rel_conninfo measure)" \
  >"$REL_TMP/measure.out" 2>"$REL_TMP/measure.err" ||
  { cat "$REL_TMP/measure.err" >&2; rel_die "the measuring run failed"; }
t1=$(date +%s%N)
span=$(((t1 - t0) / 1000000))
[ "$span" -ge 1 ] || span=1
[ "$span" -lt 32000 ] || span=32000
rel_same_as_reference measure "$REL_N" "measuring run" || true
rel_say "a whole up takes ${span} ms here: delays are drawn from 0..$((span - 1)) ms"

ms_to_s() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

# converge DB WHAT: a following `up` exits 0 and leaves the reference, every
# migration recorded applied, `check` satisfied. Counts takeovers.
takeovers=0 retries=0 converged=0 attempts=0
converge() {
  local db=$1 what=$2 ci status out
  attempts=$((attempts + 1))
  ci=$(rel_conninfo "$db")
  status=0
  rel_run_bounded 150 "$svc" up --database "$ci" --wait 120 \
    >"$REL_TMP/up.out" 2>"$REL_TMP/up.err" || status=$?
  if [ "$status" != 0 ]; then
    rel_fail "$what: the following up exited $status"
    sed 's/^/  stdout: /' "$REL_TMP/up.out" >&2
    sed 's/^/  stderr: /' "$REL_TMP/up.err" >&2
    rel_psql "$db" -c "SELECT version, success, completed, failed_statement,
      sqlstate, error, holder FROM $REL_LEDGER ORDER BY version" >&2 || true
    return 1
  fi
  takeovers=$((takeovers + $(grep -c "^$prog: taking over migration" "$REL_TMP/up.err" || true)))
  retries=$((retries + $(grep -c "^$prog: retrying migration" "$REL_TMP/up.err" || true)))
  # A statement run again after a takeover may say so: "NOTICE:  relation
  # ... already exists, skipping" of a CREATE TABLE IF NOT EXISTS outside a
  # transaction, printed by libpq's default notice processor.
  if grep -v "^$prog: taking over migration [0-9]* (.*) at statement [0-9]* of [0-9]*, left part-way by \|^$prog: retrying migration \|^$prog: waiting for \|^NOTICE:  " \
    "$REL_TMP/up.err" >"$REL_TMP/unexpected.err"; then
    rel_fail "$what: unexpected lines on standard error of the following up:"
    cat "$REL_TMP/unexpected.err" >&2
  fi
  rel_check_ledger "$db" "$what (after the following up)" || return 1
  [ "$REL_LEDGER_STATE" = "applied:$REL_N" ] || {
    rel_fail "$what: after the following up the ledger says $REL_LEDGER_STATE"
    return 1
  }
  out=$(rel_run_bounded 60 "$svc" check --database "$ci" 2>&1) || status=$?
  if [ "$status" != 0 ] || [ "$out" != "up to date" ]; then
    rel_fail "$what: check exited $status: $out"
    return 1
  fi
  converged=$((converged + 1))
}

declare -A seen=() messages=()

# lost_connection_said WHAT ERRFILE: an `up` whose server went away says so,
# in a transaction too: not a statement blamed ("path:line:col:  statement
# failed", no SQLSTATE), but the lost connection (MIGC_ERR_CONNECT).
txn_lost_seen=0 txn_lost_ok=0
lost_connection_said() {
  local what=$1 err=$2
  if grep -Eq '^[^ ]+\.sql:[0-9]+:[0-9]+:  statement failed$' "$err"; then
    txn_lost_seen=$((txn_lost_seen + 1))
    rel_fail "$what: the lost connection is reported as a failed statement: $(grep -E '\.sql:[0-9]+:[0-9]+: ' "$err" | head -n 1)"
  elif grep -Eq "^[^ :]+: error: .*(server closed the connection|connection lost|terminating connection)" "$err"; then
    txn_lost_ok=$((txn_lost_ok + 1))
  else
    rel_fail "$what: up exited 1 without saying the connection was lost:"
    sed 's/^/  stderr: /' "$err" >&2
  fi
}
# durable DB WHAT (restart): a run that exited 0 lost nothing (its last
# commit was synchronous, which makes every earlier one durable); a run cut
# off may have lost asynchronous commits it reported as applied, each with
# its ledger row (rel_check_ledger found the ledger equal to the schema).
lost_async=0 lost_runs=0
durable() {
  local db=$1 what=$2 said recorded
  said=$(grep -c '^applied ' "$REL_TMP/run.out" || true)
  recorded=$(rel_psql "$db" -c "SELECT count(*) FROM $REL_LEDGER WHERE success" 2>/dev/null || echo 0)
  if [ "$REL_STATUS" = 0 ] && [ "$REL_LEDGER_STATE" != "applied:$REL_N" ]; then
    rel_fail "$what: up exited 0 before the restart, but after it the ledger says $REL_LEDGER_STATE"
  elif [ "$said" -gt "$recorded" ]; then
    lost_async=$((lost_async + said - recorded))
    lost_runs=$((lost_runs + 1))
    rel_say "$what: $((said - recorded)) asynchronous commits reported applied were lost by the restart, each with its ledger row"
  fi
}
finished_first=0 interrupted=0 exit_codes=
record_state() {
  seen[$REL_LEDGER_STATE]=$((${seen[$REL_LEDGER_STATE]:-0} + 1))
}

for ((i = 1; i <= runs; i++)); do
  db=run_$i
  rel_createdb "$db"
  delay=$((RANDOM % span))
  rel_bg "$REL_TMP/run.out" "$REL_TMP/run.err" \
    "$svc" up --database "$(rel_conninfo "$db")" --wait 60
  pid=$REL_PID
  sleep "$(ms_to_s "$delay")"
  if [ "$mode" = kill ]; then
    kill -KILL "$pid" 2>/dev/null || true
    rel_wait_pid "$pid" $((SECONDS + 30))
    case $REL_STATUS in
    137) interrupted=$((interrupted + 1)) ;;
    0) finished_first=$((finished_first + 1)) ;;
    *) rel_fail "run $i: the killed up exited $REL_STATUS" ;;
    esac
    # The killed process's server session may still run its statement.
    rel_wait_idle "$db" 60 || true
  else
    rel_pg_restart_immediate
    rel_wait_pid "$pid" $((SECONDS + 60))
    case $REL_STATUS in
    0) finished_first=$((finished_first + 1)) ;;
    1)
      interrupted=$((interrupted + 1))
      lost_connection_said "run $i" "$REL_TMP/run.err"
      # what the process said (its error line, else its first line), digits
      # masked, for the summary
      said=$({ grep -E "^$prog: error: |\.sql:[0-9]+:[0-9]+: " "$REL_TMP/run.err" ||
        grep -v "^$prog: waiting for " "$REL_TMP/run.err" || true; } |
        head -n 1 | sed -E 's/[0-9]+/N/g')
      messages[$said]=$((${messages[$said]:-0} + 1))
      ;;
    *)
      rel_fail "run $i: up exited $REL_STATUS across the restart"
      sed 's/^/  stderr: /' "$REL_TMP/run.err" >&2
      ;;
    esac
  fi
  exit_codes+=" $REL_STATUS"
  what="run $i ($mode after ${delay} ms)"
  if rel_check_ledger "$db" "$what"; then
    [ "$mode" = restart ] && durable "$db" "$what"
    record_state
    rel_say "$what: exit $REL_STATUS, ledger and schema agree: $REL_LEDGER_STATE"
    converge "$db" "$what" || true
  else
    rel_say "$what: exit $REL_STATUS; the ledger disagrees with the schema"
    sed 's/^/  stderr: /' "$REL_TMP/run.err" >&2
    rel_psql "$db" -c "SELECT version, success, completed, failed_statement,
      sqlstate, error, holder FROM $REL_LEDGER ORDER BY version" >&2 || true
  fi
  rel_psql postgres -c "DROP DATABASE \"$db\" WITH (FORCE)" >/dev/null
done

# The following `up` at once: it meets the dead process's row while that
# process's server session may still be running the statement.
at_once_ok=0
for ((i = 1; i <= at_once; i++)); do
  db=at_once_$i
  rel_createdb "$db"
  delay=$((RANDOM % span))
  rel_bg "$REL_TMP/run.out" "$REL_TMP/run.err" \
    "$svc" up --database "$(rel_conninfo "$db")" --wait 60
  pid=$REL_PID
  sleep "$(ms_to_s "$delay")"
  kill -KILL "$pid" 2>/dev/null || true
  rel_wait_pid "$pid" $((SECONDS + 30))
  before=$converged
  converge "$db" "kill after ${delay} ms, up at once ($i)" || true
  [ "$converged" -gt "$before" ] && at_once_ok=$((at_once_ok + 1))
  rel_psql postgres -c "DROP DATABASE \"$db\" WITH (FORCE)" >/dev/null
done

# ---- The index build of 0003, cut off on purpose ---------------------------
# A session holding an old snapshot makes CREATE INDEX CONCURRENTLY wait
# (for older snapshots) with its index present and INVALID. Then:
#   kill: the applying process is killed; a following `up` started at once
#     must wait (the killed process's server session still builds the
#     index), and after the snapshot goes and the build ends take the
#     migration over, find the index valid and finish;
#   restart: the server restarts; the ledger holds 0003 running with its
#     index INVALID (allowed by rel_check_ledger), and a following `up`
#     takes it over, drops the INVALID index and builds it again.
index_version=${REL_VERSIONS[2]}
index_file=$(cat "$REL_ST/$index_version.file")
index_sql=$(head -c 60 "$REL_ST/$index_version.0.sql")
index_run=fail
index_build_run() {
  local db=index_build ci blocker pid first
  rel_createdb "$db"
  ci=$(rel_conninfo "$db")
  mkfifo "$REL_TMP/blocker.in"
  rel_bg "$REL_TMP/blocker.out" "$REL_TMP/blocker.err" \
    "$REL_PSQL" -X -q -d "$db" -f "$REL_TMP/blocker.in"
  blocker=$REL_PID
  exec 9>"$REL_TMP/blocker.in"
  printf '%s\n' "BEGIN ISOLATION LEVEL REPEATABLE READ;" "SELECT 1;" >&9
  rel_bg "$REL_TMP/first.out" "$REL_TMP/first.err" \
    "$svc" up --database "$ci" --wait 60
  first=$REL_PID
  local deadline=$((SECONDS + 60)) building=
  while [ -z "$building" ]; do
    # waiting for the old snapshot: its index exists by then, INVALID
    building=$(rel_psql postgres -c "SELECT pid FROM pg_stat_activity
      WHERE datname = '$db' AND state = 'active'
        AND wait_event = 'virtualxid'
        AND starts_with(query, '${index_sql//\'/\'\'}')")
    [ -n "$building" ] && break
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$first" 2>/dev/null; then
      rel_fail "index build: the build of $index_file never started waiting"
      exec 9>&-
      return 1
    fi
    sleep 0.05
  done
  local invalid
  invalid=$(rel_invalid_indexes "$db")
  [ "$invalid" = public.orders_account_id_idx ] ||
    rel_fail "index build: while it waits, the INVALID indexes are '$invalid'"
  if [ "$mode" = kill ]; then
    kill -KILL "$first"
    rel_wait_pid "$first" $((SECONDS + 30))
    [ "$REL_STATUS" = 137 ] || rel_fail "index build: the killed up exited $REL_STATUS"
    rel_bg "$REL_TMP/second.out" "$REL_TMP/second.err" \
      "$svc" up --database "$ci" --wait 60
    local second=$REL_PID
    attempts=$((attempts + 1))
    deadline=$((SECONDS + 30))
    until grep -q "^$prog: waiting for migration $index_version ($index_file)" "$REL_TMP/second.err"; do
      if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$second" 2>/dev/null; then
        rel_fail "index build: the following up did not wait for the killed process's build"
        sed 's/^/  stderr: /' "$REL_TMP/second.err" >&2
        break
      fi
      sleep 0.05
    done
    # The build still runs in the killed process's server session.
    [ "$(rel_psql postgres -c "SELECT count(*) FROM pg_stat_activity WHERE pid = $building")" = 1 ] ||
      rel_fail "index build: the killed process's server session is gone before the snapshot was released"
    printf '%s\n' "COMMIT;" >&9
    exec 9>&-
    rel_wait_pid "$blocker" $((SECONDS + 30))
    rel_wait_pid "$second" $((SECONDS + 90))
    if [ "$REL_STATUS" != 0 ]; then
      rel_fail "index build: the following up exited $REL_STATUS"
      sed 's/^/  stderr: /' "$REL_TMP/second.err" >&2
      return 1
    fi
    grep -q "^$prog: taking over migration $index_version ($index_file) at statement 1 of 1, left part-way by " "$REL_TMP/second.err" || {
      rel_fail "index build: the following up did not take the migration over:"
      sed 's/^/  stderr: /' "$REL_TMP/second.err" >&2
      return 1
    }
    takeovers=$((takeovers + 1))
    rel_check_ledger "$db" "index build (after the following up)" || return 1
    [ "$REL_LEDGER_STATE" = "applied:$REL_N" ] || {
      rel_fail "index build: after the following up the ledger says $REL_LEDGER_STATE"
      return 1
    }
  else
    rel_pg_restart_immediate
    rel_wait_pid "$first" $((SECONDS + 60))
    [ "$REL_STATUS" = 1 ] || rel_fail "index build: up exited $REL_STATUS across the restart"
    exec 9>&-
    rel_wait_pid "$blocker" $((SECONDS + 30))
    rel_check_ledger "$db" "index build (after the restart)" || return 1
    [ "$REL_LEDGER_STATE" = "running:$index_version/0:schema-after-0 invalid:public.orders_account_id_idx" ] || {
      rel_fail "index build: after the restart the ledger says $REL_LEDGER_STATE"
      return 1
    }
    rel_say "index build: after the restart, ledger and schema agree: $REL_LEDGER_STATE"
    local before=$takeovers
    converge "$db" "index build" || return 1
    [ "$takeovers" -gt "$before" ] || {
      rel_fail "index build: the following up did not take the migration over"
      return 1
    }
  fi
  rel_same_as_reference "$db" "$REL_N" "index build" || return 1
  [ "$mode" = kill ] && converged=$((converged + 1))
  index_run=ok
  rel_psql postgres -c "DROP DATABASE \"$db\" WITH (FORCE)" >/dev/null
}
index_build_run || true

# ---- A migration in a transaction, cut off by a restart ---------------------
# (restart only) The fixture applied, then the blocked set's 0009 (an UPDATE
# in a transaction) waits for a row lock a session holds, keeping the
# migration lock; the server restarts. `up` exits 1 saying the connection
# was lost, nothing of 0009 remains, the next `up` applies it.
txn_cut=skipped
txn_cut_run() {
  local db=txn_cut ci blocker first waiting
  rel_createdb "$db"
  ci=$(rel_conninfo "$db")
  rel_run_bounded 120 "$svc" up --database "$ci" >/dev/null 2>"$REL_TMP/txn.err" || {
    rel_fail "txn cut: the fixture did not apply: $(cat "$REL_TMP/txn.err")"
    return 1
  }
  rm -f "$REL_TMP/blocker.in"
  mkfifo "$REL_TMP/blocker.in"
  rel_bg "$REL_TMP/blocker.out" "$REL_TMP/blocker.err" \
    "$REL_PSQL" -X -q -d "$db" -f "$REL_TMP/blocker.in"
  blocker=$REL_PID
  exec 9>"$REL_TMP/blocker.in"
  printf '%s\n' "BEGIN;" "SELECT 1 FROM accounts WHERE id = 1 FOR UPDATE;" >&9
  rel_bg "$REL_TMP/first.out" "$REL_TMP/first.err" \
    "$REL_BIN_DIR/rel_service_blocked" up --database "$ci" --wait 60
  first=$REL_PID
  local deadline=$((SECONDS + 60))
  waiting=
  while [ -z "$waiting" ]; do
    waiting=$(rel_psql postgres -c "SELECT pid FROM pg_stat_activity
      WHERE datname = '$db' AND wait_event_type = 'Lock'
        AND starts_with(query, 'UPDATE accounts')")
    [ -n "$waiting" ] && break
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$first" 2>/dev/null; then
      rel_fail "txn cut: 0009 never waited for the row"
      exec 9>&-
      return 1
    fi
    sleep 0.05
  done
  rel_pg_restart_immediate
  rel_wait_pid "$first" $((SECONDS + 60))
  local status=$REL_STATUS
  exec 9>&-
  rel_wait_pid "$blocker" $((SECONDS + 30))
  if [ "$status" != 1 ]; then
    rel_fail "txn cut: up exited $status across the restart"
  fi
  lost_connection_said "txn cut" "$REL_TMP/first.err"
  rel_check_ledger "$db" "txn cut (after the restart)" || return 1
  if [ "$REL_LEDGER_STATE" != "applied:$REL_N" ] ||
    [ "$(rel_psql "$db" -c "SELECT count(*) FROM $REL_LEDGER WHERE version = 9")" != 0 ]; then
    rel_fail "txn cut: after the restart the ledger says $REL_LEDGER_STATE, or holds 0009"
    return 1
  fi
  rel_run_bounded 120 "$REL_BIN_DIR/rel_service_blocked" up --database "$ci" \
    >"$REL_TMP/txn.out" 2>"$REL_TMP/txn.err" || {
    rel_fail "txn cut: the following up failed: $(cat "$REL_TMP/txn.err")"
    return 1
  }
  grep -qx "applied 0009_touch_account.sql ([0-9.]* ms)" "$REL_TMP/txn.out" ||
    { rel_fail "txn cut: the following up did not apply 0009"; return 1; }
  txn_cut=ok
  rel_psql postgres -c "DROP DATABASE \"$db\" WITH (FORCE)" >/dev/null
}
if [ "$mode" = restart ]; then
  txn_cut=fail
  txn_cut_run || true
fi

summary=
while IFS= read -r k; do
  [ -n "$k" ] && summary+=" $k=${seen[$k]}"
done < <(printf '%s\n' "${!seen[@]}" | sort)
if [ "$mode" = kill ]; then
  rel_say "$runs SIGKILL runs: $interrupted killed, $finished_first finished before the kill; after the kill, ledger states:$summary"
  rel_say "$at_once more SIGKILL runs with the following up at once: $at_once_ok converged"
else
  rel_say "$runs immediate restarts: $interrupted up processes lost their connection (exit 1), $finished_first finished before (exit 0); after the restart, ledger states:$summary"
  rel_say "a migration in a transaction cut off by a restart: $txn_cut"
  rel_say "group commit: $lost_async asynchronous commits lost by $lost_runs restarts, each with its ledger row; every up that exited 0 kept all"
  rel_say "exit 1 after a restart: $txn_lost_ok said the connection was lost, $txn_lost_seen blamed the statement instead"
  for k in "${!messages[@]}"; do
    rel_say "  ${messages[$k]} x exit 1 saying: $k"
  done
fi
rel_say "the build of $index_file cut off by a $mode: $index_run"
rel_say "following up: $converged of $attempts converged to the reference; $takeovers takeovers of a migration left running, $retries retries of a failed repeatable statement"
rel_finish

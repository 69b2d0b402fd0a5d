#!/usr/bin/env bash
# concurrent.sh MODE: PROCS processes start `up` at the same moment against a
# fresh database, ROUNDS times (MIGC_REL_PROCS, default 32; MIGC_REL_ROUNDS,
# default 10). MODE direct: on the server's socket; MODE pgbouncer: through
# PgBouncer in transaction pooling mode (8 server connections for the 32
# clients). Each round:
#   - every process exits 0, within the deadline;
#   - every migration is applied exactly once: across the processes' output
#     each "applied FILE" line appears once, and the ledger holds one applied
#     row per migration (and no other);
#   - no process took over a migration (nobody died) and the only lines on
#     standard error are the runtime's waiting messages;
#   - the schema (pg_dump --schema-only, row counts) equals the reference
#     psql applied, with no INVALID index; `check` then exits 0.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.bash
. "$here/lib.bash"
mode=${1:?usage: concurrent.sh direct|pgbouncer}
case $mode in direct | pgbouncer) ;; *) echo "unknown mode $mode" >&2; exit 2 ;; esac
rel_init "concurrent-$mode"
procs=${MIGC_REL_PROCS:-32}
rounds=${MIGC_REL_ROUNDS:-10}
svc=$REL_BIN_DIR/rel_service_main
prog=rel_service_main

rel_pg_start
rel_reference
host=$PGHOST port=$PGPORT
if [ "$mode" = pgbouncer ]; then
  rel_pgbouncer_start
  host=$REL_BOUNCER_HOST port=$REL_BOUNCER_PORT
  rel_say "pgbouncer: transaction pooling on $host/.s.PGSQL.$port"
fi

total_ok=0 total_applied_lines=0 total_waiting=0 total_appliers=0 total_xacts=0
for ((r = 1; r <= rounds; r++)); do
  db=round_$r
  rel_createdb "$db"
  ci=$(rel_conninfo "$db" "$host" "$port")
  dir=$REL_TMP/round.$r
  mkdir "$dir"
  # The start barrier: every process opens the fifo, says it is ready and
  # blocks reading it; closing our end (the only writer) releases them all.
  fifo=$dir/go
  mkfifo "$fifo"
  exec 8<>"$fifo"
  pids=()
  for ((i = 1; i <= procs; i++)); do
    # shellcheck disable=SC2016 # expanded by the inner bash
    rel_bg "$dir/$i.out" "$dir/$i.err" bash -c \
      'exec 3<"$1"; : >"$2"; read -r -u 3 _ || true; exec 3<&-; shift 2; exec "$@"' \
      barrier "$fifo" "$dir/$i.ready" "$svc" up --database "$ci" --wait 120
    pids+=("$REL_PID")
  done
  deadline=$((SECONDS + 60))
  while [ "$(find "$dir" -name '*.ready' | wc -l)" -lt "$procs" ]; do
    [ "$SECONDS" -lt "$deadline" ] || rel_die "round $r: the processes did not reach the start barrier"
    sleep 0.02
  done
  exec 8>&-
  deadline=$((SECONDS + 150))
  ok=0
  for ((i = 1; i <= procs; i++)); do
    rel_wait_pid "${pids[$((i - 1))]}" "$deadline"
    if [ "$REL_STATUS" = 0 ]; then
      ok=$((ok + 1))
    else
      rel_fail "round $r: process $i exited $REL_STATUS"
      sed "s/^/  process $i stdout: /" "$dir/$i.out" >&2
      sed "s/^/  process $i stderr: /" "$dir/$i.err" >&2
    fi
  done
  total_ok=$((total_ok + ok))

  # Exactly once: each migration's "applied" line, across all outputs.
  cat "$dir"/*.out >"$dir/all.out"
  applied_lines=$(grep -c '^applied [0-9].*\.sql (' "$dir/all.out" || true)
  total_applied_lines=$((total_applied_lines + applied_lines))
  for v in "${REL_VERSIONS[@]}"; do
    f=$(cat "$REL_ST/$v.file")
    n=$(grep -c "^applied ${f//./\\.} (" "$dir/all.out" || true)
    [ "$n" = 1 ] || rel_fail "round $r: $f applied by $n processes"
  done
  appliers=$(grep -l '^applied [0-9].*\.sql (' "$dir"/*.out | wc -l)
  total_appliers=$((total_appliers + appliers))
  ledger=$(rel_psql "$db" -c "SELECT count(*) FILTER (WHERE success),
      count(*) FILTER (WHERE NOT success), count(DISTINCT version)
      FROM $REL_LEDGER" -F ' ')
  [ "$ledger" = "$REL_N 0 $REL_N" ] ||
    rel_fail "round $r: ledger (applied, not applied, versions) is $ledger, expected $REL_N 0 $REL_N"
  expected_versions=$(printf '%s,' "${REL_VERSIONS[@]}")
  got_versions=$(rel_psql "$db" -c "SELECT string_agg(version::text, ',' ORDER BY version) || ',' FROM $REL_LEDGER")
  [ "$got_versions" = "$expected_versions" ] ||
    rel_fail "round $r: ledger versions $got_versions, expected $expected_versions"

  # Standard error: waiting messages only.
  cat "$dir"/*.err >"$dir/all.err"
  waiting=$(grep -c "^$prog: waiting for " "$dir/all.err" || true)
  total_waiting=$((total_waiting + waiting))
  if grep -v "^$prog: waiting for the migration lock, held by \|^$prog: waiting for migration [0-9]* (.*), which another process is applying outside a transaction (statement [0-9]* of [0-9]*)$" \
    "$dir/all.err" >"$dir/unexpected.err"; then
    rel_fail "round $r: unexpected lines on standard error:"
    head -n 20 "$dir/unexpected.err" >&2
  fi

  rel_same_as_reference "$db" "$REL_N" "round $r" || true
  status=0
  out=$(rel_run_bounded 60 "$svc" check --database "$ci" 2>&1) || status=$?
  if [ "$status" != 0 ] || [ "$out" != "up to date" ]; then
    rel_fail "round $r: check exited $status: $out"
  fi
  via=
  if [ "$mode" = pgbouncer ]; then
    xacts=$(rel_bouncer_stat "$db" total_xact_count)
    [ "${xacts:-0}" -gt 0 ] || rel_fail "round $r: PgBouncer counted no transaction for $db"
    total_xacts=$((total_xacts + ${xacts:-0}))
    via="; $xacts transactions through PgBouncer"
  fi
  rel_say "round $r: $ok/$procs exited 0; $applied_lines migrations applied by $appliers process(es); $waiting waiting messages$via"
  rel_psql postgres -c "DROP DATABASE \"$db\" WITH (FORCE)" >/dev/null
done
via=
[ "$mode" = pgbouncer ] && via="; $total_xacts transactions through PgBouncer"
rel_say "$mode: $rounds rounds x $procs processes: $total_ok of $((rounds * procs)) exited 0; $total_applied_lines migration applications for $((rounds * REL_N)) migrations; $total_waiting waiting messages$via"
rel_finish

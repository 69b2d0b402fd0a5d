# lib.bash: the reliability scripts' server, databases, reference states and
# checks. Source it after `set -euo pipefail`, then call rel_init.
#
#   rel_init NAME            temp folder $REL_TMP, the traps that stop
#                            everything on every exit path, the random seed
#   rel_pg_start             initdb + start a server of this script's own in
#                            $REL_TMP/pg (unix socket only); exports PGHOST,
#                            PGPORT, PGUSER, PGDATABASE
#   rel_pg_restart_immediate pg_ctl -m immediate restart (crash + recovery)
#   rel_pgbouncer_start      PgBouncer in transaction pooling mode on a unix
#                            socket in $REL_TMP/bouncer, pointed at the
#                            server; $REL_BOUNCER_HOST/_PORT
#   rel_createdb NAME        a fresh database (dropped first if present)
#   rel_conninfo NAME [HOST PORT]   a conninfo string for it
#   rel_psql DB ARGS...      psql -X, ON_ERROR_STOP, quiet, unaligned
#   rel_reference            the reference states, applied with psql
#   rel_state DB             the state a reference is compared with
#   rel_check_ledger DB      the ledger agrees with the schema (see there)
#   rel_run_bounded SECS CMD...   run with a hard time limit
#   rel_bg OUT ERR CMD...    start in the background, $REL_PID
#   rel_wait_pid PID DEADLINE     reap it, killed at $SECONDS = DEADLINE
#   rel_wait_idle DB SECS    wait until no other session uses DB
#   rel_fail MSG             count a failure (the script exits 1 at the end)
#   rel_ere TEXT             TEXT quoted as an extended regular expression
#   rel_known_bug ID MSG     a known runtime bug showed (see the function)
#   rel_finish               print the failure count and exit
#
# Every process a script starts in the background goes through rel_bg (its
# pid is recorded until rel_wait_pid reaps it) so that the EXIT trap kills
# and reaps what is left, and only that.

REL_FAILURES=0
REL_BG_PIDS=()
REL_PG_DIR=
REL_BOUNCER_DIR=
REL_LEDGER=public.migc_migrations
REL_LEDGER_PACKS=public.migc_migrations_packs

rel_say() { printf '%s: %s\n' "$REL_NAME" "$*"; }

rel_fail() {
  printf '%s: FAIL: %s\n' "$REL_NAME" "$*" >&2
  REL_FAILURES=$((REL_FAILURES + 1))
}

# rel_ere TEXT: TEXT as an extended regular expression that matches itself.
# shellcheck disable=SC2016 # a sed expression
rel_ere() { printf '%s' "$1" | sed 's/[][\.*^$(){}?+|]/\\&/g'; }

rel_die() {
  printf '%s: FATAL: %s\n' "$REL_NAME" "$*" >&2
  exit 1
}

# as_server CMD...: initdb, postgres and pgbouncer refuse to run as root.
rel_as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

rel_init() {
  REL_NAME=$1
  # `... | expect` and the like run their last part in this shell, so that
  # the failures they count are counted.
  shopt -s lastpipe
  unset DATABASE_URL PGSERVICE PGPASSWORD PGOPTIONS
  : "${MIGC_PG_BINDIR:?MIGC_PG_BINDIR is not set: run through ctest}"
  : "${REL_TOOL:?REL_TOOL is not set: run through ctest}"
  : "${REL_SCHEMA_DIR:?REL_SCHEMA_DIR is not set: run through ctest}"
  : "${REL_BIN_DIR:?REL_BIN_DIR is not set: run through ctest}"
  REL_TMP=$(mktemp -d "/tmp/migc-rel-$REL_NAME.XXXXXX")
  chmod 0755 "$REL_TMP"
  trap rel_cleanup EXIT
  trap 'exit 130' INT
  trap 'echo "$REL_NAME: stopped by SIGTERM (watchdog or ctest)" >&2; exit 143' TERM
  # A watchdog ends the script with SIGTERM before ctest's TIMEOUT would
  # kill it outright (which would leave the server running): the EXIT trap
  # then stops everything.
  REL_WATCHDOG_PID=
  if [ "${REL_WATCHDOG:-0}" -gt 0 ]; then
    # shellcheck disable=SC2016 # expanded by the inner bash
    bash -c 'sleep "$1" & s=$!; trap "kill $s; exit 0" TERM; wait $s; kill -TERM "$2"' \
      watchdog "$REL_WATCHDOG" "$$" </dev/null >/dev/null 2>&1 8>&- 9>&- &
    REL_WATCHDOG_PID=$!
  fi
  # A failure is reproducible with the seed it printed: MIGC_REL_SEED=N.
  REL_SEED=${MIGC_REL_SEED:-$(( ($$ * 7919 + $(date +%s)) % 32768 ))}
  RANDOM=$REL_SEED
  rel_say "random seed $REL_SEED (set MIGC_REL_SEED=$REL_SEED to repeat)"
}

# rel_bg OUT ERR CMD...: start CMD in the background; $REL_PID is its pid.
rel_bg() {
  local out=$1 err=$2
  shift 2
  # fds 8 and 9 are the scripts' own (a start barrier, a psql session)
  "$@" >"$out" 2>"$err" 8>&- 9>&- &
  REL_PID=$!
  REL_BG_PIDS+=("$REL_PID")
}

# rel_wait_pid PID DEADLINE: wait for a background process until $SECONDS
# reaches DEADLINE, then kill it (and count a failure); $REL_STATUS gets its
# exit code. (bash reaps a finished child at once, so kill -0 fails then.)
# shellcheck disable=SC2034 # REL_STATUS is the callers'
rel_wait_pid() {
  local pid=$1 deadline=$2
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      rel_fail "process $pid still runs at the deadline: killed"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.05
  done
  REL_STATUS=0
  wait "$pid" 2>/dev/null || REL_STATUS=$?
  # reaped: its pid may belong to someone else from now on
  local left=() p
  for p in "${REL_BG_PIDS[@]}"; do
    [ "$p" = "$pid" ] || left+=("$p")
  done
  REL_BG_PIDS=("${left[@]}")
}

# rel_run_bounded SECS CMD...: run CMD in the foreground with a hard time
# limit (timeout exits 137 when it had to kill).
rel_run_bounded() {
  local secs=$1
  shift
  # fds 8 and 9 stay ours: a server started here must not hold them
  timeout -s KILL "$secs" "$@" 8>&- 9>&-
}

rel_cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  if [ -n "$REL_WATCHDOG_PID" ]; then
    kill -TERM "$REL_WATCHDOG_PID" 2>/dev/null || true
    wait "$REL_WATCHDOG_PID" 2>/dev/null || true
  fi
  for pid in "${REL_BG_PIDS[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$REL_BOUNCER_DIR" ] && [ -f "$REL_BOUNCER_DIR/pgbouncer.pid" ]; then
    pid=$(cat "$REL_BOUNCER_DIR/pgbouncer.pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then
      kill -TERM "$pid" 2>/dev/null || true
      local deadline=$((SECONDS + 5))
      while [ "$SECONDS" -lt "$deadline" ]; do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  if [ -n "$REL_PG_DIR" ] && [ -d "$REL_PG_DIR/data" ]; then
    timeout -s KILL 60 bash -c "$(declare -f rel_as_server); rel_as_server \
      '$MIGC_PG_BINDIR/pg_ctl' -D '$REL_PG_DIR/data' -w -t 30 -m immediate \
      stop" >/dev/null 2>&1 || true
  fi
  if [ "$rc" != 0 ] && [ -n "${MIGC_REL_KEEP:-}" ]; then
    echo "$REL_NAME: kept $REL_TMP" >&2
  else
    rm -rf "$REL_TMP"
  fi
  exit "$rc"
}

# rel_known_bug ID MESSAGE: a runtime bug this suite found, not fixed yet
# (tests/reliability/README.md lists them): reported on every run, counted
# as a failure only with MIGC_REL_STRICT_BUGS=1, so that the rest of the
# suite keeps running green. rel_bug_gone ID says the check now passes.
REL_KNOWN_BUGS=0
rel_known_bug() {
  local id=$1
  shift
  printf '%s: KNOWN RUNTIME BUG [%s]: %s\n' "$REL_NAME" "$id" "$*" >&2
  REL_KNOWN_BUGS=$((REL_KNOWN_BUGS + 1))
  if [ "${MIGC_REL_STRICT_BUGS:-0}" = 1 ]; then
    rel_fail "known runtime bug $id (MIGC_REL_STRICT_BUGS=1)"
  fi
}

rel_bug_gone() {
  printf '%s: known runtime bug [%s] did not show: fixed? then remove its mark\n' \
    "$REL_NAME" "$1"
}

rel_finish() {
  if [ "$REL_KNOWN_BUGS" != 0 ]; then
    rel_say "$REL_KNOWN_BUGS check(s) hit a known runtime bug (see above)"
  fi
  if [ "$REL_FAILURES" != 0 ]; then
    rel_say "$REL_FAILURES failure(s)"
    exit 1
  fi
  rel_say "passed"
  exit 0
}

# ---- The server -------------------------------------------------------------

rel_pg_start() {
  REL_PG_DIR=$REL_TMP/pg
  mkdir "$REL_PG_DIR"
  chmod 0700 "$REL_PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$REL_PG_DIR"
  rel_as_server "$MIGC_PG_BINDIR/initdb" -D "$REL_PG_DIR/data" -A trust \
    -U postgres -E UTF8 --locale=C >"$REL_TMP/initdb.log" 2>&1 ||
    { cat "$REL_TMP/initdb.log" >&2; rel_die "initdb failed"; }
  # The port only names the socket file; nothing listens on TCP.
  rel_as_server "$MIGC_PG_BINDIR/pg_ctl" -D "$REL_PG_DIR/data" -w -t 60 \
    -l "$REL_PG_DIR/server.log" \
    -o "-k $REL_PG_DIR -c listen_addresses='' -p 5432 -c max_connections=120 -c fsync=off -c full_page_writes=off" \
    start >/dev/null || { cat "$REL_PG_DIR/server.log" >&2; rel_die "the server did not start"; }
  export PGHOST=$REL_PG_DIR PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
  REL_PSQL=$MIGC_PG_BINDIR/psql
  [ -x "$REL_PSQL" ] || REL_PSQL=psql
  REL_PG_DUMP=$MIGC_PG_BINDIR/pg_dump
  [ -x "$REL_PG_DUMP" ] || REL_PG_DUMP=pg_dump
}

rel_pg_restart_immediate() {
  rel_run_bounded 90 bash -c "$(declare -f rel_as_server); rel_as_server \
    '$MIGC_PG_BINDIR/pg_ctl' -D '$REL_PG_DIR/data' -w -t 60 -m immediate \
    restart" >>"$REL_TMP/restart.log" 2>&1 ||
    { tail -n 30 "$REL_PG_DIR/server.log" >&2; rel_die "restart failed"; }
}

rel_pgbouncer_start() {
  local bin=${MIGC_PGBOUNCER:-/usr/sbin/pgbouncer}
  [ -x "$bin" ] || bin=$(command -v pgbouncer || true)
  if [ -z "$bin" ]; then
    rel_say "SKIPPED: pgbouncer is not installed (Debian package pgbouncer)"
    exit 77
  fi
  REL_BOUNCER_DIR=$REL_TMP/bouncer
  mkdir "$REL_BOUNCER_DIR"
  chmod 0700 "$REL_BOUNCER_DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$REL_BOUNCER_DIR"
  # Unix socket only: listen_addr empty, the port names the socket file.
  # Fewer server connections than clients, so that transactions of
  # different clients share them.
  cat >"$REL_BOUNCER_DIR/pgbouncer.ini" <<EOF
[databases]
* = host=$REL_PG_DIR port=$PGPORT user=postgres

[pgbouncer]
listen_addr =
listen_port = 6432
unix_socket_dir = $REL_BOUNCER_DIR
auth_type = trust
auth_file = $REL_BOUNCER_DIR/userlist.txt
pool_mode = transaction
default_pool_size = 8
max_client_conn = 200
max_db_connections = 8
server_reset_query =
admin_users = postgres
ignore_startup_parameters = extra_float_digits
logfile = $REL_BOUNCER_DIR/pgbouncer.log
pidfile = $REL_BOUNCER_DIR/pgbouncer.pid
EOF
  printf '"postgres" ""\n' >"$REL_BOUNCER_DIR/userlist.txt"
  [ "$(id -u)" = 0 ] && chown postgres: "$REL_BOUNCER_DIR"/*
  rel_as_server "$bin" -d "$REL_BOUNCER_DIR/pgbouncer.ini" \
    >"$REL_BOUNCER_DIR/start.log" 2>&1 ||
    { cat "$REL_BOUNCER_DIR/start.log" "$REL_BOUNCER_DIR/pgbouncer.log" >&2 || true
      rel_die "pgbouncer did not start"; }
  REL_BOUNCER_HOST=$REL_BOUNCER_DIR
  REL_BOUNCER_PORT=6432
  local deadline=$((SECONDS + 10))
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ -S "$REL_BOUNCER_DIR/.s.PGSQL.6432" ] && return 0
    sleep 0.1
  done
  cat "$REL_BOUNCER_DIR/pgbouncer.log" >&2 || true
  rel_die "pgbouncer's socket did not appear"
}

# rel_bouncer_stat DB COLUMN: a column of PgBouncer's SHOW STATS for DB.
rel_bouncer_stat() {
  rel_run_bounded 30 "$REL_PSQL" -X -A -F ' ' -h "$REL_BOUNCER_HOST" \
    -p "$REL_BOUNCER_PORT" -d pgbouncer -c "SHOW STATS" |
    awk -v db="$1" -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
      NR > 1 && $1 == db { print $(c[col]) }'
}

rel_psql() {
  local db=$1
  shift
  rel_run_bounded 120 "$REL_PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"
}

rel_createdb() {
  rel_psql postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" \
    -c "CREATE DATABASE \"$1\"" >/dev/null
}

rel_conninfo() {
  printf "host='%s' port='%s' user='postgres' dbname='%s'" \
    "${2:-$PGHOST}" "${3:-$PGPORT}" "$1"
}

# rel_wait_idle DB SECS: until no session but ours is connected to DB (a
# killed client's server process finishes its statement first).
rel_wait_idle() {
  local db=$1 secs=$2 n
  local deadline=$((SECONDS + secs))
  while [ "$SECONDS" -lt "$deadline" ]; do
    n=$(rel_psql postgres -c "SELECT count(*) FROM pg_stat_activity
          WHERE datname = '$db' AND pid <> pg_backend_pid()")
    [ "$n" = 0 ] && return 0
    sleep 0.1
  done
  rel_fail "sessions on $db still there after ${secs}s"
  return 1
}

# ---- Reference states -------------------------------------------------------
#
# $REL_REF/state.K: the state after migrations 1..K (K = 0 .. n), applied
# with psql, transactional files with -1, no-transaction ones statement by
# statement in autocommit. For a no-transaction migration K+1 also
# $REL_REF/state.K.J: after its first J statements (J = 0 .. its count;
# state.K.0 is state.K, state.K.<count> is state.K+1). $REL_VERSIONS: the
# versions in order; $REL_ST: rel_tool's statement files.

# rel_state DB: pg_dump --schema-only without the ledger tables, then the
# row count of every table (data a half-applied migration would show).
# INVALID indexes are not in pg_dump's output; rel_invalid_indexes lists them.
rel_state() {
  local db=$1
  rel_run_bounded 120 "$REL_PG_DUMP" --schema-only --no-owner \
    -T "$REL_LEDGER" -T "$REL_LEDGER_PACKS" -d "$db" |
    grep -v -e '^-- Dumped \(from\|by\)' -e '^\\\(un\)\?restrict '
  echo "-- row counts"
  rel_psql "$db" -c "SELECT c.relname || ' ' || (xpath('/row/n/text()',
      query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname,
      c.relname), false, true, '')))[1]::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r'
      AND c.relname NOT IN ('migc_migrations', 'migc_migrations_packs')
    ORDER BY 1"
}

rel_invalid_indexes() {
  rel_psql "$1" -c "SELECT format('%I.%I', n.nspname, c.relname)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT i.indisvalid ORDER BY 1"
}

rel_reference() {
  REL_ST=$REL_TMP/statements
  REL_REF=$REL_TMP/reference
  mkdir -p "$REL_ST" "$REL_REF"
  "$REL_TOOL" statements "$REL_ST" || rel_die "rel_tool statements failed"
  mapfile -t REL_VERSIONS <"$REL_ST/versions"
  REL_N=${#REL_VERSIONS[@]}
  local db=reference k=0 v j n file
  rel_createdb "$db"
  rel_state "$db" >"$REL_REF/state.0"
  for v in "${REL_VERSIONS[@]}"; do
    file=$REL_SCHEMA_DIR/$(cat "$REL_ST/$v.file")
    n=$(cat "$REL_ST/$v.n")
    if [ -e "$REL_ST/$v.notx" ]; then
      cp "$REL_REF/state.$k" "$REL_REF/state.$k.0"
      for ((j = 0; j < n; j++)); do
        rel_psql "$db" -f "$REL_ST/$v.$j.sql" >/dev/null
        rel_state "$db" >"$REL_REF/state.$k.$((j + 1))"
      done
    else
      rel_psql "$db" -1 -f "$file" >/dev/null
    fi
    k=$((k + 1))
    rel_state "$db" >"$REL_REF/state.$k"
  done
  # The statements one by one and the files as psql reads them agree.
  rel_createdb reference_files
  for v in "${REL_VERSIONS[@]}"; do
    file=$REL_SCHEMA_DIR/$(cat "$REL_ST/$v.file")
    if [ -e "$REL_ST/$v.notx" ]; then
      rel_psql reference_files -f "$file" >/dev/null
    else
      rel_psql reference_files -1 -f "$file" >/dev/null
    fi
  done
  rel_state reference_files >"$REL_REF/files"
  if ! diff -u "$REL_REF/files" "$REL_REF/state.$REL_N" >"$REL_TMP/ref.diff"; then
    cat "$REL_TMP/ref.diff" >&2
    rel_die "the reference applied file by file differs from statement by statement"
  fi
  # Every prefix differs from the next: a comparison tells them apart.
  for ((k = 0; k < REL_N; k++)); do
    cmp -s "$REL_REF/state.$k" "$REL_REF/state.$((k + 1))" &&
      rel_die "reference states $k and $((k + 1)) are equal"
  done
  rel_say "reference: $REL_N migrations applied with psql, $((REL_N + 1)) prefix states"
}

# rel_same_as_reference DB K WHAT: the state of DB equals state.K.
rel_same_as_reference() {
  local db=$1 k=$2 what=$3
  rel_state "$db" >"$REL_TMP/got.state"
  if ! diff -u "$REL_REF/state.$k" "$REL_TMP/got.state" >"$REL_TMP/state.diff"; then
    rel_fail "$what: the schema differs from the reference after $k migrations:"
    head -n 60 "$REL_TMP/state.diff" >&2
    return 1
  fi
  local invalid
  invalid=$(rel_invalid_indexes "$db")
  if [ -n "$invalid" ]; then
    rel_fail "$what: INVALID indexes left: $invalid"
    return 1
  fi
}

# rel_check_ledger DB WHAT: the ledger agrees with the schema.
#   - the rows recorded applied are the first K versions, in order: no
#     migration is recorded applied out of order, and the schema equals the
#     reference after K migrations exactly (state.K), so nothing applied is
#     missing from the ledger and nothing recorded is half-applied;
#   - except for at most one row recorded running (success false, no error):
#     that must be migration K+1, one that runs outside a transaction, with
#     C statements completed. Statements 1..C are done; statement C+1 may be
#     done too (the process died after it ran and before the ledger noted
#     it), or not: the schema equals state.K.C or state.K.C+1. A concurrent
#     index build cut off by the server's restart leaves its index INVALID
#     (not in pg_dump's output): allowed then, for an index a statement of
#     that migration builds, which the next run's takeover drops and builds
#     again;
#   - a row recorded failed is wrong after a kill (nothing failed), unless
#     its SQLSTATE is one the runtime retries (class 08/57: the server went
#     away under a repeatable statement): then as for running.
# Sets REL_LEDGER_STATE to a word describing what was found ("applied:K", or
# "running:V/C:schema-after-J" and " invalid:INDEX"), for the summary.
rel_check_ledger() {
  local db=$1 what=$2
  local rows exists
  exists=$(rel_psql "$db" -c "SELECT to_regclass('$REL_LEDGER') IS NOT NULL")
  rows=
  if [ "$exists" = t ]; then
    rows=$(rel_psql "$db" -F ' ' -c "SELECT version,
        CASE WHEN success THEN 'applied' WHEN error IS NULL THEN 'running'
        ELSE 'failed' END, completed, coalesce(failed_statement, -1),
        coalesce(sqlstate, '-') FROM $REL_LEDGER ORDER BY version")
  fi
  local k=0 running='' completed=0 version state ndone failed_at sqlstate
  # shellcheck disable=SC2034 # failed_at: read for the columns after it
  while read -r version state ndone failed_at sqlstate; do
    [ -n "$version" ] || continue
    if [ -n "$running" ]; then
      rel_fail "$what: ledger row $version after the unfinished $running"
      return 1
    fi
    if [ "$k" -ge "$REL_N" ] || [ "$version" != "${REL_VERSIONS[$k]}" ]; then
      rel_fail "$what: ledger row $version is not migration $((k + 1)) (${REL_VERSIONS[$k]:-none})"
      return 1
    fi
    case $state in
    applied) k=$((k + 1)) ;;
    running) running=$version completed=$ndone ;;
    failed)
      case $sqlstate in
      08* | 57*) running=$version completed=$ndone ;;
      *)
        rel_fail "$what: migration $version recorded as failed ($sqlstate) after a kill"
        return 1
        ;;
      esac
      ;;
    esac
  done <<<"$rows"
  rel_state "$db" >"$REL_TMP/got.state"
  local invalid
  invalid=$(rel_invalid_indexes "$db")
  if [ -z "$running" ]; then
    REL_LEDGER_STATE=applied:$k
    if ! diff -u "$REL_REF/state.$k" "$REL_TMP/got.state" >"$REL_TMP/state.diff"; then
      rel_fail "$what: the ledger records $k migrations applied, the schema differs from the reference after $k:"
      head -n 60 "$REL_TMP/state.diff" >&2
      return 1
    fi
    if [ -n "$invalid" ]; then
      rel_fail "$what: INVALID indexes with no migration running: $invalid"
      return 1
    fi
    return 0
  fi
  REL_LEDGER_STATE=running:$running/$completed
  if [ ! -e "$REL_ST/$running.notx" ]; then
    rel_fail "$what: migration $running, which runs in a transaction, is recorded running"
    return 1
  fi
  local j matched=
  for j in "$completed" $((completed + 1)); do
    if [ -e "$REL_REF/state.$k.$j" ] &&
      cmp -s "$REL_REF/state.$k.$j" "$REL_TMP/got.state"; then
      matched=$j
      REL_LEDGER_STATE+=":schema-after-$j"
      break
    fi
  done
  if [ -z "$matched" ]; then
    rel_fail "$what: migration $running recorded running with $completed statements done; the schema is neither after $completed nor after $((completed + 1)) of its statements:"
    diff -u "$REL_REF/state.$k.$completed" "$REL_TMP/got.state" | head -n 60 >&2
    return 1
  fi
  local idx known
  for idx in $invalid; do
    known=
    for j in "$REL_ST/$running".index.*; do
      [ -e "$j" ] || continue
      # rel_tool writes the generator's quoted name, "x_idx" or
      # "public"."x_idx"; ours is public.x_idx
      [ "public.$(tr -d '"' <"$j" | sed 's/^public\.//')" = "$idx" ] &&
        known=1
    done
    if [ -z "$known" ]; then
      rel_fail "$what: INVALID index $idx is built by no statement of migration $running"
      return 1
    fi
    REL_LEDGER_STATE+=" invalid:$idx"
  done
}

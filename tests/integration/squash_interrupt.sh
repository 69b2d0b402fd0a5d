#!/usr/bin/env bash
# squash_interrupt.sh: `migc squash` stopped by SIGTERM or SIGHUP in the
# middle of its replay (a migration sleeping) cleans up before it dies of
# the signal: no migc_scratch_ database left on the --database server, no
# private cluster running and no folder left in TMPDIR, DIR untouched. (The
# private cluster runs in a session of its own: Ctrl-C never reaches it.)
#   squash_interrupt.sh MIGC
set -euo pipefail
migc=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
unset DATABASE_URL
pgtest_tmpdir
tmp=$PGTEST_TMP
failures=0
fail() { echo "FAIL [$case]: $*" >&2; failures=$((failures + 1)); }
url="host='$PGHOST' user='${PGUSER:-postgres}' dbname='${PGDATABASE:-postgres}'"
scratch_dbs() {
  pgtest_psql "${PGDATABASE:-postgres}" -At -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'migc\_scratch\_${1}\_%'"
}

mkdir "$tmp/m"
echo 'CREATE TABLE a (id int);' >"$tmp/m/001_a.sql"
echo 'SELECT pg_sleep(60);' >"$tmp/m/002_sleep.sql"
echo 'CREATE TABLE c (id int);' >"$tmp/m/003_c.sql"
"$migc" lock "$tmp/m" >/dev/null
(cd "$tmp/m" && find . -type f | sort | xargs sha256sum) >"$tmp/before"

# stop CASE SIGNAL [--database URL]: squash until its replay sleeps, then
# the signal; it must die of it, having cleaned up.
stop() {
  case=$1
  local sig=$2 pid code=0
  shift 2
  mkdir "$tmp/t_$case"
  chmod 711 "$tmp" "$tmp/t_$case" # the cluster in it, not under /var/lib/migc
  TMPDIR="$tmp/t_$case" "$migc" squash "$tmp/m" --through 3 "$@" \
    >"$tmp/$case.out" 2>"$tmp/$case.err" &
  pid=$!
  # the replay is in 002_sleep.sql: a backend of its scratch database runs
  # it (--database), or the private cluster is up and a moment passed
  local ready=0
  for _ in $(seq 240); do
    kill -0 "$pid" 2>/dev/null || break
    if [ $# -gt 0 ]; then
      [ "$(pgtest_psql "${PGDATABASE:-postgres}" -At -c "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE 'migc\_scratch\_${pid}\_%' AND query LIKE '%pg\_sleep(%'")" = 0 ] ||
        { ready=1; break; }
    elif [ -n "$(find "$tmp/t_$case" -name postmaster.pid 2>/dev/null)" ]; then
      # (as root the server's user must reach the folder: chmod 711 below)
      sleep 3
      ready=1
      break
    fi
    sleep 0.25
  done
  [ $ready = 1 ] || fail "the replay never reached 002_sleep.sql: $(cat "$tmp/$case.err")"
  kill "-$sig" "$pid" 2>/dev/null || true
  local t0=$SECONDS
  wait "$pid" || code=$?
  [ $((SECONDS - t0)) -lt 30 ] || fail "took $((SECONDS - t0)) s to stop"
  local want=$((128 + $(kill -l "$sig")))
  [ "$code" = "$want" ] || fail "exit $code, expected $want (died of SIG$sig): $(cat "$tmp/$case.err")"
  [ -z "$(ls -A "$tmp/t_$case")" ] || fail "left in TMPDIR: $(ls -A "$tmp/t_$case")"
  ! ps -eo args | grep -F "$tmp/t_$case" | grep -qv grep ||
    fail "a server still runs in $tmp/t_$case"
  [ "$(scratch_dbs "$pid")" = 0 ] || fail "a migc_scratch_${pid}_ database is left"
  (cd "$tmp/m" && find . -type f | sort | xargs sha256sum) >"$tmp/after"
  cmp -s "$tmp/before" "$tmp/after" || fail "DIR changed: $(diff "$tmp/before" "$tmp/after")"
}

stop database_term TERM --database "$url"
stop database_hup HUP --database "$url"
if [ -n "${MIGC_PG_BINDIR:-}" ] || command -v pg_config >/dev/null ||
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  stop private_term TERM
else
  echo "squash_interrupt: no server binaries: the private cluster case skipped"
fi

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "squash_interrupt: all passed"

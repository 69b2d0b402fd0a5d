#!/usr/bin/env bash
# pgtest.sh: start or stop the PostgreSQL server the integration tests share.
#   pgtest.sh start BINDIR STATEFILE   initdb + start in a new temp folder,
#                                      unix socket only; writes PGHOST=... to
#                                      STATEFILE
#   pgtest.sh stop BINDIR STATEFILE    stop it and remove the folder
set -euo pipefail
cmd=$1 bindir=$2 state=$3

as_server() {
  # initdb and postgres refuse to run as root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
  if [ -f "$state" ]; then "$0" stop "$bindir" "$state" || true; fi
  dir=$(mktemp -d /tmp/migc-test-pg.XXXXXX)
  chmod 0700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  as_server "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 \
    --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; exit 1; }
  as_server "$bindir/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/server.log" \
    -o "-k $dir -c listen_addresses='' -c max_connections=200 -c fsync=off" \
    start >/dev/null || { cat "$dir/server.log"; exit 1; }
  printf 'PGHOST=%s\nPGUSER=postgres\nPGDATABASE=postgres\n' "$dir" >"$state"
  ;;
stop)
  [ -f "$state" ] || exit 0
  dir=$(sed -n 's/^PGHOST=//p' "$state")
  if [ -n "$dir" ] && [ -d "$dir/data" ]; then
    as_server "$bindir/pg_ctl" -D "$dir/data" -w -m immediate stop \
      >/dev/null 2>&1 || true
    rm -rf "$dir"
  fi
  rm -f "$state"
  ;;
*) echo "usage: $0 start|stop BINDIR STATEFILE" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# app_name.sh: the service's connection names it in pg_stat_activity as
# "SERVICE (migc)", so that a DBA and another replica's lock-wait message
# see who is migrating; PGAPPNAME (or application_name in the connection
# string) overrides it. The service applies schemas/slow, whose statements
# sleep long enough to be seen.
#   app_name.sh PLAIN_SERVICE_SLOW
set -euo pipefail
svc=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
unset DATABASE_URL PGAPPNAME
pgtest_tmpdir
fail() { echo "FAIL: $*" >&2; exit 1; }

# seen DB NAME...: run the service on DB (with the environment given) and
# print the application names pg_stat_activity showed for DB meanwhile.
seen() {
  local db=$1 name=$2
  shift 2
  env "$@" "$svc" --database "$db" up >"$PGTEST_TMP/$name.out" 2>&1 &
  local pid=$! names=""
  while kill -0 "$pid" 2>/dev/null; do
    names+=$(pgtest_psql postgres -At -c "SELECT application_name FROM pg_stat_activity WHERE datname = '$(pgtest_psql "$db" -At -c 'SELECT current_database()')' AND pid <> pg_backend_pid()")$'\n'
    sleep 0.05
  done
  wait "$pid" || { cat "$PGTEST_TMP/$name.out" >&2; fail "$name: up failed"; }
  printf '%s' "$names" | sed '/^$/d' | sort -u
}

pgtest_createdb appname
[ "$(seen "$PGTEST_DB" plain)" = "plain_service_slow (migc)" ] ||
  fail "application_name: $(seen "$PGTEST_DB" again)"
pgtest_createdb appname2
got=$(seen "$PGTEST_DB" override PGAPPNAME=ops-deploy)
[ "$got" = "ops-deploy" ] || fail "PGAPPNAME did not override it: '$got'"
echo "app_name: SERVICE (migc) in pg_stat_activity; PGAPPNAME overrides it"

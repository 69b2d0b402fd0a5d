# pgtest.bash: fresh databases for shell tests on the server the `pg` ctest
# fixture started; the shell side of pgtest.h. Source it, then:
#
#   pgtest_init                 read $MIGC_TEST_PG_ENV, export PGHOST/PGUSER/
#                               PGDATABASE, drop created databases at exit
#   pgtest_createdb NAME        create a fresh database named from NAME and
#                               the pid: PGTEST_DB gets its conninfo,
#                               PGTEST_DB_NAME its name
#   pgtest_psql DB ARGS...      psql on database DB (-X, ON_ERROR_STOP, quiet)
#   pgtest_tmpdir               a new temporary folder in PGTEST_TMP, removed
#                               at exit

# shellcheck disable=SC2034 # PGTEST_* variables are set for the caller
PGTEST_DBS=()
PGTEST_DIRS=()

pgtest_init() {
  if [ -z "${MIGC_TEST_PG_ENV:-}" ] || [ ! -r "$MIGC_TEST_PG_ENV" ]; then
    echo "pgtest: MIGC_TEST_PG_ENV (${MIGC_TEST_PG_ENV:-unset}) is not" \
      "readable: run through ctest, which starts the server" >&2
    exit 1
  fi
  local line
  while IFS= read -r line; do
    case $line in
    PGHOST=* | PGPORT=* | PGUSER=* | PGDATABASE=*) export "${line?}" ;;
    esac
  done <"$MIGC_TEST_PG_ENV"
  PGTEST_PSQL=${MIGC_PG_BINDIR:+$MIGC_PG_BINDIR/}psql
  [ -x "$PGTEST_PSQL" ] || PGTEST_PSQL=psql
  trap pgtest_cleanup EXIT
}

pgtest_psql() {
  local db=$1
  shift
  "$PGTEST_PSQL" -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"
}

# Admin commands run on the fixture's maintenance database.
pgtest_admin() {
  "$PGTEST_PSQL" -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" \
    -c "SET client_min_messages = warning" -c "$1" >/dev/null
}

pgtest_createdb() {
  local stem
  stem=$(printf '%s' "$1" | tr -c 'a-zA-Z0-9_' '_' | tr '[:upper:]' \
    '[:lower:]' | cut -c1-40)
  local name="s_${stem}_$$_${#PGTEST_DBS[@]}"
  pgtest_admin "DROP DATABASE IF EXISTS $name WITH (FORCE)"
  pgtest_admin "CREATE DATABASE $name"
  PGTEST_DBS+=("$name")
  PGTEST_DB_NAME=$name
  PGTEST_DB="host='$PGHOST' user='${PGUSER:-postgres}' dbname='$name'"
}

pgtest_tmpdir() {
  PGTEST_TMP=$(mktemp -d /tmp/migc-test.XXXXXX)
  PGTEST_DIRS+=("$PGTEST_TMP")
}

pgtest_cleanup() {
  local rc=$? name
  for name in "${PGTEST_DBS[@]}"; do
    pgtest_admin "DROP DATABASE IF EXISTS $name WITH (FORCE)" || true
  done
  for name in "${PGTEST_DIRS[@]}"; do
    rm -rf "$name"
  done
  exit "$rc"
}

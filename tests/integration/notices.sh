#!/usr/bin/env bash
# notices.sh: the service's `up` shows the server's warnings and not its
# notices: on a fresh database the server parses a migration's whole query
# string before the migration's own setting of client_min_messages runs,
# and a name over 63 bytes draws a NOTICE then (`migc compile` warned of
# it, [identifier-length]).
#   notices.sh PLAIN_SERVICE_LONG_NAMES
set -euo pipefail
svc=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
pgtest_tmpdir
fail() { echo "FAIL: $*" >&2; exit 1; }

for run in fresh again; do
  pgtest_createdb "notices_$run"
  if [ $run = again ]; then
    "$svc" --database "$PGTEST_DB" up --to 1 >/dev/null 2>&1 || fail "up --to 1 failed"
  fi
  "$svc" --database "$PGTEST_DB" up >"$PGTEST_TMP/$run.out" 2>"$PGTEST_TMP/$run.err" ||
    fail "$run: up failed: $(cat "$PGTEST_TMP/$run.err")"
  ! grep -q 'NOTICE' "$PGTEST_TMP/$run.err" || fail "$run: a notice was shown: $(cat "$PGTEST_TMP/$run.err")"
  grep -qx 'WARNING:  long_names: a warning is shown' "$PGTEST_TMP/$run.err" ||
    fail "$run: the warning was not shown: $(cat "$PGTEST_TMP/$run.err")"
done
echo "notices: warnings shown, notices not (fresh database and with history)"

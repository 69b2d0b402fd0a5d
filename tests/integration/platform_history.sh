#!/usr/bin/env bash
# platform_history.sh: the pre-consolidation history of the project's schema
# (tests/fixtures/platform_history, the seeds' story: tables added then
# patched, a column renamed, indexes replaced, a stub table created then
# dropped, enum values added, functions replaced, runtimes inserted by SQL
# before packs/core owned them) ends at exactly the schema migrations/
# builds.
#   platform_history.sh MIGC MIGRATIONS_DIR HISTORY_DIR PACKS_DIR
# - `migc check HISTORY_DIR --packs PACKS_DIR` exits 0: no error (its
#   warnings and notes are those a real history draws), and the project's
#   packs fit the schema the history builds;
# - `migc schema` (the static catalog) prints the same for both chains;
# - each chain is replayed with psql on a fresh database, file by file in
#   version order (in one transaction, unless the file starts with sqlx's
#   `-- no-transaction`), and the two `pg_dump --schema-only` outputs,
#   normalised, are equal.
set -euo pipefail
migc=$1 migrations=$2 history=$3 packs=$4
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
unset DATABASE_URL
pgtest_tmpdir
tmp=$PGTEST_TMP
failures=0
fail() { echo "platform_history.sh: FAIL: $*" >&2; failures=$((failures + 1)); }
pg_dump=${MIGC_PG_BINDIR:+$MIGC_PG_BINDIR/}pg_dump
[ -x "$pg_dump" ] || pg_dump=pg_dump

# ---- migc check accepts the history ----------------------------------------
status=0
"$migc" check "$history" --packs "$packs" --no-excerpt \
  >"$tmp/check.out" 2>"$tmp/check.err" || status=$?
[ "$status" = 0 ] || {
  fail "migc check $history exited $status"
  cat "$tmp/check.out" "$tmp/check.err" >&2
}
if grep -q ': error: ' "$tmp/check.out" "$tmp/check.err"; then
  fail "migc check reports errors:"
  grep ': error: ' "$tmp/check.out" "$tmp/check.err" >&2
fi

# migc's static catalog of the two chains is the same too: what
# `migc check` compares for a baseline ([baseline-differs]) with no server.
"$migc" schema "$migrations" >"$tmp/schema.consolidated" 2>/dev/null ||
  fail "migc schema $migrations failed"
"$migc" schema "$history" >"$tmp/schema.history" 2>/dev/null ||
  fail "migc schema $history failed"
diff -u "$tmp/schema.consolidated" "$tmp/schema.history" >&2 ||
  fail "migc schema differs (- migrations/, + history)"

# ---- replay a chain with psql ----------------------------------------------
# replay DIR NAME: a fresh database NAME holding DIR's migrations; its
# conninfo in $db.
replay() {
  local dir=$1 f
  pgtest_createdb "$2"
  db=$PGTEST_DB
  mapfile -t files < <(cd "$dir" && printf '%s\n' [0-9]*.sql | sort -t_ -k1,1n)
  [ "${#files[@]}" -ge 1 ] || { fail "no migrations in $dir"; return; }
  for f in "${files[@]}"; do
    local one=(--single-transaction)
    # sqlx's marker must open the file; migc's may follow comments.
    if head -n1 "$dir/$f" | grep -qx -- '-- no-transaction' ||
      grep -qx -- '-- migc:no-transaction' "$dir/$f"; then
      one=()
    fi
    pgtest_psql "$db" "${one[@]}" -f "$dir/$f" >"$tmp/psql.log" 2>&1 || {
      cat "$tmp/psql.log" >&2
      fail "psql failed on $dir/$f"
      return
    }
  done
}

# dump DB OUT: the schema, normalised: no \restrict key, no SET preamble, no
# comment lines, one blank line at most.
dump() {
  "$pg_dump" --schema-only --no-owner --no-privileges -d "$1" >"$2.raw"
  grep -v -e '^\\restrict ' -e '^\\unrestrict ' -e '^SET ' -e '^--' \
    -e '^SELECT pg_catalog.set_config(' "$2.raw" | cat -s >"$2"
}

replay "$migrations" consolidated
dump "$db" "$tmp/consolidated.sql"
replay "$history" history
dump "$db" "$tmp/history.sql"
history_db=$db

if ! diff -u "$tmp/consolidated.sql" "$tmp/history.sql" >"$tmp/schema.diff"; then
  fail "the history's schema differs from migrations/ (- migrations/, + history):"
  cat "$tmp/schema.diff" >&2
fi
# Not vacuous: both dumps hold the whole platform.
n=$(grep -c '^CREATE TABLE ' "$tmp/history.sql" || true)
[ "$n" = 22 ] || fail "the history builds $n tables, expected 22"

# The core runtimes the history inserted by SQL stay in its database, under
# the refs packs/core/runtimes/*.yaml use: the pack sync takes them over by
# ref. (migc squash leaves these pack-owned rows to the packs.)
refs=$(pgtest_psql "$history_db" -At -c \
  "SELECT string_agg(ref, ' ' ORDER BY ref) FROM runtime")
[ "$refs" = "core.nodejs core.python core.sensor_builtin core.shell" ] ||
  fail "runtime rows after the history: $refs"

# ---- squash and verify (issue 16) -------------------------------------------
# The seeds' hand verification as commands: the history squashed into one
# baseline at its first version (the originals archived, the pack-owned
# pack and runtime rows left to the packs), `migc verify` proves it equal
# to its originals, and the baseline replayed alone builds exactly the
# schema of migrations/.
url="host='$PGHOST' user='${PGUSER:-postgres}' dbname='${PGDATABASE:-postgres}'"
cp -r "$history" "$tmp/h"
first=$(cd "$tmp/h" && printf '%s\n' [0-9]*.sql | sort | head -n1)
last=$(cd "$tmp/h" && printf '%s\n' [0-9]*.sql | sort | tail -n1)
v0=${first%%_*} v1=${last%%_*}
"$migc" lock "$tmp/h" >/dev/null 2>&1 || fail "migc lock of the history"
if "$migc" squash "$tmp/h" --through "$v1" --packs "$packs" --database "$url" \
  >"$tmp/squash.out" 2>"$tmp/squash.err"; then
  base="$tmp/h/${v0}_baseline.sql"
  [ -f "$base" ] || fail "no baseline ${v0}_baseline.sql: $(cat "$tmp/squash.out")"
  n=$(find "$tmp/h/squashed/$v0" -name '*.sql' | wc -l)
  [ "$n" = "$(cd "$history" && printf '%s\n' [0-9]*.sql | wc -l)" ] ||
    fail "the archive holds $n originals"
  grep -q 'INSERT INTO public\.\(runtime\|pack\) ' "$base" &&
    fail "the baseline carries rows of a pack-owned table"
  status=0
  "$migc" verify "$tmp/h" --packs "$packs" --database "$url" \
    >"$tmp/verify.out" 2>"$tmp/verify.err" || status=$?
  [ "$status" = 0 ] && grep -qx '  equal: the same schema' "$tmp/verify.out" ||
    { cat "$tmp/verify.out" "$tmp/verify.err" >&2; fail "migc verify exited $status"; }
  "$migc" lock "$tmp/h" --squash --database "$url" >/dev/null 2>"$tmp/lock.err" ||
    { cat "$tmp/lock.err" >&2; fail "migc lock --squash"; }
  mkdir "$tmp/b"
  cp "$base" "$tmp/b/"
  replay "$tmp/b" baseline
  dump "$db" "$tmp/baseline.sql"
  diff -u "$tmp/consolidated.sql" "$tmp/baseline.sql" >"$tmp/baseline.diff" || {
    fail "the baseline's schema differs from migrations/ (- migrations/, + baseline):"
    cat "$tmp/baseline.diff" >&2
  }
else
  cat "$tmp/squash.out" "$tmp/squash.err" >&2
  fail "migc squash of the history"
fi

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "platform_history: all passed"

#!/usr/bin/env bash
# squash.sh: issue 16 on a real chain. A copy of CHAIN is released (locked)
# and built into an "old" service; databases apply all of it (whole) and
# its first PART migrations (part) with the old binary. Then the first
# THROUGH migrations are squashed (`migc squash`), verified (`migc
# verify`), recorded (`migc lock --squash`) and built into a "new"
# service. With the new binary: a fresh database gets the schema psql's
# replay of the whole chain gives (the chain's expected_schema.sql, pg_dump
# compared, the ledger left out); the whole database is up to date and
# nothing runs; the part database finishes the range from the archived
# originals and ends with the fresh one's schema. An edited baseline (a
# column dropped, an index changed, enum labels reordered) fails verify
# naming the object. Skipped (77) when the chain is absent.
#   squash.sh MIGC CC INCLUDE_DIR LIBMIGC_CLI LIBMIGC CORPORA CHAIN THROUGH PART
set -euo pipefail
migc=$1 cc=$2 include=$3 libcli=$4 librt=$5 corpora=$6 chain=$7
through=$8 part=$9
src="$corpora/$chain"
[ -d "$src/migrations" ] || {
  echo "squash.sh: $src absent: skipped"
  exit 77
}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
unset DATABASE_URL
pgtest_tmpdir
tmp=$PGTEST_TMP
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
url="host='$PGHOST' user='${PGUSER:-postgres}' dbname='${PGDATABASE:-postgres}'"

# build NAME: the chain in $tmp/m compiled and linked into $tmp/NAME
build() {
  "$migc" compile "$tmp/m" -o "$tmp/$1.c" --header "$tmp/$1.h" \
    --name "$1_schema" --no-packs 2>"$tmp/$1.compile.err" ||
    { cat "$tmp/$1.compile.err" >&2; fail "compile $1"; exit 1; }
  printf '#include <migc.h>\nextern const struct migc_schema %s_schema;\nint main(int c, char **v) { return migc_main(c, v, &%s_schema); }\n' \
    "$1" "$1" >"$tmp/$1_main.c"
  "$cc" -std=c11 -O0 -I"$include" -I"$tmp" -o "$tmp/$1" "$tmp/$1_main.c" \
    "$tmp/$1.c" "$libcli" "$librt" -lpq
}
# dump DB: its schema as pg_dump prints it, the ledger and dump noise left out
dump() {
  "${MIGC_PG_BINDIR:+$MIGC_PG_BINDIR/}pg_dump" --schema-only --no-owner \
    --no-privileges --exclude-table='public.migc_migrations*' \
    -d "$1" | sed -e '/^\\restrict /d' -e '/^\\unrestrict /d' -e '/^--/d' \
    -e '/^$/d'
}
normal() { sed -e '/^\\restrict /d' -e '/^\\unrestrict /d' -e '/^--/d' -e '/^$/d' "$1"; }
rows() { pgtest_psql "$1" -At -c "SELECT count(*) FROM migc_migrations"; }

# ---- the old binary, and databases at two positions ----------------------
cp -r "$src/migrations" "$tmp/m"
"$migc" lock "$tmp/m" >/dev/null 2>&1 || fail "lock the chain"
build old
n=$(find "$tmp/m" -name '*.up.sql' | wc -l)
pgtest_createdb whole
whole=$PGTEST_DB_NAME
"$tmp/old" up --database "$PGTEST_DB" >/dev/null || fail "old binary: up"
[ "$(rows "$whole")" = "$n" ] || fail "whole: $(rows "$whole") ledger rows, expected $n"
pgtest_createdb part
partdb=$PGTEST_DB_NAME
"$tmp/old" up --to "$part" --database "$PGTEST_DB" >/dev/null || fail "old binary: up --to $part"
[ "$(rows "$partdb")" = "$part" ] || fail "part: $(rows "$partdb") ledger rows"

# ---- squash, verify, lock --squash ----------------------------------------
"$migc" squash "$tmp/m" --through "$through" --database "$url" \
  >"$tmp/squash.out" 2>"$tmp/squash.err" || {
  cat "$tmp/squash.err" >&2
  fail "migc squash"
}
base=$(find "$tmp/m" -maxdepth 1 -name '*_baseline.up.sql')
[ -n "$base" ] || fail "no baseline written"
[ "$(find "$tmp/m/squashed/1" -name '*.up.sql' | wc -l)" = "$through" ] ||
  fail "the archive does not hold $through originals"
"$migc" verify "$tmp/m" --database "$url" >"$tmp/verify.out" 2>"$tmp/verify.err" ||
  { cat "$tmp/verify.out" "$tmp/verify.err" >&2; fail "migc verify"; }
grep -qx "  equal: the same schema" "$tmp/verify.out" || fail "verify: $(cat "$tmp/verify.out")"
cp -r "$tmp/m" "$tmp/squashed" # before lock --squash: edited below
"$migc" lock "$tmp/m" --squash --database "$url" >/dev/null 2>"$tmp/lock.err" ||
  { cat "$tmp/lock.err" >&2; fail "migc lock --squash"; }
"$migc" check "$tmp/m" >/dev/null 2>"$tmp/check.err" || fail "check after the squash: $(grep error "$tmp/check.err")"
build new

# ---- the new binary on a fresh, a whole and a part-way database ----------
pgtest_createdb fresh
fresh=$PGTEST_DB_NAME
"$tmp/new" up --database "$PGTEST_DB" >/dev/null || fail "new binary: fresh up"
dump "$fresh" >"$tmp/fresh.sql"
expected=$src/expected_schema.sql
normal "$expected" >"$tmp/expected.sql"
diff -u "$tmp/expected.sql" "$tmp/fresh.sql" >"$tmp/fresh.diff" ||
  { head -40 "$tmp/fresh.diff" >&2; fail "fresh database: schema differs from psql's replay of the chain"; }

"$tmp/new" up --database "host='$PGHOST' user='${PGUSER:-postgres}' dbname='$whole'" \
  >"$tmp/whole.out" 2>&1 || fail "new binary on the whole database"
grep -q "^database is up to date" "$tmp/whole.out" || fail "whole: $(cat "$tmp/whole.out")"
[ "$(rows "$whole")" = "$n" ] || fail "whole: the ledger changed"

"$tmp/new" up --database "host='$PGHOST' user='${PGUSER:-postgres}' dbname='$partdb'" \
  >"$tmp/part.out" 2>&1 || { cat "$tmp/part.out" >&2; fail "new binary on the part-way database"; }
[ "$(rows "$partdb")" = "$((n - 0))" ] || fail "part: $(rows "$partdb") ledger rows, expected $n (every original recorded as itself)"
dump "$partdb" >"$tmp/part.sql"
diff -u "$tmp/fresh.sql" "$tmp/part.sql" >"$tmp/part.diff" ||
  { head -40 "$tmp/part.diff" >&2; fail "part-way database: schema differs from the fresh one"; }
"$tmp/new" up --database "host='$PGHOST' user='${PGUSER:-postgres}' dbname='$partdb'" \
  >"$tmp/part2.out" 2>&1
grep -q "^database is up to date" "$tmp/part2.out" || fail "part, again: $(cat "$tmp/part2.out")"

# ---- an edited baseline fails verify, naming the object ------------------
# edit 'PATTERN' 'SED' 'EXPECTED LINE': on a copy of the squashed chain
edit() {
  rm -rf "$tmp/e"
  cp -r "$tmp/squashed" "$tmp/e"
  local b
  b=$(find "$tmp/e" -maxdepth 1 -name '*_baseline.up.sql')
  sed -i "$1" "$b"
  cmp -s "$b" "$base" && fail "edit '$1' changed nothing"
  set +e
  "$migc" verify "$tmp/e" --database "$url" >"$tmp/e.out" 2>"$tmp/e.err"
  local rc=$?
  set -e
  [ "$rc" = 1 ] || fail "edited baseline ($1): verify exited $rc"
  grep -qF -- "$2" "$tmp/e.out" || { cat "$tmp/e.out" >&2; fail "edited baseline ($1): no line '$2'"; }
}
edit '/^    resource_target text NOT NULL,$/d' "table public.audit_logs: column resource_target: only in originals"
edit 's/^CREATE INDEX idx_agent_stats_created_at ON public.workspace_agent_stats USING btree (created_at);$/CREATE INDEX idx_agent_stats_created_at ON public.workspace_agent_stats USING btree (created_at DESC);/' \
  "index public.idx_agent_stats_created_at: CREATE INDEX idx_agent_stats_created_at ON public.workspace_agent_stats USING btree (created_at) vs CREATE INDEX idx_agent_stats_created_at ON public.workspace_agent_stats USING btree (created_at DESC)"
edit "/^CREATE TYPE public.build_reason AS ENUM (/,/^);/{s/^    'autostart',$/    'AUTOSTART_PLACEHOLDER',/;s/^    'autostop',$/    'autostart',/;s/^    'AUTOSTART_PLACEHOLDER',$/    'autostop',/}" \
  "type public.build_reason: labels:"

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "squash.sh: $chain squashed through $through: verify equal; fresh, whole ($n) and part-way ($part) databases agree"

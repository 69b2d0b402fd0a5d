#!/usr/bin/env bash
# pack_sync.sh: packs synchronised by the runtime, through a service's `up`.
#   pack_sync.sh CC MIGC LIBS INCLUDE PLAIN_SERVICE_C PACKS_BIN PROJECT
# CC is the build's C compiler with its sanitizer flags, MIGC the generator,
# LIBS the runtime libraries (libmigc_cli, then libmigc), INCLUDE the
# folder of migc.h, PLAIN_SERVICE_C the source of a plain migc_main()
# service, PACKS_BIN platform_packs.c linked with the project's schema (it
# prints the upserts the generated data holds; platform_packs.sh checks
# those against the YAML), PROJECT the project root (migrations/, packs/).
#  1. a service built from the project's migrations and packs applies both:
#     every table a pack fills holds what the upserts write (compared as
#     jsonb, timestamps and ids left out), the pack is recorded, status
#     says synced, a second `up` is one round trip;
#  2. one value edited in one YAML file, the service rebuilt: `up` rewrites
#     that row's field (and its `updated`) and nothing else;
#  3. a YAML file removed: its row is reported and left, then deleted with
#     --prune-packs.
set -euo pipefail
read -r -a cc <<<"$1"
read -r -a libmigc <<<"$3"
migc=$2 include=$4 service_c=$5 packs_bin=$6 project=$7
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
pgtest_tmpdir
tmp=$PGTEST_TMP
fail() {
  echo "pack_sync.sh: FAIL: $*" >&2
  exit 1
}
q() { pgtest_psql "$1" -At -c "$2"; }

# build NAME: compile the copy in $tmp/project into the service $tmp/NAME.
build() {
  "$migc" compile "$tmp/project/migrations" -o "$tmp/$1.c" \
    --header "$tmp/$1.h" --name pack_sync_schema \
    --source-root "$tmp/project" >"$tmp/$1.log" 2>&1 ||
    { cat "$tmp/$1.log" >&2; fail "migc compile ($1)"; }
  "${cc[@]}" -std=c11 -I"$include" -DMIGC_TEST_SCHEMA=pack_sync_schema \
    -o "$tmp/$1" "$service_c" "$tmp/$1.c" "${libmigc[@]}" \
    -L"$(pg_config --libdir)" -lpq ||
    fail "cannot build the service ($1)"
}

# Every row of the runtime table and the pack table as jsonb, without
# what differs between two databases given the same data.
snapshot() {
  q "$1" "SELECT (to_jsonb(x) - 'id' - 'pack' - 'created' - 'updated')::text
          FROM pack x ORDER BY ref"
  q "$1" "SELECT (to_jsonb(x) - 'id' - 'pack' - 'created' - 'updated')::text
          FROM runtime x ORDER BY ref"
}

mkdir "$tmp/project"
cp -R "$project/migrations" "$project/packs" "$tmp/project/"
build first

# ---- 1. up applies the packs: the same rows as the upserts alone -----------
pgtest_createdb sync
db=$PGTEST_DB
"$tmp/first" --database "$db" up >"$tmp/up.out" 2>"$tmp/up.err" ||
  { cat "$tmp/up.err" >&2; fail "first up"; }
grep -qx 'synchronised pack core ([0-9]* rows)' "$tmp/up.out" ||
  { cat "$tmp/up.out" >&2; fail "no pack line"; }
[ ! -s "$tmp/up.err" ] || { cat "$tmp/up.err" >&2; fail "first up wrote to stderr"; }

pgtest_createdb direct
direct=$PGTEST_DB
for f in "$project"/migrations/*.sql; do
  pgtest_psql "$direct" --single-transaction -f "$f" >/dev/null
done
"$packs_bin" upserts >"$tmp/upserts.sql"
pgtest_psql "$direct" --single-transaction -f "$tmp/upserts.sql" >/dev/null
snapshot "$db" >"$tmp/via_up"
snapshot "$direct" >"$tmp/via_upserts"
[ "$(grep -c . "$tmp/via_up")" -gt 1 ] || fail "no rows after up"
diff -u "$tmp/via_upserts" "$tmp/via_up" >&2 ||
  fail "the rows up wrote differ from the upserts'"
[ "$(q "$db" "SELECT count(*) FROM runtime")" = \
  "$(find "$project/packs/core/runtimes" -name '*.yaml' | wc -l)" ] ||
  fail "not one runtime row per YAML file"
[ "$(q "$db" "SELECT name FROM public.migc_migrations_packs")" = core ] ||
  fail "the pack is not recorded"

"$tmp/first" --database "$db" status >"$tmp/status.out"
grep -qE '^core +synced ' "$tmp/status.out" ||
  { cat "$tmp/status.out" >&2; fail "status does not say synced"; }
"$tmp/first" --database "$db" up >"$tmp/again.out"
grep -qx 'database is up to date ([0-9]* migrations; 1 round trip)' \
  "$tmp/again.out" || { cat "$tmp/again.out" >&2; fail "second up"; }

# ---- 2. one value edited: that row's field changes, nothing else -----------
before=$(q "$db" "SELECT (to_jsonb(x) - 'updated')::text FROM runtime x
                  ORDER BY ref")
sed -i 's/^description: .*/description: Edited by pack_sync.sh./' \
  "$tmp/project/packs/core/runtimes/shell.yaml"
build edited
"$tmp/edited" --database "$db" check >/dev/null && fail "check saw no change"
[ "$("$tmp/edited" --database "$db" status | grep -E '^core ')" != "" ] ||
  fail "no pack in status"
"$tmp/edited" --database "$db" status | grep -qE '^core +changed ' ||
  fail "status does not say changed"
"$tmp/edited" --database "$db" up >"$tmp/edit.out" ||
  fail "up after the edit"
grep -qx 'synchronised pack core ([0-9]* rows)' "$tmp/edit.out" ||
  fail "the edited pack was not synchronised"
after=$(q "$db" "SELECT (to_jsonb(x) - 'updated')::text FROM runtime x
                 ORDER BY ref")
diff <(echo "$before") <(echo "$after") >"$tmp/edit.diff" && fail "no change"
[ "$(grep -c '^<' "$tmp/edit.diff")" = 1 ] &&
  [ "$(grep -c '^>' "$tmp/edit.diff")" = 1 ] ||
  { cat "$tmp/edit.diff" >&2; fail "more than one row changed"; }
changed=$(q "$db" "SELECT string_agg(key, ',') FROM jsonb_each(
  '$(grep '^<' "$tmp/edit.diff" | cut -c3- | sed "s/'/''/g")'::jsonb) o
  WHERE o.value IS DISTINCT FROM ('$(grep '^>' "$tmp/edit.diff" | cut -c3- |
  sed "s/'/''/g")'::jsonb -> o.key)")
[ "$changed" = description ] || fail "changed fields: $changed"
[ "$(q "$db" "SELECT ref FROM runtime WHERE description =
  'Edited by pack_sync.sh.'")" = core.shell ] || fail "the edit is not there"
[ "$(q "$db" "SELECT count(*) FROM runtime WHERE updated > created")" = 1 ] ||
  fail "not exactly the edited row's updated moved"

# ---- 3. a file removed: reported, left; --prune-packs deletes it ------------
rm "$tmp/project/packs/core/runtimes/native.yaml"
build removed
"$tmp/removed" --database "$db" up >"$tmp/rm.out" 2>"$tmp/rm.err" ||
  fail "up after the removal"
grep -qF 'warning: pack core: 1 row of "public"."runtime" no longer in its YAML: core.native (left in place; --prune-packs deletes them)' \
  "$tmp/rm.err" || { cat "$tmp/rm.err" >&2; fail "no orphan warning"; }
[ "$(q "$db" "SELECT count(*) FROM runtime WHERE ref = 'core.native'")" = 1 ] ||
  fail "the row was deleted without --prune-packs"
# Recorded as synchronised: a plain up does not report it again...
"$tmp/removed" --database "$db" up 2>"$tmp/rm2.err" >/dev/null
[ ! -s "$tmp/rm2.err" ] || fail "reported again: $(cat "$tmp/rm2.err")"
# ...and --prune-packs still finds the row: pruning is done when asked,
# whether or not the pack changed since its last sync.
"$tmp/removed" --database "$db" --prune-packs up >/dev/null 2>"$tmp/rm3.err" ||
  fail "up --prune-packs"
grep -qF '(deleted)' "$tmp/rm3.err" || fail "prune not reported"
[ "$(q "$db" "SELECT count(*) FROM runtime WHERE ref = 'core.native'")" = 0 ] ||
  fail "--prune-packs left the row"
echo "pack_sync.sh: all checks passed"

#!/usr/bin/env bash
# demo_script.sh: scripts/demo as a new user runs it: from a checkout in a
# private folder (mode 0700, as root's home is), with no DATABASE_URL. As
# root the embedded server runs as postgres, who cannot enter that folder:
# the demo must still apply the schema, show the runtimes and end up to date.
#   demo_script.sh SOURCE_DIR
set -euo pipefail
src=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d) # 0700, owned by whoever runs the test
kept=
cleanup() {
  # the cluster kept outside the checkout (as root) is this test's too
  [ -n "${KEEP_OUT:-}" ] && cp "$work/out" "$KEEP_OUT"
  [ -n "$kept" ] && [ -d "$kept" ] && rm -rf "$kept"
  rm -rf "$work"
}
trap cleanup EXIT
[ "$(stat -c %a "$work")" = 700 ] || fail "mktemp -d did not give a 0700 folder"

# The checkout's files, as a fresh clone would hold them (uncommitted
# changes included, build folders left out).
git -C "$src" ls-files -z --cached --others --exclude-standard |
  (cd "$src" && tar --null -T - -cf -) | (mkdir "$work/migc" && tar -C "$work/migc" -xf -)

unset DATABASE_URL
(cd "$work/migc" && scripts/demo) >"$work/out" 2>&1 || { cat "$work/out"; fail "scripts/demo exited $?"; }
data=$work/migc/build/demo-data
if [ "$(id -u)" = 0 ]; then
  [ -L "$data/cluster" ] || { cat "$work/out"; fail "no link to the kept cluster in $data"; }
  kept=$(readlink -f "$data/cluster")
  [ "$(stat -c '%U %a' "$kept")" = "postgres 700" ] || fail "$kept is not postgres's, mode 0700"
  grep -q "^embedded database in build/demo-data (kept in $kept: user postgres cannot work in build/demo-data)$" "$work/out" ||
    { cat "$work/out"; fail "the demo does not say where the cluster is kept"; }
fi
n=$(grep -cE '^applied [0-9]+_.+\.sql \([0-9.]+ ms\)$' "$work/out" || true)
[ "$n" -gt 0 ] || { cat "$work/out"; fail "no migration applied"; }
grep -qx "applied $n migrations; database is up to date" "$work/out" || { cat "$work/out"; fail "no summary line"; }
grep -q ' python ' "$work/out" || { cat "$work/out"; fail "the runtimes were not read back"; }
# user postgres runs the cluster from /, never from the 0700 folder
! grep -q 'could not change directory' "$work/out" ||
  { cat "$work/out"; fail "a command of user postgres ran in a folder it cannot enter"; }
tail -n 1 "$work/out" | grep -qx "database is up to date ($n migrations; 1 round trip)" ||
  { cat "$work/out"; fail "the last run was not a no-op"; }
echo "demo_script: scripts/demo from a 0700 folder: $n migrations applied, then up to date"

# compile_hostile.sh: copy the hostile fixture (running its setup) to WORK
# and compile it with migc into WORK/out/hostile.{c,h}, symbol
# hostile_schema. Sourced by warnings.sh and check_bytes.sh after common.sh;
# expects migc, hostile and work to be set.

prepare_copy "$hostile" "$work"
mkdir "$work/out" || fail "cannot create $work/out"
# Its INSERTs carry hostile bytes, not reference data: no notes about them.
(cd "$work" && exec "$migc" compile migrations -o out/hostile.c \
  --header out/hostile.h --name hostile_schema \
  --severity data-in-migration=off) 2>"$work/migc.stderr" ||
  { cat "$work/migc.stderr" >&2; fail "migc rejected the hostile fixture"; }
[ -s "$work/migc.stderr" ] &&
  { cat "$work/migc.stderr" >&2; fail "migc printed diagnostics"; }
big=$(wc -c <"$work/migrations/004_big.sql")
[ "$big" -gt 1048576 ] || fail "004_big.sql has $big bytes, not over 1 MiB"

#!/usr/bin/env bash
# alloc_failure.sh MIGC_FAILALLOC CASE WORK [STEP]: the generator with each
# of its own allocations failing in turn (migc linked with failalloc.c), on
# the migrations (and packs) of a golden case, for `migc compile` and
# `migc lock`. Each run either succeeds (the failed call was one it can do
# without) or exits 2 with "migc: error: out of memory" as its last line;
# it never crashes, and a failed run leaves no temporary (*.tmp.*) and no
# partial output: out/ is empty or holds both files exactly as a run
# without failures writes them, migc.lock is as before or as a run without
# failures writes it. The first run of each command counts the allocations
# (N); then every STEP-th of 1..N fails (STEP 1, every one, by default).
set -u
. "$(dirname "$0")/common.sh"
migc=$1 case_dir=$2 work=$3 step=${4:-1}
rm -rf "$work"
mkdir -p "$work"
cp -R "$case_dir/migrations" "$work/migrations.orig" ||
  fail "cannot copy $case_dir/migrations"
[ -d "$case_dir/packs" ] && cp -R "$case_dir/packs" "$work/packs"
cd "$work" || fail "cannot enter $work"

compile() {
  rm -rf out && mkdir out
  [ -d migrations ] || cp -R migrations.orig migrations
  "$migc" compile migrations -o out/schema.c --header out/schema.h \
    --name torture >stdout 2>stderr
}
compile_leftovers() { # what a failed compile left that it should not have
  local left
  left=$(ls -A out)
  [ -z "$left" ] || diff -r want out >/dev/null || echo "out/: $left"
}
lock() {
  rm -rf out migrations && mkdir out && cp -R migrations.orig migrations
  "$migc" lock migrations >stdout 2>stderr
}
lock_leftovers() {
  ls migrations | grep -F .tmp. | sed 's/^/temporary: /'
  if [ -f migrations/migc.lock ]; then
    cmp -s migrations/migc.lock want/migc.lock ||
      cmp -s migrations/migc.lock migrations.orig/migc.lock ||
      echo "migc.lock half written"
  fi
}

# Whether a successful run wrote something else than the run without
# failures.
compile_differs() { diff -r want out >/dev/null || echo differs; }
lock_differs() {
  cmp -s migrations/migc.lock want/migc.lock || echo differs
}

# torture NAME: every STEP-th allocation of NAME (compile or lock) fails.
torture() {
  local name=$1 n rc total failed=0 ok=0 oks= left
  rm -rf want count
  MIGC_FAIL_ALLOC=0 MIGC_FAIL_ALLOC_COUNT=count $name ||
    fail "$name without failures exited $?: $(cat stderr)"
  total=$(cat count)
  [ "$total" -gt 0 ] || fail "no allocation counted: is failalloc linked?"
  if [ "$name" = compile ]; then mv out want; else
    mkdir want && cp migrations/migc.lock want/; fi
  for ((n = 1; n <= total; n += step)); do
    MIGC_FAIL_ALLOC=$n $name
    rc=$?
    left=$(${name}_leftovers)
    [ -z "$left" ] || fail "$name, allocation $n failing (exit $rc): $left"
    if [ $rc -eq 0 ]; then
      [ -z "$(${name}_differs)" ] ||
        fail "$name, allocation $n failing: exit 0, output differs"
      ok=$((ok + 1)) oks="$oks $n"
      continue
    fi
    [ $rc -eq 2 ] ||
      fail "$name, allocation $n failing: exit $rc (want 0 or 2): $(cat stderr)"
    [ "$(tail -n 1 stderr)" = "migc: error: out of memory" ] ||
      fail "$name, allocation $n failing: no out-of-memory message: $(cat stderr)"
    failed=$((failed + 1))
  done
  echo "alloc_failure.sh: $name: $total allocations, every $step failing in" \
       "turn: $failed runs out of memory (exit 2), $ok succeeded${oks:+ (failing$oks)}"
}
torture compile
torture lock

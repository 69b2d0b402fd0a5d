#!/usr/bin/env bash
# check_bytes.sh: the schema migc generates from the hostile fixture holds
# every statement byte for byte, at the line and column it claims, with the
# right checksums (see check_bytes.c).
#
# usage: check_bytes.sh MIGC CC HOSTILE_DIR INCLUDE_DIR CHECK_C WORKDIR
set -u
. "$(dirname "$0")/common.sh"

[ $# -eq 6 ] ||
  fail "usage: check_bytes.sh MIGC CC HOSTILE_DIR INCLUDE_DIR CHECK_C WORKDIR"
migc=$1 cc=$2 hostile=$3 include=$4 check_c=$5 work=$6
. "$(dirname "$0")/compile_hostile.sh"

"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include" -I"$work/out" \
  "$check_c" "$work/out/hostile.c" -o "$work/out/check_bytes" ||
  fail "cannot build the checker"
mkdir "$work/dump" || fail "cannot create $work/dump"
(cd "$work" && exec ./out/check_bytes . dump counts) >"$work/sums" ||
  fail "embedded statements differ from their source (see above)"

# Migration checksums against the files, statement checksums against the
# dumped statements.
(cd "$work" && sha256sum --check --strict --quiet sums) ||
  fail "a checksum does not match (see above)"
n=$(grep -c . "$work/sums")
diff -u --label expected --label actual "$hostile/statements" "$work/counts" ||
  fail "statement counts differ from $hostile/statements"
echo "check_bytes.sh: ok ($n checksums verified)"

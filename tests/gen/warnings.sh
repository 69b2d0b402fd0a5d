#!/usr/bin/env bash
# warnings.sh: the C that migc generates from the hostile fixture compiles
# without a warning under `-std=c11 -Wall -Wextra -Wpedantic -Werror`.
#
# usage: warnings.sh CC MIGC HOSTILE_DIR INCLUDE_DIR WORKDIR
# CC is a compiler name (gcc, clang); when it is not installed the test is
# skipped with exit code 77.
set -u
. "$(dirname "$0")/common.sh"

[ $# -eq 5 ] || fail "usage: warnings.sh CC MIGC HOSTILE_DIR INCLUDE_DIR WORKDIR"
cc=$1 migc=$2 hostile=$3 include=$4 work=$5
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "warnings.sh: SKIP: $cc is not installed"
  exit 77
fi
. "$(dirname "$0")/compile_hostile.sh"

flags=(-std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include")
for opt in -O0 -O2; do
  "$cc" "${flags[@]}" "$opt" -c "$work/out/hostile.c" -o "$work/out/hostile.o" ||
    fail "$cc $opt: the generated source does not compile cleanly"
done
# The header alone, as a user's file includes it.
printf '#include "hostile.h"\nconst void *p(void);\nconst void *p(void) { return &hostile_schema; }\n' \
  >"$work/out/user.c"
"$cc" "${flags[@]}" -I"$work/out" -c "$work/out/user.c" -o "$work/out/user.o" ||
  fail "$cc: the generated header does not compile cleanly"
echo "warnings.sh: $cc $("$cc" -dumpversion): ok"

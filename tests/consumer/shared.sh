#!/usr/bin/env bash
# shared.sh: the runtime built alone as shared libraries
# (-DBUILD_SHARED_LIBS=ON -DMIGC_BUILD_GENERATOR=OFF): libmigc.so and
# libmigc_cli.so carry a soname, libmigc_cli.so depends on libmigc.so, and
# both export their API alone (symbols.sh).
#   shared.sh MIGC_SOURCE_DIR C_COMPILER
set -euo pipefail
src=$1 cc=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake -S "$src" -B "$work" -G Ninja -DCMAKE_C_COMPILER="$cc" \
  -DBUILD_SHARED_LIBS=ON -DMIGC_BUILD_GENERATOR=OFF -DMIGC_BUILD_TESTS=OFF \
  -DMIGC_BUILD_DEMO=OFF -DMIGC_WERROR=ON >"$work/log" 2>&1 ||
  { cat "$work/log"; fail "configure"; }
cmake --build "$work" >>"$work/log" 2>&1 || { cat "$work/log"; fail "build"; }

soname() { readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p'; }
runtime=$(readlink -f "$work/runtime/libmigc.so")
cli=$(readlink -f "$work/runtime/libmigc_cli.so")
[[ $(soname "$runtime") == libmigc.so.* ]] || fail "libmigc.so: soname '$(soname "$runtime")'"
[[ $(soname "$cli") == libmigc_cli.so.* ]] || fail "libmigc_cli.so: soname '$(soname "$cli")'"
readelf -d "$cli" | grep -q "(NEEDED).*\[$(soname "$runtime")\]" ||
  fail "libmigc_cli.so does not depend on $(soname "$runtime")"
bash "$src/tests/unit/symbols.sh" "$src/include/migc.h" "$runtime" "$cli"

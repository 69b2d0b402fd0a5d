#!/usr/bin/env bash
# routes.sh: every way a service gets migc (docs/runtime.md), each building
# the consumer project's service with -Werror, then `up` and a second `up`
# against a fresh database of the test server:
#   add_subdirectory   a migc checkout inside the project's build
#   FetchContent       the same, fetched (from a local folder here)
#   find_package       `cmake --install` into a prefix, then find_package
#   make + pkg-config  the installed bin/migc and migc.pc, no CMake at all
#   routes.sh MIGC_SOURCE_DIR C_COMPILER
set -euo pipefail
src=$1 cc=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
unset DATABASE_URL
pgtest_tmpdir
work=$PGTEST_TMP
fail() { echo "FAIL [$route]: $*" >&2; exit 1; }
werror="-Wall -Wextra -Wpedantic -Werror"

# serve APP: up on a fresh database applies both migrations; the second up
# has nothing to do.
serve() {
  pgtest_createdb "route"
  "$1" --database "$PGTEST_DB" up >"$work/$route.up1" 2>&1 ||
    { cat "$work/$route.up1"; fail "first up"; }
  grep -qx "applied 2 migrations; database is up to date" "$work/$route.up1" ||
    { cat "$work/$route.up1"; fail "first up did not apply both"; }
  "$1" --database "$PGTEST_DB" up >"$work/$route.up2" 2>&1 ||
    { cat "$work/$route.up2"; fail "second up"; }
  grep -qx "database is up to date (2 migrations; 1 round trip)" "$work/$route.up2" ||
    { cat "$work/$route.up2"; fail "second up was not a no-op"; }
}

cmake_build() { # NAME SOURCE [cmake args...]
  local name=$1 source=$2
  shift 2
  cmake -S "$source" -B "$work/$name" -G Ninja -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_C_FLAGS="$werror" "$@" >"$work/$name.log" 2>&1 ||
    { cat "$work/$name.log"; fail "configure"; }
  cmake --build "$work/$name" >>"$work/$name.log" 2>&1 ||
    { cat "$work/$name.log"; fail "build"; }
}

route=add_subdirectory
cmake_build sub "$src/tests/consumer/project" -DMIGC_SOURCE_DIR="$src"
serve "$work/sub/app"

route=FetchContent
cmake_build fetch "$here/routes/fetchcontent" -DMIGC_SOURCE_DIR="$src"
serve "$work/fetch/app"

route=install
cmake_build migc "$src" -DMIGC_BUILD_TESTS=OFF -DMIGC_BUILD_DEMO=OFF
cmake --install "$work/migc" --prefix "$work/prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "cmake --install"; }
for f in bin/migc include/migc.h lib/libmigc.a lib/libmigc_cli.a \
  lib/cmake/migc/migcConfig.cmake \
  lib/cmake/migc/migcConfigVersion.cmake lib/cmake/migc/migcTargets.cmake \
  lib/cmake/migc/migcEmbed.cmake lib/pkgconfig/migc.pc \
  lib/pkgconfig/migc-cli.pc; do
  [ -e "$work/prefix/$f" ] || fail "not installed: $f"
done

route=find_package
cmake_build found "$here/routes/installed" -DCMAKE_PREFIX_PATH="$work/prefix"
grep -q "$work/prefix/bin/migc" "$work/found/build.ninja" ||
  fail "migc_embed() did not run the installed generator"
serve "$work/found/app"
# The version file's rule (SameMinorVersion): 0.1 is found, 0.2 is not.
mkdir "$work/v02"
sed 's/find_package(migc 0.1 REQUIRED)/find_package(migc 0.2 REQUIRED)/' \
  "$here/routes/installed/CMakeLists.txt" >"$work/v02/CMakeLists.txt"
sed -i "s|\.\./\.\./project|$src/tests/consumer/project|g" "$work/v02/CMakeLists.txt"
cmake -S "$work/v02" -B "$work/v02/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
  >"$work/v02.log" 2>&1 && fail "find_package(migc 0.2) accepted migc 0.1"
grep -q 'version: 0.1.0' "$work/v02.log" || { cat "$work/v02.log"; fail "no version message"; }

# A cross build: the runtime built here, the generator a host's (the
# installed one standing in for it), named by MIGC_EXECUTABLE.
route=cross
cmake_build cross "$src/tests/consumer/project" -DMIGC_SOURCE_DIR="$src" \
  -DMIGC_BUILD_GENERATOR=OFF -DMIGC_EXECUTABLE="$work/prefix/bin/migc"
grep -q "$work/prefix/bin/migc" "$work/cross/build.ninja" ||
  fail "migc_embed() did not run MIGC_EXECUTABLE"
[ ! -e "$work/cross/migc/gen/migc" ] || fail "the generator was built all the same"
serve "$work/cross/app"

route=pkg-config
mkdir "$work/make"
cp "$here/routes/makefile/Makefile" "$src/tests/consumer/project/main.c" "$work/make/"
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" make -C "$work/make" CC="$cc" \
  MIGC="$work/prefix/bin/migc" MIGRATIONS="$src/tests/consumer/project/migrations" \
  >"$work/make.log" 2>&1 || { cat "$work/make.log"; fail "make"; }
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --libs migc | grep -q -- '-lpq' ||
  fail "pkg-config --libs migc lacks libpq"
# migc-cli: its own library first, then libmigc's and libpq (static order);
# migc alone does not name the command line.
libs=$(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --libs migc-cli)
[[ " $libs " == *" -lmigc_cli "*"-lmigc "*"-lpq "* ]] ||
  fail "pkg-config --libs migc-cli: '$libs', expected -lmigc_cli, -lmigc, -lpq in that order"
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --libs migc | grep -q -- '-lmigc_cli' &&
  fail "pkg-config --libs migc names the command-line library"
serve "$work/make/app"
echo "routes: add_subdirectory, FetchContent, find_package, a cross build (MIGC_EXECUTABLE) and make + pkg-config each built and served"

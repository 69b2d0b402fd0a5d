#!/usr/bin/env bash
# doc_runtime.sh: docs/runtime.md stays true to include/migc.h.
#   doc_runtime.sh CC SOURCE_DIR MIGC LIBMIGC [run]
# CC is the build's C compiler with its sanitizer flags, SOURCE_DIR the
# project root, MIGC the generator, LIBMIGC the static runtime library;
# libpq is found with pg_config.
#  1. every ```c block of the page compiles on its own with -Werror against
#     migc.h and an app_schema.h generated from the consumer project's
#     migrations; a block with a main() links with libmigc_cli, libmigc
#     and libpq;
#  2. the page names every status code of MIGC_CODE_MAP and every function
#     the header exports (a code or a call added to migc.h needs its words
#     in the guide);
#  3. with `run` (ctest integration.doc_runtime, the `pg` fixture): the
#     start-up example applies the schema to a fresh database and says so,
#     a second start applies nothing and says nothing, and the threads
#     example runs its eight workers against the same database.
set -euo pipefail
read -r -a cc <<<"$1"
src=$2 migc=$3 libmigc=$4 libcli=$5 run=${6:-}
doc=$src/docs/runtime.md
header=$src/include/migc.h
if [ "$run" = run ]; then
  # shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
  . "$(dirname "$0")/../support/pgtest.bash"
  pgtest_init
  unset DATABASE_URL
  pgtest_tmpdir
  tmp=$PGTEST_TMP
else
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/doc_runtime.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
fi
fail() {
  echo "doc_runtime.sh: FAIL: $*" >&2
  exit 1
}
flags=(-std=c11 -Wall -Wextra -Wpedantic -Werror -I"$src/include" -I"$tmp"
  -I"$(pg_config --includedir)")

"$migc" compile "$src/tests/consumer/project/migrations" -o "$tmp/app_schema.c" \
  --header "$tmp/app_schema.h" --name app_schema ||
  fail "migc compile of the example schema"
"${cc[@]}" "${flags[@]}" -c "$tmp/app_schema.c" -o "$tmp/app_schema.o" ||
  fail "the generated app_schema.c does not compile"

# Each ```c block into ex_N.c, with its first line as a name.
awk -v dir="$tmp" '
  /^```c$/ { n++; file = sprintf("%s/ex_%02d.c", dir, n); inside = 1; next }
  /^```/ && inside { inside = 0; close(file); next }
  inside { print > file }
' "$doc"
shopt -s nullglob
examples=("$tmp"/ex_*.c)
[ "${#examples[@]}" -ge 8 ] ||
  fail "only ${#examples[@]} C examples found in $doc"
for ex in "${examples[@]}"; do
  name="$(basename "$ex"): $(head -n 1 "$ex")"
  "${cc[@]}" "${flags[@]}" -c "$ex" -o "${ex%.c}.o" ||
    fail "docs/runtime.md example does not compile: $name"
  if grep -q '^int main(' "$ex"; then
    "${cc[@]}" -o "${ex%.c}" "${ex%.c}.o" "$tmp/app_schema.o" "$libcli" "$libmigc" \
      -L"$(pg_config --libdir)" -lpq -pthread ||
      fail "docs/runtime.md example does not link: $name"
  fi
done

# Every code and every exported function appears in the guide.
missing=""
while read -r code; do
  grep -q "MIGC_$code\b" "$doc" || missing+=" MIGC_$code"
done < <(sed -n 's/^ *X(\([A-Z_]*\), *[0-9]*,.*/\1/p' "$header")
[ -n "$(sed -n 's/^ *X(\([A-Z_]*\), *[0-9]*,.*/\1/p' "$header")" ] ||
  fail "no code found in MIGC_CODE_MAP of $header"
while read -r fn; do
  grep -q "\b$fn()" "$doc" || missing+=" $fn()"
done < <(tr '\n' ' ' <"$header" | grep -o 'MIGC_API [a-z][^(;#]*(' |
  sed 's/.*[ *]\([a-z_0-9]*\)($/\1/' | sort -u)
[ -z "$missing" ] || fail "docs/runtime.md does not mention:$missing"
echo "docs/runtime.md: ${#examples[@]} C examples compile; every code and call is named"
[ "$run" = run ] || exit 0

# The example whose first line names FILE.
example() {
  local ex
  for ex in "${examples[@]}"; do
    if head -n 1 "$ex" | grep -q "^/\* $1:"; then
      echo "${ex%.c}"
      return
    fi
  done
  fail "no example $1 in $doc"
}
app=$(example main.c)
workers=$(example workers.c)
pgtest_createdb doc_runtime
DATABASE_URL=$PGTEST_DB "$app" >"$tmp/up1" 2>&1 ||
  { cat "$tmp/up1"; fail "the start-up example failed on a fresh database"; }
grep -qx "app: applied 2 migrations, 0 packs" "$tmp/up1" ||
  { cat "$tmp/up1"; fail "the start-up example did not apply both migrations"; }
grep -qx "app: applying 001_accounts.sql (1/2)" "$tmp/up1" ||
  { cat "$tmp/up1"; fail "the start-up example's events are missing"; }
DATABASE_URL=$PGTEST_DB "$app" >"$tmp/up2" 2>&1 ||
  { cat "$tmp/up2"; fail "the start-up example failed the second time"; }
[ ! -s "$tmp/up2" ] || { cat "$tmp/up2"; fail "the second start said something"; }
(unset PGHOST PGDATABASE; "$app") >"$tmp/nourl" 2>&1 &&
  fail "the start-up example started without DATABASE_URL"
grep -qx "app: DATABASE_URL is not set" "$tmp/nourl" ||
  { cat "$tmp/nourl"; fail "no message without DATABASE_URL"; }
"$workers" "$PGTEST_DB" >"$tmp/workers" 2>&1 ||
  { cat "$tmp/workers"; fail "the threads example failed"; }
echo "docs/runtime.md: the start-up and threads examples ran against a database"

#!/usr/bin/env bash
# doc_runtime.sh: docs/runtime.md stays true to include/migc.h.
#   doc_runtime.sh CC SOURCE_DIR MIGC LIBMIGC
# CC is the build's C compiler with its sanitizer flags, SOURCE_DIR the
# project root, MIGC the generator, LIBMIGC the static runtime library;
# libpq is found with pg_config.
#  1. every ```c block of the page compiles on its own with -Werror against
#     migc.h and an app_schema.h generated from the consumer project's
#     migrations; a block with a main() links with libmigc and libpq;
#  2. the page names every status code of MIGC_CODE_MAP and every function
#     the header exports (a code or a call added to migc.h needs its words
#     in the guide).
set -euo pipefail
read -r -a cc <<<"$1"
src=$2 migc=$3 libmigc=$4
doc=$src/docs/runtime.md
header=$src/include/migc.h
tmp=$(mktemp -d "${TMPDIR:-/tmp}/doc_runtime.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
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
    "${cc[@]}" -o "${ex%.c}" "${ex%.c}.o" "$tmp/app_schema.o" "$libmigc" \
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

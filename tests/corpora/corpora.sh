#!/usr/bin/env bash
# corpora.sh: migc on one real migration chain (docs/corpora.md).
#
# usage: corpora.sh MIGC CC CORPORA CHAIN EXPECTED INCLUDE [--compile-prefix]
#   CORPORA   the folder of chains (CORPORA/CHAIN/{migrations,up.order,...});
#             when CORPORA/CHAIN is absent the test is skipped (exit 77)
#   EXPECTED  the error and warning lines `migc check` reports on the whole
#             chain (downs included), paths relative to the chain folder;
#             MIGC_UPDATE_EXPECTED=1 rewrites it instead of comparing
#   --compile-prefix  compile only the first prefix_files up migrations of
#             CHAIN/PREFIX (copied to a temporary folder), the part of the
#             chain PostgreSQL 15 parses
#
# Checks, in order:
#   a. `migc list --no-down`: the names column equals up.order, line for line
#   b. `migc check` (with downs): error and warning lines equal EXPECTED, and
#      the exit status is 1 when EXPECTED holds an error, else 0
#   c. `migc compile --no-down` exits 0 and its C compiles with
#      CC -std=c11 -Wall -Wextra -Wpedantic -Werror
#   d. the up statements counted by `list` plus the BEGIN/COMMIT pairs migc
#      leaves out of wrapped files equal the count in CORPORA/README.md
set -u
export LC_ALL=C NO_COLOR=1

fail() {
  printf 'corpora.sh: %s: FAIL: %s\n' "${chain:-?}" "$*" >&2
  exit 1
}

[ $# -eq 6 ] || [ $# -eq 7 ] ||
  fail "usage: corpora.sh MIGC CC CORPORA CHAIN EXPECTED INCLUDE [--compile-prefix]"
migc=$1 cc=$2 corpora=$3 chain=$4 expected=$5 include=$6
prefix_only=0
if [ $# -eq 7 ]; then
  [ "$7" = --compile-prefix ] || fail "unknown option $7"
  prefix_only=1
fi
case $migc in /*) ;; *) migc=$PWD/$migc ;; esac
case $include in /*) ;; *) include=$PWD/$include ;; esac
case $expected in /*) ;; *) expected=$PWD/$expected ;; esac

dir=$corpora/$chain
if [ ! -d "$dir/migrations" ] || [ ! -f "$dir/up.order" ]; then
  echo "corpora.sh: SKIP: no chain $chain in $corpora (set MIGC_CORPORA_DIR)"
  exit 77
fi
corpora=$(cd "$corpora" && pwd) || fail "cannot enter $corpora"
dir=$corpora/$chain
cd "$dir" || fail "cannot enter $dir"

work=$(mktemp -d "${TMPDIR:-/tmp}/migc-corpora-$chain.XXXXXX") ||
  fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT

# ---- a. order -------------------------------------------------------------
# The exit status is 1 when an up script does not parse (lemmy); the list is
# printed all the same.
"$migc" list migrations --no-down >"$work/list.tsv" 2>"$work/list.err"
rc=$?
[ $rc -le 1 ] || { cat "$work/list.err" >&2; fail "migc list exited $rc"; }
awk 1 up.order >"$work/up.order"
cut -f2 "$work/list.tsv" >"$work/names"
diff -u "$work/up.order" "$work/names" >"$work/order.diff" ||
  { head -40 "$work/order.diff" >&2; fail "migc list order differs from up.order"; }
files=$(wc -l <"$work/names")
echo "a. order: $files up migrations in the order of up.order"

# ---- b. diagnostics -------------------------------------------------------
"$migc" check migrations >"$work/check.out" 2>&1
rc=$?
[ $rc -le 1 ] || { cat "$work/check.out" >&2; fail "migc check exited $rc"; }
grep -E '^[^ ]+: (error|warning): ' "$work/check.out" >"$work/diags"
notes=$(grep -cE '^[^ ]+: note: ' "$work/check.out")
if [ "${MIGC_UPDATE_EXPECTED:-0}" = 1 ]; then
  cp "$work/diags" "$expected" || fail "cannot write $expected"
  echo "b. diagnostics: wrote $expected"
fi
[ -f "$expected" ] || fail "no expected file $expected"
diff -u "$expected" "$work/diags" >"$work/diags.diff" ||
  { cat "$work/diags.diff" >&2; fail "migc check: errors and warnings differ from $expected"; }
errors=$(grep -c ': error: ' "$expected")
warnings=$(grep -c ': warning: ' "$expected")
want=0
[ "$errors" -eq 0 ] || want=1
[ $rc -eq $want ] || fail "migc check exited $rc, expected $want"
echo "b. diagnostics: $errors errors, $warnings warnings as expected ($notes notes), exit $rc"

# ---- c. compile -----------------------------------------------------------
src=migrations
if [ $prefix_only = 1 ]; then
  [ -f PREFIX ] || fail "--compile-prefix: no PREFIX file"
  n=$(awk -F'\t' '$1 == "prefix_files" { print $2 }' PREFIX)
  case $n in '' | *[!0-9]*) fail "PREFIX: no prefix_files count" ;; esac
  src=$work/prefix
  mkdir -p "$src" || fail "cannot create $src"
  # A folder layout (diesel: V_x/up.sql) copies the whole folder.
  head -n "$n" "$work/up.order" | while IFS= read -r entry; do
    cp -R "migrations/${entry%%/*}" "$src/" || exit 1
  done || fail "cannot copy the first $n migrations to $src"
  echo "c. compile: the first $n up migrations (PREFIX), copied to a temporary folder"
fi
mkdir -p "$work/out" || fail "cannot create $work/out"
sym=corpora_${chain}_schema
"$migc" compile "$src" -o "$work/out/$sym.c" --header "$work/out/$sym.h" \
  --name "$sym" --no-down >"$work/compile.out" 2>&1
rc=$?
[ $rc -eq 0 ] ||
  { grep -vE ': note: ' "$work/compile.out" | head -20 >&2; fail "migc compile --no-down exited $rc"; }
"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include" -I"$work/out" \
  -c "$work/out/$sym.c" -o "$work/out/$sym.o" ||
  fail "$cc: the generated C does not compile cleanly"
echo "c. compile: migc compile --no-down exit 0; $cc -std=c11 -Wall -Wextra -Wpedantic -Werror exit 0 ($(wc -c <"$work/out/$sym.c") bytes of C)"

# ---- d. statements --------------------------------------------------------
# list's column 3 counts the statements migc runs; a `wrapped` file's own
# BEGIN and COMMIT are left out, the corpora README counts every statement
# libpg_query parses in the up files (a file that does not parse: 0).
stmts=$(awk -F'\t' '{ s += $3 } END { print s + 0 }' "$work/list.tsv")
wrapped=$(awk -F'\t' '$4 ~ /(^|,)wrapped(,|$)/' "$work/list.tsv" | wc -l)
parsed=$((stmts + 2 * wrapped))
readme=
if [ -f "$corpora/README.md" ]; then
  readme=$(awk -F'|' -v c="$chain" '
    { gsub(/ /, "", $2) } $2 == c { v = $5; gsub(/[ ,]/, "", v); print v; exit }
  ' "$corpora/README.md")
fi
case $readme in
'' | *[!0-9]*)
  echo "d. statements: $stmts run by migc (+ $wrapped BEGIN/COMMIT pairs left out); no count in the corpora README" ;;
*)
  [ "$parsed" -eq "$readme" ] ||
    fail "statements: $stmts run + 2 x $wrapped left out = $parsed, the corpora README says $readme"
  echo "d. statements: $stmts run by migc + 2 x $wrapped BEGIN/COMMIT left out = $parsed = corpora README" ;;
esac
echo "corpora.sh: $chain: ok"

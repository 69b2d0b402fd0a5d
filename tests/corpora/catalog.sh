#!/usr/bin/env bash
# catalog.sh: migc's static catalog on one real migration chain
# (docs/corpora.md): `migc schema` of the chain must print the tables,
# columns, indexes and constraints it prints for the chain's pg_dump.
#
# usage: catalog.sh MIGC CORPORA CHAIN EXPECTED
#   CORPORA   the folder of chains; when CORPORA/CHAIN is absent the test is
#             skipped (exit 77)
#   EXPECTED  the lines known to differ: `-LINE` printed for the dump only,
#             `+LINE` for the chain only; lines starting with # say why. An
#             absent file means none: the two must agree exactly.
#             MIGC_UPDATE_EXPECTED=1 rewrites it instead of comparing,
#             keeping its # lines (and removes it when they agree).
#
# The chain side is `migc schema --no-down` on CHAIN/migrations or, when
# CHAIN/PREFIX says only the first prefix_files up migrations apply on
# PostgreSQL 15, on a temporary copy of those (in up.order; a folder layout
# such as diesel's V_x/up.sql copies the whole folder). The dump side is
# `migc schema` on a temporary folder holding CHAIN/expected_schema.sql (or
# expected_schema.prefix.sql) as 001_schema.sql, without the lines starting
# with a backslash (pg_dump's \restrict). Both runs must exit 0 and report
# no error; the lines of kinds table, column, index and constraint are
# compared, LC_ALL=C sorted.
set -u
export LC_ALL=C NO_COLOR=1

fail() {
  printf 'catalog.sh: %s: FAIL: %s\n' "${chain:-?}" "$*" >&2
  exit 1
}

[ $# -eq 4 ] || fail "usage: catalog.sh MIGC CORPORA CHAIN EXPECTED"
migc=$1 corpora=$2 chain=$3 expected=$4
case $migc in /*) ;; *) migc=$PWD/$migc ;; esac
case $expected in /*) ;; *) expected=$PWD/$expected ;; esac

dir=$corpora/$chain
if [ ! -d "$dir/migrations" ] || [ ! -f "$dir/up.order" ]; then
  echo "catalog.sh: SKIP: no chain $chain in $corpora (set MIGC_CORPORA_DIR)"
  exit 77
fi
cd "$dir" || fail "cannot enter $dir"

work=$(mktemp -d "${TMPDIR:-/tmp}/migc-catalog-$chain.XXXXXX") ||
  fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT

# ---- the chain, or its prefix ----------------------------------------------
src=migrations dump=expected_schema.sql what="the whole chain"
if [ -f PREFIX ]; then
  n=$(awk -F'\t' '$1 == "prefix_files" { print $2 }' PREFIX)
  case $n in '' | *[!0-9]*) fail "PREFIX: no prefix_files count" ;; esac
  src=$work/prefix dump=expected_schema.prefix.sql
  what="the first $n up migrations (PREFIX)"
  mkdir "$src" || fail "cannot create $src"
  awk 1 up.order | head -n "$n" | while IFS= read -r entry; do
    cp -R "migrations/${entry%%/*}" "$src/" || exit 1
  done || fail "cannot copy the first $n migrations to $src"
fi
[ -f "$dump" ] || fail "no $dump"
mkdir "$work/dump" || fail "cannot create $work/dump"
grep -v '^[\]' "$dump" >"$work/dump/001_schema.sql"

# schema SIDE ARGS...: migc schema into $work/SIDE.{out,err,lines}; it must
# exit 0 and report no error.
schema() {
  local side=$1
  shift
  "$migc" schema "$@" >"$work/$side.out" 2>"$work/$side.err"
  local rc=$?
  if [ $rc -ne 0 ] || grep -q ': error: ' "$work/$side.err"; then
    grep ': error: ' "$work/$side.err" | head -20 >&2
    fail "migc schema $* exited $rc"
  fi
  grep -E '^(table|column|index|constraint) ' "$work/$side.out" |
    sort >"$work/$side.lines"
}
schema chain --no-down "$src"
schema dump --layout plain "$work/dump"
[ -s "$work/dump.lines" ] || fail "migc schema printed nothing for $dump"

# -LINE: the dump's only; +LINE: the chain's only.
{
  comm -23 "$work/dump.lines" "$work/chain.lines" | sed 's/^/-/'
  comm -13 "$work/dump.lines" "$work/chain.lines" | sed 's/^/+/'
} | sort -k1.2 >"$work/differ"

lines=$(wc -l <"$work/dump.lines")
if [ "${MIGC_UPDATE_EXPECTED:-0}" = 1 ]; then
  if [ -s "$work/differ" ]; then
    { grep '^#' "$expected" 2>/dev/null; cat "$work/differ"; } >"$work/new"
    cp "$work/new" "$expected" || fail "cannot write $expected"
    echo "catalog.sh: $chain: wrote $expected"
  else
    rm -f "$expected"
  fi
fi
if [ -f "$expected" ]; then
  grep -v '^#' "$expected" >"$work/expected"
  diff -u "$work/expected" "$work/differ" >"$work/differ.diff" || {
    cat "$work/differ.diff" >&2
    fail "the lines where the catalogs differ are not those of $expected" \
      "(-LINE: the dump's only, +LINE: the chain's only)"
  }
  echo "catalog.sh: $chain: $what and $dump: $lines catalog lines," \
    "$(wc -l <"$work/differ") known to differ (expected/$(basename "$expected"))"
else
  [ ! -s "$work/differ" ] || {
    cat "$work/differ" >&2
    fail "the catalogs differ (-LINE: $dump only, +LINE: the chain only)"
  }
  echo "catalog.sh: $chain: $what and $dump: $lines catalog lines agree"
fi
echo "catalog.sh: $chain: ok"

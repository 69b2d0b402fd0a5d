#!/usr/bin/env bash
# determinism.sh: the same migrations give the same output bytes, whatever
# the working directory, the spelling of the paths, the output location and
# the order in which the file system lists the files.
#
# usage: determinism.sh MIGC PROJECT_DIR WORKDIR
# Compiles PROJECT_DIR/migrations (with the packs beside it, and the
# archived originals of its baselines) three times:
#   a: from PROJECT_DIR, as "migrations", into WORKDIR/a
#   b: from WORKDIR, as an absolute path with --source-root, into WORKDIR/b
#   c: a copy whose files were created in reverse order, into WORKDIR/c
# and compares the outputs with cmp.
set -u
. "$(dirname "$0")/common.sh"

[ $# -eq 3 ] || fail "usage: determinism.sh MIGC PROJECT_DIR WORKDIR"
migc=$1 project=$(cd "$2" && pwd) work=$3
rm -rf "$work" && mkdir -p "$work/a" "$work/b" "$work/c/src/migrations" ||
  fail "cannot create $work"
work=$(cd "$work" && pwd)
args=(--name project_schema)

(cd "$project" && exec "$migc" compile migrations -o "$work/a/schema.c" \
  --header "$work/a/schema.h" "${args[@]}") || fail "run a failed"
(cd "$work" && exec "$migc" compile "$project/migrations/" -o b/schema.c \
  --header b/schema.h --source-root "$project" "${args[@]}") ||
  fail "run b failed"
# Files created newest-name-first, so readdir order likely differs (the
# archive of a baseline's originals, squashed/<V>/, likewise).
(cd "$project/migrations" && find . -mindepth 1 -type d | sort -r) |
  while read -r d; do
    mkdir -p "$work/c/src/migrations/$d" || fail "cannot create $d"
  done
(cd "$project/migrations" && find . -type f | sort -r) | while read -r f; do
  cp -p "$project/migrations/$f" "$work/c/src/migrations/$f" ||
    fail "cannot copy $f"
done
# The packs beside the migrations (read by default) likewise, folders and
# files in reverse order.
if [ -d "$project/packs" ]; then
  (cd "$project" && find packs -type d | sort -r) | while read -r d; do
    mkdir -p "$work/c/src/$d" || fail "cannot create $d"
  done
  (cd "$project" && find packs -type f | sort -r) | while read -r f; do
    cp -p "$project/$f" "$work/c/src/$f" || fail "cannot copy $f"
  done
fi
(cd "$work/c/src" && exec "$migc" compile ./migrations -o ../schema.c \
  --header ../schema.h "${args[@]}") || fail "run c failed"

[ -s "$work/a/schema.c" ] || fail "run a wrote no source"
for run in b c; do
  for f in schema.c schema.h; do
    cmp "$work/a/$f" "$work/$run/$f" ||
      { diff -u "$work/a/$f" "$work/$run/$f" | head -40 >&2
        fail "$f of run $run differs from run a"; }
  done
done
# No absolute path of this machine leaks into the output.
for dir in "$project" "$work"; do
  if grep -F -- "$dir" "$work/a/schema.c" "$work/a/schema.h" >&2; then
    fail "the output contains $dir"
  fi
done
echo "determinism.sh: ok ($(wc -c <"$work/a/schema.c") bytes, 3 runs identical)"

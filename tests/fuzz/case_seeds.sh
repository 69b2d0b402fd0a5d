#!/usr/bin/env bash
# case_seeds.sh KIND CASES OUT: seed inputs for a fuzz target taken from the
# golden cases (tests/gen/cases), so the seeds follow the cases as they
# change; OUT is made afresh, one file per input (libFuzzer drops the
# duplicates).
#   names       each file and folder name in a case's migrations folder
#   directives  each migration script
#   lock        each lock file
#   layout      each migrations folder as a listing (fuzz_layout.c's format)
set -euo pipefail
kind=$1 cases=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
i=0
next() { i=$((i + 1)); f="$out/$kind-$i"; } # the next seed's file, in $f
shopt -s nullglob
for m in "$cases"/*/migrations; do
  [ -d "$m" ] || continue
  case $kind in
  names)
    for p in "$m"/* "$m"/*/*; do next; printf '%s' "${p##*/}" >"$f"; done ;;
  directives)
    while IFS= read -r -d '' s; do next; cp "$s" "$f"; done \
      < <(find "$m" -type f -name '*.sql' -print0) ;;
  lock)
    if [ -f "$m/migc.lock" ]; then next; cp "$m/migc.lock" "$f"; fi ;;
  layout)
    next
    (cd "$m" && find . -mindepth 1 \( -type f -o -type d -empty \) | sort |
      while IFS= read -r p; do
        p=${p#./}
        [ -d "$p" ] && p="$p/"
        case $p in
        */metadata.toml | *.sql.conf) printf '%s\t%s\n' "$p" "$(grep -v '^#' "$p" | tr '\n' ' ')" ;;
        *) printf '%s\n' "$p" ;;
        esac
      done) >"$f" ;;
  *) echo "case_seeds.sh: unknown kind $kind" >&2; exit 2 ;;
  esac
done
# Layouts forced on a listing of another: the refusal paths.
if [ "$kind" = layout ]; then
  for l in plain up-down diesel prisma postgrator flyway; do
    next
    printf -- '--layout=%s\n001_a.sql\n002_b.up.sql\n003.do.c.sql\n' "$l" >"$f"
  done
fi
echo "case_seeds.sh: $i $kind seeds in $out"

#!/usr/bin/env bash
# architecture.sh: docs/architecture.md names every source file of gen/ and
# runtime/, so that the map a newcomer reads cannot fall behind the tree.
#   architecture.sh SOURCE_DIR
set -u
src=$1
doc=$src/docs/architecture.md
missing=0
for f in "$src"/gen/*.[ch] "$src"/gen/*.re "$src"/gen/rules/*.[ch] "$src"/runtime/*.[ch]; do
  name=${f##*/}
  stem=${name%.*}
  # "file.c", "file.[ch]", "rules/*.c" (the rule families) all count
  if ! grep -qF -e "$stem.c" -e "$stem.h" -e "$stem.[ch]" -e "$stem.re" "$doc" &&
    ! { [[ $f == */gen/rules/*.c ]] && grep -qF 'rules/*.c' "$doc"; }; then
    echo "architecture.sh: docs/architecture.md does not name ${f#"$src"/}" >&2
    missing=$((missing + 1))
  fi
done
[ "$missing" = 0 ] || exit 1
echo "architecture.sh: every file of gen/ and runtime/ is on the map"

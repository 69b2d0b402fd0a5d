#!/usr/bin/env bash
# symbols.sh: the installed libraries define no global symbol but their API:
# every name they define starts with migc_ or MIGC_ and is declared in
# migc.h (internals are local, hidden or static); every migc_ name one of
# them needs from outside itself is declared there too (libmigc_cli uses
# libmigc through migc.h alone). Static archives and shared objects alike.
#   symbols.sh MIGC_H LIBRARY...
set -euo pipefail
header=$1
shift
status=0

# A name migc.h declares: a function or an object, not a word in a comment.
declared() {
  grep -Eq "(^|[^A-Za-z0-9_])$1 *(\(|\[|;)" "$header"
}

# defined LIBRARY: the global symbols it defines (for a shared object, those
# of its symbol table and of its dynamic one).
defined() {
  { nm -g --defined-only "$1"
    case $1 in *.so*) nm -D --defined-only "$1" ;; esac
  } | awk 'NF == 3 { print $3 }' | sed 's/@.*//' | sort -u
}

for lib in "$@"; do
  name=$(basename "$lib")
  names=$(defined "$lib")
  [ -n "$names" ] || { echo "FAIL $name: defines no global symbol" >&2; status=1; }
  for sym in $names; do
    case $sym in
      migc_* | MIGC_*)
        declared "$sym" ||
          { echo "FAIL $name: $sym is global but not declared in migc.h" >&2; status=1; } ;;
      *) echo "FAIL $name: global symbol $sym lacks the migc_ prefix" >&2; status=1 ;;
    esac
  done
  for sym in $(nm -u "$lib" | awk '$1 == "U" { print $2 }' | sed 's/@.*//' |
               grep -E '^(migc_|MIGC_)' | sort -u); do
    declared "$sym" ||
      { echo "FAIL $name: needs $sym, which migc.h does not declare" >&2; status=1; }
  done
  echo "$name: $(echo "$names" | wc -w) global symbols:" $names
done
exit $status

#!/usr/bin/env bash
# runtime_state.sh: libmigc keeps no mutable state of its own, the ground of
# docs/runtime.md's thread-safety ("Threads"): no object of the library has
# a writable data section (.data, .bss, or their thread-local kin) or a
# common symbol; its tables are const (.rodata, .data.rel.ro).
#   runtime_state.sh LIBMIGC
set -euo pipefail
lib=$1
found=$(objdump -h "$lib" | awk '
  / file format / { member = $1 }
  $2 ~ /^\.(data|bss|tdata|tbss)$/ && $3 !~ /^0+$/ { print member " " $2 " " $3 }')
common=$(nm -A "$lib" | awk '$(NF-1) == "C"')
if [ -n "$found" ] || [ -n "$common" ]; then
  echo "runtime_state.sh: FAIL: libmigc has writable state (a static or global" \
    "variable that is not const); docs/runtime.md says it has none:" >&2
  printf '%s\n' "$found" "$common" >&2
  exit 1
fi
echo "libmigc: no writable data section in $(ar t "$lib" | wc -l) objects"

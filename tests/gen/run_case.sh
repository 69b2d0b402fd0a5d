#!/usr/bin/env bash
# run_case.sh: one golden command-line case of the generator.
#
# usage: run_case.sh MIGC CASE_DIR WORKDIR
#
# CASE_DIR holds migrations/ (the input; may be absent), expected (the exact
# stderr), exit (the exit code) and optionally setup (run with the work copy
# as argument). The case is copied to WORKDIR, where
#   MIGC compile migrations -o out/schema.c --header out/schema.h \
#        --name test_schema
# runs, so that paths in messages read migrations/...; stderr must equal
# expected byte for byte, stdout must be empty, the exit code must match; a
# failed run must leave out/ empty, a clean one must write both files.
#
# Optional, for other commands and options:
#   command          the arguments of MIGC instead of the default ones,
#                    words separated by blanks or line breaks (no quoting),
#                    e.g. "list migrations" or "compile migrations --no-down
#                    -o out/schema.c --header out/schema.h --name test_schema"
#   expected_stdout  exact stdout (absent: stdout must be empty)
# out/ is checked as above when the command is compile; any other command
# must leave out/ empty.
#
# MIGC_UPDATE_GOLDEN=1 rewrites CASE_DIR/expected, CASE_DIR/expected_stdout
# and CASE_DIR/exit from this run instead of failing on a difference; every
# rewrite is printed with its diff. The out/ checks apply either way.
set -u
. "$(dirname "$0")/common.sh"

[ $# -eq 3 ] || fail "usage: run_case.sh MIGC CASE_DIR WORKDIR"
migc=$1 case_dir=$2 work=$3
[ -x "$migc" ] || fail "not an executable: $migc"
case $migc in /*) ;; *) migc=$PWD/$migc ;; esac # it runs from WORKDIR
case_name=${case_dir%/}
case_name=${case_name##*/}

prepare_copy "$case_dir" "$work"
rm -rf "$work/out" "$work/.stderr" "$work/.stdout"
mkdir "$work/out" || fail "cannot create $work/out"

args=(compile migrations -o out/schema.c --header out/schema.h
      --name test_schema)
if [ -f "$case_dir/command" ]; then
  read -r -d '' -a args <"$case_dir/command"
  [ ${#args[@]} -gt 0 ] || fail "$case_dir/command is empty"
fi
(cd "$work" && exec "$migc" "${args[@]}") >"$work/.stdout" 2>"$work/.stderr"
rc=$?

status=0
update=${MIGC_UPDATE_GOLDEN:-0}

# stderr against expected
if [ -f "$case_dir/expected" ] && cmp -s "$case_dir/expected" "$work/.stderr"; then
  :
elif [ "$update" = 1 ]; then
  if [ -f "$case_dir/expected" ]; then
    diff -u --label expected --label actual "$case_dir/expected" "$work/.stderr" >&2
  else
    echo "run_case.sh: $case_name: new expected file:" >&2
    cat "$work/.stderr" >&2
  fi
  cp "$work/.stderr" "$case_dir/expected" || fail "cannot write $case_dir/expected"
  echo "run_case.sh: $case_name: UPDATED $case_dir/expected" >&2
else
  echo "run_case.sh: $case_name: stderr differs from $case_dir/expected:" >&2
  if [ -f "$case_dir/expected" ]; then
    diff -u --label expected --label actual "$case_dir/expected" "$work/.stderr" >&2
  else
    echo "  (no expected file; actual stderr follows)" >&2
    cat "$work/.stderr" >&2
  fi
  status=1
fi

# exit code against exit
want_rc=$(cat "$case_dir/exit" 2>/dev/null)
if [ "$want_rc" = "$rc" ]; then
  :
elif [ "$update" = 1 ]; then
  echo "$rc" >"$case_dir/exit" || fail "cannot write $case_dir/exit"
  echo "run_case.sh: $case_name: UPDATED $case_dir/exit: ${want_rc:-(none)} -> $rc" >&2
else
  echo "run_case.sh: $case_name: exit code $rc, expected ${want_rc:-(no exit file)}" >&2
  status=1
fi

# stdout against expected_stdout (absent: empty)
want_out=$case_dir/expected_stdout
if [ -f "$want_out" ] && cmp -s "$want_out" "$work/.stdout"; then
  :
elif [ ! -f "$want_out" ] && [ ! -s "$work/.stdout" ]; then
  :
elif [ "$update" = 1 ]; then
  old_out=$want_out
  [ -f "$old_out" ] || old_out=/dev/null
  diff -u --label expected_stdout --label actual "$old_out" "$work/.stdout" >&2
  if [ -s "$work/.stdout" ]; then
    cp "$work/.stdout" "$want_out" || fail "cannot write $want_out"
  else
    rm -f "$want_out" || fail "cannot remove $want_out"
  fi
  echo "run_case.sh: $case_name: UPDATED $want_out" >&2
else
  if [ -f "$want_out" ]; then
    echo "run_case.sh: $case_name: stdout differs from $want_out:" >&2
    diff -u --label expected_stdout --label actual "$want_out" \
      "$work/.stdout" >&2
  else
    echo "run_case.sh: $case_name: unexpected output on stdout:" >&2
    cat "$work/.stdout" >&2
  fi
  status=1
fi

# Output files: nothing after a failure or from a command other than
# compile, both files after a clean compile.
if [ "$rc" -ne 0 ] || [ "${args[0]}" != compile ]; then
  if [ -n "$(ls -A "$work/out")" ]; then
    echo "run_case.sh: $case_name: exit $rc of ${args[0]} left files in out/:" >&2
    ls -lA "$work/out" >&2
    status=1
  fi
else
  for f in schema.c schema.h; do
    if [ ! -s "$work/out/$f" ]; then
      echo "run_case.sh: $case_name: clean run did not write out/$f" >&2
      status=1
    fi
  done
  extra=$(ls -A "$work/out" | grep -vx -e schema.c -e schema.h)
  if [ -n "$extra" ]; then
    echo "run_case.sh: $case_name: unexpected files in out/: $extra" >&2
    status=1
  fi
fi

[ $status -eq 0 ] && echo "run_case.sh: $case_name: ok (exit $rc)"
exit $status

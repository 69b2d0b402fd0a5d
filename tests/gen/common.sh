# common.sh: helpers shared by the generator test scripts. Sourced, not run.

export LC_ALL=C

# fail MESSAGE...: report and exit non-zero.
fail() {
  printf '%s: FAIL: %s\n' "${0##*/}" "$*" >&2
  exit 1
}

# prepare_copy SRC WORK: a fresh WORK holding a copy of SRC, then SRC/setup
# (if any) run with WORK as its argument to create the inputs that cannot
# live in git (NUL bytes, invalid UTF-8, CRLF, huge files, empty dirs).
prepare_copy() {
  local src=$1 work=$2
  [ -d "$src" ] || fail "no such directory: $src"
  rm -rf "$work" || fail "cannot remove $work"
  mkdir -p "$work" || fail "cannot create $work"
  cp -R "$src/." "$work/" || fail "cannot copy $src to $work"
  if [ -f "$src/setup" ]; then
    bash "$src/setup" "$work" || fail "setup of $src failed"
  fi
}

#!/usr/bin/env bash
# interrupt.sh: a compile stopped by a signal while it writes leaves no
# temporary output behind (and no output): the C is streamed to
# OUT.c.tmp.XXXXXX beside OUT.c while the migrations are checked.
#
# usage: interrupt.sh MIGC
set -u
. "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || fail "usage: interrupt.sh MIGC"
migc=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/migc-interrupt.XXXXXX") || fail "mktemp"
trap 'rm -rf "$work"' EXIT

# Enough migrations that a compile takes a good part of a second.
mkdir "$work/migrations" || fail "mkdir"
awk -v dir="$work/migrations" 'BEGIN {
  for (i = 1; i <= 400; i++) {
    f = sprintf("%s/%04d_t%d.sql", dir, i, i)
    printf "CREATE TABLE t%d (id bigint PRIMARY KEY);\n", i > f
    for (k = 1; k <= 40; k++)
      printf "ALTER TABLE t%d ADD COLUMN c%d text;\n", i, k > f
    close(f)
  }
}'

# Job control: without it a background command starts with SIGINT ignored
# (and migc leaves an ignored signal ignored).
set -m

# stop SIGNAL: start a compile, wait for its temporary, send SIGNAL.
stop() {
  local sig=$1 pid rc tries=0
  rm -rf "$work/out" && mkdir "$work/out" || fail "mkdir out"
  "$migc" compile "$work/migrations" -o "$work/out/schema.c" \
    --header "$work/out/schema.h" --name s 2>"$work/stderr" &
  pid=$!
  until compgen -G "$work/out/schema.c.tmp.*" >/dev/null; do
    tries=$((tries + 1))
    [ $tries -lt 1000 ] || { kill -KILL $pid; fail "SIG$sig: no temporary appeared"; }
    sleep 0.01
  done
  kill -"$sig" $pid
  wait $pid
  rc=$?
  [ $rc -eq $((128 + $(kill -l "$sig"))) ] ||
    fail "SIG$sig: exit $rc, not death by the signal (finished first? make the chain longer)"
  [ -z "$(ls -A "$work/out")" ] || fail "SIG$sig: left behind: $(ls -A "$work/out")"
}

stop TERM
stop INT
stop HUP
# A crash removes it too (the signal is sent here; a real one runs the same
# handler, on an alternate stack when the stack ran out).
stop SEGV
stop ABRT
echo "interrupt.sh: ok (SIGTERM, SIGINT, SIGHUP, SIGSEGV, SIGABRT: nothing left in out/)"

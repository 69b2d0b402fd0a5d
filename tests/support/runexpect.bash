# runexpect.bash: running a command and checking what it printed, for the
# shell tests of the runtime's command line. Source it after $tmp is set
# (pgtest_tmpdir), then:
#
#   run NAME CMD...        run CMD; its stdout in $tmp/NAME.out, stderr in
#                          $tmp/NAME.err, exit code in $status
#   expect_status CODE     the last run exited CODE (else both streams shown)
#   expect out|err         the last run's stream, milliseconds and time
#                          stamps masked, equals stdin
#   fail MESSAGE           count a failure ($failures), naming the last run
#
# A script ends with: [ "$failures" = 0 ] || exit 1. Pipe into expect only
# with `shopt -s lastpipe`, or the failure is counted in a subshell.

# shellcheck disable=SC2034,SC2154 # status, failures: read by the caller; tmp: set by it
failures=0
fail() { echo "FAIL [${last:-}]: $*" >&2; failures=$((failures + 1)); }
run() {
  last=$1
  shift
  status=0
  "$@" >"$tmp/$last.out" 2>"$tmp/$last.err" || status=$?
}
expect_status() {
  [ "$status" = "$1" ] || {
    fail "exit code $status, expected $1"
    sed 's/^/  stdout: /' "$tmp/$last.out" >&2
    sed 's/^/  stderr: /' "$tmp/$last.err" >&2
  }
}
expect() {
  sed -E -e 's/\([0-9]+\.[0-9] ms\)/(N ms)/' \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.+-]+ +[0-9]+\.[0-9] ms/TIME N ms/' \
    "$tmp/$last.$1" >"$tmp/got"
  cat >"$tmp/want"
  diff -u "$tmp/want" "$tmp/got" >"$tmp/diff" || {
    fail "std$1 differs (- expected, + got):"
    cat "$tmp/diff" >&2
  }
}

#!/usr/bin/env bash
# bench.sh: how long `migc compile` takes on a real chain, against the floor
# of parsing the same files with libpg_query alone (parse_only). A timing
# harness, not a test: it prints medians and ratios and checks nothing.
#
# usage: tests/corpora/bench.sh [BUILD_DIR [CHAIN...]]
#   BUILD_DIR  a configured and built tree (default: build); needs
#              BUILD_DIR/gen/migc and BUILD_DIR/tests/corpora/parse_only
#   CHAIN      chains of MIGC_CORPORA_DIR (default: ../shared/corpora next to
#              the checkout); default: coder lemmy (the most files, the most
#              bytes of the two)
# Environment: BENCH_RUNS (default 20) runs per command after 3 warm-ups.
#
# Per chain, six commands (the same files on both sides of each ratio):
#   migc compile DIR (ups and downs)   vs  parse_only every .sql file of DIR
#   migc compile DIR --no-down         vs  parse_only the up files (up.order)
# and each parse_only again with --scan (parse, scan and unpack both results:
# all that migc asks of libpg_query), printed as "+scan".
# With hyperfine (Debian package `hyperfine`; installed here when running as
# root and apt is there) the medians are hyperfine's; without it, a loop of
# bash's `time`. A chain whose downs do not parse (lemmy) makes `compile`
# exit 1 after every check: nothing is emitted, and the line says so.
set -euo pipefail
export LC_ALL=C
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
[ $# -gt 0 ] && shift
chains=("$@")
[ ${#chains[@]} -gt 0 ] || chains=(coder lemmy)
case $build in /*) ;; *) build=$PWD/$build ;; esac
corpora=${MIGC_CORPORA_DIR:-$root/../shared/corpora}
runs=${BENCH_RUNS:-20}
migc=$build/gen/migc
parse_only=$build/tests/corpora/parse_only
for exe in "$migc" "$parse_only"; do
  [ -x "$exe" ] || { echo "bench.sh: no $exe: build first (ninja -C $build)" >&2; exit 2; }
done

if ! command -v hyperfine >/dev/null && [ "$(id -u)" = 0 ] &&
  command -v apt-get >/dev/null; then
  # lib.sh's installer, for this one package (in a subshell: it exits).
  # shellcheck source=SCRIPTDIR/../../scripts/lib.sh disable=SC2034
  (. "$root/scripts/lib.sh" && MIGC_PACKAGES=(hyperfine) && migc_install_deps) ||
    echo "bench.sh: hyperfine could not be installed; timing with bash's time" >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/migc-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# median_time NAME CMD...: prints the median wall time of CMD in seconds.
median_time() {
  local name=$1; shift
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --warmup 3 --runs "$runs" --ignore-failure \
      --export-csv "$work/$name.csv" -n "$name" -- "$(printf '%q ' "$@")" \
      >/dev/null 2>&1
    # command,mean,stddev,median,user,system,min,max
    awk -F, 'NR == 2 { print $4 }' "$work/$name.csv"
  else
    local i
    for i in 1 2 3; do "$@" >/dev/null 2>&1 || true; done
    for ((i = 0; i < runs; i++)); do
      { TIMEFORMAT=%R; time "$@" >/dev/null 2>&1 || true; } 2>>"$work/$name.times"
    done
    sort -n "$work/$name.times" |
      awk '{ t[NR] = $1 } END { m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; print m }'
  fi
}

ms() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

tool='time'
command -v hyperfine >/dev/null && tool="hyperfine $(hyperfine --version | cut -d' ' -f2)"
echo "bench.sh: $tool, $runs runs after 3 warm-ups, median wall time; $(nproc) CPUs"
for chain in "${chains[@]}"; do
  dir=$corpora/$chain
  [ -d "$dir/migrations" ] || { echo "bench.sh: no chain $dir" >&2; exit 2; }
  cd "$dir/migrations"
  mapfile -t all < <(find . -name '*.sql' | sort)
  mapfile -t ups < <(awk 1 ../up.order)
  bytes_all=$(cat "${all[@]}" | wc -c)
  bytes_ups=$(cat "${ups[@]}" | wc -c)
  out=$work/$chain
  mkdir -p "$out"
  rc_all=0
  "$migc" compile . -o "$out/s.c" --header "$out/s.h" --name s >/dev/null 2>&1 || rc_all=$?
  rc_up=0
  "$migc" compile . -o "$out/s.c" --header "$out/s.h" --name s --no-down >/dev/null 2>&1 || rc_up=$?

  c_all=$(median_time "$chain-compile" "$migc" compile . -o "$out/s.c" --header "$out/s.h" --name s)
  p_all=$(median_time "$chain-parse" "$parse_only" "${all[@]}")
  c_up=$(median_time "$chain-compile-nodown" "$migc" compile . -o "$out/s.c" --header "$out/s.h" --name s --no-down)
  p_up=$(median_time "$chain-parse-up" "$parse_only" "${ups[@]}")
  s_all=$(median_time "$chain-scan" "$parse_only" --scan "${all[@]}")
  s_up=$(median_time "$chain-scan-up" "$parse_only" --scan "${ups[@]}")

  note=
  [ $rc_all -eq 0 ] || note=" (exit $rc_all: errors in downs, nothing emitted)"
  printf '%s: ups and downs, %d files, %d bytes: migc compile %s%s, parse_only %s, ratio %s; +scan %s, ratio %s\n' \
    "$chain" ${#all[@]} "$bytes_all" "$(ms "$c_all")" "$note" "$(ms "$p_all")" \
    "$(ratio "$c_all" "$p_all")" "$(ms "$s_all")" "$(ratio "$c_all" "$s_all")"
  note=
  [ $rc_up -eq 0 ] || note=" (exit $rc_up: nothing emitted)"
  printf '%s: ups only, %d files, %d bytes: migc compile --no-down %s%s, parse_only %s, ratio %s; +scan %s, ratio %s\n' \
    "$chain" ${#ups[@]} "$bytes_ups" "$(ms "$c_up")" "$note" "$(ms "$p_up")" \
    "$(ratio "$c_up" "$p_up")" "$(ms "$s_up")" "$(ratio "$c_up" "$s_up")"
done

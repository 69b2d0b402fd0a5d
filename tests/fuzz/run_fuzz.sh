#!/usr/bin/env bash
# run_fuzz.sh FUZZER SEEDS WORK [--cases=KIND] [libFuzzer options...]: one
# bounded libFuzzer run. It starts from the committed seed corpus SEEDS,
# which stays read-only, and with --cases=KIND also from seeds made afresh
# from the golden cases (case_seeds.sh KIND): libFuzzer writes new inputs
# only to the first corpus folder, here a fresh WORK/new, so every run
# starts from the same corpus. A crash leaves its input in WORK/; commit it
# to SEEDS to replay it in every later run.
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3
shift 3
rm -rf "$work"
mkdir -p "$work/new"
corpora=("$work/new" "$seeds")
case ${1-} in
--cases=*)
  here=$(dirname "$0")
  bash "$here/case_seeds.sh" "${1#--cases=}" "$here/../gen/cases" \
    "$work/cases"
  corpora+=("$work/cases")
  shift ;;
esac
if ! "$fuzzer" "$@" -artifact_prefix="$work/" "${corpora[@]}"; then
  echo "run_fuzz.sh: $(basename "$fuzzer") failed; the input is in $work/" >&2
  echo "  replay: $fuzzer $work/<crash-file>; then add it to $seeds" >&2
  exit 1
fi

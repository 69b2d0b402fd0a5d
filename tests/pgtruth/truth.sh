#!/usr/bin/env bash
# truth.sh: one PostgreSQL-truth case, judged by the server the `pg` ctest
# fixture started: does migc's verdict on the chain agree with PostgreSQL 15's?
#   truth.sh MIGC CASE_DIR
# CASE_DIR holds migrations/ (sqlx layout: 0001_desc.sql, ...), `rule` (the
# rule id the case is about), `verdict` (`apply` or `refuse`) and optionally
# `setup`, a bash script run with the work copy as $1 for bytes git should
# not hold (invalid UTF-8). docs/truth.md has the format.
#
# migc: `migc check migrations --no-packs`, findings read from its text
# output (path:line:col: severity: message [rule]).
# PostgreSQL: a fresh UTF-8 database; each file in version order through
# psql, in one transaction (-1) unless its first line is
# `-- migc:no-transaction`; the first file the server refuses ends the chain.
# verdict apply:  the server applies every file, migc reports no error.
# verdict refuse: the server applies every file but the last and refuses the
#                 last; migc reports an error of RULE in the last file and no
#                 error in any earlier one.
set -euo pipefail
export LC_ALL=C NO_COLOR=1 PGCLIENTENCODING=UTF8
[ $# -eq 2 ] || {
  echo "usage: truth.sh MIGC CASE_DIR" >&2
  exit 2
}
migc=$1
[[ $migc != */* ]] || migc=$(cd "$(dirname "$migc")" && pwd)/$(basename "$migc")
case_dir=$(cd "$2" && pwd)
name=$(basename "$case_dir")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
pgtest_tmpdir
work=$PGTEST_TMP/case
cp -R "$case_dir" "$work"
[ -f "$work/setup" ] && bash "$work/setup" "$work"

fail() {
  echo "pgtruth $name: FAIL: $*" >&2
  exit 1
}

rule=$(tr -d ' \t\r\n' <"$work/rule")
verdict=$(tr -d ' \t\r\n' <"$work/verdict")
case $verdict in apply | refuse) ;; *) fail "verdict '$verdict' is neither apply nor refuse" ;; esac
mapfile -t files < <(cd "$work/migrations" && printf '%s\n' *.sql | sort -t_ -k1,1n)
[ -f "$work/migrations/${files[0]}" ] || fail "no migrations in $case_dir"
last=${files[${#files[@]} - 1]}

# ---- migc ------------------------------------------------------------------
set +e
migc_out=$(cd "$work" && "$migc" check migrations --no-packs 2>&1)
migc_rc=$?
set -e
[ "$migc_rc" -le 1 ] || fail "migc check exited $migc_rc:
$migc_out"

# errors[file] = the rules of its errors, space-separated; unplaced errors
# (no path of a migration) are kept apart.
declare -A errors=()
unplaced=""
re='^migrations/([^:/]+\.sql)(:[0-9]+:[0-9]+)?: error: .*\[([a-z0-9-]+)\]$'
while IFS= read -r line; do
  if [[ $line =~ $re ]]; then
    errors[${BASH_REMATCH[1]}]+=" ${BASH_REMATCH[3]}"
  elif [[ $line =~ ^[^[:space:]]*:\ error:\  ]]; then
    unplaced+="$line"$'\n'
  fi
done <<<"$migc_out"

# ---- PostgreSQL --------------------------------------------------------------
pgtest_createdb "truth_$name"
# [encoding] is a claim about a UTF-8 server (the fixture's initdb -E UTF8).
enc=$(pgtest_psql "$PGTEST_DB" -At -c 'SHOW server_encoding')
[ "$enc" = UTF8 ] || fail "the server's encoding is $enc, not UTF8"
applied=0
refused=""
server_msg=""
for f in "${files[@]}"; do
  opts=(-1)
  head -n1 "$work/migrations/$f" | grep -q '^-- migc:no-transaction' && opts=()
  if server_msg=$(PGOPTIONS='-c client_min_messages=warning' \
    pgtest_psql "$PGTEST_DB" "${opts[@]}" -f "$work/migrations/$f" 2>&1 >/dev/null); then
    applied=$((applied + 1))
  else
    refused=$f
    break
  fi
done

report() {
  echo "--- migc check (exit $migc_rc):"
  printf '%s\n' "${migc_out:-(no output)}"
  echo "--- server: applied $applied of ${#files[@]} file(s)${refused:+, refused $refused}:"
  printf '%s\n' "${server_msg:-(no message)}"
}

problems=()
[ -z "$unplaced" ] || problems+=("migc reports errors outside the migrations")
if [ "$verdict" = apply ]; then
  [ -z "$refused" ] || problems+=("the server refused $refused, the case says it applies")
  [ "$migc_rc" = 0 ] && [ ${#errors[@]} = 0 ] ||
    problems+=("migc reports an error where the server applies the chain")
else
  if [ -z "$refused" ]; then
    problems+=("the server applied every file, the case says it refuses $last")
  elif [ "$refused" != "$last" ]; then
    problems+=("the server refused $refused, not the last file $last")
  fi
  for f in "${files[@]}"; do
    [ "$f" = "$last" ] && continue
    [ -z "${errors[$f]:-}" ] || problems+=("migc reports an error in $f, before the last file")
  done
  [[ " ${errors[$last]:-} " == *" $rule "* ]] ||
    problems+=("migc reports no [$rule] error in $last")
fi

if [ ${#problems[@]} -gt 0 ]; then
  for p in "${problems[@]}"; do echo "pgtruth $name: FAIL: $p" >&2; done
  report >&2
  exit 1
fi
if [ "$verdict" = refuse ]; then
  msg=$(grep -m1 'ERROR:' <<<"$server_msg" || true)
  echo "pgtruth $name: refuse agreed: ${msg:-${server_msg%%$'\n'*}}"
else
  echo "pgtruth $name: apply agreed (${#files[@]} file(s))"
fi

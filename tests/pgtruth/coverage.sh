#!/usr/bin/env bash
# coverage.sh: every error-level rule is either confirmed by PostgreSQL-truth
# cases (at least one `refuse` and one `apply` case) or exempt, with a
# reason, as one of migc's own build contracts; so no error rule lands that
# the server has not confirmed.
#   coverage.sh DIAG_H RULES_DOC CASES_DIR EXEMPT_FILE TRUTH_DOC
# Rules and their default severities come from DIAG_RULE_MAP in DIAG_H
# (gen/diag.h); a rule is error-level when its default there is ERROR or
# when the "All rules" table of RULES_DOC (docs/rules.md) gives it an error
# form (`ledger-collision`: "error; warning"). Also fails on a malformed case, a case naming no rule of
# migc, an exemption of a rule that is not an error rule (stale), and an
# exemption TRUTH_DOC (docs/truth.md) does not name.
set -euo pipefail
export LC_ALL=C
[ $# -eq 5 ] || {
  echo "usage: coverage.sh DIAG_H RULES_DOC CASES_DIR EXEMPT_FILE TRUTH_DOC" >&2
  exit 2
}
diag_h=$1 rules_doc=$2 cases=$3 exempt_file=$4 doc=$5
problems=0
problem() {
  echo "coverage.sh: $*" >&2
  problems=$((problems + 1))
}

# X(NAME, "id", fixed, SEVERITY, ...) entries, continuation lines joined.
declare -A severity=()
while read -r id sev; do
  severity[$id]=$sev
done < <(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$diag_h" |
  grep -o 'X([A-Z_0-9]*, *"[a-z0-9-]*", *[01], *[A-Z]*' |
  sed -E 's/^X\([A-Z_0-9]*, *"([a-z0-9-]+)", *[01], *([A-Z]+)$/\1 \2/')
[ ${#severity[@]} -gt 20 ] || {
  echo "coverage.sh: read only ${#severity[@]} rules from $diag_h" >&2
  exit 1
}
# | [`id`](#id) | error; warning | fixed | text |
documented=0
while IFS='|' read -r _ link levels _; do
  [[ $link =~ \[\`([a-z0-9-]+)\`\] ]] || continue
  id=${BASH_REMATCH[1]}
  documented=$((documented + 1))
  [ -n "${severity[$id]:-}" ] || continue # unit.rule_coverage's business
  [[ $levels == *error* ]] && severity[$id]=ERROR
done < <(grep -E "^\\| \\[\`[a-z0-9-]+\`\\]\\(#" "$rules_doc")
[ "$documented" -gt 20 ] || {
  echo "coverage.sh: read only $documented rules from the table of $rules_doc" >&2
  exit 1
}

declare -A exempt=()
while IFS= read -r line; do
  [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
  id=${line%%[[:space:]]*}
  reason=${line#"$id"}
  reason=${reason#"${reason%%[![:space:]]*}"}
  [ -n "$reason" ] || problem "$exempt_file: '$id' is exempt without a reason"
  if [ "${severity[$id]:-}" != ERROR ]; then
    problem "$exempt_file: '$id' is not an error-level rule of DIAG_RULE_MAP; remove the exemption"
  fi
  grep -qF "\`$id\`" "$doc" || problem "$doc does not name the exemption of \`$id\`"
  exempt[$id]=1
done <"$exempt_file"

declare -A refuse=() apply=()
ncases=0
for dir in "$cases"/*/; do
  [ -d "$dir" ] || continue
  dir=${dir%/}
  name=${dir##*/}
  ncases=$((ncases + 1))
  if [ ! -f "$dir/rule" ] || [ ! -f "$dir/verdict" ]; then
    problem "case $name: needs the files rule and verdict"
    continue
  fi
  read -r id <"$dir/rule" || true
  read -r verdict <"$dir/verdict" || true
  [ -n "${severity[$id]:-}" ] || problem "case $name: '$id' is no rule of migc"
  compgen -G "$dir/migrations/*.sql" >/dev/null ||
    problem "case $name: no migrations/*.sql"
  case $verdict in
  refuse) refuse[$id]=$((${refuse[$id]:-0} + 1)) ;;
  apply) apply[$id]=$((${apply[$id]:-0} + 1)) ;;
  *) problem "case $name: verdict '$verdict' is neither apply nor refuse" ;;
  esac
done

checked=0
for id in $(printf '%s\n' "${!severity[@]}" | sort); do
  [ "${severity[$id]}" = ERROR ] || continue
  [ -z "${exempt[$id]:-}" ] || continue
  checked=$((checked + 1))
  [ "${refuse[$id]:-0}" -gt 0 ] ||
    problem "[$id] is an error rule with no 'refuse' truth case in $cases (or list it in $exempt_file with the reason it is not a PostgreSQL claim)"
  [ "${apply[$id]:-0}" -gt 0 ] ||
    problem "[$id] is an error rule with no 'apply' truth case (a near miss) in $cases"
done

[ "$problems" = 0 ] || exit 1
echo "coverage.sh: $checked error rules confirmed by $ncases truth cases, ${#exempt[@]} exempt"

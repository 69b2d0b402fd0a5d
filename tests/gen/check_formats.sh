#!/usr/bin/env bash
# check_formats.sh: `migc check` writes nothing, reports the same findings
# in text, json and sarif, and exits 0 clean / 1 errors / 2 usage.
#   check_formats.sh MIGC
set -euo pipefail
migc=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir bad good
printf 'CREATE TABLE a (id int);\n\nCREATE TABL b ();\n' >bad/001_a.sql
printf 'SELECT 1;\n' >bad/1_b.sql
printf 'CREATE TABLE a (id int);\n' >good/001_a.sql

set +e
"$migc" check good >out 2>err; rc=$?
set -e
[ $rc = 0 ] && [ ! -s out ] && [ ! -s err ] || fail "clean check: rc=$rc"

set +e
"$migc" check bad >out 2>err; rc=$?
set -e
[ $rc = 1 ] || fail "text: expected exit 1, got $rc"
cat >expected <<'TXT'
bad/001_a.sql:3:8: error: syntax error at or near "TABL" [syntax]
bad/1_b.sql: error: version 1 is also used by bad/001_a.sql (migc reads versions as numbers, so two spellings of one number are one version) [duplicate-version]
TXT
diff -u expected out || fail "text output differs"
[ "$(ls bad)" = "$(printf '001_a.sql\n1_b.sql')" ] || fail "check wrote a file"

set +e
"$migc" check bad --format=json >out.json; rc=$?
set -e
[ $rc = 1 ] || fail "json: expected exit 1"
python3 - out.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["errors"] == 2 and d["warnings"] == 0, d
r = [(x["path"], x["line"], x["column"], x["severity"], x["rule"]) for x in d["diagnostics"]]
assert r == [("bad/001_a.sql", 3, 8, "error", "syntax"),
             ("bad/1_b.sql", 0, 0, "error", "duplicate-version")], r
PY

set +e
"$migc" check bad --format=sarif >out.sarif; rc=$?
set -e
[ $rc = 1 ] || fail "sarif: expected exit 1"
python3 - out.sarif <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0"
run = d["runs"][0]
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
res = run["results"]
assert len(res) == 2
for r in res:
    assert rules[r["ruleIndex"]] == r["ruleId"]
    assert r["level"] == "error"
loc = res[0]["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "bad/001_a.sql"
assert loc["region"] == {"startLine": 3, "startColumn": 8}, loc
PY

# --excerpt never reaches json or sarif: the same bytes as without it.
for f in json sarif; do
    set +e
    "$migc" check bad --format=$f --excerpt >out.excerpt; rc=$?
    set -e
    [ $rc = 1 ] || fail "$f --excerpt: expected exit 1"
    cmp -s out.$f out.excerpt || fail "$f output changed with --excerpt"
done

# On a terminal, text has excerpts and colour by default; NO_COLOR drops
# the colour, --no-excerpt the excerpt (script(1) gives a terminal).
if command -v script >/dev/null; then
    tty_run() { { script -qec "$*" /dev/null || true; } | tr -d '\r'; }
    e=$'\033'
    tty_run env -u NO_COLOR "$migc" check bad >out.tty
    printf '%s\n' "${e}[1mbad/001_a.sql:3:8:${e}[0m ${e}[1;31merror:${e}[0m syntax error at or near \"TABL\" [syntax]" \
        '    3 | CREATE TABL b ();' \
        "      |        ${e}[1;32m^${e}[0m" >expected.tty
    diff -u expected.tty <(head -3 out.tty) || fail "terminal: excerpt in colour"
    NO_COLOR=1 tty_run "$migc" check bad >out.tty
    printf '%s\n' 'bad/001_a.sql:3:8: error: syntax error at or near "TABL" [syntax]' \
        '    3 | CREATE TABL b ();' '      |        ^' >expected.tty
    diff -u expected.tty <(head -3 out.tty) || fail "terminal: NO_COLOR"
    NO_COLOR=1 tty_run "$migc" check bad --no-excerpt >out.tty
    diff -u expected <(cat out.tty) || fail "terminal: --no-excerpt"
fi

set +e
"$migc" check good --format=xml >out 2>err; rc=$?
set -e
[ $rc = 2 ] || fail "unknown format: expected exit 2, got $rc"
grep -qx "migc: error: unknown format 'xml' (text, json, sarif)" err || fail "unknown format message"

set +e
"$migc" check missing-dir >out 2>err; rc=$?
set -e
[ $rc = 2 ] || fail "missing directory: expected exit 2, got $rc"
grep -qx "missing-dir: error: cannot read migrations directory: No such file or directory \[io\]" out || fail "missing directory message"
echo "check_formats: passed"

#!/usr/bin/env bash
# verify_cmd.sh: `migc verify` (issue 16 item 4) and the proof `migc lock
# --squash` asks for first. The chain of squash_cmd/ is squashed through 3
# (on --database scratch databases): verify finds the baseline equal to
# its archived originals (schema, and rows with --data); an edited baseline
# is named difference by difference (exit 1) and lock --squash refuses to
# record it, the lock file untouched; --no-verify records it and says so.
# Bad input: an unknown --baseline, a directory without baselines, a
# baseline without archived originals, no server, a baseline that does
# not replay: each its exact message and exit code, nothing written.
#   verify_cmd.sh MIGC
set -euo pipefail
migc=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
pgtest_tmpdir
tmp=$PGTEST_TMP
failures=0
fail() { echo "FAIL [$last]: $*" >&2; failures=$((failures + 1)); }
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
expect() { # expect out|err: the stream, findings below error level left out, equals stdin
  grep -v -E ':[0-9]+:[0-9]+: (note|warning): |^[^ ]+\.sql: (note|warning): ' "$tmp/$last.$1" >"$tmp/got" || true
  cat >"$tmp/want"
  diff -u "$tmp/want" "$tmp/got" >"$tmp/diff" || {
    fail "std$1 differs (- expected, + got):"
    cat "$tmp/diff" >&2
  }
}
url="host='$PGHOST' user='${PGUSER:-postgres}' dbname='${PGDATABASE:-postgres}'"
state() { (cd "$1" && find . -type f | sort | xargs sha256sum); }

# The chain, released, then squashed through 3.
cp -r "$here/squash_cmd" "$tmp/c"
cd "$tmp/c"
"$migc" lock migrations >/dev/null 2>&1 || fail "lock"
"$migc" squash migrations --through 3 --database "$url" >/dev/null 2>&1 ||
  fail "squash"
cp -r "$tmp/c" "$tmp/squashed"

# ---- equal ---------------------------------------------------------------------
run equal "$migc" verify migrations --database "$url"
expect_status 0
expect out <<'OUT'
baseline 1 (001_baseline.sql) against its 3 archived originals:
  equal: the same schema
OUT
run data "$migc" verify migrations --database "$url" --data --baseline 1
expect_status 0
expect out <<'OUT'
baseline 1 (001_baseline.sql) against its 3 archived originals:
  equal: the same schema and rows
OUT

# ---- an edited baseline: each difference named; lock --squash refuses ----------
sed -i -e '/^CREATE TABLE public.kinds (/,/^);/s/^    label text NOT NULL$/    label character varying(40) NOT NULL/' \
  -e '/^CREATE INDEX people_name_idx/s/(full_name)/(full_name DESC)/' \
  -e "s/^INSERT INTO public.kinds (id, code, label) OVERRIDING SYSTEM VALUE VALUES (2, 'b', 'Beta!');/INSERT INTO public.kinds (id, code, label) OVERRIDING SYSTEM VALUE VALUES (2, 'b', 'Beta');/" \
  migrations/001_baseline.sql
cmp -s migrations/001_baseline.sql "$tmp/squashed/migrations/001_baseline.sql" &&
  fail "the edit changed nothing"
state . >"$tmp/before"
run differs "$migc" verify migrations --database "$url" --data
expect_status 1
expect out <<'OUT'
baseline 1 (001_baseline.sql) against its 3 archived originals:
  table public.kinds: column label: text NOT NULL vs character varying(40) NOT NULL
  index public.people_name_idx: CREATE INDEX people_name_idx ON public.people USING btree (full_name) vs CREATE INDEX people_name_idx ON public.people USING btree (full_name DESC)
  table public.kinds: rows: 2 rows, md5 cca882cfcc816873bfcc592a341f6fab vs 2 rows, md5 0f828f3ec6621792d2beb9613ddb85b9
  3 differences: the baseline does not build what its originals build
OUT
run lock_differs "$migc" lock migrations --squash --database "$url"
expect_status 1
state . >"$tmp/after"
diff -u "$tmp/before" "$tmp/after" >/dev/null || fail "a refused lock --squash wrote something"
run lock_unverified "$migc" lock migrations --squash --no-verify
expect_status 1 # [baseline-differs]: the static comparison sees the column's type
grep -q "error: baseline 1 (001_baseline.sql) differs from the migrations it squashes: table public.kinds: column label: text in the originals vs character varying(40) in the baseline \[baseline-differs\]" \
  "$tmp/lock_unverified.err" || fail "no static finding"

# ---- lock --squash: verified, or recorded unverified, loudly ------------------
rm -rf "$tmp/c" && cp -r "$tmp/squashed" "$tmp/c" && cd "$tmp/c"
run lock_ok "$migc" lock migrations --squash --database "$url"
expect_status 0
expect out <<'OUT'
baseline 1 (001_baseline.sql) against its 3 archived originals:
  equal: the same schema
replaced 3 squashed migrations by their baseline
locked 1 new migration (2 total) in migrations/migc.lock
OUT
run lock_again "$migc" lock migrations --squash --database "$url"
expect_status 0
expect out <<'OUT'
locked 0 new migrations (2 total) in migrations/migc.lock
OUT
rm -rf "$tmp/c" && cp -r "$tmp/squashed" "$tmp/c" && cd "$tmp/c"
run lock_noverify "$migc" lock migrations --squash --no-verify
expect_status 0
expect err <<'ERR'
migc lock: warning: --no-verify: the baselines are recorded without `migc verify` proving them equal to the migrations they replace; a baseline that differs gives fresh databases another schema than the ones it replaced
ERR

# ---- bad input ----------------------------------------------------------------
rm -rf "$tmp/c" && cp -r "$tmp/squashed" "$tmp/c" && cd "$tmp/c"
state . >"$tmp/before"
run nobaseline "$migc" verify migrations --baseline 7 --database "$url"
expect_status 2
expect err <<'ERR'
migc verify: error: --baseline 7: migrations holds no baseline of that version
ERR
run badversion "$migc" verify migrations --baseline x
expect_status 2
expect err <<'ERR'
migc: error: --baseline 'x' is not a version (digits)
Try 'migc verify --help'.
ERR
MIGC_PG_BINDIR=$tmp/nothing run noserver "$migc" verify migrations
expect_status 3
grep -q "or pass --database URL" "$tmp/noserver.err" || fail "no server: $(cat "$tmp/noserver.err")"
mv migrations/squashed "$tmp/away"
run noarchive "$migc" verify migrations --baseline 1 --database "$url"
expect_status 1
expect err <<'ERR'
migc verify: error: baseline 1 (001_baseline.sql) has no archived originals in migrations/squashed/1/ to verify it against: `migc squash` keeps them there
ERR
run lock_noarchive "$migc" lock migrations --squash --database "$url"
expect_status 1
expect err <<'ERR'
migc lock: error: baseline 1 (001_baseline.sql) has no archived originals in migrations/squashed/1/ to verify it against: `migc squash` keeps them there; or record it unverified with `migc lock --squash --no-verify`
ERR
mv "$tmp/away" migrations/squashed
state . >"$tmp/after"
diff -u "$tmp/before" "$tmp/after" >/dev/null || fail "bad input wrote something"
mkdir "$tmp/plain" && cp -r "$here/squash_cmd/migrations" "$tmp/plain/"
run nothing "$migc" verify "$tmp/plain/migrations" --database "$url"
expect_status 2
expect err <<EOF
migc verify: error: $tmp/plain/migrations holds no baseline with archived originals ($tmp/plain/migrations/squashed/VERSION/) to verify
EOF
# a baseline the server refuses: its path:line:col and the server's message
printf 'SELECT 1 / 0;\n' >>migrations/001_baseline.sql
run noreplay "$migc" verify migrations --database "$url"
expect_status 1
grep -q "^migrations/001_baseline.sql:[0-9]*:1: error: the chain does not replay: 22012 division by zero" "$tmp/noreplay.err" ||
  fail "replay failure: $(cat "$tmp/noreplay.err")"

# scratch databases whose migc process is gone (other tests' may be in use)
left=$(pgtest_psql "${PGDATABASE:-postgres}" -At -c "SELECT datname FROM pg_database WHERE datname LIKE 'migc\_scratch\_%'" |
  while read -r name; do
    pid=${name#migc_scratch_}
    kill -0 "${pid%%_*}" 2>/dev/null || echo "$name"
  done)
[ -z "$left" ] || fail "scratch databases left: $left"
[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "verify_cmd: all passed"

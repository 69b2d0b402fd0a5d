#!/usr/bin/env bash
# squash_cmd.sh: `migc squash` (issue 16 items 1 and 2) on the chain of
# squash_cmd/: types, a function, a trigger, a view, an index, a column
# renamed, a table created then dropped, reference rows, a pack's table.
# The baseline equals squash_cmd/expected_baseline.sql byte for byte (on a
# private cluster and on --database), twice; the originals are archived;
# rows are carried but the pack's; volatile rows carried with a warning at their
# statement and left out with `-- migc:allow squash-data`; bad inputs each
# give their message and exit code and leave DIR as it was.
#   squash_cmd.sh MIGC
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
expect() { # expect out|err: the stream equals stdin
  cat >"$tmp/want"
  diff -u "$tmp/want" "$tmp/$last.$1" >"$tmp/diff" || {
    fail "std$1 differs (- expected, + got):"
    cat "$tmp/diff" >&2
  }
}
fresh() { # fresh NAME: a copy of the fixture in $tmp/NAME, cwd there
  rm -rf "${tmp:?}/$1"
  cp -r "$here/squash_cmd" "$tmp/$1"
  cd "$tmp/$1"
}
listing() { find migrations | sort; }
unchanged() { # after a refusal: the folder as it was
  listing >"$tmp/after"
  diff -u "$tmp/before" "$tmp/after" >/dev/null || fail "migrations/ changed"
}

# ---- the chain squashed through 3 on a private cluster -------------------
fresh one
run squash "$migc" squash migrations --through 3
expect_status 0
expect out <<'OUT'
wrote migrations/001_baseline.sql: squashes 1..3 (3 migrations; rows of 2 tables carried)
left to the packs: the rows of public.pack
moved 3 files into migrations/squashed/1/
next: migc verify migrations, then migc lock migrations --squash
OUT
cmp -s migrations/001_baseline.sql "$here/squash_cmd/expected_baseline.sql" ||
  fail "the baseline differs from expected_baseline.sql: $(diff "$here/squash_cmd/expected_baseline.sql" migrations/001_baseline.sql | head -20)"
[ "$(listing)" = "migrations
migrations/001_baseline.sql
migrations/004_after.sql
migrations/squashed
migrations/squashed/1
migrations/squashed/1/001_init.sql
migrations/squashed/1/002_more.sql
migrations/squashed/1/003_people.sql" ] || fail "archive: $(listing)"
cmp -s migrations/squashed/1/002_more.sql "$here/squash_cmd/migrations/002_more.sql" ||
  fail "the archived original changed"
grep -q "stub" migrations/001_baseline.sql && fail "stub (created, then dropped) is in the baseline"
grep -q "INSERT INTO public.pack " migrations/001_baseline.sql && fail "the pack's rows are carried"
grep -q "'Beta!'" migrations/001_baseline.sql || fail "kinds' updated row is not carried"

# determinism: a second copy squashed gives the same bytes
fresh two
run squash2 "$migc" squash migrations --through 3
expect_status 0
cmp -s migrations/001_baseline.sql "$tmp/one/migrations/001_baseline.sql" || fail "two squashes differ"

# --dry-run: the plan and the baseline on stdout, nothing touched
fresh dry
listing >"$tmp/before"
run dry "$migc" squash migrations --through 3 --dry-run
expect_status 0
head -4 "$tmp/dry.out" | diff - <(printf '%s\n' \
  "would write migrations/001_baseline.sql ($(wc -c <"$here/squash_cmd/expected_baseline.sql") bytes)" \
  "would move migrations/001_init.sql to migrations/squashed/1/001_init.sql" \
  "would move migrations/002_more.sql to migrations/squashed/1/002_more.sql" \
  "would move migrations/003_people.sql to migrations/squashed/1/003_people.sql") ||
  fail "dry-run plan"
unchanged

# ---- --archive: another archive, named again in the next commands --------
fresh archive
run archive "$migc" squash migrations --through 3 --archive migrations/old
expect_status 0
expect out <<'OUT'
wrote migrations/001_baseline.sql: squashes 1..3 (3 migrations; rows of 2 tables carried)
left to the packs: the rows of public.pack
moved 3 files into migrations/old/1/
next: migc verify migrations --archive migrations/old, then migc lock migrations --squash --archive migrations/old
OUT
[ ! -e migrations/squashed ] || fail "--archive: migrations/squashed made"
# the archive as given is the chain's: checked before anything runs (a
# folder there that names no baseline is refused)
mkdir migrations/old/9
listing >"$tmp/before"
run archive_checked "$migc" squash migrations --through 4 --archive migrations/old
expect_status 1
grep -q "^migrations/old/9: error: .*\[archive\]$" "$tmp/archive_checked.err" ||
  fail "--archive: the archive was not checked: $(cat "$tmp/archive_checked.err")"
unchanged

# ---- --database: scratch databases created and dropped -------------------
fresh url
url="host='$PGHOST' user='${PGUSER:-postgres}' dbname='${PGDATABASE:-postgres}'"
run url "$migc" squash migrations --through 3 --database "$url"
expect_status 0
cmp -s migrations/001_baseline.sql "$here/squash_cmd/expected_baseline.sql" || fail "--database baseline differs"
# scratch databases whose migc process is gone (other tests' may be in use)
left=$(pgtest_psql "${PGDATABASE:-postgres}" -At -c "SELECT datname FROM pg_database WHERE datname LIKE 'migc\_scratch\_%'" |
  while read -r name; do
    pid=${name#migc_scratch_}
    kill -0 "${pid%%_*}" 2>/dev/null || echo "$name"
  done)
[ -z "$left" ] || fail "scratch databases left: $left"

# ---- volatile rows: carried with a warning, or left out on purpose -------
fresh volatile
printf "INSERT INTO kinds (code, label) VALUES ('c', now()::text);\n" >>migrations/003_people.sql
run volatile "$migc" squash migrations --through 3 --database "$url"
expect_status 0
expect err <<'ERR'
migrations/003_people.sql:3:1: warning: rows written into public.kinds with now() are carried as the replay wrote them: every database the baseline builds gets these values, and two squashes write different bytes; write them in a pack or a later migration if each database needs its own, or leave them out with `-- migc:allow squash-data REASON` [squash-data]
ERR
grep -q "^INSERT INTO public.kinds (id, code, label) OVERRIDING SYSTEM VALUE VALUES (3, 'c', '" migrations/001_baseline.sql ||
  fail "the volatile row is not carried"
fresh allowed
printf "INSERT INTO kinds (code, label) VALUES ('c', now()::text);\n" >>migrations/003_people.sql
sed -i '3i -- migc:allow squash-data the time of the squash means nothing' migrations/003_people.sql
run allowed "$migc" squash migrations --through 3 --database "$url"
expect_status 0
cmp -s migrations/001_baseline.sql "$here/squash_cmd/expected_baseline.sql" || fail "the allowed row is left out"

# ---- bad input: message, exit code, nothing written or moved -------------
fresh bad
listing >"$tmp/before"
run help "$migc" squash --help
expect_status 0
grep -q -- "--through VERSION  the range's last migration" "$tmp/help.out" || fail "--help"
run nothrough "$migc" squash migrations
expect_status 2
expect err <<'ERR'
migc: error: missing --through VERSION
Try 'migc squash --help'.
ERR
unchanged
run nothere "$migc" squash migrations --through 9
expect_status 2
expect err <<'ERR'
migc squash: error: --through 9: no migration of migrations has that version (it holds 1..4)
ERR
unchanged
run backwards "$migc" squash migrations --from 3 --through 2
expect_status 2
expect err <<'ERR'
migc squash: error: --from 3 comes after --through 2
ERR
unchanged
MIGC_PG_BINDIR=$tmp/no-server run noserver "$migc" squash migrations --through 3
expect_status 3
expect err <<ERR
migc: error: no PostgreSQL server to replay on: \$MIGC_PG_BINDIR ($tmp/no-server) holds no executable initdb and pg_ctl; point it at the server's binaries, or pass --database URL [squash]
ERR
unchanged
run prefix "$migc" squash migrations --from 2 --through 3 --database "$url"
expect_status 1
expect err <<'ERR'
migrations/002_more.sql:19:1: error: rows written into public.pack, which a migration before the range created: the baseline holds only what the range creates; start the range at or before that migration, or leave them out with `-- migc:allow squash-data REASON` [squash-data]
migrations/003_people.sql:1:1: error: rows written into public.people, which a migration before the range created: the baseline holds only what the range creates; start the range at or before that migration, or leave them out with `-- migc:allow squash-data REASON` [squash-data]
ERR
unchanged

# --from: a range that changes or drops what came before it
fresh changes
sed -i '/INSERT INTO pack/d' migrations/002_more.sql
: >migrations/003_people.sql
printf 'CREATE TABLE c3 (id int);\n' >migrations/003_people.sql
listing >"$tmp/before"
run changes "$migc" squash migrations --from 2 --through 3 --database "$url"
expect_status 1
expect err <<'ERR'
migc: error: the range changes TABLE public.people, which a migration before it created: a baseline holds only what its range creates; start the range at or before that migration [squash]
migc: error: the range drops TABLE public.stub, which a migration before it created: a baseline cannot drop what it does not create; start the range at or before that migration [squash]
ERR
unchanged

# a chain that fails to replay: the statement's place and the server's words
fresh replay
printf "INSERT INTO kinds (code, label) VALUES\n    ('a', 'again');\n" >>migrations/003_people.sql
listing >"$tmp/before"
run replay "$migc" squash migrations --through 3 --database "$url"
expect_status 1
expect err <<'ERR'
migrations/003_people.sql:3:1: error: the chain does not replay: 23505 duplicate key value violates unique constraint "kinds_code_key"; DETAIL: Key (code)=(a) already exists. [squash]
ERR
unchanged

# a range crossing an earlier baseline's (0..1, at version 2)
fresh crossing
rm migrations/001_init.sql migrations/002_more.sql
printf -- '-- migc:squashes 0..1\nCREATE TABLE people (id int, full_name text, feeling text);\nCREATE TABLE kinds (code text, label text);\nCREATE TABLE pack (ref text UNIQUE, label text);\n' >migrations/002_baseline.sql
listing >"$tmp/before"
run crossing "$migc" squash migrations --from 2 --through 3
expect_status 1
expect err <<'ERR'
migrations/002_baseline.sql: error: the range 2..3 crosses this baseline, which squashes 0..1: squash a range that holds the baseline and all it replaced, or none of it [squash]
ERR
unchanged
# a range holding a baseline that took the version of its first original
# (as `migc squash` writes them): the lock could not record it replaced
fresh nested
rm migrations/001_init.sql migrations/002_more.sql
printf -- '-- migc:squashes 1..2\nCREATE TABLE people (id int, full_name text, feeling text);\nCREATE TABLE kinds (code text, label text);\nCREATE TABLE pack (ref text UNIQUE, label text);\n' >migrations/001_baseline.sql
listing >"$tmp/before"
run nested "$migc" squash migrations --through 3
expect_status 1
expect err <<'ERR'
migrations/001_baseline.sql: error: the range 1..3 holds this baseline, which took version 1 from the migrations it squashes: a baseline over it would replace version 1 twice, which the lock file cannot record; squash the migrations after it instead (--from the next one) [squash]
ERR
unchanged

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "squash_cmd: all checks passed"

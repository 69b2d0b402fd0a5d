#!/usr/bin/env bash
# lock.sh: `migc lock` creates, appends to and refuses to touch the lock file
# as docs/lock-file.md says; exit codes 0 success / 1 errors / 2 usage, I/O.
#   lock.sh MIGC
set -uo pipefail
. "$(dirname "$0")/common.sh"
migc=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || fail "cannot enter $work"

# run WANT_RC CMD...: run CMD, its stdout in out, stderr in err.
run() {
  local want=$1
  shift
  "$@" >out 2>err
  local rc=$?
  [ "$rc" = "$want" ] || { cat err >&2; fail "$* exited $rc, expected $want"; }
}

inode() { stat -c %i "$1"; }

mkdir m
printf 'CREATE TABLE a (id int);\n' >m/001_a.sql
printf 'CREATE TABLE b (id int);\nCREATE INDEX b_id ON b (id);\n' \
  >"m/002_b with spaces.sql"

# A fresh directory: the lock is created, every migration locked.
run 0 "$migc" lock m
[ "$(cat out)" = "locked 2 new migrations (2 total) in m/migc.lock" ] ||
  fail "fresh lock: stdout: $(cat out)"
[ ! -s err ] || fail "fresh lock: stderr: $(cat err)"
[ "$(wc -l <m/migc.lock)" = 4 ] || fail "fresh lock: expected 4 lines"
head -n 1 m/migc.lock | grep -q '^# migc lock: ' || fail "no header line"
grep -q '^2 [0-9a-f]\{64\} [0-9a-f]\{64\} 002_b with spaces.sql [0-9a-f]\{16\},[0-9a-f]\{16\}$' \
  m/migc.lock || fail "line of 002 not as documented"
body=$(head -n -1 m/migc.lock | sha256sum | cut -c1-64)
[ "$(tail -n 1 m/migc.lock)" = "sha256 $body" ] || fail "final hash line"
run 0 "$migc" check m
[ ! -s out ] || fail "check after lock: $(cat out)"

# A second run adds nothing and does not even rewrite the file (a build
# that depends on the lock must not rerun).
cp m/migc.lock lock.1
ino=$(inode m/migc.lock)
run 0 "$migc" lock m
[ "$(cat out)" = "locked 0 new migrations (2 total) in m/migc.lock" ] ||
  fail "second run: stdout: $(cat out)"
cmp -s lock.1 m/migc.lock || fail "second run changed the lock"
[ "$(inode m/migc.lock)" = "$ino" ] || fail "second run rewrote the lock"

# A new migration: one line appended, the earlier lines byte for byte.
printf 'CREATE TABLE c (id int);\n' >m/003_c.sql
run 0 "$migc" lock m
[ "$(cat out)" = "locked 1 new migration (3 total) in m/migc.lock" ] ||
  fail "append: stdout: $(cat out)"
[ "$(wc -l <m/migc.lock)" = 5 ] || fail "append: expected 5 lines"
head -n -1 lock.1 | cmp -s - <(head -n 3 m/migc.lock) ||
  fail "append changed an earlier line"
sed -n 4p m/migc.lock | grep -q '^3 [0-9a-f]\{64\} [0-9a-f]\{64\} 003_c.sql [0-9a-f]\{16\}$' ||
  fail "appended line: $(sed -n 4p m/migc.lock)"
cp m/migc.lock lock.2
ino=$(inode m/migc.lock)

# Refusals leave the lock untouched: an edited released migration, an
# out-of-order new one, a syntax error, a hand-edited lock file.
untouched() {
  cmp -s lock.2 m/migc.lock || fail "$1: the lock changed"
  [ "$(inode m/migc.lock)" = "$ino" ] || fail "$1: the lock was rewritten"
  [ ! -s out ] || fail "$1: stdout: $(cat out)"
}
cp m/001_a.sql a.sql
printf 'CREATE TABLE a (id bigint);\n' >m/001_a.sql
run 1 "$migc" lock m
grep -q '^m/001_a.sql:1:1: error: .*\[immutable\]$' err || fail "edit: $(cat err)"
untouched "edited migration"
cp a.sql m/001_a.sql

printf 'SELECT 1;\n' >m/000_early.sql
run 1 "$migc" lock m
grep -q '^m/000_early.sql: error: version 0 sorts before 3.*\[out-of-order\]$' err ||
  fail "out of order: $(cat err)"
untouched "out-of-order migration"
rm m/000_early.sql

printf 'CREATE TABL d ();\n' >m/004_d.sql
run 1 "$migc" lock m
grep -q '^m/004_d.sql:1:8: error: .*\[syntax\]$' err || fail "syntax: $(cat err)"
untouched "syntax error"
rm m/004_d.sql

sed -i 's/^3 /4 /' m/migc.lock
cp m/migc.lock lock.edited
run 1 "$migc" lock m
grep -q '^m/migc.lock:5:1: error: the final hash does not match .*\[lock\]$' err ||
  fail "hand-edited lock: $(cat err)"
cmp -s lock.edited m/migc.lock || fail "hand-edited lock: rewritten"
cp lock.2 m/migc.lock
ino=$(inode m/migc.lock)

# Whitespace only: a warning, and the released line is kept as it was.
printf 'create table a (\r\n  id int\r\n);\r\n' >m/001_a.sql
printf 'CREATE TABLE e (id int);\n' >m/005_e.sql
run 0 "$migc" lock m
grep -q '^m/001_a.sql: warning: released migration 1 (001_a.sql) changed only in whitespace.*\[immutable\]$' err ||
  fail "whitespace: $(cat err)"
head -n -1 lock.2 | cmp -s - <(head -n 4 m/migc.lock) ||
  fail "whitespace: an earlier line changed"
cp a.sql m/001_a.sql

# --lock FILE elsewhere; compile and check read the same file.
run 0 "$migc" lock m --lock other.lock
[ "$(cat out)" = "locked 4 new migrations (4 total) in other.lock" ] ||
  fail "--lock: stdout: $(cat out)"
printf 'CREATE TABLE e (id bigint);\n' >m/005_e.sql
run 1 "$migc" check m --lock=other.lock
grep -q '^m/005_e.sql:1:1: error: released migration 5 (005_e.sql) was edited' out ||
  fail "check --lock: $(cat out)"
mkdir outdir
run 1 "$migc" compile m --lock other.lock -o outdir/s.c --name s
[ -z "$(ls outdir)" ] || fail "compile wrote output despite [immutable]"
printf 'CREATE TABLE e (id int);\n' >m/005_e.sql
run 0 "$migc" compile m -o outdir/s.c --name s
[ -s outdir/s.c ] || fail "compile with the default lock wrote nothing"

# Usage and I/O: exit 2, nothing written.
run 2 "$migc" lock
grep -qx "migc: error: missing migrations directory" err || fail "no dir: $(cat err)"

# Squashing: a baseline declaring `-- migc:squashes 1..3` replaces the
# released 1..3 only through `migc lock --squash`.
mkdir s
for i in 1 2 3 5; do printf 'CREATE TABLE t%s (id int);\n' $i >s/00${i}_t$i.sql; done
run 0 "$migc" lock s
rm s/001_t1.sql s/002_t2.sql
printf -- '-- migc:squashes 1..3\nCREATE TABLE t1 (id int);\nCREATE TABLE t2 (id int);\nCREATE TABLE t3 (id int);\n' \
  >s/004_baseline.sql
before=$(sha256sum <s/migc.lock)
run 1 "$migc" check s
cat >expected <<'TXT'
s/001_t1.sql: error: released migration 1 (001_t1.sql) was removed: baseline 004_baseline.sql declares `-- migc:squashes 1..3`; run `migc lock --squash` to record the baseline in place of the released migrations it replaces [immutable]
s/002_t2.sql: error: released migration 2 (002_t2.sql) was removed: baseline 004_baseline.sql declares `-- migc:squashes 1..3`; run `migc lock --squash` to record the baseline in place of the released migrations it replaces [immutable]
s/003_t3.sql: error: baseline 004_baseline.sql squashes released migration 3 (003_t3.sql), which is still here: delete the migrations it replaces [immutable]
TXT
diff -u expected out || fail "squash with a squashed migration still present"
run 1 "$migc" lock s --squash
[ "$(sha256sum <s/migc.lock)" = "$before" ] || fail "a refused squash wrote the lock"
rm s/003_t3.sql
mv s/004_baseline.sql s/006_baseline.sql
run 1 "$migc" check s
grep -qx 's/006_baseline.sql: error: baseline 6 must sort before 5 (005_t5.sql), the released migration after the range it squashes \[out-of-order\]' out ||
  fail "baseline after a released migration: $(cat out)"
mv s/006_baseline.sql s/004_baseline.sql
rm s/005_t5.sql
printf 'CREATE TABLE t5 (id int);\n' >s/006_t5.sql
run 1 "$migc" check s
cat >expected <<'TXT'
s/001_t1.sql: error: released migration 1 (001_t1.sql) was removed: baseline 004_baseline.sql declares `-- migc:squashes 1..3`; run `migc lock --squash` to record the baseline in place of the released migrations it replaces [immutable]
s/002_t2.sql: error: released migration 2 (002_t2.sql) was removed: baseline 004_baseline.sql declares `-- migc:squashes 1..3`; run `migc lock --squash` to record the baseline in place of the released migrations it replaces [immutable]
s/003_t3.sql: error: released migration 3 (003_t3.sql) was removed: baseline 004_baseline.sql declares `-- migc:squashes 1..3`; run `migc lock --squash` to record the baseline in place of the released migrations it replaces [immutable]
s/005_t5.sql: error: released migration 5 (005_t5.sql) was removed or renamed; the lock file still lists it [immutable]
s/006_t5.sql: warning: version 5 is missing from the sequence (004_baseline.sql is followed by 6) [version-gap]
TXT
diff -u expected out || fail "squash before lock --squash"
printf 'CREATE TABLE t5 (id int);\n' >s/005_t5.sql
rm s/006_t5.sql
run 1 "$migc" lock s
grep -q 'run `migc lock --squash`' err || fail "plain lock did not point at --squash"
[ "$(sha256sum <s/migc.lock)" = "$before" ] || fail "a refused lock wrote the file"
cp s/migc.lock released.lock
# lock --squash proves the baseline with `migc verify` first; this one has
# no archived originals to prove it against: refused, the lock untouched
run 1 "$migc" lock s --squash
[ "$(cat err)" = "migc lock: error: baseline 4 (004_baseline.sql) has no archived originals in s/squashed/4/ to verify it against: \`migc squash\` keeps them there; or record it unverified with \`migc lock --squash --no-verify\`" ] ||
  fail "lock --squash without an archive: $(cat err)"
[ "$(sha256sum <s/migc.lock)" = "$before" ] || fail "an unverified squash wrote the lock"
run 2 "$migc" lock s --no-verify
grep -qx "migc: error: --no-verify goes with --squash" err || fail "--no-verify alone: $(cat err)"
run 0 "$migc" lock s --squash --no-verify
grep -q "^migc lock: warning: --no-verify: the baselines are recorded without" err ||
  fail "--no-verify is not said loudly: $(cat err)"
[ "$(cat out)" = "replaced 3 squashed migrations by their baseline
locked 1 new migration (2 total) in s/migc.lock" ] || fail "lock --squash: $(cat out)"
grep -q '^# 4 squashes the released migrations 1\.\.3$' s/migc.lock ||
  fail "no squash comment line"
grep -q '^[123] ' s/migc.lock && fail "squashed lines kept"
# Each replaced line is kept whole, after "#squashed BASELINE ", between the
# comment and the baseline's line: what the binary needs to name the
# versions a database lacks.
{
  echo '# 4 squashes the released migrations 1..3'
  grep '^[123] ' released.lock | sed 's/^/#squashed 4 /'
  grep '^4 .* 004_baseline.sql ' s/migc.lock
} >expected
grep -A4 '^# 4 squashes' s/migc.lock >got
diff -u expected got || fail "squash records"
grep -q '^5 .* 005_t5.sql ' s/migc.lock || fail "line of 5 not kept"
run 0 "$migc" check s
[ ! -s out ] || fail "check after lock --squash: $(cat out)"
printf -- '-- migc:squashes 7..9\nSELECT 1;\n' >s/010_nothing.sql
run 1 "$migc" check s
grep -qx 's/010_nothing.sql: error: `-- migc:squashes 7..9`: the lock file lists no released migration in that range \[directive\]' out ||
  fail "baseline squashing nothing: $(cat out)"

# The seeds' convention: a chain numbered 1, 2, 3, 4 with no free version,
# 1..3 squashed into 001_baseline.sql at the first version of the range.
# Before `lock --squash` the line of 1 is 001_a.sql's, not the baseline's:
# check says what it says of any fresh baseline; lock --squash keeps that
# line as a record and gives the baseline its own.
mkdir f
for i in 1 2 3 4; do printf 'CREATE TABLE t%s (id int);\n' $i >f/00${i}_t$i.sql; done
run 0 "$migc" lock f
cp f/migc.lock f_released.lock
rm f/001_t1.sql f/002_t2.sql f/003_t3.sql
printf -- '-- migc:squashes 1..3\nCREATE TABLE t1 (id int);\nCREATE TABLE t2 (id int);\nCREATE TABLE t3 (id int);\n' \
  >f/001_baseline.sql
run 1 "$migc" check f
cat >expected <<'TXT'
f/001_t1.sql: error: released migration 1 (001_t1.sql) was removed: baseline 001_baseline.sql declares `-- migc:squashes 1..3`; run `migc lock --squash` to record the baseline in place of the released migrations it replaces [immutable]
f/002_t2.sql: error: released migration 2 (002_t2.sql) was removed: baseline 001_baseline.sql declares `-- migc:squashes 1..3`; run `migc lock --squash` to record the baseline in place of the released migrations it replaces [immutable]
f/003_t3.sql: error: released migration 3 (003_t3.sql) was removed: baseline 001_baseline.sql declares `-- migc:squashes 1..3`; run `migc lock --squash` to record the baseline in place of the released migrations it replaces [immutable]
TXT
diff -u expected out || fail "same-version baseline before lock --squash"
run 1 "$migc" lock f
cmp -s f/migc.lock f_released.lock || fail "a refused lock wrote the file"
run 0 "$migc" lock f --squash --no-verify
[ "$(cat out)" = "replaced 3 squashed migrations by their baseline
locked 1 new migration (2 total) in f/migc.lock" ] || fail "lock --squash at 1: $(cat out)"
{
  echo '# migc lock: released migrations. Written by `migc lock`; do not edit by hand.'
  grep '^4 ' f_released.lock
  echo '# 1 squashes the released migrations 1..3'
  grep '^[123] ' f_released.lock | sed 's/^/#squashed 1 /'
} >expected
head -n -2 f/migc.lock >got
diff -u expected got || fail "records of a same-version squash"
tail -n 2 f/migc.lock | head -n 1 | grep -q '^1 [0-9a-f]\{64\} [0-9a-f]\{64\} 001_baseline.sql ' ||
  fail "the baseline's own line at 1"
run 0 "$migc" check f
[ ! -s out ] && [ ! -s err ] || fail "check after a same-version squash: $(cat out err)"
cp f/migc.lock f_squashed.lock
run 0 "$migc" lock f --squash --no-verify
cmp -s f/migc.lock f_squashed.lock || fail "a second lock --squash changed the file"
# A baseline at a released version outside its range is refused, and lock
# --squash writes nothing.
mkdir g
for i in 1 2 3 4; do printf 'CREATE TABLE t%s (id int);\n' $i >g/00${i}_t$i.sql; done
run 0 "$migc" lock g
cp g/migc.lock g_released.lock
rm g/002_t2.sql g/003_t3.sql g/004_t4.sql
printf -- '-- migc:squashes 3..4\nCREATE TABLE t3 (id int);\nCREATE TABLE t4 (id int);\n' >g/002_baseline.sql
run 1 "$migc" lock g --squash
grep -qx 'g/002_baseline.sql: error: baseline 2 takes the version of released migration 2 (002_t2.sql), outside the range 3..4 it squashes: databases that applied it would take it for the baseline; give the baseline a version after 2, such as 3, the first of its range \[out-of-order\]' err ||
  fail "collision: $(cat err)"
cmp -s g/migc.lock g_released.lock || fail "a refused squash wrote the lock"

run 2 "$migc" lock m --squash-everything
run 2 "$migc" lock m --lock
run 2 "$migc" lock missing-dir
[ ! -e missing-dir ] || fail "lock created the missing directory"
run 2 "$migc" lock m --lock no/such/dir/x.lock
grep -q '^no/such/dir/x.lock: error: cannot create: .*\[io\]$' err ||
  fail "unwritable lock: $(cat err)"
mkdir dir.lock
run 2 "$migc" check m --lock dir.lock
grep -q '^dir.lock: error: cannot read lock file: .*\[io\]$' out ||
  fail "unreadable lock: $(cat out)"
run 0 "$migc" lock --help
grep -q '^usage: migc lock DIR \[--lock FILE\]' out || fail "lock --help"
ls m | grep -q 'tmp' && fail "a temporary file was left in m/"
echo "lock: passed"

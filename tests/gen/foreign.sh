#!/usr/bin/env bash
# foreign.sh: the foreign identities of data format 6 (docs/generated-data.md,
# "Foreign identities"): for a directory of each layout, the stem, SHA-384
# and MD5 that `migc compile` embeds for every migration (and every carried
# original of an archive) equal the stems this test expects and the digests
# Python's hashlib computes over the up file; CR LF endings and non-ASCII
# bytes are hashed as they are; compiling twice gives identical bytes.
#
# usage: foreign.sh MIGC CC INCLUDE_DIR DUMP_C ARCHIVE_CASE WORKDIR
set -u
. "$(dirname "$0")/common.sh"

[ $# -eq 6 ] ||
  fail "usage: foreign.sh MIGC CC INCLUDE_DIR DUMP_C ARCHIVE_CASE WORKDIR"
migc=$1 cc=$2 include=$3 dump_c=$4 archive=$5 work=$6
rm -rf "$work" && mkdir -p "$work" || fail "cannot create $work"

# put DIR FILE TEXT: FILE of DIR with TEXT as printf renders it.
put() {
  mkdir -p "$(dirname "$work/$1/$2")" || fail "cannot create $1/$2"
  printf -- "$3" >"$work/$1/$2" || fail "cannot write $1/$2"
}

put plain 0001_init.sql 'CREATE TABLE a (id int);\n'
put plain 0002_crlf.sql '-- caf\303\251\r\nCREATE TABLE b (id int);\r\n'
put updown 1_init.up.sql 'CREATE TABLE a (id int);\n'
put updown 1_init.down.sql 'DROP TABLE a;\n'
put updown 2_more.up.sql 'CREATE TABLE b (id int);\r\n'
put dbmate 20240101120000_init.sql \
  '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n'
put goose 00001_init.sql \
  '-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n'
put diesel 2024-01-01-120000_init/up.sql 'CREATE TABLE a (id int);\n'
put diesel 2024-01-01-120000_init/down.sql 'DROP TABLE a;\n'
put prisma 20240101000000_init/migration.sql 'CREATE TABLE a (id int);\n'
put prisma 20240101000000_more/migration.sql 'CREATE TABLE b (id int);\n'
put prisma migration_lock.toml 'provider = "postgresql"\n'
put postgrator 0001.do.init.sql 'CREATE TABLE a (id int);\n'
put postgrator 0001.undo.init.sql 'DROP TABLE a;\n'
put postgrator 0002.do.sql 'CREATE TABLE b (id int);\n'
put pop 20240101_init.postgres.up.sql 'CREATE TABLE a (id int);\n'
put pop 20240101_init.postgres.down.sql 'DROP TABLE a;\n'

# The stems the layouts' tools know the migrations by, in version order.
cat >"$work/stems" <<'STEMS'
plain m 0001_init.sql 0001_init
plain m 0002_crlf.sql 0002_crlf
updown m 1_init.up.sql 1_init
updown m 2_more.up.sql 2_more
dbmate m 20240101120000_init.sql 20240101120000_init
goose m 00001_init.sql 00001_init
diesel m 2024-01-01-120000_init/up.sql 2024-01-01-120000_init
prisma m 20240101000000_init/migration.sql 20240101000000_init
prisma m 20240101000000_more/migration.sql 20240101000000_more
postgrator m 0001.do.init.sql 0001.do.init
postgrator m 0002.do.sql 0002.do
pop m 20240101_init.postgres.up.sql 20240101_init
archive m 004_baseline.sql 004_baseline
archive o 001_a.sql 001_a
archive o 002_b.sql 002_b
archive o 003_c.sql 003_c
STEMS

cp -R "$archive/migrations" "$work/archive" || fail "cannot copy $archive"

# build DIR OUT: compile DIR into OUT/ and link the dumper with it.
build() {
  local dir=$1 out=$2
  mkdir -p "$out" || fail "cannot create $out"
  (cd "$work" && "$migc" compile "$dir" -o "$out/schema.c" \
    --header "$out/schema.h" --name test_schema) ||
    fail "migc compile $dir failed"
  "$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$include" -I"$out" \
    "$dump_c" "$out/schema.c" -o "$out/dump" || fail "cannot build $dir's dumper"
}

: >"$work/actual"
for dir in plain updown dbmate goose diesel prisma postgrator pop archive; do
  build "$dir" "$work/out/$dir"
  "$work/out/$dir/dump" | sed "s/^/$dir\t/" >>"$work/actual" ||
    fail "$dir: the dumper failed"
  # the same inputs give the same bytes
  (cd "$work" && "$migc" compile "$dir" -o "out/$dir/again.c" \
    --header "out/$dir/again.h" --name test_schema) ||
    fail "migc compile $dir failed the second time"
  cmp -s "$work/out/$dir/schema.c" "$work/out/$dir/again.c" ||
    fail "$dir: a second compile wrote other bytes"
done

# The expected lines: the stems above, the digests by hashlib over the up
# file (an original's under the archive's squashed/<baseline>/).
python3 - "$work" >"$work/expected" <<'PY' || fail "python3 failed"
import hashlib, os, sys
work = sys.argv[1]
for line in open(os.path.join(work, "stems")):
    d, kind, name, stem = line.split()
    path = os.path.join(work, d, name)
    if kind == "o":
        path = os.path.join(work, d, "squashed", "4", name)
    data = open(path, "rb").read()
    lf = data.replace(b"\r\n", b"\n")     # prisma's two line-ending variants
    crlf = lf.replace(b"\n", b"\r\n")
    print("\t".join([d, kind, name, stem, hashlib.sha384(data).hexdigest(),
                     hashlib.md5(data).hexdigest(),
                     hashlib.sha256(lf).hexdigest(),
                     hashlib.sha256(crlf).hexdigest()]))
PY

diff -u --label expected --label actual "$work/expected" "$work/actual" ||
  fail "embedded foreign identities differ from the expected ones"
# A CR LF file is hashed with its CRs (the same text with LF endings has
# another digest).
crlf=$(grep -P '^plain\tm\t0002_crlf' "$work/actual" | cut -f5)
lf=$(printf -- '-- caf\303\251\nCREATE TABLE b (id int);\n' | sha384sum | cut -d' ' -f1)
[ -n "$crlf" ] && [ "$crlf" != "$lf" ] || fail "0002_crlf.sql hashed without its CRs"
echo "foreign.sh: ok ($(grep -c . "$work/actual") migrations checked)"

#!/usr/bin/env bash
# foreign.sh: the foreign identities of data format 6 (docs/generated-data.md,
# "Foreign identities"): for a directory of each layout, the stem, SHA-384
# and MD5 that `migc compile` embeds for every migration (and every carried
# original of an archive) equal the stems this test expects and the digests
# Python's hashlib computes over the up file; CR LF endings and non-ASCII
# bytes are hashed as they are; compiling twice gives identical bytes.
# Data format 7: a chain in Flyway's layout carries each migration's Flyway
# version, description, script and checksum, the checksum equal to the
# CRC-32 Python's zlib computes over the file's lines without their
# terminators (LF, CR LF, lone CR), a leading BOM dropped, as a signed
# 32-bit integer; FLYWAY_CRC computes it for files the generator refuses
# (a BOM, an empty file) too. Other layouts carry none (NULL).
#
# usage: foreign.sh MIGC CC INCLUDE_DIR DUMP_C ARCHIVE_CASE WORKDIR FLYWAY_CRC
set -u
. "$(dirname "$0")/common.sh"

[ $# -eq 7 ] ||
  fail "usage: foreign.sh MIGC CC INCLUDE_DIR DUMP_C ARCHIVE_CASE WORKDIR FLYWAY_CRC"
migc=$1 cc=$2 include=$3 dump_c=$4 archive=$5 work=$6 flyway_crc=$7
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
put flyway V1__init.sql 'CREATE TABLE a (id int);\n'
put flyway $'V1_1__caf\303\251_crlf.sql' '-- caf\303\251 \342\202\254\r\nCREATE TABLE b (id int);\r\n'
put flyway V1.2__lone_cr.sql 'CREATE TABLE c (id int);\rCREATE TABLE c2 (id int);\r'
put flyway sub/V2__no_final_newline.sql 'CREATE TABLE d (id int);'
put flyway V3__mixed.sql '-- x\r\n\r\r\nCREATE TABLE e (id int);\n\n\r'
put flyway U3__mixed.sql 'DROP TABLE e;\n'
put flyway V4__bom.sql '\357\273\277CREATE TABLE f (id int);\r\n'
# Files only the checksum sees: the generator refuses an empty file
# ([empty-migration]), and a BOM outside Flyway's layout ([encoding]);
# Flyway sums them all the same.
put crc bom.sql '\357\273\277CREATE TABLE f (id int);\r\n'
put crc bom_only.sql '\357\273\277'
put crc bom_second_line.sql '\n\357\273\277x\n'
put crc empty.sql ''
put crc newlines.sql '\r\n\n\r'

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
flyway m V1__init.sql V1__init
flyway m V1_1__café_crlf.sql V1_1__café_crlf
flyway m V1.2__lone_cr.sql V1.2__lone_cr
flyway m sub/V2__no_final_newline.sql sub/V2__no_final_newline
flyway m V3__mixed.sql V3__mixed
flyway m V4__bom.sql V4__bom
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
for dir in plain updown dbmate goose diesel prisma postgrator pop flyway archive; do
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
# Flyway's identities: version (the name's, _ as .), description (after
# __, without .sql, _ as space), script (the path), checksum (zlib).
python3 - "$work" >>"$work/expected" <<'PY' || fail "python3 failed"
import os, re, sys, zlib
work = sys.argv[1]
def flyway_sum(data):
    # Java's readLine: lines end at \n, \r\n or a lone \r; a BOM is
    # dropped from the first line; each line's bytes summed in turn
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    crc = 0
    for line in re.split(rb"\r\n|\r|\n", data):
        crc = zlib.crc32(line, crc)
    return crc - (1 << 32) if crc >= 1 << 31 else crc
for line in open(os.path.join(work, "stems")):
    d, kind, name, stem = line.split()
    if d != "flyway":
        continue
    base = os.path.basename(name)
    m = re.match(r"V([0-9._]+)__(.*)\.sql$", base)
    data = open(os.path.join(work, d, name), "rb").read()
    print("\t".join([d, "f" + kind, name, m.group(1).replace("_", "."),
                     m.group(2).replace("_", " "), name,
                     str(flyway_sum(data))]))
PY

# each layout's lines together, in the order written
for f in expected actual; do
  LC_ALL=C sort -s -t"$(printf '\t')" -k1,1 "$work/$f" >"$work/$f.sorted" ||
    fail "cannot sort $f"
done
diff -u --label expected --label actual "$work/expected.sorted" \
  "$work/actual.sorted" ||
  fail "embedded foreign identities differ from the expected ones"

# Flyway's checksum of every file above, those the generator refuses
# included, against zlib's.
(cd "$work" && find flyway crc -name '*.sql' | LC_ALL=C sort >sums.list) ||
  fail "cannot list the files"
(cd "$work" && xargs -d '\n' "$flyway_crc" <sums.list >sums.actual) ||
  fail "flyway_crc failed"
python3 - "$work" >"$work/sums.expected" <<'PY' || fail "python3 failed"
import os, re, sys, zlib
work = sys.argv[1]
for name in open(os.path.join(work, "sums.list")).read().splitlines():
    data = open(os.path.join(work, name), "rb").read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    crc = 0
    for line in re.split(rb"\r\n|\r|\n", data):
        crc = zlib.crc32(line, crc)
    print(crc - (1 << 32) if crc >= 1 << 31 else crc, name)
PY
diff -u --label zlib --label flyway_crc "$work/sums.expected" "$work/sums.actual" ||
  fail "Flyway checksums differ from zlib's"
# the empty file sums to 0, the BOM alone too; the BOM is dropped only at
# the start of the file
grep -qx '0 crc/empty.sql' "$work/sums.actual" || fail "empty file: not 0"
grep -qx '0 crc/bom_only.sql' "$work/sums.actual" || fail "BOM only: not 0"
[ "$(grep ' crc/bom.sql$' "$work/sums.actual" | cut -d' ' -f1)" = \
  "$(printf 'CREATE TABLE f (id int);' | python3 -c 'import sys, zlib; c = zlib.crc32(sys.stdin.buffer.read()); print(c - (1 << 32) if c >= 1 << 31 else c)')" ] ||
  fail "the BOM is summed"
[ "$(grep ' crc/bom_second_line.sql$' "$work/sums.actual" | cut -d' ' -f1)" != \
  "$(grep ' crc/bom_only.sql$' "$work/sums.actual" | cut -d' ' -f1)" ] ||
  fail "a BOM on the second line is dropped"
# A CR LF file is hashed with its CRs (the same text with LF endings has
# another digest).
crlf=$(grep -P '^plain\tm\t0002_crlf' "$work/actual" | cut -f5)
lf=$(printf -- '-- caf\303\251\nCREATE TABLE b (id int);\n' | sha384sum | cut -d' ' -f1)
[ -n "$crlf" ] && [ "$crlf" != "$lf" ] || fail "0002_crlf.sql hashed without its CRs"
echo "foreign.sh: ok ($(grep -c . "$work/actual") migrations checked)"

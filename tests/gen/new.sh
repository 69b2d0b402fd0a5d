#!/usr/bin/env bash
# new.sh: `migc new` on every layout migc reads: the files it makes are the
# layout's, sort last, and (once their SQL is written) check clean and
# compile; refusals leave the directory as it was (docs/cli.md).
#   new.sh MIGC
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
  [ "$rc" = "$want" ] || { cat out err >&2; fail "$* exited $rc, expected $want"; }
}
listing() { (cd "$1" && find . | sort); }

# fill FILE UPSQL DOWNSQL LAYOUT: write SQL where the template leaves room.
fill() {
  local f=$1 up=$2 down=$3 layout=$4
  case $layout in
    dbmate) sed -i "s|^-- migrate:up.*|&\n$up|; s|^-- migrate:down.*|&\n$down|" "$f" ;;
    goose) sed -i "s|^-- +goose Up|&\n$up|; s|^-- +goose Down|&\n$down|" "$f" ;;
    *) printf '%s\n' "$up" >>"$f" ;;
  esac
}

# One existing migration per layout, old enough to sort first.
mkdir plain up-down dbmate goose diesel prisma postgrator postgres-migrations \
  flyway flyway/r1
printf 'CREATE TABLE a (id int);\n' >plain/20200101000000_a.sql
printf 'CREATE TABLE a (id int);\n' >up-down/20200101000000_a.up.sql
printf 'DROP TABLE a;\n' >up-down/20200101000000_a.down.sql
printf -- '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n' >dbmate/20200101000000_a.sql
printf -- '-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n' >goose/20200101000000_a.sql
mkdir diesel/2020-01-01-000000_a prisma/20200101000000_a
printf 'CREATE TABLE a (id int);\n' >diesel/2020-01-01-000000_a/up.sql
printf 'DROP TABLE a;\n' >diesel/2020-01-01-000000_a/down.sql
printf 'CREATE TABLE a (id int);\n' >prisma/20200101000000_a/migration.sql
printf 'CREATE TABLE a (id int);\n' >postgrator/001.do.a.sql
printf 'DROP TABLE a;\n' >postgrator/001.undo.a.sql
printf 'CREATE TABLE a (id int);\n' >postgres-migrations/0001-a.sql
printf 'CREATE TABLE a (id int);\n' >flyway/r1/V1__a.sql

stamp='[0-9]\{14\}'
declare -A want=(
  [plain]="^plain/${stamp}_add_b\.sql$"
  [up-down]="^up-down/${stamp}_add_b\.up\.sql up-down/${stamp}_add_b\.down\.sql$"
  [dbmate]="^dbmate/${stamp}_add_b\.sql$"
  [goose]="^goose/${stamp}_add_b\.sql$"
  [diesel]="^diesel/[0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}-[0-9]\{6\}_add_b/up\.sql diesel/[0-9-]*_add_b/down\.sql$"
  [prisma]="^prisma/${stamp}_add_b/migration\.sql$"
  [postgrator]="^postgrator/002\.do\.add_b\.sql postgrator/002\.undo\.add_b\.sql$"
  [postgres-migrations]="^postgres-migrations/0002-add_b\.sql$"
  [flyway]="^flyway/V2__add_b\.sql$"
)
for layout in plain up-down dbmate goose diesel prisma postgrator \
  postgres-migrations flyway; do
  run 0 "$migc" new "$layout" add_b
  [ ! -s err ] || fail "$layout: new wrote to stderr: $(cat err)"
  echo "$(tr '\n' ' ' <out | sed 's/ $//')" | grep -q "${want[$layout]}" ||
    fail "$layout: made $(cat out)"
  up=$(head -n 1 out)
  down=$(sed -n 2p out)
  # Empty but for the markers: check names it until the SQL is written.
  run 1 "$migc" check "$layout" --no-packs
  grep -q "^$up: error: .*holds no SQL statement .*\[empty-migration\]$" out ||
    fail "$layout: the empty template was not reported: $(cat out)"
  [ "$(grep -c ': error: ' out)" = 1 ] || fail "$layout: $(cat out)"
  fill "$up" 'CREATE TABLE b (id int);' 'DROP TABLE b;' "$layout"
  [ -z "$down" ] || [ "$down" = "$up" ] || printf 'DROP TABLE b;\n' >>"$down"
  run 0 "$migc" check "$layout" --no-packs
  [ ! -s out ] || fail "$layout: check after writing the SQL: $(cat out)"
  run 0 "$migc" list "$layout"
  [ "$(tail -n 1 out | cut -f2)" = "${up#"$layout"/}" ] ||
    fail "$layout: the new migration is not last: $(cat out)"
  [ "$(tail -n 1 out | cut -f3)" = 1 ] || fail "$layout: $(tail -n 1 out)"
  run 0 "$migc" compile "$layout" --no-packs -o "$layout.c" --name s
done

# A sequence keeps its width, after its newest number.
mkdir seq
printf 'CREATE TABLE a (id int);\n' >seq/0008_a.sql
printf 'CREATE TABLE c (id int);\n' >seq/0009_c.sql
run 0 "$migc" new seq next
[ "$(cat out)" = "seq/0010_next.sql" ] || fail "sequence: $(cat out)"

# Flyway's styles: a major at its width, the next major after dotted
# versions, a time stamp after time stamps; --no-transaction writes the
# script's configuration file.
mkdir fw-width fw-dotted fw-stamp
printf 'CREATE TABLE a (id int);\n' >fw-width/V007__a.sql
printf 'CREATE TABLE a (id int);\n' >fw-dotted/V1.1__a.sql
printf 'CREATE TABLE c (id int);\n' >fw-dotted/V1_2__c.sql
printf 'CREATE TABLE a (id int);\n' >fw-stamp/V20200101000000__a.sql
run 0 "$migc" new fw-width next
[ "$(cat out)" = "fw-width/V008__next.sql" ] || fail "flyway width: $(cat out)"
run 0 "$migc" new fw-dotted next
[ "$(cat out)" = "fw-dotted/V2__next.sql" ] || fail "flyway dotted: $(cat out)"
run 0 "$migc" new fw-stamp next
grep -qx "fw-stamp/V${stamp}__next\.sql" out || fail "flyway stamp: $(cat out)"
run 0 "$migc" new fw-fresh init --layout flyway
[ "$(cat out)" = "fw-fresh/V1__init.sql" ] || fail "flyway fresh: $(cat out)"
run 0 "$migc" new fw-width idx --no-transaction
[ "$(tr '\n' ' ' <out)" = "fw-width/V009__idx.sql fw-width/V009__idx.sql.conf " ] ||
  fail "flyway no-transaction: $(cat out)"
grep -qx 'executeInTransaction=false' fw-width/V009__idx.sql.conf ||
  fail "flyway no-transaction: $(cat fw-width/V009__idx.sql.conf)"
printf 'CREATE TABLE t (id int);\n' >>fw-width/V009__idx.sql
printf 'CREATE TABLE n (id int);\n' >>fw-width/V008__next.sql
run 0 "$migc" list fw-width
[ "$(tail -n 1 out | cut -f4)" = 'no-transaction,declared' ] ||
  fail "flyway no-transaction: $(cat out)"

# An empty or absent folder: plain and timestamped, or the layout asked.
run 0 "$migc" new fresh/m init
grep -qx "fresh/m/${stamp}_init\.sql" out || fail "fresh: $(cat out)"
run 0 "$migc" new fresh2 init --layout postgrator
[ "$(tr '\n' ' ' <out)" = "fresh2/001.do.init.sql fresh2/001.undo.init.sql " ] ||
  fail "fresh postgrator: $(cat out)"

# --no-transaction, in each layout's own words; list shows the flag.
declare -A notx=(
  [plain]='-- migc:no-transaction'
  [dbmate]='-- migrate:up transaction:false'
  [goose]='-- +goose NO TRANSACTION'
  [diesel]='run_in_transaction = false'
  [postgres-migrations]='-- postgres-migrations disable-transaction'
)
for layout in plain dbmate goose diesel postgres-migrations; do
  run 0 "$migc" new "notx-$layout" idx --layout "$layout" --no-transaction
  up=$(head -n 1 out)
  if [ "$layout" = diesel ]; then
    grep -qx "${notx[$layout]}" "$(dirname "$up")/metadata.toml" || fail "diesel: no metadata.toml"
  else
    grep -qx -- "${notx[$layout]}" "$up" || fail "$layout: no marker in $(cat "$up")"
  fi
  fill "$up" 'CREATE TABLE t (id int);' 'DROP TABLE t;' "$layout"
  [ "$(sed -n 2p out)" = "" ] || printf 'DROP TABLE t;\n' >>"$(sed -n 2p out)"
  run 0 "$migc" list "notx-$layout"
  tail -n 1 out | cut -f4 | grep -q 'no-transaction' ||
    fail "$layout: not a no-transaction migration: $(cat out)"
done

# Refusals: exact message, exit 1, the directory unchanged.
before=$(listing plain)
run 1 "$migc" new plain "add users"
[ "$(cat err)" = "migc: error: 'add users' is not a migration name: use letters, digits, _ and - (at most 200) [naming]" ] ||
  fail "bad name: $(cat err)"
[ "$(listing plain)" = "$before" ] || fail "bad name: the directory changed"

printf 'CREATE TABLE z (id int);\n' >plain/99990101000000_future.sql
before=$(listing plain)
run 1 "$migc" new plain late
grep -qx "plain/${stamp}_late\.sql: error: a new migration must sort after every existing one, but this one would not sort after plain/99990101000000_future\.sql; migrations apply in version order \[naming\]" err ||
  fail "sorts before: $(cat err)"
[ "$(listing plain)" = "$before" ] || fail "sorts before: a file was left behind"
[ ! -s out ] || fail "sorts before: printed $(cat out)"

before=$(listing seq)
run 1 "$migc" new seq other --layout dbmate
[ "$(cat err)" = "seq/0010_next.sql: error: the directory holds migrations of the plain layout; a new one of the dbmate layout would mix layouts [layout]" ] || fail "other layout: $(cat err)"
[ "$(listing seq)" = "$before" ] || fail "other layout: the directory changed"

run 2 "$migc" new seq
[ "$(head -n 1 err)" = "migc new: error: DIR and NAME are required" ] || fail "usage: $(cat err)"
run 2 "$migc" new seq x --layout nope
[ "$(head -n 1 err)" = "migc new: error: unknown layout 'nope'" ] || fail "usage: $(cat err)"
run 0 "$migc" new --help
grep -q '^usage: migc new DIR NAME' out || fail "--help"
echo "new.sh: every layout, sequences, no-transaction templates and refusals"

#!/usr/bin/env bash
# migrate_only.sh: a service that calls only migc_migrate() links nothing
# of libmigc_cli although migc_embed() offers it: its link map takes no
# member of libmigc_cli.a, and it imports neither fork, exec nor setuid
# (the embedded cluster's), nor defines migc_main. The same checks on a
# migc_main() service (PLAIN, with its own map) must find all of those, so
# the test can tell. Then the service applies its schema on a fresh
# database, and a second run has nothing to do.
#   migrate_only.sh SERVICE SERVICE_MAP PLAIN PLAIN_MAP
set -euo pipefail
service=$1 service_map=$2 plain=$3 plain_map=$4
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
fail() { echo "migrate_only.sh: FAIL: $*" >&2; exit 1; }

forbidden='^(fork|vfork|execv|execve|execvp|execl|execlp|setuid|setgid|setgroups|initgroups|waitpid|posix_spawn)$'
# imports BINARY: the libc functions of the embedded cluster it needs.
imports() { nm -u "$1" | awk '{ print $NF }' | sed 's/@.*//' | grep -E "$forbidden" | sort -u || true; }
# cli_members MAP: the members of libmigc_cli.a the link took.
cli_members() { grep -oE 'libmigc_cli\.a\([^)]*\)' "$1" | sort -u || true; }

got=$(imports "$service")
[ -z "$got" ] || fail "a migc_migrate()-only service imports:" $got
got=$(cli_members "$service_map")
[ -z "$got" ] || fail "a migc_migrate()-only service links" $got
grep -q 'libmigc\.a(' "$service_map" || fail "no member of libmigc.a in $service_map"
nm "$service" | grep -qw migc_main && fail "a migc_migrate()-only service defines migc_main"

[ -n "$(imports "$plain")" ] || fail "control: a migc_main() service imports no fork/exec"
[ -n "$(cli_members "$plain_map")" ] || fail "control: no libmigc_cli.a member in $plain_map"
echo "migc_main() service: imports" $(imports "$plain") "and links" $(cli_members "$plain_map")
echo "migc_migrate() service: none of them; links" $(grep -oE 'libmigc(_cli)?\.a\([^)]*\)' "$service_map" | sort -u)

pgtest_createdb migrate_only
out=$("$service" "$PGTEST_DB") || fail "first run"
[[ $out == "applied "*" of "*" pending; application_name migrate_only" ]] ||
  fail "first run printed '$out'"
[[ $out != "applied 0 "* ]] || fail "first run applied nothing: '$out'"
out=$("$service" "$PGTEST_DB") || fail "second run"
[ "$out" = "applied 0 of 0 pending; application_name migrate_only" ] ||
  fail "second run printed '$out'"
echo "migrate_only: applied the schema, then nothing to do"

#!/usr/bin/env bash
# fleet.sh: up and status over a fleet (issue 21, docs/fleets.md). Twenty
# databases, one holding a conflicting table: 19 applied, 1 failed with its
# error, exit 5; the same run in JSON (validated); status --fleet's matrix;
# the conflict removed, a rerun applies that one alone and leaves the
# others' ledgers as they were. --jobs observed in pg_stat_activity during
# a slow chain (--fleet-query). --schema and --fleet-schemas: three schemas
# of one database, each with its own ledger, one failing alone; a
# schema-qualified table goes where it says. Mistakes refused, nothing run.
#   fleet.sh OK_SERVICE SLOW_SERVICE QUALIFIED_SERVICE
set -euo pipefail
shopt -s lastpipe # `... | expect out` counts failures in this shell
ok=$1 slow=$2 qualified=$3
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
unset DATABASE_URL
pgtest_tmpdir
tmp=$PGTEST_TMP
# shellcheck source-path=SCRIPTDIR source=../support/runexpect.bash
. "$here/../support/runexpect.bash"

# A target as the report shows it: everything but the password. Sorted
# lines (targets finish in any order); durations and the pid masked.
shown() {
  sed -E -e "s|host=$PGHOST ||g" -e "s| user=${PGUSER:-postgres}||g" \
    -e "s/_$$_/_P_/g" -e 's/ in [0-9]+\.[0-9] ms$/ in N ms/' \
    -e 's/\([0-9]+\.[0-9] s, /(N s, /' "$tmp/$last.$1"
}
ledger() { # version@applied_at of each ledger row
  pgtest_psql "$1" -At -c "SELECT coalesce(string_agg(version || '@' || applied_at, ',' ORDER BY version), 'none') FROM ${2:-public}.migc_migrations" 2>/dev/null || echo absent
}
versions() { # the versions in the ledger
  pgtest_psql "$1" -At -c "SELECT coalesce(string_agg(version::text, ' ' ORDER BY version), 'none') FROM ${2:-public}.migc_migrations" 2>/dev/null || echo absent
}

# ---- twenty databases, the seventh with a table in the way -------------------
fleet=$tmp/fleet.txt
printf '# the tenants\n\n' >"$fleet"
dbs=() names=()
for i in $(seq 1 20); do
  pgtest_createdb "fleet_$i"
  dbs+=("$PGTEST_DB")
  names+=("$PGTEST_DB_NAME")
  if [ "$i" = 3 ]; then # a password: never shown
    echo "$PGTEST_DB password='s3cret pw'" >>"$fleet"
  else
    echo "  $PGTEST_DB" >>"$fleet"
  fi
done
echo '# end' >>"$fleet"
pgtest_psql "${dbs[6]}" -c "CREATE TABLE tags (x integer)"
bad=${names[6]}

# ---- a fleet file that cannot be read: nothing runs --------------------------
run bad_line "$ok" up --fleet - <<IN
$PGTEST_DB
host=x nonsense
IN
expect_status 1
expect out </dev/null
echo 'plain_service_ok: error: (standard input):2: not a connection string: missing "=" after "nonsense" in connection info string' | expect err
[ "$(ledger "${dbs[0]}")" = absent ] || fail "a refused fleet ran: $(ledger "${dbs[0]}")"
run empty "$ok" up --fleet - <<<'# nothing'
expect_status 1
echo 'plain_service_ok: error: the fleet file (standard input) lists no target' | expect err
run missing "$ok" up --fleet "$tmp/none.txt"
expect_status 1
echo "plain_service_ok: error: cannot read the fleet file $tmp/none.txt: No such file or directory" | expect err
# shellcheck disable=SC2016 # the backquotes are the usage text's own
usage() { printf 'plain_service_ok: error: %s\nusage: plain_service_ok [OPTIONS] COMMAND\nrun `plain_service_ok --help` for the commands and options\n' "$1"; }
run jobs_zero "$ok" up --fleet "$fleet" --jobs 0
expect_status 2
usage "--jobs takes a count from 1 to 1000, not '0'" | expect err
run jobs_alone "$ok" up --jobs 2
expect_status 2
usage "--jobs is for a fleet (--fleet, --fleet-query or --fleet-schemas)" | expect err
run fleet_check "$ok" check --fleet "$fleet"
expect_status 2
usage "a fleet is for up and status, not check" | expect err
run two_fleets "$ok" up --fleet "$fleet" --fleet-query 'SELECT 1'
expect_status 2
usage "--fleet, --fleet-query and --fleet-schemas each name the whole fleet: give one" | expect err
run schemas_schema "$ok" up --fleet-schemas 'SELECT 1' --schema a
expect_status 2
usage "--fleet-schemas names each target's schema: --schema contradicts it" | expect err
run long_schema "$ok" up --schema "$(printf 'x%.0s' $(seq 64))"
expect_status 2
usage "--schema takes a schema name of 1 to 63 bytes, not '$(printf 'x%.0s' $(seq 64))'" | expect err
run query_nodb env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE "$ok" up --fleet-query 'SELECT 1'
expect_status 2
echo 'plain_service_ok: error: --fleet-query runs on a database: pass --database URL or set DATABASE_URL (or libpq'"'"'s PGHOST and friends)' | expect err
[ "$(ledger "${dbs[0]}")" = absent ] || fail "a refused fleet ran"

# The help names the options.
run help_up "$ok" up --help
expect_status 0
for o in '--fleet FILE' '--fleet-query SQL' '--fleet-schemas SQL' '--jobs N' 'Exit 0 when every target is up to'; do
  grep -qF -- "$o" "$tmp/help_up.out" || fail "up --help lacks $o"
done
run help_all "$ok" --help
grep -qF -- '--schema NAME' "$tmp/help_all.out" || fail "--help lacks --schema"
grep -qF -- '5 some target of a' "$tmp/help_all.out" || fail "--help lacks exit 5"

# ---- 19 applied, 1 failed ----------------------------------------------------
run up_fleet "$ok" up --fleet "$fleet" --jobs 4
expect_status 5
expect err </dev/null
grep -q 's3cret' "$tmp/up_fleet.out" && fail "the password is shown"
shown out | sort >"$tmp/up_fleet.sorted"
{
  echo '20 targets: 0 already up to date, 19 applied, 1 failed (N s, --jobs 4)'
  for i in $(seq 1 20); do
    [ "$i" = 7 ] && continue
    echo "dbname=s_fleet_${i}_P_$((i - 1)): applied 3 (0 -> 3) in N ms"
  done
  echo 'dbname=s_fleet_7_P_6: failed (0 -> 2, 2 applied): tests/integration/schemas/ok/0003_tags.sql:2:1: 42P07 relation "tags" already exists'
  echo 'failed: dbname=s_fleet_7_P_6'
} | sort >"$tmp/up_fleet.want"
diff -u "$tmp/up_fleet.want" "$tmp/up_fleet.sorted" || fail "up --fleet's lines differ (- expected, + got)"
for i in $(seq 0 19); do
  l=$(versions "${dbs[$i]}")
  want='1 2 3'
  [ "$i" = 6 ] && want='1 2'
  [ "$l" = "$want" ] || fail "database $((i + 1)): ledger $l, expected $want"
done

# The same fleet in JSON: the 19 up to date in one round trip each, the
# seventh failing again; stdout holds the document alone.
run up_json "$ok" up --fleet "$fleet" --format=json
expect_status 5
python3 -m json.tool "$tmp/up_json.out" >/dev/null || fail "not JSON: $(cat "$tmp/up_json.out")"
python3 - "$tmp/up_json.out" "$bad" <<'PY' || fail "the JSON report: $(cat "$tmp/up_json.out")"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["command"] == "up", doc
f = doc["fleet"]
assert (f["targets"], f["jobs"], f["up_to_date"], f["applied"], f["failed"]) == (20, 4, 19, 0, 1), f
assert len(doc["targets"]) == 20
for t in doc["targets"]:
    assert "s3cret" not in t["target"], t
    assert t["db_schema"] is None
    assert isinstance(t["duration_ms"], float)
    if sys.argv[2] in t["target"]:
        assert (t["outcome"], t["before"], t["after"], t["applied"], t["pending"]) == ("failed", 2, 2, 0, 1), t
        e = t["error"]
        assert e["code"] == "ERR_MIGRATION" and e["sqlstate"] == "42P07" and e["version"] == 3, e
        assert e["path"] == "tests/integration/schemas/ok/0003_tags.sql" and e["line"] == 2, e
    else:
        assert (t["outcome"], t["before"], t["after"], t["applied"], t["pending"], t["error"]) == ("up to date", 3, 3, 0, 0, None), t
PY
grep -c 'already up to date (3)$' "$tmp/up_json.err" | grep -qx 19 || fail "JSON: the lines per target on stderr: $(cat "$tmp/up_json.err")"

# ---- status --fleet: the matrix ------------------------------------------------
pgtest_createdb fleet_drift
drift_db=$PGTEST_DB
run drift_up "$ok" --database "$drift_db" up
expect_status 0
pgtest_psql "$drift_db" -c "UPDATE migc_migrations SET checksum = repeat('0', 64), canonical = repeat('0', 64) WHERE version = 2"
printf '%s\n' "${dbs[0]}" "${dbs[6]}" "$drift_db" "host=$PGHOST dbname=fleet_no_such_db_$$" >"$tmp/matrix.txt"
run matrix "$ok" status --fleet "$tmp/matrix.txt" --jobs 2
expect_status 5
shown out | sed -E 's/  +/  /g' >"$tmp/matrix.got"
sed -E 's/  +/  /g' >"$tmp/matrix.want" <<OUT
TARGET                                                         NEWEST          PENDING  STATE
dbname=s_fleet_1_P_0                 3               0        up to date
dbname=s_fleet_7_P_6                 2               1        pending
dbname=s_fleet_drift_P_20            3               0        drift: 1 modified
dbname=fleet_no_such_db_$$  -               -        error: cannot connect to the database: connection to server on socket "$PGHOST/.s.PGSQL.${PGPORT:-5432}" failed: FATAL:  database "fleet_no_such_db_$$" does not exist
4 targets: 1 up to date, 1 pending, 1 drift, 1 unreadable
OUT
diff -u "$tmp/matrix.want" "$tmp/matrix.got" || fail "status --fleet's matrix differs"
run matrix_json "$ok" status --fleet "$tmp/matrix.txt" --format=json
expect_status 5
python3 - "$tmp/matrix_json.out" <<'PY' || fail "status --fleet JSON: $(cat "$tmp/matrix_json.out")"
import json, sys
doc = json.load(open(sys.argv[1]))
f = doc["fleet"]
assert (f["targets"], f["up_to_date"], f["pending"], f["drift"], f["failed"]) == (4, 1, 1, 1, 1), f
got = [(t["outcome"], t["newest"], t["pending"], t["drift"], t["error"] and t["error"]["code"]) for t in doc["targets"]]
assert got == [("up to date", 3, 0, None, None), ("pending", 2, 1, None, None),
               ("drift", 3, 0, "1 modified", None), ("failed", None, 0, None, "ERR_CONNECT")], got
PY

# ---- the conflict removed: the rerun applies that one alone -------------------
for i in $(seq 0 19); do ledger "${dbs[$i]}"; done >"$tmp/ledgers.before"
pgtest_psql "${dbs[6]}" -c "DROP TABLE tags"
run rerun "$ok" up --fleet "$fleet" --jobs 4
expect_status 0
shown out | sort >"$tmp/rerun.sorted"
{
  echo '20 targets: 19 already up to date, 1 applied, 0 failed (N s, --jobs 4)'
  for i in $(seq 1 20); do
    [ "$i" = 7 ] && continue
    echo "dbname=s_fleet_${i}_P_$((i - 1)): already up to date (3)"
  done
  echo 'dbname=s_fleet_7_P_6: applied 1 (2 -> 3) in N ms'
} | sort >"$tmp/rerun.want"
diff -u "$tmp/rerun.want" "$tmp/rerun.sorted" || fail "the rerun's lines differ"
for i in $(seq 0 19); do ledger "${dbs[$i]}"; done >"$tmp/ledgers.after"
diff <(sed 7d "$tmp/ledgers.before") <(sed 7d "$tmp/ledgers.after") || fail "the rerun touched the up-to-date ledgers"

# ---- --jobs 3 observed: never more than 3 connections of the service -----------
# (plus one: the --fleet-query connection, closed before the targets start).
for i in $(seq 1 8); do pgtest_createdb "fslow_$i"; done
app='plain_service_slow (migc)'
: >"$tmp/samples"
(
  while [ ! -e "$tmp/stop" ]; do
    pgtest_psql "${dbs[0]}" -At -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$app'" >>"$tmp/samples" || true
    sleep 0.05
  done
) &
sampler=$!
run slow_fleet "$slow" --database "${dbs[0]}" up --jobs 3 \
  --fleet-query "SELECT datname FROM pg_database WHERE datname LIKE 's\\_fslow\\_%\\_$$\\_%' ORDER BY datname"
touch "$tmp/stop"
wait "$sampler"
expect_status 0
shown out | tail -1 >"$tmp/slow.last"
grep -qx '8 targets: 0 already up to date, 8 applied, 0 failed (N s, --jobs 3)' "$tmp/slow.last" ||
  fail "the slow fleet's summary: $(cat "$tmp/slow.last")"
[ "$(grep -c 'applied 3 (0 -> 3)' "$tmp/slow_fleet.out")" = 8 ] || fail "slow fleet: $(cat "$tmp/slow_fleet.out")"
most=$(sort -n "$tmp/samples" | tail -1)
[ "$(wc -l <"$tmp/samples")" -ge 10 ] || fail "too few samples: $(wc -l <"$tmp/samples")"
[ "$most" -le 4 ] || fail "--jobs 3: $most connections at once"
[ "$most" -ge 2 ] || fail "--jobs 3: never more than $most connection at once"
echo "--jobs 3: at most $most connections at once over $(wc -l <"$tmp/samples") samples"

# ---- --fleet-schemas: three schemas of one database, the second failing ------
pgtest_createdb fleet_schemas
sdb=$PGTEST_DB sname=${PGTEST_DB_NAME//_$$_/_P_}
pgtest_psql "$sdb" -c "CREATE SCHEMA t2" -c "CREATE TABLE t2.tags (x integer)"
tenants="SELECT unnest(ARRAY['t1', 't2', 't3'])"
run schemas_up "$ok" --database "$sdb" up --fleet-schemas "$tenants" --jobs 3
expect_status 5
shown out | sort >"$tmp/schemas_up.sorted"
sort >"$tmp/schemas_up.want" <<OUT
3 targets: 0 already up to date, 2 applied, 1 failed (N s, --jobs 3)
dbname=$sname schema=t1: applied 3 (0 -> 3) in N ms
dbname=$sname schema=t2: failed (0 -> 2, 2 applied): tests/integration/schemas/ok/0003_tags.sql:2:1: 42P07 relation "tags" already exists
dbname=$sname schema=t3: applied 3 (0 -> 3) in N ms
failed: dbname=$sname schema=t2
OUT
diff -u "$tmp/schemas_up.want" "$tmp/schemas_up.sorted" || fail "--fleet-schemas's lines differ"
for t in t1:'1 2 3' t2:'1 2' t3:'1 2 3' public:absent; do
  [ "$(versions "$sdb" "${t%%:*}")" = "${t#*:}" ] || fail "schema ${t%%:*}: ledger $(versions "$sdb" "${t%%:*}")"
done
where=$(pgtest_psql "$sdb" -At -c "SELECT string_agg(n.nspname || '.' || c.relname, ' ' ORDER BY n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname IN ('items', 'tags')")
[ "$where" = "t1.items t1.tags t2.items t2.tags t3.items t3.tags" ] || fail "tables: $where"
ledger "$sdb" t1 >"$tmp/t1.before"
ledger "$sdb" t3 >"$tmp/t3.before"
# The one fixed and brought up alone with --schema; the others untouched.
pgtest_psql "$sdb" -c "DROP TABLE t2.tags"
run t2_up "$ok" --database "$sdb" --schema t2 up
expect_status 0
expect out <<'OUT'
applying 0003_tags.sql (1/1)
applied 0003_tags.sql (N ms)
applied 1 migration; database is up to date
OUT
ledger "$sdb" t1 | cmp -s - "$tmp/t1.before" || fail "t1's ledger changed"
ledger "$sdb" t3 | cmp -s - "$tmp/t3.before" || fail "t3's ledger changed"
run schema_bad_conninfo "$ok" --database 'host=x nonsense' --schema t1 check
expect_status 1
echo 'plain_service_ok: error: --schema: missing "=" after "nonsense" in connection info string' | expect err
run t1_check "$ok" --database "$sdb" --schema t1 check
expect_status 0
run t4_check "$ok" --database "$sdb" --schema t4 check
expect_status 3
run public_check "$ok" --database "$sdb" check
expect_status 3
run schemas_matrix "$ok" --database "$sdb" status --fleet-schemas "$tenants UNION ALL SELECT 't4'"
expect_status 0
shown out | sed -E 's/  +/  /g' >"$tmp/schemas_matrix.got"
sed -E 's/  +/  /g' >"$tmp/schemas_matrix.want" <<OUT
TARGET  NEWEST  PENDING  STATE
dbname=$sname schema=t1  3  0  up to date
dbname=$sname schema=t2  3  0  up to date
dbname=$sname schema=t3  3  0  up to date
dbname=$sname schema=t4  0  3  pending
4 targets: 3 up to date, 1 pending, 0 drift, 0 unreadable
OUT
diff -u "$tmp/schemas_matrix.want" "$tmp/schemas_matrix.got" || fail "the schemas' matrix differs"
[ "$(pgtest_psql "$sdb" -At -c "SELECT count(*) FROM pg_namespace WHERE nspname = 't4'")" = 0 ] ||
  fail "status or check created schema t4"

# ---- any schema name; a schema-qualified table goes where it says -----------
# --jobs 1: CREATE TABLE IF NOT EXISTS public.x run by two tenants at once
# can fail on the server (two creators; docs/fleets.md).
pgtest_createdb fleet_quoted
qdb=$PGTEST_DB
run quoted_up "$qualified" --database "$qdb" up --jobs 1 --fleet-schemas "VALUES ('a'), ('b c'), ('Q\"x''s')"
expect_status 0
grep -c 'applied 2 (0 -> 2)' "$tmp/quoted_up.out" | grep -qx 3 || fail "quoted: $(cat "$tmp/quoted_up.out")"
grep -qF "schema='b c': applied" "$tmp/quoted_up.out" || fail "a name with a space is not shown quoted"
got=$(pgtest_psql "$qdb" -At -c "SELECT string_agg(tenant, '|' ORDER BY tenant) FROM public.fleet_shared")
[ "$got" = "Q\"x's|a|b c" ] || fail "public.fleet_shared holds $got"
got=$(pgtest_psql "$qdb" -At -c "SELECT string_agg(n.nspname, '|' ORDER BY n.nspname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'notes'")
[ "$got" = "Q\"x's|a|b c" ] || fail "notes tables in $got"
for t in a 'b c' "Q\"x's"; do
  q=$(pgtest_psql "$qdb" -At -c "SELECT quote_ident('$(printf '%s' "$t" | sed "s/'/''/g")')")
  [ "$(versions "$qdb" "$q")" = "1 2" ] || fail "schema $t: ledger $(versions "$qdb" "$q")"
done
run quoted_again "$qualified" --database "$qdb" --schema 'b c' up
expect_status 0
expect out <<'OUT'
database is up to date (2 migrations; 1 round trip)
OUT

[ "$failures" = 0 ] || exit 1

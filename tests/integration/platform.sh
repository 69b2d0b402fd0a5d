#!/usr/bin/env bash
# platform.sh: the project's own schema on a real server (its packs:
# platform_packs.sh).
#   platform.sh PLATFORM_NOTIFY MIGRATIONS_DIR
# A fresh database gets MIGRATIONS_DIR through psql, file by file; then:
#  - every table with an "updated" column has the BEFORE UPDATE trigger of
#    update_updated_column(), and an UPDATE moves "updated" (identity, and a
#    runtime row after the sync);
#  - an INSERT into execution delivers a NOTIFY on channel "execution" to a
#    LISTENing connection (PLATFORM_NOTIFY), and so does an INSERT into event
#    and enforcement on theirs.
set -euo pipefail
notify_bin=$1 migrations=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
pgtest_tmpdir
tmp=$PGTEST_TMP
fail() {
  echo "platform.sh: FAIL: $*" >&2
  exit 1
}
q() { pgtest_psql "$db" -At -c "$1"; }

python=$(command -v python3) || fail "python3 is needed"

# ---- the schema, through psql ---------------------------------------------
mapfile -t files < <(cd "$migrations" && printf '%s\n' *.sql |
  sort -t_ -k1,1n)
[ "${#files[@]}" -gt 0 ] || fail "no migrations in $migrations"
pgtest_createdb platform
db=$PGTEST_DB
for f in "${files[@]}"; do
  pgtest_psql "$db" --single-transaction -f "$migrations/$f" \
    >"$tmp/psql.log" 2>&1 || {
    cat "$tmp/psql.log" >&2
    fail "psql failed on $f"
  }
done

# ---- updated triggers -------------------------------------------------------
# Tables with an "updated" column but no BEFORE UPDATE trigger calling
# update_updated_column().
missing=$(q "SELECT c.relname FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attname = 'updated'
    AND NOT a.attisdropped
    AND NOT EXISTS (
      SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE t.tgrelid = c.oid AND p.proname = 'update_updated_column'
        AND (t.tgtype & 2) <> 0 AND (t.tgtype & 16) <> 0)
  ORDER BY 1")
[ -z "$missing" ] || fail "tables without an updated trigger: $missing"
n_updated=$(q "SELECT count(*) FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
    AND a.attname = 'updated' AND NOT a.attisdropped")
[ "$n_updated" -gt 0 ] || fail "no table has an updated column"

# Each statement below is its own transaction, so now() differs.
id=$(q "INSERT INTO identity (login) VALUES ('platform-test') RETURNING id")
q "UPDATE identity SET display_name = 'Platform Test' WHERE id = $id" >/dev/null
[ "$(q "SELECT updated > created FROM identity WHERE id = $id")" = t ] ||
  fail "UPDATE of identity did not move updated"

# ---- NOTIFY triggers ------------------------------------------------------
payload=$("$notify_bin" "$db" execution \
  "INSERT INTO execution (action_ref) VALUES ('core.platform_test')") ||
  fail "no notification on channel execution after an INSERT into execution"
"$python" - "$payload" <<'PY' || fail "execution payload: $payload"
import json, sys
p = json.loads(sys.argv[1])
assert p["op"] == "insert" and p["action_ref"] == "core.platform_test", p
assert p["status"] == "requested" and isinstance(p["id"], int), p
PY
exec_id=$(q "SELECT id FROM execution WHERE action_ref = 'core.platform_test'")
payload=$("$notify_bin" "$db" execution \
  "UPDATE execution SET status = 'running' WHERE id = $exec_id") ||
  fail "no notification after a status change of an execution"
case $payload in *'"old_status" : "requested"'*) ;;
  *) fail "status change payload lacks the old status: $payload" ;; esac
payload=$("$notify_bin" "$db" event_created \
  "INSERT INTO event (trigger_ref) VALUES ('core.platform_test')") ||
  fail "no notification on channel event_created after an INSERT into event"
payload=$("$notify_bin" "$db" enforcement \
  "INSERT INTO enforcement (rule_ref, trigger_ref) VALUES ('core.r', 'core.t')") ||
  fail "no notification on channel enforcement after an INSERT"

echo "platform.sh: ${#files[@]} migrations, $n_updated tables with updated" \
  "triggers, NOTIFY delivered"

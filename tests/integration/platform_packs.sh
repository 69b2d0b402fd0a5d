#!/usr/bin/env bash
# platform_packs.sh: the pack statements a generated schema embeds, run on a
# real server.
#   platform_packs.sh PACKS_BIN MIGRATIONS_DIR SOURCE_ROOT
# PACKS_BIN is platform_packs.c linked with the schema compiled from
# MIGRATIONS_DIR and its packs (paths in it are relative to SOURCE_ROOT). A
# fresh database gets the migrations through psql, file by file; then:
#  - every upsert runs; run again, it rewrites no row (every column of every
#    row, "updated" included, stays as it was);
#  - every table a pack fills then holds exactly the rows of its YAML files,
#    field by field, compared as jsonb; the YAML is read by PyYAML with the
#    YAML 1.2 core schema, not by migc;
#  - no orphan right after a sync; a row renamed to a ref the files do not
#    hold is found by the orphans query and removed by prune; the upserts
#    then bring back the tables the YAML describes.
set -euo pipefail
packs_bin=$1 migrations=$2 root=$3
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../support/pgtest.bash
. "$here/../support/pgtest.bash"
pgtest_init
pgtest_tmpdir
tmp=$PGTEST_TMP
fail() {
  echo "platform_packs.sh: FAIL: $*" >&2
  exit 1
}
q() { pgtest_psql "$db" -At -c "$1"; }
run() { # run FILE LABEL
  pgtest_psql "$db" --single-transaction -f "$1" >"$tmp/run.log" 2>&1 || {
    cat "$tmp/run.log" >&2
    fail "$2"
  }
}

python=
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import yaml' 2>/dev/null; then
    python=$p
    break
  fi
done
[ -n "$python" ] || fail "python3 with PyYAML is needed (Debian: python3-yaml)"

mapfile -t files < <(cd "$migrations" && printf '%s\n' *.sql |
  sort -t_ -k1,1n)
[ "${#files[@]}" -gt 0 ] || fail "no migrations in $migrations"
pgtest_createdb packs
db=$PGTEST_DB
for f in "${files[@]}"; do
  run "$migrations/$f" "psql failed on $f"
done

"$packs_bin" upserts >"$tmp/upserts.sql" || fail "platform_packs upserts"
"$packs_bin" rows >"$tmp/rows.tsv" || fail "platform_packs rows"
"$packs_bin" orphans >"$tmp/orphans.sql" || fail "platform_packs orphans"
"$packs_bin" prune >"$tmp/prune.sql" || fail "platform_packs prune"
n_rows=$(wc -l <"$tmp/rows.tsv")
[ "$n_rows" -gt 0 ] || fail "the generated data holds no pack row"
[ "$(grep -c '^INSERT INTO ' "$tmp/upserts.sql")" = "$n_rows" ] ||
  fail "$n_rows rows but another number of upserts"
mapfile -t tables < <(cut -f2 "$tmp/rows.tsv" | sort -u)

# Every row of the tables the packs fill, as jsonb, in a stable order.
snapshot() {
  local t
  for t in "${tables[@]}"; do
    q "SELECT to_jsonb(x) FROM $t x ORDER BY x.ref"
  done
}

run "$tmp/upserts.sql" "the upserts failed on a fresh database"
snapshot >"$tmp/first"
run "$tmp/upserts.sql" "the upserts failed when run again"
snapshot >"$tmp/second"
diff -u "$tmp/first" "$tmp/second" >&2 ||
  fail "running the upserts again changed rows"

# The files, read with PyYAML under YAML 1.2's core schema: one object per
# row, with its table.
cat >"$tmp/expected.py" <<'PY'
import json, re, sys, yaml

class Core(yaml.SafeLoader):
    """YAML 1.2 core schema: yes/no are strings, 0o17 is octal, 1e3 a
    float."""

Core.yaml_implicit_resolvers = {}
def resolver(tag, pattern, first):
    Core.add_implicit_resolver(tag, re.compile(pattern), list(first))
resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$",
         "tTfF")
resolver("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
         "-+0123456789")
resolver("tag:yaml.org,2002:float",
         r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
         r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
         "-+.0123456789")

def integer(loader, node):
    v = loader.construct_scalar(node)
    if v.startswith("0o"):
        return int(v[2:], 8)
    return int(v, 16) if v.startswith("0x") else int(v)
Core.add_constructor("tag:yaml.org,2002:int", integer)

root, rows = sys.argv[1], []
for line in open(sys.argv[2]):
    pack, table, ref, path = line.rstrip("\n").split("\t")
    with open(f"{root}/{path}") as f:
        row = yaml.load(f, Loader=Core)
    assert row.get("ref") == ref, (path, ref)
    rows.append({"table": table, "path": path, "row": row})
json.dump(rows, sys.stdout)
PY
"$python" "$tmp/expected.py" "$root" "$tmp/rows.tsv" >"$tmp/expected.json" ||
  fail "reading the YAML files with PyYAML failed"

# Fields that differ, and rows that no file holds.
compare() {
  {
    cat <<'SQL'
CREATE TEMP TABLE expected AS
  SELECT e->>'table' AS tab, e->>'path' AS path, e->'row' AS row
  FROM jsonb_array_elements(:'expected'::jsonb) e;
CREATE TEMP TABLE actual (tab text, row jsonb);
SQL
    local t
    for t in "${tables[@]}"; do
      printf "INSERT INTO actual SELECT %s, to_jsonb(x) FROM %s x;\n" \
        "'$(printf '%s' "$t" | sed "s/'/''/g")'" "$t"
    done
    cat <<'SQL'
SELECT 'differs: ' || x.path || ': ' || k.key || ': yaml ' || k.value::text ||
       ', database ' || coalesce((a.row -> k.key)::text, 'no such row')
FROM expected x
CROSS JOIN LATERAL jsonb_each(x.row) k
LEFT JOIN actual a ON a.tab = x.tab AND a.row->>'ref' = x.row->>'ref'
WHERE a.row -> k.key IS DISTINCT FROM k.value
UNION ALL
SELECT 'extra row: ' || a.tab || ' ' || (a.row->>'ref')
FROM actual a
WHERE NOT EXISTS (SELECT 1 FROM expected x
                  WHERE x.tab = a.tab AND x.row->>'ref' = a.row->>'ref');
SQL
  } >"$tmp/compare.sql"
  pgtest_psql "$db" -At -v expected="$(cat "$tmp/expected.json")" \
    -f "$tmp/compare.sql" >"$tmp/compare.out" 2>&1 || {
    cat "$tmp/compare.out" >&2
    fail "comparing the tables with the YAML failed"
  }
  if [ -s "$tmp/compare.out" ]; then
    cat "$tmp/compare.out" >&2
    fail "the tables differ from the YAML ($1)"
  fi
}
compare "after the sync"

# Orphans: none now; the last row (a table nothing in the pack depends on
# comes last) renamed is one, prune removes it, the upserts restore it.
[ -z "$(pgtest_psql "$db" -At -f "$tmp/orphans.sql")" ] ||
  fail "orphans found right after a sync"
IFS=$'\t' read -r _ last_table last_ref _ < <(tail -n 1 "$tmp/rows.tsv")
gone="${last_ref}_gone"
q "UPDATE $last_table SET ref = '$gone' WHERE ref = '$last_ref'" >/dev/null
[ "$(pgtest_psql "$db" -At -f "$tmp/orphans.sql")" = "$gone" ] ||
  fail "the orphans query did not find $gone alone"
run "$tmp/prune.sql" "prune failed"
[ -z "$(pgtest_psql "$db" -At -f "$tmp/orphans.sql")" ] ||
  fail "prune left $gone"
run "$tmp/upserts.sql" "the upserts failed after prune"
compare "after prune and a new sync"

echo "platform_packs.sh: ${#files[@]} migrations, $n_rows pack rows in" \
  "${#tables[@]} tables synced, equal to the YAML; orphans found and pruned"

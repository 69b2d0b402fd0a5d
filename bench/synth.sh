#!/usr/bin/env bash
# synth.sh: writes a synthetic migration chain for the generator benchmark:
# N migrations of 100 statements each, plain layout (NNNNNN_step_N.sql).
# Every migration builds one table the way real chains grow: the table,
# columns added one by one, a comment on each, indexes, a foreign key to the
# table before it, a view, a trigger function and its trigger. The chain is
# clean under `migc check` (no error; warnings are not expected either), so
# compile writes its C as it would in a build.
#
# With "replace", every migration after the first drops the table before
# it (its view, trigger function and trigger with it) and builds its own
# without the foreign key: the same statements, against a schema that stays
# the same size, so that what grows with the migrations is told apart from
# what grows with the schema.
#
# usage: bench/synth.sh DIR N [replace]
set -euo pipefail
[ $# -eq 2 ] || [ $# -eq 3 ] && [ "${3-replace}" = replace ] ||
  { echo "usage: synth.sh DIR N [replace]" >&2; exit 2; }
dir=$1 n=$2 replace=${3:+1}
mkdir -p "$dir"
awk -v dir="$dir" -v n="$n" -v replace="${replace:-0}" 'BEGIN {
  cols = 42; idx = 10
  for (i = 1; i <= n; i++) {
    f = sprintf("%s/%06d_step_%d.sql", dir, i, i)
    t = "t" i
    printf "-- step %d: table %s\n", i, t > f
    printf "CREATE TABLE %s (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    name text NOT NULL,\n    created_at timestamptz NOT NULL DEFAULT now()\n);\n", t > f
    if (i > 1 && replace) {
      printf "-- migc:allow created-then-dropped the benchmark replaces it\n" > f
      printf "DROP VIEW v%d;\n", i - 1 > f
      printf "-- migc:allow destructive the benchmark replaces the table\n" > f
      printf "-- migc:allow created-then-dropped the benchmark replaces it\n" > f
      printf "DROP TABLE t%d;\n", i - 1 > f
      printf "-- migc:allow created-then-dropped the benchmark replaces it\n" > f
      printf "DROP FUNCTION t%d_touch();\n", i - 1 > f
    }
    if (i > 1 && !replace)
      printf "ALTER TABLE %s ADD COLUMN parent_id bigint REFERENCES t%d (id);\n", t, i - 1 > f
    else
      printf "ALTER TABLE %s ADD COLUMN parent_id bigint;\n", t > f
    for (k = 1; k <= cols; k++)
      printf "ALTER TABLE %s ADD COLUMN c%d %s;\n", t, k, (k % 3 == 0 ? "text" : k % 3 == 1 ? "integer" : "numeric(12, 2)") > f
    for (k = 1; k <= cols; k++)
      printf "COMMENT ON COLUMN %s.c%d IS '\''column %d of step %d'\'';\n", t, k, k, i > f
    for (k = 1; k <= idx; k++)
      printf "CREATE INDEX %s_c%d_idx ON %s (c%d, created_at);\n", t, k, t, k > f
    printf "CREATE VIEW v%d AS SELECT id, name, c1, c2 FROM %s WHERE c1 IS NOT NULL;\n", i, t > f
    printf "CREATE FUNCTION %s_touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    NEW.c1 := coalesce(NEW.c1, 0);\n    RETURN NEW;\nEND\n$$;\n", t > f
    printf "CREATE TRIGGER %s_touch BEFORE INSERT OR UPDATE ON %s\n    FOR EACH ROW EXECUTE FUNCTION %s_touch();\n", t, t, t > f
    printf "COMMENT ON TABLE %s IS '\''step %d'\'';\n", t, i > f
    close(f)
  }
}'

#!/usr/bin/env bash
# consumer.sh: a separate project uses migc through add_subdirectory() and
# migc_embed(), compiled with -Werror; the generator reruns when a migration
# is added, removed or changed, or the lock file appears or changes, and not
# otherwise (also for diesel folders: scripts, metadata.toml, folder names);
# an edited released migration fails the build.
#   consumer.sh MIGC_SOURCE_DIR C_COMPILER
set -euo pipefail
src=$1 cc=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/tests/consumer/project" "$work/src"
gen="$work/build/app_schema-migc/app_schema.c"

fail() { echo "FAIL: $*" >&2; exit 1; }
build() { cmake --build "$work/build" 2>&1; }
stamp() { stat -c %Y.%y "$gen"; }
count() { "$work/build/app" --schema-version | sed -n 's/.*(\([0-9]*\) migrations[,)].*/\1/p'; }
# Build and report whether the generator ran.
regenerated() {
  local before after
  before=$(stamp)
  sleep 1.1 # file times are compared at one-second granularity by some tools
  build >"$work/log" || { cat "$work/log"; fail "build failed"; }
  after=$(stamp)
  [ "$before" != "$after" ]
}

cmake -S "$work/src" -B "$work/build" -G Ninja -DMIGC_SOURCE_DIR="$src" \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="-Wall -Wextra -Wpedantic -Werror" \
  >"$work/log" 2>&1 || { cat "$work/log"; fail "configure failed"; }
build >"$work/log" || { cat "$work/log"; fail "first build failed"; }
[ "$(count)" = 2 ] || fail "expected 2 migrations embedded"

regenerated && fail "a build with no change regenerated the schema"
echo "-- a README is not a migration" >"$work/src/migrations/README.md"
regenerated && fail "adding a non-migration file regenerated the schema"

fp1=$("$work/build/app" --schema-version)
echo "-- reviewed" >>"$work/src/migrations/002_sessions.sql"
regenerated || fail "changing a migration did not regenerate"
fp2=$("$work/build/app" --schema-version)
[ "$fp1" != "$fp2" ] || fail "the fingerprint did not change with the content"

printf 'ALTER TABLE account ADD COLUMN name text;\n' \
  >"$work/src/migrations/003_names.sql"
regenerated || fail "adding a migration did not regenerate"
[ "$(count)" = 3 ] || fail "expected 3 migrations after adding one"

mv "$work/src/migrations/003_names.sql" "$work/src/migrations/003_name.sql"
regenerated || fail "renaming a migration did not regenerate"

rm "$work/src/migrations/003_name.sql"
regenerated || fail "removing a migration did not regenerate"
[ "$(count)" = 2 ] || fail "expected 2 migrations after removing one"

regenerated && fail "a build with no change regenerated the schema"

# The lock file (migrations/migc.lock by default) is an input from the
# moment it exists; an edited released migration then fails the build.
"$work/build/migc/gen/migc" lock "$work/src/migrations" >"$work/log" 2>&1 ||
  { cat "$work/log"; fail "migc lock failed"; }
regenerated || fail "creating the lock file did not regenerate"
regenerated && fail "a build with no change regenerated the schema (locked)"
cp "$work/src/migrations/002_sessions.sql" "$work/released.sql"
printf 'SELECT 1;\n' >>"$work/src/migrations/002_sessions.sql"
build >"$work/log" && fail "a build with an edited released migration passed"
grep -q '002_sessions.sql:.*\[immutable\]' "$work/log" ||
  { cat "$work/log"; fail "no [immutable] error in the failed build"; }
cp "$work/released.sql" "$work/src/migrations/002_sessions.sql"
build >"$work/log" || { cat "$work/log"; fail "build after restoring failed"; }
printf 'ALTER TABLE account ADD COLUMN nick text;\n' \
  >"$work/src/migrations/003_nick.sql"
"$work/build/migc/gen/migc" lock "$work/src/migrations" >"$work/log" 2>&1 ||
  { cat "$work/log"; fail "migc lock of a new migration failed"; }
regenerated || fail "a new migration and lock line did not regenerate"
rm "$work/src/migrations/migc.lock"
regenerated || fail "removing the lock file did not regenerate"

# Folder layouts (diesel): the scripts and metadata.toml one level down are
# inputs too, and the folder names are part of the listing.
rm -f "$work/src/migrations"/*
d="$work/src/migrations"
mkdir "$d/2020-01-01-000000_accounts" "$d/2020-01-02-000000_sessions"
printf 'CREATE TABLE account (id bigint PRIMARY KEY);\n' \
  >"$d/2020-01-01-000000_accounts/up.sql"
printf 'DROP TABLE account;\n' >"$d/2020-01-01-000000_accounts/down.sql"
printf 'CREATE TABLE session (id bigint PRIMARY KEY);\n' \
  >"$d/2020-01-02-000000_sessions/up.sql"
regenerated || fail "switching to diesel folders did not regenerate"
[ "$(count)" = 2 ] || fail "expected 2 diesel migrations embedded"
regenerated && fail "a build with no change regenerated the schema (diesel)"
echo "notes" >"$d/2020-01-02-000000_sessions/notes.txt"
regenerated && fail "a non-migration file in a folder regenerated the schema"
printf 'DROP TABLE session;\n' >"$d/2020-01-02-000000_sessions/down.sql"
regenerated || fail "adding a down.sql did not regenerate"
printf 'run_in_transaction = false\n' \
  >"$d/2020-01-02-000000_sessions/metadata.toml"
regenerated || fail "adding metadata.toml did not regenerate"
mv "$d/2020-01-02-000000_sessions" "$d/2020-01-03-000000_sessions"
regenerated || fail "renaming a migration folder did not regenerate"

# Rule configuration through migc_embed(): SEVERITY and WERROR.
reconfigure() {
  cmake -S "$work/src" -B "$work/build" "$@" >"$work/log" 2>&1 ||
    { cat "$work/log"; fail "reconfigure failed"; }
}
mkdir "$d/2020-01-04-000000_index"
printf 'CREATE INDEX session_id_idx ON session (id);\n' \
  >"$d/2020-01-04-000000_index/up.sql"
build >"$work/log" || { cat "$work/log"; fail "a warning failed the build"; }
grep -q 'warning: .*\[blocking-index\]' "$work/log" ||
  { cat "$work/log"; fail "no [blocking-index] warning in the build"; }
reconfigure -DAPP_MIGC_WERROR=ON
build >"$work/log" && fail "WERROR: a build with a warning passed"
reconfigure -DAPP_MIGC_WERROR=OFF -DAPP_MIGC_SEVERITY="blocking-index=error"
build >"$work/log" && fail "SEVERITY blocking-index=error: the build passed"
grep -q 'error: .*\[blocking-index\]' "$work/log" ||
  { cat "$work/log"; fail "no [blocking-index] error in the failed build"; }
reconfigure -DAPP_MIGC_SEVERITY="blocking-index=off;churn=off" # one quoted list
build >"$work/log" || { cat "$work/log"; fail "blocking-index=off failed"; }
grep -q 'blocking-index' "$work/log" &&
  { cat "$work/log"; fail "blocking-index=off still reported it"; }
[ "$(count)" = 3 ] || fail "expected 3 migrations with the index"

# Packs beside the migrations (read by default): their YAML files are inputs
# of the build step, and a file that does not fit its table fails the build.
mkdir "$d/2020-01-05-000000_pack"
printf 'CREATE TABLE pack (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  ref text NOT NULL UNIQUE);\n' \
  >"$d/2020-01-05-000000_pack/up.sql"
build >"$work/log" || { cat "$work/log"; fail "the pack table failed the build"; }
mkdir -p "$work/src/packs/app"
printf 'ref: app\n' >"$work/src/packs/app/pack.yaml"
regenerated || fail "adding a pack did not regenerate"
grep -q '"ref" = .app.\|VALUES (.app.' "$gen" ||
  fail "the pack row is not in the generated source"
regenerated && fail "a build with no change regenerated the schema (packs)"
printf 'ref: app\nlabel: App\n' >"$work/src/packs/app/pack.yaml"
build >"$work/log" && fail "a pack row with an unknown field passed"
grep -q "pack.yaml:2:1: error: unknown field 'label'.*\[pack-schema\]" \
  "$work/log" || { cat "$work/log"; fail "no [pack-schema] error"; }
rm -r "$work/src/packs"
regenerated || fail "removing the packs did not regenerate"
echo "consumer: 30 checks passed"

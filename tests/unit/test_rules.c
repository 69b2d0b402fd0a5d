/* test_rules.c: every rule of DIAG_RULE_MAP, fed SQL snippets through the
 * generator library (gen_sql.h): each row names a rule, the files and what
 * is found (rule, severity, line:col). A rule is added with rows here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_sql.h"

enum { MAX_FILES = 7, MAX_SEVERITY = 2 };

/* One run of the generator and the findings it must report. */
struct rule_case {
    const char *name;
    enum diag_rule rule; /* the rule the row is about: expect names it
                            (a case that triggers it) or not (a near miss) */
    /* in order; the list ends at the first NULL name. A name given twice
     * is a file rewritten (a released migration edited). */
    struct gen_sql_file files[MAX_FILES];
    size_t released; /* the first `released` files are locked (`migc
                        lock`) before the others are written */
    const char *severity[MAX_SEVERITY]; /* --severity RULE=LEVEL */
    const char *ledger_table;           /* --ledger-table */
    int packs;                          /* check ../packs too */
    const char *expect;                 /* gen_sql_brief() of the run */
};

/* The first migration of docs/rules.md's examples, and its second. */
#define USERS                                                                 \
    {"001_users.sql", "CREATE TABLE users (\n"                                \
                      "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY "   \
                      "KEY,\n"                                                \
                      "    email text,\n"                                     \
                      "    name varchar(100)\n"                               \
                      ");\n"}
#define ORDERS                                                                \
    {"002_orders.sql", "CREATE TABLE orders (\n"                              \
                       "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY "  \
                       "KEY,\n"                                               \
                       "    user_id bigint,\n"                                \
                       "    total numeric(10,2)\n"                            \
                       ");\n"}
/* The pack table a pack file of packs/core fills. */
#define PACK_TABLE                                                            \
    {"001_pack.sql", "CREATE TABLE pack (\n"                                  \
                     "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY "    \
                     "KEY,\n"                                                 \
                     "    ref text NOT NULL UNIQUE,\n"                        \
                     "    label text NOT NULL\n"                              \
                     ");\n"}
#define INVOICES "CREATE TABLE invoices (id bigint PRIMARY KEY);\n"

#define R(id) DIAG_##id

static const struct rule_case cases[] = {
    /* files */
    {"io: the lock file is a folder", R(IO),
     {USERS, {"migc.lock/README", "not a lock file\n"}}, 0, {0}, 0, 0,
     "migc.lock: error [io]\n"},
    {"io: near miss: no lock file yet", R(IO), {USERS}, 0, {0}, 0, 0, ""},
    {"naming: no version", R(NAMING),
     {USERS, {"add_invoices.sql", INVOICES}}, 0, {0}, 0, 0,
     "add_invoices.sql: error [naming]\n"},
    {"naming: near miss", R(NAMING),
     {USERS, {"002_add_invoices.sql", INVOICES}}, 0, {0}, 0, 0, ""},
    {"layout: up-down file beside a plain one", R(LAYOUT),
     {USERS, {"002_invoices.up.sql", INVOICES}}, 0, {0}, 0, 0,
     "002_invoices.up.sql: error [layout]\n"},
    {"layout: goose ENVSUB ON is a warning", R(LAYOUT),
     {{"00001_a.sql", "-- +goose Up\n"
                      "CREATE TABLE settings (name text PRIMARY KEY);\n"
                      "-- +goose ENVSUB ON\n"
                      "CREATE TABLE s2 (v text DEFAULT '${APP_REGION}');\n"
                      "-- +goose ENVSUB OFF\n"}},
     0, {0}, 0, 0, "00001_a.sql:3:1: warning [layout]\n"},
    {"layout: near miss", R(LAYOUT),
     {USERS, {"002_invoices.sql", INVOICES}}, 0, {0}, 0, 0, ""},
    {"version-gap: 3 is missing", R(VERSION_GAP),
     {USERS, ORDERS, {"004_invoices.sql", INVOICES}}, 0, {0}, 0, 0,
     "004_invoices.sql: warning [version-gap]\n"},
    {"version-gap: near miss", R(VERSION_GAP),
     {USERS, ORDERS, {"003_invoices.sql", INVOICES}}, 0, {0}, 0, 0, ""},
    {"version-gap: near miss: time stamps", R(VERSION_GAP),
     {{"20260105093000_users.sql", INVOICES},
      {"20260220141500_orders.sql", "CREATE TABLE orders (id int);\n"}},
     0, {0}, 0, 0, ""},
    {"duplicate-version: two branches took 2", R(DUPLICATE_VERSION),
     {USERS, ORDERS, {"002_invoices.sql", INVOICES}}, 0, {0}, 0, 0,
     "002_orders.sql: error [duplicate-version]\n"},
    {"duplicate-version: near miss", R(DUPLICATE_VERSION),
     {USERS, ORDERS, {"003_invoices.sql", INVOICES}}, 0, {0}, 0, 0, ""},
    {"encoding: Latin-1", R(ENCODING),
     {USERS, {"002_users_comment.sql",
              "COMMENT ON TABLE users IS 'Utilisateurs (r\xe9sum\xe9 "
              "inclus)';\n"}},
     0, {0}, 0, 0, "002_users_comment.sql:1:43: error [encoding]\n"},
    {"encoding: near miss: UTF-8", R(ENCODING),
     {USERS, {"002_users_comment.sql",
              "COMMENT ON TABLE users IS 'Utilisateurs (r\xc3\xa9sum\xc3\xa9 "
              "inclus)';\n"}},
     0, {0}, 0, 0, ""},
    {"syntax: a trailing comma", R(SYNTAX),
     {USERS, {"002_orders.sql", "CREATE TABLE orders (\n"
                                "    id bigint PRIMARY KEY,\n"
                                "    user_id bigint,\n"
                                ");\n"}},
     0, {0}, 0, 0, "002_orders.sql:4:1: error [syntax]\n"},
    {"syntax: near miss", R(SYNTAX),
     {USERS, {"002_orders.sql", "CREATE TABLE orders (\n"
                                "    id bigint PRIMARY KEY,\n"
                                "    user_id bigint\n"
                                ");\n"}},
     0, {0}, 0, 0, ""},
    {"empty-migration: only a comment", R(EMPTY_MIGRATION),
     {USERS, {"002_invoices.sql", "-- TODO: the invoices table\n"}}, 0,
     {0}, 0, 0, "002_invoices.sql: error [empty-migration]\n"},
    {"empty-migration: near miss", R(EMPTY_MIGRATION),
     {USERS, {"002_invoices.sql", "-- the invoices table\n" INVOICES}}, 0,
     {0}, 0, 0, ""},

    /* directives and transactions */
    {"directive: an allow without its reason", R(DIRECTIVE),
     {USERS, {"002_users_name_idx.sql",
              "-- migc:allow blocking-index\n"
              "CREATE INDEX users_name_idx ON users (name);\n"}},
     0, {0}, 0, 0,
     "002_users_name_idx.sql:1:1: error [directive]\n"
     "002_users_name_idx.sql:2:32: warning [blocking-index]\n"},
    {"directive: an unknown word", R(DIRECTIVE),
     {USERS, {"002_x.sql", "-- migc:notransaction\nSELECT 1;\n"}}, 0, {0},
     0, 0, "002_x.sql:1:1: error [directive]\n"},
    {"directive: near miss", R(DIRECTIVE),
     {USERS, {"002_users_name_idx.sql",
              "-- migc:allow blocking-index users holds a few hundred "
              "rows\n"
              "CREATE INDEX users_name_idx ON users (name);\n"}},
     0, {0}, 0, 0, ""},
    {"unused-allow: the index is built concurrently", R(UNUSED_ALLOW),
     {USERS, {"002_users_name_idx.sql",
              "-- migc:allow blocking-index users holds a few hundred "
              "rows\n"
              "CREATE INDEX CONCURRENTLY users_name_idx ON users (name);\n"}},
     0, {0}, 0, 0, "002_users_name_idx.sql:1:1: warning [unused-allow]\n"},
    {"unused-allow: near miss", R(UNUSED_ALLOW),
     {USERS, {"002_users_name_idx.sql",
              "CREATE INDEX CONCURRENTLY users_name_idx ON users (name);\n"}},
     0, {0}, 0, 0, ""},
    {"transaction-control: COMMIT halfway", R(TRANSACTION_CONTROL),
     {{"001_users.sql",
       "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"
       "COMMIT;\n"
       "CREATE TABLE audit_log (id bigint PRIMARY KEY, entry text);\n"}},
     0, {0}, 0, 0, "001_users.sql:2:1: error [transaction-control]\n"},
    {"transaction-control: a whole-file wrapper is a note",
     R(TRANSACTION_CONTROL),
     {{"001_users.sql",
       "BEGIN;\nCREATE TABLE users (id bigint PRIMARY KEY);\nCOMMIT;\n"}},
     0, {0}, 0, 0, "001_users.sql:1:1: note [transaction-control]\n"},
    {"transaction-control: near miss", R(TRANSACTION_CONTROL),
     {{"001_users.sql",
       "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"
       "CREATE TABLE audit_log (id bigint PRIMARY KEY, entry text);\n"}},
     0, {0}, 0, 0, ""},
    {"mixed-transaction: CONCURRENTLY beside another statement",
     R(MIXED_TRANSACTION),
     {USERS, {"002_users_email_verified.sql",
              "ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL "
              "DEFAULT false;\n"
              "CREATE INDEX CONCURRENTLY users_email_verified_idx ON users "
              "(email_verified);\n"}},
     0, {0}, 0, 0,
     "002_users_email_verified.sql:2:1: warning [mixed-transaction]\n"},
    {"mixed-transaction: near miss: a migration of its own",
     R(MIXED_TRANSACTION),
     {USERS, {"002_users_email_verified.sql",
              "ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL "
              "DEFAULT false;\n"},
      {"003_users_email_verified_idx.sql",
       "CREATE INDEX CONCURRENTLY users_email_verified_idx ON users "
       "(email_verified);\n"}},
     0, {0}, 0, 0, ""},

    /* released migrations */
    {"lock: a lock file written by hand", R(LOCK),
     {USERS, {"migc.lock", "1 0123 001_users.sql\n"}}, 0, {0}, 0, 0,
     "migc.lock:1:1: error [lock]\n"},
    {"lock: near miss: written by migc lock", R(LOCK), {USERS, ORDERS}, 2,
     {0}, 0, 0, ""},
    {"immutable: a released migration edited", R(IMMUTABLE),
     {{"001_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email "
                        "text);\n"},
      {"001_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email "
                        "text, name text);\n"}},
     1, {0}, 0, 0, "001_users.sql:1:1: error [immutable]\n"},
    {"immutable: only whitespace and case is a warning", R(IMMUTABLE),
     {{"001_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email "
                        "text);\n"},
      {"001_users.sql", "create table users (id bigint primary key,\n"
                        "                    email text);\n"}},
     1, {0}, 0, 0, "001_users.sql: warning [immutable]\n"},
    {"immutable: near miss: a new migration instead", R(IMMUTABLE),
     {{"001_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email "
                        "text);\n"},
      {"002_users_name.sql", "ALTER TABLE users ADD COLUMN name text;\n"}},
     1, {0}, 0, 0, ""},
    {"archive: a folder naming no baseline", R(ARCHIVE),
     {USERS, {"squashed/5/005_x.sql", INVOICES}}, 0, {0}, 0, 0,
     "squashed/5: error [archive]\n"},
    {"archive: a folder that is not a version", R(ARCHIVE),
     {USERS, {"squashed/old/002_x.sql", INVOICES}}, 0, {0}, 0, 0,
     "squashed/old: error [archive]\n"},
    {"archive: near miss: another folder is not the archive", R(ARCHIVE),
     {USERS, {"notes/5/005_x.sql", INVOICES}}, 0, {0}, 0, 0, ""},
    {"baseline-differs: a column the baseline lacks", R(BASELINE_DIFFERS),
     {{"003_baseline.sql", "-- migc:squashes 1..2\n"
                           "CREATE TABLE t (id int PRIMARY KEY);\n"},
      {"squashed/3/001_t.sql", "CREATE TABLE t (id int PRIMARY KEY);\n"},
      {"squashed/3/002_t.sql", "ALTER TABLE t ADD COLUMN n text;\n"}},
     0, {0}, 0, 0, "003_baseline.sql:1:1: error [baseline-differs]\n"},
    {"baseline-differs: another type, a missing index", R(BASELINE_DIFFERS),
     {USERS, {"004_baseline.sql", "\n-- migc:squashes 2..3\n"
                                  "CREATE TABLE o (id bigint, v text);\n"},
      {"squashed/4/002_o.sql", "CREATE TABLE o (id int, v text);\n"},
      {"squashed/4/003_o.sql", "CREATE INDEX ON o (v);\n"}},
     0, {0}, 0, 0,
     "004_baseline.sql:2:1: error [baseline-differs]\n"
     "004_baseline.sql:2:1: error [baseline-differs]\n"},
    {"baseline-differs: near miss: serial in pg_dump's words",
     R(BASELINE_DIFFERS),
     {{"003_baseline.sql",
       "-- migc:squashes 1..2\n"
       "CREATE TABLE public.t (id integer NOT NULL, n text);\n"
       "CREATE SEQUENCE public.t_id_seq AS integer;\n"
       "ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;\n"
       "ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT "
       "nextval('public.t_id_seq'::regclass);\n"
       "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);\n"},
      {"squashed/3/001_t.sql", "CREATE TABLE t (id serial PRIMARY KEY);\n"},
      {"squashed/3/002_t.sql", "ALTER TABLE t ADD COLUMN n text;\n"}},
     0, {0}, 0, 0, ""},
    {"baseline-differs: near miss: what dynamic SQL made is not compared",
     R(BASELINE_DIFFERS),
     {{"003_baseline.sql", "-- migc:squashes 1..2\n"
                           "CREATE TABLE t (id int, n text);\n"
                           "CREATE TABLE u (id int);\n"},
      {"squashed/3/001_t.sql", "CREATE TABLE t (id int);\n"
                               "CREATE TABLE cfg (name text);\n"},
      {"squashed/3/002_t.sql",
       "DO $$ DECLARE r record; BEGIN\n"
       "  FOR r IN SELECT name FROM cfg LOOP\n"
       "    EXECUTE 'ALTER TABLE t ADD COLUMN ' || r.name || ' text';\n"
       "    EXECUTE 'CREATE TABLE ' || r.name || ' (id int)';\n"
       "  END LOOP;\n"
       "END $$;\n"
       "DROP TABLE cfg;\n"}},
     0, {0}, 0, 0, ""},
    {"out-of-order: merged after a newer release", R(OUT_OF_ORDER),
     {{"20260105093000_users.sql", INVOICES},
      {"20260220141500_orders.sql", "CREATE TABLE orders (id int);\n"},
      {"20260212110000_invoices.sql", "CREATE TABLE inv (id int);\n"}},
     2, {0}, 0, 0, "20260212110000_invoices.sql: error [out-of-order]\n"},
    {"out-of-order: near miss", R(OUT_OF_ORDER),
     {{"20260105093000_users.sql", INVOICES},
      {"20260220141500_orders.sql", "CREATE TABLE orders (id int);\n"},
      {"20260223090000_invoices.sql", "CREATE TABLE inv (id int);\n"}},
     2, {0}, 0, 0, ""},

    /* the catalog */
    {"unknown-relation: a table created later", R(UNKNOWN_RELATION),
     {{"001_orders.sql",
       "CREATE TABLE orders (\n"
       "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
       "    customer_id bigint NOT NULL REFERENCES customers (id)\n"
       ");\n"},
      {"002_customers.sql",
       "CREATE TABLE customers (\n"
       "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
       "    email text NOT NULL\n"
       ");\n"}},
     0, {0}, 0, 0, "001_orders.sql:3:44: error [unknown-relation]\n"},
    {"unknown-relation: near miss: in order", R(UNKNOWN_RELATION),
     {{"001_customers.sql",
       "CREATE TABLE customers (\n"
       "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
       "    email text NOT NULL\n"
       ");\n"},
      {"002_orders.sql",
       "CREATE TABLE orders (\n"
       "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
       "    customer_id bigint NOT NULL REFERENCES customers (id)\n"
       ");\n"}},
     0, {0}, 0, 0, ""},
    {"unknown-column: a typo", R(UNKNOWN_COLUMN),
     {USERS, {"002_users_email_idx.sql",
              "CREATE INDEX CONCURRENTLY users_email_idx ON users "
              "(mail);\n"}},
     0, {0}, 0, 0, "002_users_email_idx.sql:1:46: error [unknown-column]\n"},
    {"unknown-column: near miss", R(UNKNOWN_COLUMN),
     {USERS, {"002_users_email_idx.sql",
              "CREATE INDEX CONCURRENTLY users_email_idx ON users "
              "(email);\n"}},
     0, {0}, 0, 0, ""},
    {"unknown-column: in a view's query", R(UNKNOWN_COLUMN),
     {USERS, {"002_users_view.sql",
              "CREATE VIEW user_names AS SELECT u.id, u.nam FROM users u;\n"}},
     0, {0}, 0, 0, "002_users_view.sql:1:40: error [unknown-column]\n"},
    {"unknown-column: near miss: a subquery's own column", R(UNKNOWN_COLUMN),
     {USERS, ORDERS,
      {"003_users_view.sql",
       "CREATE VIEW buyers AS SELECT id, name FROM users\n"
       "WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = id\n"
       "              AND total > 0);\n"}},
     0, {0}, 0, 0, ""},
    {"unknown-column: in a policy", R(UNKNOWN_COLUMN),
     {USERS, {"002_users_policy.sql",
              "CREATE POLICY own ON users USING (owner = current_user);\n"}},
     0, {0}, 0, 0, "002_users_policy.sql:1:35: error [unknown-column]\n"},
    {"dependent-objects: a view reads the column", R(DEPENDENT_OBJECTS),
     {USERS,
      {"002_user_names.sql",
       "CREATE VIEW user_names AS SELECT id, name FROM users;\n"},
      {"003_drop_name.sql", "ALTER TABLE users DROP COLUMN name;\n"}},
     0, {"destructive=off", "created-then-dropped=off"}, 0, 0,
     "003_drop_name.sql:1:1: error [dependent-objects]\n"},
    {"dependent-objects: a policy's column retyped", R(DEPENDENT_OBJECTS),
     {USERS,
      {"002_users_policy.sql",
       "CREATE POLICY mine ON users USING (email = current_user);\n"},
      {"003_email_type.sql",
       "ALTER TABLE users ALTER COLUMN email TYPE varchar(200);\n"}},
     0, {"column-type-change=off"}, 0, 0,
     "003_email_type.sql:1:1: error [dependent-objects]\n"},
    {"dependent-objects: near miss: CASCADE", R(DEPENDENT_OBJECTS),
     {USERS,
      {"002_user_names.sql",
       "CREATE VIEW user_names AS SELECT id, name FROM users;\n"},
      {"003_drop_name.sql",
       "ALTER TABLE users DROP COLUMN name CASCADE;\n"
       "CREATE VIEW user_names AS SELECT id FROM users;\n"}},
     0, {"destructive=off", "created-then-dropped=off"}, 0, 0, ""},
    {"dependent-objects: near miss: only an index uses it",
     R(DEPENDENT_OBJECTS),
     {USERS,
      {"002_users_name_idx.sql",
       "CREATE INDEX CONCURRENTLY users_name_idx ON users (name, email);\n"},
      {"003_drop_name.sql", "ALTER TABLE users DROP COLUMN name;\n"}},
     0, {"destructive=off", "created-then-dropped=off"}, 0, 0, ""},
    {"dependent-objects: near miss: the view does not use it",
     R(DEPENDENT_OBJECTS),
     {USERS,
      {"002_user_names.sql",
       "CREATE VIEW user_names AS SELECT id, name FROM users;\n"},
      {"003_drop_email.sql", "ALTER TABLE users DROP COLUMN email;\n"}},
     0, {"destructive=off", "created-then-dropped=off"}, 0, 0, ""},
    {"dependent-objects: a column default uses the sequence",
     R(DEPENDENT_OBJECTS),
     {USERS,
      {"002_seq.sql", "CREATE SEQUENCE user_no;\n"
                      "ALTER TABLE users ADD COLUMN no bigint "
                      "DEFAULT nextval('user_no');\n"},
      {"003_drop_seq.sql", "DROP SEQUENCE user_no;\n"}},
     0, {"created-then-dropped=off", "table-rewrite=off"}, 0, 0,
     "003_drop_seq.sql:1:1: error [dependent-objects]\n"},
    {"dependent-objects: near miss: the default dropped first",
     R(DEPENDENT_OBJECTS),
     {USERS,
      {"002_seq.sql", "CREATE SEQUENCE user_no;\n"
                      "ALTER TABLE users ADD COLUMN no bigint "
                      "DEFAULT nextval('user_no');\n"},
      {"003_drop_seq.sql", "ALTER TABLE users ALTER no DROP DEFAULT;\n"
                           "DROP SEQUENCE user_no;\n"}},
     0, {"created-then-dropped=off", "table-rewrite=off"}, 0, 0, ""},
    {"dependent-objects: a trigger calls the function", R(DEPENDENT_OBJECTS),
     {USERS,
      {"002_trigger.sql",
       "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql\n"
       "AS 'begin return new; end';\n"
       "CREATE TRIGGER t BEFORE UPDATE ON users\n"
       "FOR EACH ROW EXECUTE FUNCTION touch();\n"},
      {"003_drop_fn.sql", "DROP FUNCTION touch();\n"}},
     0, {"created-then-dropped=off"}, 0, 0,
     "003_drop_fn.sql:1:1: error [dependent-objects]\n"},
    {"dependent-objects: near miss: DROP FUNCTION ... CASCADE",
     R(DEPENDENT_OBJECTS),
     {USERS,
      {"002_trigger.sql",
       "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql\n"
       "AS 'begin return new; end';\n"
       "CREATE TRIGGER t BEFORE UPDATE ON users\n"
       "FOR EACH ROW EXECUTE FUNCTION touch();\n"},
      {"003_drop_fn.sql", "DROP FUNCTION touch() CASCADE;\n"}},
     0, {"created-then-dropped=off"}, 0, 0, ""},
    {"dependent-objects: a replaced view renames a column",
     R(DEPENDENT_OBJECTS),
     {USERS,
      {"002_view.sql", "CREATE VIEW user_names AS SELECT id, name FROM users;\n"},
      {"003_view.sql", "CREATE OR REPLACE VIEW user_names AS\n"
                       "SELECT id, name AS full_name FROM users;\n"}},
     0, {0}, 0, 0, "003_view.sql:1:1: error [dependent-objects]\n"},
    {"dependent-objects: near miss: a replaced view adds a column",
     R(DEPENDENT_OBJECTS),
     {USERS,
      {"002_view.sql", "CREATE VIEW user_names AS SELECT id, name FROM users;\n"},
      {"003_view.sql", "CREATE OR REPLACE VIEW user_names AS\n"
                       "SELECT id, name, email FROM users;\n"}},
     0, {0}, 0, 0, ""},
    {"dependent-objects: a partition's index dropped", R(DEPENDENT_OBJECTS),
     {{"001_events.sql",
       "CREATE TABLE events (at date, kind text) PARTITION BY RANGE (at);\n"
       "CREATE TABLE events_2024 PARTITION OF events\n"
       "    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
       "CREATE INDEX events_kind ON events (kind);\n"},
      {"002_drop.sql", "DROP INDEX events_2024_kind_idx;\n"}},
     0, {"blocking-index=off", "created-then-dropped=off"}, 0, 0,
     "002_drop.sql:1:1: error [dependent-objects]\n"},
    {"dependent-objects: near miss: the parent's index dropped",
     R(DEPENDENT_OBJECTS),
     {{"001_events.sql",
       "CREATE TABLE events (at date, kind text) PARTITION BY RANGE (at);\n"
       "CREATE TABLE events_2024 PARTITION OF events\n"
       "    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
       "CREATE INDEX events_kind ON events (kind);\n"},
      {"002_drop.sql", "DROP INDEX events_kind;\n"}},
     0, {"blocking-index=off", "created-then-dropped=off"}, 0, 0, ""},
    {"unknown-column: a SET value", R(UNKNOWN_COLUMN),
     {USERS, {"002_fill.sql", "UPDATE users SET name = email_address;\n"}},
     0, {"data-in-migration=off"}, 0, 0,
     "002_fill.sql:1:25: error [unknown-column]\n"},
    {"unknown-column: near miss: a SET value of a FROM entry",
     R(UNKNOWN_COLUMN),
     {USERS, ORDERS,
      {"003_fill.sql", "UPDATE users SET name = o.total::text FROM orders o\n"
                       "WHERE o.user_id = users.id RETURNING users.id;\n"}},
     0, {"data-in-migration=off"}, 0, 0, ""},
    {"unknown-type: an enum never created", R(UNKNOWN_TYPE),
     {USERS, {"002_users_status.sql",
              "ALTER TABLE users ADD COLUMN status user_status;\n"}},
     0, {0}, 0, 0, "002_users_status.sql:1:37: error [unknown-type]\n"},
    {"unknown-type: near miss", R(UNKNOWN_TYPE),
     {USERS, {"002_users_status.sql",
              "CREATE TYPE user_status AS ENUM ('active', 'suspended');\n"
              "ALTER TABLE users ADD COLUMN status user_status;\n"}},
     0, {0}, 0, 0, ""},
    {"unknown-type: a range's multirange under another name",
     R(UNKNOWN_TYPE),
     {{"001_ranges.sql",
       "CREATE TYPE floatrange AS RANGE (subtype = float8,\n"
       "    subtype_diff = float8mi);\n"
       "CREATE TABLE readings (spans floatrange_multirange);\n"}},
     0, {0}, 0, 0, "001_ranges.sql:3:30: error [unknown-type]\n"},
    {"unknown-type: near miss: a range's multirange and functions",
     R(UNKNOWN_TYPE),
     {{"001_ranges.sql",
       "CREATE TYPE floatrange AS RANGE (subtype = float8,\n"
       "    subtype_diff = float8mi);\n"
       "CREATE TYPE span AS RANGE (subtype = int4,\n"
       "    multirange_type_name = spans);\n"
       "CREATE TABLE readings (a floatmultirange, b span, c spans,\n"
       "    d floatrange DEFAULT floatrange(1, 2));\n"}},
     0, {0}, 0, 0, ""},
    {"unknown-function: a trigger function created later",
     R(UNKNOWN_FUNCTION),
     {USERS, {"002_users_updated_at.sql",
              "ALTER TABLE users ADD COLUMN updated_at timestamptz;\n"
              "CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users\n"
              "    FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n"}},
     0, {0}, 0, 0,
     "002_users_updated_at.sql:2:54: error [unknown-function]\n"},
    {"unknown-function: near miss", R(UNKNOWN_FUNCTION),
     {USERS, {"002_users_updated_at.sql",
              "ALTER TABLE users ADD COLUMN updated_at timestamptz;\n"
              "CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE "
              "plpgsql AS $$\n"
              "BEGIN\n"
              "    NEW.updated_at := now();\n"
              "    RETURN NEW;\n"
              "END\n"
              "$$;\n"
              "CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users\n"
              "    FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n"}},
     0, {0}, 0, 0, ""},
    {"duplicate-object: a function created twice", R(DUPLICATE_OBJECT),
     {USERS,
      {"002_normalize_email.sql",
       "CREATE FUNCTION normalize_email(e text) RETURNS text\n"
       "    LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(e)) $$;\n"},
      {"003_normalize_email_v2.sql",
       "CREATE FUNCTION normalize_email(e text) RETURNS text\n"
       "    LANGUAGE sql IMMUTABLE AS $$ SELECT lower(btrim(e, ' ')) $$;\n"}},
     0, {0}, 0, 0,
     "003_normalize_email_v2.sql:1:1: error [duplicate-object]\n"},
    {"duplicate-object: near miss: OR REPLACE", R(DUPLICATE_OBJECT),
     {USERS,
      {"002_normalize_email.sql",
       "CREATE FUNCTION normalize_email(e text) RETURNS text\n"
       "    LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(e)) $$;\n"},
      {"003_normalize_email_v2.sql",
       "CREATE OR REPLACE FUNCTION normalize_email(e text) RETURNS text\n"
       "    LANGUAGE sql IMMUTABLE AS $$ SELECT lower(btrim(e, ' ')) $$;\n"}},
     0, {0}, 0, 0, ""},
    {"duplicate-object: a UNIQUE constraint's index named like a relation",
     R(DUPLICATE_OBJECT),
     {USERS,
      {"002_invoices.sql",
       "CREATE TABLE invoices (id bigint, email text);\n"
       "CREATE INDEX invoices_key ON invoices (email);\n"
       "ALTER TABLE invoices ADD CONSTRAINT invoices_key UNIQUE (id);\n"}},
     0, {0}, 0, 0, "002_invoices.sql:3:26: error [duplicate-object]\n"},
    {"duplicate-object: near miss: ADD CONSTRAINT ... USING INDEX of its name",
     R(DUPLICATE_OBJECT),
     {USERS,
      {"002_invoices.sql",
       "CREATE TABLE invoices (id bigint, email text);\n"
       "CREATE UNIQUE INDEX invoices_key ON invoices (id);\n"
       "ALTER TABLE invoices ADD CONSTRAINT invoices_key\n"
       "    UNIQUE USING INDEX invoices_key;\n"}},
     0, {0}, 0, 0, ""},
    {"created-then-dropped: a view dropped and re-created",
     R(CREATED_THEN_DROPPED),
     {USERS,
      {"002_active_users.sql",
       "CREATE VIEW active_users AS\n"
       "    SELECT id, email FROM users WHERE email IS NOT NULL;\n"},
      {"003_active_users_name.sql",
       "DROP VIEW active_users;\n"
       "CREATE VIEW active_users AS\n"
       "    SELECT id, email, name FROM users WHERE email IS NOT NULL;\n"}},
     0, {0}, 0, 0,
     "003_active_users_name.sql:1:1: note [created-then-dropped]\n"},
    {"created-then-dropped: near miss: OR REPLACE", R(CREATED_THEN_DROPPED),
     {USERS,
      {"002_active_users.sql",
       "CREATE VIEW active_users AS\n"
       "    SELECT id, email FROM users WHERE email IS NOT NULL;\n"},
      {"003_active_users_name.sql",
       "CREATE OR REPLACE VIEW active_users AS\n"
       "    SELECT id, email, name FROM users WHERE email IS NOT NULL;\n"}},
     0, {0}, 0, 0, ""},
    {"churn: altered by 5 later migrations", R(CHURN),
     {USERS,
      {"002_users_phone.sql", "ALTER TABLE users ADD COLUMN phone text;\n"},
      {"003_users_locale.sql", "ALTER TABLE users ADD COLUMN locale text;\n"},
      {"004_users_timezone.sql",
       "ALTER TABLE users ADD COLUMN timezone text;\n"},
      {"005_users_avatar_url.sql",
       "ALTER TABLE users ADD COLUMN avatar_url text;\n"},
      {"006_users_last_login_at.sql",
       "ALTER TABLE users ADD COLUMN last_login_at text;\n"}},
     0, {0}, 0, 0, "001_users.sql:1:14: note [churn]\n"},
    {"churn: near miss: 4 are below the threshold", R(CHURN),
     {USERS,
      {"002_users_phone.sql", "ALTER TABLE users ADD COLUMN phone text;\n"},
      {"003_users_locale.sql", "ALTER TABLE users ADD COLUMN locale text;\n"},
      {"004_users_timezone.sql",
       "ALTER TABLE users ADD COLUMN timezone text;\n"},
      {"005_users_avatar_url.sql",
       "ALTER TABLE users ADD COLUMN avatar_url text;\n"}},
     0, {0}, 0, 0, ""},

    /* session and ledger */
    {"session-state: SET without LOCAL", R(SESSION_STATE),
     {USERS, {"002_app_settings.sql",
              "CREATE SCHEMA app;\n"
              "SET search_path = app, public;\n"
              "CREATE TABLE settings (key text PRIMARY KEY, value text);\n"}},
     0, {0}, 0, 0, "002_app_settings.sql:2:1: warning [session-state]\n"},
    {"session-state: near miss: SET LOCAL", R(SESSION_STATE),
     {USERS, {"002_app_settings.sql",
              "CREATE SCHEMA app;\n"
              "SET LOCAL search_path = app, public;\n"
              "CREATE TABLE settings (key text PRIMARY KEY, value text);\n"}},
     0, {0}, 0, 0, ""},
    {"ledger-collision: another tool's ledger is a warning",
     R(LEDGER_COLLISION),
     {{"001_baseline.sql",
       "CREATE TABLE users (\n"
       "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
       "    email text\n"
       ");\n"
       "\n"
       "CREATE TABLE schema_migrations (\n"
       "    version bigint PRIMARY KEY,\n"
       "    dirty boolean NOT NULL\n"
       ");\n"}},
     0, {0}, 0, 0, "001_baseline.sql:6:14: warning [ledger-collision]\n"},
    {"ledger-collision: migc's own is an error", R(LEDGER_COLLISION),
     {{"001_ledger.sql",
       "CREATE TABLE migc_migrations (version bigint PRIMARY KEY);\n"}},
     0, {0}, 0, 0, "001_ledger.sql:1:14: error [ledger-collision]\n"},
    {"ledger-collision: --ledger-table names migc's", R(LEDGER_COLLISION),
     {{"001_ledger.sql",
       "CREATE TABLE app_ledger (version bigint PRIMARY KEY);\n"
       "CREATE TABLE migc_migrations (version bigint PRIMARY KEY);\n"}},
     0, {0}, "app_ledger", 0,
     "001_ledger.sql:1:14: error [ledger-collision]\n"},
    {"ledger-collision: near miss", R(LEDGER_COLLISION),
     {{"001_baseline.sql",
       "CREATE TABLE users (\n"
       "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
       "    email text\n"
       ");\n"
       "CREATE TABLE schema_migrations_archive (version text);\n"
       "DROP TABLE IF EXISTS goose_db_version;\n"}},
     0, {0}, 0, 0, ""},

    /* existing tables */
    {"blocking-index: CREATE INDEX", R(BLOCKING_INDEX),
     {USERS, {"002_users_email_idx.sql",
              "CREATE INDEX users_email_idx ON users (email);\n"}},
     0, {0}, 0, 0, "002_users_email_idx.sql:1:33: warning [blocking-index]\n"},
    {"blocking-index: ADD UNIQUE", R(BLOCKING_INDEX),
     {USERS, {"002_users_email_unique.sql",
              "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE "
              "(email);\n"}},
     0, {0}, 0, 0,
     "002_users_email_unique.sql:1:23: warning [blocking-index]\n"},
    {"blocking-index: DROP INDEX", R(BLOCKING_INDEX),
     {USERS,
      {"002_users_email_idx.sql",
       "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n"},
      {"003_drop_users_email_idx.sql", "DROP INDEX users_email_idx;\n"}},
     0, {0}, 0, 0,
     "003_drop_users_email_idx.sql:1:1: warning [blocking-index]\n"
     "003_drop_users_email_idx.sql:1:1: note [created-then-dropped]\n"},
    {"blocking-index: near miss: CONCURRENTLY", R(BLOCKING_INDEX),
     {USERS,
      {"002_users_email_idx.sql",
       "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n"},
      {"003_drop_users_email_idx.sql",
       "DROP INDEX CONCURRENTLY users_email_idx;\n"}},
     0, {0}, 0, 0,
     "003_drop_users_email_idx.sql:1:1: note [created-then-dropped]\n"},
    {"blocking-index: near miss: a table of this migration",
     R(BLOCKING_INDEX),
     {{"001_users.sql", "CREATE TABLE users (id int, email text);\n"
                        "CREATE INDEX users_email_idx ON users (email);\n"}},
     0, {0}, 0, 0, ""},
    {"constraint-not-valid: a FOREIGN KEY", R(CONSTRAINT_NOT_VALID),
     {USERS, ORDERS,
      {"003_orders_user_fk.sql",
       "ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey\n"
       "    FOREIGN KEY (user_id) REFERENCES users (id);\n"}},
     0, {0}, 0, 0,
     "003_orders_user_fk.sql:1:24: warning [constraint-not-valid]\n"},
    {"constraint-not-valid: validated in the same migration",
     R(CONSTRAINT_NOT_VALID),
     {USERS, ORDERS,
      {"003_orders_user_fk.sql",
       "ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey\n"
       "    FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n"
       "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;\n"}},
     0, {0}, 0, 0,
     "003_orders_user_fk.sql:3:1: warning [constraint-not-valid]\n"},
    {"constraint-not-valid: near miss", R(CONSTRAINT_NOT_VALID),
     {USERS, ORDERS,
      {"003_orders_user_fk.sql",
       "ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey\n"
       "    FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n"},
      {"004_orders_user_fk_validate.sql",
       "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;\n"}},
     0, {0}, 0, 0, ""},
    {"not-null-no-default: ADD COLUMN NOT NULL", R(NOT_NULL_NO_DEFAULT),
     {USERS, {"002_users_plan.sql",
              "ALTER TABLE users ADD COLUMN plan text NOT NULL;\n"}},
     0, {0}, 0, 0, "002_users_plan.sql:1:30: warning [not-null-no-default]\n"},
    {"not-null-no-default: near miss", R(NOT_NULL_NO_DEFAULT),
     {USERS, {"002_users_plan.sql",
              "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT "
              "'free';\n"}},
     0, {0}, 0, 0, ""},
    {"not-null-no-default: SET NOT NULL of a column added unfilled",
     R(NOT_NULL_NO_DEFAULT),
     {USERS, {"002_users_plan.sql",
              "ALTER TABLE users ADD COLUMN plan text;\n"
              "ALTER TABLE users ALTER COLUMN plan SET DEFAULT 'free';\n"
              "ALTER TABLE users ALTER COLUMN plan SET NOT NULL;\n"}},
     0, {0}, 0, 0, "002_users_plan.sql:3:1: warning [not-null-no-default]\n"},
    {"not-null-no-default: near miss: backfilled before SET NOT NULL",
     R(NOT_NULL_NO_DEFAULT),
     {USERS, {"002_users_plan.sql",
              "ALTER TABLE users ADD COLUMN plan text;\n"
              "UPDATE users SET plan = 'free';\n"
              "ALTER TABLE users ALTER COLUMN plan SET NOT NULL;\n"}},
     0, {0}, 0, 0,
     "002_users_plan.sql:2:1: note [data-in-migration]\n"
     "002_users_plan.sql:3:1: warning [set-not-null]\n"},
    {"set-not-null: after ADD COLUMN ... DEFAULT", R(SET_NOT_NULL),
     {USERS, {"002_users_plan.sql",
              "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free';\n"
              "ALTER TABLE users ALTER COLUMN plan SET NOT NULL;\n"}},
     0, {0}, 0, 0, "002_users_plan.sql:2:1: warning [set-not-null]\n"},
    {"set-not-null: near miss: NOT NULL in the ADD COLUMN", R(SET_NOT_NULL),
     {USERS, {"002_users_plan.sql",
              "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT "
              "'free';\n"
              "ALTER TABLE users ALTER COLUMN plan SET NOT NULL;\n"}},
     0, {0}, 0, 0, ""},
    {"set-not-null: SET NOT NULL", R(SET_NOT_NULL),
     {USERS, {"002_users_email_not_null.sql",
              "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"}},
     0, {0}, 0, 0,
     "002_users_email_not_null.sql:1:1: warning [set-not-null]\n"},
    {"set-not-null: near miss: a validated CHECK first", R(SET_NOT_NULL),
     {USERS,
      {"002_users_email_check.sql",
       "ALTER TABLE users ADD CONSTRAINT users_email_not_null\n"
       "    CHECK (email IS NOT NULL) NOT VALID;\n"},
      {"003_users_email_check_validate.sql",
       "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n"},
      {"004_users_email_not_null.sql",
       "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
       "ALTER TABLE users DROP CONSTRAINT users_email_not_null;\n"}},
     0, {0}, 0, 0, ""},
    {"table-rewrite: a volatile default", R(TABLE_REWRITE),
     {USERS, {"002_users_token.sql",
              "ALTER TABLE users ADD COLUMN token uuid DEFAULT "
              "gen_random_uuid();\n"}},
     0, {0}, 0, 0, "002_users_token.sql:1:30: warning [table-rewrite]\n"},
    {"table-rewrite: near miss", R(TABLE_REWRITE),
     {USERS, {"002_users_token.sql",
              "ALTER TABLE users ADD COLUMN token uuid;\n"
              "ALTER TABLE users ALTER COLUMN token SET DEFAULT "
              "gen_random_uuid();\n"}},
     0, {0}, 0, 0, ""},
    {"column-type-change: text to varchar(320)", R(COLUMN_TYPE_CHANGE),
     {USERS, {"002_users_email_length.sql",
              "ALTER TABLE users ALTER COLUMN email TYPE varchar(320);\n"}},
     0, {0}, 0, 0,
     "002_users_email_length.sql:1:1: warning [column-type-change]\n"},
    {"column-type-change: near miss: a longer varchar",
     R(COLUMN_TYPE_CHANGE),
     {USERS, {"002_users_name_length.sql",
              "ALTER TABLE users ALTER COLUMN name TYPE varchar(200);\n"}},
     0, {0}, 0, 0, ""},
    {"column-type-change: varchar(100) to text needs no rewrite",
     R(COLUMN_TYPE_CHANGE),
     {USERS, {"002_users_name_text.sql",
              "ALTER TABLE users ALTER COLUMN name TYPE text;\n"}},
     0, {0}, 0, 0, "002_users_name_text.sql:1:1: warning [column-type-change]\n"},
    {"column-type-change: near miss: timestamp(3) to timestamp",
     R(COLUMN_TYPE_CHANGE),
     {{"001_events.sql", "CREATE TABLE events (at timestamp(3), "
                         "amount numeric(10,2));\n"},
      {"002_events_precision.sql",
       "ALTER TABLE events ALTER COLUMN at TYPE timestamp;\n"
       "ALTER TABLE events ALTER COLUMN amount TYPE numeric(14,2);\n"}},
     0, {0}, 0, 0, ""},
    {"enum-value-in-transaction: UPDATE to the new value",
     R(ENUM_VALUE_IN_TRANSACTION),
     {{"001_mood.sql", "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
                       "CREATE TABLE person (id int, mood mood);\n"},
      {"002_happy.sql", "ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';\n"
                        "UPDATE person SET mood = 'happy';\n"}},
     0, {0}, 0, 0,
     "002_happy.sql:2:1: note [data-in-migration]\n"
     "002_happy.sql:2:26: error [enum-value-in-transaction]\n"},
    {"enum-value-in-transaction: near miss: used in a later migration",
     R(ENUM_VALUE_IN_TRANSACTION),
     {{"001_mood.sql", "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
                       "CREATE TABLE person (id int, mood mood);\n"},
      {"002_happy.sql", "ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';\n"},
      {"003_default.sql", "ALTER TABLE person ALTER COLUMN mood SET DEFAULT "
                          "'happy';\n"}},
     0, {0}, 0, 0, ""},
    {"enum-value-order: ADD VALUE at the end", R(ENUM_VALUE_ORDER),
     {{"001_mood.sql", "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"},
      {"002_happy.sql", "ALTER TYPE mood ADD VALUE 'happy';\n"}},
     0, {0}, 0, 0, "002_happy.sql:1:1: note [enum-value-order]\n"},
    {"enum-value-order: near miss: AFTER", R(ENUM_VALUE_ORDER),
     {{"001_mood.sql", "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"},
      {"002_happy.sql", "ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';\n"}},
     0, {0}, 0, 0, ""},
    {"partitioned-index-concurrently: on the partitioned table",
     R(PARTITIONED_INDEX_CONCURRENTLY),
     {{"001_events.sql", "CREATE TABLE events (at date, kind text) "
                         "PARTITION BY RANGE (at);\n"},
      {"002_kind_idx.sql", "CREATE INDEX CONCURRENTLY ON events (kind);\n"}},
     0, {0}, 0, 0,
     "002_kind_idx.sql:1:30: error [partitioned-index-concurrently]\n"},
    {"partitioned-index-concurrently: near miss: without CONCURRENTLY",
     R(PARTITIONED_INDEX_CONCURRENTLY),
     {{"001_events.sql", "CREATE TABLE events (at date, kind text) "
                         "PARTITION BY RANGE (at);\n"},
      {"002_kind_idx.sql", "CREATE INDEX ON events (kind);\n"}},
     0, {0}, 0, 0, ""},
    {"identifier-length: a table name of 72 bytes", R(IDENTIFIER_LENGTH),
     {{"001_t.sql", "CREATE TABLE notifications_sent_to_users_who_asked_"
                    "for_them_in_their_account_settings (id int);\n"}},
     0, {0}, 0, 0, "001_t.sql:1:14: warning [identifier-length]\n"},
    {"identifier-length: near miss: 63 bytes", R(IDENTIFIER_LENGTH),
     {{"001_t.sql", "CREATE TABLE notifications_sent_to_users_who_asked_"
                    "for_them_in_their_account (id int);\n"}},
     0, {0}, 0, 0, ""},
    {"identifier-length: two names truncate alike", R(IDENTIFIER_LENGTH),
     {{"001_t.sql", "CREATE TABLE t (id int);\n"
                    "ALTER TABLE t ADD CONSTRAINT "
                    "t_id_must_be_positive_and_below_the_limit_of_the_"
                    "customers_plan_check_1 CHECK (id > 0);\n"
                    "ALTER TABLE t ADD CONSTRAINT "
                    "t_id_must_be_positive_and_below_the_limit_of_the_"
                    "customers_plan_check_2 CHECK (id < 9);\n"}},
     0, {0}, 0, 0,
     "001_t.sql:2:30: warning [identifier-length]\n"
     "001_t.sql:3:19: error [duplicate-object]\n"
     "001_t.sql:3:30: warning [identifier-length]\n"},
    {"no-lock-timeout: ADD COLUMN without a lock timeout", R(NO_LOCK_TIMEOUT),
     {USERS, {"002_users_plan.sql",
              "ALTER TABLE users ADD COLUMN plan text;\n"}},
     0, {0}, 0, 0, "002_users_plan.sql:1:1: note [no-lock-timeout]\n"},
    {"no-lock-timeout: near miss: the directive", R(NO_LOCK_TIMEOUT),
     {USERS, {"002_users_plan.sql",
              "-- migc:lock-timeout 5s\n"
              "ALTER TABLE users ADD COLUMN plan text;\n"}},
     0, {0}, 0, 0, ""},
    {"blocking-index: REINDEX TABLE", R(BLOCKING_INDEX),
     {USERS, {"002_reindex.sql", "REINDEX TABLE users;\n"}},
     0, {0}, 0, 0, "002_reindex.sql:1:15: warning [blocking-index]\n"},
    {"blocking-index: near miss: REINDEX CONCURRENTLY", R(BLOCKING_INDEX),
     {USERS, {"002_reindex.sql", "REINDEX TABLE CONCURRENTLY users;\n"}},
     0, {0}, 0, 0, ""},
    {"constraint-not-valid: ALTER DOMAIN ADD CONSTRAINT",
     R(CONSTRAINT_NOT_VALID),
     {{"001_price.sql", "CREATE DOMAIN price AS numeric;\n"
                        "CREATE TABLE item (id int, cost price);\n"},
      {"002_price_check.sql", "ALTER DOMAIN price ADD CONSTRAINT "
                              "price_positive CHECK (VALUE > 0);\n"}},
     0, {0}, 0, 0, "002_price_check.sql:1:24: warning [constraint-not-valid]\n"},
    {"constraint-not-valid: near miss: ALTER DOMAIN ... NOT VALID",
     R(CONSTRAINT_NOT_VALID),
     {{"001_price.sql", "CREATE DOMAIN price AS numeric;\n"
                        "CREATE TABLE item (id int, cost price);\n"},
      {"002_price_check.sql", "ALTER DOMAIN price ADD CONSTRAINT "
                              "price_positive CHECK (VALUE > 0) NOT VALID;\n"}},
     0, {0}, 0, 0, ""},
    {"rename: RENAME COLUMN", R(RENAME),
     {USERS, {"002_users_full_name.sql",
              "ALTER TABLE users RENAME COLUMN name TO full_name;\n"}},
     0, {0}, 0, 0, "002_users_full_name.sql:1:13: warning [rename]\n"},
    {"rename: near miss", R(RENAME),
     {USERS, {"002_users_full_name.sql",
              "ALTER TABLE users ADD COLUMN full_name varchar(100);\n"}},
     0, {0}, 0, 0, ""},
    {"destructive: DROP COLUMN", R(DESTRUCTIVE),
     {USERS, ORDERS,
      {"003_orders_drop_total.sql", "ALTER TABLE orders DROP COLUMN total;\n"}},
     0, {0}, 0, 0,
     "003_orders_drop_total.sql:1:1: warning [destructive]\n"
     "003_orders_drop_total.sql:1:1: note [created-then-dropped]\n"},
    {"destructive: near miss: allowed", R(DESTRUCTIVE),
     {USERS, ORDERS,
      {"003_orders_drop_total.sql",
       "-- migc:allow destructive nothing reads orders.total since 4.2\n"
       "ALTER TABLE orders DROP COLUMN total;\n"}},
     0, {0}, 0, 0,
     "003_orders_drop_total.sql:2:1: note [created-then-dropped]\n"},

    /* content */
    {"hardcoded-password: CREATE ROLE ... PASSWORD", R(HARDCODED_PASSWORD),
     {USERS, {"002_reporting_role.sql",
              "CREATE ROLE reporting LOGIN PASSWORD 's3cret-reporting';\n"
              "GRANT SELECT ON users TO reporting;\n"}},
     0, {0}, 0, 0,
     "002_reporting_role.sql:1:29: warning [hardcoded-password]\n"},
    {"hardcoded-password: near miss", R(HARDCODED_PASSWORD),
     {USERS, {"002_reporting_role.sql",
              "CREATE ROLE reporting LOGIN;\n"
              "GRANT SELECT ON users TO reporting;\n"}},
     0, {0}, 0, 0, ""},
    {"data-in-migration: INSERT", R(DATA_IN_MIGRATION),
     {USERS, {"002_plans.sql",
              "CREATE TABLE plans (code text PRIMARY KEY, monthly_cents "
              "integer NOT NULL);\n"
              "INSERT INTO plans (code, monthly_cents) VALUES ('free', 0), "
              "('pro', 1200);\n"}},
     0, {0}, 0, 0, "002_plans.sql:2:1: note [data-in-migration]\n"},
    {"data-in-migration: near miss: allowed", R(DATA_IN_MIGRATION),
     {USERS, {"002_plans.sql",
              "CREATE TABLE plans (code text PRIMARY KEY, monthly_cents "
              "integer NOT NULL);\n"
              "-- migc:allow data-in-migration the plan codes of the Plan "
              "enum\n"
              "INSERT INTO plans (code, monthly_cents) VALUES ('free', 0), "
              "('pro', 1200);\n"}},
     0, {0}, 0, 0, ""},
    {"pack-schema: an unknown field", R(PACK_SCHEMA),
     {PACK_TABLE, {"../packs/core/pack.yaml",
                   "ref: core\nlabel: Core\ncolour: red\n"}},
     0, {0}, 0, 1, "packs/core/pack.yaml:3:1: error [pack-schema]\n"},
    {"pack-schema: near miss", R(PACK_SCHEMA),
     {PACK_TABLE, {"../packs/core/pack.yaml", "ref: core\nlabel: Core\n"}},
     0, {0}, 0, 1, ""},

    /* -- migc:allow RULE reason */
    {"allow: silences the next statement only", R(BLOCKING_INDEX),
     {USERS, {"002_users_idx.sql",
              "CREATE TABLE t (id int);\n"
              "-- migc:allow blocking-index users is small\n"
              "CREATE INDEX users_email_idx ON users (email);\n"
              "CREATE INDEX users_name_idx ON users (name);\n"}},
     0, {0}, 0, 0, "002_users_idx.sql:4:32: warning [blocking-index]\n"},
    {"allow: before the first statement, the whole file", R(BLOCKING_INDEX),
     {USERS, {"002_users_idx.sql",
              "-- migc:allow blocking-index users is small\n"
              "\n"
              "CREATE INDEX users_email_idx ON users (email);\n"
              "CREATE INDEX users_name_idx ON users (name);\n"}},
     0, {0}, 0, 0, ""},
    {"allow: of another rule silences nothing", R(UNUSED_ALLOW),
     {USERS, {"002_users_idx.sql",
              "CREATE TABLE t (id int);\n"
              "-- migc:allow destructive not this one\n"
              "CREATE INDEX users_email_idx ON users (email);\n"}},
     0, {0}, 0, 0,
     "002_users_idx.sql:2:1: warning [unused-allow]\n"
     "002_users_idx.sql:3:33: warning [blocking-index]\n"},
    {"allow: of a rule switched off is not unused", R(UNUSED_ALLOW),
     {USERS, {"002_users_idx.sql",
              "-- migc:allow blocking-index users is small\n"
              "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n"}},
     0, {"blocking-index=off"}, 0, 0, ""},
    {"allow: of a file-level rule cannot silence it", R(UNUSED_ALLOW),
     {USERS, ORDERS,
      {"004_x.sql", "-- migc:allow version-gap the 3 was dropped\n"
                    "SELECT 1;\n"}},
     0, {0}, 0, 0,
     "004_x.sql: warning [version-gap]\n"
     "004_x.sql:1:1: warning [unused-allow]\n"},

    /* --severity RULE=LEVEL */
    {"severity: a warning raised to an error", R(BLOCKING_INDEX),
     {USERS, {"002_users_email_idx.sql",
              "CREATE INDEX users_email_idx ON users (email);\n"}},
     0, {"blocking-index=error"}, 0, 0,
     "002_users_email_idx.sql:1:33: error [blocking-index]\n"},
    {"severity: an error lowered to a note", R(UNKNOWN_COLUMN),
     {USERS, {"002_users_email_idx.sql",
              "CREATE INDEX CONCURRENTLY users_email_idx ON users "
              "(mail);\n"}},
     0, {"unknown-column=note"}, 0, 0,
     "002_users_email_idx.sql:1:46: note [unknown-column]\n"},
    {"severity: a rule switched off", R(DATA_IN_MIGRATION),
     {USERS, {"002_plans.sql", "INSERT INTO users (email) VALUES ('a');\n"}},
     0, {"data-in-migration=off"}, 0, 0, ""},
    {"severity: the last setting wins", R(EMPTY_MIGRATION),
     {USERS, {"002_invoices.sql", "-- TODO\n"}}, 0,
     {"empty-migration=off", "empty-migration=warning"}, 0, 0,
     "002_invoices.sql: warning [empty-migration]\n"},
    {"severity: a fixed rule's error stays (off)", R(SYNTAX),
     {USERS, {"002_x.sql", "CREATE TABLE x (;\n"}}, 0, {"syntax=off"}, 0, 0,
     "002_x.sql:1:17: error [syntax]\n"},
    {"severity: a fixed rule's error stays (warning)", R(SYNTAX),
     {USERS, {"002_x.sql", "CREATE TABLE x (;\n"}}, 0, {"syntax=warning"}, 0,
     0, "002_x.sql:1:17: error [syntax]\n"},
    {"severity: a fixed rule's note can go, its error stays",
     R(TRANSACTION_CONTROL),
     {{"001_a.sql", "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n"},
      {"002_b.sql", "CREATE TABLE b (id int);\nCOMMIT;\n"}},
     0, {"transaction-control=off"}, 0, 0,
     "002_b.sql:2:1: error [transaction-control]\n"},
    {"severity: a fixed rule's warning can be raised", R(IMMUTABLE),
     {{"001_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n"},
      {"001_users.sql", "create table users (id bigint primary key);\n"}},
     1, {"immutable=error"}, 0, 0, "001_users.sql: error [immutable]\n"},
};
enum { N_CASES = sizeof cases / sizeof *cases };

static size_t n_files(const struct rule_case *rc)
{
    size_t n = 0;
    while (n < MAX_FILES && rc->files[n].name)
        n++;
    return n;
}

/* The options of the row's (last) run, its --severity list in sev. The
 * note no-lock-timeout, which nearly every ALTER TABLE of an existing
 * table draws, is off unless the row is about it. */
static struct compile_options row_options(const struct rule_case *rc,
                                          const char **sev)
{
    size_t n = 0;
    while (n < MAX_SEVERITY && rc->severity[n]) {
        sev[n] = rc->severity[n];
        n++;
    }
    if (rc->rule != DIAG_NO_LOCK_TIMEOUT)
        sev[n++] = "no-lock-timeout=off";
    return (struct compile_options){.severity = sev,
                                    .n_severity = n,
                                    .ledger_table = rc->ledger_table,
                                    .packs = rc->packs};
}

static void run_case(void **state)
{
    const struct rule_case *rc = *state;
    const char *sev[MAX_SEVERITY + 1];
    struct compile_options o = row_options(rc, sev);
    size_t n = n_files(rc);
    struct gen_sql *g;
    if (rc->released == 0) {
        g = gen_sql_run(rc->files, n, &o);
    } else {
        struct compile_options lock = {.write_lock = 1};
        g = gen_sql_run(rc->files, rc->released, &lock);
        size_t added = 0, squashed = 0;
        if (compile_lock_written(g->c, &added, &squashed) != 0)
            print_error("%s: `migc lock` failed:\n%s", rc->name,
                        gen_sql_findings(g));
        assert_int_equal(compile_lock_written(g->c, &added, &squashed), 0);
        for (size_t i = rc->released; i < n; i++)
            gen_sql_write(g, &rc->files[i]);
        gen_sql_rerun(g, NULL, &o);
    }
    const char *got = gen_sql_brief(g);
    if (strcmp(got, rc->expect) != 0)
        print_error("%s:\nexpected:\n%sfound:\n%sas printed:\n%s", rc->name,
                    rc->expect, got, gen_sql_findings(g));
    assert_string_equal(got, rc->expect);
    gen_sql_free(g);
}

/* "[id]" within text. */
static int names_rule(const char *text, enum diag_rule rule)
{
    char tag[64];
    snprintf(tag, sizeof tag, "[%s]", diag_rule_id(rule));
    return strstr(text, tag) != NULL;
}

/* Every rule has a row that triggers it and a near miss that does not. */
static void test_every_rule_has_rows(void **state)
{
    (void)state;
    int missing = 0;
    for (int rule = 0; rule < DIAG_RULE_COUNT; rule++) {
        int fires = 0, near = 0;
        /* `migc squash`'s own (integration.squash_cmd, gen.case.rule_squash*) */
        if (rule == DIAG_SQUASH || rule == DIAG_SQUASH_DATA)
            continue;
        for (size_t i = 0; i < N_CASES; i++) {
            if (cases[i].rule != (enum diag_rule)rule)
                continue;
            if (names_rule(cases[i].expect, rule))
                fires = 1;
            else
                near = 1;
        }
        if (!fires || !near) {
            print_error("rule %s has no %s row in test_rules.c\n",
                        diag_rule_id(rule),
                        !fires ? "triggering" : "near-miss");
            missing = 1;
        }
    }
    assert_false(missing);
}

int main(void)
{
    struct CMUnitTest tests[N_CASES + 1];
    for (size_t i = 0; i < N_CASES; i++)
        tests[i] = (struct CMUnitTest){.name = cases[i].name,
                                       .test_func = run_case,
                                       .initial_state = (void *)&cases[i]};
    tests[N_CASES] = (struct CMUnitTest)cmocka_unit_test(
        test_every_rule_has_rows);
    return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}

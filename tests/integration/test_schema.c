/* test_schema.c: the schema comparison (runtime/schema.h) on a real server:
 * for each case two fresh databases, SQL A run in one and SQL B in the
 * other, both read, and the exact difference lines asserted: none for the
 * same schema built two ways, the object named for schemas that differ;
 * then the reader's error paths and the state it leaves a connection in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgtest.h"
#include "schema.h"

/* One pair of databases: how each is built, what reading asks for, and the
 * lines schema_diff must give ("" when equal), joined by '\n'. */
struct pair {
    const char *name;
    const char *a;
    const char *b;
    int grants;
    int data;
    const char *want;
};

#define SERIAL_DUMPED                                                          \
    "CREATE TABLE public.t (id integer NOT NULL, v text);"                     \
    "CREATE SEQUENCE public.t_id_seq AS integer START WITH 1"                  \
    " INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;"                         \
    "ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;"                     \
    "ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT"                    \
    " nextval('public.t_id_seq'::regclass);"                                   \
    "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);"

/* The same schema built two ways: no difference. */
static const struct pair equal_pairs[] = {
    {"serial_vs_dump", "CREATE TABLE t (id serial PRIMARY KEY, v text);",
     SERIAL_DUMPED, 0, 0, ""},
    {"add_column_vs_create",
     "CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN b text NOT NULL"
     " DEFAULT 'x'; ALTER TABLE t ADD COLUMN c timestamptz"
     " DEFAULT '2020-01-02 03:04:05+00';",
     "CREATE TABLE t (a int, b text DEFAULT 'x' NOT NULL,"
     " c timestamp with time zone DEFAULT '2020-01-02 03:04:05+00');",
     0, 0, ""},
    {"dropped_column",
     "CREATE TABLE t (a int, gone int, b text, gone2 int);"
     " ALTER TABLE t DROP COLUMN gone; ALTER TABLE t DROP COLUMN gone2;"
     " ALTER TABLE t ADD COLUMN c int;",
     "CREATE TABLE t (a int, b text, c int);", 0, 0, ""},
    {"constraints_inline_vs_alter",
     "CREATE TABLE p (id int PRIMARY KEY);"
     "CREATE TABLE c (id int PRIMARY KEY, pid int REFERENCES p"
     " ON DELETE CASCADE, n int CHECK (n > 0), UNIQUE (n));",
     "CREATE TABLE p (id int); ALTER TABLE p ADD PRIMARY KEY (id);"
     "CREATE TABLE c (id int NOT NULL, pid int, n int);"
     "ALTER TABLE c ADD CONSTRAINT c_pkey PRIMARY KEY (id);"
     "ALTER TABLE c ADD FOREIGN KEY (pid) REFERENCES p (id)"
     " ON DELETE CASCADE;"
     "ALTER TABLE c ADD CHECK (n > 0); ALTER TABLE c ADD UNIQUE (n);",
     0, 0, ""},
    {"index_renamed",
     "CREATE TABLE t (a int); CREATE INDEX tmp ON t (a);"
     " ALTER INDEX tmp RENAME TO t_a_idx;",
     "CREATE TABLE t (a int); CREATE INDEX t_a_idx ON public.t USING btree"
     " (a);",
     0, 0, ""},
    {"enum_add_value",
     "CREATE TYPE mood AS ENUM ('happy', 'sad');"
     " ALTER TYPE mood ADD VALUE 'ok' BEFORE 'sad';"
     " ALTER TYPE mood ADD VALUE 'meh' AFTER 'happy';",
     "CREATE TYPE mood AS ENUM ('happy', 'meh', 'ok', 'sad');", 0, 0, ""},
    {"view_replaced",
     "CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a FROM t;"
     " CREATE OR REPLACE VIEW v AS SELECT a, b FROM t WHERE a > 0;",
     "CREATE TABLE t (a int, b int);"
     " CREATE VIEW v AS SELECT t.a, t.b FROM public.t WHERE (t.a > 0);",
     0, 0, ""},
    {"comments_rewritten",
     "CREATE TABLE t (a int); COMMENT ON TABLE t IS 'old';"
     " COMMENT ON TABLE t IS 'Orders.'; COMMENT ON COLUMN t.a IS 'x';"
     " COMMENT ON COLUMN t.a IS NULL; COMMENT ON COLUMN t.a IS 'y';",
     "CREATE TABLE t (a int); COMMENT ON COLUMN t.a IS 'y';"
     " COMMENT ON TABLE t IS 'Orders.';",
     0, 0, ""},
    {"table_renamed_sequence_kept",
     "CREATE TABLE a (id serial); ALTER TABLE a RENAME TO b;",
     "CREATE TABLE b (id integer NOT NULL);"
     " CREATE SEQUENCE a_id_seq AS integer;"
     " ALTER SEQUENCE a_id_seq OWNED BY b.id;"
     " ALTER TABLE b ALTER COLUMN id SET DEFAULT"
     " nextval('a_id_seq'::regclass);",
     0, 0, ""},
    {"function_replaced",
     "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql"
     " AS $$ SELECT x + 1 $$;"
     " CREATE OR REPLACE FUNCTION f(x int) RETURNS int IMMUTABLE"
     " LANGUAGE sql AS $$ SELECT x + 2 $$;",
     "CREATE FUNCTION public.f(x integer) RETURNS integer LANGUAGE sql"
     " IMMUTABLE AS $$ SELECT x + 2 $$;",
     0, 0, ""},
    {"partition_attached",
     "CREATE TABLE p (id int, at date) PARTITION BY RANGE (at);"
     " CREATE TABLE p2020 PARTITION OF p FOR VALUES FROM ('2020-01-01')"
     " TO ('2021-01-01'); CREATE INDEX ON p (id);",
     "CREATE TABLE p (id int, at date) PARTITION BY RANGE (at);"
     " CREATE TABLE p2020 (id int, at date);"
     " ALTER TABLE p ATTACH PARTITION p2020 FOR VALUES FROM ('2020-01-01')"
     " TO ('2021-01-01');"
     " CREATE INDEX p_id_idx ON ONLY p (id);"
     " CREATE INDEX p2020_id_idx ON p2020 (id);"
     " ALTER INDEX p_id_idx ATTACH PARTITION p2020_id_idx;",
     0, 0, ""},
    {"identity_added_later",
     "CREATE TABLE t (id int NOT NULL);"
     " ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;",
     "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);", 0, 0, ""},
    {"domain_constraint_added",
     "CREATE DOMAIN pos AS int;"
     " ALTER DOMAIN pos ADD CONSTRAINT pos_check CHECK (VALUE > 0);",
     "CREATE DOMAIN pos AS integer CHECK (VALUE > 0);", 0, 0, ""},
    {"composite_attribute_dropped",
     "CREATE TYPE pair AS (a int, x text, b int);"
     " ALTER TYPE pair DROP ATTRIBUTE x;",
     "CREATE TYPE pair AS (a int, b int);", 0, 0, ""},
    {"column_type_altered",
     "CREATE TABLE t (a int, b varchar(10));"
     " ALTER TABLE t ALTER COLUMN a TYPE bigint;"
     " ALTER TABLE t ALTER COLUMN b TYPE varchar(20);",
     "CREATE TABLE t (a bigint, b character varying(20));", 0, 0, ""},
    {"grant_revoked",
     "CREATE TABLE t (a int); GRANT SELECT ON t TO PUBLIC;"
     " REVOKE SELECT ON t FROM PUBLIC;",
     "CREATE TABLE t (a int);", 1, 0, ""},
    {"policy_and_rls_order",
     "CREATE TABLE t (a int); CREATE POLICY p ON t USING (a > 0);"
     " ALTER TABLE t ENABLE ROW LEVEL SECURITY;",
     "CREATE TABLE t (a int); ALTER TABLE t ENABLE ROW LEVEL SECURITY;"
     " CREATE POLICY p ON t AS PERMISSIVE FOR ALL TO PUBLIC"
     " USING ((a > 0));",
     0, 0, ""},
    {"rows_in_other_order",
     "CREATE TABLE t (a int, b text);"
     " INSERT INTO t VALUES (2, 'b'), (1, 'a'), (3, NULL);",
     "CREATE TABLE t (a int, b text);"
     " INSERT INTO t VALUES (3, NULL), (1, 'a'); INSERT INTO t VALUES"
     " (2, 'b');",
     0, 1, ""},
    {"trigger_replaced",
     "CREATE TABLE t (a int); CREATE FUNCTION tf() RETURNS trigger"
     " LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
     " CREATE TRIGGER trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE"
     " FUNCTION tf(); DROP TRIGGER trg ON t;"
     " CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE"
     " FUNCTION tf();",
     "CREATE TABLE t (a int); CREATE FUNCTION tf() RETURNS trigger"
     " LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
     " CREATE TRIGGER trg BEFORE INSERT ON public.t FOR EACH ROW EXECUTE"
     " PROCEDURE public.tf();",
     0, 0, ""},
    {"extension_members_skipped",
     "CREATE EXTENSION citext; CREATE TABLE t (e citext);",
     "CREATE EXTENSION citext; CREATE TABLE t (e public.citext);", 1, 0, ""},
};

/* Schemas that differ: each difference named, in order. */
static const struct pair differing_pairs[] = {
    {"column_type", "CREATE TABLE orders (total numeric(10,2));",
     "CREATE TABLE orders (total numeric);", 0, 0,
     "table public.orders: column total: numeric(10,2) vs numeric"},
    {"column_default", "CREATE TABLE t (a int DEFAULT 1);",
     "CREATE TABLE t (a int DEFAULT 2);", 0, 0,
     "table public.t: column a: integer DEFAULT 1 vs integer DEFAULT 2"},
    {"column_nullability", "CREATE TABLE t (a int NOT NULL);",
     "CREATE TABLE t (a int);", 0, 0,
     "table public.t: column a: integer NOT NULL vs integer"},
    {"column_order", "CREATE TABLE t (a int, b int, c int);",
     "CREATE TABLE t (b int, a int, c int);", 0, 0,
     "table public.t: column order: a, b, c vs b, a, c"},
    {"column_missing_keeps_order", "CREATE TABLE t (a int, b int, c int);",
     "CREATE TABLE t (a int, c int);", 0, 0,
     "table public.t: column b: only in A"},
    {"table_missing",
     "CREATE TABLE t (a int); CREATE INDEX t_a ON t (a);"
     " COMMENT ON TABLE t IS 'gone';",
     "", 0, 0,
     "table public.t: only in A\n"
     "index public.t_a: only in A"},
    {"table_extra", "", "CREATE TABLE u (a int);", 0, 0,
     "table public.u: only in B"},
    {"index_definition", "CREATE TABLE t (a int); CREATE INDEX i ON t (a);",
     "CREATE TABLE t (a int); CREATE INDEX i ON t (a DESC);", 0, 0,
     "index public.i: CREATE INDEX i ON public.t USING btree (a) vs CREATE"
     " INDEX i ON public.t USING btree (a DESC)"},
    {"constraint_definition",
     "CREATE TABLE t (a int CONSTRAINT c CHECK (a > 0));",
     "CREATE TABLE t (a int CONSTRAINT c CHECK (a > 1));", 0, 0,
     "table public.t: constraint c: CHECK ((a > 0)) vs CHECK ((a > 1))"},
    {"enum_label_order", "CREATE TYPE mood AS ENUM ('happy', 'sad');",
     "CREATE TYPE mood AS ENUM ('sad', 'happy');", 0, 0,
     "type public.mood: labels: 'happy', 'sad' vs 'sad', 'happy'"},
    {"sequence_increment", "CREATE SEQUENCE s;",
     "CREATE SEQUENCE s INCREMENT 2;", 0, 0,
     "sequence public.s: AS bigint START 1 INCREMENT 1 MINVALUE 1 MAXVALUE"
     " 9223372036854775807 CACHE 1 vs AS bigint START 1 INCREMENT 2"
     " MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1"},
    {"view_definition",
     "CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a FROM t;",
     "CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT b AS a FROM t;", 0,
     0, "view public.v: line 1: ' SELECT t.a' vs ' SELECT t.b AS a'"},
    {"function_body",
     "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n"
     "    RETURN 1;\nEND\n$$;",
     "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n"
     "    RETURN 2;\nEND\n$$;",
     0, 0, "function public.f(): line 6: '    RETURN 1;' vs '    RETURN 2;'"},
    /* The body is compared as written: whitespace counts (documented). */
    {"function_whitespace",
     "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;",
     "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT  1 $$;", 0, 0,
     "function public.f(): line 4: 'AS $function$ SELECT 1 $function$' vs"
     " 'AS $function$ SELECT  1 $function$'"},
    {"trigger_missing",
     "CREATE TABLE t (a int); CREATE FUNCTION tf() RETURNS trigger"
     " LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
     " CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE"
     " FUNCTION tf(); COMMENT ON TRIGGER trg ON t IS 'x';",
     "CREATE TABLE t (a int); CREATE FUNCTION tf() RETURNS trigger"
     " LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;",
     0, 0, "table public.t: trigger trg: only in A"},
    {"trigger_timing",
     "CREATE TABLE t (a int); CREATE FUNCTION tf() RETURNS trigger"
     " LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
     " CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE"
     " FUNCTION tf();",
     "CREATE TABLE t (a int); CREATE FUNCTION tf() RETURNS trigger"
     " LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
     " CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW EXECUTE"
     " FUNCTION tf();",
     0, 0,
     "table public.t: trigger trg: CREATE TRIGGER trg BEFORE INSERT ON"
     " public.t FOR EACH ROW EXECUTE FUNCTION public.tf() vs CREATE TRIGGER"
     " trg AFTER INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION"
     " public.tf()"},
    {"policy_and_rls",
     "CREATE TABLE t (a int); ALTER TABLE t ENABLE ROW LEVEL SECURITY;"
     " CREATE POLICY p ON t USING (a > 0);",
     "CREATE TABLE t (a int); CREATE POLICY p ON t USING (a > 1);", 0, 0,
     "table public.t: policy p: AS PERMISSIVE FOR ALL TO PUBLIC USING"
     " ((a > 0)) vs AS PERMISSIVE FOR ALL TO PUBLIC USING ((a > 1))\n"
     "table public.t: row level security: enabled vs none"},
    {"comments",
     "CREATE TABLE t (a int); COMMENT ON TABLE t IS E'two\\nlines';"
     " COMMENT ON COLUMN t.a IS 'it''s a';",
     "CREATE TABLE t (a int); COMMENT ON COLUMN t.a IS 'b';", 0, 0,
     "table public.t: column a: comment: 'it''s a' vs 'b'\n"
     "table public.t: comment: 'two\\nlines' vs none"},
    {"grants_ignored", "CREATE TABLE t (a int); GRANT SELECT ON t TO PUBLIC;",
     "CREATE TABLE t (a int);", 0, 0, ""},
    {"grants_compared",
     "CREATE TABLE t (a int); GRANT SELECT ON t TO PUBLIC;"
     " GRANT UPDATE (a) ON t TO PUBLIC;",
     "CREATE TABLE t (a int); GRANT INSERT, SELECT ON t TO PUBLIC;"
     " GRANT SELECT ON t TO pg_monitor WITH GRANT OPTION;",
     1, 0,
     "table public.t: column a: privileges: PUBLIC: UPDATE vs none\n"
     "table public.t: privileges: PUBLIC: SELECT vs PUBLIC: INSERT, SELECT;"
     " pg_monitor: SELECT WITH GRANT OPTION"},
    {"extension_missing", "CREATE EXTENSION citext;", "", 0, 0,
     "extension citext: only in A"},
    {"schema_missing",
     "CREATE SCHEMA app; CREATE TABLE app.t (a int);"
     " CREATE TYPE app.e AS ENUM ('x');",
     "", 0, 0,
     "schema app: only in A\n"
     "type app.e: only in A\n"
     "table app.t: only in A"},
    {"rows_differ", "CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2);",
     "CREATE TABLE t (a int); INSERT INTO t VALUES (1);", 0, 1,
     "table public.t: rows: 2 rows, md5 96db2b52024a7e318c5113abcd43ae66 vs"
     " 1 rows, md5 7acce3193127d4b71a6c2b140c22dc95"},
    {"rows_ignored", "CREATE TABLE t (a int); INSERT INTO t VALUES (1);",
     "CREATE TABLE t (a int);", 0, 0, ""},
    {"partition_bound",
     "CREATE TABLE p (at int) PARTITION BY RANGE (at);"
     " CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);",
     "CREATE TABLE p (at int) PARTITION BY RANGE (at);"
     " CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (20);",
     0, 0,
     "table public.p1: partition of: public.p FOR VALUES FROM (0) TO (10)"
     " vs public.p FOR VALUES FROM (0) TO (20)"},
    {"domain_and_composite",
     "CREATE DOMAIN pos AS int CHECK (VALUE > 0);"
     " CREATE TYPE pair AS (a int, b text);",
     "CREATE DOMAIN pos AS int NOT NULL CHECK (VALUE >= 0);"
     " CREATE TYPE pair AS (a bigint, b text);",
     0, 0,
     "type public.pair: attribute a: integer vs bigint\n"
     "type public.pos: domain over integer vs domain over integer NOT NULL\n"
     "type public.pos: constraint pos_check: CHECK ((VALUE > 0)) vs CHECK"
     " ((VALUE >= 0))"},
};

/* The lines schema_diff gave, joined by '\n'. */
struct lines {
    char text[8192];
    size_t n;
};

static void collect(void *ctx, const char *text)
{
    struct lines *l = ctx;
    size_t len = strlen(l->text);
    snprintf(l->text + len, sizeof l->text - len, "%s%s", len ? "\n" : "",
             text);
    l->n++;
}

static const char *const ledger_tables[] = {"public.migc_migrations",
                                            "public.migc_packs", NULL};

/* The two databases the pairs share, emptied before each pair: creating
 * two databases per pair would cost about a second each time. */
static struct pgtest_db pair_db[2];
static PGconn *pair_conn[2];

/* Back to a new database's state: no extension but plpgsql, no schema but
 * an empty public as CREATE DATABASE gives it. */
static const char reset_sql[] =
    "SET client_min_messages = warning;"
    "DO $$DECLARE r record; BEGIN"
    " FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"
    " LOOP EXECUTE format('DROP EXTENSION %I CASCADE', r.extname); END LOOP;"
    " FOR r IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN"
    " ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'"
    " LOOP EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname); END LOOP;"
    " END$$;"
    "CREATE SCHEMA public AUTHORIZATION pg_database_owner;"
    "GRANT USAGE ON SCHEMA public TO PUBLIC;"
    "COMMENT ON SCHEMA public IS 'standard public schema';"
    "RESET client_min_messages;";

static int pairs_setup(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++)
        if (pgtest_db_create(&pair_db[i],
                             i ? "schema_pairs_b" : "schema_pairs_a") != 0 ||
            !(pair_conn[i] = pgtest_connect(pair_db[i].conninfo)))
            return -1;
    return 0;
}

static int pairs_teardown(void **state)
{
    (void)state;
    int rc = 0;
    for (int i = 0; i < 2; i++) {
        PQfinish(pair_conn[i]);
        rc |= pgtest_db_drop(&pair_db[i]);
    }
    return rc;
}

static void exec_ok(PGconn *conn, const char *what, const char *sql)
{
    PGresult *res = PQexec(conn, sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
             PQresultStatus(res) == PGRES_EMPTY_QUERY;
    if (!ok)
        print_error("%s: %s", what, PQresultErrorMessage(res));
    PQclear(res);
    assert_true(ok);
}

/* Side i emptied, built by sql, read with o. */
static struct schema_snapshot *snapshot(int i, const char *name,
                                        const char *sql,
                                        const struct schema_read_options *o)
{
    exec_ok(pair_conn[i], "reset", reset_sql);
    exec_ok(pair_conn[i], name, sql);
    struct migc_error err = MIGC_ERROR_INIT;
    struct schema_snapshot *s = NULL;
    enum migc_code rc = schema_read(pair_conn[i], o, &s, &err);
    if (rc != MIGC_OK)
        print_error("%s: %s\n", name, err.message);
    assert_int_equal(rc, MIGC_OK);
    assert_non_null(s);
    return s;
}

static void run_pair(void **state)
{
    const struct pair *p = *state;
    struct schema_read_options o = {
        .exclude_tables = ledger_tables, .grants = p->grants, .data = p->data};
    struct schema_snapshot *a = snapshot(0, "A", p->a, &o);
    struct schema_snapshot *b = snapshot(1, "B", p->b, &o);
    struct lines got = {"", 0};
    size_t n = schema_diff(a, b, "A", "B", collect, &got);
    if (strcmp(got.text, p->want) != 0)
        print_error("%s: got\n%s\nwant\n%s\n", p->name, got.text, p->want);
    assert_string_equal(got.text, p->want);
    assert_int_equal(n, got.n);
    /* Each side equals itself; the other way round counts the same. */
    assert_int_equal(schema_diff(a, a, "A", "A", NULL, NULL), 0);
    assert_int_equal(schema_diff(b, a, "B", "A", NULL, NULL), n);
    schema_free(a);
    schema_free(b);
}

/* ---- The reader's contract ---------------------------------------------- */

static PGconn *fresh(struct pgtest_db *db, const char *name, const char *sql)
{
    assert_int_equal(pgtest_db_create(db, name), 0);
    PGconn *conn = pgtest_connect(db->conninfo);
    assert_non_null(conn);
    if (sql)
        assert_true(pgtest_query(conn, NULL, 0, "%s", sql) >= 0);
    return conn;
}

static struct schema_snapshot *read_ok(PGconn *conn,
                                       const struct schema_read_options *o)
{
    struct migc_error err = MIGC_ERROR_INIT;
    struct schema_snapshot *s = NULL;
    enum migc_code rc = schema_read(conn, o, &s, &err);
    if (rc != MIGC_OK)
        print_error("schema_read: %s\n", err.message);
    assert_int_equal(rc, MIGC_OK);
    return s;
}

/* Tables and schemas left out: the ledger and everything on it, a whole
 * schema. */
static void excluded(void **state)
{
    (void)state;
    struct pgtest_db da = {{0}, {0}}, db = {{0}, {0}};
    PGconn *a = fresh(&da, "excluded_a",
                      "CREATE TABLE t (a int);"
                      " CREATE TABLE migc_migrations (version bigserial"
                      " PRIMARY KEY, name text);"
                      " CREATE INDEX ledger_name ON migc_migrations (name);"
                      " CREATE SCHEMA replay; CREATE TABLE replay.x (a int);");
    PGconn *b = fresh(&db, "excluded_b", "CREATE TABLE t (a int);");
    static const char *const schemas[] = {"replay", NULL};
    struct schema_read_options o = {.exclude_tables = ledger_tables,
                                    .exclude_schemas = schemas};
    struct schema_snapshot *sa = read_ok(a, &o), *sb = read_ok(b, &o);
    assert_int_equal(schema_diff(sa, sb, "A", "B", NULL, NULL), 0);
    schema_free(sa);
    /* Without the exclusions the ledger, its sequence and index and the
     * schema all count. */
    sa = read_ok(a, NULL);
    struct lines got = {"", 0};
    schema_diff(sa, sb, "A", "B", collect, &got);
    assert_string_equal(got.text,
                        "schema replay: only in A\n"
                        "sequence public.migc_migrations_version_seq: only "
                        "in A\n"
                        "table public.migc_migrations: only in A\n"
                        "table replay.x: only in A\n"
                        "index public.ledger_name: only in A");
    schema_free(sa);
    schema_free(sb);
    PQfinish(a);
    PQfinish(b);
    assert_int_equal(pgtest_db_drop(&da), 0);
    assert_int_equal(pgtest_db_drop(&db), 0);
}

/* An idle connection is left idle with its own settings; one inside a
 * transaction is read inside it (seeing what it did) and left inside it. */
static void connection_state(void **state)
{
    (void)state;
    struct pgtest_db da = {{0}, {0}}, db = {{0}, {0}};
    PGconn *a = fresh(&da, "state_a", "SET search_path = public");
    PGconn *b = fresh(&db, "state_b", "CREATE TABLE t (a int)");
    struct schema_snapshot *sa = read_ok(a, NULL);
    char v[64];
    assert_int_equal(PQtransactionStatus(a), PQTRANS_IDLE);
    assert_true(pgtest_query(a, v, sizeof v, "SHOW search_path") == 1);
    assert_string_equal(v, "public");
    assert_int_equal(schema_diff(sa, sa, "A", "A", NULL, NULL), 0);
    schema_free(sa);

    assert_true(pgtest_query(a, NULL, 0, "BEGIN") >= 0);
    assert_true(pgtest_query(a, NULL, 0, "CREATE TABLE t (a int)") >= 0);
    sa = read_ok(a, NULL);
    assert_int_equal(PQtransactionStatus(a), PQTRANS_INTRANS);
    assert_true(pgtest_query(a, v, sizeof v, "SHOW search_path") == 1);
    assert_string_equal(v, "public");
    assert_string_equal(v, "public");
    struct schema_snapshot *sb = read_ok(b, NULL);
    assert_int_equal(schema_diff(sa, sb, "A", "B", NULL, NULL), 0);
    assert_true(pgtest_query(a, NULL, 0, "COMMIT") >= 0);
    assert_true(pgtest_query(a, v, sizeof v, "SELECT to_regclass('t')") == 1);
    assert_string_equal(v, "t");
    schema_free(sa);
    schema_free(sb);
    PQfinish(a);
    PQfinish(b);
    assert_int_equal(pgtest_db_drop(&da), 0);
    assert_int_equal(pgtest_db_drop(&db), 0);
}

static void expect_failure(PGconn *conn, const struct schema_read_options *o,
                           enum migc_code code, const char *message,
                           const char *sqlstate)
{
    struct migc_error err = MIGC_ERROR_INIT;
    struct schema_snapshot *s = (struct schema_snapshot *)&err; /* not NULL */
    assert_int_equal(schema_read(conn, o, &s, &err), code);
    assert_null(s);
    assert_int_equal(err.code, code);
    if (strncmp(err.message, message, strlen(message)) != 0)
        print_error("message: %s\n", err.message);
    assert_true(strncmp(err.message, message, strlen(message)) == 0);
    assert_string_equal(err.sqlstate, sqlstate);
}

static void errors(void **state)
{
    (void)state;
    struct migc_error err = MIGC_ERROR_INIT;
    struct schema_snapshot *s = NULL;
    assert_int_equal(schema_read(NULL, NULL, &s, &err), MIGC_ERR_ARG);
    assert_string_equal(err.message, "reading the schema: no connection or "
                                     "no result given");

    struct pgtest_db d = {{0}, {0}};
    PGconn *conn = fresh(&d, "errors", "CREATE TABLE t (a int)");

    /* A failed transaction. */
    PGresult *res = PQexec(conn, "BEGIN; SELECT 1/0");
    PQclear(res);
    expect_failure(conn, NULL, MIGC_ERR_ARG,
                   "reading the schema: the connection's transaction has "
                   "failed",
                   "");
    assert_true(pgtest_query(conn, NULL, 0, "ROLLBACK") >= 0);

    /* A table locked by another session: reading its rows times out. */
    PGconn *other = pgtest_connect(d.conninfo);
    assert_non_null(other);
    assert_true(pgtest_query(other, NULL, 0, "BEGIN") >= 0);
    assert_true(pgtest_query(other, NULL, 0, "LOCK TABLE t") >= 0);
    assert_true(pgtest_query(conn, NULL, 0, "SET lock_timeout = '50ms'") >= 0);
    struct schema_read_options data = {.data = 1};
    expect_failure(conn, &data, MIGC_ERR_QUERY,
                   "reading the schema (data): canceling statement due to "
                   "lock timeout",
                   "55P03");
    assert_int_equal(PQtransactionStatus(conn), PQTRANS_IDLE);
    assert_true(pgtest_query(other, NULL, 0, "ROLLBACK") >= 0);

    /* The server ends the session: the connection is lost on the way. */
    char pid[32];
    snprintf(pid, sizeof pid, "%d", PQbackendPID(conn));
    assert_true(pgtest_query(other, NULL, 0, "SELECT pg_terminate_backend(%s)",
                             pid) == 1);
    expect_failure(conn, NULL, MIGC_ERR_CONNECT,
                   "reading the schema (begin): ", "");
    /* And now it is closed. */
    expect_failure(conn, NULL, MIGC_ERR_CONNECT,
                   "reading the schema: the connection is not open", "");
    PQfinish(conn);
    PQfinish(other);
    assert_int_equal(pgtest_db_drop(&d), 0);
}

int main(void)
{
    size_t ne = sizeof equal_pairs / sizeof *equal_pairs;
    size_t nd = sizeof differing_pairs / sizeof *differing_pairs;
    struct CMUnitTest tests[64 + 3];
    size_t n = 0;
    if (ne + nd > 64)
        return 1;
    for (size_t i = 0; i < ne + nd; i++) {
        const struct pair *p =
            i < ne ? &equal_pairs[i] : &differing_pairs[i - ne];
        tests[n++] =
            (struct CMUnitTest){p->name, run_pair, NULL, NULL, (void *)p};
    }
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(excluded);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(connection_state);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(errors);
    return _cmocka_run_group_tests("schema", tests, n, pairs_setup,
                                   pairs_teardown);
}

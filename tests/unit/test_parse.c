/* test_parse.c: statement ranges, syntax errors, canonical hashes and
 * transaction classes from parse_sql(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "parse.h"

enum { MAX_STMTS = 4 };

/* sql parses into exactly the statements listed (NULL-terminated): each
 * range must select that text, byte for byte. */
struct split_case {
    const char *what;
    const char *sql;
    const char *stmts[MAX_STMTS + 1];
};

static const struct split_case split_cases[] = {
    {"one statement", "SELECT 1;", {"SELECT 1"}},
    {"leading and trailing trivia",
     "  -- lead\n/* c */\t SELECT 1 ; -- trail\n/* end */\n\n",
     {"SELECT 1"}},
    {"comment between statements",
     "SELECT 1;\n-- between\n/* and */\nSELECT 2;\n",
     {"SELECT 1", "SELECT 2"}},
    {"no final semicolon", "SELECT 1; SELECT 2", {"SELECT 1", "SELECT 2"}},
    {"no final semicolon, trailing comment",
     "CREATE TABLE t (a int)\n-- the end, no semicolon\n",
     {"CREATE TABLE t (a int)"}},
    {"no final semicolon, trailing whitespace",
     "SELECT 1 \n\t\n",
     {"SELECT 1"}},
    {"comment before the semicolon", "SELECT 1 /* x */;", {"SELECT 1"}},
    {"comment inside a statement stays",
     "SELECT /* keep */ 1 -- keep\n + 2;",
     {"SELECT /* keep */ 1 -- keep\n + 2"}},
    {"nested block comment",
     "/* outer /* inner */ still */ SELECT 1;",
     {"SELECT 1"}},
    {"$$ body with semicolons",
     "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
     "BEGIN\n  PERFORM 1;\n  RETURN 1; -- ;\nEND;\n$$;\nSELECT f();\n",
     {"CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
      "BEGIN\n  PERFORM 1;\n  RETURN 1; -- ;\nEND;\n$$",
      "SELECT f()"}},
    {"tagged dollar quote",
     "DO $body$ BEGIN RAISE NOTICE '$$;'; END $body$;",
     {"DO $body$ BEGIN RAISE NOTICE '$$;'; END $body$"}},
    {"CREATE RULE with several actions",
     "CREATE RULE r AS ON INSERT TO t DO ALSO (\n"
     "  INSERT INTO a VALUES (1);\n  INSERT INTO b VALUES (2)\n);\n"
     "SELECT 3;",
     {"CREATE RULE r AS ON INSERT TO t DO ALSO (\n"
      "  INSERT INTO a VALUES (1);\n  INSERT INTO b VALUES (2)\n)",
      "SELECT 3"}},
    {"empty statements dropped",
     ";;SELECT 1;;; ;\n;SELECT 2;;",
     {"SELECT 1", "SELECT 2"}},
    {"only semicolons", ";;;", {NULL}},
    {"comments only", "-- only\n/* comments */\n-- here", {NULL}},
    {"empty input", "", {NULL}},
    {"whitespace only", "  \n\t\r\n ", {NULL}},
    {"semicolon and comment in a string",
     "SELECT 'a;b -- not a comment /* nor this';",
     {"SELECT 'a;b -- not a comment /* nor this'"}},
    {"semicolon in a quoted identifier",
     "CREATE TABLE \"a;b\" (x int);",
     {"CREATE TABLE \"a;b\" (x int)"}},
    {"escape string",
     "SELECT E'a\\';b';SELECT 2",
     {"SELECT E'a\\';b'", "SELECT 2"}},
    {"multibyte text",
     "-- caf\xC3\xA9\nSELECT '\xC3\xA9\xE2\x82\xAC';\nSELECT "
     "'\xF0\x9F\x98\x80';",
     {"SELECT '\xC3\xA9\xE2\x82\xAC'", "SELECT '\xF0\x9F\x98\x80'"}},
    {"CRLF line endings",
     "SELECT 1;\r\n\r\nSELECT\r\n 2;\r\n",
     {"SELECT 1", "SELECT\r\n 2"}},
    {"string ending a statement", "SELECT 'x'", {"SELECT 'x'"}},
    /* The scanner misreports the end of U& tokens: the range must not. */
    {"Unicode string ending a statement", "SELECT U&'d\\0061t';\nSELECT 2",
     {"SELECT U&'d\\0061t'", "SELECT 2"}},
    {"Unicode identifier ending a statement",
     "CREATE TABLE U&\"d\\0061t\" (a int); DROP TABLE U&\"d\\0061t\"",
     {"CREATE TABLE U&\"d\\0061t\" (a int)", "DROP TABLE U&\"d\\0061t\""}},
};

static void test_split(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof split_cases / sizeof split_cases[0]; i++) {
        const struct split_case *c = &split_cases[i];
        struct parse_result r;
        int rc = parse_sql(c->sql, strlen(c->sql), &r);
        size_t want = 0;
        while (c->stmts[want])
            want++;
        if (rc != 0 || r.error) {
            print_error("%s: rc %d, error %s\n", c->what, rc,
                        r.error ? r.error : "(none)");
            failures++;
        } else if (r.n_stmts != want) {
            print_error("%s: %zu statements, expected %zu\n", c->what,
                        r.n_stmts, want);
            failures++;
        } else {
            for (size_t j = 0; j < want; j++) {
                const struct stmt_range *s = &r.stmts[j];
                size_t n = strlen(c->stmts[j]);
                if (s->len != n || s->off + s->len > strlen(c->sql) ||
                    memcmp(c->sql + s->off, c->stmts[j], n) != 0) {
                    print_error("%s: statement %zu is [%zu, +%zu) \"%.*s\", "
                                "expected \"%s\"\n",
                                c->what, j, s->off, s->len, (int)s->len,
                                c->sql + s->off, c->stmts[j]);
                    failures++;
                }
            }
        }
        parse_result_free(&r);
    }
    assert_int_equal(failures, 0);
}

/* The ranges point into the text given, in order, without overlap. */
static void test_offsets(void **state)
{
    (void)state;
    const char *sql = "-- head\nSELECT 1;\n\nSELECT 22;\nSELECT 333";
    struct parse_result r;
    assert_int_equal(parse_sql(sql, strlen(sql), &r), 0);
    assert_int_equal(r.n_stmts, 3);
    assert_int_equal(r.stmts[0].off, 8);
    assert_int_equal(r.stmts[0].len, 8);
    assert_int_equal(r.stmts[1].off, 19);
    assert_int_equal(r.stmts[1].len, 9);
    assert_int_equal(r.stmts[2].off, 30);
    assert_int_equal(r.stmts[2].len, 10);
    parse_result_free(&r);
}

struct error_case {
    const char *what;
    const char *sql;
    const char *message;
    size_t error_char; /* 0-based character index */
};

static const struct error_case error_cases[] = {
    {"misspelt keyword on line 2", "SELECT 1;\nSELEC 2;",
     "syntax error at or near \"SELEC\"", 10},
    {"error on line 3",
     "CREATE TABLE a (x int);\n-- fine\nCREATE TABLE b (x int,);\n",
     "syntax error at or near \")\"", 54},
    {"after multibyte characters",
     "SELECT '\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80' FORM x;",
     "syntax error at or near \"x\"", 18},
    {"multibyte in an earlier statement",
     "-- \xF0\x9F\x98\x80\xF0\x9F\x98\x80\nSELECT '\xC3\xA9';\nDROP TABLE;",
     "syntax error at or near \";\"", 28},
    {"at end of input", "SELECT 1 +", "syntax error at end of input", 10},
    {"unterminated string", "SELECT 1;\nSELECT 'abc",
     "unterminated quoted string at or near \"'abc\"", 17},
    {"unterminated dollar quote", "DO $$ BEGIN",
     "unterminated dollar-quoted string at or near \"$$ BEGIN\"", 3},
    {"unterminated comment", "SELECT 1; /* open",
     "unterminated /* comment at or near \"/* open\"", 10},
};

static void test_errors(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
        const struct error_case *c = &error_cases[i];
        struct parse_result r;
        int rc = parse_sql(c->sql, strlen(c->sql), &r);
        if (rc != -1 || !r.error || strcmp(r.error, c->message) != 0 ||
            !r.error_has_pos || r.error_char != c->error_char) {
            print_error("%s: rc %d, error \"%s\" at %s%zu, expected \"%s\" "
                        "at %zu\n",
                        c->what, rc, r.error ? r.error : "(none)",
                        r.error_has_pos ? "" : "(no position) ", r.error_char,
                        c->message, c->error_char);
            failures++;
        }
        parse_result_free(&r);
        /* Freeing twice is harmless: the result is reset. */
        parse_result_free(&r);
    }
    assert_int_equal(failures, 0);
}

/* A statement of 1 MiB keeps its full range. */
static void test_large_statement(void **state)
{
    (void)state;
    size_t body = 1024 * 1024;
    const char *head = "SELECT '", *tail = "';\n-- done\n";
    size_t len = strlen(head) + body + strlen(tail);
    char *sql = malloc(len + 1);
    assert_non_null(sql);
    memcpy(sql, head, strlen(head));
    for (size_t i = 0; i < body; i++)
        sql[strlen(head) + i] = i % 80 == 79 ? '\n' : (char)('a' + i % 26);
    memcpy(sql + strlen(head) + body, tail, strlen(tail) + 1);
    struct parse_result r;
    assert_int_equal(parse_sql(sql, len, &r), 0);
    assert_int_equal(r.n_stmts, 1);
    assert_int_equal(r.stmts[0].off, 0);
    assert_int_equal(r.stmts[0].len, strlen(head) + body + 1);
    parse_result_free(&r);
    free(sql);
}

/* Two texts whose canonical hashes must be equal, or must differ. */
struct canonical_case {
    const char *what;
    const char *a, *b;
    int equal;
};

static const struct canonical_case canonical_cases[] = {
    {"CRLF line endings", "CREATE TABLE t (\n  a int\n);\n",
     "CREATE TABLE t (\r\n  a int\r\n);\r\n", 1},
    {"reformatted", "CREATE TABLE t (a int, b text);",
     "CREATE TABLE t\n(\n\ta   int,\n\tb text\n)\n;\n\n", 1},
    {"comments added and edited", "-- v1\nSELECT 1; /* a */ SELECT 2;",
     "-- version two\nSELECT /* x */ 1; -- y\nSELECT 2;\n-- end", 1},
    {"keyword and unquoted identifier case",
     "create table Users (ID integer not null);",
     "CREATE TABLE users (id INTEGER NOT NULL);", 1},
    {"final semicolon and empty statements", "SELECT 1; SELECT 2",
     ";SELECT 1;;\nSELECT 2;;", 1},
    {"changed string constant", "INSERT INTO t VALUES ('a');",
     "INSERT INTO t VALUES ('b');", 0},
    {"string constant case", "INSERT INTO t VALUES ('a');",
     "INSERT INTO t VALUES ('A');", 0},
    {"whitespace inside a string", "SELECT 'a b';", "SELECT 'a  b';", 0},
    {"changed number", "ALTER TABLE t ADD c int DEFAULT 10;",
     "ALTER TABLE t ADD c int DEFAULT 100;", 0},
    {"quoted identifier case", "CREATE TABLE \"Users\" (a int);",
     "CREATE TABLE \"users\" (a int);", 0},
    {"quoted versus unquoted mixed case", "CREATE TABLE \"Users\" (a int);",
     "CREATE TABLE Users (a int);", 0},
    {"Unicode string body", "SELECT U&'d\\0061t';", "SELECT U&'d\\0062t';",
     0},
    {"dollar-quoted body", "DO $$ BEGIN PERFORM 1; END $$;",
     "DO $$ BEGIN PERFORM 2; END $$;", 0},
    {"statement split differently", "SELECT 1; SELECT 2;",
     "SELECT 1 ; SELECT 2 ; SELECT 3;", 0},
    {"space between tokens", "SELECT a.b, f(1);", "SELECT a . b , f ( 1 ) ;",
     1},
    {"operator", "SELECT 1 + 2;", "SELECT 1 - 2;", 0},
};

static void test_canonical(void **state)
{
    (void)state;
    int failures = 0;
    size_t n = sizeof canonical_cases / sizeof canonical_cases[0];
    for (size_t i = 0; i < n; i++) {
        const struct canonical_case *c = &canonical_cases[i];
        struct parse_result a, b;
        assert_int_equal(parse_sql(c->a, strlen(c->a), &a), 0);
        assert_int_equal(parse_sql(c->b, strlen(c->b), &b), 0);
        assert_int_equal(strlen(a.canonical), HASH_HEX_LEN);
        int equal = strcmp(a.canonical, b.canonical) == 0;
        if (equal != c->equal) {
            print_error("%s: canonical hashes %s, expected %s\n", c->what,
                        equal ? "equal" : "differ",
                        c->equal ? "equal" : "different");
            failures++;
        }
        parse_result_free(&a);
        parse_result_free(&b);
    }
    assert_int_equal(failures, 0);
}

/* Each statement's canonical hash covers its own tokens only: an edit in
 * the second statement leaves the first one's hash alone. */
static void test_statement_canonical(void **state)
{
    (void)state;
    const char *a = "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);";
    const char *b = "create table T (A INT) ;\r\n"
                    "-- changed\nINSERT INTO t VALUES (2);";
    const char *alone = "CREATE TABLE t (a int)";
    struct parse_result ra, rb, rc;
    assert_int_equal(parse_sql(a, strlen(a), &ra), 0);
    assert_int_equal(parse_sql(b, strlen(b), &rb), 0);
    assert_int_equal(parse_sql(alone, strlen(alone), &rc), 0);
    assert_int_equal(ra.n_stmts, 2);
    assert_int_equal(rb.n_stmts, 2);
    assert_string_equal(ra.stmts[0].canonical, rb.stmts[0].canonical);
    assert_string_equal(ra.stmts[0].canonical, rc.stmts[0].canonical);
    assert_string_not_equal(ra.stmts[1].canonical, rb.stmts[1].canonical);
    assert_string_not_equal(ra.canonical, rb.canonical);
    /* Not the hash of the raw bytes. */
    char raw[HASH_HEX_LEN + 1];
    hash_sha256_hex(alone, strlen(alone), raw);
    assert_string_not_equal(raw, rc.stmts[0].canonical);
    parse_result_free(&ra);
    parse_result_free(&rb);
    parse_result_free(&rc);
}

/* One statement and its transaction class; what is txn_what. */
struct txn_case {
    const char *sql;
    enum stmt_txn txn;
    const char *what;
};

#define NONE(sql, what) {sql, STMT_TXN_NONE, what}
#define OK(sql) {sql, STMT_TXN_OK, NULL}
#define SUB "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p"

static const struct txn_case txn_cases[] = {
    /* Refused inside a transaction block by PostgreSQL 15. */
    NONE("CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX CONCURRENTLY"),
    NONE("create unique index concurrently if not exists i on t (a)",
         "CREATE INDEX CONCURRENTLY"),
    NONE("CREATE INDEX CONCURRENTLY ON t (a)", "CREATE INDEX CONCURRENTLY"),
    NONE("DROP INDEX CONCURRENTLY i", "DROP INDEX CONCURRENTLY"),
    NONE("DROP INDEX CONCURRENTLY IF EXISTS i CASCADE",
         "DROP INDEX CONCURRENTLY"),
    NONE("REINDEX INDEX CONCURRENTLY i", "REINDEX CONCURRENTLY"),
    NONE("REINDEX TABLE CONCURRENTLY t", "REINDEX CONCURRENTLY"),
    NONE("REINDEX (CONCURRENTLY) TABLE t", "REINDEX CONCURRENTLY"),
    NONE("REINDEX (CONCURRENTLY true) INDEX i", "REINDEX CONCURRENTLY"),
    NONE("REINDEX (VERBOSE, CONCURRENTLY on) TABLE t",
         "REINDEX CONCURRENTLY"),
    NONE("REINDEX (CONCURRENTLY 1) TABLE t", "REINDEX CONCURRENTLY"),
    NONE("REINDEX (CONCURRENTLY false, CONCURRENTLY) TABLE t",
         "REINDEX CONCURRENTLY"),
    NONE("REINDEX SCHEMA CONCURRENTLY s", "REINDEX CONCURRENTLY"),
    NONE("REINDEX SCHEMA s", "REINDEX SCHEMA"),
    NONE("REINDEX SYSTEM d", "REINDEX SYSTEM"),
    NONE("REINDEX DATABASE d", "REINDEX DATABASE"),
    NONE("REINDEX (VERBOSE) DATABASE d", "REINDEX DATABASE"),
    NONE("VACUUM", "VACUUM"),
    NONE("VACUUM t", "VACUUM"),
    NONE("vacuum full verbose t", "VACUUM"),
    NONE("VACUUM ANALYZE t (a)", "VACUUM"),
    NONE("VACUUM (ANALYZE, FREEZE false) t", "VACUUM"),
    NONE("CLUSTER", "CLUSTER"),
    NONE("CLUSTER VERBOSE", "CLUSTER"),
    NONE("CREATE DATABASE d", "CREATE DATABASE"),
    NONE("CREATE DATABASE d TEMPLATE template0 ENCODING 'UTF8'",
         "CREATE DATABASE"),
    NONE("DROP DATABASE d", "DROP DATABASE"),
    NONE("DROP DATABASE IF EXISTS d WITH (FORCE)", "DROP DATABASE"),
    NONE("ALTER DATABASE d SET TABLESPACE ts",
         "ALTER DATABASE SET TABLESPACE"),
    NONE("ALTER DATABASE d WITH TABLESPACE = ts",
         "ALTER DATABASE SET TABLESPACE"),
    NONE("CREATE TABLESPACE ts LOCATION '/srv/ts'", "CREATE TABLESPACE"),
    NONE("DROP TABLESPACE ts", "DROP TABLESPACE"),
    NONE("DROP TABLESPACE IF EXISTS ts", "DROP TABLESPACE"),
    NONE("ALTER SYSTEM SET work_mem = '64MB'", "ALTER SYSTEM"),
    NONE("ALTER SYSTEM RESET ALL", "ALTER SYSTEM"),
    NONE(SUB, "CREATE SUBSCRIPTION ... WITH (create_slot = true)"),
    NONE(SUB " WITH (create_slot = true)",
         "CREATE SUBSCRIPTION ... WITH (create_slot = true)"),
    NONE(SUB " WITH (create_slot, connect = 'on', enabled = false)",
         "CREATE SUBSCRIPTION ... WITH (create_slot = true)"),
    NONE(SUB " WITH (copy_data = false, slot_name = 'x')",
         "CREATE SUBSCRIPTION ... WITH (create_slot = true)"),
    NONE(SUB " WITH (create_slot = maybe)", /* rejected by PostgreSQL */
         "CREATE SUBSCRIPTION ... WITH (create_slot = true)"),
    NONE("DROP SUBSCRIPTION s", "DROP SUBSCRIPTION"),
    NONE("DROP SUBSCRIPTION IF EXISTS s CASCADE", "DROP SUBSCRIPTION"),
    NONE("ALTER SUBSCRIPTION s REFRESH PUBLICATION",
         "ALTER SUBSCRIPTION ... REFRESH"),
    NONE("ALTER SUBSCRIPTION s REFRESH PUBLICATION WITH (copy_data = false)",
         "ALTER SUBSCRIPTION ... REFRESH"),
    NONE("ALTER SUBSCRIPTION s SET PUBLICATION p, q",
         "ALTER SUBSCRIPTION with refresh"),
    NONE("ALTER SUBSCRIPTION s ADD PUBLICATION p WITH (copy_data = false)",
         "ALTER SUBSCRIPTION with refresh"),
    NONE("ALTER SUBSCRIPTION s DROP PUBLICATION p WITH (refresh = true)",
         "ALTER SUBSCRIPTION with refresh"),
    NONE("ALTER TABLE t DETACH PARTITION p CONCURRENTLY",
         "ALTER TABLE ... DETACH CONCURRENTLY"),
    NONE("ALTER TABLE IF EXISTS ONLY s.t DETACH PARTITION s.p CONCURRENTLY",
         "ALTER TABLE ... DETACH CONCURRENTLY"),
    NONE("COMMIT PREPARED 'gid'", "COMMIT PREPARED"),
    NONE("ROLLBACK PREPARED 'gid'", "ROLLBACK PREPARED"),
    NONE("DISCARD ALL", "DISCARD ALL"),

    /* Transaction control. */
    {"BEGIN", STMT_TXN_BEGIN, "BEGIN"},
    {"begin work isolation level serializable", STMT_TXN_BEGIN, "BEGIN"},
    {"START TRANSACTION READ ONLY", STMT_TXN_BEGIN, "START TRANSACTION"},
    {"COMMIT", STMT_TXN_COMMIT, "COMMIT"},
    {"END TRANSACTION", STMT_TXN_COMMIT, "COMMIT"},
    {"COMMIT AND CHAIN", STMT_TXN_COMMIT, "COMMIT AND CHAIN"},
    {"COMMIT AND NO CHAIN", STMT_TXN_COMMIT, "COMMIT"},
    {"ROLLBACK", STMT_TXN_ROLLBACK, "ROLLBACK"},
    {"ABORT WORK", STMT_TXN_ROLLBACK, "ROLLBACK"},
    {"ROLLBACK AND CHAIN", STMT_TXN_ROLLBACK, "ROLLBACK AND CHAIN"},
    {"SAVEPOINT a", STMT_TXN_CONTROL, "SAVEPOINT"},
    {"RELEASE SAVEPOINT a", STMT_TXN_CONTROL, "RELEASE SAVEPOINT"},
    {"RELEASE a", STMT_TXN_CONTROL, "RELEASE SAVEPOINT"},
    {"ROLLBACK TO SAVEPOINT a", STMT_TXN_CONTROL, "ROLLBACK TO SAVEPOINT"},
    {"ROLLBACK TO a", STMT_TXN_CONTROL, "ROLLBACK TO SAVEPOINT"},
    {"PREPARE TRANSACTION 'gid'", STMT_TXN_CONTROL, "PREPARE TRANSACTION"},
    {"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", STMT_TXN_CONTROL,
     "SET TRANSACTION"},
    {"SET LOCAL TRANSACTION READ ONLY", STMT_TXN_CONTROL, "SET TRANSACTION"},
    {"SET TRANSACTION SNAPSHOT '00000003-0000001B-1'", STMT_TXN_CONTROL,
     "SET TRANSACTION SNAPSHOT"},

    /* Near misses: fine inside a transaction block. */
    OK("CREATE INDEX i ON t (a)"),
    OK("CREATE INDEX \"concurrently\" ON t (a)"),
    OK("DROP INDEX i"),
    OK("DROP TABLE \"concurrently\""),
    OK("REINDEX TABLE t"),
    OK("REINDEX INDEX i"),
    OK("REINDEX (VERBOSE) TABLE t"),
    OK("REINDEX (CONCURRENTLY false) TABLE t"),
    OK("REINDEX (concurrently off) INDEX i"),
    OK("REINDEX (CONCURRENTLY 0) TABLE t"),
    OK("REINDEX (CONCURRENTLY 'FALSE') INDEX i"),
    OK("REINDEX (CONCURRENTLY, CONCURRENTLY false) TABLE t"),
    OK("ANALYZE"),
    OK("ANALYZE t"),
    OK("ANALYZE VERBOSE t (a, b)"),
    OK("CREATE TABLE vacuum (a int)"),
    OK("CLUSTER t"),
    OK("CLUSTER t USING i"),
    OK("CLUSTER i ON t"),
    OK("ALTER TABLE t DETACH PARTITION p"),
    OK("ALTER TABLE t DETACH PARTITION p FINALIZE"),
    OK("ALTER TABLE t ATTACH PARTITION p FOR VALUES IN (1)"),
    OK("ALTER TABLE t SET TABLESPACE ts"),
    OK("ALTER TABLESPACE ts SET (random_page_cost = 1.1)"),
    OK("ALTER DATABASE d SET search_path = public"),
    OK("ALTER DATABASE d CONNECTION LIMIT 5"),
    OK("ALTER DATABASE d RENAME TO e"),
    OK("DISCARD PLANS"),
    OK("DISCARD SEQUENCES"),
    OK("DISCARD TEMP"),
    OK(SUB " WITH (create_slot = false)"),
    OK(SUB " WITH (connect = false)"),
    OK(SUB " WITH (create_slot = off, enabled = false, slot_name = NONE)"),
    OK(SUB " WITH (create_slot = 'False')"),
    OK(SUB " WITH (create_slot = \"false\")"),
    OK(SUB " WITH (create_slot = 0)"),
    OK("ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)"),
    OK("ALTER SUBSCRIPTION s ADD PUBLICATION p WITH (refresh = off)"),
    OK("ALTER SUBSCRIPTION s DROP PUBLICATION p WITH (refresh = false)"),
    OK("ALTER SUBSCRIPTION s ENABLE"),
    OK("ALTER SUBSCRIPTION s DISABLE"),
    OK("ALTER SUBSCRIPTION s CONNECTION 'dbname=y'"),
    OK("ALTER SUBSCRIPTION s SET (slot_name = NONE)"),
    OK("ALTER SUBSCRIPTION s SKIP (lsn = NONE)"),
    OK("ALTER SUBSCRIPTION s OWNER TO r"),
    OK("ALTER TYPE e ADD VALUE 'x'"),
    OK("ALTER TYPE e ADD VALUE IF NOT EXISTS 'x' BEFORE 'y'"),
    OK("DO $$BEGIN CREATE DATABASE d; END$$"),
    OK("DO $$BEGIN EXECUTE 'VACUUM'; END$$"),
    /* A DO block's own COMMIT or ROLLBACK: invalid transaction termination
     * inside a transaction block. The words in a string or a comment, or
     * a body in another language, are not. */
    NONE("DO $$BEGIN EXECUTE 'VACUUM'; COMMIT; END$$",
         "a DO block that runs COMMIT or ROLLBACK"),
    NONE("DO LANGUAGE plpgsql $$BEGIN IF true THEN ROLLBACK; END IF; END$$",
         "a DO block that runs COMMIT or ROLLBACK"),
    NONE("DO $x$BEGIN PERFORM '$migc0$'; COMMIT; END$x$",
         "a DO block that runs COMMIT or ROLLBACK"), /* its own quote tag */
    OK("DO $$BEGIN RAISE NOTICE 'commit'; /* rollback */ END$$"),
    OK("DO LANGUAGE plperl $$ commit; $$"),
    OK("DO $$BEGIN COMMIT END$$"),
    OK("CALL p()"),
    OK("SELECT 'CREATE INDEX CONCURRENTLY i ON t (a)'"),
    OK("COMMENT ON TABLE t IS 'VACUUM; DROP DATABASE d'"),
    OK("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"),
    OK("SET LOCAL search_path = s"),
    OK("RESET ALL"),
    OK("SHOW transaction_isolation"),
    OK("LOCK TABLE t IN ACCESS EXCLUSIVE MODE"),
    OK("PREPARE q AS SELECT 1"),
    OK("REFRESH MATERIALIZED VIEW CONCURRENTLY mv"),
    OK("CHECKPOINT"),
};

static int same_what(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static const char *txn_name(enum stmt_txn t)
{
    switch (t) {
    case STMT_TXN_OK: return "OK";
    case STMT_TXN_NONE: return "NONE";
    case STMT_TXN_BEGIN: return "BEGIN";
    case STMT_TXN_COMMIT: return "COMMIT";
    case STMT_TXN_ROLLBACK: return "ROLLBACK";
    case STMT_TXN_CONTROL: return "CONTROL";
    }
    return "?";
}

static void test_txn(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof txn_cases / sizeof txn_cases[0]; i++) {
        const struct txn_case *c = &txn_cases[i];
        struct parse_result r;
        int rc = parse_sql(c->sql, strlen(c->sql), &r);
        if (rc != 0 || r.n_stmts != 1) {
            print_error("%s: rc %d, %zu statements, error %s\n", c->sql, rc,
                        r.n_stmts, r.error ? r.error : "(none)");
            failures++;
        } else if (r.stmts[0].txn != c->txn ||
                   !same_what(r.stmts[0].txn_what, c->what)) {
            print_error("%s: %s \"%s\", expected %s \"%s\"\n", c->sql,
                        txn_name(r.stmts[0].txn),
                        r.stmts[0].txn_what ? r.stmts[0].txn_what : "(null)",
                        txn_name(c->txn), c->what ? c->what : "(null)");
            failures++;
        }
        parse_result_free(&r);
    }
    assert_int_equal(failures, 0);
}

/* In a file, each statement's class sits with its own range. */
static void test_txn_file(void **state)
{
    (void)state;
    const char *sql = "-- wrapped by hand\n"
                      "BEGIN;\n"
                      "CREATE TABLE t (a int);;\n"
                      "/* c */ COMMIT;\n"
                      "CREATE INDEX CONCURRENTLY i ON t (a);\n"
                      "DO $$ BEGIN EXECUTE 'VACUUM'; END $$;\n"
                      "VACUUM t";
    static const struct {
        const char *text;
        enum stmt_txn txn;
        const char *what;
    } want[] = {
        {"BEGIN", STMT_TXN_BEGIN, "BEGIN"},
        {"CREATE TABLE t (a int)", STMT_TXN_OK, NULL},
        {"COMMIT", STMT_TXN_COMMIT, "COMMIT"},
        {"CREATE INDEX CONCURRENTLY i ON t (a)", STMT_TXN_NONE,
         "CREATE INDEX CONCURRENTLY"},
        {"DO $$ BEGIN EXECUTE 'VACUUM'; END $$", STMT_TXN_OK, NULL},
        {"VACUUM t", STMT_TXN_NONE, "VACUUM"},
    };
    size_t n = sizeof want / sizeof want[0];
    struct parse_result r;
    assert_int_equal(parse_sql(sql, strlen(sql), &r), 0);
    assert_int_equal(r.n_stmts, n);
    for (size_t i = 0; i < n; i++) {
        const struct stmt_range *s = &r.stmts[i];
        assert_int_equal(s->len, strlen(want[i].text));
        assert_memory_equal(sql + s->off, want[i].text, s->len);
        assert_int_equal(s->txn, want[i].txn);
        assert_true(same_what(s->txn_what, want[i].what));
    }
    parse_result_free(&r);
}

/* Identifiers longer than max bytes, as PostgreSQL reads them: unquoted
 * (folded), quoted (a doubled quote is one), none in strings or comments;
 * the quick test that spares most statements a scan must not miss one. */
static void test_long_idents(void **state)
{
    (void)state;
    static const struct {
        const char *sql;
        size_t max;
        const char *names; /* the long names found, joined by '|' */
    } cases[] = {
        {"CREATE TABLE abcdefghij (x int)", 8, "abcdefghij"},
        {"CREATE TABLE ABCDEFGHIJ (x int)", 8, "abcdefghij"},
        {"CREATE TABLE abcdefgh (x int)", 8, ""},
        {"CREATE TABLE \"Quoted Name\" (x int)", 8, "Quoted Name"},
        {"CREATE TABLE \"ab\"\"cd\"\"ef\" (x int)", 7, "ab\"cd\"ef"},
        {"CREATE TABLE \"ab\"\"cd\" (x int)", 7, ""},
        {"SELECT 'abcdefghijkl' AS a -- abcdefghijkl", 8, ""},
        {"SELECT 1 AS x_y_z_abcdefghijkl, 2 AS é_abcdefgh", 8,
         "x_y_z_abcdefghijkl|é_abcdefgh"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct parse_ident *ids;
        size_t n = parse_long_idents(cases[i].sql, cases[i].max, &ids);
        char got[256] = "";
        for (size_t k = 0; k < n; k++) {
            if (k)
                strcat(got, "|");
            strcat(got, ids[k].name);
            free(ids[k].name);
        }
        free(ids);
        if (strcmp(got, cases[i].names) != 0)
            print_error("%s: found \"%s\", expected \"%s\"\n", cases[i].sql,
                        got, cases[i].names);
        assert_string_equal(got, cases[i].names);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_large_statement),
        cmocka_unit_test(test_canonical),
        cmocka_unit_test(test_statement_canonical),
        cmocka_unit_test(test_txn),
        cmocka_unit_test(test_txn_file),
        cmocka_unit_test(test_long_idents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_retry.c: retry_annotate() on every repeatable kind of statement and
 * its near misses, and the quoting of the index it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migc.h"
#include "parse.h"
#include "retry.h"

/* sql (one statement) is repeatable or not, with this index (NULL: none);
 * an index implies the cleanup DROP INDEX CONCURRENTLY IF EXISTS index. */
struct rcase {
    const char *sql;
    int repeatable;
    const char *index;
};

// clang-format off
#define YES(sql) {(sql), 1, NULL}
#define NO(sql) {(sql), 0, NULL}
#define INDEX(sql, index) {(sql), 1, (index)}
// clang-format on

static const struct rcase cases[] = {
    /* CREATE INDEX CONCURRENTLY of a named index: always quoted, with the
     * table's schema when the statement gives it. */
    INDEX("CREATE INDEX CONCURRENTLY t_a_idx ON t (a)", "\"t_a_idx\""),
    INDEX("CREATE INDEX CONCURRENTLY t_a_idx ON app.t (a)",
          "\"app\".\"t_a_idx\""),
    INDEX("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_a_key ON t (a) "
          "WHERE a > 0",
          "\"t_a_key\""),
    INDEX("create index concurrently i on db.app.t using btree (lower(a))",
          "\"app\".\"i\""),
    /* Unquoted names fold to lower case; quoted ones keep their case, and
     * their quotes come back doubled. */
    INDEX("CREATE INDEX CONCURRENTLY T_A_Idx ON App.T (a)",
          "\"app\".\"t_a_idx\""),
    INDEX("CREATE INDEX CONCURRENTLY \"My \"\"Idx\"\"\" ON \"Sch\"\"ema\".t "
          "(a)",
          "\"Sch\"\"ema\".\"My \"\"Idx\"\"\""),
    INDEX("CREATE INDEX CONCURRENTLY \"select\" ON \"order\" (a)",
          "\"select\""),
    INDEX("CREATE INDEX CONCURRENTLY \"ünï.cödé\" ON t (a)", "\"ünï.cödé\""),
    /* Near misses: no name, or not CONCURRENTLY. */
    NO("CREATE INDEX CONCURRENTLY ON t (a)"),
    NO("CREATE INDEX CONCURRENTLY ON app.t (a)"),
    NO("CREATE INDEX t_a_idx ON t (a)"),
    NO("CREATE INDEX IF NOT EXISTS t_a_idx ON t (a)"),

    /* DROP INDEX CONCURRENTLY IF EXISTS, and only that. */
    YES("DROP INDEX CONCURRENTLY IF EXISTS t_a_idx"),
    YES("DROP INDEX CONCURRENTLY IF EXISTS app.t_a_idx CASCADE"),
    NO("DROP INDEX CONCURRENTLY t_a_idx"),
    NO("DROP INDEX IF EXISTS t_a_idx"),
    NO("DROP INDEX t_a_idx"),
    NO("DROP TABLE IF EXISTS t"),

    /* ALTER TYPE ... ADD VALUE IF NOT EXISTS. */
    YES("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh'"),
    YES("ALTER TYPE app.mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'sad'"),
    NO("ALTER TYPE mood ADD VALUE 'meh'"),
    NO("ALTER TYPE mood ADD VALUE 'meh' AFTER 'happy'"),
    NO("ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'"),
    NO("ALTER TYPE mood RENAME TO feeling"),

    /* ALTER TABLE of VALIDATE CONSTRAINT only. */
    YES("ALTER TABLE t VALIDATE CONSTRAINT t_a_check"),
    YES("ALTER TABLE IF EXISTS ONLY app.t VALIDATE CONSTRAINT c1, "
        "VALIDATE CONSTRAINT c2"),
    NO("ALTER TABLE t VALIDATE CONSTRAINT c1, ADD COLUMN b int"),
    NO("ALTER TABLE t ADD COLUMN b int, VALIDATE CONSTRAINT c1"),
    NO("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID"),
    NO("ALTER TABLE t DROP CONSTRAINT c"),

    /* VACUUM and ANALYZE in any form. */
    YES("VACUUM"),
    YES("VACUUM t"),
    YES("VACUUM (ANALYZE, VERBOSE) app.t (a)"),
    YES("VACUUM FULL t"),
    YES("ANALYZE"),
    YES("ANALYZE t (a, b)"),

    /* REFRESH MATERIALIZED VIEW, CONCURRENTLY or not. */
    YES("REFRESH MATERIALIZED VIEW v"),
    YES("REFRESH MATERIALIZED VIEW CONCURRENTLY app.v"),
    YES("REFRESH MATERIALIZED VIEW v WITH NO DATA"),

    /* Everything else, REINDEX CONCURRENTLY included (its *_ccnew
     * leftovers have names of the server's choosing). */
    NO("REINDEX INDEX CONCURRENTLY t_a_idx"),
    NO("REINDEX TABLE CONCURRENTLY t"),
    NO("REINDEX TABLE t"),
    NO("CREATE TABLE t (a int)"),
    NO("CREATE TABLE IF NOT EXISTS t (a int)"),
    NO("CREATE MATERIALIZED VIEW v AS SELECT 1"),
    NO("CLUSTER t USING t_a_idx"),
    NO("SELECT 1"),
    NO("INSERT INTO t VALUES (1)"),
    NO("DO $$ BEGIN PERFORM 1; END $$"),
};

/* Annotate the first statement of sql, flags starting at flags. */
static void annotate(const char *sql, unsigned flags, struct parse_result *r,
                     struct retry *st)
{
    assert_int_equal(parse_sql(sql, strlen(sql), r), 0);
    assert_true(r->n_stmts >= 1);
    memset(st, 0, sizeof *st);
    st->flags = flags;
    retry_annotate(r->stmts[0].node, st);
}

static void test_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct rcase *c = &cases[i];
        struct parse_result r;
        struct retry st;
        annotate(c->sql, 0, &r, &st);
        int repeatable = (st.flags & MIGC_STMT_REPEATABLE) != 0;
        char *want_cleanup = NULL;
        if (c->index) {
            size_t n = strlen(c->index) + 64;
            want_cleanup = malloc(n);
            assert_non_null(want_cleanup);
            snprintf(want_cleanup, n, "DROP INDEX CONCURRENTLY IF EXISTS %s",
                     c->index);
        }
        int index_ok = c->index ? st.index && strcmp(st.index, c->index) == 0
                                : st.index == NULL;
        int cleanup_ok =
            want_cleanup ? st.cleanup && strcmp(st.cleanup, want_cleanup) == 0
                         : st.cleanup == NULL;
        if (repeatable != c->repeatable || !index_ok || !cleanup_ok ||
            (st.flags & ~(unsigned)MIGC_STMT_REPEATABLE) != 0) {
            print_error("%s: flags %u index %s cleanup %s; expected %s "
                        "index %s cleanup %s\n",
                        c->sql, st.flags, st.index ? st.index : "NULL",
                        st.cleanup ? st.cleanup : "NULL",
                        c->repeatable ? "repeatable" : "not repeatable",
                        c->index ? c->index : "NULL",
                        want_cleanup ? want_cleanup : "NULL");
            failures++;
        }
        free(want_cleanup);
        free(st.index);
        free(st.cleanup);
        parse_result_free(&r);
    }
    assert_int_equal(failures, 0);
}

/* Flags already set stay set; a statement without a tree is left alone. */
static void test_flags_kept(void **state)
{
    (void)state;
    struct parse_result r;
    struct retry st;
    annotate("CREATE INDEX CONCURRENTLY i ON t (a)", MIGC_STMT_NO_TRANSACTION,
             &r, &st);
    assert_int_equal(st.flags, MIGC_STMT_NO_TRANSACTION | MIGC_STMT_REPEATABLE);
    free(st.index);
    free(st.cleanup);
    parse_result_free(&r);

    annotate("SELECT 1", MIGC_STMT_NO_TRANSACTION, &r, &st);
    assert_int_equal(st.flags, MIGC_STMT_NO_TRANSACTION);
    parse_result_free(&r);

    memset(&st, 0, sizeof st);
    retry_annotate(NULL, &st);
    assert_int_equal(st.flags, 0);
    assert_null(st.index);
    assert_null(st.cleanup);
}

/* A name over 63 bytes is cut as the server cuts it (the parser does), so
 * the cleanup drops the index the server built. */
static void test_long_name(void **state)
{
    (void)state;
    char sql[256], want[128];
    snprintf(sql, sizeof sql, "CREATE INDEX CONCURRENTLY \"%070d\" ON t (a)",
             7);
    snprintf(want, sizeof want, "\"%063d\"", 0);
    struct parse_result r;
    struct retry st;
    annotate(sql, 0, &r, &st);
    assert_string_equal(st.index, want);
    free(st.index);
    free(st.cleanup);
    parse_result_free(&r);
}

/* Each statement of a script is read on its own. */
static void test_statements_apart(void **state)
{
    (void)state;
    const char *sql = "CREATE INDEX CONCURRENTLY a_i ON a (x);\n"
                      "CREATE INDEX CONCURRENTLY ON b (x);\n"
                      "VACUUM a;\n";
    struct parse_result r;
    assert_int_equal(parse_sql(sql, strlen(sql), &r), 0);
    assert_int_equal(r.n_stmts, 3);
    const char *index[3] = {"\"a_i\"", NULL, NULL};
    const int repeatable[3] = {1, 0, 1};
    for (size_t i = 0; i < 3; i++) {
        struct retry st = {0};
        retry_annotate(r.stmts[i].node, &st);
        assert_int_equal((st.flags & MIGC_STMT_REPEATABLE) != 0, repeatable[i]);
        if (index[i])
            assert_string_equal(st.index, index[i]);
        else
            assert_null(st.index);
        free(st.index);
        free(st.cleanup);
    }
    parse_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_flags_kept),
        cmocka_unit_test(test_long_name),
        cmocka_unit_test(test_statements_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

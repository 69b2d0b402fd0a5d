/* test_compile.c: the generator's pipeline as a library (gen/compile.h),
 * run in-process on migrations written to a temporary folder: findings,
 * the model, the catalog, the lock stage and the output, without the
 * command line. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen_sql.h"

static const struct gen_sql_file chain[] = {
    {"001_t.sql", "CREATE TABLE t (id int PRIMARY KEY, a text);\n"},
    {"002_idx.sql", "CREATE INDEX t_a ON t (a);\n"
                    "ALTER TABLE t ADD COLUMN b int NOT NULL;\n"},
    {"003_x.sql", "-- migc:allow destructive not needed here\n"
                  "SELECT 1;\nDROP TABLE nope;\n"},
};
enum { N_CHAIN = sizeof chain / sizeof *chain };

/* The catalog as `migc schema` prints it. */
static char *schema_text(const struct compile *c)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    catalog_print(compile_catalog(c), out);
    fclose(out);
    return text;
}

/* A clean migration: no finding, its statements in the model, its table
 * in the catalog. */
static void test_clean(void **state)
{
    (void)state;
    struct gen_sql *g = gen_sql_one("CREATE TABLE t (id int PRIMARY KEY);\n"
                                    "CREATE TABLE u (t int REFERENCES t);\n");
    const struct diags *d = compile_diags(g->c);
    assert_int_equal(d->n, 0);
    assert_string_equal(gen_sql_findings(g), "");
    const struct model *m = compile_model(g->c);
    assert_int_equal(m->n, 1);
    assert_int_equal(m->migrations[0].up.n_stmts, 2);
    assert_string_equal(m->migrations[0].file->name, "001_test.sql");
    char *schema = schema_text(g->c);
    assert_non_null(strstr(schema, "table public.t\n"));
    assert_non_null(strstr(schema, "table public.u\n"));
    free(schema);
    gen_sql_free(g);
}

/* Every stage's findings of a chain, sorted, with their counts, as the
 * command line prints them. */
static void test_findings(void **state)
{
    (void)state;
    struct gen_sql *g = gen_sql_run(chain, N_CHAIN, NULL);
    const struct diags *d = compile_diags(g->c);
    assert_int_equal(d->errors, 1);
    assert_int_equal(d->warnings, 3);
    assert_int_equal(d->io_failed, 0);
    assert_int_equal(gen_sql_count(g, DIAG_BLOCKING_INDEX), 1);
    assert_int_equal(gen_sql_count(g, DIAG_NOT_NULL_NO_DEFAULT), 1);
    assert_int_equal(gen_sql_count(g, DIAG_UNUSED_ALLOW), 1);
    assert_int_equal(gen_sql_count(g, DIAG_UNKNOWN_RELATION), 1);
    const char *text = gen_sql_findings(g);
    const char *want[] = {
        "002_idx.sql:1:21: warning: CREATE INDEX without CONCURRENTLY",
        "002_idx.sql:2:26: warning: ADD COLUMN \"b\" NOT NULL without a "
        "DEFAULT",
        "003_x.sql:1:1: warning: `-- migc:allow destructive` silences "
        "nothing",
        "003_x.sql:3:1: error: relation \"nope\" does not exist here",
    };
    const char *at = text;
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const char *hit = strstr(at, want[i]);
        if (!hit)
            print_error("missing, or out of order: %s\nin:\n%s", want[i],
                        text);
        assert_non_null(hit);
        at = hit + strlen(want[i]);
    }
    /* the model and the catalog are there all the same */
    assert_int_equal(compile_model(g->c)->n, N_CHAIN);
    assert_int_equal(compile_model(g->c)->migrations[1].up.n_stmts, 2);
    assert_non_null(compile_catalog(g->c));
    gen_sql_free(g);
}

/* A severity setting reaches the rules: a warning becomes an error, a rule
 * switched off reports nothing. */
static void test_severity(void **state)
{
    (void)state;
    const char *const levels[] = {"blocking-index=error",
                                  "not-null-no-default=off"};
    struct compile_options o = {.severity = levels, .n_severity = 2};
    struct gen_sql *g = gen_sql_run(chain, 2, &o);
    const struct diags *d = compile_diags(g->c);
    assert_int_equal(d->errors, 1);
    assert_int_equal(d->warnings, 0);
    assert_int_equal(gen_sql_count(g, DIAG_NOT_NULL_NO_DEFAULT), 0);
    assert_non_null(strstr(gen_sql_findings(g),
                           "002_idx.sql:1:21: error: CREATE INDEX"));
    gen_sql_free(g);
}

/* The lock stage: the lock command's run writes the lock file; an edit of
 * a locked migration is then an error at the statement that differs. */
static void test_lock(void **state)
{
    (void)state;
    struct compile_options lock = {.write_lock = 1};
    struct gen_sql *g = gen_sql_run(chain, 2, &lock);
    size_t added = 0, squashed = 0;
    assert_int_equal(compile_diags(g->c)->errors, 0);
    assert_int_equal(compile_lock_written(g->c, &added, &squashed), 0);
    assert_int_equal(added, 2);
    assert_int_equal(squashed, 0);
    assert_int_equal(compile_lock(g->c)->n, 0); /* as it was read */

    struct gen_sql_file edit = {"002_idx.sql",
                                "CREATE INDEX t_a ON t (a);\n"
                                "ALTER TABLE t ADD COLUMN c int NOT NULL;\n"};
    gen_sql_rerun(g, &edit, NULL);
    assert_int_equal(compile_lock(g->c)->n, 2);
    assert_int_equal(gen_sql_count(g, DIAG_IMMUTABLE), 1);
    assert_non_null(strstr(gen_sql_findings(g),
                           "002_idx.sql:2:1: error: released migration 2 "
                           "(002_idx.sql) was edited: this statement differs"));
    /* nothing is written after an error */
    assert_int_equal(compile_lock_written(g->c, &added, &squashed), -1);
    gen_sql_free(g);
}

/* The emit stage: OUT.c and OUT.h are written when nothing failed, and
 * not at all after an error. */
static void test_output(void **state)
{
    (void)state;
    struct gen_sql *g = gen_sql_run(chain, 2, NULL);
    char out_c[128], out_h[128];
    snprintf(out_c, sizeof out_c, "%s/schema.c", g->root);
    snprintf(out_h, sizeof out_h, "%s/schema.h", g->root);
    struct compile_options emit = {.out_c = out_c, .symbol = "schema"};
    gen_sql_rerun(g, NULL, &emit);
    assert_int_equal(compile_diags(g->c)->errors, 0);
    assert_int_equal(access(out_c, R_OK), 0);
    assert_int_equal(access(out_h, R_OK), 0); /* the default: OUT.c's .h */
    remove(out_c);
    remove(out_h);

    struct gen_sql_file bad = {"003_x.sql", "DROP TABLE nope;\n"};
    gen_sql_rerun(g, &bad, &emit);
    assert_int_equal(compile_diags(g->c)->errors, 1);
    assert_int_not_equal(access(out_c, F_OK), 0);
    assert_int_not_equal(access(out_h, F_OK), 0);
    gen_sql_free(g);
}

/* An unreadable migrations folder: one [io] finding, no model, no
 * catalog. */
static void test_no_folder(void **state)
{
    (void)state;
    struct compile_options o = {.dir = "/nonexistent/migc/migrations"};
    struct compile *c = compile_open(&o);
    assert_int_equal(compile_run(c), -1);
    const struct diags *d = compile_diags(c);
    assert_int_equal(d->n, 1);
    assert_int_equal(d->items[0].rule, DIAG_IO);
    assert_int_equal(d->io_failed, 1);
    assert_null(compile_model(c)->migrations);
    assert_null(compile_catalog(c));
    compile_free(c);
    compile_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),    cmocka_unit_test(test_findings),
        cmocka_unit_test(test_severity), cmocka_unit_test(test_lock),
        cmocka_unit_test(test_output),   cmocka_unit_test(test_no_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

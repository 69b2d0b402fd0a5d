/* test_model.c: the pipeline (compile.h) holds one migration's text,
 * statements and parse trees at a time (unless asked to keep them), and the
 * summary each migration leaves in the model is what the later checks and
 * the output need. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "xalloc.h"

static const struct {
    const char *name, *sql;
    size_t n_stmts;
} files[] = {
    {"001_a.sql", "CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);\n",
     2},
    {"002_b.sql", "CREATE TABLE b (id int);\n", 1},
    {"003_c.sql",
     "-- migc:allow table-rewrite reason\nALTER TABLE a ADD c int;\n"
     "ALTER TABLE b ADD c int;\nCOMMENT ON TABLE a IS 'x';\n",
     3},
};
enum { N_FILES = sizeof files / sizeof *files };

struct fixture {
    char dir[64];
    char *migrations;
};

static int setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    strcpy(fx->dir, "/tmp/migc-test-model-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    fx->migrations = xasprintf("%s/migrations", fx->dir);
    char *cmd = xasprintf("mkdir %s", fx->migrations);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    for (size_t i = 0; i < N_FILES; i++) {
        char *p = xasprintf("%s/%s", fx->migrations, files[i].name);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fputs(files[i].sql, f);
        assert_int_equal(fclose(f), 0);
        free(p);
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    char *cmd = xasprintf("rm -rf %s", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(fx->migrations);
    free(fx);
    return 0;
}

/* What a visit sees of every migration. */
struct seen {
    int keep;
    size_t visits;
};

static int holds_text(const struct model_migration *mm)
{
    return mm->src.bytes != NULL && mm->src.line_starts != NULL &&
           mm->up.stmts != NULL && mm->up.tree != NULL;
}

static void visit(void *ctx, const struct model *m, size_t i)
{
    struct seen *s = ctx;
    assert_int_equal(i, s->visits); /* in apply order, each once */
    s->visits++;
    const struct model_migration *mm = &m->migrations[i];
    assert_true(holds_text(mm));
    assert_int_equal(mm->up.n_stmts, files[i].n_stmts);
    /* every statement's node and text are at hand */
    for (size_t k = 0; k < mm->up.n_stmts; k++) {
        assert_non_null(mm->up.stmts[k].node);
        assert_true(mm->up.stmts[k].off + mm->up.stmts[k].len <= mm->src.len);
    }
    /* the ones before it: released unless kept; the ones after: not read */
    for (size_t j = 0; j < i; j++)
        assert_int_equal(holds_text(&m->migrations[j]), s->keep);
    for (size_t j = i + 1; j < m->n; j++) {
        assert_null(m->migrations[j].src.bytes);
        assert_null(m->migrations[j].up.stmts);
    }
}

static struct compile *build(struct fixture *fx, int keep, struct seen *s)
{
    *s = (struct seen){.keep = keep};
    struct compile_options o = {.dir = fx->migrations,
                                .source_root = fx->dir,
                                .visit = visit,
                                .ctx = s,
                                .keep = keep};
    struct compile *c = compile_open(&o);
    assert_int_equal(compile_run(c), 0);
    assert_int_equal(s->visits, N_FILES);
    assert_int_equal(compile_model(c)->n, N_FILES);
    return c;
}

static void released_one_at_a_time(void **state)
{
    struct seen s;
    struct compile *c = build(*state, 0, &s);
    const struct model *m = compile_model(c);
    for (size_t i = 0; i < m->n; i++) {
        const struct model_migration *mm = &m->migrations[i];
        assert_false(holds_text(mm));
        /* the summary the lock check, the output's table and `list` read */
        assert_string_equal(mm->file->name, files[i].name);
        assert_int_equal(mm->up.n_stmts, files[i].n_stmts);
        assert_int_equal(strlen(mm->up.checksum), HASH_HEX_LEN);
        assert_int_equal(strlen(mm->up.canonical), HASH_HEX_LEN);
        assert_non_null(mm->up.source_path);
        assert_non_null(mm->src.path); /* diagnostics and catalog sites */
    }
    /* an allow stays for the checks that run after every migration */
    assert_int_equal(m->migrations[2].up.n_allows, 1);
    assert_string_equal(m->migrations[2].up.allows[0].rule, "table-rewrite");
    assert_int_equal(strlen(m->fingerprint), HASH_HEX_LEN);
    compile_free(c);
}

static void kept_when_asked(void **state)
{
    struct seen s;
    struct compile *c = build(*state, 1, &s);
    const struct model *m = compile_model(c);
    for (size_t i = 0; i < m->n; i++)
        assert_true(holds_text(&m->migrations[i]));
    compile_free(c);
}

/* Releasing changes nothing a migration's summary says. */
static void same_summary_either_way(void **state)
{
    struct seen s;
    struct compile *ca = build(*state, 0, &s);
    struct compile *cb = build(*state, 1, &s);
    const struct model *a = compile_model(ca), *b = compile_model(cb);
    assert_string_equal(a->fingerprint, b->fingerprint);
    for (size_t i = 0; i < a->n; i++) {
        assert_string_equal(a->migrations[i].up.checksum,
                            b->migrations[i].up.checksum);
        assert_string_equal(a->migrations[i].up.canonical,
                            b->migrations[i].up.canonical);
        assert_int_equal(a->migrations[i].up.flags, b->migrations[i].up.flags);
    }
    compile_free(ca);
    compile_free(cb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(released_one_at_a_time, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(kept_when_asked, setup, teardown),
        cmocka_unit_test_setup_teardown(same_summary_either_way, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

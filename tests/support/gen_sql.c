/* gen_sql.c: the generator library run in-process on migrations given as
 * SQL text (gen_sql.h). */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, open_memstream */
#include "gen_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h> /* mkdir */

static void fail(const char *what, const char *path)
{
    fprintf(stderr, "gen_sql: cannot %s %s\n", what, path);
    abort();
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (!p)
        abort();
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

static void write_file(const char *dir, const struct gen_sql_file *f)
{
    char *path = join(dir, f->name);
    FILE *out = fopen(path, "w");
    if (!out || fputs(f->sql, out) < 0 || fclose(out) != 0)
        fail("write", path);
    free(path);
}

static void run(struct gen_sql *g, const struct compile_options *o)
{
    struct compile_options opts = {0};
    if (o)
        opts = *o;
    opts.dir = g->dir;
    opts.source_root = g->root;
    compile_free(g->c);
    free(g->findings);
    g->findings = NULL;
    g->c = compile_open(&opts);
    compile_run(g->c);
}

struct gen_sql *gen_sql_run(const struct gen_sql_file *files, size_t n,
                            const struct compile_options *o)
{
    struct gen_sql *g = calloc(1, sizeof *g);
    if (!g)
        abort();
    strcpy(g->root, "/tmp/migc-gen-sql-XXXXXX");
    if (!mkdtemp(g->root))
        fail("create", g->root);
    g->dir = join(g->root, "migrations");
    if (mkdir(g->dir, 0700) != 0)
        fail("create", g->dir);
    for (size_t i = 0; i < n; i++)
        write_file(g->dir, &files[i]);
    run(g, o);
    return g;
}

struct gen_sql *gen_sql_one(const char *sql)
{
    struct gen_sql_file f = {"001_test.sql", sql};
    return gen_sql_run(&f, 1, NULL);
}

void gen_sql_rerun(struct gen_sql *g, const struct gen_sql_file *file,
                   const struct compile_options *o)
{
    if (file)
        write_file(g->dir, file);
    run(g, o);
}

const char *gen_sql_findings(struct gen_sql *g)
{
    if (g->findings)
        return g->findings;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        abort();
    diag_print(compile_diags(g->c), out, 0);
    fclose(out);
    /* every "ROOT/migrations/" out, in place */
    char *prefix = join(g->dir, "");
    size_t n = strlen(prefix);
    char *w = text;
    for (const char *r = text; *r;) {
        if (strncmp(r, prefix, n) == 0)
            r += n;
        else
            *w++ = *r++;
    }
    *w = '\0';
    free(prefix);
    return g->findings = text;
}

size_t gen_sql_count(const struct gen_sql *g, enum diag_rule rule)
{
    const struct diags *d = compile_diags(g->c);
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += d->items[i].rule == rule;
    return n;
}

void gen_sql_free(struct gen_sql *g)
{
    if (!g)
        return;
    compile_free(g->c);
    free(g->findings);
    char cmd[sizeof g->root + 16]; /* root: mkdtemp's, no shell metacharacters */
    snprintf(cmd, sizeof cmd, "rm -rf %s", g->root);
    if (system(cmd) != 0)
        fprintf(stderr, "gen_sql: cannot remove %s\n", g->root);
    free(g->dir);
    free(g);
}

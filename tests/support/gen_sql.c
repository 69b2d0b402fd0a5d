/* gen_sql.c: the generator library run in-process on migrations given as
 * SQL text (gen_sql.h). */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, open_memstream */
#include "gen_sql.h"

#include <errno.h>
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
    /* the folders the name holds, each below the one before */
    for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            fail("create", path);
        *slash = '/';
    }
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
    free(g->brief);
    g->findings = g->brief = NULL;
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

void gen_sql_write(struct gen_sql *g, const struct gen_sql_file *file)
{
    write_file(g->dir, file);
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

/* path relative to the migrations folder, else to the root, else as is */
static const char *relative(const struct gen_sql *g, const char *path)
{
    const char *const bases[] = {g->dir, g->root};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(bases[i]);
        if (strncmp(path, bases[i], n) == 0 && path[n] == '/')
            return path + n + 1;
    }
    return path;
}

const char *gen_sql_brief(struct gen_sql *g)
{
    if (g->brief)
        return g->brief;
    static const char *const severity[] = {"note", "warning", "error"};
    const struct diags *d = compile_diags(g->c);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        abort();
    for (size_t i = 0; i < d->n; i++) {
        const struct diag *f = &d->items[i];
        fputs(f->path ? relative(g, f->path) : "migc", out);
        if (f->path && f->line > 0)
            fprintf(out, ":%u:%u", f->line, f->col);
        fprintf(out, ": %s [%s]\n", severity[f->severity],
                diag_rule_id(f->rule));
    }
    fclose(out);
    return g->brief = text;
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
    free(g->brief);
    char cmd[sizeof g->root + 16]; /* root: mkdtemp's, no shell metacharacters */
    snprintf(cmd, sizeof cmd, "rm -rf %s", g->root);
    if (system(cmd) != 0)
        fprintf(stderr, "gen_sql: cannot remove %s\n", g->root);
    free(g->dir);
    free(g);
}

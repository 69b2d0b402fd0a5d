/* baseline_check.c: [baseline-differs] (baseline_check.h). A second
 * semantics pass runs beside the main one: the migrations before a
 * baseline, then its archived originals, into a catalog of their own; the
 * main pass's catalog right after the baseline is the other side. */
#include "baseline_check.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog_diff.h"
#include "migc.h"
#include "xalloc.h"

/* One baseline candidate: the migration at index at, and the state of the
 * chain before it (the originals go on top of it). */
struct pending {
    size_t at;
    char *dir; /* archive/VERSION */
    struct sem *prefix;
};

struct baseline_checks {
    struct pending *items;
    size_t n;
};

static void ignore_event(void *ctx, const struct sem *s,
                         const struct sem_event *ev)
{
    (void)ctx;
    (void)s;
    (void)ev;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

struct baseline_checks *baseline_checks_begin(const struct model *m,
                                              const char *archive)
{
    if (!m->migrations || !archive || !is_dir(archive))
        return NULL;
    struct baseline_checks *b = xcalloc(1, sizeof *b);
    for (size_t i = 0; i < m->n; i++) {
        char *dir = xasprintf("%s/%lld", archive,
                              (long long)m->files.files[i].version);
        if (!is_dir(dir)) {
            free(dir);
            continue;
        }
        b->items = xrealloc(b->items, (b->n + 1) * sizeof *b->items);
        b->items[b->n++] = (struct pending){i, dir, sem_new(ignore_event, NULL)};
    }
    if (b->n == 0) {
        free(b);
        return NULL;
    }
    return b;
}

static int unsure_in(void *ctx, const char *name)
{
    return sem_name_unsure(ctx, name);
}

/* Where a finding about baseline mm goes: its squashes directive (0:0,
 * the whole file, when it has none at hand). */
static void directive_at(const struct model_migration *mm, unsigned *line,
                         unsigned *col)
{
    *line = *col = 0;
    for (size_t k = 0; k < mm->up_dirs.n; k++) {
        const struct directive *dv = &mm->up_dirs.items[k];
        if (dv->kind == DIRECTIVE_MIGC_SQUASHES) {
            *line = dv->line;
            *col = (unsigned)(dv->off - dv->line_off) + 1;
            return;
        }
    }
}

/* One difference: "... column total: numeric(10,2) in the originals vs
 * numeric in the baseline"; NULL df: rest more. */
static void report(const struct model_migration *mm, const struct cat_diff *df,
                   size_t rest, struct diags *d)
{
    unsigned line, col;
    directive_at(mm, &line, &col);
    char *what = df ? xasprintf("%s: %s in the originals vs %s in the baseline",
                                df->subject, df->a, df->b)
                    : xasprintf("and %zu more difference%s", rest,
                                rest == 1 ? "" : "s");
    diag_add(d, mm->file->path, line, col, DIAG_ERROR, DIAG_BASELINE_DIFFERS,
             "baseline %lld (%s) differs from the migrations it squashes: %s",
             (long long)mm->file->version, mm->file->name, what);
    free(what);
}

/* The originals applied on top of prefix; 0 when one of them could not be
 * read or parsed (then nothing is compared). */
static int apply_originals(struct sem *prefix, struct model *orig,
                           int no_down)
{
    struct diags scratch = {0};
    int ok = 1;
    for (size_t k = 0; k < orig->n && ok; k++) {
        model_parse(orig, k, no_down, &scratch);
        ok = scratch.errors == 0 && orig->migrations[k].up.tree;
        if (ok)
            sem_migration(prefix, orig, k);
        model_release(orig, k);
    }
    diags_free(&scratch);
    return ok;
}

/* A baseline the main pass applied: one that declares a range none of
 * whose versions is still in the chain (semantics.c leaves it out then). */
static int applied_baseline(const struct model *m, size_t i)
{
    const struct model_migration *mm = &m->migrations[i];
    if (!(mm->flags & MIGC_MIGRATION_SQUASHES))
        return 0;
    for (size_t k = 0; k < m->n; k++) {
        int64_t v = m->files.files[k].version;
        if (k != i && v >= mm->squash_from && v <= mm->squash_to)
            return 0;
    }
    return 1;
}

size_t baseline_check_one(struct sem *prefix, struct model *orig,
                          const struct model *m, size_t i,
                          const struct sem *main, int no_down,
                          struct diags *d)
{
    size_t found = 0;
    if (apply_originals(prefix, orig, no_down)) {
        struct cat_diff_side a = {prefix->cat, unsure_in, prefix};
        struct cat_diff_side b = {main->cat, unsure_in, (void *)main};
        struct cat_diffs diffs = {0};
        catalog_diff(&a, &b, &diffs);
        const struct model_migration *mm = &m->migrations[i];
        for (size_t k = 0; k < diffs.n && k < BASELINE_CHECK_MAX; k++)
            report(mm, &diffs.items[k], 0, d);
        if (diffs.n > BASELINE_CHECK_MAX)
            report(mm, NULL, diffs.n - BASELINE_CHECK_MAX, d);
        found = diffs.n;
        cat_diffs_free(&diffs);
    }
    catalog_free(sem_free(prefix));
    return found;
}

static void check_at(struct pending *p, struct model *m,
                     const struct sem *main, int no_down, struct diags *d)
{
    struct sem *prefix = p->prefix;
    p->prefix = NULL;
    if (!applied_baseline(m, p->at) || !main) {
        catalog_free(sem_free(prefix));
        return;
    }
    struct model orig;
    struct diags scratch = {0};
    struct model_options mo = {.dir = p->dir, .layout = m->layout};
    if (model_open(&mo, &orig, &scratch) == 0 && orig.n)
        baseline_check_one(prefix, &orig, m, p->at, main, no_down, d);
    else
        catalog_free(sem_free(prefix));
    model_free(&orig);
    diags_free(&scratch);
}

void baseline_checks_migration(struct baseline_checks *b, struct model *m,
                               size_t i, const struct sem *main, int no_down,
                               struct diags *d)
{
    for (size_t k = 0; b && k < b->n; k++) {
        struct pending *p = &b->items[k];
        if (!p->prefix)
            continue;
        if (i < p->at)
            sem_migration(p->prefix, m, i);
        else if (i == p->at)
            check_at(p, m, main, no_down, d);
    }
}

void baseline_checks_free(struct baseline_checks *b)
{
    if (!b)
        return;
    for (size_t k = 0; k < b->n; k++) {
        if (b->items[k].prefix)
            catalog_free(sem_free(b->items[k].prefix));
        free(b->items[k].dir);
    }
    free(b->items);
    free(b);
}

/* baseline_check.c: [baseline-differs] (baseline_check.h). Two more
 * semantics passes run beside the main one, fed each migration while the
 * main pass has it at hand: the migrations before a baseline go into both,
 * the baseline into one, its archived originals (read after the main
 * pass) into the other. */
#include "baseline_check.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog_diff.h"
#include "semantics.h"
#include "migc.h"
#include "xalloc.h"

/* One baseline candidate: the migration at index at; the chain before it
 * and the originals (orig), the chain before it and the baseline (base). */
struct pending {
    size_t at;
    struct sem *orig, *base;
    unsigned line, col; /* of its squashes directive (0: none) */
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
                                              const char *archive_root)
{
    if (!m->migrations || !archive_root || !is_dir(archive_root))
        return NULL;
    struct baseline_checks *b = xcalloc(1, sizeof *b);
    for (size_t i = 0; i < m->n; i++) {
        char *dir = xasprintf("%s/%lld", archive_root,
                              (long long)m->files.files[i].version);
        if (is_dir(dir)) {
            b->items = xrealloc(b->items, (b->n + 1) * sizeof *b->items);
            b->items[b->n++] =
                (struct pending){i, sem_new(ignore_event, NULL),
                                 sem_new(ignore_event, NULL), 0, 0};
        }
        free(dir);
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
static void report(const struct pending *p, const struct model_migration *mm,
                   const struct cat_diff *df, size_t rest, struct diags *d)
{
    unsigned line = p->line, col = p->col;
    char *what = df ? xasprintf("%s: %s in the originals vs %s in the baseline",
                                df->subject, df->a, df->b)
                    : xasprintf("and %zu more difference%s", rest,
                                rest == 1 ? "" : "s");
    diag_add(d, mm->file->path, line, col, DIAG_ERROR, DIAG_BASELINE_DIFFERS,
             "baseline %lld (%s) differs from the migrations it squashes: %s",
             (long long)mm->file->version, mm->file->name, what);
    free(what);
}

/* A baseline the semantics apply: one that declares a range none of whose
 * versions is still in the chain (semantics.c leaves it out then). */
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

static void drop(struct pending *p)
{
    if (p->orig)
        catalog_free(sem_free(p->orig));
    if (p->base)
        catalog_free(sem_free(p->base));
    p->orig = p->base = NULL;
}

void baseline_checks_migration(struct baseline_checks *b, struct model *m,
                               size_t i)
{
    for (size_t k = 0; b && k < b->n; k++) {
        struct pending *p = &b->items[k];
        if (!p->orig || i > p->at)
            continue;
        if (i < p->at) {
            sem_migration(p->orig, m, i);
            sem_migration(p->base, m, i);
        } else if (applied_baseline(m, i)) {
            sem_migration(p->base, m, i);
            directive_at(&m->migrations[i], &p->line, &p->col);
        } else {
            drop(p); /* not a baseline after all */
        }
    }
}

/* The originals of the baseline at p->at applied, the catalogs compared. */
static void check_one(struct pending *p, const struct model *m,
                      struct model_archive *arch, struct diags *d)
{
    struct model *orig = &arch->originals;
    const struct model_migration *bm = &m->migrations[p->at];
    for (size_t k = 0; k < orig->n; k++) {
        int64_t v = orig->files.files[k].version;
        /* one outside the range is an [archive] error, not an original */
        if (v >= bm->squash_from && v <= bm->squash_to)
            sem_migration(p->orig, orig, k);
    }
    struct cat_diff_side a = {p->orig->cat, unsure_in, p->orig};
    struct cat_diff_side b = {p->base->cat, unsure_in, p->base};
    struct cat_diffs diffs = {0};
    catalog_diff(&a, &b, &diffs);
    const struct model_migration *mm = &m->migrations[p->at];
    for (size_t k = 0; k < diffs.n && k < BASELINE_CHECK_MAX; k++)
        report(p, mm, &diffs.items[k], 0, d);
    if (diffs.n > BASELINE_CHECK_MAX)
        report(p, mm, NULL, diffs.n - BASELINE_CHECK_MAX, d);
    cat_diffs_free(&diffs);
}

void baseline_checks_end(struct baseline_checks *b, struct model *m,
                         struct diags *d)
{
    for (size_t k = 0; b && k < b->n; k++) {
        struct pending *p = &b->items[k];
        int64_t v = m->files.files[p->at].version;
        for (size_t a = 0; p->orig && a < m->n_archives; a++)
            if (m->archives[a].baseline == v &&
                m->archives[a].originals.n > 0)
                check_one(p, m, &m->archives[a], d);
        drop(p);
    }
}

void baseline_checks_free(struct baseline_checks *b)
{
    if (!b)
        return;
    for (size_t k = 0; k < b->n; k++)
        drop(&b->items[k]);
    free(b->items);
    free(b);
}

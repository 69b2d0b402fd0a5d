/* retire.c: `migc squash DIR --retire V`: the archive of a baseline's
 * originals deleted, a "#retired" record appended to the lock file. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "retire.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "lock.h"
#include "migc.h"
#include "xalloc.h"

/* The archive of baseline v, or NULL after reporting why there is none. */
static const struct model_archive *find_archive(const struct model *m,
                                                const struct lock_file *lf,
                                                int64_t v, const char *root,
                                                struct diags *d)
{
    const struct model_migration *b = NULL;
    for (size_t i = 0; i < m->n && !b; i++)
        if (m->migrations[i].file->version == v &&
            (m->migrations[i].flags & MIGC_MIGRATION_SQUASHES))
            b = &m->migrations[i];
    for (size_t i = 0; b && i < m->n_archives; i++)
        if (m->archives[i].baseline == v) {
            for (size_t k = 0; k < lf->n_records; k++)
                if (lf->records[k].baseline == v)
                    return &m->archives[i];
            diag_add(d, lf->path, 0, 0, DIAG_ERROR, DIAG_ARCHIVE,
                     "baseline %lld (%s) replaces no released migration the "
                     "lock file records (no #squashed record): run `migc "
                     "lock --squash` first if it replaces released ones; if "
                     "none was released, no release carries its originals: "
                     "delete %s/%lld",
                     (long long)v, b->file->name, root, (long long)v);
            return NULL;
        }
    if (b)
        diag_add(d, b->file->path, 0, 0, DIAG_ERROR, DIAG_ARCHIVE,
                 "baseline %lld has no archive (%s/%lld): its originals are "
                 "not carried; nothing to retire",
                 (long long)v, root, (long long)v);
    else
        diag_add(d, NULL, 0, 0, DIAG_ERROR, DIAG_ARCHIVE,
                 "--retire %lld: the chain has no baseline of version %lld "
                 "(a migration declaring `-- migc:squashes FROM..TO`)",
                 (long long)v, (long long)v);
    return NULL;
}

/* The newest released version: the lock's newest line. */
static int64_t newest_released(const struct lock_file *lf)
{
    int64_t top = 0;
    for (size_t i = 0; i < lf->n; i++)
        if (lf->entries[i].version > top)
            top = lf->entries[i].version;
    return top;
}

static size_t removed_files;

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st, (void)ftw;
    if (flag == FTW_DP)
        return rmdir(path);
    removed_files++;
    return unlink(path);
}

int retire_run(const struct compile_options *opts, int64_t baseline,
               struct retire_result *out, struct diags *d)
{
    struct compile_options o = *opts;
    o.out_c = NULL;
    o.write_lock = 0;
    o.packs = 0;
    o.keep = 0;
    *out = (struct retire_result){0};
    struct compile *c = compile_open(&o);
    int rc = compile_run(c);
    const struct diags *found = compile_diags(c);
    for (size_t i = 0; i < found->n; i++) {
        const struct diag *g = &found->items[i];
        diag_add(d, g->path, g->line, g->col, g->severity, g->rule, "%s",
                 g->message);
    }
    char *root = archive_path(o.dir, o.archive);
    const struct lock_file *lf = compile_lock(c);
    const struct model_archive *a =
        rc == 0 ? find_archive(compile_model(c), lf, baseline, root, d) : NULL;
    rc = -1;
    if (a) {
        out->last = newest_released(lf);
        rc = lock_write_retired(lf, baseline, out->last, d);
    }
    if (rc == 0) {
        removed_files = 0;
        if (nftw(a->path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
            diag_add(d, a->path, 0, 0, DIAG_ERROR, DIAG_IO,
                     "cannot remove the archive: %s; the lock file records "
                     "it as retired: remove it by hand",
                     strerror(errno));
            rc = -1;
        }
        out->removed = removed_files;
        if (rc == 0)
            (void)rmdir(root); /* the last baseline's: no empty root left;
                                  another's archive keeps it (ENOTEMPTY) */
    }
    free(root);
    compile_free(c);
    return rc;
}

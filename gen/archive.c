/* archive.c: the baselines' archived originals: ARCHIVE/<V>/ read in the
 * chain's layout, and checked against the chain and the lock file. */
#define _DEFAULT_SOURCE /* realpath */
#include "archive.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "migc.h"
#include "paths.h"
#include "xalloc.h"

char *archive_path(const char *dir, const char *archive)
{
    if (archive)
        return xstrdup(archive);
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return xasprintf("%.*s/%s", (int)n, dir, ARCHIVE_DEFAULT_NAME);
}

char *archive_skip_name(const char *dir, const char *root)
{
    char *copy = xstrdup(root);
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = '\0';
    char *slash = strrchr(copy, '/');
    const char *base = slash ? slash + 1 : copy;
    char *parent = slash ? xstrndup(copy, (size_t)(slash - copy) + (slash == copy))
                         : xstrdup(".");
    char a[PATH_MAX], b[PATH_MAX];
    char *skip = NULL;
    if (*base && strcmp(base, ".") && strcmp(base, "..") &&
        realpath(parent, a) && realpath(dir, b) && strcmp(a, b) == 0)
        skip = xstrdup(base);
    free(parent);
    free(copy);
    return skip;
}

/* The version a folder name spells: decimal digits without padding. */
static int folder_version(const char *name, int64_t *out)
{
    size_t n = strspn(name, "0123456789");
    if (n == 0 || name[n] != '\0' || (name[0] == '0' && n > 1) || n > 18)
        return -1;
    *out = strtoll(name, NULL, 10);
    return 0;
}

static const struct model_migration *find_version(const struct model *m,
                                                  int64_t version)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->migrations[i].file->version == version)
            return &m->migrations[i];
    return NULL;
}

/* The folder of baseline v in m, or why not (reported at path). */
static int names_baseline(const struct model *m, int64_t v, const char *path,
                          struct diags *d)
{
    const struct model_migration *b = find_version(m, v);
    if (b && (b->flags & MIGC_MIGRATION_SQUASHES))
        return 1;
    if (b)
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_ARCHIVE,
                 "migration %lld (%s) is not a baseline (it declares no "
                 "`-- migc:squashes FROM..TO`): an archive folder holds "
                 "the originals of the baseline of its version",
                 (long long)v, b->file->name);
    else
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_ARCHIVE,
                 "no baseline of version %lld in the chain: an archive "
                 "folder holds the originals of the baseline of its "
                 "version; remove the folder or restore the baseline",
                 (long long)v);
    return 0;
}

/* Discovery's findings in an archive folder: its errors. A hole in the
 * archived sequence is no news (the range had it, or it was squashed
 * before). */
static void keep_errors(struct diags *from, struct diags *d)
{
    for (size_t i = 0; i < from->n; i++) {
        const struct diag *g = &from->items[i];
        if (g->severity == DIAG_ERROR)
            diag_add(d, g->path, g->line, g->col, DIAG_ERROR, g->rule, "%s",
                     g->message);
    }
    diags_free(from);
}

/* Folder path, the originals of baseline b: discovered, loaded, parsed. */
static void read_folder(struct model *m, const char *path,
                        const struct model_migration *b,
                        const char *source_root, int no_down,
                        struct diags *d)
{
    m->archives = xrealloc(m->archives,
                           (m->n_archives + 1) * sizeof *m->archives);
    struct model_archive *a = &m->archives[m->n_archives++];
    *a = (struct model_archive){.baseline = b->file->version,
                                .path = xstrdup(path)};
    struct model_options mo = {.dir = path,
                               .source_root = source_root,
                               .layout = m->layout};
    struct diags found = {0};
    model_open(&mo, &a->originals, &found);
    keep_errors(&found, d);
    if (!a->originals.migrations)
        return;
    for (size_t i = 0; i < a->originals.n; i++) {
        const struct migration_file *f = a->originals.migrations[i].file =
            &a->originals.files.files[i];
        if (f->version < b->squash_from || f->version > b->squash_to)
            diag_add(d, f->path, 0, 0, DIAG_ERROR, DIAG_ARCHIVE,
                     "migration %lld is outside %lld..%lld, the range "
                     "baseline %lld (%s) replaces: the archive of a "
                     "baseline holds only the migrations it replaced",
                     (long long)f->version, (long long)b->squash_from,
                     (long long)b->squash_to, (long long)b->file->version,
                     b->file->name);
        model_parse(&a->originals, i, no_down, d);
    }
}

void archive_read(struct model *m, const char *root, const char *source_root,
                  int no_down, struct diags *d)
{
    struct path_names names;
    if (!path_is_dir(root))
        return; /* no archive: no baseline carries its originals */
    if (path_list(root, &names) != 0) {
        diag_add(d, root, 0, 0, DIAG_ERROR, DIAG_IO,
                 "cannot read the archive of squashed migrations: %s",
                 strerror(errno));
        return;
    }
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    for (size_t i = 0; i < names.n; i++) {
        char *path = xasprintf("%.*s/%s", (int)n, root, names.items[i]);
        int64_t v;
        if (!path_is_dir(path) || folder_version(names.items[i], &v) != 0)
            diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_ARCHIVE,
                     "not a baseline's archive: the archive holds one "
                     "folder per baseline, named by its version in decimal "
                     "(such as %.*s/4/ for baseline 4)",
                     (int)n, root);
        else if (names_baseline(m, v, path, d))
            read_folder(m, path, find_version(m, v), source_root, no_down,
                        d);
        free(path);
    }
    path_names_free(&names);
}

/* The lock's record of version v as replaced by baseline b, or, before
 * `migc lock --squash` recorded b, the locked line of v; NULL when v was
 * never released. */
static const struct lock_entry *record_of(const struct lock_file *lf,
                                          int64_t b, int64_t v,
                                          unsigned *line)
{
    for (size_t i = 0; i < lf->n_records; i++)
        if (lf->records[i].baseline == b &&
            lf->records[i].entry.version == v) {
            *line = lf->records[i].entry.line;
            return &lf->records[i].entry;
        }
    for (size_t i = 0; i < lf->n; i++)
        if (lf->entries[i].version == v && lf->entries[i].version != b) {
            *line = lf->entries[i].line;
            return &lf->entries[i];
        }
    return NULL;
}

static void check_original(const struct lock_file *lf,
                           const struct model_archive *a,
                           const struct model_migration *mm, struct diags *d)
{
    unsigned line = 0;
    const struct lock_entry *e =
        record_of(lf, a->baseline, mm->file->version, &line);
    if (!e || !mm->up.checksum[0])
        return; /* never released, or unreadable (reported) */
    if (strcmp(e->name, mm->file->name) != 0)
        diag_add(d, mm->file->path, 0, 0, DIAG_ERROR, DIAG_ARCHIVE,
                 "released migration %lld was %s (%s:%u), not %s: the "
                 "archive of baseline %lld holds the released files; "
                 "restore it from version control",
                 (long long)mm->file->version, e->name, lf->path, line,
                 mm->file->name, (long long)a->baseline);
    else if (strcmp(e->raw, mm->up.checksum) != 0)
        diag_add(d, mm->file->path, 0, 0, DIAG_ERROR, DIAG_ARCHIVE,
                 "released migration %lld (%s) was edited after baseline "
                 "%lld replaced it: its checksum is %.12s, %s:%u records "
                 "%.12s; the archive holds the released bytes, which "
                 "databases part-way through the range apply; restore it "
                 "from version control",
                 (long long)mm->file->version, mm->file->name,
                 (long long)a->baseline, mm->up.checksum, lf->path, line,
                 e->raw);
}

void archive_check(const struct model *m, const struct lock_file *lf,
                   struct diags *d)
{
    for (size_t i = 0; i < m->n_archives; i++) {
        const struct model_archive *a = &m->archives[i];
        const struct lock_retired *r = lock_find_retired(lf, a->baseline);
        if (r) {
            diag_add(d, a->path, 0, 0, DIAG_ERROR, DIAG_ARCHIVE,
                     "the originals of baseline %lld were retired (%s:%u): "
                     "a build carries them no more; remove this folder",
                     (long long)a->baseline, lf->path, r->line);
            continue;
        }
        for (size_t k = 0; k < a->originals.n; k++)
            check_original(lf, a, &a->originals.migrations[k], d);
    }
}

int archive_carried(const struct model_archive *a,
                    const struct model_migration *mm,
                    const struct lock_squashed *sq, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (sq[i].baseline == a->baseline &&
            sq[i].version == mm->file->version)
            return strcmp(sq[i].name, mm->file->name) == 0 &&
                   strcmp(sq[i].checksum, mm->up.checksum) == 0;
    return 0;
}

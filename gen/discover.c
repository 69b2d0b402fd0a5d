/* discover.c: list a migrations directory into versioned files. */
#define _DEFAULT_SOURCE /* struct dirent d_type, lstat */
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "names.h"
#include "xalloc.h"

static int by_version_then_name(const void *a, const void *b)
{
    const struct migration_file *x = a, *y = b;
    if (x->version != y->version)
        return x->version < y->version ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Parse the digits of a version; -1 when it does not fit in int64. */
static int parse_version(const char *digits, size_t n, int64_t *out)
{
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int dgt = digits[i] - '0';
        if (v > (INT64_MAX - dgt) / 10)
            return -1;
        v = v * 10 + dgt;
    }
    *out = v;
    return 0;
}

/* Read every entry name, sorted, so that diagnostics come in a stable order
 * whatever order the file system returns. */
static char **read_names(DIR *dh, size_t *n_out)
{
    size_t n = 0, cap = 64;
    char **names = xmalloc(cap * sizeof *names);
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", editor and VCS files */
        if (n == cap) {
            cap *= 2;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n++] = xstrdup(e->d_name);
    }
    qsort(names, n, sizeof *names, by_name);
    *n_out = n;
    return names;
}

static void add_file(struct migration_list *out, size_t *cap, const char *dir,
                     const char *name, const struct name_parts *p,
                     struct diags *d)
{
    char *path = xasprintf("%s/%s", dir, name);
    int64_t version;
    if (parse_version(name + p->version_off, p->version_len, &version) != 0) {
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_NAMING,
                 "version %.*s does not fit in a 64-bit integer",
                 (int)p->version_len, name + p->version_off);
        free(path);
        return;
    }
    if (out->n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        out->files = xrealloc(out->files, *cap * sizeof *out->files);
    }
    out->files[out->n++] = (struct migration_file){
        .name = xstrdup(name),
        .path = path,
        .version = version,
        .description = xstrndup(name + p->desc_off, p->desc_len),
    };
}

static int discover_dir(const char *dir, struct migration_list *out,
                        struct diags *d);

static void report_duplicates(const struct migration_list *list,
                              struct diags *d)
{
    for (size_t i = 1; i < list->n; i++) {
        const struct migration_file *a = &list->files[i - 1];
        const struct migration_file *b = &list->files[i];
        if (a->version == b->version)
            diag_add(d, b->path, 0, 0, DIAG_ERROR, DIAG_DUPLICATE_VERSION,
                     "version %lld is also used by %s", (long long)b->version,
                     a->path);
    }
}

int discover(const char *dir_arg, struct migration_list *out, struct diags *d)
{
    *out = (struct migration_list){0};
    /* "migrations/" names its files migrations/x.sql, not migrations//x.sql */
    char *dir = xstrdup(dir_arg);
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
        dir[n - 1] = '\0';
    int rc = discover_dir(dir, out, d);
    free(dir);
    return rc;
}

static int discover_dir(const char *dir, struct migration_list *out,
                        struct diags *d)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        diag_add(d, dir, 0, 0, DIAG_ERROR, DIAG_IO,
                 "cannot read migrations directory: %s", strerror(errno));
        return -1;
    }
    size_t n_names, cap = 0;
    char **names = read_names(dh, &n_names);
    closedir(dh);

    for (size_t i = 0; i < n_names; i++) {
        const char *name = names[i];
        struct name_parts parts;
        enum name_kind kind = name_classify(name, &parts);
        if (kind == NAME_OTHER)
            continue;
        char *path = xasprintf("%s/%s", dir, name);
        struct stat st;
        int is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        if (is_dir)
            diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_NAMING,
                     "a directory is named like a migration file");
        else if (kind == NAME_BAD)
            diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_NAMING,
                     "migration file name must be VERSION_description.sql "
                     "(VERSION: digits)");
        else
            add_file(out, &cap, dir, name, &parts, d);
        free(path);
    }
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(names);

    qsort(out->files, out->n, sizeof *out->files, by_version_then_name);
    report_duplicates(out, d);
    return 0;
}

void migration_list_free(struct migration_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->files[i].name);
        free(list->files[i].path);
        free(list->files[i].description);
    }
    free(list->files);
    *list = (struct migration_list){0};
}

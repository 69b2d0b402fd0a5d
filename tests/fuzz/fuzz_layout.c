/* fuzz_layout.c: libFuzzer target: layout detection and pairing
 * (discover_names) over a synthetic folder listing, from memory. The input
 * is one path per line within the migrations folder ("001_a.up.sql",
 * "2017-08-31-230457_x/up.sql"; a trailing "/" makes an empty folder), a
 * tab ending the path and starting the bytes of that file; a first line
 * "--layout=ID" forces a layout. Checked: the migrations come out in
 * ascending version order, each with its names, and nothing leaks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PATHS 512
#define DIR "m"

struct listing {
    char *paths[MAX_PATHS]; /* within DIR */
    char *bytes[MAX_PATHS]; /* after the tab, or NULL */
    size_t n;
};

static void fail(const char *why)
{
    fprintf(stderr, "fuzz_layout: %s\n", why);
    abort();
}

/* path within DIR, or NULL when it is not under it */
static const char *inside(const char *path)
{
    size_t k = strlen(DIR);
    return strncmp(path, DIR, k) == 0 && path[k] == '/' ? path + k + 1 : NULL;
}

static int fs_is_dir(void *ctx, const char *path)
{
    const struct listing *l = ctx;
    const char *rel = inside(path);
    size_t k = rel ? strlen(rel) : 0;
    for (size_t i = 0; rel && i < l->n; i++)
        if (strncmp(l->paths[i], rel, k) == 0 && l->paths[i][k] == '/')
            return 1;
    return 0;
}

static int fs_is_file(void *ctx, const char *path)
{
    const struct listing *l = ctx;
    const char *rel = inside(path);
    if (!rel || fs_is_dir(ctx, path))
        return 0;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->paths[i], rel) == 0)
            return 1;
    return 0;
}

static int fs_exists(void *ctx, const char *path)
{
    return fs_is_dir(ctx, path) || fs_is_file(ctx, path);
}

static int fs_read_all(void *ctx, const char *path, char **bytes, size_t *len)
{
    const struct listing *l = ctx;
    const char *rel = inside(path);
    for (size_t i = 0; rel && i < l->n; i++)
        if (strcmp(l->paths[i], rel) == 0) {
            const char *b = l->bytes[i] ? l->bytes[i] : "";
            *len = strlen(b);
            *bytes = malloc(*len + 1);
            if (!*bytes)
                abort();
            memcpy(*bytes, b, *len + 1);
            return 0;
        }
    return -1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t top_names(const struct listing *l, const char *rel,
                        char **names);

/* A folder's entries (Flyway's layout reads sub-folders). */
static int fs_list(void *ctx, const char *path, char ***out, size_t *n)
{
    const struct listing *l = ctx;
    const char *rel = inside(path);
    if (!rel || !fs_is_dir(ctx, path))
        return -1;
    *out = malloc(MAX_PATHS * sizeof **out);
    if (!*out)
        abort();
    *n = top_names(l, rel, *out);
    return 0;
}

/* The entries of folder rel ("" for the top) as path_list gives them:
 * first components below it, sorted, once each, hidden ones left out. */
static size_t top_names(const struct listing *l, const char *rel,
                        char **names)
{
    size_t n = 0, r = strlen(rel);
    for (size_t i = 0; i < l->n; i++) {
        const char *p = l->paths[i];
        if (r && (strncmp(p, rel, r) != 0 || p[r] != '/'))
            continue;
        p += r ? r + 1 : 0;
        size_t k = strcspn(p, "/");
        if (k == 0 || p[0] == '.')
            continue;
        int seen = 0;
        for (size_t j = 0; j < n && !seen; j++)
            seen = strlen(names[j]) == k && strncmp(names[j], p, k) == 0;
        if (seen)
            continue;
        names[n] = malloc(k + 1);
        if (!names[n])
            abort();
        memcpy(names[n], p, k);
        names[n++][k] = '\0';
    }
    if (n > 1)
        qsort(names, n, sizeof *names, by_name);
    return n;
}

static void check(const struct migration_list *out)
{
    if (out->n > 0 && out->layout == LAYOUT_AUTO)
        fail("migrations without a layout");
    for (size_t i = 0; i < out->n; i++) {
        const struct migration_file *f = &out->files[i];
        if (!f->name || !f->path || !f->description)
            fail("a migration without its name, path or description");
        if ((f->down_name == NULL) != (f->down_path == NULL))
            fail("a down name without its path, or the reverse");
        if (f->version < 0)
            fail("a negative version");
        if ((f->flyway_version != NULL) != (out->layout == LAYOUT_FLYWAY))
            fail("a Flyway version outside the flyway layout, or none in it");
        if (i > 0 && out->files[i - 1].version >= f->version)
            fail("versions not strictly ascending");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct listing l = {0};
    enum layout forced = LAYOUT_AUTO;
    char *line = text;
    if (strncmp(line, "--layout=", 9) == 0) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (layout_from_id(line + 9, &forced) != 0)
            forced = LAYOUT_AUTO;
        line = nl ? nl + 1 : line + strlen(line);
    }
    while (*line && l.n < MAX_PATHS) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *tab = strchr(line, '\t');
        if (tab)
            *tab = '\0';
        l.bytes[l.n] = tab ? tab + 1 : NULL;
        l.paths[l.n++] = line;
        if (!nl)
            break;
        line = nl + 1;
    }
    char *names[MAX_PATHS];
    size_t n = top_names(&l, "", names);
    struct discover_fs fs = {fs_is_dir,   fs_is_file, fs_exists,
                             fs_read_all, fs_list,    &l};
    struct diags d = {0};
    struct migration_list out;
    discover_names(DIR, names, n, &fs, forced, &out, &d);
    check(&out);
    migration_list_free(&out);
    diags_free(&d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(text);
    return 0;
}

/* paths.c: file-system paths as the generator walks and embeds them. */
#define _DEFAULT_SOURCE /* realpath */
#include "paths.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xalloc.h"

char *path_embedded(const char *dir, const char *root, const char *fallback)
{
    char real_dir[PATH_MAX], real_root[PATH_MAX];
    if (realpath(dir, real_dir) && realpath(root ? root : ".", real_root)) {
        size_t n = strlen(real_root);
        if (strcmp(real_dir, real_root) == 0)
            return xstrdup(".");
        if (strncmp(real_dir, real_root, n) == 0 && real_dir[n] == '/')
            return xstrdup(real_dir + n + 1);
        if (strcmp(real_root, "/") == 0)
            return xstrdup(real_dir + 1);
    }
    if (dir[0] != '/') {
        while (dir[0] == '.' && dir[1] == '/')
            dir += 2;
        char *s = xstrdup(dir);
        for (size_t n = strlen(s); n > 1 && s[n - 1] == '/'; n--)
            s[n - 1] = '\0';
        return s;
    }
    const char *slash = strrchr(dir, '/');
    return xstrdup(slash && slash[1] ? slash + 1 : fallback);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int path_list(const char *dir, struct path_names *out)
{
    *out = (struct path_names){0};
    DIR *dh = opendir(dir);
    if (!dh)
        return -1;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        out->items = xgrow(out->items, out->n, &out->cap, sizeof *out->items);
        out->items[out->n++] = xstrdup(e->d_name);
    }
    closedir(dh);
    if (out->n)
        qsort(out->items, out->n, sizeof *out->items, by_name);
    return 0;
}

void path_names_free(struct path_names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    *l = (struct path_names){0};
}

int path_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int path_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

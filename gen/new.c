/* new.c: `migc new` (new.h): the next migration file of a directory.
 *
 * The version, the file names and the markers follow the directory's own
 * layout, as its tool would write them, so that the file sorts last for
 * migc and for that tool alike. The proof is the reader itself: after the
 * files are made the directory is read again, and they are removed unless
 * the new migration is the last one and reads without a new error. */
#define _POSIX_C_SOURCE 200809L /* gmtime_r, mkdir */
#include "new.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "model.h"
#include "xalloc.h"

/* Versions below this are a sequence (001, 002); above, time stamps. The
 * same line [version-gap] draws (docs/layouts.md). */
#define SEQUENCE_LIMIT INT64_C(10000000)
#define NAME_MAX_LEN 200

/* One file of a template: its path within the directory and its text. */
struct new_file {
    char *name;
    const char *text;
};

struct plan {
    enum layout layout;
    char *folder; /* diesel, prisma: the migration's folder, else NULL */
    struct new_file files[3];
    size_t n;
};

static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > NAME_MAX_LEN)
        return 0;
    for (const char *p = name; *p; p++)
        if (!(*p == '_' || *p == '-' || (*p >= '0' && *p <= '9') ||
              (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            return 0;
    return 1;
}

/* The leading digits of a migration's name: its version as written. */
static size_t version_digits(const char *name)
{
    size_t n = 0;
    while (name[n] >= '0' && name[n] <= '9')
        n++;
    return n;
}

/* The next version's text: the newest + 1 at its width for a sequence; the
 * UTC time otherwise (diesel writes it with dashes). */
static char *next_version(const struct migration_list *files,
                          enum layout layout, time_t now)
{
    const struct migration_file *newest =
        files->n ? &files->files[files->n - 1] : NULL;
    if (layout == LAYOUT_FLYWAY && !newest)
        return xstrdup("1");
    if (layout == LAYOUT_FLYWAY) {
        /* Flyway's own styles: V1, V2 (at the newest's width); time
         * stamps; dotted versions (1.1, 1.2), whose next major is 2 */
        const char *fv = newest->flyway_version;
        size_t width = strlen(fv);
        int stamp = width == 14 && !strchr(fv, '.');
        long long major = (long long)(newest->version / 10000) + 1;
        if (!stamp)
            return xasprintf("%0*lld", strchr(fv, '.') ? 1 : (int)width,
                             major);
    }
    int folders = layout == LAYOUT_DIESEL || layout == LAYOUT_PRISMA;
    int sequence = newest ? newest->version < SEQUENCE_LIMIT && !folders
                          : layout == LAYOUT_POSTGRATOR ||
                                layout == LAYOUT_PGMIG;
    if (sequence) {
        int width = newest ? (int)version_digits(newest->name) : 3;
        long long next = newest ? (long long)newest->version + 1 : 1;
        return xasprintf("%0*lld", width, next);
    }
    struct tm tm;
    char buf[32];
    gmtime_r(&now, &tm);
    strftime(buf, sizeof buf,
             layout == LAYOUT_DIESEL ? "%Y-%m-%d-%H%M%S" : "%Y%m%d%H%M%S",
             &tm);
    return xstrdup(buf);
}

static void plan_add(struct plan *p, char *name, const char *text)
{
    p->files[p->n++] = (struct new_file){name, text};
}

/* The files of the layout, as its tool writes them. */
static void plan_files(struct plan *p, const char *v, const char *name,
                       int no_tx)
{
    static const char migc_no_tx[] = "-- migc:no-transaction\n";
    const char *body = no_tx ? migc_no_tx : "";
    switch (p->layout) {
    case LAYOUT_UP_DOWN:
        plan_add(p, xasprintf("%s_%s.up.sql", v, name), body);
        plan_add(p, xasprintf("%s_%s.down.sql", v, name), body);
        break;
    case LAYOUT_DBMATE:
        plan_add(p, xasprintf("%s_%s.sql", v, name),
                 no_tx ? "-- migrate:up transaction:false\n\n\n"
                         "-- migrate:down transaction:false\n\n"
                       : "-- migrate:up\n\n\n-- migrate:down\n\n");
        break;
    case LAYOUT_GOOSE:
        plan_add(p, xasprintf("%s_%s.sql", v, name),
                 no_tx ? "-- +goose NO TRANSACTION\n-- +goose Up\n\n\n"
                         "-- +goose Down\n\n"
                       : "-- +goose Up\n\n\n-- +goose Down\n\n");
        break;
    case LAYOUT_DIESEL:
        p->folder = xasprintf("%s_%s", v, name);
        plan_add(p, xasprintf("%s/up.sql", p->folder), "");
        plan_add(p, xasprintf("%s/down.sql", p->folder), "");
        if (no_tx)
            plan_add(p, xasprintf("%s/metadata.toml", p->folder),
                     "run_in_transaction = false\n");
        break;
    case LAYOUT_PRISMA:
        p->folder = xasprintf("%s_%s", v, name);
        plan_add(p, xasprintf("%s/migration.sql", p->folder), body);
        break;
    case LAYOUT_POP: /* popx: .autocommit runs it outside a transaction */
        plan_add(p, xasprintf("%s_%s%s.up.sql", v, name,
                              no_tx ? ".autocommit" : ""), "");
        plan_add(p, xasprintf("%s_%s%s.down.sql", v, name,
                              no_tx ? ".autocommit" : ""), "");
        break;
    case LAYOUT_PGMIG: /* the tool's marker, read anywhere in the file */
        plan_add(p, xasprintf("%s-%s.sql", v, name),
                 no_tx ? "-- postgres-migrations disable-transaction\n" : "");
        break;
    case LAYOUT_POSTGRATOR:
        plan_add(p, xasprintf("%s.do.%s.sql", v, name), body);
        plan_add(p, xasprintf("%s.undo.%s.sql", v, name), body);
        break;
    case LAYOUT_FLYWAY: /* the script's configuration file says so */
        plan_add(p, xasprintf("V%s__%s.sql", v, name), "");
        if (no_tx)
            plan_add(p, xasprintf("V%s__%s.sql.conf", v, name),
                     "executeInTransaction=false\n");
        break;
    default: /* LAYOUT_PLAIN */
        plan_add(p, xasprintf("%s_%s.sql", v, name), body);
        break;
    }
}

static void plan_free(struct plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->files[i].name);
    free(p->folder);
    *p = (struct plan){0};
}

static char *join(const char *dir, const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

/* Undo make_files: the files made so far, then the folder. */
static void remove_files(const char *dir, const struct plan *p, size_t made)
{
    for (size_t i = made; i-- > 0;) {
        char *path = join(dir, p->files[i].name);
        unlink(path);
        free(path);
    }
    if (p->folder) {
        char *path = join(dir, p->folder);
        rmdir(path);
        free(path);
    }
}

static int write_new(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    ssize_t n = len ? write(fd, text, len) : 0;
    int saved = errno;
    if (close(fd) != 0 || n != (ssize_t)len) {
        errno = n != (ssize_t)len ? saved : errno;
        unlink(path);
        return -1;
    }
    return 0;
}

/* Make the plan's folder and files, never over an existing one. */
static int make_files(const char *dir, const struct plan *p, struct diags *d)
{
    if (p->folder) {
        char *path = join(dir, p->folder);
        int rc = mkdir(path, 0755);
        if (rc != 0)
            diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO,
                     "cannot create: %s", strerror(errno));
        free(path);
        if (rc != 0)
            return -1;
    }
    for (size_t i = 0; i < p->n; i++) {
        char *path = join(dir, p->files[i].name);
        if (write_new(path, p->files[i].text) != 0) {
            diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO,
                     "cannot create: %s", strerror(errno));
            free(path);
            remove_files(dir, p, i);
            return -1;
        }
        free(path);
    }
    return 0;
}

/* mkdir -p, for a directory that does not exist yet. */
static int make_dir(const char *dir, struct diags *d)
{
    struct stat st;
    if (stat(dir, &st) == 0 || errno != ENOENT)
        return 0; /* discover reports what is wrong with it */
    char *buf = xstrdup(dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            break;
        *p = '/';
    }
    int rc = mkdir(buf, 0755) == 0 || errno == EEXIST ? 0 : -1;
    if (rc != 0)
        diag_add(d, dir, 0, 0, DIAG_ERROR, DIAG_IO, "cannot create: %s",
                 strerror(errno));
    free(buf);
    return rc;
}

/* The directory as migc reads it: its migrations and its layout, the
 * baselines' archive (DIR/squashed) left out as compile leaves it out
 * (Flyway's layout reads sub-folders). */
static int open_dir(const char *dir, enum layout layout, struct model *m,
                    struct diags *d)
{
    char *root = archive_path(dir, NULL);
    char *skip = archive_skip_name(dir, root);
    struct model_options mo = {.dir = dir, .layout = layout, .skip = skip};
    *m = (struct model){0};
    int rc = model_open(&mo, m, d);
    free(skip);
    free(root);
    return rc;
}

static int read_dir(const char *dir, enum layout layout, struct model *m,
                    struct diags *d)
{
    return open_dir(dir, layout, m, d) == 0 && m->migrations ? 0 : -1;
}

/* The errors of from (of files under prefix, or all when NULL) into to,
 * as they were reported; warnings stay behind: `new` is not `check`. */
static int copy_errors(const struct diags *from, const char *prefix,
                       struct diags *to)
{
    int copied = 0;
    for (size_t i = 0; i < from->n; i++) {
        const struct diag *g = &from->items[i];
        if (g->severity != DIAG_ERROR ||
            (prefix && (!g->path || strncmp(g->path, prefix,
                                            strlen(prefix)) != 0)))
            continue;
        diag_add(to, g->path, g->line, g->col, g->severity, g->rule, "%s",
                 g->message);
        copied = 1;
    }
    return copied;
}

/* Read the directory again with the new files: the new migration must be
 * the last one, after the newest before it, and bring no error. */
static int proven_last(const struct new_options *o, enum layout layout,
                       const struct plan *p, int64_t before, int had,
                       struct diags *d)
{
    struct diags again = {0};
    struct model m;
    /* Errors of other files are copied below; the order is judged here. */
    open_dir(o->dir, layout, &m, &again);
    int ok = m.migrations != NULL && m.files.n > 0;
    const struct migration_file *last =
        ok ? &m.files.files[m.files.n - 1] : NULL;
    char *path = join(o->dir, p->files[0].name);
    if (ok && (strcmp(last->name, p->files[0].name) != 0 ||
               (had && last->version <= before))) {
        const struct migration_file *newest = last;
        for (size_t i = 0; i < m.files.n; i++)
            if (strcmp(m.files.files[i].name, p->files[0].name) != 0 &&
                m.files.files[i].version >= newest->version)
                newest = &m.files.files[i];
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_NAMING,
                 "a new migration must sort after every existing one, but "
                 "this one would not sort after %s; migrations apply in "
                 "version order",
                 newest->path);
        ok = 0;
    }
    /* What reading the new files reported against them. */
    char *mine = join(o->dir, p->folder ? p->folder : p->files[0].name);
    if (copy_errors(&again, mine, d))
        ok = 0;
    free(mine);
    free(path);
    model_free(&m);
    diags_free(&again);
    return ok ? 0 : -1;
}

int new_migration(const struct new_options *o, struct new_result *r,
                  struct diags *d)
{
    *r = (struct new_result){0};
    if (!name_ok(o->name)) {
        diag_add(d, NULL, 0, 0, DIAG_ERROR, DIAG_NAMING,
                 "'%s' is not a migration name: use letters, digits, _ and "
                 "- (at most %d)",
                 o->name, NAME_MAX_LEN);
        return -1;
    }
    struct model m = {0};
    struct diags first = {0};
    int rc = make_dir(o->dir, d) == 0 &&
                     read_dir(o->dir, LAYOUT_AUTO, &m, &first) == 0
                 ? 0
                 : -1;
    if (copy_errors(&first, NULL, d))
        rc = -1;
    diags_free(&first);
    if (rc != 0) {
        model_free(&m);
        return -1;
    }
    int had = m.files.n > 0;
    enum layout layout = m.layout;
    if (!had)
        layout = o->layout == LAYOUT_AUTO ? LAYOUT_PLAIN : o->layout;
    if (had && o->layout != LAYOUT_AUTO && o->layout != layout) {
        diag_add(d, m.files.files[m.files.n - 1].path, 0, 0, DIAG_ERROR,
                 DIAG_LAYOUT,
                 "the directory holds migrations of the %s layout; a new one "
                 "of the %s layout would mix layouts",
                 layout_id(layout), layout_id(o->layout));
        model_free(&m);
        return -1;
    }
    int64_t before = had ? m.files.files[m.files.n - 1].version : 0;
    struct plan p = {.layout = layout};
    char *v = next_version(&m.files, layout, o->now);
    plan_files(&p, v, o->name, o->no_transaction);
    free(v);
    model_free(&m);

    rc = make_files(o->dir, &p, d);
    if (rc == 0 && proven_last(o, layout, &p, before, had, d) != 0) {
        remove_files(o->dir, &p, p.n);
        rc = -1;
    }
    if (rc == 0) {
        r->layout = layout;
        for (size_t i = 0; i < p.n; i++)
            r->paths[r->n++] = join(o->dir, p.files[i].name);
    }
    plan_free(&p);
    return rc;
}

void new_result_free(struct new_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->paths[i]);
    *r = (struct new_result){0};
}

/* squash_write.c: the baseline's file in the chain's layout, written
 * whole; the originals moved into the archive; DIR left as it was when
 * any step fails. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "paths.h"
#include "squash_int.h"
#include "xalloc.h"

/* ---- names --------------------------------------------------------------- */

/* The version as the first original spells it ("001", diesel's
 * "2021-01-01-000000") and the separator after it. */
static char *version_spelling(const char *top, char *sep)
{
    size_t n = 0;
    while ((top[n] >= '0' && top[n] <= '9') || top[n] == '-')
        n++;
    while (n > 0 && top[n - 1] == '-')
        n--;
    *sep = top[n] == '-' || top[n] == '.' ? top[n] : '_';
    return xstrndup(top, n);
}

/* The first path part of name: a diesel or prisma migration's folder. */
static char *folder_of(const char *name)
{
    const char *slash = strchr(name, '/');
    return slash ? xstrndup(name, (size_t)(slash - name)) : xstrdup(name);
}

static void add_move(struct squash_job *j, char *name)
{
    j->moves = xrealloc(j->moves, (j->n_moves + 1) * sizeof *j->moves);
    j->moves[j->n_moves++] = name;
}

/* The baseline's names in the layout; -1 when the layout cannot hold one. */
static int baseline_names(enum layout layout,
                          const struct migration_file *f,
                          struct squash_job *j)
{
    const char *first = f->name;
    char sep;
    int folder = layout == LAYOUT_DIESEL || layout == LAYOUT_PRISMA;
    char *top = folder ? folder_of(first) : xstrdup(first);
    char *v = version_spelling(top, &sep);
    free(top);
    switch (layout) {
    case LAYOUT_PGMIG:
        free(v);
        return -1;
    case LAYOUT_UP_DOWN:
    case LAYOUT_POP:
        j->base_name = xasprintf("%s%cbaseline.up.sql", v, sep);
        break;
    case LAYOUT_DIESEL:
        j->base_top = xasprintf("%s%cbaseline", v, sep);
        j->base_name = xasprintf("%s/up.sql", j->base_top);
        break;
    case LAYOUT_PRISMA:
        j->base_top = xasprintf("%s%cbaseline", v, sep);
        j->base_name = xasprintf("%s/migration.sql", j->base_top);
        break;
    case LAYOUT_POSTGRATOR:
        j->base_name = xasprintf("%s.do.baseline.sql", v);
        break;
    case LAYOUT_FLYWAY: /* the first's version as Flyway spells it, in DIR
                           itself (Flyway reads sub-folders too) */
        j->base_name = xasprintf("V%s__baseline.sql", f->flyway_version);
        break;
    default: /* plain, dbmate, goose */
        j->base_name = xasprintf("%s%cbaseline.sql", v, sep);
        break;
    }
    if (!j->base_top)
        j->base_top = xstrdup(j->base_name);
    free(v);
    return 0;
}

static char *join(const char *dir, const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int squash_plan(const struct squash_options *o, const struct model *m,
                struct squash_job *j, struct diags *d)
{
    const struct migration_file *first = m->migrations[j->first].file;
    if (baseline_names(m->layout, first, j) != 0) {
        diag_add(d, first->path, 0, 0, DIAG_ERROR, DIAG_SQUASH,
                 "a postgres-migrations chain cannot hold a baseline: the "
                 "tool requires ids 1, 2, 3 ... without a hole and refuses "
                 "a changed file it applied");
        return SQUASH_REFUSED;
    }
    int folder = m->layout == LAYOUT_DIESEL || m->layout == LAYOUT_PRISMA;
    for (size_t i = j->first; i <= j->last; i++) {
        const struct migration_file *f = m->migrations[i].file;
        add_move(j, folder ? folder_of(f->name) : xstrdup(f->name));
        if (!folder && f->down_name && strcmp(f->down_name, f->name) != 0)
            add_move(j, xstrdup(f->down_name));
    }
    j->archive = o->archive ? xstrdup(o->archive) : join(o->dir, "squashed");
    j->archive_v = xasprintf("%s/%lld", j->archive, (long long)j->from);
    if (exists(j->archive_v)) {
        diag_add(d, j->archive_v, 0, 0, DIAG_ERROR, DIAG_SQUASH,
                 "the archive folder of a baseline at version %lld exists "
                 "already: move it away or squash another range",
                 (long long)j->from);
        return SQUASH_REFUSED;
    }
    int moved = 0;
    for (size_t k = 0; k < j->n_moves; k++)
        moved |= strcmp(j->moves[k], j->base_top) == 0;
    char *target = join(o->dir, j->base_top);
    int taken = !moved && exists(target);
    if (taken)
        diag_add(d, target, 0, 0, DIAG_ERROR, DIAG_SQUASH,
                 "the baseline's name is taken by a file the range does not "
                 "hold: rename it first");
    free(target);
    return taken ? SQUASH_REFUSED : SQUASH_OK;
}

/* ---- the text ------------------------------------------------------------ */

/* goose splits at semicolons unless a block is marked: every entry that
 * holds a dollar quote becomes one such block. */
static void write_goose_entries(const struct dump *dm, const char *keep,
                                FILE *out)
{
    for (size_t i = 0; i < dm->n; i++) {
        const struct dump_entry *e = &dm->e[i];
        if (keep && !keep[i])
            continue;
        int block = strchr(e->body, '$') != NULL;
        fprintf(out, "-- Name: %s; Type: %s; Schema: %s\n%s%s%s\n", e->name,
                e->type, e->schema, block ? "-- +goose StatementBegin\n" : "",
                e->body, block ? "-- +goose StatementEnd\n" : "");
    }
}

static void write_entries(enum layout layout, const struct dump *dm,
                          const char *keep, FILE *out)
{
    if (layout == LAYOUT_GOOSE)
        write_goose_entries(dm, keep, out);
    else
        dump_write(dm, keep, out);
}

static int needs_no_body_check(const struct squash_job *j)
{
    return dump_has_type(&j->pre, "FUNCTION") ||
           dump_has_type(&j->pre, "PROCEDURE") ||
           dump_has_type(&j->pre, "AGGREGATE");
}

static void compose(const struct squash_options *o, const struct model *m,
                    struct squash_job *j)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) {
        fputs("migc: out of memory\n", stderr);
        exit(EXIT_FAILURE);
    }
    if (m->layout == LAYOUT_DBMATE)
        fputs("-- migrate:up\n", out);
    else if (m->layout == LAYOUT_GOOSE)
        fputs("-- +goose Up\n", out);
    fprintf(out,
            "-- Baseline of migrations %lld..%lld (%zu of them), written by "
            "`migc squash`:\n"
            "-- the schema and rows a replay of them left, read back with "
            "pg_dump.\n",
            (long long)j->from, (long long)j->through,
            j->last - j->first + 1);
    if (!o->archive)
        fprintf(out, "-- The originals are in squashed/%lld/.\n",
                (long long)j->from);
    fprintf(out, "-- migc:squashes %lld..%lld\n", (long long)j->from,
            (long long)j->through);
    if (needs_no_body_check(j))
        fputs("SET LOCAL check_function_bodies = false;\n", out);
    fputc('\n', out);
    write_entries(m->layout, &j->pre, j->keep_pre, out);
    if (j->data.n) {
        fprintf(out, "-- Rows the range wrote (%zu table%s).\n\n",
                j->n_carried, j->n_carried == 1 ? "" : "s");
        write_entries(m->layout, &j->data, NULL, out);
    }
    write_entries(m->layout, &j->post, j->keep_post, out);
    fclose(out);
    /* one final newline */
    while (len > 1 && text[len - 1] == '\n' && text[len - 2] == '\n')
        text[--len] = '\0';
    j->text = text;
}

/* ---- writing and moving -------------------------------------------------- */

/* The baseline written under a temporary name in DIR: its file, or for a
 * folder layout a temporary folder holding it. */
static char *write_temp(const struct squash_options *o,
                        const struct squash_job *j, struct diags *d)
{
    if (strcmp(j->base_top, j->base_name) == 0) {
        char *path = join(o->dir, j->base_name);
        char *tmp = atomic_write_temp(path, j->text, strlen(j->text), d);
        free(path);
        return tmp;
    }
    char *dir = xasprintf("%s/.migc-squash.XXXXXX", o->dir);
    if (!mkdtemp(dir) || chmod(dir, 0755) != 0) {
        diag_add(d, o->dir, 0, 0, DIAG_ERROR, DIAG_IO,
                 "cannot create a folder: %s", strerror(errno));
        free(dir);
        return NULL;
    }
    char *file = join(dir, strchr(j->base_name, '/') + 1);
    if (atomic_write_file(file, j->text, strlen(j->text), d) != 0) {
        rmdir(dir);
        free(dir);
        dir = NULL;
    }
    free(file);
    return dir;
}

static void remove_temp(const char *tmp, const struct squash_job *j)
{
    if (strcmp(j->base_top, j->base_name) != 0) {
        char *file = join(tmp, strchr(j->base_name, '/') + 1);
        unlink(file);
        free(file);
        rmdir(tmp);
    } else {
        unlink(tmp);
    }
}

/* The folders of name (a Flyway original in a sub-folder: "r1/V2__x.sql")
 * under root: made (ignoring those that exist), or removed when empty
 * (deepest first). */
static int make_parents(const char *root, const char *name, int remove)
{
    char *path = join(root, name);
    size_t base = strlen(root) + 1;
    int rc = 0;
    if (remove) {
        for (char *slash = strrchr(path + base, '/'); slash;
             slash = strrchr(path + base, '/')) {
            *slash = '\0';
            rmdir(path);
        }
    } else {
        for (char *slash = strchr(path + base, '/'); slash && rc == 0;
             slash = strchr(slash + 1, '/')) {
            *slash = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST)
                rc = -1;
            *slash = '/';
        }
    }
    free(path);
    return rc;
}

/* Move the originals back (the first n moved) and remove what was made. */
static void undo(const struct squash_options *o, const struct squash_job *j,
                 size_t n, int made_archive)
{
    while (n-- > 0) {
        char *from = join(j->archive_v, j->moves[n]);
        char *to = join(o->dir, j->moves[n]);
        rename(from, to);
        make_parents(j->archive_v, j->moves[n], 1);
        free(from);
        free(to);
    }
    rmdir(j->archive_v);
    if (made_archive)
        rmdir(j->archive);
}

static int move_all(const struct squash_options *o, const struct squash_job *j,
                    const char *tmp, struct diags *d)
{
    int made_archive = mkdir(j->archive, 0755) == 0;
    if (!made_archive && errno != EEXIST) {
        diag_add(d, j->archive, 0, 0, DIAG_ERROR, DIAG_IO,
                 "cannot create the archive folder: %s", strerror(errno));
        return -1;
    }
    if (mkdir(j->archive_v, 0755) != 0) {
        diag_add(d, j->archive_v, 0, 0, DIAG_ERROR, DIAG_IO,
                 "cannot create the archive folder: %s", strerror(errno));
        if (made_archive)
            rmdir(j->archive);
        return -1;
    }
    for (size_t k = 0; k < j->n_moves; k++) {
        char *from = join(o->dir, j->moves[k]);
        char *to = join(j->archive_v, j->moves[k]);
        int rc = make_parents(j->archive_v, j->moves[k], 0) == 0
                     ? rename(from, to)
                     : -1;
        if (rc != 0)
            diag_add(d, from, 0, 0, DIAG_ERROR, DIAG_IO,
                     "cannot move into %s: %s", j->archive_v,
                     strerror(errno));
        free(from);
        free(to);
        if (rc != 0) {
            undo(o, j, k, made_archive);
            return -1;
        }
    }
    char *target = join(o->dir, j->base_top);
    int rc = rename(tmp, target);
    if (rc != 0) {
        diag_add(d, target, 0, 0, DIAG_ERROR, DIAG_IO, "cannot rename: %s",
                 strerror(errno));
        undo(o, j, j->n_moves, made_archive);
    }
    free(target);
    return rc;
}

static void print_plan(const struct squash_options *o,
                       const struct squash_job *j)
{
    printf("would write %s/%s (%zu bytes)\n", o->dir, j->base_name,
           strlen(j->text));
    for (size_t k = 0; k < j->n_moves; k++)
        printf("would move %s/%s to %s/%s\n", o->dir, j->moves[k],
               j->archive_v, j->moves[k]);
    printf("--- %s/%s\n%s", o->dir, j->base_name, j->text);
}

int squash_write(const struct squash_options *o, const struct model *m,
                 struct squash_job *j, struct diags *d)
{
    compose(o, m, j);
    if (o->dry_run) {
        print_plan(o, j);
        return SQUASH_OK;
    }
    /* An interrupt waits until the files are all moved or all back:
     * DIR is never left half-moved (a signal arriving meanwhile is
     * delivered when the mask is restored) */
    sigset_t block, was;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &was);
    char *tmp = write_temp(o, j, d);
    int rc = tmp ? move_all(o, j, tmp, d) : -1;
    if (tmp && rc != 0)
        remove_temp(tmp, j);
    free(tmp);
    sigprocmask(SIG_SETMASK, &was, NULL);
    return rc == 0 ? SQUASH_OK : SQUASH_USAGE;
}

void squash_summary(const struct squash_options *o, const struct model *m,
                    const struct squash_job *j)
{
    size_t n = j->last - j->first + 1;
    (void)m;
    printf("wrote %s/%s: squashes %lld..%lld (%zu migrations", o->dir,
           j->base_name, (long long)j->from, (long long)j->through, n);
    if (j->n_carried)
        printf("; rows of %zu table%s carried", j->n_carried,
               j->n_carried == 1 ? "" : "s");
    printf(")\n");
    if (j->packs_left)
        printf("left to the packs: the rows of %s\n", j->packs_left);
    printf("moved %zu file%s into %s/\n", j->n_moves,
           j->n_moves == 1 ? "" : "s", j->archive_v);
    /* the commands that follow must read the same archive */
    const char *a = o->archive ? " --archive " : "";
    const char *ap = o->archive ? o->archive : "";
    printf("next: migc verify %s%s%s, then migc lock %s --squash%s%s\n",
           o->dir, a, ap, o->dir, a, ap);
}

/* verify.c: `migc verify`: for each baseline, the chain before it plus its
 * archived originals on one scratch database, the chain before it plus
 * the baseline on another, and the two schemas compared through the
 * catalogs (runtime/schema.h), one line per difference. */
#define _POSIX_C_SOURCE 200809L
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "compile.h"
#include "lock.h"
#include "migc.h"
#include "pack.h"
#include "replay.h"
#include "schema.h"
#include "scratch.h"
#include "xalloc.h"

/* One baseline to verify: where it is in the chain, and its originals. */
struct target {
    size_t at;
    const struct model_archive *archive;
};

static struct compile *compile_chain(const struct verify_options *o)
{
    /* The server's comparison is the proof: the static one is left to
     * check, and would keep the packs unread (an error stops them) */
    static const char *const severity[] = {"baseline-differs=off"};
    struct compile_options co = {
        .severity = severity,
        .n_severity = 1,
        .dir = o->dir,
        .source_root = o->source_root,
        .layout = o->layout,
        .lock = o->lock,
        .archive = o->archive,
        .squash = 1, /* a baseline not yet recorded: as lock --squash sees it */
        .packs = 1,
        .packs_dir = o->packs,
        .keep = 1,
    };
    struct compile *c = compile_open(&co);
    compile_run(c);
    return c;
}

/* The chain must compile; [baseline-differs] is what verify is about, so
 * those findings are shown and the comparison on the server still runs.
 * For `lock --squash`, -1: the lock reports the errors itself. */
static int check_chain(const struct verify_options *o, const struct diags *cd,
                       const struct model *m)
{
    if (o->for_lock && cd->errors)
        return -1; /* the lock reports them, and writes nothing */
    size_t other = 0;
    for (size_t i = 0; i < cd->n; i++)
        other += cd->items[i].severity == DIAG_ERROR &&
                 cd->items[i].rule != DIAG_BASELINE_DIFFERS;
    if (cd->errors)
        diag_print(cd, stderr, 0);
    if (other == 0 && m->migrations)
        return VERIFY_EQUAL;
    fprintf(stderr,
            "migc verify: error: %s has errors (above): verify a chain that "
            "`migc check` passes\n",
            o->dir);
    return cd->io_failed ? VERIFY_USAGE : VERIFY_DIFFERS;
}

static const struct model_archive *archive_of(const struct model *m,
                                              int64_t version)
{
    for (size_t i = 0; i < m->n_archives; i++)
        if (m->archives[i].baseline == version)
            return &m->archives[i];
    return NULL;
}

/* The baselines to verify, into *out (malloc'd). A baseline the command
 * must verify but cannot (no archived originals) is an error. */
static int pick_targets(const struct verify_options *o, const struct model *m,
                        const struct lock_file *lf, struct target **out,
                        size_t *n)
{
    char *root = archive_path(o->dir, o->archive);
    int rc = VERIFY_EQUAL, found = 0;
    *out = xcalloc(m->n ? m->n : 1, sizeof **out);
    *n = 0;
    for (size_t i = 0; i < m->n; i++) {
        const struct model_migration *mm = &m->migrations[i];
        int64_t v = mm->file->version;
        if (!(mm->flags & MIGC_MIGRATION_SQUASHES) ||
            (o->has_baseline && v != o->baseline))
            continue;
        found = 1;
        if (o->for_lock && lf && lock_entry_of(lf, mm))
            continue; /* recorded already: verified when it was */
        const struct model_archive *a = archive_of(m, v);
        if (a && a->originals.n) {
            (*out)[(*n)++] = (struct target){i, a};
        } else if (o->for_lock || o->has_baseline) {
            fprintf(stderr,
                    "migc %s: error: baseline %lld (%s) has no archived "
                    "originals in %s/%lld/ to verify it against: `migc "
                    "squash` keeps them there%s\n",
                    o->for_lock ? "lock" : "verify", (long long)v,
                    mm->file->name, root, (long long)v,
                    o->for_lock ? "; or record it unverified with `migc lock "
                                  "--squash --no-verify`"
                                : "");
            rc = VERIFY_DIFFERS;
        } else {
            printf("baseline %lld (%s): no archived originals (retired, or "
                   "never archived): not verified\n",
                   (long long)v, mm->file->name);
        }
    }
    if (o->has_baseline && !found) {
        fprintf(stderr,
                "migc verify: error: --baseline %lld: %s holds no baseline "
                "of that version\n",
                (long long)o->baseline, o->dir);
        rc = VERIFY_USAGE;
    } else if (rc == VERIFY_EQUAL && *n == 0 && !o->for_lock) {
        fprintf(stderr,
                "migc verify: error: %s holds no baseline with archived "
                "originals (%s/VERSION/) to verify\n",
                o->dir, root);
        rc = VERIFY_USAGE;
    }
    free(root);
    return rc;
}

/* ---- one baseline ---------------------------------------------------------- */

/* Tables a pack of the project fills, "schema.table" unquoted: their rows
 * are the packs' to write, not the baseline's. NULL-terminated. */
static char **pack_tables(const struct pack_set *ps)
{
    size_t cap = 1, n = 0;
    for (size_t i = 0; ps && i < ps->n; i++)
        cap += ps->packs[i].n_rows;
    char **list = xcalloc(cap, sizeof *list);
    for (size_t i = 0; ps && i < ps->n; i++)
        for (size_t k = 0; k < ps->packs[i].n_rows; k++) {
            const char *q = ps->packs[i].rows[k].table;
            char *t = xmalloc(strlen(q) + 1), *w = t;
            for (const char *p = q; *p; p++) {
                if (*p == '"' && p[1] == '"')
                    *w++ = *p++;
                else if (*p != '"')
                    *w++ = *p;
            }
            *w = '\0';
            int dup = 0;
            for (size_t j = 0; j < n && !dup; j++)
                dup = strcmp(list[j], t) == 0;
            if (dup)
                free(t);
            else
                list[n++] = t;
        }
    return list;
}

static void free_list(char **list)
{
    for (size_t i = 0; list && list[i]; i++)
        free(list[i]);
    free(list);
}

/* Replay list on a new scratch database and read its schema. */
static int replay_read(struct scratch *s, const struct model_migration **list,
                       size_t n, const struct schema_read_options *ro,
                       struct schema_snapshot **snap, struct diags *d)
{
    struct pg_conn *conn;
    const char *db;
    if (scratch_db(s, &conn, &db, d) != 0)
        return VERIFY_SERVER;
    if (replay_run(conn, list, n, d) != 0)
        return VERIFY_DIFFERS;
    struct migc_error err = {0};
    if (schema_read(conn, ro, snap, &err) != MIGC_OK) {
        diag_add(d, NULL, 0, 0, DIAG_ERROR, DIAG_SQUASH, "%s", err.message);
        return VERIFY_SERVER;
    }
    return VERIFY_EQUAL;
}

/* The lines printed for one baseline: the rows' pass repeats the schema
 * lines of the tables it reads, each printed once. */
struct printed {
    char **lines;
    size_t n;
};

static void print_line(void *ctx, const char *text)
{
    struct printed *p = ctx;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->lines[i], text) == 0)
            return;
    p->lines = xrealloc(p->lines, (p->n + 1) * sizeof *p->lines);
    p->lines[p->n++] = xstrdup(text);
    printf("  %s\n", text);
}

/* The chain before baseline t and then its originals (list a), or then
 * the baseline (list b): ascending either way. */
static size_t lists(const struct model *m, const struct target *t,
                    const struct model_migration ***a,
                    const struct model_migration ***b)
{
    const struct model *orig = &t->archive->originals;
    *a = xcalloc(t->at + orig->n, sizeof **a);
    *b = xcalloc(t->at + 1, sizeof **b);
    for (size_t i = 0; i < t->at; i++)
        (*a)[i] = (*b)[i] = &m->migrations[i];
    for (size_t i = 0; i < orig->n; i++)
        (*a)[t->at + i] = &orig->migrations[i];
    (*b)[t->at] = &m->migrations[t->at];
    return t->at + orig->n;
}

static int verify_one(const struct verify_options *o, const struct model *m,
                      const struct target *t, char **packs,
                      struct scratch *s, struct diags *d)
{
    const struct model_migration *base = &m->migrations[t->at];
    const struct model_migration **a, **b;
    size_t n_a = lists(m, t, &a, &b);
    const char *skip_schemas[] = {REPLAY_SCHEMA, NULL};
    struct schema_read_options ro = {
        .exclude_schemas = skip_schemas,
        .grants = o->grants,
    };
    struct schema_snapshot *sa = NULL, *sb = NULL, *da = NULL, *db = NULL;
    int rc = replay_read(s, a, n_a, &ro, &sa, d);
    if (rc == VERIFY_EQUAL)
        rc = replay_read(s, b, t->at + 1, &ro, &sb, d);
    if (rc == VERIFY_EQUAL && o->data) {
        /* the rows again, of every table no pack fills */
        struct schema_read_options rd = ro;
        rd.data = 1;
        rd.exclude_tables = (const char *const *)packs;
        rc = replay_read(s, a, n_a, &rd, &da, d);
        if (rc == VERIFY_EQUAL)
            rc = replay_read(s, b, t->at + 1, &rd, &db, d);
    }
    if (rc == VERIFY_EQUAL) {
        struct printed p = {0};
        printf("baseline %lld (%s) against its %zu archived original%s:\n",
               (long long)base->file->version, base->file->name,
               t->archive->originals.n,
               t->archive->originals.n == 1 ? "" : "s");
        schema_diff(sa, sb, "originals", "baseline", print_line, &p);
        if (o->data)
            schema_diff(da, db, "originals", "baseline", print_line, &p);
        if (p.n)
            printf("  %zu difference%s: the baseline does not build what "
                   "its originals build\n",
                   p.n, p.n == 1 ? "" : "s");
        else
            printf("  equal: the same schema%s\n",
                   o->data ? " and rows" : "");
        rc = p.n ? VERIFY_DIFFERS : VERIFY_EQUAL;
        for (size_t i = 0; i < p.n; i++)
            free(p.lines[i]);
        free(p.lines);
    }
    schema_free(sa);
    schema_free(sb);
    schema_free(da);
    schema_free(db);
    free(a);
    free(b);
    return rc;
}

int verify_run(const struct verify_options *o)
{
    struct compile *c = compile_chain(o);
    const struct model *m = compile_model(c);
    struct diags d = {0};
    struct target *targets = NULL;
    size_t n = 0;
    int rc = check_chain(o, compile_diags(c), m);
    if (rc < 0) {
        compile_free(c);
        return VERIFY_EQUAL;
    }
    if (rc == VERIFY_EQUAL)
        rc = pick_targets(o, m, compile_lock(c), &targets, &n);
    struct scratch *s = NULL;
    if (rc == VERIFY_EQUAL && n && scratch_open(o->database, &s, &d) != 0)
        rc = VERIFY_SERVER;
    char **packs = rc == VERIFY_EQUAL ? pack_tables(compile_packs(c)) : NULL;
    int differs = 0;
    for (size_t i = 0; rc == VERIFY_EQUAL && i < n; i++) {
        int one = verify_one(o, m, &targets[i], packs, s, &d);
        if (one == VERIFY_DIFFERS)
            differs = 1;
        else
            rc = one;
        fflush(stdout);
    }
    if (s && scratch_close(s, &d) != 0 && rc == VERIFY_EQUAL)
        rc = VERIFY_SERVER;
    if (rc == VERIFY_EQUAL && differs)
        rc = VERIFY_DIFFERS;
    diag_sort(&d);
    diag_print(&d, stderr, 0);
    free_list(packs);
    free(targets);
    diags_free(&d);
    compile_free(c);
    return rc;
}

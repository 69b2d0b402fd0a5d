/* squash.c: `migc squash`: the range checked, replayed on a scratch
 * database, read back with pg_dump and written as one baseline. */
#define _POSIX_C_SOURCE 200809L
#include "squash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "migc.h"
#include "replay.h"
#include "scratch.h"
#include "squash_data.h"
#include "squash_dump.h"
#include "squash_int.h"
#include "xalloc.h"

/* ---- the range ---------------------------------------------------------- */

static long index_of(const struct model *m, int64_t version)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->migrations[i].file->version == version)
            return (long)i;
    return -1;
}

/* FROM..THROUGH as indices of m; SQUASH_USAGE after printing why. */
static int pick_range(const struct squash_options *o, const struct model *m,
                      struct squash_job *j)
{
    if (m->n == 0) {
        fprintf(stderr, "migc squash: error: %s holds no migration\n", o->dir);
        return SQUASH_USAGE;
    }
    int64_t from = o->has_from ? o->from : m->migrations[0].file->version;
    long a = index_of(m, from), b = index_of(m, o->through);
    const char *which = b < 0 ? "--through" : a < 0 ? "--from" : NULL;
    if (which) {
        int64_t v = b < 0 ? o->through : from;
        /* Flyway's V2 is migc's 20000 (docs/layouts.md, flyway) */
        long flyway = m->layout == LAYOUT_FLYWAY && v <= INT64_MAX / 10000
                          ? index_of(m, v * 10000)
                          : -1;
        fprintf(stderr,
                "migc squash: error: %s %lld: no migration of %s has that "
                "version (it holds %lld..%lld)",
                which, (long long)v, o->dir,
                (long long)m->migrations[0].file->version,
                (long long)m->migrations[m->n - 1].file->version);
        if (flyway >= 0)
            fprintf(stderr,
                    "; migc numbers Flyway's version %s as %lld, as `migc "
                    "list` shows",
                    m->migrations[flyway].file->flyway_version,
                    (long long)(v * 10000));
        fputc('\n', stderr);
        return SQUASH_USAGE;
    }
    if (a > b) {
        fprintf(stderr,
                "migc squash: error: --from %lld comes after --through %lld\n",
                (long long)from, (long long)o->through);
        return SQUASH_USAGE;
    }
    if (a == b) {
        fprintf(stderr,
                "migc squash: error: the range %lld..%lld holds one "
                "migration: nothing to squash\n",
                (long long)from, (long long)o->through);
        return SQUASH_USAGE;
    }
    j->first = (size_t)a;
    j->last = (size_t)b;
    j->from = from;
    j->through = o->through;
    return SQUASH_OK;
}

/* A baseline's range may lie wholly inside the new range (its baseline
 * with it) or wholly outside; one that straddles an end would leave its
 * originals replaced twice over. */
static void check_baselines(const struct model *m, const struct squash_job *j,
                            struct diags *d)
{
    for (size_t i = 0; i < m->n; i++) {
        const struct model_migration *mm = &m->migrations[i];
        if (!(mm->flags & MIGC_MIGRATION_SQUASHES))
            continue;
        int64_t v = mm->file->version;
        int64_t lo = mm->squash_from < v ? mm->squash_from : v;
        int64_t hi = mm->squash_to > v ? mm->squash_to : v;
        int overlaps = lo <= j->through && hi >= j->from;
        int inside = lo >= j->from && hi <= j->through;
        int held = i >= j->first && i <= j->last;
        if (overlaps && !(inside && held))
            diag_add(d, mm->file->path, 0, 0, DIAG_ERROR, DIAG_SQUASH,
                     "the range %lld..%lld crosses this baseline, which "
                     "squashes %lld..%lld: squash a range that holds the "
                     "baseline and all it replaced, or none of it",
                     (long long)j->from, (long long)j->through,
                     (long long)mm->squash_from, (long long)mm->squash_to);
        else if (held && (v == j->from ||
                          (mm->squash_from <= v && v <= mm->squash_to)))
            /* the lock would record version v replaced twice: as the
             * original this baseline took the version of, and as this
             * baseline (or the new one would take v) */
            diag_add(d, mm->file->path, 0, 0, DIAG_ERROR, DIAG_SQUASH,
                     "the range %lld..%lld holds this baseline, which took "
                     "version %lld from the migrations it squashes: a "
                     "baseline over it would replace version %lld twice, "
                     "which the lock file cannot record; squash the "
                     "migrations after it instead (--from the next one)",
                     (long long)j->from, (long long)j->through, (long long)v,
                     (long long)v);
    }
}

/* ---- the statements of the range ---------------------------------------- */

/* `-- migc:allow squash-data REASON` above the statement (or atop the
 * file). */
static int allowed(const struct model_script *s, size_t stmt_off)
{
    for (size_t k = 0; k < s->n_allows; k++)
        if (strcmp(s->allows[k].rule, "squash-data") == 0 &&
            (s->allows[k].stmt_off == SIZE_MAX ||
             s->allows[k].stmt_off == stmt_off))
            return 1;
    return 0;
}

/* Each statement of the range: what it writes (refused after the replay
 * when a volatile value stays in a carried row), and the refusals that
 * need no server (the cluster). Allowed row writers are left out of the
 * replay (j->skips). */
static void scan_statements(const struct model *m, struct squash_job *j,
                            struct diags *d)
{
    for (size_t i = j->first; i <= j->last; i++) {
        const struct model_script *s = &m->migrations[i].up;
        for (size_t k = 0; k < s->n_stmts; k++) {
            const struct model_statement *st = &s->stmts[k];
            struct squash_stmt c;
            squash_data_classify(st, &c);
            int allow = (c.table && c.volatile_fn) || c.cluster
                            ? allowed(s, st->off)
                            : 0;
            if (allow) {
                /* rows left out on purpose; a cluster statement still
                 * runs, since what follows may need it */
                if (c.table)
                    squash_job_skip(j, i, k);
            } else if (c.cluster) {
                diag_add(d, s->src->path, st->line, st->col, DIAG_ERROR,
                         DIAG_SQUASH_DATA,
                         "%s: pg_dump does not carry the cluster's roles, "
                         "databases, tablespaces or settings, so the "
                         "baseline would lose it; keep it in a migration "
                         "after the range, or leave it out with `-- "
                         "migc:allow squash-data REASON`",
                         c.cluster);
            }
            if (c.table && !allow) /* volatile: refused if rows remain */
                squash_job_writes(j, i, k, c.table, c.volatile_fn);
            squash_stmt_free(&c);
        }
    }
}

/* Rows the range writes into a table the prefix made: the baseline holds
 * the range's objects only, so it cannot carry them. */
static void check_prefix_writes(const struct model *m,
                                const struct squash_job *j,
                                const char *tables, struct diags *d)
{
    for (size_t w = 0; w < j->n_writes; w++) {
        const struct squash_write *wr = &j->writes[w];
        size_t len = strlen(wr->table);
        int hit = 0;
        for (const char *p = tables; *p && !hit;) {
            const char *nl = strchr(p, '\n');
            size_t l = nl ? (size_t)(nl - p) : strlen(p);
            hit = l == len && strncmp(p, wr->table, len) == 0;
            p = nl ? nl + 1 : p + l;
        }
        if (!hit)
            continue;
        const struct model_script *s = &m->migrations[wr->mig].up;
        const struct model_statement *st = &s->stmts[wr->stmt];
        diag_add(d, s->src->path, st->line, st->col, DIAG_ERROR,
                 DIAG_SQUASH_DATA,
                 "rows written into %s, which a migration before the range "
                 "created: the baseline holds only what the range creates; "
                 "start the range at or before that migration, or leave "
                 "them out with `-- migc:allow squash-data REASON`",
                 wr->table);
    }
}

/* ---- replay and read ----------------------------------------------------- */

static const char tables_sql[] =
    "SELECT n.nspname || '.' || c.relname FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', "
    "'information_schema', '" REPLAY_SCHEMA "') "
    "AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1";

/* The replay's list: migrations [a, b] of m, less the skipped statements
 * (squash_job_list). */
static int replay_span(struct pg_conn *conn, const struct model *m,
                       struct squash_job *j, size_t a, size_t b,
                       struct diags *d)
{
    if (a > b || b == (size_t)-1)
        return 0;
    size_t n = b - a + 1;
    const struct model_migration **list = xcalloc(n, sizeof *list);
    struct model_migration *copies = squash_job_list(j, m, a, b, list);
    int rc = replay_run(conn, list, n, d);
    squash_job_list_free(copies, n);
    free(list);
    return rc;
}

/* pg_dump's schema sections of the replay database into s0/s1 form. */
static int read_schema(struct scratch *s, const char *db, int grants,
                       struct dump *pre, struct dump *post, struct diags *d)
{
    const char *args[] = {"--no-owner", "--exclude-schema=" REPLAY_SCHEMA,
                          "--section=pre-data",
                          grants ? NULL : "--no-privileges", NULL};
    char *text = scratch_dump(s, db, args, d);
    if (!text)
        return -1;
    dump_parse(text, pre);
    free(text);
    args[2] = "--section=post-data";
    text = scratch_dump(s, db, args, d);
    if (!text)
        return -1;
    dump_parse(text, post);
    free(text);
    return 0;
}

/* The entries of s1 the baseline keeps: those s0 lacks. An object s0
 * holds that s1 holds otherwise or not at all is refused by name. */
static char *new_entries(const struct dump *s0, const struct dump *s1,
                         struct diags *d)
{
    char *keep = xcalloc(s1->n + 1, 1);
    for (size_t i = 0; i < s1->n; i++) {
        int same;
        int found = dump_find(s0, &s1->e[i], &same);
        keep[i] = !found;
        if (found && !same)
            diag_add(d, NULL, 0, 0, DIAG_ERROR, DIAG_SQUASH,
                     "the range changes %s %s%s%s, which a migration before "
                     "it created: a baseline holds only what its range "
                     "creates; start the range at or before that migration",
                     s1->e[i].type,
                     strcmp(s1->e[i].schema, "-") ? s1->e[i].schema : "",
                     strcmp(s1->e[i].schema, "-") ? "." : "", s1->e[i].name);
    }
    for (size_t i = 0; i < s0->n; i++) {
        int same;
        if (!dump_find(s1, &s0->e[i], &same))
            diag_add(d, NULL, 0, 0, DIAG_ERROR, DIAG_SQUASH,
                     "the range drops %s %s%s%s, which a migration before "
                     "it created: a baseline cannot drop what it does not "
                     "create; start the range at or before that migration",
                     s0->e[i].type,
                     strcmp(s0->e[i].schema, "-") ? s0->e[i].schema : "",
                     strcmp(s0->e[i].schema, "-") ? "." : "", s0->e[i].name);
    }
    return keep;
}

/* Replay prefix and range, read both states, keep the difference. */
static int replay_and_read(const struct squash_options *o,
                           const struct model *m, struct squash_job *j,
                           struct scratch *s, struct diags *d)
{
    struct pg_conn *conn;
    const char *db;
    struct dump s0_pre = {0}, s0_post = {0};
    char *before = NULL;
    int rc = scratch_db(s, &conn, &db, d) == 0 ? 0 : SQUASH_SERVER;
    if (rc == 0 && j->first > 0) {
        rc = replay_span(conn, m, j, 0, j->first - 1, d) == 0 ? 0
                                                              : SQUASH_REFUSED;
        if (rc == 0)
            rc = read_schema(s, db, o->grants, &s0_pre, &s0_post, d) == 0
                     ? 0
                     : SQUASH_SERVER;
    }
    if (rc == 0)
        before = scratch_query(conn, tables_sql, d);
    if (rc == 0 && !before)
        rc = SQUASH_SERVER;
    if (rc == 0) {
        check_prefix_writes(m, j, before, d);
        rc = d->errors ? SQUASH_REFUSED : 0;
    }
    if (rc == 0)
        rc = replay_span(conn, m, j, j->first, j->last, d) == 0
                 ? 0
                 : SQUASH_REFUSED;
    if (rc == 0)
        rc = read_schema(s, db, o->grants, &j->pre, &j->post, d) == 0
                 ? 0
                 : SQUASH_SERVER;
    if (rc == 0) {
        j->keep_pre = new_entries(&s0_pre, &j->pre, d);
        j->keep_post = new_entries(&s0_post, &j->post, d);
        rc = d->errors ? SQUASH_REFUSED : 0;
    }
    if (rc == 0)
        rc = squash_read_rows(s, conn, db, before, m, j, d);
    free(before);
    dump_free(&s0_pre);
    dump_free(&s0_post);
    return rc;
}

/* ---- the command --------------------------------------------------------- */

static struct compile *compile_chain(const struct squash_options *o)
{
    struct compile_options co = {
        .dir = o->dir,
        .source_root = o->source_root,
        .layout = o->layout,
        .lock = o->lock,
        .archive = o->archive, /* skipped by discovery, checked by the lock */
        .packs = 1,
        .packs_dir = o->packs,
        .keep = 1,
    };
    struct compile *c = compile_open(&co);
    compile_run(c);
    return c;
}

/* Everything before the server: the chain compiles, the range exists and
 * crosses no baseline, its statements can be carried. */
static int check_chain(const struct squash_options *o, const struct model *m,
                       const struct diags *cd, struct squash_job *j,
                       struct diags *d)
{
    if (cd->errors || !m->migrations) {
        diag_print(cd, stderr, 0);
        fprintf(stderr,
                "migc squash: error: %s has errors (above): squash a chain "
                "that `migc check` passes\n",
                o->dir);
        return cd->io_failed ? SQUASH_USAGE : SQUASH_REFUSED;
    }
    int rc = pick_range(o, m, j);
    if (rc != SQUASH_OK)
        return rc;
    check_baselines(m, j, d);
    scan_statements(m, j, d);
    if (d->errors)
        return SQUASH_REFUSED;
    return squash_plan(o, m, j, d);
}

int squash_run(const struct squash_options *o)
{
    struct compile *c = compile_chain(o);
    const struct model *m = compile_model(c);
    struct diags d = {0};
    struct squash_job j = {0};
    j.packs = compile_packs(c);
    int rc = check_chain(o, m, compile_diags(c), &j, &d);
    struct scratch *s = NULL;
    if (rc == SQUASH_OK && scratch_open(o->database, &s, &d) != 0)
        rc = SQUASH_SERVER;
    if (rc == SQUASH_OK)
        rc = replay_and_read(o, m, &j, s, &d);
    if (s && scratch_close(s, &d) != 0 && rc == SQUASH_OK)
        rc = SQUASH_SERVER;
    if (rc == SQUASH_OK)
        rc = squash_write(o, m, &j, &d);
    diag_sort(&d);
    diag_print(&d, stderr, 0);
    if (rc == SQUASH_OK && !o->dry_run)
        squash_summary(o, m, &j);
    squash_job_free(&j);
    diags_free(&d);
    compile_free(c);
    return rc;
}

/* baseline.c: a baseline against the ledger: all, none or only part of the
 * released migrations it replaces applied. The list of those comes from
 * the lock file through the schema (format 4); a database that applied
 * only part of it would never get the rest, so it is refused. */
#include "baseline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* The schema's list of replaced migrations: read only from a schema of
 * format 4 or later, whose struct has the fields. */
static const struct migc_squashed *replaced(const struct migc_schema *schema,
                                            size_t *n)
{
    *n = 0;
    if (schema->format < 4 || !schema->squashed)
        return NULL;
    *n = schema->n_squashed;
    return schema->squashed;
}

static int listed(const struct migc_schema *schema,
                  const struct migc_migration *m)
{
    return schema->format >= 4 &&
           (m->flags & MIGC_MIGRATION_SQUASHED_LISTED) != 0;
}

static int applied(const struct ledger_rows *rows, int64_t version)
{
    const struct ledger_row *r = record_find(rows, version);
    return r && r->state == ROW_APPLIED;
}

const struct migc_squashed *baseline_replaced_at(const struct migc_schema *schema,
                                                 int64_t version)
{
    size_t n;
    const struct migc_squashed *sq = replaced(schema, &n);
    for (size_t i = 0; i < n; i++)
        if (sq[i].version == version && sq[i].baseline == version)
            return &sq[i];
    return NULL;
}

int baseline_original_row(const struct migc_schema *schema,
                          const struct ledger_row *r)
{
    const struct migc_squashed *o = baseline_replaced_at(schema, r->version);
    return o && o->checksum && strcmp(o->checksum, r->checksum) == 0;
}

/* Baselines replace baselines only so deep; deeper is a schema no
 * generator writes (a cycle). */
enum { NESTING_MAX = 64 };

/* Version v applied, or, when v is a baseline a later one replaced and
 * the ledger has no row of it (or the row of the original of v's version
 * that v replaced), everything v replaced (the database crossed it
 * through its originals). */
static int held(const struct migc_schema *schema, int64_t v,
                const struct ledger_rows *rows, int depth)
{
    const struct ledger_row *r = record_find(rows, v);
    int original = r && baseline_original_row(schema, r);
    if (r && !original)
        return r->state == ROW_APPLIED;
    size_t n;
    const struct migc_squashed *sq = replaced(schema, &n);
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (sq[i].baseline != v)
            continue;
        int ok = sq[i].version == v
                     ? original && r->state == ROW_APPLIED
                     : depth < NESTING_MAX &&
                           held(schema, sq[i].version, rows, depth + 1);
        if (!ok)
            return 0;
        any = 1;
    }
    return any;
}

typedef void lacking_fn(void *ctx, const struct migc_squashed *sq);
static void each_lacking(const struct migc_schema *schema, int64_t b,
                         const struct ledger_rows *rows, lacking_fn *fn,
                         void *ctx, int depth);

const struct migc_migration *
baseline_original(const struct migc_schema *schema, int64_t version)
{
    if (schema->format < 5 || !schema->originals)
        return NULL;
    size_t lo = 0, hi = schema->n_originals;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t v = schema->originals[mid].version;
        if (v == version)
            return &schema->originals[mid];
        if (v < version)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* What a part-way database lacks, against what the binary carries: the
 * lacking versions, those without a carried original, and (out non-NULL)
 * the carried ones in order. */
struct carried {
    const struct migc_schema *schema;
    size_t lacking, missing, n;
    const struct migc_migration **out;
};

static void take_carried(void *ctx, const struct migc_squashed *sq)
{
    struct carried *c = ctx;
    const struct migc_migration *o = baseline_original(c->schema, sq->version);
    c->lacking++;
    if (!o)
        c->missing++;
    else if (c->out)
        c->out[c->n++] = o;
}

static int touched(const struct migc_migration *m,
                   const struct ledger_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++)
        if (rows->rows[i].version >= m->squash_from &&
            rows->rows[i].version <= m->squash_to)
            return 1;
    return 0;
}

enum baseline_cover baseline_cover(const struct migc_schema *schema,
                                   const struct migc_migration *m,
                                   const struct ledger_rows *rows)
{
    if (!(m->flags & MIGC_MIGRATION_SQUASHES))
        return BASELINE_NONE;
    /* A row of its own version that is not the original's there: the
     * baseline ran (plan_verify judges its checksum). */
    const struct ledger_row *own = record_find(rows, m->version);
    if ((own && !baseline_original_row(schema, own)) || !touched(m, rows))
        return BASELINE_NONE;
    if (!listed(schema, m))
        return applied(rows, m->squash_to) ? BASELINE_WHOLE
                                           : BASELINE_PARTIAL;
    if (held(schema, m->version, rows, 0))
        return BASELINE_WHOLE;
    struct carried c = {.schema = schema};
    each_lacking(schema, m->version, rows, take_carried, &c, 0);
    return c.lacking > 0 && c.missing == 0 ? BASELINE_CROSS
                                           : BASELINE_PARTIAL;
}

/* ---- What a partial database lacks -------------------------------------- */

/* A clause built into a caller's buffer, truncated when full. */
struct clause {
    char *buf;
    size_t size, len;
    size_t named, more; /* versions written, and left out */
};

static void put(struct clause *c, const char *fmt, ...) MIGC_PRINTF(2, 3);
static void put(struct clause *c, const char *fmt, ...)
{
    if (c->len >= c->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(c->buf + c->len, c->size - c->len, fmt, ap);
    va_end(ap);
    c->len = n < 0 ? c->size : c->len + (size_t)n;
}

/* Name up to this many versions; the rest are counted. */
enum { NAMED_MAX = 8 };

static void name_version(struct clause *c, int64_t v, const char *name)
{
    if (c->named == NAMED_MAX) {
        c->more++;
        return;
    }
    put(c, "%s%lld", c->named ? ", " : "", (long long)v);
    if (name && *name)
        put(c, " (%s)", name);
    c->named++;
}

/* The replaced versions of baseline b the database lacks, down to the
 * originals of a replaced baseline it has no row of, ascending: each given
 * to fn. */
static void each_lacking(const struct migc_schema *schema, int64_t b,
                         const struct ledger_rows *rows, lacking_fn *fn,
                         void *ctx, int depth)
{
    size_t n;
    const struct migc_squashed *sq = replaced(schema, &n);
    for (size_t i = 0; i < n; i++) {
        if (sq[i].baseline != b)
            continue;
        if (sq[i].version == b) { /* the original of b's own version */
            const struct ledger_row *r = record_find(rows, b);
            if (!r || r->state != ROW_APPLIED ||
                !baseline_original_row(schema, r))
                fn(ctx, &sq[i]);
            continue;
        }
        if (held(schema, sq[i].version, rows, 0))
            continue;
        int nested = 0;
        for (size_t k = 0; k < n && !nested; k++)
            nested = sq[k].baseline == sq[i].version;
        if (nested && !record_find(rows, sq[i].version) &&
            depth < NESTING_MAX)
            each_lacking(schema, sq[i].version, rows, fn, ctx, depth + 1);
        else
            fn(ctx, &sq[i]);
    }
}

static void name_lacking(void *ctx, const struct migc_squashed *sq)
{
    name_version(ctx, sq->version, sq->name);
}

static void lacking(const struct migc_schema *schema, int64_t b,
                    const struct ledger_rows *rows, struct clause *c)
{
    each_lacking(schema, b, rows, name_lacking, c, 0);
}

static void finish(struct clause *c)
{
    if (c->more)
        put(c, " and %zu more", c->more);
}

void baseline_lacking(const struct migc_schema *schema,
                      const struct migc_migration *m,
                      const struct ledger_rows *rows, char *buf, size_t size)
{
    struct clause c = {buf, size, 0, 0, 0};
    if (size)
        buf[0] = '\0';
    if (listed(schema, m)) {
        put(&c, "it lacks ");
        lacking(schema, m->version, rows, &c);
        finish(&c);
        return;
    }
    /* The versions of the range are unknown: name what it holds. */
    put(&c, "it holds ");
    for (size_t i = 0; i < rows->n; i++) {
        const struct ledger_row *r = &rows->rows[i];
        if (r->version >= m->squash_from && r->version <= m->squash_to &&
            r->state == ROW_APPLIED)
            name_version(&c, r->version, r->name);
    }
    if (c.named == 0 && c.more == 0)
        put(&c, "none applied");
    finish(&c);
    put(&c, " of %lld..%lld but not %lld, the last of the range; which "
            "versions the range held is unknown (the squash was locked "
            "without them)",
        (long long)m->squash_from, (long long)m->squash_to,
        (long long)m->squash_to);
}

/* The #retired record of baseline b (format 5), or NULL. */
static const struct migc_retired *retired(const struct migc_schema *schema,
                                          int64_t b)
{
    if (schema->format < 5)
        return NULL;
    for (size_t i = 0; schema->retired && i < schema->n_retired; i++)
        if (schema->retired[i].baseline == b)
            return &schema->retired[i];
    return NULL;
}

enum migc_code baseline_refuse_partial(const struct migc_schema *schema,
                                       const struct ledger_rows *rows,
                                       struct migc_error *err)
{
    for (size_t i = 0; i < schema->n_migrations; i++) {
        const struct migc_migration *m = &schema->migrations[i];
        if (baseline_cover(schema, m, rows) != BASELINE_PARTIAL)
            continue;
        char what[640];
        baseline_lacking(schema, m, rows, what, sizeof what);
        const struct migc_retired *r = retired(schema, m->version);
        if (r)
            migc_error_set(err, MIGC_ERR_PARTIAL_SQUASH,
                           "the database applied only part of the "
                           "migrations baseline %lld (%s) replaces: %s; "
                           "bring it through them with a build made before "
                           "baseline %lld's originals were retired (its "
                           "chain ended at version %lld), or apply them by "
                           "hand and record them in the ledger, then run "
                           "this one again",
                           (long long)m->version, m->name, what,
                           (long long)m->version, (long long)r->last);
        else
            migc_error_set(err, MIGC_ERR_PARTIAL_SQUASH,
                           "the database applied only part of the "
                           "migrations baseline %lld (%s) replaces: %s; "
                           "bring it through them with the last release "
                           "that still carries them (or apply them by hand "
                           "and record them in the ledger), then run this "
                           "one again",
                           (long long)m->version, m->name, what);
        if (err) {
            err->version = m->version;
            err->path = m->up.path;
        }
        return MIGC_ERR_PARTIAL_SQUASH;
    }
    return MIGC_OK;
}

/* ---- Crossing a baseline through its originals --------------------------- */

size_t baseline_crossing(const struct migc_schema *schema,
                         const struct migc_migration *m,
                         const struct ledger_rows *rows,
                         const struct migc_migration **out)
{
    struct carried c = {.schema = schema, .out = out};
    if (baseline_cover(schema, m, rows) != BASELINE_CROSS)
        return 0;
    each_lacking(schema, m->version, rows, take_carried, &c, 0);
    return c.n;
}

enum migc_code baseline_crossings(const struct migc_schema *schema,
                                  const struct ledger_rows *rows,
                                  const struct migc_migration ***out,
                                  size_t *n, struct migc_error *err)
{
    *out = NULL;
    *n = 0;
    size_t room = schema->format >= 5 ? schema->n_originals : 0;
    if (room == 0)
        return MIGC_OK;
    const struct migc_migration **list = malloc(room * sizeof *list);
    if (!list)
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    /* Baselines ascend and their ranges do not overlap: so do the lists. */
    for (size_t i = 0; i < schema->n_migrations; i++)
        *n += baseline_crossing(schema, &schema->migrations[i], rows,
                                list + *n);
    if (*n == 0) {
        free(list);
        return MIGC_OK;
    }
    *out = list;
    return MIGC_OK;
}

/* The replaced versions of baseline b, and how many the database holds. */
static void count_held(const struct migc_schema *schema, int64_t b,
                       const struct ledger_rows *rows, size_t *held_n,
                       size_t *total)
{
    size_t n;
    const struct migc_squashed *sq = replaced(schema, &n);
    *held_n = *total = 0;
    for (size_t i = 0; i < n; i++) {
        if (sq[i].baseline != b)
            continue;
        ++*total;
        if (sq[i].version == b) { /* the original of b's own version */
            const struct ledger_row *r = record_find(rows, b);
            *held_n += r && r->state == ROW_APPLIED &&
                       baseline_original_row(schema, r);
        } else {
            *held_n += held(schema, sq[i].version, rows, 0);
        }
    }
}

void baseline_describe(const struct migc_schema *schema,
                       const struct migc_migration *m,
                       const struct ledger_rows *rows, char *buf, size_t size)
{
    struct clause c = {buf, size, 0, 0, 0};
    if (size)
        buf[0] = '\0';
    const struct ledger_row *own = record_find(rows, m->version);
    if (!(m->flags & MIGC_MIGRATION_SQUASHES) ||
        (own && !baseline_original_row(schema, own)))
        return; /* it ran: its own row says so */
    switch (baseline_cover(schema, m, rows)) {
    case BASELINE_NONE:
        put(&c, "fresh: runs the baseline in place of %lld..%lld",
            (long long)m->squash_from, (long long)m->squash_to);
        return;
    case BASELINE_WHOLE:
        put(&c, "crossed: applied through its originals");
        return;
    case BASELINE_CROSS: {
        size_t h, total;
        count_held(schema, m->version, rows, &h, &total);
        put(&c, "part-way: %zu of %zu applied; will finish ", h, total);
        lacking(schema, m->version, rows, &c);
        finish(&c);
        put(&c, " from the archived originals");
        return;
    }
    case BASELINE_PARTIAL: {
        baseline_lacking(schema, m, rows, buf, size);
        const struct migc_retired *r = retired(schema, m->version);
        c.len = strlen(buf);
        if (r)
            put(&c, "; its originals were retired after version %lld",
                (long long)r->last);
        return;
    }
    }
}

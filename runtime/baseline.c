/* baseline.c: a baseline against the ledger: all, none or only part of the
 * released migrations it replaces applied. The list of those comes from
 * the lock file through the schema (format 4); a database that applied
 * only part of it would never get the rest, so it is refused. */
#include "baseline.h"

#include <stdarg.h>
#include <stdio.h>
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

const struct migc_squashed *baseline_original(const struct migc_schema *schema,
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
    const struct migc_squashed *o = baseline_original(schema, r->version);
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
    return held(schema, m->version, rows, 0) ? BASELINE_WHOLE
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
 * originals of a replaced baseline it has no row of. */
static void lacking(const struct migc_schema *schema, int64_t b,
                    const struct ledger_rows *rows, struct clause *c,
                    int depth)
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
                name_version(c, b, sq[i].name);
            continue;
        }
        if (held(schema, sq[i].version, rows, 0))
            continue;
        int nested = 0;
        for (size_t k = 0; k < n && !nested; k++)
            nested = sq[k].baseline == sq[i].version;
        if (nested && !record_find(rows, sq[i].version) &&
            depth < NESTING_MAX)
            lacking(schema, sq[i].version, rows, c, depth + 1);
        else
            name_version(c, sq[i].version, sq[i].name);
    }
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
        lacking(schema, m->version, rows, &c, 0);
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
        migc_error_set(err, MIGC_ERR_PARTIAL_SQUASH,
                       "the database applied only part of the migrations "
                       "baseline %lld (%s) replaces: %s; bring it through "
                       "them with the last release that still carries "
                       "them (or apply them by hand and record them in the "
                       "ledger), then run this one again",
                       (long long)m->version, m->name, what);
        if (err) {
            err->version = m->version;
            err->path = m->up.path;
        }
        return MIGC_ERR_PARTIAL_SQUASH;
    }
    return MIGC_OK;
}

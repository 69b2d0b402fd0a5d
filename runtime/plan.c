/* plan.c: the embedded schema compared with itself and with the ledger:
 * what to apply, and the verdicts on drift. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "error.h"
#include "foreign.h"
#include "pq.h"

enum migc_code plan_validate(const struct migc_schema *schema,
                             struct migc_error *err)
{
    if (!schema)
        return migc_error_set(err, MIGC_ERR_ARG, "no schema given");
    if (schema->format < MIGC_FORMAT_OLDEST ||
        schema->format > MIGC_FORMAT_VERSION)
        return migc_error_set(err, MIGC_ERR_FORMAT,
                              "schema %s was generated for data format %u, "
                              "this library reads formats %d to %d: "
                              "regenerate it",
                              schema->name ? schema->name : "?",
                              (unsigned)schema->format, MIGC_FORMAT_OLDEST,
                              MIGC_FORMAT_VERSION);
    for (size_t i = 1; i < schema->n_migrations; i++)
        if (schema->migrations[i - 1].version >= schema->migrations[i].version)
            return migc_error_set(err, MIGC_ERR_FORMAT,
                                  "schema %s is not in ascending version "
                                  "order at %lld",
                                  schema->name,
                                  (long long)schema->migrations[i].version);
    return MIGC_OK;
}

enum migc_code plan_open(struct session *s, struct pg_conn *conn,
                         const struct migc_schema *schema,
                         const struct migc_options *options,
                         struct migc_error *err)
{
    enum migc_code rc = plan_validate(schema, err);
    if (rc != MIGC_OK)
        return rc;
    if (!conn)
        return migc_error_set(err, MIGC_ERR_ARG, "no connection given");
    return session_begin(s, conn, options, err);
}

const struct migc_migration *plan_find(const struct migc_schema *schema,
                                       int64_t version)
{
    size_t lo = 0, hi = schema->n_migrations;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t v = schema->migrations[mid].version;
        if (v == version)
            return &schema->migrations[mid];
        if (v < version)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct migc_migration *plan_squasher(const struct migc_schema *schema,
                                           int64_t version)
{
    for (size_t i = 0; i < schema->n_migrations; i++) {
        const struct migc_migration *m = &schema->migrations[i];
        if ((m->flags & MIGC_MIGRATION_SQUASHES) && m->squash_from <= version &&
            version <= m->squash_to)
            return m;
    }
    return NULL;
}

enum migc_code plan_refuse_failed(struct migc_error *err,
                                  const struct migc_migration *m,
                                  int statement, const char *error)
{
    migc_error_set(err, MIGC_ERR_FAILED,
                   "migration %lld (%s) is recorded as failed at statement "
                   "%d: %s; fix the database, then run `resolve %lld`",
                   (long long)m->version, m->name, statement + 1, error,
                   (long long)m->version);
    if (err) {
        err->version = m->version;
        err->statement = statement;
        err->path = m->up.path;
    }
    return MIGC_ERR_FAILED;
}

enum migc_code plan_check_applied(struct session *s,
                                  const struct migc_migration *m,
                                  const char *checksum,
                                  const char *canonical,
                                  struct migc_report *rep,
                                  struct migc_error *err)
{
    if (strcmp(checksum, m->up.checksum) == 0)
        return MIGC_OK;
    int cosmetic = canonical[0] && m->up.canonical &&
                   strcmp(canonical, m->up.canonical) == 0;
    if (cosmetic && !(s->opts->flags & MIGC_OPT_STRICT)) {
        if (rep) {
            rep->cosmetic++;
            session_log(s, MIGC_LOG_WARNING,
                        "migration %lld (%s) differs from the applied one "
                        "only in whitespace, line endings or comments",
                        (long long)m->version, m->name);
        }
        return MIGC_OK;
    }
    migc_error_set(err, MIGC_ERR_CHECKSUM,
                   "migration %lld (%s) was applied with checksum %.12s, but "
                   "this binary embeds %.12s: a released migration was "
                   "edited%s",
                   (long long)m->version, m->name, checksum, m->up.checksum,
                   cosmetic ? " (only in whitespace, line endings or "
                              "comments)"
                            : "");
    if (err) {
        err->version = m->version;
        err->path = m->up.path;
    }
    return MIGC_ERR_CHECKSUM;
}

static enum migc_code refuse(struct migc_error *err, enum migc_code rc,
                             const struct ledger_row *r,
                             const struct migc_migration *m)
{
    if (err) {
        err->version = r->version;
        err->path = m ? m->up.path : NULL;
    }
    return rc;
}

/* The row at a baseline's version that took the version of an original
 * it replaced is neither's: its checksum is not the original's, and not
 * the baseline's (nor only a reformatting of it that plan_check_applied
 * lets through). */
static int neither(const struct session *s, const struct migc_schema *schema,
                   const struct migc_migration *m, const struct ledger_row *r)
{
    if (!baseline_replaced_at(schema, m->version) ||
        strcmp(r->checksum, m->up.checksum) == 0)
        return 0;
    return !(r->canonical[0] && m->up.canonical &&
             strcmp(r->canonical, m->up.canonical) == 0 &&
             !(s->opts->flags & MIGC_OPT_STRICT));
}

static enum migc_code refuse_neither(struct migc_error *err,
                                     const struct migc_schema *schema,
                                     const struct migc_migration *m,
                                     const struct ledger_row *r)
{
    const struct migc_squashed *o = baseline_replaced_at(schema, m->version);
    migc_error_set(err, MIGC_ERR_CHECKSUM,
                   "migration %lld was applied with checksum %.12s, but this "
                   "binary embeds %.12s for the baseline %lld (%s) and %.12s "
                   "for %s, the released migration of that version it "
                   "replaced: one of them was edited",
                   (long long)m->version, r->checksum, m->up.checksum,
                   (long long)m->version, m->name, o->checksum, o->name);
    if (err) {
        err->version = m->version;
        err->path = m->up.path;
    }
    return MIGC_ERR_CHECKSUM;
}

enum migc_code plan_verify(struct session *s,
                           const struct migc_schema *schema,
                           const struct ledger_rows *rows,
                           struct migc_report *rep,
                           struct migc_error *err)
{
    int strict = (s->opts->flags & MIGC_OPT_STRICT) != 0;
    int64_t newest = schema->n_migrations
                         ? schema->migrations[schema->n_migrations - 1].version
                         : INT64_MIN;
    for (size_t i = 0; i < rows->n; i++) {
        const struct ledger_row *r = &rows->rows[i];
        const struct migc_migration *m = plan_find(schema, r->version);
        if (!m && plan_squasher(schema, r->version)) {
            /* replaced by a baseline this binary carries; an archived
             * original that failed is retried only as one would be */
            const struct migc_migration *o = baseline_original(schema,
                                                               r->version);
            if (o && r->state == ROW_FAILED &&
                !plan_retryable(o, r->failed_statement, r->sqlstate))
                return plan_refuse_failed(err, o, r->failed_statement,
                                          r->error);
            /* applied: the released bytes the binary carries, or an
             * edit of them (a baseline counted over it would be wrong) */
            enum migc_code rc =
                o && r->state == ROW_APPLIED
                    ? plan_check_applied(s, o, r->checksum, r->canonical, rep,
                                         err)
                    : MIGC_OK;
            if (rc != MIGC_OK)
                return rc;
            continue;
        }
        if (m && baseline_original_row(schema, r))
            continue; /* the original the baseline of its version replaced */
        if (!m && r->version < newest)
            return refuse(err,
                          migc_error_set(
                              err, MIGC_ERR_LEDGER,
                              "the ledger holds version %lld (%s), which this "
                              "binary does not know, older than its newest "
                              "migration %lld: a migration was added out of "
                              "order or deleted",
                              (long long)r->version, r->name,
                              (long long)newest),
                          r, m);
        if (!m) {
            rep->ahead++;
            if (strict)
                return refuse(err,
                              migc_error_set(err, MIGC_ERR_AHEAD,
                                             "the database is ahead of this "
                                             "binary: it holds migration %lld "
                                             "(%s), newer than its newest "
                                             "%lld",
                                             (long long)r->version, r->name,
                                             (long long)newest),
                              r, m);
            session_log(s, MIGC_LOG_WARNING,
                        "the database is ahead of this binary: it holds "
                        "migration %lld (%s), newer than its newest %lld "
                        "(a rolled-back deploy?)",
                        (long long)r->version, r->name, (long long)newest);
            continue;
        }
        enum migc_code rc = MIGC_OK;
        if (neither(s, schema, m, r))
            rc = refuse_neither(err, schema, m, r);
        else if (r->state == ROW_FAILED &&
            !plan_retryable(m, r->failed_statement, r->sqlstate))
            rc = plan_refuse_failed(err, m, r->failed_statement, r->error);
        else
            rc = plan_check_applied(s, m, r->checksum, r->canonical, rep,
                                      err);
        if (rc != MIGC_OK)
            return rc;
    }
    return baseline_refuse_partial(schema, rows, err);
}

enum migc_code plan_refuse_reverting(const struct migc_schema *schema,
                                     const struct ledger_rows *rows,
                                     struct migc_error *err)
{
    for (size_t i = 0; i < rows->n; i++) {
        const struct ledger_row *r = &rows->rows[i];
        const struct migc_migration *m = plan_find(schema, r->version);
        if (r->state != ROW_REVERTING)
            continue;
        migc_error_set(err, MIGC_ERR_FAILED,
                       "migration %lld (%s) was being reverted and its down "
                       "script stopped after %d of %zu statements: run down "
                       "again to finish it",
                       (long long)r->version, r->name, r->down_completed,
                       m && m->down ? m->down->n_statements : (size_t)0);
        if (err)
            err->version = r->version;
        return MIGC_ERR_FAILED;
    }
    return MIGC_OK;
}

/* Still to apply: absent (and not covered, nor crossed through its
 * originals), running, or failed in a way a retry may get past
 * (plan_verify refused the others). */
static int to_apply(const struct migc_schema *schema,
                    const struct migc_migration *m,
                    const struct ledger_rows *rows)
{
    const struct ledger_row *r = record_find(rows, m->version);
    if (!r) {
        enum baseline_cover cover = baseline_cover(schema, m, rows);
        return cover != BASELINE_WHOLE && cover != BASELINE_CROSS;
    }
    return r->state != ROW_APPLIED;
}

enum migc_code plan_pending(const struct migc_schema *schema,
                            const struct ledger_rows *rows,
                            const struct migc_migration ***out, size_t *n,
                            struct migc_error *err)
{
    *out = NULL;
    *n = 0;
    const struct migc_migration **cross;
    size_t n_cross, k = 0;
    enum migc_code rc = baseline_crossings(schema, rows, &cross, &n_cross,
                                           err);
    if (rc != MIGC_OK)
        return rc;
    size_t count = n_cross;
    for (size_t i = 0; i < schema->n_migrations; i++)
        count += to_apply(schema, &schema->migrations[i], rows);
    if (count == 0)
        return MIGC_OK;
    const struct migc_migration **list = malloc(count * sizeof *list);
    if (!list) {
        free(cross);
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    }
    /* The originals a part-way database lacks run in version order among
     * the rest, before their baseline counts as applied. */
    for (size_t i = 0; i < schema->n_migrations; i++) {
        const struct migc_migration *m = &schema->migrations[i];
        while (k < n_cross && cross[k]->version <= m->version)
            list[(*n)++] = cross[k++];
        if (to_apply(schema, m, rows))
            list[(*n)++] = m;
    }
    while (k < n_cross)
        list[(*n)++] = cross[k++];
    free(cross);
    *out = list;
    return MIGC_OK;
}

size_t plan_packs_pending(const struct migc_schema *schema,
                          const struct ledger_rows *rows)
{
    size_t n = 0;
    for (size_t i = 0; i < schema->n_packs; i++) {
        const struct migc_pack *pk = &schema->packs[i];
        const struct pack_row *r = record_find_pack(rows, pk->name);
        n += !r || strcmp(r->checksum, pk->checksum) != 0;
    }
    return n;
}

/* SQLSTATEs a retry can get past. */
static int transient(const char *sqlstate)
{
    static const char *const classes[] = {"08", "40", "53", "57"};
    if (strcmp(sqlstate, "55P03") == 0) /* lock_not_available */
        return 1;
    for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
        if (strncmp(sqlstate, classes[i], 2) == 0)
            return 1;
    return 0;
}

int plan_retryable(const struct migc_migration *m, int statement,
                   const char *sqlstate)
{
    return statement >= 0 && (size_t)statement < m->up.n_statements &&
           (m->up.statements[statement].flags & MIGC_STMT_REPEATABLE) &&
           transient(sqlstate);
}

/* The foreign-ledger query (foreign.h) with its parameter in *tables. */
void plan_foreign_query(struct pq_query *q, char tables[512])
{
    if (foreign_default_tables(tables, 512) != 0)
        tables[0] = '\0';
    *q = (struct pq_query){.sql = foreign_find_sql, .n_params = 1};
    q->params[0] = tables;
}

/* Its rows: another tool's ledger is refused, naming `adopt`. */
enum migc_code plan_refuse_foreign_rows(struct session *s,
                                        const struct pg_result *r,
                                        struct migc_error *err)
{
    (void)s;
    for (int i = 0; r && i < pq_rows(r); i++) {
        enum foreign_tool t = foreign_classify(
            pq_value(r, i, 1), pq_value(r, i, 2), 0, FT_NONE);
        if (t == FT_NONE)
            continue;
        return migc_error_set(
            err, MIGC_ERR_LEDGER,
            "this database has no migc ledger but holds %s's ledger %s.%s: "
            "nothing was applied; run `adopt` to record what %s applied "
            "(`adopt --dry-run` shows the plan; `up --adopt` adopts, then "
            "applies)",
            foreign_tools[t].name, pq_value(r, i, 0), pq_value(r, i, 1),
            foreign_tools[t].name);
    }
    return MIGC_OK;
}

/* No migc ledger: is this database another tool's (foreign.h)? Then
 * applying migration 1 over the schema it built would fail or worse:
 * refused, naming `adopt`. One query, made only when the ledger is
 * absent (migc_migrate() reads it in the lock's round trip instead). */
enum migc_code plan_refuse_foreign(struct session *s,
                                   const struct ledger_rows *rows,
                                   struct migc_error *err)
{
    if (rows->exists)
        return MIGC_OK;
    char tables[512];
    struct pq_query q;
    plan_foreign_query(&q, tables);
    struct pg_result *r = pq_exec(&s->db, q.sql, q.n_params, q.params);
    if (!pq_has_rows(r)) {
        enum migc_code rc =
            pq_error(err, MIGC_ERR_QUERY, r, &s->db,
                     "cannot look for another tool's migration ledger");
        pq_clear(r);
        return rc;
    }
    enum migc_code rc = plan_refuse_foreign_rows(s, r, err);
    pq_clear(r);
    return rc;
}

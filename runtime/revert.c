/* revert.c: migc_down(): applied migrations reverted by their down
 * scripts, newest first (docs/ledger.md "Down").
 *
 * Everything that could stop the run is decided before anything runs: the
 * ledger is read and checked as for `up`, then every migration in the way
 * must be the binary's own, applied, not a baseline, and carry a down
 * script. Each is then reverted as `up` applies: in a transaction, the
 * migration lock taken and its row re-read in the first round trip, then
 * the timeouts, the down statements, the removal of its row and COMMIT in
 * one pipeline. A down script that runs outside a transaction runs
 * statement by statement; its row is removed in a locked transaction after
 * the last one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "baseline.h"
#include "error.h"
#include "plan.h"
#include "pq.h"
#include "record.h"
#include "session.h"
#include "sql.h"

/* What a query of a down pipeline is, beside a statement's index. */
enum { PART_REMOVE = -2, PART_COMMIT = -3 };

/* A migration in the way that cannot be reverted. */
static enum migc_code irreversible(struct migc_error *err, int64_t version,
                                   const char *why, const char *name)
{
    migc_error_set(err, MIGC_ERR_IRREVERSIBLE, "migration %lld (%s) %s",
                   (long long)version, name, why);
    if (err)
        err->version = version;
    return MIGC_ERR_IRREVERSIBLE;
}

/* Whether the migration recorded in row can be reverted: MIGC_OK with *m
 * the binary's own, or the refusal in err. */
static enum migc_code judge(const struct migc_schema *schema,
                            const struct ledger_row *row,
                            const struct migc_migration **m,
                            struct migc_error *err)
{
    char why[200];
    *m = plan_find(schema, row->version);
    const struct migc_migration *same = NULL; /* its baseline, same version */
    if (*m && baseline_original_row(schema, row)) {
        same = *m;
        *m = NULL;
    }
    if (row->state != ROW_APPLIED && row->state != ROW_REVERTING) {
        migc_error_set(err, MIGC_ERR_FAILED,
                       "migration %lld (%s) is recorded as %s: resolve it "
                       "before reverting past it",
                       (long long)row->version, row->name,
                       row->state == ROW_FAILED ? "failed" : "running");
        return MIGC_ERR_FAILED;
    }
    if (!*m) {
        const struct migc_migration *b =
            same ? same : plan_squasher(schema, row->version);
        if (b) {
            snprintf(why, sizeof why,
                     "is squashed into the baseline %lld (%s): a squash "
                     "cannot be undone",
                     (long long)b->version, b->name);
            return irreversible(err, row->version, why, row->name);
        }
        return irreversible(err, row->version,
                            "is not embedded in this binary (the database "
                            "is ahead of it): this binary has no down "
                            "script for it",
                            row->name);
    }
    if ((*m)->flags & MIGC_MIGRATION_SQUASHES) {
        snprintf(why, sizeof why,
                 "is a baseline (it squashes %lld..%lld): a squash cannot be "
                 "undone",
                 (long long)(*m)->squash_from, (long long)(*m)->squash_to);
        return irreversible(err, row->version, why, row->name);
    }
    if (!(*m)->down)
        return irreversible(err, row->version,
                            "has no down script: down cannot go past it",
                            row->name);
    return MIGC_OK;
}

/* The migrations to revert, newest first: the newest `steps` applied ones,
 * or every one above `to`. *out is malloc'd (NULL when none). */
static enum migc_code choose(const struct migc_schema *schema,
                             const struct ledger_rows *rows, size_t steps,
                             int64_t to, const struct migc_migration ***out,
                             size_t *n, struct migc_error *err)
{
    *out = NULL;
    *n = 0;
    const struct migc_migration **list =
        rows->n ? malloc(rows->n * sizeof *list) : NULL;
    if (rows->n && !list)
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    enum migc_code rc = MIGC_OK;
    for (size_t i = rows->n; rc == MIGC_OK && i-- > 0;) {
        const struct ledger_row *row = &rows->rows[i];
        if (steps ? *n == steps : row->version <= to)
            break;
        const struct migc_migration *m;
        rc = judge(schema, row, &m, err);
        if (rc == MIGC_OK)
            list[(*n)++] = m;
    }
    if (rc != MIGC_OK) {
        free(list);
        *n = 0;
        return rc;
    }
    *out = list;
    return MIGC_OK;
}

/* A pipeline of a down script that failed: the statement's place in the
 * down file, or what failed. */
static enum migc_code down_failure(struct session *s, const struct pipeline *p,
                                   const struct batch *b,
                                   const struct migc_migration *m,
                                   struct migc_error *err)
{
    if (pq_conn_lost(&s->db))
        return pq_error(err, MIGC_ERR_CONNECT, NULL, &s->db,
                        "connection lost while reverting the migration (its "
                        "transaction did not commit)");
    const struct pq_query *f = pipeline_failed(p, b->q);
    if (f && f->part >= 0 && pipeline_error(p))
        return apply_statement_error(err, m, m->down, f->part,
                                     pipeline_error(p), p->error_position);
    return pq_error(err, MIGC_ERR_QUERY, pipeline_error(p), &s->db,
                    "cannot revert the migration");
}

/* In the locked transaction of record_lock_row: the down statements (unless
 * they already ran outside it), the removal of m's row and COMMIT, in one
 * round trip. */
static enum migc_code remove_row(struct session *s,
                                 const struct migc_migration *m,
                                 int with_statements, struct migc_error *err)
{
    struct sql del = SQL_INIT;
    struct batch b = {0};
    struct row_text text;
    record_removed_sql(s, &del);
    if (with_statements) {
        apply_add_timeouts(&b, s, m);
        for (size_t i = 0; i < m->down->n_statements; i++) {
            struct pq_query *q = batch_add(&b, m->down->statements[i].sql);
            if (q) {
                q->owner = m;
                q->part = (int)i;
            }
        }
    }
    struct pq_query *q = batch_add(&b, sql_text(&del));
    if (q) {
        record_removed_params(q, m, &text);
        q->part = PART_REMOVE;
    }
    q = batch_add(&b, "COMMIT");
    if (q)
        q->part = PART_COMMIT;
    enum migc_code rc = MIGC_OK;
    if (b.nomem || del.nomem) {
        rc = migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    } else {
        struct pipeline p;
        struct watch w = {.s = s, .q = b.q, .n = b.n, .one = m, .down = 1};
        apply_watch(&w);
        int failed = pipeline_run(&s->db, b.q, b.n, &p);
        apply_unwatch(s);
        if (failed)
            rc = down_failure(s, &p, &b, m, err);
        pipeline_clear(&p);
    }
    batch_free(&b);
    sql_free(&del);
    return rc;
}

/* The migration lock and m's row, which must still be applied (or being
 * reverted, by no live run but this one). */
static enum migc_code lock_applied(struct session *s,
                                   const struct migc_migration *m,
                                   struct migc_error *err)
{
    struct ledger_check row;
    enum migc_code rc = record_lock_row(s, m->version, &row, err);
    if (rc != MIGC_OK)
        return rc;
    if (row.state != ROW_APPLIED && row.state != ROW_REVERTING)
        rc = migc_error_set(err, MIGC_ERR_LEDGER,
                            "migration %lld (%s) is no longer recorded as "
                            "applied: another process changed the ledger "
                            "while down ran",
                            (long long)m->version, m->name);
    else if (row.state == ROW_REVERTING && row.holder_alive &&
             strcmp(row.holder, s->holder) != 0)
        rc = migc_error_set(err, MIGC_ERR_RUNNING,
                            "migration %lld (%s) is being reverted by "
                            "another process",
                            (long long)m->version, m->name);
    record_check_clear(&row);
    if (rc != MIGC_OK)
        pq_rollback(&s->db);
    return rc;
}

/* A down script that runs outside a transaction: statement by statement,
 * the row marked reverting with its progress (a failure stops it there,
 * recorded; the next down resumes after the last statement done), then the
 * row's removal. A ledger an older runtime wrote (*outdated) gains its
 * columns first, once: the ALTER TABLE takes the ledger's ACCESS EXCLUSIVE
 * lock, which would queue every service's check behind it. */
static enum migc_code revert_outside(struct session *s,
                                     const struct migc_migration *m,
                                     int *outdated, struct migc_error *err)
{
    int start = 0;
    enum migc_code rc = *outdated ? record_create(s, NULL, NULL, err) : MIGC_OK;
    if (rc == MIGC_OK) {
        *outdated = 0;
        rc = lock_applied(s, m, err);
    }
    if (rc == MIGC_OK)
        rc = record_down_claim(s, m, &start, err);
    pq_rollback(&s->db);
    size_t n = m->down->n_statements;
    for (size_t i = (size_t)start; rc == MIGC_OK && i < n; i++) {
        struct watch w = {.s = s, .m = m, .part = (int)i, .down = 1};
        apply_watch(&w);
        struct pg_result *res =
            pq_exec(&s->db, m->down->statements[i].sql, 0, NULL);
        apply_unwatch(s);
        if (!pq_ok(res) && pq_conn_lost(&s->db)) {
            rc = pq_error(err, MIGC_ERR_CONNECT, res, &s->db,
                          "connection lost");
        } else if (!pq_ok(res)) {
            struct migc_error own = MIGC_ERROR_INIT;
            rc = apply_statement_error(&own, m, m->down, (int)i, res,
                                       pq_position(res));
            pq_rollback(&s->db); /* a failure inside the script's BEGIN */
            record_down_failure(s, m, own.sqlstate, own.message, NULL);
            if (err && !migc_error_isset(err))
                *err = own;
        } else if (i + 1 < n) {
            rc = record_down_progress(s, m, i + 1, err);
        }
        pq_clear(res);
    }
    if (rc == MIGC_OK)
        rc = lock_applied(s, m, err);
    if (rc == MIGC_OK)
        rc = remove_row(s, m, 0, err);
    pq_rollback(&s->db);
    return rc;
}

static enum migc_code revert(struct session *s, const struct migc_migration *m,
                             int *outdated, int64_t *duration_us,
                             struct migc_error *err)
{
    int64_t t0 = pq_now_ms();
    enum migc_code rc;
    if (m->down->flags & MIGC_SCRIPT_NO_TRANSACTION) {
        rc = revert_outside(s, m, outdated, err);
    } else {
        rc = lock_applied(s, m, err);
        if (rc == MIGC_OK)
            rc = remove_row(s, m, 1, err);
        pq_rollback(&s->db);
    }
    *duration_us = (pq_now_ms() - t0) * 1000;
    if (rc != MIGC_OK && err && !err->version)
        err->version = m->version;
    return rc;
}

static enum migc_code down(struct pg_conn *conn,
                           const struct migc_schema *schema,
                           const struct migc_options *options, size_t steps,
                           int64_t to_version, struct migc_report *rep,
                           struct migc_error *error)
{
    if (to_version < 0)
        return migc_error_set(error, MIGC_ERR_ARG,
                              "no version below 0 to revert to");
    struct session s;
    enum migc_code rc = plan_open(&s, conn, schema, options, error);
    if (rc != MIGC_OK)
        return rc;
    struct ledger_rows rows;
    const struct migc_migration **list = NULL;
    size_t n = 0;
    rc = record_read(&s, LEDGER_READ_DECIDE, &rows, error);
    if (rc == MIGC_OK)
        rc = plan_verify(&s, schema, &rows, rep, error);
    if (rc == MIGC_OK)
        rc = choose(schema, &rows, steps, to_version, &list, &n, error);
    for (size_t i = 0; rc == MIGC_OK && i < n; i++) {
        int64_t us = 0;
        session_emit(&s, MIGC_EVENT_REVERTING, list[i], NULL, 0, i + 1, n);
        rc = revert(&s, list[i], &rows.outdated, &us, error);
        if (rc == MIGC_OK) {
            rep->applied++;
            session_emit(&s, MIGC_EVENT_REVERTED, list[i], NULL, us, i + 1,
                         n);
        }
    }
    free(list);
    record_rows_free(&rows);
    rep->round_trips = s.db.round_trips;
    rep->waited_ms = s.waited_ms;
    session_end(&s);
    return rc;
}

enum migc_code migc_down(struct pg_conn *conn, const struct migc_schema *schema,
                         const struct migc_options *options, size_t steps,
                         int64_t to_version, struct migc_report *report,
                         struct migc_error *error)
{
    struct session_args a;
    enum migc_code rc = session_args_in(&a, options, report, error);
    if (rc == MIGC_OK)
        rc =
            down(conn, schema, &a.options, steps, to_version, &a.report, a.err);
    session_args_out(&a, report, error);
    return rc;
}

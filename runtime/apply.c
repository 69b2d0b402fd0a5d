/* apply.c: applying migrations (docs/ledger.md).
 *
 * In a transaction: one round trip (pipeline mode) sends BEGIN, the lock's
 * try and the check that the ledger has no row of the migration, the
 * timeouts, every statement as its own message, the ledger row and COMMIT.
 * The try and the check fail on the server when they do not hold, so the
 * server skips the rest; the client then waits for the lock, or reads the
 * row another process wrote. A failure leaves nothing behind. Every commit
 * but the run's last is asynchronous (group commit).
 *
 * Outside a transaction: the ledger row is written first, as running, with
 * this run's name; each statement runs alone and the row's count of
 * completed statements moves after each. A failure is recorded on the row;
 * a process that dies leaves the row running, and the next run takes it
 * over once no server process runs for it any more. */
#include "apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lock.h"
#include "plan.h"
#include "pq.h"
#include "record.h"
#include "sql.h"

/* What a query of a migration's pipeline is (struct pq_query's part): a
 * statement's index, or one of these. */
enum {
    PART_TIMEOUT = -1,
    PART_RECORD = -2, /* its ledger row */
    PART_COMMIT = -3,
    PART_BEGIN = -4,
    PART_LOCK = -5,  /* the lock's try (lock_try_sql) */
    PART_CHECK = -6  /* the check that the ledger has no row of it */
};

static enum migc_code nomem(struct migc_error *err)
{
    return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
}

/* The query of w's pipeline the server is running: the first from index
 * on whose text the lock holder's activity begins (the server may have cut
 * it short), or -1 when the server cannot say. The results of a pipeline
 * come at its sync, so only the server knows how far it got. */
static int running_query(const struct watch *w, int index)
{
    struct sql act = SQL_INIT;
    int found = -1;
    const char *a = lock_activity(w->s, &act) == 0 ? sql_text(&act) : NULL;
    size_t len = a ? strlen(a) : 0;
    for (size_t j = (size_t)index; len > 0 && found < 0 && j < w->n; j++)
        if (strncmp(w->q[j].sql, a, len) == 0)
            found = (int)j;
    sql_free(&act);
    return found;
}

int apply_run(struct session *s, const struct pq_query *q, size_t n,
              struct pipeline *p)
{
    return s->script ? script_run(&s->db, q, n, p)
                     : pipeline_run(&s->db, q, n, p);
}

/* pq_wait_fn: the statement the server has been on for a while. */
static void still_running(void *ctx, int index, int64_t waited_ms)
{
    const struct watch *w = ctx;
    const char *doing = w->down ? "reverting" : "applying";
    double secs = (double)waited_ms / 1000.0;
    const struct pq_query *q = NULL;
    if (w->q && !w->s->script) { /* a query string: the server cannot say */
        int at = running_query(w, index);
        q = at >= 0 ? &w->q[at] : NULL;
    }
    const struct migc_migration *m = q ? q->owner : w->q ? w->one : w->m;
    int part = q ? q->part : w->q ? -1 : w->part;
    const struct migc_script *sc = m && w->down ? m->down : m ? &m->up : NULL;
    if (!sc || part < 0 || (size_t)part >= sc->n_statements) {
        /* Between statements, or the server could not be asked: what is
         * known. */
        if (m)
            session_log(w->s, MIGC_LOG_INFO, "still %s %s after %.1f s",
                        doing, m->name, secs);
        else
            session_log(w->s, MIGC_LOG_INFO,
                        "still %s the migrations after %.1f s", doing, secs);
        return;
    }
    const struct migc_statement *st = &sc->statements[part];
    session_log(w->s, MIGC_LOG_INFO,
                "still %s %s after %.1f s: running the statement at %s:%u:%u",
                doing, m->name, secs, sc->path, st->line, st->column);
}

void apply_watch(struct watch *w)
{
    int64_t every = w->s->opts->progress_ms;
    if (every < 0 || !w->s->opts->log)
        return;
    w->s->db.on_wait = still_running;
    w->s->db.wait_ctx = w;
    w->s->db.tick_ms = every > 0 ? every : 5000;
}

void apply_unwatch(struct session *s)
{
    s->db.on_wait = NULL;
    s->db.wait_ctx = NULL;
}

/* Server error position (1-based characters into the statement) to a
 * position in the source file. */
static void map_position(const struct migc_statement *st, long pos,
                         uint32_t *line, uint32_t *col)
{
    uint32_t l = st->line, c = st->column;
    long chars = 0;
    for (size_t i = 0; i < st->len && chars < pos - 1; i++) {
        unsigned char b = (unsigned char)st->sql[i];
        if ((b & 0xC0) == 0x80)
            continue;
        chars++;
        if (b == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* A failed statement as path:line:col: SQLSTATE message, with DETAIL and
 * HINT, into err (first error wins). */
enum migc_code apply_statement_error(struct migc_error *err,
                                     const struct migc_migration *m,
                                     const struct migc_script *sc, int index,
                                     const struct pg_result *res,
                                     long position)
{
    if (!err || migc_error_isset(err))
        return MIGC_ERR_MIGRATION;
    const struct migc_statement *st = &sc->statements[index];
    uint32_t line, col;
    map_position(st, position, &line, &col);
    const char *msg = pq_message(res);
    migc_error_set(err, MIGC_ERR_MIGRATION, "%s:%u:%u: %s %s", sc->path, line,
                   col, pq_sqlstate(res), msg ? msg : "statement failed");
    pq_error_fields(err, res);
    err->version = m->version;
    err->statement = index;
    err->path = sc->path;
    err->line = line;
    err->column = col;
    return MIGC_ERR_MIGRATION;
}

static enum migc_code statement_error(struct migc_error *err,
                                      const struct migc_migration *m,
                                      int index, const struct pg_result *res)
{
    return apply_statement_error(err, m, &m->up, index, res,
                                 pq_position(res));
}

/* A pipeline of migrations that failed: the statement's source position,
 * or what failed (what_timeouts for a timeout, what for the rest). */
static enum migc_code pipeline_failure(struct session *s,
                                       const struct pipeline *p,
                                       const struct batch *b, const char *lost,
                                       const char *what_timeouts,
                                       const char *what,
                                       struct migc_error *err)
{
    if (pq_conn_lost(&s->db))
        return pq_error(err, MIGC_ERR_CONNECT, NULL, &s->db, lost);
    const struct pq_query *f = pipeline_failed(p, b->q);
    if (f && f->part >= 0 && pipeline_error(p)) {
        const struct migc_migration *m = f->owner;
        return apply_statement_error(err, m, &m->up, f->part,
                                     pipeline_error(p), p->error_position);
    }
    return pq_error(err, MIGC_ERR_QUERY, pipeline_error(p), &s->db,
                    f && f->part == PART_TIMEOUT ? what_timeouts : what);
}

static const char *timeout_of(const char *own, const char *run)
{
    if (own && *own)
        return own;
    return run && *run ? run : NULL;
}

/* Append a set_config() of a timeout local to m's transaction, when value
 * is set. */
static void add_timeout(struct batch *b, const char *set, const char *value,
                        const struct migc_migration *m)
{
    struct pq_query *q = value ? batch_add(b, set) : NULL;
    if (!q)
        return;
    q->n_params = 1;
    q->params[0] = value;
    q->owner = m;
    q->part = PART_TIMEOUT;
}

void apply_add_timeouts(struct batch *b, const struct session *s,
                        const struct migc_migration *m)
{
    add_timeout(b, "SELECT set_config('lock_timeout', $1, true)",
                timeout_of(m->lock_timeout, s->opts->lock_timeout), m);
    add_timeout(b, "SELECT set_config('statement_timeout', $1, true)",
                timeout_of(m->statement_timeout, s->opts->statement_timeout),
                m);
}

/* Append m's timeouts and statements to a pipeline being built. */
static void add_migration(struct batch *b, const struct session *s,
                          const struct migc_migration *m)
{
    apply_add_timeouts(b, s, m);
    /* The data holds statements NUL-terminated too (string literals),
     * which libpq needs. */
    for (size_t i = 0; i < m->up.n_statements; i++) {
        struct pq_query *q = batch_add(b, m->up.statements[i].sql);
        if (q) {
            q->owner = m;
            q->part = (int)i;
        }
    }
}

/* Append m's ledger row (the INSERT's text in insert) to a pipeline. */
static void add_record(struct batch *b, const struct sql *insert,
                       const struct migc_migration *m, const char *started,
                       struct row_text *t)
{
    struct pq_query *q = batch_add(b, sql_text(insert));
    if (!q)
        return;
    record_applied_params(q, m, started, t);
    q->owner = m;
    q->part = PART_RECORD;
}

static void add_commit(struct batch *b)
{
    struct pq_query *q = batch_add(b, "COMMIT");
    if (q)
        q->part = PART_COMMIT;
}

/* ---- In a transaction -------------------------------------------------- */

/* Another process recorded m first: applied (its checksum checked), or
 * refused. A row left running reads as failed at its first statement. */
static enum migc_code recorded_first(struct session *s,
                                     const struct migc_migration *m,
                                     const struct ledger_check *row,
                                     struct migc_error *err)
{
    if (row->state == ROW_APPLIED)
        return plan_check_applied(s, m, row->checksum, row->canonical, NULL,
                                  err);
    return plan_refuse_failed(
        err, m, row->failed_statement >= 0 ? row->failed_statement : 0,
        row->error);
}

/* m's row, found by the check in its pipeline: read under the lock (two
 * round trips, as rare as two processes racing for one migration) and
 * decided on. *again when the row went away meanwhile (down, resolve). */
static enum migc_code found_recorded(struct session *s,
                                     const struct migc_migration *m,
                                     int *again, struct migc_error *err)
{
    struct ledger_check row;
    enum migc_code rc = record_lock_row(s, m->version, &row, err);
    if (rc != MIGC_OK)
        return rc;
    if (row.state == ROW_ABSENT)
        *again = 1;
    else
        rc = recorded_first(s, m, &row, err);
    record_check_clear(&row);
    pq_rollback(&s->db);
    return rc;
}

/* What failed in a migration's own pipeline, when not a statement. */
static const char *inside_what(const struct pq_query *f)
{
    switch (f ? f->part : 0) {
    case PART_TIMEOUT: return "cannot set the migration's timeouts";
    case PART_BEGIN:
    case PART_LOCK: return "cannot lock the migration ledger";
    case PART_CHECK: return "cannot read the migration's ledger row";
    default: return "cannot record the migration";
    }
}

/* Run m's pipeline (b) until it commits, the lock is found taken (pause,
 * then again), m's row is found (decided by found_recorded), or it fails. */
static enum migc_code run_inside(struct session *s,
                                 const struct migc_migration *m,
                                 const struct batch *b, int *applied,
                                 int64_t *duration_us, struct migc_error *err)
{
    struct waiter w = {0};
    for (;;) {
        int64_t t0 = pq_now_ms();
        struct pipeline p;
        struct watch watch = {.s = s, .q = b->q, .n = b->n, .one = m};
        apply_watch(&watch);
        int failed = apply_run(s, b->q, b->n, &p);
        apply_unwatch(s);
        *duration_us = (pq_now_ms() - t0) * 1000;
        if (!failed) {
            pipeline_clear(&p);
            *applied = 1;
            s->unflushed = s->async_commit;
            return MIGC_OK;
        }
        const struct pq_query *f = pipeline_failed(&p, b->q);
        const struct pg_result *res = pipeline_error(&p);
        int busy = f && f->part == PART_LOCK && lock_busy(res);
        int found = f && f->part == PART_CHECK && record_found(res);
        enum migc_code rc = MIGC_OK;
        if (!busy && !found) {
            rc = pipeline_failure(s, &p, b,
                                  "connection lost while applying the "
                                  "migration (its transaction did not "
                                  "commit)",
                                  inside_what(f), inside_what(f), err);
            if (err && !err->version)
                err->version = m->version;
        }
        pipeline_clear(&p);
        pq_rollback(&s->db);
        if (!busy && !found)
            return rc;
        int again = 0;
        rc = busy ? lock_wait_turn(s, &w, err)
                  : found_recorded(s, m, &again, err);
        if (rc != MIGC_OK || (found && !again))
            return rc;
    }
}

/* One round trip: BEGIN, the lock's try and the check that m has no row
 * (each failing on the server when it does not hold, which skips the rest
 * of the pipeline), the timeouts, the statements, the row and COMMIT. */
static enum migc_code apply_inside(struct session *s,
                                   const struct migc_migration *m,
                                   int *applied, int64_t *duration_us,
                                   struct migc_error *err)
{
    struct sql lock = SQL_INIT, check = SQL_INIT, insert = SQL_INIT;
    lock_try_sql(s, s->async_commit, &lock);
    record_absent_sql(s, &check);
    record_applied_sql(s, &insert);
    struct batch b = {0};
    struct row_text text;
    struct pq_query *q = batch_add(&b, "BEGIN");
    if (q)
        q->part = PART_BEGIN;
    if ((q = batch_add(&b, sql_text(&lock))) != NULL)
        q->part = PART_LOCK;
    if ((q = batch_add(&b, sql_text(&check))) != NULL) {
        q->part = PART_CHECK;
        q->n_params = 1;
        q->params[0] = text.version; /* filled by add_record */
    }
    add_migration(&b, s, m);
    add_record(&b, &insert, m, NULL, &text);
    add_commit(&b);
    enum migc_code rc;
    if (b.nomem || lock.nomem || check.nomem || insert.nomem)
        rc = nomem(err);
    else
        rc = run_inside(s, m, &b, applied, duration_us, err);
    batch_free(&b);
    sql_free(&lock);
    sql_free(&check);
    sql_free(&insert);
    return rc;
}

void apply_flush(struct session *s)
{
    if (!s->unflushed || !pq_conn_ok(s->db.pg))
        return;
    pq_rollback(&s->db);
    /* An xid makes the commit write a record, and a synchronous commit
     * flushes the WAL up to it: every earlier commit with it. */
    pq_clear(pq_exec(&s->db, "SELECT txid_current()", 0, NULL));
    s->unflushed = 0;
}

/* ---- Outside a transaction --------------------------------------------- */

/* Whether a server process (another than ours) is running the statement:
 * pg_stat_activity shows the text as sent, maybe cut short. */
static int statement_running(struct session *s, const struct migc_statement *st)
{
    const char *params[1] = {st->sql};
    struct pg_result *res = pq_exec(
        &s->db,
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
        " AND pid <> pg_backend_pid() AND query <> ''"
        " AND starts_with($1, query)",
        1, params);
    int running = pq_has_rows(res) && atoi(pq_value(res, 0, 0)) > 0;
    pq_clear(res);
    return running;
}

/* The verdict on m's row found by claim(): MIGC_OK to take it over (a dead
 * holder's, or a retryable failure), MIGC_ERR_RUNNING to wait for it, *done
 * when it is applied, or a refusal. */
static enum migc_code claimable(struct session *s,
                                const struct migc_migration *m,
                                const struct ledger_check *row, int *done,
                                struct migc_error *err)
{
    if (row->state == ROW_APPLIED) {
        *done = 1;
        return plan_check_applied(s, m, row->checksum, row->canonical, NULL,
                                  err);
    }
    if (row->state == ROW_FAILED &&
        !plan_retryable(m, row->failed_statement, row->sqlstate))
        return plan_refuse_failed(err, m, row->failed_statement, row->error);
    if (row->state == ROW_RUNNING && row->holder_alive)
        return MIGC_ERR_RUNNING; /* its holder works on it: wait */
    if (row->state == ROW_RUNNING && row->completed >= 0 &&
        (size_t)row->completed < m->up.n_statements &&
        statement_running(s, &m->up.statements[row->completed]))
        return MIGC_ERR_RUNNING; /* its statement still runs */
    return MIGC_OK;
}

/* The line for a row claimable() let this run take. */
static void tell_take_over(struct session *s, const struct migc_migration *m,
                           const struct ledger_check *row)
{
    if (row->state == ROW_FAILED)
        session_log(s, MIGC_LOG_INFO,
                    "retrying migration %lld (%s) at statement %d, which "
                    "failed with SQLSTATE %s and is safe to repeat",
                    (long long)m->version, m->name, row->failed_statement + 1,
                    row->sqlstate);
    else
        session_log(s, MIGC_LOG_INFO,
                    "taking over migration %lld (%s) at statement %d of %zu, "
                    "left part-way by %s",
                    (long long)m->version, m->name, row->completed + 1,
                    m->up.n_statements,
                    *row->holder ? row->holder : "a resolved failure");
}

/* Take the migration's row for this run: create it (start 0), or take over
 * a row left by a dead process or a failure that may be retried (start at
 * its completed count, *resume 1). *done when it is applied already. */
static enum migc_code claim(struct session *s, const struct migc_migration *m,
                            int *start, int *resume, int *done,
                            struct migc_error *err)
{
    struct waiter w = {0};
    int told = 0;
    for (;;) {
        struct ledger_check row;
        enum migc_code rc = record_lock_row(s, m->version, &row, err);
        if (rc != MIGC_OK)
            return rc;
        int completed = row.completed, taken = 1;
        if (row.state == ROW_ABSENT) {
            rc = record_claim(s, m, row.clock, err);
            *start = 0;
            *resume = 0;
        } else {
            rc = claimable(s, m, &row, done, err);
            if (rc == MIGC_OK && !*done) {
                rc = record_take_over(s, m, &row, &taken, err);
                if (rc == MIGC_OK && taken)
                    tell_take_over(s, m, &row);
                *start = completed;
                *resume = 1;
            }
        }
        record_check_clear(&row);
        pq_rollback(&s->db);
        if (rc == MIGC_OK && !taken)
            continue; /* it changed since the read: read it again */
        if (rc != MIGC_ERR_RUNNING)
            return rc;
        if (!told) {
            told = 1;
            session_log(s, MIGC_LOG_INFO,
                        "waiting for migration %lld (%s), which %s is "
                        "applying outside a transaction (statement %d of %zu)",
                        (long long)m->version, m->name, "another process",
                        completed + 1, m->up.n_statements);
        }
        char what[320];
        snprintf(what, sizeof what,
                 "migration %lld (%s), which another process is applying",
                 (long long)m->version, m->name);
        if ((rc = waiter_pause(s, &w, what, err)) != MIGC_OK)
            return rc;
    }
}

/* Resuming at a statement whose earlier run may have done all, part or
 * none of its work: an index it builds that exists and is valid is done (1
 * returned); an INVALID one is dropped by its cleanup first. The cleanup
 * never runs when the index is absent or valid: it would drop an index
 * that is not a failed build's leftover. */
static int prepare_resume(struct session *s, const struct migc_statement *st,
                          struct migc_error *err, enum migc_code *rc)
{
    *rc = MIGC_OK;
    if (!st->index)
        return 0;
    const char *params[1] = {st->index};
    struct pg_result *res = pq_exec(&s->db,
                                    "SELECT indisvalid FROM pg_index WHERE"
                                    " indexrelid = to_regclass($1)",
                                    1, params);
    int found = pq_has_rows(res) && pq_rows(res) == 1;
    int valid = found && pq_value(res, 0, 0)[0] == 't';
    pq_clear(res);
    if (valid)
        return 1;
    if (found && st->cleanup) {
        res = pq_exec(&s->db, st->cleanup, 0, NULL);
        if (!pq_ok(res))
            *rc = pq_error(err, MIGC_ERR_QUERY, res, &s->db,
                           "cannot drop the INVALID index a failed build "
                           "left");
        pq_clear(res);
    }
    return 0;
}

/* After a failed CREATE INDEX CONCURRENTLY: name the INVALID index it left
 * and the statement that clears it, in the error's hint. */
static void explain_invalid_index(struct session *s,
                                  const struct migc_statement *st,
                                  const struct migc_migration *m, int index,
                                  struct migc_error *err)
{
    if (!st->index || !err)
        return;
    const char *params[1] = {st->index};
    struct pg_result *res = pq_exec(&s->db,
                                    "SELECT indisvalid FROM pg_index WHERE"
                                    " indexrelid = to_regclass($1)",
                                    1, params);
    if (pq_has_rows(res) && pq_rows(res) == 1 &&
        pq_value(res, 0, 0)[0] == 'f') {
        char hint[sizeof err->hint + 512];
        snprintf(hint, sizeof hint,
                 "the failed build left the index %s INVALID; clear it with "
                 "`%s;`, then run `resolve %lld` (statement %d is then "
                 "retried)%s%s",
                 st->index,
                 st->cleanup ? st->cleanup : "DROP INDEX CONCURRENTLY",
                 (long long)m->version, index + 1, err->hint[0] ? "; " : "",
                 err->hint);
        snprintf(err->hint, sizeof err->hint, "%.*s",
                 (int)sizeof err->hint - 1, hint);
    }
    pq_clear(res);
}

/* The session's timeouts around a script run outside a transaction: set
 * for the session, and restored after. */
static enum migc_code session_timeouts(struct session *s,
                                       const struct migc_migration *m,
                                       char saved[2][64], int restore,
                                       struct migc_error *err)
{
    const char *lt = timeout_of(m->lock_timeout, s->opts->lock_timeout);
    const char *st = timeout_of(m->statement_timeout,
                                s->opts->statement_timeout);
    if (!lt && !st)
        return MIGC_OK;
    const char *params[2];
    struct pg_result *res;
    if (restore) {
        params[0] = saved[0];
        params[1] = saved[1];
        res = pq_exec(&s->db,
                      "SELECT set_config('lock_timeout', $1, false),"
                      " set_config('statement_timeout', $2, false)",
                      2, params);
    } else {
        params[0] = lt ? lt : "";
        params[1] = st ? st : "";
        res = pq_exec(&s->db,
                      "SELECT current_setting('lock_timeout'),"
                      " current_setting('statement_timeout'),"
                      " set_config('lock_timeout', coalesce(nullif($1, ''),"
                      " current_setting('lock_timeout')), false),"
                      " set_config('statement_timeout', coalesce(nullif($2,"
                      " ''), current_setting('statement_timeout')), false)",
                      2, params);
        if (pq_has_rows(res)) {
            snprintf(saved[0], 64, "%s", pq_value(res, 0, 0));
            snprintf(saved[1], 64, "%s", pq_value(res, 0, 1));
        }
    }
    enum migc_code rc = MIGC_OK;
    if (!pq_ok(res))
        rc = pq_error(err, MIGC_ERR_QUERY, res, &s->db,
                      "cannot set the migration's timeouts");
    pq_clear(res);
    return rc;
}

/* Run m's statements from start, the row's progress recorded after each.
 * A failing statement: *failed_at and its result in *failure. */
static enum migc_code run_statements(struct session *s,
                                     const struct migc_migration *m,
                                     int start, int resume, int *failed_at,
                                     struct pg_result **failure,
                                     struct migc_error *err)
{
    enum migc_code rc = MIGC_OK;
    size_t n = m->up.n_statements;
    for (size_t i = (size_t)start; rc == MIGC_OK && i < n; i++) {
        const struct migc_statement *st = &m->up.statements[i];
        int skip = 0;
        if (resume && i == (size_t)start)
            skip = prepare_resume(s, st, err, &rc);
        if (rc != MIGC_OK)
            break;
        if (!skip) {
            struct watch w = {.s = s, .m = m, .part = (int)i};
            apply_watch(&w);
            struct pg_result *res = pq_exec(&s->db, st->sql, 0, NULL);
            apply_unwatch(s);
            if (!pq_ok(res)) {
                *failed_at = (int)i;
                *failure = res;
                break;
            }
            pq_clear(res);
        }
        if (i + 1 < n)
            rc = record_progress(s, m, i + 1, err);
    }
    return rc;
}

static enum migc_code run_outside(struct session *s,
                                  const struct migc_migration *m,
                                  int *applied, int64_t *duration_us,
                                  struct migc_error *err)
{
    int start = 0, resume = 0, done = 0;
    enum migc_code rc = claim(s, m, &start, &resume, &done, err);
    if (rc != MIGC_OK || done)
        return rc;
    s->unflushed = 0; /* the claim's commit was synchronous */

    char saved[2][64] = {"", ""};
    rc = session_timeouts(s, m, saved, 0, err);
    int64_t t0 = pq_now_ms();
    int failed_at = -1;
    struct pg_result *failure = NULL;
    if (rc == MIGC_OK)
        rc = run_statements(s, m, start, resume, &failed_at, &failure, err);
    *duration_us = (pq_now_ms() - t0) * 1000;
    if (failure) {
        if (pq_conn_lost(&s->db))
            rc = pq_error(err, MIGC_ERR_CONNECT, failure, &s->db,
                          "connection lost");
        else
            rc = statement_error(err, m, failed_at, failure);
        pq_clear(failure);
    }
    if (!pq_conn_ok(s->db.pg))
        return rc == MIGC_OK ? MIGC_ERR_CONNECT : rc;
    pq_rollback(&s->db); /* a failure inside the script's own BEGIN */
    /* The bookkeeping below runs under the session's own timeouts: a
     * statement_timeout short enough to cancel the script would cancel
     * the failure's record too, leaving the row running */
    if (saved[0][0] || saved[1][0])
        session_timeouts(s, m, saved, 1, NULL);
    if (failed_at >= 0) {
        explain_invalid_index(s, &m->up.statements[failed_at], m, failed_at,
                              err);
        record_failure(s, m, failed_at, err ? err->sqlstate : "",
                       err ? err->message : "statement failed", NULL);
    } else if (rc == MIGC_OK) {
        rc = record_finish(s, m, m->up.n_statements, *duration_us, err);
        if (rc == MIGC_OK)
            *applied = 1;
    }
    if (rc != MIGC_OK && err && !err->version)
        err->version = m->version;
    return rc;
}

/* The failed row records the error's text whether or not the caller passed
 * an error struct, and whatever it already held. */
static enum migc_code apply_outside(struct session *s,
                                    const struct migc_migration *m,
                                    int *applied, int64_t *duration_us,
                                    struct migc_error *err)
{
    struct migc_error own = MIGC_ERROR_INIT;
    enum migc_code rc = run_outside(s, m, applied, duration_us, &own);
    if (err && !migc_error_isset(err) && migc_error_isset(&own))
        *err = own;
    return rc;
}

enum migc_code apply_migration(struct session *s,
                               const struct migc_migration *m, int *applied,
                               int64_t *duration_us, struct migc_error *err)
{
    *applied = 0;
    *duration_us = 0;
    if (m->up.flags & MIGC_SCRIPT_NO_TRANSACTION)
        return apply_outside(s, m, applied, duration_us, err);
    return apply_inside(s, m, applied, duration_us, err);
}

/* ---- Everything in one transaction ------------------------------------- */

/* A migration of the transaction and the text of its ledger row's
 * parameters. */
struct todo {
    const struct migc_migration *m;
    struct row_text text;
};

enum migc_code apply_all_at_once(struct session *s,
                                 const struct migc_migration *const *list,
                                 size_t n, size_t *applied,
                                 struct migc_error *err)
{
    *applied = 0;
    struct ledger_versions recorded;
    enum migc_code rc = record_lock_versions(s, &recorded, err);
    if (rc != MIGC_OK)
        return rc;
    /* Versions another process applied meanwhile are left out. Allocated
     * whole, not grown: the pipeline points into it. */
    struct todo *todo = calloc(n ? n : 1, sizeof *todo);
    size_t k = 0;
    for (size_t i = 0; todo && i < n; i++)
        if (!record_versions_hold(&recorded, list[i]->version))
            todo[k++].m = list[i];
    struct sql insert = SQL_INIT;
    record_applied_sql(s, &insert);
    struct batch b = {0};
    for (size_t i = 0; i < k; i++) {
        add_migration(&b, s, todo[i].m);
        add_record(&b, &insert, todo[i].m, recorded.clock, &todo[i].text);
    }
    add_commit(&b);
    if (!todo || b.nomem || insert.nomem) {
        rc = nomem(err);
    } else {
        struct pipeline p;
        struct watch w = {.s = s, .q = b.q, .n = b.n,
                          .one = k == 1 ? todo[0].m : NULL};
        apply_watch(&w);
        int failed = apply_run(s, b.q, b.n, &p);
        apply_unwatch(s);
        if (failed)
            rc = pipeline_failure(s, &p, &b,
                                  "connection lost while applying the "
                                  "migrations (their transaction did not "
                                  "commit)",
                                  "cannot apply the migrations",
                                  "cannot apply the migrations", err);
        else
            *applied = k;
        pipeline_clear(&p);
    }
    batch_free(&b);
    sql_free(&insert);
    free(todo);
    record_versions_clear(&recorded);
    pq_rollback(&s->db);
    return rc;
}

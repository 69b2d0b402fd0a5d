/* apply.c: applying migrations (docs/ledger.md).
 *
 * In a transaction: round trip 1 opens it, takes the lock and re-reads the
 * migration's ledger row; round trip 2 (pipeline mode) sends the timeouts,
 * every statement as its own message, the ledger row and COMMIT. A failure
 * leaves nothing behind.
 *
 * Outside a transaction: the ledger row is written first, as running, with
 * this run's name; each statement runs alone and the row's count of
 * completed statements moves after each. A failure is recorded on the row;
 * a process that dies leaves the row running, and the next run takes it
 * over once no server process runs for it any more. */
#include "apply.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pq.h"
#include "schema.h"

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
static enum migc_code statement_error(struct migc_error *err,
                                      const struct migc_migration *m,
                                      int index, const PGresult *res)
{
    if (!err || migc_error_isset(err))
        return MIGC_ERR_MIGRATION;
    const struct migc_statement *st = &m->up.statements[index];
    const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
    uint32_t line = st->line, col = st->column;
    if (pos)
        map_position(st, strtol(pos, NULL, 10), &line, &col);
    const char *state = pq_sqlstate(res);
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
    migc_error_set(err, MIGC_ERR_MIGRATION, "%s:%u:%u: %s %s", m->up.path, line,
                   col, state, msg ? msg : "statement failed");
    snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state);
    snprintf(err->detail, sizeof err->detail, "%s", detail ? detail : "");
    snprintf(err->hint, sizeof err->hint, "%s", hint ? hint : "");
    err->version = m->version;
    err->statement = index;
    err->path = m->up.path;
    err->line = line;
    err->column = col;
    return MIGC_ERR_MIGRATION;
}

static const char *timeout_of(const char *own, const char *run)
{
    if (own && *own)
        return own;
    return run && *run ? run : NULL;
}

/* Append the set_config() calls of m's timeouts to a pipeline being built:
 * local to the transaction when local. Returns how many were added (0-2). */
static int add_timeouts(const struct session *s, const struct migc_migration *m,
                        int local, const char **sql, int *counts,
                        const char *const **sets, const char *(*vals)[1])
{
    static const char set_lock[2][64] = {
        "SELECT set_config('lock_timeout', $1, false)",
        "SELECT set_config('lock_timeout', $1, true)"};
    static const char set_stmt[2][64] = {
        "SELECT set_config('statement_timeout', $1, false)",
        "SELECT set_config('statement_timeout', $1, true)"};
    int n = 0;
    const char *lt = timeout_of(m->lock_timeout, s->opts->lock_timeout);
    const char *st = timeout_of(m->statement_timeout,
                                s->opts->statement_timeout);
    if (lt) {
        vals[n][0] = lt;
        sql[n] = set_lock[local != 0];
        counts[n] = 1;
        sets[n] = vals[n];
        n++;
    }
    if (st) {
        vals[n][0] = st;
        sql[n] = set_stmt[local != 0];
        counts[n] = 1;
        sets[n] = vals[n];
        n++;
    }
    return n;
}

/* The ledger row of a migration applied in a transaction: $1 version, $2
 * name, $3 checksum, $4 canonical, $5 the server time it started, $6 the
 * number of statements. */
static void insert_sql(const struct session *s, char *out, size_t size)
{
    snprintf(out, size,
             "INSERT INTO %s (version, name, checksum, canonical,"
             " applied_at, duration_us, success, completed) VALUES ($1, $2,"
             " $3, $4, $5::timestamptz, (extract(epoch FROM clock_timestamp()"
             " - $5::timestamptz) * 1000000)::bigint, true, $6)",
             s->table);
}

/* ---- In a transaction -------------------------------------------------- */

static enum migc_code apply_inside(struct session *s,
                                   const struct migc_migration *m,
                                   int *applied, int64_t *duration_us,
                                   struct migc_error *err)
{
    char check[1024], version[32], stale[32];
    ledger_recheck(s, m->version, check, sizeof check, version, stale);
    const char *check_params[2] = {version, stale};
    PGresult *r;
    enum migc_code rc = lock_take(s, check, 2, check_params, &r, err);
    if (rc != MIGC_OK)
        return rc;
    if (!PQgetisnull(r, 0, R_STATE)) {
        /* another process got there first */
        const char *state = PQgetvalue(r, 0, R_STATE);
        if (state[0] == 'a')
            rc = schema_check_applied(s, m, PQgetvalue(r, 0, R_CHECKSUM),
                                      PQgetvalue(r, 0, R_CANONICAL), NULL, err);
        else
            rc = schema_refuse_failed(err, m,
                                      atoi(PQgetvalue(r, 0, R_FAILED)),
                                      PQgetvalue(r, 0, R_ERROR));
        PQclear(r);
        pq_rollback(s);
        return rc;
    }
    char started[64];
    snprintf(started, sizeof started, "%s", PQgetvalue(r, 0, R_CLOCK));
    PQclear(r);

    /* Timeouts, statements, ledger row and COMMIT: one round trip. */
    size_t n = m->up.n_statements + 4;
    const char **sql = calloc(n, sizeof *sql);
    const char *const **sets = calloc(n, sizeof *sets);
    int *counts = calloc(n, sizeof *counts);
    if (!sql || !sets || !counts) {
        free(sql);
        free(sets);
        free(counts);
        pq_rollback(s);
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    }
    const char *vals[2][1];
    int first = add_timeouts(s, m, 1, sql, counts, sets, vals);
    int k = first;
    /* The data holds statements NUL-terminated too (string literals),
     * which libpq needs. */
    for (size_t i = 0; i < m->up.n_statements; i++)
        sql[k++] = m->up.statements[i].sql;
    char insert[768], count[32];
    insert_sql(s, insert, sizeof insert);
    snprintf(count, sizeof count, "%zu", m->up.n_statements);
    const char *row[6] = {version, m->name, m->up.checksum,
                          m->up.canonical ? m->up.canonical : "", started,
                          count};
    sql[k] = insert;
    counts[k] = 6;
    sets[k++] = row;
    sql[k++] = "COMMIT";

    int64_t t0 = pq_now_ms();
    struct pipeline p;
    int failed = pipeline_run(s, k, sql, counts, sets, &p);
    *duration_us = (pq_now_ms() - t0) * 1000;
    if (failed && PQstatus(s->conn) == CONNECTION_BAD) {
        rc = pq_error(err, MIGC_ERR_CONNECT, NULL, s->conn,
                      "connection lost while applying the migration (its "
                      "transaction did not commit)");
        if (err && !err->version)
            err->version = m->version;
    } else if (failed) {
        int at = p.error_index - first;
        if (p.error_index >= first && at < (int)m->up.n_statements &&
            pipeline_error(&p))
            rc = statement_error(err, m, at, pipeline_error(&p));
        else
            rc = pq_error(err, MIGC_ERR_QUERY, pipeline_error(&p), s->conn,
                          p.error_index >= 0 && p.error_index < first
                              ? "cannot set the migration's timeouts"
                              : "cannot record the migration");
        if (err && !err->version)
            err->version = m->version;
    } else {
        *applied = 1;
    }
    pipeline_clear(&p);
    free(sql);
    free(sets);
    free(counts);
    pq_rollback(s);
    return rc;
}

/* ---- Outside a transaction --------------------------------------------- */

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

int apply_retryable(const struct migc_migration *m, int statement,
                    const char *sqlstate)
{
    return statement >= 0 && (size_t)statement < m->up.n_statements &&
           (m->up.statements[statement].flags & MIGC_STMT_REPEATABLE) &&
           transient(sqlstate);
}

/* Whether a server process (another than ours) is running the statement:
 * pg_stat_activity shows the text as sent, maybe cut short. */
static int statement_running(struct session *s, const struct migc_statement *st)
{
    const char *params[1] = {st->sql};
    PGresult *res = pq_exec(
        s,
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
        " AND pid <> pg_backend_pid() AND query <> ''"
        " AND starts_with($1, query)",
        1, params);
    int running = PQresultStatus(res) == PGRES_TUPLES_OK &&
                  atoi(PQgetvalue(res, 0, 0)) > 0;
    PQclear(res);
    return running;
}

/* Take the migration's row for this run: create it (start 0), or take over
 * a row left by a dead process or a failure that may be retried (start at
 * its completed count, *resume 1). *done when it is applied already. */
static enum migc_code claim(struct session *s, const struct migc_migration *m,
                            int *start, int *resume, int *done,
                            char *started, size_t started_size,
                            struct migc_error *err)
{
    char check[1024], version[32], stale[32];
    ledger_recheck(s, m->version, check, sizeof check, version, stale);
    const char *check_params[2] = {version, stale};
    struct waiter w = {0};
    int told = 0;
    for (;;) {
        PGresult *r;
        enum migc_code rc = lock_take(s, check, 2, check_params, &r, err);
        if (rc != MIGC_OK)
            return rc;
        snprintf(started, started_size, "%s", PQgetvalue(r, 0, R_CLOCK));
        char sql[768];
        if (PQgetisnull(r, 0, R_STATE)) {
            PQclear(r);
            snprintf(sql, sizeof sql,
                     "INSERT INTO %s (version, name, checksum, canonical,"
                     " applied_at, success, completed, holder, holder_pid,"
                     " heartbeat) VALUES ($1, $2, $3, $5, $6::timestamptz,"
                     " false, 0, $4, pg_backend_pid(), now())",
                     s->table);
            const char *p6[6] = {version, m->name, m->up.checksum, s->holder,
                                 m->up.canonical ? m->up.canonical : "",
                                 started};
            const char *steps[2] = {sql, "COMMIT"};
            const int counts[2] = {6, 0};
            const char *const *sets[2] = {p6, NULL};
            struct pipeline p;
            if (pipeline_run(s, 2, steps, counts, sets, &p) != 0)
                rc = pq_error(err, MIGC_ERR_QUERY, pipeline_error(&p),
                              s->conn, "cannot record the migration");
            pipeline_clear(&p);
            pq_rollback(s);
            *start = 0;
            *resume = 0;
            return rc;
        }
        char state = PQgetvalue(r, 0, R_STATE)[0];
        int completed = atoi(PQgetvalue(r, 0, R_COMPLETED));
        int failed_at = PQgetisnull(r, 0, R_FAILED)
                            ? -1
                            : atoi(PQgetvalue(r, 0, R_FAILED));
        if (state == 'a') {
            rc = schema_check_applied(s, m, PQgetvalue(r, 0, R_CHECKSUM),
                                      PQgetvalue(r, 0, R_CANONICAL), NULL, err);
            *done = 1;
        } else if (state == 'f' &&
                   !apply_retryable(m, failed_at,
                                    PQgetvalue(r, 0, R_SQLSTATE))) {
            rc = schema_refuse_failed(err, m, failed_at,
                                      PQgetvalue(r, 0, R_ERROR));
        } else if (state == 'r' && PQgetvalue(r, 0, R_ALIVE)[0] == 't') {
            rc = MIGC_ERR_RUNNING; /* its holder works on it: wait */
        } else if (state == 'r' && (size_t)completed < m->up.n_statements &&
                   statement_running(s, &m->up.statements[completed])) {
            rc = MIGC_ERR_RUNNING; /* its statement still runs */
        } else {
            /* Take it over: a dead holder's, or a retryable failure. */
            if (state == 'f')
                session_log(s, MIGC_LOG_INFO,
                            "retrying migration %lld (%s) at statement %d, "
                            "which failed with SQLSTATE %s and is safe to "
                            "repeat",
                            (long long)m->version, m->name, failed_at + 1,
                            PQgetvalue(r, 0, R_SQLSTATE));
            else
                session_log(s, MIGC_LOG_INFO,
                            "taking over migration %lld (%s) at statement %d "
                            "of %zu, left part-way by %s",
                            (long long)m->version, m->name, completed + 1,
                            m->up.n_statements,
                            *PQgetvalue(r, 0, R_HOLDER)
                                ? PQgetvalue(r, 0, R_HOLDER)
                                : "a resolved failure");
            snprintf(sql, sizeof sql,
                     "UPDATE %s SET holder = $2, holder_pid = pg_backend_pid(),"
                     " heartbeat = now(), error = NULL, sqlstate = NULL,"
                     " failed_statement = NULL WHERE version = $1",
                     s->table);
            const char *p2[2] = {version, s->holder};
            const char *steps[2] = {sql, "COMMIT"};
            const int counts[2] = {2, 0};
            const char *const *sets[2] = {p2, NULL};
            struct pipeline p;
            if (pipeline_run(s, 2, steps, counts, sets, &p) != 0)
                rc = pq_error(err, MIGC_ERR_QUERY, pipeline_error(&p),
                              s->conn, "cannot record the migration");
            pipeline_clear(&p);
            *start = completed;
            *resume = 1;
        }
        PQclear(r);
        pq_rollback(s);
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

/* The row's progress: statements done, or the outcome. Only while this run
 * holds the row: 0 rows updated means another process took it over. */
static enum migc_code progress(struct session *s,
                               const struct migc_migration *m, const char *sql,
                               int n_params, const char *const *params,
                               struct migc_error *err)
{
    (void)m;
    PGresult *res = pq_exec(s, sql, n_params, params);
    enum migc_code rc = MIGC_OK;
    if (!pq_ok(res))
        rc = pq_error(err, MIGC_ERR_QUERY, res, s->conn,
                      "cannot record the migration's progress");
    else if (strcmp(PQcmdTuples(res), "1") != 0)
        rc = migc_error_set(err, MIGC_ERR_RUNNING,
                            "migration %lld (%s) was taken over by another "
                            "process while this one applied it",
                            (long long)m->version, m->name);
    PQclear(res);
    return rc;
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
    PGresult *res = pq_exec(s,
                            "SELECT indisvalid FROM pg_index WHERE"
                            " indexrelid = to_regclass($1)",
                            1, params);
    int found = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    int valid = found && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (valid)
        return 1;
    if (found && st->cleanup) {
        res = pq_exec(s, st->cleanup, 0, NULL);
        if (!pq_ok(res))
            *rc = pq_error(err, MIGC_ERR_QUERY, res, s->conn,
                           "cannot drop the INVALID index a failed build "
                           "left");
        PQclear(res);
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
    PGresult *res = pq_exec(s,
                            "SELECT indisvalid FROM pg_index WHERE"
                            " indexrelid = to_regclass($1)",
                            1, params);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
        PQgetvalue(res, 0, 0)[0] == 'f') {
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
    PQclear(res);
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
    PGresult *res;
    if (restore) {
        params[0] = saved[0];
        params[1] = saved[1];
        res = pq_exec(s,
                      "SELECT set_config('lock_timeout', $1, false),"
                      " set_config('statement_timeout', $2, false)",
                      2, params);
    } else {
        params[0] = lt ? lt : "";
        params[1] = st ? st : "";
        res = pq_exec(s,
                      "SELECT current_setting('lock_timeout'),"
                      " current_setting('statement_timeout'),"
                      " set_config('lock_timeout', coalesce(nullif($1, ''),"
                      " current_setting('lock_timeout')), false),"
                      " set_config('statement_timeout', coalesce(nullif($2,"
                      " ''), current_setting('statement_timeout')), false)",
                      2, params);
        if (PQresultStatus(res) == PGRES_TUPLES_OK) {
            snprintf(saved[0], 64, "%s", PQgetvalue(res, 0, 0));
            snprintf(saved[1], 64, "%s", PQgetvalue(res, 0, 1));
        }
    }
    enum migc_code rc = MIGC_OK;
    if (!pq_ok(res))
        rc = pq_error(err, MIGC_ERR_QUERY, res, s->conn,
                      "cannot set the migration's timeouts");
    PQclear(res);
    return rc;
}

static enum migc_code run_outside(struct session *s,
                                  const struct migc_migration *m,
                                  int *applied, int64_t *duration_us,
                                  struct migc_error *err)
{
    int start = 0, resume = 0, done = 0;
    char started[64];
    enum migc_code rc = claim(s, m, &start, &resume, &done, started,
                              sizeof started, err);
    if (rc != MIGC_OK || done)
        return rc;

    char version[32], next[32];
    snprintf(version, sizeof version, "%lld", (long long)m->version);
    char step[512], fail[768], finish[768];
    snprintf(step, sizeof step,
             "UPDATE %s SET completed = $3, heartbeat = now(),"
             " holder_pid = pg_backend_pid() WHERE version = $1"
             " AND holder = $2",
             s->table);
    snprintf(fail, sizeof fail,
             "UPDATE %s SET failed_statement = $3, sqlstate = $4, error = $5,"
             " heartbeat = now() WHERE version = $1 AND holder = $2",
             s->table);
    snprintf(finish, sizeof finish,
             "UPDATE %s SET success = true, completed = $3, holder = NULL,"
             " holder_pid = NULL, heartbeat = NULL, duration_us = duration_us"
             " + $4::bigint WHERE version = $1 AND holder = $2",
             s->table);

    char saved[2][64] = {"", ""};
    rc = session_timeouts(s, m, saved, 0, err);
    int64_t t0 = pq_now_ms();
    int failed_at = -1;
    PGresult *failure = NULL;
    size_t n = m->up.n_statements;
    for (size_t i = (size_t)start; rc == MIGC_OK && i < n; i++) {
        const struct migc_statement *st = &m->up.statements[i];
        int skip = 0;
        if (resume && i == (size_t)start)
            skip = prepare_resume(s, st, err, &rc);
        if (rc != MIGC_OK)
            break;
        if (!skip) {
            PGresult *res = pq_exec(s, st->sql, 0, NULL);
            if (!pq_ok(res)) {
                failed_at = (int)i;
                failure = res;
                break;
            }
            PQclear(res);
        }
        if (i + 1 < n) {
            snprintf(next, sizeof next, "%zu", i + 1);
            const char *params[3] = {version, s->holder, next};
            rc = progress(s, m, step, 3, params, err);
        }
    }
    *duration_us = (pq_now_ms() - t0) * 1000;
    if (failure) {
        if (PQstatus(s->conn) == CONNECTION_BAD)
            rc = pq_error(err, MIGC_ERR_CONNECT, failure, s->conn,
                          "connection lost");
        else
            rc = statement_error(err, m, failed_at, failure);
        PQclear(failure);
    }
    if (PQstatus(s->conn) != CONNECTION_OK)
        return rc == MIGC_OK ? MIGC_ERR_CONNECT : rc;
    pq_rollback(s); /* a failure inside the script's own BEGIN */
    if (failed_at >= 0) {
        explain_invalid_index(s, &m->up.statements[failed_at], m, failed_at,
                              err);
        char index[32];
        snprintf(index, sizeof index, "%d", failed_at);
        const char *params[5] = {version, s->holder, index,
                                 err ? err->sqlstate : "",
                                 err ? err->message : "statement failed"};
        progress(s, m, fail, 5, params, NULL);
    } else if (rc == MIGC_OK) {
        char count[32], us[32];
        snprintf(count, sizeof count, "%zu", n);
        snprintf(us, sizeof us, "%lld", (long long)*duration_us);
        const char *params[4] = {version, s->holder, count, us};
        rc = progress(s, m, finish, 4, params, err);
        if (rc == MIGC_OK)
            *applied = 1;
    }
    if (saved[0][0] || saved[1][0])
        session_timeouts(s, m, saved, 1, NULL);
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

enum migc_code apply_all_at_once(struct session *s,
                                 const struct migc_migration *const *list,
                                 size_t n, size_t *applied,
                                 struct migc_error *err)
{
    *applied = 0;
    /* The server clock, and every version recorded (one row with a NULL
     * version when none is). */
    char check[256];
    snprintf(check, sizeof check,
             "SELECT clock_timestamp()::text, l.version::text FROM"
             " (SELECT 1) AS one LEFT JOIN %s AS l ON true",
             s->table);
    PGresult *r;
    enum migc_code rc = lock_take(s, check, 0, NULL, &r, err);
    if (rc != MIGC_OK)
        return rc;
    char started[64];
    snprintf(started, sizeof started, "%s", PQgetvalue(r, 0, 0));
    size_t total = 0;
    const struct migc_migration **todo = calloc(n ? n : 1, sizeof *todo);
    if (!todo) {
        PQclear(r);
        pq_rollback(s);
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    }
    /* Versions another process applied meanwhile are left out. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char v[32];
        snprintf(v, sizeof v, "%lld", (long long)list[i]->version);
        if (pq_find_row(r, 1, v) < 0) {
            todo[k++] = list[i];
            total += list[i]->up.n_statements + 3;
        }
    }
    PQclear(r);
    total += 1;
    const char **sql = calloc(total, sizeof *sql);
    const char *const **sets = calloc(total, sizeof *sets);
    int *counts = calloc(total, sizeof *counts);
    const char *(*vals)[1] = calloc(2 * (k ? k : 1), sizeof *vals);
    char (*versions)[32] = calloc(k ? k : 1, sizeof *versions);
    char (*nstmts)[32] = calloc(k ? k : 1, sizeof *nstmts);
    const char *(*rows)[6] = calloc(k ? k : 1, sizeof *rows);
    /* the migration and statement of every query, for errors */
    int *owner = calloc(total, sizeof *owner), *stmt = calloc(total,
                                                               sizeof *stmt);
    char insert[768];
    insert_sql(s, insert, sizeof insert);
    if (!sql || !sets || !counts || !vals || !versions || !nstmts || !rows ||
        !owner || !stmt) {
        rc = migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    } else {
        int q = 0;
        for (size_t i = 0; i < k; i++) {
            const struct migc_migration *m = todo[i];
            int t = add_timeouts(s, m, 1, sql + q, counts + q, sets + q,
                                 vals + 2 * i);
            for (int j = 0; j < t; j++, q++) {
                owner[q] = (int)i;
                stmt[q] = -1;
            }
            for (size_t j = 0; j < m->up.n_statements; j++, q++) {
                sql[q] = m->up.statements[j].sql;
                owner[q] = (int)i;
                stmt[q] = (int)j;
            }
            snprintf(versions[i], sizeof versions[i], "%lld",
                     (long long)m->version);
            snprintf(nstmts[i], sizeof nstmts[i], "%zu", m->up.n_statements);
            rows[i][0] = versions[i];
            rows[i][1] = m->name;
            rows[i][2] = m->up.checksum;
            rows[i][3] = m->up.canonical ? m->up.canonical : "";
            rows[i][4] = started;
            rows[i][5] = nstmts[i];
            sql[q] = insert;
            counts[q] = 6;
            sets[q] = rows[i];
            owner[q] = (int)i;
            stmt[q++] = -1;
        }
        sql[q] = "COMMIT";
        owner[q] = -1;
        stmt[q++] = -1;
        struct pipeline p;
        if (pipeline_run(s, q, sql, counts, sets, &p) != 0) {
            int e = p.error_index;
            if (PQstatus(s->conn) == CONNECTION_BAD)
                rc = pq_error(err, MIGC_ERR_CONNECT, NULL, s->conn,
                              "connection lost while applying the migrations "
                              "(their transaction did not commit)");
            else if (e >= 0 && stmt[e] >= 0 && pipeline_error(&p))
                rc = statement_error(err, todo[owner[e]], stmt[e],
                                     pipeline_error(&p));
            else
                rc = pq_error(err, MIGC_ERR_QUERY, pipeline_error(&p),
                              s->conn, "cannot apply the migrations");
        } else {
            *applied = k;
        }
        pipeline_clear(&p);
    }
    free(sql);
    free(sets);
    free(counts);
    free(vals);
    free(versions);
    free(nstmts);
    free(rows);
    free(owner);
    free(stmt);
    free(todo);
    pq_rollback(s);
    return rc;
}

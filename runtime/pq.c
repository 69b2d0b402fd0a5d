/* pq.c: the runtime's round trips with libpq. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */
#include "pq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"

void pipeline_clear(struct pipeline *p)
{
    if (p->results)
        for (int i = 0; i < p->n; i++)
            PQclear(p->results[i]);
    free(p->results);
    *p = (struct pipeline){0, NULL, -1};
}

/* Read results until the sync. A NULL from PQgetResult ends one query's
 * results; two in a row before the sync only happen on a broken
 * connection. */
static int collect(PGconn *conn, struct pipeline *p)
{
    int index = 0, nulls = 0, failed = 0;
    for (;;) {
        PGresult *res = PQgetResult(conn);
        if (!res) {
            if (++nulls > 1 || PQstatus(conn) == CONNECTION_BAD)
                return -1;
            index++;
            continue;
        }
        nulls = 0;
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            return failed ? -1 : 0;
        }
        if (st == PGRES_FATAL_ERROR && p->error_index < 0) {
            p->error_index = index;
            failed = 1;
        }
        if (index < p->n && !p->results[index] && st != PGRES_PIPELINE_ABORTED)
            p->results[index] = res;
        else
            PQclear(res);
    }
}

int pipeline_run(struct session *s, int n, const char *const *sql,
                 const int *n_params, const char *const *const *params,
                 struct pipeline *p)
{
    *p = (struct pipeline){0, NULL, -1};
    p->results = calloc(n > 0 ? (size_t)n : 1, sizeof *p->results);
    if (!p->results)
        return -1;
    p->n = n;
    PGconn *conn = s->conn;
    if (!PQenterPipelineMode(conn))
        return -1;
    int ok = 1;
    for (int i = 0; ok && i < n; i++)
        ok = PQsendQueryParams(conn, sql[i], n_params ? n_params[i] : 0, NULL,
                               params ? params[i] : NULL, NULL, NULL, 0);
    ok = ok && PQpipelineSync(conn);
    s->round_trips++;
    int rc = ok ? collect(conn, p) : -1;
    if (!ok) {
        PGresult *res; /* whatever was queued before the failure */
        while ((res = PQgetResult(conn)) != NULL)
            PQclear(res);
    }
    PQexitPipelineMode(conn);
    return rc;
}

const PGresult *pipeline_rows(const struct pipeline *p, int i)
{
    if (i < 0 || i >= p->n || !p->results[i] ||
        PQresultStatus(p->results[i]) != PGRES_TUPLES_OK)
        return NULL;
    return p->results[i];
}

const PGresult *pipeline_error(const struct pipeline *p)
{
    return p->error_index >= 0 && p->error_index < p->n
               ? p->results[p->error_index]
               : NULL;
}

PGresult *pq_exec(struct session *s, const char *sql, int n_params,
                  const char *const *params)
{
    s->round_trips++;
    return PQexecParams(s->conn, sql, n_params, NULL, params, NULL, NULL, 0);
}

int pq_find_row(const PGresult *res, int col, const char *value)
{
    for (int i = 0; i < PQntuples(res); i++)
        if (!PQgetisnull(res, i, col) &&
            strcmp(PQgetvalue(res, i, col), value) == 0)
            return i;
    return -1;
}

int pq_ok(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

const char *pq_sqlstate(const PGresult *res)
{
    const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return s ? s : "";
}

enum migc_code pq_error(struct migc_error *err, enum migc_code code,
                        const PGresult *res, PGconn *conn, const char *what)
{
    if (PQstatus(conn) == CONNECTION_BAD)
        code = MIGC_ERR_CONNECT;
    if (!err || migc_error_isset(err))
        return code;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                          : NULL;
    if (!msg)
        msg = PQerrorMessage(conn);
    if (!msg || !*msg)
        msg = "no answer from the server";
    migc_error_set(err, code, "%s: %s", what, msg);
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)
                             : NULL;
    const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT)
                           : NULL;
    snprintf(err->sqlstate, sizeof err->sqlstate, "%s", pq_sqlstate(res));
    snprintf(err->detail, sizeof err->detail, "%s", detail ? detail : "");
    snprintf(err->hint, sizeof err->hint, "%s", hint ? hint : "");
    return code;
}

void pq_rollback(struct session *s)
{
    if (PQstatus(s->conn) != CONNECTION_OK ||
        PQtransactionStatus(s->conn) == PQTRANS_IDLE)
        return;
    PQclear(pq_exec(s, "ROLLBACK", 0, NULL));
}

int64_t pq_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void pq_sleep_ms(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0)
        ; /* interrupted by a signal: sleep the rest */
}

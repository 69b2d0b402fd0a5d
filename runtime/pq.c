/* pq.c: the runtime's round trips with libpq, its one includer. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */
#include "pq.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"

struct pq_query *batch_add(struct batch *b, const char *sql)
{
    struct pq_query *q = b->nomem ? NULL
                                  : grow_array(b->q, &b->cap, b->n + 1,
                                               sizeof *b->q);
    if (!q) {
        b->nomem = 1;
        return NULL;
    }
    b->q = q;
    q = &b->q[b->n++];
    *q = (struct pq_query){.sql = sql};
    return q;
}

void batch_free(struct batch *b)
{
    free(b->q);
    *b = (struct batch){0};
}

void pipeline_clear(struct pipeline *p)
{
    if (p->results)
        for (int i = 0; i < p->n; i++)
            PQclear(p->results[i]);
    free(p->results);
    *p = (struct pipeline){0, NULL, -1, 0};
}

/* Wait for query index's next result, telling c->on_wait every tick while
 * the server works (the results come at the sync: index is the first query
 * not known to be done). Without a listener PQgetResult blocks as usual. */
static void await_result(struct conn *c, int index, int64_t sent)
{
    if (!c->on_wait || c->tick_ms <= 0)
        return;
    PGconn *conn = c->pg;
    int64_t next = pq_now_ms() + c->tick_ms;
    while (PQisBusy(conn)) {
        struct pollfd pfd = {.fd = PQsocket(conn), .events = POLLIN};
        int64_t now = pq_now_ms();
        int r = poll(&pfd, 1, next > now ? (int)(next - now) : 0);
        if (r < 0 && errno != EINTR)
            return; /* PQgetResult reports the broken connection */
        if (r > 0 && !PQconsumeInput(conn))
            return;
        if (r == 0) {
            c->on_wait(c->wait_ctx, index, pq_now_ms() - sent);
            next += c->tick_ms;
        }
    }
}

/* Read results until the sync. A NULL from PQgetResult ends one query's
 * results; two in a row before the sync only happen on a broken
 * connection. */
static int collect(struct conn *c, struct pipeline *p, int64_t sent)
{
    PGconn *conn = c->pg;
    int index = 0, nulls = 0, failed = 0, awaiting = 1;
    for (;;) {
        /* Only a query's first result is waited for: the NULL after it is
         * known at once, and waiting then would be for the next query. */
        if (awaiting)
            await_result(c, index, sent);
        PGresult *res = PQgetResult(conn);
        awaiting = !res;
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

int pipeline_run(struct conn *c, const struct pq_query *q, size_t n,
                 struct pipeline *p)
{
    *p = (struct pipeline){0, NULL, -1, 0};
    c->nomem = 0;
    if (n > (size_t)INT32_MAX)
        return -1;
    p->results = calloc(n > 0 ? n : 1, sizeof *p->results);
    if (!p->results) {
        c->nomem = 1;
        return -1;
    }
    p->n = (int)n;
    PGconn *conn = c->pg;
    if (!PQenterPipelineMode(conn))
        return -1;
    int ok = 1;
    for (size_t i = 0; ok && i < n; i++) {
        /* No flush request after a query, even when watched: the results
         * come together at the sync, and the client wakes up once rather
         * than once a statement (a tenth of a fresh apply's time). What a
         * long pipeline is running, the listener asks the server. */
        ok = PQsendQueryParams(conn, q[i].sql, q[i].n_params, NULL,
                               q[i].n_params ? q[i].params : NULL, NULL, NULL,
                               0);
    }
    ok = ok && PQpipelineSync(conn);
    c->round_trips++;
    int rc = ok ? collect(c, p, pq_now_ms()) : -1;
    if (!ok) {
        PGresult *res; /* whatever was queued before the failure */
        while ((res = PQgetResult(conn)) != NULL)
            PQclear(res);
    }
    PQexitPipelineMode(conn);
    if (p->error_index >= 0 && p->results[p->error_index])
        p->error_position = pq_position(p->results[p->error_index]);
    return rc;
}

/* ---- One query string --------------------------------------------------- */

/* Characters (the server counts them for an error's position) in s[0,len):
 * UTF-8 bytes that start one. */
static long chars(const char *s, size_t len)
{
    long n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* v as a string literal whatever standard_conforming_strings says: E''
 * when it holds a backslash. NULL as NULL. */
static void add_literal(struct sql *b, const char *v)
{
    if (!v) {
        sql_add(b, "NULL");
        return;
    }
    sql_add(b, strchr(v, '\\') ? "E'" : "'");
    for (const char *r = v; *r;) {
        size_t run = strcspn(r, "'\\");
        sql_addn(b, r, run);
        r += run;
        if (*r) { /* doubled */
            sql_addn(b, r, 1);
            sql_addn(b, r, 1);
            r++;
        }
    }
    sql_add(b, "'");
}

/* q's text with $1..$n replaced by its parameters as literals (outside
 * quoted strings and identifiers: the runtime's own queries, whose
 * parameters are plain placeholders). */
static void add_query(struct sql *b, const struct pq_query *q)
{
    const char *s = q->sql;
    if (q->n_params == 0) {
        sql_add(b, s);
        return;
    }
    char quote = 0; /* the quote character of the string being read */
    while (*s) {
        const char *stops = quote == '\'' ? "'" : quote ? "\"" : "'\"$";
        size_t run = strcspn(s, stops);
        sql_addn(b, s, run);
        s += run;
        if (!*s)
            break;
        if (quote || *s != '$') { /* a quote closed or opened */
            quote = quote ? 0 : *s;
        } else if (s[1] >= '1' && s[1] <= '9') {
            char *end;
            long k = strtol(s + 1, &end, 10);
            if (k >= 1 && k <= q->n_params) {
                add_literal(b, q->params[k - 1]);
                s = end;
                continue;
            }
        }
        sql_addn(b, s++, 1);
    }
}

/* The query whose text holds character pos (1-based) of the string. */
static int query_at(const long *start, int n, long pos)
{
    int i = 0;
    while (i + 1 < n && start[i + 1] < pos)
        i++;
    return i;
}

/* Read the results of a query string: one a statement, the failure last
 * (placed by its position when it has one: a syntax error stops the whole
 * string before its first statement runs). */
static int collect_script(struct conn *c, struct pipeline *p,
                          const long *start, int64_t sent)
{
    PGconn *conn = c->pg;
    int k = 0;
    for (;;) {
        await_result(c, k, sent);
        PGresult *res = PQgetResult(conn);
        if (!res)
            break;
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_COPY_IN) {
            PQputCopyEnd(conn, "migc: COPY FROM STDIN has no data here");
        } else if (st == PGRES_COPY_OUT) {
            char *row;
            while (PQgetCopyData(conn, &row, 0) > 0)
                PQfreemem(row);
        } else if (st == PGRES_FATAL_ERROR && p->error_index < 0) {
            long pos = pq_position(res);
            int at = pos > 0 ? query_at(start, p->n, pos) : k;
            if (at >= p->n)
                at = p->n - 1;
            p->error_index = at;
            p->error_position = pos > 0 ? pos - start[at] : 0;
            PQclear(p->results[at]);
            p->results[at] = res;
            continue;
        } else if (k < p->n && p->error_index < 0) {
            p->results[k++] = res;
            continue;
        }
        PQclear(res);
    }
    if (PQstatus(conn) == CONNECTION_BAD)
        return -1;
    return p->error_index >= 0 || k != p->n ? -1 : 0;
}

int script_run(struct conn *c, const struct pq_query *q, size_t n,
               struct pipeline *p)
{
    *p = (struct pipeline){0, NULL, -1, 0};
    c->nomem = 0;
    if (n == 0 || n > (size_t)INT32_MAX)
        return -1;
    struct sql text = SQL_INIT;
    long *start = calloc(n, sizeof *start);
    p->results = calloc(n, sizeof *p->results);
    long at = 0; /* characters so far */
    for (size_t i = 0; start && !text.nomem && i < n; i++) {
        size_t from = text.len;
        if (i > 0)
            sql_add(&text, "\n;\n"); /* after a -- comment too */
        start[i] = at + (long)(text.len - from);
        add_query(&text, &q[i]);
        if (!text.nomem)
            at += chars(text.text + from, text.len - from);
    }
    if (!start || !p->results || !sql_text(&text)) {
        c->nomem = 1;
        free(start);
        sql_free(&text);
        return -1;
    }
    p->n = (int)n;
    int ok = PQsendQuery(c->pg, sql_text(&text));
    c->round_trips++;
    int rc = ok ? collect_script(c, p, start, pq_now_ms()) : -1;
    free(start);
    sql_free(&text);
    return rc;
}

const struct pg_result *pipeline_rows(const struct pipeline *p, int i)
{
    if (i < 0 || i >= p->n || !p->results[i] ||
        PQresultStatus(p->results[i]) != PGRES_TUPLES_OK)
        return NULL;
    return p->results[i];
}

struct pg_result *pipeline_take(struct pipeline *p, int i)
{
    if (i < 0 || i >= p->n)
        return NULL;
    PGresult *res = p->results[i];
    p->results[i] = NULL;
    return res;
}

const struct pg_result *pipeline_error(const struct pipeline *p)
{
    return p->error_index >= 0 && p->error_index < p->n
               ? p->results[p->error_index]
               : NULL;
}

const struct pq_query *pipeline_failed(const struct pipeline *p,
                                       const struct pq_query *q)
{
    return p->error_index >= 0 && p->error_index < p->n ? &q[p->error_index]
                                                        : NULL;
}

struct pg_result *pq_exec(struct conn *c, const char *sql, int n_params,
                          const char *const *params)
{
    c->nomem = 0;
    c->round_trips++;
    if (!c->on_wait)
        return PQexecParams(c->pg, sql, n_params, NULL, params, NULL, NULL, 0);
    /* PQexecParams, with the wait told: the last result, as it returns. */
    int64_t sent = pq_now_ms();
    if (!PQsendQueryParams(c->pg, sql, n_params, NULL, params, NULL, NULL,
                           0))
        return NULL;
    PGresult *last = NULL, *res;
    for (;;) {
        await_result(c, 0, sent);
        if (!(res = PQgetResult(c->pg)))
            break;
        PQclear(last);
        last = res;
    }
    return last;
}

void pq_clear(struct pg_result *res)
{
    PQclear(res);
}

/* ---- Results ------------------------------------------------------------ */

int pq_ok(const struct pg_result *res)
{
    ExecStatusType st = PQresultStatus(res);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

int pq_has_rows(const struct pg_result *res)
{
    return PQresultStatus(res) == PGRES_TUPLES_OK;
}

int pq_rows(const struct pg_result *res)
{
    return PQntuples(res);
}

const char *pq_value(const struct pg_result *res, int row, int col)
{
    return PQgetvalue(res, row, col);
}

int pq_isnull(const struct pg_result *res, int row, int col)
{
    return PQgetisnull(res, row, col);
}

size_t pq_length(const struct pg_result *res, int row, int col)
{
    return (size_t)PQgetlength(res, row, col);
}

long pq_changed(const struct pg_result *res)
{
    /* PQcmdTuples takes a non-const result but only reads it. */
    return strtol(PQcmdTuples((PGresult *)res), NULL, 10);
}

const char *pq_sqlstate(const struct pg_result *res)
{
    const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return s ? s : "";
}

const char *pq_message(const struct pg_result *res)
{
    return res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
}

long pq_position(const struct pg_result *res)
{
    const char *pos = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION)
                          : NULL;
    return pos ? strtol(pos, NULL, 10) : 0;
}

void pq_error_fields(struct migc_error *err, const struct pg_result *res)
{
    if (!err)
        return;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)
                             : NULL;
    const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT)
                           : NULL;
    snprintf(err->sqlstate, sizeof err->sqlstate, "%s", pq_sqlstate(res));
    snprintf(err->detail, sizeof err->detail, "%s", detail ? detail : "");
    snprintf(err->hint, sizeof err->hint, "%s", hint ? hint : "");
}

enum migc_code pq_error(struct migc_error *err, enum migc_code code,
                        const struct pg_result *res, const struct conn *c,
                        const char *what)
{
    if (c->nomem)
        code = MIGC_ERR_NOMEM;
    else if (PQstatus(c->pg) == CONNECTION_BAD)
        code = MIGC_ERR_CONNECT;
    if (!err || migc_error_isset(err))
        return code;
    if (c->nomem) {
        migc_error_set(err, code, "%s: out of memory", what);
        return code;
    }
    const char *msg = pq_message(res);
    if (!msg)
        msg = PQerrorMessage(c->pg);
    if (!msg || !*msg)
        msg = "no answer from the server";
    migc_error_set(err, code, "%s: %s", what, msg);
    pq_error_fields(err, res);
    return code;
}

/* ---- The connection ------------------------------------------------------ */

struct pg_conn *pq_connect(const char *conninfo, const char *dbname,
                           const char *application_name,
                           struct migc_error *err)
{
    /* expand_dbname: dbname may be a whole connection string or URL; an
     * empty or NULL value is left to libpq's environment. Only the first
     * dbname is expanded: a second one replaces the database it names. */
    const char *const keys[] = {"dbname", "fallback_application_name",
                                dbname ? "dbname" : NULL, NULL};
    const char *const values[] = {conninfo, application_name, dbname, NULL};
    /* A string libpq cannot read makes it quote the offending part, which
     * may be the password (an unencoded % in a URL): read it first, and
     * say only that it is malformed. */
    char *why = NULL;
    PQconninfoOption *opts =
        conninfo && *conninfo ? PQconninfoParse(conninfo, &why) : NULL;
    if (conninfo && *conninfo && !opts) {
        migc_error_set(err, why ? MIGC_ERR_CONNECT : MIGC_ERR_NOMEM,
                       why ? "cannot connect to the database: the connection "
                             "string is malformed (not shown: it may hold a "
                             "password); check its escaping, e.g. %%25 for "
                             "a %% in a URL"
                           : "out of memory");
        PQfreemem(why);
        return NULL;
    }
    PQconninfoFree(opts);
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    if (!conn) {
        migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        /* libpq's message names host and port, never the password. */
        migc_error_set(err, MIGC_ERR_CONNECT,
                       "cannot connect to the database: %s",
                       PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

struct pg_conn *migc_connect(const char *conninfo, const char *application_name,
                             struct migc_error *error)
{
    struct migc_error local;
    if (migc_error_in(&local, error) != MIGC_OK)
        return NULL;
    struct pg_conn *conn =
        pq_connect(conninfo, NULL, application_name, error ? &local : NULL);
    migc_error_out(error, &local);
    return conn;
}

void migc_disconnect(struct pg_conn *conn)
{
    PQfinish(conn);
}

int pq_conn_ok(const struct pg_conn *pg)
{
    return pg && PQstatus(pg) == CONNECTION_OK;
}

struct pg_conn *pq_connect_like(struct pg_conn *pg, int64_t timeout_ms)
{
    PQconninfoOption *opts = PQconninfo(pg);
    if (!opts)
        return NULL;
    size_t n = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        n++;
    const char **keys = calloc(n + 2, sizeof *keys);
    const char **values = calloc(n + 2, sizeof *values);
    char limit[32];
    snprintf(limit, sizeof limit, "%lld",
             (long long)(timeout_ms < 2000 ? 2 : (timeout_ms + 999) / 1000));
    size_t k = 0;
    for (PQconninfoOption *o = opts; keys && values && o->keyword; o++) {
        if (!o->val || !*o->val || strcmp(o->keyword, "connect_timeout") == 0)
            continue;
        keys[k] = o->keyword;
        values[k++] = o->val;
    }
    PGconn *conn = NULL;
    if (keys && values) {
        keys[k] = "connect_timeout";
        values[k] = limit;
        conn = PQconnectdbParams(keys, values, 0);
    }
    free(keys);
    free(values);
    PQconninfoFree(opts);
    if (conn && PQstatus(conn) != CONNECTION_OK) {
        PQfinish(conn);
        conn = NULL;
    }
    if (conn)
        pq_quiet(conn);
    return conn;
}

struct pg_result *pq_exec_within(struct pg_conn *pg, const char *sql,
                                 int n_params, const char *const *params,
                                 int64_t timeout_ms)
{
    if (!PQsendQueryParams(pg, sql, n_params, NULL, params, NULL, NULL, 0))
        return NULL;
    int64_t end = pq_now_ms() + timeout_ms;
    while (PQisBusy(pg)) {
        struct pollfd pfd = {.fd = PQsocket(pg), .events = POLLIN};
        int64_t now = pq_now_ms();
        if (now >= end)
            return NULL; /* the caller drops the connection */
        int r = poll(&pfd, 1, (int)(end - now));
        if ((r < 0 && errno != EINTR) || (r > 0 && !PQconsumeInput(pg)))
            return NULL;
    }
    PGresult *res, *last = NULL;
    while ((res = PQgetResult(pg)) != NULL) {
        PQclear(last);
        last = res;
    }
    return last;
}

static void no_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

void pq_quiet(struct pg_conn *pg)
{
    PQsetNoticeProcessor(pg, no_notice, NULL);
}

int pq_server_version(const struct pg_conn *pg)
{
    return PQserverVersion(pg);
}

int pq_conn_lost(const struct conn *c)
{
    return PQstatus(c->pg) == CONNECTION_BAD;
}

const char *pq_conn_message(const struct pg_conn *pg)
{
    return PQerrorMessage(pg);
}

int pq_quote(struct pg_conn *pg, const char *ident, struct sql *out)
{
    char *q = PQescapeIdentifier(pg, ident, strlen(ident));
    if (!q)
        return -1;
    sql_add(out, q);
    PQfreemem(q);
    return 0;
}

void pq_rollback(struct conn *c)
{
    if (PQstatus(c->pg) != CONNECTION_OK ||
        PQtransactionStatus(c->pg) == PQTRANS_IDLE)
        return;
    PQclear(pq_exec(c, "ROLLBACK", 0, NULL));
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

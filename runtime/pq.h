/* pq.h: the runtime's one wrapper of libpq: the caller's connection, its
 * round trips (pipelines, single statements), results by row and column,
 * and the server's error fields copied into a migc_error. Only pq.c
 * includes libpq-fe.h: to the rest of the runtime a connection and a
 * result are opaque. */
#ifndef MIGC_RUNTIME_PQ_H
#define MIGC_RUNTIME_PQ_H

#include <stddef.h>
#include <stdint.h>

#include "migc.h"
#include "sql.h"

struct pg_result; /* libpq's PGresult */

/* Told every tick_ms while the server is still working on a round trip,
 * waited_ms after it was sent: on query `index` (0 for pq_exec) or, in a
 * pipeline, a later one (its results come together at the sync). */
typedef void pq_wait_fn(void *ctx, int index, int64_t waited_ms);

/* The caller's connection and the round trips made on it. */
struct conn {
    struct pg_conn *pg;
    unsigned round_trips;
    pq_wait_fn *on_wait; /* NULL: wait without telling */
    void *wait_ctx;
    int64_t tick_ms;
    int nomem; /* the last pipeline_run ran out of memory (pq_error) */
};

enum { PQ_MAX_PARAMS = 6 };

/* One query of a pipeline: its text and parameters (text values, owned by
 * the caller until the pipeline ran), and what the caller knows of it
 * (owner, part), untouched here, to name the query in an error. */
struct pq_query {
    const char *sql;
    int n_params;
    const char *params[PQ_MAX_PARAMS];
    const void *owner;
    int part;
};

/* The queries of a pipeline being built. Zero-initialised it is empty. */
struct batch {
    struct pq_query *q;
    size_t n;
    size_t cap;
    int nomem; /* an add ran out of memory: the batch is incomplete */
};

/* Append a query of text sql without parameters; set its parameters and
 * tags through the pointer returned. NULL when out of memory (b->nomem). */
struct pq_query *batch_add(struct batch *b, const char *sql);
void batch_free(struct batch *b);

/* The results of one pipeline, up to its sync. */
struct pipeline {
    int n;                      /* queries sent */
    struct pg_result **results; /* per query: its result, NULL when skipped
                                   after an error */
    int error_index;            /* the first failing query, -1 when none */
    long error_position;        /* the error's position in that query
                                   (1-based characters), 0 when none */
};

/* Send queries q[0, n) in pipeline mode and read every result up to the
 * sync: one round trip. Returns 0 when every query succeeded, -1 otherwise
 * (p->error_index is the failing query, or -1 when the connection broke or
 * memory ran out). p is always initialised; free it with pipeline_clear(). */
int pipeline_run(struct conn *c, const struct pq_query *q, size_t n,
                 struct pipeline *p);
void pipeline_clear(struct pipeline *p);

/* pipeline_run's work as one query string (the simple protocol) instead:
 * the queries' texts joined by semicolons, their parameters written as
 * literals, sent as one message. One round trip, as pipeline_run, and the
 * same results (a result per query, the first failure in error_index,
 * the queries after it skipped), for a tenth of the server's work on
 * statements as short as a migration's: one message to parse, not four a
 * statement. What it cannot do: tell, while the server works, which
 * query it is on (the server sends the results at the end). A COPY is
 * refused at the server. */
int script_run(struct conn *c, const struct pq_query *q, size_t n,
               struct pipeline *p);

/* The result of query i when it returned rows, else NULL. */
const struct pg_result *pipeline_rows(const struct pipeline *p, int i);

/* Query i's result, handed over to the caller (pq_clear() it); NULL when
 * none. */
struct pg_result *pipeline_take(struct pipeline *p, int i);

/* The failing query's result, or NULL. */
const struct pg_result *pipeline_error(const struct pipeline *p);

/* The failing query, or NULL. */
const struct pq_query *pipeline_failed(const struct pipeline *p,
                                       const struct pq_query *q);

/* One statement alone with the extended protocol, outside pipeline mode:
 * one round trip. Never NULL except out of memory. */
struct pg_result *pq_exec(struct conn *c, const char *sql, int n_params,
                          const char *const *params);
void pq_clear(struct pg_result *res);

/* ---- Results ------------------------------------------------------------ */

/* The result is a success (a command or rows). */
int pq_ok(const struct pg_result *res);

/* The result holds rows (possibly none). */
int pq_has_rows(const struct pg_result *res);

int pq_rows(const struct pg_result *res);

/* A value as text ("" for NULL), whether it is NULL, its length. */
const char *pq_value(const struct pg_result *res, int row, int col);
int pq_isnull(const struct pg_result *res, int row, int col);
size_t pq_length(const struct pg_result *res, int row, int col);

/* Rows a command changed (0 when it says none). */
long pq_changed(const struct pg_result *res);

/* The server's SQLSTATE, "" when none. */
const char *pq_sqlstate(const struct pg_result *res);

/* The server's primary message, or NULL. */
const char *pq_message(const struct pg_result *res);

/* The error's position in the statement: 1-based characters, 0 when the
 * server gave none. */
long pq_position(const struct pg_result *res);

/* Copy the server's SQLSTATE, DETAIL and HINT into err (no first-error
 * check: the caller just filled err's message). res may be NULL. */
void pq_error_fields(struct migc_error *err, const struct pg_result *res);

/* Fill err (first error wins) with "what: server message" and the server's
 * SQLSTATE, DETAIL and HINT; a lost connection becomes MIGC_ERR_CONNECT,
 * a pipeline_run out of memory MIGC_ERR_NOMEM ("what: out of memory", not
 * the connection's last message, which is stale then). res may be NULL
 * (then the connection's message). Returns the code. */
enum migc_code pq_error(struct migc_error *err, enum migc_code code,
                        const struct pg_result *res, const struct conn *c,
                        const char *what);

/* ---- The connection ------------------------------------------------------ */

/* Opening and closing one: migc_connect() and migc_disconnect() (the
 * public API, defined in pq.c). */

/* migc_connect() (which is this with dbname NULL), to database dbname
 * of the server conninfo names when dbname is not NULL. */
struct pg_conn *pq_connect(const char *conninfo, const char *dbname,
                           const char *application_name,
                           struct migc_error *err);

/* Notices (DROP ... IF EXISTS "skipping") dropped instead of printed by
 * libpq: for the connections the library opens for itself. */
void pq_quiet(struct pg_conn *pg);

/* The server's version number (150004 for 15.4); 0 when unknown. */
int pq_server_version(const struct pg_conn *pg);

/* A second connection to the server and database of pg, made with pg's
 * parameters (its password too), notices dropped: for looking at what pg's
 * server process does while pg waits for a pipeline. NULL when it cannot
 * connect within timeout_ms (at least 2 s: libpq's granularity). */
struct pg_conn *pq_connect_like(struct pg_conn *pg, int64_t timeout_ms);

/* One query on pg, given up after timeout_ms (pg is then still busy: the
 * caller closes it). The last result, or NULL when it timed out or the
 * connection failed. */
struct pg_result *pq_exec_within(struct pg_conn *pg, const char *sql,
                                 int n_params, const char *const *params,
                                 int64_t timeout_ms);

/* The connection is open and usable. */
int pq_conn_ok(const struct pg_conn *pg);

/* The connection broke. */
int pq_conn_lost(const struct conn *c);

/* libpq's last message on the connection. */
const char *pq_conn_message(const struct pg_conn *pg);

/* Append ident quoted as an SQL identifier to out. Returns 0, or -1 when
 * libpq refused it (pq_conn_message() says why); out of memory is marked
 * in out. */
int pq_quote(struct pg_conn *pg, const char *ident, struct sql *out);

/* Leave the connection idle: ROLLBACK when a transaction is open. */
void pq_rollback(struct conn *c);

/* Milliseconds of a monotonic clock. */
int64_t pq_now_ms(void);

/* Sleep for ms milliseconds. */
void pq_sleep_ms(int64_t ms);

#endif

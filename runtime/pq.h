/* pq.h: the runtime's round trips: pipelines, single statements, and the
 * server's error fields copied into a migc_error. */
#ifndef MIGC_RUNTIME_PQ_H
#define MIGC_RUNTIME_PQ_H

#include <libpq-fe.h>

#include "ledger.h"
#include "migc.h"

/* The results of one pipeline, up to its sync. */
struct pipeline {
    int n;               /* queries sent */
    PGresult **results;  /* per query: its result, NULL when skipped after
                            an error */
    int error_index;     /* the first failing query, -1 when none */
};

/* Send queries [0, n) in pipeline mode and read every result up to the
 * sync: one round trip. n_params and params may be NULL (no parameters).
 * Returns 0 when every query succeeded, -1 otherwise (p->error_index is the
 * failing query, or -1 when the connection broke or memory ran out). p is
 * always initialised; free it with pipeline_clear(). */
int pipeline_run(struct session *s, int n, const char *const *sql,
                 const int *n_params, const char *const *const *params,
                 struct pipeline *p);
void pipeline_clear(struct pipeline *p);

/* The result of query i when it returned rows, else NULL. */
const PGresult *pipeline_rows(const struct pipeline *p, int i);

/* The failing query's result, or NULL. */
const PGresult *pipeline_error(const struct pipeline *p);

/* One statement alone with the extended protocol, outside pipeline mode:
 * one round trip. Never NULL except out of memory. */
PGresult *pq_exec(struct session *s, const char *sql, int n_params,
                  const char *const *params);

/* The first row whose column col holds value, or -1. */
int pq_find_row(const PGresult *res, int col, const char *value);

/* The result is a success (a command or rows). */
int pq_ok(const PGresult *res);

/* The server's SQLSTATE, "" when none. */
const char *pq_sqlstate(const PGresult *res);

/* Fill err (first error wins) with "what: server message" and the server's
 * SQLSTATE, DETAIL and HINT; a lost connection becomes MIGC_ERR_CONNECT.
 * res may be NULL (then the connection's message). Returns the code. */
enum migc_code pq_error(struct migc_error *err, enum migc_code code,
                        const PGresult *res, PGconn *conn, const char *what);

/* Leave the connection idle: ROLLBACK when a transaction is open. */
void pq_rollback(struct session *s);

/* Milliseconds of a monotonic clock. */
int64_t pq_now_ms(void);

/* Sleep for ms milliseconds. */
void pq_sleep_ms(int64_t ms);

#endif

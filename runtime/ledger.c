/* ledger.c: every conversation with the server (the one libpq user).
 *
 * Protocol (see docs/ledger.md): the up-to-date path is one SELECT of the
 * ledger. Applying takes, per migration, a transaction-scoped advisory lock
 * derived from the ledger name, re-reads that migration's ledger row under
 * it, and runs the statements and the ledger INSERT in the same transaction,
 * pipelined. Transaction-scoped locks are never leaked by an error path and
 * hold behind poolers that hand out a server connection per transaction. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "ledger.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"

/* Inside our own transactions only: IF NOT EXISTS chatter is not news, and
 * the caller's connection settings outlive us unchanged. */
static const char quiet[] = "SET LOCAL client_min_messages = warning";

static const char ledger_columns[] =
    "version bigint PRIMARY KEY,"
    " name text NOT NULL,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now(),"
    " duration_us bigint NOT NULL DEFAULT 0,"
    " success boolean NOT NULL DEFAULT true,"
    " failed_statement integer,"
    " error text";

/* FNV-1a, 64 bits: a stable lock key from the ledger's quoted name, the same
 * in every process and on every host. */
static int64_t lock_key_of(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return (int64_t)h;
}

static char *quote_ident(PGconn *conn, const char *ident,
                         struct migc_error *err)
{
    char *q = PQescapeIdentifier(conn, ident, strlen(ident));
    if (!q)
        migc_error_set(err, MIGC_ERR_ARG, "cannot quote ledger name \"%s\": %s",
                       ident, PQerrorMessage(conn));
    return q;
}

enum migc_code session_begin(struct session *s, struct pg_conn *conn,
                             const struct migc_options *opts,
                             struct migc_error *err)
{
    *s = (struct session){.conn = conn};
    const char *schema = opts && opts->ledger_schema ? opts->ledger_schema
                                                     : "public";
    const char *table = opts && opts->ledger_table ? opts->ledger_table
                                                   : "migc_migrations";
    if (PQstatus(conn) != CONNECTION_OK)
        return migc_error_set(err, MIGC_ERR_CONNECT,
                              "connection is not open: %s",
                              PQerrorMessage(conn));
    char *qs = quote_ident(conn, schema, err);
    char *qt = qs ? quote_ident(conn, table, err) : NULL;
    if (!qt) {
        PQfreemem(qs);
        return err ? err->code : MIGC_ERR_ARG;
    }
    size_t n = strlen(qs) + strlen(qt) + 2;
    s->table = malloc(n);
    s->schema_quoted = malloc(strlen(qs) + 1);
    if (!s->table || !s->schema_quoted) {
        PQfreemem(qs);
        PQfreemem(qt);
        session_end(s);
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    }
    snprintf(s->table, n, "%s.%s", qs, qt);
    strcpy(s->schema_quoted, qs);
    s->schema_is_public = strcmp(schema, "public") == 0;
    s->lock_key = lock_key_of(s->table);
    PQfreemem(qs);
    PQfreemem(qt);
    return MIGC_OK;
}

void session_end(struct session *s)
{
    free(s->table);
    free(s->schema_quoted);
    s->table = s->schema_quoted = NULL;
}

/* Copy the server's error fields into err (first error wins). */
static enum migc_code set_server_error(struct migc_error *err,
                                       enum migc_code code,
                                       const PGresult *res, PGconn *conn,
                                       const char *what)
{
    /* A connection lost on the way is not a query's fault. */
    if (PQstatus(conn) == CONNECTION_BAD)
        code = MIGC_ERR_CONNECT;
    if (migc_error_isset(err))
        return code;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                          : NULL;
    if (!msg)
        msg = PQerrorMessage(conn);
    migc_error_set(err, code, "%s: %s", what, msg);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (err && state)
        snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state);
    return code;
}

static const char *sqlstate_of(const PGresult *res)
{
    const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    return s ? s : "";
}

enum migc_code ledger_read(struct session *s, struct ledger_rows *rows,
                           struct migc_error *err)
{
    *rows = (struct ledger_rows){0};
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT version, name, checksum, success,"
             " to_char(applied_at, 'YYYY-MM-DD HH24:MI:SSOF'),"
             " duration_us FROM %s ORDER BY version",
             s->table);
    s->round_trips++;
    PGresult *res = PQexec(s->conn, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        /* No ledger yet (table or schema absent): everything is pending. */
        const char *st = sqlstate_of(res);
        int absent = strcmp(st, "42P01") == 0 || strcmp(st, "3F000") == 0;
        enum migc_code rc =
            absent ? MIGC_OK
                   : set_server_error(err, MIGC_ERR_QUERY, res, s->conn,
                                      "cannot read the migration ledger");
        PQclear(res);
        return rc;
    }
    rows->exists = 1;
    int n = PQntuples(res);
    rows->rows = calloc(n > 0 ? (size_t)n : 1, sizeof *rows->rows);
    if (!rows->rows) {
        PQclear(res);
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        struct ledger_row *r = &rows->rows[i];
        r->version = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        snprintf(r->name, sizeof r->name, "%s", PQgetvalue(res, i, 1));
        snprintf(r->checksum, sizeof r->checksum, "%s", PQgetvalue(res, i, 2));
        r->success = PQgetvalue(res, i, 3)[0] == 't';
        snprintf(r->applied_at, sizeof r->applied_at, "%s",
                 PQgetvalue(res, i, 4));
        r->duration_us = strtoll(PQgetvalue(res, i, 5), NULL, 10);
    }
    rows->n = (size_t)n;
    PQclear(res);
    return MIGC_OK;
}

void ledger_rows_free(struct ledger_rows *rows)
{
    free(rows->rows);
    *rows = (struct ledger_rows){0};
}

/* Results of one pipeline, up to its sync. The first failing query's result
 * is kept (and its index) so the caller can map the error. */
struct pipeline {
    PGresult *first_error;
    int error_index;
    PGresult *keep;  /* the result of the query at keep_index */
    int keep_index;
};

#define PIPELINE_INIT {NULL, -1, NULL, -1}

static void pipeline_clear(struct pipeline *p)
{
    PQclear(p->first_error);
    PQclear(p->keep);
    *p = (struct pipeline)PIPELINE_INIT;
}

/* Read results until the sync. Returns 0 when every query succeeded, -1 when
 * one failed (p->first_error) or the connection broke (p->first_error NULL). */
static int pipeline_collect(PGconn *conn, struct pipeline *p)
{
    int index = 0, nulls = 0;
    for (;;) {
        PGresult *res = PQgetResult(conn);
        if (!res) {
            /* NULL ends one query's results; two in a row before the sync
             * only happen on a broken connection. */
            if (++nulls > 1 || PQstatus(conn) == CONNECTION_BAD)
                return -1;
            index++;
            continue;
        }
        nulls = 0;
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            break;
        }
        if (st == PGRES_FATAL_ERROR && !p->first_error) {
            p->first_error = res;
            p->error_index = index;
        } else if (st == PGRES_TUPLES_OK && index == p->keep_index &&
                   !p->keep) {
            p->keep = res;
        } else {
            PQclear(res);
        }
    }
    return p->first_error ? -1 : 0;
}

static int send_query(PGconn *conn, const char *sql, int n_params,
                const char *const *params)
{
    return PQsendQueryParams(conn, sql, n_params, NULL, params, NULL, NULL,
                             0);
}

/* Run queries [0, n) as one pipeline (one round trip). keep_index selects a
 * result to keep in p. Returns 0 or -1 (see pipeline_collect). */
static int run_pipeline(struct session *s, const char *const *sql, int n,
                        const char *const *const *params, const int *n_params,
                        struct pipeline *p)
{
    PGconn *conn = s->conn;
    if (!PQenterPipelineMode(conn))
        return -1;
    int ok = 1;
    for (int i = 0; ok && i < n; i++)
        ok = send_query(conn, sql[i], n_params ? n_params[i] : 0,
                  params ? params[i] : NULL);
    ok = ok && PQpipelineSync(conn);
    s->round_trips++;
    int rc = ok ? pipeline_collect(conn, p) : -1;
    if (!ok) {
        /* Drain whatever was queued before the failure. */
        PGresult *res;
        while ((res = PQgetResult(conn)) != NULL)
            PQclear(res);
    }
    PQexitPipelineMode(conn);
    return rc;
}

/* Leave the connection idle whatever happened. */
static void rollback_if_open(struct session *s)
{
    if (PQtransactionStatus(s->conn) == PQTRANS_IDLE ||
        PQstatus(s->conn) != CONNECTION_OK)
        return;
    s->round_trips++;
    PQclear(PQexec(s->conn, "ROLLBACK"));
}

enum migc_code ledger_create(struct session *s, struct migc_error *err)
{
    char lock[128], schema[512], create[1024];
    snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%lld)",
             (long long)s->lock_key);
    snprintf(schema, sizeof schema, "CREATE SCHEMA IF NOT EXISTS %s",
             s->schema_quoted);
    snprintf(create, sizeof create, "CREATE TABLE IF NOT EXISTS %s (%s)",
             s->table, ledger_columns);
    const char *sql[6] = {"BEGIN", quiet, lock, create, "COMMIT", NULL};
    int n = 5;
    if (!s->schema_is_public) {
        const char *with_schema[6] = {"BEGIN", quiet,  lock,
                                      schema,  create, "COMMIT"};
        memcpy(sql, with_schema, sizeof sql);
        n = 6;
    }
    struct pipeline p = PIPELINE_INIT;
    int rc = run_pipeline(s, sql, n, NULL, NULL, &p);
    if (rc != 0)
        set_server_error(err, MIGC_ERR_QUERY, p.first_error, s->conn,
                         "cannot create the migration ledger");
    pipeline_clear(&p);
    rollback_if_open(s);
    return rc == 0 ? MIGC_OK : err ? err->code : MIGC_ERR_QUERY;
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

static enum migc_code statement_error(struct migc_error *err,
                                      const struct migc_migration *m,
                                      int index, const PGresult *res)
{
    if (migc_error_isset(err) || !err)
        return MIGC_ERR_MIGRATION;
    const struct migc_statement *st = &m->up.statements[index];
    const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
    uint32_t line = st->line, col = st->column;
    if (pos)
        map_position(st, strtol(pos, NULL, 10), &line, &col);
    const char *state = sqlstate_of(res);
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

/* The recheck under the lock: the server clock, and this version's ledger
 * row (checksum, success), NULLs when it has none. */
static void recheck_sql(const struct session *s, char *out, size_t size)
{
    snprintf(out, size,
             "SELECT clock_timestamp()::text, l.checksum, l.success"
             " FROM (SELECT 1) AS one LEFT JOIN %s AS l ON l.version = $1",
             s->table);
}

/* The row found under the lock (another process got there first): applied
 * with the embedded checksum (MIGC_OK, nothing to do), with another one, or
 * recorded as failed, which stops this run as it stops a fresh one. */
static enum migc_code recheck_verdict(const PGresult *res,
                                      const struct migc_migration *m,
                                      struct migc_error *err)
{
    int failed = PQgetvalue(res, 0, 2)[0] != 't';
    const char *checksum = PQgetvalue(res, 0, 1);
    if (!failed && strcmp(checksum, m->up.checksum) == 0)
        return MIGC_OK;
    enum migc_code rc = failed ? MIGC_ERR_FAILED : MIGC_ERR_CHECKSUM;
    if (!err || migc_error_isset(err))
        return rc;
    if (failed)
        migc_error_set(err, rc,
                       "migration %lld (%s) is recorded as failed; fix the "
                       "database, then resolve it",
                       (long long)m->version, m->name);
    else
        migc_error_set(err, rc,
                       "migration %lld (%s) was applied with checksum %.12s, "
                       "the embedded one is %.12s",
                       (long long)m->version, m->name, checksum,
                       m->up.checksum);
    err->version = m->version;
    err->path = m->up.path;
    return rc;
}

/* First round trip of an apply: open the transaction, wait for the lock,
 * and read this migration's row (and the server clock) under it. */
static enum migc_code lock_and_recheck(struct session *s,
                                       const struct migc_migration *m,
                                       int *present, char *started,
                                       size_t started_size,
                                       struct migc_error *err)
{
    char lock[128], check[512], version[32];
    snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%lld)",
             (long long)s->lock_key);
    recheck_sql(s, check, sizeof check);
    snprintf(version, sizeof version, "%lld", (long long)m->version);
    const char *params[1] = {version};
    const char *sql[4] = {"BEGIN", quiet, lock, check};
    const char *const *param_sets[4] = {NULL, NULL, NULL, params};
    const int n_params[4] = {0, 0, 0, 1};
    struct pipeline p = PIPELINE_INIT;
    p.keep_index = 3;
    enum migc_code rc = MIGC_OK;
    if (run_pipeline(s, sql, 4, param_sets, n_params, &p) != 0 || !p.keep) {
        rc = set_server_error(err, MIGC_ERR_QUERY, p.first_error, s->conn,
                              "cannot lock the migration ledger");
    } else {
        snprintf(started, started_size, "%s", PQgetvalue(p.keep, 0, 0));
        *present = !PQgetisnull(p.keep, 0, 1);
        if (*present)
            rc = recheck_verdict(p.keep, m, err);
    }
    pipeline_clear(&p);
    return rc;
}

static int64_t elapsed_us(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (int64_t)(t1.tv_sec - t0->tv_sec) * 1000000 +
           (t1.tv_nsec - t0->tv_nsec) / 1000;
}

static int command_ok(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* One statement alone, outside pipeline mode (PostgreSQL refuses CREATE
 * INDEX CONCURRENTLY and its kind in a pipeline). */
static PGresult *exec_alone(struct session *s, const char *sql, int n_params,
                            const char *const *params)
{
    s->round_trips++;
    return PQexecParams(s->conn, sql, n_params, NULL, params, NULL, NULL, 0);
}

/* The ledger row of a migration: $1 version, $2 name, $3 checksum, $4 the
 * server time it started (its duration runs from there), $5 the index of
 * the failed statement and $6 the error, both NULL for a success. */
static void insert_sql(const struct session *s, char *out, size_t size)
{
    snprintf(out, size,
             "INSERT INTO %s (version, name, checksum, duration_us, success,"
             " failed_statement, error) VALUES ($1, $2, $3, (extract(epoch"
             " FROM clock_timestamp() - $4::timestamptz) * 1000000)::bigint,"
             " $5::int IS NULL, $5::int, $6)",
             s->table);
}

/* Record the outcome of a script run outside a transaction: what ran stays
 * applied, so a failure is recorded too (success false, the statement and
 * the error), and later runs refuse to continue past it (MIGC_ERR_FAILED). */
static enum migc_code record_outside(struct session *s,
                                     const struct migc_migration *m,
                                     const char *started, int failed_index,
                                     struct migc_error *err)
{
    char insert[768], version[32], index[32];
    insert_sql(s, insert, sizeof insert);
    snprintf(version, sizeof version, "%lld", (long long)m->version);
    snprintf(index, sizeof index, "%d", failed_index);
    const char *params[6] = {version,
                             m->name,
                             m->up.checksum,
                             started,
                             failed_index >= 0 ? index : NULL,
                             failed_index >= 0 && err ? err->message : NULL};
    PGresult *res = exec_alone(s, insert, 6, params);
    enum migc_code rc = MIGC_OK;
    if (!command_ok(res))
        rc = set_server_error(err, MIGC_ERR_QUERY, res, s->conn,
                              "cannot record the migration");
    PQclear(res);
    return rc;
}

/* A script that runs without a transaction (MIGC_SCRIPT_NO_TRANSACTION):
 * under a session-level advisory lock, released on every path; its ledger
 * row re-read under the lock; then each statement on its own, as written
 * (a script's own BEGIN ... COMMIT blocks included); then its ledger row. */
static enum migc_code run_outside(struct session *s,
                                  const struct migc_migration *m,
                                  int *applied, int64_t *duration_us,
                                  struct migc_error *err)
{
    char lock[128], unlock[128], check[512], version[32];
    snprintf(lock, sizeof lock, "SELECT pg_advisory_lock(%lld)",
             (long long)s->lock_key);
    snprintf(unlock, sizeof unlock, "SELECT pg_advisory_unlock(%lld)",
             (long long)s->lock_key);
    recheck_sql(s, check, sizeof check);
    snprintf(version, sizeof version, "%lld", (long long)m->version);
    const char *params[1] = {version};
    const char *sql[2] = {lock, check};
    const char *const *param_sets[2] = {NULL, params};
    const int n_params[2] = {0, 1};
    struct pipeline p = PIPELINE_INIT;
    p.keep_index = 1;
    enum migc_code rc = MIGC_OK;
    char started[64] = "";
    if (run_pipeline(s, sql, 2, param_sets, n_params, &p) != 0 || !p.keep) {
        rc = set_server_error(err, MIGC_ERR_QUERY, p.first_error, s->conn,
                              "cannot lock the migration ledger");
        /* Unlocking a lock never taken only earns a server WARNING. */
        int locked = !(p.first_error && p.error_index == 0);
        pipeline_clear(&p);
        if (locked && PQstatus(s->conn) == CONNECTION_OK)
            PQclear(exec_alone(s, unlock, 0, NULL));
        return rc;
    }
    snprintf(started, sizeof started, "%s", PQgetvalue(p.keep, 0, 0));
    if (!PQgetisnull(p.keep, 0, 1)) {
        /* applied (or failed) by another process meanwhile */
        rc = recheck_verdict(p.keep, m, err);
        pipeline_clear(&p);
        PQclear(exec_alone(s, unlock, 0, NULL));
        return rc;
    }
    pipeline_clear(&p);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int failed_index = -1;
    for (size_t i = 0; i < m->up.n_statements && failed_index < 0; i++) {
        PGresult *res = exec_alone(s, m->up.statements[i].sql, 0, NULL);
        if (!command_ok(res)) {
            failed_index = (int)i;
            if (PQstatus(s->conn) == CONNECTION_BAD)
                rc = set_server_error(err, MIGC_ERR_CONNECT, res, s->conn,
                                      "connection lost");
            else
                rc = statement_error(err, m, (int)i, res);
        }
        PQclear(res);
    }
    *duration_us = elapsed_us(&t0);
    if (PQstatus(s->conn) == CONNECTION_OK) {
        rollback_if_open(s); /* a failure inside the script's own BEGIN */
        enum migc_code rec = record_outside(s, m, started, failed_index, err);
        if (rc == MIGC_OK)
            rc = rec;
        PQclear(exec_alone(s, unlock, 0, NULL));
    }
    if (rc == MIGC_OK)
        *applied = 1;
    else if (err && !err->version)
        err->version = m->version;
    return rc;
}

/* The failed row records the error's text whether or not the caller passed
 * an error struct, and whatever it already held: the script's errors go to
 * one of our own, then to the caller's (the first error wins there). */
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

enum migc_code ledger_apply(struct session *s, const struct migc_migration *m,
                            int *applied, int64_t *duration_us,
                            struct migc_error *err)
{
    *applied = 0;
    *duration_us = 0;
    if (m->up.flags & MIGC_SCRIPT_NO_TRANSACTION)
        return apply_outside(s, m, applied, duration_us, err);
    int present = 0;
    char started[64];
    enum migc_code rc =
        lock_and_recheck(s, m, &present, started, sizeof started, err);
    if (rc != MIGC_OK || present) {
        rollback_if_open(s); /* nothing was written: releases the lock */
        return rc;
    }

    /* Statements, ledger row and COMMIT: one pipeline, one round trip. */
    size_t n = m->up.n_statements + 2;
    const char **sql = calloc(n, sizeof *sql);
    const char *const **params = calloc(n, sizeof *params);
    int *n_params = calloc(n, sizeof *n_params);
    if (!sql || !params || !n_params) {
        free(sql);
        free(params);
        free(n_params);
        rollback_if_open(s);
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    }
    /* Statements are sent with their length-exact text: the data holds them
     * NUL-terminated too (string literals), which libpq needs. */
    for (size_t i = 0; i < m->up.n_statements; i++)
        sql[i] = m->up.statements[i].sql;
    char insert[768], version[32];
    insert_sql(s, insert, sizeof insert);
    snprintf(version, sizeof version, "%lld", (long long)m->version);
    const char *insert_params[6] = {version, m->name, m->up.checksum, started,
                                    NULL, NULL};
    sql[m->up.n_statements] = insert;
    params[m->up.n_statements] = insert_params;
    n_params[m->up.n_statements] = 6;
    sql[m->up.n_statements + 1] = "COMMIT";

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct pipeline p = PIPELINE_INIT;
    int failed = run_pipeline(s, sql, (int)n, params, n_params, &p);
    *duration_us = elapsed_us(&t0);
    if (failed) {
        if (p.first_error && p.error_index >= 0 &&
            (size_t)p.error_index < m->up.n_statements)
            rc = statement_error(err, m, p.error_index, p.first_error);
        else
            rc = set_server_error(err, MIGC_ERR_QUERY, p.first_error, s->conn,
                                  "cannot record the migration");
        if (err && !err->version)
            err->version = m->version;
    } else {
        *applied = 1;
    }
    pipeline_clear(&p);
    free(sql);
    free(params);
    free(n_params);
    rollback_if_open(s);
    return rc;
}

struct pg_conn *db_connect(const char *conninfo, struct migc_error *err)
{
    PGconn *conn = PQconnectdb(conninfo);
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

void db_close(struct pg_conn *conn)
{
    PQfinish(conn);
}

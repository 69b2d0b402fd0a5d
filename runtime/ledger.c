/* ledger.c: the session, the ledger tables, reading and creating them.
 *
 * The ledger (docs/ledger.md) holds a row per migration applied, running or
 * failed; the pack ledger beside it a row per pack synchronised. Reading
 * both is one round trip: the up-to-date path. */
#define _POSIX_C_SOURCE 200809L /* gethostname */
#include "ledger.h"

#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "pq.h"

/* The columns of this runtime's ledger; ledger_upgrade adds those a ledger
 * of an older runtime lacks (the first eight are in every ledger). */
static const char ledger_columns[] =
    "version bigint PRIMARY KEY,"
    " name text NOT NULL,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now(),"
    " duration_us bigint NOT NULL DEFAULT 0,"
    " success boolean NOT NULL DEFAULT true,"
    " failed_statement integer,"
    " error text,"
    " canonical text,"
    " completed integer NOT NULL DEFAULT 0,"
    " sqlstate text,"
    " holder text,"
    " holder_pid integer,"
    " heartbeat timestamptz";

static const char ledger_upgrade[] =
    " ADD COLUMN IF NOT EXISTS canonical text,"
    " ADD COLUMN IF NOT EXISTS completed integer NOT NULL DEFAULT 0,"
    " ADD COLUMN IF NOT EXISTS sqlstate text,"
    " ADD COLUMN IF NOT EXISTS holder text,"
    " ADD COLUMN IF NOT EXISTS holder_pid integer,"
    " ADD COLUMN IF NOT EXISTS heartbeat timestamptz";

static const char pack_columns[] =
    "name text PRIMARY KEY,"
    " checksum text NOT NULL,"
    " synced_at timestamptz NOT NULL DEFAULT now()";

/* Inside our own transactions only: IF NOT EXISTS chatter is not news, and
 * the caller's connection settings outlive us unchanged. */
static const char quiet[] = "SET LOCAL client_min_messages = warning";

static const struct migc_options no_options = {0};

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

static char *join3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

enum migc_code session_begin(struct session *s, struct pg_conn *conn,
                             const struct migc_options *opts,
                             struct migc_error *err)
{
    *s = (struct session){.conn = conn, .opts = opts ? opts : &no_options};
    const char *schema = s->opts->ledger_schema && *s->opts->ledger_schema
                             ? s->opts->ledger_schema
                             : "public";
    const char *table = s->opts->ledger_table && *s->opts->ledger_table
                            ? s->opts->ledger_table
                            : "migc_migrations";
    if (!conn || PQstatus(conn) != CONNECTION_OK)
        return migc_error_set(err, MIGC_ERR_CONNECT,
                              "connection is not open: %s",
                              conn ? PQerrorMessage(conn) : "no connection");
    char *packs_name = join3(table, "_packs", "");
    char *qs = quote_ident(conn, schema, err);
    char *qt = qs ? quote_ident(conn, table, err) : NULL;
    char *qp = qt && packs_name ? quote_ident(conn, packs_name, err) : NULL;
    free(packs_name);
    if (qp) {
        s->table = join3(qs, ".", qt);
        s->packs_table = join3(qs, ".", qp);
        s->schema_quoted = join3(qs, "", "");
    }
    PQfreemem(qs);
    PQfreemem(qt);
    PQfreemem(qp);
    if (!s->table || !s->packs_table || !s->schema_quoted) {
        session_end(s);
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    }
    s->schema_is_public = strcmp(schema, "public") == 0;
    s->lock_key = lock_key_of(s->table);
    char host[64] = "";
    if (gethostname(host, sizeof host - 1) != 0 || !host[0])
        snprintf(host, sizeof host, "localhost");
    /* The nonce tells two runs of one process apart. */
    snprintf(s->holder, sizeof s->holder, "%s:%ld:%08lx", host,
             (long)getpid(), (unsigned long)(pq_now_ms() ^ (uintptr_t)s));
    return MIGC_OK;
}

void session_end(struct session *s)
{
    free(s->table);
    free(s->packs_table);
    free(s->schema_quoted);
    s->table = s->packs_table = s->schema_quoted = NULL;
}

void session_log(struct session *s, enum migc_log_level level,
                 const char *fmt, ...)
{
    if (!s->opts->log)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    s->opts->log(level, line, s->opts->log_ctx);
}

/* A column of a result row into a buffer, cut to fit; NULL reads as "".
 * memcpy, not snprintf: this runs for every column of every ledger row on
 * the up-to-date path. */
static void copy(char *dst, size_t size, const PGresult *res, int row,
                 int col)
{
    size_t n = (size_t)PQgetlength(res, row, col);
    if (n >= size)
        n = size - 1;
    memcpy(dst, PQgetvalue(res, row, col), n);
    dst[n] = '\0';
}

static int absent(const PGresult *res)
{
    const char *st = pq_sqlstate(res);
    return strcmp(st, "42P01") == 0 || strcmp(st, "3F000") == 0;
}

/* The relation the server found missing is named before byte offset at
 * of the query. The server's position counts characters, fewer than bytes
 * only within quoted names, by less than the length of what separates the
 * two tables' names. A missing schema is missing for both tables. */
static int missing_before(const PGresult *res, long at)
{
    if (strcmp(pq_sqlstate(res), "3F000") == 0)
        return 1;
    const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
    long p = pos ? strtol(pos, NULL, 10) : 0;
    return p > 0 && p < at;
}

/* The ledger's columns in the read, by mode: the same eleven, but when
 * deciding an applied row leaves out what only status shows (the time
 * through to_char(), the duration, the progress and the error). A row
 * that is running or failed keeps them: whether it may be retried and the
 * refusal quoting its error depend on them. The name stays on every row:
 * the warnings and errors about a version the binary does not know quote
 * it, and which versions it knows is found out here, not on the server. */
static const char *const read_columns[] = {
    [LEDGER_READ_DECIDE] =
        "version, name, checksum, canonical, success,"
        " CASE WHEN NOT success THEN"
        " to_char(applied_at, 'YYYY-MM-DD HH24:MI:SSOF') END,"
        " CASE WHEN NOT success THEN duration_us END,"
        " CASE WHEN NOT success THEN completed END,"
        " CASE WHEN NOT success THEN failed_statement END,"
        " CASE WHEN NOT success THEN sqlstate END,"
        " CASE WHEN NOT success THEN error END",
    [LEDGER_READ_FULL] =
        "version, name, checksum, canonical, success,"
        " to_char(applied_at, 'YYYY-MM-DD HH24:MI:SSOF'), duration_us,"
        " completed, failed_statement, sqlstate, error",
};

/* A migration row of the result, for sorting them by version. */
struct row_order {
    int64_t version;
    int row;
};

static int by_version(const void *a, const void *b)
{
    int64_t x = ((const struct row_order *)a)->version;
    int64_t y = ((const struct row_order *)b)->version;
    return (x > y) - (x < y);
}

/* Rows of the main query: kind, then the columns of either table (NULL
 * reads as ""). */
static int fill_rows(const PGresult *res, struct ledger_rows *rows)
{
    int n = PQntuples(res);
    size_t migrations = 0, packs = 0;
    for (int i = 0; i < n; i++)
        if (PQgetvalue(res, i, 0)[0] == 'p')
            packs++;
        else
            migrations++;
    rows->rows = calloc(migrations ? migrations : 1, sizeof *rows->rows);
    rows->packs = calloc(packs ? packs : 1, sizeof *rows->packs);
    struct row_order *order =
        malloc((migrations ? migrations : 1) * sizeof *order);
    if (!rows->rows || !rows->packs || !order) {
        free(order);
        return -1;
    }
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        if (PQgetvalue(res, i, 0)[0] != 'p') {
            order[k++] = (struct row_order){
                strtoll(PQgetvalue(res, i, 1), NULL, 10), i};
            continue;
        }
        struct pack_row *p = &rows->packs[rows->n_packs++];
        copy(p->name, sizeof p->name, res, i, 2);
        copy(p->checksum, sizeof p->checksum, res, i, 3);
        copy(p->synced_at, sizeof p->synced_at, res, i, 6);
    }
    /* Sorted here rather than by the server, where sorting the rows, wide
     * as they are, took a quarter of the up-to-date check's time. */
    qsort(order, migrations, sizeof *order, by_version);
    for (k = 0; k < migrations; k++) {
        int i = order[k].row;
        struct ledger_row *r = &rows->rows[rows->n++];
        r->version = order[k].version;
        copy(r->name, sizeof r->name, res, i, 2);
        copy(r->checksum, sizeof r->checksum, res, i, 3);
        copy(r->canonical, sizeof r->canonical, res, i, 4);
        int success = PQgetvalue(res, i, 5)[0] == 't';
        copy(r->applied_at, sizeof r->applied_at, res, i, 6);
        r->duration_us = strtoll(PQgetvalue(res, i, 7), NULL, 10);
        r->completed = atoi(PQgetvalue(res, i, 8));
        r->failed_statement =
            PQgetisnull(res, i, 9) ? -1 : atoi(PQgetvalue(res, i, 9));
        copy(r->sqlstate, sizeof r->sqlstate, res, i, 10);
        int has_error = !PQgetisnull(res, i, 11);
        copy(r->error, sizeof r->error, res, i, 11);
        r->state = success     ? ROW_APPLIED
                   : has_error ? ROW_FAILED
                               : ROW_RUNNING;
    }
    free(order);
    return 0;
}

enum migc_code ledger_read(struct session *s, enum ledger_read_mode mode,
                           struct ledger_rows *rows, struct migc_error *err)
{
    *rows = (struct ledger_rows){0};
    char sql[2048];
    /* The pack ledger's half is the same in both modes: it keeps what
     * separates the two tables' names as long as missing_before needs. */
    snprintf(sql, sizeof sql,
             "SELECT 'm', %s FROM %s"
             " UNION ALL SELECT 'p', NULL, name, checksum, '', NULL,"
             " to_char(synced_at, 'YYYY-MM-DD HH24:MI:SSOF'), NULL, NULL,"
             " NULL, '', NULL FROM %s",
             read_columns[mode], s->table, s->packs_table);
    PGresult *res = pq_exec(s, sql, 0, NULL);
    const char *state = pq_sqlstate(res);
    if (PQresultStatus(res) != PGRES_TUPLES_OK && absent(res) &&
        missing_before(res, (long)(strstr(sql, " UNION ALL ") - sql))) {
        PQclear(res);
        return MIGC_OK; /* no ledger yet: everything is pending */
    }
    if (PQresultStatus(res) != PGRES_TUPLES_OK &&
        (absent(res) || strcmp(state, "42703") == 0)) {
        /* No ledger, or one of an older runtime: the columns every ledger
         * has, in either mode. Not the up-to-date path. */
        PQclear(res);
        snprintf(sql, sizeof sql,
                 "SELECT 'm', version, name, checksum, '', success,"
                 " to_char(applied_at, 'YYYY-MM-DD HH24:MI:SSOF'),"
                 " duration_us, coalesce(failed_statement, 0),"
                 " failed_statement, '', CASE WHEN NOT success THEN"
                 " coalesce(error, 'failed') END FROM %s",
                 s->table);
        res = pq_exec(s, sql, 0, NULL);
        if (PQresultStatus(res) != PGRES_TUPLES_OK && absent(res)) {
            PQclear(res);
            return MIGC_OK; /* no ledger yet: everything is pending */
        }
        rows->outdated = 1;
    }
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        enum migc_code rc = pq_error(err, MIGC_ERR_QUERY, res, s->conn,
                                     "cannot read the migration ledger");
        PQclear(res);
        return rc;
    }
    rows->exists = 1;
    int failed = fill_rows(res, rows);
    PQclear(res);
    if (failed) {
        ledger_rows_free(rows);
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    }
    return MIGC_OK;
}

void ledger_rows_free(struct ledger_rows *rows)
{
    free(rows->rows);
    free(rows->packs);
    *rows = (struct ledger_rows){0};
}

const struct ledger_row *ledger_find(const struct ledger_rows *rows,
                                     int64_t version)
{
    size_t lo = 0, hi = rows->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows->rows[mid].version == version)
            return &rows->rows[mid];
        if (rows->rows[mid].version < version)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct pack_row *ledger_find_pack(const struct ledger_rows *rows,
                                        const char *name)
{
    for (size_t i = 0; i < rows->n_packs; i++)
        if (strcmp(rows->packs[i].name, name) == 0)
            return &rows->packs[i];
    return NULL;
}

enum migc_code ledger_create(struct session *s, struct migc_error *err)
{
    enum migc_code rc = lock_take(s, NULL, 0, NULL, NULL, err);
    if (rc != MIGC_OK)
        return rc;
    char schema[512], create[1536], upgrade[1024], packs[768];
    snprintf(schema, sizeof schema, "CREATE SCHEMA IF NOT EXISTS %s",
             s->schema_quoted);
    snprintf(create, sizeof create, "CREATE TABLE IF NOT EXISTS %s (%s)",
             s->table, ledger_columns);
    snprintf(upgrade, sizeof upgrade, "ALTER TABLE %s%s", s->table,
             ledger_upgrade);
    snprintf(packs, sizeof packs, "CREATE TABLE IF NOT EXISTS %s (%s)",
             s->packs_table, pack_columns);
    const char *sql[5];
    int n = 0;
    if (!s->schema_is_public)
        sql[n++] = schema;
    sql[n++] = create;
    sql[n++] = upgrade;
    sql[n++] = packs;
    sql[n++] = "COMMIT";
    struct pipeline p;
    if (pipeline_run(s, n, sql, NULL, NULL, &p) != 0)
        rc = pq_error(err, MIGC_ERR_QUERY, pipeline_error(&p), s->conn,
                      "cannot create the migration ledger");
    pipeline_clear(&p);
    pq_rollback(s);
    return rc;
}

void ledger_recheck(const struct session *s, int64_t version, char *sql,
                    size_t size, char version_text[32], char stale_text[32])
{
    /* pg_stat_get_activity(pid), not the pg_stat_activity view: the view
     * costs more to plan than the rest of the query, on every migration. */
    snprintf(sql, size,
             "SELECT clock_timestamp()::text, l.checksum,"
             " coalesce(l.canonical, ''),"
             " CASE WHEN l.version IS NULL THEN NULL WHEN l.success THEN 'a'"
             " WHEN l.error IS NOT NULL THEN 'f' ELSE 'r' END,"
             " l.completed, l.failed_statement, coalesce(l.sqlstate, ''),"
             " coalesce(l.holder, ''),"
             " l.holder IS NOT NULL AND l.heartbeat > now() - $2::bigint *"
             " interval '1 millisecond' AND EXISTS (SELECT 1 FROM"
             " pg_stat_get_activity(l.holder_pid) a"
             " WHERE a.pid = l.holder_pid),"
             " coalesce(l.error, '')"
             " FROM (SELECT 1) AS one LEFT JOIN %s AS l ON l.version = $1",
             s->table);
    snprintf(version_text, 32, "%lld", (long long)version);
    snprintf(stale_text, 32, "%lld",
             (long long)(s->opts->stale_ms > 0 ? s->opts->stale_ms : 60000));
}

const char *ledger_quiet(void)
{
    return quiet;
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

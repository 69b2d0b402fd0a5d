/* schema_read.c: a database's schema read into a snapshot (schema.h).
 *
 * The command-line library's one libpq caller: libmigc's wrapper (pq.c)
 * is local to libmigc's archive, and this reads the catalogs, never the
 * ledger. The queries themselves are in schema_sql.c; this file runs them
 * inside one read-only snapshot, with the settings that make the server's
 * text the same on every side, and keeps their rows as items. */
#include "schema.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "schema_int.h"
#include "schema_sql.h"
#include "sql.h"

/* The kinds of object, in dependency order: a snapshot sorts by rank. */
static const struct {
    const char *kind;
    int rank;
} kinds[] = {
    {"schema", 1},    {"extension", 2},
    {"type", 3},      {"function", 4},
    {"procedure", 4}, {"aggregate", 4},
    {"sequence", 5},  {"table", 6},
    {"view", 7},      {"materialized view", 8},
    {"index", 9},
};

/* Settings local to the read: names qualified outside pg_catalog, and
 * constants in defaults and rows printed the same whatever the session's
 * own settings are. */
static const char settings_sql[] =
    "SELECT set_config('search_path', 'pg_catalog', true),"
    " set_config('DateStyle', 'ISO, YMD', true),"
    " set_config('IntervalStyle', 'postgres', true),"
    " set_config('TimeZone', 'UTC', true),"
    " set_config('extra_float_digits', '3', true),"
    " set_config('bytea_output', 'hex', true)";

/* A read in progress. */
struct reader {
    PGconn *pg;
    struct schema_snapshot *s;
    struct migc_error *err;
    const char *params[3];
    int savepoint; /* inside the caller's transaction */
};

static int item_cmp(const void *a, const void *b)
{
    return schema_key_cmp(*(struct schema_item *const *)a,
                          *(struct schema_item *const *)b);
}

void schema_free(struct schema_snapshot *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i]);
    free(s->items);
    free(s);
}

/* Copy s (NULL stays NULL) to *at, advancing it. */
static const char *put(char **at, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*at, s, n);
    const char *copy = *at;
    *at += n;
    return copy;
}

/* Append one item, its strings in its own allocation. 0, or -1 out of
 * memory. */
static int add_item(struct schema_snapshot *s, const char *kind, int rank,
                    char how, const char *name, const char *sub,
                    const char *attr, const char *value)
{
    size_t size = sizeof(struct schema_item) + strlen(name) + 1 +
                  (sub ? strlen(sub) + 1 : 0) + (attr ? strlen(attr) + 1 : 0) +
                  strlen(value) + 1;
    struct schema_item **items =
        grow_array(s->items, &s->cap, s->n + 1, sizeof *s->items);
    if (!items)
        return -1;
    s->items = items;
    struct schema_item *it = malloc(size);
    if (!it)
        return -1;
    char *at = (char *)(it + 1);
    it->kind = kind;
    it->rank = rank;
    it->how = how;
    it->name = put(&at, name);
    it->sub = put(&at, sub);
    it->attr = put(&at, attr);
    it->value = put(&at, value);
    s->items[s->n++] = it;
    return 0;
}

/* Fill r->err from a failed result (res may be NULL: the connection's
 * message); a lost connection is MIGC_ERR_CONNECT. */
static enum migc_code fail(struct reader *r, const PGresult *res,
                           const char *what)
{
    /* The primary message alone: PQresultErrorMessage() adds "ERROR:" and
     * the detail, which err keeps apart. */
    const char *msg =
        res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg || !*msg)
        msg = PQerrorMessage(r->pg);
    if (PQstatus(r->pg) != CONNECTION_OK)
        return migc_error_set(r->err, MIGC_ERR_CONNECT,
                              "reading the schema (%s): %s", what, msg);
    int first = !migc_error_isset(r->err);
    enum migc_code code = migc_error_set(
        r->err, MIGC_ERR_QUERY, "reading the schema (%s): %s", what, msg);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (first && state && r->err && strlen(state) < sizeof r->err->sqlstate)
        strcpy(r->err->sqlstate, state);
    return code;
}

/* Run sql with the reader's parameters (n_params of them). *out gets the
 * result when it succeeded (PQclear it); else r->err is filled. */
static enum migc_code run(struct reader *r, const char *what, const char *sql,
                          int n_params, PGresult **out)
{
    static const Oid types[3] = {1009, 1009, 16}; /* text[], text[], bool */
    PGresult *res =
        PQexecParams(r->pg, sql, n_params, types, r->params, NULL, NULL, 0);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        *out = res;
        return MIGC_OK;
    }
    if (!res && PQstatus(r->pg) == CONNECTION_OK)
        return migc_error_set(r->err, MIGC_ERR_NOMEM,
                              "reading the schema (%s): out of memory", what);
    enum migc_code code = fail(r, res, what);
    PQclear(res);
    return code;
}

/* Run a statement whose result is not needed. */
static enum migc_code run_command(struct reader *r, const char *what,
                                  const char *sql)
{
    PGresult *res = NULL;
    enum migc_code rc = run(r, what, sql, 0, &res);
    PQclear(res);
    return rc;
}

static int rank_of(const char *kind, const char **static_kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kinds[i].kind, kind) == 0) {
            *static_kind = kinds[i].kind;
            return kinds[i].rank;
        }
    return -1;
}

/* One catalog query's rows (kind, name, sub, attr, value, how) as items. */
static enum migc_code read_query(struct reader *r, const struct schema_query *q)
{
    PGresult *res = NULL;
    enum migc_code rc = run(r, q->what, q->sql, 3, &res);
    for (int i = 0; rc == MIGC_OK && i < PQntuples(res); i++) {
        const char *kind = NULL;
        int rank = rank_of(PQgetvalue(res, i, 0), &kind);
        const char *how = PQgetvalue(res, i, 5);
        if (rank < 0 || strlen(how) != 1) {
            rc = migc_error_set(r->err, MIGC_ERR_QUERY,
                                "reading the schema (%s): unexpected row",
                                q->what);
            break;
        }
        const char *sub = PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2);
        const char *attr =
            PQgetisnull(res, i, 3) ? NULL : PQgetvalue(res, i, 3);
        if (add_item(r->s, kind, rank, how[0], PQgetvalue(res, i, 1), sub, attr,
                     PQgetvalue(res, i, 4)) != 0)
            rc = migc_error_set(r->err, MIGC_ERR_NOMEM,
                                "reading the schema (%s): out of memory",
                                q->what);
    }
    PQclear(res);
    return rc;
}

/* Each ordinary table's rows: "N rows, md5 HEX" of the rows' text sorted
 * bytewise, so that neither physical order nor collation counts. One
 * round trip for the list, one for all the counts. */
static enum migc_code read_data(struct reader *r)
{
    PGresult *tables = NULL, *res = NULL;
    enum migc_code rc = run(r, "data", schema_data_tables_sql, 3, &tables);
    int n = rc == MIGC_OK ? PQntuples(tables) : 0;
    struct sql q = SQL_INIT;
    for (int i = 0; i < n; i++)
        /* The names come quoted by quote_ident(): safe to paste. */
        sql_addf(&q,
                 "%sSELECT %d, count(*), md5(coalesce(string_agg("
                 "ROW(r.*)::text, E'\\n' ORDER BY ROW(r.*)::text "
                 "COLLATE \"C\"), '')) FROM ONLY %s r",
                 i ? " UNION ALL " : "", i, PQgetvalue(tables, i, 0));
    if (rc == MIGC_OK && n > 0 && !sql_text(&q))
        rc = migc_error_set(r->err, MIGC_ERR_NOMEM,
                            "reading the schema (data): out of memory");
    if (rc == MIGC_OK && n > 0)
        rc = run(r, "data", sql_text(&q), 0, &res);
    for (int i = 0; rc == MIGC_OK && res && i < PQntuples(res); i++) {
        int t = atoi(PQgetvalue(res, i, 0));
        struct sql v = SQL_INIT;
        const char *count = PQgetvalue(res, i, 1);
        sql_addf(&v, "%s row%s, md5 %s", count,
                 strcmp(count, "1") == 0 ? "" : "s", PQgetvalue(res, i, 2));
        if (t < 0 || t >= n || !sql_text(&v) ||
            add_item(r->s, "table", 6, HOW_PROPERTY, PQgetvalue(tables, t, 0),
                     "rows", NULL, sql_text(&v)) != 0)
            rc = migc_error_set(r->err, MIGC_ERR_NOMEM,
                                "reading the schema (data): out of memory");
        sql_free(&v);
    }
    sql_free(&q);
    PQclear(res);
    PQclear(tables);
    return rc;
}

/* A NULL-terminated list as an array literal: {"a","b"}. */
static char *array_literal(const char *const *list)
{
    struct sql b = SQL_INIT;
    sql_add(&b, "{");
    for (size_t i = 0; list && list[i]; i++) {
        sql_add(&b, i ? ",\"" : "\"");
        for (const char *p = list[i]; *p; p++) {
            char ch[3] = {'\\', *p, '\0'};
            sql_add(&b, *p == '"' || *p == '\\' ? ch : ch + 1);
        }
        sql_add(&b, "\"");
    }
    sql_add(&b, "}");
    return sql_take(&b);
}

/* Open the read's snapshot: a transaction of its own, or a savepoint in
 * the caller's. */
static enum migc_code begin(struct reader *r)
{
    switch (PQtransactionStatus(r->pg)) {
    case PQTRANS_IDLE:
        return run_command(r, "begin",
                           "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    case PQTRANS_INTRANS:
        r->savepoint = 1;
        return run_command(r, "begin", "SAVEPOINT migc_schema_read");
    case PQTRANS_INERROR:
        return migc_error_set(r->err, MIGC_ERR_ARG,
                              "reading the schema: the connection's "
                              "transaction has failed");
    default:
        return migc_error_set(r->err, MIGC_ERR_ARG,
                              "reading the schema: the connection is busy");
    }
}

/* Leave the connection as it was found (the read changed nothing but its
 * own settings). */
static enum migc_code end(struct reader *r, enum migc_code rc)
{
    if (PQstatus(r->pg) != CONNECTION_OK)
        return rc;
    enum migc_code end_rc =
        r->savepoint
            ? run_command(r, "end", "ROLLBACK TO SAVEPOINT migc_schema_read")
            : run_command(r, "end", "ROLLBACK");
    if (r->savepoint && end_rc == MIGC_OK)
        end_rc = run_command(r, "end", "RELEASE SAVEPOINT migc_schema_read");
    return rc != MIGC_OK ? rc : end_rc;
}

enum migc_code schema_read(struct pg_conn *conn,
                           const struct schema_read_options *o,
                           struct schema_snapshot **out, struct migc_error *err)
{
    if (out)
        *out = NULL;
    if (!conn || !out)
        return migc_error_set(err, MIGC_ERR_ARG,
                              "reading the schema: no connection or no "
                              "result given");
    struct reader r = {.pg = (PGconn *)conn, .err = err};
    if (PQstatus(r.pg) != CONNECTION_OK)
        return migc_error_set(err, MIGC_ERR_CONNECT,
                              "reading the schema: the connection is not "
                              "open: %s",
                              PQerrorMessage(r.pg));
    const struct schema_read_options none = {0};
    if (!o)
        o = &none;
    char *tables = array_literal(o->exclude_tables);
    char *schemas = array_literal(o->exclude_schemas);
    r.s = calloc(1, sizeof *r.s);
    r.params[0] = tables;
    r.params[1] = schemas;
    r.params[2] = o->grants ? "true" : "false";
    enum migc_code rc = MIGC_OK;
    if (!tables || !schemas || !r.s)
        rc = migc_error_set(err, MIGC_ERR_NOMEM,
                            "reading the schema: out of memory");
    if (rc == MIGC_OK && (rc = begin(&r)) == MIGC_OK) {
        rc = run_command(&r, "settings", settings_sql);
        for (size_t i = 0; rc == MIGC_OK && i < schema_n_queries; i++)
            rc = read_query(&r, &schema_queries[i]);
        if (rc == MIGC_OK && o->data)
            rc = read_data(&r);
        rc = end(&r, rc);
    }
    free(tables);
    free(schemas);
    if (rc != MIGC_OK) {
        schema_free(r.s);
        return rc;
    }
    if (r.s->n > 1)
        qsort(r.s->items, r.s->n, sizeof *r.s->items, item_cmp);
    *out = r.s;
    return MIGC_OK;
}

/* adopt_read.c: find another tool's ledger (foreign.h) and read its rows,
 * each tool's in its own shape, into struct adopt_row; refuse the rows the
 * tool left failed, dirty, unfinished or rolled back. */
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adopt.h"

int adopt_failf(struct adopt_fail *f, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    f->code = code;
    return -1;
}

static int query_failed(struct adopt_fail *f, PGconn *conn, PGresult *r,
                        const char *what)
{
    const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
    char msg[512];
    snprintf(msg, sizeof msg, "%s", m && *m ? m : "no answer");
    msg[strcspn(msg, "\n")] = '\0';
    PQclear(r);
    return adopt_failf(f, EXIT_FAIL, "%s: %s", what, msg);
}

/* A text[] literal of one name: {"name"} with \ and " escaped. */
static void array_of(const char *name, char *out, size_t size)
{
    size_t at = 0;
    out[at++] = '{';
    out[at++] = '"';
    for (const char *p = name; *p && at + 4 < size; p++) {
        if (*p == '"' || *p == '\\')
            out[at++] = '\\';
        out[at++] = *p;
    }
    out[at++] = '"';
    out[at++] = '}';
    out[at] = '\0';
}

static void name_found(PGconn *conn, struct adopt_ledger *l, const char *s,
                       const char *t, enum foreign_tool tool)
{
    l->tool = tool;
    snprintf(l->schema, sizeof l->schema, "%s", s);
    snprintf(l->table, sizeof l->table, "%s", t);
    snprintf(l->shown, sizeof l->shown, "%s.%s", s, t);
    char *qs = PQescapeIdentifier(conn, s, strlen(s));
    char *qt = PQescapeIdentifier(conn, t, strlen(t));
    snprintf(l->quoted, sizeof l->quoted, "%s.%s", qs ? qs : "", qt ? qt : "");
    PQfreemem(qs);
    PQfreemem(qt);
}

int adopt_find(struct pg_conn *conn, const struct cli *c,
               struct adopt_ledger *out, struct adopt_fail *f)
{
    *out = (struct adopt_ledger){.tool = FT_NONE};
    char tables[512];
    if (c->adopt_table)
        array_of(c->adopt_table, tables, sizeof tables);
    else if (foreign_default_tables(tables, sizeof tables) != 0)
        return adopt_failf(f, EXIT_FAIL, "out of memory");
    const char *params[1] = {tables};
    PGresult *r =
        PQexecParams(conn, foreign_find_sql, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        return query_failed(f, conn, r,
                            "cannot look for another tool's ledger");
    int found = 0;
    char first[300] = "";
    for (int i = 0; i < PQntuples(r); i++) {
        const char *s = PQgetvalue(r, i, 0), *t = PQgetvalue(r, i, 1);
        enum foreign_tool tool = foreign_classify(
            t, PQgetvalue(r, i, 2), c->adopt_table != NULL, c->adopt_from);
        if (tool == FT_NONE)
            continue;
        /* The same table in the search_path's schema and in public: the
         * search_path's, as the tool itself would find it. */
        if (found && strcmp(out->table, t) == 0)
            continue;
        if (found) {
            adopt_failf(f, EXIT_DRIFT,
                        "this database holds two other tools' ledgers, "
                        "%s's %s and %s's %s.%s: nothing written; choose "
                        "one with --from TOOL",
                        foreign_tools[out->tool].name, first,
                        foreign_tools[tool].name, s, t);
            PQclear(r);
            return -1;
        }
        name_found(conn, out, s, t, tool);
        snprintf(first, sizeof first, "%s", out->shown);
        found = 1;
    }
    PQclear(r);
    return found;
}

/* Each tool's rows as: key, label, applied_at, checksum (hex), state.
 * Times as ISO text with their offset, which the server reads back as
 * timestamptz; a time without a zone (goose, diesel, node-pg-migrate) is
 * read in the session's zone, as those tools wrote it. */
#define ISO(col)                                                               \
    "to_char((" col ")::timestamptz, 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')"

static const char *const read_sql[FT_COUNT] = {
    [FT_SQLX] = "SELECT version::text, description, " ISO(
        "installed_on") ", encode(checksum, 'hex'), CASE WHEN success THEN 'a'"
                        " ELSE 'f' END FROM %s ORDER BY version",
    [FT_DBMATE] = "SELECT version::text, '', NULL, NULL, 'a' FROM %s"
                  " ORDER BY version",
    [FT_GOLANG_MIGRATE] = "SELECT version::text, '', NULL, NULL,"
                          " CASE WHEN dirty THEN 'd' ELSE 'a' END FROM %s"
                          " ORDER BY version",
    /* One row per event: the last of each version decides. */
    [FT_GOOSE] =
        "SELECT * FROM (SELECT DISTINCT ON (version_id)"
        " version_id::text, '', " ISO(
            "tstamp") ", NULL,"
                      " CASE WHEN is_applied THEN 'a' ELSE 'x' END FROM %s"
                      " WHERE version_id <> 0 ORDER BY version_id, id DESC) e",
    [FT_KYSELY] = "SELECT name, '', " ISO(
        "timestamp::timestamptz") ", NULL, 'a' FROM %s ORDER BY name",
    [FT_DIESEL] =
        "SELECT version::text, '', " ISO("run_on") ", NULL, 'a'"
                                                   " FROM %s ORDER BY version",
    /* A migration rolled back and then applied again has both rows. */
    [FT_PRISMA] =
        "SELECT migration_name, '', " ISO(
            "max(finished_at) FILTER (WHERE finished_at IS NOT NULL AND"
            " rolled_back_at IS NULL)") ", (array_agg(checksum ORDER BY"
        " started_at DESC) FILTER (WHERE finished_at IS NOT NULL AND"
        " rolled_back_at IS NULL))[1], CASE WHEN bool_or(finished_at IS NOT"
        " NULL AND rolled_back_at IS NULL) THEN 'a' WHEN"
        " bool_or(rolled_back_at IS NOT NULL) THEN 'r' ELSE 'u' END"
        " FROM %s GROUP BY migration_name ORDER BY migration_name",
    /* Version 0 is postgrator's own row, written with the table. */
    [FT_POSTGRATOR] = "SELECT version::text, name, " ISO("run_at")
                      ", md5, 'a' FROM %s WHERE version <> 0"
                      " ORDER BY version",
    [FT_NODE_PG_MIGRATE] = "SELECT name, '', " ISO("run_on")
                           ", NULL, 'a' FROM %s ORDER BY id",
};

static void copy(char *dst, size_t size, PGresult *r, int row, int col)
{
    snprintf(dst, size, "%s", PQgetvalue(r, row, col));
}

static void fill_row(struct adopt_row *a, enum foreign_tool tool, PGresult *r,
                     int i)
{
    copy(a->key, sizeof a->key, r, i, 0);
    const char *label = PQgetvalue(r, i, 1);
    int by_name =
        tool == FT_KYSELY || tool == FT_PRISMA || tool == FT_NODE_PG_MIGRATE;
    snprintf(a->label, sizeof a->label, "%s %s%s%s%s",
             by_name ? "migration" : "version", a->key, *label ? " (" : "",
             label, *label ? ")" : "");
    copy(a->applied_at, sizeof a->applied_at, r, i, 2);
    copy(a->checksum, sizeof a->checksum, r, i, 3);
    a->state = PQgetvalue(r, i, 4)[0];
}

/* A row its tool left unfinished: the refusal and its way out. */
static int refuse_row(const struct adopt_ledger *l, const struct adopt_row *a,
                      struct adopt_fail *f)
{
    const char *tool = foreign_tools[l->tool].name;
    switch (a->state) {
    case 'f':
        return adopt_failf(f, EXIT_DRIFT,
                           "%s's row %s in %s is recorded as failed "
                           "(success = false): nothing written; fix the "
                           "database and run it again with %s, then adopt",
                           tool, a->label, l->shown, tool);
    case 'd':
        return adopt_failf(f, EXIT_DRIFT,
                           "%s's ledger %s is dirty at %s (its migration "
                           "failed part-way): nothing written; fix the "
                           "database, then `migrate force VERSION` with the "
                           "version it really is at, and adopt",
                           tool, l->shown, a->label);
    case 'u':
        return adopt_failf(f, EXIT_DRIFT,
                           "%s's %s in %s never finished (finished_at is "
                           "NULL): nothing written; fix the database, then "
                           "`prisma migrate resolve --applied %s` (or "
                           "--rolled-back), and adopt",
                           tool, a->label, l->shown, a->key);
    case 'r':
        return adopt_failf(f, EXIT_DRIFT,
                           "%s's %s in %s was rolled back and not applied "
                           "again: nothing written; apply it with `prisma "
                           "migrate deploy`, then adopt",
                           tool, a->label, l->shown);
    case 'x':
        return adopt_failf(f, EXIT_DRIFT,
                           "%s's %s in %s was last rolled back (its last "
                           "event has is_applied = false): nothing written; "
                           "apply it again with `goose up`, then adopt",
                           tool, a->label, l->shown);
    }
    return 0;
}

int adopt_read_rows(struct pg_conn *conn, struct adopt_ledger *l,
                    struct adopt_fail *f)
{
    if (l->tool == FT_FLYWAY) /* one row an event: adopt_flyway.c */
        return adopt_flyway_read(conn, l, f);
    char sql[2048];
    snprintf(sql, sizeof sql, read_sql[l->tool], l->quoted);
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        char what[400];
        snprintf(what, sizeof what, "cannot read %s's ledger %s",
                 foreign_tools[l->tool].name, l->shown);
        return query_failed(f, conn, r, what);
    }
    int n = PQntuples(r);
    l->rows = calloc(n ? (size_t)n : 1, sizeof *l->rows);
    if (!l->rows) {
        PQclear(r);
        return adopt_failf(f, EXIT_FAIL, "out of memory");
    }
    for (int i = 0; i < n; i++)
        fill_row(&l->rows[l->n++], l->tool, r, i);
    PQclear(r);
    for (size_t i = 0; i < l->n; i++)
        if (refuse_row(l, &l->rows[i], f) != 0)
            return -1;
    return 0;
}

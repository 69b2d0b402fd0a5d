/* adopt_write.c: migc's ledger written from the adopted rows: one
 * transaction under migc's migration lock (the advisory lock of
 * runtime/lock.c, the same key: migc_fnv1a() of the quoted ledger name),
 * so that many processes running `up --adopt` at once adopt once. */
#define _POSIX_C_SOURCE 200809L /* nanosleep, clock_gettime */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adopt.h"
#include "fnv1a.h"
#include "ledger_sql.h"

static const char *ledger_schema(const struct cli *c)
{
    return c->opts.ledger_schema && *c->opts.ledger_schema
               ? c->opts.ledger_schema
               : "public";
}

static const char *ledger_table(const struct cli *c)
{
    return c->opts.ledger_table && *c->opts.ledger_table ? c->opts.ledger_table
                                                         : "migc_migrations";
}

void adopt_ledger_name(const struct cli *c, char *out, size_t size)
{
    snprintf(out, size, "%s.%s", ledger_schema(c), ledger_table(c));
}

/* The quoted names, as session.c quotes them. */
struct names {
    char schema[300], table[300], packs[300];
};

static int quote_names(PGconn *conn, const struct cli *c, struct names *n)
{
    char packs[200];
    snprintf(packs, sizeof packs, "%s_packs", ledger_table(c));
    char *s =
        PQescapeIdentifier(conn, ledger_schema(c), strlen(ledger_schema(c)));
    char *t =
        PQescapeIdentifier(conn, ledger_table(c), strlen(ledger_table(c)));
    char *p = PQescapeIdentifier(conn, packs, strlen(packs));
    int ok = s && t && p;
    if (ok) {
        snprintf(n->schema, sizeof n->schema, "%s", s);
        snprintf(n->table, sizeof n->table, "%s.%s", s, t);
        snprintf(n->packs, sizeof n->packs, "%s.%s", s, p);
    }
    PQfreemem(s);
    PQfreemem(t);
    PQfreemem(p);
    return ok ? 0 : -1;
}

static int failed(struct adopt_fail *f, PGconn *conn, PGresult *r,
                  const char *what)
{
    const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
    char msg[512];
    snprintf(msg, sizeof msg, "%s", m && *m ? m : "no answer");
    msg[strcspn(msg, "\n")] = '\0';
    PQclear(r);
    PQclear(PQexec(conn, "ROLLBACK"));
    return adopt_failf(f, EXIT_FAIL, "%s: %s", what, msg);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* BEGIN and the lock, tried between pauses up to the run's wait limit
 * (--wait), never waited for inside the server. */
static int lock(PGconn *conn, const struct cli *c, const struct names *n,
                struct adopt_fail *f)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT pg_try_advisory_xact_lock(%lld)",
             (long long)(int64_t)migc_fnv1a(n->table));
    int64_t limit = c->opts.lock_wait_ms ? c->opts.lock_wait_ms : 600000;
    int64_t start = now_ms(), pause = 10;
    for (;;) {
        /* quiet: ADD COLUMN IF NOT EXISTS notices each column it skips */
        PGresult *r =
            PQexec(conn, "BEGIN; SET LOCAL client_min_messages = warning");
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            return failed(f, conn, r, "cannot begin the adoption");
        PQclear(r);
        r = PQexec(conn, sql);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            return failed(f, conn, r, "cannot take the migration lock");
        int got = PQgetvalue(r, 0, 0)[0] == 't';
        PQclear(r);
        if (got)
            return 0;
        PQclear(PQexec(conn, "ROLLBACK"));
        if (limit >= 0 && now_ms() - start > limit)
            return adopt_failf(f, EXIT_FAIL,
                               "timed out after %.1f s waiting for another "
                               "process's migration lock",
                               (double)limit / 1000.0);
        nanosleep(&(struct timespec){0, pause * 1000000}, NULL);
        pause = pause * 2 > 250 ? 250 : pause * 2;
    }
}

int adopt_migc_rows(struct pg_conn *conn, const struct cli *c,
                    struct adopt_fail *f)
{
    struct names n;
    if (quote_names(conn, c, &n) != 0)
        return adopt_failf(f, EXIT_FAIL, "cannot quote the ledger's name");
    const char *params[1] = {n.table};
    PGresult *r = PQexecParams(conn, "SELECT to_regclass($1) IS NOT NULL", 1,
                               NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        return failed(f, conn, r, "cannot look for migc's ledger");
    int exists = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!exists)
        return 0;
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", n.table);
    r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        return failed(f, conn, r, "cannot read migc's ledger");
    int rows = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return rows;
}

static int create(PGconn *conn, const struct cli *c, const struct names *n,
                  struct adopt_fail *f)
{
    char sql[2048];
    if (strcmp(ledger_schema(c), "public") != 0) {
        snprintf(sql, sizeof sql, "CREATE SCHEMA IF NOT EXISTS %s", n->schema);
        PGresult *r = PQexec(conn, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            return failed(f, conn, r, "cannot create the migration ledger");
        PQclear(r);
    }
    const char *forms[] = {
        "CREATE TABLE IF NOT EXISTS %s (" MIGC_LEDGER_COLUMNS ")",
        "ALTER TABLE %s" MIGC_LEDGER_UPGRADE,
        "CREATE TABLE IF NOT EXISTS %s (" MIGC_PACK_COLUMNS ")"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql, forms[i], i == 2 ? n->packs : n->table);
        PGresult *r = PQexec(conn, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            return failed(f, conn, r, "cannot create the migration ledger");
        PQclear(r);
    }
    return 0;
}

static int insert(PGconn *conn, const struct names *n,
                  const struct adopt_ledger *l, const struct adopt_record *rec,
                  struct adopt_fail *f)
{
    char sql[600], version[24], count[24];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s (version, name, checksum, canonical, applied_at,"
             " success, completed, adopted_from) VALUES ($1, $2, $3, $4,"
             " coalesce($5::timestamptz, now()), true, $6, $7)",
             n->table);
    snprintf(version, sizeof version, "%lld", (long long)rec->m->version);
    snprintf(count, sizeof count, "%zu", rec->m->up.n_statements);
    const char *params[7] = {version,
                             rec->m->name,
                             rec->m->up.checksum,
                             rec->m->up.canonical ? rec->m->up.canonical : "",
                             rec->row->applied_at[0] ? rec->row->applied_at
                                                     : NULL,
                             count,
                             foreign_tools[l->tool].name};
    PGresult *r = PQexecParams(conn, sql, 7, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return failed(f, conn, r, "cannot record an adopted migration");
    PQclear(r);
    return 0;
}

int adopt_write(struct pg_conn *conn, const struct cli *c,
                const struct adopt_ledger *l, const struct adopt_record *rec,
                size_t n, struct adopt_fail *f)
{
    struct names q;
    if (quote_names(conn, c, &q) != 0)
        return adopt_failf(f, EXIT_FAIL, "cannot quote the ledger's name");
    if (lock(conn, c, &q, f) != 0)
        return -1;
    /* Another process may have adopted while this one waited. */
    int held = adopt_migc_rows(conn, c, f);
    if (held != 0) {
        PQclear(PQexec(conn, "ROLLBACK"));
        return held < 0 ? -1 : 0;
    }
    if (create(conn, c, &q, f) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (insert(conn, &q, l, &rec[i], f) != 0)
            return -1;
    PGresult *r = PQexec(conn, "COMMIT");
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return failed(f, conn, r, "cannot commit the adoption");
    PQclear(r);
    return 1;
}

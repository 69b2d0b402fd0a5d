/* pgtest.c: a fresh PostgreSQL database per test on the fixture's server. */
#define _POSIX_C_SOURCE 200809L /* getpid */
#include "pgtest.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Settings read from the fixture's file. */
struct pg_env {
    char host[512];
    char port[16];
    char user[64];
    char maintenance_db[64]; /* where CREATE/DROP DATABASE run */
};

static int read_env(struct pg_env *env)
{
    *env = (struct pg_env){.user = "postgres", .maintenance_db = "postgres"};
    const char *path = getenv("MIGC_TEST_PG_ENV");
    if (!path || !*path) {
        fprintf(stderr, "pgtest: MIGC_TEST_PG_ENV is not set; run the test "
                        "with ctest, which starts the server (fixture pg)\n");
        return -1;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "pgtest: cannot read %s: is the pg fixture up?\n",
                path);
        return -1;
    }
    char line[600];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        const char *eq = strchr(line, '=');
        if (!eq)
            continue;
        const char *v = eq + 1;
        size_t k = (size_t)(eq - line);
#define PGTEST_KEY(name, field)                                              \
    if (k == strlen(name) && strncmp(line, name, k) == 0)                    \
        snprintf(env->field, sizeof env->field, "%s", v);
        PGTEST_KEY("PGHOST", host)
        PGTEST_KEY("PGPORT", port)
        PGTEST_KEY("PGUSER", user)
        PGTEST_KEY("PGDATABASE", maintenance_db)
#undef PGTEST_KEY
    }
    fclose(f);
    if (!env->host[0]) {
        fprintf(stderr, "pgtest: %s has no PGHOST line\n", path);
        return -1;
    }
    return 0;
}

static void put(char *out, size_t size, size_t *n, char c)
{
    if (*n + 1 < size) {
        out[(*n)++] = c;
        out[*n] = '\0';
    }
}

/* Append " key='value'" with conninfo quoting. A value too long for out is
 * cut off; the connection then fails with a message showing it. */
static void add_param(char *out, size_t size, const char *key,
                      const char *value)
{
    size_t n = strlen(out);
    if (n)
        put(out, size, &n, ' ');
    for (const char *p = key; *p; p++)
        put(out, size, &n, *p);
    put(out, size, &n, '=');
    put(out, size, &n, '\'');
    for (const char *p = value; *p; p++) {
        if (*p == '\'' || *p == '\\')
            put(out, size, &n, '\\');
        put(out, size, &n, *p);
    }
    put(out, size, &n, '\'');
}

static void conninfo_for(const struct pg_env *env, const char *dbname,
                         char *out, size_t size)
{
    out[0] = '\0';
    add_param(out, size, "host", env->host);
    if (env->port[0])
        add_param(out, size, "port", env->port);
    add_param(out, size, "user", env->user);
    add_param(out, size, "dbname", dbname);
}

PGconn *pgtest_connect(const char *conninfo)
{
    PGconn *conn = PQconnectdb(conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "pgtest: cannot connect (%s): %s", conninfo,
                PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

/* Run a command on the maintenance database. */
static int admin(const struct pg_env *env, const char *sql)
{
    char conninfo[1024];
    conninfo_for(env, env->maintenance_db, conninfo, sizeof conninfo);
    PGconn *conn = pgtest_connect(conninfo);
    if (!conn)
        return -1;
    /* DROP DATABASE IF EXISTS would say "does not exist, skipping". */
    PQclear(PQexec(conn, "SET client_min_messages = warning"));
    PGresult *res = PQexec(conn, sql);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc)
        fprintf(stderr, "pgtest: %s: %s", sql, PQresultErrorMessage(res));
    PQclear(res);
    PQfinish(conn);
    return rc;
}

int pgtest_db_create(struct pgtest_db *db, const char *test)
{
    static unsigned counter;
    *db = (struct pgtest_db){{0}, {0}};
    struct pg_env env;
    if (read_env(&env) != 0)
        return -1;

    char stem[41];
    size_t n = 0;
    for (const char *p = test ? test : "test"; *p && n + 1 < sizeof stem;
         p++) {
        unsigned char c = (unsigned char)*p;
        stem[n++] = isalnum(c) ? (char)tolower(c) : '_';
    }
    stem[n] = '\0';
    char name[sizeof db->name];
    snprintf(name, sizeof name, "t_%s_%ld_%u", stem, (long)getpid(),
             ++counter);

    char sql[256];
    /* A leftover of an earlier run that had the same pid goes first. */
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
             name);
    if (admin(&env, sql) != 0)
        return -1;
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    if (admin(&env, sql) != 0)
        return -1;
    snprintf(db->name, sizeof db->name, "%s", name);
    conninfo_for(&env, name, db->conninfo, sizeof db->conninfo);
    return 0;
}

int pgtest_db_drop(struct pgtest_db *db)
{
    if (!db || !db->name[0])
        return 0;
    struct pg_env env;
    if (read_env(&env) != 0)
        return -1;
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
             db->name);
    int rc = admin(&env, sql);
    if (rc == 0)
        db->name[0] = '\0';
    return rc;
}

static PGresult *run(PGconn *conn, const char *fmt, va_list ap)
{
    char sql[4096];
    int n = vsnprintf(sql, sizeof sql, fmt, ap);
    if (n < 0 || (size_t)n >= sizeof sql) {
        fprintf(stderr, "pgtest: query too long: %s...\n", sql);
        return NULL;
    }
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        fprintf(stderr, "pgtest: %s: %s", sql,
                res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
        PQclear(res);
        return NULL;
    }
    return res;
}

static const char *value_at(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? "<null>"
                                      : PQgetvalue(res, row, col);
}

int pgtest_query(PGconn *conn, char *out, size_t size, const char *fmt, ...)
{
    if (out && size)
        out[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    PGresult *res = run(conn, fmt, ap);
    va_end(ap);
    if (!res)
        return -1;
    int rows = PQntuples(res);
    if (out && size && rows > 0 && PQnfields(res) > 0)
        snprintf(out, size, "%s", value_at(res, 0, 0));
    PQclear(res);
    return rows;
}

int pgtest_rows(PGconn *conn, char *out, size_t size, const char *fmt, ...)
{
    if (size)
        out[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    PGresult *res = run(conn, fmt, ap);
    va_end(ap);
    if (!res)
        return -1;
    size_t n = 0;
    for (int r = 0; r < PQntuples(res); r++)
        for (int c = 0; c < PQnfields(res) && n < size; c++) {
            const char *sep = c ? "|" : r ? "\n" : "";
            int w = snprintf(out + n, size - n, "%s%s", sep,
                             value_at(res, r, c));
            n += w > 0 ? (size_t)w : 0;
        }
    PQclear(res);
    if (n >= size) {
        fprintf(stderr, "pgtest: result longer than %zu bytes\n", size);
        return -1;
    }
    return 0;
}

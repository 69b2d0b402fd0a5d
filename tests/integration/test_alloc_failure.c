/* test_alloc_failure.c: libmigc with each of its allocations failing in
 * turn (tests/support/failalloc.c; libpq's own are not counted): connect,
 * migrate an empty database, migrate an up-to-date one, check and status,
 * with a small schema (fixture_ok) and with the project's, packs included
 * (platform_it); every allocation (a step may fail only every stride-th,
 * should one grow too slow). Every failing run returns MIGC_OK (the call could do
 * without) or MIGC_ERR_NOMEM with its message, never crashes, leaves no
 * block allocated and the connection idle, and half of nothing: a migrate
 * that failed is followed by one without failures that must bring the
 * database up to date, after which check finds nothing pending. */
#define _POSIX_C_SOURCE 200809L

#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <migc.h>

#include "failalloc.h"
#include "fixture_ok.h"
#include "pgtest.h"
#include "platform_it.h"

static struct pgtest_db db;
static PGconn *conn;
static int failures;
static const struct migc_schema *schema; /* the one under test */

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("test_alloc_failure: FAIL: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (++failures > 20) {
        pgtest_db_drop(&db);
        exit(1);
    }
}

static void sql(const char *text)
{
    if (pgtest_query(conn, NULL, 0, "%s", text) < 0) {
        pgtest_db_drop(&db);
        exit(1);
    }
}

/* The states an operation starts from. */
static void empty_database(void)
{
    sql("DROP SCHEMA public CASCADE");
    sql("CREATE SCHEMA public");
}

static void up_to_date(void)
{
    struct migc_error err = MIGC_ERROR_INIT;
    failalloc_arm(0);
    if (migc_migrate(conn, schema, NULL, NULL, &err) != MIGC_OK)
        fail("migrate without failures: %s", err.message);
}

static enum migc_code op_connect(struct migc_error *err)
{
    struct pg_conn *c = migc_connect(db.conninfo, "alloc_failure", err);
    migc_disconnect(c);
    return c ? MIGC_OK : err->code;
}

static enum migc_code op_migrate(struct migc_error *err)
{
    struct migc_report rep = MIGC_REPORT_INIT;
    return migc_migrate(conn, schema, NULL, &rep, err);
}

static enum migc_code op_check(struct migc_error *err)
{
    struct migc_report rep = MIGC_REPORT_INIT;
    return migc_check(conn, schema, NULL, &rep, err);
}

static enum migc_code op_status(struct migc_error *err)
{
    struct migc_status *st = NULL;
    enum migc_code rc = migc_status(conn, schema, NULL, &st, err);
    migc_status_free(st);
    return rc;
}

struct step {
    const char *name;
    void (*prepare)(void);
    enum migc_code (*run)(struct migc_error *err);
    unsigned long stride; /* every stride-th allocation fails */
};

/* After a failed run the database must be as before or as after: a run
 * without failures brings it up to date, and check agrees. */
static void assert_recovers(const char *name, unsigned long n)
{
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_report rep = MIGC_REPORT_INIT;
    failalloc_arm(0);
    if (migc_migrate(conn, schema, NULL, NULL, &err) != MIGC_OK)
        fail("%s, allocation %lu failing: the next migrate failed: %s", name,
             n, err.message);
    else if (migc_check(conn, schema, NULL, &rep, &err) != MIGC_OK ||
             rep.pending != 0)
        fail("%s, allocation %lu failing: check after migrate: %s (%zu "
             "pending)",
             name, n, err.message, rep.pending);
}

static void torture(const struct step *s)
{
    s->prepare();
    struct migc_error err = MIGC_ERROR_INIT;
    failalloc_arm(0);
    if (s->run(&err) != MIGC_OK) {
        fail("%s without failures: %s", s->name, err.message);
        return;
    }
    unsigned long total = failalloc_calls();
    unsigned long nomem = 0, ok = 0;
    for (unsigned long n = 1; n <= total; n += s->stride) {
        s->prepare();
        size_t live = failalloc_live();
        err = (struct migc_error)MIGC_ERROR_INIT;
        failalloc_arm(n);
        enum migc_code rc = s->run(&err);
        failalloc_arm(0);
        if (rc == MIGC_OK)
            ok++;
        else if (err.code != rc || err.message[0] == '\0')
            fail("%s, allocation %lu failing: code %d, error %d \"%s\"",
                 s->name, n, (int)rc, (int)err.code, err.message);
        else if (rc == MIGC_ERR_NOMEM)
            nomem++;
        else
            fail("%s, allocation %lu failing: %s (%s), not out of memory",
                 s->name, n, migc_strerror(rc), err.message);
        if (failalloc_live() != live)
            fail("%s, allocation %lu failing: %zu blocks leaked", s->name, n,
                 failalloc_live() - live);
        if (PQtransactionStatus(conn) != PQTRANS_IDLE)
            fail("%s, allocation %lu failing: the connection is not idle",
                 s->name, n);
        if (rc != MIGC_OK && s->run != op_connect)
            assert_recovers(s->name, n);
    }
    printf("%s (%s): %lu allocations, every %lu failing in turn: %lu out "
           "of memory, %lu succeeded\n",
           s->name, schema->name, total, s->stride, nomem, ok);
}

int main(void)
{
    if (pgtest_db_create(&db, "alloc_failure") != 0)
        return 1;
    conn = pgtest_connect(db.conninfo);
    if (!conn) {
        pgtest_db_drop(&db);
        return 1;
    }
    sql("SET client_min_messages = warning");
    schema = &fixture_ok;
    failalloc_arm(0);
    up_to_date();
    if (failalloc_calls() == 0) {
        puts("libmigc's allocations are not counted (a shared library?)");
        PQfinish(conn);
        pgtest_db_drop(&db);
        return 77;
    }
    static const struct step steps[] = {
        {"connect", up_to_date, op_connect, 1},
        {"migrate an empty database", empty_database, op_migrate, 1},
        {"migrate an up-to-date database", up_to_date, op_migrate, 1},
        {"check", up_to_date, op_check, 1},
        {"status", up_to_date, op_status, 1},
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        torture(&steps[i]);
    /* The project's migrations and packs: pack synchronisation too. */
    static const struct step platform[] = {
        {"migrate an empty database", empty_database, op_migrate, 1},
        {"check", up_to_date, op_check, 1},
        {"status", up_to_date, op_status, 1},
    };
    schema = &platform_it;
    empty_database();
    for (size_t i = 0; i < sizeof platform / sizeof *platform; i++)
        torture(&platform[i]);
    PQfinish(conn);
    pgtest_db_drop(&db);
    return failures ? 1 : 0;
}

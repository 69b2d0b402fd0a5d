/* dbtest.c: per-test databases and asserting query helpers (dbtest.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "dbtest.h"

int db_setup(void **state)
{
    const char *test = *state; /* the prestate: the test's name */
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    if (pgtest_db_create(&f->db, test) == 0 &&
        (f->conn = pgtest_connect(f->db.conninfo)) != NULL) {
        *state = f;
        return 0;
    }
    /* cmocka runs no teardown after a failed setup. */
    pgtest_db_drop(&f->db);
    free(f);
    return -1;
}

int db_teardown(void **state)
{
    struct fixture *f = *state;
    if (!f)
        return 0;
    PQfinish(f->conn);
    int rc = pgtest_db_drop(&f->db);
    free(f);
    return rc;
}

static void vformat(char *out, size_t size, const char *fmt, va_list ap)
{
    int n = vsnprintf(out, size, fmt, ap);
    assert_true(n >= 0 && (size_t)n < size);
}

const char *value(struct fixture *f, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vformat(sql, sizeof sql, fmt, ap);
    va_end(ap);
    assert_true(pgtest_query(f->conn, f->value, sizeof f->value, "%s", sql) >=
                0);
    return f->value;
}

const char *rows(struct fixture *f, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vformat(sql, sizeof sql, fmt, ap);
    va_end(ap);
    assert_int_equal(pgtest_rows(f->conn, f->rows, sizeof f->rows, "%s", sql),
                     0);
    return f->rows;
}

const char *relation(struct fixture *f, const char *name)
{
    return value(f, "SELECT to_regclass('%s')", name);
}

void assert_idle(PGconn *conn)
{
    assert_int_equal(PQstatus(conn), CONNECTION_OK);
    assert_int_equal(PQtransactionStatus(conn), PQTRANS_IDLE);
    assert_int_equal(PQpipelineStatus(conn), PQ_PIPELINE_OFF);
    char one[8];
    assert_int_equal(pgtest_query(conn, one, sizeof one, "SELECT 1"), 1);
    assert_string_equal(one, "1");
}

long long ledger_lock_key(void)
{
    uint64_t h = 1469598103934665603u;
    for (const char *p = "\"public\".\"migc_migrations\""; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211u;
    }
    return (long long)(int64_t)h;
}

/* dbtest.h: the cmocka side of integration tests: a fresh database and an
 * open connection per test (pgtest.h underneath), and query helpers that
 * assert. Include it after <cmocka.h>. */
#ifndef MIGC_TESTS_DBTEST_H
#define MIGC_TESTS_DBTEST_H

#include <libpq-fe.h>

#include "pgtest.h"

struct fixture {
    struct pgtest_db db;
    PGconn *conn;
    char value[4096]; /* last value() */
    char rows[8192];  /* last rows() */
};

/* cmocka setup and teardown: the prestate is the test's name, which names
 * its database; the state becomes a struct fixture. */
int db_setup(void **state);
int db_teardown(void **state);

/* A test in a fresh database. */
#define DB_TEST_TEARDOWN(fn, teardown)                                        \
    cmocka_unit_test_prestate_setup_teardown(fn, db_setup, teardown,         \
                                             (void *)#fn)
#define DB_TEST(fn) DB_TEST_TEARDOWN(fn, db_teardown)

#if defined(__GNUC__) || defined(__clang__)
#define DBTEST_PRINTF __attribute__((format(printf, 2, 3)))
#else
#define DBTEST_PRINTF
#endif

/* First value of a query (see pgtest_query); the query must succeed. The
 * result lives in f until the next call. */
const char *value(struct fixture *f, const char *fmt, ...) DBTEST_PRINTF;

/* Whole result as "a|b\nc|d" (see pgtest_rows); the query must succeed. */
const char *rows(struct fixture *f, const char *fmt, ...) DBTEST_PRINTF;

/* The relation's name when it exists, "<null>" when not. */
const char *relation(struct fixture *f, const char *name);

/* The advisory lock key of the default ledger (docs/ledger.md): 64-bit
 * FNV-1a of "public"."migc_migrations", quoted as the runtime quotes it. */
long long ledger_lock_key(void);

/* Left as the caller handed it over: idle, out of pipeline mode, usable. */
void assert_idle(PGconn *conn);

#endif

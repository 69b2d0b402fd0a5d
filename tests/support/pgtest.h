/* pgtest.h: a fresh PostgreSQL database per test, on the server that the
 * `pg` ctest fixture started (tests/pg/pgtest.sh).
 *
 * The fixture writes the file named by the MIGC_TEST_PG_ENV environment
 * variable: PGHOST=..., PGUSER=..., PGDATABASE=... lines. Each test creates
 * its own database (named from the test and the process id, so that tests
 * running in parallel never share one) and drops it at the end.
 *
 * These helpers do not depend on cmocka: they return -1 or NULL and print
 * the reason to stderr; the test asserts. */
#ifndef MIGC_TESTS_PGTEST_H
#define MIGC_TESTS_PGTEST_H

#include <libpq-fe.h>
#include <stddef.h>

struct pgtest_db {
    char name[64];       /* database name, a plain lower-case identifier */
    char conninfo[1024]; /* libpq conninfo for it */
};

/* Create a fresh, empty database named after test (any text: it is reduced
 * to [a-z0-9_], shortened) and the pid; fill db. Returns 0, or -1 with the
 * reason printed (MIGC_TEST_PG_ENV unset or unreadable, server down). */
int pgtest_db_create(struct pgtest_db *db, const char *test);

/* Drop the database, ending any session still connected to it (a test that
 * failed half-way, a forked child). Returns 0 or -1. A db whose name is
 * empty (never created) is a no-op. */
int pgtest_db_drop(struct pgtest_db *db);

/* Open a connection with conninfo; NULL (reason printed) on failure. The
 * caller closes it with PQfinish(). */
PGconn *pgtest_connect(const char *conninfo);

/* Run sql (printf format) and copy the first column of its first row into
 * out: "" when the query returns no row or no columns, "<null>" for NULL.
 * Returns the number of rows (0 for a command), or -1 with the server's
 * error printed. out may be NULL when only the outcome matters. */
int pgtest_query(PGconn *conn, char *out, size_t size, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The same query's result as one string: rows joined by '\n', columns by
 * '|', NULL as "<null>". Returns 0, or -1 (error printed, out ""). */
int pgtest_rows(PGconn *conn, char *out, size_t size, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#endif

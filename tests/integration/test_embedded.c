/* test_embedded.c: the embedded cluster's start/stop cycle and its errors
 * (an integration test: it runs real PostgreSQL servers of its own). */
#define _XOPEN_SOURCE 700 /* nftw */

/* cmocka.h needs these first; the blank line keeps clang-format's order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "embedded.h"

/* One base folder for the whole run; each test uses its own DIR under it. */
static char base[] = "/tmp/migc-test-embedded.XXXXXX";

/* The server a test has started and not yet stopped; stopped by teardown
 * when an assertion ends the test early. */
static struct embedded_pg *running;

static void dir_for(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", base, name);
}

/* Start, or skip the test on a machine without PostgreSQL server binaries. */
static struct embedded_pg *start_or_skip(const char *dir)
{
    struct migc_error err = MIGC_ERROR_INIT;
    struct embedded_pg *pg = NULL;
    enum migc_code rc = embedded_start(dir, &pg, &err);
    if (rc != MIGC_OK && strstr(err.message, "binaries not found") != NULL)
        skip();
    if (rc != MIGC_OK)
        print_error("embedded_start: %s\n", err.message);
    assert_int_equal(rc, MIGC_OK);
    assert_non_null(pg);
    running = pg;
    return pg;
}

static void stop_ok(struct embedded_pg *pg)
{
    struct migc_error err = MIGC_ERROR_INIT;
    running = NULL;
    enum migc_code rc = embedded_stop(pg, &err);
    if (rc != MIGC_OK)
        print_error("embedded_stop: %s\n", err.message);
    assert_int_equal(rc, MIGC_OK);
}

/* The single value of a one-row, one-column query, copied into out. */
static void query_value(struct embedded_pg *pg, const char *sql, char *out,
                        size_t size)
{
    PGconn *conn = PQconnectdb(embedded_conninfo(pg));
    if (PQstatus(conn) != CONNECTION_OK)
        print_error("connect: %s", PQerrorMessage(conn));
    assert_int_equal(PQstatus(conn), CONNECTION_OK);
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        print_error("%s: %s", sql, PQresultErrorMessage(res));
    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    PQfinish(conn);
}

/* The socket folder named by the conninfo's host=, copied into out. */
static void socket_dir(struct embedded_pg *pg, char *out, size_t size)
{
    const char *host = strstr(embedded_conninfo(pg), "host=");
    assert_non_null(host);
    host += strlen("host=");
    snprintf(out, size, "%.*s", (int)strcspn(host, " "), host);
}

static void test_start_query_stop_restart(void **state)
{
    (void)state;
    char dir[256], path[512], sock[256], value[64];
    dir_for(dir, sizeof dir, "cycle");

    struct embedded_pg *pg = start_or_skip(dir);
    query_value(pg, "SELECT 1", value, sizeof value);
    assert_string_equal(value, "1");
    query_value(
        pg,
        "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42); SELECT 'ok'",
        value, sizeof value);
    socket_dir(pg, sock, sizeof sock);
    struct stat st;
    assert_int_equal(stat(sock, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    stop_ok(pg);
    assert_int_not_equal(stat(sock, &st), 0);

    snprintf(path, sizeof path, "%s/data/PG_VERSION", dir);
    assert_int_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/server.log", dir);
    assert_int_equal(access(path, F_OK), 0);

    /* Same DIR again: no new initdb, so the table is still there. */
    pg = start_or_skip(dir);
    query_value(pg, "SELECT x::text FROM kept", value, sizeof value);
    assert_string_equal(value, "42");
    stop_ok(pg);
}

static void test_second_start_refused(void **state)
{
    (void)state;
    char dir[256];
    dir_for(dir, sizeof dir, "twice");
    struct embedded_pg *pg = start_or_skip(dir);

    struct migc_error err = MIGC_ERROR_INIT;
    struct embedded_pg *second = pg; /* must be reset to NULL */
    assert_int_equal(embedded_start(dir, &second, &err), MIGC_ERR_EMBEDDED);
    assert_null(second);
    assert_int_equal(err.code, MIGC_ERR_EMBEDDED);
    assert_non_null(strstr(err.message, "already running"));

    stop_ok(pg);
}

/* Ctrl-C reaches the server too (same process group): stop still succeeds. */
static void test_stop_after_server_died(void **state)
{
    (void)state;
    char dir[256], path[512], sock[256];
    dir_for(dir, sizeof dir, "died");
    struct embedded_pg *pg = start_or_skip(dir);
    socket_dir(pg, sock, sizeof sock);

    snprintf(path, sizeof path, "%s/data/postmaster.pid", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    long pid = 0;
    assert_int_equal(fscanf(f, "%ld", &pid), 1);
    fclose(f);
    assert_int_equal(kill((pid_t)pid, SIGINT), 0);
    for (int i = 0; i < 200 && access(path, F_OK) == 0; i++)
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    assert_int_not_equal(access(path, F_OK), 0);

    stop_ok(pg);
    struct stat st;
    assert_int_not_equal(stat(sock, &st), 0);
}

/* A socket folder left by a command that died is removed by the next start. */
static void test_old_socket_folder_removed(void **state)
{
    (void)state;
    char dir[256], note[512], old[] = "/tmp/migc-pg.XXXXXX";
    dir_for(dir, sizeof dir, "oldsock");
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_non_null(mkdtemp(old));
    snprintf(note, sizeof note, "%s/sockdir", dir);
    FILE *f = fopen(note, "w");
    assert_non_null(f);
    fputs(old, f);
    fclose(f);

    struct embedded_pg *pg = start_or_skip(dir);
    struct stat st;
    int gone = stat(old, &st) != 0;
    stop_ok(pg);
    if (!gone)
        rmdir(old);
    assert_true(gone);
}

static void test_bad_bindir(void **state)
{
    (void)state;
    char dir[256];
    dir_for(dir, sizeof dir, "badbin");
    const char *old = getenv("MIGC_PG_BINDIR");
    char *saved = old != NULL ? strdup(old) : NULL;
    assert_int_equal(setenv("MIGC_PG_BINDIR", "/nonexistent/migc/bin", 1), 0);

    struct migc_error err = MIGC_ERROR_INIT;
    struct embedded_pg *pg = NULL;
    enum migc_code rc = embedded_start(dir, &pg, &err);

    if (saved != NULL)
        setenv("MIGC_PG_BINDIR", saved, 1);
    else
        unsetenv("MIGC_PG_BINDIR");
    free(saved);
    assert_int_equal(rc, MIGC_ERR_EMBEDDED);
    assert_null(pg);
    assert_non_null(
        strstr(err.message, "MIGC_PG_BINDIR=/nonexistent/migc/bin"));
    assert_null(strchr(err.message, '\n'));
}

/* As root the server runs as postgres, which cannot pass a 0700 root folder. */
static void test_unreachable_dir_as_root(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    char locked[256], dir[300];
    dir_for(locked, sizeof locked, "locked");
    assert_int_equal(mkdir(locked, 0700), 0);
    snprintf(dir, sizeof dir, "%s/pg", locked);

    struct migc_error err = MIGC_ERROR_INIT;
    struct embedded_pg *pg = NULL;
    enum migc_code rc = embedded_start(dir, &pg, &err);
    if (rc != MIGC_OK && strstr(err.message, "binaries not found") != NULL)
        skip();
    assert_int_equal(rc, MIGC_ERR_EMBEDDED);
    assert_null(pg);
    assert_non_null(strstr(err.message, "searchable"));
}

static void test_stop_null(void **state)
{
    (void)state;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(embedded_stop(NULL, &err), MIGC_OK);
    assert_int_equal(err.code, MIGC_OK);
}

static int stop_running(void **state)
{
    (void)state;
    struct embedded_pg *pg = running;
    running = NULL;
    return embedded_stop(pg, NULL) == MIGC_OK ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    if (mkdtemp(base) == NULL)
        return -1;
    /* Traversable by the postgres user when the tests run as root. */
    return chmod(base, 0755);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    (void)state;
    return nftw(base, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_start_query_stop_restart, stop_running),
        cmocka_unit_test_teardown(test_second_start_refused, stop_running),
        cmocka_unit_test_teardown(test_stop_after_server_died, stop_running),
        cmocka_unit_test_teardown(test_old_socket_folder_removed, stop_running),
        cmocka_unit_test(test_bad_bindir),
        cmocka_unit_test(test_unreachable_dir_as_root),
        cmocka_unit_test(test_stop_null),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

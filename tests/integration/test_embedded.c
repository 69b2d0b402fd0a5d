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
#include <pwd.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
    /* The note names this process as the one using it. */
    char expect[128];
    snprintf(expect, sizeof expect, "is in use by process %ld ",
             (long)getpid());
    assert_non_null(strstr(err.message, expect));

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
    /* As an earlier start left it: postgres's when run as root. */
    struct passwd *pw = geteuid() == 0 ? getpwnam("postgres") : NULL;
    if (pw != NULL)
        assert_int_equal(chown(dir, pw->pw_uid, pw->pw_gid), 0);
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

/* MIGC_EMBEDDED_HOME for one test: a folder under base of the given mode,
 * owned by root; restored by home_done. */
static void home_at(char *home, size_t size, const char *name, mode_t mode)
{
    dir_for(home, size, name);
    assert_int_equal(mkdir(home, 0700), 0);
    assert_int_equal(chmod(home, mode), 0);
    assert_int_equal(setenv("MIGC_EMBEDDED_HOME", home, 1), 0);
}

/* Back to the run's own home (setup): no test writes to /var/lib/migc. */
static void home_done(void)
{
    char home[256];
    dir_for(home, sizeof home, "default-home");
    setenv("MIGC_EMBEDDED_HOME", home, 1);
}

static uid_t postgres_uid(void)
{
    struct passwd *pw = getpwnam("postgres");
    if (pw == NULL)
        skip();
    return pw->pw_uid;
}

/* As root the server runs as postgres, which cannot pass a 0700 root folder
 * (a checkout in root's home): the cluster is kept in a private folder of
 * postgres's under the home, DIR links to it, and DIR keeps its owner. */
static void test_unreachable_dir_kept_elsewhere(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    uid_t pg_uid = postgres_uid();
    char home[256], locked[256], dir[300], link[320], kept[512], path[600];
    home_at(home, sizeof home, "home", 0755);
    dir_for(locked, sizeof locked, "locked");
    assert_int_equal(mkdir(locked, 0700), 0);
    snprintf(dir, sizeof dir, "%s/pg", locked);

    struct embedded_pg *pg = start_or_skip(dir);
    const char *where = embedded_kept_dir(pg);
    assert_non_null(where);
    snprintf(kept, sizeof kept, "%s", where);
    /* Named after DIR: its last part, then a hash of its whole path. */
    assert_int_equal(strncmp(kept, home, strlen(home)), 0);
    assert_int_equal(strncmp(kept + strlen(home), "/pg-", 4), 0);
    assert_int_equal(strlen(kept + strlen(home) + 4), 16);
    char value[64];
    query_value(pg, "CREATE TABLE kept (x int); SELECT 'ok'", value,
                sizeof value);
    stop_ok(pg);

    struct stat st;
    assert_int_equal(lstat(kept, &st), 0);
    assert_int_equal(st.st_uid, pg_uid);
    assert_int_equal(st.st_mode & 0777, 0700);
    snprintf(path, sizeof path, "%s/data/PG_VERSION", kept);
    assert_int_equal(access(path, F_OK), 0);
    /* DIR stays root's, holding only the link. */
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_uid, 0);
    snprintf(link, sizeof link, "%s/cluster", dir);
    char target[512];
    ssize_t n = readlink(link, target, sizeof target - 1);
    assert_true(n > 0);
    target[n] = '\0';
    assert_string_equal(target, kept);
    snprintf(path, sizeof path, "%s/data", dir);
    assert_int_not_equal(access(path, F_OK), 0);

    /* The same DIR finds the same cluster again. */
    pg = start_or_skip(dir);
    assert_string_equal(embedded_kept_dir(pg), kept);
    query_value(pg, "SELECT count(*)::text FROM kept", value, sizeof value);
    assert_string_equal(value, "0");
    stop_ok(pg);
    home_done();
}

/* A DIR postgres can reach but that was not made by this call and is not
 * postgres's is never given away: the cluster goes to the home instead. */
static void test_existing_dir_not_chowned(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    postgres_uid();
    char home[256], dir[256];
    home_at(home, sizeof home, "home2", 0755);
    dir_for(dir, sizeof dir, "roots");
    assert_int_equal(mkdir(dir, 0755), 0);

    struct embedded_pg *pg = start_or_skip(dir);
    assert_non_null(embedded_kept_dir(pg));
    stop_ok(pg);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_uid, 0);
    assert_int_equal(st.st_mode & 0777, 0755);
    home_done();
}

/* A home others may write in could hold a planted link: refused, and
 * nothing is created in it. */
static void test_home_writable_by_others_refused(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    postgres_uid();
    char home[256], locked[256], dir[300], expect[600];
    home_at(home, sizeof home, "home3", 0777);
    dir_for(locked, sizeof locked, "locked3");
    assert_int_equal(mkdir(locked, 0700), 0);
    snprintf(dir, sizeof dir, "%s/pg", locked);

    struct migc_error err = MIGC_ERROR_INIT;
    struct embedded_pg *pg = NULL;
    enum migc_code rc = embedded_start(dir, &pg, &err);
    home_done();
    if (rc != MIGC_OK && strstr(err.message, "binaries not found") != NULL)
        skip();
    assert_int_equal(rc, MIGC_ERR_EMBEDDED);
    assert_null(pg);
    snprintf(expect, sizeof expect,
             "%s must be a folder owned by root and writable by root alone "
             "(it holds the clusters of folders user postgres cannot reach)",
             home);
    assert_string_equal(err.message, expect);
    assert_int_equal(rmdir(home), 0); /* empty */
}

/* The kept folder must be postgres's alone: one another user made in its
 * place is not used. */
static void test_kept_folder_not_private_refused(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    postgres_uid();
    char home[256], locked[256], dir[300], expect[700];
    home_at(home, sizeof home, "home4", 0755);
    dir_for(locked, sizeof locked, "locked4");
    assert_int_equal(mkdir(locked, 0700), 0);
    snprintf(dir, sizeof dir, "%s/pg", locked);
    /* Learn the kept folder's name from a first start, then hand it to
     * root and open it up. */
    struct embedded_pg *pg = start_or_skip(dir);
    char kept[512];
    snprintf(kept, sizeof kept, "%s", embedded_kept_dir(pg));
    stop_ok(pg);
    assert_int_equal(chown(kept, 0, 0), 0);
    assert_int_equal(chmod(kept, 0755), 0);

    struct migc_error err = MIGC_ERROR_INIT;
    enum migc_code rc = embedded_start(dir, &pg, &err);
    home_done();
    assert_int_equal(rc, MIGC_ERR_EMBEDDED);
    assert_null(pg);
    snprintf(expect, sizeof expect,
             "%s is not a private folder of user postgres (mode 0700); move "
             "it away",
             kept);
    assert_string_equal(err.message, expect);
}

/* A folder of other files is never handed to the server's user. */
static void test_foreign_folder_refused(void **state)
{
    (void)state;
    char dir[256], file[300], expect[600];
    dir_for(dir, sizeof dir, "project");
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(file, sizeof file, "%s/README.md", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);

    struct migc_error err = MIGC_ERROR_INIT;
    struct embedded_pg *pg = NULL;
    enum migc_code rc = embedded_start(dir, &pg, &err);
    if (rc != MIGC_OK && strstr(err.message, "binaries not found") != NULL)
        skip();
    assert_int_equal(rc, MIGC_ERR_EMBEDDED);
    assert_null(pg);
    snprintf(expect, sizeof expect,
             "%s holds README.md, which is not part of a migc cluster; give "
             "--embedded a new or empty folder",
             dir);
    assert_string_equal(err.message, expect);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_uid, geteuid()); /* not given away */
    char data[320];
    snprintf(data, sizeof data, "%s/data", dir);
    assert_int_not_equal(access(data, F_OK), 0);
}

/* A link given as the folder is not followed, nor is what it leads to
 * touched. */
static void test_link_refused(void **state)
{
    (void)state;
    char target[256], link[256], expect[600];
    dir_for(target, sizeof target, "linked-target");
    dir_for(link, sizeof link, "link");
    assert_int_equal(mkdir(target, 0755), 0);
    assert_int_equal(symlink(target, link), 0);

    struct migc_error err = MIGC_ERROR_INIT;
    struct embedded_pg *pg = NULL;
    assert_int_equal(embedded_start(link, &pg, &err), MIGC_ERR_EMBEDDED);
    assert_null(pg);
    snprintf(expect, sizeof expect,
             "%s is a symbolic link: give the folder itself", link);
    assert_string_equal(err.message, expect);
    struct stat st;
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_uid, geteuid());
    assert_int_equal(st.st_mode & 0777, 0755);
}

/* A command killed while its server ran (SIGKILL: no embedded_stop) leaves
 * the server running. While that command lives, another start is refused;
 * once it is gone, the next start stops the orphan and starts afresh. */
static void test_orphaned_server(void **state)
{
    (void)state;
    char dir[256], expect[600];
    dir_for(dir, sizeof dir, "orphan");
    int ready[2], release[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(release), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(ready[0]);
        close(release[1]); /* else its read below never sees the end */
        struct migc_error err = MIGC_ERROR_INIT;
        struct embedded_pg *pg = NULL;
        char ok = embedded_start(dir, &pg, &err) == MIGC_OK ? 'y' : 'n';
        ssize_t w = write(ready[1], &ok, 1);
        char c;
        ssize_t r = read(release[0], &c, 1); /* until the parent says */
        (void)w;
        (void)r;
        _exit(0); /* as if killed: the server stays */
    }
    close(ready[1]);
    close(release[0]);
    char ok = 0;
    assert_int_equal(read(ready[0], &ok, 1), 1);
    if (ok != 'y') {
        close(release[1]);
        waitpid(child, NULL, 0);
        skip(); /* no server binaries */
    }

    struct migc_error err = MIGC_ERROR_INIT;
    struct embedded_pg *pg = NULL;
    enum migc_code rc = embedded_start(dir, &pg, &err);
    snprintf(expect, sizeof expect,
             "is in use by process %ld (another command on the same folder); "
             "wait for it to finish",
             (long)child);
    int refused = rc == MIGC_ERR_EMBEDDED && pg == NULL &&
                  strstr(err.message, expect) != NULL;
    close(release[1]);
    assert_int_equal(waitpid(child, NULL, 0), child);
    if (!refused)
        print_error("second start: %s\n", err.message);
    assert_true(refused);

    pg = start_or_skip(dir);
    assert_true(embedded_orphan_stopped(pg) > 0);
    char value[64];
    query_value(pg, "SELECT 1", value, sizeof value);
    assert_string_equal(value, "1");
    stop_ok(pg);
    close(ready[0]);
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
    home_done(); /* after a test that ended early */
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
    char home[256];
    dir_for(home, sizeof home, "default-home");
    if (chmod(base, 0755) != 0 || mkdir(home, 0755) != 0)
        return -1;
    home_done();
    return 0;
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
        cmocka_unit_test_teardown(test_unreachable_dir_kept_elsewhere,
                                  stop_running),
        cmocka_unit_test_teardown(test_existing_dir_not_chowned, stop_running),
        cmocka_unit_test(test_home_writable_by_others_refused),
        cmocka_unit_test_teardown(test_kept_folder_not_private_refused,
                                  stop_running),
        cmocka_unit_test(test_foreign_folder_refused),
        cmocka_unit_test(test_link_refused),
        cmocka_unit_test_teardown(test_orphaned_server, stop_running),
        cmocka_unit_test(test_stop_null),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_apply.c: libmigc's apply path against a real PostgreSQL: everything
 * in one transaction, timeouts (per run and per migration), the wait for
 * another process's lock and its limit, a migration reformatted after
 * release, and index builds outside a transaction that fail: the INVALID
 * index named, an automatic retry after a transient failure, resolve after
 * a permanent one; the longest ledger name PostgreSQL keeps, full of
 * quotes, through every statement that names the ledger; one round trip
 * per migration (library counter and protocol trace), group commit, and
 * the pipeline's lock try and ledger check failing on the server (lock
 * taken, migration recorded by another process).
 *
 * Fixtures (tests/integration/schemas/):
 *   timeouts    1 `-- migc:lock-timeout 3s`, 2 none, 3 no-transaction with
 *               `-- migc:statement-timeout 4min`: each records the settings
 *               its statement saw in a table
 *   cic_retry   1 a table of 200,000 rows, 2 a named CREATE INDEX
 *               CONCURRENTLY (repeatable)
 *   cic_unique  1 a table with a duplicate, 2 a unique CREATE INDEX
 *               CONCURRENTLY that fails on it, 3 a table
 *   ok_reformatted  ok with 0002 reformatted (comments, whitespace, case) */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <migc.h>

#include "dbtest.h"
#include "fixture_cic_retry.h"
#include "fixture_cic_unique.h"
#include "fixture_fails_late.h"
#include "fixture_notx_partial.h"
#include "fixture_ok.h"
#include "fixture_ok_reformatted.h"
#include "fixture_timeouts.h"
#include "fixture_slow.h"

#define LEDGER "public.migc_migrations"

/* Log lines as one text, "I:" or "W:" before each. */
struct logbook {
    char text[4096];
};

static void keep_log(enum migc_log_level level, const char *message,
                     void *ctx)
{
    struct logbook *b = ctx;
    size_t n = strlen(b->text);
    snprintf(b->text + n, sizeof b->text - n, "%s%s:%s", n ? "\n" : "",
             level == MIGC_LOG_WARNING ? "W" : "I", message);
}

/* ---- Everything in one transaction ------------------------------------ */

static void test_single_transaction(void **state)
{
    struct fixture *f = *state;
    struct migc_options opts =
        MIGC_OPTIONS(.flags = MIGC_OPT_SINGLE_TRANSACTION);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.applied, 3);
    /* read 1, create the ledger 2, lock and re-read 1, every statement of
     * every migration with their ledger rows and COMMIT 1 */
    assert_int_equal(rep.round_trips, 5);
    assert_string_equal(rows(f, "SELECT version, success FROM " LEDGER
                                " ORDER BY version"),
                        "1|t\n2|t\n3|t");
    /* one transaction: one start time for all */
    assert_string_equal(value(f, "SELECT count(DISTINCT applied_at) FROM "
                                 LEDGER),
                        "1");
    assert_idle(f->conn);
}

static void test_single_transaction_refuses_outside(void **state)
{
    struct fixture *f = *state;
    struct migc_options opts =
        MIGC_OPTIONS(.flags = MIGC_OPT_SINGLE_TRANSACTION);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(
        migc_migrate(f->conn, &fixture_notx_partial, &opts, &rep, &err),
        MIGC_ERR_ARG);
    assert_string_equal(err.message,
                        "cannot apply everything in one transaction: "
                        "migration 2 (0002_partial.sql) runs outside a "
                        "transaction (PostgreSQL refuses one of its "
                        "statements in a transaction block, or it says so); "
                        "apply without --single-transaction");
    assert_int_equal(err.version, 2);
    /* Refused before anything: not even the ledger. */
    assert_int_equal(rep.applied, 0);
    assert_int_equal(rep.round_trips, 1);
    assert_string_equal(relation(f, LEDGER), "<null>");
    assert_string_equal(relation(f, "public.accounts"), "<null>");
}

/* ---- Timeouts ----------------------------------------------------------- */

static void test_timeouts(void **state)
{
    struct fixture *f = *state;
    assert_string_equal(fixture_timeouts.migrations[0].lock_timeout, "3s");
    assert_null(fixture_timeouts.migrations[0].statement_timeout);
    assert_string_equal(fixture_timeouts.migrations[2].statement_timeout,
                        "4min");
    value(f, "SET lock_timeout = '7s'");
    struct migc_options opts =
        MIGC_OPTIONS(.lock_timeout = "2s", .statement_timeout = "90s");
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(
        migc_migrate(f->conn, &fixture_timeouts, &opts, &rep, &err), MIGC_OK);
    assert_int_equal(rep.applied, 3);
    /* The migration's directive wins over the run's option. */
    assert_string_equal(rows(f, "SELECT lt, st FROM seen_own"), "3s|90s");
    assert_string_equal(rows(f, "SELECT lt, st FROM seen_run"), "2s|90s");
    assert_string_equal(rows(f, "SELECT lt, st FROM seen_outside"),
                        "2s|4min");
    /* The caller's session settings are as they were. */
    assert_string_equal(value(f, "SHOW lock_timeout"), "7s");
    assert_string_equal(value(f, "SHOW statement_timeout"), "0");
}

/* ---- A long statement says what it is doing ---------------------------- */

/* Lines of log that contain needle. */
static int count_lines(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* Apply a schema's migration 1 alone: the ledger exists and the database
 * has history (the next run sends pipelines, whose running statement the
 * server names); the rest pend. */
static void apply_first(struct fixture *f, const struct migc_schema *schema)
{
    struct migc_options opts = MIGC_OPTIONS(.target_version = 1);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, schema, &opts, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.applied, 1);
}

/* Runs the slow schema with a line every 200 ms; *inside and *outside: the
 * lines of its two slow migrations (450 ms of pg_sleep each: two or
 * three lines). */
static void run_slow(struct fixture *f, struct logbook *log, size_t applied,
                     int *inside, int *outside)
{
    struct migc_options opts =
        MIGC_OPTIONS(.log = keep_log, .log_ctx = log, .progress_ms = 200);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_slow, &opts, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.applied, applied);
    *inside = count_lines(log->text, "I:still applying 0002_inside.sql "
                                     "after ");
    *outside = count_lines(log->text, "I:still applying 0003_outside.sql "
                                      "after ");
    if (*inside < 2 || *outside < 2)
        print_error("log:\n%s\n", log->text);
    assert_true(*inside >= 2 && *inside <= 3);
    assert_true(*outside >= 2 && *outside <= 3);
    /* outside a transaction a statement is its own round trip: named */
    assert_int_equal(count_lines(log->text, "s: running the statement at "
                                            "tests/integration/schemas/slow/"
                                            "0003_outside.sql:3:1"),
                     *outside);
}

/* A database with history: the lines name the statement by its place in
 * the file, in a transaction (the server asked) and outside. */
static void test_progress_of_long_statements(void **state)
{
    struct fixture *f = *state;
    apply_first(f, &fixture_slow);
    struct logbook log = {""};
    int inside, outside;
    run_slow(f, &log, 2, &inside, &outside);
    assert_int_equal(count_lines(log.text, "s: running the statement at "
                                           "tests/integration/schemas/slow/"
                                           "0002_inside.sql:4:1"),
                     inside);
}

/* A fresh database: a migration in a transaction goes as one query
 * string, whose statement the server cannot name: the line names the
 * migration. */
static void test_progress_fresh(void **state)
{
    struct fixture *f = *state;
    struct logbook log = {""};
    int inside, outside;
    run_slow(f, &log, 3, &inside, &outside);
    assert_null(strstr(log.text, "0002_inside.sql:"));
}

/* The server cannot say what its process runs (track_activities off for
 * it): a pipeline's line names the migration only; a statement run alone
 * is still named. */
static void test_progress_unknown_statement(void **state)
{
    struct fixture *f = *state;
    apply_first(f, &fixture_slow);
    PQclear(PQexec(f->conn, "SET track_activities = off"));
    struct logbook log = {""};
    int inside, outside;
    run_slow(f, &log, 2, &inside, &outside);
    PQclear(PQexec(f->conn, "RESET track_activities"));
    assert_null(strstr(log.text, "0002_inside.sql:"));
}

/* Migration 2 of fails_late fails at its third statement: the error,
 * mapped to the file, and nothing of migration 2 left. */
static void expect_late_failure(struct fixture *f, size_t applied)
{
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(
        migc_migrate(f->conn, &fixture_fails_late, NULL, &rep, &err),
        MIGC_ERR_MIGRATION);
    assert_int_equal(rep.applied, applied);
    assert_string_equal(err.message, "tests/integration/schemas/fails_late/"
                                     "0002_bad.sql:5:8: 22P02 invalid input "
                                     "syntax for type integer: \"ünï\"");
    assert_int_equal(err.version, 2);
    assert_int_equal(err.statement, 2);
    assert_int_equal(err.line, 5);
    assert_int_equal(err.column, 8);
    assert_string_equal(rows(f, "SELECT version FROM " LEDGER), "1");
    assert_string_equal(value(f, "SELECT to_regclass('fl_b') IS NULL"), "t");
    assert_idle(f->conn);
}

/* A fresh database: migration 2 goes as one query string, whose error
 * position counts from the string's start (characters before it, of
 * migration 2's own earlier statements). */
static void test_late_failure_in_string(void **state)
{
    expect_late_failure(*state, 1);
}

/* With history: a pipeline; the same error. */
static void test_late_failure_in_pipeline(void **state)
{
    struct fixture *f = *state;
    apply_first(f, &fixture_fails_late);
    expect_late_failure(f, 0);
}

/* A fresh database writes the ledger row's values into its query string
 * as literals: a name holding a quote and a backslash (an E'' literal)
 * arrives as it is, and so does a timeout. */
static void test_literal_values(void **state)
{
    struct fixture *f = *state;
#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    static const struct migc_statement st[] = {
        {.sql = "CREATE TABLE lit (id integer)", .len = 29, .line = 1,
         .column = 1, .checksum = HEX64, .canonical = HEX64}};
    static const struct migc_migration m[] = {
        {.version = 1, .name = "0001_it's \\ odd.sql", .description = "odd",
         .up = {.path = "0001_it's \\ odd.sql", .checksum = HEX64,
                .canonical = HEX64, .statements = st, .n_statements = 1},
         .lock_timeout = "2s"}};
    static const struct migc_schema schema = {
        .format = MIGC_FORMAT_VERSION, .name = "lit", .generator = "test",
        .fingerprint = HEX64, .migrations = m, .n_migrations = 1};
#undef HEX64
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &schema, NULL, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.applied, 1);
    assert_string_equal(value(f, "SELECT name FROM " LEDGER),
                        "0001_it's \\ odd.sql");
    assert_string_equal(value(f, "SELECT to_regclass('lit') IS NOT NULL"),
                        "t");
}

/* progress_ms -1: never a line. */
static void test_progress_never(void **state)
{
    struct fixture *f = *state;
    struct logbook log = {""};
    struct migc_options opts =
        MIGC_OPTIONS(.log = keep_log, .log_ctx = &log, .progress_ms = -1);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_slow, &opts, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.applied, 3);
    assert_null(strstr(log.text, "still applying"));
}

/* ---- Waiting for another process --------------------------------------- */

/* A session of database conninfo holding the ledger's key. */
static PGconn *hold_key(const char *conninfo)
{
    PGconn *c = PQconnectdb(conninfo);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%lld)",
             ledger_lock_key());
    PGresult *res = PQexec(c, sql);
    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    PQclear(res);
    return c;
}

static void test_lock_wait_limit(void **state)
{
    struct fixture *f = *state;
    /* The same key held in other databases of the server (other services'
     * ledgers of the same name) is not this lock: the log must not name
     * their sessions. */
    struct pgtest_db dbs[2]; /* set by pgtest_db_create */
    PGconn *foreign[3];
    char conninfo[1100];
    snprintf(conninfo, sizeof conninfo, "%s dbname=postgres", f->db.conninfo);
    foreign[0] = hold_key(conninfo);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(pgtest_db_create(&dbs[i], "lock_wait_foreign"), 0);
        foreign[i + 1] = hold_key(dbs[i].conninfo);
    }
    PGconn *other = PQconnectdb(f->db.conninfo);
    assert_int_equal(PQstatus(other), CONNECTION_OK);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%lld)",
             ledger_lock_key());
    PGresult *res = PQexec(other, sql);
    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    PQclear(res);
    res = PQexec(other, "SELECT pg_backend_pid()");
    char pid[32];
    snprintf(pid, sizeof pid, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);

    struct logbook log = {""};
    struct migc_options opts =
        MIGC_OPTIONS(.lock_wait_ms = 300, .log = keep_log, .log_ctx = &log);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_ERR_LOCK_TIMEOUT);
    /* At least the limit; a loaded machine may take longer. */
    const char *after = strstr(err.message, "timed out after ");
    assert_non_null(after);
    assert_true(strtod(after + strlen("timed out after "), NULL) >= 0.3);
    assert_non_null(strstr(err.message, "s waiting for the migration lock "
                                        "held by another process"));
    /* Said once, naming the holder's server process and what it ran. */
    char want[256];
    snprintf(want, sizeof want,
             "I:waiting for the migration lock, held by server process %s "
             "(application -, idle for ",
             pid);
    assert_true(strncmp(log.text, want, strlen(want)) == 0);
    assert_non_null(strstr(log.text, "SELECT pg_backend_pid()"));
    assert_null(strchr(log.text, '\n'));
    assert_true(rep.waited_ms >= 300); /* wall time, the tries included */
    assert_idle(f->conn);
    assert_string_equal(relation(f, LEDGER), "<null>");

    for (int i = 0; i < 3; i++)
        PQfinish(foreign[i]);
    for (int i = 0; i < 2; i++)
        pgtest_db_drop(&dbs[i]);

    /* Released: the next run gets it. */
    PQfinish(other);
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.applied, 3);
}

/* ---- Drift that is only formatting ------------------------------------- */

static void test_reformatted_is_a_warning(void **state)
{
    struct fixture *f = *state;
    assert_string_not_equal(fixture_ok.migrations[1].up.checksum,
                            fixture_ok_reformatted.migrations[1].up.checksum);
    assert_string_equal(fixture_ok.migrations[1].up.canonical,
                        fixture_ok_reformatted.migrations[1].up.canonical);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, NULL, &rep, &err),
                     MIGC_OK);

    struct logbook log = {""};
    struct migc_options opts = MIGC_OPTIONS(.log = keep_log, .log_ctx = &log);
    assert_int_equal(
        migc_migrate(f->conn, &fixture_ok_reformatted, &opts, &rep, &err),
        MIGC_OK);
    assert_int_equal(rep.cosmetic, 1);
    assert_int_equal(rep.round_trips, 1);
    assert_string_equal(log.text,
                        "W:migration 2 (0002_touch_function.sql) differs from "
                        "the applied one only in whitespace, line endings or "
                        "comments");

    struct migc_status *st = NULL;
    assert_int_equal(
        migc_status(f->conn, &fixture_ok_reformatted, NULL, &st, &err),
        MIGC_OK);
    assert_int_equal(migc_status_entry_at(st, 1)->state,
                     MIGC_STATE_REFORMATTED);
    assert_string_equal(migc_state_name(migc_status_entry_at(st, 1)->state),
                        "reformatted");
    migc_status_free(st);

    opts.flags = MIGC_OPT_STRICT;
    assert_int_equal(
        migc_check(f->conn, &fixture_ok_reformatted, &opts, &rep, &err),
        MIGC_ERR_CHECKSUM);
    assert_non_null(strstr(err.message, "a released migration was edited "
                                        "(only in whitespace, line endings "
                                        "or comments)"));
}

/* ---- Index builds outside a transaction that fail ---------------------- */

static void test_invalid_index_resolve(void **state)
{
    struct fixture *f = *state;
    const struct migc_statement *cic =
        &fixture_cic_unique.migrations[1].up.statements[0];
    assert_true(cic->flags & MIGC_STMT_REPEATABLE);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(
        migc_migrate(f->conn, &fixture_cic_unique, NULL, &rep, &err),
        MIGC_ERR_MIGRATION);
    assert_string_equal(err.sqlstate, "23505");
    assert_string_equal(err.message,
                        "tests/integration/schemas/cic_unique/"
                        "0002_code_key.sql:1:1: 23505 could not create unique "
                        "index \"codes_code_key\"");
    assert_string_equal(err.hint,
                        "the failed build left the index \"codes_code_key\" "
                        "INVALID; clear it with `DROP INDEX CONCURRENTLY IF "
                        "EXISTS \"codes_code_key\";`, then run `resolve 2` "
                        "(statement 1 is then retried)");
    assert_string_equal(value(f, "SELECT indisvalid FROM pg_index WHERE"
                                 " indexrelid = 'codes_code_key'::regclass"),
                        "f");
    assert_string_equal(rows(f, "SELECT success, failed_statement, sqlstate"
                                " FROM " LEDGER " WHERE version = 2"),
                        "f|0|23505");

    /* A unique violation is not transient: no retry by itself. */
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(
        migc_migrate(f->conn, &fixture_cic_unique, NULL, &rep, &err),
        MIGC_ERR_FAILED);
    assert_int_equal(rep.round_trips, 1);

    /* The operator fixes the data, drops the index and resolves. */
    value(f, "DELETE FROM codes WHERE id = 3");
    value(f, "DROP INDEX CONCURRENTLY codes_code_key");
    assert_int_equal(migc_resolve(f->conn, &fixture_cic_unique, NULL, 2,
                                  MIGC_RESOLVE_RETRY, &err),
                     MIGC_OK);
    assert_int_equal(
        migc_migrate(f->conn, &fixture_cic_unique, NULL, &rep, &err),
        MIGC_OK);
    assert_int_equal(rep.applied, 2);
    assert_string_equal(value(f, "SELECT indisvalid FROM pg_index WHERE"
                                 " indexrelid = 'codes_code_key'::regclass"),
                        "t");
    assert_string_equal(rows(f, "SELECT version, success, completed FROM "
                                LEDGER " ORDER BY version"),
                        "1|t|2\n2|t|1\n3|t|1");
    /* Nothing left to resolve. */
    assert_int_equal(migc_resolve(f->conn, &fixture_cic_unique, NULL, 2,
                                  MIGC_RESOLVE_RETRY, &err),
                     MIGC_ERR_ARG);
}

static void test_transient_failure_is_retried(void **state)
{
    struct fixture *f = *state;
    /* A statement timeout far too short for the index build: it fails
     * with 57014 and leaves the index INVALID. */
    struct migc_options opts = MIGC_OPTIONS(.statement_timeout = "1ms");
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_schema first = fixture_cic_retry;
    first.n_migrations = 1;
    assert_int_equal(migc_migrate(f->conn, &first, NULL, &rep, &err), MIGC_OK);
    assert_int_equal(
        migc_migrate(f->conn, &fixture_cic_retry, &opts, &rep, &err),
        MIGC_ERR_MIGRATION);
    assert_string_equal(err.sqlstate, "57014");
    /* Cancelled before or after the index entered the catalog. */
    const char *left = value(f, "SELECT coalesce((SELECT indisvalid::text"
                                " FROM pg_index WHERE indexrelid ="
                                " to_regclass('readings_value_idx')),"
                                " 'absent')");
    assert_true(strcmp(left, "false") == 0 || strcmp(left, "absent") == 0);

    /* The next run retries it by itself: the leftover is dropped, the
     * index built again. */
    struct logbook log = {""};
    struct migc_options again = MIGC_OPTIONS(.log = keep_log, .log_ctx = &log);
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(
        migc_migrate(f->conn, &fixture_cic_retry, &again, &rep, &err),
        MIGC_OK);
    assert_int_equal(rep.applied, 1);
    assert_string_equal(log.text,
                        "I:retrying migration 2 (0002_value_idx.sql) at "
                        "statement 1, which failed with SQLSTATE 57014 and is "
                        "safe to repeat");
    assert_string_equal(value(f, "SELECT indisvalid FROM pg_index WHERE"
                                 " indexrelid = 'readings_value_idx'"
                                 "::regclass"),
                        "t");
    assert_string_equal(value(f, "SELECT count(*) FROM pg_indexes WHERE"
                                 " tablename = 'readings'"),
                        "2");
    assert_string_equal(value(f, "SHOW statement_timeout"), "0");
}

/* A process that died part-way leaves its row running; the next run takes
 * it over once no server process works for it. */
static void test_abandoned_row_is_taken_over(void **state)
{
    struct fixture *f = *state;
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_schema first = fixture_cic_retry;
    first.n_migrations = 1;
    assert_int_equal(migc_migrate(f->conn, &first, NULL, &rep, &err), MIGC_OK);
    /* As a killed process leaves it: running, its holder's server process
     * gone, the index half built (an INVALID index of that name, from a
     * unique build that fails on equal keys). */
    PGresult *res = PQexec(f->conn, "CREATE UNIQUE INDEX CONCURRENTLY"
                                    " readings_value_idx ON readings ((1))");
    assert_int_equal(PQresultStatus(res), PGRES_FATAL_ERROR);
    PQclear(res);
    assert_string_equal(value(f, "SELECT indisvalid FROM pg_index WHERE"
                                 " indexrelid = 'readings_value_idx'"
                                 "::regclass"),
                        "f");
    value(f, "INSERT INTO " LEDGER " (version, name, checksum, canonical,"
             " success, completed, holder, holder_pid, heartbeat) VALUES (2,"
             " '0002_value_idx.sql', '%s', '%s', false, 0, 'gone:1:0',"
             " 2147483000, now())",
          fixture_cic_retry.migrations[1].up.checksum,
          fixture_cic_retry.migrations[1].up.canonical);

    struct migc_status *st = NULL;
    assert_int_equal(migc_status(f->conn, &fixture_cic_retry, NULL, &st, &err),
                     MIGC_OK);
    assert_int_equal(migc_status_entry_at(st, 1)->state, MIGC_STATE_RUNNING);
    assert_int_equal(st->n_pending, 1);
    migc_status_free(st);

    struct logbook log = {""};
    struct migc_options opts = MIGC_OPTIONS(.log = keep_log, .log_ctx = &log);
    assert_int_equal(
        migc_migrate(f->conn, &fixture_cic_retry, &opts, &rep, &err), MIGC_OK);
    assert_int_equal(rep.applied, 1);
    assert_string_equal(log.text,
                        "I:taking over migration 2 (0002_value_idx.sql) at "
                        "statement 1 of 1, left part-way by gone:1:0");
    assert_string_equal(rows(f, "SELECT success, completed, holder IS NULL"
                                " FROM " LEDGER " WHERE version = 2"),
                        "t|1|t");
    /* The leftover was dropped and the statement's own index built. */
    assert_string_equal(
        rows(f, "SELECT i.indisvalid, pg_get_indexdef(i.indexrelid) FROM"
                " pg_index i WHERE i.indexrelid = 'readings_value_idx'"
                "::regclass"),
        "t|CREATE INDEX readings_value_idx ON public.readings USING btree"
        " (value)");
}

/* A second connection to the test's database. */
static PGconn *other_session(struct fixture *f)
{
    PGconn *c = PQconnectdb(f->db.conninfo);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    return c;
}

/* A call of the library on its own thread (migc_migrate, or migc_resolve
 * of version 2 with resolve_how), so that the test can act while it waits
 * for a row another session holds. */
struct run_in_thread {
    struct fixture *f;
    const struct migc_schema *schema;
    const struct migc_options *opts;
    int resolve;
    enum migc_resolve_how resolve_how;
    struct migc_report rep;
    struct migc_error err;
    enum migc_code rc;
};

static void *run_thread(void *arg)
{
    struct run_in_thread *t = arg;
    t->rc = t->resolve ? migc_resolve(t->f->conn, t->schema, t->opts, 2,
                                      t->resolve_how, &t->err)
                       : migc_migrate(t->f->conn, t->schema, t->opts, &t->rep,
                                      &t->err);
    return NULL;
}

/* Migration 1 applied, and row 2 of the ledger made as a run left it (its
 * columns and values after the checksums, in SQL), then held by the
 * session returned (SELECT ... FOR UPDATE). */
static PGconn *hold_row(struct fixture *f, const char *columns,
                        const char *values)
{
    struct migc_schema first = fixture_cic_retry;
    first.n_migrations = 1;
    apply_first(f, &first);
    value(f, "INSERT INTO " LEDGER " (version, name, checksum, canonical, %s)"
             " VALUES (2, '0002_value_idx.sql', '%s', '%s', %s)",
          columns, fixture_cic_retry.migrations[1].up.checksum,
          fixture_cic_retry.migrations[1].up.canonical, values);
    PGconn *other = other_session(f);
    PQclear(PQexec(other, "BEGIN"));
    PGresult *res = PQexec(other, "SELECT 1 FROM " LEDGER
                                  " WHERE version = 2 FOR UPDATE");
    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    PQclear(res);
    return other;
}

/* t's call on a thread of its own; once it waits for the held row, the
 * row recorded applied on other, as the process that held it would at its
 * end; then the call's end. */
static void finish_held_row(struct fixture *f, PGconn *other,
                            struct run_in_thread *t)
{
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, run_thread, t), 0);
    PGconn *watch = other_session(f);
    int waiting = 0;
    for (int i = 0; i < 1000 && !waiting; i++) {
        PGresult *res = PQexec(watch, "SELECT count(*) FROM pg_stat_activity"
                                      " WHERE wait_event_type = 'Lock' AND"
                                      " query LIKE 'UPDATE %migc_migrations%'");
        waiting = PQresultStatus(res) == PGRES_TUPLES_OK &&
                  strcmp(PQgetvalue(res, 0, 0), "1") == 0;
        PQclear(res);
        if (!waiting)
            nanosleep(&(struct timespec){0, 5000000}, NULL);
    }
    PQfinish(watch);
    assert_true(waiting);
    PGresult *res = PQexec(other, "UPDATE " LEDGER " SET success = true,"
                                  " completed = 1, error = NULL,"
                                  " sqlstate = NULL, failed_statement = NULL,"
                                  " holder = NULL, holder_pid = NULL,"
                                  " heartbeat = NULL WHERE version = 2");
    assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    PQclear(PQexec(other, "COMMIT"));
    assert_int_equal(pthread_join(thread, NULL), 0);
    PQfinish(other);
}

/* The run that reads a row as left part-way by a dead holder takes it over
 * only while the row is still as it read it. A holder records its end
 * without the migration lock: one that finished and quit between this
 * run's read of the row and its look for the holder's server process
 * seemed dead, and its finished migration was applied a second time. */
static void test_finished_row_is_not_taken_over(void **state)
{
    struct fixture *f = *state;
    PGconn *other = hold_row(f, "success, completed, holder, holder_pid,"
                                " heartbeat",
                             "false, 0, 'gone:1:0', 2147483000, now()");
    struct logbook log = {""};
    struct migc_options opts = MIGC_OPTIONS(.log = keep_log, .log_ctx = &log);
    struct run_in_thread t = {.f = f, .schema = &fixture_cic_retry,
                              .opts = &opts, .rep = MIGC_REPORT_INIT,
                              .err = MIGC_ERROR_INIT};
    finish_held_row(f, other, &t);

    assert_int_equal(t.rc, MIGC_OK);
    assert_int_equal(t.rep.applied, 0);
    assert_string_equal(log.text, "");
    /* Its statement did not run here, and the row is the holder's. */
    assert_string_equal(value(f, "SELECT count(*) FROM pg_indexes WHERE"
                                 " indexname = 'readings_value_idx'"),
                        "0");
    assert_string_equal(rows(f, "SELECT success, completed, holder IS NULL"
                                " FROM " LEDGER " WHERE version = 2"),
                        "t|1|t");
    assert_idle(f->conn);
}

/* resolve holds to the same rule: a failed row that a retrying run
 * finished meanwhile is left applied, and the operator is told. */
static void test_finished_row_is_not_resolved(void **state)
{
    struct fixture *f = *state;
    PGconn *other = hold_row(f, "success, completed, failed_statement,"
                                " sqlstate, error",
                             "false, 0, 0, '57014', 'canceling statement'");
    struct run_in_thread t = {.f = f, .schema = &fixture_cic_retry,
                              .resolve = 1,
                              .resolve_how = MIGC_RESOLVE_SKIP,
                              .err = MIGC_ERROR_INIT};
    finish_held_row(f, other, &t);

    assert_int_equal(t.rc, MIGC_ERR_RUNNING);
    assert_string_equal(t.err.message,
                        "migration 2 changed while it was being resolved "
                        "(another process applied or took it over): nothing "
                        "was resolved; see status");
    assert_string_equal(rows(f, "SELECT success, completed, error IS NULL"
                                " FROM " LEDGER " WHERE version = 2"),
                        "t|1|t");
    assert_idle(f->conn);
}

/* ---- The longest ledger name ------------------------------------------- */

/* PostgreSQL keeps 63 bytes of a name; quoted, with every '"' doubled, the
 * ledger's schema-qualified name is over 200 bytes. Every statement naming
 * the ledger must arrive whole: once, one of them was cut short. */
#define LONG_SCHEMA                                                           \
    "Ledger \"schema\", 63 bytes: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"" \
    "\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\""
/* 57 bytes: with "_packs" the pack ledger's name is 63 bytes too. */
#define LONG_TABLE                                                            \
    "A \"ledger\" table, 57 bytes: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"" \
    "\"\"\"\"\"\"\"\"\"\"\"\"\""

/* The quoted, schema-qualified name of a ledger table in LONG_SCHEMA. */
static const char *long_ledger(struct fixture *f, const char *table,
                               char *out, size_t size)
{
    char *qs = PQescapeIdentifier(f->conn, LONG_SCHEMA, strlen(LONG_SCHEMA));
    char *qt = PQescapeIdentifier(f->conn, table, strlen(table));
    assert_non_null(qs);
    assert_non_null(qt);
    assert_true((size_t)snprintf(out, size, "%s.%s", qs, qt) < size);
    PQfreemem(qs);
    PQfreemem(qt);
    return out;
}

static void test_longest_ledger_name(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(strlen(LONG_SCHEMA), 63);
    assert_int_equal(strlen(LONG_TABLE) + strlen("_packs"), 63);
    char ledger[512], states[128];
    long_ledger(f, LONG_TABLE, ledger, sizeof ledger);
    struct migc_options opts =
        MIGC_OPTIONS(.ledger_schema = LONG_SCHEMA, .ledger_table = LONG_TABLE);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_status *st = NULL;

    /* Everything in one transaction, then the up-to-date path. */
    opts.flags = MIGC_OPT_SINGLE_TRANSACTION;
    enum migc_code rc = migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err);
    assert_string_equal(err.message, "");
    assert_int_equal(rc, MIGC_OK);
    assert_int_equal(rep.applied, 3);
    assert_int_equal(rep.round_trips, 5);
    opts.flags = 0;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.applied, 0);
    assert_int_equal(rep.round_trips, 1);
    assert_int_equal(migc_check(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.pending, 0);
    assert_int_equal(rep.round_trips, 1);
    assert_int_equal(migc_status(f->conn, &fixture_ok, &opts, &st, &err),
                     MIGC_OK);
    snprintf(states, sizeof states, "%s %s %s",
             migc_state_name(migc_status_entry_at(st, 0)->state),
             migc_state_name(migc_status_entry_at(st, 1)->state),
             migc_state_name(migc_status_entry_at(st, 2)->state));
    assert_int_equal(st->n_entries, 3);
    assert_string_equal(states, "applied applied applied");
    migc_status_free(st);
    assert_string_equal(rows(f, "SELECT version, success FROM %s"
                                " ORDER BY version",
                             ledger),
                        "1|t\n2|t\n3|t");
    assert_string_equal(relation(f, LEDGER), "<null>");
    char packs[512];
    long_ledger(f, LONG_TABLE "_packs", packs, sizeof packs);
    assert_string_equal(value(f, "SELECT count(*) FROM %s", packs), "0");

    /* A migration per transaction and one outside a transaction, in a
     * second ledger of the schema. */
    char table[64];
    snprintf(table, sizeof table, "%.56s2", LONG_TABLE);
    opts.ledger_table = table;
    long_ledger(f, table, ledger, sizeof ledger);
    assert_int_equal(
        migc_migrate(f->conn, &fixture_timeouts, &opts, &rep, &err), MIGC_OK);
    assert_string_equal(err.message, "");
    assert_int_equal(rep.applied, 3);
    assert_string_equal(rows(f, "SELECT version, success, completed,"
                                " holder IS NULL FROM %s ORDER BY version",
                             ledger),
                        "1|t|1|t\n2|t|1|t\n3|t|1|t");
    assert_int_equal(
        migc_check(f->conn, &fixture_timeouts, &opts, &rep, &err), MIGC_OK);
    assert_int_equal(rep.round_trips, 1);

    /* A failure outside a transaction is recorded on its row, and
     * resolved, in a third. */
    snprintf(table, sizeof table, "%.56s3", LONG_TABLE);
    long_ledger(f, table, ledger, sizeof ledger);
    assert_int_equal(
        migc_migrate(f->conn, &fixture_notx_partial, &opts, &rep, &err),
        MIGC_ERR_MIGRATION);
    assert_int_equal(err.version, 2);
    assert_string_equal(rows(f, "SELECT version, success, completed,"
                                " failed_statement, sqlstate FROM %s"
                                " ORDER BY version",
                             ledger),
                        "1|t|1|<null>|<null>\n2|f|1|1|42703");
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(
        migc_status(f->conn, &fixture_notx_partial, &opts, &st, &err),
        MIGC_OK);
    assert_int_equal(migc_status_entry_at(st, 1)->state, MIGC_STATE_FAILED);
    migc_status_free(st);
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_resolve(f->conn, &fixture_notx_partial, &opts, 2,
                                  MIGC_RESOLVE_SKIP, &err),
                     MIGC_OK);
    assert_string_equal(rows(f, "SELECT success, completed, error IS NULL"
                                " FROM %s WHERE version = 2",
                             ledger),
                        "f|2|t");
    assert_idle(f->conn);
}

/* One byte more than PostgreSQL keeps (with "_packs" for the table):
 * refused before anything is created, not cut short. */
static void test_ledger_name_too_long(void **state)
{
    struct fixture *f = *state;
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_options opts = MIGC_OPTIONS(.ledger_table = LONG_TABLE "x");
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_ERR_ARG);
    assert_string_equal(err.message,
                        "the ledger table name is 58 bytes; with the pack "
                        "ledger's suffix _packs it must fit the 63 bytes "
                        "PostgreSQL keeps of a name (at most 57)");
    err = (struct migc_error)MIGC_ERROR_INIT;
    opts = (struct migc_options)MIGC_OPTIONS(.ledger_schema = LONG_SCHEMA "x");
    assert_int_equal(migc_check(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_ERR_ARG);
    assert_string_equal(err.message,
                        "the ledger schema name is 64 bytes; PostgreSQL "
                        "keeps 63 of a name and would cut it short");
    /* Nothing was created. */
    assert_string_equal(
        value(f, "SELECT count(*) FROM pg_class WHERE relname LIKE '%%ledger%%'"
                 " OR relname LIKE 'migc%%'"),
        "0");
}

/* ---- One round trip per migration, group commit ------------------------ */

/* Lines of a protocol trace that hold what. */
static int traced(FILE *trace, const char *what)
{
    rewind(trace);
    char line[8192];
    int n = 0;
    while (fgets(line, sizeof line, trace))
        n += strstr(line, what) != NULL;
    return n;
}

/* A fresh apply: the read, the ledger's creation, then one round trip per
 * migration, counted by the library and by libpq's trace (one
 * ReadyForQuery each); every commit but the last asynchronous, unless
 * MIGC_OPT_SYNCHRONOUS_COMMIT. Watched for progress lines (a log), and
 * still no Flush in a pipeline: the results come once, at the sync. */
static void one_trip_each(struct fixture *f, uint32_t flags, int async)
{
    FILE *trace = tmpfile();
    assert_non_null(trace);
    PQtrace(f->conn, trace);
    struct logbook log = {""};
    struct migc_options opts =
        MIGC_OPTIONS(.flags = flags, .log = keep_log, .log_ctx = &log);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_OK);
    PQuntrace(f->conn);
    assert_int_equal(rep.applied, 3);
    /* read 1, create the ledger 2, each migration 1 */
    assert_int_equal(rep.round_trips, 1 + 2 + 3);
    assert_int_equal(traced(trace, "\tReadyForQuery"), 6);
    /* the lock's try in each migration's pipeline */
    assert_int_equal(traced(trace, "CASE WHEN pg_try_advisory_xact_lock("), 3);
    assert_int_equal(traced(trace, "'synchronous_commit', 'off'"), async);
    assert_int_equal(traced(trace, "ROLLBACK"), 0);
    assert_int_equal(traced(trace, "txid_current"), 0);
    assert_int_equal(traced(trace, "\tFlush"), 0);
    fclose(trace);
    assert_string_equal(rows(f, "SELECT version, success, completed,"
                                " duration_us >= 0, applied_at <= now()"
                                " FROM " LEDGER " ORDER BY version"),
                        "1|t|2|t|t\n2|t|2|t|t\n3|t|3|t|t");
    assert_idle(f->conn);
}

static void test_one_round_trip_per_migration(void **state)
{
    one_trip_each(*state, 0, 2);
}

static void test_synchronous_commit_option(void **state)
{
    one_trip_each(*state, MIGC_OPT_SYNCHRONOUS_COMMIT, 0);
}


/* The lock's try fails inside the migration's pipeline while another
 * session holds the lock: nothing of the migration runs, the holder is
 * named once, and the pipeline is sent again once the lock is free. */
static void test_lock_taken_in_pipeline(void **state)
{
    struct fixture *f = *state;
    apply_first(f, &fixture_ok);
    PGconn *other = other_session(f);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%lld)",
             ledger_lock_key());
    PQclear(PQexec(other, sql));

    /* Held for good: the wait ends at its limit, nothing applied. */
    struct logbook log = {""};
    struct migc_options opts =
        MIGC_OPTIONS(.lock_wait_ms = 200, .log = keep_log, .log_ctx = &log);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_ERR_LOCK_TIMEOUT);
    assert_non_null(strstr(err.message, "waiting for the migration lock "
                                        "held by another process"));
    assert_non_null(strstr(log.text, "I:waiting for the migration lock, "
                                     "held by server process "));
    assert_int_equal(rep.applied, 0);
    assert_idle(f->conn);
    assert_string_equal(rows(f, "SELECT version FROM " LEDGER), "1");
    assert_string_equal(value(f, "SELECT count(*) FROM pg_proc WHERE"
                                 " proname = 'touch_updated'"),
                        "0");

    /* Released after a while: the same run goes on. */
    snprintf(sql, sizeof sql,
             "SELECT pg_sleep(0.3); SELECT pg_advisory_unlock(%lld)",
             ledger_lock_key());
    assert_int_equal(PQsendQuery(other, sql), 1);
    /* Its sleep has begun before the run looks at the holder (else it
     * sees the holder's previous statement). */
    for (int i = 0; i < 200 && strcmp(value(f, "SELECT count(*) FROM"
                                             " pg_stat_activity WHERE state ="
                                             " 'active' AND query LIKE"
                                             " 'SELECT pg_sleep(0.3)%%'"),
                                       "1") != 0;
         i++)
        nanosleep(&(struct timespec){0, 5000000}, NULL);
    log.text[0] = '\0';
    opts.lock_wait_ms = 10000;
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.applied, 2);
    assert_true(rep.waited_ms >= 100);
    assert_non_null(strstr(log.text, "SELECT pg_sleep(0.3)"));
    /* each try: its pipeline and the ROLLBACK of its aborted transaction */
    assert_true(rep.round_trips >= 1 + 2 + 1 + 2);
    PGresult *res;
    while ((res = PQgetResult(other)) != NULL) {
        assert_true(PQresultStatus(res) == PGRES_TUPLES_OK);
        PQclear(res);
    }
    PQfinish(other);
    assert_string_equal(rows(f, "SELECT version, success FROM " LEDGER
                                " ORDER BY version"),
                        "1|t\n2|t\n3|t");
    assert_idle(f->conn);
}

/* Another process records migration 2 between this run's read and its
 * pipeline (here: the event callback writes the row, as a racing process
 * would): the check in the pipeline fails on the server, none of 2's
 * statements runs, the row is read under the lock and checked, and the run
 * goes on with 3. */
struct racer {
    PGconn *other;
    const char *checksum; /* the row's checksum, and its canonical one */
    const char *canonical;
    char log[64];
};

static void race(const struct migc_event *e, void *ctx)
{
    struct racer *r = ctx;
    size_t n = strlen(r->log);
    snprintf(r->log + n, sizeof r->log - n, "%s%c%lld", n ? " " : "",
             e->kind == MIGC_EVENT_APPLYING ? '+' : '=',
             (long long)e->migration->version);
    if (e->kind != MIGC_EVENT_APPLYING || e->migration->version != 2)
        return;
    const char *params[3] = {e->migration->name, r->checksum,
                             r->canonical};
    PGresult *res = PQexecParams(
        r->other,
        "INSERT INTO " LEDGER " (version, name, checksum, canonical,"
        " success, completed) VALUES (2, $1, $2, $3, true, 2)",
        3, NULL, params, NULL, NULL, 0);
    assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
}

static void test_recorded_by_another_process(void **state)
{
    struct fixture *f = *state;
    apply_first(f, &fixture_ok);
    struct racer r = {other_session(f), fixture_ok.migrations[1].up.checksum,
                      fixture_ok.migrations[1].up.canonical, ""};
    struct migc_options opts = MIGC_OPTIONS(.on_event = race, .event_ctx = &r);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    FILE *trace = tmpfile();
    assert_non_null(trace);
    PQtrace(f->conn, trace);
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_OK);
    PQuntrace(f->conn);
    assert_string_equal(r.log, "+2 +3 =3");
    assert_int_equal(rep.applied, 1);
    /* read 1; 2: its pipeline, ROLLBACK, the row read under the lock,
     * ROLLBACK; 3: its pipeline */
    assert_int_equal(rep.round_trips, 1 + 4 + 1);
    assert_int_equal(traced(trace, "\tReadyForQuery"), 6);
    fclose(trace);
    /* 2's statements never ran here */
    assert_string_equal(value(f, "SELECT count(*) FROM pg_proc WHERE"
                                 " proname = 'touch_updated'"),
                        "0");
    assert_string_equal(relation(f, "public.tags"), "tags");
    assert_idle(f->conn);
    PQfinish(r.other);
}

/* The same race with a row of another checksum: refused as an edited
 * migration is, and nothing after it runs. */
static void test_recorded_by_another_differently(void **state)
{
    struct fixture *f = *state;
    apply_first(f, &fixture_ok);
    struct racer r = {other_session(f), "ffff", "ffff", ""};
    struct migc_options opts = MIGC_OPTIONS(.on_event = race, .event_ctx = &r);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_ERR_CHECKSUM);
    assert_int_equal(err.version, 2);
    assert_string_equal(r.log, "+2");
    assert_int_equal(rep.applied, 0);
    assert_string_equal(relation(f, "public.tags"), "<null>");
    assert_idle(f->conn);
    PQfinish(r.other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        DB_TEST(test_single_transaction),
        DB_TEST(test_single_transaction_refuses_outside),
        DB_TEST(test_timeouts),
        DB_TEST(test_progress_of_long_statements),
        DB_TEST(test_progress_fresh),
        DB_TEST(test_late_failure_in_string),
        DB_TEST(test_literal_values),
        DB_TEST(test_late_failure_in_pipeline),
        DB_TEST(test_progress_unknown_statement),
        DB_TEST(test_progress_never),
        DB_TEST(test_lock_wait_limit),
        DB_TEST(test_reformatted_is_a_warning),
        DB_TEST(test_invalid_index_resolve),
        DB_TEST(test_transient_failure_is_retried),
        DB_TEST(test_abandoned_row_is_taken_over),
        DB_TEST(test_finished_row_is_not_taken_over),
        DB_TEST(test_finished_row_is_not_resolved),
        DB_TEST(test_longest_ledger_name),
        DB_TEST(test_ledger_name_too_long),
        DB_TEST(test_one_round_trip_per_migration),
        DB_TEST(test_synchronous_commit_option),
        DB_TEST(test_lock_taken_in_pipeline),
        DB_TEST(test_recorded_by_another_process),
        DB_TEST(test_recorded_by_another_differently),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_runtime.c: libmigc against a real PostgreSQL, each case in a fresh
 * database: apply, no-op, upgrade, status, a ledger stored out of order,
 * drift, a failing statement and its source position, unknown ledger
 * versions, a configured ledger name, bad connections, NULL arguments and
 * concurrent processes. */
#define _POSIX_C_SOURCE 200809L /* fork, pipe, waitpid */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <migc.h>

#include "fixture_bad.h"
#include "fixture_ok.h"
#include "fixture_ok_edited.h"
#include "fixture_ok_plus.h"
#include "dbtest.h"

#define DEFAULT_LEDGER "public.migc_migrations"
#define BAD_PATH "tests/integration/schemas/bad/0002_fails.sql"

/* ---- Helpers ----------------------------------------------------------- */

/* The ledger must hold exactly the first n migrations of s, successful. */
static void assert_ledger(struct fixture *f, const char *table,
                          const struct migc_schema *s, size_t n)
{
    char want[8192] = "";
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        const struct migc_migration *m = &s->migrations[i];
        len += (size_t)snprintf(want + len, sizeof want - len, "%s%lld|%s|%s|t",
                                i ? "\n" : "", (long long)m->version, m->name,
                                m->up.checksum);
        assert_true(len < sizeof want);
    }
    assert_string_equal(rows(f,
                             "SELECT version, name, checksum, success FROM %s"
                             " ORDER BY version",
                             table),
                        want);
}

static void migrate_ok(struct fixture *f, const struct migc_schema *s,
                       const struct migc_options *opts,
                       struct migc_report *rep)
{
    struct migc_error err = MIGC_ERROR_INIT;
    enum migc_code rc = migc_migrate(f->conn, s, opts, rep, &err);
    if (rc != MIGC_OK)
        print_error("migc_migrate(%s): %s\n", s->name, err.message);
    assert_int_equal(rc, MIGC_OK);
    assert_int_equal(err.code, MIGC_OK);
    assert_string_equal(err.message, "");
    assert_idle(f->conn);
}

/* Events as text: "+V" applying, "=V" applied. */
struct events {
    char log[512];
    int negative_duration;
};

static void record(const struct migc_event *e, void *ctx)
{
    struct events *ev = ctx;
    size_t n = strlen(ev->log);
    snprintf(ev->log + n, sizeof ev->log - n, "%s%c%lld", n ? " " : "",
             e->kind == MIGC_EVENT_APPLYING ? '+' : '=',
             (long long)e->migration->version);
    if (e->duration_us < 0)
        ev->negative_duration = 1;
}

/* ---- Applying ---------------------------------------------------------- */

static void test_fresh_apply(void **state)
{
    struct fixture *f = *state;
    struct events ev = {"", 0};
    struct migc_options opts =
        MIGC_OPTIONS(.on_event = record, .event_ctx = &ev);
    struct migc_report rep = MIGC_REPORT_INIT;
    memset(&rep, 0xff, sizeof rep); /* must be overwritten */

    migrate_ok(f, &fixture_ok, &opts, &rep);
    assert_int_equal(rep.pending, 3);
    assert_int_equal(rep.applied, 3);
    assert_string_equal(ev.log, "+1 =1 +2 =2 +3 =3");
    assert_false(ev.negative_duration);
    assert_ledger(f, DEFAULT_LEDGER, &fixture_ok, 3);
    assert_string_equal(value(f, "SELECT bool_and(applied_at <= now() AND"
                                 " duration_us >= 0 AND failed_statement IS"
                                 " NULL AND error IS NULL) FROM %s",
                              DEFAULT_LEDGER),
                        "t");

    /* Every object of the three migrations, and the seed row once. */
    assert_string_equal(relation(f, "public.items"), "items");
    assert_string_equal(relation(f, "public.tags"), "tags");
    assert_string_equal(
        value(f, "SELECT indexdef FROM pg_indexes"
                 " WHERE indexname = 'items_name_idx'"),
        "CREATE INDEX items_name_idx ON public.items USING btree (name)");
    assert_string_equal(value(f, "SELECT to_regprocedure('touch_updated()')"),
                        "touch_updated()");
    assert_string_equal(value(f, "SELECT string_agg(i.name || ':' || t.label,"
                                 " ',') FROM tags t JOIN items i"
                                 " ON i.id = t.item_id"),
                        "seed:first");
    /* The $$ body arrived whole: the trigger moves updated a day ahead. */
    value(f, "UPDATE items SET name = 'renamed'");
    assert_string_equal(
        value(f, "SELECT updated > now() + interval '23 hours' FROM items"),
        "t");
}

static void test_second_run_is_one_round_trip(void **state)
{
    struct fixture *f = *state;
    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, &fixture_ok, NULL, &rep);
    char before[1024];
    snprintf(before, sizeof before, "%s",
             rows(f, "SELECT version, applied_at FROM %s ORDER BY version",
                  DEFAULT_LEDGER));

    struct events ev = {"", 0};
    struct migc_options opts =
        MIGC_OPTIONS(.on_event = record, .event_ctx = &ev);
    /* libpq's own trace of the protocol counts the round trips too: one
     * ReadyForQuery per round trip, and no lock function is called. */
    FILE *trace = tmpfile();
    assert_non_null(trace);
    PQtrace(f->conn, trace);
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.pending, 0);
    assert_int_equal(rep.applied, 0);
    assert_int_equal(rep.round_trips, 1);
    assert_int_equal(migc_check(f->conn, &fixture_ok, NULL, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.pending, 0);
    assert_int_equal(rep.round_trips, 1);
    PQuntrace(f->conn);
    rewind(trace);
    char line[4096];
    int ready = 0, locks = 0;
    while (fgets(line, sizeof line, trace)) {
        ready += strstr(line, "\tReadyForQuery") != NULL;
        locks += strstr(line, "advisory") != NULL;
    }
    fclose(trace);
    assert_int_equal(ready, 2); /* migc_migrate() and migc_check() */
    assert_int_equal(locks, 0);
    assert_string_equal(ev.log, "");
    assert_string_equal(
        rows(f, "SELECT version, applied_at FROM %s ORDER BY version",
             DEFAULT_LEDGER),
        before);
}

static void test_upgrade_applies_only_the_new_migration(void **state)
{
    struct fixture *f = *state;
    /* ok_plus is ok with a fourth file: the three shared ones are the same
     * bytes (the fixture is assembled that way; checked here). */
    assert_int_equal(fixture_ok_plus.n_migrations, 4);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(fixture_ok_plus.migrations[i].up.checksum,
                            fixture_ok.migrations[i].up.checksum);

    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, &fixture_ok, NULL, &rep);
    char before[1024];
    snprintf(before, sizeof before, "%s",
             rows(f, "SELECT version, applied_at FROM %s ORDER BY version",
                  DEFAULT_LEDGER));

    struct events ev = {"", 0};
    struct migc_options opts =
        MIGC_OPTIONS(.on_event = record, .event_ctx = &ev);
    migrate_ok(f, &fixture_ok_plus, &opts, &rep);
    assert_int_equal(rep.pending, 1);
    assert_int_equal(rep.applied, 1);
    assert_string_equal(ev.log, "+4 =4");
    assert_ledger(f, DEFAULT_LEDGER, &fixture_ok_plus, 4);
    assert_string_equal(
        rows(f, "SELECT version, applied_at FROM %s WHERE version < 4"
                " ORDER BY version",
             DEFAULT_LEDGER),
        before);
    assert_string_equal(relation(f, "public.notes"), "notes");
    assert_string_equal(value(f, "SELECT count(*) FROM information_schema"
                                 ".columns WHERE table_name = 'items'"
                                 " AND column_name = 'note'"),
                        "1");
    /* Migration 3's seed row was not inserted again. */
    assert_string_equal(value(f, "SELECT count(*) FROM items"), "1");

    migrate_ok(f, &fixture_ok_plus, NULL, &rep);
    assert_int_equal(rep.applied, 0);
    assert_int_equal(rep.round_trips, 1);
}

/* ---- Status ------------------------------------------------------------ */

static struct migc_status *status_ok(struct fixture *f,
                                     const struct migc_schema *s,
                                     const struct migc_options *opts)
{
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_status *st = NULL;
    enum migc_code rc = migc_status(f->conn, s, opts, &st, &err);
    if (rc != MIGC_OK)
        print_error("migc_status(%s): %s\n", s->name, err.message);
    assert_int_equal(rc, MIGC_OK);
    assert_non_null(st);
    assert_idle(f->conn);
    return st;
}

/* States as text, e.g. "1:applied 2:pending"; checks each entry's fields
 * against its state on the way. */
static const char *states(const struct migc_status *st,
                          const struct migc_schema *s, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < st->n_entries; i++) {
        const struct migc_status_entry *e = migc_status_entry_at(st, i);
        n += (size_t)snprintf(out + n, size - n, "%s%lld:%s", i ? " " : "",
                              (long long)e->version,
                              migc_state_name(e->state));
        assert_true(n < size);
        if (i)
            assert_true(migc_status_entry_at(st, i - 1)->version < e->version);
        if (e->state == MIGC_STATE_MISSING || e->state == MIGC_STATE_AHEAD) {
            assert_null(e->migration);
        } else {
            assert_non_null(e->migration);
            assert_true(e->migration >= s->migrations &&
                        e->migration < s->migrations + s->n_migrations);
            assert_int_equal(e->migration->version, e->version);
            assert_string_equal(e->name, e->migration->name);
        }
        if (e->state == MIGC_STATE_PENDING) {
            assert_string_equal(e->applied_at, "");
            assert_int_equal(e->duration_us, 0);
        } else {
            assert_string_not_equal(e->applied_at, "");
            assert_true(e->duration_us >= 0);
        }
    }
    return out;
}

static void test_status_states(void **state)
{
    struct fixture *f = *state;
    char buf[256];

    /* No ledger: all pending, one round trip, and nothing is created. */
    struct migc_status *st = status_ok(f, &fixture_ok, NULL);
    assert_string_equal(states(st, &fixture_ok, buf, sizeof buf),
                        "1:pending 2:pending 3:pending");
    assert_int_equal(st->n_pending, 3);
    assert_int_equal(st->round_trips, 1);
    migc_status_free(st);
    assert_string_equal(relation(f, DEFAULT_LEDGER), "<null>");

    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, &fixture_ok, NULL, &rep);
    st = status_ok(f, &fixture_ok, NULL);
    assert_string_equal(states(st, &fixture_ok, buf, sizeof buf),
                        "1:applied 2:applied 3:applied");
    assert_int_equal(st->n_pending, 0);
    migc_status_free(st);

    st = status_ok(f, &fixture_ok_plus, NULL);
    assert_string_equal(states(st, &fixture_ok_plus, buf, sizeof buf),
                        "1:applied 2:applied 3:applied 4:pending");
    assert_int_equal(st->n_pending, 1);
    migc_status_free(st);

    /* Drift is reported by status, not refused. */
    st = status_ok(f, &fixture_ok_edited, NULL);
    assert_string_equal(states(st, &fixture_ok_edited, buf, sizeof buf),
                        "1:applied 2:modified 3:applied");
    assert_int_equal(st->n_pending, 0);
    migc_status_free(st);

    /* A version the binary does not know, newer than its own: ahead,
     * named from the ledger. */
    value(f, "INSERT INTO %s (version, name, checksum) VALUES (99,"
             " '0099_future.sql', repeat('0', 64))",
          DEFAULT_LEDGER);
    st = status_ok(f, &fixture_ok, NULL);
    assert_string_equal(states(st, &fixture_ok, buf, sizeof buf),
                        "1:applied 2:applied 3:applied 99:ahead");
    assert_string_equal(migc_status_entry_at(st, 3)->name, "0099_future.sql");
    migc_status_free(st);

    /* A row recorded as failed (by hand: the runtime rolls a failure back). */
    value(f, "UPDATE %s SET success = false, failed_statement = 0,"
             " error = 'boom' WHERE version = 3",
          DEFAULT_LEDGER);
    st = status_ok(f, &fixture_ok, NULL);
    assert_string_equal(states(st, &fixture_ok, buf, sizeof buf),
                        "1:applied 2:applied 3:failed 99:ahead");
    migc_status_free(st);
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, NULL, &rep, &err),
                     MIGC_ERR_FAILED);
    assert_int_equal(err.version, 3);
    assert_non_null(strstr(err.message, "0003_tags.sql"));
    assert_non_null(strstr(err.message, ": boom;"));
    assert_idle(f->conn);

    migc_status_free(NULL);
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_status(f->conn, &fixture_ok, NULL, NULL, &err),
                     MIGC_ERR_ARG);
}

/* ---- Refusals ---------------------------------------------------------- */

/* A ledger an older runtime wrote (here: without down_completed) costs a
 * second round trip to read; the next up adds the column though nothing
 * is pending, and the up-to-date path is one round trip again. */
static void test_older_ledger_is_upgraded_once(void **state)
{
    struct fixture *f = *state;
    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, &fixture_ok, NULL, &rep);
    value(f, "ALTER TABLE %s DROP COLUMN down_completed", DEFAULT_LEDGER);
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_check(f->conn, &fixture_ok, NULL, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.pending, 0);
    assert_int_equal(rep.round_trips, 2);
    migrate_ok(f, &fixture_ok, NULL, &rep);
    assert_int_equal(rep.applied, 0);
    assert_int_equal(migc_check(f->conn, &fixture_ok, NULL, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.round_trips, 1);
    migrate_ok(f, &fixture_ok, NULL, &rep);
    assert_int_equal(rep.round_trips, 1);
}

/* The server sends the ledger unsorted: a row updated since it was
 * written comes last in the table, and the runtime still finds it. */
static void test_ledger_rows_in_any_order(void **state)
{
    struct fixture *f = *state;
    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, &fixture_ok, NULL, &rep);
    value(f, "UPDATE %s SET duration_us = duration_us + 1 WHERE version = 1",
          DEFAULT_LEDGER);
    assert_string_equal(rows(f, "SELECT version FROM %s", DEFAULT_LEDGER),
                        "2\n3\n1");

    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_check(f->conn, &fixture_ok, NULL, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.pending, 0);
    assert_int_equal(rep.round_trips, 1);
    migrate_ok(f, &fixture_ok, NULL, &rep);
    assert_int_equal(rep.applied, 0);
    assert_int_equal(rep.round_trips, 1);
    char buf[128];
    struct migc_status *st = status_ok(f, &fixture_ok, NULL);
    assert_string_equal(states(st, &fixture_ok, buf, sizeof buf),
                        "1:applied 2:applied 3:applied");
    migc_status_free(st);
}

static void test_checksum_drift_is_refused(void **state)
{
    struct fixture *f = *state;
    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, &fixture_ok, NULL, &rep);

    /* ok_edited plus ok_plus's fourth migration: the edit must stop the run
     * before the pending fourth one is applied. */
    const struct migc_migration list[4] = {
        fixture_ok_edited.migrations[0], fixture_ok_edited.migrations[1],
        fixture_ok_edited.migrations[2], fixture_ok_plus.migrations[3]};
    struct migc_schema edited_plus = fixture_ok_edited;
    edited_plus.migrations = list;
    edited_plus.n_migrations = 4;

    const struct migc_schema *cases[] = {&fixture_ok_edited, &edited_plus};
    for (size_t i = 0; i < 2; i++) {
        struct events ev = {"", 0};
        struct migc_options opts =
            MIGC_OPTIONS(.on_event = record, .event_ctx = &ev);
        struct migc_error err = MIGC_ERROR_INIT;
        assert_int_equal(migc_migrate(f->conn, cases[i], &opts, &rep, &err),
                         MIGC_ERR_CHECKSUM);
        assert_int_equal(err.code, MIGC_ERR_CHECKSUM);
        assert_int_equal(err.version, 2);
        assert_int_equal(err.statement, -1);
        assert_non_null(strstr(err.message, "0002_touch_function.sql"));
        assert_non_null(err.path);
        assert_string_equal(err.path, fixture_ok_edited.migrations[1].up.path);
        assert_int_equal(rep.applied, 0);
        assert_string_equal(ev.log, "");
        assert_idle(f->conn);
    }
    assert_ledger(f, DEFAULT_LEDGER, &fixture_ok, 3);
    assert_string_equal(relation(f, "public.notes"), "<null>");
    /* The function is still the released one. */
    assert_string_equal(value(f, "SELECT prosrc LIKE '%%1 day%%' FROM pg_proc"
                                 " WHERE proname = 'touch_updated'"),
                        "t");
}

static void test_failing_statement(void **state)
{
    struct fixture *f = *state;
    struct events ev = {"", 0};
    struct migc_options opts =
        MIGC_OPTIONS(.on_event = record, .event_ctx = &ev);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;

    assert_int_equal(migc_migrate(f->conn, &fixture_bad, &opts, &rep, &err),
                     MIGC_ERR_MIGRATION);
    assert_int_equal(err.code, MIGC_ERR_MIGRATION);
    assert_string_equal(err.message,
                        BAD_PATH ":4:13: 42P01 relation \"missing_table\" "
                                 "does not exist");
    assert_non_null(err.path);
    assert_string_equal(err.path, BAD_PATH);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 13);
    assert_string_equal(err.sqlstate, "42P01");
    assert_int_equal(err.version, 2);
    assert_int_equal(err.statement, 2); /* 0-based: the third statement */
    assert_int_equal(rep.pending, 2);
    assert_int_equal(rep.applied, 1);
    assert_string_equal(ev.log, "+1 =1 +2");
    assert_idle(f->conn);

    /* Migration 1 applied and recorded; nothing of migration 2 is left:
     * neither its ledger row nor the effects of the statements before the
     * failing one, nor those after it. */
    assert_ledger(f, DEFAULT_LEDGER, &fixture_bad, 1);
    assert_string_equal(relation(f, "public.widgets"), "widgets");
    assert_string_equal(value(f, "SELECT count(*) FROM widgets"), "0");
    assert_string_equal(relation(f, "public.gadgets"), "<null>");
    assert_string_equal(relation(f, "public.never_created"), "<null>");

    /* Running again fails the same way and applies nothing. */
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_bad, NULL, &rep, &err),
                     MIGC_ERR_MIGRATION);
    assert_string_equal(err.message,
                        BAD_PATH ":4:13: 42P01 relation \"missing_table\" "
                                 "does not exist");
    assert_int_equal(rep.pending, 1);
    assert_int_equal(rep.applied, 0);
    assert_ledger(f, DEFAULT_LEDGER, &fixture_bad, 1);
    assert_idle(f->conn);
}

/* The server's error position (characters into the statement, or none) to
 * the source file's line and column, on statements made up here. */
static void test_error_position_mapping(void **state)
{
    struct fixture *f = *state;
    static const char zeros[] =
        "0000000000000000000000000000000000000000000000000000000000000000";
    static const struct {
        const char *sql;
        uint32_t line, column;           /* where the statement starts */
        uint32_t want_line, want_column; /* where the error is reported */
    } cases[] = {
        /* The server gives no position: the statement's start. */
        {"ALTER TABLE missing_table ADD COLUMN x integer", 7, 5, 7, 5},
        /* A position on the statement's second line. */
        {"SELECT 1 AS a\n  FROM missing_table", 3, 1, 4, 8},
        /* Columns count characters, not bytes: the e-acute is two bytes. */
        {"SELECT '\xc3\xa9' AS a, b.* FROM missing_table b", 3, 5, 3, 31},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct migc_statement st = {
            .sql = cases[i].sql,
            .len = strlen(cases[i].sql),
            .line = cases[i].line,
            .column = cases[i].column,
            .flags = MIGC_STMT_NONE,
            .checksum = zeros,
            .canonical = zeros,
        };
        const struct migc_migration m = {
            .version = 1,
            .name = "0001_case.sql",
            .description = "case",
            .flags = MIGC_MIGRATION_NONE,
            .up = {.path = "cases/0001_case.sql",
                   .checksum = zeros,
                   .canonical = zeros,
                   .statements = &st,
                   .n_statements = 1},
        };
        struct migc_schema s = fixture_ok;
        s.name = "cases";
        s.migrations = &m;
        s.n_migrations = 1;

        struct migc_report rep = MIGC_REPORT_INIT;
        struct migc_error err = MIGC_ERROR_INIT;
        assert_int_equal(migc_migrate(f->conn, &s, NULL, &rep, &err),
                         MIGC_ERR_MIGRATION);
        char want[256];
        snprintf(want, sizeof want,
                 "cases/0001_case.sql:%u:%u: 42P01 relation "
                 "\"missing_table\" does not exist",
                 cases[i].want_line, cases[i].want_column);
        assert_string_equal(err.message, want);
        assert_int_equal(err.line, cases[i].want_line);
        assert_int_equal(err.column, cases[i].want_column);
        assert_int_equal(err.statement, 0);
        assert_int_equal(rep.applied, 0);
        assert_idle(f->conn);
    }
    assert_string_equal(value(f, "SELECT count(*) FROM %s", DEFAULT_LEDGER),
                        "0");
}

static void test_newer_ledger_version_is_tolerated(void **state)
{
    struct fixture *f = *state;
    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, &fixture_ok, NULL, &rep);
    /* A later deploy applied 1000, then was rolled back to this binary. */
    value(f, "INSERT INTO %s (version, name, checksum) VALUES (1000,"
             " '1000_later.sql', repeat('0', 64))",
          DEFAULT_LEDGER);
    migrate_ok(f, &fixture_ok, NULL, &rep);
    assert_int_equal(rep.pending, 0);
    assert_int_equal(rep.applied, 0);
    assert_int_equal(rep.round_trips, 1);
}

static void test_interleaved_unknown_version_is_refused(void **state)
{
    struct fixture *f = *state;
    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, &fixture_ok, NULL, &rep);

    /* A binary that knows 1 and 3 but not 2, which the ledger holds. */
    const struct migc_migration list[2] = {fixture_ok.migrations[0],
                                           fixture_ok.migrations[2]};
    struct migc_schema gap = fixture_ok;
    gap.migrations = list;
    gap.n_migrations = 2;

    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &gap, NULL, &rep, &err),
                     MIGC_ERR_LEDGER);
    assert_int_equal(err.code, MIGC_ERR_LEDGER);
    assert_int_equal(err.version, 2);
    assert_non_null(strstr(err.message, "0002_touch_function.sql"));
    assert_int_equal(rep.applied, 0);
    assert_idle(f->conn);
    assert_ledger(f, DEFAULT_LEDGER, &fixture_ok, 3);

    /* Status describes it rather than refusing. */
    char buf[128];
    struct migc_status *st = status_ok(f, &gap, NULL);
    assert_string_equal(states(st, &gap, buf, sizeof buf),
                        "1:applied 2:missing 3:applied");
    migc_status_free(st);
}

/* ---- Options and arguments --------------------------------------------- */

static void test_configured_ledger_name_is_quoted(void **state)
{
    struct fixture *f = *state;
    struct migc_options opts = MIGC_OPTIONS(.ledger_schema = "Weird Schema",
                                            .ledger_table = "my\"ledger");
    char buf[128];
    /* Before the ledger's schema exists: everything pending. */
    struct migc_status *st = status_ok(f, &fixture_ok, &opts);
    assert_string_equal(states(st, &fixture_ok, buf, sizeof buf),
                        "1:pending 2:pending 3:pending");
    migc_status_free(st);

    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, &fixture_ok, &opts, &rep);
    assert_int_equal(rep.applied, 3);
    assert_ledger(f, "\"Weird Schema\".\"my\"\"ledger\"", &fixture_ok, 3);
    assert_string_equal(relation(f, DEFAULT_LEDGER), "<null>");
    assert_string_equal(
        rows(f, "SELECT n.nspname, c.relname FROM pg_class c JOIN"
                " pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'r' AND (c.relname LIKE '%%ledger%%'"
                " OR c.relname LIKE 'migc%%')"),
        "Weird Schema|my\"ledger\nWeird Schema|my\"ledger_packs");

    migrate_ok(f, &fixture_ok, &opts, &rep);
    assert_int_equal(rep.applied, 0);
    assert_int_equal(rep.round_trips, 1);

    st = status_ok(f, &fixture_ok, &opts);
    assert_string_equal(states(st, &fixture_ok, buf, sizeof buf),
                        "1:applied 2:applied 3:applied");
    migc_status_free(st);
    /* The default ledger is another ledger: nothing recorded there. */
    st = status_ok(f, &fixture_ok, NULL);
    assert_string_equal(states(st, &fixture_ok, buf, sizeof buf),
                        "1:pending 2:pending 3:pending");
    migc_status_free(st);
}

static void test_bad_connection(void **state)
{
    struct fixture *f = *state;
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;

    /* Never connected. */
    PGconn *bad = PQconnectdb("host=/nonexistent/migc-test-socket"
                              " dbname=nowhere connect_timeout=5");
    assert_int_equal(PQstatus(bad), CONNECTION_BAD);
    assert_int_equal(migc_migrate(bad, &fixture_ok, NULL, &rep, &err),
                     MIGC_ERR_CONNECT);
    assert_int_equal(err.code, MIGC_ERR_CONNECT);
    assert_string_not_equal(err.message, "");
    assert_null(strchr(err.message, '\n'));
    assert_int_equal(rep.applied, 0);
    static struct migc_status sentinel;
    struct migc_status *st = &sentinel; /* must be reset to NULL */
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_status(bad, &fixture_ok, NULL, &st, &err),
                     MIGC_ERR_CONNECT);
    assert_null(st);
    PQfinish(bad);

    /* No connection at all. */
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(NULL, &fixture_ok, NULL, &rep, &err),
                     MIGC_ERR_ARG);
    assert_string_equal(relation(f, DEFAULT_LEDGER), "<null>");
}

/* The closed connection is the test's own; freed by teardown on failure. */
static PGconn *closed_conn;

static int close_conn(void **state)
{
    PQfinish(closed_conn);
    closed_conn = NULL;
    return db_teardown(state);
}

static void test_connection_closed_by_server(void **state)
{
    struct fixture *f = *state;
    closed_conn = pgtest_connect(f->db.conninfo);
    assert_non_null(closed_conn);
    assert_string_equal(value(f, "SELECT pg_terminate_backend(%d, 10000)",
                              PQbackendPID(closed_conn)),
                        "t");
    /* libpq still says CONNECTION_OK: the loss shows at the first query. */
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    enum migc_code rc =
        migc_migrate(closed_conn, &fixture_ok, NULL, &rep, &err);
    assert_int_equal(rep.applied, 0);
    assert_null(strchr(err.message, '\n'));
    assert_int_equal(rc, MIGC_ERR_CONNECT);
    assert_int_equal(err.code, MIGC_ERR_CONNECT);
}

static void test_null_options_report_error(void **state)
{
    struct fixture *f = *state;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, NULL, NULL, &err),
                     MIGC_OK);
    assert_ledger(f, DEFAULT_LEDGER, &fixture_ok, 3);
    assert_idle(f->conn);
    /* Up to date, and an error path, with no error struct either. */
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, NULL, NULL, NULL),
                     MIGC_OK);
    assert_int_equal(
        migc_migrate(f->conn, &fixture_ok_edited, NULL, NULL, NULL),
        MIGC_ERR_CHECKSUM);
    assert_idle(f->conn);

    struct migc_status *st = NULL;
    assert_int_equal(migc_status(f->conn, &fixture_ok, NULL, &st, NULL),
                     MIGC_OK);
    assert_non_null(st);
    assert_int_equal(st->n_entries, 3);
    migc_status_free(st);
}

static void test_other_format_is_refused(void **state)
{
    struct fixture *f = *state;
    struct migc_schema other = fixture_ok;
    other.format = MIGC_FORMAT_VERSION + 1;
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &other, NULL, &rep, &err),
                     MIGC_ERR_FORMAT);
    assert_non_null(strstr(err.message, "regenerate"));
    assert_int_equal(rep.round_trips, 0);
    assert_string_equal(relation(f, DEFAULT_LEDGER), "<null>");
}

/* ---- Concurrency ------------------------------------------------------- */

enum { N_PROCESSES = 8 };

/* What a child reports; one write() of less than PIPE_BUF is atomic. */
struct outcome {
    int rc;
    int pid;
    size_t applied;
    char message[1024]; /* as in struct migc_error */
};

static void child(const char *conninfo, const struct migc_options *opts,
                  int go, int out)
{
    struct outcome o = {.rc = -1, .pid = (int)getpid()};
    PGconn *conn = PQconnectdb(conninfo);
    char b;
    /* Wait until every child is connected: the parent closes the pipe. */
    while (read(go, &b, 1) > 0)
        ;
    if (PQstatus(conn) != CONNECTION_OK) {
        snprintf(o.message, sizeof o.message, "connect: %s",
                 PQerrorMessage(conn));
    } else {
        struct migc_report rep = MIGC_REPORT_INIT;
        struct migc_error err = MIGC_ERROR_INIT;
        o.rc = (int)migc_migrate(conn, &fixture_ok, opts, &rep, &err);
        o.applied = rep.applied;
        snprintf(o.message, sizeof o.message, "%s", err.message);
        if (o.rc == MIGC_OK && PQtransactionStatus(conn) != PQTRANS_IDLE) {
            o.rc = -2;
            snprintf(o.message, sizeof o.message, "connection not idle");
        }
    }
    PQfinish(conn);
    _exit(write(out, &o, sizeof o) == (ssize_t)sizeof o ? 0 : 1);
}

static void run_concurrently(struct fixture *f,
                             const struct migc_options *opts,
                             const char *ledger)
{
    int go[2], out[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(out), 0);
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pids[N_PROCESSES];
    for (int i = 0; i < N_PROCESSES; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            close(go[1]);
            close(out[0]);
            child(f->db.conninfo, opts, go[0], out[1]);
        }
    }
    close(go[0]);
    close(out[1]);
    close(go[1]); /* start */

    size_t applied = 0;
    int reports = 0, failures = 0;
    struct outcome o;
    while (read(out[0], &o, sizeof o) == (ssize_t)sizeof o) {
        reports++;
        applied += o.applied;
        if (o.rc != MIGC_OK) {
            failures++;
            print_error("process %d: %s: %s\n", o.pid,
                        o.rc >= 0 ? migc_strerror(o.rc) : "failed",
                        o.message);
        }
    }
    close(out[0]);
    for (int i = 0; i < N_PROCESSES; i++) {
        int status;
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    assert_int_equal(reports, N_PROCESSES);
    assert_int_equal(failures, 0);
    assert_int_equal(applied, 3);
    assert_ledger(f, ledger, &fixture_ok, 3);
    /* Migration 3's INSERTs ran once. */
    assert_string_equal(value(f, "SELECT count(*) FROM tags"), "1");
    assert_string_equal(value(f, "SELECT count(*) FROM items"), "1");
}

static void test_concurrent_processes(void **state)
{
    run_concurrently(*state, NULL, DEFAULT_LEDGER);
}

static void test_concurrent_processes_own_ledger_schema(void **state)
{
    /* The ledger's schema is created too, by whichever process comes first. */
    struct migc_options opts =
        MIGC_OPTIONS(.ledger_schema = "deploy", .ledger_table = "ledger");
    run_concurrently(*state, &opts, "deploy.ledger");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        DB_TEST(test_fresh_apply),
        DB_TEST(test_second_run_is_one_round_trip),
        DB_TEST(test_upgrade_applies_only_the_new_migration),
        DB_TEST(test_status_states),
        DB_TEST(test_ledger_rows_in_any_order),
        DB_TEST(test_older_ledger_is_upgraded_once),
        DB_TEST(test_checksum_drift_is_refused),
        DB_TEST(test_failing_statement),
        DB_TEST(test_error_position_mapping),
        DB_TEST(test_newer_ledger_version_is_tolerated),
        DB_TEST(test_interleaved_unknown_version_is_refused),
        DB_TEST(test_configured_ledger_name_is_quoted),
        DB_TEST(test_bad_connection),
        DB_TEST_TEARDOWN(test_connection_closed_by_server, close_conn),
        DB_TEST(test_null_options_report_error),
        DB_TEST(test_other_format_is_refused),
        DB_TEST(test_concurrent_processes),
        DB_TEST(test_concurrent_processes_own_ledger_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

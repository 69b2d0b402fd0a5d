/* test_abi.c: a caller compiled against an older, smaller migc.h, against
 * a real PostgreSQL: its options work with the fields it does not know at
 * their defaults (values sitting past its struct are never read), its
 * report and error are filled within their size and never past it, and
 * what the library hands out (events, status) says its own size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libpq-fe.h>
#include <string.h>

#include <migc.h>

#include "dbtest.h"
#include "fixture_bad.h"
#include "fixture_ok.h"
#include "migc_older.h"

struct seen {
    size_t events;
    size_t wrong_size;
};

static void count(const struct migc_event *e, void *ctx)
{
    struct seen *s = ctx;
    s->events++;
    s->wrong_size += e->size != sizeof *e;
}

static void fail_log(enum migc_log_level level, const char *message, void *ctx)
{
    (void)level;
    (void)ctx;
    fail_msg("a field past the caller's size was read: log(\"%s\")", message);
}

/* Today's options with values in the fields an older caller does not know
 * (only the first migration, a log callback that fails the test, progress
 * every millisecond), then the older caller's struct over their start: the
 * memory an older caller's options may well be followed by. */
static struct migc_options older_options(const struct older_options *older)
{
    struct migc_options mem =
        MIGC_OPTIONS(.log = fail_log, .target_version = 1, .progress_ms = 1);
    memcpy(&mem, older, sizeof *older);
    return mem;
}

/* migc_migrate() and migc_check() with options of the older size: the
 * trailing fields count as their defaults (everything applied, no log
 * lines), the known ones are obeyed (the ledger's name, the events). */
static void test_older_options(void **state)
{
    struct fixture *f = *state;
    struct seen seen = {0, 0};
    const struct older_options older = {.size = sizeof older,
                                        .ledger_table = "abi_ledger",
                                        .on_event = count,
                                        .event_ctx = &seen};
    struct migc_options opts = older_options(&older);
    assert_int_equal(opts.size, sizeof older);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_OK);
    assert_string_equal(err.message, "");
    assert_int_equal(rep.applied, fixture_ok.n_migrations);
    assert_int_equal(seen.events, 2 * fixture_ok.n_migrations);
    assert_int_equal(seen.wrong_size, 0);
    assert_string_equal(value(f, "SELECT count(*) FROM public.abi_ledger"),
                        "3");
    assert_string_equal(relation(f, "public.migc_migrations"), "<null>");
    assert_int_equal(migc_check(f->conn, &fixture_ok, &opts, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.pending, 0);
    assert_idle(f->conn);
}

/* Size 0 is refused before the database is touched. */
static void test_size_0_refused(void **state)
{
    struct fixture *f = *state;
    struct migc_options zeroed = {0};
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, &fixture_ok, &zeroed, NULL, &err),
                     MIGC_ERR_ARG);
    assert_string_equal(err.message,
                        "options->size is 0: initialise struct migc_options "
                        "with MIGC_OPTIONS_INIT or MIGC_OPTIONS(...)");
    assert_string_equal(relation(f, "public.migc_migrations"), "<null>");
    assert_idle(f->conn);
}

/* An older report, and an older error of a failed run, each followed by a
 * canary: filled within their size, the canary intact. */
static void test_older_report_and_error(void **state)
{
    struct fixture *f = *state;
    union {
        struct older_report report;
        unsigned char bytes[OLDER_ROOM];
    } r;
    union {
        struct older_error error;
        unsigned char bytes[sizeof(struct migc_error) + OLDER_ROOM];
    } e;
    unsigned char canary[sizeof e.bytes];
    memset(canary, 0xc3, sizeof canary);
    memset(&r, 0xc3, sizeof r);
    memset(&e, 0xc3, sizeof e);
    r.report.size = sizeof r.report;
    e.error.size = sizeof e.error;
    e.error.code = MIGC_OK;
    e.error.message[0] = '\0';
    assert_int_equal(migc_migrate(f->conn, &fixture_bad, NULL,
                                  (struct migc_report *)(void *)&r,
                                  (struct migc_error *)(void *)&e),
                     MIGC_ERR_MIGRATION);
    assert_int_equal(r.report.size, sizeof r.report);
    assert_int_equal(r.report.pending, 2);
    assert_int_equal(r.report.applied, 1);
    assert_true(r.report.round_trips > 0);
    assert_memory_equal(r.bytes + sizeof r.report, canary,
                        sizeof r.bytes - sizeof r.report);
    assert_int_equal(e.error.size, sizeof e.error);
    assert_int_equal(e.error.code, MIGC_ERR_MIGRATION);
    assert_non_null(strstr(e.error.message, "missing_table"));
    assert_string_equal(e.error.sqlstate, "42P01");
    /* path, line, version...: past its size, never written. */
    assert_memory_equal(e.bytes + sizeof e.error, canary,
                        sizeof e.bytes - sizeof e.error);
    assert_idle(f->conn);
}

/* The status list is read through the accessors, whose stride is the
 * library's entry_size. */
static void test_status_sizes(void **state)
{
    struct fixture *f = *state;
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_status *st = NULL;
    assert_int_equal(migc_status(f->conn, &fixture_ok, NULL, &st, &err),
                     MIGC_OK);
    assert_int_equal(st->size, sizeof *st);
    assert_int_equal(st->entry_size, sizeof(struct migc_status_entry));
    assert_int_equal(st->pack_size, sizeof(struct migc_pack_status));
    assert_int_equal(st->n_entries, fixture_ok.n_migrations);
    for (size_t i = 0; i < st->n_entries; i++) {
        const struct migc_status_entry *e = migc_status_entry_at(st, i);
        assert_int_equal(e->version, fixture_ok.migrations[i].version);
        assert_int_equal(e->state, MIGC_STATE_PENDING);
    }
    assert_null(migc_status_entry_at(st, st->n_entries));
    migc_status_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        DB_TEST(test_older_options),
        DB_TEST(test_size_0_refused),
        DB_TEST(test_older_report_and_error),
        DB_TEST(test_status_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_abi.c: structs that can grow, without a server: a struct of size 0
 * (zeroed instead of initialised) is refused with a message naming its
 * initialiser; an older, smaller options, report or error is read and
 * written only within its size; the initialisers set the size; the status
 * accessors; a migc_main_config of size 0 or of an older size; the data
 * formats read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <migc.h>

#include "migc_older.h"

#define OPTIONS_SIZE_0                                                         \
    "options->size is 0: initialise struct migc_options with "                 \
    "MIGC_OPTIONS_INIT or MIGC_OPTIONS(...)"
#define REPORT_SIZE_0                                                          \
    "report->size is 0: initialise struct migc_report with MIGC_REPORT_INIT"

static const struct migc_schema empty = {.format = MIGC_FORMAT_VERSION,
                                         .name = "empty",
                                         .generator = "test",
                                         .fingerprint = ""};

/* Every public call that takes options: each refuses size 0 first, before
 * it looks at the connection (there is none). */
static enum migc_code call(int which, const struct migc_options *o,
                           struct migc_report *r, struct migc_error *e)
{
    struct migc_status *st = NULL;
    switch (which) {
    case 0: return migc_migrate(NULL, &empty, o, r, e);
    case 1: return migc_check(NULL, &empty, o, r, e);
    case 2: return migc_down(NULL, &empty, o, 1, 0, r, e);
    case 3: return migc_status(NULL, &empty, o, &st, e);
    default: return migc_resolve(NULL, &empty, o, 1, MIGC_RESOLVE_RETRY, e);
    }
}

static void test_initialisers_set_the_size(void **state)
{
    (void)state;
    struct migc_options a = MIGC_OPTIONS_INIT;
    struct migc_options b =
        MIGC_OPTIONS(.flags = MIGC_OPT_STRICT, .lock_wait_ms = 5);
    struct migc_options c = MIGC_OPTIONS();
    struct migc_report r = MIGC_REPORT_INIT;
    struct migc_error e = MIGC_ERROR_INIT;
    struct migc_main_config m = MIGC_MAIN_CONFIG_INIT;
    struct migc_main_config n = MIGC_MAIN_CONFIG(.ledger_table = "t");
    assert_int_equal(a.size, sizeof a);
    assert_int_equal(b.size, sizeof b);
    assert_int_equal(b.flags, MIGC_OPT_STRICT);
    assert_int_equal(b.lock_wait_ms, 5);
    assert_null(b.ledger_table);
    assert_int_equal(c.size, sizeof c);
    assert_int_equal(r.size, sizeof r);
    assert_int_equal(r.applied, 0);
    assert_int_equal(e.size, sizeof e);
    assert_int_equal(e.code, MIGC_OK);
    assert_int_equal(e.statement, -1);
    assert_int_equal(m.size, sizeof m);
    assert_int_equal(n.size, sizeof n);
    assert_string_equal(n.ledger_table, "t");
}

static void test_options_of_size_0_refused(void **state)
{
    (void)state;
    struct migc_options zeroed = {0};
    for (int which = 0; which < 5; which++) {
        struct migc_error err = MIGC_ERROR_INIT;
        assert_int_equal(call(which, &zeroed, NULL, &err), MIGC_ERR_ARG);
        assert_int_equal(err.code, MIGC_ERR_ARG);
        assert_string_equal(err.message, OPTIONS_SIZE_0);
    }
    /* NULL options still mean the defaults: the call gets as far as the
     * missing connection. */
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_check(NULL, &empty, NULL, NULL, &err), MIGC_ERR_ARG);
    assert_string_equal(err.message, "no connection given");
}

static void test_report_of_size_0_refused(void **state)
{
    (void)state;
    for (int which = 0; which < 3; which++) {
        struct migc_report zeroed = {0};
        struct migc_error err = MIGC_ERROR_INIT;
        assert_int_equal(call(which, NULL, &zeroed, &err), MIGC_ERR_ARG);
        assert_string_equal(err.message, REPORT_SIZE_0);
        assert_int_equal(zeroed.size, 0); /* not written */
    }
}

/* An error of size 0 cannot be written: the call says MIGC_ERR_ARG and
 * leaves every byte as it was. */
static void test_error_of_size_0_untouched(void **state)
{
    (void)state;
    for (int which = 0; which < 5; which++) {
        struct migc_error err;
        memset(&err, 0x5a, sizeof err);
        err.size = 0;
        struct migc_error before = err;
        assert_int_equal(call(which, NULL, NULL, &err), MIGC_ERR_ARG);
        assert_memory_equal(&err, &before, sizeof err);
    }
    struct migc_error err;
    memset(&err, 0x5a, sizeof err);
    err.size = 0;
    struct migc_error before = err;
    assert_null(migc_connect("host=/nonexistent/migc-test", NULL, &err));
    assert_memory_equal(&err, &before, sizeof err);
}

/* Options of an older size: the fields past it are never read. Today's
 * trailing fields hold values that would fail the call if read (a log
 * callback that fails the test); the call goes on to the missing
 * connection. */
static void fail_log(enum migc_log_level level, const char *message, void *ctx)
{
    (void)level;
    (void)ctx;
    fail_msg("a field past the caller's size was read: log(\"%s\")", message);
}

static void test_older_options_accepted(void **state)
{
    (void)state;
    struct migc_options mem =
        MIGC_OPTIONS(.log = fail_log, .target_version = 1, .progress_ms = 1);
    const struct older_options older = {.size = sizeof older,
                                        .ledger_table = "x"};
    memcpy(&mem, &older, sizeof older);
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_check(NULL, &empty, &mem, NULL, &err), MIGC_ERR_ARG);
    assert_string_equal(err.message, "no connection given");
}

/* A report and an error of an older size, each followed by a canary: the
 * library fills them within their size and never past it. */
static void test_older_report_and_error_within_size(void **state)
{
    (void)state;
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
    r.report.pending = 77;
    e.error.size = sizeof e.error;
    e.error.code = MIGC_OK;
    e.error.message[0] = '\0';
    assert_int_equal(migc_migrate(NULL, &empty, NULL,
                                  (struct migc_report *)(void *)&r,
                                  (struct migc_error *)(void *)&e),
                     MIGC_ERR_ARG);
    assert_int_equal(r.report.size, sizeof r.report);
    assert_int_equal(r.report.pending, 0); /* written: within its size */
    assert_memory_equal(r.bytes + sizeof r.report, canary,
                        sizeof r.bytes - sizeof r.report);
    assert_int_equal(e.error.size, sizeof e.error);
    assert_int_equal(e.error.code, MIGC_ERR_ARG);
    assert_string_equal(e.error.message, "no connection given");
    assert_memory_equal(e.bytes + sizeof e.error, canary,
                        sizeof e.bytes - sizeof e.error);
}

/* First error wins across sizes: an older error that already holds one
 * keeps it. */
static void test_older_error_keeps_first(void **state)
{
    (void)state;
    struct older_error e = {
        .size = sizeof e, .code = MIGC_ERR_PACK, .message = "earlier"};
    assert_int_equal(
        migc_migrate(NULL, &empty, NULL, NULL, (struct migc_error *)(void *)&e),
        MIGC_ERR_ARG);
    assert_int_equal(e.code, MIGC_ERR_PACK);
    assert_string_equal(e.message, "earlier");
}

static void test_status_accessors(void **state)
{
    (void)state;
    struct migc_status_entry entries[2] = {{.version = 1}, {.version = 2}};
    struct migc_pack_status packs[1] = {{.state = MIGC_PACK_NEW}};
    struct migc_status st = {.size = sizeof st,
                             .n_entries = 2,
                             .entries = entries,
                             .n_packs = 1,
                             .packs = packs,
                             .entry_size = sizeof entries[0],
                             .pack_size = sizeof packs[0]};
    assert_ptr_equal(migc_status_entry_at(&st, 1), &entries[1]);
    assert_int_equal(migc_status_entry_at(&st, 0)->version, 1);
    assert_null(migc_status_entry_at(&st, 2));
    assert_null(migc_status_entry_at(NULL, 0));
    assert_ptr_equal(migc_status_pack_at(&st, 0), &packs[0]);
    assert_null(migc_status_pack_at(&st, 1));
    assert_null(migc_status_pack_at(NULL, 0));
}

/* migc_main_with(): a config of size 0 is refused before anything runs; an
 * older one is taken. */
static void test_main_config_sizes(void **state)
{
    (void)state;
    char prog[] = "abi", help[] = "--version";
    char *argv[] = {prog, help, NULL};
    struct migc_main_config zeroed = {0};
    assert_int_equal(migc_main_with(2, argv, &empty, &zeroed), 1);
    struct migc_main_config mem =
        MIGC_MAIN_CONFIG(.ledger_table = "never read", .log = fail_log);
    const struct older_main_config older = {.size = sizeof older};
    memcpy(&mem, &older, sizeof older);
    assert_int_equal(migc_main_with(2, argv, &empty, &mem), 0);
}

/* The data formats the library reads: MIGC_FORMAT_OLDEST (3, a schema
 * compiled before squashed[]: its struct in memory of today's size, the
 * rest garbage) to MIGC_FORMAT_VERSION pass the format check and reach
 * the next one (no connection); the formats around them are refused. */
static void test_schema_formats(void **state)
{
    (void)state;
    union {
        struct migc_schema today;
        unsigned char bytes[sizeof(struct migc_schema)];
    } mem;
    memset(&mem, 0xa5, sizeof mem);
    const struct older_schema older = {.format = 3,
                                       .name = "three",
                                       .generator = "migc 0.1.0",
                                       .fingerprint = ""};
    memcpy(mem.bytes, &older, sizeof older);
    assert_int_equal(MIGC_FORMAT_OLDEST, 3);
    for (uint32_t format = 2; format <= MIGC_FORMAT_VERSION + 1; format++) {
        struct older_schema *o = (struct older_schema *)(void *)mem.bytes;
        o->format = format;
        struct migc_error err = MIGC_ERROR_INIT;
        struct migc_report rep = MIGC_REPORT_INIT;
        enum migc_code rc = migc_check(NULL, &mem.today, NULL, &rep, &err);
        if (format < MIGC_FORMAT_OLDEST || format > MIGC_FORMAT_VERSION) {
            assert_int_equal(rc, MIGC_ERR_FORMAT);
            assert_non_null(strstr(err.message, "this library reads formats "
                                                 "3 to 7: regenerate it"));
        } else {
            assert_int_equal(rc, MIGC_ERR_ARG);
            assert_string_equal(err.message, "no connection given");
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_initialisers_set_the_size),
        cmocka_unit_test(test_options_of_size_0_refused),
        cmocka_unit_test(test_report_of_size_0_refused),
        cmocka_unit_test(test_error_of_size_0_untouched),
        cmocka_unit_test(test_older_options_accepted),
        cmocka_unit_test(test_older_report_and_error_within_size),
        cmocka_unit_test(test_older_error_keeps_first),
        cmocka_unit_test(test_status_accessors),
        cmocka_unit_test(test_main_config_sizes),
        cmocka_unit_test(test_schema_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_abi.c: a caller compiled against an older, smaller migc.h, against
 * a real PostgreSQL: its options work with the fields it does not know at
 * their defaults (values sitting past its struct are never read), its
 * report and error are filled within their size and never past it, and
 * what the library hands out (events, status) says its own size; a schema
 * generated for data format 3 (before the squashed list) is read, and
 * nothing past its struct; one of format 4 (before the archived originals)
 * too, one of format 5 (before the foreign identities), and one of format
 * 6 (before Flyway's identities). */
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
#include "fixture_squash_abc.h"
#include "fixture_squash_abc_arch.h"
#include "fixture_squash_abc_base.h"
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

/* A format-3 schema: fixture_squash_abc_base's data in the older struct,
 * followed by bytes that would be a wild squashed[] pointer and count, as
 * whatever lies past a compiled format-3 schema may be. */
union older_schema_mem {
    struct migc_schema today;
    unsigned char bytes[sizeof(struct migc_schema) + 64];
};

static const struct migc_schema *
format3_schema(union older_schema_mem *mem,
               struct migc_migration *migrations)
{
    memset(mem, 0xa5, sizeof *mem);
    memcpy(migrations, fixture_squash_abc_base.migrations,
           fixture_squash_abc_base.n_migrations * sizeof *migrations);
    /* A format-3 generator set no MIGC_MIGRATION_SQUASHED_LISTED; the
     * library must not trust it on such a schema anyway: keep it. */
    const struct older_schema older = {
        .format = 3,
        .name = "squash_abc_base_format3",
        .generator = "migc 0.1.0",
        .fingerprint = fixture_squash_abc_base.fingerprint,
        .migrations = migrations,
        .n_migrations = fixture_squash_abc_base.n_migrations,
    };
    memcpy(mem->bytes, &older, sizeof older);
    return &mem->today;
}

/* The library reads a format-3 schema: fresh, the baseline runs; over
 * the whole range, up to date in one round trip; over part of it, refused
 * naming what the database holds (the versions are unknown to format 3);
 * formats around the readable ones are refused. */
static void test_format3_schema(void **state)
{
    struct fixture *f = *state;
    union older_schema_mem mem;
    struct migc_migration migrations[1];
    assert_int_equal(fixture_squash_abc_base.n_migrations, 1);
    const struct migc_schema *s3 = format3_schema(&mem, migrations);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;

    struct migc_options up_to_1 = MIGC_OPTIONS(.target_version = 1);
    assert_int_equal(
        migc_migrate(f->conn, &fixture_squash_abc, &up_to_1, &rep, &err),
        MIGC_OK);
    assert_int_equal(migc_check(f->conn, s3, NULL, &rep, &err),
                     MIGC_ERR_PARTIAL_SQUASH);
    assert_string_equal(
        err.message,
        "the database applied only part of the migrations baseline 4 "
        "(004_baseline.sql) replaces: it holds 1 (001_a.sql) of 1..3 but not "
        "3, the last of the range; which versions the range held is unknown "
        "(the squash was locked without them); bring it through them with "
        "the last release that still carries them (or apply them by hand "
        "and record them in the ledger), then run this one again");
    assert_int_equal(err.version, 4);

    struct migc_error ok = MIGC_ERROR_INIT;
    assert_int_equal(
        migc_migrate(f->conn, &fixture_squash_abc, NULL, &rep, &ok), MIGC_OK);
    assert_int_equal(migc_migrate(f->conn, s3, NULL, &rep, &ok), MIGC_OK);
    assert_int_equal(rep.applied, 0);
    assert_int_equal(rep.round_trips, 1);

    struct older_schema *o = (struct older_schema *)(void *)mem.bytes;
    const uint32_t refused[] = {MIGC_FORMAT_OLDEST - 1,
                                MIGC_FORMAT_VERSION + 1};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        uint32_t format = refused[i];
        struct migc_error e = MIGC_ERROR_INIT;
        o->format = format;
        assert_int_equal(migc_check(f->conn, s3, NULL, &rep, &e),
                         MIGC_ERR_FORMAT);
    }
}

/* The same schema on a fresh database: the baseline runs. */
static void test_format3_schema_fresh(void **state)
{
    struct fixture *f = *state;
    union older_schema_mem mem;
    struct migc_migration migrations[1];
    const struct migc_schema *s3 = format3_schema(&mem, migrations);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, s3, NULL, &rep, &err), MIGC_OK);
    assert_int_equal(rep.applied, 1);
    assert_string_equal(relation(f, "public.c"), "c");
}

/* A format-4 schema: fixture_squash_abc_arch's data (the baseline, its
 * squashed list) in the format-4 struct, followed by bytes that would be a
 * wild originals[] and retired[]: a database part-way through the range is
 * refused as before the originals existed, and the fields past the struct
 * are never read. */
static void test_format4_schema(void **state)
{
    struct fixture *f = *state;
    union older_schema_mem mem;
    memset(&mem, 0xa5, sizeof mem);
    assert_true(fixture_squash_abc_arch.n_originals == 3);
    const struct older_schema4 older = {
        .format = 4,
        .name = "squash_abc_arch_format4",
        .generator = "migc 0.1.0",
        .fingerprint = fixture_squash_abc_arch.fingerprint,
        .migrations = fixture_squash_abc_arch.migrations,
        .n_migrations = fixture_squash_abc_arch.n_migrations,
        .squashed = fixture_squash_abc_arch.squashed,
        .n_squashed = fixture_squash_abc_arch.n_squashed,
    };
    memcpy(mem.bytes, &older, sizeof older);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_options up_to_1 = MIGC_OPTIONS(.target_version = 1);
    assert_int_equal(
        migc_migrate(f->conn, &fixture_squash_abc, &up_to_1, &rep, &err),
        MIGC_OK);
    assert_int_equal(migc_check(f->conn, &mem.today, NULL, &rep, &err),
                     MIGC_ERR_PARTIAL_SQUASH);
    assert_string_equal(
        err.message,
        "the database applied only part of the migrations baseline 4 "
        "(004_baseline.sql) replaces: it lacks 2 (002_b.sql), 3 (003_c.sql); "
        "bring it through them with the last release that still carries "
        "them (or apply them by hand and record them in the ledger), then "
        "run this one again");
    /* The format-5 schema itself carries them: the database finishes. */
    struct migc_error ok = MIGC_ERROR_INIT;
    assert_int_equal(
        migc_migrate(f->conn, &fixture_squash_abc_arch, NULL, &rep, &ok),
        MIGC_OK);
    assert_int_equal(rep.applied, 2);
    assert_string_equal(relation(f, "public.c"), "c");
}

/* A format-5 schema: fixture_squash_abc_arch's data (the baseline, its
 * squashed list, its originals) in the format-5 struct, followed by bytes
 * that would be wild foreign[] and foreign_originals[] pointers: the
 * database part-way through the range crosses it as with the format-6
 * schema, which carries the identities the format-5 one lacks. */
static void test_format5_schema(void **state)
{
    struct fixture *f = *state;
    const struct migc_schema *arch = &fixture_squash_abc_arch;
    union older_schema_mem mem;
    memset(&mem, 0xa5, sizeof mem);
    const struct older_schema5 older = {
        .format = 5,
        .name = "squash_abc_arch_format5",
        .generator = "migc 0.1.0",
        .fingerprint = arch->fingerprint,
        .migrations = arch->migrations,
        .n_migrations = arch->n_migrations,
        .squashed = arch->squashed,
        .n_squashed = arch->n_squashed,
        .originals = arch->originals,
        .n_originals = arch->n_originals,
        .retired = arch->retired,
        .n_retired = arch->n_retired,
    };
    memcpy(mem.bytes, &older, sizeof older);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_options up_to_1 = MIGC_OPTIONS(.target_version = 1);
    assert_int_equal(
        migc_migrate(f->conn, &fixture_squash_abc, &up_to_1, &rep, &err),
        MIGC_OK);
    assert_int_equal(migc_migrate(f->conn, &mem.today, NULL, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.applied, 2);
    assert_string_equal(relation(f, "public.c"), "c");
    assert_int_equal(migc_migrate(f->conn, arch, NULL, &rep, &err), MIGC_OK);
    assert_int_equal(rep.applied, 0);

    assert_true(arch->format >= 6);
    assert_non_null(arch->foreign);
    assert_non_null(arch->foreign_originals);
    for (size_t i = 0; i < arch->n_originals; i++) {
        const struct migc_foreign *o = &arch->foreign_originals[i];
        const char *name = arch->originals[i].name;
        assert_int_equal(strlen(o->stem), strlen(name) - 4); /* ".sql" */
        assert_memory_equal(o->stem, name, strlen(o->stem));
        assert_int_equal(strlen(o->sha384), 96);
        assert_int_equal(strlen(o->md5), 32);
    }
    assert_string_equal(arch->foreign[0].stem, "004_baseline");
}

/* A format-6 schema: fixture_squash_abc_arch's data with its foreign
 * identities in the format-6 struct, followed by bytes that would be wild
 * flyway[] and flyway_originals[] pointers: read as the format-7 one. */
static void test_format6_schema(void **state)
{
    struct fixture *f = *state;
    const struct migc_schema *arch = &fixture_squash_abc_arch;
    union older_schema_mem mem;
    memset(&mem, 0xa5, sizeof mem);
    const struct older_schema6 older = {
        .format = 6,
        .name = "squash_abc_arch_format6",
        .generator = "migc 0.1.0",
        .fingerprint = arch->fingerprint,
        .migrations = arch->migrations,
        .n_migrations = arch->n_migrations,
        .squashed = arch->squashed,
        .n_squashed = arch->n_squashed,
        .originals = arch->originals,
        .n_originals = arch->n_originals,
        .retired = arch->retired,
        .n_retired = arch->n_retired,
        .foreign = arch->foreign,
        .foreign_originals = arch->foreign_originals,
    };
    memcpy(mem.bytes, &older, sizeof older);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_options up_to_1 = MIGC_OPTIONS(.target_version = 1);
    assert_int_equal(
        migc_migrate(f->conn, &fixture_squash_abc, &up_to_1, &rep, &err),
        MIGC_OK);
    assert_int_equal(migc_migrate(f->conn, &mem.today, NULL, &rep, &err),
                     MIGC_OK);
    assert_int_equal(rep.applied, 2);
    assert_int_equal(migc_migrate(f->conn, arch, NULL, &rep, &err), MIGC_OK);
    assert_int_equal(rep.applied, 0);
    /* compiled today: format 7; not Flyway's layout, so no identities */
    assert_int_equal(arch->format, 7);
    assert_null(arch->flyway);
    assert_null(arch->flyway_originals);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        DB_TEST(test_older_options),
        DB_TEST(test_size_0_refused),
        DB_TEST(test_older_report_and_error),
        DB_TEST(test_status_sizes),
        DB_TEST(test_format3_schema),
        DB_TEST(test_format3_schema_fresh),
        DB_TEST(test_format4_schema),
        DB_TEST(test_format5_schema),
        DB_TEST(test_format6_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

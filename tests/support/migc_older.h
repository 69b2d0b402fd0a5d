/* migc_older.h: the structs of migc.h as a caller compiled against an
 * older, smaller header holds them (and schemas generated for the older
 * data formats 3 to 6): the same leading fields, fewer trailing ones (the ABI tests, tests/unit/test_abi.c and
 * tests/integration/test_abi.c, pass them to today's library). */
#ifndef MIGC_TESTS_MIGC_OLDER_H
#define MIGC_TESTS_MIGC_OLDER_H

#include <stddef.h>
#include <stdint.h>

#include <migc.h>

/* struct migc_options before log, log_ctx, target_version and
 * progress_ms. */
struct older_options {
    size_t size;
    const char *ledger_schema;
    const char *ledger_table;
    migc_event_fn *on_event;
    void *event_ctx;
    uint32_t flags;
    const char *lock_timeout;
    const char *statement_timeout;
    int64_t lock_wait_ms;
    int64_t stale_ms;
};

/* struct migc_report before ahead, cosmetic, packs_synced, pack_orphans and
 * waited_ms. */
struct older_report {
    size_t size;
    size_t pending;
    size_t applied;
    unsigned round_trips;
};

/* struct migc_error before detail, hint, version, statement, path, line
 * and column. */
struct older_error {
    size_t size;
    enum migc_code code;
    char message[1024];
    char sqlstate[6];
};

/* struct migc_main_config before ledger_schema, ledger_table and log. */
struct older_main_config {
    size_t size;
    const char *embedded_default_dir;
};

/* struct migc_schema of data format 3, before squashed and n_squashed:
 * what a schema compiled by the previous release holds. */
struct older_schema {
    uint32_t format;
    const char *name;
    const char *generator;
    const char *fingerprint;
    const struct migc_migration *migrations;
    size_t n_migrations;
    const struct migc_pack *packs;
    size_t n_packs;
};

/* struct migc_schema of data format 4, before originals and retired. */
struct older_schema4 {
    uint32_t format;
    const char *name;
    const char *generator;
    const char *fingerprint;
    const struct migc_migration *migrations;
    size_t n_migrations;
    const struct migc_pack *packs;
    size_t n_packs;
    const struct migc_squashed *squashed;
    size_t n_squashed;
};

/* struct migc_schema of data format 5, before foreign and
 * foreign_originals. */
struct older_schema5 {
    uint32_t format;
    const char *name;
    const char *generator;
    const char *fingerprint;
    const struct migc_migration *migrations;
    size_t n_migrations;
    const struct migc_pack *packs;
    size_t n_packs;
    const struct migc_squashed *squashed;
    size_t n_squashed;
    const struct migc_migration *originals;
    size_t n_originals;
    const struct migc_retired *retired;
    size_t n_retired;
};

/* struct migc_schema of data format 6, before flyway and
 * flyway_originals. */
struct older_schema6 {
    uint32_t format;
    const char *name;
    const char *generator;
    const char *fingerprint;
    const struct migc_migration *migrations;
    size_t n_migrations;
    const struct migc_pack *packs;
    size_t n_packs;
    const struct migc_squashed *squashed;
    size_t n_squashed;
    const struct migc_migration *originals;
    size_t n_originals;
    const struct migc_retired *retired;
    size_t n_retired;
    const struct migc_foreign *foreign;
    const struct migc_foreign *foreign_originals;
};

/* A prefix of today's struct: the same fields at the same places. */
#define OLDER_SAME(older, today, field)                                       \
    _Static_assert(offsetof(struct older, field) ==                           \
                       offsetof(struct today, field),                         \
                   #older "." #field " moved")
OLDER_SAME(older_options, migc_options, size);
OLDER_SAME(older_options, migc_options, ledger_table);
OLDER_SAME(older_options, migc_options, on_event);
OLDER_SAME(older_options, migc_options, stale_ms);
OLDER_SAME(older_report, migc_report, applied);
OLDER_SAME(older_report, migc_report, round_trips);
OLDER_SAME(older_error, migc_error, code);
OLDER_SAME(older_error, migc_error, sqlstate);
OLDER_SAME(older_main_config, migc_main_config, embedded_default_dir);
OLDER_SAME(older_schema, migc_schema, migrations);
OLDER_SAME(older_schema, migc_schema, n_packs);
OLDER_SAME(older_schema4, migc_schema, squashed);
OLDER_SAME(older_schema4, migc_schema, n_squashed);
OLDER_SAME(older_schema5, migc_schema, originals);
OLDER_SAME(older_schema5, migc_schema, n_retired);
OLDER_SAME(older_schema6, migc_schema, foreign);
OLDER_SAME(older_schema6, migc_schema, foreign_originals);
_Static_assert(sizeof(struct older_schema6) < sizeof(struct migc_schema),
               "older schema must be smaller");
_Static_assert(sizeof(struct older_schema5) < sizeof(struct migc_schema),
               "older schema must be smaller");
_Static_assert(sizeof(struct older_schema4) < sizeof(struct migc_schema),
               "older schema must be smaller");
_Static_assert(sizeof(struct older_schema) < sizeof(struct migc_schema),
               "older schema must be smaller");
_Static_assert(sizeof(struct older_options) < sizeof(struct migc_options),
               "older options must be smaller");
_Static_assert(sizeof(struct older_report) < sizeof(struct migc_report),
               "older report must be smaller");
_Static_assert(sizeof(struct older_error) < sizeof(struct migc_error),
               "older error must be smaller");

/* Room for today's struct of the same kind plus a canary after it: the
 * older struct at the start, a caller's other data after it. */
#define OLDER_ROOM 256

#endif

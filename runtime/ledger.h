/* ledger.h: every conversation with the server (the one libpq user). */
#ifndef MIGC_RUNTIME_LEDGER_H
#define MIGC_RUNTIME_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "migc.h"

/* One session of the runtime on a caller's connection. */
struct session {
    struct pg_conn *conn;
    char *table;          /* quoted, schema-qualified ledger name */
    char *schema_quoted;  /* quoted ledger schema */
    int schema_is_public;
    int64_t lock_key;     /* advisory lock derived from the ledger name */
    unsigned round_trips;
};

struct ledger_row {
    int64_t version;
    char name[256];
    char checksum[80];
    int success;
    char applied_at[64];
    int64_t duration_us;
};

struct ledger_rows {
    int exists; /* the ledger table exists */
    struct ledger_row *rows; /* ascending by version */
    size_t n;
};

/* Prepare a session on conn: quote the ledger name, derive the lock key. */
enum migc_code session_begin(struct session *s, struct pg_conn *conn,
                             const struct migc_options *opts,
                             struct migc_error *err);
void session_end(struct session *s);

/* Read the whole ledger in one round trip; a missing ledger (table or
 * schema) is not an error: rows->exists is 0. */
enum migc_code ledger_read(struct session *s, struct ledger_rows *rows,
                           struct migc_error *err);
void ledger_rows_free(struct ledger_rows *rows);

/* Create the ledger if absent, under the advisory lock. One round trip. */
enum migc_code ledger_create(struct session *s, struct migc_error *err);

/* Apply one migration in its own transaction with its ledger row, under the
 * transaction-scoped advisory lock, after re-reading its ledger row under
 * that lock. *applied is 1 when this call applied it, 0 when another process
 * had (with the same checksum). *duration_us: time spent in its statements.
 * A failing statement fills err with its source position. */
enum migc_code ledger_apply(struct session *s, const struct migc_migration *m,
                            int *applied, int64_t *duration_us,
                            struct migc_error *err);

/* Connect with a libpq conninfo string or URL; NULL on failure (err set,
 * nothing left open). The message never contains the password. */
struct pg_conn *db_connect(const char *conninfo, struct migc_error *err);
void db_close(struct pg_conn *conn);

#endif

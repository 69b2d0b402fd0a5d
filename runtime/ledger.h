/* ledger.h: the runtime's session on a caller's connection, the ledger
 * tables and every query the runtime sends (docs/ledger.md). */
#ifndef MIGC_RUNTIME_LEDGER_H
#define MIGC_RUNTIME_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "migc.h"

struct pg_result; /* libpq's PGresult */

/* One run of the runtime on a caller's connection. */
struct session {
    struct pg_conn *conn;
    const struct migc_options *opts; /* never NULL (defaults when the caller
                                        passed none) */
    char *table;          /* quoted, schema-qualified ledger name */
    char *packs_table;    /* quoted, schema-qualified pack ledger name */
    char *schema_quoted;  /* quoted ledger schema */
    int schema_is_public;
    int64_t lock_key;     /* advisory lock derived from the ledger name */
    unsigned round_trips;
    char holder[160];     /* who this run is, for the rows it marks running:
                             "host:pid:nonce" */
    int64_t waited_ms;    /* time spent waiting for other processes */
    int told_waiting;     /* the wait was logged once */
};

/* The state of a ledger row. */
enum row_state {
    ROW_APPLIED,
    ROW_RUNNING, /* outside a transaction: in progress or abandoned */
    ROW_FAILED
};

/* What ledger_read fetches of each row. */
enum ledger_read_mode {
    /* What the checks before applying decide on (the up-to-date path):
     * the fields marked (full) below only of a row that is not applied
     * (running or failed); an applied row has them empty ("", 0, -1). */
    LEDGER_READ_DECIDE,
    LEDGER_READ_FULL /* every field of every row, for status */
};

struct ledger_row {
    int64_t version;
    enum row_state state;
    char name[256];
    char checksum[80];
    char canonical[80];     /* "" when not recorded */
    char applied_at[64];    /* (full) */
    int64_t duration_us;    /* (full) */
    int completed;          /* (full) statements done (running, failed) */
    int failed_statement;   /* (full) -1 when none */
    char sqlstate[6];       /* (full) */
    char error[512];        /* (full) */
};

struct pack_row {
    char name[256];
    char checksum[80];
    char synced_at[64];
};

struct ledger_rows {
    int exists;  /* the ledger table exists */
    int outdated; /* it lacks columns or the pack table of this version */
    struct ledger_row *rows; /* ascending by version */
    size_t n;
    struct pack_row *packs;
    size_t n_packs;
};

/* Prepare a session on conn: quote the ledger names, derive the lock key,
 * name this run. opts may be NULL. */
enum migc_code session_begin(struct session *s, struct pg_conn *conn,
                             const struct migc_options *opts,
                             struct migc_error *err);
void session_end(struct session *s);

/* A log line through the caller's callback, when set. */
void session_log(struct session *s, enum migc_log_level level,
                 const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Read the ledger and the pack ledger in one round trip, what mode says
 * of each row (a ledger of an older runtime costs a second round trip and
 * is read whole). A missing ledger (table or schema) is not an error:
 * rows->exists is 0. */
enum migc_code ledger_read(struct session *s, enum ledger_read_mode mode,
                           struct ledger_rows *rows, struct migc_error *err);
void ledger_rows_free(struct ledger_rows *rows);

/* The row of a version, or NULL. */
const struct ledger_row *ledger_find(const struct ledger_rows *rows,
                                     int64_t version);
const struct pack_row *ledger_find_pack(const struct ledger_rows *rows,
                                        const char *name);

/* Create the ledger and the pack ledger if absent, or add the columns an
 * older runtime's ledger lacks, under the lock. */
enum migc_code ledger_create(struct session *s, struct migc_error *err);

/* The re-read of one version's row under the lock: the query (into sql)
 * and its two parameters (the version, and the run's stale_ms, into the
 * buffers of 32 bytes). Its one row (NULLs when the ledger has no row for
 * the version) has the columns of enum recheck_column. */
void ledger_recheck(const struct session *s, int64_t version, char *sql,
                    size_t size, char version_text[32], char stale_text[32]);

enum recheck_column {
    R_CLOCK,     /* the server clock, text */
    R_CHECKSUM,
    R_CANONICAL, /* "" when not recorded */
    R_STATE,     /* a: applied, r: running, f: failed; NULL: no row */
    R_COMPLETED,
    R_FAILED,    /* failed_statement, NULL when none */
    R_SQLSTATE,
    R_HOLDER,    /* "" when none */
    R_ALIVE,     /* t: a holder whose server process exists and whose
                    heartbeat is younger than stale_ms */
    R_ERROR
};

/* The SET LOCAL that keeps notices of our own statements quiet. */
const char *ledger_quiet(void);

/* ---- The migration lock (lock.c) ---------------------------------------- */

/* Waiting for another process: how long so far, and the next pause. */
struct waiter {
    int64_t started_ms;
    unsigned attempt;
};

/* Pause before the next try (growing pauses, up to a quarter second), or
 * MIGC_ERR_LOCK_TIMEOUT (err says "timed out after N s waiting for <what>")
 * when the run's wait limit has passed. */
enum migc_code waiter_pause(struct session *s, struct waiter *w,
                            const char *what, struct migc_error *err);

/* Open a transaction that holds the migration lock (transaction-scoped, so
 * released by its COMMIT or ROLLBACK and safe behind a transaction-pooling
 * PgBouncer): BEGIN, SET LOCAL quiet, pg_try_advisory_xact_lock, and the
 * query recheck (may be NULL) read under the lock: one round trip. While
 * another process holds the lock: roll back, log once who holds it and what
 * it runs, pause, try again, up to the run's wait limit. On MIGC_OK the
 * transaction is open and *out (when out is non-NULL) holds recheck's rows,
 * for the caller to PQclear. On error the connection is idle. */
enum migc_code lock_take(struct session *s, const char *recheck, int n_params,
                         const char *const *params, struct pg_result **out,
                         struct migc_error *err);

/* Connect with a libpq conninfo string or URL; NULL on failure (err set,
 * nothing left open). The message never contains the password. */
struct pg_conn *db_connect(const char *conninfo, struct migc_error *err);
void db_close(struct pg_conn *conn);

#endif

/* session.h: one run of the runtime on a caller's connection: the
 * connection, the options, the ledger's names and lock key, who this run
 * is, and its log. */
#ifndef MIGC_RUNTIME_SESSION_H
#define MIGC_RUNTIME_SESSION_H

#include <stdint.h>

#include "error.h"
#include "migc.h"
#include "pq.h"

struct session {
    struct conn db;
    const struct migc_options *opts; /* never NULL (defaults when the caller
                                        passed none) */
    char *table;          /* quoted, schema-qualified ledger name */
    char *packs_table;    /* quoted, schema-qualified pack ledger name */
    char *schema_quoted;  /* quoted ledger schema */
    int schema_is_public;
    int64_t lock_key;     /* advisory lock derived from the ledger name */
    char holder[160];     /* who this run is, for the rows it marks running:
                             "host:pid:nonce" */
    int64_t waited_ms;    /* time spent waiting for other processes */
    int told_waiting;     /* the wait was logged once */
    int async_commit;     /* the next migration in a transaction commits
                             with synchronous_commit = off: another one
                             follows it in this run (group commit) */
    int unflushed;        /* a commit of this run was asynchronous and no
                             synchronous one followed it (apply_flush) */
    int script;           /* a fresh database (nothing applied when the
                             run began): each migration in a transaction
                             goes as one query string (apply_run) */
    struct pg_conn *side; /* a second connection, opened at the first
                             progress line that needs one (lock_activity) */
    int side_failed;      /* it could not be opened or used: not again */
};

/* A public call's arguments as this version's structs: the caller's may
 * come from an older, smaller header (migc.h, "Structs that can grow"). */
struct session_args {
    struct migc_options options; /* defaults past the caller's size */
    struct migc_report report;   /* written back within the caller's size */
    struct migc_error error;
    struct migc_error *err; /* &error, or NULL when the caller gave none */
};

/* Copy the caller's options, report and error in (each may be NULL).
 * MIGC_ERR_ARG, in the caller's error when it can be written, when one has
 * size 0. Always end with session_args_out(). */
enum migc_code session_args_in(struct session_args *a,
                               const struct migc_options *options,
                               const struct migc_report *report,
                               struct migc_error *error);

/* Write the report and the error back within the caller's sizes. */
void session_args_out(struct session_args *a, struct migc_report *report,
                      struct migc_error *error);

/* Prepare a session on conn: quote the ledger names, derive the lock key,
 * name this run. opts may be NULL. On error nothing is left to end. */
enum migc_code session_begin(struct session *s, struct pg_conn *conn,
                             const struct migc_options *opts,
                             struct migc_error *err);
void session_end(struct session *s);

/* An event to the caller's callback, when set: a migration's (index of
 * total in this run's list, 1-based; total 0: not known) or a pack's. */
void session_emit(const struct session *s, enum migc_event_kind kind,
                  const struct migc_migration *m, const struct migc_pack *pk,
                  int64_t duration_us, size_t index, size_t total);

/* A log line through the caller's callback, when set. */
void session_log(struct session *s, enum migc_log_level level,
                 const char *fmt, ...) MIGC_PRINTF(3, 4);

#endif

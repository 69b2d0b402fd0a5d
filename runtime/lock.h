/* lock.h: the migration lock (a transaction-scoped advisory lock, tried
 * between pauses, never waited for in the server) and waiting for other
 * processes. */
#ifndef MIGC_RUNTIME_LOCK_H
#define MIGC_RUNTIME_LOCK_H

#include <stdint.h>

#include "migc.h"
#include "pq.h"
#include "session.h"

/* Waiting for another process: how long so far, and the next pause. */
struct waiter {
    int64_t started_ms;
    int64_t mark_ms; /* the end of the last pause: counted up to here */
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
 * query reread (may be NULL) read under the lock: one round trip. While
 * another process holds the lock: roll back, log once who holds it and what
 * it runs, pause, try again, up to the run's wait limit. On MIGC_OK the
 * transaction is open and *out (when out is non-NULL) holds reread's rows,
 * for the caller to pq_clear(). On error the connection is idle. */
enum migc_code lock_take(struct session *s, const struct pq_query *reread,
                         struct pg_result **out, struct migc_error *err);

/* The lock tried inside a migration's own pipeline (docs/ledger.md, "One
 * round trip"): appended to out, one query that sets the transaction's
 * client_min_messages (and, with async_commit, synchronous_commit = off)
 * and tries the lock, failing when another process holds it, so that the
 * server skips the rest of the pipeline. lock_busy() tells that failure
 * (its result) from any other. */
struct sql;
void lock_try_sql(const struct session *s, int async_commit, struct sql *out);
int lock_busy(const struct pg_result *res);

/* What the server process holding the lock (this run's own, in a
 * pipeline) is running: the text of its statement, maybe cut short by the
 * server (track_activity_query_size), appended to out. Asked on a second
 * connection (pq_connect_like), opened at the first call and kept until
 * session_end(). Returns 0, or -1 when nothing active holds the lock or the
 * connection cannot be had (then never again in this session). */
struct sql;
int lock_activity(struct session *s, struct sql *out);

/* The lock was found taken (the transaction rolled back): log once who
 * holds it, then pause as waiter_pause() does. */
enum migc_code lock_wait_turn(struct session *s, struct waiter *w,
                              struct migc_error *err);

#endif

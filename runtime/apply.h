/* apply.h: applying migrations: each in its own transaction, all in one,
 * or a script outside a transaction statement by statement. */
#ifndef MIGC_RUNTIME_APPLY_H
#define MIGC_RUNTIME_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include "migc.h"
#include "pq.h"
#include "session.h"

/* Apply one pending migration: in its own transaction with its ledger row
 * (one round trip; committed asynchronously when s->async_commit), or, for a script that runs outside a transaction, statement by statement
 * under a running ledger row (docs/ledger.md). The ledger row is re-read
 * under the lock first: *applied is 0 when another process had applied it.
 * A failing statement fills err with its source position. */
enum migc_code apply_migration(struct session *s,
                               const struct migc_migration *m, int *applied,
                               int64_t *duration_us, struct migc_error *err);

/* After a run whose last commit was asynchronous (it stopped early, or
 * another process applied its last migration): one synchronous commit,
 * which makes every earlier one durable (WAL is flushed in order). Nothing
 * when s->unflushed is 0 or the connection is gone. */
void apply_flush(struct session *s);

/* Apply list[0, n) in one transaction (MIGC_OPT_SINGLE_TRANSACTION), the
 * ledger re-read under the lock. *applied: how many this call applied. */
enum migc_code apply_all_at_once(struct session *s,
                                 const struct migc_migration *const *list,
                                 size_t n, size_t *applied,
                                 struct migc_error *err);

/* Who tells, while the server runs a migration's statements, which one it
 * is on (a log line every options.progress_ms): set on the session's
 * connection by apply_watch, taken off by apply_unwatch. q: the pipeline's
 * queries (each names its migration and statement; the server says which
 * one it runs, lock_activity), or NULL: m's statement `part`, run alone. */
struct watch {
    struct session *s;
    const struct pq_query *q; /* a pipeline's queries (n), or NULL: */
    size_t n;
    const struct migc_migration *one; /* the pipeline's only migration, or
                                         NULL when it has several */
    const struct migc_migration *m; /* without a pipeline: m's statement */
    int part;                       /* part, alone in its round trip */
    int down; /* the down script's statements */
};

/* Run a migration's queries in one round trip: script_run() on a
 * session that applies to a fresh database (session.script), else
 * pipeline_run(). */
int apply_run(struct session *s, const struct pq_query *q, size_t n,
              struct pipeline *p);

void apply_watch(struct watch *w);
void apply_unwatch(struct session *s);

/* m's lock_timeout and statement_timeout (its own, else the run's) as
 * set_config() local to the transaction, appended to a pipeline. */
struct batch;
void apply_add_timeouts(struct batch *b, const struct session *s,
                        const struct migc_migration *m);

/* A statement of script sc (m's up or down) that failed with res, as
 * path:line:col: SQLSTATE message with DETAIL and HINT, into err (the
 * first error wins). Returns MIGC_ERR_MIGRATION. */
struct pg_result;
enum migc_code apply_statement_error(struct migc_error *err,
                                     const struct migc_migration *m,
                                     const struct migc_script *sc, int index,
                                     const struct pg_result *res,
                                     long position);

#endif

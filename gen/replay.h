/* replay.h: migrations applied to a database exactly as the runtime
 * applies them: an in-memory struct migc_schema run by migc_migrate(). */
#ifndef MIGC_GEN_REPLAY_H
#define MIGC_GEN_REPLAY_H

#include <stddef.h>

#include "diag.h"
#include "model.h"

struct pg_conn;

/* The schema that holds the replay's ledger (REPLAY_SCHEMA.ledger); it is
 * dropped after the run, and dumps leave it out. */
#define REPLAY_SCHEMA "migc_replay"

/* Apply list[0..n) (ascending by version; each loaded with its
 * statements and parse trees: compile with keep) to conn through
 * migc_migrate(), with statements, transaction classes, timeouts and
 * retry data as `migc compile` embeds them. The ledger lives in
 * REPLAY_SCHEMA and is dropped afterwards, whatever happened. Returns 0,
 * or -1 after reporting [squash]: a failing statement at its
 * path:line:col with the server's SQLSTATE, message, DETAIL and HINT. */
int replay_run(struct pg_conn *conn, const struct model_migration *const *list,
               size_t n, struct diags *d);

#endif

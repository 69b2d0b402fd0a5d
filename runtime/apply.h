/* apply.h: applying migrations: each in its own transaction, all in one,
 * or a script outside a transaction statement by statement. */
#ifndef MIGC_RUNTIME_APPLY_H
#define MIGC_RUNTIME_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include "migc.h"
#include "session.h"

/* Apply one pending migration: in its own transaction with its ledger row,
 * or, for a script that runs outside a transaction, statement by statement
 * under a running ledger row (docs/ledger.md). The ledger row is re-read
 * under the lock first: *applied is 0 when another process had applied it.
 * A failing statement fills err with its source position. */
enum migc_code apply_migration(struct session *s,
                               const struct migc_migration *m, int *applied,
                               int64_t *duration_us, struct migc_error *err);

/* Apply list[0, n) in one transaction (MIGC_OPT_SINGLE_TRANSACTION), the
 * ledger re-read under the lock. *applied: how many this call applied. */
enum migc_code apply_all_at_once(struct session *s,
                                 const struct migc_migration *const *list,
                                 size_t n, size_t *applied,
                                 struct migc_error *err);

#endif

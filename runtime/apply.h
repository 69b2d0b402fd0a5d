/* apply.h: applying migrations (apply.c) and packs (packs.c). */
#ifndef MIGC_RUNTIME_APPLY_H
#define MIGC_RUNTIME_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include "ledger.h"
#include "migc.h"

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

/* A failed row's statement may be retried without an operator: it is
 * MIGC_STMT_REPEATABLE and the recorded failure is one a retry can get
 * past (a deadlock, a lock or statement timeout, a lost connection, a
 * server shutdown, resources). */
int apply_retryable(const struct migc_migration *m, int statement,
                    const char *sqlstate);

/* Synchronise the packs whose checksum the pack ledger does not hold, in
 * one transaction under the lock; counts go to rep. */
enum migc_code packs_sync(struct session *s, const struct migc_schema *schema,
                          struct migc_report *rep, struct migc_error *err);

/* The packs whose recorded checksum differs from the embedded one. */
size_t packs_pending(const struct migc_schema *schema,
                     const struct ledger_rows *rows);

#endif

/* packs.h: synchronising pack rows after the migrations (docs/packs.md). */
#ifndef MIGC_RUNTIME_PACKS_H
#define MIGC_RUNTIME_PACKS_H

#include "migc.h"
#include "session.h"

/* Synchronise the packs whose checksum the pack ledger does not hold, in
 * one transaction under the lock; counts go to rep. */
enum migc_code packs_sync(struct session *s, const struct migc_schema *schema,
                          struct migc_report *rep, struct migc_error *err);

#endif

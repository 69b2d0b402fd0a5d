/* data.c: data changes written into a migration: data-in-migration. */
#include "rules/rule.h"

void rule_data_in_migration(struct rules *r, const struct sem *s,
                            const struct sem_event *ev)
{
    if (ev->kind != SEM_DATA_CHANGE)
        return;
    static const char *const note[] = {
        [SEM_INSERT] = "INSERT in a migration: reference data belongs in a "
                       "pack, where it can change without a new migration",
        [SEM_UPDATE] = "UPDATE in a migration: a backfill here runs inside "
                       "the deploy, holding row locks for its whole length; "
                       "large ones belong in a batched job",
        [SEM_DELETE] = "DELETE in a migration: data changes belong in a pack "
                       "or a batched job",
        [SEM_MERGE] = "MERGE in a migration: data changes belong in a pack "
                      "or a batched job",
        [SEM_WITH] = "a WITH that changes data in a migration: data changes "
                     "belong in a pack or a batched job",
    };
    rule_report(r, s, DIAG_DATA_IN_MIGRATION, ev->loc, "%s", note[ev->u.data]);
}

/* compat.c: changes that break the binaries still running the previous
 * release, or lose data they hold: rename, destructive. */
#include "rules/rule.h"

void rule_rename(struct rules *r, const struct sem *s,
                 const struct sem_event *ev)
{
    const struct sem_change *c = &ev->u.change;
    if (ev->kind == SEM_RENAME_RELATION && c->table_stmt &&
        sem_existing(s, c->table))
        rule_report(r, s, DIAG_RENAME, ev->loc,
                    "renaming table \"%s\" to \"%s\" breaks every binary "
                    "still running that uses the old name: add a view or "
                    "rename in steps across releases",
                    c->table->name, c->newname);
    if (ev->kind == SEM_RENAME_COLUMN &&
        c->table->relkind == CAT_REL_TABLE && c->col->site.mig < s->mig)
        rule_report(r, s, DIAG_RENAME, ev->loc,
                    "renaming column \"%s\".\"%s\" to \"%s\" breaks every "
                    "binary still running that uses the old name: add the "
                    "new column and copy, or rename in steps across "
                    "releases",
                    c->table->name, c->name, c->newname);
}

void rule_destructive(struct rules *r, const struct sem *s,
                      const struct sem_event *ev)
{
    const struct sem_change *c = &ev->u.change;
    switch (ev->kind) {
    case SEM_DROP_COLUMN:
        if (c->col->site.mig < s->mig)
            rule_report(r, s, DIAG_DESTRUCTIVE, ev->loc,
                        "DROP COLUMN \"%s\" of \"%s\" loses its data, and "
                        "binaries still running that read it fail: stop "
                        "using it in a release first",
                        c->name, c->table->name);
        break;
    case SEM_DROP_RELATION:
        if ((c->table->relkind == CAT_REL_TABLE ||
             c->table->relkind == CAT_REL_FOREIGN_TABLE) &&
            sem_existing(s, c->table))
            rule_report(r, s, DIAG_DESTRUCTIVE, ev->loc,
                        "DROP TABLE \"%s\" loses its rows for good, and "
                        "binaries still running that use it fail",
                        c->table->name);
        break;
    case SEM_DROP_SCHEMA:
        /* public exists from the start */
        if (c->object ? sem_existing(s, c->object) : s->mig > 0)
            rule_report(r, s, DIAG_DESTRUCTIVE, ev->loc,
                        "DROP SCHEMA \"%s\" drops %s", c->name,
                        c->cascade ? "every object in it, with their data"
                                   : "it (and fails if anything is in it)");
        break;
    case SEM_TRUNCATE:
        if (sem_existing(s, c->table))
            rule_report(r, s, DIAG_DESTRUCTIVE, ev->loc,
                        "TRUNCATE \"%s\" deletes every row of a table an "
                        "earlier migration created",
                        c->table->name);
        break;
    default: break;
    }
}

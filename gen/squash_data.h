/* squash_data.h: what a statement of a squashed range does to rows and to
 * the cluster, read from its parse tree: what a baseline can carry. */
#ifndef MIGC_GEN_SQUASH_DATA_H
#define MIGC_GEN_SQUASH_DATA_H

#include "script.h"

/* One statement as squash sees it. */
struct squash_stmt {
    /* INSERT, UPDATE, DELETE, MERGE or COPY FROM: the table it writes,
     * "schema.table" (public when the statement does not qualify it),
     * allocated; NULL for any other statement. */
    char *table;
    /* The first function it calls whose value differs from one run to the
     * next ("now()", "CURRENT_TIMESTAMP"), static; NULL when none. Only for
     * a statement that writes rows. */
    const char *volatile_fn;
    /* A statement about the cluster that pg_dump does not carry ("CREATE
     * ROLE", "ALTER SYSTEM"), static; NULL for any other. */
    const char *cluster;
};

/* Read st's parse tree (nothing when it is NULL) into *out (zeroed here). */
void squash_data_classify(const struct model_statement *st,
                          struct squash_stmt *out);

void squash_stmt_free(struct squash_stmt *s);

#endif

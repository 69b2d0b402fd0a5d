/* retry.h: which statements the runtime may run again after a failure
 * part-way (MIGC_STMT_REPEATABLE), and what clears a failed run's
 * leftovers first, read from each statement's parse tree. */
#ifndef MIGC_GEN_RETRY_H
#define MIGC_GEN_RETRY_H

struct PgQuery__Node;

/* What the runtime may do when a statement failed part-way: the fields of
 * its struct migc_statement that say so. */
struct retry {
    unsigned flags; /* enum migc_statement_flags */
    char *index;    /* CREATE INDEX CONCURRENTLY of a named index: its quoted
                       name (schema-qualified when the table is); or NULL */
    char *cleanup;  /* SQL removing a failed run's leftovers, or NULL */
};

/* Read one statement's parse tree n (nothing when it is NULL): set
 * MIGC_STMT_REPEATABLE in r->flags (other flags stay), and r->index and
 * r->cleanup. The emitter asks while the statement is at hand, so the
 * model carries none of it. Repeatable, because a second run
 * after a failed or interrupted one does what the first would have done:
 *   - CREATE INDEX CONCURRENTLY that names its index: a failed build leaves
 *     the index INVALID, so index is its name, always double-quoted (inner
 *     quotes doubled) and qualified with the table's schema when the
 *     statement qualifies the table ("app"."t_c_idx"), and cleanup is
 *     "DROP INDEX CONCURRENTLY IF EXISTS " followed by index;
 *   - DROP INDEX CONCURRENTLY IF EXISTS;
 *   - ALTER TYPE ... ADD VALUE IF NOT EXISTS;
 *   - ALTER TABLE whose every command is VALIDATE CONSTRAINT;
 *   - VACUUM and ANALYZE;
 *   - REFRESH MATERIALIZED VIEW, CONCURRENTLY or not.
 * Anything else is left alone: CREATE INDEX CONCURRENTLY without a name
 * (the leftover's name is the server's choice), the forms without IF
 * EXISTS / IF NOT EXISTS, REINDEX CONCURRENTLY (it leaves *_ccnew
 * indexes behind). index and cleanup are allocated (exit on out of memory)
 * and must be NULL on entry; retry_free() frees them. */
void retry_annotate(const struct PgQuery__Node *n, struct retry *r);

/* Free r's index and cleanup; r's flags stay. */
void retry_free(struct retry *r);

#endif

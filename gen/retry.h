/* retry.h: which statements the runtime may run again after a failure
 * part-way (MIGC_STMT_REPEATABLE), and what clears a failed run's
 * leftovers first, read from each statement's parse tree. */
#ifndef MIGC_GEN_RETRY_H
#define MIGC_GEN_RETRY_H

struct model_statement;

/* Set MIGC_STMT_REPEATABLE in st->flags, and st->index and st->cleanup, from
 * st->node (nothing when it is NULL). Repeatable, because a second run
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
 * and must be NULL on entry; script_free() frees them. */
void retry_annotate(struct model_statement *st);

#endif

/* plan.h: the embedded schema compared with the ledger: what to apply,
 * and the verdicts on drift (docs/ledger.md). */
#ifndef MIGC_RUNTIME_PLAN_H
#define MIGC_RUNTIME_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "migc.h"
#include "record.h"
#include "session.h"

/* The schema is of this library's format and sorted by version. */
enum migc_code plan_validate(const struct migc_schema *schema,
                             struct migc_error *err);

/* The start of every public call: the schema is valid, there is a
 * connection, and a session on it begins (session_end it). */
enum migc_code plan_open(struct session *s, struct pg_conn *conn,
                         const struct migc_schema *schema,
                         const struct migc_options *options,
                         struct migc_error *err);

/* The embedded migration of a version, or NULL. */
const struct migc_migration *plan_find(const struct migc_schema *schema,
                                       int64_t version);

/* The embedded baseline (MIGC_MIGRATION_SQUASHES) whose range holds
 * version, or NULL. */
const struct migc_migration *plan_squasher(const struct migc_schema *schema,
                                           int64_t version);

/* Check the ledger against the binary, logging what is allowed and
 * refusing the rest (docs/ledger.md "Drift"): a failed migration that may
 * not be retried by itself (MIGC_ERR_FAILED); an applied migration whose
 * checksum differs (MIGC_ERR_CHECKSUM), a warning when only whitespace,
 * comments or keyword case differ; an unknown version between known ones
 * (MIGC_ERR_LEDGER); unknown versions above every embedded one: the
 * database is ahead of this binary, a warning (counts in rep); a baseline
 * whose replaced migrations the database applied only in part
 * (MIGC_ERR_PARTIAL_SQUASH, baseline.h). With MIGC_OPT_STRICT the warnings
 * are errors. */
enum migc_code plan_verify(struct session *s,
                           const struct migc_schema *schema,
                           const struct ledger_rows *rows,
                           struct migc_report *rep, struct migc_error *err);

/* A migration whose down script stopped part-way (ROW_REVERTING) blocks up
 * and check until down finishes it: MIGC_ERR_FAILED naming it. */
enum migc_code plan_refuse_reverting(const struct migc_schema *schema,
                                     const struct ledger_rows *rows,
                                     struct migc_error *err);

/* A failed migration refused: MIGC_ERR_FAILED, its statement (0-based)
 * and the recorded error in err. */
enum migc_code plan_refuse_failed(struct migc_error *err,
                                  const struct migc_migration *m,
                                  int statement, const char *error);

/* An applied migration's recorded checksum and canonical hash against the
 * embedded ones: MIGC_OK when equal, or when only whitespace, comments or
 * keyword case differ (then, when rep is non-NULL, a warning is logged and
 * counted; with MIGC_OPT_STRICT it is refused too); else MIGC_ERR_CHECKSUM
 * naming the migration. */
enum migc_code plan_check_applied(struct session *s,
                                  const struct migc_migration *m,
                                  const char *checksum, const char *canonical,
                                  struct migc_report *rep,
                                  struct migc_error *err);

/* Embedded migrations still to apply, ascending: absent from the ledger and
 * not covered by a baseline, or recorded as running, or failed in a way a
 * retry may get past. *out is malloc'd (NULL when none). */
enum migc_code plan_pending(const struct migc_schema *schema,
                            const struct ledger_rows *rows,
                            const struct migc_migration ***out, size_t *n,
                            struct migc_error *err);

/* The packs whose recorded checksum differs from the embedded one. */
size_t plan_packs_pending(const struct migc_schema *schema,
                          const struct ledger_rows *rows);

/* A failed row's statement may be retried without an operator: it is
 * MIGC_STMT_REPEATABLE and the recorded failure is one a retry can get
 * past (a deadlock, a lock or statement timeout, a lost connection, a
 * server shutdown, resources). */
int plan_retryable(const struct migc_migration *m, int statement,
                   const char *sqlstate);

/* The ledger is absent and another tool's ledger (foreign.h) is there:
 * MIGC_ERR_LEDGER naming `adopt`. One query, only when rows->exists is 0. */
enum migc_code plan_refuse_foreign(struct session *s,
                                   const struct ledger_rows *rows,
                                   struct migc_error *err);
/* The same check in parts, for record_create()'s locked round trip: the
 * query (its parameter kept in tables) and the verdict on its rows. */
void plan_foreign_query(struct pq_query *q, char tables[512]);
enum migc_code plan_refuse_foreign_rows(struct session *s,
                                        const struct pg_result *rows,
                                        struct migc_error *err);

#endif

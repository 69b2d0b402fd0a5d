/* schema.h: checks of embedded schema data against itself and the ledger. */
#ifndef MIGC_RUNTIME_SCHEMA_H
#define MIGC_RUNTIME_SCHEMA_H

#include "ledger.h"
#include "migc.h"

/* The schema is of this library's format and sorted by version. */
enum migc_code schema_validate(const struct migc_schema *schema,
                               struct migc_error *err);

/* The embedded migration of a version, or NULL. */
const struct migc_migration *schema_find(const struct migc_schema *schema,
                                         int64_t version);

/* The embedded baseline (MIGC_MIGRATION_SQUASHES) whose range holds
 * version, or NULL. */
const struct migc_migration *schema_squasher(const struct migc_schema *schema,
                                             int64_t version);

/* A baseline whose squashed migrations the ledger records counts as
 * applied: the database ran what it replaces. */
int schema_covered(const struct migc_migration *m,
                   const struct ledger_rows *rows);

/* Refuse a ledger that disagrees with the binary: a failed migration, an
 * applied migration whose checksum differs, or an unknown version between
 * known ones. Unknown versions above every embedded one are allowed: the
 * database is ahead of this binary (a rolled-back deploy); versions a
 * baseline squashes are known. */
enum migc_code schema_verify_ledger(const struct migc_schema *schema,
                                    const struct ledger_rows *rows,
                                    struct migc_error *err);

/* Embedded migrations absent from the ledger and not covered, ascending; *out is malloc'd
 * (NULL when none). */
enum migc_code schema_pending(const struct migc_schema *schema,
                              const struct ledger_rows *rows,
                              const struct migc_migration ***out, size_t *n,
                              struct migc_error *err);

#endif

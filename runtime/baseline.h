/* baseline.h: a baseline against the ledger: did the database apply all,
 * none or only part of the released migrations it replaces
 * (docs/ledger.md "Baselines")? */
#ifndef MIGC_RUNTIME_BASELINE_H
#define MIGC_RUNTIME_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "migc.h"
#include "record.h"

enum baseline_cover {
    BASELINE_NONE,   /* not a baseline, or the ledger holds nothing of its
                        range: it is to be applied */
    BASELINE_WHOLE,  /* the database applied what it replaces: it counts
                        as applied */
    BASELINE_PARTIAL /* the database applied only part of what it
                        replaces: refused (MIGC_ERR_PARTIAL_SQUASH) */
};

/* The released migration of that version replaced by the baseline of the
 * same version (1..3 squashed into 1; docs/ledger.md "Baselines"), from
 * the schema's squashed[]; NULL when there is none. */
const struct migc_squashed *baseline_original(const struct migc_schema *schema,
                                              int64_t version);

/* Row r is the original's of its version, not the baseline's: its checksum
 * is the original's (baseline_original). The ledger holds one row per
 * version; at a baseline's own version the checksum tells which ran. */
int baseline_original_row(const struct migc_schema *schema,
                          const struct ledger_row *r);

/* How the ledger rows cover baseline m. With the replaced versions listed
 * (MIGC_MIGRATION_SQUASHED_LISTED, schema format 4): WHOLE when every one
 * is applied (one that was itself a baseline: when it is, or everything
 * it replaced is; the original of m's own version: when m's row is that
 * original's). Without the list: WHOLE when squash_to is applied. NONE
 * when m's own version holds a row that is not the original's: m ran.
 * PARTIAL when the ledger holds a version of the range but not that. */
enum baseline_cover baseline_cover(const struct migc_schema *schema,
                                   const struct migc_migration *m,
                                   const struct ledger_rows *rows);

/* What a PARTIAL baseline lacks, as a clause for messages ("it lacks 2
 * (002_b.sql) and 3 (003_c.sql)"), written into buf (always terminated;
 * a long list ends "and N more"). */
void baseline_lacking(const struct migc_schema *schema,
                      const struct migc_migration *m,
                      const struct ledger_rows *rows, char *buf,
                      size_t size);

/* The first embedded baseline the ledger covers only in part refused with
 * MIGC_ERR_PARTIAL_SQUASH, naming what the database lacks and the way
 * out; MIGC_OK when there is none. Reads only the rows: no round trip. */
enum migc_code baseline_refuse_partial(const struct migc_schema *schema,
                                       const struct ledger_rows *rows,
                                       struct migc_error *err);

#endif

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
    BASELINE_PARTIAL, /* the database applied only part of what it
                         replaces, and the binary does not carry every
                         original it lacks: refused (MIGC_ERR_PARTIAL_SQUASH) */
    BASELINE_CROSS    /* part-way, and the binary carries every original
                         it lacks (originals[], format 5): they are applied,
                         each recorded as itself, then it counts as applied */
};

/* The released migration of that version replaced by the baseline of the
 * same version (1..3 squashed into 1; docs/ledger.md "Baselines"), from
 * the schema's squashed[]; NULL when there is none. */
const struct migc_squashed *
baseline_replaced_at(const struct migc_schema *schema, int64_t version);

/* Row r is the original's of its version, not the baseline's: its checksum
 * is the original's (baseline_replaced_at). The ledger holds one row per
 * version; at a baseline's own version the checksum tells which ran. */
int baseline_original_row(const struct migc_schema *schema,
                          const struct ledger_row *r);

/* How the ledger rows cover baseline m. With the replaced versions listed
 * (MIGC_MIGRATION_SQUASHED_LISTED, schema format 4): WHOLE when every one
 * is applied (one that was itself a baseline: when it is, or everything
 * it replaced is; the original of m's own version: when m's row is that
 * original's); else CROSS when every one it lacks is carried in
 * originals[], PARTIAL when not. Without the list: WHOLE when squash_to is
 * applied, PARTIAL when the ledger holds a version of the range but not
 * that. NONE when m's own version holds a row that is not the original's:
 * m ran. */
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

/* The first embedded baseline the ledger covers only in part (PARTIAL)
 * refused with MIGC_ERR_PARTIAL_SQUASH, naming what the database lacks and
 * the way out (a build made before its originals were retired, when the
 * schema says they were); MIGC_OK when there is none. Reads only the
 * rows: no round trip. */
enum migc_code baseline_refuse_partial(const struct migc_schema *schema,
                                       const struct ledger_rows *rows,
                                       struct migc_error *err);

/* The carried original of version (schema->originals, format 5), or
 * NULL. */
const struct migc_migration *
baseline_original(const struct migc_schema *schema, int64_t version);

/* The originals a CROSS baseline m lacks, ascending, into out (room for
 * schema->n_originals); their count, 0 when m is not CROSS. */
size_t baseline_crossing(const struct migc_schema *schema,
                         const struct migc_migration *m,
                         const struct ledger_rows *rows,
                         const struct migc_migration **out);

/* The originals every CROSS baseline lacks, ascending: *out malloc'd
 * (NULL when none). */
enum migc_code baseline_crossings(const struct migc_schema *schema,
                                  const struct ledger_rows *rows,
                                  const struct migc_migration ***out,
                                  size_t *n, struct migc_error *err);

/* How this database crosses baseline m, as status shows it, into buf:
 * "fresh: runs the baseline in place of 1..3", "crossed: applied through
 * its originals", "part-way: 1 of 3 applied; will finish 2 (002_b.sql), 3
 * (003_c.sql) from the archived originals", or what a PARTIAL one lacks;
 * "" when m is no baseline or the ledger holds its own row. */
void baseline_describe(const struct migc_schema *schema,
                       const struct migc_migration *m,
                       const struct ledger_rows *rows, char *buf,
                       size_t size);

#endif

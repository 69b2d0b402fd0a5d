/* baseline_check.h: [baseline-differs], the build-time proof of a
 * baseline: the catalog the semantics build from (the chain before the
 * baseline + its archived originals) against the one from (the chain
 * before it + the baseline), compared by catalog_diff.h. */
#ifndef MIGC_GEN_BASELINE_CHECK_H
#define MIGC_GEN_BASELINE_CHECK_H

#include "diag.h"
#include "model.h"

/* At most this many differences are reported one by one for a baseline;
 * one more finding counts the rest. */
#define BASELINE_CHECK_MAX 20

struct baseline_checks;

/* The migrations of m (opened, not yet parsed: which are baselines is not
 * known yet) that may be baselines with archived originals: those whose
 * version V names a folder archive_root/V. NULL when there is none. */
struct baseline_checks *baseline_checks_begin(const struct model *m,
                                              const char *archive_root);

/* Call for each migration i of m in order, while its statements are at
 * hand: a migration before a candidate goes into both of its catalogs,
 * the candidate itself (when it is a baseline the semantics apply) into
 * the baseline's. */
void baseline_checks_migration(struct baseline_checks *b, struct model *m,
                               size_t i);

/* Once the archive is read (m->archives, archive.h): each baseline's
 * originals go into its other catalog, and the two are compared: every
 * difference (BASELINE_CHECK_MAX of them, then a count) an error
 * [baseline-differs] on the baseline's file, at its squashes directive. A
 * baseline without originals is passed over. */
void baseline_checks_end(struct baseline_checks *b, struct model *m,
                         struct diags *d);

/* Free b (NULL: nothing). */
void baseline_checks_free(struct baseline_checks *b);

#endif

/* baseline_check.h: [baseline-differs], the build-time proof of a
 * baseline: the catalog the semantics build from (the chain before the
 * baseline + its archived originals) against the one from (the chain
 * before it + the baseline), compared by catalog_diff.h. */
#ifndef MIGC_GEN_BASELINE_CHECK_H
#define MIGC_GEN_BASELINE_CHECK_H

#include "diag.h"
#include "model.h"
#include "semantics.h"

/* At most this many differences are reported one by one for a baseline;
 * one more finding counts the rest. */
#define BASELINE_CHECK_MAX 20

struct baseline_checks;

/* The baselines of m (opened, not yet loaded: their squash ranges are not
 * known yet) that may have archived originals: a migration whose version
 * V names a directory archive/V. NULL when there is none; archive is
 * copied. */
struct baseline_checks *baseline_checks_begin(const struct model *m,
                                              const char *archive);

/* Call for each migration i in order, right after the main semantics
 * applied it (main: their state), while its statements are at hand. A
 * migration before a baseline goes into that baseline's second catalog;
 * the baseline itself (a migration declaring -- migc:squashes) has its
 * originals read from the archive (own layout, loaded, parsed, applied
 * over that catalog) and the two catalogs compared: each difference a
 * [baseline-differs] finding on the baseline's file, at its squashes
 * directive. Originals that cannot be read or parsed, or a migration that
 * turns out not to be a baseline, are passed over without a finding. */
void baseline_checks_migration(struct baseline_checks *b, struct model *m,
                               size_t i, const struct sem *main, int no_down,
                               struct diags *d);

/* Free b (NULL: nothing). */
void baseline_checks_free(struct baseline_checks *b);

/* The check of one baseline over catalogs built already: prefix is the
 * state the chain before the baseline left (consumed: freed here), to
 * which the originals (orig, opened) are applied; main is the state with
 * the baseline (migration i of m) applied. Returns the number of
 * differences found (reported to d). */
size_t baseline_check_one(struct sem *prefix, struct model *orig,
                          const struct model *m, size_t i,
                          const struct sem *main, int no_down,
                          struct diags *d);

#endif

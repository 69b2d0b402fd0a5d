/* retire.h: `migc squash DIR --retire V`: a baseline's archived originals
 * removed once no database is part-way through its range, and recorded in
 * the lock file so that later builds name the release that carried them. */
#ifndef MIGC_GEN_RETIRE_H
#define MIGC_GEN_RETIRE_H

#include <stddef.h>
#include <stdint.h>

#include "compile.h"
#include "diag.h"

/* What was retired, for the command line to print. */
struct retire_result {
    int64_t last;   /* the newest released version: the chain of the last
                       build that carries the originals */
    size_t removed; /* files removed with the folder */
};

/* Retire the originals of baseline `baseline` of o's chain (o: dir, lock,
 * archive, layout; nothing is written by the pipeline): the chain is
 * checked as `migc check` checks it, then refused with an error [archive]
 * when baseline is not a baseline of it, has no archive folder, or is not
 * recorded by the lock (`migc lock --squash` first). Else the lock gets
 * "#retired BASELINE LAST" (written atomically) and ARCHIVE/<baseline>/ is
 * deleted. Findings go to d. Returns 0 when retired, -1 otherwise (nothing
 * written or removed, unless the removal itself failed: [io]). */
int retire_run(const struct compile_options *o, int64_t baseline,
               struct retire_result *out, struct diags *d);

#endif

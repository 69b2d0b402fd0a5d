/* emit.h: write the model as deterministic C data plus its header. */
#ifndef MIGC_GEN_EMIT_H
#define MIGC_GEN_EMIT_H

#include <stdio.h>

#include "diag.h"
#include "lock.h"
#include "model.h"
#include "pack.h"

/* Write bytes as a C string literal: one literal piece per source line, each
 * continued on a new line after indent; every byte round-trips exactly
 * (escapes for quotes, backslashes, control and non-ASCII bytes, and "??"
 * so that no trigraph forms). */
void emit_c_string(FILE *out, const char *bytes, size_t len,
                   const char *indent);

/* OUT.c is written as the migrations are checked, one at a time, so that
 * no more than one migration's output is held in memory. */
struct emitter;

/* Open a temporary file beside out_c and write the preamble. Returns NULL
 * after reporting [io]. */
struct emitter *emit_begin(const char *out_c, const char *symbol,
                           struct diags *d);

/* Write migration i's statements and scripts, while its sources and
 * statements are at hand (a model_visit_fn's time). */
void emit_migration_scripts(struct emitter *e, const struct model *m,
                            size_t i);

/* With commit: write the migrations' table, the packs' rows (packs may be
 * NULL: none), the n_sq released migrations the baselines replaced (sq,
 * ascending by version: lock_squashed(); a baseline that has some is
 * flagged MIGC_MIGRATION_SQUASHED_LISTED), the archived originals among
 * them (m->archives, archive_carried()), the baselines lf records as
 * retired (lf may be NULL: none) and the schema, then OUT.h, and rename
 * both into place only when both were written in full; on failure nothing
 * is left behind and [io] is reported. Without commit (an error was
 * found): remove the temporary, write nothing. Frees e. Returns 0, or -1
 * when nothing was written. */
int emit_end(struct emitter *e, const struct model *m,
             const struct pack_set *packs, const struct lock_squashed *sq,
             size_t n_sq, const struct lock_file *lf, const char *out_h,
             int commit, struct diags *d);

/* True when s can name the schema: a C identifier, not a C or C++ keyword,
 * not starting with migc_ (the generated file's own names). */
int emit_valid_symbol(const char *s);

#endif

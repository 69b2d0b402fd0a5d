/* script.h: a migration's up and down scripts: sections by layout,
 * directives, statements and their transaction classes. */
#ifndef MIGC_GEN_SCRIPT_H
#define MIGC_GEN_SCRIPT_H

#include "diag.h"
#include "model.h"

/* Split mm's loaded sources into its up and down scripts as layout reads
 * them, apply their directives, parse them and classify every statement.
 * Sources that failed to load are skipped (already reported); no_down
 * leaves a dbmate or goose down section out. */
void script_build(struct model_migration *mm, enum layout layout, int no_down,
                  struct diags *d);

/* The index in s->allows of the first `-- migc:allow` that covers rule for
 * the statement starting at byte offset stmt_off; -1 when none. */
long script_allow_find(const struct model_script *s, enum diag_rule rule,
                       size_t stmt_off);

/* Free the statements and the parse tree; n_stmts, the hashes, flags and
 * allows stay (model.h). */
void script_release(struct model_script *s);

void script_free(struct model_script *s);

#endif

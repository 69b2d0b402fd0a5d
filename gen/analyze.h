/* analyze.h: the rule set. Every up migration's statements, in apply
 * order, are checked against the static catalog (catalog.h) and then
 * applied to it, without a database. */
#ifndef MIGC_GEN_ANALYZE_H
#define MIGC_GEN_ANALYZE_H

#include "catalog.h"
#include "diag.h"
#include "model.h"

/* A table altered by this many later migrations or more draws a [churn]
 * note. */
#define ANALYZE_CHURN_DEFAULT 5

struct analyze_options {
    const char *ledger_table; /* the runtime's ledger; NULL: migc_migrations */
    unsigned churn;           /* 0: ANALYZE_CHURN_DEFAULT */
};

/* Check m's up scripts in order and report the findings to d. Returns the
 * catalog as the last migration leaves it (catalog_free() it). */
struct catalog *analyze_model(struct model *m, const struct analyze_options *o,
                              struct diags *d);

/* Report every `-- migc:allow` of an up script that silenced nothing
 * (rules switched off excepted). Call after every check has run. */
void analyze_unused_allows(struct model *m, struct diags *d);

#endif

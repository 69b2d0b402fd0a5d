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

/* The rules' state between migrations: the catalog, the search_path, what
 * is not known. */
struct analyzer;

struct analyzer *analyze_begin(const struct analyze_options *o,
                               struct diags *d);

/* Check migration i's up script against the catalog, report the findings
 * and apply it. Call in order, while its statements and tree are at hand
 * (a model_visit_fn's time); skip_baseline needs every file of m. */
void analyze_migration(struct analyzer *a, struct model *m, size_t i);

/* Report what needs the whole history ([churn]), free a and return the
 * catalog as the last migration leaves it (catalog_free() it). */
struct catalog *analyze_end(struct analyzer *a, struct model *m);

/* All three over a model built with keep: check m's up scripts in order
 * and report the findings to d. Returns the catalog (catalog_free() it). */
struct catalog *analyze_model(struct model *m, const struct analyze_options *o,
                              struct diags *d);

/* Report every `-- migc:allow` of an up script that silenced nothing
 * (rules switched off excepted). Call after every check has run. */
void analyze_unused_allows(struct model *m, struct diags *d);

#endif

/* rules.h: the rules stage. Every up migration's statements, in apply
 * order, go through the semantics (semantics.h), which applies them to the
 * catalog; the rules (gen/rules/, registered in diag.h's DIAG_RULE_MAP)
 * weigh each of its events and report findings, without a database. */
#ifndef MIGC_GEN_RULES_H
#define MIGC_GEN_RULES_H

#include "catalog.h"
#include "diag.h"
#include "model.h"

/* A table altered by this many later migrations or more draws a [churn]
 * note. */
#define RULES_CHURN_DEFAULT 5

struct rules_options {
    const char *ledger_table; /* the runtime's ledger; NULL: migc_migrations */
    unsigned churn;           /* 0: RULES_CHURN_DEFAULT */
};

/* The stage's state between migrations: the semantics' (the catalog, the
 * search_path, what is not known) and the rules' own. */
struct rules;

struct rules *rules_begin(const struct rules_options *o, struct diags *d);

/* Check migration i's up script against the catalog, report the findings
 * and apply it. Call in order, while its statements and tree are at hand
 * (a model_visit_fn's time); a baseline's check needs every file of m. */
void rules_migration(struct rules *r, struct model *m, size_t i);

/* Report what needs the whole history ([churn]) and return the catalog as
 * the last migration leaves it (catalog_free() it). r then holds only the
 * stage's other output, which allows were used, for rules_unused_allows
 * until rules_free. */
struct catalog *rules_end(struct rules *r, struct model *m);

/* Free r (NULL: nothing); after rules_end or instead of it. */
void rules_free(struct rules *r);

/* All three over a model built with keep: check m's up scripts in order
 * and report the findings to d. Returns the catalog (catalog_free() it). */
struct catalog *rules_model(struct model *m, const struct rules_options *o,
                            struct diags *d);

/* Report every `-- migc:allow` of an up script that silenced nothing:
 * neither a finding of the model's stages (model_allow.script_used) nor
 * one of r's rules (rules switched off excepted). Call after rules_end,
 * once every other check has run. */
void rules_unused_allows(const struct rules *r, const struct model *m,
                         struct diags *d);

#endif

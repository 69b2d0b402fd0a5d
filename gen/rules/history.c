/* history.c: what the migration history says about the schema and about
 * other tools: created-then-dropped, churn, ledger-collision. */
#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"

static const char *kind_word(const struct cat_object *o)
{
    static const char *const rel[] = {"table", "view", "materialized view",
                                      "index", "sequence", "foreign table"};
    switch (o->kind) {
    case CAT_RELATION: return rel[o->relkind];
    case CAT_TYPE: return "type";
    case CAT_FUNCTION: return "function";
    case CAT_SCHEMA: return "schema";
    case CAT_EXTENSION: return "extension";
    case CAT_TRIGGER: return "trigger";
    case CAT_POLICY: return "policy";
    default: return "object";
    }
}

void rule_created_then_dropped(struct rules *r, const struct sem *s,
                               const struct sem_event *ev)
{
    const struct sem_change *c = &ev->u.change;
    if (ev->kind == SEM_DROPPED && c->object->created.mig < s->mig) {
        const struct cat_object *o = c->object;
        rule_report(r, s, DIAG_CREATED_THEN_DROPPED, ev->loc,
                    "%s \"%s\" was created at %s:%u:%u and is dropped here: "
                    "the pair is a squash candidate",
                    kind_word(o), o->name, o->created.path, o->created.line,
                    o->created.col);
    }
    if (ev->kind == SEM_DROPPED_COLUMN && c->col->site.mig < s->mig)
        rule_report(r, s, DIAG_CREATED_THEN_DROPPED, ev->loc,
                    "column \"%s\" of \"%s\" was added at %s:%u:%u and is "
                    "dropped here: a squash would leave both out",
                    c->name, c->table->name, c->col->site.path,
                    c->col->site.line, c->col->site.col);
}

void rule_churn(struct rules *r, const struct sem *s,
                const struct sem_event *ev)
{
    if (ev->kind != SEM_HISTORY_END)
        return;
    const struct model *m = ev->u.model;
    size_t n;
    struct cat_object **all = catalog_all(s->cat, &n);
    for (size_t i = 0; i < n; i++) {
        const struct cat_object *t = all[i];
        if (t->kind != CAT_RELATION || t->relkind != CAT_REL_TABLE ||
            t->n_altered < r->churn ||
            rule_allowed(r, &m->migrations[t->created.mig].up,
                         t->created.mig, DIAG_CHURN, t->created.stmt_off))
            continue;
        diag_add(r->d, t->created.path, t->created.line, t->created.col,
                 rule_severity(DIAG_CHURN), DIAG_CHURN,
                 "table \"%s\" is altered by %u later migrations: its "
                 "definition is spread over the history; a squash would "
                 "give it one place",
                 t->name, t->n_altered);
    }
    free(all);
}

static const struct {
    const char *table, *tool;
} foreign_ledgers[] = {
    {"__diesel_schema_migrations", "diesel"},
    {"_sqlx_migrations", "sqlx"},
    {"flyway_schema_history", "Flyway"},
    {"goose_db_version", "goose"},
    {"knex_migrations", "knex"},
    {"pgmigrations", "node-pg-migrate"},
    {"schema_migrations", "golang-migrate, dbmate and Rails"},
    {"schemaversion", "postgrator"},
};

void rule_ledger_collision(struct rules *r, const struct sem *s,
                           const struct sem_event *ev)
{
    if (ev->kind != SEM_TOUCH_RELATION)
        return;
    const char *name = ev->u.touch.name;
    if (strcmp(name, r->ledger) == 0) {
        rule_report_at(r, s, s->stmt, DIAG_ERROR, DIAG_LEDGER_COLLISION,
                       ev->loc,
                       "\"%s\" is migc's ledger table: the runtime creates "
                       "and writes it, and a migration that touches it can "
                       "corrupt the record of what was applied",
                       name);
        return;
    }
    if (ev->u.touch.dropping)
        return; /* dropping another tool's is a cleanup */
    for (size_t i = 0; i < sizeof foreign_ledgers / sizeof *foreign_ledgers;
         i++)
        if (strcmp(name, foreign_ledgers[i].table) == 0)
            rule_report(r, s, DIAG_LEDGER_COLLISION, ev->loc,
                        "\"%s\" is the ledger table of %s: a migration that "
                        "creates or changes it carries the old tool's state "
                        "into the schema (a pg_dump baseline often does); "
                        "leave it out",
                        name, foreign_ledgers[i].tool);
}

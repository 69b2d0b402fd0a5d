/* references.c: the names a statement uses must exist, the names it
 * creates must not, what it drops nothing else may need:
 * unknown-relation, unknown-column, unknown-type, unknown-function,
 * duplicate-object, dependent-objects. The semantics decide what is sure
 * (semantics.c); these rules word it. */
#include "rules/rule.h"

#include <stdlib.h>

#include "suggest.h"
#include "xalloc.h"

/* "; did you mean \"x\"?" for a suggestion (suggest.h), "" without;
 * takes the suggestion. The returned text is the caller's to free. */
static char *did_you_mean(char *suggestion)
{
    char *t = suggestion ? xasprintf("; did you mean \"%s\"?", suggestion)
                         : xstrdup("");
    free(suggestion);
    return t;
}

void rule_unknown_relation(struct rules *r, const struct sem *s,
                           const struct sem_event *ev)
{
    if (ev->kind != SEM_UNKNOWN)
        return;
    const struct sem_unknown *u = &ev->u.unknown;
    char *hint;
    if (u->maybe) { /* never more than a note: it may exist */
        if (r->d->level[DIAG_UNKNOWN_RELATION] == DIAG_LEVEL_DEFAULT ||
            r->d->level[DIAG_UNKNOWN_RELATION] == DIAG_LEVEL_NOTE)
            rule_report_at(r, s, s->stmt, DIAG_NOTE, DIAG_UNKNOWN_RELATION,
                           ev->loc,
                           "relation \"%s\" is created by no statement migc "
                           "can see; %s may have created it with dynamic "
                           "SQL, which migc cannot see",
                           u->name, u->maybe);
        return;
    }
    if (u->what == SEM_RELATION) {
        hint = did_you_mean(suggest_relation(s, u->name));
        rule_report(r, s, DIAG_UNKNOWN_RELATION, ev->loc,
                    "relation \"%s\" does not exist here: no earlier "
                    "statement creates it%s",
                    u->name, hint);
    } else if (u->what == SEM_CONSTRAINT) {
        hint = did_you_mean(suggest_constraint(s, u->of, u->name));
        rule_report(r, s, DIAG_UNKNOWN_RELATION, ev->loc,
                    "constraint \"%s\" of relation \"%s\" does not exist "
                    "here%s",
                    u->name, u->of->name, hint);
    } else if (u->what == SEM_SCHEMA) {
        hint = did_you_mean(suggest_schema(s, u->name));
        rule_report(r, s, DIAG_UNKNOWN_RELATION, ev->loc,
                    "schema \"%s\" does not exist here%s", u->name, hint);
    } else
        return;
    free(hint);
}

void rule_unknown_column(struct rules *r, const struct sem *s,
                         const struct sem_event *ev)
{
    if (ev->kind != SEM_UNKNOWN || ev->u.unknown.what != SEM_COLUMN)
        return;
    const struct sem_unknown *u = &ev->u.unknown;
    if (!u->of) {
        rule_report(r, s, DIAG_UNKNOWN_COLUMN, ev->loc,
                    "column \"%s\" does not exist here: no relation the "
                    "query reads has it",
                    u->name);
        return;
    }
    char *hint = did_you_mean(suggest_column(u->of, u->name));
    rule_report(r, s, DIAG_UNKNOWN_COLUMN, ev->loc,
                "column \"%s\" of relation \"%s.%s\" does not exist here%s",
                u->name, u->of->schema, u->of->name, hint);
    free(hint);
}

void rule_dependent_objects(struct rules *r, const struct sem *s,
                            const struct sem_event *ev)
{
    if (ev->kind != SEM_DEPENDENTS)
        return;
    const struct sem_dependents *d = &ev->u.dependents;
    const struct cat_object *o = d->object;
    const enum diag_rule rule = DIAG_DEPENDENT_OBJECTS;
    switch (d->verb) {
    case SEM_DEP_DROP_COLUMN:
        rule_report(r, s, rule, ev->loc,
                    "PostgreSQL refuses to drop column \"%s\" of \"%s.%s\": "
                    "%s depends on it (drop or change that first, or "
                    "DROP COLUMN ... CASCADE to drop it too)",
                    d->column, o->schema, o->name, d->dependent);
        break;
    case SEM_DEP_ALTER_TYPE:
        rule_report(r, s, rule, ev->loc,
                    "PostgreSQL refuses to change the type of column \"%s\" "
                    "of \"%s.%s\": it is used by %s (%s); drop that, change "
                    "the type, then create it again",
                    d->column, o->schema, o->name, d->used_by, d->dependent);
        break;
    case SEM_DEP_DROP:
        rule_report(r, s, rule, ev->loc,
                    "PostgreSQL refuses to drop \"%s.%s\": %s depends on it "
                    "(drop that first, or DROP ... CASCADE to drop it too)",
                    o->schema, o->name, d->dependent);
        break;
    case SEM_DEP_REQUIRED:
        rule_report(r, s, rule, ev->loc,
                    "PostgreSQL refuses to drop index \"%s.%s\": %s of the "
                    "partitioned table requires it, even with CASCADE (drop "
                    "that one instead, which takes this one with it)",
                    o->schema, o->name, d->dependent);
        break;
    case SEM_DEP_INHERITED:
        rule_report(r, s, rule, ev->loc,
                    "PostgreSQL refuses to %s \"%s\" of \"%s.%s\": it "
                    "comes from parent %s (change it on the parent, which "
                    "reaches every child)",
                    d->used_by, d->column, o->schema, o->name, d->dependent);
        break;
    case SEM_DEP_MISSING:
        rule_report(r, s, rule, ev->loc,
                    "PostgreSQL refuses to make \"%s.%s\" a child of %s: "
                    "it is missing the parent's constraint \"%s\" (add the "
                    "same CHECK to it first)",
                    o->schema, o->name, d->dependent, d->column);
        break;
    case SEM_DEP_VIEW_COLUMNS:
        rule_report(r, s, rule, ev->loc,
                    "PostgreSQL refuses to replace view \"%s.%s\": the new "
                    "query %s; CREATE OR REPLACE VIEW may only add columns at "
                    "the end (ALTER VIEW ... RENAME COLUMN renames one; to "
                    "drop or retype one, drop the view and create it again)",
                    o->schema, o->name, d->dependent);
        break;
    }
}

void rule_unknown_type(struct rules *r, const struct sem *s,
                       const struct sem_event *ev)
{
    enum sem_what what = ev->u.unknown.what;
    if (ev->kind != SEM_UNKNOWN || (what != SEM_TYPE && what != SEM_ENUM))
        return;
    char *hint = did_you_mean(suggest_type(s, ev->u.unknown.name));
    if (what == SEM_TYPE)
        rule_report(r, s, DIAG_UNKNOWN_TYPE, ev->loc,
                    "type \"%s\" does not exist here: no earlier statement "
                    "creates it, and PostgreSQL has no type of that name%s",
                    ev->u.unknown.name, hint);
    else
        rule_report(r, s, DIAG_UNKNOWN_TYPE, ev->loc,
                    "type \"%s\" does not exist here%s", ev->u.unknown.name,
                    hint);
    free(hint);
}

void rule_unknown_function(struct rules *r, const struct sem *s,
                           const struct sem_event *ev)
{
    if (ev->kind != SEM_UNKNOWN || ev->u.unknown.what != SEM_FUNCTION)
        return;
    char *hint = did_you_mean(suggest_function(s, ev->u.unknown.name));
    rule_report(r, s, DIAG_UNKNOWN_FUNCTION, ev->loc,
                "function \"%s\" does not exist here: no earlier statement "
                "creates it, and PostgreSQL has no function of that name%s",
                ev->u.unknown.name, hint);
    free(hint);
}

/* A relation, type or function: where the one that exists was made. */
static void duplicate_created(struct rules *r, const struct sem *s,
                              const struct sem_event *ev, const char *what,
                              const char *cut)
{
    const struct sem_duplicate *d = &ev->u.duplicate;
    const struct cat_site *at = &d->existing->created;
    rule_report(r, s, DIAG_DUPLICATE_OBJECT, ev->loc,
                "%s \"%s.%s%s\" already exists: created at %s:%u:%u%s%s",
                what, d->schema, d->name, d->args ? d->args : "", at->path,
                at->line, at->col,
                d->what == SEM_FUNCTION ? " (CREATE OR REPLACE replaces it)"
                                        : "",
                cut);
}

/* cut: what names truncation made one (rules_truncation_note()). */
static void duplicate(struct rules *r, const struct sem *s,
                      const struct sem_event *ev, const char *cut)
{
    const struct sem_duplicate *d = &ev->u.duplicate;
    const enum diag_rule rule = DIAG_DUPLICATE_OBJECT;
    switch (d->what) {
    case SEM_RELATION:
        if (d->existing)
            duplicate_created(r, s, ev, "relation", cut);
        else
            rule_report(r, s, rule, ev->loc,
                        "relation \"%s.%s\" already exists%s", d->schema,
                        d->name, cut);
        break;
    case SEM_TYPE: duplicate_created(r, s, ev, "type", cut); break;
    case SEM_FUNCTION: duplicate_created(r, s, ev, "function", cut); break;
    case SEM_INDEX:
        rule_report(r, s, rule, ev->loc,
                    "relation \"%s.%s\" already exists (CREATE INDEX "
                    "without IF NOT EXISTS)%s",
                    d->schema, d->name, cut);
        break;
    case SEM_COLUMN:
        rule_report(r, s, rule, ev->loc,
                    "column \"%s\" of relation \"%s\" already exists%s",
                    d->name, d->of->name, cut);
        break;
    case SEM_CONSTRAINT:
        rule_report(r, s, rule, ev->loc,
                    "constraint \"%s\" of relation \"%s\" already exists%s",
                    d->name, d->of->name, cut);
        break;
    case SEM_TRIGGER:
        rule_report(r, s, rule, ev->loc,
                    "trigger \"%s\" for relation \"%s\" already exists%s",
                    d->name, d->of->name, cut);
        break;
    case SEM_EXTENSION:
        rule_report(r, s, rule, ev->loc, "extension \"%s\" already exists%s",
                    d->name, cut);
        break;
    case SEM_SCHEMA:
        rule_report(r, s, rule, ev->loc, "schema \"%s\" already exists%s",
                    d->name, cut);
        break;
    case SEM_ROLE:
        rule_report(r, s, rule, ev->loc,
                    "role \"%s\" already exists: an earlier migration "
                    "creates it%s",
                    d->name, cut);
        break;
    default: break;
    }
}

void rule_duplicate_object(struct rules *r, const struct sem *s,
                           const struct sem_event *ev)
{
    if (ev->kind != SEM_DUPLICATE)
        return;
    char *cut = rules_truncation_note(r, s, ev->u.duplicate.name, ev->loc);
    duplicate(r, s, ev, cut);
    free(cut);
}

/* types.c: a column's type changed under the binaries still running, and
 * whether PostgreSQL rewrites the table for it: column-type-change. */
#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"
#include "xalloc.h"

/* A type as format_type() prints it, split: "timestamp(3) without time
 * zone" is the base "timestamp without time zone" with the modifier 3. */
struct typmod {
    char base[128];
    long mod[2];
    int n_mods;
    int array;
};

static void typmod_parse(const char *text, struct typmod *t)
{
    *t = (struct typmod){.mod = {-1, -1}};
    size_t len = strlen(text);
    if (len >= 2 && strcmp(text + len - 2, "[]") == 0) {
        t->array = 1;
        len -= 2;
    }
    const char *open = memchr(text, '(', len);
    const char *close = open ? memchr(open, ')', len - (size_t)(open - text))
                             : NULL;
    if (!open || !close) {
        snprintf(t->base, sizeof t->base, "%.*s", (int)len, text);
        return;
    }
    snprintf(t->base, sizeof t->base, "%.*s%.*s", (int)(open - text), text,
             (int)(len - (size_t)(close + 1 - text)), close + 1);
    const char *p = open + 1;
    while (p < close && t->n_mods < 2) {
        char *end;
        t->mod[t->n_mods++] = strtol(p, &end, 10);
        p = *end == ',' ? end + 1 : close;
    }
}

static int is(const struct typmod *t, const char *base)
{
    return strcmp(t->base, base) == 0;
}

/* The length coercion of the same type that PostgreSQL's planner support
 * functions reduce to a relabel (varchar_support, varbit_support,
 * numeric_support, timestamp_support, time_support, interval_support):
 * then ATColumnChangeRequiresRewrite() finds no work. A modifier left out
 * means "unconstrained". */
static int widening(const struct typmod *from, const struct typmod *to)
{
    if (to->n_mods == 0)
        return 1; /* every support function: to no limit is free */
    if (is(to, "character varying") || is(to, "bit varying"))
        return from->n_mods && to->mod[0] >= from->mod[0];
    if (is(to, "numeric")) /* numeric(p) prints as numeric(p,0) */
        return from->n_mods == 2 && to->mod[1] == from->mod[1] &&
               to->mod[0] >= from->mod[0];
    /* TemporalSimplify(): 6 is the maximum precision, so it is free from
     * any; interval_support() the same for an interval without fields */
    if (is(to, "timestamp without time zone") ||
        is(to, "timestamp with time zone") ||
        is(to, "time without time zone") || is(to, "time with time zone") ||
        is(to, "interval"))
        return to->mod[0] >= 6 || (from->n_mods && to->mod[0] >= from->mod[0]);
    return 0;
}

/* A binary-coercible cast (pg_cast method 'b') to a type with no length
 * coercion: a relabel, no rewrite. */
static int relabel(const struct typmod *from, const struct typmod *to)
{
    int from_text = is(from, "text") || is(from, "character varying");
    if (to->n_mods)
        return 0;
    return (from_text && (is(to, "text") || is(to, "character varying") ||
                          is(to, "bpchar"))) ||
           (is(from, "character") && is(to, "bpchar")) ||
           (is(from, "cidr") && is(to, "inet"));
}

enum type_change { TC_SAME, TC_WIDER, TC_RELABEL, TC_REWRITE };

static enum type_change type_change(const char *from_text, const char *to_text)
{
    if (strcmp(from_text, to_text) == 0)
        return TC_SAME;
    struct typmod from, to;
    typmod_parse(from_text, &from);
    typmod_parse(to_text, &to);
    if (from.array || to.array) /* an ArrayCoerceExpr rewrites */
        return TC_REWRITE;
    if (strcmp(from.base, to.base) == 0)
        return widening(&from, &to) ? TC_WIDER : TC_REWRITE;
    return relabel(&from, &to) ? TC_RELABEL : TC_REWRITE;
}

/* timestamp and timestamptz convert into each other without a rewrite
 * when the session's TimeZone is UTC (PostgreSQL 12+). */
static int timestamp_zone_change(const char *from, const char *to)
{
    struct typmod f, t;
    typmod_parse(from, &f);
    typmod_parse(to, &t);
    return !f.array && !t.array &&
           ((is(&f, "timestamp without time zone") &&
             is(&t, "timestamp with time zone")) ||
            (is(&f, "timestamp with time zone") &&
             is(&t, "timestamp without time zone")));
}

void rule_column_type_change(struct rules *r, const struct sem *s,
                             const struct sem_event *ev)
{
    const struct sem_change *c = &ev->u.change;
    if (ev->kind != SEM_ALTER_TYPE || !sem_existing(s, c->table))
        return;
    /* USING computes every row anew, whatever the types */
    enum type_change tc = c->using_expr ? TC_REWRITE
                                        : type_change(c->col->type, c->newname);
    if (tc == TC_RELABEL)
        rule_report(r, s, DIAG_COLUMN_TYPE_CHANGE, ev->loc,
                    "changing \"%s\".\"%s\" from %s to %s needs no rewrite "
                    "(the types are binary-coercible), but binaries still "
                    "running were built against the old type",
                    c->table->name, c->name, c->col->type, c->newname);
    else if (tc == TC_REWRITE)
        rule_report(r, s, DIAG_COLUMN_TYPE_CHANGE, ev->loc,
                    "changing \"%s\".\"%s\" from %s to %s rewrites the table "
                    "and its indexes under an ACCESS EXCLUSIVE lock%s, and "
                    "binaries still running read the old type: add a new "
                    "column, backfill, switch, then drop the old one",
                    c->table->name, c->name, c->col->type, c->newname,
                    !c->using_expr &&
                            timestamp_zone_change(c->col->type, c->newname)
                        ? " (unless the session's TimeZone is UTC)"
                        : "");
}

/* rules.c: the rules stage (rules.h): drives the semantics over each
 * migration and hands every event to the handlers DIAG_RULE_MAP
 * registers; reports their findings. */
#include "rules.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"
#include "script.h"
#include "xalloc.h"

static const struct {
    rule_fn *handler;
    enum diag_severity severity;
} registry[DIAG_RULE_COUNT] = {
#define RULE_X_ENTRY(name, id, fixed, sev, handler, text)                     \
    [DIAG_##name] = {handler, DIAG_##sev},
    DIAG_RULE_MAP(RULE_X_ENTRY)
#undef RULE_X_ENTRY
};

/* The rules an earlier stage reports: no event concerns them. */
void rule_stage(struct rules *r, const struct sem *s,
                const struct sem_event *ev)
{
    (void)r;
    (void)s;
    (void)ev;
}

enum diag_severity rule_severity(enum diag_rule rule)
{
    return registry[rule].severity;
}

/* Every event goes to every rule, in the table's order: where one event
 * draws several findings at one place, that is their order. */
static void dispatch(void *ctx, const struct sem *s,
                     const struct sem_event *ev)
{
    struct rules *r = ctx;
    for (size_t i = 0; i < DIAG_RULE_COUNT; i++)
        registry[i].handler(r, s, ev);
}

int rule_allowed(struct rules *r, const struct model_script *script,
                 size_t mig, enum diag_rule rule, size_t stmt_off)
{
    long k = script_allow_find(script, rule, stmt_off);
    if (k < 0)
        return 0;
    if (!r->allow_used[mig])
        r->allow_used[mig] = xcalloc(script->n_allows, 1);
    r->allow_used[mig][k] = 1;
    return 1;
}

static void vreport(struct rules *r, const struct sem *s,
                    const struct model_statement *st, enum diag_severity sev,
                    enum diag_rule rule, int32_t loc, const char *fmt,
                    va_list ap)
{
    if (rule_allowed(r, s->script, s->mig, rule, st->off))
        return;
    char *msg = xvasprintf(fmt, ap);
    struct cat_site at = sem_site(s, st, loc);
    diag_add(r->d, at.path, at.line, at.col, sev, rule, "%s", msg);
    free(msg);
}

void rule_report(struct rules *r, const struct sem *s, enum diag_rule rule,
                 int32_t loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(r, s, s->stmt, rule_severity(rule), rule, loc, fmt, ap);
    va_end(ap);
}

void rule_report_at(struct rules *r, const struct sem *s,
                    const struct model_statement *st, enum diag_severity sev,
                    enum diag_rule rule, int32_t loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(r, s, st, sev, rule, loc, fmt, ap);
    va_end(ap);
}

struct rules *rules_begin(const struct rules_options *o, struct diags *d)
{
    struct rules *r = xcalloc(1, sizeof *r);
    r->d = d;
    r->ledger = o && o->ledger_table ? o->ledger_table : "migc_migrations";
    r->churn = o && o->churn ? o->churn : RULES_CHURN_DEFAULT;
    r->sem = sem_new(dispatch, r);
    return r;
}

/* The migrations of m are known (model_open) before the first is parsed. */
static void allow_rows(struct rules *r, const struct model *m)
{
    if (r->n_migrations >= m->n)
        return;
    r->allow_used = xrealloc(r->allow_used, m->n * sizeof *r->allow_used);
    memset(r->allow_used + r->n_migrations, 0,
           (m->n - r->n_migrations) * sizeof *r->allow_used);
    r->n_migrations = m->n;
}

void rules_migration(struct rules *r, struct model *m, size_t i)
{
    allow_rows(r, m);
    sem_migration(r->sem, m, i);
}

/* Free the state the migrations need; return the catalog. */
static struct catalog *release(struct rules *r)
{
    for (size_t i = 0; i < r->n_pending; i++)
        free(r->pending[i].name);
    r->n_pending = 0;
    table_free(&r->not_valid_here);
    table_free(&r->added_unfilled);
    table_free(&r->added_filled);
    table_free(&r->enum_added);
    rules_names_free(r);
    struct catalog *cat = sem_free(r->sem);
    r->sem = NULL;
    return cat;
}

struct catalog *rules_end(struct rules *r, struct model *m)
{
    allow_rows(r, m);
    dispatch(r, r->sem,
             &(struct sem_event){SEM_HISTORY_END, -1, .u.model = m});
    return release(r);
}

void rules_free(struct rules *r)
{
    if (!r)
        return;
    if (r->sem)
        catalog_free(release(r));
    for (size_t i = 0; i < r->n_migrations; i++)
        free(r->allow_used[i]);
    free(r->allow_used);
    free(r);
}

struct catalog *rules_model(struct model *m, const struct rules_options *o,
                            struct diags *d)
{
    struct rules *r = rules_begin(o, d);
    for (size_t i = 0; i < m->n; i++)
        rules_migration(r, m, i);
    struct catalog *cat = rules_end(r, m);
    rules_free(r);
    return cat;
}

/* Whether an allow silenced a finding of this stage or of an earlier one. */
static int allow_used(const struct rules *r, const struct model_allow *al,
                      size_t mig, size_t k)
{
    return al->script_used ||
           (mig < r->n_migrations && r->allow_used[mig] &&
            r->allow_used[mig][k]);
}

void rules_unused_allows(const struct rules *r, const struct model *m,
                         struct diags *d)
{
    for (size_t i = 0; i < m->n; i++) {
        const struct model_script *s = &m->migrations[i].up;
        for (size_t k = 0; k < s->n_allows; k++) {
            const struct model_allow *al = &s->allows[k];
            enum diag_rule rule;
            /* squash-data is `migc squash`'s to use, never compile's */
            if (allow_used(r, al, i, k) ||
                diag_rule_from_id(al->rule, strlen(al->rule), &rule) != 0 ||
                diag_rule_off(d, rule) || rule == DIAG_SQUASH_DATA)
                continue;
            diag_add(d, s->src->path, al->line, al->col, DIAG_WARNING,
                     DIAG_UNUSED_ALLOW,
                     "`-- migc:allow %s` silences nothing: no [%s] finding "
                     "is reported %s; remove it",
                     al->rule, al->rule,
                     al->stmt_off == SIZE_MAX ? "in this file"
                     : al->stmt_off == SIZE_MAX - 1
                         ? "(no statement follows it)"
                         : "for the statement after it");
        }
    }
}

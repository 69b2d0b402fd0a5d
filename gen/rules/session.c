/* session.c: settings a migration changes for the whole connection, which
 * the next migrations migc applies on it inherit: session-state. */
#include <stdlib.h>
#include <string.h>

#include "migc.h"
#include "rules/rule.h"
#include "xalloc.h"

static void pending_drop(struct rules *r, const char *name)
{
    for (size_t i = 0; i < r->n_pending; i++)
        if (!name || strcmp(r->pending[i].name, name) == 0) {
            free(r->pending[i].name);
            r->pending[i--] = r->pending[--r->n_pending];
        }
}

static void pending_add(struct rules *r, const struct sem *s,
                        const char *name, int32_t loc, int via_set_config)
{
    pending_drop(r, name);
    if (r->n_pending < sizeof r->pending / sizeof *r->pending)
        r->pending[r->n_pending++] = (struct rules_pending_set){
            xstrdup(name), s->stmt, loc, via_set_config};
}

/* Whether the statement runs inside one of the script's own BEGIN ...
 * COMMIT blocks (a script that manages its own transactions runs without
 * migc's, but SET LOCAL there lasts until the block's COMMIT). */
static int in_own_block(const struct sem *s)
{
    const struct model_script *sc = s->script;
    for (size_t i = (size_t)(s->stmt - sc->stmts); i-- > 0;) {
        const PgQuery__Node *n = sc->stmts[i].node;
        if (!n || n->node_case != PG_QUERY__NODE__NODE_TRANSACTION_STMT)
            continue;
        PgQuery__TransactionStmtKind k = n->transaction_stmt->kind;
        return k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN ||
               k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START;
    }
    return 0;
}

static void on_set(struct rules *r, const struct sem *s,
                   const PgQuery__VariableSetStmt *set)
{
    const char *name = set->name ? set->name : "";
    if (set->is_local) {
        if ((s->script->flags & MIGC_SCRIPT_NO_TRANSACTION) &&
            !in_own_block(s))
            rule_report(r, s, DIAG_SESSION_STATE, -1,
                        "SET LOCAL %s has no effect here: this migration "
                        "runs without a transaction, each statement on its "
                        "own; SET it, then RESET it before the migration "
                        "ends",
                        name);
        return;
    }
    if (set->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL)
        pending_drop(r, NULL); /* puts the session back */
    else if (set->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET)
        pending_drop(r, name);
    else
        pending_add(r, s, name, -1, 0);
}

/* The settings a migration leaves changed leak into the next ones. */
static void report_pending(struct rules *r, const struct sem *s)
{
    for (size_t i = 0; i < r->n_pending; i++) {
        const struct rules_pending_set *p = &r->pending[i];
        if (p->via_set_config)
            rule_report_at(r, s, p->stmt, rule_severity(DIAG_SESSION_STATE),
                           DIAG_SESSION_STATE, p->loc,
                           "set_config('%s', ..., false) changes the "
                           "session, not the transaction, and nothing resets "
                           "it: every later migration migc applies on this "
                           "connection runs with it; pass true (the SET "
                           "LOCAL equivalent)",
                           p->name);
        else
            rule_report_at(r, s, p->stmt, rule_severity(DIAG_SESSION_STATE),
                           DIAG_SESSION_STATE, p->loc,
                           "SET %s without LOCAL changes the session, and "
                           "nothing resets it before the migration ends: "
                           "migc applies every later migration on the same "
                           "connection, so it leaks into them; use SET LOCAL "
                           "(or RESET it)",
                           p->name);
        free(p->name);
    }
    r->n_pending = 0;
}

void rule_session_state(struct rules *r, const struct sem *s,
                        const struct sem_event *ev)
{
    switch (ev->kind) {
    case SEM_SET: on_set(r, s, ev->u.set); break;
    case SEM_SET_CONFIG:
        if (ev->u.set_config.session)
            pending_add(r, s,
                        ev->u.set_config.name ? ev->u.set_config.name : "...",
                        ev->loc, 1);
        break;
    case SEM_MIGRATION_END: report_pending(r, s); break;
    default: break;
    }
}

/* enums.c: values ALTER TYPE ... ADD VALUE adds to an enum:
 * enum-value-in-transaction (used before they are committed, which
 * PostgreSQL refuses) and enum-value-order (appended at the end). */
#include <stdlib.h>
#include <string.h>

#include "migc.h"
#include "rules/rule.h"
#include "xalloc.h"

#define NODE(x) PG_QUERY__NODE__NODE_##x
#define AT(x) PG_QUERY__ALTER_TABLE_TYPE__AT_##x
#define CONSTR(x) PG_QUERY__CONSTR_TYPE__CONSTR_##x

/* A type as a column of the catalog names it (sem_type_text()): its name,
 * qualified outside public. */
static char *type_text(const struct cat_object *t)
{
    return strcmp(t->schema, "public") == 0
               ? xstrdup(t->name)
               : xasprintf("%s.%s", t->schema, t->name);
}

/* "TYPE\nLABEL": a value added in this migration, in r->enum_added. */
static char *value_key(const char *type, const char *label)
{
    return xasprintf("%s\n%s", type, label);
}

static const struct cat_object *enum_type(const struct sem *s,
                                          const PgQuery__TypeName *tn)
{
    if (!tn || tn->n_array_bounds)
        return NULL;
    const struct cat_object *t =
        sem_lookup(s, CAT_TYPE, tn->names, tn->n_names);
    return t && (t->flags & CAT_ENUM) ? t : NULL;
}

/* A walk over one statement: where a new value is coerced to its enum. */
struct enum_walk {
    struct rules *r;
    const struct sem *s;
    const struct cat_object *table;    /* whose columns names resolve to */
    const PgQuery__CreateStmt *create; /* or the table it creates */
    int reported;
};

static const char *const_string(const PgQuery__Node *n, int32_t *loc)
{
    if (!n || n->node_case != NODE(A_CONST) || n->a_const->isnull ||
        n->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
        return NULL;
    *loc = n->a_const->location;
    return n->a_const->sval->sval;
}

/* The string constant n, coerced to the type whose text is type (NULL:
 * not an enum), is a value added in this migration: report it. */
static void check_value(struct enum_walk *w, const char *type,
                        const PgQuery__Node *n)
{
    int32_t loc;
    const char *v = const_string(n, &loc);
    if (!type || !v || w->reported)
        return;
    char *key = value_key(type, v);
    if (table_has(&w->r->enum_added, key)) {
        w->reported = 1;
        rule_report(w->r, w->s, DIAG_ENUM_VALUE_IN_TRANSACTION, loc,
                    "'%s' was added to enum %s by ALTER TYPE ... ADD VALUE "
                    "in this migration, and PostgreSQL refuses a new value "
                    "before its transaction commits (\"unsafe use of new "
                    "value\"): add the value in a migration of its own, or "
                    "mark this one `-- migc:no-transaction`",
                    v, type);
    }
    free(key);
}

/* The text of column col's type when it is an enum, else NULL (freed by
 * the caller). */
static char *column_enum(const struct enum_walk *w, const char *col)
{
    if (!col)
        return NULL;
    if (w->create) {
        for (size_t i = 0; i < w->create->n_table_elts; i++) {
            const PgQuery__Node *e = w->create->table_elts[i];
            if (e->node_case == NODE(COLUMN_DEF) &&
                strcmp(e->column_def->colname, col) == 0) {
                const struct cat_object *t =
                    enum_type(w->s, e->column_def->type_name);
                return t ? type_text(t) : NULL;
            }
        }
        return NULL;
    }
    const struct cat_column *c = w->table ? catalog_column(w->table, col) : 0;
    return c ? xstrdup(c->type) : NULL;
}

static const char *column_ref_name(const PgQuery__Node *n)
{
    if (!n || n->node_case != NODE(COLUMN_REF) || !n->column_ref->n_fields)
        return NULL;
    const PgQuery__ColumnRef *c = n->column_ref;
    return sem_str_of(c->fields[c->n_fields - 1]);
}

/* col = 'v', 'v' <> col, col IN ('v', ...) */
static void check_comparison(struct enum_walk *w, const PgQuery__AExpr *e)
{
    const PgQuery__Node *col = e->lexpr, *val = e->rexpr;
    if (!column_ref_name(col)) {
        col = e->rexpr;
        val = e->lexpr;
    }
    char *type = column_enum(w, column_ref_name(col));
    if (type && e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_IN && val &&
        val->node_case == NODE(LIST))
        for (size_t i = 0; i < val->list->n_items; i++)
            check_value(w, type, val->list->items[i]);
    else if (type && e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP)
        check_value(w, type, val);
    free(type);
}

static void check_column_def(struct enum_walk *w, const PgQuery__ColumnDef *cd)
{
    const struct cat_object *t = enum_type(w->s, cd->type_name);
    if (!t)
        return;
    char *type = type_text(t);
    check_value(w, type, cd->raw_default);
    for (size_t i = 0; i < cd->n_constraints; i++) {
        const PgQuery__Node *k = cd->constraints[i];
        if (k->node_case == NODE(CONSTRAINT) &&
            k->constraint->contype == CONSTR(DEFAULT))
            check_value(w, type, k->constraint->raw_expr);
    }
    free(type);
}

static int visit(void *ctx, const ProtobufCMessage *m)
{
    struct enum_walk *w = ctx;
    if (sem_is_msg(m, &pg_query__type_cast__descriptor)) {
        const PgQuery__TypeCast *c = (const PgQuery__TypeCast *)m;
        const struct cat_object *t = enum_type(w->s, c->type_name);
        char *type = t ? type_text(t) : NULL;
        check_value(w, type, c->arg);
        free(type);
    } else if (sem_is_msg(m, &pg_query__a__expr__descriptor)) {
        check_comparison(w, (const PgQuery__AExpr *)m);
    } else if (sem_is_msg(m, &pg_query__column_def__descriptor)) {
        check_column_def(w, (const PgQuery__ColumnDef *)m);
    } else if (sem_is_msg(m, &pg_query__alter_table_cmd__descriptor)) {
        const PgQuery__AlterTableCmd *c = (const PgQuery__AlterTableCmd *)m;
        if (c->subtype == AT(ColumnDefault)) {
            char *type = column_enum(w, c->name);
            check_value(w, type, c->def);
            free(type);
        }
    }
    return w->reported;
}

/* INSERT's values, by position, and UPDATE's SET, by name. */
static void check_targets(struct enum_walk *w, PgQuery__Node *const *cols,
                          size_t n_cols, PgQuery__Node *const *vals,
                          size_t n_vals)
{
    for (size_t i = 0; i < n_vals && w->table; i++) {
        const char *col = NULL;
        const PgQuery__Node *v = vals[i];
        if (v->node_case == NODE(RES_TARGET)) { /* UPDATE SET, SELECT */
            col = v->res_target->name;
            v = v->res_target->val;
        }
        if (n_cols) /* INSERT's column list */
            col = i < n_cols && cols[i]->node_case == NODE(RES_TARGET)
                      ? cols[i]->res_target->name
                      : NULL;
        else if (!col || !*col) /* every column, in order */
            col = i < w->table->n_cols ? w->table->cols[i].name : NULL;
        char *type = column_enum(w, col);
        check_value(w, type, v);
        free(type);
    }
}

static void check_insert(struct enum_walk *w, const PgQuery__InsertStmt *ins)
{
    const PgQuery__Node *sel = ins->select_stmt;
    if (!sel || sel->node_case != NODE(SELECT_STMT))
        return;
    const PgQuery__SelectStmt *s = sel->select_stmt;
    for (size_t r = 0; r < s->n_values_lists; r++)
        if (s->values_lists[r]->node_case == NODE(LIST))
            check_targets(w, ins->cols, ins->n_cols,
                          s->values_lists[r]->list->items,
                          s->values_lists[r]->list->n_items);
    for (size_t i = 0; i < s->n_target_list; i++) {
        /* INSERT ... SELECT 'v': the target list by position */
        const PgQuery__Node *t = s->target_list[i];
        if (t->node_case != NODE(RES_TARGET))
            continue;
        const char *col = ins->n_cols
                              ? (i < ins->n_cols &&
                                         ins->cols[i]->node_case ==
                                             NODE(RES_TARGET)
                                     ? ins->cols[i]->res_target->name
                                     : NULL)
                          : i < w->table->n_cols ? w->table->cols[i].name
                                                 : NULL;
        char *type = column_enum(w, col);
        check_value(w, type, t->res_target->val);
        free(type);
    }
}

/* The relation whose columns a statement's bare column names mean. */
static void walk_context(struct enum_walk *w, const PgQuery__Node *n)
{
    const PgQuery__RangeVar *rv = NULL;
    switch (n->node_case) {
    case NODE(INSERT_STMT): rv = n->insert_stmt->relation; break;
    case NODE(UPDATE_STMT): rv = n->update_stmt->relation; break;
    case NODE(DELETE_STMT): rv = n->delete_stmt->relation; break;
    case NODE(ALTER_TABLE_STMT): rv = n->alter_table_stmt->relation; break;
    case NODE(INDEX_STMT): rv = n->index_stmt->relation; break;
    case NODE(CREATE_STMT): w->create = n->create_stmt; break;
    case NODE(SELECT_STMT): {
        const PgQuery__SelectStmt *s = n->select_stmt;
        if (s->n_from_clause == 1 &&
            s->from_clause[0]->node_case == NODE(RANGE_VAR))
            rv = s->from_clause[0]->range_var;
        break;
    }
    default: break;
    }
    if (rv)
        w->table = sem_lookup_rv(w->s, rv);
}

static void check_statement(struct rules *r, const struct sem *s,
                            const PgQuery__Node *n)
{
    struct enum_walk w = {r, s, NULL, NULL, 0};
    walk_context(&w, n);
    if (w.table && w.table->cols_unknown)
        w.table = NULL;
    if (n->node_case == NODE(INSERT_STMT) && w.table)
        check_insert(&w, n->insert_stmt);
    if (n->node_case == NODE(UPDATE_STMT) && w.table)
        check_targets(&w, NULL, 0, n->update_stmt->target_list,
                      n->update_stmt->n_target_list);
    sem_walk(n, visit, &w);
}

/* ALTER TYPE ... ADD VALUE of a value the enum lacks. */
static void added_value(struct rules *r, const struct sem *s,
                        const PgQuery__AlterEnumStmt *a)
{
    if ((a->old_val && *a->old_val) || !a->new_val || !*a->new_val)
        return; /* RENAME VALUE */
    const struct cat_object *t =
        sem_lookup(s, CAT_TYPE, a->type_name, a->n_type_name);
    if (!t || !(t->flags & CAT_ENUM) || cat_names_has(&t->labels, a->new_val))
        return;
    char *type = type_text(t);
    if (!(s->script->flags & (MIGC_SCRIPT_NO_TRANSACTION |
                              MIGC_SCRIPT_OWN_TRANSACTIONS))) {
        char *key = value_key(type, a->new_val);
        table_add_key(&r->enum_added, key);
        free(key);
    }
    if (!a->new_val_neighbor || !*a->new_val_neighbor)
        rule_report(r, s, DIAG_ENUM_VALUE_ORDER, -1,
                    "'%s' is added at the end of enum %s: where its order "
                    "is used (ORDER BY, <, >, min, max) it sorts after "
                    "every other value; say BEFORE or AFTER to place it",
                    a->new_val, type);
    free(type);
}

void rule_enum_value_in_transaction(struct rules *r, const struct sem *s,
                                    const struct sem_event *ev)
{
    if (ev->kind == SEM_MIGRATION_END)
        table_free(&r->enum_added);
    else if (ev->kind == SEM_STATEMENT && r->enum_added.n &&
             ev->u.node->node_case != NODE(ALTER_ENUM_STMT))
        check_statement(r, s, ev->u.node);
}

void rule_enum_value_order(struct rules *r, const struct sem *s,
                           const struct sem_event *ev)
{
    /* it also keeps the values enum-value-in-transaction looks for: this
     * rule comes after it in DIAG_RULE_MAP, so a value is looked for from
     * the next statement on */
    if (ev->kind == SEM_STATEMENT &&
        ev->u.node->node_case == NODE(ALTER_ENUM_STMT))
        added_value(r, s, ev->u.node->alter_enum_stmt);
}

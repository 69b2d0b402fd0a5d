/* sem_query.c: column references resolved the way PostgreSQL's parser
 * scopes them (FROM entries, joins, subqueries, outer levels), for view
 * queries, policies and trigger WHEN: unknown columns where the catalog is
 * sure, and the columns and relations used, which pg_depend records. */
#include "sem_int.h"

#define LEVEL_MAX 32

/* A FROM entry visible under a name. rel NULL, or a relation whose
 * columns are not known: its columns are not known (a subquery, a
 * function, a CTE, a relation not modelled). */
struct entry {
    const char *alias;
    struct cat_object *rel;
};

/* One query level's FROM entries; outer is the enclosing query's. */
struct level {
    const struct level *outer;
    struct entry e[LEVEL_MAX];
    size_t n;
    int uncertain; /* an entry whose columns are not known, or too many */
};

struct qwalk {
    struct sem *a;
    struct sem_deps *deps;
    struct cat_names *types; /* the output columns' types ("": not known) */
    int quiet;               /* another pass reports unknown columns */
};

static int known(const struct entry *e)
{
    return e->rel && !e->rel->cols_unknown;
}

static void add_entry(struct level *lv, const char *alias,
                      struct cat_object *rel)
{
    if (lv->n == LEVEL_MAX) {
        lv->uncertain = 1;
        return;
    }
    lv->e[lv->n++] = (struct entry){alias, rel};
    if (!known(&lv->e[lv->n - 1]))
        lv->uncertain = 1;
}

static void dep_column(struct qwalk *w, const struct cat_object *rel,
                       const char *col)
{
    char *q = xasprintf("%s.%s.%s", rel->schema, rel->name, col);
    if (!cat_names_has(&w->deps->cols, q))
        cat_names_add(&w->deps->cols, q);
    free(q);
}

static void dep_all_columns(struct qwalk *w, const struct entry *e)
{
    for (size_t i = 0; known(e) && i < e->rel->n_cols; i++)
        dep_column(w, e->rel, e->rel->cols[i].name);
}

/* Columns every table has (PostgreSQL's system columns). */
static int system_column(const char *name)
{
    static const char *const names[] = {"ctid",     "xmin", "xmax", "cmin",
                                        "cmax",     "tableoid"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

static const struct entry *find_alias(const struct level *lv, const char *q)
{
    for (; lv; lv = lv->outer)
        for (size_t i = 0; i < lv->n; i++)
            if (lv->e[i].alias && strcmp(lv->e[i].alias, q) == 0)
                return &lv->e[i];
    return NULL;
}

/* A name nothing in scope has, in a scope the catalog is sure of. */
static void report_unknown(struct qwalk *w, const struct level *lv,
                           const char *name, int32_t loc)
{
    const struct cat_object *only = NULL;
    size_t n = 0;
    for (const struct level *l = lv; l; l = l->outer)
        for (size_t i = 0; i < l->n; i++, n++)
            only = l->e[i].rel;
    if (n == 0 || w->quiet || sem_is_opaque(w->a, name) ||
        system_column(name))
        return;
    sem_fire_unknown(w->a, loc, SEM_COLUMN, name, n == 1 ? only : NULL);
}

static void resolve_unqualified(struct qwalk *w, const struct level *lv,
                                const char *name, int32_t loc, int in_sort)
{
    for (const struct level *l = lv; l; l = l->outer) {
        int found = 0;
        for (size_t i = 0; i < l->n; i++)
            if (known(&l->e[i]) && catalog_column(l->e[i].rel, name)) {
                dep_column(w, l->e[i].rel, name);
                found = 1;
            }
        if (found || l->uncertain)
            return;
    }
    /* ORDER BY and GROUP BY may name an output column; a name that is
     * a FROM entry's is a whole-row reference */
    if (!in_sort && !find_alias(lv, name))
        report_unknown(w, lv, name, loc);
}

/* q.col: a column of the entry q, or a function applied to its row. */
static void resolve_qualified(struct qwalk *w, const struct entry *e,
                              const PgQuery__Node *field, int32_t loc)
{
    if (!known(e))
        return;
    const char *col = sem_str_of(field);
    if (!col)
        return;
    if (catalog_column(e->rel, col)) {
        dep_column(w, e->rel, col);
        return;
    }
    struct qname fn = {NULL, col};
    if (w->quiet || system_column(col) || sem_is_opaque(w->a, col) ||
        sem_find_function(w->a, fn) || builtin_function(col))
        return;
    sem_fire_unknown(w->a, loc, SEM_COLUMN, col, e->rel);
}

/* A reference ending in * outside a SELECT list is a whole-row value
 * (row_to_json(t.*), OLD.* in a trigger's WHEN): it depends on no
 * column. */
static int is_star(const PgQuery__ColumnRef *c)
{
    return c->n_fields && c->fields[c->n_fields - 1]->node_case == NODE(A_STAR);
}

static void resolve_ref(struct qwalk *w, const struct level *lv,
                        const PgQuery__ColumnRef *c, int in_sort)
{
    if (is_star(c))
        return;
    if (c->n_fields == 1) {
        const char *name = sem_str_of(c->fields[0]);
        if (name)
            resolve_unqualified(w, lv, name, c->location, in_sort);
        return;
    }
    if (c->n_fields == 2) {
        const char *q = sem_str_of(c->fields[0]);
        const struct entry *e = q ? find_alias(lv, q) : NULL;
        if (e) /* else not a FROM entry: another error, or unseen */
            resolve_qualified(w, e, c->fields[1], c->location);
    }
}

static void resolve_select(struct qwalk *w, const PgQuery__SelectStmt *s,
                           const struct level *outer, struct cat_names *out);

/* An expression walk at one level. */
struct expr_walk {
    struct qwalk *w;
    const struct level *lv;
    int in_sort;
};

static int visit_expr(void *ctx, const ProtobufCMessage *m)
{
    struct expr_walk *x = ctx;
    if (sem_is_msg(m, &pg_query__column_ref__descriptor)) {
        resolve_ref(x->w, x->lv, (const PgQuery__ColumnRef *)m, x->in_sort);
        return 1;
    }
    if (sem_is_msg(m, &pg_query__select_stmt__descriptor)) {
        resolve_select(x->w, (const PgQuery__SelectStmt *)m, x->lv, NULL);
        return 1;
    }
    return 0;
}

static void walk_expr(struct qwalk *w, const struct level *lv,
                      const void *expr, int in_sort)
{
    struct expr_walk x = {w, lv, in_sort};
    sem_walk(expr, visit_expr, &x);
}

static void walk_list(struct qwalk *w, const struct level *lv,
                      PgQuery__Node *const *items, size_t n, int in_sort)
{
    for (size_t i = 0; i < n; i++)
        walk_expr(w, lv, items[i], in_sort);
}

/* An item of a SELECT list: * and t.* expand to the columns, each a
 * dependency of a view (PostgreSQL expands them when it stores one). */
static void select_target(struct qwalk *w, const struct level *lv,
                          const PgQuery__Node *n)
{
    const PgQuery__ColumnRef *c =
        n->node_case == NODE(RES_TARGET) && n->res_target->val &&
                n->res_target->val->node_case == NODE(COLUMN_REF)
            ? n->res_target->val->column_ref
            : NULL;
    if (!c || !is_star(c)) {
        walk_expr(w, lv, n, 0);
        return;
    }
    if (c->n_fields == 1) {
        for (size_t i = 0; i < lv->n; i++)
            dep_all_columns(w, &lv->e[i]);
    } else if (c->n_fields == 2 && sem_str_of(c->fields[0])) {
        const struct entry *e = find_alias(lv, sem_str_of(c->fields[0]));
        if (e)
            dep_all_columns(w, e);
    }
}

static void dep_relation(struct qwalk *w, const struct cat_object *rel)
{
    char *q = xasprintf("%s.%s", rel->schema, rel->name);
    if (!cat_names_has(&w->deps->rels, q))
        cat_names_add(&w->deps->rels, q);
    free(q);
}

static void add_range_var(struct qwalk *w, struct level *lv,
                          const PgQuery__RangeVar *rv)
{
    struct qname q = sem_qname_rv(rv);
    struct cat_object *rel = NULL;
    if (q.schema || !table_has(&w->a->ctes, q.name))
        rel = sem_find_relation(w->a, q);
    if (rel)
        dep_relation(w, rel);
    const char *alias = rv->alias ? rv->alias->aliasname : rv->relname;
    /* columns renamed by the alias: not followed */
    add_entry(lv, alias, rv->alias && rv->alias->n_colnames ? NULL : rel);
}

static void add_from(struct qwalk *w, struct level *lv,
                     const PgQuery__Node *n)
{
    switch (n->node_case) {
    case NODE(RANGE_VAR): add_range_var(w, lv, n->range_var); break;
    case NODE(RANGE_SUBSELECT): {
        const PgQuery__RangeSubselect *r = n->range_subselect;
        if (r->subquery && r->subquery->node_case == NODE(SELECT_STMT))
            resolve_select(w, r->subquery->select_stmt,
                           r->lateral ? lv : lv->outer, NULL);
        add_entry(lv, r->alias ? r->alias->aliasname : NULL, NULL);
        break;
    }
    case NODE(RANGE_FUNCTION): {
        const PgQuery__RangeFunction *r = n->range_function;
        walk_list(w, lv, r->functions, r->n_functions, 0);
        add_entry(lv, r->alias ? r->alias->aliasname : NULL, NULL);
        break;
    }
    case NODE(JOIN_EXPR): {
        const PgQuery__JoinExpr *j = n->join_expr;
        if (j->larg)
            add_from(w, lv, j->larg);
        if (j->rarg)
            add_from(w, lv, j->rarg);
        for (size_t i = 0; i < j->n_using_clause; i++)
            if (sem_str_of(j->using_clause[i]))
                resolve_unqualified(w, lv, sem_str_of(j->using_clause[i]),
                                    -1, 1);
        if (j->quals)
            walk_expr(w, lv, j->quals, 0);
        if (j->alias) /* its columns: not followed */
            add_entry(lv, j->alias->aliasname, NULL);
        break;
    }
    case NODE(RANGE_TABLE_SAMPLE):
        if (n->range_table_sample->relation)
            add_from(w, lv, n->range_table_sample->relation);
        break;
    default: add_entry(lv, NULL, NULL); break; /* XMLTABLE and the like */
    }
}

/* ---- what a query returns ---------------------------------------------- */

/* FigureColnameInternal(): the name PostgreSQL gives an expression (an
 * index column's, in the index's name), and how sure: 2 for a column or
 * function name, 1 for a construct or a cast's type, 0 for none. */
int sem_figure_colname(const PgQuery__Node *n, const char **name)
{
    if (!n)
        return 0;
    switch (n->node_case) {
    case NODE(COLUMN_REF): {
        const PgQuery__ColumnRef *c = n->column_ref;
        const char *last =
            c->n_fields ? sem_str_of(c->fields[c->n_fields - 1]) : NULL;
        if (!last)
            return 0;
        *name = last;
        return 2;
    }
    case NODE(FUNC_CALL):
        *name =
            sem_qname_of(n->func_call->funcname, n->func_call->n_funcname).name;
        return 2;
    case NODE(TYPE_CAST): {
        int strength = sem_figure_colname(n->type_cast->arg, name);
        if (strength <= 1 && n->type_cast->type_name) {
            const char *b = sem_type_base(n->type_cast->type_name);
            if (b) {
                *name = b;
                return 1;
            }
        }
        return strength;
    }
    case NODE(COLLATE_CLAUSE):
        return sem_figure_colname(n->collate_clause->arg, name);
    case NODE(CASE_EXPR): *name = "case"; return 1;
    case NODE(COALESCE_EXPR): *name = "coalesce"; return 1;
    case NODE(A_ARRAY_EXPR): *name = "array"; return 1;
    case NODE(ROW_EXPR): *name = "row"; return 1;
    case NODE(MIN_MAX_EXPR):
        *name = n->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST
                    ? "greatest"
                    : "least";
        return 1;
    default: return 0;
    }
}

/* An expression FigureColname() names "?column?". */
static int nameless(const PgQuery__Node *n)
{
    switch (n->node_case) {
    case NODE(A_CONST):
    case NODE(BOOL_EXPR):
    case NODE(NULL_TEST):
    case NODE(BOOLEAN_TEST): return 1;
    case NODE(A_EXPR):
        return n->a_expr->kind != PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF;
    default: return 0;
    }
}

/* The type of an output column, as CREATE TABLE AS gives it, for what
 * is plain: a column, a cast, a constant; "" otherwise. */
static char *output_type(const struct qwalk *w, const struct level *lv,
                         const PgQuery__Node *v)
{
    if (v && v->node_case == NODE(TYPE_CAST) && v->type_cast->type_name)
        return sem_type_text(w->a, v->type_cast->type_name);
    if (v && v->node_case == NODE(A_CONST) && !v->a_const->isnull)
        switch (v->a_const->val_case) {
        case PG_QUERY__A__CONST__VAL_IVAL: return xstrdup("integer");
        case PG_QUERY__A__CONST__VAL_FVAL: /* an integer too wide: bigint */
            return xstrdup(strpbrk(v->a_const->fval->fval, ".eE") ? "numeric"
                                                                  : "");
        case PG_QUERY__A__CONST__VAL_BOOLVAL: return xstrdup("boolean");
        case PG_QUERY__A__CONST__VAL_SVAL: return xstrdup("text");
        default: return xstrdup("");
        }
    const PgQuery__ColumnRef *c =
        v && v->node_case == NODE(COLUMN_REF) ? v->column_ref : NULL;
    const char *col = c && c->n_fields ? sem_str_of(c->fields[c->n_fields - 1])
                                       : NULL;
    const struct cat_column *found = NULL;
    if (col && c->n_fields == 2 && sem_str_of(c->fields[0])) {
        const struct entry *e = find_alias(lv, sem_str_of(c->fields[0]));
        found = e && known(e) ? catalog_column(e->rel, col) : NULL;
    } else if (col && c->n_fields == 1)
        for (size_t i = 0; i < lv->n && !found; i++)
            found = known(&lv->e[i]) ? catalog_column(lv->e[i].rel, col)
                                     : NULL;
    return xstrdup(found && found->type ? found->type : "");
}

static void add_type(const struct qwalk *w, char *type)
{
    if (w->types)
        cat_names_add(w->types, type);
    free(type);
}

/* The output column names of a simple query (its leftmost SELECT's
 * targets, * expanded), into out (their types into w->types); 0 when one
 * cannot be named for sure. */
static int output_columns(const struct qwalk *w, const struct level *lvp,
                          const PgQuery__SelectStmt *s, struct cat_names *out)
{
    const struct level lv = *lvp;
    for (size_t i = 0; i < s->n_target_list; i++) {
        const PgQuery__Node *n = s->target_list[i];
        if (n->node_case != NODE(RES_TARGET))
            return 0;
        const PgQuery__ResTarget *t = n->res_target;
        const char *name = t->name && *t->name ? t->name : NULL;
        const PgQuery__ColumnRef *c =
            t->val && t->val->node_case == NODE(COLUMN_REF)
                ? t->val->column_ref
                : NULL;
        if (!name && c && c->n_fields &&
            c->fields[c->n_fields - 1]->node_case == NODE(A_STAR)) {
            const struct entry *only = NULL;
            if (c->n_fields == 2 && sem_str_of(c->fields[0]))
                only = find_alias(&lv, sem_str_of(c->fields[0]));
            else if (c->n_fields != 1)
                return 0;
            for (size_t k = 0; k < lv.n; k++) {
                const struct entry *e = only ? only : &lv.e[k];
                if (!known(e))
                    return 0;
                for (size_t j = 0; j < e->rel->n_cols; j++) {
                    cat_names_add(out, e->rel->cols[j].name);
                    add_type(w, xstrdup(e->rel->cols[j].type
                                            ? e->rel->cols[j].type
                                            : ""));
                }
                if (only)
                    break;
            }
            if (c->n_fields == 2 && !only)
                return 0;
            continue;
        }
        if (!name && !sem_figure_colname(t->val, &name)) {
            if (!t->val || !nameless(t->val))
                return 0; /* a name PostgreSQL may choose: not guessed */
            name = "?column?";
        }
        cat_names_add(out, name);
        add_type(w, output_type(w, &lv, t->val));
    }
    return 1;
}

static void resolve_select(struct qwalk *w, const PgQuery__SelectStmt *s,
                           const struct level *outer, struct cat_names *out)
{
    if (!s)
        return;
    for (size_t i = 0; s->with_clause && i < s->with_clause->n_ctes; i++) {
        const PgQuery__Node *c = s->with_clause->ctes[i];
        if (c->node_case == NODE(COMMON_TABLE_EXPR) &&
            c->common_table_expr->ctequery &&
            c->common_table_expr->ctequery->node_case == NODE(SELECT_STMT))
            resolve_select(w, c->common_table_expr->ctequery->select_stmt,
                           outer, NULL);
    }
    if (s->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
        s->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED) {
        resolve_select(w, s->larg, outer, out);
        resolve_select(w, s->rarg, outer, NULL);
        return; /* its ORDER BY names output columns */
    }
    struct level lv = {.outer = outer};
    if (s->n_values_lists) {
        walk_list(w, &lv, s->values_lists, s->n_values_lists, 0);
        return; /* its columns: column1, ...: not followed */
    }
    for (size_t i = 0; i < s->n_from_clause; i++)
        add_from(w, &lv, s->from_clause[i]);
    for (size_t i = 0; i < s->n_target_list; i++)
        select_target(w, &lv, s->target_list[i]);
    walk_expr(w, &lv, s->where_clause, 0);
    walk_expr(w, &lv, s->having_clause, 0);
    walk_list(w, &lv, s->window_clause, s->n_window_clause, 1);
    walk_list(w, &lv, s->distinct_clause, s->n_distinct_clause, 1);
    walk_list(w, &lv, s->group_clause, s->n_group_clause, 1);
    walk_list(w, &lv, s->sort_clause, s->n_sort_clause, 1);
    walk_expr(w, &lv, s->limit_offset, 0);
    walk_expr(w, &lv, s->limit_count, 0);
    if (out && !output_columns(w, &lv, s, out)) {
        cat_names_free(out);
        if (w->types)
            cat_names_free(w->types);
    }
}

/* ---- entry points ------------------------------------------------------ */

void sem_deps_free(struct sem_deps *d)
{
    cat_names_free(&d->cols);
    cat_names_free(&d->rels);
}

void sem_query_resolve(struct sem *a, const PgQuery__Node *query,
                       struct sem_deps *deps, struct cat_names *out,
                       struct cat_names *types)
{
    if (!query || query->node_case != NODE(SELECT_STMT))
        return;
    struct qwalk w = {a, deps, types, 0};
    resolve_select(&w, query->select_stmt, NULL, out);
}

void sem_query_columns(struct sem *a, const PgQuery__Node *query, int quiet,
                       struct cat_names *out, struct cat_names *types)
{
    if (!query || query->node_case != NODE(SELECT_STMT))
        return;
    struct sem_deps deps = {0};
    struct qwalk w = {a, &deps, types, quiet};
    resolve_select(&w, query->select_stmt, NULL, out);
    sem_deps_free(&deps);
}

void sem_expr_resolve(struct sem *a, const PgQuery__Node *expr,
                      const struct sem_scope_rel *rels, size_t n,
                      struct sem_deps *deps)
{
    struct qwalk w = {a, deps, NULL, 0};
    struct level lv = {0};
    for (size_t i = 0; i < n; i++)
        add_entry(&lv, rels[i].alias, rels[i].rel);
    if (!n)
        lv.uncertain = 1;
    walk_expr(&w, &lv, expr, 0);
}

/* ---- INSERT, UPDATE, DELETE -------------------------------------------- */

static void resolve_ctes(struct qwalk *w, const PgQuery__WithClause *with)
{
    for (size_t i = 0; with && i < with->n_ctes; i++) {
        const PgQuery__Node *c = with->ctes[i];
        if (c->node_case == NODE(COMMON_TABLE_EXPR) &&
            c->common_table_expr->ctequery &&
            c->common_table_expr->ctequery->node_case == NODE(SELECT_STMT))
            resolve_select(w, c->common_table_expr->ctequery->select_stmt,
                           NULL, NULL);
    }
}

/* SET's right-hand sides (its targets are columns of the target, checked
 * apart). */
static void walk_set(struct qwalk *w, const struct level *lv,
                     PgQuery__Node *const *targets, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (targets[i]->node_case == NODE(RES_TARGET))
            walk_expr(w, lv, targets[i]->res_target->val, 0);
}

static void resolve_update(struct qwalk *w, const PgQuery__UpdateStmt *s)
{
    struct level lv = {0};
    resolve_ctes(w, s->with_clause);
    add_range_var(w, &lv, s->relation);
    for (size_t i = 0; i < s->n_from_clause; i++)
        add_from(w, &lv, s->from_clause[i]);
    walk_set(w, &lv, s->target_list, s->n_target_list);
    walk_expr(w, &lv, s->where_clause, 0);
    walk_list(w, &lv, s->returning_list, s->n_returning_list, 0);
}

static void resolve_delete(struct qwalk *w, const PgQuery__DeleteStmt *s)
{
    struct level lv = {0};
    resolve_ctes(w, s->with_clause);
    add_range_var(w, &lv, s->relation);
    for (size_t i = 0; i < s->n_using_clause; i++)
        add_from(w, &lv, s->using_clause[i]);
    walk_expr(w, &lv, s->where_clause, 0);
    walk_list(w, &lv, s->returning_list, s->n_returning_list, 0);
}

static void resolve_insert(struct qwalk *w, const PgQuery__InsertStmt *s)
{
    resolve_ctes(w, s->with_clause);
    if (s->select_stmt && s->select_stmt->node_case == NODE(SELECT_STMT))
        resolve_select(w, s->select_stmt->select_stmt, NULL, NULL);
    struct level lv = {0};
    add_range_var(w, &lv, s->relation);
    const PgQuery__OnConflictClause *c = s->on_conflict_clause;
    if (c && c->action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_UPDATE) {
        struct level ex = lv; /* DO UPDATE also sees EXCLUDED */
        add_entry(&ex, "excluded", lv.n ? lv.e[0].rel : NULL);
        walk_set(w, &ex, c->target_list, c->n_target_list);
        walk_expr(w, &ex, c->where_clause, 0);
    }
    walk_list(w, &lv, s->returning_list, s->n_returning_list, 0);
}

void sem_dml_resolve(struct sem *a, const PgQuery__Node *n)
{
    struct sem_deps deps = {0};
    /* a PL/pgSQL body's names may be its variables */
    struct qwalk w = {a, &deps, NULL, a->unseen && a->unseen->shift};
    switch (n->node_case) {
    case NODE(UPDATE_STMT): resolve_update(&w, n->update_stmt); break;
    case NODE(DELETE_STMT): resolve_delete(&w, n->delete_stmt); break;
    case NODE(INSERT_STMT): resolve_insert(&w, n->insert_stmt); break;
    default: break;
    }
    sem_deps_free(&deps);
}

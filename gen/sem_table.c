/* sem_table.c: the semantics of CREATE TABLE (its columns and
 * constraints), CREATE TABLE AS, views and CREATE INDEX; ALTER TABLE is in
 * sem_alter.c. */
#include "sem_int.h"

/* ---- statements: tables ------------------------------------------------ */

int sem_existing(const struct sem *a, const struct cat_object *o)
{
    return o && o->created.mig < a->mig;
}

void sem_note_altered(struct sem *a, struct cat_object *t)
{
    if (t && t->created.mig < a->mig && t->last_altered != a->mig) {
        t->n_altered++;
        t->last_altered = a->mig;
    }
}

/* Column names of a list of String nodes (or IndexElems). */
static size_t column_names(PgQuery__Node *const *items, size_t n,
                           const char **out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        const char *s = sem_str_of(items[i]);
        if (!s && items[i]->node_case == NODE(INDEX_ELEM)) {
            const PgQuery__IndexElem *e = items[i]->index_elem;
            s = e->name && *e->name                   ? e->name
                : e->indexcolname && *e->indexcolname ? e->indexcolname
                                                      : NULL;
            if (!s && !sem_figure_colname(e->expr, &s))
                s = NULL;
            if (!s)
                s = "expr"; /* numbered by the caller: expr, expr1, ... */
        }
        out[k++] = s ? s : "";
    }
    return k;
}

void sem_use_column(struct sem *a, struct cat_object *t, const char *col,
                    int32_t loc)
{
    if (!t || t->cols_unknown || !col || !*col || catalog_column(t, col) ||
        sem_is_opaque(a, col))
        return;
    sem_fire_unknown(a, loc, SEM_COLUMN, col, t);
}

/* The column names a CHECK or index expression refers to, for naming
 * and for unknown-column. */
static int collect_column_refs(void *ctx, const ProtobufCMessage *m)
{
    struct expr_cols *ec = ctx;
    if (!sem_is_msg(m, &pg_query__column_ref__descriptor))
        return 0;
    const PgQuery__ColumnRef *c = (const PgQuery__ColumnRef *)m;
    const char *name =
        c->n_fields ? sem_str_of(c->fields[c->n_fields - 1]) : NULL;
    if (!name)
        return 0;
    for (size_t i = 0; i < ec->n; i++)
        if (strcmp(ec->names[i], name) == 0)
            return 0;
    if (ec->n < sizeof ec->names / sizeof *ec->names)
        ec->names[ec->n++] = name;
    else
        ec->many = 1;
    return 0;
}

/* The columns expr names, into ec; each one checked against t. */
static void check_expr_columns(struct sem *a, struct cat_object *t,
                               const PgQuery__Node *expr, int32_t loc,
                               struct expr_cols *ec)
{
    *ec = (struct expr_cols){0};
    sem_walk(expr, collect_column_refs, ec);
    for (size_t i = 0; i < ec->n; i++)
        sem_use_column(a, t, ec->names[i], loc);
}

/* The columns an index or constraint depends on, so that DROP COLUMN
 * takes it with them. */
static struct cat_names column_list(const char *const *cols, size_t n)
{
    struct cat_names l = {0};
    for (size_t i = 0; i < n; i++)
        cat_names_add(&l, cols[i]);
    return l;
}

static struct cat_object *add_index_object(struct sem *a, const char *schema,
                                           const char *table, const char *name,
                                           int32_t loc, struct cat_names uses)
{
    struct cat_object *ix = catalog_add(a->cat, CAT_RELATION, schema, table,
                                        name, NULL, sem_site_at(a, loc));
    ix->relkind = CAT_REL_INDEX;
    ix->uses = uses;
    return ix;
}

/* A primary key or unique constraint of t made by this statement on the
 * same columns. */
static int same_key_exists(const struct sem *a, const struct cat_object *t,
                           const struct cat_names *uses)
{
    size_t n;
    struct cat_object **parts = catalog_parts(a->cat, t, &n);
    int found = 0;
    for (size_t i = 0; i < n && !found; i++) {
        const struct cat_object *k = parts[i];
        found = k->kind == CAT_CONSTRAINT &&
                (k->contype == 'p' || k->contype == 'u') &&
                cat_names_equal(&k->uses, uses) &&
                k->created.mig == a->mig && k->created.line >= a->stmt->line;
    }
    free(parts);
    return found;
}

/* The name of constraint c of t: as written, its USING INDEX's, or the
 * one PostgreSQL chooses. */
static char *constraint_name(struct sem *a, const struct cat_object *t,
                             const PgQuery__Constraint *c, char type,
                             const char *label, const char *const *cols,
                             size_t n)
{
    if (!(c->conname && *c->conname) && c->indexname && *c->indexname)
        return xstrdup(c->indexname); /* USING INDEX: the index's name */
    if (c->conname && *c->conname) {
        if (sem_is_opaque(a, c->conname))
            return xstrdup(c->conname);
        if (catalog_get(a->cat, CAT_CONSTRAINT, t->schema, t->name,
                        c->conname, NULL))
            sem_fire_duplicate(a, c->location,
                               (struct sem_duplicate){SEM_CONSTRAINT, NULL,
                                                      c->conname, NULL, t,
                                                      NULL});
        else if ((type == 'p' || type == 'u' || type == 'x') &&
                 !(c->indexname && strcmp(c->indexname, c->conname) == 0)) {
            /* its index takes the constraint's name among the schema's
             * relations: "relation ... already exists" */
            const struct cat_object *o = catalog_get(
                a->cat, CAT_RELATION, t->schema, NULL, c->conname, NULL);
            if (!o)
                o = catalog_get(a->cat, CAT_TYPE, t->schema, NULL,
                                c->conname, NULL);
            if (o)
                sem_fire_duplicate(
                    a, c->location,
                    (struct sem_duplicate){SEM_RELATION, t->schema,
                                           c->conname, NULL, NULL, o});
        }
        return xstrdup(c->conname);
    }
    char *add = type == 'p' ? NULL : sem_name_addition(cols, n);
    char *name =
        sem_choose_name(a, t->schema, t->name, add && *add ? add : NULL,
                        label, type != 'p' && type != 'u' && type != 'x');
    free(add);
    return name;
}

/* Add constraint c of t, named name, to the catalog. */
static struct cat_object *record_constraint(struct sem *a, struct cat_object *t,
                              const PgQuery__Constraint *c, const char *name,
                              char type, const struct cat_names *uses,
                              int in_create)
{
    struct cat_object *k =
        catalog_add(a->cat, CAT_CONSTRAINT, t->schema, t->name, name, NULL,
                    sem_site_at(a, c->location));
    k->contype = type;
    cat_names_copy(&k->uses, uses);
    if (type == 'c') /* the functions it calls */
        sem_expr_uses(a, c->raw_expr, &k->reads);
    if (c->contype == CONSTR(FOREIGN) && c->pktable) {
        struct qname rq = sem_qname_rv(c->pktable);
        const struct cat_object *rt = sem_find_relation(a, rq);
        const char *rn[32];
        size_t nr = column_names(c->pk_attrs, c->n_pk_attrs, rn, 32);
        k->ref_schema = xstrdup(rt ? rt->schema : sem_target_schema(a, rq));
        k->ref_table = xstrdup(rq.name);
        for (size_t i = 0; i < nr; i++)
            cat_names_add(&k->ref_cols, rn[i]);
    }
    sem_fire_change(a, SEM_CONSTRAINT_ADDED, c->location,
                    (struct sem_change){.table = t,
                                        .name = name,
                                        .constraint = c,
                                        .in_create = in_create});
    if (type == 'f' && c->pktable) {
        const struct cat_object *ref =
            sem_find_relation(a, sem_qname_rv(c->pktable));
        if (ref) /* for DROP TABLE ... CASCADE */
            k->ref_added = xasprintf("%s.%s", ref->schema, ref->name);
    }
    if (c->skip_validation)
        k->flags |= CAT_NOT_VALID;
    if (c->is_no_inherit)
        k->flags |= CAT_NO_INHERIT;
    return k;
}

/* A generated column's expression: the columns it uses must exist, and
 * are not dropped or retyped while it does. */
static void generated_uses(struct sem *a, struct cat_object *t,
                           const char *col, const PgQuery__Constraint *c)
{
    struct expr_cols ec;
    check_expr_columns(a, t, c->raw_expr, c->location, &ec);
    struct cat_column *gc = catalog_column(t, col);
    if (!gc || ec.many)
        return;
    cat_names_free(&gc->gen_uses);
    gc->gen_uses = column_list(ec.names, ec.n);
}

/* A table constraint (or a column's, col set) applied to table t. */
void sem_add_constraint(struct sem *a, struct cat_object *t,
                           const PgQuery__Constraint *c, const char *col,
                           int in_create)
{
    const char *label = NULL;
    char type = 0;
    const char *cols[32];
    size_t n = 0;
    if (c->raw_expr) /* DEFAULT, CHECK, GENERATED: functions, types */
        sem_refs(a, c->raw_expr, NULL, NULL, NULL);
    switch (c->contype) {
    case CONSTR(PRIMARY): label = "pkey"; type = 'p'; break;
    case CONSTR(UNIQUE): label = "key"; type = 'u'; break;
    case CONSTR(EXCLUSION): label = "excl"; type = 'x'; break;
    case CONSTR(FOREIGN): label = "fkey"; type = 'f'; break;
    case CONSTR(CHECK): label = "check"; type = 'c'; break;
    case CONSTR(GENERATED):
        if (col && c->raw_expr)
            generated_uses(a, t, col, c);
        return;
    default: return;
    }
    if (c->contype == CONSTR(PRIMARY) || c->contype == CONSTR(UNIQUE))
        n = column_names(c->keys, c->n_keys, cols, 32);
    else if (c->contype == CONSTR(FOREIGN))
        n = column_names(c->fk_attrs, c->n_fk_attrs, cols, 32);
    else if (c->contype == CONSTR(EXCLUSION))
        for (size_t i = 0; i < c->n_exclusions && n < 32; i++) {
            const PgQuery__Node *pair = c->exclusions[i];
            if (pair->node_case == NODE(LIST) && pair->list->n_items)
                n += column_names(pair->list->items, 1, cols + n, 1);
        }
    if (col && n == 0 && c->contype != CONSTR(CHECK))
        cols[n++] = col;
    for (size_t i = 0; i < n; i++)
        sem_use_column(a, t, cols[i], c->location);
    struct cat_names uses = {0};
    if (c->contype == CONSTR(CHECK)) {
        struct expr_cols ec;
        check_expr_columns(a, t, c->raw_expr, c->location, &ec);
        uses = column_list(ec.names, ec.n);
        if (col)
            ec.n = 1, ec.names[0] = col;
        n = !ec.many && ec.n == 1 ? 1 : 0;
        if (n)
            cols[0] = ec.names[0];
    } else
        uses = column_list(cols, n);
    if (in_create && (type == 'u' || type == 'p') &&
        same_key_exists(a, t, &uses)) {
        /* transformIndexConstraints() drops a key that repeats another */
        cat_names_free(&uses);
        return;
    }
    if (c->contype == CONSTR(FOREIGN) && c->pktable) {
        struct cat_object *ref = sem_use_relation(a, sem_qname_rv(c->pktable),
                                                  c->pktable->location, 0);
        for (size_t i = 0; ref && i < c->n_pk_attrs; i++)
            sem_use_column(a, ref, sem_str_of(c->pk_attrs[i]),
                           c->pktable->location);
    }
    char *name = constraint_name(a, t, c, type, label, cols, n);
    if (!catalog_get(a->cat, CAT_CONSTRAINT, t->schema, t->name, name,
                     NULL)) {
        struct cat_object *k =
            record_constraint(a, t, c, name, type, &uses, in_create);
        sem_inherit_check(a, t, k); /* a CHECK reaches t's children */
    }
    if ((type == 'p' || type == 'u' || type == 'x') &&
        !(c->indexname && *c->indexname) &&
        !catalog_get(a->cat, CAT_RELATION, t->schema, NULL, name, NULL)) {
        struct cat_names ix_uses = {0};
        cat_names_copy(&ix_uses, &uses);
        struct cat_object *ix = add_index_object(a, t->schema, t->name, name,
                                                 c->location, ix_uses);
        if (type != 'x')
            ix->flags |= CAT_UNIQUE;
        for (size_t i = 0; i < n; i++)
            cat_names_add(&ix->idx_cols, cols[i]);
        sem_partition_index(a, t, ix); /* and every partition's */
    }
    if (c->indexname && *c->indexname) {
        /* ADD CONSTRAINT ... USING INDEX renames the index to the
         * constraint's name */
        struct cat_object *ix = catalog_get(a->cat, CAT_RELATION, t->schema,
                                            NULL, c->indexname, NULL);
        if (ix && strcmp(ix->name, name) != 0)
            catalog_rename(a->cat, ix, NULL, name);
    }
    if (type == 'p')
        for (size_t i = 0; i < n; i++) {
            struct cat_column *cc = catalog_column(t, cols[i]);
            if (cc)
                cc->not_null = 1;
        }
    cat_names_free(&uses);
    free(name);
}

static const char *const volatile_builtins[] = {
    "clock_timestamp", "gen_random_uuid", "nextval", "random",
    "timeofday", "txid_current", "uuid_generate_v1", "uuid_generate_v1mc",
    "uuid_generate_v4",
};

/* A walk for a call of a volatile function. */
/* Whether expr calls a volatile built-in (a default that must be computed
 * row by row: ADD COLUMN then rewrites the table). */
struct volatile_walk {
    struct sem *a;
    int found;
};

static int find_volatile(void *ctx, const ProtobufCMessage *m)
{
    struct volatile_walk *w = ctx;
    if (!sem_is_msg(m, &pg_query__func_call__descriptor))
        return 0;
    const PgQuery__FuncCall *f = (const PgQuery__FuncCall *)m;
    struct qname q = sem_qname_of(f->funcname, f->n_funcname);
    for (size_t i = 0; i < sizeof volatile_builtins / sizeof *volatile_builtins;
         i++)
        if (strcmp(q.name, volatile_builtins[i]) == 0)
            w->found = 1;
    struct cat_object *fn = sem_find_function(w->a, q);
    if (fn && !(fn->flags & CAT_NOT_VOLATILE))
        w->found = 1;
    return 0;
}

int sem_calls_volatile(struct sem *a, const PgQuery__Node *expr)
{
    struct volatile_walk w = {a, 0};
    sem_walk(expr, find_volatile, &w);
    return w.found;
}

/* A column definition: its type, nullability, default, and the
 * constraints written on it. */
struct coldef_info sem_coldef_info(const PgQuery__ColumnDef *cd)
{
    struct coldef_info i = {.not_null = cd->is_not_null,
                            .serial = sem_is_serial(cd->type_name)};
    i.has_default = cd->raw_default != NULL || i.serial;
    i.default_expr = cd->raw_default;
    for (size_t k = 0; k < cd->n_constraints; k++) {
        const PgQuery__Node *n = cd->constraints[k];
        if (n->node_case != NODE(CONSTRAINT))
            continue;
        const PgQuery__Constraint *c = n->constraint;
        switch (c->contype) {
        case CONSTR(NOTNULL):
        case CONSTR(PRIMARY): i.not_null = 1; break;
        case CONSTR(DEFAULT):
            /* DEFAULT NULL fills nothing in */
            i.has_default = !(c->raw_expr &&
                              c->raw_expr->node_case == NODE(A_CONST) &&
                              c->raw_expr->a_const->isnull);
            i.default_expr = c->raw_expr;
            break;
        case CONSTR(IDENTITY):
            i.identity = 1;
            i.not_null = 1;
            i.has_default = 1;
            break;
        case CONSTR(GENERATED): i.generated = 1; i.has_default = 1; break;
        default: break;
        }
    }
    if (i.serial)
        i.not_null = 1;
    return i;
}

/* An identity's SEQUENCE NAME option, or NULL. */
static const PgQuery__Node *sequence_name_option(const PgQuery__Constraint *c)
{
    for (size_t i = 0; c && i < c->n_options; i++) {
        const PgQuery__Node *o = c->options[i];
        if (o->node_case == NODE(DEF_ELEM) && o->def_elem->defname &&
            strcmp(o->def_elem->defname, "sequence_name") == 0 &&
            o->def_elem->arg && o->def_elem->arg->node_case == NODE(LIST))
            return o->def_elem->arg;
    }
    return NULL;
}

/* An owned sequence (serial or identity column): t_col_seq, or the name
 * an identity's SEQUENCE NAME option gives (identity NULL: none). */
struct cat_object *sem_add_owned_sequence(struct sem *a,
                                             struct cat_object *t,
                                             const char *col, int32_t loc,
                                             const PgQuery__Constraint *identity)
{
    const PgQuery__Node *opt = sequence_name_option(identity);
    struct qname q = {0};
    if (opt)
        q = sem_qname_of(opt->list->items, opt->list->n_items);
    const char *schema = q.schema ? q.schema : t->schema;
    char *name = q.name ? xstrdup(q.name)
                        : sem_choose_name(a, t->schema, t->name, col, "seq", 0);
    if (q.name && sem_relation_name_taken(a, schema, name)) {
        if (!sem_is_opaque(a, name))
            sem_fire_duplicate(a, loc,
                               (struct sem_duplicate){
                                   SEM_RELATION, schema, name, NULL, NULL,
                                   catalog_get(a->cat, CAT_RELATION, schema,
                                               NULL, name, NULL)});
        free(name);
        return NULL;
    }
    struct cat_object *s = catalog_add(a->cat, CAT_RELATION, schema, t->name,
                                       name, NULL, sem_site_at(a, loc));
    s->relkind = CAT_REL_SEQUENCE;
    cat_names_add(&s->uses, col);
    free(name);
    return s;
}

static void column_constraints(struct sem *a, struct cat_object *t,
                               const PgQuery__ColumnDef *cd, int in_create)
{
    for (size_t k = 0; k < cd->n_constraints; k++)
        if (cd->constraints[k]->node_case == NODE(CONSTRAINT))
            sem_add_constraint(a, t, cd->constraints[k]->constraint, cd->colname,
                           in_create);
}

void sem_add_column_def(struct sem *a, struct cat_object *t,
                           const PgQuery__ColumnDef *cd, int in_create)
{
    sem_use_type(a, cd->type_name);
    struct coldef_info ci = sem_coldef_info(cd);
    char *type = sem_type_text(a, cd->type_name);
    struct cat_column *col =
        catalog_add_column(t, cd->colname, type, sem_site_at(a, cd->location));
    free(type);
    col->not_null = ci.not_null;
    col->has_default = ci.has_default;
    col->generated = ci.identity || ci.generated;
    col->identity = ci.identity;
    const PgQuery__Constraint *identity = NULL;
    for (size_t k = 0; k < cd->n_constraints; k++)
        if (cd->constraints[k]->node_case == NODE(CONSTRAINT) &&
            cd->constraints[k]->constraint->contype == CONSTR(IDENTITY))
            identity = cd->constraints[k]->constraint;
    struct cat_object *seq =
        ci.serial || ci.identity
            ? sem_add_owned_sequence(a, t, cd->colname, cd->location, identity)
            : NULL;
    sem_coldef_uses(a, col, cd, ci.serial ? seq : NULL);
    if (!in_create) /* CREATE TABLE adds them once every column is there */
        column_constraints(a, t, cd, 0);
    if (cd->raw_default)
        sem_refs(a, cd->raw_default, NULL, NULL, NULL);
}

int sem_duplicate_relation(struct sem *a, struct qname q, const char *schema,
                           int if_not_exists, int32_t loc)
{
    struct cat_object *o =
        catalog_get(a->cat, CAT_RELATION, schema, NULL, q.name, NULL);
    if (!o && strcmp(schema, "pg_temp") != 0)
        o = catalog_get(a->cat, CAT_TYPE, schema, NULL, q.name, NULL);
    if (!o)
        return 0;
    if (!if_not_exists && !sem_is_opaque(a, q.name))
        sem_fire_duplicate(a, loc,
                           (struct sem_duplicate){SEM_RELATION, schema, q.name,
                                                  NULL, NULL, o});
    return 1;
}

static struct cat_object *create_table(struct sem *a,
                                       const PgQuery__CreateStmt *s,
                                       enum cat_relkind relkind)
{
    struct qname q = sem_qname_rv(s->relation);
    sem_touch(a, q, s->relation->location);
    const char *schema = sem_target_schema(a, q);
    if (sem_duplicate_relation(a, q, schema, s->if_not_exists,
                               s->relation->location))
        return NULL;
    struct cat_object *t =
        catalog_add(a->cat, CAT_RELATION, schema, NULL, q.name, NULL,
                    sem_site_at(a, s->relation->location));
    t->relkind = relkind;
    if (s->partspec)
        t->flags |= CAT_PARTITIONED;
    for (size_t i = 0; i < s->n_inh_relations; i++) {
        const PgQuery__Node *n = s->inh_relations[i];
        if (n->node_case != NODE(RANGE_VAR))
            continue;
        struct cat_object *p = sem_use_relation(a, sem_qname_rv(n->range_var),
                                                n->range_var->location, 0);
        if (p)
            sem_copy_columns(a, t, p, n->range_var->location, 1);
        else
            t->cols_unknown = 1;
    }
    if (s->of_typename) {
        sem_use_type(a, s->of_typename);
        struct qname tq =
            sem_qname_of(s->of_typename->names, s->of_typename->n_names);
        struct cat_object *ty = sem_find_in_path(a, CAT_TYPE, tq);
        if (ty)
            sem_copy_columns(a, t, ty, s->of_typename->location, 0);
        else
            t->cols_unknown = 1;
    }
    for (size_t i = 0; i < s->n_table_elts; i++) {
        const PgQuery__Node *n = s->table_elts[i];
        if (n->node_case == NODE(COLUMN_DEF)) {
            const PgQuery__ColumnDef *cd = n->column_def;
            struct cat_column *have = catalog_column(t, cd->colname);
            if (have) { /* a partition's or child's column options */
                struct coldef_info ci = sem_coldef_info(cd);
                have->not_null |= ci.not_null;
                have->inherited = s->partbound != NULL; /* else merged */
                continue;
            }
            sem_add_column_def(a, t, cd, 1);
        } else if (n->node_case == NODE(TABLE_LIKE_CLAUSE)) {
            const PgQuery__RangeVar *rv = n->table_like_clause->relation;
            struct cat_object *src =
                sem_use_relation(a, sem_qname_rv(rv), rv->location, 0);
            if (src) {
                sem_copy_columns(a, t, src, rv->location, 0);
                sem_like_columns(a, t, src, n->table_like_clause->options);
            } else
                t->cols_unknown = 1;
        }
    }
    for (size_t i = 0; i < s->n_table_elts; i++)
        if (s->table_elts[i]->node_case == NODE(COLUMN_DEF))
            column_constraints(a, t, s->table_elts[i]->column_def, 1);
    for (size_t i = 0; i < s->n_table_elts; i++)
        if (s->table_elts[i]->node_case == NODE(CONSTRAINT))
            sem_add_constraint(a, t, s->table_elts[i]->constraint, NULL, 1);
    for (size_t i = 0; i < s->n_constraints; i++)
        if (s->constraints[i]->node_case == NODE(CONSTRAINT))
            sem_add_constraint(a, t, s->constraints[i]->constraint, NULL, 1);
    sem_inherit_create(a, t, s);
    return t;
}

void sem_stmt_create_table(struct sem *a, const PgQuery__CreateStmt *s,
                           enum cat_relkind relkind)
{
    create_table(a, s, relkind);
    /* Only what is left: expressions in defaults and partition bounds. */
    if (s->partbound)
        sem_refs(a, s->partbound, NULL, NULL, NULL);
}

void sem_stmt_create_table_as(struct sem *a,
                              const PgQuery__CreateTableAsStmt *s)
{
    struct qname q = sem_qname_rv(s->into->rel);
    const char *schema = sem_target_schema(a, q);
    sem_refs(a, s->query, NULL, NULL, NULL);
    if (sem_duplicate_relation(a, q, schema, s->if_not_exists,
                               s->into->rel->location)) {
        sem_view_deps(a, NULL, s->query, NULL, 0);
        return;
    }
    struct cat_object *t =
        catalog_add(a->cat, CAT_RELATION, schema, NULL, q.name, NULL,
                    sem_site_at(a, s->into->rel->location));
    t->relkind = s->objtype == OBJ(MATVIEW) ? CAT_REL_MATVIEW : CAT_REL_TABLE;
    /* a materialized view's columns and what it uses are known; a
     * table's columns are the query's, and it depends on nothing */
    if (t->relkind == CAT_REL_MATVIEW)
        sem_view_deps(a, t, s->query, s->into->col_names,
                      s->into->n_col_names);
    else
        sem_table_as_columns(a, t, s->query, 0, s->into->col_names,
                             s->into->n_col_names);
}

void sem_table_as_columns(struct sem *a, struct cat_object *t,
                          const PgQuery__Node *query, int quiet,
                          PgQuery__Node *const *aliases, size_t n_aliases)
{
    struct cat_names out = {0}, types = {0};
    sem_query_columns(a, query, quiet, &out, &types);
    t->cols_unknown = out.n == 0 || n_aliases > out.n || types.n != out.n;
    for (size_t i = 0; !t->cols_unknown && i < out.n; i++) {
        const char *name = i < n_aliases && sem_str_of(aliases[i])
                               ? sem_str_of(aliases[i])
                               : out.items[i];
        if (catalog_column(t, name)) { /* PostgreSQL refuses it */
            t->cols_unknown = 1;
            break;
        }
        catalog_add_column(t, name, *types.items[i] ? types.items[i] : NULL,
                           t->created);
    }
    cat_names_free(&out);
    cat_names_free(&types);
}

void sem_stmt_view(struct sem *a, const PgQuery__ViewStmt *s)
{
    struct qname q = sem_qname_rv(s->view);
    const char *schema = sem_target_schema(a, q);
    sem_refs(a, s->query, NULL, NULL, NULL);
    struct cat_object *v =
        catalog_get(a->cat, CAT_RELATION, schema, NULL, q.name, NULL);
    if (!(v && s->replace)) {
        if (sem_duplicate_relation(a, q, schema, 0, s->view->location)) {
            sem_view_deps(a, NULL, s->query, NULL, 0);
            return;
        }
        v = catalog_add(a->cat, CAT_RELATION, schema, NULL, q.name, NULL,
                        sem_site_at(a, s->view->location));
        v->relkind = CAT_REL_VIEW;
    }
    sem_view_deps(a, v, s->query, s->aliases, s->n_aliases);
}

void sem_stmt_index(struct sem *a, const PgQuery__IndexStmt *s)
{
    struct qname q = sem_qname_rv(s->relation);
    struct cat_object *t = sem_use_relation(a, q, s->relation->location, 0);
    const char *schema = t ? t->schema : sem_target_schema(a, q);
    const char *cols[64];
    size_t n = column_names(s->index_params, s->n_index_params, cols, 32);
    n += column_names(s->index_including_params, s->n_index_including_params,
                      cols + n, 32);
    const char *used[64];
    size_t n_used = 0;
    for (size_t i = 0; i < s->n_index_params; i++) {
        const PgQuery__Node *p = s->index_params[i];
        if (p->node_case != NODE(INDEX_ELEM))
            continue;
        if (p->index_elem->name && *p->index_elem->name) {
            sem_use_column(a, t, p->index_elem->name, s->relation->location);
            if (n_used < 64)
                used[n_used++] = p->index_elem->name;
        } else if (p->index_elem->expr) {
            struct expr_cols ec;
            check_expr_columns(a, t, p->index_elem->expr,
                               s->relation->location, &ec);
            for (size_t k = 0; k < ec.n && n_used < 64; k++)
                used[n_used++] = ec.names[k];
        }
    }
    if (s->where_clause) {
        struct expr_cols ec;
        check_expr_columns(a, t, s->where_clause, s->relation->location,
                           &ec);
        for (size_t k = 0; k < ec.n && n_used < 64; k++)
            used[n_used++] = ec.names[k];
    }
    sem_refs(a, s, s->relation, NULL, NULL);
    if (t)
        sem_fire_change(
            a, SEM_CREATE_INDEX, s->relation->location,
            (struct sem_change){.table = t, .concurrent = s->concurrent});
    if (!t && !sem_relation_provided(a, q))
        return;
    /* ChooseIndexColumnNames() makes expression names unique: expr,
     * expr1, ... (pg_attribute's names for the index) */
    char *idx_cols[64] = {0};
    unsigned nexpr = 0;
    for (size_t i = 0; i < n; i++)
        idx_cols[i] = strcmp(cols[i], "expr") == 0 && nexpr++
                          ? xasprintf("expr%u", nexpr - 1)
                          : xstrdup(cols[i]);
    char *name;
    if (s->idxname && *s->idxname) {
        name = xstrdup(s->idxname);
        if (sem_relation_name_taken(a, schema, name)) {
            if (!s->if_not_exists && !sem_is_opaque(a, name))
                sem_fire_duplicate(a, s->relation->location,
                                   (struct sem_duplicate){SEM_INDEX, schema,
                                                          name, NULL, NULL,
                                                          NULL});
            free(name);
            for (size_t i = 0; i < n; i++)
                free(idx_cols[i]);
            return;
        }
    } else {
        char *add = sem_name_addition((const char *const *)idx_cols, n);
        name = sem_choose_name(a, schema, q.name, add, "idx", 0);
        free(add);
    }
    struct cat_object *ix =
        add_index_object(a, schema, t ? t->name : q.name, name,
                         s->relation->location, column_list(used, n_used));
    sem_expr_uses(a, s, &ix->reads); /* the functions its expressions call */
    if (s->unique)
        ix->flags |= CAT_UNIQUE;
    for (size_t i = 0; i < n; i++)
        cat_names_add(&ix->idx_cols, idx_cols[i]);
    for (size_t i = 0; i < n; i++)
        free(idx_cols[i]);
    if (t && s->relation->inh) /* on a partitioned table: every partition */
        sem_partition_index(a, t, ix);
    free(name);
}

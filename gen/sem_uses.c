/* sem_uses.c: the functions and sequences an expression uses, as
 * pg_depend records them (a column default's nextval('s'), a trigger's
 * function, a CHECK's, an index's or a view's calls), and DROP FUNCTION
 * and DROP SEQUENCE, refused while something uses them. */
#include "sem_int.h"

char *sem_function_key(const struct cat_object *f)
{
    return xasprintf("%s.%s%s", f->schema, f->name, f->args ? f->args : "()");
}

static void add_key(struct cat_names *l, char *key)
{
    if (!cat_names_has(l, key))
        cat_names_add(l, key);
    free(key);
}

/* The function a call names, when migc is sure which one: the only one
 * of that name the search path reaches (or in the schema named), and no
 * built-in of that name (pg_catalog comes first). */
static const struct cat_object *called_function(const struct sem *a,
                                                struct qname q)
{
    if (!q.name || (!q.schema && builtin_function(q.name)) ||
        sem_is_opaque(a, q.name))
        return NULL;
    size_t n = 0;
    if (q.schema)
        n = catalog_functions_named(a->cat, q.schema, q.name);
    else
        for (size_t i = 0; i < a->n_path; i++)
            n += catalog_functions_named(a->cat, a->path[i], q.name);
    return n == 1 ? sem_find_function(a, q) : NULL;
}

/* 's' or 'schema.s' read as a regclass: the sequence it names. */
static void sequence_literal(const struct sem *a, const char *text,
                             struct cat_names *out)
{
    if (!text || strchr(text, '"'))
        return;
    char *s = xstrdup(text);
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a'); /* an unquoted name */
    struct qname q = {NULL, s};
    char *dot = strchr(s, '.');
    if (dot) {
        *dot = '\0';
        q.schema = s;
        q.name = dot + 1;
    }
    const struct cat_object *r =
        strchr(q.name, '.') ? NULL : sem_find_relation(a, q);
    if (r && r->relkind == CAT_REL_SEQUENCE)
        add_key(out, xasprintf("%s.%s", r->schema, r->name));
    free(s);
}

static const char *string_const(const PgQuery__Node *n)
{
    return n && n->node_case == NODE(A_CONST) &&
                   n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL
               ? n->a_const->sval->sval
               : NULL;
}

struct uses_walk {
    const struct sem *a;
    struct cat_names *out;
};

static int visit_uses(void *ctx, const ProtobufCMessage *m)
{
    struct uses_walk *w = ctx;
    if (sem_is_msg(m, &pg_query__func_call__descriptor)) {
        const PgQuery__FuncCall *f = (const PgQuery__FuncCall *)m;
        struct qname q = sem_qname_of(f->funcname, f->n_funcname);
        int catalog_schema = !q.schema || strcmp(q.schema, "pg_catalog") == 0;
        /* an untyped literal argument is a regclass ('s'::text is not) */
        if (catalog_schema && f->n_args &&
            (strcmp(q.name, "nextval") == 0 ||
             strcmp(q.name, "currval") == 0 || strcmp(q.name, "setval") == 0))
            sequence_literal(w->a, string_const(f->args[0]), w->out);
        const struct cat_object *fn = called_function(w->a, q);
        if (fn)
            add_key(w->out, sem_function_key(fn));
    } else if (sem_is_msg(m, &pg_query__type_cast__descriptor)) {
        const PgQuery__TypeCast *c = (const PgQuery__TypeCast *)m;
        const char *b = c->type_name ? sem_type_base(c->type_name) : NULL;
        if (b && strcmp(b, "regclass") == 0)
            sequence_literal(w->a, string_const(c->arg), w->out);
    }
    return 0;
}

void sem_expr_uses(const struct sem *a, const void *expr,
                   struct cat_names *out)
{
    struct uses_walk w = {a, out};
    if (expr)
        sem_walk(expr, visit_uses, &w);
}

void sem_default_uses(const struct sem *a, struct cat_column *col,
                      const PgQuery__Node *expr)
{
    cat_names_free(&col->def_reads);
    sem_expr_uses(a, expr, &col->def_reads);
}

/* A column definition's DEFAULT or GENERATED expression; serial: the
 * sequence its default's nextval() reads. */
void sem_coldef_uses(const struct sem *a, struct cat_column *col,
                     const PgQuery__ColumnDef *cd,
                     const struct cat_object *serial)
{
    sem_default_uses(a, col, cd->raw_default);
    for (size_t k = 0; k < cd->n_constraints; k++) {
        const PgQuery__Node *n = cd->constraints[k];
        if (n->node_case == NODE(CONSTRAINT) &&
            (n->constraint->contype == CONSTR(DEFAULT) ||
             n->constraint->contype == CONSTR(GENERATED)))
            sem_expr_uses(a, n->constraint->raw_expr, &col->def_reads);
    }
    if (serial)
        add_key(&col->def_reads,
                xasprintf("%s.%s", serial->schema, serial->name));
}

void sem_trigger_function(const struct sem *a, struct cat_object *trigger,
                          PgQuery__Node *const *names, size_t n)
{
    const struct cat_object *fn = called_function(a, sem_qname_of(names, n));
    if (fn)
        add_key(&trigger->reads, sem_function_key(fn));
}

/* ---- DROP FUNCTION, DROP SEQUENCE -------------------------------------- */

/* An object other than o that uses key. */
static struct cat_object *object_user(const struct sem *a,
                                      const struct cat_object *o,
                                      const char *key)
{
    size_t n;
    struct cat_object **all = catalog_all(a->cat, &n), *found = NULL;
    for (size_t i = 0; i < n && !found; i++)
        if (all[i] != o && cat_names_has(&all[i]->reads, key))
            found = all[i];
    free(all);
    return found;
}

/* A column whose default or generation expression uses key (its table
 * into *table). */
static struct cat_column *default_user(const struct sem *a, const char *key,
                                       struct cat_object **table)
{
    size_t n;
    struct cat_object **all = catalog_all(a->cat, &n);
    struct cat_column *found = NULL;
    for (size_t i = 0; i < n && !found; i++)
        for (size_t k = 0; k < all[i]->n_cols && !found; k++)
            if (cat_names_has(&all[i]->cols[k].def_reads, key)) {
                found = &all[i]->cols[k];
                *table = all[i];
            }
    free(all);
    return found;
}

/* CASCADE drops a default, and a generated column with its expression
 * (and what of its table uses that column). */
static void drop_default(struct sem *a, struct cat_object *t,
                         struct cat_column *col)
{
    if (!col->generated || col->identity) {
        col->has_default = 0;
        cat_names_free(&col->def_reads);
        return;
    }
    size_t n;
    struct cat_object **parts = catalog_parts(a->cat, t, &n);
    for (size_t i = 0; i < n; i++)
        if (cat_names_has(&parts[i]->uses, col->name) &&
            parts[i]->kind != CAT_RELATION)
            catalog_remove(a->cat, parts[i]);
    free(parts);
    catalog_drop_column(t, col);
}

static char *describe_default(const struct cat_object *t,
                              const struct cat_column *col)
{
    if (col->generated && !col->identity)
        return xasprintf("column %s of table %s.%s", col->name, t->schema,
                         t->name);
    return xasprintf("default value for column %s of table %s.%s", col->name,
                     t->schema, t->name);
}

/* DROP of o (a function or sequence) known as key: refused without
 * CASCADE while an object or a column default uses it (reported once,
 * unless reported already), then applied as with CASCADE. */
void sem_drop_users(struct sem *a, const struct cat_object *o, const char *key,
                    int cascade, int reported)
{
    for (;;) {
        struct cat_object *dep = object_user(a, o, key), *t = NULL;
        struct cat_column *col = dep ? NULL : default_user(a, key, &t);
        if (!dep && !col)
            return;
        if (!cascade && !reported && !a->blind) {
            char *text = dep ? sem_describe(dep) : describe_default(t, col);
            sem_fire(a, (struct sem_event){SEM_DEPENDENTS, -1,
                                           .u.dependents = {SEM_DEP_DROP, o,
                                                            NULL, text,
                                                            NULL}});
            free(text);
            reported = 1;
        }
        if (dep)
            sem_remove_dependent(a, dep, !cascade);
        else
            drop_default(a, t, col);
    }
}

static void rename_in(struct cat_names *l, const char *from, const char *to,
                      int prefix)
{
    if (prefix)
        cat_names_rename_prefix(l, from, to);
    else
        cat_names_rename(l, from, to);
}

/* What uses from (a relation's "schema.name", a function's
 * "schema.name(args)"; prefix: a schema's "schema.") now uses to: column
 * defaults, and with reads the objects' uses too. */
void sem_uses_rename(struct sem *a, const char *from, const char *to,
                     int prefix, int reads)
{
    size_t n;
    struct cat_object **all = catalog_all(a->cat, &n);
    for (size_t i = 0; i < n; i++) {
        if (reads)
            rename_in(&all[i]->reads, from, to, prefix);
        for (size_t k = 0; k < all[i]->n_cols; k++)
            rename_in(&all[i]->cols[k].def_reads, from, to, prefix);
    }
    free(all);
}

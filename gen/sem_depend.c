/* sem_depend.c: the dependencies PostgreSQL records in pg_depend between
 * catalog objects: what a DROP or ALTER COLUMN TYPE without CASCADE is
 * refused for (SEM_DEPENDENTS), what goes with CASCADE, and the names
 * they follow through renames. */
#include "sem_int.h"

static char *column_key(const struct cat_object *t, const char *col)
{
    return xasprintf("%s.%s.%s", t->schema, t->name, col);
}

static int is_table(const struct cat_object *o, const char *schema,
                    const char *name)
{
    return strcmp(o->schema, schema) == 0 && strcmp(o->name, name) == 0;
}

/* A foreign key's referenced columns hold col of t (none named: the
 * primary key's). */
static int references_column(const struct sem *a, const struct cat_object *k,
                             const struct cat_object *t, const char *col)
{
    if (k->kind != CAT_CONSTRAINT || k->contype != 'f' || !k->ref_table ||
        !k->ref_schema || strcmp(k->ref_schema, t->schema) != 0 ||
        strcmp(k->ref_table, t->name) != 0)
        return 0;
    if (k->table && strcmp(k->schema, t->schema) == 0 &&
        strcmp(k->table, t->name) == 0 && cat_names_has(&k->uses, col))
        return 0; /* its own column: it goes with the column */
    if (k->ref_cols.n)
        return cat_names_has(&k->ref_cols, col);
    size_t n;
    struct cat_object **parts = catalog_parts(a->cat, t, &n);
    int found = 0;
    for (size_t i = 0; i < n && !found; i++)
        found = parts[i]->kind == CAT_CONSTRAINT && parts[i]->contype == 'p' &&
                cat_names_has(&parts[i]->uses, col);
    free(parts);
    return found;
}

struct cat_object *sem_column_dependent(const struct sem *a,
                                        const struct cat_object *t,
                                        const char *col, int alter_type,
                                        const char **gen)
{
    *gen = NULL;
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->cols[i].name, col) != 0 &&
            cat_names_has(&t->cols[i].gen_uses, col)) {
            *gen = t->cols[i].name;
            return NULL;
        }
    char *key = column_key(t, col);
    size_t n;
    struct cat_object **all = catalog_all(a->cat, &n), *found = NULL;
    for (size_t i = 0; i < n && !found; i++)
        if (cat_names_has(&all[i]->col_reads, key) ||
            (!alter_type && references_column(a, all[i], t, col)))
            found = all[i];
    free(all);
    free(key);
    return found;
}

static const char *relkind_text(const struct cat_object *o)
{
    switch (o->relkind) {
    case CAT_REL_VIEW: return "view";
    case CAT_REL_MATVIEW: return "materialized view";
    case CAT_REL_INDEX: return "index";
    case CAT_REL_SEQUENCE: return "sequence";
    case CAT_REL_FOREIGN_TABLE: return "foreign table";
    default: return "table";
    }
}

/* How PostgreSQL's DETAIL names a dependent: "view public.v". */
char *sem_describe(const struct cat_object *o)
{
    switch (o->kind) {
    case CAT_RELATION:
        return xasprintf("%s %s.%s", relkind_text(o), o->schema, o->name);
    case CAT_POLICY:
        return xasprintf("policy %s on table %s.%s", o->name, o->schema,
                         o->table);
    case CAT_TRIGGER:
        return xasprintf("trigger %s on table %s.%s", o->name, o->schema,
                         o->table);
    case CAT_CONSTRAINT:
        return xasprintf("constraint %s on table %s.%s", o->name, o->schema,
                         o->table);
    default: return xasprintf("%s.%s", o->schema, o->name);
    }
}

/* ALTER COLUMN TYPE's refusal, by dependent. */
static const char *used_by(const struct cat_object *o)
{
    if (!o)
        return "a generated column";
    switch (o->kind) {
    case CAT_POLICY: return "a policy definition";
    case CAT_TRIGGER: return "a trigger definition";
    default: return "a view or rule";
    }
}

void sem_fire_dependents(struct sem *a, enum sem_dep_verb verb,
                         const struct cat_object *object, const char *column,
                         const struct cat_object *dep, const char *gen)
{
    char *text = dep ? sem_describe(dep)
                     : xasprintf("column %s of table %s.%s", gen,
                                 object->schema, object->name);
    sem_fire(a, (struct sem_event){SEM_DEPENDENTS, -1,
                                   .u.dependents = {verb, object, column, text,
                                                    used_by(dep)}});
    free(text);
}

void sem_alter_type_check(struct sem *a, const struct cat_object *t,
                          const char *col)
{
    const char *gen;
    struct cat_object *dep = sem_column_dependent(a, t, col, 1, &gen);
    if ((dep || gen) && !a->blind)
        sem_fire_dependents(a, SEM_DEP_ALTER_TYPE, t, col, dep, gen);
}

/* Remove dep, a view, policy, trigger or constraint that depends on what
 * a DROP ... CASCADE drops, and what depends on it. refused: the DROP
 * had no CASCADE, and PostgreSQL refuses it: the catalog goes on as with
 * CASCADE, unsure about the name (no second finding from one cause). */
void sem_remove_dependent(struct sem *a, struct cat_object *dep, int refused)
{
    if (refused)
        sem_words_scan(&a->opaque, dep->name);
    if (dep->kind == CAT_RELATION) {
        cat_names_free(&dep->reads); /* a cycle cannot find it again */
        cat_names_free(&dep->col_reads);
        sem_drop_dependents(a, dep, refused);
    }
    catalog_remove(a->cat, dep);
}

/* ---- renames ----------------------------------------------------------- */

/* The relation schema.name becomes new_schema.new_name (or a schema,
 * name NULL, becomes new_schema): dependencies follow it. */
void sem_deps_rename(struct sem *a, const char *schema, const char *name,
                     const char *new_schema, const char *new_name)
{
    char *from = name ? xasprintf("%s.%s", schema, name) : xstrdup(schema);
    char *to = name ? xasprintf("%s.%s", new_schema, new_name)
                    : xstrdup(new_schema);
    char *from_dot = xasprintf("%s.", from), *to_dot = xasprintf("%s.", to);
    size_t n;
    struct cat_object **all = catalog_all(a->cat, &n);
    for (size_t i = 0; i < n; i++) {
        struct cat_object *o = all[i];
        if (name)
            cat_names_rename(&o->reads, from, to);
        else
            cat_names_rename_prefix(&o->reads, from_dot, to_dot);
        cat_names_rename_prefix(&o->col_reads, from_dot, to_dot);
    }
    free(all);
    if (name) /* column defaults' nextval('s') */
        sem_uses_rename(a, from, to, 0, 0);
    else
        sem_uses_rename(a, from_dot, to_dot, 1, 0);
    free(from);
    free(to);
    free(from_dot);
    free(to_dot);
}

/* Column col of t becomes newname: what uses it follows. */
void sem_deps_rename_column(struct sem *a, struct cat_object *t,
                            const char *col, const char *newname)
{
    char *from = column_key(t, col), *to = column_key(t, newname);
    size_t n;
    struct cat_object **all = catalog_all(a->cat, &n);
    for (size_t i = 0; i < n; i++) {
        cat_names_rename(&all[i]->col_reads, from, to);
        if (all[i]->kind == CAT_CONSTRAINT && all[i]->contype == 'f' &&
            all[i]->ref_schema && all[i]->ref_table &&
            is_table(t, all[i]->ref_schema, all[i]->ref_table))
            cat_names_rename(&all[i]->ref_cols, col, newname);
    }
    free(all);
    for (size_t i = 0; i < t->n_cols; i++)
        cat_names_rename(&t->cols[i].gen_uses, col, newname);
    free(from);
    free(to);
}

/* ---- recording --------------------------------------------------------- */

static void keep_deps(struct cat_object *o, struct sem_deps *d)
{
    cat_names_free(&o->col_reads);
    cat_names_free(&o->reads);
    o->col_reads = d->cols;
    o->reads = d->rels;
    *d = (struct sem_deps){0};
}

/* A policy's USING and WITH CHECK see its table under its name. */
void sem_policy_deps(struct sem *a, struct cat_object *t,
                     struct cat_object *policy, const PgQuery__Node *qual,
                     const PgQuery__Node *with_check)
{
    struct sem_scope_rel rel = {t->name, t};
    struct sem_deps d = {0};
    if (qual)
        sem_expr_resolve(a, qual, &rel, 1, &d);
    if (with_check)
        sem_expr_resolve(a, with_check, &rel, 1, &d);
    if (policy) {
        keep_deps(policy, &d);
        sem_expr_uses(a, qual, &policy->reads);
        sem_expr_uses(a, with_check, &policy->reads);
    }
    sem_deps_free(&d);
}

/* A trigger's WHEN sees its table as OLD and NEW only. */
void sem_trigger_deps(struct sem *a, struct cat_object *t,
                      struct cat_object *trigger, const PgQuery__Node *when,
                      PgQuery__Node *const *func, size_t n_func)
{
    if (!when) {
        sem_trigger_function(a, trigger, func, n_func);
        return;
    }
    /* the third entry keeps an unqualified name from being reported:
     * PostgreSQL words that one otherwise */
    struct sem_scope_rel rels[3] = {{"new", t}, {"old", t}, {NULL, NULL}};
    struct sem_deps d = {0};
    sem_expr_resolve(a, when, rels, 3, &d);
    if (trigger) {
        keep_deps(trigger, &d);
        sem_expr_uses(a, when, &trigger->reads);
        sem_trigger_function(a, trigger, func, n_func);
    }
    sem_deps_free(&d);
}

/* CREATE OR REPLACE VIEW keeps the old columns, in order, with their
 * names and types (checkViewColumns()): what the new query changes of
 * them, or NULL. */
static char *view_change(const struct cat_names *old_names,
                         const struct cat_names *old_types,
                         const struct cat_object *v)
{
    if (v->n_cols < old_names->n)
        return xstrdup("drops columns");
    for (size_t i = 0; i < old_names->n; i++) {
        const char *was = old_names->items[i], *now = v->cols[i].name;
        if (strcmp(was, now) != 0)
            return xasprintf("renames column \"%s\" to \"%s\"", was, now);
        const char *t0 = i < old_types->n ? old_types->items[i] : "";
        const char *t1 = i < v->col_types.n ? v->col_types.items[i] : "";
        if (*t0 && *t1 && strcmp(t0, t1) != 0)
            return xasprintf("changes the type of column \"%s\" from %s to %s",
                             was, t0, t1);
    }
    return NULL;
}

/* A view's or materialized view's query: its columns when known; for a
 * view replaced, what PostgreSQL refuses it for. */
void sem_view_deps(struct sem *a, struct cat_object *v,
                   const PgQuery__Node *query, PgQuery__Node *const *aliases,
                   size_t n_aliases)
{
    struct sem_deps d = {0};
    struct cat_names out = {0}, types = {0}, old = {0}, old_types = {0};
    sem_query_resolve(a, query, &d, v ? &out : NULL, v ? &types : NULL);
    if (v) {
        keep_deps(v, &d);
        sem_expr_uses(a, query, &v->reads); /* functions, nextval('s') */
        for (size_t i = 0; !v->cols_unknown && i < v->n_cols; i++)
            cat_names_add(&old, v->cols[i].name);
        old_types = v->col_types;
        v->col_types = (struct cat_names){0};
        while (v->n_cols)
            catalog_drop_column(v, &v->cols[v->n_cols - 1]);
        v->cols_unknown = out.n == 0 || n_aliases > out.n;
        for (size_t i = 0; !v->cols_unknown && i < out.n; i++) {
            const char *name = i < n_aliases && sem_str_of(aliases[i])
                                   ? sem_str_of(aliases[i])
                                   : out.items[i];
            if (!catalog_column(v, name))
                catalog_add_column(v, name, NULL, v->created);
            cat_names_add(&v->col_types, i < types.n ? types.items[i] : "");
        }
        if (v->n_cols != out.n) /* a repeated name: PostgreSQL refuses */
            v->cols_unknown = 1;
        char *change = old.n && v->relkind == CAT_REL_VIEW &&
                               !v->cols_unknown && !a->blind &&
                               !sem_is_opaque(a, v->name)
                           ? view_change(&old, &old_types, v)
                           : NULL;
        if (change)
            sem_fire(a, (struct sem_event){SEM_DEPENDENTS, -1,
                                           .u.dependents = {
                                               SEM_DEP_VIEW_COLUMNS, v, NULL,
                                               change, NULL}});
        free(change);
    }
    cat_names_free(&out);
    cat_names_free(&types);
    cat_names_free(&old);
    cat_names_free(&old_types);
    sem_deps_free(&d);
}

/* sem_drop.c: the semantics of DROP, TRUNCATE, RENAME and SET SCHEMA:
 * what goes with an object, and what follows it to its new name. */
#include "sem_int.h"

/* ---- statements: DROP, RENAME ------------------------------------------ */

/* A view that reads the relation "schema.name", or NULL. */
static struct cat_object *dependent(const struct sem *a, const char *qname)
{
    size_t n;
    struct cat_object **all = catalog_all(a->cat, &n), *found = NULL;
    for (size_t i = 0; i < n && !found; i++)
        if (cat_names_has(&all[i]->reads, qname))
            found = all[i];
    free(all);
    return found;
}

/* DROP ... CASCADE: the views that read o go with it, and theirs, and
 * the foreign keys that point at it. */
void sem_drop_dependents(struct sem *a, const struct cat_object *o,
                         int refused)
{
    char *qname = xasprintf("%s.%s", o->schema, o->name);
    struct cat_object *v;
    do {
        size_t n;
        struct cat_object **all = catalog_all(a->cat, &n);
        v = NULL;
        for (size_t i = 0; i < n && !v; i++)
            if (all[i]->kind == CAT_CONSTRAINT && all[i]->ref_added &&
                strcmp(all[i]->ref_added, qname) == 0 && all[i]->table &&
                strcmp(all[i]->table, o->name) != 0)
                v = all[i];
        free(all);
        if (v)
            catalog_remove(a->cat, v);
    } while (v);
    while ((v = dependent(a, qname)) != NULL) {
        sem_remove_dependent(a, v, refused);
    }
    free(qname);
}

/* The relations one DROP statement names, found in the catalog before any
 * is dropped ("schema.name" each): PostgreSQL looks them all up first and
 * drops them together, so one may take another with it (an index its
 * partitions' attached indexes) and depend on another without CASCADE. */
struct drop_list {
    char *items[32];
    size_t at[32]; /* the item's place among the statement's names */
    size_t n;
};

static int in_drop(const struct drop_list *l, const struct cat_object *o)
{
    char *key = xasprintf("%s.%s", o->schema ? o->schema : "", o->name);
    int found = 0;
    for (size_t i = 0; i < l->n && !found; i++)
        found = strcmp(l->items[i], key) == 0;
    free(key);
    return found;
}

/* Whether the statement's i-th name was found before anything was
 * dropped. */
static int found_first(const struct drop_list *l, size_t i)
{
    for (size_t k = 0; k < l->n; k++)
        if (l->at[k] == i)
            return 1;
    return 0;
}

/* The object's relation, for what belongs to one: the table of a policy,
 * trigger or constraint. */
static const struct cat_object *owner(const struct sem *a,
                                      const struct cat_object *o)
{
    if (o->kind == CAT_RELATION && !o->table)
        return o;
    return o->table ? catalog_get(a->cat, CAT_RELATION, o->schema, NULL,
                                  o->table, NULL)
                    : NULL;
}

/* The first object that depends on relation o and goes neither with it
 * nor with the rest of the statement: a view or policy reading it, a
 * foreign key of another table referencing it. */
static struct cat_object *relation_dependent(const struct sem *a,
                                             const struct cat_object *o,
                                             const struct drop_list *l)
{
    char *qname = xasprintf("%s.%s", o->schema, o->name);
    size_t n;
    struct cat_object **all = catalog_all(a->cat, &n), *found = NULL;
    for (size_t i = 0; i < n && !found; i++) {
        struct cat_object *d = all[i];
        if (d == o ||
            !(cat_names_has(&d->reads, qname) ||
              (d->kind == CAT_CONSTRAINT && d->contype == 'f' &&
               d->ref_schema && d->ref_table &&
               strcmp(d->ref_schema, o->schema) == 0 &&
               strcmp(d->ref_table, o->name) == 0)))
            continue; /* the cheap test first: most objects use nothing */
        const struct cat_object *rel = owner(a, d);
        if (rel != o && !(rel && in_drop(l, rel)))
            found = d;
    }
    free(all);
    free(qname);
    return found;
}

/* A partition's index attached to its parent's index: DROP INDEX of it
 * is refused, even with CASCADE, unless the statement drops that one
 * too. */
static int required_index(struct sem *a, const struct cat_object *o,
                          const struct drop_list *l)
{
    if (o->relkind != CAT_REL_INDEX || !o->parent_index)
        return 0;
    const char *dot = strchr(o->parent_index, '.');
    char *schema = dot ? xstrndup(o->parent_index,
                                  (size_t)(dot - o->parent_index))
                       : NULL;
    const struct cat_object *p =
        schema ? catalog_get(a->cat, CAT_RELATION, schema, NULL, dot + 1, NULL)
               : NULL;
    free(schema);
    if (!p || in_drop(l, p))
        return 0;
    if (!a->blind && !sem_is_opaque(a, o->name)) {
        char *text = xasprintf("index %s.%s", p->schema, p->name);
        sem_fire(a, (struct sem_event){SEM_DEPENDENTS, -1,
                                       .u.dependents = {SEM_DEP_REQUIRED, o,
                                                        NULL, text, NULL}});
        free(text);
    }
    return 1;
}

static void drop_relation(struct sem *a, const PgQuery__DropStmt *s,
                          struct qname q, size_t i, const struct drop_list *l)
{
    sem_touch_dropped(a, q);
    struct cat_object *o = sem_find_relation(a, q);
    if (!o && found_first(l, i))
        return; /* an earlier name of the statement took it with it */
    if (!o) {
        if (!s->missing_ok && !sem_relation_provided(a, q))
            sem_unknown_relation(a, q, -1);
        return;
    }
    sem_fire_change(
        a, SEM_DROP_RELATION, -1,
        (struct sem_change){.table = o, .concurrent = s->concurrent});
    sem_fire_change(a, SEM_DROPPED, -1, (struct sem_change){.object = o});
    if (required_index(a, o, l))
        return; /* refused, even with CASCADE: it stays */
    struct cat_object *dep = relation_dependent(a, o, l);
    int cascade = s->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
    int refused = dep && !cascade;
    if (refused && !a->blind)
        sem_fire_dependents(a, SEM_DEP_DROP, o, NULL, dep, NULL);
    sem_drop_dependents(a, o, refused);
    if (o->relkind == CAT_REL_SEQUENCE) { /* column defaults' nextval() */
        char *key = xasprintf("%s.%s", o->schema, o->name);
        sem_drop_users(a, o, key, cascade, refused);
        free(key);
    }
    catalog_remove(a->cat, o);
}

static void drop_schema(struct sem *a, const PgQuery__DropStmt *s,
                        const char *name)
{
    struct cat_object *o =
        catalog_get(a->cat, CAT_SCHEMA, NULL, NULL, name, NULL);
    if (!o && strcmp(name, "public") != 0) {
        if (!s->missing_ok && !sem_is_opaque(a, name))
            sem_fire_unknown(a, -1, SEM_SCHEMA, name, NULL);
        return;
    }
    sem_fire_change(
        a, SEM_DROP_SCHEMA, -1,
        (struct sem_change){.object = o,
                            .name = name,
                            .cascade = s->behavior ==
                                       PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE});
    if (o)
        sem_fire_change(a, SEM_DROPPED, -1, (struct sem_change){.object = o});
    /* one at a time: removing a table frees its parts too */
    struct cat_object *victim;
    do {
        size_t n;
        struct cat_object **all = catalog_all(a->cat, &n);
        victim = NULL;
        for (size_t i = 0; i < n && !victim; i++)
            if (all[i]->schema && strcmp(all[i]->schema, name) == 0)
                victim = all[i];
        free(all);
        if (victim)
            catalog_remove(a->cat, victim);
    } while (victim);
    if (o)
        catalog_remove(a->cat, o);
}

static char *shown_type_name(const char *schema, const char *name);

/* DROP TYPE ... CASCADE: the columns of that type go with it. */
static void drop_typed_columns(struct sem *a, const struct cat_object *type)
{
    char *t = shown_type_name(type->schema, type->name);
    char *arr = xasprintf("%s[]", t);
    size_t n;
    struct cat_object **all = catalog_all(a->cat, &n);
    for (size_t i = 0; i < n; i++)
        for (size_t k = all[i]->n_cols; k-- > 0;)
            if (strcmp(all[i]->cols[k].type, t) == 0 ||
                strcmp(all[i]->cols[k].type, arr) == 0)
                catalog_drop_column(all[i], &all[i]->cols[k]);
    free(all);
    free(arr);
    free(t);
}

/* DROP TYPE without CASCADE: PostgreSQL refuses while a column of a
 * table or composite type has that type. */
static void typed_column_check(struct sem *a, const struct cat_object *type)
{
    char *t = shown_type_name(type->schema, type->name);
    char *arr = xasprintf("%s[]", t);
    size_t n;
    struct cat_object **all = catalog_all(a->cat, &n);
    char *dep = NULL;
    for (size_t i = 0; i < n && !dep; i++)
        for (size_t k = 0; k < all[i]->n_cols && !dep; k++)
            if (all[i] != type && (strcmp(all[i]->cols[k].type, t) == 0 ||
                                   strcmp(all[i]->cols[k].type, arr) == 0))
                dep = xasprintf("column %s of %s %s.%s", all[i]->cols[k].name,
                                all[i]->kind == CAT_TYPE ? "composite type"
                                                         : "table",
                                all[i]->schema, all[i]->name);
    free(all);
    if (dep && !a->blind)
        sem_fire(a, (struct sem_event){SEM_DEPENDENTS, -1,
                                       .u.dependents = {SEM_DEP_DROP, type,
                                                        NULL, dep, NULL}});
    free(dep);
    free(arr);
    free(t);
}

static void drop_type(struct sem *a, const PgQuery__DropStmt *s,
                      const PgQuery__TypeName *t)
{
    struct qname q = sem_qname_of(t->names, t->n_names);
    struct cat_object *o = sem_find_in_path(a, CAT_TYPE, q);
    if (!o) {
        if (!s->missing_ok && !sem_type_exists(a, q))
            sem_use_type(a, t);
        return;
    }
    sem_fire_change(a, SEM_DROPPED, -1, (struct sem_change){.object = o});
    if (s->behavior != PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
        typed_column_check(a, o);
    drop_typed_columns(a, o);
    catalog_remove(a->cat, o);
}

static void drop_function(struct sem *a, const PgQuery__DropStmt *s,
                          const PgQuery__ObjectWithArgs *f)
{
    struct qname q = sem_qname_of(f->objname, f->n_objname);
    const char *schema = NULL;
    for (size_t i = 0; !schema && i < a->n_path; i++)
        if (catalog_functions_named(a->cat, a->path[i], q.name))
            schema = a->path[i];
    if (q.schema)
        schema = q.schema;
    struct cat_object *o = NULL;
    if (schema && !f->args_unspecified) {
        char *sig = sem_signature(a, f->objargs, f->n_objargs, 0);
        o = catalog_get(a->cat, CAT_FUNCTION, schema, NULL, q.name, sig);
        free(sig);
    }
    /* one of that name: the types may be spelt in a way not matched */
    if (!o && schema && catalog_functions_named(a->cat, schema, q.name) == 1)
        o = catalog_get(a->cat, CAT_FUNCTION, schema, NULL, q.name, NULL);
    if (!o) {
        if (!s->missing_ok && !(schema &&
                                catalog_functions_named(a->cat, schema,
                                                        q.name)))
            sem_use_function(a, f->objname, f->n_objname, -1);
        return;
    }
    sem_fire_change(a, SEM_DROPPED, -1, (struct sem_change){.object = o});
    char *key = sem_function_key(o); /* triggers, defaults, ... calling it */
    sem_drop_users(a, o, key,
                   s->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE, 0);
    free(key);
    catalog_remove(a->cat, o);
}

/* DROP TRIGGER/POLICY name ON table: [schema,] table, name. */
static void drop_on_table(struct sem *a, const PgQuery__DropStmt *s,
                          const PgQuery__List *l, enum cat_kind kind)
{
    if (l->n_items < 2)
        return;
    struct qname t = sem_qname_of(l->items, l->n_items - 1);
    const char *name = sem_str_of(l->items[l->n_items - 1]);
    struct cat_object *tab = sem_use_relation(a, t, -1, s->missing_ok);
    if (!tab || !name)
        return;
    struct cat_object *o =
        catalog_get(a->cat, kind, tab->schema, tab->name, name, NULL);
    if (o)
        catalog_remove(a->cat, o);
}

/* ALTER COLUMN ... DROP IDENTITY: the sequences owned by the column go. */
void sem_drop_owned_sequences(struct sem *a, const struct cat_object *t,
                              const char *col)
{
    size_t n;
    struct cat_object **parts = catalog_parts(a->cat, t, &n);
    for (size_t i = 0; i < n; i++)
        if (parts[i]->kind == CAT_RELATION &&
            parts[i]->relkind == CAT_REL_SEQUENCE &&
            cat_names_has(&parts[i]->uses, col))
            catalog_remove(a->cat, parts[i]);
    free(parts);
}

void sem_stmt_drop(struct sem *a, const PgQuery__DropStmt *s)
{
    struct drop_list rels = {0};
    for (size_t i = 0; i < s->n_objects && rels.n < 32; i++) {
        const PgQuery__Node *n = s->objects[i];
        const struct cat_object *o =
            n->node_case == NODE(LIST)
                ? sem_find_relation(
                      a, sem_qname_of(n->list->items, n->list->n_items))
                : NULL;
        if (o) {
            rels.at[rels.n] = i;
            rels.items[rels.n++] = xasprintf("%s.%s", o->schema, o->name);
        }
    }
    for (size_t i = 0; i < s->n_objects; i++) {
        const PgQuery__Node *n = s->objects[i];
        switch (s->remove_type) {
        case OBJ(TABLE):
        case OBJ(VIEW):
        case OBJ(MATVIEW):
        case OBJ(INDEX):
        case OBJ(SEQUENCE):
        case OBJ(FOREIGN_TABLE):
            if (n->node_case == NODE(LIST))
                drop_relation(a, s,
                              sem_qname_of(n->list->items, n->list->n_items),
                              i, &rels);
            break;
        case OBJ(SCHEMA):
            if (sem_str_of(n))
                drop_schema(a, s, sem_str_of(n));
            break;
        case OBJ(TYPE):
        case OBJ(DOMAIN):
            if (n->node_case == NODE(TYPE_NAME))
                drop_type(a, s, n->type_name);
            break;
        case OBJ(FUNCTION):
        case OBJ(PROCEDURE):
        case OBJ(ROUTINE):
        case OBJ(AGGREGATE):
            if (n->node_case == NODE(OBJECT_WITH_ARGS))
                drop_function(a, s, n->object_with_args);
            break;
        case OBJ(TRIGGER):
            if (n->node_case == NODE(LIST))
                drop_on_table(a, s, n->list, CAT_TRIGGER);
            break;
        case OBJ(POLICY):
            if (n->node_case == NODE(LIST))
                drop_on_table(a, s, n->list, CAT_POLICY);
            break;
        case OBJ(RULE): /* not modelled: only its table is checked */
            if (n->node_case == NODE(LIST) && n->list->n_items >= 2)
                sem_use_relation(
                    a, sem_qname_of(n->list->items, n->list->n_items - 1), -1,
                    s->missing_ok);
            break;
        case OBJ(EXTENSION): {
            struct cat_object *o =
                sem_str_of(n) ? catalog_get(a->cat, CAT_EXTENSION, NULL, NULL,
                                            sem_str_of(n), NULL)
                              : NULL;
            if (o)
                catalog_remove(a->cat, o);
            break;
        }
        default: break;
        }
    }
    for (size_t i = 0; i < rels.n; i++)
        free(rels.items[i]);
}

void sem_stmt_truncate(struct sem *a, const PgQuery__TruncateStmt *s)
{
    for (size_t i = 0; i < s->n_relations; i++) {
        const PgQuery__Node *n = s->relations[i];
        if (n->node_case != NODE(RANGE_VAR))
            continue;
        struct qname q = sem_qname_rv(n->range_var);
        sem_touch(a, q, n->range_var->location);
        struct cat_object *t =
            sem_use_relation(a, q, n->range_var->location, 0);
        if (t)
            sem_fire_change(a, SEM_TRUNCATE, n->range_var->location,
                            (struct sem_change){.table = t});
    }
}

static void rename_relation(struct sem *a, const PgQuery__RenameStmt *s)
{
    struct qname q = sem_qname_rv(s->relation);
    sem_touch(a, q, s->relation->location);
    struct cat_object *o =
        sem_use_relation(a, q, s->relation->location, s->missing_ok);
    if (!o)
        return;
    if (catalog_get(a->cat, CAT_RELATION, o->schema, NULL, s->newname, NULL)) {
        if (!sem_is_opaque(a, s->newname))
            sem_fire_duplicate(a, s->relation->location,
                               (struct sem_duplicate){SEM_RELATION, o->schema,
                                                      s->newname, NULL, NULL,
                                                      NULL});
        return;
    }
    sem_fire_change(
        a, SEM_RENAME_RELATION, s->relation->location,
        (struct sem_change){.table = o,
                            .newname = s->newname,
                            .table_stmt = s->rename_type == OBJ(TABLE)});
    sem_note_altered(a, o);
    sem_deps_rename(a, o->schema, o->name, o->schema, s->newname);
    if (o->relkind == CAT_REL_INDEX && o->table) {
        /* an index behind a constraint renames the constraint too */
        struct cat_object *k = catalog_get(a->cat, CAT_CONSTRAINT, o->schema,
                                           o->table, o->name, NULL);
        if (k) {
            catalog_rename(a->cat, k, NULL, s->newname);
        }
    }
    catalog_rename(a->cat, o, NULL, s->newname);
}

/* Column from of t becomes to, and so in t's children (an inherited
 * column keeps its parent's name). */
static void rename_column_in(struct sem *a, struct cat_object *t,
                             const char *from, const char *to, int recurse)
{
    struct cat_column *col = catalog_column(t, from);
    if (!col || catalog_column(t, to))
        return;
    sem_deps_rename_column(a, t, from, to);
    size_t n;
    struct cat_object **parts = catalog_parts(a->cat, t, &n);
    for (size_t i = 0; i < n; i++)
        cat_names_rename(&parts[i]->uses, from, to);
    free(parts);
    free(col->name);
    col->name = xstrdup(to);
    if (!recurse) /* ONLY: PostgreSQL refuses it where a child has it */
        return;
    struct cat_object **kids = sem_children(a, t, &n);
    for (size_t i = 0; i < n; i++)
        rename_column_in(a, kids[i], from, to, 1);
    free(kids);
}

static void rename_column(struct sem *a, const PgQuery__RenameStmt *s)
{
    struct qname q = sem_qname_rv(s->relation);
    struct cat_object *t =
        sem_use_relation(a, q, s->relation->location, s->missing_ok);
    if (!t)
        return;
    struct cat_column *col = catalog_column(t, s->subname);
    if (!col) {
        sem_use_column(a, t, s->subname, s->relation->location);
        return;
    }
    if (catalog_column(t, s->newname)) {
        if (!sem_is_opaque(a, s->newname))
            sem_fire_duplicate(a, s->relation->location,
                               (struct sem_duplicate){SEM_COLUMN, NULL,
                                                      s->newname, NULL, t,
                                                      NULL});
        return;
    }
    if (col->inherited && sem_inherited_refusal(a, t, s->subname,
                                                 "rename inherited column"))
        return;
    sem_fire_change(
        a, SEM_RENAME_COLUMN, s->relation->location,
        (struct sem_change){
            .table = t, .col = col, .name = s->subname, .newname = s->newname});
    sem_note_altered(a, t);
    rename_column_in(a, t, s->subname, s->newname, s->relation->inh);
}

static char *shown_type_name(const char *schema, const char *name)
{
    return strcmp(schema, "public") == 0 ? xstrdup(name)
                                         : xasprintf("%s.%s", schema, name);
}

/* A type renamed or moved: the columns of that type follow it. */
static void retype_columns(struct sem *a, const struct cat_object *type,
                           const char *new_schema, const char *new_name)
{
    char *from = shown_type_name(type->schema, type->name);
    char *to = shown_type_name(new_schema, new_name);
    size_t fl = strlen(from), n;
    struct cat_object **all = catalog_all(a->cat, &n);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < all[i]->n_cols; k++) {
            struct cat_column *c = &all[i]->cols[k];
            if (strncmp(c->type, from, fl) != 0 ||
                (c->type[fl] != '\0' && strcmp(c->type + fl, "[]") != 0))
                continue;
            char *t = xasprintf("%s%s", to, c->type + fl);
            free(c->type);
            c->type = t;
        }
    free(all);
    free(from);
    free(to);
}

/* A function renamed or moved: what calls it follows it. */
static void function_moved(struct sem *a, const struct cat_object *f,
                           const char *schema, const char *name)
{
    char *from = sem_function_key(f);
    char *to = xasprintf("%s.%s%s", schema, name, f->args ? f->args : "()");
    sem_uses_rename(a, from, to, 0, 1);
    free(from);
    free(to);
}

static void rename_named(struct sem *a, const PgQuery__RenameStmt *s,
                         enum cat_kind kind)
{
    struct cat_object *o = NULL;
    if (kind == CAT_SCHEMA) {
        const char *name = sem_str_of(s->object);
        o = name ? catalog_get(a->cat, CAT_SCHEMA, NULL, NULL, name, NULL)
                 : NULL;
        if (o) {
            sem_deps_rename(a, name, NULL, s->newname, NULL);
            size_t n;
            struct cat_object **all = catalog_all(a->cat, &n);
            for (size_t i = 0; i < n; i++)
                if (all[i]->schema && strcmp(all[i]->schema, name) == 0 &&
                    !all[i]->table)
                    catalog_rename(a->cat, all[i], s->newname, NULL);
            free(all);
        }
    } else if (kind == CAT_TYPE && s->object &&
               s->object->node_case == NODE(LIST)) {
        o = sem_find_in_path(
            a, CAT_TYPE,
            sem_qname_of(s->object->list->items, s->object->list->n_items));
    } else if (kind == CAT_FUNCTION && s->object &&
               s->object->node_case == NODE(OBJECT_WITH_ARGS)) {
        const PgQuery__ObjectWithArgs *f = s->object->object_with_args;
        o = sem_find_function(a, sem_qname_of(f->objname, f->n_objname));
    }
    if (o && kind == CAT_TYPE)
        retype_columns(a, o, o->schema, s->newname);
    if (o && kind == CAT_FUNCTION)
        function_moved(a, o, o->schema, s->newname);
    if (o)
        catalog_rename(a->cat, o, NULL, s->newname);
}

void sem_stmt_rename(struct sem *a, const PgQuery__RenameStmt *s)
{
    switch (s->rename_type) {
    case OBJ(TABLE):
    case OBJ(VIEW):
    case OBJ(MATVIEW):
    case OBJ(INDEX):
    case OBJ(SEQUENCE):
    case OBJ(FOREIGN_TABLE):
        if (s->relation)
            rename_relation(a, s);
        break;
    case OBJ(COLUMN):
        if (s->relation)
            rename_column(a, s);
        break;
    case OBJ(TABCONSTRAINT): {
        struct cat_object *t =
            s->relation ? sem_use_relation(a, sem_qname_rv(s->relation),
                                           s->relation->location, s->missing_ok)
                        : NULL;
        struct cat_object *k =
            t ? catalog_get(a->cat, CAT_CONSTRAINT, t->schema, t->name,
                            s->subname, NULL)
              : NULL;
        if (k) {
            struct cat_object *ix = catalog_get(a->cat, CAT_RELATION,
                                                t->schema, NULL, k->name,
                                                NULL);
            if (ix && ix->relkind == CAT_REL_INDEX)
                catalog_rename(a->cat, ix, NULL, s->newname);
            catalog_rename(a->cat, k, NULL, s->newname);
        }
        break;
    }
    case OBJ(SCHEMA): rename_named(a, s, CAT_SCHEMA); break;
    case OBJ(TYPE):
    case OBJ(DOMAIN): rename_named(a, s, CAT_TYPE); break;
    case OBJ(FUNCTION):
    case OBJ(PROCEDURE):
    case OBJ(ROUTINE): rename_named(a, s, CAT_FUNCTION); break;
    case OBJ(TRIGGER):
        if (s->relation)
            sem_use_relation(a, sem_qname_rv(s->relation),
                             s->relation->location, s->missing_ok);
        break;
    default: break;
    }
}

void sem_stmt_set_schema(struct sem *a, const PgQuery__AlterObjectSchemaStmt *s)
{
    struct cat_object *o = NULL;
    if (s->relation)
        o = sem_use_relation(a, sem_qname_rv(s->relation),
                             s->relation->location, s->missing_ok);
    else if (s->object && s->object->node_case == NODE(LIST) &&
             (s->object_type == OBJ(TYPE) || s->object_type == OBJ(DOMAIN)))
        o = sem_find_in_path(
            a, CAT_TYPE,
            sem_qname_of(s->object->list->items, s->object->list->n_items));
    else if (s->object && s->object->node_case == NODE(OBJECT_WITH_ARGS)) {
        const PgQuery__ObjectWithArgs *f = s->object->object_with_args;
        o = sem_find_function(a, sem_qname_of(f->objname, f->n_objname));
    }
    if (o && o->kind == CAT_TYPE)
        retype_columns(a, o, s->newschema, o->name);
    if (o && o->kind == CAT_RELATION)
        sem_deps_rename(a, o->schema, o->name, s->newschema, o->name);
    if (o && o->kind == CAT_FUNCTION)
        function_moved(a, o, s->newschema, o->name);
    if (o)
        catalog_rename(a->cat, o, s->newschema, NULL);
}

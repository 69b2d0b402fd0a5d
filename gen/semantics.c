/* semantics.c: what each statement does to the catalog (semantics.h),
 * applied in order, and the events it reports to the rules on the way.
 * The statements of tables live in sem_table.c, DROP and RENAME in
 * sem_drop.c, name resolution and tree walks in sem_lookup.c.
 *
 * The catalog models what plain DDL does, and what the PL/pgSQL of a DO
 * block or a called function does (sem_plpgsql.c). What it cannot see
 * makes it unsure rather than wrong: what a statement that may not have
 * run, or dynamic SQL, may have created or dropped becomes an uncertain
 * name (sem_dynamic.c); every word of a body that does not compile, of an
 * extension it has no list for, of a migration that did not parse becomes
 * an "opaque" name. About either no SEM_UNKNOWN or SEM_DUPLICATE event is
 * reported (a name dynamic SQL may have made: at most a note). */
#include "sem_int.h"

/* ---- statements: types, functions, the rest ---------------------------- */

static int duplicate_type(struct sem *a, const char *schema, const char *name,
                          int32_t loc)
{
    struct cat_object *o =
        catalog_get(a->cat, CAT_TYPE, schema, NULL, name, NULL);
    if (!o)
        o = catalog_get(a->cat, CAT_RELATION, schema, NULL, name, NULL);
    if (!o || (o->kind == CAT_RELATION && o->relkind != CAT_REL_TABLE &&
               o->relkind != CAT_REL_VIEW && o->relkind != CAT_REL_MATVIEW &&
               o->relkind != CAT_REL_FOREIGN_TABLE))
        return 0;
    if (!sem_is_opaque(a, name))
        sem_fire_duplicate(
            a, loc,
            (struct sem_duplicate){SEM_TYPE, schema, name, NULL, NULL, o});
    return 1;
}

static struct cat_object *create_type(struct sem *a, struct qname q,
                                      int32_t loc)
{
    const char *schema = sem_target_schema(a, q);
    if (duplicate_type(a, schema, q.name, loc))
        return NULL;
    return catalog_add(a->cat, CAT_TYPE, schema, NULL, q.name, NULL,
                       sem_site_at(a, loc));
}

static void stmt_composite(struct sem *a, const PgQuery__CompositeTypeStmt *s)
{
    struct cat_object *t =
        create_type(a, sem_qname_rv(s->typevar), s->typevar->location);
    for (size_t i = 0; i < s->n_coldeflist; i++) {
        const PgQuery__Node *n = s->coldeflist[i];
        if (n->node_case != NODE(COLUMN_DEF))
            continue;
        sem_use_type(a, n->column_def->type_name);
        if (t) {
            char *type = sem_type_text(a, n->column_def->type_name);
            catalog_add_column(t, n->column_def->colname, type,
                               sem_site_at(a, n->column_def->location));
            free(type);
        }
    }
}

static const char *def_string(PgQuery__Node *const *opts, size_t n,
                              const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (opts[i]->node_case != NODE(DEF_ELEM) ||
            strcmp(opts[i]->def_elem->defname, name) != 0)
            continue;
        const PgQuery__Node *arg = opts[i]->def_elem->arg;
        if (arg && arg->node_case == NODE(LIST) && arg->list->n_items)
            arg = arg->list->items[0];
        return sem_str_of(arg);
    }
    return NULL;
}

static void stmt_create_function(struct sem *a,
                                 const PgQuery__CreateFunctionStmt *s)
{
    struct qname q = sem_qname_of(s->funcname, s->n_funcname);
    const char *schema = sem_target_schema(a, q);
    sem_refs(a, s, NULL, NULL, NULL); /* argument and result types */
    char *sig = sem_signature(a, s->parameters, s->n_parameters, 1);
    struct cat_object *o =
        catalog_get(a->cat, CAT_FUNCTION, schema, NULL, q.name, sig);
    if (o && !s->replace && !sem_is_opaque(a, q.name))
        sem_fire_duplicate(
            a, -1,
            (struct sem_duplicate){SEM_FUNCTION, schema, q.name, sig, NULL, o});
    if (!o)
        o = catalog_add(a->cat, CAT_FUNCTION, schema, NULL, q.name, sig,
                        sem_site_at(a, -1));
    free(sig);
    const char *body = def_string(s->options, s->n_options, "as");
    const char *lang = def_string(s->options, s->n_options, "language");
    free(o->body);
    free(o->lang);
    free(o->def);
    o->body = body ? xstrdup(body) : NULL;
    o->lang = lang ? xstrdup(lang) : NULL;
    /* the statement's text, which parse_plpgsql() compiles at a call */
    o->def = a->unseen->shift || a->create_schema
                 ? NULL
                 : xstrndup(a->script->src->bytes + a->stmt->off,
                            a->stmt->len);
    const char *vol = def_string(s->options, s->n_options, "volatility");
    o->flags &= ~(unsigned)CAT_NOT_VOLATILE;
    if (vol && (strcmp(vol, "immutable") == 0 || strcmp(vol, "stable") == 0))
        o->flags |= CAT_NOT_VOLATILE;
}

static void stmt_trigger(struct sem *a, const PgQuery__CreateTrigStmt *s)
{
    struct cat_object *t = sem_use_relation(a, sem_qname_rv(s->relation),
                                            s->relation->location, 0);
    sem_use_function(a, s->funcname, s->n_funcname, s->relation->location);
    if (s->when_clause)
        sem_refs(a, s->when_clause, NULL, NULL, NULL);
    if (!t)
        return;
    struct cat_object *o =
        catalog_get(a->cat, CAT_TRIGGER, t->schema, t->name, s->trigname, NULL);
    if (o) {
        if (!s->replace && !sem_is_opaque(a, s->trigname))
            sem_fire_duplicate(a, s->relation->location,
                               (struct sem_duplicate){SEM_TRIGGER, NULL,
                                                      s->trigname, NULL, t,
                                                      NULL});
        return;
    }
    o = catalog_add(a->cat, CAT_TRIGGER, t->schema, t->name, s->trigname,
                    NULL, sem_site_at(a, s->relation->location));
    sem_trigger_deps(a, t, o, s->when_clause, s->funcname, s->n_funcname);
}

static void stmt_extension(struct sem *a, const PgQuery__CreateExtensionStmt *s)
{
    if (catalog_get(a->cat, CAT_EXTENSION, NULL, NULL, s->extname, NULL)) {
        if (!s->if_not_exists && !sem_is_opaque(a, s->extname))
            sem_fire_duplicate(a, -1,
                               (struct sem_duplicate){SEM_EXTENSION, NULL,
                                                      s->extname, NULL, NULL,
                                                      NULL});
        return;
    }
    catalog_add(a->cat, CAT_EXTENSION, NULL, NULL, s->extname, NULL,
                sem_site_at(a, -1));
    if (!builtin_extension_known(s->extname)) {
        a->unsure = 1; /* its functions and types are not known */
        return;
    }
    a->extensions = xrealloc(a->extensions,
                             (a->n_extensions + 1) * sizeof *a->extensions);
    a->extensions[a->n_extensions++] = xstrdup(s->extname);
}

static void stmt_schema(struct sem *a, const PgQuery__CreateSchemaStmt *s);
static void statement(struct sem *a, const PgQuery__Node *n);

static void stmt_schema(struct sem *a, const PgQuery__CreateSchemaStmt *s)
{
    const char *name = s->schemaname && *s->schemaname ? s->schemaname
                       : s->authrole && s->authrole->rolename
                           ? s->authrole->rolename
                           : NULL;
    if (!name)
        return;
    if (catalog_get(a->cat, CAT_SCHEMA, NULL, NULL, name, NULL) ||
        strcmp(name, "public") == 0) {
        if (!s->if_not_exists && !sem_is_opaque(a, name))
            sem_fire_duplicate(a, -1,
                               (struct sem_duplicate){SEM_SCHEMA, NULL, name,
                                                      NULL, NULL, NULL});
    } else {
        catalog_add(a->cat, CAT_SCHEMA, NULL, NULL, name, NULL,
                    sem_site_at(a, -1));
    }
    const char *saved = a->create_schema;
    a->create_schema = name;
    for (size_t i = 0; i < s->n_schema_elts; i++)
        statement(a, s->schema_elts[i]);
    a->create_schema = saved;
}

static void stmt_role(struct sem *a, const PgQuery__CreateRoleStmt *s)
{
    sem_fire(a,
             (struct sem_event){SEM_ROLE_OPTIONS, -1,
                                .u.role = {s->options, s->n_options, s->role}});
    if (catalog_get(a->cat, CAT_ROLE, NULL, NULL, s->role, NULL)) {
        if (!sem_is_opaque(a, s->role))
            sem_fire_duplicate(a, -1,
                               (struct sem_duplicate){SEM_ROLE, NULL, s->role,
                                                      NULL, NULL, NULL});
        return;
    }
    catalog_add(a->cat, CAT_ROLE, NULL, NULL, s->role, NULL,
                sem_site_at(a, -1));
}

/* ---- session state ----------------------------------------------------- */

static void path_clear(char **p, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free(p[i]);
    *n = 0;
}

static void path_default(struct sem *a)
{
    path_clear(a->path, &a->n_path);
    a->path[a->n_path++] = xstrdup("$user");
    a->path[a->n_path++] = xstrdup("public");
}

/* Parse a search_path value: names separated by commas, optionally
 * double-quoted. */
void sem_set_search_path(struct sem *a, const char *value, int local)
{
    if (local && !a->path_local) {
        path_clear(a->saved_path, &a->n_saved_path);
        for (size_t i = 0; i < a->n_path; i++)
            a->saved_path[a->n_saved_path++] = xstrdup(a->path[i]);
        a->path_local = 1;
    }
    path_clear(a->path, &a->n_path);
    const char *p = value;
    while (*p && a->n_path < SEM_MAX_PATH) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *start = p, *end;
        if (*p == '"') {
            start = ++p;
            end = strchr(p, '"');
            if (!end)
                end = p + strlen(p);
            p = *end ? end + 1 : end;
        } else {
            while (*p && *p != ',' && *p != ' ')
                p++;
            end = p;
        }
        char *name = xstrndup(start, (size_t)(end - start));
        for (char *c = name; *start != '"' && *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c + 32);
        a->path[a->n_path++] = name;
    }
}

static void stmt_set(struct sem *a, const PgQuery__VariableSetStmt *s)
{
    if (s->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_MULTI)
        return; /* SET TRANSACTION: transaction-control */
    const char *name = s->name ? s->name : "";
    if (strcmp(name, "search_path") == 0) {
        if (s->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE) {
            char buf[512] = "";
            size_t len = 0;
            for (size_t i = 0; i < s->n_args && len + 70 < sizeof buf; i++) {
                const char *v = sem_const_string(s->args[i]);
                if (v)
                    len += (size_t)snprintf(buf + len, sizeof buf - len,
                                            "%s\"%s\"", len ? "," : "", v);
            }
            sem_set_search_path(a, buf, s->is_local);
        } else {
            path_default(a);
        }
    }
    sem_fire(a, (struct sem_event){SEM_SET, -1, .u.set = s});
}

/* ---- statements: data and the rest ------------------------------------- */

/* INSERT, UPDATE, DELETE: the target, its named columns (targets: the
 * ResTargets of the INSERT column list or UPDATE SET, n 0 for DELETE), the
 * references of the rest, and a note on moving the data out. */
static void data_change(struct sem *a, const void *stmt,
                        const PgQuery__RangeVar *rel,
                        PgQuery__Node *const *targets, size_t n,
                        enum sem_data_verb verb)
{
    struct qname q = sem_qname_rv(rel);
    sem_touch(a, q, rel->location);
    struct cat_object *t = sem_use_relation(a, q, rel->location, 0);
    for (size_t i = 0; t && i < n; i++)
        if (targets[i]->node_case == NODE(RES_TARGET))
            sem_use_column(a, t, targets[i]->res_target->name,
                           targets[i]->res_target->location);
    sem_refs(a, stmt, rel, NULL, NULL);
    sem_fire(a, (struct sem_event){SEM_DATA_CHANGE, -1, .u.data = verb});
}

static void stmt_comment(struct sem *a, const PgQuery__CommentStmt *s)
{
    const PgQuery__Node *o = s->object;
    if (!o)
        return;
    switch (s->objtype) {
    case OBJ(TABLE):
    case OBJ(VIEW):
    case OBJ(MATVIEW):
    case OBJ(INDEX):
    case OBJ(SEQUENCE):
    case OBJ(FOREIGN_TABLE):
        if (o->node_case == NODE(LIST))
            sem_use_relation(a, sem_qname_of(o->list->items, o->list->n_items),
                             -1, 0);
        break;
    case OBJ(COLUMN):
        if (o->node_case == NODE(LIST) && o->list->n_items >= 2) {
            struct qname t = sem_qname_of(o->list->items, o->list->n_items - 1);
            struct cat_object *tab = sem_use_relation(a, t, -1, 0);
            sem_use_column(
                a, tab, sem_str_of(o->list->items[o->list->n_items - 1]), -1);
        }
        break;
    case OBJ(TYPE):
    case OBJ(DOMAIN):
        if (o->node_case == NODE(TYPE_NAME))
            sem_use_type(a, o->type_name);
        break;
    case OBJ(FUNCTION):
    case OBJ(PROCEDURE):
        if (o->node_case == NODE(OBJECT_WITH_ARGS))
            sem_use_function(a, o->object_with_args->objname,
                             o->object_with_args->n_objname, -1);
        break;
    default: break;
    }
}

/* Where body is in the statement at hand's text, verbatim (a dollar
 * quote): its file offset, -1 when it is not there. */
static int32_t body_offset(const struct sem *a, const char *body)
{
    if (a->unseen->shift || !*body)
        return -1;
    const char *st = a->script->src->bytes + a->stmt->off;
    size_t n = strlen(body);
    for (size_t i = 0; i + n <= a->stmt->len; i++)
        if (memcmp(st + i, body, n) == 0)
            return (int32_t)(a->stmt->off + i);
    return -1;
}

static void stmt_do(struct sem *a, const PgQuery__DoStmt *s)
{
    const char *body = def_string(s->args, s->n_args, "as");
    const char *lang = def_string(s->args, s->n_args, "language");
    if (body && sem_plpgsql_do(a, body, lang, body_offset(a, body)) != 0)
        sem_words_scan(&a->opaque, body); /* not read: its words are opaque */
}

/* Whether PostgreSQL reads the value of definition element name as a
 * type (DefineAggregate, DefineType, DefineOperator); the others name
 * functions or operators, or hold keywords the grammar also parses as a
 * type name (PARALLEL = SAFE, ALIGNMENT = double, STORAGE = plain). */
static int define_type_option(const char *name)
{
    static const char *const types[] = {"basetype", "stype",   "mstype",
                                        "element",  "like",    "leftarg",
                                        "rightarg", "subtype", NULL};
    for (size_t i = 0; types[i]; i++)
        if (strcmp(name, types[i]) == 0)
            return 1;
    return 0;
}

static void stmt_define(struct sem *a, const PgQuery__DefineStmt *s)
{
    struct qname q = sem_qname_of(s->defnames, s->n_defnames);
    for (size_t i = 0; i < s->n_args; i++)
        sem_refs(a, s->args[i], NULL, NULL, NULL);
    for (size_t i = 0; i < s->n_definition; i++) {
        const PgQuery__DefElem *d =
            s->definition[i]->node_case == NODE(DEF_ELEM)
                ? s->definition[i]->def_elem
                : NULL;
        if (d && d->arg && define_type_option(d->defname))
            sem_refs(a, d->arg, NULL, NULL, NULL);
    }
    if (s->kind == OBJ(TYPE)) {
        if (!sem_find_in_path(a, CAT_TYPE, q))
            create_type(a, q, -1);
    } else if (s->kind == OBJ(AGGREGATE)) {
        const char *schema = sem_target_schema(a, q);
        char *sig = xasprintf("(aggregate %zu)", s->n_args);
        if (!catalog_get(a->cat, CAT_FUNCTION, schema, NULL, q.name, sig))
            catalog_add(a->cat, CAT_FUNCTION, schema, NULL, q.name, sig,
                        sem_site_at(a, -1))
                ->flags |= CAT_NOT_VOLATILE;
        free(sig);
    }
}

/* OWNED BY table.column (or NONE) among a sequence's options: the
 * sequence goes with the table (DROP TABLE) or the column (DROP COLUMN). */
static void sequence_owner(struct sem *a, struct cat_object *seq,
                           PgQuery__Node *const *opts, size_t n)
{
    for (size_t i = 0; seq && i < n; i++) {
        const PgQuery__DefElem *d =
            opts[i]->node_case == NODE(DEF_ELEM) ? opts[i]->def_elem : NULL;
        if (!d || strcmp(d->defname, "owned_by") != 0 || !d->arg ||
            d->arg->node_case != NODE(LIST))
            continue;
        const PgQuery__List *l = d->arg->list;
        cat_names_free(&seq->uses);
        if (l->n_items < 2) { /* OWNED BY NONE */
            catalog_set_owner(a->cat, seq, NULL);
            continue;
        }
        struct qname t = sem_qname_of(l->items, l->n_items - 1);
        const char *col = sem_str_of(l->items[l->n_items - 1]);
        struct cat_object *tab = sem_use_relation(a, t, -1, 0);
        if (!tab || !col)
            continue;
        sem_use_column(a, tab, col, -1);
        cat_names_add(&seq->uses, col);
        if (strcmp(tab->schema, seq->schema) == 0) /* PostgreSQL's rule */
            catalog_set_owner(a->cat, seq, tab->name);
    }
}

static void stmt_sequence(struct sem *a, const PgQuery__CreateSeqStmt *s)
{
    struct qname q = sem_qname_rv(s->sequence);
    const char *schema = sem_target_schema(a, q);
    if (sem_duplicate_relation(a, q, schema, s->if_not_exists,
                               s->sequence->location))
        return;
    struct cat_object *seq =
        catalog_add(a->cat, CAT_RELATION, schema, NULL, q.name, NULL,
                    sem_site_at(a, s->sequence->location));
    seq->relkind = CAT_REL_SEQUENCE;
    sequence_owner(a, seq, s->options, s->n_options);
}

static void stmt_alter_sequence(struct sem *a, const PgQuery__AlterSeqStmt *s)
{
    struct cat_object *seq =
        sem_use_relation(a, sem_qname_rv(s->sequence), s->sequence->location,
                         s->missing_ok);
    if (seq && seq->relkind == CAT_REL_SEQUENCE)
        sequence_owner(a, seq, s->options, s->n_options);
}

static void stmt_policy(struct sem *a, const PgQuery__CreatePolicyStmt *s)
{
    struct cat_object *t =
        sem_use_relation(a, sem_qname_rv(s->table), s->table->location, 0);
    sem_refs(a, s, s->table, NULL, NULL);
    if (!t)
        return;
    struct cat_object *p = catalog_get(a->cat, CAT_POLICY, t->schema, t->name,
                                       s->policy_name, NULL);
    if (!p)
        p = catalog_add(a->cat, CAT_POLICY, t->schema, t->name, s->policy_name,
                        NULL, sem_site_at(a, s->table->location));
    sem_policy_deps(a, t, p, s->qual, s->with_check);
}

static void stmt_alter_policy(struct sem *a, const PgQuery__AlterPolicyStmt *s)
{
    struct cat_object *t =
        sem_use_relation(a, sem_qname_rv(s->table), s->table->location, 0);
    sem_refs(a, s, s->table, NULL, NULL);
    struct cat_object *p = t ? catalog_get(a->cat, CAT_POLICY, t->schema,
                                           t->name, s->policy_name, NULL)
                             : NULL;
    if (p && (s->qual || s->with_check))
        sem_policy_deps(a, t, p, s->qual, s->with_check);
}

static int find_data_change(void *found, const ProtobufCMessage *m)
{
    if (sem_is_msg(m, &pg_query__insert_stmt__descriptor) ||
        sem_is_msg(m, &pg_query__update_stmt__descriptor) ||
        sem_is_msg(m, &pg_query__delete_stmt__descriptor))
        *(int *)found = 1;
    return 0;
}

/* SELECT: its references; SELECT INTO creates a table; a WITH holding an
 * INSERT, UPDATE or DELETE changes data. */
/* SELECT f(...), ... without FROM, WHERE or the like calls each f once
 * for sure: its body's top level applies for sure (sem_plpgsql.c). */
static void certain_calls(struct sem *a, const PgQuery__SelectStmt *s)
{
    struct sem_unseen *u = a->unseen;
    u->n_certain = 0;
    if (s->n_from_clause || s->where_clause || s->n_group_clause ||
        s->having_clause || s->limit_count || s->n_values_lists || s->larg ||
        s->n_target_list > sizeof u->certain / sizeof *u->certain)
        return;
    for (size_t i = 0; i < s->n_target_list; i++) {
        const PgQuery__Node *t = s->target_list[i];
        if (t->node_case == NODE(RES_TARGET) && t->res_target->val &&
            t->res_target->val->node_case == NODE(FUNC_CALL))
            u->certain[u->n_certain++] =
                t->res_target->val->func_call->location;
    }
}

static void stmt_select(struct sem *a, const PgQuery__Node *n)
{
    const PgQuery__SelectStmt *s = n->select_stmt;
    const PgQuery__RangeVar *into = s->into_clause ? s->into_clause->rel : NULL;
    certain_calls(a, s);
    sem_refs(a, n, into, NULL, NULL);
    a->unseen->n_certain = 0;
    int changes = 0;
    sem_walk(n, find_data_change, &changes);
    if (changes)
        sem_fire(a,
                 (struct sem_event){SEM_DATA_CHANGE, -1, .u.data = SEM_WITH});
    if (!into)
        return;
    struct qname q = sem_qname_rv(into);
    const char *schema = sem_target_schema(a, q);
    if (sem_duplicate_relation(a, q, schema, 0, into->location))
        return;
    struct cat_object *t =
        catalog_add(a->cat, CAT_RELATION, schema, NULL, q.name, NULL,
                    sem_site_at(a, into->location));
    t->relkind = CAT_REL_TABLE;
    sem_table_as_columns(a, t, n, 1, NULL, 0); /* sem_refs reported */
}

static void stmt_enum(struct sem *a, const PgQuery__CreateEnumStmt *s)
{
    struct cat_object *t =
        create_type(a, sem_qname_of(s->type_name, s->n_type_name), -1);
    if (!t)
        return;
    t->flags |= CAT_ENUM;
    for (size_t i = 0; i < s->n_vals; i++)
        if (sem_str_of(s->vals[i]))
            catalog_add_label(t, sem_str_of(s->vals[i]), NULL, 0);
}

/* A range type's multirange type (PostgreSQL 14 on) and constructor:
 * multirange_type_name, or makeMultirangeTypeName(): "multi" before the
 * first "range" of the name, else the name and "_multirange". */
static void add_multirange(struct sem *a, struct qname range,
                           const PgQuery__TypeName *given)
{
    struct qname q = range;
    char *name = NULL;
    if (given)
        q = sem_qname_of(given->names, given->n_names);
    else {
        const char *at = strstr(range.name, "range");
        name = at ? xasprintf("%.*smulti%s", (int)(at - range.name),
                              range.name, at)
                  : xasprintf("%s_multirange", range.name);
        q.name = name;
    }
    if (q.name && create_type(a, q, -1))
        catalog_add(a->cat, CAT_FUNCTION, sem_target_schema(a, q), NULL,
                    q.name, "(multirange)", sem_site_at(a, -1))
            ->flags |= CAT_NOT_VOLATILE;
    free(name);
}

static void stmt_range(struct sem *a, const PgQuery__CreateRangeStmt *s)
{
    struct qname q = sem_qname_of(s->type_name, s->n_type_name);
    const PgQuery__TypeName *multirange = NULL;
    /* subtype is a type; subtype_diff, canonical and subtype_opclass
     * name functions and an operator class, not types */
    for (size_t i = 0; i < s->n_params; i++) {
        const PgQuery__Node *p = s->params[i];
        if (p->node_case != NODE(DEF_ELEM) || !p->def_elem->arg ||
            p->def_elem->arg->node_case != NODE(TYPE_NAME))
            continue;
        if (strcmp(p->def_elem->defname, "subtype") == 0)
            sem_use_type(a, p->def_elem->arg->type_name);
        else if (strcmp(p->def_elem->defname, "multirange_type_name") == 0)
            multirange = p->def_elem->arg->type_name;
    }
    if (!create_type(a, q, -1))
        return;
    /* and its constructor */
    catalog_add(a->cat, CAT_FUNCTION, sem_target_schema(a, q), NULL, q.name,
                "(range)", sem_site_at(a, -1))
        ->flags |= CAT_NOT_VOLATILE;
    add_multirange(a, q, multirange);
}

static void stmt_alter_enum(struct sem *a, const PgQuery__AlterEnumStmt *s)
{
    struct qname q = sem_qname_of(s->type_name, s->n_type_name);
    if (!sem_type_exists(a, q) && !a->unsure &&
        sem_may_report_unknown(a, q)) {
        char *t = sem_qname_text(q);
        sem_fire_unknown(a, -1, SEM_ENUM, t, NULL);
        free(t);
    }
    struct cat_object *e = sem_find_in_path(a, CAT_TYPE, q);
    if (!e || !(e->flags & CAT_ENUM))
        return;
    if (s->old_val && *s->old_val)
        catalog_rename_label(e, s->old_val, s->new_val);
    else if (s->new_val && *s->new_val &&
             !cat_names_has(&e->labels, s->new_val))
        catalog_add_label(e, s->new_val,
                          *s->new_val_neighbor ? s->new_val_neighbor : NULL,
                          s->new_val_is_after);
}

void sem_apply(struct sem *a, const PgQuery__Node *n)
{
    statement(a, n);
}

static void statement(struct sem *a, const PgQuery__Node *n)
{
    table_free(&a->ctes);
    sem_walk(n, sem_collect_ctes, &a->ctes);
    sem_fire(a, (struct sem_event){SEM_STATEMENT, -1, .u.node = n});
    switch (n->node_case) {
    case NODE(CREATE_STMT):
        sem_stmt_create_table(a, n->create_stmt, CAT_REL_TABLE);
        break;
    case NODE(CREATE_FOREIGN_TABLE_STMT):
        if (n->create_foreign_table_stmt->base_stmt)
            sem_stmt_create_table(a, n->create_foreign_table_stmt->base_stmt,
                                  CAT_REL_FOREIGN_TABLE);
        break;
    case NODE(CREATE_TABLE_AS_STMT):
        sem_stmt_create_table_as(a, n->create_table_as_stmt);
        break;
    case NODE(VIEW_STMT): sem_stmt_view(a, n->view_stmt); break;
    case NODE(INDEX_STMT): sem_stmt_index(a, n->index_stmt); break;
    case NODE(ALTER_TABLE_STMT):
        sem_stmt_alter_table(a, n->alter_table_stmt);
        break;
    case NODE(DROP_STMT): sem_stmt_drop(a, n->drop_stmt); break;
    case NODE(TRUNCATE_STMT): sem_stmt_truncate(a, n->truncate_stmt); break;
    case NODE(RENAME_STMT): sem_stmt_rename(a, n->rename_stmt); break;
    case NODE(ALTER_OBJECT_SCHEMA_STMT):
        sem_stmt_set_schema(a, n->alter_object_schema_stmt);
        break;
    case NODE(COMPOSITE_TYPE_STMT):
        stmt_composite(a, n->composite_type_stmt);
        break;
    case NODE(CREATE_ENUM_STMT): stmt_enum(a, n->create_enum_stmt); break;
    case NODE(CREATE_RANGE_STMT):
        stmt_range(a, n->create_range_stmt);
        break;
    case NODE(CREATE_DOMAIN_STMT): {
        const PgQuery__CreateDomainStmt *s = n->create_domain_stmt;
        sem_refs(a, n, NULL, NULL, NULL);
        create_type(a, sem_qname_of(s->domainname, s->n_domainname), -1);
        break;
    }
    case NODE(ALTER_ENUM_STMT): stmt_alter_enum(a, n->alter_enum_stmt); break;
    case NODE(DEFINE_STMT): stmt_define(a, n->define_stmt); break;
    case NODE(CREATE_FUNCTION_STMT):
        stmt_create_function(a, n->create_function_stmt);
        break;
    case NODE(CREATE_TRIG_STMT): stmt_trigger(a, n->create_trig_stmt); break;
    case NODE(CREATE_EXTENSION_STMT):
        stmt_extension(a, n->create_extension_stmt);
        break;
    case NODE(CREATE_SCHEMA_STMT): stmt_schema(a, n->create_schema_stmt); break;
    case NODE(CREATE_SEQ_STMT): stmt_sequence(a, n->create_seq_stmt); break;
    case NODE(ALTER_SEQ_STMT): stmt_alter_sequence(a, n->alter_seq_stmt); break;
    case NODE(CREATE_POLICY_STMT): stmt_policy(a, n->create_policy_stmt); break;
    case NODE(ALTER_POLICY_STMT):
        stmt_alter_policy(a, n->alter_policy_stmt);
        break;
    case NODE(CREATE_ROLE_STMT): stmt_role(a, n->create_role_stmt); break;
    case NODE(ALTER_ROLE_STMT): {
        const PgQuery__AlterRoleStmt *s = n->alter_role_stmt;
        sem_fire(a, (struct sem_event){
                        SEM_ROLE_OPTIONS, -1,
                        .u.role = {s->options, s->n_options,
                                   s->role ? s->role->rolename : NULL}});
        break;
    }
    case NODE(DROP_ROLE_STMT): {
        const PgQuery__DropRoleStmt *s = n->drop_role_stmt;
        for (size_t i = 0; i < s->n_roles; i++) {
            const PgQuery__Node *r = s->roles[i];
            struct cat_object *o =
                r->node_case == NODE(ROLE_SPEC) && r->role_spec->rolename
                    ? catalog_get(a->cat, CAT_ROLE, NULL, NULL,
                                  r->role_spec->rolename, NULL)
                    : NULL;
            if (o)
                catalog_remove(a->cat, o);
        }
        break;
    }
    case NODE(VARIABLE_SET_STMT): stmt_set(a, n->variable_set_stmt); break;
    case NODE(INSERT_STMT):
        data_change(a, n->insert_stmt, n->insert_stmt->relation,
                    n->insert_stmt->cols, n->insert_stmt->n_cols, SEM_INSERT);
        sem_dml_resolve(a, n); /* the column references */
        break;
    case NODE(UPDATE_STMT):
        data_change(a, n->update_stmt, n->update_stmt->relation,
                    n->update_stmt->target_list,
                    n->update_stmt->n_target_list, SEM_UPDATE);
        sem_dml_resolve(a, n);
        break;
    case NODE(DELETE_STMT):
        data_change(a, n->delete_stmt, n->delete_stmt->relation, NULL, 0,
                    SEM_DELETE);
        sem_dml_resolve(a, n);
        break;
    case NODE(COMMENT_STMT): stmt_comment(a, n->comment_stmt); break;
    case NODE(DO_STMT): stmt_do(a, n->do_stmt); break;
    case NODE(SELECT_STMT): stmt_select(a, n); break;
    case NODE(MERGE_STMT):
        sem_refs(a, n, NULL, NULL, NULL);
        sem_fire(a,
                 (struct sem_event){SEM_DATA_CHANGE, -1, .u.data = SEM_MERGE});
        break;
    case NODE(CALL_STMT):
        a->unseen->n_certain = 0;
        if (n->call_stmt->funccall)
            a->unseen->certain[a->unseen->n_certain++] =
                n->call_stmt->funccall->location;
        sem_refs(a, n, NULL, NULL, NULL);
        a->unseen->n_certain = 0;
        break;
    case NODE(GRANT_STMT):
    case NODE(LOCK_STMT):
    case NODE(REFRESH_MAT_VIEW_STMT):
    case NODE(CLUSTER_STMT):
    case NODE(VACUUM_STMT):
    case NODE(REINDEX_STMT):
    case NODE(RULE_STMT):
    case NODE(COPY_STMT): sem_refs(a, n, NULL, NULL, NULL); break;
    default: break; /* not modelled: no effect on the catalog */
    }
}

/* ---- the pass ---------------------------------------------------------- */

/* A baseline whose squashed migrations are still in the set is another
 * history of the same schema: applying both would duplicate everything. */
static int skip_baseline(const struct model *m,
                         const struct model_migration *mm)
{
    if (!(mm->flags & MIGC_MIGRATION_SQUASHES))
        return 0;
    for (size_t i = 0; i < m->n; i++) {
        int64_t v = m->files.files[i].version;
        /* its own version may be in the range (1..3 squashed into 1) */
        if (v >= mm->squash_from && v <= mm->squash_to &&
            v != mm->file->version)
            return 1;
    }
    return 0;
}

static void end_migration(struct sem *a)
{
    sem_fire(a, (struct sem_event){SEM_MIGRATION_END, -1, .u.model = NULL});
    if (a->path_local) { /* SET LOCAL ends with the transaction */
        path_clear(a->path, &a->n_path);
        for (size_t i = 0; i < a->n_saved_path; i++)
            a->path[a->n_path++] = xstrdup(a->saved_path[i]);
        a->path_local = 0;
    }
}

struct sem *sem_new(sem_event_fn *on_event, void *ctx)
{
    struct sem *a = xcalloc(1, sizeof *a);
    a->cat = catalog_new();
    a->on_event = on_event;
    a->ctx = ctx;
    a->unseen = xcalloc(1, sizeof *a->unseen);
    path_default(a);
    return a;
}

void sem_migration(struct sem *a, struct model *m, size_t i)
{
    struct model_migration *mm = &m->migrations[i];
    if (!mm->up.present && !mm->up.src)
        return;
    if (skip_baseline(m, mm))
        return;
    a->mig = i;
    a->script = &mm->up;
    if (!mm->up.tree) {
        a->blind = a->unsure = 1; /* what it does is not known */
        return;
    }
    for (size_t k = 0; k < mm->up.n_stmts; k++) {
        a->stmt = &mm->up.stmts[k];
        if (a->stmt->node)
            sem_run(a, a->stmt->node);
    }
    end_migration(a);
}

struct catalog *sem_free(struct sem *a)
{
    path_clear(a->path, &a->n_path);
    path_clear(a->saved_path, &a->n_saved_path);
    table_free(&a->opaque);
    table_free(&a->ctes);
    sem_unseen_free(a->unseen);
    for (size_t i = 0; i < a->n_extensions; i++)
        free(a->extensions[i]);
    free(a->extensions);
    struct catalog *cat = a->cat;
    free(a);
    return cat;
}

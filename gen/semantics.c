/* analyze.c: the rule set (analyze.h). Each statement is first checked
 * against the catalog as the earlier statements left it, then applied.
 *
 * The catalog models what plain DDL does. What it cannot see (the body of
 * a DO block, a function a statement calls, an extension it has no list
 * for, a migration that did not parse) makes it unsure rather than wrong:
 * every word such a statement mentions becomes an "opaque" name, about
 * which no unknown-* or duplicate-object finding is reported. */
#include "semantics.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "migc.h"
#include "script.h"
#include "table.h"
#include "xalloc.h"

#define NODE(x) PG_QUERY__NODE__NODE_##x
#define OBJ(x) PG_QUERY__OBJECT_TYPE__OBJECT_##x
#define AT(x) PG_QUERY__ALTER_TABLE_TYPE__AT_##x
#define CONSTR(x) PG_QUERY__CONSTR_TYPE__CONSTR_##x
#define NAMEDATALEN 64

/* ---- a set of words ---------------------------------------------------- */

static int words_has(const struct table *w, const char *s)
{
    return s && table_has(w, s);
}

static void words_add(struct table *w, const char *s, size_t len)
{
    char *copy = xstrndup(s, len);
    table_add_key(w, copy);
    free(copy);
}

static int is_word_start(unsigned char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c >= 0x80;
}

static int is_word_char(unsigned char c)
{
    return is_word_start(c) || c == '$' || (c >= '0' && c <= '9');
}

/* Every identifier-like word of text, folded to lower case, and every
 * double-quoted identifier as written. */
static void words_scan(struct table *w, const char *text)
{
    for (const char *p = text; *p;) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '"') {
            const char *end = strchr(p + 1, '"');
            if (!end)
                break;
            words_add(w, p + 1, (size_t)(end - p - 1));
            p = end + 1;
        } else if (is_word_start(ch)) {
            char buf[NAMEDATALEN * 4];
            size_t n = 0;
            while (*p && is_word_char((unsigned char)*p)) {
                if (n < sizeof buf)
                    buf[n++] = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
                p++;
            }
            words_add(w, buf, n);
        } else {
            p++;
        }
    }
}

/* ---- state ------------------------------------------------------------- */

/* The columns an expression names (a CHECK's, an index's). */
struct expr_cols {
    const char *names[8];
    size_t n;
    int many; /* more than fit */
};

/* ---- events ------------------------------------------------------------ */

static void fire(struct sem *a, struct sem_event ev)
{
    a->on_event(a->ctx, a, &ev);
}

static void fire_unknown(struct sem *a, int32_t loc, enum sem_what what,
                         const char *name, const struct cat_object *of)
{
    fire(a, (struct sem_event){SEM_UNKNOWN, loc,
                               .u.unknown = {what, name, of}});
}

static void fire_duplicate(struct sem *a, int32_t loc, struct sem_duplicate d)
{
    fire(a, (struct sem_event){SEM_DUPLICATE, loc, .u.duplicate = d});
}

static void fire_change(struct sem *a, enum sem_event_kind kind, int32_t loc,
                        struct sem_change c)
{
    fire(a, (struct sem_event){kind, loc, .u.change = c});
}

struct cat_site sem_site(const struct sem *a,
                         const struct model_statement *st, int32_t loc)
{
    struct cat_site s = {a->mig, a->script->src->path, st->line, st->col,
                         st->off};
    if (loc >= 0 && (size_t)loc >= st->off && (size_t)loc < st->off + st->len)
        source_position(a->script->src, (size_t)loc, &s.line, &s.col);
    return s;
}

static struct cat_site site_at(const struct sem *a, int32_t loc)
{
    return sem_site(a, a->stmt, loc);
}

static const char *str_of(const PgQuery__Node *n)
{
    return n && n->node_case == NODE(STRING) ? n->string->sval : NULL;
}

static int is_opaque(const struct sem *a, const char *name)
{
    return a->blind || words_has(&a->opaque, name);
}

/* A name list (schema.name or name, or catalog.schema.name). */
struct qname {
    const char *schema; /* NULL: unqualified */
    const char *name;
};

static struct qname qname_of(PgQuery__Node *const *items, size_t n)
{
    struct qname q = {NULL, n ? str_of(items[n - 1]) : NULL};
    if (n >= 2)
        q.schema = str_of(items[n - 2]);
    if (!q.name)
        q.name = "";
    return q;
}

static struct qname qname_rv(const PgQuery__RangeVar *rv)
{
    struct qname q = {rv->schemaname && *rv->schemaname ? rv->schemaname
                                                        : NULL,
                      rv->relname};
    if (!q.schema && rv->relpersistence && rv->relpersistence[0] == 't')
        q.schema = "pg_temp";
    return q;
}

static char *qname_text(struct qname q)
{
    return q.schema ? xasprintf("%s.%s", q.schema, q.name) : xstrdup(q.name);
}

static int builtin_schema(const char *s)
{
    return strcmp(s, "pg_catalog") == 0 ||
           strcmp(s, "information_schema") == 0 ||
           strcmp(s, "pg_toast") == 0;
}

/* The schema an unqualified CREATE puts its object in. */
static const char *creation_schema(const struct sem *a)
{
    if (a->create_schema)
        return a->create_schema;
    for (size_t i = 0; i < a->n_path; i++)
        if (strcmp(a->path[i], "$user") != 0 &&
            !builtin_schema(a->path[i]) &&
            (strcmp(a->path[i], "public") == 0 ||
             catalog_get(a->cat, CAT_SCHEMA, NULL, NULL, a->path[i], NULL)))
            return a->path[i];
    return "public";
}

static const char *target_schema(const struct sem *a, struct qname q)
{
    return q.schema ? q.schema : creation_schema(a);
}

static int schema_exists(const struct sem *a, const char *s)
{
    return strcmp(s, "public") == 0 || strcmp(s, "pg_temp") == 0 ||
           builtin_schema(s) ||
           catalog_get(a->cat, CAT_SCHEMA, NULL, NULL, s, NULL);
}

/* A statement creates, changes or reads the relation q. */
static void touch(struct sem *a, struct qname q, int32_t loc)
{
    fire(a, (struct sem_event){SEM_TOUCH_RELATION, loc,
                               .u.touch = {q.name, 0}});
}

static void touch_dropped(struct sem *a, struct qname q)
{
    fire(a, (struct sem_event){SEM_TOUCH_RELATION, -1,
                               .u.touch = {q.name, 1}});
}

/* ---- lookups ----------------------------------------------------------- */

static struct cat_object *find_in_path(const struct sem *a, enum cat_kind k,
                                       struct qname q)
{
    if (q.schema)
        return catalog_get(a->cat, k, q.schema, NULL, q.name, NULL);
    struct cat_object *o =
        k == CAT_RELATION
            ? catalog_get(a->cat, k, "pg_temp", NULL, q.name, NULL)
            : NULL;
    for (size_t i = 0; !o && i < a->n_path; i++)
        o = catalog_get(a->cat, k, a->path[i], NULL, q.name, NULL);
    if (!o && a->create_schema)
        o = catalog_get(a->cat, k, a->create_schema, NULL, q.name, NULL);
    return o;
}

static struct cat_object *find_relation(const struct sem *a, struct qname q)
{
    return find_in_path(a, CAT_RELATION, q);
}

static int extension_has(const struct sem *a,
                         int (*has)(const char *ext, const char *name),
                         const char *name)
{
    for (size_t i = 0; i < a->n_extensions; i++)
        if (has(a->extensions[i], name))
            return 1;
    return 0;
}

static int ext_relation(const char *ext, const char *name)
{
    return builtin_extension_relation(ext, NULL, name);
}

/* A relation PostgreSQL or a created extension provides. */
static int relation_provided(const struct sem *a, struct qname q)
{
    if (q.schema && builtin_schema(q.schema))
        return 1; /* the system catalogs: not modelled, trusted */
    if (!q.schema && (builtin_relation("pg_catalog", q.name) ||
                      builtin_relation("information_schema", q.name)))
        return 1;
    return extension_has(a, ext_relation, q.name);
}

/* Whether an unknown name should be reported at all. */
static int may_report_unknown(const struct sem *a, struct qname q)
{
    if (is_opaque(a, q.name) || (q.schema && is_opaque(a, q.schema)))
        return 0;
    /* an object in a schema nothing created: the schema is the problem,
     * and it may come from outside (a PREREQ): report only known ones */
    return !q.schema || schema_exists(a, q.schema);
}

static void unknown_relation(struct sem *a, struct qname q, int32_t loc)
{
    if (!may_report_unknown(a, q))
        return;
    char *t = qname_text(q);
    fire_unknown(a, loc, SEM_RELATION, t, NULL);
    free(t);
}

/* A reference to a relation: reported when nothing provides it. */
static struct cat_object *use_relation(struct sem *a, struct qname q,
                                       int32_t loc, int missing_ok)
{
    struct cat_object *o = find_relation(a, q);
    if (o || missing_ok || relation_provided(a, q))
        return o;
    if (!q.schema && words_has(&a->ctes, q.name))
        return NULL;
    unknown_relation(a, q, loc);
    return NULL;
}

/* ---- types ------------------------------------------------------------- */

static const struct {
    const char *internal, *shown;
} type_words[] = {
    {"bigserial", "bigint"},
    {"bool", "boolean"},
    {"bpchar", "character"},
    {"float4", "real"},
    {"float8", "double precision"},
    {"int2", "smallint"},
    {"int4", "integer"},
    {"int8", "bigint"},
    {"serial", "integer"},
    {"serial2", "smallint"},
    {"serial4", "integer"},
    {"serial8", "bigint"},
    {"smallserial", "smallint"},
    {"time", "time without time zone"},
    {"timestamp", "timestamp without time zone"},
    {"timestamptz", "timestamp with time zone"},
    {"timetz", "time with time zone"},
    {"varbit", "bit varying"},
    {"varchar", "character varying"},
};

static const char *type_base(const PgQuery__TypeName *t)
{
    return t->n_names ? str_of(t->names[t->n_names - 1]) : NULL;
}

static int is_serial(const PgQuery__TypeName *t)
{
    const char *b = type_base(t);
    return b && t->n_names == 1 && !t->n_array_bounds &&
           (strcmp(b, "serial") == 0 || strcmp(b, "bigserial") == 0 ||
            strcmp(b, "smallserial") == 0 || strcmp(b, "serial2") == 0 ||
            strcmp(b, "serial4") == 0 || strcmp(b, "serial8") == 0);
}

/* The type as PostgreSQL's format_type() prints it: "integer",
 * "character varying(20)", "timestamp(3) with time zone", "text[]". */
static struct cat_object *find_in_path(const struct sem *a, enum cat_kind k,
                                       struct qname q);

static char *type_text(const struct sem *a, const PgQuery__TypeName *t)
{
    const char *base = type_base(t);
    if (!base)
        return xstrdup("unknown");
    struct qname q = qname_of(t->names, t->n_names);
    const char *shown = base;
    int builtin = !q.schema || strcmp(q.schema, "pg_catalog") == 0;
    for (size_t i = 0; builtin && i < sizeof type_words / sizeof *type_words;
         i++)
        if (strcmp(base, type_words[i].internal) == 0)
            shown = type_words[i].shown;
    if (strcmp(base, "bpchar") == 0 && !t->n_typmods)
        shown = "bpchar"; /* format_type(): bpchar without a length */
    if (!q.schema && strcmp(base, "char") == 0)
        shown = "\"char\""; /* the quoted one-byte type: CHAR is bpchar */
    char mods[64] = "";
    size_t m = 0;
    for (size_t i = 0; i < t->n_typmods && m + 16 < sizeof mods; i++) {
        const PgQuery__Node *n = t->typmods[i];
        if (n->node_case != NODE(A_CONST) ||
            n->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL)
            continue;
        m += (size_t)snprintf(mods + m, sizeof mods - m, "%s%d",
                              m ? "," : "(", n->a_const->ival->ival);
    }
    if (m && strcmp(base, "numeric") == 0 && t->n_typmods == 1)
        m += (size_t)snprintf(mods + m, sizeof mods - m, ",0");
    if (m)
        snprintf(mods + m, sizeof mods - m, ")");
    if (strcmp(base, "interval") == 0)
        mods[0] = '\0'; /* its typmods encode fields: not printed */
    const char *arr = t->n_array_bounds ? "[]" : "";
    const char *zone = strstr(shown, " with");
    if (m && zone && strncmp(shown, "tim", 3) == 0) /* timestamp(3) with.. */
        return xasprintf("%.*s%s%s%s", (int)(zone - shown), shown, mods, zone,
                         arr);
    /* format_type() qualifies a type its search_path does not show: for
     * the default path, one outside public */
    const struct cat_object *o = find_in_path(a, CAT_TYPE, q);
    if (!o)
        o = find_in_path(a, CAT_RELATION, q);
    const char *schema = o ? o->schema : builtin ? NULL : q.schema;
    if (schema && strcmp(schema, "public") != 0)
        return xasprintf("%s.%s%s%s", schema, shown, mods, arr);
    return xasprintf("%s%s%s", shown, mods, arr);
}

static int ext_type(const char *ext, const char *name)
{
    return builtin_extension_type(ext, name);
}

static int type_exists(const struct sem *a, struct qname q)
{
    if (q.schema && strcmp(q.schema, "pg_catalog") == 0)
        return 1;
    if (find_in_path(a, CAT_TYPE, q) || find_relation(a, q))
        return 1; /* a table's row type too */
    if (!q.schema && builtin_type(q.name))
        return 1;
    return extension_has(a, ext_type, q.name);
}

static void use_type(struct sem *a, const PgQuery__TypeName *t)
{
    if (!t || t->pct_type || !t->n_names)
        return;
    struct qname q = qname_of(t->names, t->n_names);
    if (type_exists(a, q) || a->unsure || !may_report_unknown(a, q))
        return;
    char *name = qname_text(q);
    fire_unknown(a, t->location, SEM_TYPE, name, NULL);
    free(name);
}

/* ---- functions --------------------------------------------------------- */

static int ext_function(const char *ext, const char *name)
{
    return builtin_extension_function(ext, name);
}

static struct cat_object *find_function(const struct sem *a, struct qname q)
{
    if (q.schema)
        return catalog_get(a->cat, CAT_FUNCTION, q.schema, NULL, q.name,
                           NULL);
    for (size_t i = 0; i < a->n_path; i++) {
        struct cat_object *o =
            catalog_functions_named(a->cat, a->path[i], q.name)
                ? catalog_get(a->cat, CAT_FUNCTION, a->path[i], NULL, q.name,
                              NULL)
                : NULL;
        if (o)
            return o;
    }
    return NULL;
}

static int function_exists(const struct sem *a, struct qname q)
{
    if (q.schema && builtin_schema(q.schema))
        return 1;
    if (find_function(a, q))
        return 1;
    if (!q.schema && builtin_function(q.name))
        return 1;
    return extension_has(a, ext_function, q.name);
}

static void use_function(struct sem *a, PgQuery__Node *const *names, size_t n,
                         int32_t loc)
{
    struct qname q = qname_of(names, n);
    struct cat_object *f = find_function(a, q);
    if (f && f->body)
        words_scan(&a->opaque, f->body); /* what it runs is not seen */
    if (f || function_exists(a, q) || a->unsure ||
        !may_report_unknown(a, q))
        return;
    char *name = qname_text(q);
    fire_unknown(a, loc, SEM_FUNCTION, name, NULL);
    free(name);
}

/* "(integer, text)": the argument types that identify a function. */
static char *signature(const struct sem *a, PgQuery__Node *const *params,
                       size_t n, int with_mode)
{
    size_t cap = 64, len = 0;
    char *s = xmalloc(cap);
    s[len++] = '(';
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        const PgQuery__TypeName *t = NULL;
        if (with_mode && params[i]->node_case == NODE(FUNCTION_PARAMETER)) {
            const PgQuery__FunctionParameter *p =
                params[i]->function_parameter;
            if (p->mode == PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT ||
                p->mode == PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE)
                continue;
            t = p->arg_type;
        } else if (params[i]->node_case == NODE(TYPE_NAME)) {
            t = params[i]->type_name;
        }
        char *tt = t ? type_text(a, t) : xstrdup("unknown");
        size_t need = len + strlen(tt) + 4;
        if (need > cap) {
            cap = need * 2;
            s = xrealloc(s, cap);
        }
        len += (size_t)sprintf(s + len, "%s%s", first ? "" : ", ", tt);
        first = 0;
        free(tt);
    }
    s = xrealloc(s, len + 2);
    s[len++] = ')';
    s[len] = '\0';
    return s;
}

/* ---- the generic walk -------------------------------------------------- */

/* Visit every message below m, depth first, through protobuf-c's
 * reflection: the parse tree has some 250 node types, and a reference to
 * a relation, type or function can sit in most of them. visit gets ctx,
 * the walk's own state, and returns 1 to skip the children of a message. */
typedef int (*visit_fn)(void *ctx, const ProtobufCMessage *m);

static void walk(const void *msg, visit_fn visit, void *ctx)
{
    const ProtobufCMessage *m = msg;
    if (!m || visit(ctx, m))
        return;
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (d == &pg_query__node__descriptor) {
        /* a oneof of some 250 fields: go straight to the one that is set */
        const PgQuery__Node *n = (const PgQuery__Node *)m;
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field(d,
                                                    (unsigned)n->node_case);
        if (f && f->type == PROTOBUF_C_TYPE_MESSAGE)
            walk(*(ProtobufCMessage *const *)((const char *)m + f->offset),
                 visit, ctx);
        return;
    }
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        const char *base = (const char *)m;
        if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            if (*(const uint32_t *)(base + f->quantifier_offset) != f->id)
                continue;
        }
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)(base + f->quantifier_offset);
            ProtobufCMessage *const *items =
                *(ProtobufCMessage *const *const *)(base + f->offset);
            for (size_t k = 0; k < n; k++)
                walk(items[k], visit, ctx);
        } else {
            walk(*(ProtobufCMessage *const *)(base + f->offset), visit, ctx);
        }
    }
}

static int is_msg(const ProtobufCMessage *m, const ProtobufCMessageDescriptor *d)
{
    return m->descriptor == d;
}

static int collect_ctes(void *ctes, const ProtobufCMessage *m)
{
    if (is_msg(m, &pg_query__common_table_expr__descriptor))
        words_add(ctes, ((const PgQuery__CommonTableExpr *)m)->ctename,
                  strlen(((const PgQuery__CommonTableExpr *)m)->ctename));
    return 0;
}

static int is_false(const PgQuery__Node *n)
{
    if (!n || n->node_case != NODE(A_CONST))
        return 0;
    const PgQuery__AConst *c = n->a_const;
    if (c->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL)
        return !c->boolval->boolval;
    if (c->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
        const char *s = c->sval->sval;
        return strcmp(s, "false") == 0 || strcmp(s, "f") == 0 ||
               strcmp(s, "off") == 0 || strcmp(s, "0") == 0;
    }
    return 0;
}

static const char *const_string(const PgQuery__Node *n)
{
    if (n && n->node_case == NODE(TYPE_CAST))
        n = n->type_cast->arg;
    if (!n || n->node_case != NODE(A_CONST) ||
        n->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
        return NULL;
    return n->a_const->sval->sval;
}

static void set_search_path(struct sem *a, const char *value, int local);

/* set_config('name', value, false) changes the session (session-state). */
static void check_set_config(struct sem *a, const PgQuery__FuncCall *f)
{
    struct qname q = qname_of(f->funcname, f->n_funcname);
    if (strcmp(q.name, "set_config") != 0 || f->n_args != 3)
        return;
    const char *name = const_string(f->args[0]);
    int session = is_false(f->args[2]);
    if (name && strcmp(name, "search_path") == 0) {
        const char *v = const_string(f->args[1]);
        if (v)
            set_search_path(a, v, !session);
    }
    fire(a, (struct sem_event){SEM_SET_CONFIG, f->location,
                               .u.set_config = {name, session}});
}

/* References anywhere in a statement: relations, types, functions. */
static void check_refs(struct sem *a, const ProtobufCMessage *m)
{
    if (is_msg(m, &pg_query__range_var__descriptor)) {
        const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)m;
        touch(a, qname_rv(rv), rv->location);
        use_relation(a, qname_rv(rv), rv->location, 0);
    } else if (is_msg(m, &pg_query__type_name__descriptor)) {
        use_type(a, (const PgQuery__TypeName *)m);
    } else if (is_msg(m, &pg_query__func_call__descriptor)) {
        const PgQuery__FuncCall *f = (const PgQuery__FuncCall *)m;
        use_function(a, f->funcname, f->n_funcname, f->location);
        check_set_config(a, f);
    }
}

/* A references walk: the definitions it leaves out (the name a statement
 * creates is not a reference). */
struct refs_walk {
    struct sem *a;
    const void *skip[3];
};

static int check_refs_skipping(void *ctx, const ProtobufCMessage *m)
{
    struct refs_walk *w = ctx;
    for (size_t i = 0; i < 3; i++)
        if (w->skip[i] && (const void *)m == w->skip[i])
            return 1;
    check_refs(w->a, m);
    return 0;
}

/* Walk msg for references, leaving out the definitions d1..d3. */
static void refs(struct sem *a, const void *msg, const void *d1,
                 const void *d2, const void *d3)
{
    struct refs_walk w = {a, {d1, d2, d3}};
    walk(msg, check_refs_skipping, &w);
}

/* ---- names PostgreSQL chooses ------------------------------------------ */

/* makeObjectName(): name1_name2_label within NAMEDATALEN - 1 bytes,
 * shortening the longer of name1 and name2 first. */
static char *object_name(const char *n1, const char *n2, const char *label)
{
    size_t l1 = strlen(n1), l2 = n2 ? strlen(n2) : 0;
    size_t overhead = (label ? strlen(label) + 1 : 0) + (n2 ? 1 : 0);
    size_t avail = NAMEDATALEN - 1 - overhead;
    while (l1 + l2 > avail) {
        if (l1 > l2)
            l1--;
        else
            l2--;
    }
    return xasprintf("%.*s%s%.*s%s%s", (int)l1, n1, n2 ? "_" : "", (int)l2,
                     n2 ? n2 : "", label ? "_" : "", label ? label : "");
}

static int relation_name_taken(const struct sem *a, const char *schema,
                               const char *name)
{
    return catalog_get(a->cat, CAT_RELATION, schema, NULL, name, NULL) ||
           catalog_get(a->cat, CAT_TYPE, schema, NULL, name, NULL);
}

/* ConstraintNameExists(): constraint names are unique per schema for
 * ChooseConstraintName(), whatever their table. */
static int constraint_name_taken(const struct sem *a, const char *schema,
                                 const char *name)
{
    return catalog_constraint_named(a->cat, schema, name);
}

/* ChooseRelationName() / ChooseConstraintName(): add 1, 2, ... to the label
 * until the name is free. */
static char *choose_name(const struct sem *a, const char *schema,
                         const char *n1, const char *n2, const char *label,
                         int constraint)
{
    for (unsigned pass = 0;; pass++) {
        char mod[32];
        if (pass)
            snprintf(mod, sizeof mod, "%s%u", label, pass);
        char *name = object_name(n1, n2, pass ? mod : label);
        int taken = relation_name_taken(a, schema, name) ||
                    (constraint && constraint_name_taken(a, schema, name));
        if (!taken)
            return name;
        free(name);
    }
}

/* ChooseIndexNameAddition(): column names joined by '_', stopping once
 * NAMEDATALEN is reached. */
static char *name_addition(const char *const *names, size_t n)
{
    char buf[NAMEDATALEN * 2] = "";
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(names[i]);
        if (len + 1 + k >= sizeof buf)
            k = sizeof buf - len - 2;
        if (i)
            buf[len++] = '_';
        memcpy(buf + len, names[i], k);
        len += k;
        buf[len] = '\0';
        if (len >= NAMEDATALEN)
            break;
    }
    return xstrdup(buf);
}

/* ---- statements: tables ------------------------------------------------ */

int sem_existing(const struct sem *a, const struct cat_object *o)
{
    return o && o->created.mig < a->mig;
}

static void note_altered(struct sem *a, struct cat_object *t)
{
    if (t && t->created.mig < a->mig && t->last_altered != a->mig) {
        t->n_altered++;
        t->last_altered = a->mig;
    }
}

/* FigureColnameInternal(): the name PostgreSQL gives an expression (an
 * index column's, in the index's name), and how sure: 2 for a column or
 * function name, 1 for a construct or a cast's type, 0 for none. */
static int figure_colname(const PgQuery__Node *n, const char **name)
{
    if (!n)
        return 0;
    switch (n->node_case) {
    case NODE(COLUMN_REF): {
        const PgQuery__ColumnRef *c = n->column_ref;
        const char *last = c->n_fields ? str_of(c->fields[c->n_fields - 1])
                                       : NULL;
        if (!last)
            return 0;
        *name = last;
        return 2;
    }
    case NODE(FUNC_CALL):
        *name = qname_of(n->func_call->funcname, n->func_call->n_funcname)
                    .name;
        return 2;
    case NODE(TYPE_CAST): {
        int strength = figure_colname(n->type_cast->arg, name);
        if (strength <= 1 && n->type_cast->type_name) {
            const char *b = type_base(n->type_cast->type_name);
            if (b) {
                *name = b;
                return 1;
            }
        }
        return strength;
    }
    case NODE(COLLATE_CLAUSE): return figure_colname(n->collate_clause->arg, name);
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

/* Column names of a list of String nodes (or IndexElems). */
static size_t column_names(PgQuery__Node *const *items, size_t n,
                           const char **out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        const char *s = str_of(items[i]);
        if (!s && items[i]->node_case == NODE(INDEX_ELEM)) {
            const PgQuery__IndexElem *e = items[i]->index_elem;
            s = e->name && *e->name ? e->name
                : e->indexcolname && *e->indexcolname ? e->indexcolname
                                                      : NULL;
            if (!s && !figure_colname(e->expr, &s))
                s = NULL;
            if (!s)
                s = "expr"; /* numbered by the caller: expr, expr1, ... */
        }
        out[k++] = s ? s : "";
    }
    return k;
}

static void use_column(struct sem *a, struct cat_object *t, const char *col,
                       int32_t loc)
{
    if (!t || t->cols_unknown || !col || !*col || catalog_column(t, col) ||
        is_opaque(a, col))
        return;
    fire_unknown(a, loc, SEM_COLUMN, col, t);
}

/* The column names a CHECK or index expression refers to, for naming
 * and for unknown-column. */
static int collect_column_refs(void *ctx, const ProtobufCMessage *m)
{
    struct expr_cols *ec = ctx;
    if (!is_msg(m, &pg_query__column_ref__descriptor))
        return 0;
    const PgQuery__ColumnRef *c = (const PgQuery__ColumnRef *)m;
    const char *name = c->n_fields ? str_of(c->fields[c->n_fields - 1]) : NULL;
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
    walk(expr, collect_column_refs, ec);
    for (size_t i = 0; i < ec->n; i++)
        use_column(a, t, ec->names[i], loc);
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

static void add_index_object(struct sem *a, const char *schema,
                             const char *table, const char *name,
                             int32_t loc, struct cat_names uses)
{
    struct cat_object *ix =
        catalog_add(a->cat, CAT_RELATION, schema, table, name, NULL,
                    site_at(a, loc));
    ix->relkind = CAT_REL_INDEX;
    ix->uses = uses;
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

/* A table constraint (or a column's, col set) applied to table t. */
static void add_constraint(struct sem *a, struct cat_object *t,
                           const PgQuery__Constraint *c, const char *col,
                           int in_create)
{
    const char *label = NULL;
    char type = 0;
    const char *cols[32];
    size_t n = 0;
    if (c->raw_expr) /* DEFAULT, CHECK, GENERATED: functions, types */
        refs(a, c->raw_expr, NULL, NULL, NULL);
    switch (c->contype) {
    case CONSTR(PRIMARY): label = "pkey"; type = 'p'; break;
    case CONSTR(UNIQUE): label = "key"; type = 'u'; break;
    case CONSTR(EXCLUSION): label = "excl"; type = 'x'; break;
    case CONSTR(FOREIGN): label = "fkey"; type = 'f'; break;
    case CONSTR(CHECK): label = "check"; type = 'c'; break;
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
        use_column(a, t, cols[i], c->location);
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
    }
    else
        uses = column_list(cols, n);
    if (in_create && (type == 'u' || type == 'p') &&
        same_key_exists(a, t, &uses)) {
        /* transformIndexConstraints() drops a key that repeats another */
        cat_names_free(&uses);
        return;
    }
    if (c->contype == CONSTR(FOREIGN) && c->pktable) {
        struct cat_object *ref =
            use_relation(a, qname_rv(c->pktable), c->pktable->location, 0);
        for (size_t i = 0; ref && i < c->n_pk_attrs; i++)
            use_column(a, ref, str_of(c->pk_attrs[i]), c->pktable->location);
    }
    char *name;
    if (!(c->conname && *c->conname) && c->indexname && *c->indexname) {
        name = xstrdup(c->indexname); /* USING INDEX: the index's name */
    } else if (c->conname && *c->conname) {
        name = xstrdup(c->conname);
        if (catalog_get(a->cat, CAT_CONSTRAINT, t->schema, t->name, name,
                        NULL) &&
            !is_opaque(a, name))
            fire_duplicate(a, c->location,
                           (struct sem_duplicate){SEM_CONSTRAINT, NULL, name,
                                                  NULL, t, NULL});
    } else {
        char *add = type == 'p' ? NULL : name_addition(cols, n);
        name = choose_name(a, t->schema, t->name, add && *add ? add : NULL,
                           label, type != 'p' && type != 'u' && type != 'x');
        free(add);
    }
    if (!catalog_get(a->cat, CAT_CONSTRAINT, t->schema, t->name, name, NULL)) {
        struct cat_object *k = catalog_add(a->cat, CAT_CONSTRAINT, t->schema,
                                           t->name, name, NULL,
                                           site_at(a, c->location));
        k->contype = type;
        cat_names_copy(&k->uses, &uses);
        if (c->contype == CONSTR(FOREIGN) && c->pktable) {
            struct qname rq = qname_rv(c->pktable);
            const struct cat_object *rt = find_relation(a, rq);
            const char *rn[32];
            size_t nr = column_names(c->pk_attrs, c->n_pk_attrs, rn, 32);
            k->ref_schema = xstrdup(rt ? rt->schema : target_schema(a, rq));
            k->ref_table = xstrdup(rq.name);
            for (size_t i = 0; i < nr; i++)
                cat_names_add(&k->ref_cols, rn[i]);
        }
        fire_change(a, SEM_CONSTRAINT_ADDED, c->location,
                    (struct sem_change){.table = t,
                                        .name = name,
                                        .constraint = c,
                                        .in_create = in_create});
        if (type == 'f' && c->pktable) {
            const struct cat_object *ref = find_relation(a, qname_rv(c->pktable));
            if (ref) /* for DROP TABLE ... CASCADE */
                k->ref_added = xasprintf("%s.%s", ref->schema, ref->name);
        }
        if (c->skip_validation)
            k->flags |= CAT_NOT_VALID;
    }
    if ((type == 'p' || type == 'u' || type == 'x') &&
        !(c->indexname && *c->indexname) &&
        !catalog_get(a->cat, CAT_RELATION, t->schema, NULL, name, NULL)) {
        struct cat_names ix_uses = {0};
        cat_names_copy(&ix_uses, &uses);
        add_index_object(a, t->schema, t->name, name, c->location, ix_uses);
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
struct volatile_walk {
    struct sem *a;
    int found;
};

static int find_volatile(void *ctx, const ProtobufCMessage *m)
{
    struct volatile_walk *w = ctx;
    if (!is_msg(m, &pg_query__func_call__descriptor))
        return 0;
    const PgQuery__FuncCall *f = (const PgQuery__FuncCall *)m;
    struct qname q = qname_of(f->funcname, f->n_funcname);
    for (size_t i = 0;
         i < sizeof volatile_builtins / sizeof *volatile_builtins; i++)
        if (strcmp(q.name, volatile_builtins[i]) == 0)
            w->found = 1;
    struct cat_object *fn = find_function(w->a, q);
    if (fn && !(fn->flags & CAT_NOT_VOLATILE))
        w->found = 1;
    return 0;
}

/* A column definition: its type, nullability, default, and the
 * constraints written on it. */
struct coldef_info {
    int not_null, has_default, generated, identity, serial;
    const PgQuery__Node *default_expr;
};

static struct coldef_info coldef_info(const PgQuery__ColumnDef *cd)
{
    struct coldef_info i = {.not_null = cd->is_not_null,
                            .serial = is_serial(cd->type_name)};
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

/* An owned sequence (serial or identity column): t_col_seq. */
static void add_owned_sequence(struct sem *a, struct cat_object *t,
                               const char *col, int32_t loc)
{
    char *name = choose_name(a, t->schema, t->name, col, "seq", 0);
    struct cat_object *s = catalog_add(a->cat, CAT_RELATION, t->schema,
                                       t->name, name, NULL, site_at(a, loc));
    s->relkind = CAT_REL_SEQUENCE;
    cat_names_add(&s->uses, col);
    free(name);
}

static void column_constraints(struct sem *a, struct cat_object *t,
                               const PgQuery__ColumnDef *cd, int in_create)
{
    for (size_t k = 0; k < cd->n_constraints; k++)
        if (cd->constraints[k]->node_case == NODE(CONSTRAINT))
            add_constraint(a, t, cd->constraints[k]->constraint, cd->colname,
                           in_create);
}

static void add_column_def(struct sem *a, struct cat_object *t,
                           const PgQuery__ColumnDef *cd, int in_create)
{
    use_type(a, cd->type_name);
    struct coldef_info ci = coldef_info(cd);
    char *type = type_text(a, cd->type_name);
    struct cat_column *col =
        catalog_add_column(t, cd->colname, type, site_at(a, cd->location));
    free(type);
    col->not_null = ci.not_null;
    col->has_default = ci.has_default;
    col->generated = ci.identity || ci.generated;
    if (ci.serial || ci.identity)
        add_owned_sequence(a, t, cd->colname, cd->location);
    if (!in_create) /* CREATE TABLE adds them once every column is there */
        column_constraints(a, t, cd, 0);
    if (cd->raw_default)
        refs(a, cd->raw_default, NULL, NULL, NULL);
}

static void copy_columns(struct sem *a, struct cat_object *to,
                         const struct cat_object *from, int32_t loc)
{
    if (from->cols_unknown)
        to->cols_unknown = 1;
    for (size_t i = 0; i < from->n_cols; i++)
        if (!catalog_column(to, from->cols[i].name)) {
            struct cat_column *c = catalog_add_column(
                to, from->cols[i].name, from->cols[i].type, site_at(a, loc));
            c->not_null = from->cols[i].not_null;
        }
}

static int duplicate_relation(struct sem *a, struct qname q,
                              const char *schema, int if_not_exists,
                              int32_t loc)
{
    struct cat_object *o =
        catalog_get(a->cat, CAT_RELATION, schema, NULL, q.name, NULL);
    if (!o && strcmp(schema, "pg_temp") != 0)
        o = catalog_get(a->cat, CAT_TYPE, schema, NULL, q.name, NULL);
    if (!o)
        return 0;
    if (!if_not_exists && !is_opaque(a, q.name))
        fire_duplicate(a, loc,
                       (struct sem_duplicate){SEM_RELATION, schema, q.name,
                                              NULL, NULL, o});
    return 1;
}


static struct cat_object *create_table(struct sem *a,
                                       const PgQuery__CreateStmt *s,
                                       enum cat_relkind relkind)
{
    struct qname q = qname_rv(s->relation);
    touch(a, q, s->relation->location);
    const char *schema = target_schema(a, q);
    if (duplicate_relation(a, q, schema, s->if_not_exists,
                           s->relation->location))
        return NULL;
    struct cat_object *t = catalog_add(a->cat, CAT_RELATION, schema, NULL,
                                       q.name, NULL,
                                       site_at(a, s->relation->location));
    t->relkind = relkind;
    if (s->partspec)
        t->flags |= CAT_PARTITIONED;
    for (size_t i = 0; i < s->n_inh_relations; i++) {
        const PgQuery__Node *n = s->inh_relations[i];
        if (n->node_case != NODE(RANGE_VAR))
            continue;
        struct cat_object *p = use_relation(a, qname_rv(n->range_var),
                                            n->range_var->location, 0);
        if (p)
            copy_columns(a, t, p, n->range_var->location);
        else
            t->cols_unknown = 1;
    }
    if (s->of_typename) {
        use_type(a, s->of_typename);
        struct qname tq = qname_of(s->of_typename->names,
                                   s->of_typename->n_names);
        struct cat_object *ty = find_in_path(a, CAT_TYPE, tq);
        if (ty)
            copy_columns(a, t, ty, s->of_typename->location);
        else
            t->cols_unknown = 1;
    }
    for (size_t i = 0; i < s->n_table_elts; i++) {
        const PgQuery__Node *n = s->table_elts[i];
        if (n->node_case == NODE(COLUMN_DEF)) {
            const PgQuery__ColumnDef *cd = n->column_def;
            struct cat_column *have = catalog_column(t, cd->colname);
            if (have) { /* a partition's or child's column options */
                struct coldef_info ci = coldef_info(cd);
                have->not_null |= ci.not_null;
                continue;
            }
            add_column_def(a, t, cd, 1);
        } else if (n->node_case == NODE(TABLE_LIKE_CLAUSE)) {
            const PgQuery__RangeVar *rv = n->table_like_clause->relation;
            struct cat_object *src =
                use_relation(a, qname_rv(rv), rv->location, 0);
            if (src)
                copy_columns(a, t, src, rv->location);
            else
                t->cols_unknown = 1;
        }
    }
    for (size_t i = 0; i < s->n_table_elts; i++)
        if (s->table_elts[i]->node_case == NODE(COLUMN_DEF))
            column_constraints(a, t, s->table_elts[i]->column_def, 1);
    for (size_t i = 0; i < s->n_table_elts; i++)
        if (s->table_elts[i]->node_case == NODE(CONSTRAINT))
            add_constraint(a, t, s->table_elts[i]->constraint, NULL, 1);
    for (size_t i = 0; i < s->n_constraints; i++)
        if (s->constraints[i]->node_case == NODE(CONSTRAINT))
            add_constraint(a, t, s->constraints[i]->constraint, NULL, 1);
    return t;
}

static void stmt_create_table(struct sem *a, const PgQuery__CreateStmt *s,
                              enum cat_relkind relkind)
{
    create_table(a, s, relkind);
    /* Only what is left: expressions in defaults and partition bounds. */
    if (s->partbound)
        refs(a, s->partbound, NULL, NULL, NULL);
}

/* A walk collecting the relations a query reads. */
struct reads_walk {
    struct sem *a;
    struct cat_names *out;
};

static int collect_reads(void *ctx, const ProtobufCMessage *m)
{
    struct reads_walk *w = ctx;
    if (!is_msg(m, &pg_query__range_var__descriptor))
        return 0;
    const struct cat_object *o =
        find_relation(w->a, qname_rv((const PgQuery__RangeVar *)m));
    if (!o)
        return 0;
    char *q = xasprintf("%s.%s", o->schema, o->name);
    cat_names_add(w->out, q);
    free(q);
    return 0;
}

/* The relations query reads, for dropping the view with them. */
static void query_reads(struct sem *a, const PgQuery__Node *query,
                        struct cat_names *out)
{
    struct reads_walk w = {a, out};
    walk(query, collect_reads, &w);
}

static void stmt_create_table_as(struct sem *a,
                                  const PgQuery__CreateTableAsStmt *s)
{
    struct qname q = qname_rv(s->into->rel);
    const char *schema = target_schema(a, q);
    refs(a, s->query, NULL, NULL, NULL);
    if (duplicate_relation(a, q, schema, s->if_not_exists,
                           s->into->rel->location))
        return;
    struct cat_object *t = catalog_add(a->cat, CAT_RELATION, schema, NULL,
                                       q.name, NULL,
                                       site_at(a, s->into->rel->location));
    t->relkind = s->objtype == OBJ(MATVIEW) ? CAT_REL_MATVIEW : CAT_REL_TABLE;
    t->cols_unknown = 1;
    if (t->relkind == CAT_REL_MATVIEW)
        query_reads(a, s->query, &t->reads);
}

static void stmt_view(struct sem *a, const PgQuery__ViewStmt *s)
{
    struct qname q = qname_rv(s->view);
    const char *schema = target_schema(a, q);
    refs(a, s->query, NULL, NULL, NULL);
    struct cat_object *v =
        catalog_get(a->cat, CAT_RELATION, schema, NULL, q.name, NULL);
    if (!(v && s->replace)) {
        if (duplicate_relation(a, q, schema, 0, s->view->location))
            return;
        v = catalog_add(a->cat, CAT_RELATION, schema, NULL, q.name, NULL,
                        site_at(a, s->view->location));
        v->relkind = CAT_REL_VIEW;
        v->cols_unknown = 1;
    }
    cat_names_free(&v->reads);
    query_reads(a, s->query, &v->reads);
}

static void stmt_index(struct sem *a, const PgQuery__IndexStmt *s)
{
    struct qname q = qname_rv(s->relation);
    struct cat_object *t = use_relation(a, q, s->relation->location, 0);
    const char *schema = t ? t->schema : target_schema(a, q);
    const char *cols[64];
    size_t n = column_names(s->index_params, s->n_index_params, cols, 32);
    n += column_names(s->index_including_params,
                      s->n_index_including_params, cols + n, 32);
    const char *used[64];
    size_t n_used = 0;
    for (size_t i = 0; i < s->n_index_params; i++) {
        const PgQuery__Node *p = s->index_params[i];
        if (p->node_case != NODE(INDEX_ELEM))
            continue;
        if (p->index_elem->name && *p->index_elem->name) {
            use_column(a, t, p->index_elem->name, s->relation->location);
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
    refs(a, s, s->relation, NULL, NULL);
    if (t)
        fire_change(a, SEM_CREATE_INDEX, s->relation->location,
                    (struct sem_change){.table = t,
                                        .concurrent = s->concurrent});
    if (!t && !relation_provided(a, q))
        return;
    char *name;
    if (s->idxname && *s->idxname) {
        name = xstrdup(s->idxname);
        if (relation_name_taken(a, schema, name)) {
            if (!s->if_not_exists && !is_opaque(a, name))
                fire_duplicate(a, s->relation->location,
                               (struct sem_duplicate){SEM_INDEX, schema,
                                                      name, NULL, NULL,
                                                      NULL});
            free(name);
            return;
        }
    } else {
        /* ChooseIndexColumnNames() makes expression names unique: expr,
         * expr1, ... */
        char *names[64] = {0};
        unsigned nexpr = 0;
        for (size_t i = 0; i < n; i++)
            names[i] = strcmp(cols[i], "expr") == 0 && nexpr++
                           ? xasprintf("expr%u", nexpr - 1)
                           : xstrdup(cols[i]);
        char *add = name_addition((const char *const *)names, n);
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        name = choose_name(a, schema, q.name, add, "idx", 0);
        free(add);
    }
    add_index_object(a, schema, t ? t->name : q.name, name,
                     s->relation->location, column_list(used, n_used));
    free(name);
}

/* ---- statements: ALTER TABLE ------------------------------------------- */

static void at_add_column(struct sem *a, struct cat_object *t,
                          const PgQuery__AlterTableCmd *c)
{
    const PgQuery__ColumnDef *cd = c->def->column_def;
    if (catalog_column(t, cd->colname)) {
        if (!c->missing_ok && !is_opaque(a, cd->colname))
            fire_duplicate(a, cd->location,
                           (struct sem_duplicate){SEM_COLUMN, NULL,
                                                  cd->colname, NULL, t,
                                                  NULL});
        return;
    }
    struct coldef_info ci = coldef_info(cd);
    struct volatile_walk vw = {a, 0};
    if (sem_existing(a, t) && ci.default_expr)
        walk(ci.default_expr, find_volatile, &vw);
    fire_change(a, SEM_ADD_COLUMN, cd->location,
                (struct sem_change){.table = t,
                                    .coldef = cd,
                                    .not_null = ci.not_null,
                                    .has_default = ci.has_default,
                                    .serial = ci.serial,
                                    .identity = ci.identity,
                                    .generated = ci.generated,
                                    .volatile_default = vw.found});
    for (size_t k = 0; k < cd->n_constraints; k++)
        if (cd->constraints[k]->node_case == NODE(CONSTRAINT))
            fire_change(a, SEM_ADD_CONSTRAINT,
                        cd->constraints[k]->constraint->location,
                        (struct sem_change){
                            .table = t,
                            .constraint = cd->constraints[k]->constraint});
    add_column_def(a, t, cd, 0);
}

static struct cat_column *at_column(struct sem *a, struct cat_object *t,
                                    const PgQuery__AlterTableCmd *c)
{
    struct cat_column *col = catalog_column(t, c->name);
    if (!col && !c->missing_ok)
        use_column(a, t, c->name, -1);
    return col;
}

/* DROP COLUMN takes the indexes, constraints and owned sequences that
 * use the column with it. */
static void drop_column_dependents(struct sem *a, const struct cat_object *t,
                                   const char *col)
{
    size_t n;
    struct cat_object **all = catalog_parts(a->cat, t, &n);
    for (size_t i = 0; i < n; i++) {
        struct cat_object *o = all[i];
        if (!o || !cat_names_has(&o->uses, col))
            continue;
        all[i] = NULL;
        if (o->kind == CAT_CONSTRAINT) {
            for (size_t k = 0; k < n; k++) /* its index, by name */
                if (all[k] && all[k]->kind == CAT_RELATION &&
                    all[k]->relkind == CAT_REL_INDEX &&
                    strcmp(all[k]->name, o->name) == 0 &&
                    strcmp(all[k]->schema, o->schema) == 0) {
                    catalog_remove(a->cat, all[k]);
                    all[k] = NULL;
                }
        }
        catalog_remove(a->cat, o);
    }
    free(all);
}

static void at_drop_column(struct sem *a, struct cat_object *t,
                           const PgQuery__AlterTableCmd *c)
{
    struct cat_column *col = at_column(a, t, c);
    if (!col)
        return;
    struct sem_change ch = {.table = t, .col = col, .name = c->name};
    fire_change(a, SEM_DROP_COLUMN, -1, ch);
    fire_change(a, SEM_DROPPED_COLUMN, -1, ch);
    drop_column_dependents(a, t, c->name);
    catalog_drop_column(t, col);
}

static void at_add_constraint(struct sem *a, struct cat_object *t,
                              const PgQuery__Constraint *k)
{
    fire_change(a, SEM_ADD_CONSTRAINT, k->location,
                (struct sem_change){.table = t, .constraint = k});
    add_constraint(a, t, k, NULL, 0);
}

static void at_validate(struct sem *a, struct cat_object *t,
                        const PgQuery__AlterTableCmd *c)
{
    fire_change(a, SEM_VALIDATE, -1,
                (struct sem_change){.table = t, .name = c->name});
    struct cat_object *k =
        catalog_get(a->cat, CAT_CONSTRAINT, t->schema, t->name, c->name, NULL);
    if (k)
        k->flags &= ~(unsigned)CAT_NOT_VALID;
}

static void at_type(struct sem *a, struct cat_object *t,
                    const PgQuery__AlterTableCmd *c)
{
    struct cat_column *col = at_column(a, t, c);
    const PgQuery__ColumnDef *cd =
        c->def && c->def->node_case == NODE(COLUMN_DEF) ? c->def->column_def
                                                        : NULL;
    if (!col || !cd || !cd->type_name)
        return;
    use_type(a, cd->type_name);
    char *type = type_text(a, cd->type_name);
    fire_change(a, SEM_ALTER_TYPE, -1,
                (struct sem_change){.table = t,
                                    .col = col,
                                    .name = c->name,
                                    .newname = type,
                                    .using_expr = cd->raw_default != NULL});
    free(col->type);
    col->type = type;
}

static void alter_table_cmd(struct sem *a, struct cat_object *t,
                            const PgQuery__AlterTableCmd *c)
{
    struct cat_column *col;
    switch (c->subtype) {
    case AT(AddColumn):
    case AT(AddColumnRecurse):
        if (c->def && c->def->node_case == NODE(COLUMN_DEF))
            at_add_column(a, t, c);
        break;
    case AT(DropColumn):
    case AT(DropColumnRecurse): at_drop_column(a, t, c); break;
    case AT(AlterColumnType): at_type(a, t, c); break;
    case AT(SetNotNull):
        col = at_column(a, t, c);
        if (col) {
            fire_change(a, SEM_SET_NOT_NULL, -1,
                        (struct sem_change){.table = t,
                                            .col = col,
                                            .name = c->name});
            col->not_null = 1;
        }
        break;
    case AT(DropNotNull):
        col = at_column(a, t, c);
        if (col)
            col->not_null = 0;
        break;
    case AT(ColumnDefault):
        col = at_column(a, t, c);
        if (col)
            col->has_default = c->def != NULL;
        break;
    case AT(AddIdentity):
        col = at_column(a, t, c);
        if (col)
            add_owned_sequence(a, t, c->name, -1);
        break;
    case AT(SetStatistics):
    case AT(SetStorage):
    case AT(SetOptions):
    case AT(ResetOptions):
    case AT(SetIdentity):
    case AT(DropIdentity):
    case AT(DropExpression):
    case AT(SetCompression): at_column(a, t, c); break;
    case AT(AddConstraint):
    case AT(AddConstraintRecurse):
        if (c->def && c->def->node_case == NODE(CONSTRAINT))
            at_add_constraint(a, t, c->def->constraint);
        break;
    case AT(ValidateConstraint):
    case AT(ValidateConstraintRecurse): at_validate(a, t, c); break;
    case AT(DropConstraint):
    case AT(DropConstraintRecurse): {
        struct cat_object *k = catalog_get(a->cat, CAT_CONSTRAINT, t->schema,
                                           t->name, c->name, NULL);
        if (!k && !c->missing_ok && !t->cols_unknown &&
            !is_opaque(a, c->name) && !a->blind)
            fire_unknown(a, -1, SEM_CONSTRAINT, c->name, t);
        if (k) {
            struct cat_object *ix = catalog_get(a->cat, CAT_RELATION,
                                                t->schema, NULL, k->name,
                                                NULL);
            if (ix && ix->relkind == CAT_REL_INDEX &&
                (k->contype == 'p' || k->contype == 'u' ||
                 k->contype == 'x'))
                catalog_remove(a->cat, ix);
            catalog_remove(a->cat, k);
        }
        break;
    }
    case AT(SetLogged):
    case AT(SetUnLogged):
    case AT(SetAccessMethod):
        fire_change(a, SEM_REWRITE, -1, (struct sem_change){.table = t});
        break;
    default: break;
    }
    if (c->def && c->subtype != AT(AddColumn) &&
        c->subtype != AT(AddColumnRecurse) &&
        c->subtype != AT(AddConstraint) &&
        c->subtype != AT(AddConstraintRecurse) &&
        c->subtype != AT(AlterColumnType))
        refs(a, c->def, NULL, NULL, NULL);
}

static void stmt_alter_table(struct sem *a, const PgQuery__AlterTableStmt *s)
{
    struct qname q = qname_rv(s->relation);
    touch(a, q, s->relation->location);
    struct cat_object *t =
        use_relation(a, q, s->relation->location, s->missing_ok);
    if (!t) {
        refs(a, s, s->relation, NULL, NULL);
        return;
    }
    note_altered(a, t);
    for (size_t i = 0; i < s->n_cmds; i++)
        if (s->cmds[i]->node_case == NODE(ALTER_TABLE_CMD))
            alter_table_cmd(a, t, s->cmds[i]->alter_table_cmd);
}

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
static void drop_dependents(struct sem *a, const struct cat_object *o)
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
        cat_names_free(&v->reads); /* so that a cycle cannot find it again */
        drop_dependents(a, v);
        catalog_remove(a->cat, v);
    }
    free(qname);
}

static void drop_relation(struct sem *a, const PgQuery__DropStmt *s,
                          struct qname q)
{
    touch_dropped(a, q);
    struct cat_object *o = find_relation(a, q);
    if (!o) {
        if (!s->missing_ok && !relation_provided(a, q))
            unknown_relation(a, q, -1);
        return;
    }
    fire_change(a, SEM_DROP_RELATION, -1,
                (struct sem_change){.table = o, .concurrent = s->concurrent});
    fire_change(a, SEM_DROPPED, -1, (struct sem_change){.object = o});
    if (s->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
        drop_dependents(a, o);
    catalog_remove(a->cat, o);
}

static void drop_schema(struct sem *a, const PgQuery__DropStmt *s,
                        const char *name)
{
    struct cat_object *o =
        catalog_get(a->cat, CAT_SCHEMA, NULL, NULL, name, NULL);
    if (!o && strcmp(name, "public") != 0) {
        if (!s->missing_ok && !is_opaque(a, name))
            fire_unknown(a, -1, SEM_SCHEMA, name, NULL);
        return;
    }
    fire_change(a, SEM_DROP_SCHEMA, -1,
                (struct sem_change){
                    .object = o,
                    .name = name,
                    .cascade = s->behavior ==
                               PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE});
    if (o)
        fire_change(a, SEM_DROPPED, -1, (struct sem_change){.object = o});
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

static void drop_type(struct sem *a, const PgQuery__DropStmt *s,
                      const PgQuery__TypeName *t)
{
    struct qname q = qname_of(t->names, t->n_names);
    struct cat_object *o = find_in_path(a, CAT_TYPE, q);
    if (!o) {
        if (!s->missing_ok && !type_exists(a, q))
            use_type(a, t);
        return;
    }
    fire_change(a, SEM_DROPPED, -1, (struct sem_change){.object = o});
    if (s->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
        drop_typed_columns(a, o);
    catalog_remove(a->cat, o);
}

static void drop_function(struct sem *a, const PgQuery__DropStmt *s,
                          const PgQuery__ObjectWithArgs *f)
{
    struct qname q = qname_of(f->objname, f->n_objname);
    const char *schema = NULL;
    for (size_t i = 0; !schema && i < a->n_path; i++)
        if (catalog_functions_named(a->cat, a->path[i], q.name))
            schema = a->path[i];
    if (q.schema)
        schema = q.schema;
    struct cat_object *o = NULL;
    if (schema && !f->args_unspecified) {
        char *sig = signature(a, f->objargs, f->n_objargs, 0);
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
            use_function(a, f->objname, f->n_objname, -1);
        return;
    }
    fire_change(a, SEM_DROPPED, -1, (struct sem_change){.object = o});
    catalog_remove(a->cat, o);
}

/* DROP TRIGGER/POLICY name ON table: [schema,] table, name. */
static void drop_on_table(struct sem *a, const PgQuery__DropStmt *s,
                          const PgQuery__List *l, enum cat_kind kind)
{
    if (l->n_items < 2)
        return;
    struct qname t = qname_of(l->items, l->n_items - 1);
    const char *name = str_of(l->items[l->n_items - 1]);
    struct cat_object *tab = use_relation(a, t, -1, s->missing_ok);
    if (!tab || !name)
        return;
    struct cat_object *o =
        catalog_get(a->cat, kind, tab->schema, tab->name, name, NULL);
    if (o)
        catalog_remove(a->cat, o);
}

static void stmt_drop(struct sem *a, const PgQuery__DropStmt *s)
{
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
                              qname_of(n->list->items, n->list->n_items));
            break;
        case OBJ(SCHEMA):
            if (str_of(n))
                drop_schema(a, s, str_of(n));
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
                use_relation(a,
                             qname_of(n->list->items, n->list->n_items - 1),
                             -1, s->missing_ok);
            break;
        case OBJ(EXTENSION): {
            struct cat_object *o = str_of(n) ? catalog_get(a->cat,
                                                           CAT_EXTENSION,
                                                           NULL, NULL,
                                                           str_of(n), NULL)
                                             : NULL;
            if (o)
                catalog_remove(a->cat, o);
            break;
        }
        default: break;
        }
    }
}

static void stmt_truncate(struct sem *a, const PgQuery__TruncateStmt *s)
{
    for (size_t i = 0; i < s->n_relations; i++) {
        const PgQuery__Node *n = s->relations[i];
        if (n->node_case != NODE(RANGE_VAR))
            continue;
        struct qname q = qname_rv(n->range_var);
        touch(a, q, n->range_var->location);
        struct cat_object *t =
            use_relation(a, q, n->range_var->location, 0);
        if (t)
            fire_change(a, SEM_TRUNCATE, n->range_var->location,
                        (struct sem_change){.table = t});
    }
}

static void rename_relation(struct sem *a, const PgQuery__RenameStmt *s)
{
    struct qname q = qname_rv(s->relation);
    touch(a, q, s->relation->location);
    struct cat_object *o =
        use_relation(a, q, s->relation->location, s->missing_ok);
    if (!o)
        return;
    if (catalog_get(a->cat, CAT_RELATION, o->schema, NULL, s->newname,
                    NULL)) {
        if (!is_opaque(a, s->newname))
            fire_duplicate(a, s->relation->location,
                           (struct sem_duplicate){SEM_RELATION, o->schema,
                                                  s->newname, NULL, NULL,
                                                  NULL});
        return;
    }
    fire_change(a, SEM_RENAME_RELATION, s->relation->location,
                (struct sem_change){.table = o,
                                    .newname = s->newname,
                                    .table_stmt = s->rename_type ==
                                                  OBJ(TABLE)});
    note_altered(a, o);
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

static void rename_column(struct sem *a, const PgQuery__RenameStmt *s)
{
    struct qname q = qname_rv(s->relation);
    struct cat_object *t =
        use_relation(a, q, s->relation->location, s->missing_ok);
    if (!t)
        return;
    struct cat_column *col = catalog_column(t, s->subname);
    if (!col) {
        use_column(a, t, s->subname, s->relation->location);
        return;
    }
    if (catalog_column(t, s->newname)) {
        if (!is_opaque(a, s->newname))
            fire_duplicate(a, s->relation->location,
                           (struct sem_duplicate){SEM_COLUMN, NULL,
                                                  s->newname, NULL, t,
                                                  NULL});
        return;
    }
    fire_change(a, SEM_RENAME_COLUMN, s->relation->location,
                (struct sem_change){.table = t,
                                    .col = col,
                                    .name = s->subname,
                                    .newname = s->newname});
    note_altered(a, t);
    size_t n;
    struct cat_object **parts = catalog_parts(a->cat, t, &n);
    for (size_t i = 0; i < n; i++)
        cat_names_rename(&parts[i]->uses, s->subname, s->newname);
    free(parts);
    free(col->name);
    col->name = xstrdup(s->newname);
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

static void rename_named(struct sem *a, const PgQuery__RenameStmt *s,
                         enum cat_kind kind)
{
    struct cat_object *o = NULL;
    if (kind == CAT_SCHEMA) {
        const char *name = str_of(s->object);
        o = name ? catalog_get(a->cat, CAT_SCHEMA, NULL, NULL, name, NULL)
                 : NULL;
        if (o) {
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
        o = find_in_path(a, CAT_TYPE,
                         qname_of(s->object->list->items,
                                  s->object->list->n_items));
    } else if (kind == CAT_FUNCTION && s->object &&
               s->object->node_case == NODE(OBJECT_WITH_ARGS)) {
        const PgQuery__ObjectWithArgs *f = s->object->object_with_args;
        o = find_function(a, qname_of(f->objname, f->n_objname));
    }
    if (o && kind == CAT_TYPE)
        retype_columns(a, o, o->schema, s->newname);
    if (o)
        catalog_rename(a->cat, o, NULL, s->newname);
}

static void stmt_rename(struct sem *a, const PgQuery__RenameStmt *s)
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
            s->relation ? use_relation(a, qname_rv(s->relation),
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
            use_relation(a, qname_rv(s->relation), s->relation->location,
                         s->missing_ok);
        break;
    default: break;
    }
}

static void stmt_set_schema(struct sem *a,
                            const PgQuery__AlterObjectSchemaStmt *s)
{
    struct cat_object *o = NULL;
    if (s->relation)
        o = use_relation(a, qname_rv(s->relation), s->relation->location,
                         s->missing_ok);
    else if (s->object && s->object->node_case == NODE(LIST) &&
             (s->object_type == OBJ(TYPE) || s->object_type == OBJ(DOMAIN)))
        o = find_in_path(a, CAT_TYPE,
                         qname_of(s->object->list->items,
                                  s->object->list->n_items));
    else if (s->object && s->object->node_case == NODE(OBJECT_WITH_ARGS)) {
        const PgQuery__ObjectWithArgs *f = s->object->object_with_args;
        o = find_function(a, qname_of(f->objname, f->n_objname));
    }
    if (o && o->kind == CAT_TYPE)
        retype_columns(a, o, s->newschema, o->name);
    if (o)
        catalog_rename(a->cat, o, s->newschema, NULL);
}

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
    if (!is_opaque(a, name))
        fire_duplicate(a, loc,
                       (struct sem_duplicate){SEM_TYPE, schema, name, NULL,
                                              NULL, o});
    return 1;
}

static struct cat_object *create_type(struct sem *a, struct qname q,
                                      int32_t loc)
{
    const char *schema = target_schema(a, q);
    if (duplicate_type(a, schema, q.name, loc))
        return NULL;
    return catalog_add(a->cat, CAT_TYPE, schema, NULL, q.name, NULL,
                       site_at(a, loc));
}

static void stmt_composite(struct sem *a, const PgQuery__CompositeTypeStmt *s)
{
    struct cat_object *t =
        create_type(a, qname_rv(s->typevar), s->typevar->location);
    for (size_t i = 0; i < s->n_coldeflist; i++) {
        const PgQuery__Node *n = s->coldeflist[i];
        if (n->node_case != NODE(COLUMN_DEF))
            continue;
        use_type(a, n->column_def->type_name);
        if (t) {
            char *type = type_text(a, n->column_def->type_name);
            catalog_add_column(t, n->column_def->colname, type,
                               site_at(a, n->column_def->location));
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
        return str_of(arg);
    }
    return NULL;
}

static void stmt_create_function(struct sem *a,
                                 const PgQuery__CreateFunctionStmt *s)
{
    struct qname q = qname_of(s->funcname, s->n_funcname);
    const char *schema = target_schema(a, q);
    refs(a, s, NULL, NULL, NULL); /* argument and result types */
    char *sig = signature(a, s->parameters, s->n_parameters, 1);
    struct cat_object *o =
        catalog_get(a->cat, CAT_FUNCTION, schema, NULL, q.name, sig);
    if (o && !s->replace && !is_opaque(a, q.name))
        fire_duplicate(a, -1,
                       (struct sem_duplicate){SEM_FUNCTION, schema, q.name,
                                              sig, NULL, o});
    if (!o)
        o = catalog_add(a->cat, CAT_FUNCTION, schema, NULL, q.name, sig,
                        site_at(a, -1));
    free(sig);
    const char *body = def_string(s->options, s->n_options, "as");
    free(o->body);
    o->body = body ? xstrdup(body) : NULL;
    const char *vol = def_string(s->options, s->n_options, "volatility");
    o->flags &= ~(unsigned)CAT_NOT_VOLATILE;
    if (vol && (strcmp(vol, "immutable") == 0 || strcmp(vol, "stable") == 0))
        o->flags |= CAT_NOT_VOLATILE;
}

static void stmt_trigger(struct sem *a, const PgQuery__CreateTrigStmt *s)
{
    struct cat_object *t =
        use_relation(a, qname_rv(s->relation), s->relation->location, 0);
    use_function(a, s->funcname, s->n_funcname, s->relation->location);
    if (s->when_clause)
        refs(a, s->when_clause, NULL, NULL, NULL);
    if (!t)
        return;
    struct cat_object *o = catalog_get(a->cat, CAT_TRIGGER, t->schema,
                                       t->name, s->trigname, NULL);
    if (o) {
        if (!s->replace && !is_opaque(a, s->trigname))
            fire_duplicate(a, s->relation->location,
                           (struct sem_duplicate){SEM_TRIGGER, NULL,
                                                  s->trigname, NULL, t,
                                                  NULL});
        return;
    }
    catalog_add(a->cat, CAT_TRIGGER, t->schema, t->name, s->trigname, NULL,
                site_at(a, s->relation->location));
}

static void stmt_extension(struct sem *a, const PgQuery__CreateExtensionStmt *s)
{
    if (catalog_get(a->cat, CAT_EXTENSION, NULL, NULL, s->extname, NULL)) {
        if (!s->if_not_exists && !is_opaque(a, s->extname))
            fire_duplicate(a, -1,
                           (struct sem_duplicate){SEM_EXTENSION, NULL,
                                                  s->extname, NULL, NULL,
                                                  NULL});
        return;
    }
    catalog_add(a->cat, CAT_EXTENSION, NULL, NULL, s->extname, NULL,
                site_at(a, -1));
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
        if (!s->if_not_exists && !is_opaque(a, name))
            fire_duplicate(a, -1,
                           (struct sem_duplicate){SEM_SCHEMA, NULL, name,
                                                  NULL, NULL, NULL});
    } else {
        catalog_add(a->cat, CAT_SCHEMA, NULL, NULL, name, NULL,
                    site_at(a, -1));
    }
    const char *saved = a->create_schema;
    a->create_schema = name;
    for (size_t i = 0; i < s->n_schema_elts; i++)
        statement(a, s->schema_elts[i]);
    a->create_schema = saved;
}

static void stmt_role(struct sem *a, const PgQuery__CreateRoleStmt *s)
{
    fire(a, (struct sem_event){SEM_ROLE_OPTIONS, -1,
                               .u.role = {s->options, s->n_options, s->role}});
    if (catalog_get(a->cat, CAT_ROLE, NULL, NULL, s->role, NULL)) {
        if (!is_opaque(a, s->role))
            fire_duplicate(a, -1,
                           (struct sem_duplicate){SEM_ROLE, NULL, s->role,
                                                  NULL, NULL, NULL});
        return;
    }
    catalog_add(a->cat, CAT_ROLE, NULL, NULL, s->role, NULL, site_at(a, -1));
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
static void set_search_path(struct sem *a, const char *value, int local)
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
                const char *v = const_string(s->args[i]);
                if (v)
                    len += (size_t)snprintf(buf + len, sizeof buf - len,
                                            "%s\"%s\"", len ? "," : "", v);
            }
            set_search_path(a, buf, s->is_local);
        } else {
            path_default(a);
        }
    }
    fire(a, (struct sem_event){SEM_SET, -1, .u.set = s});
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
    struct qname q = qname_rv(rel);
    touch(a, q, rel->location);
    struct cat_object *t = use_relation(a, q, rel->location, 0);
    for (size_t i = 0; t && i < n; i++)
        if (targets[i]->node_case == NODE(RES_TARGET))
            use_column(a, t, targets[i]->res_target->name,
                       targets[i]->res_target->location);
    refs(a, stmt, rel, NULL, NULL);
    fire(a, (struct sem_event){SEM_DATA_CHANGE, -1, .u.data = verb});
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
            use_relation(a, qname_of(o->list->items, o->list->n_items), -1,
                         0);
        break;
    case OBJ(COLUMN):
        if (o->node_case == NODE(LIST) && o->list->n_items >= 2) {
            struct qname t = qname_of(o->list->items, o->list->n_items - 1);
            struct cat_object *tab = use_relation(a, t, -1, 0);
            use_column(a, tab, str_of(o->list->items[o->list->n_items - 1]),
                       -1);
        }
        break;
    case OBJ(TYPE):
    case OBJ(DOMAIN):
        if (o->node_case == NODE(TYPE_NAME))
            use_type(a, o->type_name);
        break;
    case OBJ(FUNCTION):
    case OBJ(PROCEDURE):
        if (o->node_case == NODE(OBJECT_WITH_ARGS))
            use_function(a, o->object_with_args->objname,
                         o->object_with_args->n_objname, -1);
        break;
    default: break;
    }
}

static void stmt_do(struct sem *a, const PgQuery__DoStmt *s)
{
    for (size_t i = 0; i < s->n_args; i++) {
        const PgQuery__Node *n = s->args[i];
        if (n->node_case == NODE(DEF_ELEM) &&
            strcmp(n->def_elem->defname, "as") == 0 &&
            str_of(n->def_elem->arg))
            words_scan(&a->opaque, str_of(n->def_elem->arg));
    }
}

static void stmt_define(struct sem *a, const PgQuery__DefineStmt *s)
{
    struct qname q = qname_of(s->defnames, s->n_defnames);
    refs(a, s, NULL, NULL, NULL);
    if (s->kind == OBJ(TYPE)) {
        if (!find_in_path(a, CAT_TYPE, q))
            create_type(a, q, -1);
    } else if (s->kind == OBJ(AGGREGATE)) {
        const char *schema = target_schema(a, q);
        char *sig = xasprintf("(aggregate %zu)", s->n_args);
        if (!catalog_get(a->cat, CAT_FUNCTION, schema, NULL, q.name, sig))
            catalog_add(a->cat, CAT_FUNCTION, schema, NULL, q.name, sig,
                        site_at(a, -1))->flags |= CAT_NOT_VOLATILE;
        free(sig);
    }
}

static void stmt_sequence(struct sem *a, const PgQuery__CreateSeqStmt *s)
{
    struct qname q = qname_rv(s->sequence);
    const char *schema = target_schema(a, q);
    if (duplicate_relation(a, q, schema, s->if_not_exists,
                           s->sequence->location))
        return;
    catalog_add(a->cat, CAT_RELATION, schema, NULL, q.name, NULL,
                site_at(a, s->sequence->location))->relkind = CAT_REL_SEQUENCE;
}

static void stmt_policy(struct sem *a, const PgQuery__CreatePolicyStmt *s)
{
    struct cat_object *t =
        use_relation(a, qname_rv(s->table), s->table->location, 0);
    refs(a, s, s->table, NULL, NULL);
    if (t && !catalog_get(a->cat, CAT_POLICY, t->schema, t->name,
                          s->policy_name, NULL))
        catalog_add(a->cat, CAT_POLICY, t->schema, t->name, s->policy_name,
                    NULL, site_at(a, s->table->location));
}

static int find_data_change(void *found, const ProtobufCMessage *m)
{
    if (is_msg(m, &pg_query__insert_stmt__descriptor) ||
        is_msg(m, &pg_query__update_stmt__descriptor) ||
        is_msg(m, &pg_query__delete_stmt__descriptor))
        *(int *)found = 1;
    return 0;
}

/* SELECT: its references; SELECT INTO creates a table; a WITH holding an
 * INSERT, UPDATE or DELETE changes data. */
static void stmt_select(struct sem *a, const PgQuery__Node *n)
{
    const PgQuery__SelectStmt *s = n->select_stmt;
    const PgQuery__RangeVar *into = s->into_clause ? s->into_clause->rel : NULL;
    refs(a, n, into, NULL, NULL);
    int changes = 0;
    walk(n, find_data_change, &changes);
    if (changes)
        fire(a, (struct sem_event){SEM_DATA_CHANGE, -1, .u.data = SEM_WITH});
    if (!into)
        return;
    struct qname q = qname_rv(into);
    const char *schema = target_schema(a, q);
    if (duplicate_relation(a, q, schema, 0, into->location))
        return;
    struct cat_object *t = catalog_add(a->cat, CAT_RELATION, schema, NULL,
                                       q.name, NULL,
                                       site_at(a, into->location));
    t->relkind = CAT_REL_TABLE;
    t->cols_unknown = 1;
}

static void statement(struct sem *a, const PgQuery__Node *n)
{
    table_free(&a->ctes);
    walk(n, collect_ctes, &a->ctes);
    switch (n->node_case) {
    case NODE(CREATE_STMT): stmt_create_table(a, n->create_stmt, CAT_REL_TABLE); break;
    case NODE(CREATE_FOREIGN_TABLE_STMT):
        if (n->create_foreign_table_stmt->base_stmt)
            stmt_create_table(a, n->create_foreign_table_stmt->base_stmt,
                              CAT_REL_FOREIGN_TABLE);
        break;
    case NODE(CREATE_TABLE_AS_STMT):
        stmt_create_table_as(a, n->create_table_as_stmt);
        break;
    case NODE(VIEW_STMT): stmt_view(a, n->view_stmt); break;
    case NODE(INDEX_STMT): stmt_index(a, n->index_stmt); break;
    case NODE(ALTER_TABLE_STMT): stmt_alter_table(a, n->alter_table_stmt); break;
    case NODE(DROP_STMT): stmt_drop(a, n->drop_stmt); break;
    case NODE(TRUNCATE_STMT): stmt_truncate(a, n->truncate_stmt); break;
    case NODE(RENAME_STMT): stmt_rename(a, n->rename_stmt); break;
    case NODE(ALTER_OBJECT_SCHEMA_STMT):
        stmt_set_schema(a, n->alter_object_schema_stmt);
        break;
    case NODE(COMPOSITE_TYPE_STMT): stmt_composite(a, n->composite_type_stmt); break;
    case NODE(CREATE_ENUM_STMT): {
        const PgQuery__CreateEnumStmt *s = n->create_enum_stmt;
        struct cat_object *t =
            create_type(a, qname_of(s->type_name, s->n_type_name), -1);
        if (t) {
            t->flags |= CAT_ENUM;
            for (size_t i = 0; i < s->n_vals; i++)
                if (str_of(s->vals[i]))
                    catalog_add_label(t, str_of(s->vals[i]), NULL, 0);
        }
        break;
    }
    case NODE(CREATE_RANGE_STMT): {
        struct qname q = qname_of(n->create_range_stmt->type_name,
                                  n->create_range_stmt->n_type_name);
        refs(a, n, NULL, NULL, NULL);
        if (create_type(a, q, -1)) /* and its constructor */
            catalog_add(a->cat, CAT_FUNCTION, target_schema(a, q), NULL,
                        q.name, "(range)", site_at(a, -1))->flags |=
                CAT_NOT_VOLATILE;
        break;
    }
    case NODE(CREATE_DOMAIN_STMT): {
        const PgQuery__CreateDomainStmt *s = n->create_domain_stmt;
        refs(a, n, NULL, NULL, NULL);
        create_type(a, qname_of(s->domainname, s->n_domainname), -1);
        break;
    }
    case NODE(ALTER_ENUM_STMT): {
        const PgQuery__AlterEnumStmt *s = n->alter_enum_stmt;
        struct qname q = qname_of(s->type_name, s->n_type_name);
        if (!type_exists(a, q) && !a->unsure && may_report_unknown(a, q)) {
            char *t = qname_text(q);
            fire_unknown(a, -1, SEM_ENUM, t, NULL);
            free(t);
        }
        struct cat_object *e = find_in_path(a, CAT_TYPE, q);
        if (e && (e->flags & CAT_ENUM) && s->old_val && *s->old_val)
            catalog_rename_label(e, s->old_val, s->new_val);
        else if (e && (e->flags & CAT_ENUM) && s->new_val && *s->new_val) {
            int known = 0;
            known = cat_names_has(&e->labels, s->new_val);
            if (!known)
                catalog_add_label(e, s->new_val,
                                  *s->new_val_neighbor ? s->new_val_neighbor
                                                       : NULL,
                                  s->new_val_is_after);
        }
        break;
    }
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
    case NODE(ALTER_SEQ_STMT):
        use_relation(a, qname_rv(n->alter_seq_stmt->sequence),
                     n->alter_seq_stmt->sequence->location,
                     n->alter_seq_stmt->missing_ok);
        break;
    case NODE(CREATE_POLICY_STMT): stmt_policy(a, n->create_policy_stmt); break;
    case NODE(CREATE_ROLE_STMT): stmt_role(a, n->create_role_stmt); break;
    case NODE(ALTER_ROLE_STMT): {
        const PgQuery__AlterRoleStmt *s = n->alter_role_stmt;
        fire(a, (struct sem_event){
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
        break;
    case NODE(UPDATE_STMT):
        data_change(a, n->update_stmt, n->update_stmt->relation,
                    n->update_stmt->target_list,
                    n->update_stmt->n_target_list, SEM_UPDATE);
        break;
    case NODE(DELETE_STMT):
        data_change(a, n->delete_stmt, n->delete_stmt->relation, NULL, 0,
                    SEM_DELETE);
        break;
    case NODE(COMMENT_STMT): stmt_comment(a, n->comment_stmt); break;
    case NODE(DO_STMT): stmt_do(a, n->do_stmt); break;
    case NODE(SELECT_STMT): stmt_select(a, n); break;
    case NODE(MERGE_STMT):
        refs(a, n, NULL, NULL, NULL);
        fire(a, (struct sem_event){SEM_DATA_CHANGE, -1, .u.data = SEM_MERGE});
        break;
    case NODE(CALL_STMT):
    case NODE(GRANT_STMT):
    case NODE(LOCK_STMT):
    case NODE(REFRESH_MAT_VIEW_STMT):
    case NODE(CLUSTER_STMT):
    case NODE(VACUUM_STMT):
    case NODE(REINDEX_STMT):
    case NODE(RULE_STMT):
    case NODE(COPY_STMT):
        refs(a, n, NULL, NULL, NULL);
        break;
    default: break; /* not modelled: no effect on the catalog */
    }
}

/* ---- the pass ---------------------------------------------------------- */

/* A baseline whose squashed migrations are still in the set is another
 * history of the same schema: applying both would duplicate everything. */
static int skip_baseline(const struct model *m, const struct model_migration *mm)
{
    if (!(mm->flags & MIGC_MIGRATION_SQUASHES))
        return 0;
    for (size_t i = 0; i < m->n; i++) {
        int64_t v = m->files.files[i].version;
        if (v >= mm->squash_from && v <= mm->squash_to)
            return 1;
    }
    return 0;
}

static void end_migration(struct sem *a)
{
    fire(a, (struct sem_event){SEM_MIGRATION_END, -1, .u.model = NULL});
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
            statement(a, a->stmt->node);
    }
    end_migration(a);
}

struct catalog *sem_free(struct sem *a)
{
    path_clear(a->path, &a->n_path);
    path_clear(a->saved_path, &a->n_saved_path);
    table_free(&a->opaque);
    table_free(&a->ctes);
    for (size_t i = 0; i < a->n_extensions; i++)
        free(a->extensions[i]);
    free(a->extensions);
    struct catalog *cat = a->cat;
    free(a);
    return cat;
}

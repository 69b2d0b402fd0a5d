/* sem_lookup.c: how the semantics resolve names against the catalog
 * (search_path, relations, types, functions), walk a parse tree for what
 * it references, and choose the names PostgreSQL gives unnamed objects. */
#include "sem_int.h"

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
void sem_words_scan(struct table *w, const char *text)
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

/* ---- events ------------------------------------------------------------ */

void sem_fire(struct sem *a, struct sem_event ev)
{
    if (a->unseen->cond)
        return; /* it may not have run: what it would find is not sure */
    ev.loc = sem_outer_loc(a, ev.loc);
    a->on_event(a->ctx, a, &ev);
}

void sem_fire_unknown(struct sem *a, int32_t loc, enum sem_what what,
                      const char *name, const struct cat_object *of)
{
    sem_fire(a, (struct sem_event){
                    SEM_UNKNOWN, loc,
                    .u.unknown = {.what = what, .name = name, .of = of}});
}

void sem_fire_duplicate(struct sem *a, int32_t loc, struct sem_duplicate d)
{
    sem_fire(a, (struct sem_event){SEM_DUPLICATE, loc, .u.duplicate = d});
}

void sem_fire_change(struct sem *a, enum sem_event_kind kind, int32_t loc,
                     struct sem_change c)
{
    sem_fire(a, (struct sem_event){kind, loc, .u.change = c});
}

struct cat_site sem_site(const struct sem *a, const struct model_statement *st,
                         int32_t loc)
{
    struct cat_site s = {a->mig, a->script->src->path, st->line, st->col,
                         st->off};
    if (loc >= 0 && (size_t)loc >= st->off && (size_t)loc < st->off + st->len)
        source_position(a->script->src, (size_t)loc, &s.line, &s.col);
    return s;
}

struct cat_site sem_site_at(const struct sem *a, int32_t loc)
{
    return sem_site(a, a->stmt, sem_outer_loc(a, loc));
}

const char *sem_str_of(const PgQuery__Node *n)
{
    return n && n->node_case == NODE(STRING) ? n->string->sval : NULL;
}

int sem_is_opaque(const struct sem *a, const char *name)
{
    return a->blind || words_has(&a->opaque, name) || sem_uncertain(a, name);
}

int sem_name_unsure(const struct sem *s, const char *name)
{
    return sem_is_opaque(s, name);
}

struct qname sem_qname_of(PgQuery__Node *const *items, size_t n)
{
    struct qname q = {NULL, n ? sem_str_of(items[n - 1]) : NULL};
    if (n >= 2)
        q.schema = sem_str_of(items[n - 2]);
    if (!q.name)
        q.name = "";
    return q;
}

struct qname sem_qname_rv(const PgQuery__RangeVar *rv)
{
    struct qname q = {rv->schemaname && *rv->schemaname ? rv->schemaname : NULL,
                      rv->relname};
    if (!q.schema && rv->relpersistence && rv->relpersistence[0] == 't')
        q.schema = "pg_temp";
    return q;
}

char *sem_qname_text(struct qname q)
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

const char *sem_target_schema(const struct sem *a, struct qname q)
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
void sem_touch(struct sem *a, struct qname q, int32_t loc)
{
    sem_fire(
        a, (struct sem_event){SEM_TOUCH_RELATION, loc, .u.touch = {q.name, 0}});
}

void sem_touch_dropped(struct sem *a, struct qname q)
{
    sem_fire(
        a, (struct sem_event){SEM_TOUCH_RELATION, -1, .u.touch = {q.name, 1}});
}

/* ---- lookups ----------------------------------------------------------- */

struct cat_object *sem_find_in_path(const struct sem *a, enum cat_kind k,
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

struct cat_object *sem_find_relation(const struct sem *a, struct qname q)
{
    return sem_find_in_path(a, CAT_RELATION, q);
}

const struct cat_object *sem_lookup(const struct sem *s, enum cat_kind kind,
                                    PgQuery__Node *const *names, size_t n)
{
    struct qname q = sem_qname_of(names, n);
    return q.name ? sem_find_in_path(s, kind, q) : NULL;
}

const struct cat_object *sem_lookup_rv(const struct sem *s,
                                       const PgQuery__RangeVar *rv)
{
    return rv ? sem_find_relation(s, sem_qname_rv(rv)) : NULL;
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
int sem_relation_provided(const struct sem *a, struct qname q)
{
    if (q.schema && builtin_schema(q.schema))
        return 1; /* the system catalogs: not modelled, trusted */
    if (!q.schema && (builtin_relation("pg_catalog", q.name) ||
                      builtin_relation("information_schema", q.name)))
        return 1;
    return extension_has(a, ext_relation, q.name);
}

/* Whether an unknown name should be reported at all. */
int sem_may_report_unknown(const struct sem *a, struct qname q)
{
    if (sem_is_opaque(a, q.name) || (q.schema && sem_is_opaque(a, q.schema)))
        return 0;
    /* an object in a schema nothing created: the schema is the problem,
     * and it may come from outside (a PREREQ): report only known ones */
    return !q.schema || schema_exists(a, q.schema);
}

void sem_unknown_relation(struct sem *a, struct qname q, int32_t loc)
{
    if (!sem_may_report_unknown(a, q)) {
        const struct sem_origin *o = sem_uncertain(a, q.name);
        if (o && o->dynamic && !a->blind && !words_has(&a->opaque, q.name)) {
            char *t = sem_qname_text(q);
            sem_fire(a, (struct sem_event){
                            SEM_UNKNOWN, loc,
                            .u.unknown = {SEM_RELATION, t, NULL, o->text}});
            free(t);
        }
        return;
    }
    char *t = sem_qname_text(q);
    sem_fire_unknown(a, loc, SEM_RELATION, t, NULL);
    free(t);
}

/* A reference to a relation: reported when nothing provides it. */
struct cat_object *sem_use_relation(struct sem *a, struct qname q, int32_t loc,
                                    int missing_ok)
{
    struct cat_object *o = sem_find_relation(a, q);
    if (o || missing_ok || sem_relation_provided(a, q))
        return o;
    if (!q.schema && words_has(&a->ctes, q.name))
        return NULL;
    sem_unknown_relation(a, q, loc);
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

const char *sem_type_base(const PgQuery__TypeName *t)
{
    return t->n_names ? sem_str_of(t->names[t->n_names - 1]) : NULL;
}

int sem_is_serial(const PgQuery__TypeName *t)
{
    const char *b = sem_type_base(t);
    return b && t->n_names == 1 && !t->n_array_bounds &&
           (strcmp(b, "serial") == 0 || strcmp(b, "bigserial") == 0 ||
            strcmp(b, "smallserial") == 0 || strcmp(b, "serial2") == 0 ||
            strcmp(b, "serial4") == 0 || strcmp(b, "serial8") == 0);
}

/* interval's typmods, as intervaltypmodout() prints them: the fields
 * (a mask of datetime.h's bits), then a precision. */
static char *interval_text(const PgQuery__TypeName *t)
{
    static const struct {
        int mask;
        const char *text;
    } fields[] = {
        {1 << 2, " year"}, {1 << 1, " month"}, {1 << 3, " day"},
        {1 << 10, " hour"}, {1 << 11, " minute"}, {1 << 12, " second"},
        {1 << 2 | 1 << 1, " year to month"}, {1 << 3 | 1 << 10, " day to hour"},
        {1 << 3 | 1 << 10 | 1 << 11, " day to minute"},
        {1 << 3 | 1 << 10 | 1 << 11 | 1 << 12, " day to second"},
        {1 << 10 | 1 << 11, " hour to minute"},
        {1 << 10 | 1 << 11 | 1 << 12, " hour to second"},
        {1 << 11 | 1 << 12, " minute to second"},
    };
    int mods[2] = {0x7FFF, 0xFFFF}; /* full range, full precision */
    for (size_t i = 0; i < t->n_typmods && i < 2; i++)
        if (t->typmods[i]->node_case == NODE(A_CONST) &&
            t->typmods[i]->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
            mods[i] = t->typmods[i]->a_const->ival->ival;
    const char *f = "";
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (fields[i].mask == mods[0])
            f = fields[i].text;
    char prec[16] = "";
    if (t->n_typmods == 2 && mods[1] != 0xFFFF)
        snprintf(prec, sizeof prec, "(%d)", mods[1]);
    return xasprintf("interval%s%s%s", f, prec, t->n_array_bounds ? "[]" : "");
}

/* The type as PostgreSQL's format_type() prints it: "integer",
 * "character varying(20)", "timestamp(3) with time zone", "text[]". */

char *sem_type_text(const struct sem *a, const PgQuery__TypeName *t)
{
    const char *base = sem_type_base(t);
    if (!base)
        return xstrdup("unknown");
    struct qname q = sem_qname_of(t->names, t->n_names);
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
    if (strcmp(base, "interval") == 0 && builtin)
        return interval_text(t);
    const char *arr = t->n_array_bounds ? "[]" : "";
    const char *zone = strstr(shown, " with");
    if (m && zone && strncmp(shown, "tim", 3) == 0) /* timestamp(3) with.. */
        return xasprintf("%.*s%s%s%s", (int)(zone - shown), shown, mods, zone,
                         arr);
    /* format_type() qualifies a type its search_path does not show: for
     * the default path, one outside public */
    const struct cat_object *o = sem_find_in_path(a, CAT_TYPE, q);
    if (!o)
        o = sem_find_in_path(a, CAT_RELATION, q);
    const char *schema = o ? o->schema : builtin ? NULL : q.schema;
    if (schema && strcmp(schema, "public") != 0)
        return xasprintf("%s.%s%s%s", schema, shown, mods, arr);
    return xasprintf("%s%s%s", shown, mods, arr);
}

static int ext_type(const char *ext, const char *name)
{
    return builtin_extension_type(ext, name);
}

int sem_type_exists(const struct sem *a, struct qname q)
{
    if (q.schema && strcmp(q.schema, "pg_catalog") == 0)
        return 1;
    if (sem_find_in_path(a, CAT_TYPE, q) || sem_find_relation(a, q))
        return 1; /* a table's row type too */
    if (!q.schema && builtin_type(q.name))
        return 1;
    return extension_has(a, ext_type, q.name);
}

void sem_use_type(struct sem *a, const PgQuery__TypeName *t)
{
    if (!t || t->pct_type || !t->n_names)
        return;
    struct qname q = sem_qname_of(t->names, t->n_names);
    if (sem_type_exists(a, q) || a->unsure || !sem_may_report_unknown(a, q))
        return;
    char *name = sem_qname_text(q);
    sem_fire_unknown(a, t->location, SEM_TYPE, name, NULL);
    free(name);
}

/* ---- functions --------------------------------------------------------- */

static int ext_function(const char *ext, const char *name)
{
    return builtin_extension_function(ext, name);
}

struct cat_object *sem_find_function(const struct sem *a, struct qname q)
{
    if (q.schema)
        return catalog_get(a->cat, CAT_FUNCTION, q.schema, NULL, q.name, NULL);
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
    if (sem_find_function(a, q))
        return 1;
    if (!q.schema && builtin_function(q.name))
        return 1;
    return extension_has(a, ext_function, q.name);
}

void sem_use_function(struct sem *a, PgQuery__Node *const *names, size_t n,
                      int32_t loc)
{
    struct qname q = sem_qname_of(names, n);
    struct cat_object *f = sem_find_function(a, q);
    if (f && f->body)
        sem_plpgsql_call(a, f, loc); /* its body runs after the statement */
    if (f || function_exists(a, q) || a->unsure ||
        !sem_may_report_unknown(a, q))
        return;
    char *name = sem_qname_text(q);
    sem_fire_unknown(a, loc, SEM_FUNCTION, name, NULL);
    free(name);
}

/* "(integer, text)": the argument types that identify a function. */
char *sem_signature(const struct sem *a, PgQuery__Node *const *params, size_t n,
                    int with_mode)
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
        char *tt = t ? sem_type_text(a, t) : xstrdup("unknown");
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
void sem_walk(const void *msg, visit_fn visit, void *ctx)
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
            sem_walk(*(ProtobufCMessage *const *)((const char *)m + f->offset),
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
                sem_walk(items[k], visit, ctx);
        } else {
            sem_walk(*(ProtobufCMessage *const *)(base + f->offset), visit,
                     ctx);
        }
    }
}

int sem_is_msg(const ProtobufCMessage *m, const ProtobufCMessageDescriptor *d)
{
    return m->descriptor == d;
}

int sem_collect_ctes(void *ctes, const ProtobufCMessage *m)
{
    if (sem_is_msg(m, &pg_query__common_table_expr__descriptor))
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

const char *sem_const_string(const PgQuery__Node *n)
{
    if (n && n->node_case == NODE(TYPE_CAST))
        n = n->type_cast->arg;
    if (!n || n->node_case != NODE(A_CONST) ||
        n->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
        return NULL;
    return n->a_const->sval->sval;
}

/* set_config('name', value, false) changes the session (session-state). */
static void check_set_config(struct sem *a, const PgQuery__FuncCall *f)
{
    struct qname q = sem_qname_of(f->funcname, f->n_funcname);
    if (strcmp(q.name, "set_config") != 0 || f->n_args != 3)
        return;
    const char *name = sem_const_string(f->args[0]);
    int session = is_false(f->args[2]);
    if (name && strcmp(name, "search_path") == 0) {
        const char *v = sem_const_string(f->args[1]);
        if (v)
            sem_set_search_path(a, v, !session);
    }
    sem_fire(a, (struct sem_event){SEM_SET_CONFIG, f->location,
                                   .u.set_config = {name, session}});
}

/* References anywhere in a statement: relations, types, functions. */
static void check_refs(struct sem *a, const ProtobufCMessage *m)
{
    if (sem_is_msg(m, &pg_query__range_var__descriptor)) {
        const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)m;
        sem_touch(a, sem_qname_rv(rv), rv->location);
        sem_use_relation(a, sem_qname_rv(rv), rv->location, 0);
    } else if (sem_is_msg(m, &pg_query__type_name__descriptor)) {
        sem_use_type(a, (const PgQuery__TypeName *)m);
    } else if (sem_is_msg(m, &pg_query__func_call__descriptor)) {
        const PgQuery__FuncCall *f = (const PgQuery__FuncCall *)m;
        sem_use_function(a, f->funcname, f->n_funcname, f->location);
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
void sem_refs(struct sem *a, const void *msg, const void *d1, const void *d2,
              const void *d3)
{
    struct refs_walk w = {a, {d1, d2, d3}};
    sem_walk(msg, check_refs_skipping, &w);
}

/* ---- names PostgreSQL chooses ------------------------------------------ */

/* pg_mbcliplen() on UTF-8: n, less the bytes of a character it cuts. */
static size_t clip_utf8(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* makeObjectName(): name1_name2_label within NAMEDATALEN - 1 bytes,
 * shortening the longer of name1 and name2 first, each then clipped to a
 * character boundary. */
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
    l1 = clip_utf8(n1, l1);
    l2 = n2 ? clip_utf8(n2, l2) : 0;
    return xasprintf("%.*s%s%.*s%s%s", (int)l1, n1, n2 ? "_" : "", (int)l2,
                     n2 ? n2 : "", label ? "_" : "", label ? label : "");
}

int sem_relation_name_taken(const struct sem *a, const char *schema,
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
char *sem_choose_name(const struct sem *a, const char *schema, const char *n1,
                      const char *n2, const char *label, int constraint)
{
    for (unsigned pass = 0;; pass++) {
        char mod[32];
        if (pass)
            snprintf(mod, sizeof mod, "%s%u", label, pass);
        char *name = object_name(n1, n2, pass ? mod : label);
        int taken = sem_relation_name_taken(a, schema, name) ||
                    (constraint && constraint_name_taken(a, schema, name));
        if (!taken)
            return name;
        free(name);
    }
}

/* ChooseIndexNameAddition(): column names joined by '_', stopping once
 * NAMEDATALEN is reached. */
char *sem_name_addition(const char *const *names, size_t n)
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

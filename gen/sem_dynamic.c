/* sem_dynamic.c: what migc cannot see, kept as uncertain names: the names
 * (and name patterns) a statement that may not have run, or dynamic SQL,
 * may have created or dropped; the SQL text an EXECUTE builds; the names
 * a statement creates or drops. */
#include "parse.h"
#include "sem_int.h"

/* ---- uncertain names --------------------------------------------------- */

struct sem_origin *sem_origin_new(struct sem *a, int dynamic, char *text)
{
    struct sem_unseen *u = a->unseen;
    struct sem_origin *o = xcalloc(1, sizeof *o);
    o->text = text;
    o->dynamic = dynamic;
    u->origins = xgrow(u->origins, u->n_origins, &u->cap_origins,
                       sizeof *u->origins);
    u->origins[u->n_origins++] = o;
    return o;
}

/* glob's '\x01' matches any run of characters, the rest itself. */
static int glob_match(const char *g, const char *s)
{
    if (!*g)
        return !*s;
    if (*g == '\x01') {
        for (const char *p = s;; p++) {
            if (glob_match(g + 1, p))
                return 1;
            if (!*p)
                return 0;
        }
    }
    return *s == *g && glob_match(g + 1, s + 1);
}

void sem_uncertain_add(struct sem *a, const char *glob,
                       const struct sem_origin *o)
{
    struct sem_unseen *u = a->unseen;
    if (!strchr(glob, '\x01')) {
        if (!table_has(&u->names, glob))
            table_add(&u->names, glob, (void *)o);
        return;
    }
    for (size_t i = 0; i < u->n_patterns; i++)
        if (strcmp(u->patterns[i].glob, glob) == 0)
            return;
    u->patterns = xgrow(u->patterns, u->n_patterns, &u->cap_patterns,
                        sizeof *u->patterns);
    u->patterns[u->n_patterns++] = (struct sem_pattern){xstrdup(glob), o};
}

/* What made name uncertain; NULL: nothing. A name made uncertain by
 * dynamic SQL wins, so that a note can name it. */
const struct sem_origin *sem_uncertain(const struct sem *a, const char *name)
{
    const struct sem_unseen *u = a->unseen;
    if (!name)
        return NULL;
    const struct sem_origin *found = table_get(&u->names, name);
    for (size_t i = 0; i < u->n_patterns && !(found && found->dynamic); i++)
        if (glob_match(u->patterns[i].glob, name))
            found = u->patterns[i].origin;
    return found;
}

void sem_unseen_free(struct sem_unseen *u)
{
    table_free(&u->names);
    for (size_t i = 0; i < u->compiled.cap; i++)
        if (u->compiled.slots[i].key &&
            u->compiled.slots[i].value != sem_not_compiled)
            free(u->compiled.slots[i].value);
    table_free(&u->compiled);
    for (size_t i = 0; i < u->n_patterns; i++)
        free(u->patterns[i].glob);
    free(u->patterns);
    for (size_t i = 0; i < u->n_origins; i++) {
        free(u->origins[i]->text);
        free(u->origins[i]);
    }
    free(u->origins);
    free(u->calls);
    free(u);
}

/* ---- the names a statement creates or drops ---------------------------- */

static void add_name(struct cat_names *out, const char *s)
{
    if (s && *s && !cat_names_has(out, s))
        cat_names_add(out, s);
}

static void add_last(struct cat_names *out, PgQuery__Node *const *items,
                     size_t n)
{
    if (n)
        add_name(out, sem_str_of(items[n - 1]));
}

static void add_rv(struct cat_names *out, const PgQuery__RangeVar *rv)
{
    if (rv)
        add_name(out, rv->relname);
}

/* A DROP's or RENAME's object, as the parser gives it. */
static void add_object(struct cat_names *out, const PgQuery__Node *o)
{
    if (!o)
        return;
    if (o->node_case == NODE(LIST))
        add_last(out, o->list->items, o->list->n_items);
    else if (o->node_case == NODE(TYPE_NAME))
        add_last(out, o->type_name->names, o->type_name->n_names);
    else if (o->node_case == NODE(OBJECT_WITH_ARGS))
        add_last(out, o->object_with_args->objname,
                 o->object_with_args->n_objname);
    else
        add_name(out, sem_str_of(o));
}

static void alter_table_names(const PgQuery__AlterTableStmt *s,
                              struct cat_names *out)
{
    for (size_t i = 0; i < s->n_cmds; i++) {
        if (s->cmds[i]->node_case != NODE(ALTER_TABLE_CMD))
            continue;
        const PgQuery__AlterTableCmd *c = s->cmds[i]->alter_table_cmd;
        add_name(out, c->name);
        const PgQuery__Node *d = c->def;
        if (d && d->node_case == NODE(COLUMN_DEF))
            add_name(out, d->column_def->colname);
        if (d && d->node_case == NODE(CONSTRAINT)) {
            add_name(out, d->constraint->conname);
            add_name(out, d->constraint->indexname);
        }
    }
}

/* A table's, and its columns' and constraints': it may be another table
 * of that name than the catalog holds. */
static void create_names(const PgQuery__CreateStmt *s, struct cat_names *out)
{
    add_rv(out, s->relation);
    for (size_t i = 0; i < s->n_table_elts; i++) {
        const PgQuery__Node *e = s->table_elts[i];
        if (e->node_case == NODE(COLUMN_DEF))
            add_name(out, e->column_def->colname);
        else if (e->node_case == NODE(CONSTRAINT))
            add_name(out, e->constraint->conname);
    }
}

/* The names statement n may create, drop or rename (both names): what
 * becomes uncertain when it may not have run, or was built at run time.
 * A name it only reads is not among them. */
void sem_stmt_names(const PgQuery__Node *n, struct cat_names *out)
{
    switch (n->node_case) {
    case NODE(CREATE_STMT): create_names(n->create_stmt, out); break;
    case NODE(CREATE_FOREIGN_TABLE_STMT):
        if (n->create_foreign_table_stmt->base_stmt)
            add_rv(out, n->create_foreign_table_stmt->base_stmt->relation);
        break;
    case NODE(CREATE_TABLE_AS_STMT):
        if (n->create_table_as_stmt->into)
            add_rv(out, n->create_table_as_stmt->into->rel);
        break;
    case NODE(SELECT_STMT):
        if (n->select_stmt->into_clause)
            add_rv(out, n->select_stmt->into_clause->rel);
        break;
    case NODE(VIEW_STMT): add_rv(out, n->view_stmt->view); break;
    case NODE(INDEX_STMT):
        if (n->index_stmt->idxname && *n->index_stmt->idxname) {
            add_name(out, n->index_stmt->idxname);
        } else if (n->index_stmt->relation) { /* table_col_idx */
            char *g = xasprintf("%s_\x01", n->index_stmt->relation->relname);
            add_name(out, g);
            free(g);
        }
        break;
    case NODE(CREATE_SEQ_STMT): add_rv(out, n->create_seq_stmt->sequence); break;
    case NODE(CREATE_SCHEMA_STMT):
        add_name(out, n->create_schema_stmt->schemaname);
        for (size_t i = 0; i < n->create_schema_stmt->n_schema_elts; i++)
            sem_stmt_names(n->create_schema_stmt->schema_elts[i], out);
        break;
    case NODE(CREATE_ENUM_STMT):
        add_last(out, n->create_enum_stmt->type_name,
                 n->create_enum_stmt->n_type_name);
        break;
    case NODE(COMPOSITE_TYPE_STMT):
        add_rv(out, n->composite_type_stmt->typevar);
        break;
    case NODE(CREATE_DOMAIN_STMT):
        add_last(out, n->create_domain_stmt->domainname,
                 n->create_domain_stmt->n_domainname);
        break;
    case NODE(CREATE_RANGE_STMT):
        add_last(out, n->create_range_stmt->type_name,
                 n->create_range_stmt->n_type_name);
        break;
    case NODE(DEFINE_STMT):
        add_last(out, n->define_stmt->defnames, n->define_stmt->n_defnames);
        break;
    case NODE(CREATE_FUNCTION_STMT):
        add_last(out, n->create_function_stmt->funcname,
                 n->create_function_stmt->n_funcname);
        break;
    case NODE(CREATE_TRIG_STMT):
        add_name(out, n->create_trig_stmt->trigname);
        break;
    case NODE(CREATE_POLICY_STMT):
        add_name(out, n->create_policy_stmt->policy_name);
        break;
    case NODE(CREATE_EXTENSION_STMT):
        add_name(out, n->create_extension_stmt->extname);
        break;
    case NODE(CREATE_ROLE_STMT): add_name(out, n->create_role_stmt->role); break;
    case NODE(ALTER_TABLE_STMT):
        alter_table_names(n->alter_table_stmt, out);
        break;
    case NODE(DROP_STMT):
        for (size_t i = 0; i < n->drop_stmt->n_objects; i++)
            add_object(out, n->drop_stmt->objects[i]);
        break;
    case NODE(RENAME_STMT):
        add_rv(out, n->rename_stmt->relation);
        add_object(out, n->rename_stmt->object);
        add_name(out, n->rename_stmt->subname);
        add_name(out, n->rename_stmt->newname);
        break;
    case NODE(ALTER_OBJECT_SCHEMA_STMT):
        add_rv(out, n->alter_object_schema_stmt->relation);
        add_object(out, n->alter_object_schema_stmt->object);
        break;
    default: break; /* reads, grants, data: nothing created or dropped */
    }
}

/* ---- the SQL an EXECUTE builds ----------------------------------------- */

struct buf {
    char *s;
    size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

struct dyn {
    sem_var_fn *var;
    void *ctx;
    unsigned depth;
};

static void eval(struct dyn *d, const PgQuery__Node *n, struct buf *out);

/* quote_ident(), %I: always quoted, which names the same identifier. */
static void put_ident(struct buf *out, const char *s)
{
    puts_(out, "\"");
    for (const char *p = s; *p; p++)
        put(out, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    puts_(out, "\"");
}

static char *eval_text(struct dyn *d, const PgQuery__Node *n)
{
    struct buf b = {0};
    puts_(&b, "");
    eval(d, n, &b);
    return b.s;
}

/* format(fmt, args...): %s, %I, %L, %%, with n$ positions; widths and
 * flags are read and ignored. */
static void eval_format(struct dyn *d, const PgQuery__FuncCall *f,
                        struct buf *out)
{
    char *fmt = f->n_args ? eval_text(d, f->args[0]) : NULL;
    if (!fmt || strstr(fmt, SEM_HOLE)) {
        free(fmt);
        puts_(out, SEM_HOLE);
        return;
    }
    size_t next = 1;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(out, p, 1);
            continue;
        }
        p++;
        if (*p == '%') {
            puts_(out, "%");
            continue;
        }
        size_t pos = 0;
        const char *q = p;
        while (*q >= '0' && *q <= '9')
            pos = pos * 10 + (size_t)(*q++ - '0');
        if (*q == '$' && pos) {
            next = pos;
            p = q + 1;
        }
        while (*p == '-' || *p == '*' || (*p >= '0' && *p <= '9'))
            p++;
        if (!*p)
            break;
        const PgQuery__Node *arg = next < f->n_args ? f->args[next] : NULL;
        next++;
        char *v = arg ? eval_text(d, arg) : xstrdup(SEM_HOLE);
        if (*p == 'I')
            put_ident(out, v);
        else if (*p == 'L')
            puts_(out, "'migc'");
        else
            puts_(out, v);
        free(v);
    }
    free(fmt);
}

static void eval_call(struct dyn *d, const PgQuery__FuncCall *f,
                      struct buf *out)
{
    const char *name = sem_qname_of(f->funcname, f->n_funcname).name;
    if (strcmp(name, "format") == 0) {
        eval_format(d, f, out);
    } else if (strcmp(name, "quote_ident") == 0 && f->n_args == 1) {
        char *v = eval_text(d, f->args[0]);
        put_ident(out, v);
        free(v);
    } else if ((strcmp(name, "quote_literal") == 0 ||
                strcmp(name, "quote_nullable") == 0) &&
               f->n_args == 1) {
        puts_(out, "'migc'");
    } else if (strcmp(name, "concat") == 0) {
        for (size_t i = 0; i < f->n_args; i++)
            eval(d, f->args[i], out);
    } else {
        puts_(out, SEM_HOLE);
    }
}

static const PgQuery__Node *expr_of(const PgQuery__ParseResult *tree)
{
    if (!tree || tree->n_stmts != 1 || !tree->stmts[0]->stmt ||
        tree->stmts[0]->stmt->node_case != NODE(SELECT_STMT))
        return NULL;
    const PgQuery__SelectStmt *s = tree->stmts[0]->stmt->select_stmt;
    if (s->n_target_list != 1 ||
        s->target_list[0]->node_case != NODE(RES_TARGET))
        return NULL;
    return s->target_list[0]->res_target->val;
}

static void eval_expr_text(struct dyn *d, const char *expr, struct buf *out)
{
    char *sql = xasprintf("SELECT %s", expr);
    struct parse_result r = {0};
    const PgQuery__Node *e =
        parse_sql(sql, strlen(sql), &r) == 0 ? expr_of(r.tree) : NULL;
    if (e)
        eval(d, e, out);
    else
        puts_(out, SEM_HOLE);
    parse_result_free(&r);
    free(sql);
}

static void eval_var(struct dyn *d, const PgQuery__ColumnRef *c,
                     struct buf *out)
{
    const char *name =
        c->n_fields == 1 ? sem_str_of(c->fields[0]) : NULL;
    const char *src = name && d->var ? d->var(d->ctx, name) : NULL;
    if (!src || d->depth > 8) {
        puts_(out, SEM_HOLE);
        return;
    }
    d->depth++;
    eval_expr_text(d, src, out);
    d->depth--;
}

static void eval(struct dyn *d, const PgQuery__Node *n, struct buf *out)
{
    char num[32];
    switch (n ? n->node_case : NODE(NULL_TEST)) {
    case NODE(A_CONST):
        if (n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
            puts_(out, n->a_const->sval->sval);
        } else if (n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
            snprintf(num, sizeof num, "%d", n->a_const->ival->ival);
            puts_(out, num);
        } else {
            puts_(out, SEM_HOLE);
        }
        break;
    case NODE(TYPE_CAST): eval(d, n->type_cast->arg, out); break;
    case NODE(A_EXPR): {
        const PgQuery__AExpr *e = n->a_expr;
        const char *op = sem_qname_of(e->name, e->n_name).name;
        if (e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP &&
            strcmp(op, "||") == 0 && e->lexpr && e->rexpr) {
            eval(d, e->lexpr, out);
            eval(d, e->rexpr, out);
        } else {
            puts_(out, SEM_HOLE);
        }
        break;
    }
    case NODE(FUNC_CALL): eval_call(d, n->func_call, out); break;
    case NODE(COLUMN_REF): eval_var(d, n->column_ref, out); break;
    default: puts_(out, SEM_HOLE); break;
    }
}

char *sem_dynamic_sql(const char *expr, sem_var_fn *var, void *ctx)
{
    struct dyn d = {var, ctx, 0};
    struct buf b = {0};
    puts_(&b, "");
    eval_expr_text(&d, expr, &b);
    return b.s;
}

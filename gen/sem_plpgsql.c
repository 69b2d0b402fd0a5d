/* sem_plpgsql.c: the effect of a DO block's or a called function's
 * PL/pgSQL body, from libpg_query's compiled form (parse_plpgsql(), JSON):
 * its static SQL is applied like any statement, for sure at the body's top
 * level and as "may have run" under IF, loops, CASE or an EXCEPTION block
 * (what it creates or drops becomes uncertain, sem_dynamic.c); the SQL an
 * EXECUTE builds is applied when it is a constant, else what it may create
 * or drop becomes uncertain too. */
#include "parse.h"
#include "sem_int.h"

/* ---- a small JSON reader (parse_plpgsql()'s output) -------------------- */

enum jkind { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
    enum jkind kind;
    char *str;        /* J_STR; J_NUM: its text */
    char **keys;      /* J_OBJ */
    struct jv **vals; /* J_OBJ, J_ARR */
    size_t n, cap;
};

static void jv_free(struct jv *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        if (v->keys)
            free(v->keys[i]);
        jv_free(v->vals[i]);
    }
    free(v->keys);
    free(v->vals);
    free(v->str);
    free(v);
}

static void skip_ws(const char **p)
{
    while (**p == ' ' || **p == '\n' || **p == '\t' || **p == '\r')
        (*p)++;
}

static void put_utf8(char *out, size_t *n, unsigned c)
{
    if (c < 0x80) {
        out[(*n)++] = (char)c;
    } else if (c < 0x800) {
        out[(*n)++] = (char)(0xc0 | (c >> 6));
        out[(*n)++] = (char)(0x80 | (c & 0x3f));
    } else {
        out[(*n)++] = (char)(0xe0 | (c >> 12));
        out[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[(*n)++] = (char)(0x80 | (c & 0x3f));
    }
}

static char *j_string(const char **p)
{
    const char *s = ++*p; /* past '"' */
    char *out = xmalloc(strlen(s) + 1);
    size_t n = 0;
    while (**p && **p != '"') {
        char c = *(*p)++;
        if (c != '\\') {
            out[n++] = c;
            continue;
        }
        c = *(*p)++;
        switch (c) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'r': out[n++] = '\r'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'u': {
            unsigned v = 0;
            for (int i = 0; i < 4 && **p; i++) {
                char h = *(*p)++;
                v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
            }
            put_utf8(out, &n, v);
            break;
        }
        case '\0': (*p)--; break;
        default: out[n++] = c; break;
        }
    }
    if (**p == '"')
        (*p)++;
    out[n] = '\0';
    return out;
}

static struct jv *j_value(const char **p, unsigned depth);

static void j_push(struct jv *v, char *key, struct jv *val)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 4;
        v->vals = xrealloc(v->vals, v->cap * sizeof *v->vals);
        if (v->kind == J_OBJ)
            v->keys = xrealloc(v->keys, v->cap * sizeof *v->keys);
    }
    if (v->kind == J_OBJ)
        v->keys[v->n] = key;
    v->vals[v->n++] = val;
}

static struct jv *j_container(const char **p, unsigned depth, enum jkind k)
{
    struct jv *v = xcalloc(1, sizeof *v);
    v->kind = k;
    char close = k == J_OBJ ? '}' : ']';
    (*p)++;
    for (skip_ws(p); **p && **p != close; skip_ws(p)) {
        char *key = NULL;
        if (k == J_OBJ) {
            if (**p != '"')
                break;
            key = j_string(p);
            skip_ws(p);
            if (**p == ':')
                (*p)++;
        }
        struct jv *val = j_value(p, depth + 1);
        if (!val) {
            free(key);
            break;
        }
        j_push(v, key, val);
        skip_ws(p);
        if (**p == ',')
            (*p)++;
    }
    if (**p != close) {
        jv_free(v);
        return NULL;
    }
    (*p)++;
    return v;
}

static struct jv *j_value(const char **p, unsigned depth)
{
    skip_ws(p);
    if (depth > 400)
        return NULL;
    if (**p == '{' || **p == '[')
        return j_container(p, depth, **p == '{' ? J_OBJ : J_ARR);
    struct jv *v = xcalloc(1, sizeof *v);
    if (**p == '"') {
        v->kind = J_STR;
        v->str = j_string(p);
    } else if (strncmp(*p, "true", 4) == 0 || strncmp(*p, "false", 5) == 0) {
        v->kind = J_BOOL;
        *p += **p == 't' ? 4 : 5;
    } else if (strncmp(*p, "null", 4) == 0) {
        *p += 4;
    } else {
        const char *s = *p;
        while (**p == '-' || **p == '+' || **p == '.' || **p == 'e' ||
               **p == 'E' || (**p >= '0' && **p <= '9'))
            (*p)++;
        if (*p == s) {
            free(v);
            return NULL;
        }
        v->kind = J_NUM;
        v->str = xstrndup(s, (size_t)(*p - s));
    }
    return v;
}

static const struct jv *j_get(const struct jv *v, const char *key)
{
    for (size_t i = 0; v && v->kind == J_OBJ && i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0)
            return v->vals[i];
    return NULL;
}

/* {"PLpgSQL_expr": {"query": "..."}}: the query. */
static const char *j_query(const struct jv *v)
{
    const struct jv *q = j_get(j_get(v, "PLpgSQL_expr"), "query");
    return q && q->kind == J_STR ? q->str : NULL;
}

/* ---- running a body ---------------------------------------------------- */

struct run {
    struct sem *a;
    const char *body;  /* where its statements' texts are found */
    int32_t body_off;  /* its offset in the file; -1: not there */
    size_t cursor;     /* the body's text before it is seen */
    int32_t loc;       /* -1 or the call's: where events go otherwise */
    const struct jv *datums;
    size_t *sources;   /* per datum: its assignments, and other targets */
    const char **source; /* per datum: the expression of its one assignment */
    int exited;        /* a RETURN or EXIT was seen: the rest may not run */
    const char *what;  /* "the DO block at F:L:C" */
    struct sem_origin *maybe, *dynamic; /* made when first needed */
};

static const struct sem_origin *origin(struct run *r, int dynamic)
{
    struct sem_origin **o = dynamic ? &r->dynamic : &r->maybe;
    if (!*o)
        *o = sem_origin_new(r->a, dynamic, xstrdup(r->what));
    return *o;
}

/* Where text begins in the file, -1 when not known. */
static int32_t text_offset(struct run *r, const char *text)
{
    if (r->body_off < 0 || !r->body)
        return -1;
    const char *at = strstr(r->body + r->cursor, text);
    if (!at)
        return -1;
    r->cursor = (size_t)(at - r->body);
    return r->body_off + (int32_t)r->cursor;
}

/* Apply one statement of an inner text: at file offset base of its
 * location 0 (-1: every event at at), sure or only maybe run. */
static void apply(struct run *r, const PgQuery__Node *n, int32_t base,
                  int32_t at, int cond)
{
    struct sem *a = r->a;
    struct sem_unseen *u = a->unseen;
    struct sem_unseen saved = *u;
    struct table ctes = a->ctes;
    const char *create_schema = a->create_schema;
    a->ctes = (struct table){0};
    a->create_schema = NULL;
    u->shift = 1;
    u->loc_base = base;
    u->loc_at = at;
    struct cat_names journal = {0};
    if (cond) {
        u->cond++;
        u->journal = &journal;
        catalog_journal(a->cat, &journal);
    }
    sem_run(a, n);
    if (cond) {
        sem_stmt_names(n, &journal);
        for (size_t i = 0; i < journal.n; i++)
            sem_uncertain_add(a, journal.items[i], origin(r, 0));
        cat_names_free(&journal);
        catalog_journal(a->cat, saved.journal);
    }
    table_free(&a->ctes);
    a->ctes = ctes;
    a->create_schema = create_schema;
    u->cond = saved.cond;
    u->journal = saved.journal;
    u->shift = saved.shift;
    u->loc_base = saved.loc_base;
    u->loc_at = saved.loc_at;
}

/* Static SQL: a statement (stmt) or an expression, evaluated as SELECT. */
static void run_sql(struct run *r, const char *text, int stmt, int cond)
{
    char *sql = stmt ? xstrdup(text) : xasprintf("SELECT %s", text);
    int32_t off = text_offset(r, text);
    int32_t base = off < 0 ? -1 : off - (stmt ? 0 : 7);
    struct parse_result p = {0};
    if (parse_sql(sql, strlen(sql), &p) != 0) {
        sem_words_scan(&r->a->opaque, text); /* not seen: as before */
    } else {
        for (size_t i = 0; i < p.n_stmts; i++)
            if (p.stmts[i].node)
                apply(r, p.stmts[i].node, base, r->loc, cond);
    }
    parse_result_free(&p);
    free(sql);
}

static const char *var_source(void *ctx, const char *name)
{
    struct run *r = ctx;
    for (size_t i = 0; r->datums && i < r->datums->n; i++) {
        const struct jv *d = j_get(r->datums->vals[i], "PLpgSQL_var");
        const struct jv *ref = j_get(d, "refname");
        if (ref && ref->kind == J_STR && strcmp(ref->str, name) == 0)
            return r->sources[i] == 1 ? r->source[i] : NULL;
    }
    return NULL;
}

/* EXECUTE's expression: a constant is static SQL; otherwise the names it
 * may create or drop become uncertain (all names when it does not parse). */
static void run_dynamic(struct run *r, const char *expr, int cond)
{
    char *sql = sem_dynamic_sql(expr, var_source, r);
    int32_t off = text_offset(r, expr);
    if (!strstr(sql, SEM_HOLE)) {
        struct parse_result p = {0};
        if (parse_sql(sql, strlen(sql), &p) == 0)
            for (size_t i = 0; i < p.n_stmts; i++)
                if (p.stmts[i].node)
                    apply(r, p.stmts[i].node, -1, off < 0 ? r->loc : off,
                          cond);
        parse_result_free(&p);
        free(sql);
        return;
    }
    struct parse_result p = {0};
    if (parse_sql(sql, strlen(sql), &p) != 0) {
        sem_uncertain_add(r->a, "\x01", origin(r, 1));
    } else {
        struct cat_names names = {0};
        for (size_t i = 0; i < p.n_stmts; i++)
            if (p.stmts[i].node)
                sem_stmt_names(p.stmts[i].node, &names);
        for (size_t i = 0; i < names.n; i++) {
            char *g = xstrdup(names.items[i]);
            for (char *h; (h = strstr(g, SEM_HOLE)) != NULL;) {
                *h = '\x01';
                memmove(h + 1, h + strlen(SEM_HOLE),
                        strlen(h + strlen(SEM_HOLE)) + 1);
            }
            sem_uncertain_add(r->a, g, origin(r, 1));
            free(g);
        }
        cat_names_free(&names);
    }
    parse_result_free(&p);
    free(sql);
}

static int is(const char *k, const char *s)
{
    return strcmp(k, s) == 0;
}

/* An expression member of statement kind k. */
static void run_expr(struct run *r, const char *k, const char *member,
                     const char *q, int cond)
{
    if (((is(k, "PLpgSQL_stmt_dynexecute") || is(k, "PLpgSQL_stmt_dynfors")) &&
         is(member, "query")) ||
        is(member, "dynquery")) {
        run_dynamic(r, q, cond);
    } else if (is(member, "sqlstmt") ||
               (is(k, "PLpgSQL_stmt_perform") && is(member, "expr")) ||
               is(member, "query")) {
        run_sql(r, q, 1, cond);
    } else if (is(k, "PLpgSQL_stmt_assign")) {
        const char *v = strstr(q, ":=");
        v = v ? v + 2 : strchr(q, '=') ? strchr(q, '=') + 1 : q;
        run_sql(r, v, 0, cond);
    } else {
        run_sql(r, q, 0, cond);
    }
}

static void walk_stmt(struct run *r, const char *k, const struct jv *v,
                      int cond);

/* Below statement kind k: its expressions run when it does (cond), the
 * statements it holds maybe (inner). */
static void walk_any(struct run *r, const char *k, const char *member,
                     const struct jv *v, int cond, int inner)
{
    if (!v)
        return;
    if (v->kind == J_ARR) {
        for (size_t i = 0; i < v->n; i++)
            walk_any(r, k, member, v->vals[i], cond, inner);
        return;
    }
    if (v->kind != J_OBJ)
        return;
    if (v->n == 1 && is(v->keys[0], "PLpgSQL_expr")) {
        const char *q = j_query(v);
        if (q)
            run_expr(r, k, member, q, cond);
        return;
    }
    if (v->n == 1 && strncmp(v->keys[0], "PLpgSQL_stmt_", 13) == 0) {
        walk_stmt(r, v->keys[0], v->vals[0], inner || r->exited);
        return;
    }
    for (size_t i = 0; i < v->n; i++)
        walk_any(r, k, v->keys[i], v->vals[i], inner, inner);
}

static void walk_stmt(struct run *r, const char *k, const struct jv *v,
                      int cond)
{
    int block = is(k, "PLpgSQL_stmt_block");
    int inner = !block || j_get(v, "exceptions") ? 1 : cond;
    for (size_t i = 0; v && v->kind == J_OBJ && i < v->n; i++)
        walk_any(r, k, v->keys[i], v->vals[i], cond,
                 block && is(v->keys[i], "body") ? inner || cond : 1);
    if (is(k, "PLpgSQL_stmt_return") || is(k, "PLpgSQL_stmt_return_next") ||
        is(k, "PLpgSQL_stmt_return_query") || is(k, "PLpgSQL_stmt_exit"))
        r->exited = 1;
}

/* How often each datum is assigned: by its DECLARE default, by :=, or as
 * any other target (INTO, a loop variable): "varno" members. */
static void count_targets(struct run *r, const struct jv *v, const char *k)
{
    if (!v || (v->kind != J_OBJ && v->kind != J_ARR))
        return;
    for (size_t i = 0; i < v->n; i++) {
        const char *key = v->kind == J_OBJ ? v->keys[i] : k;
        const struct jv *c = v->vals[i];
        if (v->kind == J_OBJ && is(key, "varno") && c->kind == J_NUM) {
            size_t no = (size_t)strtoul(c->str, NULL, 10);
            if (r->datums && no < r->datums->n) {
                r->sources[no]++;
                r->source[no] = is(k, "PLpgSQL_stmt_assign")
                                    ? j_query(j_get(v, "expr"))
                                    : NULL;
                if (r->source[no]) {
                    const char *q = strstr(r->source[no], ":=");
                    r->source[no] = q ? q + 2 : NULL;
                }
            }
        }
        count_targets(r, c, key);
    }
}

static void prepare(struct run *r, const struct jv *fn)
{
    r->datums = j_get(fn, "datums");
    size_t n = r->datums && r->datums->kind == J_ARR ? r->datums->n : 0;
    r->sources = xcalloc(n ? n : 1, sizeof *r->sources);
    r->source = xcalloc(n ? n : 1, sizeof *r->source);
    for (size_t i = 0; i < n; i++) {
        const char *q = j_query(
            j_get(j_get(r->datums->vals[i], "PLpgSQL_var"), "default_val"));
        if (q) {
            r->sources[i] = 1;
            r->source[i] = q;
        }
    }
    count_targets(r, j_get(fn, "action"), "");
    for (size_t i = 0; i < n; i++) { /* DECLARE x := f(): it runs first */
        const char *q = j_query(
            j_get(j_get(r->datums->vals[i], "PLpgSQL_var"), "default_val"));
        if (q)
            run_sql(r, q, 0, 0);
    }
}

/* Run the compiled body json: 0, or -1 when it is not one function. */
static int run_json(struct run *r, const char *json)
{
    const char *p = json;
    struct jv *root = j_value(&p, 0);
    const struct jv *fn =
        root && root->kind == J_ARR && root->n == 1
            ? j_get(root->vals[0], "PLpgSQL_function")
            : NULL;
    if (!fn) {
        jv_free(root);
        return -1;
    }
    prepare(r, fn);
    r->cursor = 0;
    walk_any(r, "", "action", j_get(fn, "action"), 0, 0);
    free(r->sources);
    free(r->source);
    jv_free(root);
    return 0;
}

static int is_plpgsql(const char *lang)
{
    return !lang || strcmp(lang, "plpgsql") == 0;
}

int sem_plpgsql_do(struct sem *a, const char *body, const char *lang,
                   int32_t body_off)
{
    if (!is_plpgsql(lang) || a->unseen->depth > 8)
        return -1;
    char *json = parse_plpgsql_do(body);
    if (!json)
        return -1;
    struct cat_site at = sem_site_at(a, -1);
    char *what = xasprintf("the DO block at %s:%u:%u", at.path, at.line,
                           at.col);
    struct run r = {.a = a, .body = body, .body_off = body_off, .loc = -1,
                    .what = what};
    a->unseen->depth++;
    int rc = run_json(&r, json);
    a->unseen->depth--;
    free(what);
    free(json);
    return rc;
}

/* ---- calls ------------------------------------------------------------- */

static int certain_call(const struct sem *a, int32_t loc)
{
    for (size_t i = 0; i < a->unseen->n_certain; i++)
        if (a->unseen->certain[i] == loc)
            return !a->unseen->cond;
    return 0;
}

void sem_plpgsql_call(struct sem *a, const struct cat_object *f, int32_t loc)
{
    struct sem_unseen *u = a->unseen;
    u->calls = xgrow(u->calls, u->n_calls, &u->cap_calls, sizeof *u->calls);
    u->calls[u->n_calls++] = (struct sem_call){
        .name = xstrdup(f->name),
        .def = f->def ? xstrdup(f->def) : NULL,
        .lang = f->lang ? xstrdup(f->lang) : NULL,
        .body = xstrdup(f->body),
        .certain = certain_call(a, loc),
        .loc = sem_outer_loc(a, loc),
    };
}

char sem_not_compiled[] = "";

/* A function definition's compiled body, compiled on its first call;
 * NULL when it does not compile. */
static const char *compiled(struct sem_unseen *u, const char *def)
{
    char *json = table_get(&u->compiled, def);
    if (!json) {
        json = parse_plpgsql(def);
        table_add(&u->compiled, def, json ? json : sem_not_compiled);
    }
    return json == sem_not_compiled ? NULL : json;
}

/* A call's body: applied as the function's when it compiles, else its
 * words are opaque, as any body migc cannot read. */
static void run_call(struct sem *a, struct sem_call *c)
{
    const char *json = c->def && is_plpgsql(c->lang) && c->lang &&
                               a->unseen->depth <= 8
                           ? compiled(a->unseen, c->def)
                           : NULL;
    struct sem_unseen *u = a->unseen;
    int shift = u->shift;
    u->shift = 0; /* c->loc is of the file already */
    struct cat_site at = sem_site_at(a, c->loc);
    char *what = xasprintf("the function %s called at %s:%u:%u", c->name,
                           at.path, at.line, at.col);
    struct run r = {.a = a, .body = NULL, .body_off = -1, .loc = c->loc,
                    .what = what};
    if (!c->certain)
        u->cond++;
    u->depth++;
    if (!json || run_json(&r, json) != 0)
        sem_words_scan(&a->opaque, c->body);
    u->depth--;
    if (!c->certain)
        u->cond--;
    u->shift = shift;
    free(what);
}

/* Apply n, then the bodies of the functions it called. */
void sem_run(struct sem *a, const PgQuery__Node *n)
{
    struct sem_unseen *u = a->unseen;
    size_t first = u->n_calls;
    sem_apply(a, n);
    for (size_t i = first; i < u->n_calls; i++) {
        struct sem_call c = u->calls[i]; /* the array may move */
        run_call(a, &c);
        free(c.name);
        free(c.def);
        free(c.lang);
        free(c.body);
    }
    u->n_calls = first;
}

int32_t sem_outer_loc(const struct sem *a, int32_t loc)
{
    const struct sem_unseen *u = a->unseen;
    if (!u || !u->shift)
        return loc;
    if (loc < 0 || u->loc_base < 0)
        return u->loc_at;
    return u->loc_base + loc;
}

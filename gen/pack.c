/* pack.c: packs (docs/packs.md): packs/<pack>/pack.yaml and
 * packs/<pack>/<folder>/<file>.yaml read with libyaml, each file one row of
 * the table its folder names, checked against the catalog the migrations
 * build, then written as upserts keyed by ref. The one file in gen/ that
 * includes yaml.h. */
#include "pack.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "parse.h"
#include "paths.h"
#include "source.h"
#include "xalloc.h"

/* Tables are looked up in the schema of the default search_path. */
#define PACK_SCHEMA "public"
/* A json or jsonb value may nest this deep, and visit this many nodes
 * (aliases can repeat a node: a bound keeps "billion laughs" out). */
enum { JSON_DEPTH_MAX = 64, JSON_NODES_MAX = 100000 };

/* ---- A growing string ---------------------------------------------------- */

struct sb {
    char *p;
    size_t n, cap;
};

static void sb_addn(struct sb *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_add(struct sb *b, const char *s) { sb_addn(b, s, strlen(s)); }

static void sb_addf(struct sb *b, const char *fmt, ...) GEN_PRINTF(2, 3);
static void sb_addf(struct sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    sb_add(b, s);
    free(s);
}

static char *sb_take(struct sb *b)
{
    char *p = b->p ? b->p : xstrdup("");
    *b = (struct sb){0};
    return p;
}

/* ---- SQL text ------------------------------------------------------------ */

static void sql_ident(struct sb *b, const char *s)
{
    sb_add(b, "\"");
    for (; *s; s++)
        sb_addn(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    sb_add(b, "\"");
}

static void sql_literal(struct sb *b, const char *s, size_t len)
{
    if (memchr(s, '\\', len))
        sb_add(b, "E");
    sb_add(b, "'");
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\'')
            sb_add(b, "''");
        else if (s[i] == '\\')
            sb_add(b, "\\\\");
        else
            sb_addn(b, s + i, 1);
    }
    sb_add(b, "'");
}

char *pack_sql_literal(const char *s, size_t len)
{
    struct sb b = {0};
    sql_literal(&b, s, len);
    return sb_take(&b);
}

/* "schema"."name" */
static char *sql_qname(const char *schema, const char *name)
{
    struct sb b = {0};
    sql_ident(&b, schema);
    sb_add(&b, ".");
    sql_ident(&b, name);
    return sb_take(&b);
}

/* ---- YAML scalars (the 1.2 core schema) ------------------------------------ */

static int is_digits(const char *s, size_t n, const char *set)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, s[i]) || s[i] == '\0')
            return 0;
    return 1;
}

static int one_of(const char *s, size_t n, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == n && memcmp(*words, s, n) == 0)
            return 1;
    return 0;
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL",
                                         NULL};
static const char *const true_words[] = {"true", "True", "TRUE", NULL};
static const char *const false_words[] = {"false", "False", "FALSE", NULL};
static const char *const inf_words[] = {".inf", ".Inf", ".INF", "+.inf",
                                        "+.Inf", "+.INF", "-.inf", "-.Inf",
                                        "-.INF", NULL};
static const char *const nan_words[] = {".nan", ".NaN", ".NAN", NULL};
/* YAML 1.1 booleans: strings in 1.2, named in a hint */
static const char *const old_bool_words[] = {
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off",
    "Off", "OFF", "y", "Y", "n", "N", NULL};

static const char DEC[] = "0123456789";

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int is_float(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    size_t int_start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t int_len = i - int_start, frac_len = 0;
    int dot = 0;
    if (i < n && s[i] == '.') {
        dot = 1;
        i++;
        size_t f = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        frac_len = i - f;
    }
    if (int_len == 0 && frac_len == 0)
        return 0;
    if (int_len == 0 && !dot)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t e = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == e)
            return 0;
    }
    return i == n;
}

enum pack_scalar pack_resolve_plain(const char *s, size_t n)
{
    if (one_of(s, n, null_words))
        return PACK_NULL;
    if (one_of(s, n, true_words) || one_of(s, n, false_words))
        return PACK_BOOL;
    size_t sign = n > 0 && (s[0] == '-' || s[0] == '+');
    if (is_digits(s + sign, n - sign, DEC))
        return PACK_INT;
    if (n > 2 && s[0] == '0' && s[1] == 'o' && is_digits(s + 2, n - 2,
                                                         "01234567"))
        return PACK_INT;
    if (n > 2 && s[0] == '0' && s[1] == 'x' &&
        is_digits(s + 2, n - 2, "0123456789abcdefABCDEF"))
        return PACK_INT;
    if (is_float(s, n) || one_of(s, n, inf_words) || one_of(s, n, nan_words))
        return PACK_FLOAT;
    return PACK_STR;
}

/* A run of digits without its leading zeros (one kept). */
static void add_digits(struct sb *b, const char *s, size_t n)
{
    while (n > 1 && s[0] == '0')
        s++, n--;
    if (n == 0)
        sb_add(b, "0");
    else
        sb_addn(b, s, n);
}

char *pack_json_number(const char *s, size_t n)
{
    if (one_of(s, n, inf_words) || one_of(s, n, nan_words))
        return NULL;
    struct sb b = {0};
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
        unsigned base = s[1] == 'x' ? 16 : 8;
        uint64_t v = 0;
        for (size_t i = 2; i < n; i++) {
            unsigned d = s[i] <= '9' ? (unsigned)(s[i] - '0')
                         : s[i] >= 'a' ? (unsigned)(s[i] - 'a' + 10)
                                       : (unsigned)(s[i] - 'A' + 10);
            if (v > (UINT64_MAX - d) / base)
                return NULL;
            v = v * base + d;
        }
        sb_addf(&b, "%llu", (unsigned long long)v);
        return sb_take(&b);
    }
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        if (s[i] == '-')
            sb_add(&b, "-");
        i++;
    }
    size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    add_digits(&b, s + start, i - start);
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        sb_add(&b, ".");
        if (i == f)
            sb_add(&b, "0");
        else
            sb_addn(&b, s + f, i - f);
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        sb_add(&b, "e");
        if (i < n && (s[i] == '-' || s[i] == '+')) {
            if (s[i] == '-')
                sb_add(&b, "-");
            i++;
        }
        add_digits(&b, s + i, n - i);
    }
    if (strcmp(b.p, "-0") == 0) /* "-0" is a JSON number too: kept */
        return sb_take(&b);
    return sb_take(&b);
}

/* A plain int scalar's value; -1 when it does not fit 64 bits. */
static int int_value(const char *s, size_t n, int64_t *out)
{
    char *num = pack_json_number(s, n);
    if (!num)
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(num, &end, 10);
    int bad = errno != 0 || *end != '\0';
    free(num);
    if (bad)
        return -1;
    *out = v;
    return 0;
}

/* ---- Files and folders --------------------------------------------------- */

static int is_yaml_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static char *join(const char *a, const char *b)
{
    return strcmp(a, ".") == 0 ? xstrdup(b) : xasprintf("%s/%s", a, b);
}

char *pack_default_dir(const char *dir)
{
    char *d = xstrdup(dir);
    for (size_t n = strlen(d); n > 1 && d[n - 1] == '/'; n--)
        d[n - 1] = '\0';
    const char *slash = strrchr(d, '/');
    const char *last = slash ? slash + 1 : d;
    char *out;
    if (strcmp(last, ".") == 0 || strcmp(last, "..") == 0)
        out = xasprintf("%s/../packs", d);
    else if (!slash)
        out = xstrdup("packs");
    else if (slash == d)
        out = xstrdup("/packs");
    else
        out = xasprintf("%.*s/packs", (int)(slash - d), d);
    free(d);
    return out;
}

/* ---- Tables as the catalog knows them ---------------------------------- */

enum vkind { V_TEXT, V_INT, V_BOOL, V_NUMBER, V_JSON, V_ENUM, V_OTHER };

/* What a column accepts. */
struct vtype {
    enum vkind kind;
    int array;
    int json;            /* json, not jsonb */
    int64_t min, max;    /* V_INT */
    size_t maxlen;       /* V_TEXT of a declared length, else 0 */
    const struct cat_object *en; /* V_ENUM */
    char *base;          /* the element type as SQL, for casts */
};

/* foo -> foo, "a""b" -> a"b */
static char *unquote(const char *s, size_t n)
{
    if (n < 2 || s[0] != '"' || s[n - 1] != '"')
        return xstrndup(s, n);
    struct sb b = {0};
    for (size_t i = 1; i + 1 < n; i++) {
        sb_addn(&b, s + i, 1);
        if (s[i] == '"' && s[i + 1] == '"')
            i++;
    }
    return sb_take(&b);
}

static void vtype_of(const struct catalog *cat, const char *type,
                     struct vtype *t)
{
    size_t n = strlen(type);
    *t = (struct vtype){.kind = V_OTHER};
    if (n > 2 && strcmp(type + n - 2, "[]") == 0) {
        t->array = 1;
        n -= 2;
    }
    char *base = xstrndup(type, n);
    static const struct {
        const char *name;
        int64_t min, max;
    } ints[] = {{"smallint", INT16_MIN, INT16_MAX},
                {"integer", INT32_MIN, INT32_MAX},
                {"bigint", INT64_MIN, INT64_MAX}};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        if (strcmp(base, ints[i].name) == 0) {
            t->kind = V_INT;
            t->min = ints[i].min;
            t->max = ints[i].max;
        }
    if (!strcmp(base, "text") || !strcmp(base, "name") ||
        !strcmp(base, "citext") || !strcmp(base, "bpchar") ||
        !strcmp(base, "character varying"))
        t->kind = V_TEXT;
    else if (!strncmp(base, "character varying(", 18) ||
             !strncmp(base, "character(", 10)) {
        t->kind = V_TEXT;
        t->maxlen = strtoul(strchr(base, '(') + 1, NULL, 10);
    } else if (!strcmp(base, "boolean"))
        t->kind = V_BOOL;
    else if (!strcmp(base, "numeric") || !strncmp(base, "numeric(", 8) ||
             !strcmp(base, "real") || !strcmp(base, "double precision"))
        t->kind = V_NUMBER;
    else if (!strcmp(base, "jsonb") || !strcmp(base, "json")) {
        t->kind = V_JSON;
        t->json = !strcmp(base, "json");
    } else if (t->kind == V_OTHER) {
        /* an enum of the schema: format_type() qualifies one outside public */
        const char *dot = NULL;
        int quoted = 0;
        for (const char *p = base; *p; p++)
            if (*p == '"')
                quoted = !quoted;
            else if (*p == '.' && !quoted)
                dot = p;
        char *schema = dot ? unquote(base, (size_t)(dot - base))
                           : xstrdup(PACK_SCHEMA);
        char *name = dot ? unquote(dot + 1, strlen(dot + 1))
                         : unquote(base, strlen(base));
        const struct cat_object *o =
            catalog_get(cat, CAT_TYPE, schema, NULL, name, NULL);
        if (o && (o->flags & CAT_ENUM)) {
            t->kind = V_ENUM;
            t->en = o;
            free(base);
            base = sql_qname(schema, name);
        }
        free(schema);
        free(name);
    }
    t->base = base;
}

/* A foreign key filled by ref: column col holds the id of the row of
 * target whose ref the column via (col + "_ref") names. */
struct fkey {
    size_t col, via;
    const struct cat_object *target;
    char *target_q; /* "schema"."table" */
    char *key;      /* the referenced column (its primary key) */
};

struct tinfo {
    const struct cat_object *t;
    char *qname;
    struct vtype *types; /* per column */
    long ref_col, pack_ref_col; /* -1 when absent */
    int ref_unique;
    struct fkey *fks;
    size_t n_fks;
};

static long column_index(const struct cat_object *t, const char *name)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* deps " a" -> "a"; NULL for none or several columns */
static char *single_dep(const struct cat_names *l)
{
    return l->n == 1 && *l->items[0] ? xstrdup(l->items[0]) : NULL;
}

static const struct cat_object *find_table(const struct catalog *cat,
                                           const char *schema,
                                           const char *name)
{
    const struct cat_object *o =
        catalog_get(cat, CAT_RELATION, schema, NULL, name, NULL);
    return o && o->relkind == CAT_REL_TABLE ? o : NULL;
}

/* The single-column primary key of t, or NULL. */
static char *primary_key(struct cat_object **all, size_t n,
                         const struct cat_object *t)
{
    for (size_t i = 0; i < n; i++)
        if (all[i]->kind == CAT_CONSTRAINT && all[i]->contype == 'p' &&
            strcmp(all[i]->schema, t->schema) == 0 &&
            strcmp(all[i]->table, t->name) == 0)
            return single_dep(&all[i]->uses);
    return NULL;
}

static struct tinfo *tinfo_new(const struct catalog *cat,
                               const struct cat_object *t)
{
    struct tinfo *ti = xcalloc(1, sizeof *ti);
    ti->t = t;
    ti->qname = sql_qname(t->schema, t->name);
    ti->types = xcalloc(t->n_cols ? t->n_cols : 1, sizeof *ti->types);
    for (size_t i = 0; i < t->n_cols; i++)
        vtype_of(cat, t->cols[i].type, &ti->types[i]);
    ti->ref_col = column_index(t, "ref");
    ti->pack_ref_col = column_index(t, "pack_ref");
    size_t n;
    struct cat_object **all = catalog_all(cat, &n);
    for (size_t i = 0; i < n; i++) {
        const struct cat_object *k = all[i];
        if (k->kind != CAT_CONSTRAINT || strcmp(k->schema, t->schema) != 0 ||
            strcmp(k->table, t->name) != 0)
            continue;
        char *col = single_dep(&k->uses);
        if (col && (k->contype == 'u' || k->contype == 'p') &&
            strcmp(col, "ref") == 0)
            ti->ref_unique = 1;
        const struct cat_object *target =
            k->contype == 'f' && col && k->ref_table
                ? find_table(cat, k->ref_schema, k->ref_table)
                : NULL;
        char *via = col ? xasprintf("%s_ref", col) : NULL;
        char *key = target ? (k->ref_cols.n ? single_dep(&k->ref_cols)
                                          : primary_key(all, n, target))
                           : NULL;
        if (target && key && column_index(target, "ref") >= 0 &&
            column_index(t, via) >= 0 && column_index(t, col) >= 0) {
            ti->fks = xrealloc(ti->fks, (ti->n_fks + 1) * sizeof *ti->fks);
            ti->fks[ti->n_fks++] = (struct fkey){
                .col = (size_t)column_index(t, col),
                .via = (size_t)column_index(t, via),
                .target = target,
                .target_q = sql_qname(target->schema, target->name),
                .key = key,
            };
            key = NULL;
        }
        free(key);
        free(via);
        free(col);
    }
    free(all);
    return ti;
}

static void tinfo_free(struct tinfo *ti)
{
    if (!ti)
        return;
    for (size_t i = 0; i < ti->t->n_cols; i++)
        free(ti->types[i].base);
    for (size_t i = 0; i < ti->n_fks; i++) {
        free(ti->fks[i].target_q);
        free(ti->fks[i].key);
    }
    free(ti->fks);
    free(ti->types);
    free(ti->qname);
    free(ti);
}

/* The table a folder names: itself, or its singular (runtimes -> runtime,
 * policies -> policy). */
static const struct cat_object *folder_table(const struct catalog *cat,
                                             const char *folder)
{
    const struct cat_object *t = find_table(cat, PACK_SCHEMA, folder);
    size_t n = strlen(folder);
    if (!t && n > 3 && strcmp(folder + n - 3, "ies") == 0) {
        char *s = xasprintf("%.*sy", (int)(n - 3), folder);
        t = find_table(cat, PACK_SCHEMA, s);
        free(s);
    }
    if (!t && n > 1 && folder[n - 1] == 's') {
        char *s = xstrndup(folder, n - 1);
        t = find_table(cat, PACK_SCHEMA, s);
        free(s);
    }
    return t;
}

/* ---- One file: one row ---------------------------------------------------- */

/* A reference to a row by ref, for the check that this pack defines it. */
struct link {
    size_t fk;
    char *ref;
    unsigned line, col;
};

struct prow {
    char *rel;       /* within the pack: "runtimes/python.yaml" */
    char *shown;     /* for diagnostics */
    struct tinfo *ti;
    char *ref;
    unsigned line, col, ref_line, ref_col;
    char **vals;     /* per column: SQL expression, or NULL: not given */
    struct link *links;
    size_t n_links;
};

struct file_ctx {
    const char *path;
    yaml_document_t *doc;
    struct diags *d;
    const char *pack;
    const struct cat_object *t;
    size_t budget;
    const yaml_node_t *top; /* the json value being converted */
    int failed;
};

static void ferr(struct file_ctx *f, const yaml_node_t *n, const char *fmt,
                 ...) GEN_PRINTF(3, 4);
static void ferr(struct file_ctx *f, const yaml_node_t *n, const char *fmt,
                 ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    diag_add(f->d, f->path, n ? (unsigned)n->start_mark.line + 1 : 0,
             n ? (unsigned)n->start_mark.column + 1 : 0, DIAG_ERROR,
             DIAG_PACK_SCHEMA, "%s", msg);
    free(msg);
    f->failed = 1;
}

static const char *scalar(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

static int is_plain(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE &&
           n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static int is_null(const yaml_node_t *n)
{
    return is_plain(n) && pack_resolve_plain(scalar(n), n->data.scalar.length) ==
                              PACK_NULL;
}

/* How a node reads in a message: a mapping, a sequence, or its text. */
static char *describe(const yaml_node_t *n)
{
    if (n->type == YAML_MAPPING_NODE)
        return xstrdup("a mapping");
    if (n->type == YAML_SEQUENCE_NODE)
        return xstrdup("a sequence");
    size_t len = n->data.scalar.length;
    const char *s = scalar(n);
    int plain = is_plain(n);
    if (memchr(s, '\0', len) || memchr(s, '\n', len) || len > 40)
        return xstrdup(plain ? "a string" : "a quoted string");
    if (!plain)
        return xasprintf("the quoted string '%s'", s);
    if (pack_resolve_plain(s, len) == PACK_STR)
        return xasprintf("'%s'", s);
    return xstrdup(len ? s : "null");
}

/* What a column (or, plural, an array column's elements) accepts. */
static char *expected(const struct vtype *t, int plural)
{
    static const char *const words[][2] = {
        [V_TEXT] = {"a string", "strings"},
        [V_INT] = {"an integer", "integers"},
        [V_BOOL] = {"true or false", "booleans"},
        [V_NUMBER] = {"a number", "numbers"},
        [V_JSON] = {"a JSON value", "JSON values"},
        [V_ENUM] = {"", ""},
        [V_OTHER] = {"a value", "values"},
    };
    if (t->kind != V_ENUM)
        return xstrdup(words[t->kind][plural]);
    struct sb b = {0};
    sb_add(&b, plural ? "labels of the enum (" : "one of ");
    for (size_t i = 0; i < t->en->labels.n; i++)
        sb_addf(&b, "%s'%s'", i ? ", " : "", t->en->labels.items[i]);
    if (t->en->labels.n == 0)
        sb_add(&b, "no label");
    if (plural)
        sb_add(&b, ")");
    return sb_take(&b);
}

/* A field's value (element > 0: its element'th element) did not fit its
 * column. */
static void wrong(struct file_ctx *f, const yaml_node_t *n, const char *field,
                  const struct vtype *t, size_t element, const char *why)
{
    const struct cat_column *c = NULL;
    for (size_t i = 0; i < f->t->n_cols; i++)
        if (strcmp(f->t->cols[i].name, field) == 0)
            c = &f->t->cols[i];
    char *found = describe(n);
    char *what = expected(t, t->array && !element);
    char *want = t->array && !element ? xasprintf("a sequence of %s", what)
                                      : xstrdup(what);
    char *where = element ? xasprintf(", element %zu", element) : xstrdup("");
    ferr(f, n, "field '%s'%s: expected %s for column %s.%s (%s), found %s%s%s",
         field, where, want, f->t->name, field, c ? c->type : "?", found,
         why ? ": " : "", why ? why : "");
    free(where);
    free(found);
    free(what);
    free(want);
}

/* JSON text of node n (json and jsonb columns). */
static int to_json(struct file_ctx *f, const yaml_node_t *n, int depth,
                   const char *field, struct sb *out)
{
    if (f->budget == 0) {
        ferr(f, f->top, "field '%s': the value expands to more than %d YAML "
                        "nodes (aliases repeat what they name)",
             field, JSON_NODES_MAX);
        return -1;
    }
    f->budget--;
    if (depth > JSON_DEPTH_MAX) {
        ferr(f, n, "field '%s': the value nests deeper than %d levels", field,
             JSON_DEPTH_MAX);
        return -1;
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        sb_add(out, "[");
        for (yaml_node_item_t *it = n->data.sequence.items.start;
             it < n->data.sequence.items.top; it++) {
            if (it != n->data.sequence.items.start)
                sb_add(out, ", ");
            if (to_json(f, yaml_document_get_node(f->doc, *it), depth + 1,
                        field, out) != 0)
                return -1;
        }
        sb_add(out, "]");
        return 0;
    }
    if (n->type == YAML_MAPPING_NODE) {
        sb_add(out, "{");
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
             p < n->data.mapping.pairs.top; p++) {
            const yaml_node_t *k = yaml_document_get_node(f->doc, p->key);
            if (k->type != YAML_SCALAR_NODE) {
                ferr(f, k, "field '%s': a JSON object's keys are strings, "
                           "found %s", field,
                     k->type == YAML_MAPPING_NODE ? "a mapping" : "a sequence");
                return -1;
            }
            for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++) {
                const yaml_node_t *k2 = yaml_document_get_node(f->doc, q->key);
                if (k2->type == YAML_SCALAR_NODE &&
                    k2->data.scalar.length == k->data.scalar.length &&
                    memcmp(scalar(k2), scalar(k), k->data.scalar.length) == 0) {
                    ferr(f, k, "field '%s': key '%s' appears twice in one "
                               "mapping", field, scalar(k));
                    return -1;
                }
            }
            if (p != n->data.mapping.pairs.start)
                sb_add(out, ", ");
            yaml_node_t key = *k;
            key.data.scalar.style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
            if (to_json(f, &key, depth + 1, field, out) != 0)
                return -1;
            sb_add(out, ": ");
            if (to_json(f, yaml_document_get_node(f->doc, p->value),
                        depth + 1, field, out) != 0)
                return -1;
        }
        sb_add(out, "}");
        return 0;
    }
    const char *s = scalar(n);
    size_t len = n->data.scalar.length;
    if (is_plain(n)) {
        switch (pack_resolve_plain(s, len)) {
        case PACK_NULL: sb_add(out, "null"); return 0;
        case PACK_BOOL: sb_add(out, one_of(s, len, true_words) ? "true" : "false"); return 0;
        case PACK_INT:
        case PACK_FLOAT: {
            char *num = pack_json_number(s, len);
            if (!num) {
                ferr(f, n, "field '%s': JSON has no number %s", field, s);
                return -1;
            }
            sb_add(out, num);
            free(num);
            return 0;
        }
        case PACK_STR: break;
        }
    }
    if (memchr(s, '\0', len)) {
        ferr(f, n, "field '%s': a JSON string cannot hold a NUL character "
                   "in PostgreSQL", field);
        return -1;
    }
    sb_add(out, "\"");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            sb_addf(out, "\\%c", c);
        else if (c == '\n')
            sb_add(out, "\\n");
        else if (c == '\t')
            sb_add(out, "\\t");
        else if (c == '\r')
            sb_add(out, "\\r");
        else if (c < 0x20)
            sb_addf(out, "\\u%04x", c);
        else
            sb_addn(out, s + i, 1);
    }
    sb_add(out, "\"");
    return 0;
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* One value (an array's element when element) as a SQL expression. */
static int element_sql(struct file_ctx *f, const yaml_node_t *n,
                       const char *field, const struct vtype *t,
                       size_t element, struct sb *out)
{
    if (element && is_null(n)) {
        sb_add(out, "NULL");
        return 0;
    }
    if (t->kind == V_JSON) {
        struct sb j = {0};
        f->budget = JSON_NODES_MAX;
        f->top = n;
        int rc = to_json(f, n, 0, field, &j);
        if (rc == 0) {
            sql_literal(out, j.p, j.n);
            sb_add(out, t->json ? "::json" : "::jsonb");
        }
        free(j.p);
        return rc;
    }
    if (n->type != YAML_SCALAR_NODE) {
        wrong(f, n, field, t, element, NULL);
        return -1;
    }
    const char *s = scalar(n);
    size_t len = n->data.scalar.length;
    enum pack_scalar k = is_plain(n) ? pack_resolve_plain(s, len) : PACK_STR;
    switch (t->kind) {
    case V_TEXT:
    case V_ENUM:
        if (memchr(s, '\0', len)) {
            ferr(f, n, "field '%s': PostgreSQL text cannot hold a NUL "
                       "character", field);
            return -1;
        }
        if (t->kind == V_TEXT && t->maxlen && utf8_chars(s, len) > t->maxlen) {
            char *why = xasprintf("longer than %zu characters", t->maxlen);
            wrong(f, n, field, t, element, why);
            free(why);
            return -1;
        }
        if (t->kind == V_ENUM) {
            int ok = 0;
            for (size_t i = 0; i < t->en->labels.n; i++)
                ok |= strlen(t->en->labels.items[i]) == len &&
                      memcmp(t->en->labels.items[i], s, len) == 0;
            if (!ok) {
                wrong(f, n, field, t, element, NULL);
                return -1;
            }
        }
        sql_literal(out, s, len);
        if (t->kind == V_ENUM && !t->array)
            sb_addf(out, "::%s", t->base);
        return 0;
    case V_BOOL:
        if (k != PACK_BOOL) {
            wrong(f, n, field, t, element,
                  is_plain(n) && one_of(s, len, old_bool_words)
                      ? "YAML 1.2 reads it as a string"
                      : NULL);
            return -1;
        }
        sb_add(out, one_of(s, len, true_words) ? "true" : "false");
        return 0;
    case V_INT: {
        int64_t v;
        if (k != PACK_INT) {
            wrong(f, n, field, t, element, NULL);
            return -1;
        }
        if (int_value(s, len, &v) != 0 || v < t->min || v > t->max) {
            wrong(f, n, field, t, element, "out of range");
            return -1;
        }
        sb_addf(out, "%lld", (long long)v);
        return 0;
    }
    case V_NUMBER: {
        if (k != PACK_INT && k != PACK_FLOAT) {
            wrong(f, n, field, t, element, NULL);
            return -1;
        }
        char *num = pack_json_number(s, len);
        if (num)
            sb_add(out, num);
        else if (one_of(s, len, nan_words))
            sb_addf(out, "'NaN'::%s", t->base);
        else
            sb_addf(out, "'%sInfinity'::%s", s[0] == '-' ? "-" : "", t->base);
        free(num);
        return 0;
    }
    default: {
        const struct cat_column *c = NULL;
        for (size_t i = 0; i < f->t->n_cols; i++)
            if (strcmp(f->t->cols[i].name, field) == 0)
                c = &f->t->cols[i];
        ferr(f, n, "field '%s': column %s.%s has type %s, which pack files "
                   "cannot set (text, integers, boolean, numeric, json, jsonb, "
                   "enums, and arrays of them)",
             field, f->t->name, field, c ? c->type : "?");
        return -1;
    }
    }
}

/* A field's value as a SQL expression. */
static int value_sql(struct file_ctx *f, const yaml_node_t *n,
                     const struct cat_column *c, const struct vtype *t,
                     struct sb *out)
{
    if (is_null(n)) {
        if (c->not_null) {
            ferr(f, n, "field '%s': null for column %s.%s, which is NOT NULL",
                 c->name, f->t->name, c->name);
            return -1;
        }
        sb_add(out, "NULL");
        return 0;
    }
    if (!t->array)
        return element_sql(f, n, c->name, t, 0, out);
    if (t->kind == V_OTHER)
        return element_sql(f, n, c->name, t, 0, out);
    if (n->type != YAML_SEQUENCE_NODE) {
        wrong(f, n, c->name, t, 0, NULL);
        return -1;
    }
    sb_add(out, "ARRAY[");
    int rc = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top && rc == 0; it++) {
        size_t k = (size_t)(it - n->data.sequence.items.start) + 1;
        if (k > 1)
            sb_add(out, ", ");
        const yaml_node_t *e = yaml_document_get_node(f->doc, *it);
        if (t->kind != V_JSON && e->type != YAML_SCALAR_NODE) {
            wrong(f, e, c->name, t, k, NULL);
            rc = -1;
        } else
            rc = element_sql(f, e, c->name, t, k, out);
    }
    sb_addf(out, "]::%s[]", t->base);
    return rc;
}

/* 1-based line and column of byte offset off (a reader error's place). */
static void offset_position(const char *bytes, size_t len, size_t off,
                            unsigned *line, unsigned *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (bytes[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)bytes[i] & 0xC0) != 0x80)
            (*col)++;
    }
}

static void yaml_error(const yaml_parser_t *p, const char *path,
                       const char *bytes, size_t len, struct diags *d)
{
    unsigned line = (unsigned)p->problem_mark.line + 1;
    unsigned col = (unsigned)p->problem_mark.column + 1;
    if (p->error == YAML_READER_ERROR)
        offset_position(bytes, len, p->problem_offset, &line, &col);
    const char *problem = p->problem ? p->problem : "cannot be read";
    if (p->context)
        diag_add(d, path, line, col, DIAG_ERROR, DIAG_PACK_SCHEMA,
                 "invalid YAML: %s %s that starts on line %u", problem,
                 p->context, (unsigned)p->context_mark.line + 1);
    else
        diag_add(d, path, line, col, DIAG_ERROR, DIAG_PACK_SCHEMA,
                 "invalid YAML: %s", problem);
}

/* Check the mapping of one file against its table into r. */
static void read_fields(struct file_ctx *f, const yaml_node_t *root,
                        struct prow *r)
{
    struct tinfo *ti = r->ti;
    const struct cat_object *t = ti->t;
    const yaml_node_t **given = xcalloc(t->n_cols ? t->n_cols : 1,
                                        sizeof *given);
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         p < root->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(f->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(f->doc, p->value);
        if (k->type != YAML_SCALAR_NODE) {
            ferr(f, k, "expected a field name, found %s",
                 k->type == YAML_MAPPING_NODE ? "a mapping" : "a sequence");
            continue;
        }
        const char *name = scalar(k);
        long i = memchr(name, '\0', k->data.scalar.length)
                     ? -1
                     : column_index(t, name);
        if (i < 0) {
            ferr(f, k, "unknown field '%s': table %s has no such column",
                 name, t->name);
            continue;
        }
        if (given[i]) {
            ferr(f, k, "field '%s' is given twice (first on line %u)", name,
                 (unsigned)given[i]->start_mark.line + 1);
            continue;
        }
        given[i] = k;
        const struct cat_column *c = &t->cols[i];
        if (c->generated) {
            ferr(f, k, "field '%s': column %s.%s is generated by the database",
                 name, t->name, name);
            continue;
        }
        int filled = 0;
        for (size_t j = 0; j < ti->n_fks; j++)
            if (ti->fks[j].col == (size_t)i) {
                ferr(f, k, "field '%s': column %s.%s is filled from '%s' "
                           "(the ref of a row of %s)",
                     name, t->name, name, t->cols[ti->fks[j].via].name,
                     ti->fks[j].target->name);
                filled = 1;
            }
        if (filled)
            continue;
        struct sb e = {0};
        if (value_sql(f, v, c, &ti->types[i], &e) == 0)
            r->vals[i] = sb_take(&e);
        free(e.p);
        if (!r->vals[i])
            continue;
        if (i == ti->ref_col) {
            if (v->type != YAML_SCALAR_NODE || is_null(v))
                continue;
            r->ref = xstrdup(scalar(v));
            r->ref_line = (unsigned)v->start_mark.line + 1;
            r->ref_col = (unsigned)v->start_mark.column + 1;
            size_t pl = strlen(f->pack);
            int pack_table = strcmp(t->name, "pack") == 0;
            if (pack_table && strcmp(r->ref, f->pack) != 0)
                ferr(f, v, "ref '%s' does not name this pack: the row of "
                           "pack.yaml is the pack's own, ref '%s'",
                     r->ref, f->pack);
            else if (!pack_table &&
                     (strncmp(r->ref, f->pack, pl) != 0 ||
                      r->ref[pl] != '.' || r->ref[pl + 1] == '\0'))
                ferr(f, v, "ref '%s' does not belong to pack '%s': "
                           "expected '%s.NAME'",
                     r->ref, f->pack, f->pack);
        }
        if (i == ti->pack_ref_col && v->type == YAML_SCALAR_NODE &&
            strcmp(scalar(v), f->pack) != 0)
            ferr(f, v, "field 'pack_ref': '%s' is not this pack ('%s')",
                 scalar(v), f->pack);
        for (size_t j = 0; j < ti->n_fks; j++)
            if (ti->fks[j].via == (size_t)i && v->type == YAML_SCALAR_NODE) {
                r->links = xrealloc(r->links,
                                    (r->n_links + 1) * sizeof *r->links);
                r->links[r->n_links++] = (struct link){
                    j, xstrdup(scalar(v)), (unsigned)v->start_mark.line + 1,
                    (unsigned)v->start_mark.column + 1};
            }
    }
    /* pack_ref says which pack a row belongs to: filled when left out */
    if (ti->pack_ref_col >= 0 && !given[ti->pack_ref_col] &&
        strcmp(t->name, "pack") != 0) {
        struct sb e = {0};
        sql_literal(&e, f->pack, strlen(f->pack));
        r->vals[ti->pack_ref_col] = sb_take(&e);
        given[ti->pack_ref_col] = root;
        for (size_t j = 0; j < ti->n_fks; j++)
            if (ti->fks[j].via == (size_t)ti->pack_ref_col) {
                r->links = xrealloc(r->links,
                                    (r->n_links + 1) * sizeof *r->links);
                r->links[r->n_links++] =
                    (struct link){j, xstrdup(f->pack), r->line, r->col};
            }
    }
    /* a foreign key resolved by the ref its _ref column names */
    for (size_t j = 0; j < ti->n_fks; j++) {
        const struct fkey *fk = &ti->fks[j];
        if (!r->vals[fk->via] || strcmp(r->vals[fk->via], "NULL") == 0)
            continue;
        struct sb e = {0};
        sb_add(&e, "(SELECT ");
        sql_ident(&e, fk->key);
        sb_addf(&e, " FROM %s WHERE \"ref\" = %s)", fk->target_q,
                r->vals[fk->via]);
        r->vals[fk->col] = sb_take(&e);
        given[fk->col] = given[fk->via];
    }
    for (size_t i = 0; i < t->n_cols; i++) {
        const struct cat_column *c = &t->cols[i];
        if (given[i] || c->generated)
            continue;
        const struct fkey *fk = NULL;
        for (size_t j = 0; j < ti->n_fks; j++)
            if (ti->fks[j].col == i)
                fk = &ti->fks[j];
        if (fk) {
            /* its _ref column, when that is not reported itself */
            const struct cat_column *via = &t->cols[fk->via];
            if (c->not_null && !c->has_default && !given[fk->via] &&
                !(via->not_null && !via->has_default))
                ferr(f, root, "missing field '%s': column %s.%s is NOT "
                              "NULL and is filled from it",
                     via->name, t->name, c->name);
            continue;
        }
        if ((long)i == ti->ref_col)
            ferr(f, root, "missing field 'ref': every pack row is found by "
                          "its ref");
        else if (c->not_null && !c->has_default)
            ferr(f, root, "missing field '%s': column %s.%s is NOT NULL "
                          "and has no default",
                 c->name, t->name, c->name);
    }
    free(given);
}

static void prow_free(struct prow *r)
{
    if (r->ti)
        for (size_t i = 0; i < r->ti->t->n_cols; i++)
            free(r->vals[i]);
    free(r->vals);
    for (size_t i = 0; i < r->n_links; i++)
        free(r->links[i].ref);
    free(r->links);
    free(r->rel);
    free(r->shown);
    free(r->ref);
}

/* Parse one file as one row of ti's table. Returns 0 when it fits. */
static int read_row(const char *bytes, size_t len, const char *pack,
                    struct prow *r, struct diags *d)
{
    yaml_parser_t p;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&p)) {
        fputs("migc: error: out of memory\n", stderr);
        exit(2);
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)bytes, len);
    if (!yaml_parser_load(&p, &doc)) {
        yaml_error(&p, r->shown, bytes, len, d);
        yaml_parser_delete(&p);
        return -1;
    }
    struct file_ctx f = {.path = r->shown, .doc = &doc, .d = d,
                         .pack = pack, .t = r->ti->t};
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) {
        diag_add(d, r->shown, 0, 0, DIAG_ERROR, DIAG_PACK_SCHEMA,
                 "the file holds no YAML document: a pack file is one row "
                 "of table %s", r->ti->t->name);
        f.failed = 1;
    } else {
        r->line = (unsigned)root->start_mark.line + 1;
        r->col = (unsigned)root->start_mark.column + 1;
        yaml_document_t next;
        if (!yaml_parser_load(&p, &next)) {
            yaml_error(&p, r->shown, bytes, len, d);
            f.failed = 1;
        } else {
            const yaml_node_t *second = yaml_document_get_root_node(&next);
            if (second)
                ferr(&f, second, "a second YAML document: a pack file is "
                                 "one row, one document");
            yaml_document_delete(&next);
        }
        if (root->type != YAML_MAPPING_NODE)
            ferr(&f, root, "expected a mapping of column names to values "
                           "(a row of table %s), found %s",
                 r->ti->t->name,
                 root->type == YAML_SEQUENCE_NODE ? "a sequence"
                                                  : "a scalar");
        else
            read_fields(&f, root, r);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    return f.failed ? -1 : 0;
}

/* ---- One pack ------------------------------------------------------------ */

/* A file of the pack: its path within the pack, and its table. */
struct pfile {
    char *rel;
    size_t table;
};

/* The rows of one table in one pack. */
struct ptable {
    struct tinfo *ti;
    struct prow *rows;
    size_t n;
    int done; /* placed in dependency order */
};

struct pack_build {
    const char *name;
    char *dir;   /* as shown in diagnostics */
    struct ptable *tables; /* [0]: the pack table (pack.yaml) */
    size_t n_tables;
    struct pfile *files; /* to read, with the index of their table */
    size_t n_files;
    int failed;
};

static struct ptable *add_table(struct pack_build *b, struct tinfo *ti)
{
    b->tables = xrealloc(b->tables, (b->n_tables + 1) * sizeof *b->tables);
    b->tables[b->n_tables] = (struct ptable){.ti = ti};
    return &b->tables[b->n_tables++];
}

static void add_file(struct pack_build *b, const char *rel, size_t table)
{
    b->files = xrealloc(b->files, (b->n_files + 1) * sizeof *b->files);
    b->files[b->n_files++] = (struct pfile){xstrdup(rel), table};
}

static int cmp_file(const void *x, const void *y)
{
    return strcmp(((const struct pfile *)x)->rel,
                  ((const struct pfile *)y)->rel);
}

/* Read rel (within the pack) as a row of pt's table. */
static void load_row(struct pack_build *b, struct ptable *pt, const char *rel,
                     struct hash_ctx *h, struct diags *d)
{
    char *shown = join(b->dir, rel);
    char *bytes;
    size_t len;
    if (source_read_all(shown, &bytes, &len) != 0) {
        diag_add(d, shown, 0, 0, DIAG_ERROR, DIAG_IO, "cannot read: %s",
                 strerror(errno));
        free(shown);
        b->failed = 1;
        return;
    }
    char size[32];
    snprintf(size, sizeof size, "%zu", len);
    hash_update(h, rel, strlen(rel) + 1);
    hash_update(h, size, strlen(size) + 1);
    hash_update(h, bytes, len);
    pt->rows = xrealloc(pt->rows, (pt->n + 1) * sizeof *pt->rows);
    struct prow *r = &pt->rows[pt->n++];
    *r = (struct prow){.rel = xstrdup(rel), .shown = shown, .ti = pt->ti};
    r->vals = xcalloc(pt->ti->t->n_cols ? pt->ti->t->n_cols : 1,
                      sizeof *r->vals);
    if (read_row(bytes, len, b->name, r, d) != 0)
        b->failed = 1;
    free(bytes);
}

/* Can the table hold pack rows: upserted by a unique ref. */
static int table_usable(struct tinfo *ti, const char *path, struct diags *d)
{
    const struct cat_object *t = ti->t;
    const char *why = t->cols_unknown
                          ? "migc does not know its columns (created AS "
                            "SELECT or as a typed or inherited table)"
                      : ti->ref_col < 0 ? "it has no column ref to upsert by"
                      : !ti->ref_unique
                          ? "no UNIQUE or PRIMARY KEY constraint covers "
                            "ref alone, which ON CONFLICT (ref) needs"
                          : NULL;
    if (why)
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_PACK_SCHEMA,
                 "table %s cannot hold pack rows: %s", t->name, why);
    return why == NULL;
}

/* Rows sharing a ref; references to rows of this pack that it lacks. */
static void check_refs(struct pack_build *b, struct diags *d)
{
    for (size_t t = 0; t < b->n_tables; t++) {
        struct ptable *pt = &b->tables[t];
        for (size_t i = 0; i < pt->n; i++)
            for (size_t j = 0; j < i && pt->rows[i].ref; j++)
                if (pt->rows[j].ref &&
                    strcmp(pt->rows[i].ref, pt->rows[j].ref) == 0) {
                    diag_add(d, pt->rows[i].shown, pt->rows[i].ref_line,
                             pt->rows[i].ref_col, DIAG_ERROR,
                             DIAG_PACK_SCHEMA,
                             "duplicate ref '%s': %s is the row of that ref",
                             pt->rows[i].ref, pt->rows[j].shown);
                    b->failed = 1;
                    break;
                }
    }
    size_t pl = strlen(b->name);
    for (size_t t = 0; t < b->n_tables; t++)
        for (size_t i = 0; i < b->tables[t].n; i++) {
            struct prow *r = &b->tables[t].rows[i];
            for (size_t k = 0; k < r->n_links; k++) {
                const struct fkey *fk = &r->ti->fks[r->links[k].fk];
                const char *ref = r->links[k].ref;
                int ours = strcmp(fk->target->name, "pack") == 0
                               ? strcmp(ref, b->name) == 0
                               : strncmp(ref, b->name, pl) == 0 &&
                                     ref[pl] == '.';
                if (!ours)
                    continue; /* another pack's row: synchronised with it */
                int found = 0;
                for (size_t u = 0; u < b->n_tables && !found; u++)
                    if (b->tables[u].ti->t == fk->target)
                        for (size_t v = 0; v < b->tables[u].n; v++)
                            found |= b->tables[u].rows[v].ref &&
                                     strcmp(b->tables[u].rows[v].ref, ref) == 0;
                if (!found) {
                    diag_add(d, r->shown, r->links[k].line, r->links[k].col,
                             DIAG_ERROR, DIAG_PACK_SCHEMA,
                             "'%s' names no row of table %s in pack '%s'",
                             ref, fk->target->name, b->name);
                    b->failed = 1;
                }
            }
        }
}

/* The upsert of one row. */
static char *upsert_sql(const struct prow *r)
{
    const struct tinfo *ti = r->ti;
    const struct cat_object *t = ti->t;
    struct sb s = {0}, set = {0}, mine = {0}, theirs = {0};
    sb_addf(&s, "INSERT INTO %s AS \"t\" (", ti->qname);
    size_t n = 0, n_set = 0;
    for (size_t i = 0; i < t->n_cols; i++)
        if (r->vals[i]) {
            sb_add(&s, n++ ? ", " : "");
            sql_ident(&s, t->cols[i].name);
        }
    sb_add(&s, ")\nVALUES (");
    n = 0;
    for (size_t i = 0; i < t->n_cols; i++) {
        if (!r->vals[i])
            continue;
        sb_addf(&s, "%s%s", n++ ? ",\n        " : "", r->vals[i]);
        if ((long)i == ti->ref_col)
            continue;
        const char *cast = ti->types[i].json ? "::jsonb" : "";
        sb_add(&set, n_set ? ",\n    " : "");
        sql_ident(&set, t->cols[i].name);
        sb_add(&set, " = EXCLUDED.");
        sql_ident(&set, t->cols[i].name);
        sb_add(&mine, n_set ? ", " : "");
        sb_add(&mine, "\"t\".");
        sql_ident(&mine, t->cols[i].name);
        sb_add(&mine, cast);
        sb_add(&theirs, n_set ? ", " : "");
        sb_add(&theirs, "EXCLUDED.");
        sql_ident(&theirs, t->cols[i].name);
        sb_add(&theirs, cast);
        n_set++;
    }
    sb_add(&s, ")\nON CONFLICT (\"ref\") ");
    if (n_set == 0)
        sb_add(&s, "DO NOTHING");
    else
        /* an unchanged row is not rewritten: its updated stays */
        sb_addf(&s, "DO UPDATE SET\n    %s\nWHERE (%s) IS DISTINCT FROM (%s)",
                set.p, mine.p, theirs.p);
    free(set.p);
    free(mine.p);
    free(theirs.p);
    return sb_take(&s);
}

/* Tables in dependency order: a table after the ones its foreign keys
 * reach (the pack table first); ties by name. Returns the order. */
static size_t *dependency_order(struct pack_build *b)
{
    size_t *order = xcalloc(b->n_tables ? b->n_tables : 1, sizeof *order);
    for (size_t k = 0; k < b->n_tables; k++)
        b->tables[k].done = 0;
    for (size_t placed = 0; placed < b->n_tables; placed++) {
        long pick = -1, fallback = -1;
        for (size_t k = 0; k < b->n_tables; k++) {
            struct ptable *pt = &b->tables[k];
            if (pt->done)
                continue;
            int ready = 1;
            for (size_t j = 0; j < pt->ti->n_fks; j++)
                for (size_t u = 0; u < b->n_tables; u++)
                    if (u != k && !b->tables[u].done &&
                        b->tables[u].ti->t == pt->ti->fks[j].target)
                        ready = 0;
            /* the pack table comes first, whatever it references */
            if (k == 0)
                ready = 1;
            const char *name = pt->ti->t->name;
            if (ready && (pick < 0 ||
                          strcmp(name, b->tables[pick].ti->t->name) < 0))
                pick = (long)k;
            if (fallback < 0 ||
                strcmp(name, b->tables[fallback].ti->t->name) < 0)
                fallback = (long)k;
            if (k == 0) {
                pick = 0;
                break;
            }
        }
        if (pick < 0)
            pick = fallback; /* a cycle: broken by name */
        b->tables[pick].done = 1;
        order[placed] = (size_t)pick;
    }
    return order;
}

static char *where_pack_rows(const struct ptable *pt, const char *pack)
{
    struct sb s = {0};
    sb_add(&s, "WHERE ");
    if (pt->ti->pack_ref_col >= 0)
        sb_add(&s, "\"pack_ref\" = ");
    else
        sb_add(&s, "split_part(\"ref\", '.', 1) = ");
    sql_literal(&s, pack, strlen(pack));
    sb_add(&s, " AND \"ref\" <> ALL (ARRAY[");
    for (size_t i = 0; i < pt->n; i++) {
        sb_add(&s, i ? ", " : "");
        sql_literal(&s, pt->rows[i].ref, strlen(pt->rows[i].ref));
    }
    sb_add(&s, "]::text[])");
    return sb_take(&s);
}

static int cmp_rel(const void *a, const void *b)
{
    return strcmp(((const struct prow *)a)->rel, ((const struct prow *)b)->rel);
}

/* The pack's output, once every file fits. */
static int build_pack(struct pack_build *b, const char *emb_dir,
                      struct pack *out, struct diags *d)
{
    size_t *order = dependency_order(b);
    out->name = xstrdup(b->name);
    out->path = join(emb_dir, b->name);
    for (size_t k = 0; k < b->n_tables; k++)
        out->n_rows += b->tables[k].n;
    out->rows = xcalloc(out->n_rows ? out->n_rows : 1, sizeof *out->rows);
    out->tables = xcalloc(b->n_tables ? b->n_tables : 1, sizeof *out->tables);
    size_t n = 0;
    int rc = 0;
    for (size_t o = 0; o < b->n_tables; o++) {
        struct ptable *pt = &b->tables[order[o]];
        qsort(pt->rows, pt->n, sizeof *pt->rows, cmp_rel);
        for (size_t i = 0; i < pt->n; i++) {
            const struct prow *r = &pt->rows[i];
            struct pack_row *pr = &out->rows[n++];
            pr->path = join(out->path, r->rel);
            pr->table = xstrdup(pt->ti->qname);
            pr->ref = xstrdup(r->ref);
            pr->sql = upsert_sql(r);
            pr->len = strlen(pr->sql);
            pr->line = r->line;
            pr->col = r->col;
            hash_sha256_hex(pr->sql, pr->len, pr->checksum);
            struct parse_result pres;
            if (parse_sql(pr->sql, pr->len, &pres) != 0 || pres.n_stmts != 1) {
                diag_add(d, r->shown, r->line, r->col, DIAG_ERROR,
                         DIAG_PACK_SCHEMA,
                         "internal error: the upsert migc wrote for this row "
                         "does not parse: %s",
                         pres.error ? pres.error : "not one statement");
                rc = -1;
            } else
                memcpy(pr->canonical, pres.stmts[0].canonical,
                       sizeof pr->canonical);
            parse_result_free(&pres);
        }
    }
    /* children before parents: the reverse of the insert order */
    for (size_t o = b->n_tables; o-- > 1;) {
        struct ptable *pt = &b->tables[order[o]];
        struct pack_table *t = &out->tables[out->n_tables++];
        char *where = where_pack_rows(pt, b->name);
        t->table = xstrdup(pt->ti->qname);
        t->orphans = xasprintf("SELECT \"ref\" FROM %s %s ORDER BY \"ref\"",
                               pt->ti->qname, where);
        t->prune = xasprintf("DELETE FROM %s %s", pt->ti->qname, where);
        free(where);
    }
    free(order);
    return rc;
}

static void pack_build_free(struct pack_build *b)
{
    for (size_t k = 0; k < b->n_tables; k++) {
        for (size_t i = 0; i < b->tables[k].n; i++)
            prow_free(&b->tables[k].rows[i]);
        free(b->tables[k].rows);
        tinfo_free(b->tables[k].ti);
    }
    free(b->tables);
    free(b->dir);
    for (size_t i = 0; i < b->n_files; i++)
        free(b->files[i].rel);
    free(b->files);
}

/* The folders of a pack: each with YAML files names a table. */
static void find_folders(struct pack_build *b, const struct catalog *cat,
                         struct diags *d)
{
    struct path_names folders;
    if (path_list(b->dir, &folders) != 0) {
        diag_add(d, b->dir, 0, 0, DIAG_ERROR, DIAG_IO, "cannot read: %s",
                 strerror(errno));
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < folders.n; i++) {
        const char *folder = folders.items[i];
        char *sub = join(b->dir, folder);
        struct path_names files = {0};
        if (!path_is_dir(sub) || path_list(sub, &files) != 0) {
            free(sub);
            continue;
        }
        size_t n_yaml = 0;
        for (size_t j = 0; j < files.n; j++)
            n_yaml += is_yaml_name(files.items[j]);
        const struct cat_object *t = n_yaml ? folder_table(cat, folder) : NULL;
        long table = -1;
        for (size_t k = 0; t && k < b->n_tables; k++)
            if (b->tables[k].ti->t == t)
                table = (long)k;
        if (n_yaml && !t)
            diag_add(d, sub, 0, 0, DIAG_ERROR, DIAG_PACK_SCHEMA,
                     "folder '%s' names no table of schema %s (the YAML "
                     "files of a folder are rows of the table it names: "
                     "folder runtimes or runtime for table runtime)",
                     folder, PACK_SCHEMA);
        else if (t && strcmp(t->name, "pack") == 0)
            diag_add(d, sub, 0, 0, DIAG_ERROR, DIAG_PACK_SCHEMA,
                     "folder '%s' names table pack, whose one row of a pack "
                     "is pack.yaml", folder);
        else if (t && table >= 0)
            diag_add(d, sub, 0, 0, DIAG_ERROR, DIAG_PACK_SCHEMA,
                     "folder '%s' names table %s, as another folder does",
                     folder, t->name);
        else if (t) {
            struct ptable *pt = add_table(b, tinfo_new(cat, t));
            table = (long)(b->n_tables - 1);
            if (table_usable(pt->ti, sub, d)) {
                for (size_t j = 0; j < files.n; j++)
                    if (is_yaml_name(files.items[j])) {
                        char *rel = join(folder, files.items[j]);
                        add_file(b, rel, (size_t)table);
                        free(rel);
                    }
                n_yaml = 0;
            }
        }
        if (n_yaml)
            b->failed = 1;
        path_names_free(&files);
        free(sub);
    }
    path_names_free(&folders);
}

/* Read the pack in folder name of dir. */
static int load_pack(const char *dir, const char *name, const char *emb_dir,
                     const struct catalog *cat, struct pack *out,
                     struct diags *d)
{
    struct pack_build b = {.name = name, .dir = join(dir, name)};
    char *pack_yaml = join(b.dir, "pack.yaml");
    const struct cat_object *t = find_table(cat, PACK_SCHEMA, "pack");
    if (!path_is_file(pack_yaml)) {
        diag_add(d, b.dir, 0, 0, DIAG_ERROR, DIAG_PACK_SCHEMA,
                 "pack '%s' has no pack.yaml (the row of table pack that "
                 "describes the pack itself)", name);
        b.failed = 1;
    } else if (!t) {
        diag_add(d, pack_yaml, 0, 0, DIAG_ERROR, DIAG_PACK_SCHEMA,
                 "no table pack in schema %s: pack.yaml is a row of it",
                 PACK_SCHEMA);
        b.failed = 1;
    } else {
        struct ptable *pt = add_table(&b, tinfo_new(cat, t));
        if (table_usable(pt->ti, pack_yaml, d))
            add_file(&b, "pack.yaml", 0);
        else
            b.failed = 1;
    }
    free(pack_yaml);
    if (b.n_tables == 1) /* the pack table is tables[0] */
        find_folders(&b, cat, d);
    /* read in the order of the paths within the pack: the checksum's */
    if (b.n_files)
        qsort(b.files, b.n_files, sizeof *b.files, cmp_file);
    struct hash_ctx h;
    hash_init(&h);
    for (size_t i = 0; i < b.n_files; i++)
        load_row(&b, &b.tables[b.files[i].table], b.files[i].rel, &h, d);
    hash_final_hex(&h, out->checksum);
    if (!b.failed)
        check_refs(&b, d);
    int rc = b.failed ? -1 : build_pack(&b, emb_dir, out, d);
    pack_build_free(&b);
    return rc;
}

static void pack_free(struct pack *p)
{
    for (size_t i = 0; i < p->n_rows; i++) {
        free(p->rows[i].path);
        free(p->rows[i].table);
        free(p->rows[i].ref);
        free(p->rows[i].sql);
    }
    for (size_t i = 0; i < p->n_tables; i++) {
        free(p->tables[i].table);
        free(p->tables[i].orphans);
        free(p->tables[i].prune);
    }
    free(p->rows);
    free(p->tables);
    free(p->name);
    free(p->path);
}

void pack_set_free(struct pack_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        pack_free(&s->packs[i]);
    free(s->packs);
    *s = (struct pack_set){0};
}

int pack_load(const struct pack_options *o, const struct catalog *cat,
              struct pack_set *out, struct diags *d)
{
    *out = (struct pack_set){0};
    char *dir = xstrdup(o->dir);
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
        dir[n - 1] = '\0';
    struct path_names packs;
    if (path_list(dir, &packs) != 0) {
        int missing = errno == ENOENT;
        if (!(missing && o->optional)) {
            diag_add(d, dir, 0, 0, DIAG_ERROR, DIAG_IO,
                     "cannot read the packs directory: %s", strerror(errno));
            free(dir);
            return -1;
        }
        free(dir);
        return 0;
    }
    char *emb_dir = path_embedded(dir, o->source_root, "packs");
    struct pack *built = xcalloc(packs.n ? packs.n : 1, sizeof *built);
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; i < packs.n; i++) {
        char *path = join(dir, packs.items[i]);
        int folder = path_is_dir(path);
        free(path);
        if (!folder)
            continue; /* a README beside the packs */
        if (load_pack(dir, packs.items[i], emb_dir, cat, &built[n], d) != 0)
            rc = -1;
        n++;
    }
    out->packs = built;
    out->n = n;
    if (rc != 0)
        pack_set_free(out);
    path_names_free(&packs);
    free(emb_dir);
    free(dir);
    return rc;
}

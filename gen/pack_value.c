/* pack_value.c: one field of a pack file as a SQL expression of its
 * column's type: text, enum labels, integers in range, booleans, numbers,
 * json and jsonb (from any YAML value), arrays of them; or the
 * [pack-schema] error that says what the column expected instead. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pack_int.h"
#include "xalloc.h"

/* A json or jsonb value may visit this many nodes (aliases can repeat a
 * node: a bound keeps "billion laughs" out), and nest PACK_JSON_DEPTH_MAX
 * levels deep (aliases can nest it deeper than the reader sees). */
enum { JSON_NODES_MAX = 100000 };

void pack_row_error(struct row_ctx *f, const struct pack_node *n,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    diag_add(f->d, f->path, n ? n->line : 0, n ? n->col : 0, DIAG_ERROR,
             DIAG_PACK_SCHEMA, "%s", msg);
    free(msg);
    f->failed = 1;
}

/* Written as a plain scalar without a tag. */
static int is_plain(const struct pack_node *n)
{
    return n->kind == PACK_NODE_SCALAR && n->plain && !n->tag;
}

/* How a node reads in a message: a mapping, a sequence, or its text. */
static char *describe(const struct pack_node *n)
{
    if (n->kind == PACK_NODE_MAPPING)
        return xstrdup("a mapping");
    if (n->kind == PACK_NODE_SEQUENCE)
        return xstrdup("a sequence");
    size_t len = n->len;
    const char *s = n->text;
    int plain = is_plain(n);
    int shown = !memchr(s, '\0', len) && !memchr(s, '\n', len) && len <= 40;
    if (n->tag)
        return shown ? xasprintf("%s '%s'", n->tag, s)
                     : xasprintf("a %s scalar", n->tag);
    if (!shown)
        return xstrdup(plain ? "a string" : "a quoted string");
    if (!plain)
        return xasprintf("the quoted string '%s'", s);
    if (n->scalar == PACK_STR)
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

static const struct cat_column *column_named(const struct cat_object *t,
                                             const char *name)
{
    const struct cat_column *c = NULL;
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            c = &t->cols[i];
    return c;
}

/* A field's value (element > 0: its element'th element) did not fit its
 * column. */
static void wrong(struct row_ctx *f, const struct pack_node *n,
                  const char *field, const struct vtype *t, size_t element,
                  const char *why)
{
    const struct cat_column *c = column_named(f->t, field);
    char *found = describe(n);
    char *what = expected(t, t->array && !element);
    char *want = t->array && !element ? xasprintf("a sequence of %s", what)
                                      : xstrdup(what);
    char *where = element ? xasprintf(", element %zu", element) : xstrdup("");
    pack_row_error(f, n,
                   "field '%s'%s: expected %s for column %s.%s (%s), found "
                   "%s%s%s",
                   field, where, want, f->t->name, field, c ? c->type : "?",
                   found, why ? ": " : "", why ? why : "");
    free(where);
    free(found);
    free(what);
    free(want);
}

/* ---- JSON text (json and jsonb columns) ---------------------------------- */

static int to_json(struct row_ctx *f, const struct pack_node *n, int depth,
                   const char *field, struct sb *out);

static int sequence_json(struct row_ctx *f, const struct pack_node *n,
                         int depth, const char *field, struct sb *out)
{
    sb_add(out, "[");
    for (size_t i = 0; i < n->n_items; i++) {
        if (i)
            sb_add(out, ", ");
        if (to_json(f, n->items[i], depth + 1, field, out) != 0)
            return -1;
    }
    sb_add(out, "]");
    return 0;
}

static int mapping_json(struct row_ctx *f, const struct pack_node *n,
                        int depth, const char *field, struct sb *out)
{
    sb_add(out, "{");
    for (size_t i = 0; i < n->n_pairs; i++) {
        const struct pack_node *k = n->pairs[i].key;
        if (k->kind != PACK_NODE_SCALAR) {
            pack_row_error(f, k,
                           "field '%s': a JSON object's keys are strings, "
                           "found %s",
                           field,
                           k->kind == PACK_NODE_MAPPING ? "a mapping"
                                                        : "a sequence");
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            const struct pack_node *k2 = n->pairs[j].key;
            if (k2->kind == PACK_NODE_SCALAR && k2->len == k->len &&
                memcmp(k2->text, k->text, k->len) == 0) {
                pack_row_error(f, k,
                               "field '%s': key '%s' appears twice in one "
                               "mapping",
                               field, k->text);
                return -1;
            }
        }
        if (i)
            sb_add(out, ", ");
        struct pack_node key = *k; /* a key is a string, whatever it reads */
        key.scalar = PACK_STR;
        if (to_json(f, &key, depth + 1, field, out) != 0)
            return -1;
        sb_add(out, ": ");
        if (to_json(f, n->pairs[i].value, depth + 1, field, out) != 0)
            return -1;
    }
    sb_add(out, "}");
    return 0;
}

static int string_json(struct row_ctx *f, const struct pack_node *n,
                       const char *field, struct sb *out)
{
    const char *s = n->text;
    if (memchr(s, '\0', n->len)) {
        pack_row_error(f, n,
                       "field '%s': a JSON string cannot hold a NUL "
                       "character in PostgreSQL",
                       field);
        return -1;
    }
    sb_add(out, "\"");
    for (size_t i = 0; i < n->len; i++) {
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

/* JSON text of node n. */
static int to_json(struct row_ctx *f, const struct pack_node *n, int depth,
                   const char *field, struct sb *out)
{
    if (f->budget == 0) {
        pack_row_error(f, f->top,
                       "field '%s': the value expands to more than %d YAML "
                       "nodes (aliases repeat what they name)",
                       field, JSON_NODES_MAX);
        return -1;
    }
    f->budget--;
    if (depth > PACK_JSON_DEPTH_MAX) {
        pack_row_error(f, n, "field '%s': the value nests deeper than %d "
                             "levels",
                       field, PACK_JSON_DEPTH_MAX);
        return -1;
    }
    if (n->kind == PACK_NODE_SEQUENCE)
        return sequence_json(f, n, depth, field, out);
    if (n->kind == PACK_NODE_MAPPING)
        return mapping_json(f, n, depth, field, out);
    switch (n->scalar) {
    case PACK_NULL: sb_add(out, "null"); return 0;
    case PACK_BOOL:
        sb_add(out, pack_plain_true(n->text, n->len) ? "true" : "false");
        return 0;
    case PACK_INT:
    case PACK_FLOAT: {
        char *num = pack_json_number(n->text, n->len);
        if (!num) {
            pack_row_error(f, n, "field '%s': JSON has no number %s", field,
                           n->text);
            return -1;
        }
        sb_add(out, num);
        free(num);
        return 0;
    }
    case PACK_STR: break;
    }
    return string_json(f, n, field, out);
}

/* ---- SQL expressions ----------------------------------------------------- */

static size_t utf8_chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

static int json_sql(struct row_ctx *f, const struct pack_node *n,
                    const char *field, const struct vtype *t, struct sb *out)
{
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

/* A text or enum scalar. */
static int text_sql(struct row_ctx *f, const struct pack_node *n,
                    const char *field, const struct vtype *t, size_t element,
                    struct sb *out)
{
    const char *s = n->text;
    size_t len = n->len;
    if (memchr(s, '\0', len)) {
        pack_row_error(f, n,
                       "field '%s': PostgreSQL text cannot hold a NUL "
                       "character",
                       field);
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
}

/* An integer, boolean or number scalar, of what its tag or the core
 * schema made of it (k). */
static int plain_sql(struct row_ctx *f, const struct pack_node *n,
                     enum pack_scalar k, const char *field,
                     const struct vtype *t, size_t element, struct sb *out)
{
    const char *s = n->text;
    size_t len = n->len;
    int64_t v;
    char *num;
    switch (t->kind) {
    case V_BOOL:
        if (k != PACK_BOOL) {
            wrong(f, n, field, t, element,
                  is_plain(n) && pack_plain_yaml11_bool(s, len)
                      ? "YAML 1.2 reads it as a string"
                      : NULL);
            return -1;
        }
        sb_add(out, pack_plain_true(s, len) ? "true" : "false");
        return 0;
    case V_INT:
        if (k != PACK_INT) {
            wrong(f, n, field, t, element, NULL);
            return -1;
        }
        if (pack_int_value(s, len, &v) != 0 || v < t->min || v > t->max) {
            wrong(f, n, field, t, element, "out of range");
            return -1;
        }
        sb_addf(out, "%lld", (long long)v);
        return 0;
    default: /* V_NUMBER */
        if (k != PACK_INT && k != PACK_FLOAT) {
            wrong(f, n, field, t, element, NULL);
            return -1;
        }
        num = pack_json_number(s, len);
        if (num)
            sb_add(out, num);
        else if (pack_plain_nan(s, len))
            sb_addf(out, "'NaN'::%s", t->base);
        else
            sb_addf(out, "'%sInfinity'::%s", s[0] == '-' ? "-" : "", t->base);
        free(num);
        return 0;
    }
}

/* One value (an array's element when element) as a SQL expression. */
static int element_sql(struct row_ctx *f, const struct pack_node *n,
                       const char *field, const struct vtype *t,
                       size_t element, struct sb *out)
{
    if (element && pack_is_null(n)) {
        sb_add(out, "NULL");
        return 0;
    }
    if (t->kind == V_JSON)
        return json_sql(f, n, field, t, out);
    if (n->kind != PACK_NODE_SCALAR) {
        wrong(f, n, field, t, element, NULL);
        return -1;
    }
    enum pack_scalar k = n->scalar;
    switch (t->kind) {
    case V_TEXT:
    case V_ENUM: return text_sql(f, n, field, t, element, out);
    case V_BOOL:
    case V_INT:
    case V_NUMBER: return plain_sql(f, n, k, field, t, element, out);
    default: {
        const struct cat_column *c = column_named(f->t, field);
        pack_row_error(f, n,
                       "field '%s': column %s.%s has type %s, which pack "
                       "files cannot set (text, integers, boolean, numeric, "
                       "json, jsonb, enums, and arrays of them)",
                       field, f->t->name, field, c ? c->type : "?");
        return -1;
    }
    }
}

int pack_value_sql(struct row_ctx *f, const struct pack_node *n,
                   const struct cat_column *c, const struct vtype *t,
                   struct sb *out)
{
    if (pack_is_null(n)) {
        if (c->not_null) {
            pack_row_error(f, n,
                           "field '%s': null for column %s.%s, which is NOT "
                           "NULL",
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
    if (n->kind != PACK_NODE_SEQUENCE) {
        wrong(f, n, c->name, t, 0, NULL);
        return -1;
    }
    sb_add(out, "ARRAY[");
    int rc = 0;
    for (size_t i = 0; i < n->n_items && rc == 0; i++) {
        size_t k = i + 1;
        if (k > 1)
            sb_add(out, ", ");
        const struct pack_node *e = n->items[i];
        if (t->kind != V_JSON && e->kind != PACK_NODE_SCALAR) {
            wrong(f, e, c->name, t, k, NULL);
            rc = -1;
        } else
            rc = element_sql(f, e, c->name, t, k, out);
    }
    sb_addf(out, "]::%s[]", t->base);
    return rc;
}

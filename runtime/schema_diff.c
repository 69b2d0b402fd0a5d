/* schema_diff.c: two snapshots compared item by item, one line per
 * difference (schema.h).
 *
 * Both snapshots are sorted by key, so the comparison is one merge. An
 * object only one side has is one line: its parts (columns, comments,
 * constraints) are not listed again; likewise a column only one side has
 * hides its own comment. */
#include "schema.h"

#include <stdlib.h>
#include <string.h>

#include "schema_int.h"
#include "sql.h"

/* A comparison in progress. */
struct differ {
    schema_line_fn *line;
    void *ctx;
    const char *label[2];
    size_t count;
    const struct schema_item *gone[2]; /* the last object or part only that
                                          side has: its parts are hidden */
};

int schema_key_cmp(const struct schema_item *a, const struct schema_item *b)
{
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    int c = strcmp(a->name, b->name);
    if (c != 0)
        return c;
    const char *x[2] = {a->sub, a->attr}, *y[2] = {b->sub, b->attr};
    for (int i = 0; i < 2; i++) {
        if (!x[i] || !y[i]) {
            if (x[i] != y[i])
                return x[i] ? 1 : -1;
            continue;
        }
        if ((c = strcmp(x[i], y[i])) != 0)
            return c;
    }
    return 0;
}

/* Text as one readable line: the list separator as ", ", control
 * characters escaped. */
static void add_escaped(struct sql *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        char one[2] = {(char)ch, '\0'};
        if (ch == SCHEMA_LIST_SEP)
            sql_add(b, ", ");
        else if (ch == '\n')
            sql_add(b, "\\n");
        else if (ch == '\t')
            sql_add(b, "\\t");
        else if (ch == '\r')
            sql_add(b, "\\r");
        else if (ch < 0x20 || ch == 0x7f)
            sql_addf(b, "\\x%02x", ch);
        else
            sql_add(b, one);
    }
}

static void add_text(struct sql *b, const char *s)
{
    add_escaped(b, s, strlen(s));
}

/* "kind name[: sub[: attr]]: " */
static void add_prefix(struct sql *b, const struct schema_item *it)
{
    sql_add(b, it->kind);
    sql_add(b, " ");
    add_text(b, it->name);
    if (it->sub) {
        sql_add(b, ": ");
        add_text(b, it->sub);
    }
    if (it->attr) {
        sql_add(b, ": ");
        add_text(b, it->attr);
    }
    sql_add(b, ": ");
}

/* Hand the line over and count it; out of memory is a difference too. */
static void emit(struct differ *d, struct sql *b)
{
    const char *text = sql_text(b);
    d->count++;
    if (d->line)
        d->line(d->ctx, text ? text : "schema comparison: out of memory");
    sql_free(b);
}

/* it is a part of the object or part gone (which only its side has). */
static int hidden(const struct schema_item *it, const struct schema_item *gone)
{
    if (!gone || it->rank != gone->rank || strcmp(it->name, gone->name) != 0)
        return 0;
    if (!gone->sub)
        return 1;
    return it->sub && !gone->attr && strcmp(it->sub, gone->sub) == 0;
}

/* An item only side `side` (0: a, 1: b) has. */
static void only(struct differ *d, const struct schema_item *it, int side)
{
    if (hidden(it, d->gone[side]))
        return;
    if (it->how == HOW_ORDER)
        return; /* the columns themselves are reported */
    struct sql b = SQL_INIT;
    add_prefix(&b, it);
    if (it->how == HOW_OBJECT || it->how == HOW_MEMBER) {
        d->gone[side] = it;
        sql_add(&b, "only in ");
        sql_add(&b, d->label[side]);
    } else {
        if (side == 1)
            sql_add(&b, "none vs ");
        add_text(&b, it->value);
        if (side == 0)
            sql_add(&b, " vs none");
    }
    emit(d, &b);
}

/* Line n (0-based) of text and its length; NULL past the end. */
static const char *nth_line(const char *text, size_t n, size_t *len)
{
    const char *p = text;
    for (; n > 0; n--) {
        p = strchr(p, '\n');
        if (!p)
            return NULL;
        p++;
    }
    const char *end = strchr(p, '\n');
    *len = end ? (size_t)(end - p) : strlen(p);
    return p;
}

static void add_quoted_line(struct sql *b, const char *s, size_t n)
{
    if (!s) {
        sql_add(b, "end");
        return;
    }
    sql_add(b, "'");
    add_escaped(b, s, n);
    sql_add(b, "'");
}

/* Multi-line values (function and view definitions): the first line that
 * differs, numbered from 1. */
static void differ_lines(struct sql *b, const char *x, const char *y)
{
    for (size_t n = 0;; n++) {
        size_t lx = 0, ly = 0;
        const char *px = nth_line(x, n, &lx), *py = nth_line(y, n, &ly);
        if (px && py && lx == ly && memcmp(px, py, lx) == 0)
            continue;
        sql_addf(b, "line %zu: ", n + 1);
        add_quoted_line(b, px, lx);
        sql_add(b, " vs ");
        add_quoted_line(b, py, ly);
        return;
    }
}

/* The elements of a list value. */
struct list {
    const char **at;
    size_t *len;
    size_t n;
};

static int split(const char *s, struct list *l)
{
    size_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == SCHEMA_LIST_SEP;
    l->at = malloc(n * sizeof *l->at);
    l->len = malloc(n * sizeof *l->len);
    l->n = 0;
    if (!l->at || !l->len)
        return -1;
    for (const char *p = s;; l->n++) {
        const char *end = strchr(p, SCHEMA_LIST_SEP);
        l->at[l->n] = p;
        l->len[l->n] = end ? (size_t)(end - p) : strlen(p);
        if (!end) {
            l->n++;
            return 0;
        }
        p = end + 1;
    }
}

static int has(const struct list *l, const char *s, size_t len)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->len[i] == len && memcmp(l->at[i], s, len) == 0)
            return 1;
    return 0;
}

/* Keep only the elements of l that other has. */
static void keep_common(struct list *l, const struct list *other)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++)
        if (has(other, l->at[i], l->len[i])) {
            l->at[k] = l->at[i];
            l->len[k++] = l->len[i];
        }
    l->n = k;
}

static void add_list(struct sql *b, const struct list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            sql_add(b, ", ");
        add_escaped(b, l->at[i], l->len[i]);
    }
}

/* An order list (column order): equal when the names both sides have come
 * in the same order; the names only one side has are reported as parts.
 * Returns 1 when a line was written into b, -1 out of memory. */
static int differ_order(struct sql *b, const char *x, const char *y)
{
    struct list lx = {0}, ly = {0};
    int rc = split(x, &lx) == 0 && split(y, &ly) == 0 ? 0 : -1;
    if (rc == 0) {
        /* y is in lx-and-ly exactly when it is in lx: filtering ly by
         * the already filtered lx is the same. */
        keep_common(&lx, &ly);
        keep_common(&ly, &lx);
        int same = lx.n == ly.n;
        for (size_t i = 0; same && i < lx.n; i++)
            same = lx.len[i] == ly.len[i] &&
                   memcmp(lx.at[i], ly.at[i], lx.len[i]) == 0;
        if (!same) {
            add_list(b, &lx);
            sql_add(b, " vs ");
            add_list(b, &ly);
            rc = 1;
        }
    }
    free(lx.at);
    free(lx.len);
    free(ly.at);
    free(ly.len);
    return rc;
}

/* An item both sides have. */
static void both(struct differ *d, const struct schema_item *x,
                 const struct schema_item *y)
{
    if (strcmp(x->value, y->value) == 0)
        return;
    struct sql b = SQL_INIT;
    add_prefix(&b, x);
    if (x->how == HOW_ORDER) {
        int rc = differ_order(&b, x->value, y->value);
        if (rc == 0) {
            sql_free(&b);
            return;
        }
        if (rc < 0)
            b.nomem = 1;
    } else if (strchr(x->value, '\n') || strchr(y->value, '\n')) {
        differ_lines(&b, x->value, y->value);
    } else {
        add_text(&b, x->value);
        sql_add(&b, " vs ");
        add_text(&b, y->value);
    }
    emit(d, &b);
}

size_t schema_diff(const struct schema_snapshot *a,
                   const struct schema_snapshot *b, const char *a_label,
                   const char *b_label, schema_line_fn *line, void *ctx)
{
    static const struct schema_snapshot empty = {NULL, 0, 0};
    struct differ d = {.line = line, .ctx = ctx};
    d.label[0] = a_label ? a_label : "the first";
    d.label[1] = b_label ? b_label : "the second";
    a = a ? a : &empty;
    b = b ? b : &empty;
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        int c = i >= a->n   ? 1
                : j >= b->n ? -1
                            : schema_key_cmp(a->items[i], b->items[j]);
        if (c == 0)
            both(&d, a->items[i++], b->items[j++]);
        else if (c < 0)
            only(&d, a->items[i++], 0);
        else
            only(&d, b->items[j++], 1);
    }
    return d.count;
}

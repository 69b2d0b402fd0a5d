/* suggest.c: "did you mean": edit distance, and the names each kind of
 * unknown name is compared with. */
#include "suggest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "catalog.h"
#include "xalloc.h"

/* s as characters (code points; a byte that starts no valid sequence is
 * one character of its own), ASCII letters lowered with fold; *n set. */
static uint32_t *chars_of(const char *s, int fold, size_t *n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), k = 0;
    uint32_t *out = xmalloc((len + 1) * sizeof *out);
    for (size_t i = 0; i < len;) {
        unsigned c = p[i], extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0;
        if (i + extra >= len)
            extra = 0; /* a sequence cut short */
        for (unsigned j = 1; j <= extra; j++)
            if ((p[i + j] & 0xc0) != 0x80)
                extra = 0;
        uint32_t cp = c;
        for (unsigned j = 1; j <= extra; j++)
            cp = cp << 6 | (p[i + j] & 0x3fu);
        if (fold && cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        out[k++] = cp;
        i += 1 + extra;
    }
    *n = k;
    return out;
}

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
    unsigned m = a < b ? a : b;
    return m < c ? m : c;
}

unsigned suggest_distance(const char *a, const char *b, unsigned limit,
                          int fold)
{
    size_t la, lb;
    uint32_t *x = chars_of(a, fold, &la), *y = chars_of(b, fold, &lb);
    unsigned result = limit + 1;
    if ((la > lb ? la - lb : lb - la) > limit)
        goto out;
    /* three rows of the matrix: two back (for a swap), one back, this */
    unsigned *rows = xmalloc(3 * (lb + 1) * sizeof *rows);
    unsigned *prev2 = rows, *prev = rows + lb + 1, *cur = rows + 2 * (lb + 1);
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (unsigned)i;
        unsigned row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            unsigned cost = x[i - 1] != y[j - 1];
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] &&
                x[i - 2] == y[j - 1] && prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
            if (cur[j] < row_min)
                row_min = cur[j];
        }
        if (row_min > limit) { /* every path from here costs more */
            free(rows);
            goto out;
        }
        unsigned *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    result = prev[lb] <= limit ? prev[lb] : limit + 1;
    free(rows);
out:
    free(x);
    free(y);
    return result;
}

void suggest_begin(struct suggest *s, const char *want)
{
    size_t n;
    free(chars_of(want, 0, &n));
    unsigned limit = (unsigned)(n / 3);
    if (limit < 1)
        limit = 1;
    if (n > 0 && limit >= n)
        limit = (unsigned)n - 1; /* never every character replaced */
    *s = (struct suggest){.want = want, .limit = limit};
}

void suggest_offer(struct suggest *s, const char *name)
{
    if (!name || !*name || strcmp(name, s->want) == 0 || s->limit == 0)
        return;
    unsigned folded = suggest_distance(s->want, name, s->limit, 1);
    if (folded > s->limit)
        return;
    /* case kept: "Users" is closer to users than to USERS */
    unsigned exact = suggest_distance(s->want, name, 2 * s->limit + 1, 0);
    if (s->best && s->best_folded == folded && s->best_exact == exact) {
        if (strcmp(s->best, name) != 0)
            s->tied = 1; /* the same name from two places is no tie */
        return;
    }
    if (s->best && (s->best_folded < folded ||
                    (s->best_folded == folded && s->best_exact < exact)))
        return;
    s->best = name;
    s->best_folded = folded;
    s->best_exact = exact;
    s->tied = 0;
}

const char *suggest_result(const struct suggest *s)
{
    return s->tied ? NULL : s->best;
}

/* ---- what each kind of name is compared with --------------------------- */

/* "schema.name" as written, split at its first dot; *schema NULL when
 * unqualified. Free *schema. */
static const char *split_name(const char *name, char **schema)
{
    const char *dot = strchr(name, '.');
    *schema = dot ? xasprintf("%.*s", (int)(dot - name), name) : NULL;
    return dot ? dot + 1 : name;
}

static int in_path(const struct sem *a, const char *schema)
{
    for (size_t i = 0; i < a->n_path; i++)
        if (strcmp(a->path[i], schema) == 0)
            return 1;
    return 0;
}

/* The catalog's objects of kind that a name qualified by schema (NULL:
 * unqualified, through search_path) reaches. */
static void offer_catalog(struct suggest *s, const struct sem *a,
                          enum cat_kind kind, const char *schema)
{
    size_t n;
    struct cat_object **all = catalog_all(a->cat, &n);
    for (size_t i = 0; i < n; i++) {
        const struct cat_object *o = all[i];
        if (o->kind != kind)
            continue;
        if (kind == CAT_SCHEMA ||
            (schema ? strcmp(o->schema, schema) == 0 : in_path(a, o->schema)))
            suggest_offer(s, o->name);
    }
    free(all);
}

/* pg_catalog's names of a core list: found unqualified whatever the
 * search_path, or qualified by pg_catalog. */
static void offer_builtins(struct suggest *s, enum builtin_set set,
                           const char *schema)
{
    if (schema && strcmp(schema, "pg_catalog") != 0 &&
        (set != BUILTIN_RELATIONS || strcmp(schema, "information_schema") != 0))
        return;
    size_t n;
    const char *const *names = builtin_names(set, &n);
    const char *want = schema ? schema : "pg_catalog";
    size_t wl = strlen(want);
    for (size_t i = 0; i < n; i++) {
        if (set != BUILTIN_RELATIONS)
            suggest_offer(s, names[i]);
        else if (strncmp(names[i], want, wl) == 0 && names[i][wl] == '.')
            suggest_offer(s, names[i] + wl + 1);
    }
}

/* The suggestion, qualified as the unknown name was. */
static char *result_as_written(const struct suggest *s, const char *schema)
{
    const char *r = suggest_result(s);
    if (!r)
        return NULL;
    return schema ? xasprintf("%s.%s", schema, r) : xstrdup(r);
}

char *suggest_relation(const struct sem *a, const char *name)
{
    char *schema;
    struct suggest s;
    suggest_begin(&s, split_name(name, &schema));
    offer_catalog(&s, a, CAT_RELATION, schema);
    offer_builtins(&s, BUILTIN_RELATIONS, schema);
    char *r = result_as_written(&s, schema);
    free(schema);
    return r;
}

char *suggest_schema(const struct sem *a, const char *name)
{
    static const char *const builtin[] = {"information_schema", "pg_catalog",
                                          "public"};
    struct suggest s;
    suggest_begin(&s, name);
    offer_catalog(&s, a, CAT_SCHEMA, NULL);
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        suggest_offer(&s, builtin[i]);
    return result_as_written(&s, NULL);
}

char *suggest_constraint(const struct sem *a, const struct cat_object *of,
                         const char *name)
{
    struct suggest s;
    suggest_begin(&s, name);
    size_t n;
    struct cat_object **parts = catalog_parts(a->cat, of, &n);
    for (size_t i = 0; i < n; i++)
        if (parts[i]->kind == CAT_CONSTRAINT)
            suggest_offer(&s, parts[i]->name);
    free(parts);
    return result_as_written(&s, NULL);
}

char *suggest_column(const struct cat_object *of, const char *name)
{
    struct suggest s;
    suggest_begin(&s, name);
    for (size_t i = 0; of && i < of->n_cols; i++)
        suggest_offer(&s, of->cols[i].name);
    return result_as_written(&s, NULL);
}

char *suggest_type(const struct sem *a, const char *name)
{
    /* the grammar's own type names, which pg_catalog spells otherwise */
    static const char *const keywords[] = {"bigint",  "boolean", "character",
                                           "decimal", "integer", "real",
                                           "smallint"};
    char *schema;
    struct suggest s;
    suggest_begin(&s, split_name(name, &schema));
    offer_catalog(&s, a, CAT_TYPE, schema);
    offer_builtins(&s, BUILTIN_TYPES, schema);
    for (size_t i = 0; !schema && i < sizeof keywords / sizeof *keywords; i++)
        suggest_offer(&s, keywords[i]);
    char *r = result_as_written(&s, schema);
    free(schema);
    return r;
}

char *suggest_function(const struct sem *a, const char *name)
{
    char *schema;
    struct suggest s;
    suggest_begin(&s, split_name(name, &schema));
    offer_catalog(&s, a, CAT_FUNCTION, schema);
    offer_builtins(&s, BUILTIN_FUNCTIONS, schema);
    char *r = result_as_written(&s, schema);
    free(schema);
    return r;
}

/* pack_table.c: tables as pack rows see them: what each column accepts,
 * the ref a row is upserted by, the foreign keys filled by ref, and the
 * table a pack's folder names. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pack_int.h"
#include "xalloc.h"

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

/* What a column of type type (as format_type() writes it) accepts. */
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

long pack_column_index(const struct cat_object *t, const char *name)
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

const struct cat_object *pack_find_table(const struct catalog *cat,
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

struct tinfo *pack_tinfo_new(const struct catalog *cat,
                             const struct cat_object *t)
{
    struct tinfo *ti = xcalloc(1, sizeof *ti);
    ti->t = t;
    ti->qname = sql_qname(t->schema, t->name);
    ti->types = xcalloc(t->n_cols ? t->n_cols : 1, sizeof *ti->types);
    for (size_t i = 0; i < t->n_cols; i++)
        vtype_of(cat, t->cols[i].type, &ti->types[i]);
    ti->ref_col = pack_column_index(t, "ref");
    ti->pack_ref_col = pack_column_index(t, "pack_ref");
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
                ? pack_find_table(cat, k->ref_schema, k->ref_table)
                : NULL;
        char *via = col ? xasprintf("%s_ref", col) : NULL;
        char *key = target ? (k->ref_cols.n ? single_dep(&k->ref_cols)
                                          : primary_key(all, n, target))
                           : NULL;
        if (target && key && pack_column_index(target, "ref") >= 0 &&
            pack_column_index(t, via) >= 0 &&
            pack_column_index(t, col) >= 0) {
            ti->fks = xrealloc(ti->fks, (ti->n_fks + 1) * sizeof *ti->fks);
            ti->fks[ti->n_fks++] = (struct fkey){
                .col = (size_t)pack_column_index(t, col),
                .via = (size_t)pack_column_index(t, via),
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

void pack_tinfo_free(struct tinfo *ti)
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
const struct cat_object *pack_folder_table(const struct catalog *cat,
                                           const char *folder)
{
    const struct cat_object *t = pack_find_table(cat, PACK_SCHEMA, folder);
    size_t n = strlen(folder);
    if (!t && n > 3 && strcmp(folder + n - 3, "ies") == 0) {
        char *s = xasprintf("%.*sy", (int)(n - 3), folder);
        t = pack_find_table(cat, PACK_SCHEMA, s);
        free(s);
    }
    if (!t && n > 1 && folder[n - 1] == 's') {
        char *s = xstrndup(folder, n - 1);
        t = pack_find_table(cat, PACK_SCHEMA, s);
        free(s);
    }
    return t;
}

/* Can the table hold pack rows: upserted by a unique ref. */
int pack_table_usable(const struct tinfo *ti, const char *path,
                      struct diags *d)
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


/* catalog_diff.c: two static catalogs compared (catalog_diff.h). Only
 * what the catalog records exactly is compared: a difference is reported
 * as an error, and a false one on a correct baseline costs more than a
 * miss, so whatever either side is unsure of stays quiet. */
#include "catalog_diff.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* One side's objects, sorted by their key. */
struct side {
    const struct cat_diff_side *s;
    struct cat_object **objs;
    char **keys;
    size_t n;
};

static void add(struct cat_diffs *out, char *subject, const char *a,
                const char *b)
{
    out->items = xgrow(out->items, out->n, &out->cap, sizeof *out->items);
    out->items[out->n++] =
        (struct cat_diff){subject, xstrdup(a), xstrdup(b)};
}

char *cat_diff_text(const struct cat_diff *d)
{
    return xasprintf("%s: %s vs %s", d->subject, d->a, d->b);
}

void cat_diffs_free(struct cat_diffs *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].subject);
        free(l->items[i].a);
        free(l->items[i].b);
    }
    free(l->items);
    *l = (struct cat_diffs){0};
}

static int unsure(const struct cat_diff_side *s, const char *name)
{
    return name && s->unsure && s->unsure(s->ctx, name);
}

static int either_unsure(const struct side *a, const struct side *b,
                         const char *name)
{
    return unsure(a->s, name) || unsure(b->s, name);
}

/* What is compared of an object at all: not a role (cluster-wide, never in
 * a dump of one database), not plpgsql (PostgreSQL's own, which pg_dump
 * leaves out). */
static int compared(const struct cat_object *o)
{
    if (o->kind == CAT_ROLE)
        return 0;
    if (o->kind == CAT_EXTENSION && strcmp(o->name, "plpgsql") == 0)
        return 0;
    return 1;
}

/* Sorted so that a relation's constraints, triggers and policies follow
 * it: "4 schema.table\x1f" sorts after "4 schema.table" and before any
 * longer name. */
static char *object_key(const struct cat_object *o)
{
    const char *sch = o->schema ? o->schema : "";
    switch (o->kind) {
    case CAT_SCHEMA: return xasprintf("0 %s", o->name);
    case CAT_EXTENSION: return xasprintf("1 %s", o->name);
    case CAT_TYPE: return xasprintf("2 %s.%s", sch, o->name);
    case CAT_FUNCTION:
        return xasprintf("3 %s.%s%s", sch, o->name, o->args ? o->args : "");
    case CAT_RELATION: return xasprintf("4 %s.%s", sch, o->name);
    case CAT_CONSTRAINT:
        return xasprintf("4 %s.%s\x1f" "c %s", sch, o->table, o->name);
    case CAT_TRIGGER:
        return xasprintf("4 %s.%s\x1f" "t %s", sch, o->table, o->name);
    case CAT_POLICY:
        return xasprintf("4 %s.%s\x1f" "p %s", sch, o->table, o->name);
    case CAT_ROLE: break;
    }
    return xasprintf("9 %s", o->name);
}

struct keyed {
    char *key;
    struct cat_object *obj;
};

static int keyed_cmp(const void *x, const void *y)
{
    return strcmp(((const struct keyed *)x)->key,
                  ((const struct keyed *)y)->key);
}

static void sort_side(struct side *sd)
{
    size_t n;
    struct cat_object **all = catalog_all(sd->s->cat, &n);
    struct keyed *ks = xcalloc(n ? n : 1, sizeof *ks);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (compared(all[i]))
            ks[m++] = (struct keyed){object_key(all[i]), all[i]};
    free(all);
    if (m)
        qsort(ks, m, sizeof *ks, keyed_cmp);
    sd->objs = xcalloc(m ? m : 1, sizeof *sd->objs);
    sd->keys = xcalloc(m ? m : 1, sizeof *sd->keys);
    for (size_t i = 0; i < m; i++) {
        sd->keys[i] = ks[i].key;
        sd->objs[i] = ks[i].obj;
    }
    sd->n = m;
    free(ks);
}

static const char *relkind_word(enum cat_relkind k)
{
    switch (k) {
    case CAT_REL_TABLE: return "table";
    case CAT_REL_VIEW: return "view";
    case CAT_REL_MATVIEW: return "materialized view";
    case CAT_REL_INDEX: return "index";
    case CAT_REL_SEQUENCE: return "sequence";
    case CAT_REL_FOREIGN_TABLE: return "foreign table";
    }
    return "relation";
}

/* How a difference names the object: "table public.orders",
 * "table public.orders: constraint orders_pkey", "function public.f(integer)". */
static char *subject_of(const struct cat_object *o)
{
    const char *sch = o->schema ? o->schema : "";
    switch (o->kind) {
    case CAT_SCHEMA: return xasprintf("schema %s", o->name);
    case CAT_EXTENSION: return xasprintf("extension %s", o->name);
    case CAT_TYPE: return xasprintf("type %s.%s", sch, o->name);
    case CAT_FUNCTION:
        return xasprintf("function %s.%s%s", sch, o->name,
                         o->args ? o->args : "");
    case CAT_RELATION:
        return xasprintf("%s %s.%s", relkind_word(o->relkind), sch, o->name);
    case CAT_CONSTRAINT:
        return xasprintf("table %s.%s: constraint %s", sch, o->table, o->name);
    case CAT_TRIGGER:
        return xasprintf("table %s.%s: trigger %s", sch, o->table, o->name);
    case CAT_POLICY:
        return xasprintf("table %s.%s: policy %s", sch, o->table, o->name);
    case CAT_ROLE: break;
    }
    return xasprintf("role %s", o->name);
}

/* A name list as "(a, b)". */
static char *list_text(const struct cat_names *l)
{
    size_t len = 3;
    for (size_t i = 0; i < l->n; i++)
        len += strlen(l->items[i]) + 2;
    char *s = xmalloc(len);
    char *p = s;
    *p++ = '(';
    for (size_t i = 0; i < l->n; i++) {
        size_t k = strlen(l->items[i]);
        if (i) {
            memcpy(p, ", ", 2);
            p += 2;
        }
        memcpy(p, l->items[i], k);
        p += k;
    }
    *p++ = ')';
    *p = '\0';
    return s;
}

static void add_lists(struct cat_diffs *out, char *subject,
                      const struct cat_names *a, const struct cat_names *b)
{
    char *ta = list_text(a), *tb = list_text(b);
    add(out, subject, ta, tb);
    free(ta);
    free(tb);
}

static void flag_diff(struct cat_diffs *out, const char *subject,
                      const char *what, int a, int b, const char *yes,
                      const char *no)
{
    if (!a == !b)
        return;
    add(out, xasprintf("%s%s", subject, what), a ? yes : no, a ? no : yes);
}

/* The columns both sides have, in the order of from (unsure names left
 * out). */
static void shared_order(const struct cat_object *from,
                         const struct cat_object *other, const struct side *a,
                         const struct side *b, struct cat_names *out)
{
    for (size_t i = 0; i < from->n_cols; i++)
        if (!either_unsure(a, b, from->cols[i].name) &&
            catalog_column(other, from->cols[i].name))
            cat_names_add(out, from->cols[i].name);
}

static void diff_column(struct cat_diffs *out, const char *subj,
                        const struct cat_column *ca,
                        const struct cat_column *cb)
{
    char *s = xasprintf("%s: column %s", subj, ca->name);
    if (strcmp(ca->type, cb->type) != 0)
        add(out, xstrdup(s), ca->type, cb->type);
    flag_diff(out, s, "", ca->not_null, cb->not_null, "not null", "null");
    flag_diff(out, s, "", ca->identity, cb->identity, "identity",
              "not identity");
    if (!ca->identity && !cb->identity) {
        flag_diff(out, s, "", ca->generated, cb->generated, "generated",
                  "not generated");
        if (!ca->generated && !cb->generated)
            flag_diff(out, s, "", ca->has_default, cb->has_default,
                      "a default", "no default");
    }
    free(s);
}

/* Columns by name, then their order. types: the types are compared (not
 * for a view, whose output types the catalog may not know). */
static void diff_columns(struct cat_diffs *out, const char *subj,
                         const struct cat_object *oa,
                         const struct cat_object *ob, const struct side *a,
                         const struct side *b, int types)
{
    if (oa->cols_unknown || ob->cols_unknown)
        return;
    for (size_t i = 0; i < oa->n_cols; i++) {
        const struct cat_column *ca = &oa->cols[i];
        if (either_unsure(a, b, ca->name))
            continue;
        const struct cat_column *cb = catalog_column(ob, ca->name);
        if (!cb)
            add(out, xasprintf("%s: column %s", subj, ca->name),
                types ? ca->type : "present", "absent");
        else if (types)
            diff_column(out, subj, ca, cb);
    }
    for (size_t i = 0; i < ob->n_cols; i++) {
        const struct cat_column *cb = &ob->cols[i];
        if (!either_unsure(a, b, cb->name) && !catalog_column(oa, cb->name))
            add(out, xasprintf("%s: column %s", subj, cb->name), "absent",
                types ? cb->type : "present");
    }
    struct cat_names la = {0}, lb = {0};
    shared_order(oa, ob, a, b, &la);
    shared_order(ob, oa, a, b, &lb);
    if (!cat_names_equal(&la, &lb))
        add_lists(out, xasprintf("%s: column order", subj), &la, &lb);
    cat_names_free(&la);
    cat_names_free(&lb);
}

/* A foreign key's referenced columns; none written means the referenced
 * table's primary key, as PostgreSQL resolves it (pg_dump writes them).
 * NULL when not known. */
static const struct cat_names *ref_columns(const struct catalog *c,
                                           const struct cat_object *k)
{
    if (k->ref_cols.n)
        return &k->ref_cols;
    const struct cat_object *t = catalog_get(c, CAT_RELATION, k->ref_schema,
                                             NULL, k->ref_table, NULL);
    if (!t)
        return NULL;
    size_t n;
    struct cat_object **parts = catalog_parts(c, t, &n);
    const struct cat_names *pk = NULL;
    for (size_t i = 0; i < n && !pk; i++)
        if (parts[i]->kind == CAT_CONSTRAINT && parts[i]->contype == 'p')
            pk = &parts[i]->uses;
    free(parts);
    return pk;
}

static void diff_constraint(struct cat_diffs *out, const char *subj,
                            const struct cat_object *ka,
                            const struct cat_object *kb, const struct side *a,
                            const struct side *b)
{
    if (ka->contype != kb->contype) {
        char ta[2] = {ka->contype, 0}, tb[2] = {kb->contype, 0};
        add(out, xasprintf("%s: kind", subj), ta, tb);
        return;
    }
    if (ka->contype != 'c' && !cat_names_equal(&ka->uses, &kb->uses))
        add_lists(out, xasprintf("%s: columns", subj), &ka->uses, &kb->uses);
    if (ka->contype != 'f' || !ka->ref_table || !kb->ref_table)
        return;
    char *ra = xasprintf("%s.%s", ka->ref_schema, ka->ref_table);
    char *rb = xasprintf("%s.%s", kb->ref_schema, kb->ref_table);
    if (strcmp(ra, rb) != 0) {
        add(out, xasprintf("%s: references", subj), ra, rb);
    } else {
        const struct cat_names *ca = ref_columns(a->s->cat, ka);
        const struct cat_names *cb = ref_columns(b->s->cat, kb);
        if (ca && cb && !cat_names_equal(ca, cb))
            add_lists(out, xasprintf("%s: referenced columns", subj), ca, cb);
    }
    free(ra);
    free(rb);
}

static void diff_relation(struct cat_diffs *out, const char *subj,
                          const struct cat_object *oa,
                          const struct cat_object *ob, const struct side *a,
                          const struct side *b)
{
    switch (oa->relkind) {
    case CAT_REL_TABLE:
    case CAT_REL_FOREIGN_TABLE:
        flag_diff(out, subj, "", oa->flags & CAT_PARTITIONED,
                  ob->flags & CAT_PARTITIONED, "partitioned",
                  "not partitioned");
        diff_columns(out, subj, oa, ob, a, b, 1);
        break;
    case CAT_REL_VIEW:
    case CAT_REL_MATVIEW:
        if (oa->n_cols && ob->n_cols)
            diff_columns(out, subj, oa, ob, a, b, 0);
        break;
    case CAT_REL_INDEX:
        if (oa->table && ob->table && strcmp(oa->table, ob->table) != 0)
            add(out, xasprintf("%s: table", subj), oa->table, ob->table);
        flag_diff(out, subj, "", oa->flags & CAT_UNIQUE, ob->flags & CAT_UNIQUE,
                  "unique", "not unique");
        if (oa->idx_cols.n && ob->idx_cols.n &&
            !cat_names_equal(&oa->idx_cols, &ob->idx_cols))
            add_lists(out, xasprintf("%s: columns", subj), &oa->idx_cols,
                      &ob->idx_cols);
        break;
    case CAT_REL_SEQUENCE: break;
    }
}

static void diff_type(struct cat_diffs *out, const char *subj,
                      const struct cat_object *oa, const struct cat_object *ob,
                      const struct side *a, const struct side *b)
{
    if ((oa->flags & CAT_ENUM) && (ob->flags & CAT_ENUM)) {
        int skip = 0;
        for (size_t i = 0; i < oa->labels.n && !skip; i++)
            skip = either_unsure(a, b, oa->labels.items[i]);
        if (!skip && !cat_names_equal(&oa->labels, &ob->labels))
            add_lists(out, xasprintf("%s: labels", subj), &oa->labels,
                      &ob->labels);
    } else if (oa->n_cols && ob->n_cols) { /* composite types */
        diff_columns(out, subj, oa, ob, a, b, 1);
    }
}

/* Two objects of the same key. */
static void diff_pair(struct cat_diffs *out, const struct cat_object *oa,
                      const struct cat_object *ob, const struct side *a,
                      const struct side *b)
{
    char *subj = subject_of(oa);
    if (oa->kind == CAT_RELATION && oa->relkind != ob->relkind) {
        char *s = xasprintf("relation %s.%s", oa->schema, oa->name);
        add(out, s, relkind_word(oa->relkind), relkind_word(ob->relkind));
    } else if (oa->kind == CAT_RELATION) {
        diff_relation(out, subj, oa, ob, a, b);
    } else if (oa->kind == CAT_CONSTRAINT) {
        diff_constraint(out, subj, oa, ob, a, b);
    } else if (oa->kind == CAT_TYPE) {
        diff_type(out, subj, oa, ob, a, b);
    }
    free(subj);
}

/* An object either side is unsure of, or whose table only one side has
 * (the table's own difference says it all). */
static int skipped(const struct cat_object *o, const struct side *a,
                   const struct side *b)
{
    if (either_unsure(a, b, o->schema) || either_unsure(a, b, o->name) ||
        either_unsure(a, b, o->table))
        return 1;
    if (o->kind != CAT_CONSTRAINT && o->kind != CAT_TRIGGER &&
        o->kind != CAT_POLICY && !(o->kind == CAT_RELATION &&
                                   o->relkind == CAT_REL_INDEX && o->table))
        return 0;
    return !catalog_get(a->s->cat, CAT_RELATION, o->schema, NULL, o->table,
                        NULL) ||
           !catalog_get(b->s->cat, CAT_RELATION, o->schema, NULL, o->table,
                        NULL);
}

static void only_one(struct cat_diffs *out, const struct cat_object *o,
                     int in_a)
{
    add(out, subject_of(o), in_a ? "present" : "absent",
        in_a ? "absent" : "present");
}

static void free_side(struct side *sd)
{
    for (size_t i = 0; i < sd->n; i++)
        free(sd->keys[i]);
    free(sd->keys);
    free(sd->objs);
}

void catalog_diff(const struct cat_diff_side *sa,
                  const struct cat_diff_side *sb, struct cat_diffs *out)
{
    struct side a = {.s = sa}, b = {.s = sb};
    sort_side(&a);
    sort_side(&b);
    size_t i = 0, k = 0;
    while (i < a.n || k < b.n) {
        int c = i == a.n   ? 1
                : k == b.n ? -1
                           : strcmp(a.keys[i], b.keys[k]);
        if (c < 0) {
            if (!skipped(a.objs[i], &a, &b))
                only_one(out, a.objs[i], 1);
            i++;
        } else if (c > 0) {
            if (!skipped(b.objs[k], &a, &b))
                only_one(out, b.objs[k], 0);
            k++;
        } else {
            if (!skipped(a.objs[i], &a, &b))
                diff_pair(out, a.objs[i], b.objs[k], &a, &b);
            i++;
            k++;
        }
    }
    free_side(&a);
    free_side(&b);
}

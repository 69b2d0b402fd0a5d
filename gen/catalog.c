/* catalog.c: the static schema model (catalog.h): objects in a hash table
 * keyed by kind and qualified name. */
#include "catalog.h"

#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "xalloc.h"

/* A secondary index entry: the objects sharing a key, in the order added.
 * Entries stay when they empty. */
struct bucket {
    struct cat_object **objs;
    size_t n, cap;
};

struct catalog {
    struct table objects; /* by make_key() */
    /* by "schema\x1fname", so that the lookups rules make for every
     * statement do not scan the whole catalog: */
    struct table parts;       /* what belongs to a relation: by its table */
    struct table constraints; /* constraints, whatever their table */
    struct table functions;   /* functions, any signature: for calls */
    struct cat_names *journal; /* catalog_journal() */
    int has_children; /* catalog_add_parent() was called */
};

static void journal(const struct catalog *c, const char *name)
{
    if (c->journal && name && !cat_names_has(c->journal, name))
        cat_names_add(c->journal, name);
}

void catalog_add_parent(struct catalog *c, struct cat_object *child,
                        const char *key)
{
    if (!cat_names_has(&child->parents, key))
        cat_names_add(&child->parents, key);
    c->has_children = 1;
}

int catalog_has_children(const struct catalog *c)
{
    return c->has_children;
}

void catalog_journal(struct catalog *c, struct cat_names *j)
{
    c->journal = j;
}

static char *pair_key(const char *schema, const char *name)
{
    return xasprintf("%s\x1f%s", schema ? schema : "", name);
}

/* The objects under schema.name (NULL when none); n set. */
static struct cat_object **index_get(const struct table *ix,
                                     const char *schema, const char *name,
                                     size_t *n)
{
    char *key = pair_key(schema, name);
    const struct bucket *b = table_get(ix, key);
    free(key);
    *n = b ? b->n : 0;
    return b && b->n ? b->objs : NULL;
}

static void index_add(struct table *ix, const char *schema, const char *name,
                      struct cat_object *o)
{
    char *key = pair_key(schema, name);
    struct bucket *b = table_get(ix, key);
    if (!b) {
        b = xcalloc(1, sizeof *b);
        table_add(ix, key, b);
    }
    free(key);
    b->objs = xgrow(b->objs, b->n, &b->cap, sizeof *b->objs);
    b->objs[b->n++] = o;
}

static void index_del(struct table *ix, const char *schema, const char *name,
                      const struct cat_object *o)
{
    char *key = pair_key(schema, name);
    struct bucket *b = table_get(ix, key);
    free(key);
    for (size_t i = 0; b && i < b->n; i++)
        if (b->objs[i] == o) {
            memmove(&b->objs[i], &b->objs[i + 1],
                    (b->n - i - 1) * sizeof *b->objs);
            b->n--;
            return;
        }
}

static void index_free(struct table *ix)
{
    for (size_t i = 0; i < ix->cap; i++)
        if (ix->slots[i].key) {
            struct bucket *b = ix->slots[i].value;
            free(b->objs);
            free(b);
        }
    table_free(ix);
}

/* kind, schema, table, name, args joined by 0x1f (no identifier holds it:
 * PostgreSQL rejects control characters in none, but migrations use none). */
static char *make_key(enum cat_kind kind, const char *schema,
                      const char *table, const char *name, const char *args)
{
    /* a relation's table (an index's, a sequence's owner) is not part of
     * its name: relations are unique within their schema */
    if (kind != CAT_CONSTRAINT && kind != CAT_TRIGGER && kind != CAT_POLICY)
        table = NULL;
    return xasprintf("%d\x1f%s\x1f%s\x1f%s\x1f%s", (int)kind,
                     schema ? schema : "", table ? table : "", name,
                     args ? args : "");
}

static char *object_key(const struct cat_object *o)
{
    return make_key(o->kind, o->schema, o->table, o->name, o->args);
}

struct catalog *catalog_new(void)
{
    struct catalog *c = xcalloc(1, sizeof *c);
    table_init(&c->objects, 1024);
    return c;
}

static void object_free(struct cat_object *o)
{
    for (size_t i = 0; i < o->n_cols; i++) {
        free(o->cols[i].name);
        free(o->cols[i].type);
        cat_names_free(&o->cols[i].gen_uses);
        cat_names_free(&o->cols[i].def_reads);
    }
    free(o->cols);
    free(o->schema);
    free(o->name);
    free(o->table);
    free(o->args);
    free(o->body);
    free(o->lang);
    free(o->def);
    cat_names_free(&o->uses);
    cat_names_free(&o->reads);
    cat_names_free(&o->col_reads);
    cat_names_free(&o->col_types);
    cat_names_free(&o->labels);
    free(o->ref_schema);
    free(o->ref_table);
    cat_names_free(&o->ref_cols);
    free(o->ref_added);
    cat_names_free(&o->parents);
    cat_names_free(&o->idx_cols);
    free(o->parent_index);
    free(o);
}

void catalog_free(struct catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->objects.cap; i++)
        if (c->objects.slots[i].key)
            object_free(c->objects.slots[i].value);
    table_free(&c->objects);
    index_free(&c->parts);
    index_free(&c->constraints);
    index_free(&c->functions);
    free(c);
}

/* The catalog's own tables: the objects by key and the indexes. */
static void link_object(struct catalog *c, struct cat_object *o)
{
    char *key = object_key(o);
    table_add(&c->objects, key, o);
    free(key);
    if (o->table)
        index_add(&c->parts, o->schema, o->table, o);
    if (o->kind == CAT_CONSTRAINT)
        index_add(&c->constraints, o->schema, o->name, o);
    if (o->kind == CAT_FUNCTION)
        index_add(&c->functions, o->schema, o->name, o);
}

struct cat_object *catalog_get(const struct catalog *c, enum cat_kind kind,
                               const char *schema, const char *table,
                               const char *name, const char *args)
{
    if (kind == CAT_FUNCTION && !args) {
        size_t n;
        struct cat_object **fns = index_get(&c->functions, schema, name, &n);
        return n ? fns[0] : NULL; /* the first created of that name */
    }
    char *key = make_key(kind, schema, table, name, args);
    struct cat_object *o = table_get(&c->objects, key);
    free(key);
    return o;
}

size_t catalog_functions_named(const struct catalog *c, const char *schema,
                               const char *name)
{
    size_t n;
    index_get(&c->functions, schema, name, &n);
    return n;
}

struct cat_object *catalog_add(struct catalog *c, enum cat_kind kind,
                               const char *schema, const char *table,
                               const char *name, const char *args,
                               struct cat_site site)
{
    struct cat_object *o = xcalloc(1, sizeof *o);
    o->kind = kind;
    o->schema = schema ? xstrdup(schema) : NULL;
    o->table = table ? xstrdup(table) : NULL;
    o->name = xstrdup(name);
    o->args = args ? xstrdup(args) : NULL;
    o->created = site;
    o->last_altered = site.mig;
    link_object(c, o);
    journal(c, name);
    return o;
}

/* Take o out of the table without freeing it. */
static void unlink_object(struct catalog *c, struct cat_object *o)
{
    char *key = object_key(o);
    struct cat_object *held = table_del(&c->objects, key);
    free(key);
    if (!held)
        return;
    if (o->table)
        index_del(&c->parts, o->schema, o->table, o);
    if (o->kind == CAT_CONSTRAINT)
        index_del(&c->constraints, o->schema, o->name, o);
    if (o->kind == CAT_FUNCTION)
        index_del(&c->functions, o->schema, o->name, o);
}

struct cat_object **catalog_parts(const struct catalog *c,
                                  const struct cat_object *rel, size_t *n)
{
    size_t k = 0;
    struct cat_object **objs =
        rel->kind == CAT_RELATION
            ? index_get(&c->parts, rel->schema, rel->name, &k)
            : NULL;
    struct cat_object **copy = xcalloc(k ? k : 1, sizeof *copy);
    size_t m = 0;
    for (size_t i = 0; i < k; i++)
        if (objs[i] != rel)
            copy[m++] = objs[i];
    *n = m;
    return copy;
}

int catalog_constraint_named(const struct catalog *c, const char *schema,
                             const char *name)
{
    size_t n;
    index_get(&c->constraints, schema, name, &n);
    return n > 0;
}

/* The partitions of a partitioned table o, or the indexes attached to an
 * index o: what goes with it. */
static struct cat_object **attached(const struct catalog *c,
                                    const struct cat_object *o, size_t *n)
{
    *n = 0;
    if (o->kind != CAT_RELATION)
        return NULL;
    char *key = xasprintf("%s.%s", o->schema, o->name);
    size_t n_all;
    struct cat_object **all = catalog_all(c, &n_all);
    for (size_t i = 0; i < n_all; i++) {
        const struct cat_object *k = all[i];
        if (k->kind == CAT_RELATION &&
            ((o->relkind == CAT_REL_INDEX && k->parent_index &&
              strcmp(k->parent_index, key) == 0) ||
             (o->relkind == CAT_REL_TABLE && (k->flags & CAT_PARTITION) &&
              k->parents.n && strcmp(k->parents.items[0], key) == 0)))
            all[(*n)++] = all[i];
    }
    free(key);
    return all;
}

void catalog_remove(struct catalog *c, struct cat_object *o)
{
    size_t n;
    struct cat_object **sub = attached(c, o, &n);
    for (size_t i = 0; i < n; i++)
        catalog_remove(c, sub[i]);
    free(sub);
    struct cat_object **parts = catalog_parts(c, o, &n);
    for (size_t i = 0; i < n; i++) {
        journal(c, parts[i]->name);
        unlink_object(c, parts[i]);
        object_free(parts[i]);
    }
    free(parts);
    journal(c, o->name);
    unlink_object(c, o);
    object_free(o);
}

void catalog_set_owner(struct catalog *c, struct cat_object *seq,
                       const char *table)
{
    unlink_object(c, seq);
    free(seq->table);
    seq->table = table ? xstrdup(table) : NULL;
    link_object(c, seq);
}

void catalog_rename(struct catalog *c, struct cat_object *o,
                    const char *new_schema, const char *new_name)
{
    size_t n = 0;
    struct cat_object **deps = NULL;
    if (o->kind == CAT_RELATION) {
        /* foreign keys that reference it follow it, as do its children's
         * parents and its attached indexes' parent */
        size_t n_all;
        struct cat_object **all = catalog_all(c, &n_all);
        char *from = xasprintf("%s.%s", o->schema, o->name);
        char *to = xasprintf("%s.%s", new_schema ? new_schema : o->schema,
                             new_name ? new_name : o->name);
        for (size_t i = 0; i < n_all; i++) {
            struct cat_object *k = all[i];
            cat_names_rename(&k->parents, from, to);
            if (k->parent_index && strcmp(k->parent_index, from) == 0) {
                free(k->parent_index);
                k->parent_index = xstrdup(to);
            }
        }
        free(from);
        free(to);
        for (size_t i = 0; i < n_all; i++) {
            struct cat_object *k = all[i];
            if (k->kind != CAT_CONSTRAINT || !k->ref_table ||
                strcmp(k->ref_schema, o->schema) != 0 ||
                strcmp(k->ref_table, o->name) != 0)
                continue;
            if (new_schema) {
                free(k->ref_schema);
                k->ref_schema = xstrdup(new_schema);
            }
            if (new_name) {
                free(k->ref_table);
                k->ref_table = xstrdup(new_name);
            }
        }
        free(all);
    }
    if (o->kind == CAT_RELATION) {
        deps = catalog_parts(c, o, &n);
        for (size_t i = 0; i < n; i++)
            unlink_object(c, deps[i]);
    }
    journal(c, o->name);
    if (new_name)
        journal(c, new_name);
    unlink_object(c, o);
    if (new_schema) {
        free(o->schema);
        o->schema = xstrdup(new_schema);
    }
    if (new_name) {
        free(o->name);
        o->name = xstrdup(new_name);
    }
    link_object(c, o);
    for (size_t i = 0; i < n; i++) {
        struct cat_object *d = deps[i];
        /* an index moves with its table; constraints keep their schema */
        if (new_schema) {
            free(d->schema);
            d->schema = xstrdup(new_schema);
        }
        free(d->table);
        d->table = xstrdup(o->name);
        link_object(c, d);
    }
    free(deps);
}

struct cat_object **catalog_all(const struct catalog *c, size_t *n)
{
    const struct table *t = &c->objects;
    struct cat_object **all = xcalloc(t->n ? t->n : 1, sizeof *all);
    size_t k = 0;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].key)
            all[k++] = t->slots[i].value;
    *n = k;
    return all;
}

struct cat_column *catalog_column(const struct cat_object *o,
                                  const char *name)
{
    for (size_t i = 0; i < o->n_cols; i++)
        if (strcmp(o->cols[i].name, name) == 0)
            return &o->cols[i];
    return NULL;
}

struct cat_column *catalog_add_column(struct cat_object *o, const char *name,
                                      const char *type, struct cat_site site)
{
    o->cols = xrealloc(o->cols, (o->n_cols + 1) * sizeof *o->cols);
    struct cat_column *col = &o->cols[o->n_cols++];
    *col = (struct cat_column){
        .name = xstrdup(name),
        .type = xstrdup(type ? type : "unknown"),
        .site = site,
    };
    return col;
}

void catalog_drop_column(struct cat_object *o, struct cat_column *col)
{
    size_t i = (size_t)(col - o->cols);
    free(col->name);
    free(col->type);
    cat_names_free(&col->gen_uses);
    cat_names_free(&col->def_reads);
    memmove(&o->cols[i], &o->cols[i + 1],
            (o->n_cols - i - 1) * sizeof *o->cols);
    o->n_cols--;
}

void catalog_add_label(struct cat_object *o, const char *label,
                       const char *neighbor, int after)
{
    struct cat_names *l = &o->labels;
    size_t at = l->n;
    for (size_t i = 0; neighbor && i < l->n; i++)
        if (strcmp(l->items[i], neighbor) == 0)
            at = after ? i + 1 : i;
    l->items = xrealloc(l->items, (l->n + 1) * sizeof *l->items);
    memmove(&l->items[at + 1], &l->items[at], (l->n - at) * sizeof *l->items);
    l->items[at] = xstrdup(label);
    l->n++;
}

void catalog_rename_label(struct cat_object *o, const char *from,
                          const char *to)
{
    for (size_t i = 0; i < o->labels.n; i++)
        if (strcmp(o->labels.items[i], from) == 0) {
            free(o->labels.items[i]);
            o->labels.items[i] = xstrdup(to);
            return;
        }
}

/* ---- lists of names ---------------------------------------------------- */

void cat_names_add(struct cat_names *l, const char *name)
{
    l->items = xrealloc(l->items, (l->n + 1) * sizeof *l->items);
    l->items[l->n++] = xstrdup(name);
}

int cat_names_has(const struct cat_names *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], name) == 0)
            return 1;
    return 0;
}

int cat_names_equal(const struct cat_names *a, const struct cat_names *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->items[i], b->items[i]) != 0)
            return 0;
    return 1;
}

void cat_names_copy(struct cat_names *to, const struct cat_names *from)
{
    for (size_t i = 0; i < from->n; i++)
        cat_names_add(to, from->items[i]);
}

void cat_names_rename(struct cat_names *l, const char *from, const char *to)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], from) == 0) {
            free(l->items[i]);
            l->items[i] = xstrdup(to);
        }
}

void cat_names_rename_prefix(struct cat_names *l, const char *from,
                             const char *to)
{
    size_t fl = strlen(from);
    for (size_t i = 0; i < l->n; i++)
        if (strncmp(l->items[i], from, fl) == 0) {
            char *renamed = xasprintf("%s%s", to, l->items[i] + fl);
            free(l->items[i]);
            l->items[i] = renamed;
        }
}

void cat_names_free(struct cat_names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    *l = (struct cat_names){0};
}

/* ---- printing ---------------------------------------------------------- */

static const char *const relkind_word[] = {
    [CAT_REL_TABLE] = "table",       [CAT_REL_VIEW] = "view",
    [CAT_REL_MATVIEW] = "matview",   [CAT_REL_INDEX] = "index",
    [CAT_REL_SEQUENCE] = "sequence", [CAT_REL_FOREIGN_TABLE] = "foreign",
};

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct lines {
    char **items;
    size_t n, cap;
};

static void push(struct lines *l, char *line)
{
    l->items = xgrow(l->items, l->n, &l->cap, sizeof *l->items);
    l->items[l->n++] = line;
}

static void object_lines(const struct cat_object *o, struct lines *l)
{
    switch (o->kind) {
    case CAT_SCHEMA: push(l, xasprintf("schema %s", o->name)); break;
    case CAT_EXTENSION: push(l, xasprintf("extension %s", o->name)); break;
    case CAT_TYPE: push(l, xasprintf("type %s.%s", o->schema, o->name)); break;
    case CAT_FUNCTION:
        push(l, xasprintf("function %s.%s%s", o->schema, o->name, o->args));
        break;
    case CAT_CONSTRAINT:
        push(l, xasprintf("constraint %s.%s.%s %c", o->schema, o->table,
                          o->name, o->contype));
        break;
    case CAT_RELATION:
        if (o->relkind == CAT_REL_INDEX) {
            push(l, xasprintf("index %s.%s on %s.%s", o->schema, o->name,
                              o->schema, o->table));
            break;
        }
        push(l, xasprintf("%s %s.%s", relkind_word[o->relkind], o->schema,
                          o->name));
        if (o->relkind != CAT_REL_TABLE && o->relkind != CAT_REL_FOREIGN_TABLE)
            break;
        for (size_t i = 0; i < o->n_cols; i++)
            push(l, xasprintf("column %s.%s.%s %s%s", o->schema, o->name,
                              o->cols[i].name, o->cols[i].type,
                              o->cols[i].not_null ? " not null" : ""));
        break;
    default: break; /* roles, triggers, policies: not printed */
    }
}

void catalog_print(const struct catalog *c, FILE *out)
{
    size_t n;
    struct cat_object **all = catalog_all(c, &n);
    struct lines l = {0};
    for (size_t i = 0; i < n; i++)
        object_lines(all[i], &l);
    free(all);
    if (l.n)
        qsort(l.items, l.n, sizeof *l.items, cmp_line);
    for (size_t i = 0; i < l.n; i++) {
        fprintf(out, "%s\n", l.items[i]);
        free(l.items[i]);
    }
    free(l.items);
}

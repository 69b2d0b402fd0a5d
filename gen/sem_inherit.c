/* sem_inherit.c: what a table gets from others, as PostgreSQL copies it:
 * a partition its parent's indexes and CHECKs (PARTITION OF, ATTACH
 * PARTITION, and those added to the parent later), an inheritance child
 * its parents' CHECKs and added columns, CREATE TABLE ... (LIKE src
 * INCLUDING ...) what its options name. */
#include "sem_int.h"

/* TableLikeOption (nodes/parsenodes.h, PostgreSQL 15). */
enum {
    LIKE_CONSTRAINTS = 1u << 2,
    LIKE_DEFAULTS = 1u << 3,
    LIKE_GENERATED = 1u << 4,
    LIKE_IDENTITY = 1u << 5,
    LIKE_INDEXES = 1u << 6,
};

static char *rel_key(const struct cat_object *o)
{
    return xasprintf("%s.%s", o->schema, o->name);
}

void sem_copy_columns(struct sem *a, struct cat_object *to,
                         const struct cat_object *from, int32_t loc,
                         int inherit)
{
    if (from->cols_unknown)
        to->cols_unknown = 1;
    if (from->kind == CAT_RELATION && from->relkind != CAT_REL_TABLE &&
        from->relkind != CAT_REL_FOREIGN_TABLE) {
        to->cols_unknown = 1; /* a view's column types are not known */
        return;
    }
    for (size_t i = 0; i < from->n_cols; i++)
        if (!catalog_column(to, from->cols[i].name)) {
            struct cat_column *c =
                catalog_add_column(to, from->cols[i].name, from->cols[i].type,
                                   sem_site_at(a, loc));
            c->not_null = from->cols[i].not_null;
            if (inherit) { /* a child's columns keep their defaults */
                c->has_default = from->cols[i].has_default;
                c->generated = from->cols[i].generated &&
                               !from->cols[i].identity;
                c->inherited = 1;
                cat_names_copy(&c->gen_uses, &from->cols[i].gen_uses);
                cat_names_copy(&c->def_reads, &from->cols[i].def_reads);
            }
        }
}

/* What t gets once its own columns and constraints are there: its
 * parents' CHECKs (a partition's: indexes too), LIKE's copies. */
void sem_inherit_create(struct sem *a, struct cat_object *t,
                            const PgQuery__CreateStmt *s)
{
    for (size_t i = 0; i < s->n_inh_relations; i++) {
        const PgQuery__Node *n = s->inh_relations[i];
        struct cat_object *p =
            n->node_case == NODE(RANGE_VAR)
                ? sem_find_relation(a, sem_qname_rv(n->range_var))
                : NULL;
        if (p && p->relkind == CAT_REL_TABLE)
            sem_inherit_attach(a, t, p, s->partbound != NULL);
    }
    for (size_t i = 0; i < s->n_table_elts; i++) {
        const PgQuery__Node *n = s->table_elts[i];
        if (n->node_case != NODE(TABLE_LIKE_CLAUSE))
            continue;
        const struct cat_object *src =
            sem_find_relation(a, sem_qname_rv(n->table_like_clause->relation));
        if (src && src != t)
            sem_like_parts(a, t, src, n->table_like_clause->options);
    }
}

/* ATTACH PARTITION: the partition gets t's CHECKs and indexes; DETACH:
 * what it got stays, its own now. */
void sem_at_partition(struct sem *a, struct cat_object *t,
                         const PgQuery__PartitionCmd *p, int attach)
{
    if (!p->name)
        return;
    struct cat_object *child =
        sem_use_relation(a, sem_qname_rv(p->name), p->name->location, 0);
    if (!child || child->kind != CAT_RELATION ||
        child->relkind != CAT_REL_TABLE)
        return;
    if (attach) {
        if (!sem_missing_check(a, child, t))
            sem_inherit_attach(a, child, t, 1);
    } else
        sem_inherit_detach(a, child, t);
}

struct cat_object **sem_children(const struct sem *a,
                                 const struct cat_object *t, size_t *n)
{
    *n = 0;
    /* Most chains never inherit: without this, every ADD COLUMN would
     * scan the whole catalog, quadratic in the chain's length. */
    if (!catalog_has_children(a->cat))
        return NULL;
    char *key = rel_key(t);
    size_t n_all;
    struct cat_object **all = catalog_all(a->cat, &n_all);
    for (size_t i = 0; i < n_all; i++)
        if (all[i]->kind == CAT_RELATION && cat_names_has(&all[i]->parents, key))
            all[(*n)++] = all[i];
    free(key);
    return all;
}

/* The constraint (p, u, x) index ix of its table implements, or NULL. */
static const struct cat_object *index_constraint(const struct sem *a,
                                                 const struct cat_object *ix)
{
    const struct cat_object *k = catalog_get(a->cat, CAT_CONSTRAINT,
                                             ix->schema, ix->table, ix->name,
                                             NULL);
    return k && (k->contype == 'p' || k->contype == 'u' || k->contype == 'x')
               ? k
               : NULL;
}

/* An index of t not attached yet with ix's columns: ATTACH PARTITION
 * attaches it rather than making one. */
static struct cat_object *matching_index(const struct sem *a,
                                         const struct cat_object *t,
                                         const struct cat_object *ix)
{
    size_t n;
    struct cat_object **parts = catalog_parts(a->cat, t, &n);
    struct cat_object *found = NULL;
    for (size_t i = 0; i < n && !found; i++)
        if (parts[i]->kind == CAT_RELATION &&
            parts[i]->relkind == CAT_REL_INDEX && !parts[i]->parent_index &&
            cat_names_equal(&parts[i]->idx_cols, &ix->idx_cols) &&
            cat_names_equal(&parts[i]->uses, &ix->uses))
            found = parts[i];
    free(parts);
    return found;
}

/* Index ix (of another table) made again on t, named as ChooseIndexName()
 * names it for t, with its constraint: attached to ix (a partition's,
 * and on to t's partitions) or not (LIKE). */
static void clone_index(struct sem *a, struct cat_object *t,
                        const struct cat_object *ix, int attach)
{
    struct cat_object *have = attach ? matching_index(a, t, ix) : NULL;
    if (have) {
        have->parent_index = rel_key(ix);
        return;
    }
    const struct cat_object *k = index_constraint(a, ix);
    const char *label = !k                 ? "idx"
                        : k->contype == 'p' ? "pkey"
                        : k->contype == 'u' ? "key"
                                            : "excl";
    char *add = k && k->contype == 'p'
                    ? NULL
                    : sem_name_addition((const char *const *)ix->idx_cols.items,
                                        ix->idx_cols.n);
    char *name = sem_choose_name(a, t->schema, t->name, add && *add ? add : NULL,
                                 label, 0);
    free(add);
    struct cat_object *c = catalog_add(a->cat, CAT_RELATION, t->schema, t->name,
                                       name, NULL, sem_site_at(a, -1));
    c->relkind = CAT_REL_INDEX;
    c->flags |= ix->flags & CAT_UNIQUE;
    cat_names_copy(&c->uses, &ix->uses);
    cat_names_copy(&c->idx_cols, &ix->idx_cols);
    cat_names_copy(&c->reads, &ix->reads);
    if (attach)
        c->parent_index = rel_key(ix);
    if (k && !catalog_get(a->cat, CAT_CONSTRAINT, t->schema, t->name, name,
                          NULL)) {
        struct cat_object *kc = catalog_add(a->cat, CAT_CONSTRAINT, t->schema,
                                            t->name, name, NULL, c->created);
        kc->contype = k->contype;
        cat_names_copy(&kc->uses, &k->uses);
        if (attach)
            kc->flags |= CAT_INHERITED;
    }
    free(name);
    if (attach)
        sem_partition_index(a, t, c);
}

void sem_partition_index(struct sem *a, const struct cat_object *t,
                         const struct cat_object *ix)
{
    if (!(t->flags & CAT_PARTITIONED))
        return;
    size_t n;
    struct cat_object **kids = sem_children(a, t, &n);
    for (size_t i = 0; i < n; i++)
        if (kids[i]->flags & CAT_PARTITION)
            clone_index(a, kids[i], ix, 1);
    free(kids);
}

/* CHECK k (of another table) on t: inherited (and on to t's children),
 * or copied by LIKE. A child's own CHECK of that name is merged. */
static void copy_check(struct sem *a, struct cat_object *t,
                       const struct cat_object *k, int inherit)
{
    if (catalog_get(a->cat, CAT_CONSTRAINT, t->schema, t->name, k->name, NULL))
        return;
    struct cat_object *c = catalog_add(a->cat, CAT_CONSTRAINT, t->schema,
                                       t->name, k->name, NULL,
                                       sem_site_at(a, -1));
    c->contype = 'c';
    cat_names_copy(&c->uses, &k->uses);
    cat_names_copy(&c->reads, &k->reads);
    if (inherit) {
        c->flags |= CAT_INHERITED | (k->flags & CAT_NOT_VALID);
        sem_inherit_check(a, t, c);
    }
}

void sem_inherit_check(struct sem *a, const struct cat_object *t,
                       const struct cat_object *k)
{
    if (k->contype != 'c' || (k->flags & CAT_NO_INHERIT))
        return;
    size_t n;
    struct cat_object **kids = sem_children(a, t, &n);
    for (size_t i = 0; i < n; i++)
        copy_check(a, kids[i], k, 1);
    free(kids);
}

void sem_inherit_attach(struct sem *a, struct cat_object *child,
                        const struct cat_object *parent, int partition)
{
    char *key = rel_key(parent);
    catalog_add_parent(a->cat, child, key);
    free(key);
    if (partition)
        child->flags |= CAT_PARTITION;
    for (size_t i = 0; partition && i < parent->n_cols; i++) {
        struct cat_column *c = catalog_column(child, parent->cols[i].name);
        if (c) /* a partition's columns are never its own (attislocal) */
            c->inherited = 1;
    }
    size_t n;
    struct cat_object **parts = catalog_parts(a->cat, parent, &n);
    for (size_t i = 0; i < n; i++) {
        const struct cat_object *p = parts[i];
        if (p->kind == CAT_CONSTRAINT && p->contype == 'c' &&
            !(p->flags & CAT_NO_INHERIT))
            copy_check(a, child, p, 1);
        else if (partition && p->kind == CAT_RELATION &&
                 p->relkind == CAT_REL_INDEX)
            clone_index(a, child, p, 1);
    }
    free(parts);
}

void sem_inherit_detach(struct sem *a, struct cat_object *child,
                        const struct cat_object *parent)
{
    char *key = rel_key(parent);
    struct cat_names keep = {0}, parent_ix = {0};
    for (size_t i = 0; i < child->parents.n; i++)
        if (strcmp(child->parents.items[i], key) != 0)
            cat_names_add(&keep, child->parents.items[i]);
    cat_names_free(&child->parents);
    child->parents = keep;
    child->flags &= ~(unsigned)CAT_PARTITION;
    free(key);
    for (size_t i = 0; i < child->n_cols; i++)
        child->cols[i].inherited = 0; /* its own now */
    size_t n;
    struct cat_object **parts = catalog_parts(a->cat, parent, &n);
    for (size_t i = 0; i < n; i++)
        if (parts[i]->kind == CAT_RELATION) {
            char *k = rel_key(parts[i]);
            cat_names_add(&parent_ix, k);
            free(k);
        }
    free(parts);
    parts = catalog_parts(a->cat, child, &n);
    for (size_t i = 0; i < n; i++) {
        struct cat_object *p = parts[i];
        if (p->kind == CAT_CONSTRAINT) /* what stays becomes the child's */
            p->flags &= ~(unsigned)CAT_INHERITED;
        if (p->parent_index && cat_names_has(&parent_ix, p->parent_index)) {
            free(p->parent_index);
            p->parent_index = NULL;
        }
    }
    free(parts);
    cat_names_free(&parent_ix);
}

void sem_inherit_drop_constraint(struct sem *a, const struct cat_object *t,
                                 const struct cat_object *k)
{
    size_t n;
    struct cat_object **kids = sem_children(a, t, &n);
    for (size_t i = 0; i < n; i++) {
        struct cat_object *c = NULL;
        if (k->contype == 'c')
            c = catalog_get(a->cat, CAT_CONSTRAINT, kids[i]->schema,
                            kids[i]->name, k->name, NULL);
        else { /* a key's: the one its attached index implements */
            char *ix = xasprintf("%s.%s", k->schema, k->name);
            size_t np;
            struct cat_object **parts = catalog_parts(a->cat, kids[i], &np);
            for (size_t j = 0; j < np && !c; j++)
                if (parts[j]->parent_index &&
                    strcmp(parts[j]->parent_index, ix) == 0)
                    c = catalog_get(a->cat, CAT_CONSTRAINT, kids[i]->schema,
                                    kids[i]->name, parts[j]->name, NULL);
            free(parts);
            free(ix);
        }
        if (c && (c->flags & CAT_INHERITED)) {
            sem_inherit_drop_constraint(a, kids[i], c);
            catalog_remove(a->cat, c);
        }
    }
    free(kids);
}

void sem_inherit_column(struct sem *a, const struct cat_object *t,
                        const struct cat_column *col)
{
    size_t n;
    struct cat_object **kids = sem_children(a, t, &n);
    for (size_t i = 0; i < n; i++) {
        if (catalog_column(kids[i], col->name))
            continue;
        struct cat_column *c = catalog_add_column(kids[i], col->name,
                                                  col->type, col->site);
        c->not_null = col->not_null;
        c->has_default = col->has_default;
        c->generated = col->generated && !col->identity;
        c->inherited = 1;
        if (!col->identity)
            cat_names_copy(&c->def_reads, &col->def_reads);
        sem_inherit_column(a, kids[i], c);
    }
    free(kids);
}

/* An owned sequence for an identity column (LIKE ... INCLUDING IDENTITY). */
static void like_identity(struct sem *a, struct cat_object *t, const char *col)
{
    char *name = sem_choose_name(a, t->schema, t->name, col, "seq", 0);
    struct cat_object *s = catalog_add(a->cat, CAT_RELATION, t->schema,
                                       t->name, name, NULL, sem_site_at(a, -1));
    s->relkind = CAT_REL_SEQUENCE;
    cat_names_add(&s->uses, col);
    free(name);
}

void sem_like_columns(struct sem *a, struct cat_object *t,
                      const struct cat_object *src, unsigned options)
{
    for (size_t i = 0; i < src->n_cols; i++) {
        const struct cat_column *f = &src->cols[i];
        struct cat_column *c = catalog_column(t, f->name);
        if (!c)
            continue;
        int gen = f->generated && !f->identity;
        if (f->identity && (options & LIKE_IDENTITY)) {
            c->identity = c->generated = c->has_default = 1;
            like_identity(a, t, f->name);
        } else if (gen && (options & LIKE_GENERATED)) {
            c->generated = c->has_default = 1;
            cat_names_copy(&c->gen_uses, &f->gen_uses);
            cat_names_copy(&c->def_reads, &f->def_reads);
        } else if (!f->generated && (options & LIKE_DEFAULTS)) {
            c->has_default = f->has_default;
            cat_names_copy(&c->def_reads, &f->def_reads);
        }
    }
}

void sem_like_parts(struct sem *a, struct cat_object *t,
                    const struct cat_object *src, unsigned options)
{
    size_t n;
    struct cat_object **parts = catalog_parts(a->cat, src, &n);
    for (size_t i = 0; i < n; i++) {
        const struct cat_object *p = parts[i];
        if (p->kind == CAT_CONSTRAINT && p->contype == 'c' &&
            (options & LIKE_CONSTRAINTS))
            copy_check(a, t, p, 0);
        else if (p->kind == CAT_RELATION && p->relkind == CAT_REL_INDEX &&
                 (options & LIKE_INDEXES))
            clone_index(a, t, p, 0);
    }
    free(parts);
}

/* A DROP or RENAME (what) of name, which t got from a parent: refused,
 * as PostgreSQL refuses it (1; 0: t has no parent known). */
int sem_inherited_refusal(struct sem *a, const struct cat_object *t,
                          const char *name, const char *what)
{
    if (!t->parents.n)
        return 0;
    if (!a->blind && !sem_is_opaque(a, name)) {
        char *parent = xasprintf("table %s", t->parents.items[0]);
        sem_fire(a, (struct sem_event){SEM_DEPENDENTS, -1,
                                       .u.dependents = {SEM_DEP_INHERITED, t,
                                                        name, parent, what}});
        free(parent);
    }
    return 1;
}

/* ALTER TABLE ... DROP CONSTRAINT: refused for one t got from a parent,
 * as PostgreSQL refuses it; otherwise its children's copies and a key's
 * index go with it. */
void sem_drop_constraint(struct sem *a, struct cat_object *t,
                         const PgQuery__AlterTableCmd *c)
{
    struct cat_object *k =
        catalog_get(a->cat, CAT_CONSTRAINT, t->schema, t->name, c->name, NULL);
    if (!k && !c->missing_ok && !t->cols_unknown &&
        !sem_is_opaque(a, c->name) && !a->blind)
        sem_fire_unknown(a, -1, SEM_CONSTRAINT, c->name, t);
    if (!k)
        return;
    if ((k->flags & CAT_INHERITED) &&
        sem_inherited_refusal(a, t, k->name, "drop inherited constraint"))
        return; /* refused: it stays */
    sem_inherit_drop_constraint(a, t, k); /* the children's too */
    struct cat_object *ix =
        catalog_get(a->cat, CAT_RELATION, t->schema, NULL, k->name, NULL);
    if (ix && ix->relkind == CAT_REL_INDEX &&
        (k->contype == 'p' || k->contype == 'u' || k->contype == 'x'))
        catalog_remove(a->cat, ix);
    catalog_remove(a->cat, k);
}

/* ATTACH PARTITION and INHERIT want the child to have each CHECK of the
 * parent already ("child table is missing constraint"). Reported only
 * where the child has no CHECK of that name and none over the same
 * columns (a name migc may spell otherwise is not a refusal). */
int sem_missing_check(struct sem *a, const struct cat_object *child,
                      const struct cat_object *parent)
{
    if (a->blind || child->cols_unknown)
        return 0;
    size_t n, nc;
    struct cat_object **parts = catalog_parts(a->cat, parent, &n);
    struct cat_object **own = catalog_parts(a->cat, child, &nc);
    const struct cat_object *missing = NULL;
    for (size_t i = 0; i < n && !missing; i++) {
        const struct cat_object *p = parts[i];
        if (p->kind != CAT_CONSTRAINT || p->contype != 'c' ||
            (p->flags & CAT_NO_INHERIT) || sem_is_opaque(a, p->name))
            continue;
        int have = 0;
        for (size_t j = 0; j < nc && !have; j++)
            have = own[j]->kind == CAT_CONSTRAINT &&
                   (strcmp(own[j]->name, p->name) == 0 ||
                    (own[j]->contype == 'c' &&
                     cat_names_equal(&own[j]->uses, &p->uses)));
        if (!have)
            missing = p;
    }
    if (missing) {
        char *text = xasprintf("table %s.%s", parent->schema, parent->name);
        sem_fire(a, (struct sem_event){SEM_DEPENDENTS, -1,
                                       .u.dependents = {SEM_DEP_MISSING, child,
                                                        missing->name, text,
                                                        NULL}});
        free(text);
    }
    free(parts);
    free(own);
    return missing != NULL;
}

/* ALTER TABLE t INHERIT p / NO INHERIT p. */
void sem_at_inherit(struct sem *a, struct cat_object *t,
                    const PgQuery__AlterTableCmd *c)
{
    if (!c->def || c->def->node_case != NODE(RANGE_VAR))
        return;
    struct cat_object *p = sem_use_relation(
        a, sem_qname_rv(c->def->range_var), c->def->range_var->location, 0);
    if (!p || p->kind != CAT_RELATION || p->relkind != CAT_REL_TABLE)
        return;
    if (c->subtype == AT(DropInherit))
        sem_inherit_detach(a, t, p);
    else if (!sem_missing_check(a, t, p))
        sem_inherit_attach(a, t, p, 0);
}

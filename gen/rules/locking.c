/* locking.c: what a change to a table that may hold rows costs in locks
 * and rewrites, and the index builds PostgreSQL refuses: blocking-index,
 * partitioned-index-concurrently, constraint-not-valid,
 * not-null-no-default, set-not-null, table-rewrite, no-lock-timeout. A
 * table an earlier migration created is taken to hold rows
 * (sem_existing). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"
#include "xalloc.h"

#define CONSTR(x) PG_QUERY__CONSTR_TYPE__CONSTR_##x
#define NODE(x) PG_QUERY__NODE__NODE_##x
#define AT(x) PG_QUERY__ALTER_TABLE_TYPE__AT_##x

static int partitioned(const struct cat_object *t)
{
    return (t->flags & CAT_PARTITIONED) != 0;
}

/* A DefElem of that name among a statement's options (REINDEX's). */
static int has_option(PgQuery__Node *const *opts, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (opts[i]->node_case == NODE(DEF_ELEM) &&
            strcmp(opts[i]->def_elem->defname, name) == 0)
            return 1;
    return 0;
}

/* The table an index belongs to (itself for a table). */
static const struct cat_object *index_table(const struct sem *s,
                                            const struct cat_object *o)
{
    if (!o || o->relkind != CAT_REL_INDEX)
        return o;
    return o->table ? catalog_get(s->cat, CAT_RELATION, o->schema, NULL,
                                  o->table, NULL)
                    : NULL;
}

/* REINDEX TABLE or INDEX without CONCURRENTLY: a SHARE lock on the table
 * (writes wait), ACCESS EXCLUSIVE on each index rebuilt (so do the reads
 * that use it). A partitioned table's REINDEX cannot run in a transaction
 * at all: not weighed here. */
static void reindex(struct rules *r, const struct sem *s,
                    const PgQuery__ReindexStmt *x)
{
    if (!x->relation || has_option(x->params, x->n_params, "concurrently"))
        return;
    const struct cat_object *o = sem_lookup_rv(s, x->relation);
    const struct cat_object *t = index_table(s, o);
    if (!sem_existing(s, t) || partitioned(t))
        return;
    rule_report(r, s, DIAG_BLOCKING_INDEX, x->relation->location,
                "REINDEX without CONCURRENTLY locks \"%s\" against writes, "
                "and %s against reads, while it rebuilds: use REINDEX ... "
                "CONCURRENTLY in a migration of its own",
                t->name, o == t ? "its indexes" : "the index");
}

void rule_blocking_index(struct rules *r, const struct sem *s,
                         const struct sem_event *ev)
{
    const struct sem_change *c = &ev->u.change;
    if (ev->kind == SEM_STATEMENT &&
        ev->u.node->node_case == NODE(REINDEX_STMT))
        reindex(r, s, ev->u.node->reindex_stmt);
    if (ev->kind == SEM_CREATE_INDEX && sem_existing(s, c->table) &&
        !c->concurrent && !partitioned(c->table))
        rule_report(r, s, DIAG_BLOCKING_INDEX, ev->loc,
                    "CREATE INDEX without CONCURRENTLY locks \"%s\" against "
                    "writes while the index builds; a table an earlier "
                    "migration created may hold many rows: use CREATE INDEX "
                    "CONCURRENTLY in a migration of its own",
                    c->table->name);
    if (ev->kind == SEM_ADD_CONSTRAINT && sem_existing(s, c->table)) {
        const PgQuery__Constraint *k = c->constraint;
        if ((k->contype == CONSTR(PRIMARY) || k->contype == CONSTR(UNIQUE) ||
             k->contype == CONSTR(EXCLUSION)) &&
            !(k->indexname && *k->indexname) && !partitioned(c->table))
            rule_report(r, s, DIAG_BLOCKING_INDEX, ev->loc,
                        "ADD %s builds its index under an ACCESS EXCLUSIVE "
                        "lock on \"%s\": build a unique index CONCURRENTLY "
                        "first, then ADD CONSTRAINT ... USING INDEX",
                        k->contype == CONSTR(PRIMARY)  ? "PRIMARY KEY"
                        : k->contype == CONSTR(UNIQUE) ? "UNIQUE"
                                                       : "EXCLUDE",
                        c->table->name);
    }
    if (ev->kind == SEM_DROP_RELATION &&
        c->table->relkind == CAT_REL_INDEX && !c->concurrent &&
        c->table->table) {
        const struct cat_object *t =
            catalog_get(s->cat, CAT_RELATION, c->table->schema, NULL,
                        c->table->table, NULL);
        if (sem_existing(s, t) && !partitioned(t))
            rule_report(r, s, DIAG_BLOCKING_INDEX, ev->loc,
                        "DROP INDEX without CONCURRENTLY locks \"%s\" "
                        "against reads and writes: use DROP INDEX "
                        "CONCURRENTLY in a migration of its own",
                        t->name);
    }
}

void rule_partitioned_index_concurrently(struct rules *r, const struct sem *s,
                                         const struct sem_event *ev)
{
    const struct sem_change *c = &ev->u.change;
    if (ev->kind == SEM_CREATE_INDEX && c->concurrent && partitioned(c->table))
        rule_report(r, s, DIAG_PARTITIONED_INDEX_CONCURRENTLY, ev->loc,
                    "PostgreSQL cannot create an index on partitioned table "
                    "\"%s\" concurrently: create it CONCURRENTLY on each "
                    "partition, then without CONCURRENTLY ON ONLY \"%s\" "
                    "and ALTER INDEX ... ATTACH PARTITION each one",
                    c->table->name, c->table->name);
}

/* "schema.table.name": a constraint, in not_valid_here. */
static char *constraint_key(const struct sem_change *c)
{
    return xasprintf("%s.%s.%s", c->table->schema, c->table->name, c->name);
}

/* A table an earlier migration created with a column of type text
 * (as the catalog prints it), NULL when none. */
static const struct cat_object *table_using_type(const struct sem *s,
                                                 const char *text)
{
    size_t n;
    struct cat_object **all = catalog_all(s->cat, &n);
    const struct cat_object *found = NULL;
    for (size_t i = 0; i < n && !found; i++) {
        const struct cat_object *t = all[i];
        if (t->kind != CAT_RELATION || t->relkind != CAT_REL_TABLE ||
            !sem_existing(s, t))
            continue;
        for (size_t k = 0; k < t->n_cols && !found; k++)
            if (strcmp(t->cols[k].type, text) == 0)
                found = t;
    }
    free(all);
    return found;
}

/* ALTER DOMAIN ... ADD CONSTRAINT CHECK without NOT VALID checks every
 * value of the domain in every table that uses it. */
static void domain_constraint(struct rules *r, const struct sem *s,
                              const PgQuery__AlterDomainStmt *d)
{
    if (!d->subtype || strcmp(d->subtype, "C") != 0 || !d->def ||
        d->def->node_case != NODE(CONSTRAINT) ||
        d->def->constraint->contype != CONSTR(CHECK) ||
        d->def->constraint->skip_validation)
        return;
    const struct cat_object *dom =
        sem_lookup(s, CAT_TYPE, d->type_name, d->n_type_name);
    if (!dom)
        return;
    char *text = strcmp(dom->schema, "public") == 0
                     ? xstrdup(dom->name)
                     : xasprintf("%s.%s", dom->schema, dom->name);
    const struct cat_object *t = table_using_type(s, text);
    if (t)
        rule_report(r, s, DIAG_CONSTRAINT_NOT_VALID,
                    d->def->constraint->location,
                    "adding a CHECK constraint to domain %s checks every row "
                    "of every table that uses it (\"%s\" among them) while "
                    "holding a lock that blocks writes: add it NOT VALID, "
                    "then ALTER DOMAIN ... VALIDATE CONSTRAINT in a later "
                    "migration",
                    text, t->name);
    free(text);
}

void rule_constraint_not_valid(struct rules *r, const struct sem *s,
                               const struct sem_event *ev)
{
    const struct sem_change *c = &ev->u.change;
    if (ev->kind == SEM_STATEMENT &&
        ev->u.node->node_case == NODE(ALTER_DOMAIN_STMT))
        domain_constraint(r, s, ev->u.node->alter_domain_stmt);
    if (ev->kind == SEM_ADD_CONSTRAINT && sem_existing(s, c->table)) {
        const PgQuery__Constraint *k = c->constraint;
        if ((k->contype == CONSTR(FOREIGN) || k->contype == CONSTR(CHECK)) &&
            !k->skip_validation)
            rule_report(r, s, DIAG_CONSTRAINT_NOT_VALID, ev->loc,
                        "adding a %s constraint to \"%s\" checks every row "
                        "while holding a lock that blocks writes: add it NOT "
                        "VALID, then VALIDATE CONSTRAINT in a later "
                        "migration",
                        k->contype == CONSTR(FOREIGN) ? "FOREIGN KEY"
                                                      : "CHECK",
                        c->table->name);
    } else if (ev->kind == SEM_CONSTRAINT_ADDED &&
               c->constraint->skip_validation && !c->in_create) {
        char *key = constraint_key(c);
        table_add_key(&r->not_valid_here, key);
        free(key);
    } else if (ev->kind == SEM_VALIDATE) {
        char *key = constraint_key(c);
        if (table_has(&r->not_valid_here, key))
            rule_report(r, s, DIAG_CONSTRAINT_NOT_VALID, ev->loc,
                        "VALIDATE CONSTRAINT \"%s\" in the migration that "
                        "added it NOT VALID: both run in one transaction, so "
                        "the lock taken by the ADD is held through the "
                        "validation; validate in a later migration",
                        c->name);
        free(key);
    } else if (ev->kind == SEM_MIGRATION_END) {
        table_free(&r->not_valid_here);
    }
}

/* "schema.table.column": a column of an existing table, in the state of
 * the columns this migration added (struct rules). */
static char *column_key(const struct cat_object *t, const char *col)
{
    return xasprintf("%s.%s.%s", t->schema, t->name, col);
}

/* Statements that cannot write a row of an existing table: after them a
 * column added without a default still holds NULL in every old row. */
static int leaves_rows(const PgQuery__Node *n)
{
    switch (n->node_case) {
    case NODE(ALTER_TABLE_STMT): {
        /* ALTER COLUMN ... TYPE ... USING computes a value for each row */
        const PgQuery__AlterTableStmt *a = n->alter_table_stmt;
        for (size_t i = 0; i < a->n_cmds; i++) {
            const PgQuery__AlterTableCmd *c = a->cmds[i]->alter_table_cmd;
            if (c && c->subtype == AT(AlterColumnType) && c->def &&
                c->def->node_case == NODE(COLUMN_DEF) &&
                c->def->column_def->raw_default)
                return 0;
        }
        return 1;
    }
    case NODE(CREATE_STMT):
    case NODE(INDEX_STMT):
    case NODE(COMMENT_STMT):
    case NODE(GRANT_STMT):
    case NODE(VIEW_STMT):
    case NODE(CREATE_SEQ_STMT):
    case NODE(ALTER_SEQ_STMT):
    case NODE(CREATE_ENUM_STMT):
    case NODE(ALTER_ENUM_STMT):
    case NODE(COMPOSITE_TYPE_STMT):
    case NODE(CREATE_DOMAIN_STMT):
    case NODE(CREATE_TRIG_STMT):
    case NODE(CREATE_FUNCTION_STMT):
    case NODE(CREATE_POLICY_STMT):
    case NODE(RENAME_STMT):
    case NODE(VARIABLE_SET_STMT): return 1;
    default: return 0; /* DML, DO, CALL, SELECT f(), TRUNCATE, ... */
    }
}

/* The columns this migration added to existing tables without NOT NULL:
 * those added without a default that no statement since could have
 * filled (added_unfilled), and those added with one (added_filled). */
static void track_added_columns(struct rules *r, const struct sem *s,
                                const struct sem_event *ev)
{
    const struct sem_change *c = &ev->u.change;
    if (ev->kind == SEM_STATEMENT && !leaves_rows(ev->u.node)) {
        table_free(&r->added_unfilled);
    } else if (ev->kind == SEM_ADD_COLUMN && sem_existing(s, c->table) &&
               !c->not_null) {
        char *key = column_key(c->table, c->coldef->colname);
        struct table *set =
            c->has_default ? &r->added_filled : &r->added_unfilled;
        if (!table_has(set, key))
            table_add_key(set, key);
        free(key);
    } else if (ev->kind == SEM_MIGRATION_END) {
        table_free(&r->added_unfilled);
        table_free(&r->added_filled);
    }
}

/* Whether SET NOT NULL of c's column finds only NULLs in the old rows: it
 * was added without a default in this migration, and nothing since could
 * have filled it. */
static int still_unfilled(const struct rules *r, const struct sem_change *c)
{
    char *key = column_key(c->table, c->name);
    int unfilled = table_has(&r->added_unfilled, key);
    free(key);
    return unfilled;
}

void rule_not_null_no_default(struct rules *r, const struct sem *s,
                              const struct sem_event *ev)
{
    const struct sem_change *c = &ev->u.change;
    track_added_columns(r, s, ev);
    if (ev->kind == SEM_ADD_COLUMN && sem_existing(s, c->table) &&
        c->not_null && !c->has_default)
        rule_report(r, s, DIAG_NOT_NULL_NO_DEFAULT, ev->loc,
                    "ADD COLUMN \"%s\" NOT NULL without a DEFAULT fails as "
                    "soon as \"%s\" holds a row: add it nullable, backfill, "
                    "then SET NOT NULL, or give it a default",
                    c->coldef->colname, c->table->name);
    if (ev->kind == SEM_SET_NOT_NULL && !c->col->not_null &&
        still_unfilled(r, c))
        rule_report(r, s, DIAG_NOT_NULL_NO_DEFAULT, ev->loc,
                    "SET NOT NULL on \"%s\".\"%s\", added without a default "
                    "in this migration and not filled since, fails as soon "
                    "as \"%s\" holds a row: backfill it before the SET NOT "
                    "NULL, or give it a default",
                    c->table->name, c->name, c->table->name);
}

/* A validated CHECK on col alone: PostgreSQL 12+ takes it as proof that
 * SET NOT NULL needs no scan (the usual CHECK (col IS NOT NULL)). */
static int not_null_checked(const struct sem *s, const struct cat_object *t,
                            const char *col)
{
    size_t n;
    struct cat_object **parts = catalog_parts(s->cat, t, &n);
    int found = 0;
    for (size_t i = 0; i < n && !found; i++)
        found = parts[i]->kind == CAT_CONSTRAINT &&
                parts[i]->contype == 'c' &&
                !(parts[i]->flags & CAT_NOT_VALID) && parts[i]->uses.n == 1 &&
                strcmp(parts[i]->uses.items[0], col) == 0;
    free(parts);
    return found;
}


void rule_set_not_null(struct rules *r, const struct sem *s,
                       const struct sem_event *ev)
{
    const struct sem_change *c = &ev->u.change;
    if (ev->kind != SEM_SET_NOT_NULL || c->col->not_null ||
        not_null_checked(s, c->table, c->name))
        return;
    if (c->col->site.mig < s->mig) {
        rule_report(r, s, DIAG_SET_NOT_NULL, ev->loc,
                    "SET NOT NULL on \"%s\".\"%s\" scans the whole table "
                    "under an ACCESS EXCLUSIVE lock: add a CHECK (%s IS NOT "
                    "NULL) NOT VALID constraint and validate it first",
                    c->table->name, c->name, c->name);
        return;
    }
    /* added by this migration to a table that may hold rows: unless
     * not-null-no-default reports that it fails, it scans */
    if (!sem_existing(s, c->table) || still_unfilled(r, c))
        return;
    char *key = column_key(c->table, c->name);
    int defaulted = table_has(&r->added_filled, key);
    free(key);
    if (defaulted)
        rule_report(r, s, DIAG_SET_NOT_NULL, ev->loc,
                    "SET NOT NULL on \"%s\".\"%s\" scans the whole table "
                    "under an ACCESS EXCLUSIVE lock: write NOT NULL in its "
                    "ADD COLUMN, beside the constant DEFAULT, which needs no "
                    "scan",
                    c->table->name, c->name);
    else
        rule_report(r, s, DIAG_SET_NOT_NULL, ev->loc,
                    "SET NOT NULL on \"%s\".\"%s\" scans the whole table "
                    "under an ACCESS EXCLUSIVE lock, after the backfill in "
                    "the same transaction: backfill in this migration, then "
                    "add a CHECK (%s IS NOT NULL) NOT VALID, validate it and "
                    "SET NOT NULL in later ones",
                    c->table->name, c->name, c->name);
}

void rule_table_rewrite(struct rules *r, const struct sem *s,
                        const struct sem_event *ev)
{
    const struct sem_change *c = &ev->u.change;
    if (ev->kind == SEM_ADD_COLUMN && sem_existing(s, c->table)) {
        const char *why = c->serial             ? "a serial type"
                          : c->identity         ? "GENERATED AS IDENTITY"
                          : c->generated        ? "GENERATED ... STORED"
                          : c->volatile_default ? "a volatile default"
                                                : NULL;
        if (why)
            rule_report(r, s, DIAG_TABLE_REWRITE, ev->loc,
                        "adding \"%s\" with %s rewrites all of \"%s\" under "
                        "an ACCESS EXCLUSIVE lock: add the column without "
                        "it, then backfill in batches",
                        c->coldef->colname, why, c->table->name);
    }
    if (ev->kind == SEM_REWRITE && sem_existing(s, c->table))
        rule_report(r, s, DIAG_TABLE_REWRITE, ev->loc,
                    "this ALTER TABLE rewrites all of \"%s\" under an ACCESS "
                    "EXCLUSIVE lock",
                    c->table->name);
}

/* ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE
 * (AlterTableGetLockLevel()); an ALTER TABLE of only these is not
 * weighed by no-lock-timeout. */
static int weaker_lock(const PgQuery__AlterTableCmd *c)
{
    switch (c->subtype) {
    case AT(SetStatistics):
    case AT(SetOptions):
    case AT(ResetOptions):
    case AT(SetRelOptions):
    case AT(ResetRelOptions):
    case AT(ValidateConstraint):
    case AT(ValidateConstraintRecurse):
    case AT(AttachPartition):
    case AT(ClusterOn):
    case AT(DropCluster):
    case AT(EnableTrig):
    case AT(EnableAlwaysTrig):
    case AT(EnableReplicaTrig):
    case AT(EnableTrigAll):
    case AT(EnableTrigUser):
    case AT(DisableTrig):
    case AT(DisableTrigAll):
    case AT(DisableTrigUser): return 1;
    case AT(AddConstraint):
    case AT(AddConstraintRecurse): /* a foreign key: SHARE ROW EXCLUSIVE */
        return c->def && c->def->node_case == NODE(CONSTRAINT) &&
               c->def->constraint->contype == CONSTR(FOREIGN);
    default: return 0;
    }
}

/* The relation a statement takes ACCESS EXCLUSIVE on (for DROP INDEX, the
 * index's table), NULL when it takes none. */
static const struct cat_object *access_exclusive(const struct sem *s,
                                                 const PgQuery__Node *n)
{
    switch (n->node_case) {
    case NODE(ALTER_TABLE_STMT): {
        const PgQuery__AlterTableStmt *a = n->alter_table_stmt;
        if (a->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
            return NULL;
        for (size_t i = 0; i < a->n_cmds; i++)
            if (a->cmds[i]->node_case == NODE(ALTER_TABLE_CMD) &&
                !weaker_lock(a->cmds[i]->alter_table_cmd))
                return sem_lookup_rv(s, a->relation);
        return NULL;
    }
    case NODE(RENAME_STMT): {
        const PgQuery__RenameStmt *r = n->rename_stmt;
        int table = r->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
                    (r->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN &&
                     r->relation_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE);
        return table ? sem_lookup_rv(s, r->relation) : NULL;
    }
    case NODE(DROP_STMT): {
        const PgQuery__DropStmt *d = n->drop_stmt;
        int index = d->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX;
        if ((!index && d->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) ||
            (index && d->concurrent))
            return NULL;
        for (size_t i = 0; i < d->n_objects; i++) {
            const PgQuery__Node *o = d->objects[i];
            const struct cat_object *t =
                o->node_case == NODE(LIST)
                    ? index_table(s, sem_lookup(s, CAT_RELATION,
                                                o->list->items,
                                                o->list->n_items))
                    : NULL;
            if (sem_existing(s, t))
                return t;
        }
        return NULL;
    }
    case NODE(TRUNCATE_STMT):
    case NODE(LOCK_STMT): {
        PgQuery__Node *const *rels = n->node_case == NODE(LOCK_STMT)
                                         ? n->lock_stmt->relations
                                         : n->truncate_stmt->relations;
        size_t k = n->node_case == NODE(LOCK_STMT)
                       ? (n->lock_stmt->mode == 8 ? n->lock_stmt->n_relations
                                                  : 0) /* AccessExclusive */
                       : n->truncate_stmt->n_relations;
        for (size_t i = 0; i < k; i++)
            if (rels[i]->node_case == NODE(RANGE_VAR) &&
                sem_existing(s, sem_lookup_rv(s, rels[i]->range_var)))
                return sem_lookup_rv(s, rels[i]->range_var);
        return NULL;
    }
    case NODE(REFRESH_MAT_VIEW_STMT):
        return n->refresh_mat_view_stmt->concurrent
                   ? NULL
                   : sem_lookup_rv(s, n->refresh_mat_view_stmt->relation);
    default: return NULL;
    }
}

/* The migration whose up script is at hand (sem_migration() applies
 * &migration->up). */
static const struct model_migration *up_migration(const struct sem *s)
{
    return (const struct model_migration *)(const void *)((
        const char *)s->script - offsetof(struct model_migration, up));
}

void rule_no_lock_timeout(struct rules *r, const struct sem *s,
                          const struct sem_event *ev)
{
    switch (ev->kind) {
    case SEM_SET:
        if (ev->u.set->name && strcmp(ev->u.set->name, "lock_timeout") == 0)
            r->lock_timeout_set = 1;
        break;
    case SEM_SET_CONFIG:
        if (ev->u.set_config.name &&
            strcmp(ev->u.set_config.name, "lock_timeout") == 0)
            r->lock_timeout_set = 1;
        break;
    case SEM_STATEMENT: {
        if (r->lock_timeout_noted || r->lock_timeout_set ||
            up_migration(s)->lock_timeout)
            return;
        const struct cat_object *t = access_exclusive(s, ev->u.node);
        if (!sem_existing(s, t))
            return;
        r->lock_timeout_noted = 1;
        rule_report(r, s, DIAG_NO_LOCK_TIMEOUT, -1,
                    "this statement takes an ACCESS EXCLUSIVE lock on \"%s\" "
                    "and the migration sets no lock timeout: behind a long "
                    "query on \"%s\" it waits, and every query on the table "
                    "queues behind it; add `-- migc:lock-timeout 5s` (running "
                    "with the runtime's --lock-timeout covers it too)",
                    t->name, t->name);
        break;
    }
    case SEM_MIGRATION_END:
        r->lock_timeout_noted = r->lock_timeout_set = 0;
        break;
    default: break;
    }
}

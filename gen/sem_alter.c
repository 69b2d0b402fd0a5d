/* sem_alter.c: what ALTER TABLE does to the catalog, one subcommand at a
 * time in the passes PostgreSQL runs them in (columns dropped, types
 * changed, columns added, then constraints), and the events it reports. */
#include "sem_int.h"

/* ---- statements: ALTER TABLE ------------------------------------------- */

static void at_add_column(struct sem *a, struct cat_object *t,
                          const PgQuery__AlterTableCmd *c)
{
    const PgQuery__ColumnDef *cd = c->def->column_def;
    if (catalog_column(t, cd->colname)) {
        if (!c->missing_ok && !sem_is_opaque(a, cd->colname))
            sem_fire_duplicate(a, cd->location,
                               (struct sem_duplicate){SEM_COLUMN, NULL,
                                                      cd->colname, NULL, t,
                                                      NULL});
        return;
    }
    struct coldef_info ci = sem_coldef_info(cd);
    int volatile_default = sem_existing(a, t) && ci.default_expr &&
                           sem_calls_volatile(a, ci.default_expr);
    sem_fire_change(a, SEM_ADD_COLUMN, cd->location,
                    (struct sem_change){.table = t,
                                        .coldef = cd,
                                        .not_null = ci.not_null,
                                        .has_default = ci.has_default,
                                        .serial = ci.serial,
                                        .identity = ci.identity,
                                        .generated = ci.generated,
                                        .volatile_default = volatile_default});
    for (size_t k = 0; k < cd->n_constraints; k++)
        if (cd->constraints[k]->node_case == NODE(CONSTRAINT))
            sem_fire_change(
                a, SEM_ADD_CONSTRAINT, cd->constraints[k]->constraint->location,
                (struct sem_change){
                    .table = t, .constraint = cd->constraints[k]->constraint});
    sem_add_column_def(a, t, cd, 0);
    struct cat_column *col = catalog_column(t, cd->colname);
    if (col) /* a parent's new column reaches its children */
        sem_inherit_column(a, t, col);
}

static struct cat_column *at_column(struct sem *a, struct cat_object *t,
                                    const PgQuery__AlterTableCmd *c)
{
    struct cat_column *col = catalog_column(t, c->name);
    if (!col && !c->missing_ok)
        sem_use_column(a, t, c->name, -1);
    return col;
}

/* DROP COLUMN takes the indexes, constraints and owned sequences that
 * use the column with it. */
static void drop_column_dependents(struct sem *a, const struct cat_object *t,
                                   const char *col)
{
    size_t n;
    struct cat_object **all = catalog_parts(a->cat, t, &n);
    for (size_t i = 0; i < n; i++) {
        struct cat_object *o = all[i];
        if (!o || !cat_names_has(&o->uses, col))
            continue;
        all[i] = NULL;
        if (o->kind == CAT_CONSTRAINT) {
            for (size_t k = 0; k < n; k++) /* its index, by name */
                if (all[k] && all[k]->kind == CAT_RELATION &&
                    all[k]->relkind == CAT_REL_INDEX &&
                    strcmp(all[k]->name, o->name) == 0 &&
                    strcmp(all[k]->schema, o->schema) == 0) {
                    catalog_remove(a->cat, all[k]);
                    all[k] = NULL;
                }
        }
        catalog_remove(a->cat, o);
    }
    free(all);
}

/* Drop column name of t and what depends on it: refused (reported once)
 * without CASCADE, as PostgreSQL does, then applied as with it. */
static void drop_column(struct sem *a, struct cat_object *t, const char *name,
                        int cascade, int *reported)
{
    for (;;) {
        const char *gen;
        struct cat_object *dep = sem_column_dependent(a, t, name, 0, &gen);
        if (!dep && !gen)
            break;
        if (!cascade && !*reported && !a->blind) {
            sem_fire_dependents(a, SEM_DEP_DROP_COLUMN, t, name, dep, gen);
            *reported = 1;
        }
        if (dep) {
            sem_remove_dependent(a, dep, !cascade);
        } else {
            char *g = xstrdup(gen);
            drop_column(a, t, g, cascade, reported);
            free(g);
        }
    }
    drop_column_dependents(a, t, name);
    struct cat_column *col = catalog_column(t, name);
    if (col)
        catalog_drop_column(t, col);
    size_t n; /* the children's, unless their own too (merged) */
    struct cat_object **kids = sem_children(a, t, &n);
    for (size_t i = 0; i < n; i++) {
        col = catalog_column(kids[i], name);
        if (col && col->inherited && kids[i]->parents.n == 1 && !a->only)
            drop_column(a, kids[i], name, cascade, reported);
        else if (col)
            col->inherited = 0;
    }
    free(kids);
}

static void at_drop_column(struct sem *a, struct cat_object *t,
                           const PgQuery__AlterTableCmd *c)
{
    struct cat_column *col = at_column(a, t, c);
    if (!col)
        return;
    if (col->inherited &&
        sem_inherited_refusal(a, t, c->name, "drop inherited column"))
        return;
    struct sem_change ch = {.table = t, .col = col, .name = c->name};
    sem_fire_change(a, SEM_DROP_COLUMN, -1, ch);
    sem_fire_change(a, SEM_DROPPED_COLUMN, -1, ch);
    int reported = 0;
    drop_column(a, t, c->name,
                c->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE,
                &reported);
}

static void at_add_constraint(struct sem *a, struct cat_object *t,
                              const PgQuery__Constraint *k)
{
    sem_fire_change(a, SEM_ADD_CONSTRAINT, k->location,
                    (struct sem_change){.table = t, .constraint = k});
    sem_add_constraint(a, t, k, NULL, 0);
}

static void at_validate(struct sem *a, struct cat_object *t,
                        const PgQuery__AlterTableCmd *c)
{
    sem_fire_change(a, SEM_VALIDATE, -1,
                    (struct sem_change){.table = t, .name = c->name});
    struct cat_object *k =
        catalog_get(a->cat, CAT_CONSTRAINT, t->schema, t->name, c->name, NULL);
    if (k)
        k->flags &= ~(unsigned)CAT_NOT_VALID;
}

static void at_type(struct sem *a, struct cat_object *t,
                    const PgQuery__AlterTableCmd *c)
{
    struct cat_column *col = at_column(a, t, c);
    const PgQuery__ColumnDef *cd =
        c->def && c->def->node_case == NODE(COLUMN_DEF) ? c->def->column_def
                                                        : NULL;
    if (!col || !cd || !cd->type_name)
        return;
    sem_use_type(a, cd->type_name);
    sem_alter_type_check(a, t, c->name);
    char *type = sem_type_text(a, cd->type_name);
    sem_fire_change(a, SEM_ALTER_TYPE, -1,
                    (struct sem_change){.table = t,
                                        .col = col,
                                        .name = c->name,
                                        .newname = type,
                                        .using_expr = cd->raw_default != NULL});
    free(col->type);
    col->type = type;
}

static void alter_table_cmd(struct sem *a, struct cat_object *t,
                            const PgQuery__AlterTableCmd *c)
{
    struct cat_column *col;
    switch (c->subtype) {
    case AT(AddColumn):
    case AT(AddColumnRecurse):
        if (c->def && c->def->node_case == NODE(COLUMN_DEF))
            at_add_column(a, t, c);
        break;
    case AT(DropColumn):
    case AT(DropColumnRecurse): at_drop_column(a, t, c); break;
    case AT(AlterColumnType): at_type(a, t, c); break;
    case AT(SetNotNull):
        col = at_column(a, t, c);
        if (col) {
            sem_fire_change(
                a, SEM_SET_NOT_NULL, -1,
                (struct sem_change){.table = t, .col = col, .name = c->name});
            col->not_null = 1;
        }
        break;
    case AT(DropNotNull):
        col = at_column(a, t, c);
        if (col)
            col->not_null = 0;
        break;
    case AT(ColumnDefault):
        col = at_column(a, t, c);
        if (col) {
            col->has_default = c->def != NULL;
            sem_default_uses(a, col, c->def);
        }
        break;
    case AT(AddIdentity):
        col = at_column(a, t, c);
        if (col) {
            col->identity = col->generated = col->has_default = 1;
            sem_add_owned_sequence(a, t, c->name, -1,
                                   c->def &&
                                           c->def->node_case == NODE(CONSTRAINT)
                                       ? c->def->constraint
                                       : NULL);
        }
        break;
    case AT(AddInherit):
    case AT(DropInherit): sem_at_inherit(a, t, c); break;
    case AT(AttachPartition):
    case AT(DetachPartition):
        if (c->def && c->def->node_case == NODE(PARTITION_CMD))
            sem_at_partition(a, t, c->def->partition_cmd,
                             c->subtype == AT(AttachPartition));
        break;
    case AT(SetStatistics):
    case AT(SetStorage):
    case AT(SetOptions):
    case AT(ResetOptions):
    case AT(DropIdentity):
        if (at_column(a, t, c)) /* its sequence goes with it */
            sem_drop_owned_sequences(a, t, c->name);
        break;
    case AT(SetIdentity):
    case AT(DropExpression):
    case AT(SetCompression): at_column(a, t, c); break;
    case AT(AddConstraint):
    case AT(AddConstraintRecurse):
        if (c->def && c->def->node_case == NODE(CONSTRAINT))
            at_add_constraint(a, t, c->def->constraint);
        break;
    case AT(ValidateConstraint):
    case AT(ValidateConstraintRecurse): at_validate(a, t, c); break;
    case AT(DropConstraint):
    case AT(DropConstraintRecurse): sem_drop_constraint(a, t, c); break;
    case AT(SetLogged):
    case AT(SetUnLogged):
    case AT(SetAccessMethod):
        sem_fire_change(a, SEM_REWRITE, -1, (struct sem_change){.table = t});
        break;
    default: break;
    }
    if (c->def && c->subtype != AT(AddColumn) &&
        c->subtype != AT(AddColumnRecurse) && c->subtype != AT(AddConstraint) &&
        c->subtype != AT(AddConstraintRecurse) &&
        c->subtype != AT(AlterColumnType))
        sem_refs(a, c->def, NULL, NULL, NULL);
}

/* The passes in which PostgreSQL 15 runs an ALTER TABLE's subcommands
 * (ATPrepCmd in tablecmds.c): every subcommand of a pass before any of
 * the next, in written order within a pass. So a CHECK or FOREIGN KEY
 * sees a column an ADD COLUMN written after it adds, and a DROP runs
 * before an ADD written before it. */
enum at_pass {
    PASS_DROP,
    PASS_ALTER_TYPE,
    PASS_ADD_COL,
    PASS_COL_ATTRS,
    PASS_ADD_INDEXCONSTR,
    PASS_ADD_INDEX,
    PASS_ADD_CONSTR,
    PASS_ADD_OTHERCONSTR,
    PASS_MISC,
    N_PASSES
};

static enum at_pass at_pass(const PgQuery__AlterTableCmd *c)
{
    switch (c->subtype) {
    case AT(DropColumn):
    case AT(DropColumnRecurse):
    case AT(DropConstraint):
    case AT(DropConstraintRecurse):
    case AT(DropNotNull):
    case AT(DropIdentity):
    case AT(DropExpression):
    case AT(DropOids): return PASS_DROP;
    case AT(AlterColumnType): return PASS_ALTER_TYPE;
    case AT(AddColumn):
    case AT(AddColumnRecurse):
    case AT(AddColumnToView): return PASS_ADD_COL;
    case AT(SetNotNull):
    case AT(CheckNotNull): return PASS_COL_ATTRS;
    case AT(AddIndexConstraint): return PASS_ADD_INDEXCONSTR;
    case AT(AddIndex): return PASS_ADD_INDEX;
    case AT(AddConstraint):
    case AT(AddConstraintRecurse): {
        /* transformAlterTableStmt turns PRIMARY KEY, UNIQUE and EXCLUDE
         * into an index command */
        const PgQuery__Constraint *k =
            c->def && c->def->node_case == NODE(CONSTRAINT) ? c->def->constraint
                                                            : NULL;
        if (k && (k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
                  k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE ||
                  k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION))
            return PASS_ADD_INDEX;
        return PASS_ADD_CONSTR;
    }
    case AT(ColumnDefault): return c->def ? PASS_ADD_OTHERCONSTR : PASS_DROP;
    case AT(CookedColumnDefault):
    case AT(AddIdentity): return PASS_ADD_OTHERCONSTR;
    default: return PASS_MISC;
    }
}

void sem_stmt_alter_table(struct sem *a, const PgQuery__AlterTableStmt *s)
{
    struct qname q = sem_qname_rv(s->relation);
    sem_touch(a, q, s->relation->location);
    struct cat_object *t =
        sem_use_relation(a, q, s->relation->location, s->missing_ok);
    if (!t) {
        sem_refs(a, s, s->relation, NULL, NULL);
        return;
    }
    sem_note_altered(a, t);
    a->only = !s->relation->inh;
    for (int pass = 0; pass < N_PASSES; pass++)
        for (size_t i = 0; i < s->n_cmds; i++)
            if (s->cmds[i]->node_case == NODE(ALTER_TABLE_CMD) &&
                (int)at_pass(s->cmds[i]->alter_table_cmd) == pass)
                alter_table_cmd(a, t, s->cmds[i]->alter_table_cmd);
    a->only = 0;
}

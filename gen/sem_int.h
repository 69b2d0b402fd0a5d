/* sem_int.h: what the files of the semantics (semantics.c, sem_lookup.c,
 * sem_table.c, sem_drop.c) share: node shorthands, names as a statement
 * writes them, and the functions one file calls in another. Not for the
 * rules: they see semantics.h only. */
#ifndef MIGC_GEN_SEM_INT_H
#define MIGC_GEN_SEM_INT_H

#include <pg_query/pg_query.pb-c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "migc.h"
#include "semantics.h"
#include "source.h"
#include "table.h"
#include "xalloc.h"

#define NODE(x) PG_QUERY__NODE__NODE_##x
#define OBJ(x) PG_QUERY__OBJECT_TYPE__OBJECT_##x
#define AT(x) PG_QUERY__ALTER_TABLE_TYPE__AT_##x
#define CONSTR(x) PG_QUERY__CONSTR_TYPE__CONSTR_##x
#define NAMEDATALEN 64

/* A name list (schema.name or name, or catalog.schema.name). */
struct qname {
    const char *schema; /* NULL: unqualified */
    const char *name;
};

/* The columns an expression names (a CHECK's, an index's). */
struct expr_cols {
    const char *names[8];
    size_t n;
    int many; /* more than fit */
};

/* What a query or expression uses, as pg_depend records it: columns
 * ("schema.table.column") and relations ("schema.name"). */
struct sem_deps {
    struct cat_names cols;
    struct cat_names rels;
};

/* A relation an expression sees under a name: a policy's table, a
 * trigger's OLD and NEW (rel NULL: columns not known). */
struct sem_scope_rel {
    const char *alias;
    struct cat_object *rel;
};

/* A tree walk's visitor: ctx is the walk's own state; 1 skips the
 * children of m. */
typedef int (*visit_fn)(void *ctx, const ProtobufCMessage *m);

void sem_words_scan(struct table *w, const char *text);
void sem_fire(struct sem *a, struct sem_event ev);
void sem_fire_unknown(struct sem *a, int32_t loc, enum sem_what what,
                      const char *name, const struct cat_object *of);
void sem_fire_duplicate(struct sem *a, int32_t loc, struct sem_duplicate d);
void sem_fire_change(struct sem *a, enum sem_event_kind kind, int32_t loc,
                     struct sem_change c);
struct cat_site sem_site_at(const struct sem *a, int32_t loc);
const char *sem_str_of(const PgQuery__Node *n);
int sem_is_opaque(const struct sem *a, const char *name);
struct qname sem_qname_of(PgQuery__Node *const *items, size_t n);
struct qname sem_qname_rv(const PgQuery__RangeVar *rv);
char *sem_qname_text(struct qname q);
const char *sem_target_schema(const struct sem *a, struct qname q);
void sem_touch(struct sem *a, struct qname q, int32_t loc);
void sem_touch_dropped(struct sem *a, struct qname q);
struct cat_object *sem_find_in_path(const struct sem *a, enum cat_kind k,
                                    struct qname q);
struct cat_object *sem_find_relation(const struct sem *a, struct qname q);
int sem_relation_provided(const struct sem *a, struct qname q);
int sem_may_report_unknown(const struct sem *a, struct qname q);
void sem_unknown_relation(struct sem *a, struct qname q, int32_t loc);
struct cat_object *sem_use_relation(struct sem *a, struct qname q, int32_t loc,
                                    int missing_ok);
const char *sem_type_base(const PgQuery__TypeName *t);
int sem_is_serial(const PgQuery__TypeName *t);
char *sem_type_text(const struct sem *a, const PgQuery__TypeName *t);
int sem_type_exists(const struct sem *a, struct qname q);
void sem_use_type(struct sem *a, const PgQuery__TypeName *t);
struct cat_object *sem_find_function(const struct sem *a, struct qname q);
void sem_use_function(struct sem *a, PgQuery__Node *const *names, size_t n,
                      int32_t loc);
char *sem_signature(const struct sem *a, PgQuery__Node *const *params,
                    size_t n, int with_mode);
void sem_walk(const void *msg, visit_fn visit, void *ctx);
int sem_is_msg(const ProtobufCMessage *m, const ProtobufCMessageDescriptor *d);
int sem_collect_ctes(void *ctes, const ProtobufCMessage *m);
const char *sem_const_string(const PgQuery__Node *n);
void sem_refs(struct sem *a, const void *msg, const void *d1, const void *d2,
              const void *d3);
int sem_relation_name_taken(const struct sem *a, const char *schema,
                            const char *name);
char *sem_choose_name(const struct sem *a, const char *schema, const char *n1,
                      const char *n2, const char *label, int constraint);
char *sem_name_addition(const char *const *names, size_t n);
void sem_note_altered(struct sem *a, struct cat_object *t);
void sem_use_column(struct sem *a, struct cat_object *t, const char *col,
                    int32_t loc);
int sem_duplicate_relation(struct sem *a, struct qname q, const char *schema,
                           int if_not_exists, int32_t loc);
void sem_stmt_create_table(struct sem *a, const PgQuery__CreateStmt *s,
                           enum cat_relkind relkind);
void sem_stmt_create_table_as(struct sem *a,
                              const PgQuery__CreateTableAsStmt *s);
void sem_stmt_view(struct sem *a, const PgQuery__ViewStmt *s);
void sem_stmt_index(struct sem *a, const PgQuery__IndexStmt *s);
void sem_stmt_alter_table(struct sem *a, const PgQuery__AlterTableStmt *s);
void sem_stmt_drop(struct sem *a, const PgQuery__DropStmt *s);
void sem_drop_owned_sequences(struct sem *a, const struct cat_object *t,
                              const char *col);
void sem_stmt_truncate(struct sem *a, const PgQuery__TruncateStmt *s);
void sem_stmt_rename(struct sem *a, const PgQuery__RenameStmt *s);
void sem_stmt_set_schema(struct sem *a,
                         const PgQuery__AlterObjectSchemaStmt *s);
int sem_figure_colname(const PgQuery__Node *n, const char **name);
/* sem_query.c: resolve a SELECT's column references (unknown columns
 * reported, uses added to deps); out, when not NULL, gets its output
 * column names, or stays empty when they are not known for sure, and
 * types (when not NULL) their types ("": not known). */
void sem_query_resolve(struct sem *a, const PgQuery__Node *query,
                       struct sem_deps *deps, struct cat_names *out,
                       struct cat_names *types);
/* The column references of an INSERT, UPDATE or DELETE (SET's values,
 * WHERE, RETURNING, the SELECT, ON CONFLICT DO UPDATE). */
void sem_dml_resolve(struct sem *a, const PgQuery__Node *n);
/* The output columns of a CREATE TABLE AS or SELECT INTO query, names
 * into out and types into types ("": not known); unknown columns reported
 * unless quiet. */
void sem_query_columns(struct sem *a, const PgQuery__Node *query, int quiet,
                       struct cat_names *out, struct cat_names *types);
/* sem_table.c: a table made from a query gets its output columns. */
void sem_table_as_columns(struct sem *a, struct cat_object *t,
                          const PgQuery__Node *query, int quiet,
                          PgQuery__Node *const *aliases, size_t n_aliases);
/* The same for an expression over the relations rels. */
void sem_expr_resolve(struct sem *a, const PgQuery__Node *expr,
                      const struct sem_scope_rel *rels, size_t n,
                      struct sem_deps *deps);
void sem_deps_free(struct sem_deps *d);
/* sem_depend.c: pg_depend's dependencies (see there). */
struct cat_object *sem_column_dependent(const struct sem *a,
                                        const struct cat_object *t,
                                        const char *col, int alter_type,
                                        const char **gen);
char *sem_describe(const struct cat_object *o);
void sem_fire_dependents(struct sem *a, enum sem_dep_verb verb,
                         const struct cat_object *object, const char *column,
                         const struct cat_object *dep, const char *gen);
void sem_alter_type_check(struct sem *a, const struct cat_object *t,
                          const char *col);
void sem_remove_dependent(struct sem *a, struct cat_object *dep, int refused);
void sem_drop_dependents(struct sem *a, const struct cat_object *o,
                         int refused);
void sem_deps_rename(struct sem *a, const char *schema, const char *name,
                     const char *new_schema, const char *new_name);
void sem_deps_rename_column(struct sem *a, struct cat_object *t,
                            const char *col, const char *newname);
void sem_policy_deps(struct sem *a, struct cat_object *t,
                     struct cat_object *policy, const PgQuery__Node *qual,
                     const PgQuery__Node *with_check);
void sem_trigger_deps(struct sem *a, struct cat_object *t,
                      struct cat_object *trigger, const PgQuery__Node *when,
                      PgQuery__Node *const *func, size_t n_func);
void sem_view_deps(struct sem *a, struct cat_object *v,
                   const PgQuery__Node *query, PgQuery__Node *const *aliases,
                   size_t n_aliases);
/* sem_uses.c: the functions and sequences expressions use (see there). */
char *sem_function_key(const struct cat_object *f);
void sem_expr_uses(const struct sem *a, const void *expr,
                   struct cat_names *out);
void sem_default_uses(const struct sem *a, struct cat_column *col,
                      const PgQuery__Node *expr);
void sem_coldef_uses(const struct sem *a, struct cat_column *col,
                     const PgQuery__ColumnDef *cd,
                     const struct cat_object *serial);
void sem_drop_constraint(struct sem *a, struct cat_object *t,
                         const PgQuery__AlterTableCmd *c);
int sem_inherited_refusal(struct sem *a, const struct cat_object *t,
                          const char *name, const char *what);
int sem_missing_check(struct sem *a, const struct cat_object *child,
                      const struct cat_object *parent);
void sem_at_inherit(struct sem *a, struct cat_object *t,
                    const PgQuery__AlterTableCmd *c);
void sem_trigger_function(const struct sem *a, struct cat_object *trigger,
                          PgQuery__Node *const *names, size_t n);
void sem_drop_users(struct sem *a, const struct cat_object *o, const char *key,
                    int cascade, int reported);
void sem_uses_rename(struct sem *a, const char *from, const char *to,
                     int prefix, int reads);
/* sem_inherit.c: what partitions, inheritance children and LIKE copy. */
void sem_copy_columns(struct sem *a, struct cat_object *to,
                      const struct cat_object *from, int32_t loc, int inherit);
void sem_inherit_create(struct sem *a, struct cat_object *t,
                        const PgQuery__CreateStmt *s);
void sem_at_partition(struct sem *a, struct cat_object *t,
                      const PgQuery__PartitionCmd *p, int attach);
struct cat_object **sem_children(const struct sem *a,
                                 const struct cat_object *t, size_t *n);
void sem_partition_index(struct sem *a, const struct cat_object *t,
                         const struct cat_object *ix);
void sem_inherit_check(struct sem *a, const struct cat_object *t,
                       const struct cat_object *k);
void sem_inherit_attach(struct sem *a, struct cat_object *child,
                        const struct cat_object *parent, int partition);
void sem_inherit_detach(struct sem *a, struct cat_object *child,
                        const struct cat_object *parent);
void sem_inherit_drop_constraint(struct sem *a, const struct cat_object *t,
                                 const struct cat_object *k);
void sem_inherit_column(struct sem *a, const struct cat_object *t,
                        const struct cat_column *col);
void sem_like_columns(struct sem *a, struct cat_object *t,
                      const struct cat_object *src, unsigned options);
void sem_like_parts(struct sem *a, struct cat_object *t,
                    const struct cat_object *src, unsigned options);
void sem_set_search_path(struct sem *a, const char *value, int local);

/* ---- what migc cannot see (sem_plpgsql.c, sem_dynamic.c) -------------- */

/* The statement that made names uncertain: "the DO block at F:L:C", "the
 * function f called at F:L:C"; dynamic: by SQL built at run time (a later
 * unknown relation of that name is then a note naming it). */
struct sem_origin {
    char *text;
    int dynamic;
};

/* Names matching glob ('\x01' matches any run of characters) may exist or
 * may be gone. */
struct sem_pattern {
    char *glob;
    const struct sem_origin *origin;
};

/* A call of a function with a body, run once its statement is applied. */
struct sem_call {
    char *name, *def, *lang, *body;
    int certain; /* it surely ran: its body's top level applies for sure */
    int32_t loc;
};

struct sem_unseen {
    struct table names; /* uncertain names: name -> struct sem_origin * */
    struct sem_pattern *patterns;
    size_t n_patterns, cap_patterns;
    struct sem_origin **origins;
    size_t n_origins, cap_origins;
    int cond;  /* > 0: the statement at hand may not run: no events */
    int shift; /* locations are of an inner text: */
    int32_t loc_base; /* its offset in the file (-1: none, use loc_at) */
    int32_t loc_at;
    struct cat_names *journal; /* the catalog's, while cond */
    struct sem_call *calls;
    size_t n_calls, cap_calls;
    /* A called function's definition -> its compiled body (parse_plpgsql()'s
     * JSON, or sem_not_compiled): a function called once per table of a
     * chain is compiled once. */
    struct table compiled;
    unsigned depth;          /* bodies being run, nested */
    int32_t certain[16];     /* calls the statement at hand surely makes */
    size_t n_certain;
};

void sem_apply(struct sem *a, const PgQuery__Node *n); /* semantics.c */
void sem_run(struct sem *a, const PgQuery__Node *n);
extern char sem_not_compiled[]; /* struct sem_unseen's compiled: no body */
int32_t sem_outer_loc(const struct sem *a, int32_t loc);
const struct sem_origin *sem_uncertain(const struct sem *a, const char *name);
struct sem_origin *sem_origin_new(struct sem *a, int dynamic, char *text);
void sem_uncertain_add(struct sem *a, const char *glob,
                       const struct sem_origin *o);
void sem_stmt_names(const PgQuery__Node *n, struct cat_names *out);
/* The SQL text a dynamic expression (EXECUTE's) builds, with SEM_HOLE
 * where a part is not known; var gives the one expression a variable is
 * assigned (NULL: none or several). The caller frees it. */
#define SEM_HOLE "migc__hole"
typedef const char *sem_var_fn(void *ctx, const char *name);
char *sem_dynamic_sql(const char *expr, sem_var_fn *var, void *ctx);
void sem_unseen_free(struct sem_unseen *u);
int sem_plpgsql_do(struct sem *a, const char *body, const char *lang,
                   int32_t body_off);
void sem_plpgsql_call(struct sem *a, const struct cat_object *f,
                      int32_t loc);

/* sem_table.c, for sem_alter.c: a column definition's parts, and adding a
 * column, a constraint or an owned sequence to table t. */
struct coldef_info {
    int not_null, has_default, generated, identity, serial;
    const PgQuery__Node *default_expr;
};

struct coldef_info sem_coldef_info(const PgQuery__ColumnDef *cd);
int sem_calls_volatile(struct sem *a, const PgQuery__Node *expr);
void sem_add_column_def(struct sem *a, struct cat_object *t,
                        const PgQuery__ColumnDef *cd, int in_create);
void sem_add_constraint(struct sem *a, struct cat_object *t,
                        const PgQuery__Constraint *c, const char *col,
                        int in_create);
struct cat_object *sem_add_owned_sequence(struct sem *a, struct cat_object *t,
                                          const char *col, int32_t loc,
                                          const PgQuery__Constraint *identity);

#endif

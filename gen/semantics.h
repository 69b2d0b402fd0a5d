/* semantics.h: what each statement of an up script does to the catalog
 * (catalog.h), applied in order without a database. While it applies a
 * statement it reports events (struct sem_event) to whoever weighs them:
 * the rules (rules.h), which never change the catalog. */
#ifndef MIGC_GEN_SEMANTICS_H
#define MIGC_GEN_SEMANTICS_H

#include <pg_query/pg_query.pb-c.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "model.h"
#include "table.h"

#define SEM_MAX_PATH 16

/* What a SEM_UNKNOWN or SEM_DUPLICATE event names. */
enum sem_what {
    SEM_RELATION,
    SEM_INDEX,
    SEM_COLUMN,
    SEM_CONSTRAINT,
    SEM_SCHEMA,
    SEM_TYPE,
    SEM_ENUM, /* ALTER TYPE ... of a type nothing created */
    SEM_FUNCTION,
    SEM_TRIGGER,
    SEM_EXTENSION,
    SEM_ROLE
};

enum sem_event_kind {
    /* The catalog is sure that a name is missing, or taken (what it cannot
     * see keeps it silent: semantics.c). */
    SEM_UNKNOWN,
    SEM_DUPLICATE,
    /* A statement creates, changes, reads or drops a relation by name. */
    SEM_TOUCH_RELATION,
    /* Changes to a table, reported before they are applied. */
    SEM_CREATE_INDEX,
    SEM_ADD_COLUMN,
    SEM_ADD_CONSTRAINT, /* one written in ADD COLUMN or ADD CONSTRAINT */
    SEM_CONSTRAINT_ADDED, /* after: its name is chosen */
    SEM_VALIDATE,
    SEM_ALTER_TYPE,
    SEM_SET_NOT_NULL,
    SEM_REWRITE, /* SET LOGGED, SET UNLOGGED, SET ACCESS METHOD */
    SEM_DROP_COLUMN,
    SEM_DROP_RELATION,
    SEM_DROP_SCHEMA,
    SEM_TRUNCATE,
    SEM_RENAME_RELATION,
    SEM_RENAME_COLUMN,
    /* A DROP or ALTER COLUMN TYPE that PostgreSQL refuses because other
     * objects depend on what it changes (reported before it is applied). */
    SEM_DEPENDENTS,
    /* What a DROP removed (after SEM_DROP_*: what it costs comes first). */
    SEM_DROPPED,
    SEM_DROPPED_COLUMN,
    /* Statements that change no schema object. */
    SEM_ROLE_OPTIONS,
    SEM_DATA_CHANGE,
    SEM_SET,
    SEM_SET_CONFIG,
    /* A statement begins (.u.node): the catalog is as the statements
     * before it left it. */
    SEM_STATEMENT,
    /* The migration's statements are all applied. */
    SEM_MIGRATION_END,
    /* Every migration is applied (the rules stage sends it). */
    SEM_HISTORY_END
};

/* An INSERT, UPDATE, DELETE, MERGE, or a WITH holding one. */
enum sem_data_verb { SEM_INSERT, SEM_UPDATE, SEM_DELETE, SEM_MERGE, SEM_WITH };

/* SEM_UNKNOWN: a name the catalog is sure nothing created. */
struct sem_unknown {
    enum sem_what what;
    const char *name;            /* qualified as written, for relations */
    const struct cat_object *of; /* a column's or constraint's table */
    /* Not NULL: the name may exist all the same, made by dynamic SQL
     * migc cannot see: what made it ("the function f called at F:L:C"). */
    const char *maybe;
};

/* SEM_DUPLICATE: a CREATE (or rename) of a name that is taken. */
struct sem_duplicate {
    enum sem_what what;
    const char *schema, *name; /* schema NULL: not shown */
    const char *args;          /* a function's signature */
    const struct cat_object *of;       /* a column's, constraint's or
                                          trigger's table */
    const struct cat_object *existing; /* NULL: its site is not shown */
};

/* SEM_TOUCH_RELATION: a statement names a relation it changes. */
struct sem_touch {
    const char *name;
    int dropping; /* a DROP: cleaning up another tool's is fine */
};

/* The change events (SEM_CREATE_INDEX .. SEM_DROPPED_COLUMN): what a
 * statement does to a table or object; the fields a kind does not use are
 * zero. */
struct sem_change {
    struct cat_object *table;        /* the table (the index: DROP INDEX) */
    const struct cat_object *object; /* SEM_DROP_SCHEMA's, SEM_DROPPED's */
    struct cat_column *col;          /* the column, as it is before */
    const char *name;    /* the column, constraint or schema named */
    const char *newname; /* a rename's; SEM_ALTER_TYPE: the new type */
    const PgQuery__Constraint *constraint;
    const PgQuery__ColumnDef *coldef;
    int in_create;  /* SEM_CONSTRAINT_ADDED: by a CREATE TABLE */
    int concurrent; /* CREATE/DROP INDEX CONCURRENTLY */
    int cascade;    /* DROP ... CASCADE */
    int table_stmt; /* SEM_RENAME_RELATION: ALTER TABLE ... RENAME */
    int using_expr; /* SEM_ALTER_TYPE: ... USING */
    /* SEM_ADD_COLUMN: the column as defined */
    int not_null, has_default, serial, identity, generated, volatile_default;
};

/* SEM_DEPENDENTS: what is refused, and the first dependent found. */
enum sem_dep_verb {
    SEM_DEP_DROP_COLUMN,
    SEM_DEP_ALTER_TYPE,
    SEM_DEP_DROP,
    SEM_DEP_REQUIRED,    /* DROP INDEX of a partition's: dependent requires it */
    SEM_DEP_INHERITED,   /* used_by ("drop inherited constraint", "rename
                            inherited column") of column, got from parent
                            dependent */
    SEM_DEP_MISSING,     /* ATTACH PARTITION or INHERIT of object: it lacks
                            the parent's (dependent) CHECK column */
    SEM_DEP_VIEW_COLUMNS /* CREATE OR REPLACE VIEW: dependent says what
                            it changes */
};

struct sem_dependents {
    enum sem_dep_verb verb;
    const struct cat_object *object; /* the table, relation or type */
    const char *column;              /* DROP COLUMN, ALTER COLUMN TYPE */
    const char *dependent; /* "view public.v", "column g of table public.t" */
    const char *used_by;   /* ALTER COLUMN TYPE: "a view or rule", ... */
};

/* SEM_ROLE_OPTIONS: CREATE or ALTER ROLE's options. */
struct sem_role {
    PgQuery__Node *const *options;
    size_t n;
    const char *role;
};

/* SEM_SET_CONFIG: a call of set_config(name, value, is_local). */
struct sem_set_config {
    const char *name; /* NULL: not a constant */
    int session;      /* is_local false */
};

/* One event: kind says which member of u is set. loc is a byte offset in
 * the script's file, -1 for the statement's start. Everything is borrowed
 * for the time of the call. */
struct sem_event {
    enum sem_event_kind kind;
    int32_t loc;
    union {
        struct sem_unknown unknown;
        struct sem_duplicate duplicate;
        struct sem_touch touch;
        struct sem_change change;
        struct sem_role role;
        struct sem_dependents dependents;
        enum sem_data_verb data;
        const PgQuery__VariableSetStmt *set;
        struct sem_set_config set_config;
        const struct model *model; /* SEM_HISTORY_END */
        const PgQuery__Node *node; /* SEM_STATEMENT */
    } u;
};

struct sem;
typedef void sem_event_fn(void *ctx, const struct sem *s,
                          const struct sem_event *ev);

/* The semantics' state between statements: the catalog, the session's
 * search_path, and what it cannot know. */
struct sem {
    struct catalog *cat;
    sem_event_fn *on_event;
    void *ctx; /* on_event's */
    /* the statement at hand */
    size_t mig;
    struct model_script *script;
    const struct model_statement *stmt;
    /* search_path as the session has it, and as it was before this
     * migration's SET LOCALs (restored at its end) */
    char *path[SEM_MAX_PATH];
    size_t n_path;
    char *saved_path[SEM_MAX_PATH];
    size_t n_saved_path;
    int path_local; /* a SET LOCAL search_path is in force */
    const char *create_schema; /* CREATE SCHEMA ... elements go there */
    struct table opaque;       /* names an unseen statement may have made */
    struct table ctes;         /* WITH names of the statement at hand */
    char **extensions;         /* created, with an object list known */
    size_t n_extensions;
    int unsure; /* an extension without a list, or an unparsed migration:
                   unknown types and functions are not reported */
    int blind;  /* a migration did not parse: no unknown or duplicate name
                   is reported from then on */
    struct sem_unseen *unseen; /* PL/pgSQL bodies, dynamic SQL: sem_int.h */
    int only; /* the ALTER TABLE at hand names ONLY its table: its DROP
                 COLUMN leaves the children's columns, their own now */
};

/* A new state over an empty catalog; events go to on_event(ctx, ...). */
struct sem *sem_new(sem_event_fn *on_event, void *ctx);

/* Apply migration i's up script (in apply order; a baseline whose
 * squashed migrations are in m too is left out), then SEM_MIGRATION_END. */
void sem_migration(struct sem *s, struct model *m, size_t i);

/* Free s and return its catalog (catalog_free() it). */
struct catalog *sem_free(struct sem *s);

/* o exists and an earlier migration created it (it may hold rows). */
int sem_existing(const struct sem *s, const struct cat_object *o);

/* name is one the state cannot be sure of: an uncertain name (dynamic SQL,
 * a statement that may not have run), a word of a body or extension migc
 * cannot read, or any name once a migration did not parse. */
int sem_name_unsure(const struct sem *s, const char *name);

/* Where byte offset loc of the script at hand is (-1: st's start). */
struct cat_site sem_site(const struct sem *s,
                         const struct model_statement *st, int32_t loc);

/* For the rules, which read a statement's tree themselves: the object a
 * name (a list of String nodes, or a RangeVar) finds as the statement at
 * hand sees it (search_path, CREATE SCHEMA's elements), NULL when none. */
const struct cat_object *sem_lookup(const struct sem *s, enum cat_kind kind,
                                    PgQuery__Node *const *names, size_t n);
const struct cat_object *sem_lookup_rv(const struct sem *s,
                                       const PgQuery__RangeVar *rv);

/* A walk over every message under msg (sem_lookup.c): visit gets ctx and
 * returns 1 to skip the children of m. */
typedef int sem_visit_fn(void *ctx, const ProtobufCMessage *m);
void sem_walk(const void *msg, sem_visit_fn *visit, void *ctx);
int sem_is_msg(const ProtobufCMessage *m, const ProtobufCMessageDescriptor *d);
/* A String node's text, NULL for any other node. */
const char *sem_str_of(const PgQuery__Node *n);

#endif

/* catalog.h: a static model of the schema the migrations build, without a
 * database: what each object is, where a migration created it, and its
 * columns. The semantics stage applies every statement's effect to it. */
#ifndef MIGC_GEN_CATALOG_H
#define MIGC_GEN_CATALOG_H

#include <stddef.h>
#include <stdio.h>

/* Where something happened: the migration (index in apply order) and the
 * position in its file. path is borrowed from the model. */
struct cat_site {
    size_t mig;
    const char *path;
    unsigned line, col;
    size_t stmt_off; /* the statement's offset (for migc:allow) */
};

/* The namespaces PostgreSQL keeps names in. Relations (tables, views,
 * indexes, sequences) share one per schema, as do types; a table also
 * makes a type of its name. Constraints and triggers are named per table. */
enum cat_kind {
    CAT_SCHEMA,
    CAT_RELATION,
    CAT_TYPE,
    CAT_FUNCTION, /* functions, procedures and aggregates, by signature */
    CAT_EXTENSION,
    CAT_ROLE,
    CAT_CONSTRAINT,
    CAT_TRIGGER,
    CAT_POLICY
};

enum cat_relkind {
    CAT_REL_TABLE,
    CAT_REL_VIEW,
    CAT_REL_MATVIEW,
    CAT_REL_INDEX,
    CAT_REL_SEQUENCE,
    CAT_REL_FOREIGN_TABLE
};

/* A list of names, in order; the object holding it owns the strings. */
struct cat_names {
    char **items;
    size_t n;
};

struct cat_column {
    char *name;
    char *type; /* as PostgreSQL's format_type() prints it */
    int not_null;
    int has_default;
    int generated; /* an identity or GENERATED column: INSERT leaves it to
                      the database */
    int identity;  /* GENERATED ... AS IDENTITY */
    struct cat_site site; /* where it was added */
    /* A generated column: the columns of its table its expression uses
     * (PostgreSQL refuses to drop or retype them while it exists). */
    struct cat_names gen_uses;
    /* The sequences ("schema.name") and functions ("schema.name(args)")
     * its default or generation expression uses (pg_depend's): DROP
     * SEQUENCE and DROP FUNCTION are refused while it does. */
    struct cat_names def_reads;
    /* Got from a parent (INHERITS, PARTITION OF) and not defined by the
     * table itself: a parent's DROP COLUMN takes it. */
    int inherited;
};

/* What a catalog object is. Each field has one meaning; those of one kind
 * only are grouped under it and stay zero for the others. */
struct cat_object {
    enum cat_kind kind;
    char *schema; /* NULL for schemas, extensions and roles */
    char *name;
    /* The relation it belongs to (in schema): an index's, an owned
     * sequence's, a constraint's, a trigger's or a policy's. */
    char *table;
    struct cat_site created;
    unsigned flags; /* enum cat_flags */

    /* CAT_RELATION */
    enum cat_relkind relkind;
    /* How many later migrations altered a table, the last one. */
    unsigned n_altered;
    size_t last_altered;
    struct cat_column *cols; /* tables, views, composite types (CAT_TYPE) */
    size_t n_cols;
    /* The columns are not known (CREATE TABLE AS, a view's query, a typed
     * table): no column of it is reported unknown. */
    int cols_unknown;
    /* An index's, an owned sequence's or a constraint's columns of its
     * table: DROP COLUMN takes it with them. */
    struct cat_names uses;
    /* A view's or materialized view's: the relations its query reads,
     * "schema.name" each (repeats kept): DROP ... CASCADE takes it. Also
     * of a view, index, constraint, trigger or policy: the sequences
     * (nextval('s')) and functions ("schema.name(args)") it uses. */
    struct cat_names reads;
    /* The columns a view's or materialized view's query, a policy's
     * expressions or a trigger's WHEN use, "schema.table.column" each
     * (pg_depend's normal dependencies on columns): DROP COLUMN and
     * ALTER COLUMN TYPE of one are refused while the object exists. */
    struct cat_names col_reads;
    /* A view's: its output columns' types as its query gives them, in
     * order ("": not known), for CREATE OR REPLACE VIEW. */
    struct cat_names col_types;
    /* A table's: the tables it inherits from or is a partition of,
     * "schema.name" each: their CHECKs (and a partition's indexes) reach
     * it, as do columns added to them. */
    struct cat_names parents;
    /* An index's column names as pg_attribute holds them ("expr",
     * "lower", a column's name), for naming its copies. */
    struct cat_names idx_cols;
    /* A partition's index: the parent index it is attached to,
     * "schema.name" (DROP INDEX of the parent takes it). */
    char *parent_index;

    /* CAT_CONSTRAINT */
    char contype; /* p (primary key), u, f, c (check), x (exclusion) */
    /* A foreign key: the table it references (following renames) and
     * its columns (none: the primary key). */
    char *ref_schema, *ref_table;
    struct cat_names ref_cols;
    /* A foreign key: "schema.name" of the table it referenced as the key
     * was added (NULL: none known then), which DROP ... CASCADE matches. */
    char *ref_added;

    /* CAT_FUNCTION */
    char *args; /* the argument types: "(integer, text)" */
    char *body; /* read when a statement calls it */
    char *lang; /* its LANGUAGE, as written (NULL: not given) */
    char *def;  /* the text of the CREATE statement that made it */

    /* CAT_TYPE: an enum's labels, in their sort order (CAT_ENUM). */
    struct cat_names labels;
};

void cat_names_add(struct cat_names *l, const char *name);
int cat_names_has(const struct cat_names *l, const char *name);
int cat_names_equal(const struct cat_names *a, const struct cat_names *b);
void cat_names_copy(struct cat_names *to, const struct cat_names *from);
/* Rename every item equal to from. */
void cat_names_rename(struct cat_names *l, const char *from, const char *to);
/* Replace the prefix from of every item starting with it by to. */
void cat_names_rename_prefix(struct cat_names *l, const char *from,
                             const char *to);
void cat_names_free(struct cat_names *l);

enum cat_flags {
    CAT_PARTITIONED = 1u << 0, /* a partitioned table */
    CAT_NOT_VOLATILE = 1u << 1, /* a function declared IMMUTABLE or STABLE */
    CAT_NOT_VALID = 1u << 2,    /* a constraint added NOT VALID */
    CAT_ENUM = 1u << 3,         /* an enum type: labels are known */
    CAT_INHERITED = 1u << 4,    /* a constraint a child got from a parent */
    CAT_PARTITION = 1u << 5,    /* a table that is a partition of parents */
    CAT_NO_INHERIT = 1u << 6,   /* a CHECK ... NO INHERIT */
    CAT_UNIQUE = 1u << 7,       /* a unique index (a key's, or UNIQUE) */
};

struct catalog;

struct catalog *catalog_new(void);
void catalog_free(struct catalog *c);

/* Look up an object; schema NULL for the kinds without one. For
 * constraints, triggers and policies table names the table. For functions
 * args NULL matches any signature (the first found). */
struct cat_object *catalog_get(const struct catalog *c, enum cat_kind kind,
                               const char *schema, const char *table,
                               const char *name, const char *args);

/* Add an object (which must not exist); the catalog owns the copy of the
 * strings it makes. */
struct cat_object *catalog_add(struct catalog *c, enum cat_kind kind,
                               const char *schema, const char *table,
                               const char *name, const char *args,
                               struct cat_site site);

/* Remove one object, and with a relation its indexes, constraints,
 * triggers, policies and owned sequences; with a partitioned table its
 * partitions; with an index the partitions' indexes attached to it. */
void catalog_remove(struct catalog *c, struct cat_object *o);

/* Make sequence seq belong to table (in its schema; NULL: to none), as
 * ALTER SEQUENCE ... OWNED BY does: DROP TABLE then takes it. */
void catalog_set_owner(struct catalog *c, struct cat_object *seq,
                       const char *table);

/* While journal is set, the name of every object or column added, removed
 * or renamed (both names) is added to it: what a statement that may not
 * have run touched (semantics.c). NULL stops it. */
void catalog_journal(struct catalog *c, struct cat_names *journal);

/* Rename o (and, for a table, repoint what belongs to it, its children's
 * parents, its indexes' attached ones); new_schema NULL keeps the schema. */
void catalog_rename(struct catalog *c, struct cat_object *o,
                    const char *new_schema, const char *new_name);

/* Record that child inherits from (or is a partition of) the relation
 * key ("schema.name"): the only way parents are added, so that
 * catalog_has_children() can say no child exists without a scan. */
void catalog_add_parent(struct catalog *c, struct cat_object *child,
                        const char *key);
/* 0 while no relation has ever had a parent in this catalog: then no
 * relation has children, and a lookup of them need not scan. */
int catalog_has_children(const struct catalog *c);

/* Every object, in no set order; n set to the count. The array is the
 * caller's to free, the objects are not. */
struct cat_object **catalog_all(const struct catalog *c, size_t *n);

/* What belongs to relation rel: its indexes, constraints, triggers,
 * policies and owned sequences (none when rel is not a relation), in the
 * order added; n set to the count. The array is the caller's to free. */
struct cat_object **catalog_parts(const struct catalog *c,
                                  const struct cat_object *rel, size_t *n);

/* Whether a constraint of that name exists in schema, on any table. */
int catalog_constraint_named(const struct catalog *c, const char *schema,
                             const char *name);

/* How many functions of that name in schema exist, any signature. */
size_t catalog_functions_named(const struct catalog *c, const char *schema,
                               const char *name);

struct cat_column *catalog_column(const struct cat_object *o,
                                  const char *name);
struct cat_column *catalog_add_column(struct cat_object *o, const char *name,
                                      const char *type, struct cat_site site);
void catalog_drop_column(struct cat_object *o, struct cat_column *col);

/* Add an enum label: before or after the label neighbor (NULL: at the
 * end). Renaming one replaces its text in place (catalog_rename_label). */
void catalog_add_label(struct cat_object *o, const char *label,
                       const char *neighbor, int after);
void catalog_rename_label(struct cat_object *o, const char *from,
                          const char *to);

/* The schema, as `migc schema` prints it: one line an object or column,
 * sorted, in a form a query of pg_catalog prints too (tests/integration).
 *   table S.T
 *   column S.T.C TYPE [not null]
 *   index S.I on S.T
 *   constraint S.T.NAME p|u|f|c|x
 *   view S.V | matview S.V | sequence S.Q | type S.N | function S.F(ARGS)
 *   schema S | extension E */
void catalog_print(const struct catalog *c, FILE *out);

#endif

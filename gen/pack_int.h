/* pack_int.h: what the files of the packs stage (pack.c, pack_yaml.c,
 * pack_scalar.c, pack_table.c, pack_value.c, pack_row.c, pack_sql.c) share:
 * the YAML tree, tables as pack rows see them, a pack being built, and the
 * functions one file calls in another. The other stages see pack.h only. */
#ifndef MIGC_GEN_PACK_INT_H
#define MIGC_GEN_PACK_INT_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "diag.h"
#include "hash.h"
#include "pack.h"

/* Tables are looked up in the schema of the default search_path. */
#define PACK_SCHEMA "public"

/* A json value may nest this deep below its field or array element. A
 * document nests no deeper than that, its row mapping, a field's value
 * and an array element: the reader refuses a deeper node as it comes,
 * before the rest is read (deep flow nesting costs libyaml time
 * quadratic in the depth). */
enum { PACK_JSON_DEPTH_MAX = 64, PACK_YAML_DEPTH_MAX = PACK_JSON_DEPTH_MAX + 3 };

/* ---- A growing string and SQL text (pack_sql.c) ------------------------ */

struct sb {
    char *p; /* NUL-terminated once anything was added; NULL before */
    size_t n, cap;
};

void sb_addn(struct sb *b, const char *s, size_t n);
void sb_add(struct sb *b, const char *s);
void sb_addf(struct sb *b, const char *fmt, ...) GEN_PRINTF(2, 3);
/* The string built ("" when nothing was added), b empty again. Free it. */
char *sb_take(struct sb *b);

void sql_ident(struct sb *b, const char *s);                /* "a""b" */
void sql_literal(struct sb *b, const char *s, size_t len); /* see pack.h */
char *sql_qname(const char *schema, const char *name); /* "s"."n"; free it */

/* ---- A YAML document as a tree (pack_yaml.c) --------------------------- */

enum pack_node_kind { PACK_NODE_SCALAR, PACK_NODE_SEQUENCE, PACK_NODE_MAPPING };

struct pack_pair {
    const struct pack_node *key, *value;
};

/* A node, and where it starts (1-based). Aliases share the node they name,
 * so a document is a graph: one node can be reached many times, even from
 * within itself; walks bound their depth and their visits. */
struct pack_node {
    enum pack_node_kind kind;
    unsigned line, col;
    /* PACK_NODE_SCALAR: its text, NUL-terminated but maybe holding NULs;
     * plain when neither quoted nor a block scalar; what it means: its
     * core tag's type (tag "!!int"), or when untagged (tag NULL) the core
     * schema's reading of a plain scalar (pack_resolve_plain()), a string
     * when quoted. */
    char *text;
    size_t len;
    int plain;
    enum pack_scalar scalar;
    const char *tag; /* static */
    const struct pack_node **items; /* PACK_NODE_SEQUENCE */
    size_t n_items;
    struct pack_pair *pairs; /* PACK_NODE_MAPPING, in file order */
    size_t n_pairs;
};

struct pack_doc {
    struct pack_node **nodes; /* all of them: the document owns them */
    size_t n_nodes, cap_nodes;
    const struct pack_node *root; /* NULL: the file holds no document */
    int second;                   /* a second document follows, ... */
    unsigned second_line, second_col; /* ... starting here */
};

/* Read the YAML of the len bytes at bytes (the file path) into doc, which
 * must be freed with pack_doc_free() either way. Returns 0, or -1 after an
 * "invalid YAML" error to d; root still holds the first document when the
 * error is in what follows it. */
int pack_yaml_read(const char *bytes, size_t len, const char *path,
                   struct pack_doc *doc, struct diags *d);
void pack_doc_free(struct pack_doc *doc);

/* ---- YAML scalars under the 1.2 core schema (pack_scalar.c) ------------ */

int pack_is_null(const struct pack_node *n); /* a null scalar */
/* Does the core schema read the len bytes at s as a k (any text is a
 * string; the float forms include the decimal integers)? */
int pack_scalar_is(enum pack_scalar k, const char *s, size_t len);
int pack_plain_true(const char *s, size_t len);  /* true, True, TRUE */
int pack_plain_nan(const char *s, size_t len);   /* .nan, .NaN, .NAN */
/* yes, no, on, off, y, n...: booleans in YAML 1.1, strings in 1.2 */
int pack_plain_yaml11_bool(const char *s, size_t len);
/* A plain int scalar's value; -1 when it does not fit 64 bits. */
int pack_int_value(const char *s, size_t len, int64_t *out);

/* ---- Tables as pack rows see them (pack_table.c) ----------------------- */

enum vkind { V_TEXT, V_INT, V_BOOL, V_NUMBER, V_JSON, V_ENUM, V_OTHER };

/* What a column accepts. */
struct vtype {
    enum vkind kind;
    int array;
    int json;            /* json, not jsonb */
    int64_t min, max;    /* V_INT */
    size_t maxlen;       /* V_TEXT of a declared length, else 0 */
    const struct cat_object *en; /* V_ENUM */
    char *base;          /* the element type as SQL, for casts */
};

/* A foreign key filled by ref: column col holds the id of the row of
 * target whose ref the column via (col + "_ref") names. */
struct fkey {
    size_t col, via;
    const struct cat_object *target;
    char *target_q; /* "schema"."table" */
    char *key;      /* the referenced column (its primary key) */
};

struct tinfo {
    const struct cat_object *t;
    char *qname;
    struct vtype *types; /* per column */
    long ref_col, pack_ref_col; /* -1 when absent */
    int ref_unique;
    struct fkey *fks;
    size_t n_fks;
};

struct tinfo *pack_tinfo_new(const struct catalog *cat,
                             const struct cat_object *t);
void pack_tinfo_free(struct tinfo *ti);
long pack_column_index(const struct cat_object *t, const char *name);
/* Table schema.name, when it is a plain table. */
const struct cat_object *pack_find_table(const struct catalog *cat,
                                         const char *schema,
                                         const char *name);
/* The table a folder names: itself, or its singular. */
const struct cat_object *pack_folder_table(const struct catalog *cat,
                                           const char *folder);
/* Can the table hold pack rows; an error at path to d when not. */
int pack_table_usable(const struct tinfo *ti, const char *path,
                      struct diags *d);

/* ---- One file: one row (pack_value.c, pack_row.c) ---------------------- */

/* A reference to a row by ref, for the check that this pack defines it. */
struct link {
    size_t fk;
    char *ref;
    unsigned line, col;
};

struct prow {
    char *rel;       /* within the pack: "runtimes/python.yaml" */
    char *shown;     /* for diagnostics */
    struct tinfo *ti;
    char *ref;
    unsigned line, col, ref_line, ref_col;
    char **vals;     /* per column: SQL expression, or NULL: not given */
    struct link *links;
    size_t n_links;
};

/* Reading one file as a row. */
struct row_ctx {
    const char *path;
    struct diags *d;
    const char *pack;
    const struct cat_object *t;
    size_t budget;                /* nodes a json value may still visit */
    const struct pack_node *top;  /* the json value being converted */
    int failed;
};

/* A [pack-schema] error at n (NULL: the file); marks f failed. */
void pack_row_error(struct row_ctx *f, const struct pack_node *n,
                    const char *fmt, ...) GEN_PRINTF(3, 4);
/* Field c's value n, of type t, as a SQL expression into out; -1 after
 * reporting why it does not fit. */
int pack_value_sql(struct row_ctx *f, const struct pack_node *n,
                   const struct cat_column *c, const struct vtype *t,
                   struct sb *out);

/* Parse the len bytes at bytes as one row of r->ti's table into r (whose
 * rel, shown, ti and vals are set). Returns 0 when it fits. */
int pack_row_read(const char *bytes, size_t len, const char *pack,
                  struct prow *r, struct diags *d);
void pack_row_free(struct prow *r);

/* ---- One pack being built (pack.c, pack_row.c, pack_sql.c) ------------- */

/* A file of the pack: its path within the pack, and its table. */
struct pfile {
    char *rel;
    size_t table;
};

/* The rows of one table in one pack. */
struct ptable {
    struct tinfo *ti;
    struct prow *rows;
    size_t n;
    int done; /* placed in dependency order */
};

struct pack_build {
    const char *name;
    char *dir;   /* as shown in diagnostics */
    struct ptable *tables; /* [0]: the pack table (pack.yaml) */
    size_t n_tables;
    struct pfile *files; /* to read, with the index of their table */
    size_t n_files;
    int failed;
};

/* a/b, or b when a is "."; free it. */
char *pack_join(const char *a, const char *b);
/* Rows sharing a ref; references to rows of this pack that it lacks. */
void pack_check_refs(struct pack_build *b, struct diags *d);
/* The pack's upserts, prunes and checksums into out, once every file fits. */
int pack_build_output(struct pack_build *b, const char *emb_dir,
                      struct pack *out, struct diags *d);

#endif

/* pack.h: packs (docs/packs.md): rows of YAML read with libyaml, checked
 * against the tables the migrations create, turned into upserts keyed by
 * ref. */
#ifndef MIGC_GEN_PACK_H
#define MIGC_GEN_PACK_H

#include <stddef.h>

#include "catalog.h"
#include "diag.h"
#include "hash.h"

/* One YAML file: one row of the table its folder names. */
struct pack_row {
    char *path;  /* the file, relative to the source root (embedded) */
    char *table; /* "schema"."table", quoted */
    char *ref;
    char *sql;   /* INSERT ... ON CONFLICT ("ref") DO UPDATE ... */
    size_t len;
    unsigned line, col; /* 1-based start of the YAML document */
    char checksum[HASH_HEX_LEN + 1];  /* of sql */
    char canonical[HASH_HEX_LEN + 1]; /* of its tokens (parse.h) */
};

/* A table the pack fills other than the pack table: how to find and
 * remove the pack's rows its files no longer hold. */
struct pack_table {
    char *table;   /* "schema"."table" */
    char *orphans; /* SELECT "ref" FROM ... */
    char *prune;   /* DELETE FROM ... */
};

struct pack {
    char *name; /* the folder's name, e.g. "core" */
    char *path; /* the folder, relative to the source root */
    char checksum[HASH_HEX_LEN + 1]; /* over its files, docs/packs.md */
    struct pack_row *rows; /* pack.yaml first, then by dependency */
    size_t n_rows;
    struct pack_table *tables; /* children before parents */
    size_t n_tables;
};

struct pack_set {
    struct pack *packs; /* by name */
    size_t n;
};

struct pack_options {
    const char *dir;         /* the packs directory, as given */
    const char *source_root; /* embedded paths are relative to it; NULL: . */
    int optional;            /* a missing dir is no error (the default one) */
};

/* Read every pack of o->dir and check it against cat (the schema the
 * migrations build); findings go to d ([pack-schema], [io]). Returns 0
 * when no error was reported; out must be freed with pack_set_free()
 * either way. A failed load leaves out empty. */
int pack_load(const struct pack_options *o, const struct catalog *cat,
              struct pack_set *out, struct diags *d);

void pack_set_free(struct pack_set *s);

/* The packs directory beside the migrations directory dir ("migrations"
 * -> "packs", "db/migrations" -> "db/packs"); free it. */
char *pack_default_dir(const char *dir);

/* ---- Exposed for the unit tests ---------------------------------------- */

/* A SQL string literal of the len bytes at s: quotes doubled; E'...' with
 * backslashes doubled when s holds one, so that it reads the same whatever
 * standard_conforming_strings says. Free it. */
char *pack_sql_literal(const char *s, size_t len);

/* What a plain YAML scalar means under the YAML 1.2 core schema. */
enum pack_scalar { PACK_NULL, PACK_BOOL, PACK_INT, PACK_FLOAT, PACK_STR };
enum pack_scalar pack_resolve_plain(const char *s, size_t len);

/* A plain int or float scalar (PACK_INT, PACK_FLOAT) as a JSON number:
 * "+1" -> "1", "0x1f" -> "31", ".5" -> "0.5", "1." -> "1.0", "1E+05" ->
 * "1e5". NULL for what JSON cannot hold (.inf, .nan, a hex or octal value
 * over 64 bits). Free it. */
char *pack_json_number(const char *s, size_t len);

#endif

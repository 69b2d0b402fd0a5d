/* builtins.h: what PostgreSQL 15 provides before any migration runs, so a
 * static catalog can tell a built-in function, type or relation from an
 * unknown one. The names come from a real server's catalogs
 * (scripts/gen-builtins writes builtins_data.c).
 *
 * Names are compared exactly, byte for byte, as PostgreSQL stores them: the
 * caller folds unquoted identifiers to lower case and leaves quoted ones as
 * written. Every function returns 1 when the name is known, else 0; a NULL
 * name or extension is never known. */
#ifndef MIGC_GEN_BUILTINS_H
#define MIGC_GEN_BUILTINS_H

#include <stddef.h>

/* A function, procedure or aggregate in pg_catalog (any argument types). */
int builtin_function(const char *name);

/* A type in pg_catalog: base, range, pseudo and the row types of its
 * relations, plus serial, bigserial, smallserial and serial2/4/8, which the
 * parser accepts as column types. Array types are not listed under their
 * internal names (_int4): the caller looks up the element type. */
int builtin_type(const char *name);

/* A table or view in pg_catalog or information_schema. A NULL schema means
 * an unqualified name, which finds pg_catalog's relations whatever the
 * search_path (information_schema is not on it by default). */
int builtin_relation(const char *schema, const char *name);

/* 1 when ext (as in CREATE EXTENSION "ext") is available on PostgreSQL 15
 * and the lists below are known for it. */
int builtin_extension_known(const char *ext);

/* What CREATE EXTENSION ext adds; not the objects of extensions it requires
 * (CASCADE), which are under their own names. 0 for an unknown ext. */
int builtin_extension_function(const char *ext, const char *name);
int builtin_extension_type(const char *ext, const char *name);

/* Extension relations are listed in the schema they land in by default
 * (public for most); a NULL schema matches on the name alone, for an
 * extension created WITH SCHEMA or a name looked up through search_path. */
int builtin_extension_relation(const char *ext, const char *schema,
                               const char *name);

/* Every name of one core list, sorted, for "did you mean" (suggest.c):
 * the functions, the types, or the relations spelled "schema.name". */
enum builtin_set { BUILTIN_FUNCTIONS, BUILTIN_TYPES, BUILTIN_RELATIONS };
const char *const *builtin_names(enum builtin_set set, size_t *n);

#endif

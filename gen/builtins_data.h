/* builtins_data.h: the layout of the tables scripts/gen-builtins writes into
 * builtins_data.c; only builtins.c and that file include it. */
#ifndef MIGC_GEN_BUILTINS_DATA_H
#define MIGC_GEN_BUILTINS_DATA_H

#include <stddef.h>

/* n names sorted byte-wise (strcmp), no duplicates; names is NULL when n is
 * 0. Relations are spelled "schema.name". */
struct builtin_list {
    const char *const *names;
    size_t n;
};

/* What CREATE EXTENSION adds, without the objects of the extensions it
 * requires (those are under their own entry). */
struct builtin_extension {
    const char *name;
    struct builtin_list functions;
    struct builtin_list types;
    struct builtin_list relations;
};

extern const struct builtin_list builtin_core_functions;
extern const struct builtin_list builtin_core_types;
extern const struct builtin_list builtin_core_relations;

/* Sorted by name, byte-wise. */
extern const struct builtin_extension builtin_extensions[];
extern const size_t builtin_extension_count;

#endif

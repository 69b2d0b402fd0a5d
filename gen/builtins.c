/* builtins.c: look names up in the sorted tables of builtins_data.c. */
#include "builtins.h"

#include "builtins_data.h"

#include <stdlib.h>
#include <string.h>

/* The tables are sorted by strcmp, so every search compares as strcmp does:
 * bytes as unsigned char. */
static int cmp_name(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

static int in_list(const struct builtin_list *list, const char *name)
{
    if (name == NULL || list->n == 0)
        return 0;
    const void *hit =
        bsearch(name, list->names, list->n, sizeof *list->names, cmp_name);
    return hit != NULL;
}

struct qualified {
    const char *schema, *name;
};

/* strcmp(schema "." name, entry) without building the joined string. */
static int cmp_qualified(const void *key, const void *elem)
{
    const struct qualified *q = key;
    const char *parts[3] = {q->schema, ".", q->name};
    const unsigned char *e = *(const unsigned char *const *)elem;
    for (int i = 0; i < 3; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p;
             p++, e++) {
            if (*p != *e)
                return *p < *e ? -1 : 1;
        }
    }
    return *e ? -1 : 0;
}

static int in_relations(const struct builtin_list *list, const char *schema,
                        const char *name)
{
    if (schema == NULL || name == NULL || list->n == 0)
        return 0;
    struct qualified q = {schema, name};
    const void *hit =
        bsearch(&q, list->names, list->n, sizeof *list->names, cmp_qualified);
    return hit != NULL;
}

/* Sorted by "schema.name", not by name: a name alone needs a scan. The lists
 * it serves, one extension's relations, hold a handful of entries. */
static int in_relations_any_schema(const struct builtin_list *list,
                                   const char *name)
{
    for (size_t i = 0; i < list->n; i++) {
        const char *dot = strchr(list->names[i], '.');
        if (dot != NULL && strcmp(dot + 1, name) == 0)
            return 1;
    }
    return 0;
}

static int cmp_extension(const void *key, const void *elem)
{
    return strcmp(key, ((const struct builtin_extension *)elem)->name);
}

static const struct builtin_extension *find_extension(const char *ext)
{
    if (ext == NULL)
        return NULL;
    return bsearch(ext, builtin_extensions, builtin_extension_count,
                   sizeof *builtin_extensions, cmp_extension);
}

int builtin_function(const char *name)
{
    return in_list(&builtin_core_functions, name);
}

int builtin_type(const char *name)
{
    return in_list(&builtin_core_types, name);
}

int builtin_relation(const char *schema, const char *name)
{
    /* pg_catalog is searched first even when search_path omits it. */
    return in_relations(&builtin_core_relations,
                        schema != NULL ? schema : "pg_catalog", name);
}

int builtin_extension_known(const char *ext)
{
    return find_extension(ext) != NULL;
}

int builtin_extension_function(const char *ext, const char *name)
{
    const struct builtin_extension *e = find_extension(ext);
    return e != NULL && in_list(&e->functions, name);
}

int builtin_extension_type(const char *ext, const char *name)
{
    const struct builtin_extension *e = find_extension(ext);
    return e != NULL && in_list(&e->types, name);
}

int builtin_extension_relation(const char *ext, const char *schema,
                               const char *name)
{
    const struct builtin_extension *e = find_extension(ext);
    if (e == NULL || name == NULL)
        return 0;
    if (schema == NULL)
        return in_relations_any_schema(&e->relations, name);
    return in_relations(&e->relations, schema, name);
}

const char *const *builtin_names(enum builtin_set set, size_t *n)
{
    const struct builtin_list *l =
        set == BUILTIN_FUNCTIONS ? &builtin_core_functions
        : set == BUILTIN_TYPES   ? &builtin_core_types
                                 : &builtin_core_relations;
    *n = l->n;
    return l->names;
}

/* schema_int.h: a snapshot's items, shared by schema_read.c (which fills
 * them) and schema_diff.c (which compares them). */
#ifndef MIGC_RUNTIME_SCHEMA_INT_H
#define MIGC_RUNTIME_SCHEMA_INT_H

#include <stddef.h>

#include "schema.h"

/* How an item compares and reads when only one side has it. */
enum schema_how {
    HOW_OBJECT = 'o', /* the object itself: "only in X" */
    HOW_MEMBER = 'm', /* a named part (column, constraint): "SUB: only in X" */
    HOW_PROPERTY = 'p', /* a property: "SUB: VALUE vs none" */
    HOW_ORDER = 'l'     /* a list of names whose order counts only among the
                           names both sides have (column order) */
};

/* Separates the elements of a list value; printed as ", ". */
#define SCHEMA_LIST_SEP '\x1f'

/* One comparable fact: the key (rank, name, sub, attr) and its value. An
 * object's own item has sub NULL; a part of it (a column, a property)
 * names sub; a property of a part names attr too. The strings live in the
 * same allocation as the item. */
struct schema_item {
    const char *kind; /* static: "table", "index", ... */
    int rank;         /* the kind's place in dependency order */
    char how;         /* enum schema_how */
    const char *name; /* qualified, quoted as SQL quotes it */
    const char *sub;  /* NULL for the object itself */
    const char *attr; /* NULL unless a property of a part */
    const char *value;
};

struct schema_snapshot {
    struct schema_item **items; /* sorted by key (schema_item_cmp) */
    size_t n;
    size_t cap;
};

/* Order of keys: rank, name, sub, attr (NULL first), bytewise. */
int schema_key_cmp(const struct schema_item *a, const struct schema_item *b);

#endif

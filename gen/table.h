/* table.h: a hash table of string keys, the one the catalog and the rules
 * share: open addressing with linear probing over FNV-1a (fnv1a.h). */
#ifndef MIGC_GEN_TABLE_H
#define MIGC_GEN_TABLE_H

#include <stddef.h>
#include <stdint.h>

/* A slot is empty (key NULL), taken, or dead: a tombstone left where a key
 * was deleted, so that probing runs past it. */
struct table_slot {
    char *key; /* the table's copy; NULL: empty or dead */
    uint64_t hash;
    void *value;
    int dead;
};

/* Zero-initialised it is an empty table of TABLE_MIN_CAP slots at the
 * first add. Iterate over slots[0..cap) and skip the NULL keys: the order
 * depends only on the keys added and deleted, in their order. */
struct table {
    struct table_slot *slots;
    size_t cap;  /* a power of two, or 0 before the first add */
    size_t used; /* taken and dead slots: what probing must run past */
    size_t n;    /* keys held */
};

#define TABLE_MIN_CAP 256

/* Start t with cap slots (a power of two), for a table known to grow. */
void table_init(struct table *t, size_t cap);

/* The value under key; NULL when none (or when NULL was stored). */
void *table_get(const struct table *t, const char *key);
int table_has(const struct table *t, const char *key);

/* Add key (copied) with value; key must not be in t already. */
void table_add(struct table *t, const char *key, void *value);

/* Add key with no value unless it is there: a set of strings. */
void table_add_key(struct table *t, const char *key);

/* Delete key; returns its value, NULL when it was not there. */
void *table_del(struct table *t, const char *key);

/* Free the keys and slots (values are the caller's); t is empty again. */
void table_free(struct table *t);

#endif

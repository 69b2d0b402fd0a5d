/* table.c: string-keyed hash table (table.h). */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "../runtime/fnv1a.h"
#include "xalloc.h"

void table_init(struct table *t, size_t cap)
{
    *t = (struct table){xcalloc(cap, sizeof *t->slots), cap, 0, 0};
}

static struct table_slot *find(const struct table *t, const char *key,
                               uint64_t h)
{
    if (!t->cap)
        return NULL;
    for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        struct table_slot *s = &t->slots[i];
        if (!s->key && !s->dead)
            return NULL;
        if (s->key && s->hash == h && strcmp(s->key, key) == 0)
            return s;
    }
}

void *table_get(const struct table *t, const char *key)
{
    const struct table_slot *s = find(t, key, migc_fnv1a(key));
    return s ? s->value : NULL;
}

int table_has(const struct table *t, const char *key)
{
    return find(t, key, migc_fnv1a(key)) != NULL;
}

static void place(struct table *t, char *key, uint64_t h, void *value);

/* Double the slots, re-adding the keys in slot order (tombstones go). */
static void grow(struct table *t)
{
    struct table_slot *old = t->slots;
    size_t old_cap = t->cap;
    t->cap = old_cap ? old_cap * 2 : TABLE_MIN_CAP;
    t->slots = xcalloc(t->cap, sizeof *t->slots);
    t->used = 0;
    t->n = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            place(t, old[i].key, old[i].hash, old[i].value);
    free(old);
}

static void place(struct table *t, char *key, uint64_t h, void *value)
{
    if ((t->used + 1) * 4 >= t->cap * 3)
        grow(t);
    size_t i = h & (t->cap - 1);
    while (t->slots[i].key)
        i = (i + 1) & (t->cap - 1);
    if (!t->slots[i].dead)
        t->used++; /* an empty slot, not a reused tombstone */
    t->slots[i] = (struct table_slot){key, h, value, 0};
    t->n++;
}

void table_add(struct table *t, const char *key, void *value)
{
    place(t, xstrdup(key), migc_fnv1a(key), value);
}

void table_add_key(struct table *t, const char *key)
{
    if (!table_has(t, key))
        table_add(t, key, NULL);
}

void *table_del(struct table *t, const char *key)
{
    struct table_slot *s = find(t, key, migc_fnv1a(key));
    if (!s)
        return NULL;
    void *value = s->value;
    free(s->key);
    *s = (struct table_slot){.dead = 1};
    t->n--;
    return value;
}

void table_free(struct table *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i].key);
    free(t->slots);
    *t = (struct table){0};
}

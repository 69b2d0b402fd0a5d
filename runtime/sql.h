/* sql.h: SQL text built in a growing buffer, and the one helper that grows
 * the runtime's arrays. Running out of memory is remembered and reported by
 * the caller as MIGC_ERR_NOMEM, never fatal, and text is never cut short. */
#ifndef MIGC_RUNTIME_SQL_H
#define MIGC_RUNTIME_SQL_H

#include <stddef.h>

#include "error.h"

/* Text being built. Zero-initialised (SQL_INIT) it is empty. */
struct sql {
    char *text;   /* NUL-terminated once anything was added */
    size_t len;
    size_t cap;
    int nomem;    /* an append ran out of memory: text is incomplete */
};

#define SQL_INIT {NULL, 0, 0, 0}

/* Append s, its first n bytes, or formatted text. After a failure
 * further appends do nothing. */
void sql_add(struct sql *b, const char *s);
void sql_addn(struct sql *b, const char *s, size_t n);
void sql_addf(struct sql *b, const char *fmt, ...) MIGC_PRINTF(2, 3);

/* The whole text ("" when nothing was added), or NULL when memory ran out
 * while building it. Owned by b. */
const char *sql_text(const struct sql *b);

/* Hand the text over to the caller (free() it), NULL when memory ran out;
 * b is empty again. */
char *sql_take(struct sql *b);

void sql_free(struct sql *b);

/* Room for need items of size bytes in the array items of capacity *cap:
 * items itself when it has room, else a larger copy (capacity doubled until
 * need fits; *cap updated, items freed). NULL when out of memory: items
 * and *cap are then unchanged. */
void *grow_array(void *items, size_t *cap, size_t need, size_t size);

#endif

/* xalloc.h: allocation that exits on out-of-memory (generator only). */
#ifndef MIGC_GEN_XALLOC_H
#define MIGC_GEN_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
char *xvasprintf(const char *fmt, va_list ap);

/* Room in the array p, of *cap elements of size bytes, for element n: when
 * n reaches *cap, the capacity doubles (16 at first) and the array moves.
 * Returns the array, for `a->items = xgrow(a->items, a->n, &a->cap, ...)`. */
void *xgrow(void *p, size_t n, size_t *cap, size_t size);

#endif

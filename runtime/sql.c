/* sql.c: SQL text built in a growing buffer; the runtime's array growth. */
#include "sql.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *grow_array(void *items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap && items)
        return items;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return NULL;
        n *= 2;
    }
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *bigger = realloc(items, n * size);
    if (!bigger)
        return NULL;
    *cap = n;
    return bigger;
}

/* Room for more bytes and the NUL after them. */
static int reserve(struct sql *b, size_t more)
{
    if (b->nomem || more >= SIZE_MAX - b->len)
        return b->nomem = 1, -1;
    char *text = grow_array(b->text, &b->cap, b->len + more + 1, 1);
    if (!text)
        return b->nomem = 1, -1;
    b->text = text;
    return 0;
}

void sql_addn(struct sql *b, const char *s, size_t n)
{
    if (reserve(b, n) != 0)
        return;
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = '\0';
}

void sql_add(struct sql *b, const char *s)
{
    sql_addn(b, s, strlen(s));
}

void sql_addf(struct sql *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->nomem = 1; /* only an encoding error: nothing in the runtime */
        return;
    }
    if (reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->text + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *sql_text(const struct sql *b)
{
    if (b->nomem)
        return NULL;
    return b->text ? b->text : "";
}

char *sql_take(struct sql *b)
{
    char *text = NULL;
    if (!b->nomem)
        text = b->text ? b->text : calloc(1, 1);
    else
        free(b->text);
    *b = (struct sql)SQL_INIT;
    return text;
}

void sql_free(struct sql *b)
{
    free(b->text);
    *b = (struct sql)SQL_INIT;
}

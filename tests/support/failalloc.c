/* failalloc.c: an allocator that fails on demand, for the allocation-failure
 * runs (curl's torture tests, in small): a program linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,
 * --wrap=strndup has the calls of its own objects (not libc's) counted, and
 * the Nth fails when MIGC_FAIL_ALLOC=N. MIGC_FAIL_ALLOC_COUNT=FILE writes
 * the number of calls made to FILE at exit, to know how far to go. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static unsigned long calls, fail_at;
static int armed;

static void report(void)
{
    const char *path = getenv("MIGC_FAIL_ALLOC_COUNT");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "%lu\n", calls);
        fclose(f);
    }
}

/* Whether this call is the one to fail. */
static int fail_now(void)
{
    if (!armed) {
        armed = 1;
        const char *n = getenv("MIGC_FAIL_ALLOC");
        fail_at = n ? strtoul(n, NULL, 10) : 0;
        atexit(report);
    }
    return ++calls == fail_at;
}

void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }

void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s) { return __wrap_strndup(s, strlen(s)); }

char *__wrap_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = __wrap_malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

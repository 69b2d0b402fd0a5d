/* failalloc.c: allocations that fail on demand (failalloc.h). */
#define _POSIX_C_SOURCE 200809L
#include "failalloc.h"

#include <execinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
void __wrap_free(void *p);

static unsigned long calls, fail_at;
static int armed;

/* The live blocks: an open-addressing set of pointers (tombstones for the
 * removed ones). A program that outgrows it stops being tracked. */
#define LIVE_SLOTS (1u << 18)
#define TOMBSTONE ((void *)1)
static void *live[LIVE_SLOTS];
static size_t n_live, n_used;
static int overflow;

static size_t slot_of(const void *p)
{
    return (size_t)(((uintptr_t)p >> 4) * 2654435761u) & (LIVE_SLOTS - 1);
}

static void track(void *p)
{
    if (!p || overflow)
        return;
    if (n_used >= LIVE_SLOTS / 2) {
        overflow = 1;
        return;
    }
    size_t i = slot_of(p);
    while (live[i] && live[i] != TOMBSTONE)
        i = (i + 1) & (LIVE_SLOTS - 1);
    if (!live[i])
        n_used++;
    live[i] = p;
    n_live++;
}

static void untrack(void *p)
{
    if (!p || overflow)
        return;
    for (size_t i = slot_of(p); live[i]; i = (i + 1) & (LIVE_SLOTS - 1))
        if (live[i] == p) {
            live[i] = TOMBSTONE;
            n_live--;
            return;
        }
}

static void report(void)
{
    const char *path = getenv("MIGC_FAIL_ALLOC_COUNT");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "%lu\n", calls);
        fclose(f);
    }
}

static void arm_from_environment(void)
{
    if (armed)
        return;
    armed = 1;
    const char *n = getenv("MIGC_FAIL_ALLOC");
    fail_at = n ? strtoul(n, NULL, 10) : 0;
    atexit(report);
}

/* Whether this call is the one to fail; with MIGC_FAIL_ALLOC_TRACE set,
 * where it is called from goes to stderr (addr2line reads it). */
static int fail_now(void)
{
    arm_from_environment();
    if (++calls != fail_at)
        return 0;
    if (getenv("MIGC_FAIL_ALLOC_TRACE")) {
        void *frames[32];
        int n = backtrace(frames, 32);
        fprintf(stderr, "failalloc: allocation %lu fails, from:\n", calls);
        backtrace_symbols_fd(frames, n, 2);
    }
    return 1;
}

void failalloc_arm(unsigned long nth)
{
    arm_from_environment();
    calls = 0;
    fail_at = nth;
}

unsigned long failalloc_calls(void) { return calls; }

size_t failalloc_live(void) { return overflow ? 0 : n_live; }

void *__wrap_malloc(size_t n)
{
    void *p = fail_now() ? NULL : __real_malloc(n);
    track(p);
    return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
    void *p = fail_now() ? NULL : __real_calloc(n, size);
    track(p);
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    if (fail_now())
        return NULL; /* p stays allocated */
    void *q = __real_realloc(p, n);
    if (q || n == 0) {
        untrack(p);
        track(q);
    }
    return q;
}

void __wrap_free(void *p)
{
    untrack(p);
    __real_free(p);
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

/* failalloc.h: allocations that fail on demand, for the allocation-failure
 * runs (the way curl's torture tests work). A program links failalloc.c
 * with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,
 * --wrap=strndup,--wrap=free: the calls made by its own objects and static
 * libraries (not by libc or shared libraries such as libpq) are counted,
 * the blocks they return are tracked until freed, and one chosen call
 * fails. The environment sets the first choice: MIGC_FAIL_ALLOC=N fails
 * the Nth call (0 or unset: none), and MIGC_FAIL_ALLOC_COUNT=FILE receives
 * the number of calls made at exit, MIGC_FAIL_ALLOC_TRACE=1 prints where
 * the failing call comes from. */
#ifndef MIGC_TESTS_FAILALLOC_H
#define MIGC_TESTS_FAILALLOC_H

#include <stddef.h>

/* Restart the count: the nth call from now fails (0: none). */
void failalloc_arm(unsigned long nth);

/* Calls counted since the last failalloc_arm() (or the start). */
unsigned long failalloc_calls(void);

/* Blocks allocated through the wrappers and not freed yet. */
size_t failalloc_live(void);

#endif

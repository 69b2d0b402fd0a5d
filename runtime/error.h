/* error.h: filling the caller's struct migc_error (first error wins).
 * Internal despite the prefix: hidden, and local in the installed archives;
 * libmigc and libmigc_cli each compile their own copy (error.c). */
#ifndef MIGC_RUNTIME_ERROR_H
#define MIGC_RUNTIME_ERROR_H

#include "migc.h"

#if defined(__GNUC__) || defined(__clang__)
#define MIGC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define MIGC_PRINTF(a, b)
#endif

/* Record code and a formatted one-line message in err unless err is NULL or
 * already holds an error. Returns code, so callers can `return set(...)`. */
enum migc_code migc_error_set(struct migc_error *err, enum migc_code code,
                              const char *fmt, ...) MIGC_PRINTF(3, 4);

/* True when err holds an error. */
int migc_error_isset(const struct migc_error *err);

/* The caller's error as this version's struct: *local gets the defaults of
 * MIGC_ERROR_INIT, then the first caller->size bytes of *caller (it may be
 * an older, smaller struct, or hold an earlier error). MIGC_ERR_ARG when
 * caller has size 0: it cannot be written at all. caller may be NULL. */
enum migc_code migc_error_in(struct migc_error *local,
                             const struct migc_error *caller);

/* Write local back into the caller's error, within its size; NULL or size
 * 0 is a no-op. */
void migc_error_out(struct migc_error *caller, const struct migc_error *local);

#endif

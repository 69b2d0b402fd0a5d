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

#endif

/* fnv1a.h: FNV-1a, 64 bits, the one non-cryptographic hash of migc: the
 * generator's hash tables and the runtime's ledger lock key use it.
 *
 * Header-only (static inline) so that the generator and the runtime, two
 * libraries that do not link each other, share one definition. The lock key
 * is derived from it in every process of every host: its values must never
 * change. */
#ifndef MIGC_FNV1A_H
#define MIGC_FNV1A_H

#include <stddef.h>
#include <stdint.h>

#define MIGC_FNV1A_OFFSET UINT64_C(1469598103934665603)
#define MIGC_FNV1A_PRIME UINT64_C(1099511628211)

/* The hash of len bytes, continuing from h (start with MIGC_FNV1A_OFFSET). */
static inline uint64_t migc_fnv1a_bytes(uint64_t h, const void *data,
                                        size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= MIGC_FNV1A_PRIME;
    }
    return h;
}

/* The hash of a NUL-terminated string. */
static inline uint64_t migc_fnv1a(const char *s)
{
    uint64_t h = MIGC_FNV1A_OFFSET;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= MIGC_FNV1A_PRIME;
    }
    return h;
}

#endif

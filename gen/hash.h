/* hash.h: SHA-256 as lowercase hex (libcrypto). */
#ifndef MIGC_GEN_HASH_H
#define MIGC_GEN_HASH_H

#include <stddef.h>

#define HASH_HEX_LEN 64

/* hex receives 64 hex digits and a NUL. */
void hash_sha256_hex(const void *data, size_t len, char hex[HASH_HEX_LEN + 1]);

#endif

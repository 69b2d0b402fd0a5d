/* hash.h: SHA-256 as lowercase hex (libcrypto), whole or streamed; SHA-384
 * and MD5 whole, for other tools' checksums (foreign.h). */
#ifndef MIGC_GEN_HASH_H
#define MIGC_GEN_HASH_H

#include <stddef.h>

#define HASH_HEX_LEN 64

/* hex receives 64 hex digits and a NUL. */
void hash_sha256_hex(const void *data, size_t len, char hex[HASH_HEX_LEN + 1]);

#define HASH_SHA384_HEX_LEN 96
#define HASH_MD5_HEX_LEN 32

/* SHA-384 (sqlx's checksum) and MD5 (postgrator's) of len bytes. */
void hash_sha384_hex(const void *data, size_t len,
                     char hex[HASH_SHA384_HEX_LEN + 1]);
void hash_md5_hex(const void *data, size_t len, char hex[HASH_MD5_HEX_LEN + 1]);

/* A SHA-256 fed in pieces: hash_init, any number of hash_update, then
 * hash_final_hex, which also releases the context. */
struct hash_ctx {
    void *evp; /* EVP_MD_CTX, owned until hash_final_hex */
};

void hash_init(struct hash_ctx *h);
void hash_update(struct hash_ctx *h, const void *data, size_t len);
void hash_final_hex(struct hash_ctx *h, char hex[HASH_HEX_LEN + 1]);

#endif

/* hash.c: SHA-256 as lowercase hex (libcrypto), whole or streamed; SHA-384
 * and MD5 whole. */
#include "hash.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

static void crypto_failed(void)
{
    fputs("migc: error: a digest failed in libcrypto\n", stderr);
    exit(2);
}

/* hex_len: the digest's length in hex digits, as the caller's buffer
 * holds it (plus a NUL). */
static void to_hex(const unsigned char *md, unsigned md_len, char *hex,
                   unsigned hex_len)
{
    static const char digits[] = "0123456789abcdef";
    if (md_len * 2 != hex_len)
        crypto_failed();
    for (unsigned i = 0; i < md_len; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[hex_len] = '\0';
}

static void digest_hex(const EVP_MD *type, const void *data, size_t len,
                       char *hex, unsigned hex_len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (!type || EVP_Digest(data, len, md, &md_len, type, NULL) != 1)
        crypto_failed();
    to_hex(md, md_len, hex, hex_len);
}

void hash_sha256_hex(const void *data, size_t len, char hex[HASH_HEX_LEN + 1])
{
    digest_hex(EVP_sha256(), data, len, hex, HASH_HEX_LEN);
}

void hash_sha384_hex(const void *data, size_t len,
                     char hex[HASH_SHA384_HEX_LEN + 1])
{
    digest_hex(EVP_sha384(), data, len, hex, HASH_SHA384_HEX_LEN);
}

void hash_md5_hex(const void *data, size_t len, char hex[HASH_MD5_HEX_LEN + 1])
{
    digest_hex(EVP_md5(), data, len, hex, HASH_MD5_HEX_LEN);
}

void hash_init(struct hash_ctx *h)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
        crypto_failed();
    h->evp = ctx;
}

void hash_update(struct hash_ctx *h, const void *data, size_t len)
{
    if (len > 0 && EVP_DigestUpdate(h->evp, data, len) != 1)
        crypto_failed();
}

void hash_final_hex(struct hash_ctx *h, char hex[HASH_HEX_LEN + 1])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (EVP_DigestFinal_ex(h->evp, md, &md_len) != 1)
        crypto_failed();
    EVP_MD_CTX_free(h->evp);
    h->evp = NULL;
    to_hex(md, md_len, hex, HASH_HEX_LEN);
}

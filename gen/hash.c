/* hash.c: SHA-256 as lowercase hex (libcrypto). */
#include "hash.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

void hash_sha256_hex(const void *data, size_t len, char hex[HASH_HEX_LEN + 1])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) != 1 ||
        md_len * 2 != HASH_HEX_LEN) {
        fputs("migc: error: SHA-256 failed in libcrypto\n", stderr);
        exit(2);
    }
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < md_len; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[HASH_HEX_LEN] = '\0';
}

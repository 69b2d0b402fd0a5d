/* foreign.c: a migration's stem, SHA-384, MD5 and Flyway's identity as
 * other tools record them (foreign.h). */
#include "foreign.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* name without suffix, or all of it when it does not end so. */
static char *without(const char *name, const char *suffix)
{
    size_t n = strlen(name), s = strlen(suffix);
    if (n > s && strcmp(name + n - s, suffix) == 0)
        n -= s;
    return xstrndup(name, n);
}

char *foreign_stem(const char *name, enum layout layout)
{
    switch (layout) {
    case LAYOUT_DIESEL:
    case LAYOUT_PRISMA: {
        /* FOLDER/up.sql, FOLDER/migration.sql: the tools record FOLDER */
        const char *slash = strrchr(name, '/');
        return slash ? xstrndup(name, (size_t)(slash - name)) : xstrdup(name);
    }
    case LAYOUT_UP_DOWN:
        return without(name, ".up.sql");
    case LAYOUT_POP:
        /* V_name[.DIALECT][.autocommit].up.sql: pop's name has no dot */
        return xstrndup(name, strcspn(name, "."));
    default:
        /* plain, dbmate, goose, postgres-migrations, and postgrator, whose
         * V.do.desc.sql keeps `.do.desc`: what a tool keying on the file's
         * base name (Kysely, node-pg-migrate) recorded for it */
        return without(name, ".sql");
    }
}

/* SHA-256 of bytes with its line endings made LF (crlf 0) or CR LF. */
static void sha256_endings(const char *bytes, size_t len, int crlf,
                           char hex[HASH_HEX_LEN + 1])
{
    char *out = xmalloc(2 * len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (bytes[i] == '\r' && i + 1 < len && bytes[i + 1] == '\n')
            continue; /* a CR LF's LF comes next: the one ending kept */
        if (bytes[i] == '\n' && crlf)
            out[n++] = '\r';
        out[n++] = bytes[i];
    }
    hash_sha256_hex(out, n, hex);
    free(out);
}

void foreign_compute(struct model_foreign *f, const char *name,
                     enum layout layout, const char *bytes, size_t len)
{
    foreign_free(f);
    f->stem = foreign_stem(name, layout);
    if (bytes) {
        hash_sha384_hex(bytes, len, f->sha384);
        hash_md5_hex(bytes, len, f->md5);
        sha256_endings(bytes, len, 0, f->sha256_lf);
        sha256_endings(bytes, len, 1, f->sha256_crlf);
    }
}

/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as
 * java.util.zip.CRC32 and zlib's crc32 compute it; no zlib dependency for
 * a dozen lines. The table is built per file, on the stack: the stages
 * may run in threads. */
static void crc32_table(uint32_t table[256])
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

static uint32_t crc32_update(const uint32_t table[256], uint32_t crc,
                             const unsigned char *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

int32_t foreign_flyway_checksum(const char *bytes, size_t len)
{
    const unsigned char *p = (const unsigned char *)bytes;
    size_t at = 0;
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        at = 3; /* the BOM Flyway filters from the first line */
    uint32_t table[256], crc = 0;
    crc32_table(table);
    /* Each line's bytes fed in turn, without its terminator: every CR and
     * LF is a terminator or part of one, so the sum is over the rest. */
    while (at < len) {
        size_t n = 0;
        while (at + n < len && p[at + n] != '\r' && p[at + n] != '\n')
            n++;
        crc = crc32_update(table, crc, p + at, n);
        at += n;
        while (at < len && (p[at] == '\r' || p[at] == '\n'))
            at++;
    }
    /* Java's (int) of the unsigned value: two's complement */
    return crc > INT32_MAX ? (int32_t)(crc - 0x80000000u) + INT32_MIN
                           : (int32_t)crc;
}

void foreign_flyway(struct model_foreign *f, const char *version,
                    const char *name, const char *bytes, size_t len)
{
    free(f->fw_version);
    free(f->fw_description);
    free(f->fw_script);
    f->fw_version = xstrdup(version);
    f->fw_script = xstrdup(name);
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *sep = strstr(base, "__");
    char *d = sep ? xstrdup(sep + 2) : xstrdup("");
    size_t n = strlen(d);
    /* Flyway strips its suffix whatever its case */
    if (n >= 4 && d[n - 4] == '.' && (d[n - 3] | 0x20) == 's' &&
        (d[n - 2] | 0x20) == 'q' && (d[n - 1] | 0x20) == 'l')
        d[n - 4] = '\0';
    for (char *p = d; *p; p++)
        if (*p == '_')
            *p = ' ';
    f->fw_description = d;
    f->fw_checksum = bytes ? foreign_flyway_checksum(bytes, len) : 0;
}

void foreign_free(struct model_foreign *f)
{
    free(f->stem);
    free(f->fw_version);
    free(f->fw_description);
    free(f->fw_script);
    *f = (struct model_foreign){0};
}

/* foreign.h: a migration as other tools identify it (data format 6's
 * struct migc_foreign): the name name-keyed tools record, and the
 * digests sqlx and postgrator record, for `adopt`. */
#ifndef MIGC_GEN_FOREIGN_H
#define MIGC_GEN_FOREIGN_H

#include <stddef.h>
#include <stdint.h>

#include "discover.h"
#include "hash.h"

struct model_foreign {
    char *stem; /* NULL until computed */
    char sha384[HASH_SHA384_HEX_LEN + 1]; /* "" when the file was unread */
    char md5[HASH_MD5_HEX_LEN + 1];
    /* SHA-256 of the bytes with every CR LF made LF, and with every lone
     * LF made CR LF: the variants prisma accepts for a checksum it
     * recorded on another machine */
    char sha256_lf[HASH_HEX_LEN + 1], sha256_crlf[HASH_HEX_LEN + 1];
    /* Flyway's identity (data format 7's struct migc_flyway), set by
     * foreign_flyway for a chain in Flyway's layout: fw_version NULL
     * otherwise */
    char *fw_version, *fw_description, *fw_script;
    int32_t fw_checksum;
};

/* The stem of the up script `name` (its path within the directory, as
 * struct migration_file holds it) in `layout`: the folder for diesel and
 * prisma; the file name without `.up.sql` for up-down, without everything
 * from the first dot for pop; otherwise without `.sql` (postgrator keeps
 * its `.do.`: docs/generated-data.md, "Foreign identities"). Free it. */
char *foreign_stem(const char *name, enum layout layout);

/* The stem, and the digests of the up file's len bytes (bytes NULL: left
 * empty). */
void foreign_compute(struct model_foreign *f, const char *name,
                     enum layout layout, const char *bytes, size_t len);

/* Flyway's checksum of len bytes: CRC-32 (IEEE, java.util.zip.CRC32)
 * over the file's lines as Java's readLine splits them (at LF, CR LF or a
 * lone CR), their terminators left out, a UTF-8 BOM removed from the
 * first; as the signed 32-bit integer Flyway stores. Empty: 0. */
int32_t foreign_flyway_checksum(const char *bytes, size_t len);

/* Flyway's identity of the up script `name` (its path within the
 * directory, the `script` Flyway records), whose version Flyway spells
 * `version` ("1.1"): the description is the file name's part after `__`
 * without `.sql`, its `_` as spaces; the checksum as above (bytes NULL:
 * 0). */
void foreign_flyway(struct model_foreign *f, const char *version,
                    const char *name, const char *bytes, size_t len);

/* Freeing a zeroed or freed one is a no-op. */
void foreign_free(struct model_foreign *f);

#endif

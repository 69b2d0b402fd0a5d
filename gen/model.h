/* model.h: the checked migration set, as the emitter receives it. */
#ifndef MIGC_GEN_MODEL_H
#define MIGC_GEN_MODEL_H

#include <stddef.h>

#include "discover.h"
#include "hash.h"
#include "source.h"

struct model_statement {
    size_t off, len;    /* byte range in the migration's source */
    unsigned line, col; /* 1-based position of its first byte */
    char checksum[HASH_HEX_LEN + 1];
    char canonical[HASH_HEX_LEN + 1]; /* of its tokens (parse.h) */
};

struct model_migration {
    const struct migration_file *file;
    struct source src;
    char *source_path; /* path embedded in the output (relative, stable) */
    unsigned flags;    /* enum migc_migration_flags */
    struct model_statement *stmts;
    size_t n_stmts;
    char checksum[HASH_HEX_LEN + 1]; /* of the file's raw bytes; "" when
                                        the file could not be read */
    char canonical[HASH_HEX_LEN + 1]; /* of its tokens (parse.h); "" when
                                         it did not parse */
};

struct model {
    struct migration_list files;
    struct model_migration *migrations; /* ascending by version */
    size_t n;
    char fingerprint[HASH_HEX_LEN + 1]; /* of the whole migration set */
};

struct model_options {
    const char *dir;         /* migrations directory */
    const char *source_root; /* embedded paths are relative to it; NULL: cwd */
};

/* Discover, load and parse every migration of opts->dir. Diagnostics go to
 * d. Returns 0 when no error was reported (warnings allowed), -1 otherwise;
 * m must be freed either way. */
int model_build(const struct model_options *opts, struct model *m,
                struct diags *d);

void model_free(struct model *m);

#endif

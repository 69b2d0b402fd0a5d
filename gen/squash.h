/* squash.h: `migc squash`: replay a range of the chain on a scratch
 * database, write the schema (and the rows) it leaves as one baseline in
 * the chain's layout, and move the originals into the archive. */
#ifndef MIGC_GEN_SQUASH_H
#define MIGC_GEN_SQUASH_H

#include <stdint.h>

#include "discover.h"

/* Exit statuses of `migc squash`. */
enum {
    SQUASH_OK = 0,      /* written (or, with dry_run, shown) */
    SQUASH_REFUSED = 1, /* the chain or the range cannot be squashed */
    SQUASH_USAGE = 2,   /* bad arguments, a range that does not exist, I/O */
    SQUASH_SERVER = 3   /* no server to replay on, or it failed */
};

struct squash_options {
    const char *dir;         /* the migrations directory (required) */
    const char *archive;     /* NULL: DIR/squashed */
    const char *database;    /* NULL: a private cluster */
    const char *lock;        /* NULL: DIR/migc.lock */
    const char *source_root; /* NULL: the current directory */
    const char *packs;       /* NULL: a packs directory beside DIR */
    enum layout layout;      /* LAYOUT_AUTO: detect */
    int64_t from, through;   /* versions; from 0 with !has_from: the first */
    int has_from;
    int grants;  /* keep GRANT and REVOKE (pg_dump without
                    --no-privileges) */
    int dry_run; /* print what would be written and moved; touch nothing */
};

/* Run the command: findings on standard error, what was done (or would
 * be) on standard output. Returns one of the exit statuses above; on any
 * status but SQUASH_OK, DIR is as it was. */
int squash_run(const struct squash_options *o);

#endif

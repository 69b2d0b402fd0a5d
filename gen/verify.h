/* verify.h: `migc verify`: each baseline's archived originals and the
 * baseline itself replayed on two scratch databases, and the schemas they
 * leave compared object by object (runtime/schema.h). `migc lock --squash`
 * runs it first on the baselines it is about to record. */
#ifndef MIGC_GEN_VERIFY_H
#define MIGC_GEN_VERIFY_H

#include <stdint.h>

#include "discover.h"

/* Exit statuses, those of `migc squash` where they mean the same. */
enum {
    VERIFY_EQUAL = 0,   /* every baseline verified equal to its originals */
    VERIFY_DIFFERS = 1, /* a difference, a replay that failed, or a chain
                           with errors */
    VERIFY_USAGE = 2,   /* bad arguments, nothing to verify, I/O */
    VERIFY_SERVER = 3   /* no server to replay on, or it failed */
};

struct verify_options {
    const char *dir;         /* the migrations directory (required) */
    const char *archive;     /* NULL: DIR/squashed */
    const char *database;    /* NULL: a private cluster */
    const char *lock;        /* NULL: DIR/migc.lock */
    const char *source_root; /* NULL: the current directory */
    const char *packs;       /* NULL: a packs directory beside DIR */
    enum layout layout;      /* LAYOUT_AUTO: detect */
    int64_t baseline;        /* with has_baseline: only this one */
    int has_baseline;
    int grants; /* compare privileges too */
    int data;   /* compare the rows of every table no pack fills */
    /* `migc lock --squash`: only the baselines the lock does not record
     * yet; one of them without archived originals is an error, and having
     * none to verify is not */
    int for_lock;
};

/* Run it: the comparison on standard output, findings on standard error.
 * Returns one of the statuses above. Writes nothing into DIR. */
int verify_run(const struct verify_options *o);

#endif

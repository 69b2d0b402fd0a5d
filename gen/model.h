/* model.h: the migration set as discover -> load -> parse build it; the
 * later stages read it and write nothing into it. */
#ifndef MIGC_GEN_MODEL_H
#define MIGC_GEN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "directives.h"
#include "discover.h"
#include "foreign.h"
#include "hash.h"
#include "script.h"
#include "source.h"

struct model_migration {
    const struct migration_file *file;
    struct source src;      /* the up file (and dbmate/goose down section) */
    struct source down_src; /* a down file of its own */
    struct directive_list up_dirs;   /* of src */
    struct directive_list down_dirs; /* of down_src */
    struct model_script up, down;
    unsigned flags;                /* enum migc_migration_flags */
    int64_t squash_from, squash_to; /* -- migc:squashes FROM..TO */
    char *lock_timeout;      /* -- migc:lock-timeout VALUE, or NULL */
    char *statement_timeout; /* -- migc:statement-timeout VALUE, or NULL */
    struct model_foreign foreign; /* of the up file, once loaded */
};

struct model_archive;

struct model {
    struct migration_list files;
    enum layout layout; /* as detected or forced */
    struct model_migration *migrations; /* ascending by version */
    size_t n;
    char *excluded; /* n flags: a file of another layout, not read */
    char *source_dir; /* the directory as embedded paths name it (paths.h) */
    char fingerprint[HASH_HEX_LEN + 1]; /* of the whole migration set */
    /* The originals the baselines replaced, one archive folder a baseline
     * (archive.h), ascending by baseline; none for an archive's own model. */
    struct model_archive *archives;
    size_t n_archives;
};

/* ARCHIVE/<baseline>/: the released migrations baseline `baseline` of the
 * chain replaced, read in the chain's layout; their migrations[] (n of
 * them, ascending by version) are the originals. */
struct model_archive {
    int64_t baseline;
    char *path; /* the folder, as diagnostics name it */
    struct model originals;
};

struct model_options {
    const char *dir;         /* migrations directory */
    const char *source_root; /* embedded paths are relative to it; NULL: cwd */
    enum layout layout;      /* LAYOUT_AUTO: detect */
    const char *skip;        /* an entry of dir that is no migration (the
                                archive root), or NULL */
};

/* Discover the migrations of opts->dir and settle their layout: m->n
 * entries, none loaded yet. Returns 0 when no error was reported; -1
 * otherwise, and m->migrations is NULL when the directory could not be
 * read. m must be freed either way. */
int model_open(const struct model_options *opts, struct model *m,
               struct diags *d);

/* The load stage of migration i: read its up file and its down file of its
 * own (not with no_down) and scan their directive lines; the scripts get
 * their embedded paths. A file of another layout (m->excluded) is read but
 * left out of the parse (up.src stays NULL). An unreadable file is
 * reported [io]. */
void model_load(struct model *m, size_t i, int no_down, struct diags *d);

/* load -> parse of migration i: model_load, then its scripts built and
 * parsed (script_build) and its declarations (flags, squash range,
 * timeouts) taken into the model. */
void model_parse(struct model *m, size_t i, int no_down, struct diags *d);

/* Free what migration i needs only while it is checked and written: its
 * bytes, line index, directives, statements and parse trees. Its paths,
 * hashes, flags, statement counts and allows stay, so that memory does not
 * grow with the migrations' size. */
void model_release(struct model *m, size_t i);

/* One hash over every migration's identity and content, into
 * m->fingerprint: two binaries carry the same schema exactly when their
 * fingerprints are equal. Call once every migration is parsed. */
void model_fingerprint(struct model *m);

/* Freeing a zeroed or freed model is a no-op. */
void model_free(struct model *m);

#endif

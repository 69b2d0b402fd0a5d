/* model.h: the checked migration set, as the emitter receives it. */
#ifndef MIGC_GEN_MODEL_H
#define MIGC_GEN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "directives.h"
#include "discover.h"
#include "hash.h"
#include "source.h"

struct PgQuery__Node;
struct PgQuery__ParseResult;

struct model_statement {
    size_t off, len;    /* byte range in the script's source file */
    unsigned line, col; /* 1-based position of its first byte */
    unsigned flags;     /* enum migc_statement_flags */
    char checksum[HASH_HEX_LEN + 1];
    char canonical[HASH_HEX_LEN + 1]; /* of its tokens (parse.h) */
    const struct PgQuery__Node *node; /* its parse tree (in the script's) */
    char *index;   /* CREATE INDEX CONCURRENTLY of a named index: its quoted
                      name (schema-qualified when the table is); else NULL */
    char *cleanup; /* SQL removing a failed run's leftovers, or NULL */
};

/* A rule a `-- migc:allow RULE reason` directive suppresses. */
struct model_allow {
    char *rule;
    unsigned line, col; /* of the directive */
    /* It silenced a finding of the script stage (script.c); which ones
     * the rules stage silenced is that stage's output (rules.h). */
    int script_used;
    size_t stmt_off; /* offset of the statement it covers; SIZE_MAX: the
                        whole script; SIZE_MAX - 1: none (nothing follows) */
};

/* The up or the down half of a migration: a whole file, or a section of
 * one (dbmate, goose). */
struct model_script {
    int present;
    const struct source *src; /* the file holding it */
    size_t off, end;          /* its section of src (whole file: 0, len) */
    char *source_path;        /* path embedded in the output (relative) */
    unsigned flags;           /* enum migc_script_flags */
    struct model_statement *stmts; /* as embedded (a BEGIN/COMMIT wrapper
                                      of the whole script left out); NULL
                                      once released (n_stmts stays) */
    size_t n_stmts;
    struct PgQuery__ParseResult *tree; /* every statement's; NULL when it did
                                          not parse, or once released (the
                                          canonical hash tells which) */
    struct model_allow *allows;
    size_t n_allows;
    char checksum[HASH_HEX_LEN + 1];  /* of its raw bytes; "" when the file
                                         could not be read */
    char canonical[HASH_HEX_LEN + 1]; /* of its tokens; "" when it did not
                                         parse */
};

/* How a migration's statements compare with its lock file entry, noted
 * while they were at hand (lock_note_statements); lock_check reports it. */
struct model_lock_note {
    int kind;           /* enum lock_diff (lock.h) */
    unsigned line, col; /* where the difference is; 0 0: the whole file */
};

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
    struct model_lock_note lock_note;
};

struct model {
    struct migration_list files;
    enum layout layout; /* as detected or forced */
    struct model_migration *migrations; /* ascending by version */
    size_t n;
    char *excluded; /* n flags: a file of another layout, not read */
    char fingerprint[HASH_HEX_LEN + 1]; /* of the whole migration set */
};

/* Called once for each migration, in apply order, right after it is
 * parsed: its sources, statements and parse trees are at hand until it
 * returns. */
typedef void model_visit_fn(void *ctx, struct model *m, size_t i);

struct model_options {
    const char *dir;         /* migrations directory */
    const char *source_root; /* embedded paths are relative to it; NULL: cwd */
    enum layout layout;      /* LAYOUT_AUTO: detect */
    int no_down;             /* leave down scripts out: not read, checked or
                                embedded */
    model_visit_fn *visit;   /* NULL: none */
    void *ctx;               /* visit's */
    int keep; /* keep every migration's sources, statements and parse trees
                 until model_free; otherwise each migration's are released
                 once visit returns, and only its summary stays (file,
                 flags, hashes, statement counts, allows, timeouts), so
                 that memory does not grow with the migrations' size */
};

/* Discover the migrations of opts->dir and settle their layout. Returns 0
 * when no error was reported; -1 otherwise, and m->migrations is NULL when
 * the directory could not be read. m must be freed either way. */
int model_open(const struct model_options *opts, struct model *m,
               struct diags *d);

/* Then load and parse every migration, one at a time, calling opts->visit
 * on each (opts as given to model_open). Returns 0 when no error was
 * reported (warnings allowed), -1 otherwise. */
int model_parse(const struct model_options *opts, struct model *m,
                struct diags *d);

/* Both. Diagnostics go to d. Returns 0 when no error was reported, -1
 * otherwise; m must be freed either way. */
int model_build(const struct model_options *opts, struct model *m,
                struct diags *d);

void model_free(struct model *m);

#endif

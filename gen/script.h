/* script.h: the parse stage: a migration's up and down scripts, as its
 * layout reads them: sections, directives, statements and their
 * transaction classes. */
#ifndef MIGC_GEN_SCRIPT_H
#define MIGC_GEN_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "directives.h"
#include "discover.h"
#include "hash.h"
#include "source.h"

struct PgQuery__Node;
struct PgQuery__ParseResult;

struct model_statement {
    size_t off, len;    /* byte range in the script's source file */
    unsigned line, col; /* 1-based position of its first byte */
    unsigned flags;     /* enum migc_statement_flags (MIGC_STMT_REPEATABLE
                           aside: the emitter asks retry.h) */
    char checksum[HASH_HEX_LEN + 1];
    char canonical[HASH_HEX_LEN + 1]; /* of its tokens (parse.h) */
    const struct PgQuery__Node *node; /* its parse tree (in the script's) */
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

/* What the directives of a migration declare for the whole migration. */
struct script_decl {
    unsigned flags;                 /* enum migc_migration_flags */
    int64_t squash_from, squash_to; /* -- migc:squashes FROM..TO */
    char *lock_timeout;      /* -- migc:lock-timeout VALUE, or NULL */
    char *statement_timeout; /* -- migc:statement-timeout VALUE, or NULL */
};

/* A migration as the load stage left it. */
struct script_input {
    const struct migration_file *file;
    const struct directive_list *up_dirs;   /* of the up file */
    const struct directive_list *down_dirs; /* of a down file of its own */
    enum layout layout;
    int no_down; /* leave a dbmate or goose down section out */
};

/* Split the loaded up (and down) file into the up and down scripts as the
 * layout reads them, apply their directives (the migration's own into
 * *decl, zeroed by the caller), parse them and classify every statement.
 * up and down arrive with present, src, off, end and source_path as loaded;
 * up->src NULL (not loaded: reported) leaves everything alone. The strings
 * of *decl are allocated: the caller owns them. */
void script_build(const struct script_input *in, struct model_script *up,
                  struct model_script *down, struct script_decl *decl,
                  struct diags *d);

/* The index in s->allows of the first `-- migc:allow` that covers rule for
 * the statement starting at byte offset stmt_off; -1 when none. */
long script_allow_find(const struct model_script *s, enum diag_rule rule,
                       size_t stmt_off);

/* Free the statements and the parse tree; n_stmts, the hashes, flags and
 * allows stay. */
void script_release(struct model_script *s);

void script_free(struct model_script *s);

#endif

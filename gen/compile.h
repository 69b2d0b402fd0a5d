/* compile.h: the generator as a library: discover -> load -> parse ->
 * semantics -> rules -> lock -> packs -> emit, run over one context. */
#ifndef MIGC_GEN_COMPILE_H
#define MIGC_GEN_COMPILE_H

#include <stddef.h>

#include "catalog.h"
#include "diag.h"
#include "discover.h"
#include "lock.h"
#include "model.h"
#include "pack.h"

/* A caller's look at migration i once every stage has seen it, while its
 * text, statements and parse trees are at hand. */
typedef void compile_visit_fn(void *ctx, const struct model *m, size_t i);

/* What to read, check and write. Zeroed fields take the defaults. The
 * strings are not copied: they must outlive the context. */
struct compile_options {
    const char *dir;         /* migrations directory (required) */
    const char *source_root; /* embedded paths are relative to it; NULL:
                                the current directory */
    enum layout layout;      /* LAYOUT_AUTO: detect */
    int no_down;             /* leave down scripts out: not read, checked
                                or embedded */
    const char *const *severity; /* n_severity "RULE=LEVEL" settings, in
                                    order, as diag_set_level() reads them;
                                    one it cannot read is skipped (check
                                    them with diag_set_level() first) */
    size_t n_severity;
    const char *ledger_table; /* the runtime's ledger; NULL: migc_migrations */
    const char *lock;         /* lock file; NULL: DIR/migc.lock */
    const char *archive;      /* the baselines' archived originals
                                 (archive.h); NULL: DIR/squashed */
    int squash;               /* a baseline that squashes locked migrations
                                 replaces them (lock --squash) */
    int packs;                /* check the packs' rows (compile, check) */
    const char *packs_dir;    /* NULL: a packs directory beside dir, when
                                 there is one */
    const char *out_c;        /* write the C data here (compile); NULL:
                                 nothing is written */
    const char *out_h;        /* its header; NULL: out_c with .h */
    const char *symbol;       /* C identifier of the exported schema */
    int werror;               /* a warning keeps out_c from being written */
    int write_lock;           /* append the migrations not yet locked to the
                                 lock file (lock); implies keep */
    int excerpts; /* findings keep their source line for an excerpt
                     (DIAG_PRINT_EXCERPT); 0: they do not, which spares
                     rendering a line per finding that is never printed */
    int keep; /* keep every migration's text, statements and parse trees
                 until compile_free; otherwise each migration's are released
                 once its stages ran, so that memory holds one migration's
                 at a time (the model keeps its summary: model.h) */
    compile_visit_fn *visit; /* NULL: none */
    void *ctx;               /* visit's */
};

/* One run of the pipeline: its options, findings and every stage's output. */
struct compile;

/* A context for one run with the options in o (copied; the strings are
 * not). Exits on out of memory. Free it with compile_free(). */
struct compile *compile_open(const struct compile_options *o);

/* Run every stage in order, once. Each migration is loaded, parsed,
 * checked by the rules, compared with the lock and written to out_c before
 * the next is read. Then the checks of the whole set (lock, unused allows),
 * the packs (when no error was found), and the output: out_c renamed into
 * place, or the lock file written, only when no error was found. Every
 * finding is kept in the context. Returns 0 when no error was reported
 * (warnings allowed), -1 otherwise. */
int compile_run(struct compile *c);

/* The findings, sorted (diag_sort) but for those of the output stage,
 * which come last. Owned by c. */
const struct diags *compile_diags(const struct compile *c);

/* The migration set (model.h); with keep, every migration's text and
 * statements too. Owned by c. */
const struct model *compile_model(const struct compile *c);

/* The schema the up migrations build, or NULL when not every migration
 * could be read. Owned by c. */
const struct catalog *compile_catalog(const struct compile *c);

/* The packs' rows (empty unless o->packs). Owned by c. */
const struct pack_set *compile_packs(const struct compile *c);

/* The lock file as read (path, entries); an empty one when it could not be
 * read. Owned by c. */
const struct lock_file *compile_lock(const struct compile *c);

/* With write_lock: 0 when the lock file was written (or held every
 * migration already), with the number of lines appended and of squashed
 * lines left out; -1 when it was not written. */
int compile_lock_written(const struct compile *c, size_t *added,
                         size_t *squashed);

/* Freeing NULL is a no-op. */
void compile_free(struct compile *c);

#endif

/* compile.c: the generator's pipeline over one context (compile.h): each
 * stage receives the previous one's output and returns its own. */
#define _XOPEN_SOURCE 700 /* sigaltstack */
#include "compile.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "baseline_check.h"
#include "rules.h"
#include "emit.h"
#include "migc.h"
#include "script.h"
#include "xalloc.h"

struct compile {
    struct compile_options o;
    char *out_h;              /* o.out_h, or its default */
    char *archive;            /* o.archive, or its default */
    struct diags d;
    struct model m;           /* discover -> load -> parse */
    unsigned io_before;       /* d.io_failed before the migrations were read */
    struct rules_options ao;  /* the rules' (they keep a pointer to it) */
    struct rules *az;         /* semantics and rules, while the model is
                                 built; then which allows they used */
    struct catalog *cat;      /* the schema the migrations build */
    struct baseline_checks *baselines; /* [baseline-differs], while the
                                          model is built */
    struct {                  /* the lock stage */
        struct lock_file file;
        int ok;                   /* file could be read and trusted */
        struct lock_note *notes;  /* one per migration, while at hand */
        int written;              /* write_lock: the file was written */
        size_t added, squashed;   /* its lines appended and left out */
    } lock;
    struct pack_set packs;    /* the packs' rows */
    struct emitter *emitter;  /* out_c, while the model is built */
};

static char *default_header(const char *out_c)
{
    size_t n = strlen(out_c);
    if (n > 2 && strcmp(out_c + n - 2, ".c") == 0)
        return xasprintf("%.*s.h", (int)(n - 2), out_c);
    return xasprintf("%s.h", out_c);
}

struct compile *compile_open(const struct compile_options *o)
{
    struct compile *c = xcalloc(1, sizeof *c);
    c->o = *o;
    if (o->write_lock)
        c->o.keep = 1; /* lock_write needs every statement's hash */
    if (o->out_c)
        c->out_h = o->out_h ? xstrdup(o->out_h) : default_header(o->out_c);
    for (size_t i = 0; i < o->n_severity; i++) {
        const char *why;
        diag_set_level(&c->d, o->severity[i], &why);
    }
    c->ao.ledger_table = o->ledger_table;
    c->archive = archive_path(o->dir, o->archive);
    return c;
}

/* load -> parse of migration i: the model's entry, from the two stages'
 * outputs. */
static void load_and_parse(struct compile *c, size_t i)
{
    struct model_migration *mm = &c->m.migrations[i];
    if (c->o.excerpts) /* findings keep their lines */
        diag_sources(&c->d, &mm->src, &mm->down_src);
    model_parse(&c->m, i, c->o.no_down, &c->d);
}

/* Each migration as soon as it is parsed: semantics and rules, the lock's
 * note, the output. Then it is released, so that memory holds one
 * migration's text, statements and parse tree at a time, beside the
 * catalog. */
static void run_migration(struct compile *c, size_t i)
{
    load_and_parse(c, i);
    /* After an unreadable file the rest is not checked (as if it were not
     * there, which would mislead); what was found before stays. */
    if (c->d.io_failed == c->io_before) {
        rules_migration(c->az, &c->m, i);
        baseline_checks_migration(c->baselines, &c->m, i);
        if (c->lock.ok)
            lock_note_statements(&c->lock.file, &c->m, i, &c->lock.notes[i]);
        if (c->emitter)
            emit_migration_scripts(c->emitter, &c->m, i);
    }
    if (c->o.visit)
        c->o.visit(c->o.ctx, &c->m, i);
    diag_sources(&c->d, NULL, NULL);
    if (!c->o.keep)
        model_release(&c->m, i);
}

/* The lock file, read before the migrations so that each can be compared
 * while its statements are at hand. Without a readable directory every
 * locked file would look removed: then it is not read at all. */
static void lock_begin(struct compile *c, int read_all)
{
    char *path = c->o.lock ? xstrdup(c->o.lock) : lock_default_path(c->o.dir);
    c->lock.ok = read_all && lock_read(path, &c->lock.file, &c->d) == 0;
    if (c->lock.ok)
        c->lock.notes = xcalloc(c->m.n, sizeof *c->lock.notes);
    free(path);
}

/* Packs are rows of the tables the migrations create: checked once the
 * migrations hold no error. */
static void packs_stage(struct compile *c)
{
    if (!c->o.packs || !c->cat || c->d.errors != 0)
        return;
    char *dir = c->o.packs_dir ? xstrdup(c->o.packs_dir)
                               : pack_default_dir(c->o.dir);
    struct pack_options po = {.dir = dir,
                              .source_root = c->o.source_root,
                              .optional = c->o.packs_dir == NULL};
    pack_load(&po, c->cat, &c->packs, &c->d);
    free(dir);
}

/* The outputs, when nothing failed: OUT.c into place (else nothing at
 * all), the lock file. */
static void output_stage(struct compile *c)
{
    if (c->emitter) {
        int commit = c->d.errors == 0 && (!c->o.werror || c->d.warnings == 0);
        struct lock_squashed *sq = NULL;
        size_t n_sq = commit && c->lock.ok
                          ? lock_squashed(&c->lock.file, &c->m, &sq)
                          : 0;
        emit_end(c->emitter, &c->m, &c->packs, sq, n_sq,
                 c->lock.ok ? &c->lock.file : NULL, c->out_h, commit, &c->d);
        free(sq);
        c->emitter = NULL;
    }
    if (c->o.write_lock && c->d.errors == 0)
        c->lock.written = lock_write(&c->lock.file, &c->m, c->o.squash,
                                     &c->lock.added, &c->lock.squashed,
                                     &c->d) == 0;
}

/* discover_gap_fn: from..to lies in the range of a baseline of m. */
static int squashed_gap(void *ctx, int64_t from, int64_t to)
{
    const struct model *m = ctx;
    for (size_t i = 0; i < m->n; i++) {
        const struct model_migration *mm = &m->migrations[i];
        if ((mm->flags & MIGC_MIGRATION_SQUASHES) && mm->squash_from <= from &&
            to <= mm->squash_to)
            return 1;
    }
    return 0;
}

/* The stages, in order; compile_run() runs them on a stack of their own. */
static int run_stages(struct compile *c)
{
    if (c->o.out_c) {
        c->emitter = emit_begin(c->o.out_c, c->o.symbol, &c->d);
        if (!c->emitter)
            return -1; /* nowhere to write: nothing else is done */
    }
    char *skip = archive_skip_name(c->o.dir, c->archive);
    struct model_options mo = {.dir = c->o.dir,
                               .source_root = c->o.source_root,
                               .layout = c->o.layout,
                               .skip = skip};
    model_open(&mo, &c->m, &c->d);
    free(skip);
    int read_all = c->m.migrations != NULL;
    lock_begin(c, read_all);
    c->az = rules_begin(&c->ao, &c->d);
    c->io_before = c->d.io_failed;
    if (read_all) {
        c->baselines = baseline_checks_begin(&c->m, c->archive);
        for (size_t i = 0; i < c->m.n; i++)
            run_migration(c, i);
        model_fingerprint(&c->m);
        archive_read(&c->m, c->archive, c->o.source_root, c->o.no_down,
                     &c->d);
        if (c->d.io_failed == c->io_before)
            baseline_checks_end(c->baselines, &c->m, &c->d);
    }
    baseline_checks_free(c->baselines);
    c->baselines = NULL;
    if (c->m.migrations) /* once the baselines' ranges are read */
        discover_report_gaps(&c->m.files, squashed_gap, &c->m, &c->d);
    read_all = read_all && c->d.io_failed == c->io_before;
    c->cat = rules_end(c->az, &c->m);
    if (!read_all) { /* the catalog misses what was not read */
        catalog_free(c->cat);
        c->cat = NULL;
    }
    if (read_all && c->lock.ok)
    {
        lock_check(&c->lock.file, &c->m, c->lock.notes, c->o.dir,
                   c->o.squash, &c->d);
        archive_check(&c->m, &c->lock.file, &c->d);
    }
    if (read_all)
        rules_unused_allows(c->az, &c->m, &c->d);
    rules_free(c->az);
    c->az = NULL;
    packs_stage(c);
    diag_sort(&c->d);
    output_stage(c);
    return c->d.errors ? -1 : 0;
}

/* PostgreSQL's grammar nests as deep as the SQL does, and so do
 * libpg_query's protobuf packing and the tree walks of the semantics: a
 * statement PostgreSQL runs (1,500 nested subqueries, 5,000 terms of 1+1+…)
 * needs more than a thread's default 8 MiB. The pages are only reserved;
 * what the SQL does not use is never touched. Beyond what PostgreSQL's own
 * parser accepts (its stack depth check), the statement is a [syntax]
 * error, as on a server. */
#define COMPILE_STACK ((size_t)1 << 30)

struct stage_run {
    struct compile *c;
    int rc;
};

/* Room for the crash handler that removes the temporary output
 * (atomic.h) when the stages' own stack is what ran out. */
#define ALT_STACK ((size_t)64 << 10)

static void *stages_thread(void *arg)
{
    struct stage_run *r = arg;
    stack_t alt = {.ss_sp = malloc(ALT_STACK), .ss_size = ALT_STACK};
    int have_alt = alt.ss_sp && sigaltstack(&alt, NULL) == 0;
    r->rc = run_stages(r->c);
    if (have_alt) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
    }
    free(alt.ss_sp);
    return NULL;
}

int compile_run(struct compile *c)
{
    struct stage_run r = {c, -1};
    pthread_attr_t attr;
    pthread_t thread;
    int started = pthread_attr_init(&attr) == 0 &&
                  pthread_attr_setstacksize(&attr, COMPILE_STACK) == 0 &&
                  pthread_create(&thread, &attr, stages_thread, &r) == 0;
    if (started)
        pthread_join(thread, NULL);
    else /* no thread to be had: the caller's stack it is */
        r.rc = run_stages(c);
    pthread_attr_destroy(&attr);
    return r.rc;
}

const struct diags *compile_diags(const struct compile *c) { return &c->d; }

const struct model *compile_model(const struct compile *c) { return &c->m; }

const struct catalog *compile_catalog(const struct compile *c)
{
    return c->cat;
}

const struct pack_set *compile_packs(const struct compile *c)
{
    return &c->packs;
}

const struct lock_file *compile_lock(const struct compile *c)
{
    return &c->lock.file;
}

int compile_lock_written(const struct compile *c, size_t *added,
                         size_t *squashed)
{
    *added = c->lock.added;
    *squashed = c->lock.squashed;
    return c->lock.written ? 0 : -1;
}

void compile_free(struct compile *c)
{
    if (!c)
        return;
    catalog_free(c->cat);
    pack_set_free(&c->packs);
    lock_free(&c->lock.file);
    free(c->lock.notes);
    model_free(&c->m);
    diags_free(&c->d);
    free(c->out_h);
    free(c->archive);
    free(c);
}

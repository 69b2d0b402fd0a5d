/* squash_int.h: the state of one `migc squash` run, shared by squash.c
 * (checks, replay), squash_job.c (statements, rows) and squash_write.c
 * (the baseline's files and the archive). */
#ifndef MIGC_GEN_SQUASH_INT_H
#define MIGC_GEN_SQUASH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "model.h"
#include "pack.h"
#include "squash.h"
#include "squash_dump.h"

struct pg_conn;
struct scratch;

/* A statement of the range that writes rows. */
struct squash_write {
    size_t mig, stmt; /* indices into the model and the up script */
    char *table;      /* "schema.table" */
    const char *volatile_fn; /* a function it calls whose value differs
                                from run to run, or NULL */
};

struct squash_job {
    size_t first, last;    /* the range, as indices of the model */
    int64_t from, through; /* and as versions */
    const struct pack_set *packs;
    struct { size_t mig, stmt; } *skips; /* allowed: left out of the replay */
    size_t n_skips, cap_skips;
    struct squash_write *writes;
    size_t n_writes, cap_writes;
    struct dump pre, post, data; /* after the range (pg_dump sections) */
    char *keep_pre, *keep_post;  /* the entries the baseline keeps */
    size_t n_carried;            /* tables whose rows it carries */
    char *packs_left; /* "public.a, public.b": tables with rows that the
                         packs fill, left to them; NULL: none */
    /* the plan (squash_plan) */
    char *archive;    /* ARCHIVE as given or DIR/squashed */
    char *archive_v;  /* ARCHIVE/<FROM> */
    char *base_name;  /* the baseline's up file within DIR */
    char *base_top;   /* what is renamed into DIR: its file or folder */
    char **moves;     /* names within DIR moved into archive_v */
    size_t n_moves;
    char *text;       /* the baseline's bytes */
};

void squash_job_skip(struct squash_job *j, size_t mig, size_t stmt);
void squash_job_writes(struct squash_job *j, size_t mig, size_t stmt,
                       const char *table, const char *volatile_fn);

/* Migrations [a, b] of m into list[0 .. b-a]: m's own, or a copy without
 * the skipped statements. Returns the copies' array for
 * squash_job_list_free (n = b - a + 1). */
struct model_migration *squash_job_list(const struct squash_job *j,
                                        const struct model *m, size_t a,
                                        size_t b,
                                        const struct model_migration **list);
void squash_job_list_free(struct model_migration *copies, size_t n);

/* The rows of the tables the range made (not in before, a list of
 * "schema.table" lines; not a pack's; not an extension's) as pg_dump's
 * INSERTs into j->data, with the sequences' positions. A table with rows
 * that a statement of m wrote with a volatile function is refused, naming
 * the statement. Returns SQUASH_OK, SQUASH_REFUSED or SQUASH_SERVER. */
int squash_read_rows(struct scratch *s, struct pg_conn *conn, const char *db,
                     const char *before, const struct model *m,
                     struct squash_job *j, struct diags *d);

/* Names and places: the baseline's file in the chain's layout, the
 * originals' files, the archive folder; refused when the layout cannot
 * hold a baseline or a name is taken. Returns SQUASH_OK or another
 * status after reporting. */
int squash_plan(const struct squash_options *o, const struct model *m,
                struct squash_job *j, struct diags *d);

/* Compose the baseline; with dry_run print it and the moves; else write it
 * and move the originals, or leave DIR as it was. */
int squash_write(const struct squash_options *o, const struct model *m,
                 struct squash_job *j, struct diags *d);

/* What was done and what to run next, on standard output. */
void squash_summary(const struct squash_options *o, const struct model *m,
                    const struct squash_job *j);

void squash_job_free(struct squash_job *j);

#endif

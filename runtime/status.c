/* status.c: migc_status(): every migration, embedded or recorded, with its
 * state. Read-only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "error.h"
#include "plan.h"
#include "record.h"
#include "session.h"

const char *migc_state_name(enum migc_state state)
{
    switch (state) {
    case MIGC_STATE_PENDING: return "pending";
    case MIGC_STATE_APPLIED: return "applied";
    case MIGC_STATE_MODIFIED: return "modified";
    case MIGC_STATE_FAILED: return "failed";
    case MIGC_STATE_MISSING: return "missing";
    case MIGC_STATE_SQUASHED: return "squashed";
    case MIGC_STATE_RUNNING: return "running";
    case MIGC_STATE_AHEAD: return "ahead";
    case MIGC_STATE_REFORMATTED: return "reformatted";
    case MIGC_STATE_REVERTING: return "reverting";
    case MIGC_STATE_PARTIAL: return "partial";
    case MIGC_STATE_PART_WAY: return "part-way";
    }
    return "unknown";
}

const char *migc_pack_state_name(enum migc_pack_state state)
{
    switch (state) {
    case MIGC_PACK_SYNCED: return "synced";
    case MIGC_PACK_CHANGED: return "changed";
    case MIGC_PACK_NEW: return "new";
    }
    return "unknown";
}

static void from_row(struct migc_status_entry *e, const struct ledger_row *r,
                     const struct migc_migration *m, int squashed,
                     int64_t newest)
{
    e->migration = m;
    e->failed_statement = -1;
    if (!m)
        e->state = squashed              ? MIGC_STATE_SQUASHED
                   : r->version > newest ? MIGC_STATE_AHEAD
                                         : MIGC_STATE_MISSING;
    else if (r->state == ROW_FAILED)
        e->state = MIGC_STATE_FAILED;
    else if (r->state == ROW_REVERTING)
        e->state = MIGC_STATE_REVERTING;
    else if (r->state == ROW_RUNNING && r->resolved)
        e->state = MIGC_STATE_PENDING; /* resolve cleared it: up resumes */
    else if (r->state == ROW_RUNNING)
        e->state = MIGC_STATE_RUNNING;
    else if (strcmp(r->checksum, m->up.checksum) == 0)
        e->state = MIGC_STATE_APPLIED;
    else if (r->canonical[0] && m->up.canonical &&
             strcmp(r->canonical, m->up.canonical) == 0)
        e->state = MIGC_STATE_REFORMATTED;
    else
        e->state = MIGC_STATE_MODIFIED;
    snprintf(e->name, sizeof e->name, "%s", m ? m->name : r->name);
    snprintf(e->applied_at, sizeof e->applied_at, "%s", r->applied_at);
    snprintf(e->adopted_from, sizeof e->adopted_from, "%s", r->adopted_from);
    e->duration_us = r->duration_us;
    if (r->state == ROW_REVERTING) {
        e->completed = r->down_completed; /* of the down script */
        snprintf(e->error, sizeof e->error, "%s", r->error);
    } else if (r->state != ROW_APPLIED) {
        e->completed = r->completed;
        e->failed_statement = r->failed_statement;
        snprintf(e->error, sizeof e->error, "%s", r->error);
    }
}

/* An embedded migration the ledger has no row of: a baseline as the
 * database crosses it, or pending. */
static void from_schema(struct migc_status_entry *e,
                        const struct migc_schema *schema,
                        const struct migc_migration *m,
                        const struct ledger_rows *rows, size_t *n_pending)
{
    /* a baseline whose squashed migrations all ran counts as applied; one
     * they ran only part of blocks up, unless its originals finish it */
    enum baseline_cover cover = baseline_cover(schema, m, rows);
    e->version = m->version;
    e->state = cover == BASELINE_WHOLE     ? MIGC_STATE_APPLIED
               : cover == BASELINE_PARTIAL ? MIGC_STATE_PARTIAL
               : cover == BASELINE_CROSS   ? MIGC_STATE_PART_WAY
                                           : MIGC_STATE_PENDING;
    e->migration = m;
    e->failed_statement = -1;
    snprintf(e->name, sizeof e->name, "%s", m->name);
    baseline_describe(schema, m, rows, e->error, sizeof e->error);
    *n_pending += cover == BASELINE_NONE;
}

/* Merge the ascending lists (embedded migrations, the originals crossing
 * baselines lack: emb; ledger) into entries. */
static size_t merge(const struct migc_schema *schema,
                    const struct migc_migration *const *emb, size_t n_emb,
                    const struct ledger_rows *rows,
                    struct migc_status_entry *entries, size_t *n_pending)
{
    size_t i = 0, j = 0, n = 0;
    int64_t newest = schema->n_migrations
                         ? schema->migrations[schema->n_migrations - 1].version
                         : INT64_MIN;
    while (i < n_emb || j < rows->n) {
        const struct migc_migration *m = i < n_emb ? emb[i] : NULL;
        const struct ledger_row *r = j < rows->n ? &rows->rows[j] : NULL;
        struct migc_status_entry *e = &entries[n++];
        if (m && r && m->version == r->version &&
            baseline_original_row(schema, r)) {
            /* the original the baseline of its version replaced: listed
             * as squashed, the baseline after it as of its cover */
            e->version = r->version;
            from_row(e, r, NULL, 1, newest);
            j++;
        } else if (m && (!r || m->version < r->version)) {
            from_schema(e, schema, m, rows, n_pending);
            i++;
        } else if (m && m->version == r->version) {
            e->version = m->version;
            from_row(e, r, m, 0, newest);
            *n_pending += e->state == MIGC_STATE_RUNNING ||
                          e->state == MIGC_STATE_PENDING ||
                          (e->state == MIGC_STATE_FAILED &&
                           plan_retryable(m, r->failed_statement,
                                           r->sqlstate));
            i++;
            j++;
        } else {
            e->version = r->version;
            from_row(e, r, NULL, plan_squasher(schema, r->version) != NULL,
                     newest);
            j++;
        }
    }
    return n;
}

/* The embedded migrations and the originals crossing baselines lack, one
 * ascending list (*out malloc'd). */
static enum migc_code embedded(const struct migc_schema *schema,
                               const struct ledger_rows *rows,
                               const struct migc_migration ***out, size_t *n,
                               struct migc_error *err)
{
    const struct migc_migration **cross;
    size_t n_cross, k = 0;
    enum migc_code rc = baseline_crossings(schema, rows, &cross, &n_cross,
                                           err);
    if (rc != MIGC_OK)
        return rc;
    const struct migc_migration **list =
        malloc((schema->n_migrations + n_cross + 1) * sizeof *list);
    if (!list) {
        free(cross);
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    }
    *n = 0;
    for (size_t i = 0; i < schema->n_migrations; i++) {
        while (k < n_cross && cross[k]->version < schema->migrations[i].version)
            list[(*n)++] = cross[k++];
        list[(*n)++] = &schema->migrations[i];
    }
    while (k < n_cross)
        list[(*n)++] = cross[k++];
    free(cross);
    *out = list;
    return MIGC_OK;
}

static enum migc_code pack_states(const struct migc_schema *schema,
                                  const struct ledger_rows *rows,
                                  struct migc_status *st,
                                  struct migc_error *err)
{
    if (schema->n_packs == 0)
        return MIGC_OK;
    st->packs = calloc(schema->n_packs, sizeof *st->packs);
    if (!st->packs)
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    st->n_packs = schema->n_packs;
    for (size_t i = 0; i < schema->n_packs; i++) {
        struct migc_pack_status *p = &st->packs[i];
        const struct pack_row *r = record_find_pack(rows,
                                                    schema->packs[i].name);
        p->pack = &schema->packs[i];
        p->state = !r ? MIGC_PACK_NEW
                   : strcmp(r->checksum, schema->packs[i].checksum) == 0
                       ? MIGC_PACK_SYNCED
                       : MIGC_PACK_CHANGED;
        if (r)
            snprintf(p->synced_at, sizeof p->synced_at, "%s", r->synced_at);
        st->n_pending += p->state != MIGC_PACK_SYNCED;
    }
    return MIGC_OK;
}

static enum migc_code read_status(struct pg_conn *conn,
                                  const struct migc_schema *schema,
                                  const struct migc_options *options,
                                  struct migc_status **out,
                                  struct migc_error *error)
{
    enum migc_code rc = plan_validate(schema, error);
    if (rc != MIGC_OK)
        return rc;
    if (!conn || !out)
        return migc_error_set(error, MIGC_ERR_ARG, "no connection or output");
    struct session s;
    if ((rc = session_begin(&s, conn, options, error)) != MIGC_OK)
        return rc;
    struct ledger_rows rows;
    rc = record_read(&s, LEDGER_READ_FULL, &rows, error);
    struct migc_status *st = NULL;
    const struct migc_migration **emb = NULL;
    size_t n_emb = 0;
    if (rc == MIGC_OK)
        rc = embedded(schema, &rows, &emb, &n_emb, error);
    if (rc == MIGC_OK) {
        size_t cap = n_emb + rows.n;
        st = calloc(1, sizeof *st);
        if (st) {
            st->size = sizeof *st;
            st->entry_size = sizeof *st->entries;
            st->pack_size = sizeof *st->packs;
            st->entries = calloc(cap ? cap : 1, sizeof *st->entries);
        }
        if (!st || !st->entries) {
            migc_status_free(st);
            st = NULL;
            rc = migc_error_set(error, MIGC_ERR_NOMEM, "out of memory");
        } else {
            st->n_entries = merge(schema, emb, n_emb, &rows, st->entries,
                                  &st->n_pending);
            rc = pack_states(schema, &rows, st, error);
            st->round_trips = s.db.round_trips;
        }
    }
    free(emb);
    record_rows_free(&rows);
    session_end(&s);
    *out = st;
    return rc;
}

enum migc_code migc_status(struct pg_conn *conn,
                           const struct migc_schema *schema,
                           const struct migc_options *options,
                           struct migc_status **out, struct migc_error *error)
{
    if (out)
        *out = NULL;
    struct session_args a;
    enum migc_code rc = session_args_in(&a, options, NULL, error);
    if (rc == MIGC_OK)
        rc = read_status(conn, schema, &a.options, out, a.err);
    session_args_out(&a, NULL, error);
    return rc;
}

const struct migc_status_entry *
migc_status_entry_at(const struct migc_status *status, size_t i)
{
    if (!status || i >= status->n_entries)
        return NULL;
    return (
        const struct migc_status_entry *)(const void *)((const char *)
                                                            status->entries +
                                                        i * status->entry_size);
}

const struct migc_pack_status *
migc_status_pack_at(const struct migc_status *status, size_t i)
{
    if (!status || i >= status->n_packs)
        return NULL;
    return (
        const struct migc_pack_status *)(const void *)((const char *)
                                                           status->packs +
                                                       i * status->pack_size);
}

void migc_status_free(struct migc_status *status)
{
    if (!status)
        return;
    free(status->entries);
    free(status->packs);
    free(status);
}

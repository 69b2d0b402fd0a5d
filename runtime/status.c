/* status.c: migc_status(): every migration, embedded or recorded, with its
 * state. Read-only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ledger.h"
#include "schema.h"

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
                     const struct migc_migration *m, int squashed)
{
    e->migration = m;
    if (!m)
        e->state = squashed ? MIGC_STATE_SQUASHED : MIGC_STATE_MISSING;
    else if (!r->success)
        e->state = MIGC_STATE_FAILED;
    else if (strcmp(r->checksum, m->up.checksum) != 0)
        e->state = MIGC_STATE_MODIFIED;
    else
        e->state = MIGC_STATE_APPLIED;
    snprintf(e->name, sizeof e->name, "%s", m ? m->name : r->name);
    snprintf(e->applied_at, sizeof e->applied_at, "%s", r->applied_at);
    e->duration_us = r->duration_us;
}

/* Merge the two ascending lists (embedded, ledger) into entries. */
static size_t merge(const struct migc_schema *schema,
                    const struct ledger_rows *rows,
                    struct migc_status_entry *entries, size_t *n_pending)
{
    size_t i = 0, j = 0, n = 0;
    while (i < schema->n_migrations || j < rows->n) {
        const struct migc_migration *m =
            i < schema->n_migrations ? &schema->migrations[i] : NULL;
        const struct ledger_row *r = j < rows->n ? &rows->rows[j] : NULL;
        struct migc_status_entry *e = &entries[n++];
        if (m && (!r || m->version < r->version)) {
            /* a baseline whose squashed migrations ran counts as applied */
            int covered = schema_covered(m, rows);
            e->version = m->version;
            e->state = covered ? MIGC_STATE_APPLIED : MIGC_STATE_PENDING;
            e->migration = m;
            snprintf(e->name, sizeof e->name, "%s", m->name);
            *n_pending += !covered;
            i++;
        } else if (m && m->version == r->version) {
            e->version = m->version;
            from_row(e, r, m, 0);
            i++;
            j++;
        } else {
            e->version = r->version;
            from_row(e, r, NULL, schema_squasher(schema, r->version) != NULL);
            j++;
        }
    }
    return n;
}

enum migc_code migc_status(struct pg_conn *conn,
                           const struct migc_schema *schema,
                           const struct migc_options *options,
                           struct migc_status **out, struct migc_error *error)
{
    if (out)
        *out = NULL;
    enum migc_code rc = schema_validate(schema, error);
    if (rc != MIGC_OK)
        return rc;
    if (!conn || !out)
        return migc_error_set(error, MIGC_ERR_ARG, "no connection or output");
    struct session s;
    if ((rc = session_begin(&s, conn, options, error)) != MIGC_OK)
        return rc;
    struct ledger_rows rows;
    rc = ledger_read(&s, &rows, error);
    struct migc_status *st = NULL;
    if (rc == MIGC_OK) {
        size_t cap = schema->n_migrations + rows.n;
        st = calloc(1, sizeof *st);
        if (st)
            st->entries = calloc(cap ? cap : 1, sizeof *st->entries);
        if (!st || !st->entries) {
            migc_status_free(st);
            st = NULL;
            rc = migc_error_set(error, MIGC_ERR_NOMEM, "out of memory");
        } else {
            st->n_entries = merge(schema, &rows, st->entries, &st->n_pending);
            st->round_trips = s.round_trips;
        }
    }
    ledger_rows_free(&rows);
    session_end(&s);
    *out = st;
    return rc;
}

void migc_status_free(struct migc_status *status)
{
    if (!status)
        return;
    free(status->entries);
    free(status);
}

/* packs.c: synchronising pack rows (docs/ledger.md, docs/packs.md).
 *
 * After the migrations, every pack whose checksum the pack ledger does not
 * hold is written in one transaction under the migration lock: its rows as
 * upserts keyed by ref, the query of its rows gone from the YAML (reported,
 * deleted only with MIGC_OPT_PRUNE_PACKS), and its pack ledger row. */
#include "packs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pq.h"
#include "record.h"
#include "sql.h"

/* What a query of the pipeline is (struct pq_query's part); its owner is
 * the pack row (an upsert), the pack table (an orphan query) or the
 * pack. */
enum {
    PART_UPSERT,
    PART_ORPHANS,
    PART_OTHER
};

static enum migc_code row_error(struct migc_error *err,
                                const struct migc_pack_row *row,
                                const struct pg_result *res)
{
    if (!err || migc_error_isset(err))
        return MIGC_ERR_PACK;
    const char *msg = pq_message(res);
    migc_error_set(err, MIGC_ERR_PACK, "%s:%u:%u: %s %s (row %s)", row->path,
                   row->upsert.line, row->upsert.column, pq_sqlstate(res),
                   msg ? msg : "upsert failed", row->ref);
    pq_error_fields(err, res);
    err->path = row->path;
    err->line = row->upsert.line;
    err->column = row->upsert.column;
    return MIGC_ERR_PACK;
}

/* Report the rows of a pack gone from its YAML. */
static size_t report_orphans(struct session *s, const struct migc_pack *pk,
                             const struct migc_pack_table *table,
                             const struct pg_result *res, int pruned)
{
    int n = res ? pq_rows(res) : 0;
    if (n == 0)
        return 0;
    char refs[512] = "";
    size_t used = 0;
    for (int i = 0; i < n && used + 4 < sizeof refs; i++) {
        int w = snprintf(refs + used, sizeof refs - used, "%s%s",
                         i ? ", " : "", pq_value(res, i, 0));
        used += w > 0 ? (size_t)w : 0;
    }
    session_log(s, MIGC_LOG_WARNING,
                "pack %s: %d row%s of %s no longer in its YAML: %s%s",
                pk->name, n, n == 1 ? "" : "s", table->table, refs,
                pruned ? " (deleted)"
                       : " (left in place; --prune-packs deletes them)");
    return (size_t)n;
}

/* Append a pack's rows as upserts, its orphan queries (and prunes), and
 * its pack ledger row (the upsert's text in record). */
static void add_pack(struct batch *b, const struct migc_pack *pk, int prune,
                     const struct sql *record)
{
    struct pq_query *q;
    for (size_t j = 0; j < pk->n_rows; j++)
        if ((q = batch_add(b, pk->rows[j].upsert.sql)) != NULL) {
            q->owner = &pk->rows[j];
            q->part = PART_UPSERT;
        }
    for (size_t j = 0; j < pk->n_tables; j++) {
        if ((q = batch_add(b, pk->tables[j].orphans)) != NULL) {
            q->owner = &pk->tables[j];
            q->part = PART_ORPHANS;
        }
        if (prune && (q = batch_add(b, pk->tables[j].prune)) != NULL) {
            q->owner = pk;
            q->part = PART_OTHER;
        }
    }
    if ((q = batch_add(b, sql_text(record))) != NULL) {
        record_pack_params(q, pk);
        q->owner = pk;
        q->part = PART_OTHER;
    }
}

/* The pack of a table of pack rows. */
static const struct migc_pack *pack_of(const struct migc_schema *schema,
                                       const struct migc_pack_table *table)
{
    for (size_t i = 0; i < schema->n_packs; i++)
        for (size_t j = 0; j < schema->packs[i].n_tables; j++)
            if (&schema->packs[i].tables[j] == table)
                return &schema->packs[i];
    return NULL;
}

/* Log the orphans the pipeline found; how many. */
static size_t orphans(struct session *s, const struct migc_schema *schema,
                      const struct batch *b, const struct pipeline *p,
                      int prune)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        if (b->q[i].part == PART_ORPHANS) {
            const struct migc_pack_table *table = b->q[i].owner;
            n += report_orphans(s, pack_of(schema, table), table,
                                pipeline_rows(p, (int)i), prune);
        }
    return n;
}

/* An event for every pack synchronised. */
static void tell_synced(struct session *s, const struct migc_schema *schema,
                        const unsigned char *todo)
{
    for (size_t i = 0; i < schema->n_packs; i++) {
        if (todo[i])
            session_emit(s, MIGC_EVENT_PACK, NULL, &schema->packs[i], 0, 0,
                         0);
    }
}

enum migc_code packs_sync(struct session *s, const struct migc_schema *schema,
                          struct migc_report *rep, struct migc_error *err)
{
    if (schema->n_packs == 0)
        return MIGC_OK;
    struct pack_checksums recorded;
    enum migc_code rc = record_lock_packs(s, &recorded, err);
    if (rc != MIGC_OK)
        return rc;
    int prune = (s->opts->flags & MIGC_OPT_PRUNE_PACKS) != 0;
    /* Per pack to write: its rows, its orphan queries (and prunes), its
     * ledger row; then COMMIT. */
    unsigned char *todo = calloc(schema->n_packs, 1);
    struct sql record = SQL_INIT;
    record_pack_sql(s, &record);
    struct batch b = {0};
    size_t synced = 0;
    for (size_t i = 0; todo && i < schema->n_packs; i++) {
        const struct migc_pack *pk = &schema->packs[i];
        const char *checksum = record_pack_checksum(&recorded, pk->name);
        /* Asked to prune, every pack is gone through: rows left behind by
         * an earlier sync are found whatever the recorded checksum says
         * (the upserts change no row that is already right). */
        if (!prune && checksum && strcmp(checksum, pk->checksum) == 0)
            continue;
        todo[i] = 1;
        synced++;
        add_pack(&b, pk, prune, &record);
    }
    record_pack_checksums_clear(&recorded);
    struct pq_query *commit = batch_add(&b, "COMMIT");
    if (commit)
        commit->part = PART_OTHER;
    if (!todo || b.nomem || record.nomem) {
        rc = migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    } else if (synced > 0) { /* else another process synchronised them */
        struct pipeline p;
        if (pipeline_run(&s->db, b.q, b.n, &p) != 0) {
            const struct pq_query *f = pipeline_failed(&p, b.q);
            if (f && f->part == PART_UPSERT && pipeline_error(&p))
                rc = row_error(err, f->owner, pipeline_error(&p));
            else
                rc = pq_error(err, MIGC_ERR_PACK, pipeline_error(&p), &s->db,
                              "cannot synchronise the packs");
        } else {
            rep->pack_orphans += orphans(s, schema, &b, &p, prune);
            rep->packs_synced += synced;
            tell_synced(s, schema, todo);
        }
        pipeline_clear(&p);
    }
    batch_free(&b);
    sql_free(&record);
    free(todo);
    pq_rollback(&s->db);
    return rc;
}

/* packs.c: synchronising pack rows (docs/ledger.md, docs/packs.md).
 *
 * After the migrations, every pack whose checksum the pack ledger does not
 * hold is written in one transaction under the migration lock: its rows as
 * upserts keyed by ref, the query of its rows gone from the YAML (reported,
 * deleted only with MIGC_OPT_PRUNE_PACKS), and its pack ledger row. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "error.h"
#include "pq.h"

size_t packs_pending(const struct migc_schema *schema,
                     const struct ledger_rows *rows)
{
    size_t n = 0;
    for (size_t i = 0; i < schema->n_packs; i++) {
        const struct migc_pack *pk = &schema->packs[i];
        const struct pack_row *r = ledger_find_pack(rows, pk->name);
        n += !r || strcmp(r->checksum, pk->checksum) != 0;
    }
    return n;
}

/* What a query of the pipeline is. */
struct step {
    const struct migc_pack *pack;
    const struct migc_pack_row *row;     /* an upsert */
    const struct migc_pack_table *table; /* an orphan query */
};

static enum migc_code row_error(struct migc_error *err,
                                const struct migc_pack_row *row,
                                const PGresult *res)
{
    if (!err || migc_error_isset(err))
        return MIGC_ERR_PACK;
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
    migc_error_set(err, MIGC_ERR_PACK, "%s:%u:%u: %s %s (row %s)", row->path,
                   row->upsert.line, row->upsert.column, pq_sqlstate(res),
                   msg ? msg : "upsert failed", row->ref);
    snprintf(err->sqlstate, sizeof err->sqlstate, "%s", pq_sqlstate(res));
    snprintf(err->detail, sizeof err->detail, "%s", detail ? detail : "");
    snprintf(err->hint, sizeof err->hint, "%s", hint ? hint : "");
    err->path = row->path;
    err->line = row->upsert.line;
    err->column = row->upsert.column;
    return MIGC_ERR_PACK;
}

/* Report the rows of a pack gone from its YAML. */
static size_t report_orphans(struct session *s, const struct step *st,
                             const PGresult *res, int pruned)
{
    int n = res ? PQntuples(res) : 0;
    if (n == 0)
        return 0;
    char refs[512] = "";
    size_t used = 0;
    for (int i = 0; i < n && used + 4 < sizeof refs; i++) {
        int w = snprintf(refs + used, sizeof refs - used, "%s%s",
                         i ? ", " : "", PQgetvalue(res, i, 0));
        used += w > 0 ? (size_t)w : 0;
    }
    session_log(s, MIGC_LOG_WARNING,
                "pack %s: %d row%s of %s no longer in its YAML: %s%s",
                st->pack->name, n, n == 1 ? "" : "s", st->table->table, refs,
                pruned ? " (deleted)"
                       : " (left in place; --prune-packs deletes them)");
    return (size_t)n;
}

enum migc_code packs_sync(struct session *s, const struct migc_schema *schema,
                          struct migc_report *rep, struct migc_error *err)
{
    if (schema->n_packs == 0)
        return MIGC_OK;
    char check[512];
    snprintf(check, sizeof check,
             "SELECT name, checksum FROM %s",
             s->packs_table);
    PGresult *r;
    enum migc_code rc = lock_take(s, check, 0, NULL, &r, err);
    if (rc != MIGC_OK)
        return rc;
    int prune = (s->opts->flags & MIGC_OPT_PRUNE_PACKS) != 0;

    /* Count the queries: per pack to write, its rows, its orphan queries
     * (and prunes), its ledger row; then COMMIT. */
    size_t total = 1;
    unsigned char *todo = calloc(schema->n_packs, 1);
    if (!todo) {
        PQclear(r);
        pq_rollback(s);
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < schema->n_packs; i++) {
        const struct migc_pack *pk = &schema->packs[i];
        int row = pq_find_row(r, 0, pk->name);
        int found = row >= 0 && strcmp(PQgetvalue(r, row, 1), pk->checksum) == 0;
        if (!found) {
            todo[i] = 1;
            total += pk->n_rows + pk->n_tables * (prune ? 2 : 1) + 1;
        }
    }
    PQclear(r);
    const char **sql = calloc(total, sizeof *sql);
    const char *const **sets = calloc(total, sizeof *sets);
    int *counts = calloc(total, sizeof *counts);
    struct step *steps = calloc(total, sizeof *steps);
    const char *(*ledger)[2] = calloc(schema->n_packs, sizeof *ledger);
    char record[512];
    snprintf(record, sizeof record,
             "INSERT INTO %s (name, checksum) VALUES ($1, $2) ON CONFLICT"
             " (name) DO UPDATE SET checksum = EXCLUDED.checksum,"
             " synced_at = now()",
             s->packs_table);
    if (!sql || !sets || !counts || !steps || !ledger) {
        rc = migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
        goto done;
    }
    int q = 0;
    size_t synced = 0;
    for (size_t i = 0; i < schema->n_packs; i++) {
        if (!todo[i])
            continue;
        const struct migc_pack *pk = &schema->packs[i];
        synced++;
        for (size_t j = 0; j < pk->n_rows; j++) {
            steps[q] = (struct step){pk, &pk->rows[j], NULL};
            sql[q++] = pk->rows[j].upsert.sql;
        }
        for (size_t j = 0; j < pk->n_tables; j++) {
            steps[q] = (struct step){pk, NULL, &pk->tables[j]};
            sql[q++] = pk->tables[j].orphans;
            if (prune) {
                steps[q] = (struct step){pk, NULL, NULL};
                sql[q++] = pk->tables[j].prune;
            }
        }
        ledger[i][0] = pk->name;
        ledger[i][1] = pk->checksum;
        steps[q] = (struct step){pk, NULL, NULL};
        sql[q] = record;
        counts[q] = 2;
        sets[q++] = ledger[i];
    }
    sql[q++] = "COMMIT";
    if (synced == 0)
        goto done; /* another process synchronised them meanwhile */
    struct pipeline p;
    if (pipeline_run(s, q, sql, counts, sets, &p) != 0) {
        int e = p.error_index;
        if (e >= 0 && e < q && steps[e].row && pipeline_error(&p))
            rc = row_error(err, steps[e].row, pipeline_error(&p));
        else
            rc = pq_error(err, MIGC_ERR_PACK, pipeline_error(&p), s->conn,
                          "cannot synchronise the packs");
    } else {
        for (int i = 0; i < q; i++)
            if (steps[i].table)
                rep->pack_orphans +=
                    report_orphans(s, &steps[i], pipeline_rows(&p, i), prune);
        rep->packs_synced += synced;
        for (size_t i = 0; i < schema->n_packs; i++) {
            if (!todo[i] || !s->opts->on_event)
                continue;
            struct migc_event ev = {MIGC_EVENT_PACK, NULL, 0,
                                    &schema->packs[i]};
            s->opts->on_event(&ev, s->opts->event_ctx);
        }
    }
    pipeline_clear(&p);
done:
    free(sql);
    free(sets);
    free(counts);
    free(steps);
    free(ledger);
    free(todo);
    pq_rollback(s);
    return rc;
}

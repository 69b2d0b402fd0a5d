/* migrate.c: migc_migrate(): compare the ledger with the embedded list, then
 * apply what is pending. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ledger.h"
#include "schema.h"

static void emit(const struct migc_options *o, enum migc_event_kind kind,
                 const struct migc_migration *m, int64_t duration_us)
{
    if (!o || !o->on_event)
        return;
    struct migc_event e = {kind, m, duration_us, NULL};
    o->on_event(&e, o->event_ctx);
}

enum migc_code migc_migrate(struct pg_conn *conn,
                            const struct migc_schema *schema,
                            const struct migc_options *options,
                            struct migc_report *report,
                            struct migc_error *error)
{
    struct migc_report local = {0};
    struct migc_report *rep = report ? report : &local;
    *rep = (struct migc_report){0};
    enum migc_code rc = schema_validate(schema, error);
    if (rc != MIGC_OK)
        return rc;
    if (!conn)
        return migc_error_set(error, MIGC_ERR_ARG, "no connection given");

    struct session s;
    if ((rc = session_begin(&s, conn, options, error)) != MIGC_OK)
        return rc;
    struct ledger_rows rows;
    rc = ledger_read(&s, &rows, error);
    if (rc == MIGC_OK)
        rc = schema_verify_ledger(schema, &rows, error);

    /* Pending: embedded versions the ledger does not hold. */
    const struct migc_migration **pending = NULL;
    if (rc == MIGC_OK)
        rc = schema_pending(schema, &rows, &pending, &rep->pending, error);

    if (rc == MIGC_OK && rep->pending > 0 && !rows.exists)
        rc = ledger_create(&s, error);
    for (size_t i = 0; rc == MIGC_OK && i < rep->pending; i++) {
        const struct migc_migration *m = pending[i];
        int applied;
        int64_t us;
        emit(options, MIGC_EVENT_APPLYING, m, 0);
        rc = ledger_apply(&s, m, &applied, &us, error);
        if (rc == MIGC_OK && applied) {
            rep->applied++;
            emit(options, MIGC_EVENT_APPLIED, m, us);
        }
    }
    free(pending);
    ledger_rows_free(&rows);
    rep->round_trips = s.round_trips;
    session_end(&s);
    return rc;
}

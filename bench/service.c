/* service.c: the migc side of the fresh-apply rows of bench/run: a service
 * binary carrying one migration set (BENCH_SCHEMA), brought up with
 * `up --database CONNINFO` through migc_main() as a service does at boot.
 *
 * usage: service_SET [OPTIONS] up --database CONNINFO   (migc_main)
 *        service_SET --embedded-bytes    prints "migrations M statements S
 *                    sql_bytes B": what the set embeds (the up and down
 *                    statements' bytes), for the footprint rows
 *        service_SET --trace-up CONNINFO applies the set with
 *                    migc_migrate() under libpq's protocol trace and prints
 *                    "round_trips T library L applied A": T counts the
 *                    server's ReadyForQuery messages (one ends every round
 *                    trip), L is the library's own count */
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include <migc.h>

#include "trace.h"

#include BENCH_SCHEMA_HEADER

static void add_script(const struct migc_script *s, size_t *statements,
                       size_t *bytes)
{
    for (size_t i = 0; i < s->n_statements; i++)
        *bytes += s->statements[i].len;
    *statements += s->n_statements;
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static int trace_up(const char *conninfo, const struct migc_schema *schema)
{
    PGconn *conn = PQconnectdb(conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "--trace-up: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return 1;
    }
    /* A fresh database's query strings are parsed whole before their
     * client_min_messages runs (docs/ledger.md): the server's notices of
     * the parse (a name over 63 bytes) are not the benchmark's output. */
    PQsetNoticeProcessor(conn, quiet, NULL);
    FILE *trace = trace_start(conn);
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_report rep = MIGC_REPORT_INIT;
    enum migc_code rc = migc_migrate(conn, schema, NULL, &rep, &err);
    long n = trace ? trace_stop(conn, trace) : -1;
    PQfinish(conn);
    if (rc != MIGC_OK || n < 0) {
        fprintf(stderr, "--trace-up: %s\n",
                rc != MIGC_OK ? err.message : "no protocol trace");
        return 1;
    }
    printf("round_trips %ld library %u applied %zu\n", n, rep.round_trips,
           rep.applied);
    return 0;
}

int main(int argc, char **argv)
{
    const struct migc_schema *schema = &BENCH_SCHEMA;
    if (argc == 2 && strcmp(argv[1], "--embedded-bytes") == 0) {
        size_t statements = 0, bytes = 0;
        for (size_t i = 0; i < schema->n_migrations; i++) {
            const struct migc_migration *m = &schema->migrations[i];
            add_script(&m->up, &statements, &bytes);
            if (m->down)
                add_script(m->down, &statements, &bytes);
        }
        printf("migrations %zu statements %zu sql_bytes %zu\n",
               schema->n_migrations, statements, bytes);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--trace-up") == 0)
        return trace_up(argv[2], schema);
    return migc_main(argc, argv, schema);
}

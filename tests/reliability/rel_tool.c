/* rel_tool.c: helpers of the reliability scripts.
 *
 *   rel_tool statements OUTDIR
 *       Writes the statements of the fixture schema as the runtime sends
 *       them, for the psql-applied reference states: OUTDIR/V.n (how many),
 *       OUTDIR/V.J.sql (statement J, 0-based), OUTDIR/V.notx (present when
 *       the migration runs outside a transaction), OUTDIR/V.file (its file
 *       name), OUTDIR/V.index.J (the index a CREATE INDEX CONCURRENTLY
 *       builds), and OUTDIR/versions (one a line, in order).
 *
 *   rel_tool hold SCHEMA CONNINFO WAIT_MS RELEASE
 *       migc_migrate() of SCHEMA (rel_main, rel_fail_tx, rel_fail_notx,
 *       rel_fail_index, rel_blocked) on a connection that stays open after
 *       it returns, as a long-running service's would: prints "pid N" (the
 *       server process) before, and after "code N NAME", "message ...",
 *       "transaction idle|active|intrans|inerror|unknown", then "ready", and
 *       keeps the connection open until the file RELEASE exists (at most
 *       five minutes). Exit status 0 unless the tool itself failed. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <migc.h>

#include "rel_blocked.h"
#include "rel_fail_index.h"
#include "rel_fail_notx.h"
#include "rel_fail_tx.h"
#include "rel_main.h"

static const struct {
    const char *name;
    const struct migc_schema *schema;
} schemas[] = {
    {"rel_main", &rel_main},
    {"rel_fail_tx", &rel_fail_tx},
    {"rel_fail_notx", &rel_fail_notx},
    {"rel_fail_index", &rel_fail_index},
    {"rel_blocked", &rel_blocked},
};

static int write_file(const char *dir, const char *name, const char *text,
                      size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return -1;
    }
    int bad = fwrite(text, 1, len, f) != len;
    bad |= fclose(f) != 0;
    if (bad)
        perror(path);
    return bad ? -1 : 0;
}

static int statements(const char *dir)
{
    const struct migc_schema *s = &rel_main;
    char versions[8192] = "";
    size_t used = 0;
    for (size_t i = 0; i < s->n_migrations; i++) {
        const struct migc_migration *m = &s->migrations[i];
        long long v = (long long)m->version;
        char name[64], text[64];
        used += (size_t)snprintf(versions + used, sizeof versions - used,
                                 "%lld\n", v);
        snprintf(name, sizeof name, "%lld.n", v);
        int n = snprintf(text, sizeof text, "%zu\n", m->up.n_statements);
        if (write_file(dir, name, text, (size_t)n))
            return 1;
        snprintf(name, sizeof name, "%lld.file", v);
        if (write_file(dir, name, m->name, strlen(m->name)))
            return 1;
        if (m->up.flags & MIGC_SCRIPT_NO_TRANSACTION) {
            snprintf(name, sizeof name, "%lld.notx", v);
            if (write_file(dir, name, "", 0))
                return 1;
        }
        for (size_t j = 0; j < m->up.n_statements; j++) {
            const struct migc_statement *st = &m->up.statements[j];
            snprintf(name, sizeof name, "%lld.%zu.sql", v, j);
            if (write_file(dir, name, st->sql, st->len))
                return 1;
            if (st->index) {
                snprintf(name, sizeof name, "%lld.index.%zu", v, j);
                if (write_file(dir, name, st->index, strlen(st->index)))
                    return 1;
            }
        }
    }
    return write_file(dir, "versions", versions, used) ? 1 : 0;
}

static const char *txn_name(PGTransactionStatusType t)
{
    switch (t) {
    case PQTRANS_IDLE: return "idle";
    case PQTRANS_ACTIVE: return "active";
    case PQTRANS_INTRANS: return "intrans";
    case PQTRANS_INERROR: return "inerror";
    default: return "unknown";
    }
}

static void log_line(enum migc_log_level level, const char *message,
                     void *ctx)
{
    (void)ctx;
    fprintf(stderr, "rel_tool: %s%s\n",
            level == MIGC_LOG_WARNING ? "warning: " : "", message);
}

static int hold(const char *schema_name, const char *conninfo,
                const char *wait_ms, const char *release)
{
    const struct migc_schema *schema = NULL;
    for (size_t i = 0; i < sizeof schemas / sizeof *schemas; i++)
        if (strcmp(schemas[i].name, schema_name) == 0)
            schema = schemas[i].schema;
    if (!schema) {
        fprintf(stderr, "rel_tool: unknown schema %s\n", schema_name);
        return 2;
    }
    PGconn *conn = PQconnectdb(conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "rel_tool: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return 1;
    }
    printf("pid %d\n", PQbackendPID(conn));
    fflush(stdout);
    struct migc_options opts = MIGC_OPTIONS_INIT;
    opts.lock_wait_ms = strtoll(wait_ms, NULL, 10);
    opts.log = log_line;
    struct migc_error err = MIGC_ERROR_INIT;
    enum migc_code rc = migc_migrate(conn, schema, &opts, NULL, &err);
    printf("code %d %s\n", (int)rc, migc_strerror((int)rc));
    printf("message %s\n", err.message);
    printf("transaction %s\n", txn_name(PQtransactionStatus(conn)));
    printf("ready\n");
    fflush(stdout);
    /* The connection stays open until the script says so. */
    for (int i = 0; i < 5 * 60 * 50 && access(release, F_OK) != 0; i++) {
        struct timespec t = {0, 20 * 1000 * 1000};
        nanosleep(&t, NULL);
    }
    PQfinish(conn);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "statements") == 0)
        return statements(argv[2]);
    if (argc == 6 && strcmp(argv[1], "hold") == 0)
        return hold(argv[2], argv[3], argv[4], argv[5]);
    fprintf(stderr,
            "usage: rel_tool statements OUTDIR\n"
            "       rel_tool hold SCHEMA CONNINFO WAIT_MS RELEASE\n");
    return 2;
}

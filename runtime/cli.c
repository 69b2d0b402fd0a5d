/* cli.c: migc_main(): `up` and `status` subcommands for any service. The one
 * place in the runtime that prints, because it is a command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "error.h"
#include "ledger.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

static const char default_embedded_dir[] = "migc-data";

struct cli {
    const char *prog;
    const char *command;
    const char *database;  /* --database */
    const char *embedded;  /* --embedded[=DIR]: DIR */
};

static void usage(FILE *out, const char *prog)
{
    fprintf(out,
            "usage: %s [--database URL | --embedded[=DIR]] COMMAND\n"
            "\n"
            "Commands:\n"
            "  up        apply every pending migration\n"
            "  status    list every migration and its state\n"
            "\n"
            "Options:\n"
            "  --database URL     PostgreSQL connection URL or conninfo\n"
            "                     (default: the DATABASE_URL environment)\n"
            "  --embedded[=DIR]   run a private local PostgreSQL cluster in DIR\n"
            "                     (default DIR: %s)\n"
            "  --schema-version   print the embedded schema's fingerprint\n"
            "  --help             print this help\n",
            prog, default_embedded_dir);
}

static const char *base_name(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path ? path : "migrate";
}

/* Returns -1 to continue, or an exit code. */
static int parse_args(int argc, char **argv, const struct migc_schema *schema,
                      struct cli *c)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout, c->prog);
            return EXIT_OK;
        } else if (strcmp(a, "--schema-version") == 0) {
            printf("%s %s (%zu migrations)\n", schema->name,
                   schema->fingerprint, schema->n_migrations);
            return EXIT_OK;
        } else if (strcmp(a, "--database") == 0 && i + 1 < argc) {
            c->database = argv[++i];
        } else if (strncmp(a, "--database=", 11) == 0) {
            c->database = a + 11;
        } else if (strcmp(a, "--embedded") == 0) {
            c->embedded = default_embedded_dir;
        } else if (strncmp(a, "--embedded=", 11) == 0 && a[11]) {
            c->embedded = a + 11;
        } else if (a[0] == '-') {
            fprintf(stderr, "%s: error: unknown option '%s'\n", c->prog, a);
            usage(stderr, c->prog);
            return EXIT_USAGE;
        } else if (c->command) {
            fprintf(stderr, "%s: error: unexpected argument '%s'\n", c->prog,
                    a);
            return EXIT_USAGE;
        } else {
            c->command = a;
        }
    }
    if (!c->command) {
        usage(stderr, c->prog);
        return EXIT_USAGE;
    }
    if (strcmp(c->command, "up") != 0 && strcmp(c->command, "status") != 0) {
        fprintf(stderr, "%s: error: unknown command '%s'\n", c->prog,
                c->command);
        usage(stderr, c->prog);
        return EXIT_USAGE;
    }
    return -1;
}

static void print_error(const char *prog, const struct migc_error *e)
{
    if (e->path && e->line)
        fprintf(stderr, "%s\n", e->message); /* path:line:col: SQLSTATE ... */
    else
        fprintf(stderr, "%s: error: %s\n", prog, e->message);
    if (e->detail[0])
        fprintf(stderr, "  DETAIL: %s\n", e->detail);
    if (e->hint[0])
        fprintf(stderr, "  HINT: %s\n", e->hint);
}

static void on_event(const struct migc_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == MIGC_EVENT_APPLIED)
        printf("applied %s (%.1f ms)\n", ev->migration->name,
               (double)ev->duration_us / 1000.0);
}

static int run_up(struct pg_conn *conn, const struct migc_schema *schema,
                  struct migc_error *err)
{
    struct migc_options opts = {.on_event = on_event};
    struct migc_report rep;
    if (migc_migrate(conn, schema, &opts, &rep, err) != MIGC_OK)
        return EXIT_FAIL;
    if (rep.applied == 0)
        printf("database is up to date (%zu migrations)\n",
               schema->n_migrations);
    else
        printf("applied %zu migration%s; database is up to date\n",
               rep.applied, rep.applied == 1 ? "" : "s");
    return EXIT_OK;
}

static int run_status(struct pg_conn *conn, const struct migc_schema *schema,
                      struct migc_error *err)
{
    struct migc_status *st;
    if (migc_status(conn, schema, NULL, &st, err) != MIGC_OK)
        return EXIT_FAIL;
    printf("%-20s  %-9s  %-22s  %10s  %s\n", "VERSION", "STATE", "APPLIED AT",
           "DURATION", "NAME");
    for (size_t i = 0; i < st->n_entries; i++) {
        const struct migc_status_entry *e = &st->entries[i];
        char duration[32] = "";
        if (e->applied_at[0])
            snprintf(duration, sizeof duration, "%.1f ms",
                     (double)e->duration_us / 1000.0);
        printf("%-20lld  %-9s  %-22s  %10s  %s\n", (long long)e->version,
               migc_state_name(e->state), e->applied_at, duration, e->name);
    }
    printf("%zu migrations, %zu pending\n", st->n_entries, st->n_pending);
    migc_status_free(st);
    return EXIT_OK;
}

static int run(const struct cli *c, const char *conninfo,
               const struct migc_schema *schema)
{
    struct migc_error err = MIGC_ERROR_INIT;
    struct pg_conn *conn = db_connect(conninfo, &err);
    int rc = EXIT_FAIL;
    if (conn) {
        rc = strcmp(c->command, "up") == 0 ? run_up(conn, schema, &err)
                                           : run_status(conn, schema, &err);
        db_close(conn);
    }
    if (rc != EXIT_OK)
        print_error(c->prog, &err);
    return rc;
}

int migc_main_with(int argc, char **argv, const struct migc_schema *schema,
                   const struct migc_main_config *config)
{
    struct cli c = {.prog = base_name(argc > 0 ? argv[0] : NULL)};
    if (!schema) {
        fprintf(stderr, "%s: error: no schema given\n", c.prog);
        return EXIT_USAGE;
    }
    int rc = parse_args(argc, argv, schema, &c);
    if (rc >= 0)
        return rc;

    const char *env = getenv("DATABASE_URL");
    const char *conninfo = c.database;
    if (!conninfo && !c.embedded)
        conninfo = env && *env ? env : NULL;
    if (!conninfo && !c.embedded && config && config->embedded_default_dir)
        c.embedded = config->embedded_default_dir;
    if (!conninfo && !c.embedded) {
        fprintf(stderr,
                "%s: error: no database given: set DATABASE_URL or pass "
                "--database URL (--embedded[=DIR] runs a private local "
                "cluster instead)\n",
                c.prog);
        return EXIT_USAGE;
    }
    if (conninfo)
        return run(&c, conninfo, schema);

    struct migc_error err = MIGC_ERROR_INIT;
    struct embedded_pg *pg = NULL;
    if (embedded_start(c.embedded, &pg, &err) != MIGC_OK) {
        print_error(c.prog, &err);
        return EXIT_FAIL;
    }
    printf("embedded database in %s\n", c.embedded);
    fflush(stdout);
    rc = run(&c, embedded_conninfo(pg), schema);
    if (embedded_stop(pg, &err) != MIGC_OK) {
        print_error(c.prog, &err);
        rc = EXIT_FAIL;
    }
    return rc;
}

int migc_main(int argc, char **argv, const struct migc_schema *schema)
{
    return migc_main_with(argc, argv, schema, NULL);
}

/* cli.c: migc_main(): the command line of any service that carries a
 * schema. The one place in the runtime that prints, because it is a
 * command line: arguments and help in cli_args.c, what each command
 * prints in cli_report.c, here the database and the commands. Part of
 * libmigc_cli, which uses libmigc through migc.h alone. */
#define _POSIX_C_SOURCE 200809L /* nanosleep, clock_gettime */
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adopt.h"
#include "cli.h"
#include "cli_fleet.h"
#include "embedded.h"
#include "error.h"

static const char *base_name(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path ? path : "migrate";
}

/* The exit code of a failed call. */
static int exit_of(enum migc_code rc)
{
    switch (rc) {
    case MIGC_OK: return EXIT_OK;
    case MIGC_ERR_CHECKSUM:
    case MIGC_ERR_LEDGER:
    case MIGC_ERR_FAILED:
    case MIGC_ERR_AHEAD:
    case MIGC_ERR_PARTIAL_SQUASH: return EXIT_DRIFT;
    case MIGC_ERR_IRREVERSIBLE: return EXIT_USAGE; /* refused, nothing ran */
    default: return EXIT_FAIL;
    }
}

static void log_line(enum migc_log_level level, const char *message,
                     void *ctx)
{
    const struct cli *c = ctx;
    fprintf(stderr, "%s: %s%s\n", c->prog,
            level == MIGC_LOG_WARNING ? "warning: " : "", message);
}

/* Remember what `up` applied, for the JSON report. */
static void note_applied(struct cli *c, const struct migc_event *ev)
{
    if (c->n_applied == c->cap_applied) {
        size_t cap = c->cap_applied ? c->cap_applied * 2 : 16;
        struct cli_applied *grown = realloc(c->applied, cap * sizeof *grown);
        if (!grown)
            return; /* the report lacks it; the run goes on */
        c->applied = grown;
        c->cap_applied = cap;
    }
    c->applied[c->n_applied++] = (struct cli_applied){
        ev->migration->version, ev->migration->name, ev->duration_us};
}

/* A line when each migration starts and when it ends, on stdout (stderr
 * under JSON, whose document stdout holds alone): the same in a terminal
 * and in a log. */
static void on_event(const struct migc_event *ev, void *ctx)
{
    struct cli *c = ctx;
    FILE *out = c->format == CLI_JSON ? stderr : stdout;
    char name[1024];
    if (ev->migration)
        cli_shown(ev->migration->name, name, sizeof name);
    if (ev->kind == MIGC_EVENT_APPLYING || ev->kind == MIGC_EVENT_REVERTING) {
        fprintf(out, "%s %s (%zu/%zu)\n",
                ev->kind == MIGC_EVENT_APPLYING ? "applying" : "reverting",
                name, ev->index, ev->total);
        fflush(out);
    } else if (ev->kind == MIGC_EVENT_REVERTED) {
        c->reverted = ev->migration->version;
        fprintf(out, "reverted %s (%.1f ms)\n", name,
                (double)ev->duration_us / 1000.0);
        fflush(out);
    } else if (ev->kind == MIGC_EVENT_APPLIED) {
        note_applied(c, ev);
        fprintf(out, "applied %s (%.1f ms)\n", name,
                (double)ev->duration_us / 1000.0);
        fflush(out);
    } else if (ev->kind == MIGC_EVENT_PACK) {
        c->packs_synced++;
        fprintf(out, "synchronised pack %s (%zu rows)\n", ev->pack->name,
                ev->pack->n_rows);
        fflush(out);
    }
}

static int run_up(struct pg_conn *conn, struct cli *c, struct migc_error *err)
{
    if (c->adopt) { /* up --adopt: adopt when migc's ledger is absent */
        int rc = cli_adopt(conn, c, 1);
        if (rc != EXIT_OK)
            return rc;
    }
    struct migc_report rep = MIGC_REPORT_INIT;
    enum migc_code rc = migc_migrate(conn, c->schema, &c->opts, &rep, err);
    cli_report_up(c, rc, &rep, err);
    return exit_of(rc);
}

/* down: the newest --steps N, or every one above --to VERSION. */
static int run_down(struct pg_conn *conn, struct cli *c, struct migc_error *err)
{
    struct migc_report rep = MIGC_REPORT_INIT;
    enum migc_code rc =
        migc_down(conn, c->schema, &c->opts, c->steps, c->to > 0 ? c->to : 0,
                  &rep, err);
    if (rc != MIGC_OK)
        return exit_of(rc);
    if (rep.applied == 0)
        printf("nothing to revert\n");
    else
        printf("reverted %zu migration%s\n", rep.applied,
               rep.applied == 1 ? "" : "s");
    if (rep.applied > 0 && c->schema->n_packs > 0)
        printf("packs are left as they are: down does not remove pack "
               "rows\n");
    return EXIT_OK;
}

/* redo: the newest applied migration down, then up again to it. */
static int run_redo(struct pg_conn *conn, struct cli *c,
                    struct migc_error *err)
{
    struct migc_report rep = MIGC_REPORT_INIT;
    enum migc_code rc =
        migc_down(conn, c->schema, &c->opts, 1, 0, &rep, err);
    if (rc != MIGC_OK)
        return exit_of(rc);
    if (rep.applied == 0) {
        printf("nothing to redo: no migration is applied\n");
        return EXIT_OK;
    }
    c->opts.target_version = c->reverted;
    rc = migc_migrate(conn, c->schema, &c->opts, &rep, err);
    if (rc != MIGC_OK)
        return exit_of(rc);
    printf("redone %lld\n", (long long)c->reverted);
    return EXIT_OK;
}

static int run_check(struct pg_conn *conn, struct cli *c,
                     struct migc_error *err)
{
    struct migc_report rep = MIGC_REPORT_INIT;
    enum migc_code rc = migc_check(conn, c->schema, &c->opts, &rep, err);
    cli_report_check(c, rc, &rep, err);
    if (rc != MIGC_OK)
        return exit_of(rc);
    return rep.pending ? EXIT_PENDING : EXIT_OK;
}

static int run_status(struct pg_conn *conn, struct cli *c,
                      struct migc_error *err)
{
    struct migc_status *st;
    enum migc_code rc = migc_status(conn, c->schema, &c->opts, &st, err);
    if (rc != MIGC_OK) {
        cli_report_failure(c, err);
        return exit_of(rc);
    }
    cli_report_status(c, st);
    migc_status_free(st);
    return EXIT_OK;
}

static int run_plan(struct pg_conn *conn, struct cli *c,
                    struct migc_error *err)
{
    /* What `up` would refuse, it refuses here too. */
    struct migc_report rep = MIGC_REPORT_INIT;
    enum migc_code rc = migc_check(conn, c->schema, &c->opts, &rep, err);
    struct migc_status *st = NULL;
    if (rc == MIGC_OK)
        rc = migc_status(conn, c->schema, &c->opts, &st, err);
    if (rc != MIGC_OK) {
        cli_report_failure(c, err);
        return exit_of(rc);
    }
    cli_report_plan(c, st);
    migc_status_free(st);
    return EXIT_OK;
}

static int run_resolve(struct pg_conn *conn, struct cli *c,
                       struct migc_error *err)
{
    char *end;
    errno = 0;
    long long v = strtoll(c->argument, &end, 10);
    if (errno || end == c->argument || *end)
        return cli_usage_error(c, "'%s' is not a migration version",
                               c->argument);
    enum migc_code rc =
        migc_resolve(conn, c->schema, &c->opts, (int64_t)v, c->how, err);
    return rc == MIGC_OK ? EXIT_OK : EXIT_FAIL;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Connect; with --connect-wait, a server that does not accept connections
 * yet (containers starting together) is tried again with growing pauses
 * until it does or the time is up. One log line while waiting; the error
 * is the last attempt's. */
/* A notice receiver: the server's warnings on stderr as libpq shows them,
 * not its notices. Inside migc's transactions notices are off
 * (client_min_messages), except the ones the server sends while it parses
 * a fresh database's query string, before that setting runs: a name over
 * 63 bytes, which `migc compile` warned of ([identifier-length]). */
static void warnings_only(void *arg, const PGresult *res)
{
    (void)arg;
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    if (sev && (strcmp(sev, "NOTICE") == 0 || strcmp(sev, "INFO") == 0 ||
                strcmp(sev, "LOG") == 0 || strncmp(sev, "DEBUG", 5) == 0))
        return;
    fputs(PQresultErrorMessage(res), stderr);
}

void cli_warnings_only(struct pg_conn *conn)
{
    if (conn)
        PQsetNoticeReceiver(conn, warnings_only, NULL);
}

static struct pg_conn *connect_waiting(struct cli *c, const char *conninfo,
                                       struct migc_error *err)
{
    /* "SERVICE (migc)" as application_name, unless the connection string
     * or PGAPPNAME names one: pg_stat_activity and another replica's
     * lock-wait message then say who is migrating. */
    char app[96];
    snprintf(app, sizeof app, "%.80s (migc)", c->prog);
    struct pg_conn *conn = migc_connect(conninfo, app, err);
    cli_warnings_only(conn);
    if (conn || c->connect_wait_ms == 0 || err->code != MIGC_ERR_CONNECT)
        return conn;
    int64_t start = now_ms(), pause = 50;
    char line[1200];
    if (c->connect_wait_ms < 0)
        snprintf(line, sizeof line,
                 "waiting for the database to accept connections: %s",
                 err->message);
    else
        snprintf(line, sizeof line,
                 "waiting up to %.1f s for the database to accept "
                 "connections: %s",
                 (double)c->connect_wait_ms / 1000.0, err->message);
    c->opts.log(MIGC_LOG_INFO, line, c->opts.log_ctx);
    while (!conn && err->code == MIGC_ERR_CONNECT) {
        int64_t left = c->connect_wait_ms < 0
                           ? pause
                           : c->connect_wait_ms - (now_ms() - start);
        if (left <= 0)
            break;
        int64_t nap = pause < left ? pause : left;
        nanosleep(&(struct timespec){nap / 1000, (nap % 1000) * 1000000},
                  NULL);
        pause = pause * 2 > 1000 ? 1000 : pause * 2;
        *err = (struct migc_error)MIGC_ERROR_INIT;
        conn = migc_connect(conninfo, app, err);
    }
    cli_warnings_only(conn);
    return conn;
}

static int run(struct cli *c, const char *conninfo)
{
    if (cli_is_database_command(c))
        return cli_database(c, conninfo);
    struct migc_error err = MIGC_ERROR_INIT;
    /* --schema: its search_path set when the connection starts, so that
     * every statement of every migration, in a transaction or not, sees
     * it. Never connected without it: the migrations would go elsewhere. */
    char why[256], *in_schema = NULL;
    if (c->target_schema) {
        in_schema = cli_conninfo_with(conninfo, NULL, c->target_schema, NULL,
                                      why, sizeof why);
        if (!in_schema) {
            fprintf(stderr, "%s: error: --schema: %s\n", c->prog, why);
            return EXIT_FAIL;
        }
    }
    struct pg_conn *conn =
        connect_waiting(c, in_schema ? in_schema : conninfo, &err);
    free(in_schema);
    int rc = EXIT_FAIL;
    if (conn) {
        const char *cmd = c->command;
        rc = strcmp(cmd, "up") == 0        ? run_up(conn, c, &err)
             : strcmp(cmd, "check") == 0   ? run_check(conn, c, &err)
             : strcmp(cmd, "plan") == 0    ? run_plan(conn, c, &err)
             : strcmp(cmd, "resolve") == 0 ? run_resolve(conn, c, &err)
             : strcmp(cmd, "down") == 0    ? run_down(conn, c, &err)
             : strcmp(cmd, "redo") == 0    ? run_redo(conn, c, &err)
             : strcmp(cmd, "adopt") == 0   ? cli_adopt(conn, c, 0)
                                           : run_status(conn, c, &err);
        migc_disconnect(conn);
    } else {
        cli_report_failure(c, &err);
    }
    if (migc_error_isset(&err))
        cli_print_error(c, &err);
    return rc;
}

/* libpq reads these itself when the connection string leaves them out. */
static int libpq_env_set(void)
{
    static const char *const vars[] = {"PGHOST",     "PGHOSTADDR",
                                       "PGPORT",     "PGDATABASE",
                                       "PGUSER",     "PGPASSFILE",
                                       "PGSERVICE",  "PGSERVICEFILE"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return 1;
    }
    return 0;
}

/* Where the database is, in the order --help states: --database, then
 * --embedded, DATABASE_URL, libpq's variables ("" lets libpq read them),
 * the embedded default of the config. NULL: --embedded or none at all. */
static const char *choose_database(struct cli *c)
{
    if (c->database)
        return c->database;
    if (c->embedded)
        return NULL;
    const char *env = getenv("DATABASE_URL");
    if (env && *env)
        return env;
    if (libpq_env_set())
        return "";
    if (c->config && c->config->embedded_default_dir)
        c->embedded = c->config->embedded_default_dir;
    return NULL;
}

int migc_main_with(int argc, char **argv, const struct migc_schema *schema,
                   const struct migc_main_config *config)
{
    struct cli c = {.prog = base_name(argc > 0 ? argv[0] : NULL),
                    .schema = schema,
                    .opts = MIGC_OPTIONS_INIT,
                    .to = -1,
                    .adopt_from = FT_NONE};
    if (!schema) {
        fprintf(stderr, "%s: error: no schema given\n", c.prog);
        return EXIT_USAGE;
    }
    /* The caller's config may come from an older, smaller header: the
     * fields it does not know stay 0, their defaults. */
    struct migc_main_config cfg = MIGC_MAIN_CONFIG_INIT;
    if (config && config->size == 0) {
        fprintf(stderr,
                "%s: error: config->size is 0: initialise struct "
                "migc_main_config with MIGC_MAIN_CONFIG_INIT or "
                "MIGC_MAIN_CONFIG(...)\n",
                c.prog);
        return EXIT_FAIL;
    }
    if (config) {
        memcpy(&cfg, config,
               config->size < sizeof cfg ? config->size : sizeof cfg);
        cfg.size = sizeof cfg;
        c.config = config = &cfg;
    }
    int rc = cli_parse(argc, argv, &c);
    if (rc >= 0)
        return rc;
    c.opts.on_event = on_event;
    c.opts.event_ctx = &c;
    c.opts.log = config && config->log ? config->log : log_line;
    c.opts.log_ctx = config && config->log ? config->log_ctx : &c;
    c.opts.ledger_schema = config ? config->ledger_schema : NULL;
    c.opts.ledger_table = config ? config->ledger_table : NULL;
    if (c.target_schema) /* the ledger goes with the migrations */
        c.opts.ledger_schema = c.target_schema;
    if (strcmp(c.command, "up") == 0 && c.to > 0)
        c.opts.target_version = c.to;

    if (c.fleet_file || c.fleet_query || c.fleet_schemas)
        return cli_fleet(&c, c.fleet_file ? NULL : choose_database(&c));

    const char *conninfo = choose_database(&c);
    if (!conninfo && !c.embedded) {
        fprintf(stderr,
                "%s: error: no database given: set DATABASE_URL or "
                "libpq's PGHOST and friends, or pass --database URL "
                "(--embedded[=DIR] runs a private local cluster instead)\n",
                c.prog);
        return EXIT_USAGE;
    }
    if (conninfo) {
        rc = run(&c, conninfo);
        free(c.applied);
        return rc;
    }

    struct migc_error err = MIGC_ERROR_INIT;
    struct embedded_pg *pg = NULL;
    if (embedded_start(c.embedded, &pg, &err) != MIGC_OK) {
        cli_print_error(&c, &err);
        return EXIT_FAIL;
    }
    /* In JSON mode stdout holds the document alone. */
    FILE *say = c.format == CLI_JSON ? stderr : stdout;
    if (embedded_kept_dir(pg))
        fprintf(say,
                "embedded database in %s (kept in %s: user postgres cannot "
                "work in %s)\n",
                c.embedded, embedded_kept_dir(pg), c.embedded);
    else
        fprintf(say, "embedded database in %s\n", c.embedded);
    if (embedded_orphan_stopped(pg))
        fprintf(say,
                "stopped the server (pid %ld) a killed command left running "
                "there\n",
                embedded_orphan_stopped(pg));
    fflush(say);
    rc = run(&c, embedded_conninfo(pg));
    if (embedded_stop(pg, &err) != MIGC_OK) {
        cli_print_error(&c, &err);
        rc = EXIT_FAIL;
    }
    free(c.applied);
    return rc;
}

int migc_main(int argc, char **argv, const struct migc_schema *schema)
{
    return migc_main_with(argc, argv, schema, NULL);
}

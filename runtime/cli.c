/* cli.c: migc_main(): the command line of any service that carries a
 * schema. The one place in the runtime that prints, because it is a
 * command line. */
#define _POSIX_C_SOURCE 200809L /* isatty, fileno */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embedded.h"
#include "error.h"
#include "pq.h"

enum {
    EXIT_OK = 0,
    EXIT_FAIL = 1,
    EXIT_USAGE = 2,
    EXIT_PENDING = 3,
    EXIT_DRIFT = 4
};

static const char default_embedded_dir[] = "migc-data";

struct cli {
    const char *prog;
    const char *command;
    const char *argument;  /* resolve: VERSION */
    const char *database;  /* --database */
    const char *embedded;  /* --embedded[=DIR]: DIR */
    enum migc_resolve_how how;
    struct migc_options opts;
    const struct migc_main_config *config;
    const struct migc_schema *schema;
    size_t done;            /* migrations applied so far (progress) */
    int progress;           /* stderr is a terminal */
};

static void usage(FILE *out, const char *prog)
{
    fprintf(out,
            "usage: %s [OPTIONS] COMMAND\n"
            "\n"
            "Commands:\n"
            "  up               apply every pending migration, then the packs\n"
            "  status           list every migration and pack with its state\n"
            "  check            exit 0 when up to date, 3 when something is\n"
            "                   pending, 4 when the ledger disagrees with this\n"
            "                   binary (read-only, one round trip)\n"
            "  plan             print what `up` would do, without doing it\n"
            "  resolve VERSION  clear a failed migration after fixing the\n"
            "                   database: --retry (default) runs the failed\n"
            "                   statement again, --skip continues after it,\n"
            "                   --applied records the whole migration applied\n"
            "\n"
            "Options:\n"
            "  --database URL          PostgreSQL URL or conninfo (default: the\n"
            "                          DATABASE_URL environment)\n"
            "  --embedded[=DIR]        run a private local PostgreSQL cluster in\n"
            "                          DIR (default DIR: %s)\n"
            "  --single-transaction    apply every pending migration in one\n"
            "                          transaction\n"
            "  --strict                a database ahead of this binary, and a\n"
            "                          migration edited only in whitespace or\n"
            "                          comments, are errors\n"
            "  --lock-timeout D        lock_timeout for the migrations (e.g. 5s)\n"
            "  --statement-timeout D   statement_timeout for the migrations\n"
            "  --wait SECONDS          how long to wait for another process\n"
            "                          applying migrations (default 600; -1:\n"
            "                          forever)\n"
            "  --prune-packs           delete pack rows gone from the YAML\n"
            "  --schema-version        print the embedded schema's fingerprint\n"
            "  --help                  print this help\n"
            "\n"
            "Exit status: 0 success, 1 failure, 2 usage, 3 pending (check),\n"
            "4 the ledger disagrees with this binary.\n",
            prog, default_embedded_dir);
}

static const char *base_name(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path ? path : "migrate";
}

/* An option's value: "--name VALUE" or "--name=VALUE". */
static const char *option_value(int argc, char **argv, int *i,
                                const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] == '\0' && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static int parse_seconds(const char *s, int64_t *ms)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || (v < 0 && v != -1) || v > 1e9)
        return -1;
    /* The library's 0 means its default: no waiting at all is 1 ms. */
    *ms = v < 0 ? -1 : v == 0 ? 1 : (int64_t)(v * 1000.0);
    return 0;
}

static int unknown(const struct cli *c, const char *what, const char *a)
{
    fprintf(stderr, "%s: error: %s '%s'\n", c->prog, what, a);
    usage(stderr, c->prog);
    return EXIT_USAGE;
}

/* Returns -1 to continue, or an exit code. */
static int parse_args(int argc, char **argv, struct cli *c)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout, c->prog);
            return EXIT_OK;
        } else if (strcmp(a, "--schema-version") == 0) {
            printf("%s %s (%zu migrations, %zu pack%s)\n", c->schema->name,
                   c->schema->fingerprint, c->schema->n_migrations,
                   c->schema->n_packs, c->schema->n_packs == 1 ? "" : "s");
            return EXIT_OK;
        } else if ((v = option_value(argc, argv, &i, "--database"))) {
            c->database = v;
        } else if (strcmp(a, "--embedded") == 0) {
            c->embedded = default_embedded_dir;
        } else if (strncmp(a, "--embedded=", 11) == 0 && a[11]) {
            c->embedded = a + 11;
        } else if (strcmp(a, "--single-transaction") == 0) {
            c->opts.flags |= MIGC_OPT_SINGLE_TRANSACTION;
        } else if (strcmp(a, "--strict") == 0) {
            c->opts.flags |= MIGC_OPT_STRICT;
        } else if (strcmp(a, "--prune-packs") == 0) {
            c->opts.flags |= MIGC_OPT_PRUNE_PACKS;
        } else if ((v = option_value(argc, argv, &i, "--lock-timeout"))) {
            c->opts.lock_timeout = v;
        } else if ((v = option_value(argc, argv, &i, "--statement-timeout"))) {
            c->opts.statement_timeout = v;
        } else if ((v = option_value(argc, argv, &i, "--wait"))) {
            if (parse_seconds(v, &c->opts.lock_wait_ms) != 0)
                return unknown(c, "--wait takes seconds (or -1), not", v);
        } else if (strcmp(a, "--retry") == 0) {
            c->how = MIGC_RESOLVE_RETRY;
        } else if (strcmp(a, "--skip") == 0) {
            c->how = MIGC_RESOLVE_SKIP;
        } else if (strcmp(a, "--applied") == 0) {
            c->how = MIGC_RESOLVE_APPLIED;
        } else if (a[0] == '-' && a[1]) {
            return unknown(c, "unknown option", a);
        } else if (!c->command) {
            c->command = a;
        } else if (strcmp(c->command, "resolve") == 0 && !c->argument) {
            c->argument = a;
        } else {
            fprintf(stderr, "%s: error: unexpected argument '%s'\n", c->prog,
                    a);
            return EXIT_USAGE;
        }
    }
    if (!c->command) {
        usage(stderr, c->prog);
        return EXIT_USAGE;
    }
    static const char *const commands[] = {"up", "status", "check", "plan",
                                           "resolve"};
    int known = 0;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        known |= strcmp(c->command, commands[i]) == 0;
    if (!known)
        return unknown(c, "unknown command", c->command);
    if (strcmp(c->command, "resolve") == 0 && !c->argument) {
        fprintf(stderr, "%s: error: resolve needs the VERSION of the failed "
                        "migration\n",
                c->prog);
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

/* The exit code of a failed call. */
static int exit_of(enum migc_code rc)
{
    switch (rc) {
    case MIGC_OK: return EXIT_OK;
    case MIGC_ERR_CHECKSUM:
    case MIGC_ERR_LEDGER:
    case MIGC_ERR_FAILED:
    case MIGC_ERR_AHEAD: return EXIT_DRIFT;
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

static void on_event(const struct migc_event *ev, void *ctx)
{
    struct cli *c = ctx;
    if (ev->kind == MIGC_EVENT_APPLYING && c->progress) {
        fprintf(stderr, "[%zu] applying %s ...\n", c->done + 1,
                ev->migration->name);
    } else if (ev->kind == MIGC_EVENT_APPLIED) {
        c->done++;
        printf("applied %s (%.1f ms)\n", ev->migration->name,
               (double)ev->duration_us / 1000.0);
        fflush(stdout);
    } else if (ev->kind == MIGC_EVENT_PACK) {
        printf("synchronised pack %s (%zu rows)\n", ev->pack->name,
               ev->pack->n_rows);
        fflush(stdout);
    }
}

static int run_up(struct pg_conn *conn, struct cli *c, struct migc_error *err)
{
    struct migc_report rep;
    enum migc_code rc = migc_migrate(conn, c->schema, &c->opts, &rep, err);
    if (rc != MIGC_OK)
        return exit_of(rc);
    if (rep.applied == 0 && rep.packs_synced == 0)
        printf("database is up to date (%zu migrations; %u round trip%s)\n",
               c->schema->n_migrations, rep.round_trips,
               rep.round_trips == 1 ? "" : "s");
    else
        printf("applied %zu migration%s; database is up to date\n",
               rep.applied, rep.applied == 1 ? "" : "s");
    return EXIT_OK;
}

static int run_check(struct pg_conn *conn, struct cli *c,
                     struct migc_error *err)
{
    struct migc_report rep;
    enum migc_code rc = migc_check(conn, c->schema, &c->opts, &rep, err);
    if (rc != MIGC_OK)
        return exit_of(rc);
    if (rep.pending) {
        printf("%zu pending\n", rep.pending);
        return EXIT_PENDING;
    }
    printf("up to date\n");
    return EXIT_OK;
}

static void print_detail(const struct migc_status_entry *e)
{
    if (e->state == MIGC_STATE_FAILED)
        printf("%20s  failed at statement %d: %s\n", "", e->failed_statement + 1,
               e->error);
    else if (e->state == MIGC_STATE_RUNNING && e->migration)
        printf("%20s  %d of %zu statements done\n", "", e->completed,
               e->migration->up.n_statements);
}

static int run_status(struct pg_conn *conn, struct cli *c,
                      struct migc_error *err)
{
    struct migc_status *st;
    enum migc_code rc = migc_status(conn, c->schema, &c->opts, &st, err);
    if (rc != MIGC_OK)
        return exit_of(rc);
    printf("%-20s  %-11s  %-22s  %10s  %s\n", "VERSION", "STATE",
           "APPLIED AT", "DURATION", "NAME");
    for (size_t i = 0; i < st->n_entries; i++) {
        const struct migc_status_entry *e = &st->entries[i];
        char duration[32] = "";
        if (e->applied_at[0])
            snprintf(duration, sizeof duration, "%.1f ms",
                     (double)e->duration_us / 1000.0);
        printf("%-20" PRId64 "  %-11s  %-22s  %10s  %s\n", e->version,
               migc_state_name(e->state), e->applied_at, duration, e->name);
        print_detail(e);
    }
    for (size_t i = 0; i < st->n_packs; i++) {
        const struct migc_pack_status *p = &st->packs[i];
        if (i == 0)
            printf("\n%-20s  %-11s  %-22s  %10s  %s\n", "PACK", "STATE",
                   "SYNCED AT", "ROWS", "PATH");
        printf("%-20s  %-11s  %-22s  %10zu  %s\n", p->pack->name,
               migc_pack_state_name(p->state), p->synced_at, p->pack->n_rows,
               p->pack->path);
    }
    if (st->n_packs)
        printf("%zu migrations, %zu pack%s, %zu pending\n",
               c->schema->n_migrations, st->n_packs,
               st->n_packs == 1 ? "" : "s", st->n_pending);
    else
        printf("%zu migrations, %zu pending\n", c->schema->n_migrations,
               st->n_pending);
    migc_status_free(st);
    return EXIT_OK;
}

static int run_plan(struct pg_conn *conn, struct cli *c,
                    struct migc_error *err)
{
    /* What `up` would refuse, it refuses here too. */
    struct migc_report rep;
    enum migc_code rc = migc_check(conn, c->schema, &c->opts, &rep, err);
    struct migc_status *st = NULL;
    if (rc == MIGC_OK)
        rc = migc_status(conn, c->schema, &c->opts, &st, err);
    if (rc != MIGC_OK)
        return exit_of(rc);
    size_t n = 0;
    for (size_t i = 0; i < st->n_entries; i++) {
        const struct migc_status_entry *e = &st->entries[i];
        const struct migc_migration *m = e->migration;
        if (!m || (e->state != MIGC_STATE_PENDING &&
                   e->state != MIGC_STATE_RUNNING &&
                   e->state != MIGC_STATE_FAILED))
            continue;
        const char *how = (c->opts.flags & MIGC_OPT_SINGLE_TRANSACTION)
                              ? "in the one transaction of the run"
                          : (m->up.flags & MIGC_SCRIPT_NO_TRANSACTION)
                              ? "outside a transaction, statement by statement"
                              : "in its own transaction";
        printf("apply %" PRId64 " %s: %zu statement%s, %s", e->version, m->name,
               m->up.n_statements, m->up.n_statements == 1 ? "" : "s", how);
        if (e->state != MIGC_STATE_PENDING)
            printf(", resuming at statement %d", e->completed + 1);
        printf("\n");
        n++;
    }
    for (size_t i = 0; i < st->n_packs; i++)
        if (st->packs[i].state != MIGC_PACK_SYNCED) {
            printf("synchronise pack %s: %zu rows (%s)\n",
                   st->packs[i].pack->name, st->packs[i].pack->n_rows,
                   migc_pack_state_name(st->packs[i].state));
            n++;
        }
    if (n == 0)
        printf("nothing to do: the database is up to date\n");
    migc_status_free(st);
    return EXIT_OK;
}

static int run_resolve(struct pg_conn *conn, struct cli *c,
                       struct migc_error *err)
{
    char *end;
    errno = 0;
    long long v = strtoll(c->argument, &end, 10);
    if (errno || end == c->argument || *end) {
        fprintf(stderr, "%s: error: '%s' is not a migration version\n",
                c->prog, c->argument);
        return EXIT_USAGE;
    }
    enum migc_code rc =
        migc_resolve(conn, c->schema, &c->opts, (int64_t)v, c->how, err);
    return rc == MIGC_OK ? EXIT_OK : EXIT_FAIL;
}

static int run(struct cli *c, const char *conninfo)
{
    struct migc_error err = MIGC_ERROR_INIT;
    struct pg_conn *conn = pq_connect(conninfo, &err);
    int rc = EXIT_FAIL;
    if (conn) {
        const char *cmd = c->command;
        rc = strcmp(cmd, "up") == 0        ? run_up(conn, c, &err)
             : strcmp(cmd, "check") == 0   ? run_check(conn, c, &err)
             : strcmp(cmd, "plan") == 0    ? run_plan(conn, c, &err)
             : strcmp(cmd, "resolve") == 0 ? run_resolve(conn, c, &err)
                                           : run_status(conn, c, &err);
        pq_finish(conn);
    }
    if (migc_error_isset(&err))
        print_error(c->prog, &err);
    return rc;
}

int migc_main_with(int argc, char **argv, const struct migc_schema *schema,
                   const struct migc_main_config *config)
{
    struct cli c = {.prog = base_name(argc > 0 ? argv[0] : NULL),
                    .schema = schema,
                    .config = config};
    if (!schema) {
        fprintf(stderr, "%s: error: no schema given\n", c.prog);
        return EXIT_USAGE;
    }
    int rc = parse_args(argc, argv, &c);
    if (rc >= 0)
        return rc;
    c.opts.on_event = on_event;
    c.opts.event_ctx = &c;
    c.opts.log = config && config->log ? config->log : log_line;
    c.opts.log_ctx = config && config->log ? config->log_ctx : &c;
    c.opts.ledger_schema = config ? config->ledger_schema : NULL;
    c.opts.ledger_table = config ? config->ledger_table : NULL;
    c.progress = isatty(fileno(stderr));

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
        return run(&c, conninfo);

    struct migc_error err = MIGC_ERROR_INIT;
    struct embedded_pg *pg = NULL;
    if (embedded_start(c.embedded, &pg, &err) != MIGC_OK) {
        print_error(c.prog, &err);
        return EXIT_FAIL;
    }
    printf("embedded database in %s\n", c.embedded);
    fflush(stdout);
    rc = run(&c, embedded_conninfo(pg));
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

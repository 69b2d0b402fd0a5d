/* cli_args.c: migc_main()'s arguments, its help and its version line. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char default_embedded_dir[] = "migc-data";

/* Every command: its arguments, one line for the list, and its help. */
struct command {
    const char *name, *args, *summary, *help;
};

static const struct command commands[] = {
    {"up", "",
     "apply every pending migration, then the packs",
     "Applies every pending migration in version order, each in its own\n"
     "transaction with its ledger row (no-transaction migrations statement\n"
     "by statement), then synchronises the packs whose rows changed. With\n"
     "nothing to do it is one round trip and takes no lock. Prints a line\n"
     "when each migration starts and ends.\n"
     "\n"
     "  --single-transaction   every pending migration in one transaction\n"
     "  --synchronous-commit   every migration's commit waits for its WAL\n"
     "                         flush (default: only the run's last one,\n"
     "                         which makes the earlier ones durable)\n"
     "  --strict               a database ahead of this binary, and a\n"
     "                         migration edited only in whitespace or\n"
     "                         comments, are errors\n"
     "  --lock-timeout D       lock_timeout for the migrations (e.g. 5s)\n"
     "  --statement-timeout D  statement_timeout for the migrations\n"
     "  --wait SECONDS         how long to wait for another process applying\n"
     "                         migrations (default 600; -1: forever)\n"
     "  --prune-packs          delete pack rows gone from the YAML\n"
     "  --to VERSION           apply only up to VERSION (the packs wait\n"
     "                         until nothing is left pending)\n"
     "  --adopt                adopt another tool's ledger first, when\n"
     "                         migc's is absent (see adopt; --from and\n"
     "                         --ledger-table too), then apply\n"
     "  --format=json          the final report as one JSON document\n"
     "\n"
     "A fleet (docs/fleets.md): every target brought up to date, at most\n"
     "--jobs at once, a failure stopping only its target; a line per target\n"
     "as it finishes, then a summary. Exit 0 when every target is up to\n"
     "date, 5 when some failed.\n"
     "  --fleet FILE           one connection string a line (# comments;\n"
     "                         -: standard input)\n"
     "  --fleet-query SQL      run on the database: the names of the\n"
     "                         databases, each one target\n"
     "  --fleet-schemas SQL    run on the database: the names of the\n"
     "                         schemas, each one target (--schema NAME)\n"
     "  --jobs N               targets at once (default 4)\n"},
    {"adopt", "",
     "record what another migration tool applied in migc's ledger",
     "Finds another tool's ledger (sqlx, dbmate, golang-migrate, goose,\n"
     "kysely, flyway, diesel, prisma, postgrator, node-pg-migrate) in the\n"
     "search_path's schema or public, maps each of its rows to an embedded\n"
     "migration by that tool's identity, prints the plan, then records the\n"
     "adopted migrations in migc's ledger in one transaction. The other\n"
     "tool's table is never modified; the DROP TABLE to run when nothing\n"
     "reads it is printed. Refused (exit 4, nothing written) when a row is\n"
     "failed, dirty, unfinished or rolled back, maps to no migration and is\n"
     "older than the newest, or its checksum (or Flyway's description)\n"
     "differs, or (the tools without checksums) the schema is\n"
     "not what a replay of the adopted migrations on a scratch database\n"
     "builds. A second adopt is a no-op (docs/adopting.md).\n"
     "\n"
     "  --from TOOL            the tool whose ledger to adopt (needed when\n"
     "                         two are present)\n"
     "  --ledger-table NAME    its table under another name than the tool's\n"
     "  --dry-run              print the plan (and compare the schema),\n"
     "                         write nothing\n"
     "  --verify-schema        compare the live schema with a replay of the\n"
     "                         adopted migrations on a scratch database\n"
     "                         (CREATEDB); the default for the tools that\n"
     "                         keep no checksum\n"
     "  --no-verify-schema     skip that comparison\n"
     "  --format=json          the plan and its outcome as one JSON document\n"
     "                         (the text plan then goes to stderr)\n"},
    {"down", " --steps N | --to VERSION",
     "revert applied migrations by their down scripts",
     "Reverts applied migrations, newest first: the newest N (--steps N),\n"
     "or every one above VERSION (--to VERSION; 0: all). Each down script\n"
     "runs in one transaction with the removal of its ledger row (one that\n"
     "runs outside a transaction: statement by statement, then the row).\n"
     "Refused before anything runs (exit 2), naming the migration: one in\n"
     "the way without a down script, a baseline (a squash cannot be\n"
     "undone), or one this binary does not embed. Packs are left as they\n"
     "are.\n"
     "\n"
     "  --steps N              revert the newest N applied migrations\n"
     "  --to VERSION           revert every applied migration above VERSION\n"
     "  --lock-timeout D, --statement-timeout D, --wait SECONDS: see up\n"},
    {"redo", "",
     "revert the newest applied migration, then apply it again",
     "down --steps 1, then up to the version it reverted: for the migration\n"
     "being written. Refused as down refuses.\n"},
    {"status", "",
     "list every migration and pack with its state",
     "Lists every migration, embedded or recorded, with its state (pending,\n"
     "applied, modified, reformatted, missing, failed, running, ahead,\n"
     "reverting, squashed, part-way, partial), when it was applied and how\n"
     "long it took, and under a baseline how the database crosses it\n"
     "(fresh, crossed, part-way); then the packs. Read-only.\n"
     "\n"
     "  --format=json          one JSON document (docs/cli.md)\n"
     "  --fleet FILE, --fleet-query SQL, --fleet-schemas SQL, --jobs N:\n"
     "                         the version matrix of a fleet, a row per\n"
     "                         target: newest applied, pending, drift (see\n"
     "                         up; exit 5 when a target cannot be read)\n"},
    {"check", "",
     "exit 0 up to date, 3 pending, 4 the ledger disagrees",
     "Read-only, one round trip, no lock: for readiness probes. Exits 0\n"
     "when the database is up to date, 3 when migrations or packs are\n"
     "pending, 4 when the ledger disagrees with this binary (an applied\n"
     "migration edited, failed, or unknown; with --strict, the database\n"
     "ahead).\n"
     "\n"
     "  --strict               see up\n"
     "  --format=json          one JSON document (docs/cli.md)\n"},
    {"plan", "",
     "print what `up` would do, without doing it",
     "Prints each migration `up` would apply and how (in its own\n"
     "transaction, in the run's one transaction, or statement by\n"
     "statement), and each pack it would synchronise. Refuses what `up`\n"
     "would refuse. Read-only.\n"
     "\n"
     "  --single-transaction   plan a run in one transaction\n"
     "  --format=json          one JSON document (docs/cli.md)\n"},
    {"resolve", " VERSION",
     "clear a failed migration after fixing the database",
     "Clears the failure recorded for migration VERSION, once the database\n"
     "is fixed by hand:\n"
     "\n"
     "  --retry    (default) the next `up` runs the failed statement again\n"
     "  --skip     the next `up` continues after the failed statement\n"
     "  --applied  record the whole migration as applied\n"},
    {"create-db", " NAME",
     "create database NAME, up to date, as a copy of the schema's template",
     "Creates database NAME on the server as a copy of this schema's\n"
     "template database (CREATE DATABASE NAME TEMPLATE migc_tpl_...): up\n"
     "to date, migrations and packs, in the time the server takes to copy\n"
     "files. For test suites that want a fresh database per test or per\n"
     "worker (docs/templates.md). The template is built on first use (the\n"
     "migrations applied, then marked as a template); concurrent callers\n"
     "build it once. A changed schema builds a new template and drops the\n"
     "ones migc made for this schema's name before (never one in use).\n"
     "The database given (--database, DATABASE_URL, ...) is the\n"
     "maintenance database it connects to, usually postgres: every caller\n"
     "must give the same one. Needs CREATEDB. Exit 0 created, 1 failed\n"
     "(NAME exists, the build failed), 2 usage.\n"
     "\n"
     "  --wait SECONDS         how long to wait for another process\n"
     "                         building the template (default 600)\n"
     "  --lock-timeout D, --statement-timeout D: for the build, see up\n"},
    {"drop-db", " NAME",
     "drop database NAME (not a template migc made)",
     "Drops database NAME (connected to the maintenance database, as\n"
     "create-db). Refused for a database in use (unless --force) and for a\n"
     "template migc made (dropped when the schema changes). Exit 0\n"
     "dropped, 1 failed, 2 usage.\n"
     "\n"
     "  --force                DROP DATABASE ... WITH (FORCE): end the\n"
     "                         sessions connected to it (PostgreSQL 13+)\n"
     "  --if-exists            a database that does not exist is no error\n"},
    {"help", " [COMMAND]", "print the help of every command, or of one",
     "Prints the usage, or COMMAND's help (the same as COMMAND --help).\n"},
};

#define N_COMMANDS (sizeof commands / sizeof *commands)

static const struct command *command_named(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

void cli_usage(const struct cli *c, FILE *out)
{
    fprintf(out, "usage: %s [OPTIONS] COMMAND\n\nCommands:\n", c->prog);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        char head[32];
        snprintf(head, sizeof head, "%s%s", commands[i].name,
                 commands[i].args);
        if (strlen(head) < 17)
            fprintf(out, "  %-17s%s\n", head, commands[i].summary);
        else /* too long for the column: the summary on a line of its own */
            fprintf(out, "  %s\n  %-17s%s\n", head, "", commands[i].summary);
    }
    fprintf(out,
            "\n"
            "Options of every command:\n"
            "  --database URL         PostgreSQL URL or conninfo\n"
            "  --embedded[=DIR]       run a private local PostgreSQL cluster\n"
            "                         in DIR (default DIR: %s)\n"
            "  --connect-wait SECONDS retry connecting until the server\n"
            "                         accepts, for at most SECONDS\n"
            "  --format=text|json     output of up, status, check, plan and adopt\n"
            "  --schema NAME          the migrations inside schema NAME: its\n"
            "                         search_path, migc's ledger there\n"
            "                         (docs/fleets.md)\n"
            "  --version              the migc version and the schema's\n"
            "                         fingerprint\n"
            "  --help                 this help; `%s COMMAND --help` for one\n"
            "                         command's options\n"
            "\n"
            "The database, in this order: --database, DATABASE_URL, libpq's\n"
            "own variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSFILE,\n"
            "PGSERVICE), --embedded.\n"
            "\n"
            "Exit status: 0 success, 1 failure, 2 usage, 3 pending (check),\n"
            "4 the ledger disagrees with this binary, 5 some target of a\n"
            "fleet failed.\n",
            default_embedded_dir, c->prog);
}

static void command_help(const struct cli *c, const struct command *cmd)
{
    printf("usage: %s [OPTIONS] %s%s\n\n%s", c->prog, cmd->name, cmd->args,
           cmd->help);
    printf("\nOptions of every command: see `%s --help`.\n", c->prog);
}

int cli_usage_error(const struct cli *c, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: error: ", c->prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr,
            "\nusage: %s [OPTIONS] COMMAND\n"
            "run `%s --help` for the commands and options\n",
            c->prog, c->prog);
    return EXIT_USAGE;
}

int cli_parse_seconds(const char *s, int64_t *ms)
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

static void print_version(const struct cli *c)
{
    const struct migc_schema *s = c->schema;
    printf("%s: migc %s (data format %d); schema %s %s (%zu migrations, "
           "%zu pack%s)\n",
           c->prog, migc_version(), MIGC_FORMAT_VERSION, s->name,
           s->fingerprint, s->n_migrations, s->n_packs,
           s->n_packs == 1 ? "" : "s");
}

/* The options that take no value; 1 when a was one. */
static int flag(struct cli *c, const char *a)
{
    static const struct {
        const char *name;
        unsigned flag;
    } flags[] = {
        {"--single-transaction", MIGC_OPT_SINGLE_TRANSACTION},
        {"--strict", MIGC_OPT_STRICT},
        {"--prune-packs", MIGC_OPT_PRUNE_PACKS},
        {"--synchronous-commit", MIGC_OPT_SYNCHRONOUS_COMMIT},
    };
    if (strcmp(a, "--verify-schema") == 0 ||
        strcmp(a, "--no-verify-schema") == 0) {
        c->verify_schema |= a[2] == 'n' ? 2 : 1; /* settled after the loop */
        return 1;
    }
    if (strcmp(a, "--dry-run") == 0 || strcmp(a, "--adopt") == 0) {
        *(a[2] == 'd' ? &c->dry_run : &c->adopt) = 1;
        return 1;
    }
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        if (strcmp(a, flags[i].name) == 0) {
            c->opts.flags |= flags[i].flag;
            return 1;
        }
    static const struct {
        const char *name;
        enum migc_resolve_how how;
    } hows[] = {{"--retry", MIGC_RESOLVE_RETRY},
                {"--skip", MIGC_RESOLVE_SKIP},
                {"--applied", MIGC_RESOLVE_APPLIED}};
    for (size_t i = 0; i < sizeof hows / sizeof *hows; i++)
        if (strcmp(a, hows[i].name) == 0) {
            c->how = hows[i].how;
            return 1;
        }
    if (strcmp(a, "--embedded") == 0) {
        c->embedded = default_embedded_dir;
        return 1;
    }
    if (strcmp(a, "--force") == 0 || strcmp(a, "--if-exists") == 0) {
        *(a[2] == 'f' ? &c->force : &c->if_exists) = 1;
        return 1;
    }
    return 0;
}

/* The options that take one; 1 when a was one, -1 when its value is
 * wrong (printed), 0 when a is not one of them. */
static int valued(int argc, char **argv, int *i, struct cli *c)
{
    const char *v;
    if ((v = option_value(argc, argv, i, "--database"))) {
        c->database = v;
    } else if (strncmp(argv[*i], "--embedded=", 11) == 0 && argv[*i][11]) {
        c->embedded = argv[*i] + 11;
    } else if ((v = option_value(argc, argv, i, "--lock-timeout"))) {
        c->opts.lock_timeout = v;
    } else if ((v = option_value(argc, argv, i, "--statement-timeout"))) {
        c->opts.statement_timeout = v;
    } else if ((v = option_value(argc, argv, i, "--wait"))) {
        if (cli_parse_seconds(v, &c->opts.lock_wait_ms) != 0)
            return cli_usage_error(c, "--wait takes seconds (or -1), not '%s'",
                                   v),
                   -1;
    } else if ((v = option_value(argc, argv, i, "--connect-wait"))) {
        if (cli_parse_seconds(v, &c->connect_wait_ms) != 0)
            return cli_usage_error(
                       c, "--connect-wait takes seconds (or -1), not '%s'", v),
                   -1;
    } else if ((v = option_value(argc, argv, i, "--steps"))) {
        char *end;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (errno || end == v || *end || n <= 0)
            return cli_usage_error(c, "--steps takes a count above 0, not '%s'",
                                   v),
                   -1;
        c->steps = (size_t)n;
    } else if ((v = option_value(argc, argv, i, "--to"))) {
        char *end;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (errno || end == v || *end || n < 0)
            return cli_usage_error(c, "--to takes a migration version, not '%s'",
                                   v),
                   -1;
        c->to = n;
    } else if ((v = option_value(argc, argv, i, "--from"))) {
        c->adopt_from = foreign_tool_named(v);
        if (c->adopt_from == FT_NONE)
            return cli_usage_error(c,
                                   "--from takes sqlx, dbmate, "
                                   "golang-migrate, goose, kysely, flyway, "
                                   "diesel, prisma, postgrator or "
                                   "node-pg-migrate, not '%s'",
                                   v),
                   -1;
    } else if ((v = option_value(argc, argv, i, "--fleet"))) {
        c->fleet_file = v;
    } else if ((v = option_value(argc, argv, i, "--fleet-query"))) {
        c->fleet_query = v;
    } else if ((v = option_value(argc, argv, i, "--fleet-schemas"))) {
        c->fleet_schemas = v;
    } else if ((v = option_value(argc, argv, i, "--jobs"))) {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (errno || end == v || *end || n < 1 || n > 1000)
            return cli_usage_error(c, "--jobs takes a count from 1 to 1000, "
                                      "not '%s'", v),
                   -1;
        c->jobs = (int)n;
    } else if ((v = option_value(argc, argv, i, "--schema"))) {
        /* PostgreSQL keeps 63 bytes of a name: a longer one names another */
        if (!*v || strlen(v) > 63)
            return cli_usage_error(c, "--schema takes a schema name of 1 to "
                                      "63 bytes, not '%s'", v),
                   -1;
        c->target_schema = v;
    } else if ((v = option_value(argc, argv, i, "--ledger-table"))) {
        c->adopt_table = v;
    } else if ((v = option_value(argc, argv, i, "--format"))) {
        if (strcmp(v, "json") == 0)
            c->format = CLI_JSON;
        else if (strcmp(v, "text") == 0)
            c->format = CLI_TEXT;
        else
            return cli_usage_error(c, "--format is text or json, not '%s'", v),
                   -1;
    } else {
        return 0;
    }
    return 1;
}

/* After the loop: the command is known and has what it needs. */
static int check_command(struct cli *c, int help)
{
    if (!c->command) {
        if (help) {
            cli_usage(c, stdout);
            return EXIT_OK;
        }
        return cli_usage_error(c, "%s", "no command given");
    }
    const struct command *cmd = command_named(c->command);
    if (!cmd)
        return cli_usage_error(c, "unknown command '%s'", c->command);
    if (strcmp(c->command, "help") == 0) {
        const struct command *of = c->argument ? command_named(c->argument)
                                               : NULL;
        if (c->argument && !of)
            return cli_usage_error(c, "unknown command '%s'", c->argument);
        if (of)
            command_help(c, of);
        else
            cli_usage(c, stdout);
        return EXIT_OK;
    }
    if (help) {
        command_help(c, cmd);
        return EXIT_OK;
    }
    if (strcmp(c->command, "resolve") == 0 && !c->argument)
        return cli_usage_error(
            c, "%s", "resolve needs the VERSION of the failed migration");
    int db_command = cli_is_database_command(c);
    if (db_command && !c->argument)
        return cli_usage_error(c, "%s needs the NAME of the database",
                               c->command);
    if ((c->force || c->if_exists) && strcmp(c->command, "drop-db") != 0)
        return cli_usage_error(c, "--force and --if-exists are for drop-db, "
                                  "not %s",
                               c->command);
    if (strcmp(c->command, "down") == 0 && (c->steps > 0) == (c->to >= 0))
        return cli_usage_error(c, "%s",
                               "down needs --steps N or --to VERSION (one of "
                               "them)");
    if (c->steps > 0 && strcmp(c->command, "down") != 0)
        return cli_usage_error(c, "--steps is for down, not %s", c->command);
    int adopting = strcmp(c->command, "adopt") == 0 ||
                   (strcmp(c->command, "up") == 0 && c->adopt);
    if (c->adopt && strcmp(c->command, "up") != 0)
        return cli_usage_error(c, "--adopt is for up, not %s", c->command);
    if (c->dry_run && strcmp(c->command, "adopt") != 0)
        return cli_usage_error(c, "--dry-run is for adopt, not %s",
                               c->command);
    if (c->verify_schema == 3)
        return cli_usage_error(c, "%s",
                               "--verify-schema and --no-verify-schema "
                               "contradict each other");
    c->verify_schema = c->verify_schema == 2 ? -1 : c->verify_schema;
    if ((c->adopt_from != FT_NONE || c->adopt_table || c->verify_schema) &&
        !adopting)
        return cli_usage_error(c, "%s",
                               "--from, --ledger-table and "
                               "--[no-]verify-schema are for adopt and up "
                               "--adopt");
    int fleets = !!c->fleet_file + !!c->fleet_query + !!c->fleet_schemas;
    if (fleets > 1)
        return cli_usage_error(c, "%s",
                               "--fleet, --fleet-query and --fleet-schemas "
                               "each name the whole fleet: give one");
    if (fleets && strcmp(c->command, "up") != 0 &&
        strcmp(c->command, "status") != 0)
        return cli_usage_error(c, "a fleet is for up and status, not %s",
                               c->command);
    if (c->jobs && !fleets)
        return cli_usage_error(c, "%s",
                               "--jobs is for a fleet (--fleet, "
                               "--fleet-query or --fleet-schemas)");
    if (fleets && (c->adopt || c->embedded))
        return cli_usage_error(c, "%s",
                               c->adopt ? "--adopt is for one database, not "
                                          "a fleet"
                                        : "--embedded is one local cluster, "
                                          "not a fleet");
    if (c->fleet_schemas && c->target_schema)
        return cli_usage_error(c, "%s",
                               "--fleet-schemas names each target's schema: "
                               "--schema contradicts it");
    if (c->to == 0 && strcmp(c->command, "up") == 0)
        return cli_usage_error(c, "%s", "up --to takes a version above 0");
    if (c->to >= 0 && strcmp(c->command, "up") != 0 &&
        strcmp(c->command, "down") != 0)
        return cli_usage_error(c, "--to is for up and down, not %s",
                               c->command);
    return -1;
}

int cli_parse(int argc, char **argv, struct cli *c)
{
    int help = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help = 1;
        } else if (strcmp(a, "--version") == 0 ||
                   strcmp(a, "--schema-version") == 0) {
            if (strcmp(a, "--version") == 0)
                print_version(c);
            else
                printf("%s %s (%zu migrations, %zu pack%s)\n", c->schema->name,
                       c->schema->fingerprint, c->schema->n_migrations,
                       c->schema->n_packs, c->schema->n_packs == 1 ? "" : "s");
            return EXIT_OK;
        } else if (flag(c, a)) {
            continue;
        } else if ((r = valued(argc, argv, &i, c)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error(c, "unknown option '%s'", a);
        } else if (!c->command) {
            c->command = a;
        } else if ((strcmp(c->command, "resolve") == 0 ||
                    strcmp(c->command, "help") == 0 ||
                    cli_is_database_command(c)) &&
                   !c->argument) {
            c->argument = a;
        } else {
            return cli_usage_error(c, "unexpected argument '%s'", a);
        }
    }
    return check_command(c, help);
}

/* cli.h: the pieces of migc_main(): arguments and help (cli_args.c), what
 * each command prints, as text or JSON (cli_report.c), and the driver
 * (cli.c). Internal to the command-line library. */
#ifndef MIGC_RUNTIME_CLI_H
#define MIGC_RUNTIME_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "foreign.h"
#include "migc.h"

enum {
    EXIT_OK = 0,
    EXIT_FAIL = 1,
    EXIT_USAGE = 2,
    EXIT_PENDING = 3,
    EXIT_DRIFT = 4,
    EXIT_FLEET = 5 /* up/status --fleet: some target failed (docs/fleets.md) */
};

enum cli_format { CLI_TEXT, CLI_JSON };

/* One migration `up` applied, for its JSON report. */
struct cli_applied {
    int64_t version;
    const char *name; /* static generated data */
    int64_t duration_us;
};

struct cli {
    const char *prog;
    const char *command;  /* NULL until given */
    const char *argument; /* resolve: VERSION; help: COMMAND */
    const char *database; /* --database */
    const char *embedded; /* --embedded[=DIR]: DIR */
    enum migc_resolve_how how;
    enum cli_format format;
    int64_t connect_wait_ms; /* --connect-wait: 0 none, -1 forever */
    size_t steps;            /* down --steps N */
    int64_t to;              /* --to VERSION (up, down); -1: not given */
    struct migc_options opts;
    const struct migc_main_config *config;
    const struct migc_schema *schema;
    /* `up`: what was applied, for the progress lines and the report */
    struct cli_applied *applied;
    size_t n_applied, cap_applied;
    size_t packs_synced;
    int64_t reverted;       /* the last version down reverted (redo) */
    /* adopt (docs/adopting.md); up --adopt */
    enum foreign_tool adopt_from; /* --from TOOL; FT_NONE: any */
    const char *adopt_table;      /* --ledger-table NAME, or NULL */
    int dry_run;                  /* --dry-run */
    int adopt;                    /* up --adopt */
    int verify_schema; /* --verify-schema 1, --no-verify-schema -1, else 0 */
    /* fleets (docs/fleets.md): one of the three names the targets */
    const char *fleet_file;    /* --fleet FILE ("-": standard input) */
    const char *fleet_query;   /* --fleet-query SQL: database names */
    const char *fleet_schemas; /* --fleet-schemas SQL: schema names */
    int jobs;                  /* --jobs N; 0: the default */
    const char *target_schema; /* --schema NAME */
    /* drop-db */
    int force;     /* --force: WITH (FORCE) */
    int if_exists; /* --if-exists */
};

/* ---- cli_args.c -------------------------------------------------------- */

/* Parse argv into c. Returns -1 to go on, or the exit status when the
 * arguments were answered (--help, --version) or wrong (printed). */
int cli_parse(int argc, char **argv, struct cli *c);

/* The full usage (--help), to out. */
void cli_usage(const struct cli *c, FILE *out);

/* A one-line mistake: "PROG: error: ...", then the short usage, on stderr.
 * Returns EXIT_USAGE. */
int cli_usage_error(const struct cli *c, const char *fmt, const char *arg);

/* Seconds ("2", "0.5", "-1" forever) as milliseconds; -1 when malformed. */
int cli_parse_seconds(const char *s, int64_t *ms);

/* ---- cli_db.c ----------------------------------------------------------- */

/* The command is create-db or drop-db, which open their own connections
 * to the database given (the maintenance database). */
int cli_is_database_command(const struct cli *c);

/* Run create-db or drop-db with conninfo; returns the exit status. */
int cli_database(struct cli *c, const char *conninfo);

/* ---- cli_report.c ------------------------------------------------------ */

/* s on one line of output: control characters as \xNN (a migration's file
 * name may hold a line break), into buf (cut short to fit). Returns buf. */
const char *cli_shown(const char *s, char *buf, size_t size);

/* JSON on stdout: a string (escaped, UTF-8 as is); "key": "value" or
 * null for an empty value, after ", " unless first; and the opening
 * {"command": ..., "schema": {...}, of every command's document. */
void cli_json_str(const char *s);
void cli_json_key_str(const char *key, const char *value, int first);
void cli_json_open(const struct cli *c);

/* Show the server's warnings on stderr (as libpq does), not its notices:
 * the receiver of every connection the command line opens. */
void cli_warnings_only(struct pg_conn *conn);

/* An error, "PROG: error: message" (a failed statement's message starts
 * with its path:line:col), then DETAIL and HINT lines, on stderr. */
void cli_print_error(const struct cli *c, const struct migc_error *e);

/* Each command's output on stdout, as c->format says. rc is the call's
 * code; e its error (JSON carries it, stderr has it too). */
void cli_report_up(const struct cli *c, enum migc_code rc,
                   const struct migc_report *rep, const struct migc_error *e);
void cli_report_check(const struct cli *c, enum migc_code rc,
                      const struct migc_report *rep,
                      const struct migc_error *e);
void cli_report_status(const struct cli *c, const struct migc_status *st);
void cli_report_plan(const struct cli *c, const struct migc_status *st);
/* A failed status or plan in JSON: the error object alone. */
void cli_report_failure(const struct cli *c, const struct migc_error *e);

/* "error": {...} or null on stdout (cli_fleet_report.c; the other JSON
 * pieces are declared above). */
void cli_json_error(const struct migc_error *e);

#endif

/* args.c: the migc command line: its arguments, checked, and its help. */
#include "args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "emit.h"
#include "squash.h"
#include "verify.h"
#include "xalloc.h"

const char args_usage_main[] =
    "usage: migc COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  compile DIR -o OUT.c --header OUT.h --name SYMBOL [--werror]\n"
    "            check the migrations in DIR (and the packs beside it) and\n"
    "            write them as C data\n"
    "  check DIR [--format=text|json|sarif] [--werror] [--lock FILE]\n"
    "            run every check of compile, write nothing\n"
    "  lock DIR [--lock FILE] [--squash [--no-verify]]\n"
    "            record every migration not yet locked as released\n"
    "  list DIR  print the migrations in the order they apply\n"
    "  new DIR NAME [--layout NAME] [--no-transaction]\n"
    "            create the next migration of DIR, in its layout\n"
    "  schema DIR\n"
    "            print the schema the migrations build, as migc models it\n"
    "  squash DIR --through VERSION [--from VERSION] [--database URL]\n"
    "            replace a range of migrations by one baseline, replayed\n"
    "            on PostgreSQL; the originals move into DIR/squashed/\n"
    "  verify DIR [--baseline VERSION] [--database URL]\n"
    "            prove each baseline builds the schema its archived\n"
    "            originals build (docs/verify.md)\n"
    "  squash DIR --retire VERSION [--archive PATH]\n"
    "            retire a baseline's archived originals (docs/squashing.md)\n"
    "\n"
    "Options of every command:\n"
    "  --severity RULE=LEVEL  report RULE as error, warning or note, or\n"
    "                         switch it off (repeatable; docs/rules.md)\n"
    "  --ledger-table NAME    the runtime's ledger table (default\n"
    "                         migc_migrations), for [ledger-collision]\n"
    "  --excerpt, --no-excerpt\n"
    "                         print under each finding its source line and\n"
    "                         a caret (default: when the diagnostics go to\n"
    "                         a terminal; text output only)\n"
    "\n"
    "Directives (comment lines in a migration; docs/layouts.md):\n"
    "  -- migc:no-transaction       run the script outside a transaction\n"
    "  -- migc:allow RULE reason    silence RULE for the next statement\n"
    "  -- migc:squashes FROM..TO    a baseline replacing versions FROM..TO\n"
    "  -- migc:lock-timeout VALUE   lock_timeout while the migration runs\n"
    "  -- migc:statement-timeout VALUE\n"
    "                               statement_timeout while it runs\n"
    "  VALUE: digits, then an optional unit us, ms, s, min, h or d (5s)\n"
    "\n"
    "Options:\n"
    "  --version   print the version\n"
    "  --help      print this help; `migc COMMAND --help` for a command\n";

static const char usage_compile[] =
    "usage: migc compile DIR -o OUT.c --header OUT.h --name SYMBOL\n"
    "                    [--source-root ROOT] [--lock FILE]\n"
    "                    [--packs PACKS | --no-packs]\n"
    "\n"
    "Reads the migrations in DIR (any layout of `--layout`; detected by\n"
    "default), parses each up and down script with\n"
    "PostgreSQL's own grammar, checks released migrations against the lock\n"
    "file, checks the pack YAML rows against the tables the migrations\n"
    "create, and writes OUT.c (the statements and the packs' upserts as\n"
    "checksummed static data, exported as `const struct migc_schema\n"
    "SYMBOL`) and OUT.h (its declaration). Nothing is written when any\n"
    "error is found.\n"
    "\n"
    "  -o, --output OUT.c   C source to write\n"
    "  --header OUT.h       header to write (default: OUT.c with .h)\n"
    "  --name SYMBOL        C identifier of the exported schema\n"
    "  --source-root ROOT   embed source paths relative to ROOT (default: .)\n"
    "  --layout NAME        migration layout: auto (default), plain, up-down,\n"
    "                       dbmate, goose, diesel, prisma, postgrator, pop,\n"
    "                       postgres-migrations, flyway\n"
    "  --format NAME        the same as --layout NAME\n"
    "  --no-down            leave down migrations out (not read, checked or\n"
    "                       embedded)\n"
    "  --lock FILE          lock file (default: DIR/migc.lock; none: nothing\n"
    "                       is locked)\n"
    "  --archive PATH       the originals of the baselines, one folder each,\n"
    "                       carried for databases part-way through a range\n"
    "                       (default: DIR/squashed; docs/squashing.md)\n"
    "  --packs PACKS        pack YAML rows to check and embed (default: a\n"
    "                       packs directory beside DIR, when there is one;\n"
    "                       docs/packs.md)\n"
    "  --no-packs           read no packs\n"
    "  --werror             warnings fail too: nothing is written\n"
    "  --severity RULE=LEVEL\n"
    "                       error, warning, note, off or default\n"
    "                       (repeatable; docs/rules.md)\n"
    "  --ledger-table NAME  the runtime's ledger table (default\n"
    "                       migc_migrations)\n"
    "  --excerpt            under each finding, its source line and a caret\n"
    "                       (default on a terminal); --no-excerpt: never\n"
    "\n"
    "Exit status: 0 success, 1 errors in the migrations, 2 usage or I/O.\n";

static const char usage_check[] =
    "usage: migc check DIR [--format=text|json|sarif] [--werror]\n"
    "                  [--source-root ROOT] [--lock FILE]\n"
    "                  [--packs PACKS | --no-packs]\n"
    "\n"
    "Runs every check `migc compile` runs and writes no file. Findings go to\n"
    "standard output in the chosen format (text: path:line:col: severity:\n"
    "message [rule]; json; sarif: SARIF 2.1.0 for code-scanning upload).\n"
    "\n"
    "  --format=FORMAT  text (default), json or sarif; a layout name here\n"
    "                   is the same as --layout NAME\n"
    "  --layout NAME    auto (default), plain, up-down, dbmate, goose,\n"
    "                   diesel, prisma, postgrator, pop, postgres-migrations,\n"
    "                   flyway\n"
    "  --no-down        leave down migrations out (not read or checked)\n"
    "  --werror         warnings fail the check too\n"
    "  --severity RULE=LEVEL\n"
    "                   error, warning, note, off or default (repeatable)\n"
    "  --lock FILE      lock file (default: DIR/migc.lock)\n"
    "  --archive PATH   the baselines' archived originals (default:\n"
    "                   DIR/squashed)\n"
    "  --packs PACKS    pack YAML rows to check (default: a packs directory\n"
    "                   beside DIR, when there is one)\n"
    "  --no-packs       read no packs\n"
    "  --excerpt        text: under each finding, its source line and a\n"
    "                   caret (default when standard output is a\n"
    "                   terminal); --no-excerpt: never\n"
    "\n"
    "Exit status: 0 clean, 1 errors found, 2 usage or I/O failure.\n";

static const char usage_schema[] =
    "usage: migc schema DIR [--layout NAME] [--lock FILE]\n"
    "\n"
    "Applies every up migration of DIR to migc's static catalog, without a\n"
    "database, and prints the result sorted, one line an object:\n"
    "  schema S, extension E, type S.T, function S.F(ARGS),\n"
    "  table S.T, column S.T.C TYPE [not null], index S.I on S.T,\n"
    "  constraint S.T.NAME p|u|f|c|x, view S.V, matview S.V, sequence S.Q.\n"
    "Types print as PostgreSQL's format_type() does. Diagnostics go to\n"
    "standard error.\n"
    "\n"
    "Exit status: 0 clean, 1 errors found, 2 usage or I/O failure.\n";

static const char usage_list[] =
    "usage: migc list DIR [--layout NAME] [--no-down] [--lock FILE]\n"
    "\n"
    "Prints the migrations of DIR in the order they apply, one per line,\n"
    "tab-separated: version, name (the up script within DIR), number of up\n"
    "statements, flags, and the down script (- when none). Flags, comma\n"
    "separated or -: no-transaction (runs outside a transaction), declared\n"
    "(a directive asked for it), wrapped (its own BEGIN ... COMMIT left\n"
    "out), own-transactions (runs its own BEGIN ... COMMIT blocks as\n"
    "written), squashes=FROM..TO, lock-timeout=VALUE and\n"
    "statement-timeout=VALUE (its directives). Diagnostics go to standard\n"
    "error.\n"
    "\n"
    "Exit status: 0 clean, 1 errors found, 2 usage or I/O failure.\n";

static const char usage_lock[] =
    "usage: migc lock DIR [--lock FILE] [--squash [--no-verify]\n"
    "                 [--database URL]] [--archive PATH] [--layout NAME]\n"
    "\n"
    "Marks migrations as released: runs every check of `migc compile`, then\n"
    "appends one line per migration the lock file does not list yet (its\n"
    "version, SHA-256, canonical token hash and name), keeps the existing\n"
    "lines byte for byte and rewrites the final hash line. From then on\n"
    "compile and check fail when a locked migration is edited, removed or\n"
    "renamed, or when a new one sorts before the newest locked one. Nothing\n"
    "is written when any error is found. Commit the lock file.\n"
    "\n"
    "  --lock FILE     lock file to write (default: DIR/migc.lock)\n"
    "  --squash        replace the locked migrations a new baseline declares\n"
    "                  with `-- migc:squashes FROM..TO` by that baseline;\n"
    "                  runs `migc verify` on it first (a private cluster, or\n"
    "                  --database URL) and records nothing unless it is\n"
    "                  equal to its archived originals (a baseline without\n"
    "                  them is refused)\n"
    "  --no-verify     with --squash: record it without that proof (said\n"
    "                  loudly on standard error)\n"
    "  --database URL  with --squash: verify on scratch databases of this\n"
    "                  server\n"
    "  --archive PATH  the baselines' archived originals, checked against\n"
    "                  the lock (default: DIR/squashed)\n"
    "  --layout NAME   migration layout (default: detected)\n"
    "\n"
    "Exit status: 0 success, 1 errors in the migrations or the lock file,\n"
    "or a baseline verify did not find equal (or could not verify), 2 usage\n"
    "or I/O failure, 3 no server to verify on.\n";

static const char usage_verify[] =
    "usage: migc verify DIR [--baseline VERSION] [--database URL]\n"
    "                   [--archive PATH] [--grants] [--data] [--layout NAME]\n"
    "                   [--lock FILE] [--packs DIR]\n"
    "\n"
    "Proves each baseline equal to the migrations it replaced: the chain\n"
    "before the baseline, then its archived originals (ARCHIVE/VERSION/),\n"
    "are applied as the runtime applies them to one scratch database; the\n"
    "chain before it, then the baseline, to another. The two schemas are\n"
    "read through the catalogs and compared object by object (tables,\n"
    "columns, constraints, indexes, sequences, views, functions, triggers,\n"
    "types, policies, extensions, comments; docs/verify.md), and each\n"
    "difference printed as `table public.orders: column total: numeric(10,2)\n"
    "vs numeric`. The scratch databases live in a private PostgreSQL cluster\n"
    "of the machine's server binaries, or with --database on that server\n"
    "(created and dropped). Nothing in DIR is written.\n"
    "\n"
    "  --baseline VERSION  only this baseline (default: every one with\n"
    "                      archived originals)\n"
    "  --database URL      replay on scratch databases of this server\n"
    "  --archive PATH      the archived originals (default: DIR/squashed)\n"
    "  --grants            compare privileges too\n"
    "  --data              compare the rows of every table no pack fills\n"
    "  --packs DIR         packs directory (default: packs beside DIR)\n"
    "  --layout NAME       migration layout (default: detected)\n"
    "  --lock FILE         lock file (default: DIR/migc.lock)\n"
    "\n"
    "Exit status: 0 every baseline equal, 1 a difference, a replay that\n"
    "failed or errors in the chain, 2 usage, nothing to verify or I/O, 3 no\n"
    "server to replay on or the server failed.\n";

static const char usage_squash[] =
    "usage: migc squash DIR --through VERSION [--from VERSION]\n"
    "                   [--database URL] [--archive PATH] [--grants]\n"
    "                   [--dry-run] [--layout NAME] [--lock FILE]\n"
    "                   [--packs DIR]\n"
    "\n"
    "Replaces the migrations FROM..THROUGH of DIR (default FROM: the first)\n"
    "by one baseline. The chain must pass `migc check`. The migrations\n"
    "before the range, then the range, are applied as the runtime applies\n"
    "them to a scratch database: a private PostgreSQL cluster started with\n"
    "the machine's server binaries ($MIGC_PG_BINDIR, `pg_config --bindir`,\n"
    "/usr/lib/postgresql/N/bin) and removed afterwards, or with --database\n"
    "a database migc_scratch_PID_N created on that server and dropped\n"
    "afterwards. pg_dump reads back what the range made (no owners, no\n"
    "privileges unless --grants, no SET preamble), and the rows it wrote\n"
    "into its own tables as INSERTs (not the rows of tables a pack fills).\n"
    "The baseline is written in DIR's layout at version FROM, spelt as the\n"
    "first original spells it (001_baseline.sql, 001_baseline.up.sql, a\n"
    "dbmate or goose section, a diesel or prisma folder), declaring\n"
    "`-- migc:squashes FROM..THROUGH`; every file of the originals (up,\n"
    "down, folders) moves into ARCHIVE/FROM/ under its own name. The same\n"
    "chain gives the same bytes (but for rows written with now(), random()\n"
    "or the like: carried as the replay wrote them, with a warning at each\n"
    "such statement). Then run `migc verify DIR` and\n"
    "`migc lock DIR --squash`.\n"
    "\n"
    "Refused, with DIR left as it was: a range whose ends are not versions\n"
    "of DIR, FROM after THROUGH; a range crossing an earlier baseline's;\n"
    "a chain that fails to replay (path:line:col and the server's\n"
    "message); a range that changes or drops an object made before it;\n"
    "rows written into a table made before the range, and roles,\n"
    "databases, tablespaces or ALTER SYSTEM (each statement named;\n"
    "`-- migc:allow squash-data REASON` above one leaves it out on\n"
    "purpose).\n"
    "\n"
    "  --through VERSION  the range's last migration (required)\n"
    "  --from VERSION     its first (default: DIR's first migration)\n"
    "  --database URL     replay on scratch databases of this server\n"
    "                     instead of a private cluster\n"
    "  --archive PATH     where the originals go (default: DIR/squashed)\n"
    "  --grants           keep GRANT and REVOKE in the baseline\n"
    "  --dry-run          print the baseline and the moves; touch nothing\n"
    "  --packs DIR        packs directory, whose tables' rows are left to\n"
    "                     the packs (default: packs beside DIR)\n"
    "  --layout NAME      migration layout (default: detected)\n"
    "  --lock FILE        lock file (default: DIR/migc.lock)\n"
    "\n"
    "Exit status: 0 written, 1 refused (the chain, the range or its rows),\n"
    "2 usage, a range that does not exist or I/O, 3 no server to replay on\n"
    "or the server failed.\n";
static const char usage_retire[] =
    "usage: migc squash DIR --retire VERSION [--archive PATH] [--lock FILE]\n"
    "                  [--layout NAME]\n"
    "\n"
    "Retires the archived originals of baseline VERSION, once no database\n"
    "is part-way through the range it replaces: runs every check of `migc\n"
    "check`, appends \"#retired VERSION LAST\" to the lock file (LAST: the\n"
    "newest released version, the chain of the last build that carries the\n"
    "originals) and deletes ARCHIVE/VERSION/. Later builds carry no\n"
    "originals of it; a database part-way through its range is refused,\n"
    "naming that build. Nothing is written or deleted when VERSION is not a\n"
    "baseline with an archive recorded by the lock, or any error is found.\n"
    "\n"
    "  --retire VERSION  the baseline whose originals to retire\n"
    "  --archive PATH    the archive (default: DIR/squashed)\n"
    "  --lock FILE       lock file (default: DIR/migc.lock)\n"
    "  --layout NAME     migration layout (default: detected)\n"
    "\n"
    "Exit status: 0 retired, 1 refused or errors found, 2 usage or I/O\n"
    "failure.\n";

static int usage_error(const struct args *a, const char *fmt, const char *arg)
{
    fputs("migc: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'migc %s --help'.\n", a->command);
    return EXIT_USAGE;
}

/* Match --name VALUE and --name=VALUE; advances *i past a separate value. */
static int option(int argc, char **argv, int *i, const char *name,
                  const char **value)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    *value = *i + 1 < argc ? argv[++*i] : NULL;
    return 1;
}

static void print_help(enum command cmd)
{
    fputs(cmd == CMD_COMPILE ? usage_compile
          : cmd == CMD_CHECK ? usage_check
          : cmd == CMD_LIST  ? usage_list
          : cmd == CMD_SCHEMA ? usage_schema
          : cmd == CMD_SQUASH ? usage_squash
          : cmd == CMD_VERIFY ? usage_verify
          : cmd == CMD_RETIRE ? usage_retire
                             : usage_lock,
          stdout);
}

/* One option argv[*i] of the command into a; 0 when not one of its own. */
static int take_option(int argc, char **argv, int *i, struct args *a,
                       const char **v)
{
    int compile = a->cmd == CMD_COMPILE, check = a->cmd == CMD_CHECK;
    if (compile && (option(argc, argv, i, "-o", v) ||
                    option(argc, argv, i, "--output", v)))
        a->out_c = *v;
    else if (compile && option(argc, argv, i, "--header", v))
        a->out_h = *v;
    else if (compile && option(argc, argv, i, "--name", v))
        a->symbol = *v;
    else if (check && option(argc, argv, i, "--format", v) && *v &&
             layout_from_id(*v, &(enum layout){0}) != 0)
        a->format = *v; /* an output format; a layout name is --layout */
    else if (option(argc, argv, i, "--format", v) ||
             option(argc, argv, i, "--layout", v))
        a->layout_name = *v;
    else if ((compile || check) &&
             option(argc, argv, i, "--source-root", v))
        a->source_root = *v;
    else if (option(argc, argv, i, "--lock", v))
        a->lock = *v;
    else if (a->cmd == CMD_SQUASH && option(argc, argv, i, "--through", v))
        a->through = *v;
    else if (a->cmd == CMD_SQUASH && option(argc, argv, i, "--from", v))
        a->from = *v;
    else if ((a->cmd == CMD_SQUASH || a->cmd == CMD_VERIFY ||
              a->cmd == CMD_LOCK) &&
             option(argc, argv, i, "--database", v))
        a->database = *v;
    else if (a->cmd == CMD_VERIFY && option(argc, argv, i, "--baseline", v))
        a->baseline = *v;
    else if (option(argc, argv, i, "--archive", v))
        a->archive = *v;
    else if (a->cmd == CMD_RETIRE && option(argc, argv, i, "--retire", v))
        a->retire = *v;
    else if ((compile || check || a->cmd == CMD_SQUASH ||
              a->cmd == CMD_VERIFY) &&
             option(argc, argv, i, "--packs", v))
        a->packs = *v;
    else if (option(argc, argv, i, "--ledger-table", v))
        a->ledger_table = *v;
    else if (option(argc, argv, i, "--severity", v) ||
             option(argc, argv, i, "-W", v)) {
        if (*v && a->n_severity < ARGS_MAX_SEVERITIES)
            a->severity[a->n_severity++] = *v;
    } else
        return 0;
    return 1;
}

/* A version as written: digits only. */
static int version_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 18)
        return 0;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

static int validate_squash(struct args *a)
{
    if (!a->through)
        return usage_error(a, "%s", "missing --through VERSION");
    if (!version_ok(a->through))
        return usage_error(a, "--through '%s' is not a version (digits)",
                           a->through);
    if (a->from && !version_ok(a->from))
        return usage_error(a, "--from '%s' is not a version (digits)",
                           a->from);
    return EXIT_CLEAN;
}

/* The checks after the arguments were read: required ones, values. */
static int validate_args(struct args *a)
{
    if (!a->dir)
        return usage_error(a, "%s", "missing migrations directory");
    a->layout = LAYOUT_AUTO;
    if (a->layout_name && layout_from_id(a->layout_name, &a->layout) != 0)
        return usage_error(a,
                           "unknown layout '%s' (auto, plain, up-down or "
                           "golang-migrate, dbmate, goose, diesel, prisma, "
                           "postgrator, pop or popx, postgres-migrations, "
                           "flyway)",
                           a->layout_name);
    struct diags probe = {0};
    for (size_t i = 0; i < a->n_severity; i++) {
        const char *why = NULL;
        if (diag_set_level(&probe, a->severity[i], &why) != 0) {
            char *msg = xasprintf("--severity %s: %s", a->severity[i], why);
            int rc = usage_error(a, "%s", msg);
            free(msg);
            return rc;
        }
    }
    if (a->cmd == CMD_CHECK) {
        if (!a->format)
            a->format = "text";
        if (strcmp(a->format, "text") && strcmp(a->format, "json") &&
            strcmp(a->format, "sarif"))
            return usage_error(a, "unknown format '%s' (text, json, sarif)",
                               a->format);
    }
    if (a->cmd == CMD_SQUASH)
        return validate_squash(a);
    if (a->cmd == CMD_VERIFY && a->baseline && !version_ok(a->baseline))
        return usage_error(a, "--baseline '%s' is not a version (digits)",
                           a->baseline);
    if (a->cmd == CMD_LOCK && a->database && !a->squash)
        return usage_error(a, "%s", "--database goes with --squash");
    if (a->cmd == CMD_LOCK && a->no_verify && !a->squash)
        return usage_error(a, "%s", "--no-verify goes with --squash");
    if (a->cmd == CMD_LOCK && a->database && a->no_verify)
        return usage_error(a, "%s",
                           "--database and --no-verify: nothing to verify "
                           "on that server");
    if (a->cmd == CMD_RETIRE &&
        (!a->retire || !*a->retire ||
         a->retire[strspn(a->retire, "0123456789")] != '\0' ||
         strlen(a->retire) > 18))
        return usage_error(a, "--retire '%s': expected the version of a "
                              "baseline (digits)",
                           a->retire ? a->retire : "");
    if (a->cmd != CMD_COMPILE)
        return EXIT_CLEAN;
    if (!a->out_c)
        return usage_error(a, "%s", "missing -o OUT.c");
    if (!a->symbol)
        return usage_error(a, "%s", "missing --name SYMBOL");
    if (!emit_valid_symbol(a->symbol))
        return usage_error(a,
                           "--name '%s' is not a C identifier (or starts "
                           "with the reserved migc_)",
                           a->symbol);
    return EXIT_CLEAN;
}

int args_parse(int argc, char **argv, struct args *a)
{
    for (int i = 2; i < argc; i++) {
        const char *v = NULL;
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_help(a->cmd);
            exit(EXIT_CLEAN);
        }
        if ((a->cmd == CMD_CHECK || a->cmd == CMD_COMPILE) &&
            strcmp(arg, "--werror") == 0) {
            a->werror = 1;
            continue;
        }
        if (strcmp(arg, "--no-down") == 0) {
            a->no_down = 1;
            continue;
        }
        if ((a->cmd == CMD_CHECK || a->cmd == CMD_COMPILE) &&
            strcmp(arg, "--no-packs") == 0) {
            a->no_packs = 1;
            continue;
        }
        if (strcmp(arg, "--excerpt") == 0 ||
            strcmp(arg, "--no-excerpt") == 0) {
            a->excerpt = arg[2] == 'e'; /* the last one given wins */
            continue;
        }
        if (a->cmd == CMD_LOCK && strcmp(arg, "--squash") == 0) {
            a->squash = 1;
            continue;
        }
        if (a->cmd == CMD_SQUASH && (strcmp(arg, "--grants") == 0 ||
                                     strcmp(arg, "--dry-run") == 0)) {
            *(arg[2] == 'g' ? &a->grants : &a->dry_run) = 1;
            continue;
        }
        if (a->cmd == CMD_VERIFY && (strcmp(arg, "--grants") == 0 ||
                                     strcmp(arg, "--data") == 0)) {
            *(arg[3] == 'r' ? &a->grants : &a->data) = 1;
            continue;
        }
        if (a->cmd == CMD_LOCK && strcmp(arg, "--no-verify") == 0) {
            a->no_verify = 1;
            continue;
        }
        if (take_option(argc, argv, &i, a, &v)) {
            if (v == NULL)
                return usage_error(a, "option '%s' needs a value", arg);
        } else if (arg[0] == '-')
            return usage_error(a, "unknown option '%s'", arg);
        else if (a->dir)
            return usage_error(a, "unexpected argument '%s'", arg);
        else
            a->dir = arg;
    }
    return validate_args(a);
}

void args_compile_options(const struct args *a, struct compile_options *o)
{
    int compile = a->cmd == CMD_COMPILE, check = a->cmd == CMD_CHECK;
    *o = (struct compile_options){
        .dir = a->dir,
        .source_root = a->source_root,
        .layout = a->layout,
        .no_down = a->no_down,
        .severity = a->severity,
        .n_severity = a->n_severity,
        .ledger_table = a->ledger_table,
        .lock = a->lock,
        .archive = a->archive,
        .squash = a->squash,
        .packs = (compile || check) && !a->no_packs,
        .packs_dir = a->packs,
        .out_c = compile ? a->out_c : NULL,
        .out_h = a->out_h,
        .symbol = a->symbol,
        .werror = a->werror,
        .write_lock = a->cmd == CMD_LOCK,
    };
}

void args_verify_options(const struct args *a, struct verify_options *o)
{
    *o = (struct verify_options){
        .dir = a->dir,
        .archive = a->archive,
        .database = a->database,
        .lock = a->lock,
        .packs = a->packs,
        .layout = a->layout,
        .baseline = a->baseline ? strtoll(a->baseline, NULL, 10) : 0,
        .has_baseline = a->baseline != NULL,
        .grants = a->grants,
        .data = a->data,
        .for_lock = a->cmd == CMD_LOCK,
    };
}

void args_squash_options(const struct args *a, struct squash_options *o)
{
    *o = (struct squash_options){
        .dir = a->dir,
        .archive = a->archive,
        .database = a->database,
        .lock = a->lock,
        .packs = a->packs,
        .layout = a->layout,
        .from = a->from ? strtoll(a->from, NULL, 10) : 0,
        .through = strtoll(a->through, NULL, 10),
        .has_from = a->from != NULL,
        .grants = a->grants,
        .dry_run = a->dry_run,
    };
}

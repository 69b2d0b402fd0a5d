/* main.c: the migc command line; argument handling around the generator. */
#define _POSIX_C_SOURCE 200809L /* isatty, fileno */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules.h"
#include "catalog.h"
#include "diag.h"
#include "emit.h"
#include "lock.h"
#include "migc.h"
#include "model.h"
#include "pack.h"
#include "xalloc.h"

enum { EXIT_CLEAN = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2 };

static const char usage_main[] =
    "usage: migc COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  compile DIR -o OUT.c --header OUT.h --name SYMBOL [--werror]\n"
    "            check the migrations in DIR (and the packs beside it) and\n"
    "            write them as C data\n"
    "  check DIR [--format=text|json|sarif] [--werror] [--lock FILE]\n"
    "            run every check of compile, write nothing\n"
    "  lock DIR [--lock FILE] [--squash]\n"
    "            record every migration not yet locked as released\n"
    "  list DIR  print the migrations in the order they apply\n"
    "  schema DIR\n"
    "            print the schema the migrations build, as migc models it\n"
    "\n"
    "Options of every command:\n"
    "  --severity RULE=LEVEL  report RULE as error, warning or note, or\n"
    "                         switch it off (repeatable; docs/rules.md)\n"
    "  --ledger-table NAME    the runtime's ledger table (default\n"
    "                         migc_migrations), for [ledger-collision]\n"
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
    "                       dbmate, goose, diesel, prisma, postgrator\n"
    "  --format NAME        the same as --layout NAME\n"
    "  --no-down            leave down migrations out (not read, checked or\n"
    "                       embedded)\n"
    "  --lock FILE          lock file (default: DIR/migc.lock; none: nothing\n"
    "                       is locked)\n"
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
    "                   diesel, prisma, postgrator\n"
    "  --no-down        leave down migrations out (not read or checked)\n"
    "  --werror         warnings fail the check too\n"
    "  --severity RULE=LEVEL\n"
    "                   error, warning, note, off or default (repeatable)\n"
    "  --lock FILE      lock file (default: DIR/migc.lock)\n"
    "  --packs PACKS    pack YAML rows to check (default: a packs directory\n"
    "                   beside DIR, when there is one)\n"
    "  --no-packs       read no packs\n"
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
    "usage: migc lock DIR [--lock FILE] [--squash] [--layout NAME]\n"
    "\n"
    "Marks migrations as released: runs every check of `migc compile`, then\n"
    "appends one line per migration the lock file does not list yet (its\n"
    "version, SHA-256, canonical token hash and name), keeps the existing\n"
    "lines byte for byte and rewrites the final hash line. From then on\n"
    "compile and check fail when a locked migration is edited, removed or\n"
    "renamed, or when a new one sorts before the newest locked one. Nothing\n"
    "is written when any error is found. Commit the lock file.\n"
    "\n"
    "  --lock FILE   lock file to write (default: DIR/migc.lock)\n"
    "  --squash      replace the locked migrations a new baseline declares\n"
    "                with `-- migc:squashes FROM..TO` by that baseline\n"
    "  --layout NAME migration layout (default: detected)\n"
    "\n"
    "Exit status: 0 success, 1 errors in the migrations or the lock file,\n"
    "2 usage or I/O failure.\n";

enum command { CMD_COMPILE, CMD_CHECK, CMD_LOCK, CMD_LIST, CMD_SCHEMA };

#define MAX_SEVERITIES 64

struct args {
    enum command cmd;
    const char *command; /* its name, for messages */
    const char *dir, *out_c, *out_h, *symbol, *source_root, *format, *lock;
    const char *layout_name; /* --layout, or --format naming a layout */
    enum layout layout;
    int werror, squash, no_down;
    const char *packs; /* --packs DIR */
    int no_packs;      /* --no-packs */
    const char *ledger_table;
    const char *severity[MAX_SEVERITIES]; /* RULE=LEVEL, in order given */
    size_t n_severity;
};

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
    else if ((compile || check) && option(argc, argv, i, "--packs", v))
        a->packs = *v;
    else if (option(argc, argv, i, "--ledger-table", v))
        a->ledger_table = *v;
    else if (option(argc, argv, i, "--severity", v) ||
             option(argc, argv, i, "-W", v)) {
        if (*v && a->n_severity < MAX_SEVERITIES)
            a->severity[a->n_severity++] = *v;
    } else
        return 0;
    return 1;
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
                           "postgrator)",
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

static int parse_args(int argc, char **argv, struct args *a)
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
        if (a->cmd == CMD_LOCK && strcmp(arg, "--squash") == 0) {
            a->squash = 1;
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

static char *default_header(const char *out_c)
{
    size_t n = strlen(out_c);
    if (n > 2 && strcmp(out_c + n - 2, ".c") == 0)
        return xasprintf("%.*s.h", (int)(n - 2), out_c);
    return xasprintf("%s.h", out_c);
}


/* NO_COLOR unset; the caller checks that the stream is a terminal. */
static int use_color(void)
{
    const char *no = getenv("NO_COLOR");
    return (!no || !*no);
}

static int exit_status(const struct diags *d, int werror)
{
    if (d->io_failed)
        return EXIT_USAGE;
    return d->errors || (werror && d->warnings) ? EXIT_ERRORS : EXIT_CLEAN;
}

/* What compile, check and lock share: the findings, the model, the lock. */
struct analysis {
    struct diags d;
    struct model m;
    struct lock_file lf;
    int lock_ok;              /* lf could be read and trusted */
    unsigned io_before;       /* d.io_failed before the migrations were read */
    struct rules *az;         /* the rules, while the model is built */
    struct emitter *emitter;  /* compile: OUT.c, while the model is built */
    struct catalog *cat;      /* the schema the migrations build */
    struct pack_set packs;    /* compile and check: the packs' rows */
};

/* Each migration as soon as it is parsed: the rules, the lock, the output.
 * Then the model releases it, so that memory holds one migration's text,
 * statements and parse tree at a time, beside the catalog. */
static void visit_migration(void *ctx, struct model *m, size_t i)
{
    struct analysis *an = ctx;
    /* After an unreadable file the rest is not checked (as if it were not
     * there, which would mislead); what was found before stays. */
    if (an->d.io_failed > an->io_before)
        return;
    rules_migration(an->az, m, i);
    if (an->lock_ok)
        lock_note_statements(&an->lf, m, i);
    if (an->emitter)
        emit_migration_scripts(an->emitter, m, i);
}

/* Build the model, running the rules and writing the output as it goes
 * (compile, with out_c set), then the checks of the whole set: the lock,
 * unused allows, the packs. Returns 0 when no error was reported; an must
 * be freed with analysis_free() either way. */
static int analyse(const struct args *a, const char *out_c,
                   struct analysis *an)
{
    *an = (struct analysis){0};
    struct model_options opts = {
        .dir = a->dir,
        .source_root = a->source_root,
        .layout = a->layout,
        .no_down = a->no_down,
        .visit = visit_migration,
        .ctx = an,
        .keep = a->cmd == CMD_LOCK, /* lock_write needs the statements */
    };
    for (size_t i = 0; i < a->n_severity; i++) {
        const char *why;
        diag_set_level(&an->d, a->severity[i], &why); /* validated */
    }
    if (out_c) {
        an->emitter = emit_begin(out_c, a->symbol, &an->d);
        if (!an->emitter)
            return -1; /* nowhere to write: nothing else is done */
    }
    model_open(&opts, &an->m, &an->d);
    int read_all = an->m.migrations != NULL;
    char *path = a->lock ? xstrdup(a->lock) : lock_default_path(a->dir);
    /* Without a readable directory every locked file would look removed. */
    an->lock_ok = read_all && lock_read(path, &an->lf, &an->d) == 0;
    struct rules_options ao = {.ledger_table = a->ledger_table};
    an->az = rules_begin(&ao, &an->d);
    an->io_before = an->d.io_failed;
    if (read_all)
        model_parse(&opts, &an->m, &an->d);
    read_all = read_all && an->d.io_failed == an->io_before;
    an->cat = rules_end(an->az, &an->m);
    if (!read_all) { /* the catalog misses what was not read */
        catalog_free(an->cat);
        an->cat = NULL;
    }
    if (read_all && an->lock_ok)
        lock_check(&an->lf, &an->m, a->dir, a->squash, &an->d);
    if (read_all)
        rules_unused_allows(an->az, &an->m, &an->d);
    rules_free(an->az);
    an->az = NULL;
    /* Packs are rows of the tables the migrations create: checked once the
     * migrations hold no error. */
    if ((a->cmd == CMD_COMPILE || a->cmd == CMD_CHECK) && !a->no_packs &&
        an->cat && an->d.errors == 0) {
        char *dir = a->packs ? xstrdup(a->packs) : pack_default_dir(a->dir);
        struct pack_options po = {.dir = dir,
                                  .source_root = a->source_root,
                                  .optional = a->packs == NULL};
        pack_load(&po, an->cat, &an->packs, &an->d);
        free(dir);
    }
    free(path);
    diag_sort(&an->d);
    return an->d.errors ? -1 : 0;
}

/* Compile's end: the output into place when nothing failed, else nothing
 * at all. */
static void finish_output(struct analysis *an, const char *out_h, int werror)
{
    if (!an->emitter)
        return;
    int commit = an->d.errors == 0 && (!werror || an->d.warnings == 0);
    emit_end(an->emitter, &an->m, &an->packs, out_h, commit, &an->d);
    an->emitter = NULL;
}

static void analysis_free(struct analysis *an)
{
    catalog_free(an->cat);
    pack_set_free(&an->packs);
    lock_free(&an->lf);
    model_free(&an->m);
    diags_free(&an->d);
}

static int cmd_check(int argc, char **argv)
{
    struct args a = {.cmd = CMD_CHECK, .command = "check"};
    int rc = parse_args(argc, argv, &a);
    if (rc != EXIT_CLEAN)
        return rc;
    struct analysis an;
    analyse(&a, NULL, &an);
    if (strcmp(a.format, "json") == 0)
        diag_print_json(&an.d, stdout);
    else if (strcmp(a.format, "sarif") == 0)
        diag_print_sarif(&an.d, stdout);
    else
        diag_print(&an.d, stdout, isatty(fileno(stdout)) && use_color());
    rc = exit_status(&an.d, a.werror);
    analysis_free(&an);
    return rc;
}

static int cmd_compile(int argc, char **argv)
{
    struct args a = {.cmd = CMD_COMPILE, .command = "compile"};
    int rc = parse_args(argc, argv, &a);
    if (rc != EXIT_CLEAN)
        return rc;
    char *out_h = a.out_h ? xstrdup(a.out_h) : default_header(a.out_c);

    struct analysis an;
    analyse(&a, a.out_c, &an);
    finish_output(&an, out_h, a.werror);
    diag_print(&an.d, stderr, isatty(fileno(stderr)) && use_color());
    rc = exit_status(&an.d, a.werror);
    analysis_free(&an);
    free(out_h);
    return rc;
}

static int cmd_lock(int argc, char **argv)
{
    struct args a = {.cmd = CMD_LOCK, .command = "lock"};
    int rc = parse_args(argc, argv, &a);
    if (rc != EXIT_CLEAN)
        return rc;
    struct analysis an;
    size_t added = 0, squashed = 0;
    int ok = analyse(&a, NULL, &an) == 0 &&
             lock_write(&an.lf, &an.m, a.squash, &added, &squashed,
                        &an.d) == 0;
    diag_print(&an.d, stderr, isatty(fileno(stderr)) && use_color());
    if (ok && squashed)
        printf("replaced %zu squashed migration%s by their baseline\n",
               squashed, squashed == 1 ? "" : "s");
    if (ok)
        printf("locked %zu new migration%s (%zu total) in %s\n", added,
               added == 1 ? "" : "s", an.lf.n + added - squashed,
               an.lf.path);
    rc = exit_status(&an.d, 0);
    analysis_free(&an);
    return rc;
}

static void print_flags(FILE *out, const struct model_migration *mm)
{
    static const struct {
        unsigned flag;
        const char *name;
    } names[] = {
        {MIGC_SCRIPT_NO_TRANSACTION, "no-transaction"},
        {MIGC_SCRIPT_DECLARED_NO_TRANSACTION, "declared"},
        {MIGC_SCRIPT_WRAPPED, "wrapped"},
        {MIGC_SCRIPT_OWN_TRANSACTIONS, "own-transactions"},
    };
    int any = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (mm->up.flags & names[i].flag) {
            fprintf(out, "%s%s", any ? "," : "", names[i].name);
            any = 1;
        }
    if (mm->flags & MIGC_MIGRATION_SQUASHES) {
        fprintf(out, "%ssquashes=%lld..%lld", any ? "," : "",
                (long long)mm->squash_from, (long long)mm->squash_to);
        any = 1;
    }
    if (mm->lock_timeout) {
        fprintf(out, "%slock-timeout=%s", any ? "," : "", mm->lock_timeout);
        any = 1;
    }
    if (mm->statement_timeout) {
        fprintf(out, "%sstatement-timeout=%s", any ? "," : "",
                mm->statement_timeout);
        any = 1;
    }
    if (!any)
        fputc('-', out);
}

static int cmd_list(int argc, char **argv)
{
    struct args a = {.cmd = CMD_LIST, .command = "list"};
    int rc = parse_args(argc, argv, &a);
    if (rc != EXIT_CLEAN)
        return rc;
    struct analysis an;
    analyse(&a, NULL, &an);
    diag_print(&an.d, stderr, isatty(fileno(stderr)) && use_color());
    for (size_t i = 0; i < an.m.n; i++) {
        const struct model_migration *mm = &an.m.migrations[i];
        printf("%lld\t%s\t%zu\t", (long long)mm->file->version,
               mm->file->name, mm->up.n_stmts);
        print_flags(stdout, mm);
        printf("\t%s\n", !mm->down.present ? "-"
                          : mm->file->down_name ? mm->file->down_name
                                                : mm->file->name);
    }
    rc = exit_status(&an.d, 0);
    analysis_free(&an);
    return rc;
}

static int cmd_schema(int argc, char **argv)
{
    struct args a = {.cmd = CMD_SCHEMA, .command = "schema"};
    int rc = parse_args(argc, argv, &a);
    if (rc != EXIT_CLEAN)
        return rc;
    struct analysis an;
    analyse(&a, NULL, &an);
    diag_print(&an.d, stderr, isatty(fileno(stderr)) && use_color());
    if (an.cat)
        catalog_print(an.cat, stdout);
    rc = exit_status(&an.d, 0);
    analysis_free(&an);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0) {
        printf("migc %s (data format %d)\n", MIGC_VERSION_STRING,
               MIGC_FORMAT_VERSION);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage_main, stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "compile") == 0)
        return cmd_compile(argc, argv);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc, argv);
    if (strcmp(cmd, "lock") == 0)
        return cmd_lock(argc, argv);
    if (strcmp(cmd, "list") == 0)
        return cmd_list(argc, argv);
    if (strcmp(cmd, "schema") == 0)
        return cmd_schema(argc, argv);
    fprintf(stderr, "migc: error: unknown command '%s'\n\n%s", cmd,
            usage_main);
    return EXIT_USAGE;
}

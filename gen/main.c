/* main.c: the migc command line; argument handling around the generator. */
#define _POSIX_C_SOURCE 200809L /* isatty, fileno */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "emit.h"
#include "migc.h"
#include "model.h"
#include "xalloc.h"

enum { EXIT_CLEAN = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2 };

static const char usage_main[] =
    "usage: migc COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  compile DIR -o OUT.c --header OUT.h --name SYMBOL\n"
    "            check the migrations in DIR and write them as C data\n"
    "  check DIR [--format=text|json|sarif] [--werror]\n"
    "            run every check of compile, write nothing\n"
    "\n"
    "Options:\n"
    "  --version   print the version\n"
    "  --help      print this help; `migc COMMAND --help` for a command\n";

static const char usage_compile[] =
    "usage: migc compile DIR -o OUT.c --header OUT.h --name SYMBOL\n"
    "                    [--source-root ROOT]\n"
    "\n"
    "Reads every VERSION_description.sql in DIR, parses each statement with\n"
    "PostgreSQL's own grammar, and writes OUT.c (the statements as checksummed\n"
    "static data, exported as `const struct migc_schema SYMBOL`) and OUT.h\n"
    "(its declaration). Nothing is written when any error is found.\n"
    "\n"
    "  -o, --output OUT.c   C source to write\n"
    "  --header OUT.h       header to write (default: OUT.c with .h)\n"
    "  --name SYMBOL        C identifier of the exported schema\n"
    "  --source-root ROOT   embed source paths relative to ROOT (default: .)\n"
    "\n"
    "Exit status: 0 success, 1 errors in the migrations, 2 usage or I/O.\n";

static const char usage_check[] =
    "usage: migc check DIR [--format=text|json|sarif] [--werror]\n"
    "\n"
    "Runs every check `migc compile` runs and writes no file. Findings go to\n"
    "standard output in the chosen format (text: path:line:col: severity:\n"
    "message [rule]; json; sarif: SARIF 2.1.0 for code-scanning upload).\n"
    "\n"
    "  --format=FORMAT  text (default), json or sarif\n"
    "  --werror         warnings fail the check too\n"
    "\n"
    "Exit status: 0 clean, 1 errors found, 2 usage or I/O failure.\n";

struct compile_args {
    const char *command;
    const char *dir, *out_c, *out_h, *symbol, *source_root, *format;
    int werror;
};

static int usage_error(const struct compile_args *a, const char *fmt,
                       const char *arg)
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

/* Arguments of compile and check; check takes no outputs. */
static int parse_args(int argc, char **argv, struct compile_args *a)
{
    int compile = strcmp(a->command, "compile") == 0;
    for (int i = 2; i < argc; i++) {
        const char *v = NULL;
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(compile ? usage_compile : usage_check, stdout);
            exit(EXIT_CLEAN);
        }
        if (!compile && strcmp(arg, "--werror") == 0) {
            a->werror = 1;
            continue;
        }
        if (compile && (option(argc, argv, &i, "-o", &v) ||
                        option(argc, argv, &i, "--output", &v)))
            a->out_c = v;
        else if (compile && option(argc, argv, &i, "--header", &v))
            a->out_h = v;
        else if (compile && option(argc, argv, &i, "--name", &v))
            a->symbol = v;
        else if (!compile && option(argc, argv, &i, "--format", &v))
            a->format = v;
        else if (option(argc, argv, &i, "--source-root", &v))
            a->source_root = v;
        else if (arg[0] == '-')
            return usage_error(a, "unknown option '%s'", arg);
        else if (a->dir)
            return usage_error(a, "unexpected argument '%s'", arg);
        else
            a->dir = arg;
        if (arg[0] == '-' && v == NULL)
            return usage_error(a, "option '%s' needs a value", arg);
    }
    if (!a->dir)
        return usage_error(a, "%s", "missing migrations directory");
    if (!compile) {
        if (!a->format)
            a->format = "text";
        if (strcmp(a->format, "text") && strcmp(a->format, "json") &&
            strcmp(a->format, "sarif"))
            return usage_error(a, "unknown format '%s' (text, json, sarif)",
                               a->format);
        return EXIT_CLEAN;
    }
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

static int cmd_check(int argc, char **argv)
{
    struct compile_args a = {.command = "check"};
    int rc = parse_args(argc, argv, &a);
    if (rc != EXIT_CLEAN)
        return rc;
    struct diags d = {0};
    struct model m;
    struct model_options opts = {.dir = a.dir, .source_root = a.source_root};
    model_build(&opts, &m, &d);
    if (strcmp(a.format, "json") == 0)
        diag_print_json(&d, stdout);
    else if (strcmp(a.format, "sarif") == 0)
        diag_print_sarif(&d, stdout);
    else
        diag_print(&d, stdout, isatty(fileno(stdout)) && use_color());
    rc = exit_status(&d, a.werror);
    model_free(&m);
    diags_free(&d);
    return rc;
}

static int cmd_compile(int argc, char **argv)
{
    struct compile_args a = {.command = "compile"};
    int rc = parse_args(argc, argv, &a);
    if (rc != EXIT_CLEAN)
        return rc;
    char *out_h = a.out_h ? xstrdup(a.out_h) : default_header(a.out_c);

    struct diags d = {0};
    struct model m;
    struct model_options opts = {.dir = a.dir, .source_root = a.source_root};
    if (model_build(&opts, &m, &d) == 0)
        emit_files(&m, a.symbol, a.out_c, out_h, &d);
    diag_print(&d, stderr, isatty(fileno(stderr)) && use_color());
    rc = exit_status(&d, 0);
    model_free(&m);
    diags_free(&d);
    free(out_h);
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
    fprintf(stderr, "migc: error: unknown command '%s'\n\n%s", cmd,
            usage_main);
    return EXIT_USAGE;
}

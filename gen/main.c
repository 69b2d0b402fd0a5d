/* main.c: the migc command line: arguments in, the generator library
 * (compile.h) run, its findings and results printed. */
#define _POSIX_C_SOURCE 200809L /* isatty, fileno */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cmd_new.h"
#include "compile.h"
#include "migc.h"
#include "retire.h"
#include "source.h"
#include "squash.h"
#include "verify.h"

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

/* Where the command prints its findings: check's text and formats on
 * standard output, the others' on standard error. */
static FILE *findings_stream(const struct args *a)
{
    return a->cmd == CMD_CHECK ? stdout : stderr;
}

/* The source excerpts: on a terminal, unless --excerpt or --no-excerpt said
 * otherwise; never in JSON or SARIF. */
static int want_excerpts(const struct args *a)
{
    if (a->cmd == CMD_CHECK && strcmp(a->format, "text") != 0)
        return 0;
    return a->excerpt > 0 ||
           (a->excerpt < 0 && isatty(fileno(findings_stream(a))));
}

/* Text: colour on a terminal (unless NO_COLOR). */
static void print_diags(const struct args *a, const struct diags *d, FILE *out)
{
    unsigned flags = isatty(fileno(out)) && use_color() ? DIAG_PRINT_COLOR : 0;
    if (want_excerpts(a))
        flags |= DIAG_PRINT_EXCERPT;
    diag_print(d, out, flags);
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

/* A name on one line of output, whatever bytes it holds. */
static void print_name(const char *name)
{
    char *shown = text_escaped(name, 0);
    fputs(shown, stdout);
    free(shown);
}

/* `migc list`: one line a migration, in apply order. */
static void print_list(const struct model *m)
{
    for (size_t i = 0; i < m->n; i++) {
        const struct model_migration *mm = &m->migrations[i];
        printf("%lld\t", (long long)mm->file->version);
        print_name(mm->file->name);
        printf("\t%zu\t", mm->up.n_stmts);
        print_flags(stdout, mm);
        putchar('\t');
        print_name(!mm->down.present ? "-"
                   : mm->file->down_name ? mm->file->down_name
                                         : mm->file->name);
        putchar('\n');
    }
}

/* `migc lock`: what was written. */
static void print_locked(const struct compile *c)
{
    size_t added, squashed;
    if (compile_lock_written(c, &added, &squashed) != 0)
        return;
    const struct lock_file *lf = compile_lock(c);
    if (squashed)
        printf("replaced %zu squashed migration%s by their baseline\n",
               squashed, squashed == 1 ? "" : "s");
    printf("locked %zu new migration%s (%zu total) in %s\n", added,
           added == 1 ? "" : "s", lf->n + added - squashed, lf->path);
}

/* The findings and results of a run, as the command prints them. */
static void print_results(const struct args *a, const struct compile *c)
{
    const struct diags *d = compile_diags(c);
    if (a->cmd == CMD_CHECK) {
        if (strcmp(a->format, "json") == 0)
            diag_print_json(d, stdout);
        else if (strcmp(a->format, "sarif") == 0)
            diag_print_sarif(d, stdout);
        else
            print_diags(a, d, stdout);
        return;
    }
    print_diags(a, d, stderr);
    if (a->cmd == CMD_LOCK)
        print_locked(c);
    else if (a->cmd == CMD_LIST)
        print_list(compile_model(c));
    else if (a->cmd == CMD_SCHEMA && compile_catalog(c))
        catalog_print(compile_catalog(c), stdout);
}

static int run(enum command cmd, const char *name, int argc, char **argv)
{
    struct args a = {.cmd = cmd, .command = name, .excerpt = -1};
    int rc = args_parse(argc, argv, &a);
    if (rc != EXIT_CLEAN)
        return rc;
    if (cmd == CMD_SQUASH) {
        struct squash_options so;
        args_squash_options(&a, &so);
        return squash_run(&so);
    }
    if (cmd == CMD_VERIFY || (cmd == CMD_LOCK && a.squash)) {
        struct verify_options vo;
        args_verify_options(&a, &vo);
        if (cmd == CMD_VERIFY)
            return verify_run(&vo);
        if (a.no_verify)
            fputs("migc lock: warning: --no-verify: the baselines are "
                  "recorded without `migc verify` proving them equal to "
                  "the migrations they replace; a baseline that differs "
                  "gives fresh databases another schema than the ones it "
                  "replaced\n",
                  stderr);
        else if ((rc = verify_run(&vo)) != 0)
            return rc; /* nothing written */
    }
    struct compile_options o;
    args_compile_options(&a, &o);
    o.excerpts = want_excerpts(&a);
    struct compile *c = compile_open(&o);
    compile_run(c);
    print_results(&a, c);
    rc = exit_status(compile_diags(c), a.werror); /* compile, check only */
    compile_free(c);
    return rc;
}

/* `migc squash DIR --retire V`. */
static int run_retire(int argc, char **argv)
{
    struct args a = {.cmd = CMD_RETIRE, .command = "squash", .excerpt = -1};
    int rc = args_parse(argc, argv, &a);
    if (rc != EXIT_CLEAN)
        return rc;
    struct compile_options o;
    args_compile_options(&a, &o);
    o.excerpts = want_excerpts(&a);
    struct diags d = {0};
    struct retire_result r;
    int64_t v = strtoll(a.retire, NULL, 10);
    int ok = retire_run(&o, v, &r, &d) == 0;
    print_diags(&a, &d, stderr);
    if (ok)
        printf("retired the originals of baseline %lld (%zu file%s "
               "removed); a database part-way through its range now needs "
               "a build made before this retire (its chain ends at version "
               "%lld)\n",
               (long long)v, r.removed, r.removed == 1 ? "" : "s",
               (long long)r.last);
    rc = d.io_failed ? EXIT_USAGE : ok ? EXIT_CLEAN : EXIT_ERRORS;
    diags_free(&d);
    return rc;
}

/* Whether the arguments ask for `--retire`. */
static int asks_retire(int argc, char **argv)
{
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--retire") == 0 ||
            strncmp(argv[i], "--retire=", 9) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        enum command cmd;
    } commands[] = {
        {"compile", CMD_COMPILE}, {"check", CMD_CHECK}, {"lock", CMD_LOCK},
        {"list", CMD_LIST},       {"schema", CMD_SCHEMA},
        {"squash", CMD_SQUASH},   {"verify", CMD_VERIFY},
    };
    if (argc < 2) {
        fputs(args_usage_main, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0) {
        printf("migc %s (data format %d)\n", MIGC_VERSION_STRING,
               MIGC_FORMAT_VERSION);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(args_usage_main, stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "squash") == 0 && asks_retire(argc, argv))
        return run_retire(argc, argv);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return run(commands[i].cmd, commands[i].name, argc, argv);
    if (strcmp(cmd, "new") == 0)
        return cmd_new(argc, argv); /* writes a file; runs no pipeline */
    fprintf(stderr, "migc: error: unknown command '%s'\n\n%s", cmd,
            args_usage_main);
    return EXIT_USAGE;
}

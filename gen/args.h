/* args.h: the migc command line: its arguments, checked, and its help. */
#ifndef MIGC_GEN_ARGS_H
#define MIGC_GEN_ARGS_H

#include <stddef.h>

#include "compile.h"

enum { EXIT_CLEAN = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2 };

enum command {
    CMD_COMPILE,
    CMD_CHECK,
    CMD_LOCK,
    CMD_LIST,
    CMD_SCHEMA,
    CMD_SQUASH,
    CMD_VERIFY,
    CMD_RETIRE /* `migc squash DIR --retire V` */
};

#define ARGS_MAX_SEVERITIES 64

struct args {
    enum command cmd;
    const char *command; /* its name, for messages */
    const char *dir, *out_c, *out_h, *symbol, *source_root, *format, *lock;
    const char *archive; /* --archive PATH */
    const char *retire;  /* squash --retire V */
    const char *layout_name; /* --layout, or --format naming a layout */
    enum layout layout;
    int werror, squash, no_down;
    const char *packs; /* --packs DIR */
    int no_packs;      /* --no-packs */
    const char *ledger_table;
    const char *severity[ARGS_MAX_SEVERITIES]; /* RULE=LEVEL, in order given */
    size_t n_severity;
    int excerpt; /* --excerpt 1, --no-excerpt 0; -1: on a terminal */
    /* squash */
    const char *through, *from, *database;
    int grants, dry_run;
    /* verify */
    const char *baseline;
    int data;
    int no_verify; /* lock --squash --no-verify */
};

/* The help of `migc` itself. */
extern const char args_usage_main[];

/* Read argv[2..] as the options of a->cmd (a->command names it) into a and
 * check them. `--help` prints the command's help and exits. Returns
 * EXIT_CLEAN, or EXIT_USAGE after printing the error to stderr. */
int args_parse(int argc, char **argv, struct args *a);

/* The library's options for the command a holds (a must outlive o: o
 * points into it). */
void args_compile_options(const struct args *a, struct compile_options *o);

struct squash_options;
struct verify_options;
/* squash's options from a (checked by args_parse); a must outlive o. */
void args_squash_options(const struct args *a, struct squash_options *o);

/* The options of `migc verify` (and of the verification `migc lock
 * --squash` runs first) from a. */
void args_verify_options(const struct args *a, struct verify_options *o);

#endif

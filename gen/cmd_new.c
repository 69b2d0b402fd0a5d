/* cmd_new.c: `migc new DIR NAME`: argument handling around new.h. */
#define _POSIX_C_SOURCE 200809L /* isatty, fileno */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd_new.h"
#include "diag.h"
#include "discover.h"
#include "new.h"

enum { EXIT_CLEAN = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2 };

static const char usage_new[] =
    "usage: migc new DIR NAME [--layout NAME] [--no-transaction]\n"
    "\n"
    "Creates the next migration of DIR (made when absent) and prints the\n"
    "paths of its files, the up script first. The version follows DIR's:\n"
    "the next number of a sequence at the newest one's width (009 after\n"
    "008), or else the UTC time (YYYYMMDDHHMMSS; diesel: YYYY-MM-DD-HHMMSS).\n"
    "The files are those of DIR's layout: V_NAME.sql (plain), .up.sql and\n"
    ".down.sql (up-down), -- migrate:up/down sections (dbmate), -- +goose\n"
    "Up/Down sections (goose), a folder with up.sql and down.sql (diesel)\n"
    "or migration.sql (prisma), V.do.NAME.sql and V.undo.NAME.sql\n"
    "(postgrator). They are empty but for their markers: `migc check`\n"
    "reports [empty-migration] until the SQL is written.\n"
    "\n"
    "Refused, leaving nothing behind: a NAME other than letters, digits, _\n"
    "and -; a --layout other than the one DIR holds; a migration that would\n"
    "not sort after every existing one (a clock behind the newest time\n"
    "stamp).\n"
    "\n"
    "  --layout NAME     for an empty DIR: plain (default), up-down, dbmate,\n"
    "                    goose, diesel, prisma, postgrator\n"
    "  --no-transaction  a template that runs outside a transaction, in the\n"
    "                    layout's own words (dbmate transaction:false, goose\n"
    "                    NO TRANSACTION, diesel metadata.toml, else\n"
    "                    -- migc:no-transaction)\n"
    "\n"
    "Exit status: 0 created, 1 refused, 2 usage or I/O failure.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "migc new: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nusage: migc new DIR NAME [--layout NAME] "
                    "[--no-transaction] (migc new --help)\n");
    return EXIT_USAGE;
}

int cmd_new(int argc, char **argv)
{
    struct new_options o = {.layout = LAYOUT_AUTO, .now = time(NULL)};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_new, stdout);
            return EXIT_CLEAN;
        }
        if (strcmp(a, "--no-transaction") == 0) {
            o.no_transaction = 1;
        } else if (strcmp(a, "--layout") == 0 || strcmp(a, "--format") == 0 ||
                   strncmp(a, "--layout=", 9) == 0) {
            const char *v = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
            if (!v)
                return usage_error("%s needs a layout name", a);
            if (layout_from_id(v, &o.layout) != 0 || o.layout == LAYOUT_AUTO)
                return usage_error("unknown layout '%s'", v);
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (!o.dir) {
            o.dir = a;
        } else if (!o.name) {
            o.name = a;
        } else {
            return usage_error("unexpected argument '%s'", a);
        }
    }
    if (!o.dir || !o.name)
        return usage_error("%s", "DIR and NAME are required");

    struct diags d = {0};
    struct new_result r;
    int rc = new_migration(&o, &r, &d);
    diag_print(&d, stderr, 0);
    for (size_t i = 0; i < r.n; i++)
        printf("%s\n", r.paths[i]);
    int status = rc == 0 ? EXIT_CLEAN : d.io_failed ? EXIT_USAGE : EXIT_ERRORS;
    new_result_free(&r);
    diags_free(&d);
    return status;
}

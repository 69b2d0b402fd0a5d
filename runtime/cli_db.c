/* cli_db.c: `create-db NAME` and `drop-db NAME`: fresh databases for test
 * suites, copied from the schema's template (migc_create_database(),
 * docs/templates.md). The database the command line was given is the
 * maintenance database these connect to. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_is_database_command(const struct cli *c)
{
    return strcmp(c->command, "create-db") == 0 ||
           strcmp(c->command, "drop-db") == 0;
}

int cli_database(struct cli *c, const char *conninfo)
{
    struct migc_error err = MIGC_ERROR_INIT;
    enum migc_code rc;
    if (strcmp(c->command, "drop-db") == 0) {
        uint32_t flags = (c->force ? MIGC_DROP_FORCE : 0) |
                         (c->if_exists ? MIGC_DROP_IF_EXISTS : 0);
        rc = migc_drop_database(conninfo, c->argument, flags, &err);
        if (rc == MIGC_OK)
            printf("dropped database %s\n", c->argument);
    } else {
        char tpl[64] = "";
        struct migc_report rep = MIGC_REPORT_INIT;
        rc = migc_template_name(c->schema, &c->opts, tpl, sizeof tpl, &err);
        if (rc == MIGC_OK)
            rc = migc_create_database(conninfo, c->schema, c->argument,
                                      &c->opts, &rep, &err);
        if (rc == MIGC_OK)
            printf("created database %s from template %s\n", c->argument,
                   tpl);
    }
    if (rc != MIGC_OK) {
        cli_print_error(c, &err);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

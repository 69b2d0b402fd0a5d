/* schema_compare.c: two databases' schemas compared with runtime/schema.h,
 * for shell tests (schema_dump.sh):
 *   schema_compare [--grants] [--data] [--exclude-table SCHEMA.TABLE]...
 *                  [--exclude-schema SCHEMA]... CONNINFO_A CONNINFO_B
 * prints one line per difference; exit 0 equal, 1 different, 2 error. */
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "schema.h"

static void print_line(void *ctx, const char *text)
{
    (void)ctx;
    printf("%s\n", text);
}

static struct schema_snapshot *read_one(const char *conninfo,
                                        const struct schema_read_options *o)
{
    PGconn *conn = PQconnectdb(conninfo);
    struct migc_error err = MIGC_ERROR_INIT;
    struct schema_snapshot *s = NULL;
    if (schema_read((struct pg_conn *)conn, o, &s, &err) != MIGC_OK)
        fprintf(stderr, "schema_compare: %s: %s\n", conninfo, err.message);
    PQfinish(conn);
    return s;
}

int main(int argc, char **argv)
{
    const char *tables[64] = {0}, *schemas[64] = {0}, *db[2] = {0};
    size_t nt = 0, ns = 0, nd = 0;
    struct schema_read_options o = {.exclude_tables = tables,
                                    .exclude_schemas = schemas};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--grants") == 0)
            o.grants = 1;
        else if (strcmp(argv[i], "--data") == 0)
            o.data = 1;
        else if (strcmp(argv[i], "--exclude-table") == 0 && i + 1 < argc &&
                 nt < 63)
            tables[nt++] = argv[++i];
        else if (strcmp(argv[i], "--exclude-schema") == 0 && i + 1 < argc &&
                 ns < 63)
            schemas[ns++] = argv[++i];
        else if (argv[i][0] != '-' && nd < 2)
            db[nd++] = argv[i];
        else {
            fprintf(stderr, "usage: schema_compare [--grants] [--data] "
                            "[--exclude-table T]... [--exclude-schema S]... "
                            "CONNINFO_A CONNINFO_B\n");
            return 2;
        }
    }
    if (nd != 2)
        return 2;
    struct schema_snapshot *a = read_one(db[0], &o);
    struct schema_snapshot *b = a ? read_one(db[1], &o) : NULL;
    if (!a || !b) {
        schema_free(a);
        return 2;
    }
    size_t n = schema_diff(a, b, "A", "B", print_line, NULL);
    schema_free(a);
    schema_free(b);
    return n == 0 ? 0 : 1;
}

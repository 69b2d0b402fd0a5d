/* service.c: a service around plain migc_main(), as the README shows it;
 * built once per fixture schema, whose symbol comes in as REL_SCHEMA. */
#include <migc.h>

extern const struct migc_schema REL_SCHEMA;

int main(int argc, char **argv)
{
    return migc_main(argc, argv, &REL_SCHEMA);
}

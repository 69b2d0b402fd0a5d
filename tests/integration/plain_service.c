/* plain_service.c: a service as the documentation shows it, with plain
 * migc_main() (no embedded default); built once per fixture schema, whose
 * symbol comes in as MIGC_TEST_SCHEMA. */
#include <migc.h>

extern const struct migc_schema MIGC_TEST_SCHEMA;

int main(int argc, char **argv)
{
    return migc_main(argc, argv, &MIGC_TEST_SCHEMA);
}

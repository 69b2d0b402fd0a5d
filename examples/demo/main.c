/* main.c: the demo service: the platform schema embedded in a binary.
 * With DATABASE_URL unset it runs on a private local cluster (the embedded
 * default); a production service would call plain migc_main(). */
#include <migc.h>

#include "platform_schema.h"

int main(int argc, char **argv)
{
    const struct migc_main_config config =
        MIGC_MAIN_CONFIG(.embedded_default_dir = MIGC_DEMO_DATA_DIR);
    return migc_main_with(argc, argv, &platform_schema, &config);
}

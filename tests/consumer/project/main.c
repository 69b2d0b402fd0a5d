/* main.c: the embedding example of the README, verbatim in spirit. */
#include "app_schema.h" /* declares: extern const struct migc_schema app_schema; */
#include <migc.h>

int main(int argc, char **argv)
{
    return migc_main(argc, argv, &app_schema);
}

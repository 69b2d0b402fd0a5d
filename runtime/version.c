/* version.c: what the library says without a connection: its version and
 * the description of each status code. */
#include "migc.h"

const char *migc_strerror(int code)
{
    switch (code) {
#define MIGC_X_CASE(name, value, text) case value: return text;
        MIGC_CODE_MAP(MIGC_X_CASE)
#undef MIGC_X_CASE
    }
    return "unknown code";
}

const char *migc_version(void)
{
    return MIGC_VERSION_STRING;
}

unsigned migc_version_number(void)
{
    return MIGC_VERSION_NUMBER;
}

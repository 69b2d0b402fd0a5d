/* error.c: status code names and first-error-wins error filling. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

int migc_error_isset(const struct migc_error *err)
{
    return err != NULL && err->code != MIGC_OK;
}

enum migc_code migc_error_set(struct migc_error *err, enum migc_code code,
                              const char *fmt, ...)
{
    if (err == NULL || err->code != MIGC_OK)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    /* Messages are one line: a server message may carry newlines. */
    for (char *p = err->message; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    /* libpq ends its messages with a newline: no trailing blanks. */
    for (size_t n = strlen(err->message); n > 0 && err->message[n - 1] == ' ';
         n--)
        err->message[n - 1] = '\0';
    return code;
}

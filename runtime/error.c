/* error.c: first-error-wins filling of a struct migc_error. Compiled into
 * both libraries (libmigc and libmigc_cli), each keeping its copy hidden. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum migc_code migc_error_in(struct migc_error *local,
                             const struct migc_error *caller)
{
    *local = (struct migc_error)MIGC_ERROR_INIT;
    if (!caller)
        return MIGC_OK;
    if (caller->size == 0)
        return MIGC_ERR_ARG;
    size_t n = caller->size < sizeof *local ? caller->size : sizeof *local;
    memcpy(local, caller, n);
    local->size = sizeof *local;
    return MIGC_OK;
}

void migc_error_out(struct migc_error *caller, const struct migc_error *local)
{
    if (!caller || caller->size == 0)
        return;
    size_t size = caller->size;
    memcpy(caller, local, size < sizeof *local ? size : sizeof *local);
    caller->size = size;
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

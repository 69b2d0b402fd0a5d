/* source.h: a migration file's exact bytes, checked encoding, line index. */
#ifndef MIGC_GEN_SOURCE_H
#define MIGC_GEN_SOURCE_H

#include <stddef.h>

#include "diag.h"

struct source {
    char *path;          /* as shown in diagnostics */
    char *bytes;         /* len bytes, plus a terminating NUL */
    size_t len;
    size_t *line_starts; /* byte offset of each line's first byte */
    size_t n_lines;
    size_t bom; /* 3 when a UTF-8 byte order mark the layout's tool skips
                   (Flyway) starts the file: scripts begin after it and
                   line 1's columns do not count it; else 0 */
};

/* errno values of source_read_all beyond the system's: say them with
 * source_strerror(). */
#define SOURCE_ENOTREG (-1001) /* not a regular file */
#define SOURCE_ETOOBIG (-1002) /* over source_max_size() */

/* Read path whole into *bytes (len bytes plus a NUL; free it): a regular
 * file (through links) of at most source_max_size() bytes. Returns 0, or -1
 * with errno set (possibly to a SOURCE_E* value) and nothing allocated. */
int source_read_all(const char *path, char **bytes, size_t *len);

/* The largest file any reader of the generator takes: 64 MiB, or
 * MIGC_MAX_FILE_SIZE bytes. */
size_t source_max_size(void);

/* strerror() that also says SOURCE_ENOTREG and SOURCE_ETOOBIG. */
const char *source_strerror(int err);

/* Read path whole. Reports unreadable files [io] and bytes a UTF-8 server
 * would reject (NUL, invalid UTF-8) [encoding]. Returns 0 when src is usable
 * (valid UTF-8 without NUL), -1 otherwise; src must be freed either way. */
int source_load(struct source *src, const char *path, struct diags *d);
/* source_load for a layout whose tool skips a leading byte order mark
 * (Flyway strips it before it runs the file): no error, src->bom set. */
int source_load_skip_bom(struct source *src, const char *path,
                         struct diags *d);

/* 1-based line and column (in characters) of byte offset off. */
void source_position(const struct source *src, size_t off, unsigned *line,
                     unsigned *col);

/* Byte offset of the 0-based character index chr (clamped to len). */
size_t source_char_offset(const struct source *src, size_t chr);

/* Whether s is valid UTF-8 as PostgreSQL checks it. */
int utf8_valid(const char *s);

/* A copy of s (free it) safe to print on one line: control characters and
 * bytes that are not valid UTF-8 as \xNN; with newline_as_space, line
 * breaks as blanks instead. */
char *text_escaped(const char *s, int newline_as_space);

/* The same for any len bytes of UTF-8. */
size_t utf8_char_offset(const char *bytes, size_t len, size_t chr);

/* Free the bytes and the line index; the path and len stay, for the
 * diagnostics and the summary of a migration already checked. */
void source_release(struct source *src);

void source_free(struct source *src);

#endif

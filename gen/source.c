/* source.c: a migration file's exact bytes, checked encoding, line index. */
#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* Every file the generator reads is a regular file of at most this many
 * bytes (MIGC_MAX_FILE_SIZE overrides it): a migration that is a FIFO would
 * hang the build, one linked to /dev/zero would fill the memory. */
#define SOURCE_MAX_DEFAULT ((size_t)64 << 20)

size_t source_max_size(void)
{
    const char *env = getenv("MIGC_MAX_FILE_SIZE");
    if (env && *env) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(env, &end, 10);
        if (errno == 0 && *end == '\0' && v > 0 && v <= SIZE_MAX / 2)
            return (size_t)v;
    }
    return SOURCE_MAX_DEFAULT;
}

const char *source_strerror(int err)
{
    static char buf[128];
    if (err == SOURCE_ENOTREG)
        return "not a regular file (a FIFO, a device or a socket is never "
               "read)";
    if (err == SOURCE_ETOOBIG) {
        snprintf(buf, sizeof buf,
                 "larger than %zu bytes (MIGC_MAX_FILE_SIZE sets the limit)",
                 source_max_size());
        return buf;
    }
    return strerror(err);
}

int source_read_all(const char *path, char **bytes, size_t *len)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    size_t max = source_max_size();
    int err = fstat(fd, &st) != 0  ? errno
              : !S_ISREG(st.st_mode) ? SOURCE_ENOTREG
              : (unsigned long long)st.st_size > max ? SOURCE_ETOOBIG
                                                     : 0;
    size_t cap = 0, n = 0;
    char *buf = NULL;
    while (err == 0) {
        if (n + 1 >= cap) {
            cap = cap ? cap * 2 : (size_t)st.st_size + 4096;
            buf = xrealloc(buf, cap);
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            err = errno;
        else if (got == 0)
            break;
        else if ((n += (size_t)got) > max) /* it grew while read */
            err = SOURCE_ETOOBIG;
    }
    close(fd);
    if (err != 0) {
        free(buf);
        errno = err;
        return -1;
    }
    if (!buf)
        buf = xmalloc(1);
    buf[n] = '\0';
    *bytes = buf;
    *len = n;
    return 0;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid.
 * Rejects overlong forms, surrogates and code points above U+10FFFF, as
 * PostgreSQL's pg_utf8_islegal does. */
static size_t utf8_sequence(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}

int utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t len = utf8_sequence(p + i, n - i);
        if (len == 0)
            return 0;
        i += len;
    }
    return 1;
}

char *text_escaped(const char *s, int newline_as_space)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    char *out = xmalloc(n * 4 + 1), *o = out;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_sequence(p + i, n - i);
        if (newline_as_space && (p[i] == '\n' || p[i] == '\r')) {
            *o++ = ' ';
            i++;
        } else if (len == 0 || p[i] < 0x20 || p[i] == 0x7f) {
            o += sprintf(o, "\\x%02x", p[i]);
            i++;
        } else {
            memcpy(o, p + i, len);
            o += len;
            i += len;
        }
    }
    *o = '\0';
    return out;
}

static void index_lines(struct source *src)
{
    size_t cap = 0;
    src->line_starts = xgrow(NULL, 0, &cap, sizeof *src->line_starts);
    src->line_starts[0] = 0;
    src->n_lines = 1;
    for (size_t i = 0; i < src->len; i++) {
        if (src->bytes[i] != '\n')
            continue;
        src->line_starts = xgrow(src->line_starts, src->n_lines, &cap,
                                 sizeof *src->line_starts);
        src->line_starts[src->n_lines++] = i + 1;
    }
}

static int check_encoding(const struct source *src, struct diags *d)
{
    const unsigned char *b = (const unsigned char *)src->bytes;
    for (size_t i = 0; i < src->len;) {
        unsigned line, col;
        if (b[i] == 0) {
            source_position(src, i, &line, &col);
            diag_add(d, src->path, line, col, DIAG_ERROR, DIAG_ENCODING,
                     "file contains a NUL byte, which PostgreSQL rejects");
            return -1;
        }
        size_t n = utf8_sequence(b + i, src->len - i);
        if (n == 0) {
            source_position(src, i, &line, &col);
            diag_add(d, src->path, line, col, DIAG_ERROR, DIAG_ENCODING,
                     "invalid UTF-8 byte 0x%02X; a UTF-8 server would reject "
                     "this file",
                     b[i]);
            return -1;
        }
        i += n;
    }
    return 0;
}

static int load(struct source *src, const char *path, int skip_bom,
                struct diags *d)
{
    *src = (struct source){.path = xstrdup(path)};
    if (source_read_all(path, &src->bytes, &src->len) != 0) {
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO, "cannot read file: %s",
                 source_strerror(errno));
        return -1;
    }
    index_lines(src);
    if (check_encoding(src, d) != 0)
        return -1;
    /* Editors on some systems write one; PostgreSQL does not skip it, so
     * the first statement would fail to parse at its first character. */
    if (src->len >= 3 && memcmp(src->bytes, "\xEF\xBB\xBF", 3) == 0 &&
        skip_bom) {
        src->bom = 3;
    } else if (src->len >= 3 && memcmp(src->bytes, "\xEF\xBB\xBF", 3) == 0) {
        diag_add(d, path, 1, 1, DIAG_ERROR, DIAG_ENCODING,
                 "the file starts with a UTF-8 byte order mark, which "
                 "PostgreSQL does not skip; save it without one");
        return -1;
    }
    return 0;
}

int source_load(struct source *src, const char *path, struct diags *d)
{
    return load(src, path, 0, d);
}

int source_load_skip_bom(struct source *src, const char *path,
                         struct diags *d)
{
    return load(src, path, 1, d);
}

void source_position(const struct source *src, size_t off, unsigned *line,
                     unsigned *col)
{
    /* Binary search for the last line starting at or before off. */
    size_t lo = 0, hi = src->n_lines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    unsigned c = 1;
    size_t from = src->line_starts[lo];
    if (lo == 0 && off >= src->bom)
        from = src->bom; /* an editor shows no column for the mark */
    for (size_t i = from; i < off && i < src->len; i++)
        if (((unsigned char)src->bytes[i] & 0xC0) != 0x80)
            c++;
    *line = (unsigned)lo + 1;
    *col = c;
}

size_t source_char_offset(const struct source *src, size_t chr)
{
    return utf8_char_offset(src->bytes, src->len, chr);
}

size_t utf8_char_offset(const char *bytes, size_t len, size_t chr)
{
    size_t i = 0;
    for (; i < len; i++) {
        if (((unsigned char)bytes[i] & 0xC0) == 0x80)
            continue;
        if (chr == 0)
            return i;
        chr--;
    }
    return i;
}

void source_release(struct source *src)
{
    free(src->bytes);
    free(src->line_starts);
    src->bytes = NULL;
    src->line_starts = NULL;
    src->n_lines = 0;
}

void source_free(struct source *src)
{
    source_release(src);
    free(src->path);
    *src = (struct source){0};
}

/* test_source.c: loading, encoding checks and positions of a source file. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "source.h"

/* Write len bytes to a new temporary file; returns its malloc'd path. */
static char *temp_file(const char *bytes, size_t len)
{
    char *path = strdup("/tmp/migc-test-source.XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, bytes + done, len - done);
        assert_true(n > 0);
        done += (size_t)n;
    }
    assert_int_equal(close(fd), 0);
    return path;
}

/* Load bytes through a temporary file (removed again); returns source_load's
 * result. The caller frees src and d. */
static int load(const char *bytes, size_t len, struct source *src,
                struct diags *d, char **path_out)
{
    char *path = temp_file(bytes, len);
    int rc = source_load(src, path, d);
    unlink(path);
    if (path_out)
        *path_out = path;
    else
        free(path);
    return rc;
}

/* The diagnostics as diag_print() writes them (no colour). */
static char *printed(const struct diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    diag_print(d, f, 0);
    assert_int_equal(fclose(f), 0);
    return buf;
}

#define S(lit) lit, sizeof(lit) - 1

/* ---- source_position ------------------------------------------------- */

/* Line 1 "ab", line 2 "c é € 😀 x" (1, 2, 3, 4 and 1 bytes), line 3
 * empty, line 4 "z" without a final newline. */
static const char text[] = "ab\n"
                           "c\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80x\n"
                           "\n"
                           "z";

static void test_position(void **state)
{
    (void)state;
    static const struct {
        size_t off;
        unsigned line, col;
    } cases[] = {
        {0, 1, 1},  /* a */
        {1, 1, 2},  /* b */
        {2, 1, 3},  /* the newline ends its own line */
        {3, 2, 1},  /* c */
        {4, 2, 2},  /* é: 2 bytes */
        {6, 2, 3},  /* €: 3 bytes */
        {9, 2, 4},  /* 😀: 4 bytes */
        {13, 2, 5}, /* x */
        {14, 2, 6}, /* newline */
        {15, 3, 1}, /* empty line */
        {16, 4, 1}, /* z */
        {17, 4, 2}, /* end of file */
    };
    struct source src;
    struct diags d = {0};
    assert_int_equal(load(S(text), &src, &d, NULL), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(src.len, sizeof text - 1);
    assert_int_equal(src.n_lines, 4);
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned line = 0, col = 0;
        source_position(&src, cases[i].off, &line, &col);
        if (line != cases[i].line || col != cases[i].col) {
            print_error("offset %zu: %u:%u, expected %u:%u\n", cases[i].off,
                        line, col, cases[i].line, cases[i].col);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
    source_free(&src);
    diags_free(&d);
}

static void test_position_crlf_and_empty(void **state)
{
    (void)state;
    struct source src;
    struct diags d = {0};
    unsigned line, col;

    /* CR is an ordinary character; only LF starts a line. */
    assert_int_equal(load(S("a\r\nb\r\n"), &src, &d, NULL), 0);
    source_position(&src, 1, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 2);
    source_position(&src, 3, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
    source_position(&src, 6, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 1);
    source_free(&src);

    assert_int_equal(load("", 0, &src, &d, NULL), 0);
    assert_int_equal(src.len, 0);
    assert_non_null(src.bytes);
    assert_int_equal(src.bytes[0], '\0');
    source_position(&src, 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    assert_int_equal(source_char_offset(&src, 0), 0);
    assert_int_equal(source_char_offset(&src, 5), 0);
    source_free(&src);
    assert_int_equal(d.n, 0);
    diags_free(&d);
}

/* ---- source_char_offset ---------------------------------------------- */

static void test_char_offset(void **state)
{
    (void)state;
    /* clang-format off */
    static const struct {
        size_t chr, off;
    } cases[] = {
        {0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 6}, {6, 9}, {7, 13},
        {8, 14}, {9, 15}, {10, 16},
        {11, 17},       /* one past the last character: len */
        {12, 17},       /* beyond: clamped to len */
        {1000, 17},     /* clamped */
        {SIZE_MAX, 17}, /* clamped */
    };
    /* clang-format on */
    struct source src;
    struct diags d = {0};
    assert_int_equal(load(S(text), &src, &d, NULL), 0);
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t off = source_char_offset(&src, cases[i].chr);
        if (off != cases[i].off) {
            print_error("char %zu: offset %zu, expected %zu\n", cases[i].chr,
                        off, cases[i].off);
            failures++;
        }
    }
    assert_int_equal(failures, 0);

    /* The two functions agree: a character's offset maps back to a
     * position whose column counts the characters before it on its line. */
    for (size_t chr = 0; chr < 11; chr++) {
        unsigned line, col;
        source_position(&src, source_char_offset(&src, chr), &line, &col);
        static const size_t first_chr_of_line[] = {0, 0, 3, 9, 10};
        assert_int_equal(col, chr - first_chr_of_line[line] + 1);
    }
    source_free(&src);
    diags_free(&d);
}

/* ---- encoding errors ------------------------------------------------- */

#define NUL_MESSAGE "file contains a NUL byte, which PostgreSQL rejects"
#define UTF8_MESSAGE(hex)                                                      \
    "invalid UTF-8 byte 0x" hex "; a UTF-8 server would reject this file"

struct encoding_case {
    const char *what;
    const char *bytes;
    size_t len;
    unsigned line, col; /* 0: valid */
    const char *message;
};

static const struct encoding_case encoding_cases[] = {
    {"NUL byte", S("SELECT 1;\nSELECT '\0';\n"), 2, 9, NUL_MESSAGE},
    {"NUL first", S("\0"), 1, 1, NUL_MESSAGE},
    {"NUL after multibyte", S("-- \xC3\xA9\xE2\x82\xAC\n\n  x\0"), 3, 4,
     NUL_MESSAGE},
    {"0xFF", S("SELECT 1;\n-- caf\xC3\xA9 \xFF\n"), 2, 9, UTF8_MESSAGE("FF")},
    {"overlong C0 80", S("a\nbc\n\xE2\x82\xAC\xC0\x80"), 3, 2,
     UTF8_MESSAGE("C0")},
    {"overlong C1 BF", S("\xC1\xBF"), 1, 1, UTF8_MESSAGE("C1")},
    {"overlong E0 80 80", S("x\xE0\x80\x80"), 1, 2, UTF8_MESSAGE("E0")},
    {"overlong F0 80 80 80", S("\n\n\n\xF0\x80\x80\x80"), 4, 1,
     UTF8_MESSAGE("F0")},
    {"surrogate ED A0 80", S("SELECT '\xED\xA0\x80';"), 1, 9,
     UTF8_MESSAGE("ED")},
    {"surrogate ED BF BF", S("\xC3\xA9\xED\xBF\xBF"), 1, 2, UTF8_MESSAGE("ED")},
    {"above U+10FFFF", S("\xF4\x90\x80\x80"), 1, 1, UTF8_MESSAGE("F4")},
    {"F5 lead", S("\xF5\x80\x80\x80"), 1, 1, UTF8_MESSAGE("F5")},
    {"lone continuation", S("ab\x80"), 1, 3, UTF8_MESSAGE("80")},
    {"truncated at end", S("ab\n\xE2\x82"), 2, 1, UTF8_MESSAGE("E2")},
    {"bad continuation", S("\xC3(x"), 1, 1, UTF8_MESSAGE("C3")},
    {"only the first error", S("\xFF\n\0"), 1, 1, UTF8_MESSAGE("FF")},
    /* Valid: the largest code points of each length, BOM, CR, tab. */
    {"valid", S("\x7F\xDF\xBF\xEF\xBF\xBF\xF4\x8F\xBF\xBF\xEF\xBB\xBF\r\t\n"),
     0, 0, NULL},
    {"valid U+D7FF, U+E000", S("\xED\x9F\xBF\xEE\x80\x80"), 0, 0, NULL},
};

static void test_encoding(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof encoding_cases / sizeof encoding_cases[0];
         i++) {
        const struct encoding_case *c = &encoding_cases[i];
        struct source src;
        struct diags d = {0};
        char *path;
        int rc = load(c->bytes, c->len, &src, &d, &path);
        char *expected =
            c->message ? NULL : strdup(""); /* valid: nothing printed */
        if (c->message) {
            size_t n =
                (size_t)snprintf(NULL, 0, "%s:%u:%u: error: %s [encoding]\n",
                                 path, c->line, c->col, c->message);
            expected = malloc(n + 1);
            assert_non_null(expected);
            snprintf(expected, n + 1, "%s:%u:%u: error: %s [encoding]\n", path,
                     c->line, c->col, c->message);
        }
        char *got = printed(&d);
        if (rc != (c->message ? -1 : 0) || strcmp(got, expected) != 0 ||
            d.errors != (c->message ? 1u : 0u) || d.io_failed) {
            print_error("%s: rc %d, printed\n  %s\nexpected\n  %s\n", c->what,
                        rc, got, expected);
            failures++;
        } else if (c->message && (d.items[0].rule != DIAG_ENCODING ||
                                  d.items[0].severity != DIAG_ERROR)) {
            print_error("%s: wrong rule or severity\n", c->what);
            failures++;
        } else if (src.len != c->len || memcmp(src.bytes, c->bytes, c->len)) {
            print_error("%s: bytes not loaded exactly\n", c->what);
            failures++;
        }
        free(got);
        free(expected);
        free(path);
        source_free(&src);
        diags_free(&d);
    }
    assert_int_equal(failures, 0);
}

static void test_unreadable(void **state)
{
    (void)state;
    struct source src;
    struct diags d = {0};
    const char *path = "/nonexistent/migc-test/001_x.sql";
    assert_int_equal(source_load(&src, path, &d), -1);
    char *got = printed(&d);
    assert_string_equal(got, "/nonexistent/migc-test/001_x.sql: error: cannot "
                             "read file: No such file or directory [io]\n");
    assert_true(d.io_failed);
    free(got);
    source_free(&src);
    diags_free(&d);
}

/* A file larger than the first read buffer keeps every byte and line. */
static void test_large(void **state)
{
    (void)state;
    size_t len = 3 * 1024 * 1024 + 7;
    char *bytes = malloc(len);
    assert_non_null(bytes);
    size_t lines = 1;
    for (size_t i = 0; i < len; i++) {
        bytes[i] = i % 97 == 96 ? '\n' : (char)('a' + i % 26);
        lines += bytes[i] == '\n';
    }
    struct source src;
    struct diags d = {0};
    assert_int_equal(load(bytes, len, &src, &d, NULL), 0);
    assert_int_equal(src.len, len);
    assert_memory_equal(src.bytes, bytes, len);
    assert_int_equal(src.bytes[len], '\0');
    assert_int_equal(src.n_lines, lines);
    unsigned line, col;
    source_position(&src, len - 1, &line, &col);
    assert_int_equal(line, lines);
    assert_int_equal(col, (len - 1) % 97 + 1);
    source_free(&src);
    diags_free(&d);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_position),
        cmocka_unit_test(test_position_crlf_and_empty),
        cmocka_unit_test(test_char_offset),
        cmocka_unit_test(test_encoding),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

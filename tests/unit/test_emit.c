/* test_emit.c: emit_c_string() round-trips every byte string; symbols. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

/* ---- a decoder of the C string-literal syntax ------------------------ */

/* Decode one or more string literals "..." separated by white space (C's
 * concatenation of adjacent literals), accepting exactly the escapes the
 * emitter may use: \\ \" \n \r \t \? and three-digit octal. Anything else
 * (a raw control or non-ASCII byte, another escape, text between pieces)
 * is an error: returns -1 and sets *why. out must hold n bytes. */
static int decode(const char *s, size_t n, unsigned char *out, size_t *out_len,
                  const char **why)
{
    size_t i = 0, o = 0, pieces = 0;
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
            i++;
        if (i == n)
            break;
        if (s[i] != '"') {
            *why = "text outside a string literal";
            return -1;
        }
        i++;
        pieces++;
        for (;;) {
            if (i == n) {
                *why = "unterminated string literal";
                return -1;
            }
            unsigned char c = (unsigned char)s[i++];
            if (c == '"')
                break;
            if (c != '\\') {
                if (c < 0x20 || c > 0x7E) {
                    *why = "raw control or non-ASCII byte in a literal";
                    return -1;
                }
                out[o++] = c;
                continue;
            }
            if (i == n) {
                *why = "backslash at the end";
                return -1;
            }
            c = (unsigned char)s[i++];
            switch (c) {
            case '\\':
            case '"':
            case '?': out[o++] = c; break;
            case 'n': out[o++] = '\n'; break;
            case 'r': out[o++] = '\r'; break;
            case 't': out[o++] = '\t'; break;
            default:
                if (c < '0' || c > '7' || i + 2 > n || s[i] < '0' ||
                    s[i] > '7' || s[i + 1] < '0' || s[i + 1] > '7') {
                    *why = "escape other than \\\\ \\\" \\n \\r \\t \\? \\ooo";
                    return -1;
                }
                unsigned v = (unsigned)(c - '0') * 64 +
                             (unsigned)(s[i] - '0') * 8 +
                             (unsigned)(s[i + 1] - '0');
                if (v > 0xFF) {
                    *why = "octal escape above \\377";
                    return -1;
                }
                out[o++] = (unsigned char)v;
                i += 2;
            }
        }
    }
    if (pieces == 0) {
        *why = "no string literal";
        return -1;
    }
    *out_len = o;
    return 0;
}

/* ---- helpers ---------------------------------------------------------- */

static char *emit(const void *bytes, size_t len, const char *indent,
                  size_t *out_len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, out_len);
    assert_non_null(f);
    emit_c_string(f, bytes, len, indent);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* Offset of the first trigraph in s (two '?' and one of =(/)'<!>-), or -1. */
static long find_trigraph(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (s[i] == '?' && s[i + 1] == '?' && strchr("=(/)'<!>-", s[i + 2]) &&
            s[i + 2] != '\0')
            return (long)i;
    return -1;
}

/* The layout promised by emit.h: pieces joined by a newline and indent,
 * nothing else between them, no line unreasonably long. */
static const char *check_layout(const char *s, size_t n, const char *indent)
{
    size_t ilen = strlen(indent);
    if (n < 2 || s[0] != '"' || s[n - 1] != '"')
        return "output is not one quoted literal sequence";
    size_t line = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\n') {
            if (++line > 64 * 1024)
                return "output line longer than 64 KiB";
            continue;
        }
        line = 0;
        if (i == 0 || s[i - 1] != '"' || n - i - 1 < ilen + 1 ||
            memcmp(s + i + 1, indent, ilen) != 0 || s[i + 1 + ilen] != '"')
            return "a line break not of the form \"\\n<indent>\"";
    }
    return NULL;
}

static unsigned long failures;

/* decode(emit(bytes)) == bytes, no trigraph, the documented layout. Counts
 * failures (printing the first few) rather than stopping at the first. */
static void roundtrip(const unsigned char *bytes, size_t len,
                      const char *indent)
{
    size_t n;
    char *s = emit(bytes, len, indent, &n);
    unsigned char *back = malloc(n + 1);
    assert_non_null(back);
    size_t back_len = 0;
    const char *why = NULL;
    if (decode(s, n, back, &back_len, &why) == 0) {
        if (back_len != len || memcmp(back, bytes, len) != 0)
            why = "decoded bytes differ from the input";
        else if (find_trigraph(s, n) >= 0)
            why = "trigraph in the output";
        else
            why = check_layout(s, n, indent);
    }
    if (why) {
        if (failures < 10) {
            print_error("input of %zu bytes:", len);
            for (size_t i = 0; i < len && i < 32; i++)
                print_error(" %02X", bytes[i]);
            print_error("%s\n  %s; output: %.*s\n", len > 32 ? " ..." : "", why,
                        n > 200 ? 200 : (int)n, s);
        }
        failures++;
    }
    free(back);
    free(s);
}

/* A small fixed-seed generator, the same on every platform (splitmix64). */
static uint64_t rng_state;

static uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* ---- tests ------------------------------------------------------------ */

/* The exact text for small inputs: readable, one piece per source line. */
static void test_exact(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t len;
        const char *indent, *out;
    } cases[] = {
        {"", 0, "", "\"\""},
        {"SELECT 1", 8, "", "\"SELECT 1\""},
        {"a\nb", 3, "  ", "\"a\\n\"\n  \"b\""},
        {"a\n", 2, "  ", "\"a\\n\""},
        {"\n\n", 2, "", "\"\\n\"\n\"\\n\""},
        {"?\?=", 3, "", "\"?\\?=\""},
        {"?\?\?", 3, "", "\"?\\?\\?\""},
        {"?x?", 3, "", "\"?x?\""},
        {"*/ /*", 5, "", "\"*/ /*\""},
        {"\"\\", 2, "", "\"\\\"\\\\\""},
        {"a\\\nb", 4, "\t", "\"a\\\\\\n\"\n\t\"b\""},
        {"\r\n\t", 3, "", "\"\\r\\n\"\n\"\\t\""},
        {"\0001", 2, "", "\"\\0001\""}, /* NUL, then the digit 1 */
        {"\x7F\x80\xFF", 3, "", "\"\\177\\200\\377\""},
        {"caf\xC3\xA9", 5, "", "\"caf\\303\\251\""},
        {"'", 1, "", "\"'\""},
    };
    failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n;
        char *s = emit(cases[i].in, cases[i].len, cases[i].indent, &n);
        if (strlen(cases[i].out) != n || memcmp(s, cases[i].out, n) != 0) {
            print_error("case %zu: got %.*s expected %s\n", i, (int)n, s,
                        cases[i].out);
            failures++;
        }
        free(s);
    }
    assert_int_equal(failures, 0);
}

static void test_every_byte(void **state)
{
    (void)state;
    failures = 0;
    for (unsigned c = 0; c < 256; c++) {
        unsigned char b = (unsigned char)c;
        roundtrip(&b, 1, "");
    }
    assert_int_equal(failures, 0);
}

static void test_every_pair(void **state)
{
    (void)state;
    failures = 0;
    for (unsigned c = 0; c < 256 * 256; c++) {
        unsigned char b[2] = {(unsigned char)(c >> 8), (unsigned char)c};
        roundtrip(b, 2, "    ");
    }
    assert_int_equal(failures, 0);
}

static void test_hostile_strings(void **state)
{
    (void)state;
    /* clang-format off */
    static const char *const inputs[] = {
        "?\?=", "?\?/", "?\?'", "?\?(", "?\?)", "?\?!", "?\?<", "?\?>", "?\?-",
        "?\?\?=", "?\?\?\?/", "?\?=", "*/", "/* */ */", "\\", "\\\n", "\\\r\n",
        "\r", "\n", "\r\n", "\t", "\"", "\"\"", "'\"'", "a\\\\b",
        "\x01\x32", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", "%s%n", "\\x41",
        "$$;$$", "-- ?\?=\n/* ?\?/ */\n",
    };
    /* clang-format on */
    failures = 0;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        roundtrip((const unsigned char *)inputs[i], strlen(inputs[i]), "  ");
    assert_int_equal(failures, 0);
}

/* 1 MiB of random bytes, and 1 MiB without any newline (one source line,
 * which must still be split into pieces). */
static void test_one_mib(void **state)
{
    (void)state;
    size_t len = 1024 * 1024;
    unsigned char *b = malloc(len);
    assert_non_null(b);
    rng_state = 20250101;
    for (size_t i = 0; i < len; i++)
        b[i] = (unsigned char)rng();
    failures = 0;
    roundtrip(b, len, "            ");
    for (size_t i = 0; i < len; i++)
        b[i] = "?\?=\\\"x"[i % 6];
    roundtrip(b, len, "            ");
    assert_int_equal(failures, 0);
    free(b);
}

/* Many short strings over an alphabet of the characters that matter. */
static void test_random_strings(void **state)
{
    (void)state;
    static const unsigned char alphabet[] = {
        '?', '?', '?',  '=',  '(',  '/',  ')',  '\'', '<',  '!',  '>',
        '-', '*', '\\', '\\', '"',  '\n', '\r', '\t', '0',  '1',  '7',
        '8', 'a', ' ',  0x00, 0x01, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xFF,
    };
    unsigned char b[64];
    rng_state = 42;
    failures = 0;
    for (int k = 0; k < 100000; k++) {
        size_t len = (size_t)(rng() % sizeof b);
        for (size_t i = 0; i < len; i++)
            b[i] = alphabet[rng() % sizeof alphabet];
        roundtrip(b, len, k % 2 ? "" : "  ");
    }
    assert_int_equal(failures, 0);
}

/* The decoder itself rejects what the emitter must never produce. */
static void test_decoder(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",          "x",       "\"abc",    "\"a\"x\"b\"",
        "\"\\x41\"", "\"\\0\"", "\"\\08\"", "\"\\400\"",
        "\"\t\"",    "\"\\a\"", "\"\\",
    };
    unsigned char out[16];
    size_t n;
    const char *why;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(decode(bad[i], strlen(bad[i]), out, &n, &why), -1);
    const char *good = "\"a\\?\\101\"\n  \"\\n\"";
    assert_int_equal(decode(good, strlen(good), out, &n, &why), 0);
    assert_int_equal(n, 4);
    assert_memory_equal(out, "a?A\n", 4);
    assert_int_equal(find_trigraph("\"?\?=\"", 5), 1);
    assert_int_equal(find_trigraph("\"?\\?=\"", 6), -1);
}

static void test_valid_symbol(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int valid;
    } cases[] = {
        {"schema", 1},
        {"app_schema", 1},
        {"_schema", 1},
        {"S1", 1},
        {"x", 1},
        {"migcx", 1},
        {"Migc_schema", 1},
        {"my_migc_schema", 1},
        {"migrations", 1},
        {"m0_statements", 1},
        {"int", 0},
        {"_Bool", 0},
        {"class", 0},
        {"", 0},
        {"1schema", 0},
        {"app-schema", 0},
        {"app schema", 0},
        {"app.schema", 0},
        {"sch\xC3\xA9ma", 0},
        {"migc_", 0},
        {"migc_schema", 0},
        {"MIGC_SCHEMA", 0},
        {"schema\n", 0},
    };
    failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (emit_valid_symbol(cases[i].s) != cases[i].valid) {
            print_error("\"%s\": expected %s\n", cases[i].s,
                        cases[i].valid ? "valid" : "invalid");
            failures++;
        }
    }
    assert_false(emit_valid_symbol(NULL));
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decoder),
        cmocka_unit_test(test_exact),
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_every_pair),
        cmocka_unit_test(test_hostile_strings),
        cmocka_unit_test(test_one_mib),
        cmocka_unit_test(test_random_strings),
        cmocka_unit_test(test_valid_symbol),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

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

#include "c_literal.h"
#include "emit.h"

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

static unsigned long failures;

/* decode(emit(bytes)) == bytes, and the output keeps every rule of the
 * strict decoder (no trigraph, the documented layout). Counts failures
 * (printing the first few) rather than stopping at the first. */
static void roundtrip(const unsigned char *bytes, size_t len,
                      const char *indent)
{
    size_t n;
    char *s = emit(bytes, len, indent, &n);
    unsigned char *back = malloc(n + 1);
    assert_non_null(back);
    size_t back_len = 0;
    const char *why = NULL;
    if (c_literal_decode(s, n, indent, back, &back_len, &why) == 0 &&
        (back_len != len || memcmp(back, bytes, len) != 0))
        why = "decoded bytes differ from the input";
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

/* Every string of up to four bytes over the bytes that matter to the
 * escaping, the trigraph rule and the piece layout: 22621 strings. */
static void test_tricky_strings(void **state)
{
    (void)state;
    static const unsigned char tricky[] = {
        '?', '"', '\\', '\n', '\r', '\t', 0x00, 0x7F, 0x80, 0xFF, '*', '/',
    };
    enum { K = sizeof tricky, MAX_LEN = 4 };
    failures = 0;
    for (size_t len = 0; len <= MAX_LEN; len++) {
        size_t count = 1;
        for (size_t i = 0; i < len; i++)
            count *= K;
        for (size_t k = 0; k < count; k++) {
            unsigned char b[MAX_LEN];
            size_t v = k;
            for (size_t i = 0; i < len; i++, v /= K)
                b[i] = tricky[v % K];
            roundtrip(b, len, len % 2 ? "\t" : "    ");
        }
    }
    assert_int_equal(failures, 0);
}

/* The decoder itself rejects what the emitter must never produce. */
static void test_decoder(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",                 /* no literal */
        "x",                /* text, not a literal */
        "\"abc",            /* unterminated */
        "\"a\"x\"b\"",      /* text between pieces, or a raw quote */
        "\"a\"\"b\"",       /* pieces not on lines of their own */
        "\"a\" \"b\"",      /* a space, not newline and indent */
        "\"a\"\n\"b\"",     /* missing indent */
        "\"a\"\n   \"b\"",  /* one space too many */
        "\"a\"\n",          /* text after the last piece */
        " \"a\"",           /* text before the first */
        "\"a\nb\"",         /* raw newline in a piece */
        "\"\t\"",           /* raw tab */
        "\"\x7F\"",         /* raw DEL */
        "\"\x80\"",         /* raw non-ASCII byte */
        "\"\\\"",           /* a backslash escaping the closing quote */
        "\"\\",             /* backslash at the end */
        "\"\\x41\"",        /* hex escape */
        "\"\\0\"",          /* short octal escape */
        "\"\\08\"",         /* short octal escape before a digit */
        "\"\\400\"",        /* octal above 0xFF */
        "\"\\a\"",          /* escape the emitter never uses */
        "\"\\'\"",          /* escape the emitter never uses */
        "\"?\?=\"",         /* trigraph */
        "\"a?\?b\"",        /* two raw '?' */
        "\"\\n\\n\"",       /* a newline not ending its piece */
        "\"a\\nb\"",        /* a newline not ending its piece */
        "\"\"\n  \"a\"",    /* empty first piece */
        "\"a\\n\"\n  \"\"", /* empty last piece */
    };
    unsigned char out[32];
    size_t n;
    const char *why;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = NULL;
        if (c_literal_decode(bad[i], strlen(bad[i]), "  ", out, &n, &why) != -1)
            fail_msg("bad[%zu] was accepted", i);
        assert_non_null(why);
    }

    static const struct {
        const char *text, *indent, *bytes;
        size_t len;
    } good[] = {
        {"\"\"", "", "", 0},
        {"\"a\\?\\101\\n\"\n  \"\\n\"", "  ", "a?A\n\n", 5},
        {"\"?\\?=\"", "", "?\?=", 3},
        {"\"?\"\n\t\"?\"", "\t", "??", 2}, /* not adjacent in the source */
        {"\"\\0001\\377\"", "",
         "\0"
         "1\xFF",
         3},
        {"\"*/\\\\\\\"\\r\\t\"", "", "*/\\\"\r\t", 6},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        why = NULL;
        if (c_literal_decode(good[i].text, strlen(good[i].text), good[i].indent,
                             out, &n, &why) != 0)
            fail_msg("good[%zu] rejected: %s", i, why);
        assert_int_equal(n, good[i].len);
        assert_memory_equal(out, good[i].bytes, n);
    }

    /* A line one character over the limit. */
    size_t len = C_LITERAL_LINE_MAX + 1;
    char *text = malloc(len);
    unsigned char *buf = malloc(len);
    assert_non_null(text);
    assert_non_null(buf);
    memset(text, 'a', len);
    text[0] = text[len - 1] = '"';
    assert_int_equal(c_literal_decode(text, len, "", buf, &n, &why), -1);
    text[len - 2] = '"'; /* one shorter: at the limit */
    assert_int_equal(c_literal_decode(text, len - 1, "", buf, &n, &why), 0);
    free(text);
    free(buf);
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
        cmocka_unit_test(test_tricky_strings),
        cmocka_unit_test(test_valid_symbol),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

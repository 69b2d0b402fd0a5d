/* pack_scalar.c: YAML scalars under the 1.2 core schema: what a plain
 * scalar means (null, bool, int, float or string), which texts a core tag
 * takes, and numbers as JSON and SQL write them. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pack_int.h"

static int is_digits(const char *s, size_t n, const char *set)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, s[i]) || s[i] == '\0')
            return 0;
    return 1;
}

static int one_of(const char *s, size_t n, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == n && memcmp(*words, s, n) == 0)
            return 1;
    return 0;
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL",
                                         NULL};
static const char *const true_words[] = {"true", "True", "TRUE", NULL};
static const char *const false_words[] = {"false", "False", "FALSE", NULL};
static const char *const inf_words[] = {".inf", ".Inf", ".INF", "+.inf",
                                        "+.Inf", "+.INF", "-.inf", "-.Inf",
                                        "-.INF", NULL};
static const char *const nan_words[] = {".nan", ".NaN", ".NAN", NULL};
/* YAML 1.1 booleans: strings in 1.2, named in a hint */
static const char *const old_bool_words[] = {
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off",
    "Off", "OFF", "y", "Y", "n", "N", NULL};

static const char DEC[] = "0123456789";

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int is_float(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    size_t int_start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t int_len = i - int_start, frac_len = 0;
    int dot = 0;
    if (i < n && s[i] == '.') {
        dot = 1;
        i++;
        size_t f = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        frac_len = i - f;
    }
    if (int_len == 0 && frac_len == 0)
        return 0;
    if (int_len == 0 && !dot)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t e = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == e)
            return 0;
    }
    return i == n;
}

int pack_scalar_is(enum pack_scalar k, const char *s, size_t n)
{
    size_t sign = n > 0 && (s[0] == '-' || s[0] == '+');
    switch (k) {
    case PACK_NULL: return one_of(s, n, null_words);
    case PACK_BOOL:
        return one_of(s, n, true_words) || one_of(s, n, false_words);
    case PACK_INT:
        return is_digits(s + sign, n - sign, DEC) ||
               (n > 2 && s[0] == '0' && s[1] == 'o' &&
                is_digits(s + 2, n - 2, "01234567")) ||
               (n > 2 && s[0] == '0' && s[1] == 'x' &&
                is_digits(s + 2, n - 2, "0123456789abcdefABCDEF"));
    case PACK_FLOAT:
        return is_float(s, n) || one_of(s, n, inf_words) ||
               one_of(s, n, nan_words);
    case PACK_STR: break;
    }
    return 1;
}

enum pack_scalar pack_resolve_plain(const char *s, size_t n)
{
    static const enum pack_scalar order[] = {PACK_NULL, PACK_BOOL, PACK_INT,
                                             PACK_FLOAT};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (pack_scalar_is(order[i], s, n))
            return order[i];
    return PACK_STR;
}

/* A run of digits without its leading zeros (one kept). */
static void add_digits(struct sb *b, const char *s, size_t n)
{
    while (n > 1 && s[0] == '0')
        s++, n--;
    if (n == 0)
        sb_add(b, "0");
    else
        sb_addn(b, s, n);
}

char *pack_json_number(const char *s, size_t n)
{
    if (one_of(s, n, inf_words) || one_of(s, n, nan_words))
        return NULL;
    struct sb b = {0};
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
        unsigned base = s[1] == 'x' ? 16 : 8;
        uint64_t v = 0;
        for (size_t i = 2; i < n; i++) {
            unsigned d = s[i] <= '9' ? (unsigned)(s[i] - '0')
                         : s[i] >= 'a' ? (unsigned)(s[i] - 'a' + 10)
                                       : (unsigned)(s[i] - 'A' + 10);
            if (v > (UINT64_MAX - d) / base)
                return NULL;
            v = v * base + d;
        }
        sb_addf(&b, "%llu", (unsigned long long)v);
        return sb_take(&b);
    }
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        if (s[i] == '-')
            sb_add(&b, "-");
        i++;
    }
    size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    add_digits(&b, s + start, i - start);
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        sb_add(&b, ".");
        if (i == f)
            sb_add(&b, "0");
        else
            sb_addn(&b, s + f, i - f);
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        sb_add(&b, "e");
        if (i < n && (s[i] == '-' || s[i] == '+')) {
            if (s[i] == '-')
                sb_add(&b, "-");
            i++;
        }
        add_digits(&b, s + i, n - i);
    }
    return sb_take(&b); /* "-0" is a JSON number too: kept */
}

int pack_int_value(const char *s, size_t n, int64_t *out)
{
    char *num = pack_json_number(s, n);
    if (!num)
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(num, &end, 10);
    int bad = errno != 0 || *end != '\0';
    free(num);
    if (bad)
        return -1;
    *out = v;
    return 0;
}

int pack_is_null(const struct pack_node *n)
{
    return n->kind == PACK_NODE_SCALAR && n->scalar == PACK_NULL;
}

int pack_plain_true(const char *s, size_t n)
{
    return one_of(s, n, true_words);
}

int pack_plain_nan(const char *s, size_t n)
{
    return one_of(s, n, nan_words);
}

int pack_plain_yaml11_bool(const char *s, size_t n)
{
    return one_of(s, n, old_bool_words);
}


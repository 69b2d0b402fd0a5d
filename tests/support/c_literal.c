/* c_literal.c: a strict decoder of the C string literals emit_c_string()
 * writes (rules in c_literal.h). */
#include "c_literal.h"

#include <string.h>

static int is_octal(char c)
{
    return c >= '0' && c <= '7';
}

/* Decode one escape after its backslash at s[*i]; -1 if not one of ours. */
static int decode_escape(const char *s, size_t n, size_t *i, unsigned char *b)
{
    if (*i == n)
        return -1;
    char c = s[(*i)++];
    switch (c) {
    case '\\':
    case '"':
    case '?': *b = (unsigned char)c; return 0;
    case 'n': *b = '\n'; return 0;
    case 'r': *b = '\r'; return 0;
    case 't': *b = '\t'; return 0;
    default: break;
    }
    /* Exactly three digits: C reads at most three, so a following digit
     * is never absorbed; fewer would be ambiguous before a digit. */
    if (!is_octal(c) || n - *i < 2 || !is_octal(s[*i]) || !is_octal(s[*i + 1]))
        return -1;
    unsigned v = (unsigned)(c - '0') * 64 + (unsigned)(s[*i] - '0') * 8 +
                 (unsigned)(s[*i + 1] - '0');
    if (v > 0xFF)
        return -1;
    *b = (unsigned char)v;
    *i += 2;
    return 0;
}

int c_literal_decode(const char *s, size_t n, const char *indent,
                     unsigned char *out, size_t *out_len, const char **why)
{
    size_t ilen = strlen(indent);
    size_t i = 0, o = 0, line_start = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        if (s[k] == '?' && s[k + 1] == '?') {
            *why = "two raw '?' in a row (a trigraph can form)";
            return -1;
        }
    }
    for (size_t piece = 0;; piece++) {
        if (piece > 0) {
            /* Between pieces: exactly a newline and the indent. */
            if (s[i] != '\n' || n - i - 1 < ilen ||
                memcmp(s + i + 1, indent, ilen) != 0) {
                *why = "text between pieces other than newline and indent";
                return -1;
            }
            i += 1 + ilen;
            line_start = i - ilen;
        }
        if (i == n || s[i] != '"') {
            *why = piece == 0 ? "no opening quote" : "no quote after indent";
            return -1;
        }
        i++;
        size_t piece_start = o;
        int ended_by_newline = 0;
        for (;;) {
            if (i == n) {
                *why = "unterminated string literal";
                return -1;
            }
            unsigned char c = (unsigned char)s[i++];
            if (c == '"')
                break;
            if (ended_by_newline) {
                *why = "a \\n escape not at the end of its piece";
                return -1;
            }
            if (c == '\\') {
                if (decode_escape(s, n, &i, &out[o]) != 0) {
                    *why = "escape other than \\\\ \\\" \\? \\n \\r \\t \\ooo";
                    return -1;
                }
                ended_by_newline = out[o++] == '\n';
            } else if (c < 0x20 || c > 0x7E) {
                *why = "raw control, DEL or non-ASCII byte in a literal";
                return -1;
            } else {
                out[o++] = c;
            }
        }
        if (i - line_start > C_LITERAL_LINE_MAX) {
            *why = "output line longer than C_LITERAL_LINE_MAX";
            return -1;
        }
        if (o == piece_start && (piece > 0 || i < n)) {
            *why = "empty piece";
            return -1;
        }
        if (i == n)
            break;
    }
    *out_len = o;
    return 0;
}

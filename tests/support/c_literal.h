/* c_literal.h: a strict decoder of the C string literals that
 * emit_c_string() writes, shared by tests/unit/test_emit.c and
 * tests/fuzz/fuzz_emit.c.
 *
 * Written from the contract in gen/emit.h, not from emit.c: it accepts the
 * output form that contract promises and rejects everything else, so that a
 * change in the emitter that a C compiler would read differently (or that
 * breaks the layout) fails the tests instead of being decoded "helpfully". */
#ifndef MIGC_TESTS_C_LITERAL_H
#define MIGC_TESTS_C_LITERAL_H

#include <stddef.h>

/* No output line may be longer than this many characters. */
#define C_LITERAL_LINE_MAX (64 * 1024)

/* Decode s[0..n) as C11 adjacent string literals joined the way
 * emit_c_string(out, bytes, len, indent) joins them. The rules:
 *   - the text is one or more pieces "..."; between two pieces exactly a
 *     newline and indent, nothing else (no text before or after);
 *   - inside a piece, raw only printable ASCII 0x20..0x7E other than '"'
 *     and '\\' (so no raw control byte, newline, DEL or byte >= 0x80);
 *   - escapes only \\ \" \? \n \r \t and \ooo with exactly three octal
 *     digits, at most \377 (\0, \x41, \a, \' ... are rejected);
 *   - no two raw '?' next to each other anywhere, so no trigraph ??X forms
 *     (emit.h: "??" is escaped);
 *   - one piece per source line: a \n escape ends its piece; no empty
 *     piece unless it is the only one ("" for no bytes);
 *   - no line longer than C_LITERAL_LINE_MAX.
 * On success writes the bytes to out (which must hold n bytes: decoding
 * never lengthens), their number to *out_len, and returns 0. Otherwise
 * returns -1 and sets *why to a static description. */
int c_literal_decode(const char *s, size_t n, const char *indent,
                     unsigned char *out, size_t *out_len, const char **why);

#endif

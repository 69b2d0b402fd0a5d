/* fuzz_emit.c: libFuzzer target: what emit_c_string() writes is a valid C
 * string literal in the promised layout that decodes back to its input. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_literal.h"
#include "emit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, const uint8_t *data, size_t size,
                 const char *text, size_t n)
{
    fprintf(stderr, "fuzz_emit: %s\n  input (%zu bytes):", why, size);
    for (size_t i = 0; i < size && i < 64; i++)
        fprintf(stderr, " %02X", data[i]);
    fprintf(stderr, "%s\n  output (%zu bytes): %.*s%s\n",
            size > 64 ? " ..." : "", n, n > 512 ? 512 : (int)n, text,
            n > 512 ? " ..." : "");
    abort();
}

static void roundtrip(const uint8_t *data, size_t size, const char *indent)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    if (!f)
        abort();
    emit_c_string(f, (const char *)data, size, indent);
    if (fclose(f) != 0)
        abort();
    unsigned char *back = malloc(n + 1);
    if (!back)
        abort();
    size_t back_len = 0;
    const char *why = NULL;
    if (c_literal_decode(text, n, indent, back, &back_len, &why) != 0)
        fail(why, data, size, text, n);
    if (back_len != size || (size > 0 && memcmp(back, data, size) != 0))
        fail("decoded bytes differ from the input", data, size, text, n);
    free(back);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The two indents the generator uses: names and statements. */
    roundtrip(data, size, "");
    roundtrip(data, size, "            ");
    return 0;
}

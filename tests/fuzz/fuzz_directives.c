/* fuzz_directives.c: libFuzzer target: the directive lexer (directives.re)
 * on any migration text: every directive lies on a line of the input, in
 * line order, with its spans inside that line. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, size_t i, const struct directive *dv)
{
    fprintf(stderr,
            "fuzz_directives: directive %zu (kind %d, line %u): %s\n"
            "  line_off %zu off %zu end %zu next %zu\n",
            i, (int)dv->kind, dv->line, why, dv->line_off, dv->off, dv->end,
            dv->next);
    abort();
}

/* off..off+len inside the directive's line text. */
static int in_line(const struct directive *dv, size_t off, size_t len)
{
    return off >= dv->line_off && off <= dv->end && len <= dv->end - off;
}

static void check(const char *bytes, size_t len, const struct directive *dv,
                  size_t i, const struct directive *prev)
{
    if (!(dv->line_off <= dv->off && dv->off + 2 <= dv->end &&
          dv->end <= dv->next && dv->next <= len))
        fail("offsets out of order or past the input", i, dv);
    if (memcmp(bytes + dv->off, "--", 2) != 0)
        fail("the directive does not start with --", i, dv);
    if (dv->line_off > 0 && bytes[dv->line_off - 1] != '\n')
        fail("line_off is not the start of a line", i, dv);
    if (prev && (dv->line_off < prev->next || dv->line <= prev->line))
        fail("directives not in line order", i, dv);
    if (dv->kind == DIRECTIVE_MIGC_ALLOW &&
        (!in_line(dv, dv->rule_off, dv->rule_len) ||
         !in_line(dv, dv->reason_off, dv->reason_len)))
        fail("the rule or reason lies outside the line", i, dv);
    if ((dv->kind == DIRECTIVE_MIGC_UNKNOWN ||
         (dv->kind >= DIRECTIVE_GOOSE_UP &&
          dv->kind <= DIRECTIVE_GOOSE_UNKNOWN)) &&
        !in_line(dv, dv->word_off, dv->word_len))
        fail("the word lies outside the line", i, dv);
    if ((dv->kind == DIRECTIVE_MIGC_LOCK_TIMEOUT ||
         dv->kind == DIRECTIVE_MIGC_STATEMENT_TIMEOUT) &&
        (dv->value_len == 0 || !in_line(dv, dv->value_off, dv->value_len)))
        fail("the value lies outside the line", i, dv);
    if (dv->kind == DIRECTIVE_MIGC_SQUASHES && dv->verdict == DIRECTIVE_READ &&
        dv->from > dv->to)
        fail("a squash range FROM > TO", i, dv);
    if ((dv->verdict == DIRECTIVE_READ) != (dv->problem == NULL))
        fail("a problem without a verdict, or a verdict without one", i, dv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *bytes = malloc(size + 1); /* bytes[len] must be NUL */
    if (!bytes)
        return 0;
    memcpy(bytes, data, size);
    bytes[size] = '\0';
    struct directive_list list;
    directives_scan(bytes, size, &list);
    for (size_t i = 0; i < list.n; i++)
        check(bytes, size, &list.items[i], i, i ? &list.items[i - 1] : NULL);
    directive_list_free(&list);
    free(bytes);
    return 0;
}

/* test_rule_coverage.c: every rule of DIAG_RULE_MAP has what adding a rule
 * asks for: a section of docs/rules.md, a golden case under
 * tests/gen/cases whose expected output names it, and rows in
 * tests/unit/test_rules.c. Each failure names the rule and the piece. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

#ifndef MIGC_SOURCE_DIR
#error "MIGC_SOURCE_DIR: the source tree (set by tests/unit/CMakeLists.txt)"
#endif

/* Each rule's enum name, as test_rules.c's rows write it: R(NAME). */
static const char *const enum_names[DIAG_RULE_COUNT] = {
#define COVERAGE_X_NAME(name, id, fixed, sev, handler, text)                  \
    [DIAG_##name] = #name,
    DIAG_RULE_MAP(COVERAGE_X_NAME)
#undef COVERAGE_X_NAME
};

/* The whole file at path, NUL-terminated; NULL when it cannot be read. */
static char *slurp(const char *path)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return NULL;
    size_t n = 0, cap = 4096;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t got;
    while ((got = fread(text + n, 1, cap - 1 - n, in)) > 0) {
        n += got;
        if (n == cap - 1) {
            text = realloc(text, cap *= 2);
            assert_non_null(text);
        }
    }
    fclose(in);
    text[n] = '\0';
    return text;
}

/* MIGC_SOURCE_DIR/rel, which must be there. */
static char *source_file(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", MIGC_SOURCE_DIR, rel);
    char *text = slurp(path);
    if (!text)
        fail_msg("cannot read %s", path);
    return text;
}

/* "## `id`" or "### `id` ..." as a line of text. */
static int has_section(const char *text, const char *id)
{
    char tick[64];
    snprintf(tick, sizeof tick, "`%s`", id);
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (strncmp(line, "## ", 3) == 0 || strncmp(line, "### ", 4) == 0) {
            const char *hit = strstr(line, tick);
            if (hit && hit < line + len)
                return 1;
        }
        line = end ? end + 1 : NULL;
    }
    return 0;
}

static void test_docs_sections(void **state)
{
    (void)state;
    char *docs = source_file("docs/rules.md");
    int missing = 0;
    for (int rule = 0; rule < DIAG_RULE_COUNT; rule++) {
        if (has_section(docs, diag_rule_id(rule)))
            continue;
        print_error("rule `%s`: docs/rules.md has no \"## `%s`\" or "
                    "\"### `%s`\" section\n",
                    diag_rule_id(rule), diag_rule_id(rule),
                    diag_rule_id(rule));
        missing++;
    }
    free(docs);
    assert_int_equal(missing, 0);
}

/* covered[rule]: a case's expected or expected_stdout holds "[id]". */
static void scan_case(const char *case_dir, int *covered)
{
    static const char *const outputs[] = {"expected", "expected_stdout"};
    for (size_t k = 0; k < 2; k++) {
        char path[4096 + 32]; /* case_dir's, and the longest name */
        snprintf(path, sizeof path, "%s/%s", case_dir, outputs[k]);
        char *text = slurp(path);
        if (!text)
            continue;
        for (int rule = 0; rule < DIAG_RULE_COUNT; rule++) {
            char tag[64];
            snprintf(tag, sizeof tag, "[%s]", diag_rule_id(rule));
            if (strstr(text, tag))
                covered[rule] = 1;
        }
        free(text);
    }
}

static void test_golden_cases(void **state)
{
    (void)state;
    const char *cases = MIGC_SOURCE_DIR "/tests/gen/cases";
    DIR *dir = opendir(cases);
    if (!dir)
        fail_msg("cannot read %s", cases);
    int covered[DIAG_RULE_COUNT] = {0};
    size_t n_cases = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", cases, e->d_name);
        scan_case(path, covered);
        n_cases++;
    }
    closedir(dir);
    assert_true(n_cases > 0);
    int missing = 0;
    for (int rule = 0; rule < DIAG_RULE_COUNT; rule++) {
        if (covered[rule])
            continue;
        print_error("rule `%s`: no golden case under tests/gen/cases "
                    "whose expected or expected_stdout holds [%s]\n",
                    diag_rule_id(rule), diag_rule_id(rule));
        missing++;
    }
    assert_int_equal(missing, 0);
}

/* A row about the rule (R(NAME)) that expects a finding of it ("[id]"). */
static void test_unit_rows(void **state)
{
    (void)state;
    char *rows = source_file("tests/unit/test_rules.c");
    int missing = 0;
    for (int rule = 0; rule < DIAG_RULE_COUNT; rule++) {
        char row[64], tag[64];
        /* `migc squash`'s own: no compile reports them (their rows are
         * integration.squash_cmd's cases) */
        if (rule == DIAG_SQUASH || rule == DIAG_SQUASH_DATA)
            continue;
        snprintf(row, sizeof row, "R(%s)", enum_names[rule]);
        snprintf(tag, sizeof tag, "[%s]", diag_rule_id(rule));
        if (strstr(rows, row) && strstr(rows, tag))
            continue;
        print_error("rule `%s`: tests/unit/test_rules.c has no row %s "
                    "expecting %s\n",
                    diag_rule_id(rule), row, tag);
        missing++;
    }
    free(rows);
    assert_int_equal(missing, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docs_sections),
        cmocka_unit_test(test_golden_cases),
        cmocka_unit_test(test_unit_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

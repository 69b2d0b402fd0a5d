/* fuzz_names.c: libFuzzer target: the file-name and folder-name lexers
 * (names.re) on any name: the parts they report lie inside the name, the
 * version is digits (a folder's: a digit, then digits and dashes), and the
 * kinds agree with the suffixes that define them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, const char *name)
{
    fprintf(stderr, "fuzz_names: %s\n  name: \"", why);
    for (const char *p = name; *p; p++)
        fprintf(stderr, (unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f
                            ? "\\x%02X" : "%c", (unsigned char)*p);
    fputs("\"\n", stderr);
    abort();
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static void check_parts(const char *name, size_t n,
                        const struct name_parts *p, const char *version_set)
{
    if (p->version_len == 0 || p->version_off != 0)
        fail("the version does not start the name", name);
    if (p->version_off + p->version_len > n ||
        p->desc_off + p->desc_len > n || p->desc_off < p->version_len)
        fail("a part lies outside the name", name);
    if (name[0] < '0' || name[0] > '9' ||
        strspn(name, version_set) < p->version_len)
        fail("the version holds more than its characters", name);
}

/* Flyway: .sql in any case; a version after the prefix letter V, U or B
 * (digits, one '.' or '_' between parts) then "__"; none after R__ or in
 * a callback's name (offset 0); the description ends before the suffix. */
static void check_flyway(const char *name, size_t n,
                         const struct name_parts *p)
{
    if (n < 4 || strcasecmp(name + n - 4, ".sql") != 0)
        fail("a Flyway name without .sql", name);
    if (p->version_off + p->version_len > n || p->desc_off > n - 4 ||
        p->desc_off + p->desc_len != n - 4)
        fail("a Flyway part lies outside the name", name);
    if (p->version_off == 0) { /* a callback: a lower-case event name */
        if (p->version_len || name[0] < 'a' || name[0] > 'z')
            fail("a Flyway callback with a version", name);
        return;
    }
    if (p->version_off != 1 || !strchr("VUBR", name[0]) ||
        memcmp(name + p->version_off + p->version_len, "__", 2) != 0 ||
        p->desc_off != p->version_off + p->version_len + 2)
        fail("a Flyway name without prefix, version and \"__\"", name);
    if ((name[0] == 'R') != (p->version_len == 0))
        fail("a Flyway version on R__, or none after V, U or B", name);
    const char *v = name + 1;
    for (size_t i = 0; i < p->version_len; i++) {
        int digit = v[i] >= '0' && v[i] <= '9';
        int sep_ok = i > 0 && i + 1 < p->version_len && v[i - 1] >= '0' &&
                     v[i - 1] <= '9' && v[i + 1] >= '0' && v[i + 1] <= '9';
        if (!digit && !((v[i] == '.' || v[i] == '_') && sep_ok))
            fail("a Flyway version that is not digits between separators",
                 name);
    }
}

static void check_file(const char *name, size_t n)
{
    struct name_parts p;
    enum name_kind kind = name_classify(name, &p);
    switch (kind) {
    case NAME_OTHER:
        if (ends_with(name, n, ".sql"))
            fail("a .sql name classified as no migration name", name);
        return;
    case NAME_BAD:
        if (!ends_with(name, n, ".sql"))
            fail("a name refused as a .sql file without .sql", name);
        return;
    case NAME_DIR: fail("name_classify returned NAME_DIR", name); return;
    case NAME_UP:
        if (!ends_with(name, n, ".up.sql"))
            fail("NAME_UP without .up.sql", name);
        break;
    case NAME_DOWN:
        if (!ends_with(name, n, ".down.sql"))
            fail("NAME_DOWN without .down.sql", name);
        break;
    case NAME_SQL:
    case NAME_DASH:
    case NAME_DO:
    case NAME_UNDO:
        if (!ends_with(name, n, ".sql"))
            fail("a migration name without .sql", name);
        break;
    case NAME_POPX:
        if (!ends_with(name, n, ".sql") && !ends_with(name, n, ".fizz"))
            fail("a pop name without .sql or .fizz", name);
        break;
    case NAME_FLYWAY:
        check_flyway(name, n, &p);
        return;
    }
    check_parts(name, n, &p, "0123456789");
}

static void check_dir(const char *name, size_t n)
{
    struct name_parts p;
    enum name_kind kind = name_classify_dir(name, &p);
    if (kind == NAME_OTHER)
        return;
    if (kind != NAME_DIR)
        fail("name_classify_dir returned a file kind", name);
    check_parts(name, n, &p, "0123456789-");
    if (p.desc_len == 0 || name[p.version_len] != '_' ||
        p.desc_off + p.desc_len != n)
        fail("a folder's description is not the rest of its name", name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A name is a C string: the lexers stop at the first NUL. */
    char *name = malloc(size + 1);
    if (!name)
        return 0;
    memcpy(name, data, size);
    name[size] = '\0';
    size_t n = strlen(name);
    check_file(name, n);
    check_dir(name, n);
    free(name);
    return 0;
}

/* test_lock.c: lock_read() on valid and malformed lock files, squash
 * records among them. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "lock.h"
#include "migc.h"

#define H64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H16 "0123456789abcdef"

/* body is hashed into a correct final line unless final is given. */
struct read_case {
    const char *what;
    const char *body;
    const char *final; /* NULL: "sha256 <hash of body>\n" */
    unsigned err_line; /* 0: must read cleanly */
    const char *err;   /* substring of the first error */
    int bare;          /* the correct final line, without its newline */
};

#define VALID(w, b)                                                            \
    {                                                                          \
        .what = w, .body = b                                                   \
    }
#define INVALID(w, b, fin, line, e)                                            \
    {                                                                          \
        .what = w, .body = b, .final = fin, .err_line = line, .err = e         \
    }

static const struct read_case read_cases[] = {
    VALID("header only", "# migc lock\n"),
    VALID("one entry", "1 " H64 " " H64 " 001_a.sql " H16 "\n"),
    VALID("name with spaces, several statements",
          "# x\n20250101000000 " H64 " " H64 " 20250101000000_a  b c.sql " H16
          "," H16 "," H16 "\n"),
    {.what = "final line without newline", .body = "# x\n", .bare = 1},
    INVALID("empty file", "", "", 1,
            "does not end with its \"sha256 HASH\" line"),
    INVALID("no final line", "1 " H64 " " H64 " 001_a.sql " H16 "\n", "", 1,
            "does not end with its"),
    INVALID("wrong final hash", "# x\n", "sha256 " H64 "\n", 2,
            "final hash does not match"),
    INVALID("final line twice", "# x\nsha256 " H64 "\n", NULL, 2,
            "malformed line (bad version)"),
    INVALID("bad version", "x " H64 " " H64 " 001_a.sql " H16 "\n", NULL, 1,
            "malformed line (bad version)"),
    INVALID("version too large",
            "99999999999999999999 " H64 " " H64 " 001_a.sql " H16 "\n", NULL, 1,
            "bad version"),
    INVALID("uppercase hash",
            "1 " H64 " 0123456789ABCDEF" H16 H16 H16 " a.sql " H16 "\n", NULL,
            1, "bad canonical SHA-256"),
    INVALID("short raw hash", "1 " H16 " " H64 " a.sql " H16 "\n", NULL, 1,
            "bad raw SHA-256"),
    INVALID("no name", "1 " H64 " " H64 " " H16 "\n", NULL, 1, "bad file name"),
    INVALID("no statement list", "1 " H64 " " H64 " 001_a.sql\n", NULL, 1,
            "malformed line"),
    INVALID("short statement hash", "1 " H64 " " H64 " a.sql 0123456789abcde\n",
            NULL, 1, "bad statement hashes"),
    INVALID("trailing comma", "1 " H64 " " H64 " a.sql " H16 ",\n", NULL, 1,
            "bad statement hashes"),
    INVALID("blank line", "# x\n\n", NULL, 2, "malformed line"),
    INVALID("version twice",
            "1 " H64 " " H64 " 001_a.sql " H16 "\n1 " H64 " " H64
            " 1_b.sql " H16 "\n",
            NULL, 2, "version 1 is listed twice (also on line 1)"),
    INVALID("CR LF", "# x\r\n1 " H64 " " H64 " a.sql " H16 "\r\n", NULL, 1,
            "CR LF line endings"),
    VALID("squash records",
          "# 4 squashes the released migrations 1..3\n#squashed 4 1 " H64
          " " H64 " 001_a.sql " H16 "\n#squashed 4 3 " H64 " " H64
          " 003_c d.sql " H16 "," H16 "\n4 " H64 " " H64
          " 004_baseline.sql " H16 "\n"),
    VALID("a squash of the previous format: the comment alone",
          "# 4 squashes the released migrations 1..3\n4 " H64 " " H64
          " 004_baseline.sql " H16 "\n"),
    VALID("a comment that only starts like a record",
          "#squashedx\n#squashed\n"),
    INVALID("record with a bad baseline",
            "#squashed x 1 " H64 " " H64 " 001_a.sql " H16 "\n", NULL, 1,
            "malformed squash record (bad baseline version)"),
    INVALID("record with a bad line",
            "#squashed 4 1 " H16 " " H64 " 001_a.sql " H16 "\n", NULL, 1,
            "malformed squash record (bad raw SHA-256)"),
    VALID("a baseline at the version of one it replaced (1..3 into 1)",
          "#squashed 1 1 " H64 " " H64 " 001_a.sql " H16 "\n#squashed 1 2 "
          H64 " " H64 " 002_b.sql " H16 "\n1 " H64 " " H64
          " 1_baseline.sql " H16 "\n"),
    VALID("a baseline before its range (1..3 into 0)",
          "#squashed 0 1 " H64 " " H64 " 001_a.sql " H16 "\n0 " H64 " " H64
          " 000_baseline.sql " H16 "\n"),
    INVALID("version recorded twice",
            "#squashed 4 1 " H64 " " H64 " 001_a.sql " H16
            "\n#squashed 9 1 " H64 " " H64 " 001_a.sql " H16 "\n",
            NULL, 2, "version 1 is recorded as squashed twice (also on line 1)"),
    VALID("a retire record", "#retired 4 57\n"),
    INVALID("retire record without its last version", "#retired 4\n", NULL,
            1, "malformed retire record"),
    INVALID("retire record with trailing text", "#retired 4 57 x\n", NULL,
            1, "malformed retire record"),
    INVALID("baseline retired twice", "#retired 4 57\n#retired 4 60\n",
            NULL, 2,
            "baseline 4 is recorded as retired twice (also on line 1)"),
};

static char *write_lock(const char *dir, const struct read_case *c)
{
    char *path = malloc(strlen(dir) + 16);
    assert_non_null(path);
    sprintf(path, "%s/migc.lock", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(c->body, f);
    if (c->final) {
        fputs(c->final, f);
    } else {
        char hex[HASH_HEX_LEN + 1];
        hash_sha256_hex(c->body, strlen(c->body), hex);
        fprintf(f, "sha256 %s%s", hex, c->bare ? "" : "\n");
    }
    assert_int_equal(fclose(f), 0);
    return path;
}

static int check_case(const char *dir, const struct read_case *c)
{
    char *path = write_lock(dir, c);
    struct diags d = {0};
    struct lock_file lf;
    int rc = lock_read(path, &lf, &d);
    int ok = c->err_line == 0
                 ? rc == 0 && d.n == 0 && lf.exists
                 : rc == -1 && d.n > 0 && d.items[0].line == c->err_line &&
                       d.items[0].rule == DIAG_LOCK &&
                       strstr(d.items[0].message, c->err) != NULL;
    if (!ok)
        print_error("%s: rc %d, %zu diagnostics, first: %u: %s\n", c->what, rc,
                    d.n, d.n ? d.items[0].line : 0,
                    d.n ? d.items[0].message : "(none)");
    lock_free(&lf);
    lock_free(&lf); /* freeing twice is harmless */
    diags_free(&d);
    unlink(path);
    free(path);
    return ok;
}

static void test_read(void **state)
{
    (void)state;
    char dir[] = "/tmp/migc-test-lock-XXXXXX";
    assert_non_null(mkdtemp(dir));
    int failures = 0;
    for (size_t i = 0; i < sizeof read_cases / sizeof read_cases[0]; i++)
        failures += !check_case(dir, &read_cases[i]);
    rmdir(dir);
    assert_int_equal(failures, 0);
}

/* The fields of a valid line, a name with spaces included. */
static void test_fields(void **state)
{
    (void)state;
    char dir[] = "/tmp/migc-test-lock-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const struct read_case c =
        VALID("fields", "7 " H64 " fedcba9876543210" H16 H16 H16
                        " 007_a b.sql " H16 ",fedcba9876543210\n");
    char *path = write_lock(dir, &c);
    struct diags d = {0};
    struct lock_file lf;
    assert_int_equal(lock_read(path, &lf, &d), 0);
    assert_int_equal(lf.n, 1);
    assert_int_equal(lf.entries[0].version, 7);
    assert_string_equal(lf.entries[0].raw, H64);
    assert_string_equal(lf.entries[0].canonical,
                        "fedcba9876543210" H16 H16 H16);
    assert_string_equal(lf.entries[0].name, "007_a b.sql");
    assert_int_equal(lf.entries[0].n_stmts, 2);
    assert_string_equal(lf.entries[0].stmts[1], "fedcba9876543210");
    assert_int_equal(lf.entries[0].line, 1);
    assert_int_equal(lf.body_len, strlen(c.body));
    lock_free(&lf);
    unlink(path);
    free(path);

    /* A missing file: nothing locked, no diagnostic. */
    char *missing = malloc(strlen(dir) + 16);
    assert_non_null(missing);
    sprintf(missing, "%s/none.lock", dir);
    assert_int_equal(lock_read(missing, &lf, &d), 0);
    assert_int_equal(lf.exists, 0);
    assert_int_equal(lf.n, 0);
    assert_int_equal(d.n, 0);
    lock_free(&lf);
    free(missing);
    rmdir(dir);
}

/* Squash records: their fields, and lock_squashed() listing them by
 * version for the generated schema. */
static void test_records(void **state)
{
    (void)state;
    char dir[] = "/tmp/migc-test-lock-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const struct read_case c = VALID(
        "records", "# 9 squashes the released migrations 5..8\n"
                   "#squashed 9 7 " H64 " " H64 " 007_g.sql " H16 "\n"
                   "#squashed 9 5 fedcba9876543210" H16 H16 H16 " " H64
                   " 005_e f.sql " H16 "," H16 "\n"
                   "9 " H64 " " H64 " 009_baseline.sql " H16 "\n");
    char *path = write_lock(dir, &c);
    struct diags d = {0};
    struct lock_file lf;
    assert_int_equal(lock_read(path, &lf, &d), 0);
    assert_int_equal(lf.n, 1);
    assert_int_equal(lf.entries[0].version, 9);
    assert_int_equal(lf.n_records, 2);
    assert_int_equal(lf.records[1].baseline, 9);
    assert_int_equal(lf.records[1].entry.version, 5);
    assert_string_equal(lf.records[1].entry.name, "005_e f.sql");
    assert_string_equal(lf.records[1].entry.raw,
                        "fedcba9876543210" H16 H16 H16);
    assert_int_equal(lf.records[1].entry.n_stmts, 2);
    assert_int_equal(lf.records[1].entry.line, 3);
    struct model m = {0};
    struct lock_squashed *sq;
    assert_int_equal(lock_squashed(&lf, &m, &sq), 2);
    assert_int_equal(sq[0].version, 5);
    assert_int_equal(sq[0].baseline, 9);
    assert_string_equal(sq[0].name, "005_e f.sql");
    assert_string_equal(sq[0].checksum, "fedcba9876543210" H16 H16 H16);
    assert_int_equal(sq[1].version, 7);
    free(sq);
    lock_free(&lf);
    unlink(path);
    free(path);

    /* The previous format: the comment alone lists nothing. */
    const struct read_case old = VALID(
        "comment alone", "# 9 squashes the released migrations 5..8\n"
                         "9 " H64 " " H64 " 009_baseline.sql " H16 "\n");
    path = write_lock(dir, &old);
    assert_int_equal(lock_read(path, &lf, &d), 0);
    assert_int_equal(lf.n_records, 0);
    assert_int_equal(lock_squashed(&lf, &m, &sq), 0);
    assert_null(sq);
    assert_int_equal(d.n, 0);
    lock_free(&lf);
    unlink(path);
    free(path);
    rmdir(dir);
}

/* A model of one migration per (version, name, squashes FROM..TO; TO 0:
 * an ordinary one). */
struct fake {
    int64_t version;
    const char *name;
    int64_t from, to;
};

static void fake_model(struct model *m, struct migration_file *files,
                       struct model_migration *mms, const struct fake *f,
                       size_t n)
{
    *m = (struct model){.migrations = mms, .n = n};
    for (size_t i = 0; i < n; i++) {
        files[i] = (struct migration_file){.version = f[i].version,
                                           .name = (char *)f[i].name};
        mms[i] = (struct model_migration){
            .file = &files[i],
            .flags = f[i].to ? MIGC_MIGRATION_SQUASHES : 0u,
            .squash_from = f[i].from,
            .squash_to = f[i].to};
    }
}

/* A baseline at the version of a released migration it replaces is told
 * from that one by its name, and, once `migc lock --squash` ran, by the
 * records: the line of its version is the original's until then. */
static void test_same_version(void **state)
{
    (void)state;
    char dir[] = "/tmp/migc-test-lock-XXXXXX";
    assert_non_null(mkdtemp(dir));
    static const struct fake chain[] = {{1, "1_baseline.sql", 1, 3},
                                        {4, "004_d.sql", 0, 0}};
    struct migration_file files[2];
    struct model_migration mms[2];
    struct model m;
    fake_model(&m, files, mms, chain, 2);

    /* Before the squash is locked: lines 1..4 are the released ones. */
    const struct read_case before = VALID(
        "released", "1 " H64 " " H64 " 001_a.sql " H16 "\n"
                    "2 " H64 " " H64 " 002_b.sql " H16 "\n"
                    "3 " H64 " " H64 " 003_c.sql " H16 "\n"
                    "4 " H64 " " H64 " 004_d.sql " H16 "\n");
    char *path = write_lock(dir, &before);
    struct diags d = {0};
    struct lock_file lf;
    assert_int_equal(lock_read(path, &lf, &d), 0);
    assert_null(lock_entry_of(&lf, &mms[0]));
    assert_ptr_equal(lock_entry_of(&lf, &mms[1]), &lf.entries[3]);
    assert_ptr_equal(lock_squasher(&lf, &m, 1), &mms[0]);
    assert_ptr_equal(lock_squasher(&lf, &m, 3), &mms[0]);
    assert_null(lock_squasher(&lf, &m, 4));
    struct lock_squashed *sq;
    assert_int_equal(lock_squashed(&lf, &m, &sq), 3);
    assert_int_equal(sq[0].version, 1);
    assert_int_equal(sq[0].baseline, 1);
    assert_string_equal(sq[0].name, "001_a.sql");
    free(sq);
    lock_free(&lf);
    unlink(path);
    free(path);

    /* After: the records, and the baseline's own line at 1. */
    const struct read_case after = VALID(
        "squashed", "4 " H64 " " H64 " 004_d.sql " H16 "\n"
                    "#squashed 1 1 " H64 " " H64 " 001_a.sql " H16 "\n"
                    "#squashed 1 2 " H64 " " H64 " 002_b.sql " H16 "\n"
                    "#squashed 1 3 " H64 " " H64 " 003_c.sql " H16 "\n"
                    "1 " H64 " " H64 " 1_baseline.sql " H16 "\n");
    path = write_lock(dir, &after);
    assert_int_equal(lock_read(path, &lf, &d), 0);
    assert_ptr_equal(lock_entry_of(&lf, &mms[0]), &lf.entries[1]);
    assert_null(lock_squasher(&lf, &m, 1));
    assert_int_equal(lock_squashed(&lf, &m, &sq), 3);
    assert_int_equal(sq[0].version, 1);
    assert_string_equal(sq[0].name, "001_a.sql");
    free(sq);

    /* The locked baseline renamed: its line is still its own. */
    files[0].name = "1_base.sql";
    assert_ptr_equal(lock_entry_of(&lf, &mms[0]), &lf.entries[1]);
    assert_int_equal(d.n, 0);
    lock_free(&lf);
    unlink(path);
    free(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_same_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* fuzz_lock.c: libFuzzer target: the lock-file reader (lock_parse, what
 * lock_read does after reading the file) on any bytes: it trusts the file
 * (returns 0) only when nothing was reported, and every entry it keeps is
 * well formed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why)
{
    fprintf(stderr, "fuzz_lock: %s\n", why);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *bytes = malloc(size + 1); /* as source_read_all: a NUL after */
    if (!bytes)
        return 0;
    memcpy(bytes, data, size);
    bytes[size] = '\0';
    struct diags d = {0};
    struct lock_file lf;
    int rc = lock_parse("migc.lock", bytes, size, &lf, &d);
    if ((rc == 0) != (d.errors == 0))
        fail("the return code disagrees with the errors reported");
    for (size_t i = 0; i < lf.n; i++) {
        const struct lock_entry *e = &lf.entries[i];
        if (e->version < 0 || !e->name || e->n_stmts == 0 ||
            strlen(e->raw) != HASH_HEX_LEN ||
            strlen(e->canonical) != HASH_HEX_LEN)
            fail("a kept entry is not well formed");
        for (size_t k = 0; k < e->n_stmts; k++)
            if (strlen(e->stmts[k]) != LOCK_STMT_HEX_LEN)
                fail("a statement hash is not 16 hex digits");
        if (e->line == 0)
            fail("an entry without its line");
    }
    lock_free(&lf);
    diags_free(&d);
    return 0;
}

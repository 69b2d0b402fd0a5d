/* flyway_crc.c: prints Flyway's checksum of each file named (gen/foreign.h
 * foreign_flyway_checksum), one line "CHECKSUM PATH", for foreign.sh to
 * compare with Python's zlib.crc32: also for the files the generator
 * refuses to compile (a byte order mark, an empty file). */
#include <stdio.h>
#include <stdlib.h>

#include "foreign.h"

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        char *bytes = NULL;
        size_t len = 0, cap = 0, got;
        do {
            if (len == cap) {
                cap = cap ? 2 * cap : 4096;
                char *more = realloc(bytes, cap);
                if (!more)
                    return 1;
                bytes = more;
            }
            got = fread(bytes + len, 1, cap - len, f);
            len += got;
        } while (got > 0);
        fclose(f);
        printf("%ld %s\n", (long)foreign_flyway_checksum(bytes, len), argv[i]);
        free(bytes);
    }
    return 0;
}

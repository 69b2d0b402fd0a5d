/* lock.h: the lock file of released migrations (docs/lock-file.md). */
#ifndef MIGC_GEN_LOCK_H
#define MIGC_GEN_LOCK_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "hash.h"
#include "model.h"

/* A statement's canonical hash is locked by its first 16 hex digits. */
#define LOCK_STMT_HEX_LEN 16

struct lock_entry {
    int64_t version;
    char raw[HASH_HEX_LEN + 1];           /* SHA-256 of the file's bytes */
    char canonical[HASH_HEX_LEN + 1];     /* of its tokens (parse.h) */
    char *name;                           /* file name within the directory */
    char (*stmts)[LOCK_STMT_HEX_LEN + 1]; /* canonical hash prefixes */
    size_t n_stmts;
    unsigned line; /* 1-based line in the lock file */
    size_t off, len; /* its bytes in the file, newline included */
};

/* A released migration a baseline replaced: the line
 * "#squashed BASELINE ENTRY", ENTRY its line as it was locked. Older migc
 * reads it as a comment. */
struct lock_record {
    int64_t baseline;
    struct lock_entry entry;
};

/* The originals of a baseline were retired: the line
 * "#retired BASELINE LAST" (`migc squash --retire`), LAST the newest
 * released version when they were, so the chain of the last build that
 * carried them. Older migc reads it as a comment. */
struct lock_retired {
    int64_t baseline, last;
    unsigned line;
};

/* What the binary needs of a replaced migration (lock_squashed()). */
struct lock_squashed {
    int64_t version, baseline;
    const char *name, *checksum; /* borrowed from the lock file */
};

struct lock_file {
    char *path;  /* as given; diagnostics name it */
    int exists;  /* 0: no file, nothing is locked */
    char *bytes; /* the file as read (len bytes plus a NUL) */
    size_t len;
    size_t body_len;            /* bytes before the final hash line */
    struct lock_entry *entries; /* in file order */
    size_t n;
    struct lock_record *records; /* squashed migrations, in file order */
    size_t n_records;
    struct lock_retired *retired; /* retired archives, in file order */
    size_t n_retired;
};

/* DIR/migc.lock, the default lock path (free it). */
char *lock_default_path(const char *dir);

/* Read and verify path into lf. A missing file is an empty lock. A
 * malformed line or a final hash that does not match is reported [lock] at
 * path:line:1, an unreadable file [io]. Returns 0 when lf can be trusted,
 * -1 otherwise; lf must be freed either way. */
int lock_read(const char *path, struct lock_file *lf, struct diags *d);

/* lock_read's parse and verification of the file's bytes (len bytes plus
 * a NUL, from malloc; lf owns them from now on, even on failure): the
 * entry point of the tests that feed lock files from memory. */
int lock_parse(const char *path, char *bytes, size_t len, struct lock_file *lf,
               struct diags *d);

/* How a migration's statements differ from its lock entry's. */
enum lock_diff {
    LOCK_DIFF_NONE,    /* no statement differs (the bytes may) */
    LOCK_DIFF_CHANGED, /* a statement differs from the released one */
    LOCK_DIFF_ADDED,   /* a statement follows the released ones */
    LOCK_DIFF_REMOVED, /* released statements after the last were removed */
};

/* What the lock stage notes of one migration's statements while they are
 * at hand; lock_check reports it once they are gone. A zeroed note: none
 * differs. */
struct lock_note {
    enum lock_diff kind;
    unsigned line, col; /* where the difference is; 0 0: the whole file */
};

/* Compare migration i's statements with the lock entry of its version and
 * name, while they are at hand (between parse and release), into *note:
 * lock_check reports an edit where they first differ. *note is left alone
 * when the migration is not locked or did not parse. */
void lock_note_statements(const struct lock_file *lf, const struct model *m,
                          size_t i, struct lock_note *note);

/* Compare the model with the lock: a locked migration removed, renamed or
 * edited is an error [immutable] (an edit in whitespace, line endings,
 * comments or keyword case only is a warning); an unlocked migration whose
 * version sorts before the newest locked one is an error [out-of-order].
 * dir is the migrations directory as given: paths of vanished files.
 * A locked migration that an unlocked baseline declares it squashes must be
 * gone; it is an error until `migc lock --squash` (squash set: no error)
 * records the baseline in its place. notes holds m->n notes, one per
 * migration (lock_note_statements). */
void lock_check(const struct lock_file *lf, const struct model *m,
                const struct lock_note *notes, const char *dir, int squash,
                struct diags *d);

/* The lock line of migration mm, or NULL when mm is not locked: the line
 * of its version, unless mm is a baseline that took the version of a
 * released migration it replaces (the line names that one, and the lock
 * file holds no "#squashed" records of the baseline yet). */
const struct lock_entry *lock_entry_of(const struct lock_file *lf,
                                       const struct model_migration *mm);

/* The unlocked baseline of m (-- migc:squashes FROM..TO) whose range holds
 * version, or NULL. */
const struct model_migration *lock_squasher(const struct lock_file *lf,
                                            const struct model *m,
                                            int64_t version);

/* The released migrations each baseline of m replaced, ascending by
 * version, into *out (free it; NULL when none): the records of the lock
 * file, and the locked migrations an unlocked baseline squashes. A
 * baseline with none (locked by a migc that kept no records, or never
 * locked) is not listed. Returns the count. */
size_t lock_squashed(const struct lock_file *lf, const struct model *m,
                     struct lock_squashed **out);

/* Write lf->path: the existing lines byte for byte, one line per migration
 * of m that lf does not hold yet (ascending by version), then the final
 * hash line. With squash, the lines of locked versions an unlocked baseline
 * squashes are left out of their place; before the baseline's line come a
 * comment line and, for each of them, its record "#squashed BASELINE" and
 * the line as it was; *squashed receives the number of lines moved. The file is replaced
 * atomically, and not at all when its
 * bytes would not change. *added receives the number of lines appended.
 * Returns 0, or -1 after reporting [io] or [lock]; the file is then
 * untouched. */
/* m must be built with keep (its statements' hashes are written). */
int lock_write(const struct lock_file *lf, const struct model *m, int squash,
               size_t *added, size_t *squashed, struct diags *d);

/* Append "#retired BASELINE LAST" to lf->path (read into lf, trusted):
 * its lines byte for byte, the record, the final hash line recomputed;
 * replaced atomically. Returns 0, or -1 after reporting [io]. */
int lock_write_retired(const struct lock_file *lf, int64_t baseline,
                       int64_t last, struct diags *d);

/* The #retired record of baseline, or NULL. */
const struct lock_retired *lock_find_retired(const struct lock_file *lf,
                                             int64_t baseline);

/* Freeing a zeroed or freed lock_file is a no-op. */
void lock_free(struct lock_file *lf);

#endif

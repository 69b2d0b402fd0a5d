/* archive.h: the originals a baseline replaced, kept in ARCHIVE/<V>/ (V the
 * baseline's version) so that the binary can carry them and a database
 * part-way through the range can finish it (docs/squashing.md). */
#ifndef MIGC_GEN_ARCHIVE_H
#define MIGC_GEN_ARCHIVE_H

#include "diag.h"
#include "lock.h"
#include "model.h"

/* The archive folder's default name inside the migrations directory. */
#define ARCHIVE_DEFAULT_NAME "squashed"

/* The archive root of dir: archive when given, else DIR/squashed (free
 * it). */
char *archive_path(const char *dir, const char *archive);

/* The name of dir's entry that the archive root is, when it lies directly
 * in dir (the main discovery leaves it out), else NULL (free it). */
char *archive_skip_name(const char *dir, const char *archive_root);

/* Read every ARCHIVE/<V>/ folder into m->archives, m being the main chain
 * once every migration of it was parsed (its baselines' flags and ranges
 * known): each folder is discovered in m's layout, loaded and parsed like
 * migrations (directives, statements), not checked by the semantics or
 * the rules. A missing archive root is an empty archive. Reported
 * [archive]: an entry that is not a folder named by a version, a folder
 * naming no baseline of m, a migration outside its baseline's range. The
 * originals stay loaded until m is freed. */
void archive_read(struct model *m, const char *archive_root,
                  const char *source_root, int no_down, struct diags *d);

/* The archive against the lock file: an original released under another
 * checksum or name than the lock's `#squashed` record of it (the archive
 * holds the released bytes: edits are refused as edits of released
 * migrations are), and the folder of a baseline the lock records as
 * retired, are errors [archive]. */
void archive_check(const struct model *m, const struct lock_file *lf,
                   struct diags *d);

/* Whether original mm of archive a is embedded: the lock lists it as
 * replaced by a's baseline (sq, n: lock_squashed()), under its name and
 * checksum. An original never released needs no crossing. */
int archive_carried(const struct model_archive *a,
                    const struct model_migration *mm,
                    const struct lock_squashed *sq, size_t n);

#endif

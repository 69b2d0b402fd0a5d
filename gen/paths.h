/* paths.h: file-system paths as the generator walks and embeds them. */
#ifndef MIGC_GEN_PATHS_H
#define MIGC_GEN_PATHS_H

#include <stddef.h>

/* The path a binary carries for the directory dir: relative to root (NULL:
 * the current directory) when dir lies under it, else dir as given when
 * relative (without "./" and trailing slashes), else dir's last component,
 * or fallback when it has none. Never absolute, so that the output is the
 * same on every machine. Allocated (free it). */
char *path_embedded(const char *dir, const char *root, const char *fallback);

/* The entry names of a directory, sorted by strcmp. */
struct path_names {
    char **items;
    size_t n, cap;
};

/* Read dir's entries into out, without the hidden ones (".", "..", editor
 * and VCS files), sorted so that diagnostics come in a stable order
 * whatever order the file system returns. Returns 0, or -1 with errno set
 * when dir cannot be opened (out is then empty). Free out either way. */
int path_list(const char *dir, struct path_names *out);

/* Freeing a zeroed or freed list is a no-op. */
void path_names_free(struct path_names *l);

int path_is_dir(const char *path);  /* a directory, following links */
int path_is_file(const char *path); /* a regular file, following links */

#endif

/* new.h: `migc new`: the next migration of a directory, in its layout. */
#ifndef MIGC_GEN_NEW_H
#define MIGC_GEN_NEW_H

#include <stddef.h>
#include <time.h>

#include "diag.h"
#include "discover.h"

struct new_options {
    const char *dir;    /* the migrations directory (made when absent) */
    const char *name;   /* the description: letters, digits, _ and - */
    enum layout layout; /* LAYOUT_AUTO: the directory's; plain when empty */
    int no_transaction; /* the layout's way of saying so, in the template */
    time_t now;         /* the time stamp of a timestamped version */
};

/* The files made, the up script first; paths as dir + "/" + name. */
struct new_result {
    enum layout layout;
    char *paths[3];
    size_t n;
};

/* Make the next migration of o->dir: its version follows the directory's
 * (a UTC time stamp, or the next number of a sequence at the width of the
 * newest), its files are the layout's (up and down scripts, section
 * markers, a folder), empty but for the markers. Refused, with nothing
 * left behind: a bad name, a layout other than the directory's, and a
 * migration that would not sort after every existing one (the directory
 * is read again with the new files to prove it). Returns 0, or -1 with the
 * reasons in d. */
int new_migration(const struct new_options *o, struct new_result *r,
                  struct diags *d);

void new_result_free(struct new_result *r);

#endif

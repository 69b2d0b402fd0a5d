/* cmd_new.h: `migc new`, the command (argument handling around new.h). */
#ifndef MIGC_GEN_CMD_NEW_H
#define MIGC_GEN_CMD_NEW_H

/* argv as main's: argv[1] is "new". Returns the process exit status. */
int cmd_new(int argc, char **argv);

#endif

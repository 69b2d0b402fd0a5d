/* embedded.c: a private PostgreSQL cluster driven with initdb and pg_ctl. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* setgroups, getgrouplist, closefrom */

#include "embedded.h"
#include "error.h"
#include "fnv1a.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SERVER_USER "postgres" /* who runs the server when we are root */
#define DB_USER "migc"
#define PORT "5432" /* the socket folder is private, so no port can clash */
#define SOCKDIR_TEMPLATE "/tmp/migc-pg.XXXXXX"
#define MAX_GROUPS 64
/* Where root keeps the clusters of folders the server's user cannot reach
 * (a checkout in root's 0700 home): one private folder each, named after
 * the folder it serves. MIGC_EMBEDDED_HOME overrides it (tests). */
#define CLUSTER_HOME "/var/lib/migc"
#define POINTER_NAME "cluster" /* DIR/cluster: a link to the kept folder */

/* The identity the server programs run under: our own, or SERVER_USER's. */
struct run_as {
    int drop; /* non-zero: switch to uid/gid/groups in the child */
    uid_t uid;
    gid_t gid;
    gid_t groups[MAX_GROUPS];
    int n_groups;
};

struct embedded_pg {
    char asked[PATH_MAX];  /* absolute DIR, as the caller named it */
    char dir[PATH_MAX];    /* where the cluster's files are: DIR, or its
                              folder under CLUSTER_HOME */
    char data[PATH_MAX];   /* DIR/data */
    char log[PATH_MAX];    /* DIR/server.log */
    char bindir[PATH_MAX]; /* holds initdb and pg_ctl */
    char pg_ctl[PATH_MAX];
    int kept;    /* dir is DIR's folder under CLUSTER_HOME */
    long orphan; /* pid of a server a killed command left, stopped */
    char sockdir[sizeof SOCKDIR_TEMPLATE]; /* "" until made */
    char conninfo[sizeof SOCKDIR_TEMPLATE + 64];
    struct run_as as;
};

/* Where a child failed before exec; sent to the parent through a pipe. */
enum step {
    STEP_NONE,
    STEP_SETUP,
    STEP_GROUPS,
    STEP_SETGID,
    STEP_SETUID,
    STEP_CHDIR,
    STEP_EXEC,
    STEP_PROBE /* a probe (no exec) found the folder unusable */
};

struct child_report {
    int step;
    int error;
};

/* snprintf into a path buffer; -1 (errno ENAMETOOLONG) when it does not fit. */
static int fmt(char *buf, size_t size, const char *format, ...)
    MIGC_PRINTF(3, 4);
static int fmt(char *buf, size_t size, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(buf, size, format, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* ---- Finding the server programs ---------------------------------------- */

static int has_server(const char *bindir)
{
    char p[PATH_MAX];
    return fmt(p, sizeof p, "%s/initdb", bindir) == 0 && access(p, X_OK) == 0 &&
           fmt(p, sizeof p, "%s/pg_ctl", bindir) == 0 && access(p, X_OK) == 0;
}

static int bindir_from_pg_config(char *out, size_t size)
{
    /* stderr away: "pg_config: not found" must not reach the caller's terminal.
     */
    FILE *f = popen("pg_config --bindir 2>/dev/null", "r");
    if (f == NULL)
        return -1;
    int got = fgets(out, (int)size, f) != NULL;
    if (pclose(f) != 0 || !got)
        return -1;
    out[strcspn(out, "\n")] = '\0';
    /* libpq-dev alone ships pg_config with no server beside it. */
    return out[0] == '/' && has_server(out) ? 0 : -1;
}

/* The highest-numbered /usr/lib/postgresql/N/bin holding a server (Debian's
 * layout). */
static int bindir_from_debian(char *out, size_t size)
{
    DIR *d = opendir("/usr/lib/postgresql");
    if (d == NULL)
        return -1;
    long best = -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end;
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        long rank =
            strtol(e->d_name, &end, 10) * 1000; /* "9.6" sorts below "10" */
        if (*end == '.')
            rank += strtol(end + 1, &end, 10);
        char bin[PATH_MAX];
        if (*end != '\0' || rank <= best ||
            fmt(bin, sizeof bin, "/usr/lib/postgresql/%s/bin", e->d_name) !=
                0 ||
            !has_server(bin) || fmt(out, size, "%s", bin) != 0)
            continue;
        best = rank;
    }
    closedir(d);
    return best >= 0 ? 0 : -1;
}

static enum migc_code find_bindir(struct embedded_pg *pg,
                                  struct migc_error *err)
{
    const char *env = getenv("MIGC_PG_BINDIR");
    if (env != NULL && env[0] != '\0') {
        /* Absolute, since the programs run from DIR. */
        if (realpath(env, pg->bindir) == NULL || !has_server(pg->bindir))
            return migc_error_set(
                err, MIGC_ERR_EMBEDDED,
                "MIGC_PG_BINDIR=%s does not hold executable initdb and pg_ctl",
                env);
    } else if (bindir_from_pg_config(pg->bindir, sizeof pg->bindir) != 0 &&
               bindir_from_debian(pg->bindir, sizeof pg->bindir) != 0) {
        return migc_error_set(
            err, MIGC_ERR_EMBEDDED,
            "PostgreSQL server binaries not found; install the Debian package "
            "postgresql or set MIGC_PG_BINDIR");
    }
    if (fmt(pg->pg_ctl, sizeof pg->pg_ctl, "%s/pg_ctl", pg->bindir) != 0)
        return migc_error_set(err, MIGC_ERR_EMBEDDED,
                              "path too long: %s/pg_ctl", pg->bindir);
    return MIGC_OK;
}

/* ---- Identity ----------------------------------------------------------- */

/* initdb and postgres refuse to run as root, so root hands them to SERVER_USER.
 */
static enum migc_code resolve_run_as(struct run_as *as, struct migc_error *err)
{
    as->drop = geteuid() == 0;
    if (!as->drop)
        return MIGC_OK;
    struct passwd pw, *found = NULL;
    char buf[16384];
    int rc = getpwnam_r(SERVER_USER, &pw, buf, sizeof buf, &found);
    if (found == NULL)
        return migc_error_set(
            err, MIGC_ERR_EMBEDDED,
            "running as root, but there is no user %s to run the server (%s)",
            SERVER_USER, rc != 0 ? strerror(rc) : "no such user");
    as->uid = pw.pw_uid;
    as->gid = pw.pw_gid;
    as->n_groups = MAX_GROUPS;
    if (getgrouplist(SERVER_USER, as->gid, as->groups, &as->n_groups) < 0) {
        /* More groups than we keep: the primary group is all the server needs.
         */
        as->groups[0] = as->gid;
        as->n_groups = 1;
    }
    return MIGC_OK;
}

/* ---- Running a program -------------------------------------------------- */

_Noreturn static void child_fail(int report_fd, int step)
{
    struct child_report r = {step, errno};
    ssize_t n = write(report_fd, &r, sizeof r);
    (void)n;
    _exit(127);
}

static void close_from(int lowfd)
{
#if defined(__GLIBC__) &&                                                      \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    closefrom(lowfd);
#else
    long max = sysconf(_SC_OPEN_MAX);
    for (long fd = lowfd; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
        close((int)fd);
#endif
}

/* In the forked child: async-signal-safe calls only, since the caller may
 * have threads. argv NULL: no program, only the checks up to cwd (and, with
 * probe_write, that cwd is writable). Never returns. */
_Noreturn static void child(const char *const argv[], int probe_write,
                            int devnull, int out_fd, int report_fd,
                            const char *cwd, const struct run_as *as)
{
    /* Lift every fd above 3 first so that the dup2 calls cannot clobber one. */
    int rep = fcntl(report_fd, F_DUPFD_CLOEXEC, 10);
    if (rep < 0)
        _exit(127);
    int in = fcntl(devnull, F_DUPFD, 10);
    int out = fcntl(out_fd >= 0 ? out_fd : devnull, F_DUPFD, 10);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
        dup2(out, 2) < 0 || dup2(rep, 3) < 0 ||
        fcntl(3, F_SETFD, FD_CLOEXEC) < 0)
        child_fail(rep, STEP_SETUP);
    /* The server outlives this call; it must not hold the caller's files open.
     */
    close_from(4);
    if (as->drop) {
        if (setgroups(as->n_groups, as->groups) != 0)
            child_fail(3, STEP_GROUPS);
        if (setgid(as->gid) != 0)
            child_fail(3, STEP_SETGID);
        if (setuid(as->uid) != 0)
            child_fail(3, STEP_SETUID);
    }
    /* As the server's user: this is also the check that it can reach DIR. */
    if (chdir(cwd) != 0)
        child_fail(3, STEP_CHDIR);
    if (argv == NULL) { /* a probe: can this user enter cwd, and write? */
        if (probe_write && access(".", W_OK | X_OK) != 0)
            child_fail(3, STEP_PROBE);
        _exit(0);
    }
    /* execv's prototype predates const; it does not modify the strings. */
    execv(argv[0], (char *const *)argv);
    child_fail(3, STEP_EXEC);
}

static int wait_child(pid_t pid, int *status)
{
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return 0;
}

/* Fork, run child() and wait; the fds are the parent's, left open. */
static void fork_and_wait(const char *const argv[], int probe_write,
                          int devnull, int out_fd, const int p[2],
                          const char *cwd, const struct run_as *as,
                          int *status, struct child_report *report)
{
    pid_t pid = fork();
    if (pid == 0)
        child(argv, probe_write, devnull, out_fd, p[1], cwd, as);
    int fork_errno = errno;
    close(p[1]);
    if (pid < 0) {
        *report = (struct child_report){STEP_SETUP, fork_errno};
        return;
    }
    /* EOF means the exec happened (the pipe is close-on-exec). */
    ssize_t n;
    do
        n = read(p[0], report, sizeof *report);
    while (n < 0 && errno == EINTR);
    int waited = wait_child(pid, status);
    if (n == (ssize_t)sizeof *report)
        return;
    *report = (struct child_report){waited == 0 ? STEP_NONE : STEP_SETUP,
                                    waited == 0 ? 0 : errno};
}

/* Fork and exec argv with stdin from /dev/null and stdout and stderr into
 * out_fd (-1: /dev/null), in cwd, as `as`, and wait. Returns 0 with *status
 * from waitpid, or -1 with *report saying what failed before the exec.
 * argv NULL: a probe (child()). */
static int spawn(const char *const argv[], int probe_write, int out_fd,
                 const char *cwd, const struct run_as *as, int *status,
                 struct child_report *report)
{
    int p[2];
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) {
        *report = (struct child_report){STEP_SETUP, errno};
        return -1;
    }
    if (pipe(p) != 0) {
        *report = (struct child_report){STEP_SETUP, errno};
        close(devnull);
        return -1;
    }
    if (fcntl(p[0], F_SETFD, FD_CLOEXEC) < 0 ||
        fcntl(p[1], F_SETFD, FD_CLOEXEC) < 0) {
        *report = (struct child_report){STEP_SETUP, errno};
        close(p[1]);
    } else {
        fork_and_wait(argv, probe_write, devnull, out_fd, p, cwd, as, status,
                      report);
    }
    close(p[0]);
    close(devnull);
    return report->step == STEP_NONE ? 0 : -1;
}

/* Run a server program; *exit_code is its exit status. Failure to run it at
 * all, or death by a signal, fills err naming `log`. */
static enum migc_code run_tool(const struct embedded_pg *pg,
                               const char *const argv[], int out_fd,
                               const char *log, int *exit_code,
                               struct migc_error *err)
{
    const char *name =
        strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    int status = 0;
    struct child_report r;
    if (spawn(argv, 0, out_fd, pg->dir, &pg->as, &status, &r) != 0) {
        const char *why = strerror(r.error);
        switch (r.step) {
        case STEP_CHDIR:
            if (pg->as.drop)
                return migc_error_set(
                    err, MIGC_ERR_EMBEDDED,
                    "user %s cannot reach %s (%s); every folder above it must "
                    "be searchable by %s",
                    SERVER_USER, pg->dir, why, SERVER_USER);
            return migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot enter %s: %s",
                                  pg->dir, why);
        case STEP_GROUPS:
        case STEP_SETGID:
        case STEP_SETUID:
            return migc_error_set(err, MIGC_ERR_EMBEDDED,
                                  "cannot switch to user %s to run %s: %s",
                                  SERVER_USER, name, why);
        default:
            return migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot run %s: %s",
                                  argv[0], why);
        }
    }
    if (WIFSIGNALED(status))
        return migc_error_set(err, MIGC_ERR_EMBEDDED,
                              "%s was killed by signal %d; see %s", name,
                              WTERMSIG(status), log);
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return MIGC_OK;
}

/* ---- Files -------------------------------------------------------------- */

/* mkdir -p: missing parents get 0777 less the umask, as mkdir -p gives them;
 * dir itself 0700. */
static int make_dirs(const char *dir)
{
    char buf[PATH_MAX];
    if (fmt(buf, sizeof buf, "%s", dir) != 0)
        return -1;
    for (size_t n = strlen(buf); n > 1 && buf[n - 1] == '/'; n--)
        buf[n - 1] = '\0';
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return -1;
    struct stat st;
    if (stat(buf, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* Open a file in DIR for writing. DIR belongs to the server's user, who must
 * not make root write or chown through a link it planted. */
static int open_owned(const char *path, int flags, const struct run_as *as)
{
    int fd =
        open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | flags, 0600);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
        close(fd);
        errno = EPERM;
        return -1;
    }
    /* pg_ctl -l reopens server.log as the server's user. */
    if (as->drop && fchown(fd, as->uid, as->gid) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Line `line` (1-based) of DIR/data/postmaster.pid; -1 when absent. */
static int pidfile_line(const struct embedded_pg *pg, int line, char *out,
                        size_t size)
{
    char path[PATH_MAX];
    if (fmt(path, sizeof path, "%s/postmaster.pid", pg->data) != 0)
        return -1;
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return -1;
    out[0] = '\0';
    int found = 0;
    for (int i = 1; i <= line && fgets(out, (int)size, f) != NULL; i++)
        found = i == line;
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
    return found ? 0 : -1;
}

/* Remove the socket folder, with anything a crashed server left in it. */
static int remove_sockdir(struct embedded_pg *pg)
{
    if (pg->sockdir[0] == '\0')
        return 0;
    char p[PATH_MAX];
    if (fmt(p, sizeof p, "%s/.s.PGSQL.%s", pg->sockdir, PORT) == 0)
        unlink(p);
    if (fmt(p, sizeof p, "%s/.s.PGSQL.%s.lock", pg->sockdir, PORT) == 0)
        unlink(p);
    if (rmdir(pg->sockdir) != 0 && errno != ENOENT)
        return -1;
    pg->sockdir[0] = '\0';
    return 0;
}

/* ---- Steps of embedded_start -------------------------------------------- */

/* pg_ctl hands -D and -l to /bin/sh inside double quotes, unescaped. */
static enum migc_code check_shell_safe(const char *path, struct migc_error *err)
{
    if (strpbrk(path, "\"$`\\\n") == NULL)
        return MIGC_OK;
    return migc_error_set(
        err, MIGC_ERR_EMBEDDED,
        "cannot run a server in %s: pg_ctl cannot pass a path holding "
        "\", $, `, \\ or a newline",
        path);
}

/* Whether the server's user can enter path (and, with write, create files
 * in it): 0, or the errno that stops it. Asked of a child running under
 * that identity, so that modes, ACLs and groups decide as they will for
 * the server. */
static int server_can_use(const struct embedded_pg *pg, const char *path,
                          int write)
{
    int status = 0;
    struct child_report r;
    if (spawn(NULL, write, -1, path, &pg->as, &status, &r) == 0)
        return status == 0 ? 0 : EACCES;
    return r.error != 0 ? r.error : EACCES;
}

/* The folder's name under CLUSTER_HOME: DIR's last part (made safe, cut
 * short) and a hash of DIR's whole absolute path, so that the same DIR
 * always finds its cluster and two DIRs never share one. */
static int kept_name(const char *dir, char *out, size_t size)
{
    const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
    char safe[33];
    size_t n = 0;
    for (; base[n] != '\0' && n < sizeof safe - 1; n++) {
        unsigned char ch = (unsigned char)base[n];
        safe[n] = isalnum(ch) || ch == '-' || ch == '_' || ch == '.'
                      ? (char)ch
                      : '_';
    }
    safe[n] = '\0';
    return fmt(out, size, "%s-%016llx", n > 0 ? safe : "cluster",
               (unsigned long long)migc_fnv1a(dir));
}

/* DIR/cluster, a link to the kept folder: where the data is, for people
 * and scripts. Only a link is ever replaced; a missing one is only an aid. */
static void point_to_kept(const struct embedded_pg *pg)
{
    char link[PATH_MAX], target[PATH_MAX];
    if (fmt(link, sizeof link, "%s/" POINTER_NAME, pg->asked) != 0)
        return;
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n >= 0) {
        target[n] = '\0';
        if (strcmp(target, pg->dir) == 0 || unlink(link) != 0)
            return;
    } else if (errno != ENOENT) {
        return; /* something else of that name: leave it */
    }
    if (symlink(pg->dir, link) != 0) {
        /* only an aid: the cluster works without it */
    }
}

/* CLUSTER_HOME: made by root, written by root alone, since root creates and
 * hands over folders in it. */
static enum migc_code check_home(const char *home, struct migc_error *err)
{
    struct stat st;
    if (mkdir(home, 0755) != 0 && errno != EEXIST)
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot create %s: %s",
                              home, strerror(errno));
    if (lstat(home, &st) != 0)
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot read %s: %s",
                              home, strerror(errno));
    if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022) != 0)
        return migc_error_set(
            err, MIGC_ERR_EMBEDDED,
            "%s must be a folder owned by root and writable by root alone "
            "(it holds the clusters of folders user %s cannot reach)",
            home, SERVER_USER);
    return MIGC_OK;
}

/* The cluster of DIR lives in a private folder of the server's user under
 * CLUSTER_HOME, made on first use. */
static enum migc_code use_kept_folder(struct embedded_pg *pg,
                                      struct migc_error *err)
{
    const char *home = getenv("MIGC_EMBEDDED_HOME");
    if (home == NULL || home[0] == '\0')
        home = CLUSTER_HOME;
    char name[64];
    if (check_home(home, err) != MIGC_OK)
        return MIGC_ERR_EMBEDDED;
    if (kept_name(pg->asked, name, sizeof name) != 0 ||
        fmt(pg->dir, sizeof pg->dir, "%s/%s", home, name) != 0)
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "path too long: %s",
                              home);
    if (check_shell_safe(pg->dir, err) != MIGC_OK)
        return MIGC_ERR_EMBEDDED;
    if (mkdir(pg->dir, 0700) == 0) {
        if (chown(pg->dir, pg->as.uid, pg->as.gid) != 0) {
            int e = errno;
            rmdir(pg->dir);
            return migc_error_set(err, MIGC_ERR_EMBEDDED,
                                  "cannot give %s to user %s: %s", pg->dir,
                                  SERVER_USER, strerror(e));
        }
    } else if (errno != EEXIST) {
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot create %s: %s",
                              pg->dir, strerror(errno));
    }
    struct stat st;
    if (lstat(pg->dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
        st.st_uid != pg->as.uid || (st.st_mode & 077) != 0)
        return migc_error_set(
            err, MIGC_ERR_EMBEDDED,
            "%s is not a private folder of user %s (mode 0700); move it away",
            pg->dir, SERVER_USER);
    pg->kept = 1;
    point_to_kept(pg);
    return MIGC_OK;
}

/* As root: the cluster lives in DIR when the server's user can work there;
 * otherwise (a checkout in root's 0700 home) in a folder of its own that
 * DIR links to. DIR changes hands only when this call created it. */
static enum migc_code place_as_root(struct embedded_pg *pg, int created,
                                    struct migc_error *err)
{
    struct stat st;
    if (stat(pg->asked, &st) != 0)
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot read %s: %s",
                              pg->asked, strerror(errno));
    int usable;
    if (st.st_uid == pg->as.uid || !created) {
        usable = server_can_use(pg, pg->asked, 1) == 0;
    } else {
        char parent[PATH_MAX];
        memcpy(parent, pg->asked, sizeof parent);
        char *slash = strrchr(parent, '/');
        slash[slash == parent ? 1 : 0] = '\0';
        usable = server_can_use(pg, parent, 0) == 0;
        if (usable && chown(pg->asked, pg->as.uid, pg->as.gid) != 0)
            return migc_error_set(err, MIGC_ERR_EMBEDDED,
                                  "cannot give %s to user %s: %s", pg->asked,
                                  SERVER_USER, strerror(errno));
    }
    if (!usable)
        return use_kept_folder(pg, err);
    memcpy(pg->dir, pg->asked, sizeof pg->dir);
    return MIGC_OK;
}

/* A folder given to --embedded holds a cluster or nothing: the server's
 * user is handed what is in it, so a folder of other files (a project's
 * root, /etc through a link) is refused before anything is touched. */
static enum migc_code check_cluster_folder(const char *dir,
                                           struct migc_error *err)
{
    static const char *const ours[] = {"data", "server.log", "initdb.log",
                                       "sockdir", POINTER_NAME};
    DIR *d = opendir(dir);
    if (d == NULL)
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot read %s: %s",
                              dir, strerror(errno));
    struct dirent *e;
    enum migc_code rc = MIGC_OK;
    while (rc == MIGC_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int known = 0;
        for (size_t i = 0; i < sizeof ours / sizeof *ours; i++)
            known |= strcmp(e->d_name, ours[i]) == 0;
        if (!known)
            rc = migc_error_set(err, MIGC_ERR_EMBEDDED,
                                "%s holds %s, which is not part of a migc "
                                "cluster; give --embedded a new or empty "
                                "folder",
                                dir, e->d_name);
    }
    closedir(d);
    return rc;
}

static enum migc_code prepare_dirs(struct embedded_pg *pg, const char *dir,
                                   struct migc_error *err)
{
    if (check_shell_safe(dir, err) != MIGC_OK)
        return MIGC_ERR_EMBEDDED;
    struct stat st;
    /* A link is not followed: whose folder it leads to (root's /etc, say)
     * is not for this call to decide. */
    if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
        return migc_error_set(err, MIGC_ERR_EMBEDDED,
                              "%s is a symbolic link: give the folder "
                              "itself",
                              dir);
    int created = stat(dir, &st) != 0;
    if (make_dirs(dir) != 0 || realpath(dir, pg->asked) == NULL)
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot create %s: %s",
                              dir, strerror(errno));
    /* Again: a symbolic link on the way may bring such a character in. */
    if (check_shell_safe(pg->asked, err) != MIGC_OK)
        return MIGC_ERR_EMBEDDED;
    /* DIR may be handed to the server's user below; never the root of the
     * tree. */
    if (strcmp(pg->asked, "/") == 0)
        return migc_error_set(
            err, MIGC_ERR_EMBEDDED,
            "cannot run a server in /: give it a folder of its own");
    enum migc_code rc = created ? MIGC_OK
                                : check_cluster_folder(pg->asked, err);
    if (rc == MIGC_OK && pg->as.drop)
        rc = place_as_root(pg, created, err);
    else if (rc == MIGC_OK)
        memcpy(pg->dir, pg->asked, sizeof pg->dir);
    if (rc == MIGC_OK && pg->kept)
        rc = check_cluster_folder(pg->dir, err);
    if (rc != MIGC_OK)
        return rc;
    if (fmt(pg->data, sizeof pg->data, "%s/data", pg->dir) != 0 ||
        fmt(pg->log, sizeof pg->log, "%s/server.log", pg->dir) != 0)
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "path too long: %s",
                              pg->dir);
    return MIGC_OK;
}

/* DIR/sockdir notes the socket folder of the last start and the process
 * that started it: "SOCKDIR\nPID\n". The server's user can write the note,
 * so what it says is checked before it is acted on. */
struct note {
    char sockdir[sizeof SOCKDIR_TEMPLATE];
    long owner; /* 0 when unknown */
};

static int read_note(const char *path, struct note *out)
{
    char buf[sizeof SOCKDIR_TEMPLATE + 32];
    *out = (struct note){{0}, 0};
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    size_t len = strcspn(buf, "\n");
    size_t prefix = strlen(SOCKDIR_TEMPLATE) - strlen("XXXXXX");
    /* Only ever a folder of our own pattern. */
    if (len != strlen(SOCKDIR_TEMPLATE) ||
        strncmp(buf, SOCKDIR_TEMPLATE, prefix) != 0 ||
        memchr(buf + prefix, '/', len - prefix) != NULL)
        return -1;
    memcpy(out->sockdir, buf, len);
    out->sockdir[len] = '\0';
    if (buf[len] == '\n') {
        char *end;
        long pid = strtol(buf + len + 1, &end, 10);
        out->owner = pid > 0 && *end == '\n' ? pid : 0;
    }
    return 0;
}

/* A command that died before embedded_stop leaves its socket folder behind:
 * the server itself may be gone (Ctrl-C reaches it too, as it shares the
 * command's process group). The next start removes it if it is empty. */
static void remove_old_sockdir(const char *path)
{
    struct note note;
    if (read_note(path, &note) == 0)
        rmdir(note.sockdir);
}

static void note_sockdir(const struct embedded_pg *pg, const char *path)
{
    int fd = open_owned(path, O_TRUNC, &pg->as);
    if (fd < 0)
        return;
    char buf[sizeof pg->sockdir + 32];
    int n = snprintf(buf, sizeof buf, "%s\n%ld\n", pg->sockdir,
                     (long)getpid());
    ssize_t w = write(fd, buf, (size_t)n);
    (void)w; /* only a clean-up aid */
    close(fd);
}

/* Whether process pid is gone. */
static int process_gone(long pid)
{
    return pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* A server already running on the data: one an earlier command started and
 * left behind when it was killed (the note names its socket folder, and its
 * owner is gone) is stopped, so that this start begins clean; one another
 * command is using, or that is not ours, is refused: a second postmaster on
 * the same data would only fail later, less clearly. */
static enum migc_code check_not_running(struct embedded_pg *pg, int log_fd,
                                        struct migc_error *err)
{
    char pid[32], sock[PATH_MAX], path[PATH_MAX];
    if (pidfile_line(pg, 1, pid, sizeof pid) != 0)
        return MIGC_OK;
    const char *argv[] = {pg->pg_ctl, "-D", pg->data, "status", NULL};
    int code = 0;
    enum migc_code rc = run_tool(pg, argv, log_fd, pg->log, &code, err);
    if (rc != MIGC_OK)
        return rc;
    if (code != 0)
        return MIGC_OK; /* a stale postmaster.pid: pg_ctl start copes */
    struct note note;
    int ours = fmt(path, sizeof path, "%s/sockdir", pg->dir) == 0 &&
               read_note(path, &note) == 0 &&
               pidfile_line(pg, 5, sock, sizeof sock) == 0 &&
               strcmp(sock, note.sockdir) == 0;
    if (ours && process_gone(note.owner)) {
        const char *stop[] = {pg->pg_ctl, "-D",   pg->data, "-w",
                              "-m",       "fast", "stop",   NULL};
        rc = run_tool(pg, stop, log_fd, pg->log, &code, err);
        if (rc == MIGC_OK && code != 0)
            rc = migc_error_set(err, MIGC_ERR_EMBEDDED,
                                "cannot stop the server (pid %s) a killed "
                                "command left running on %s; see %s",
                                pid, pg->data, pg->log);
        if (rc == MIGC_OK) {
            pg->orphan = strtol(pid, NULL, 10);
            rmdir(note.sockdir);
        }
        return rc;
    }
    if (ours && note.owner > 0)
        return migc_error_set(
            err, MIGC_ERR_EMBEDDED,
            "the cluster in %s is in use by process %ld (another command "
            "on the same folder); wait for it to finish",
            pg->dir, note.owner);
    return migc_error_set(
        err, MIGC_ERR_EMBEDDED,
        "a PostgreSQL server (pid %s) is already running on %s; stop it "
        "first (pg_ctl -D %s stop)",
        pid, pg->data, pg->data);
}

static enum migc_code init_if_needed(struct embedded_pg *pg,
                                     struct migc_error *err)
{
    char path[PATH_MAX], initdb[PATH_MAX];
    if (fmt(path, sizeof path, "%s/PG_VERSION", pg->data) != 0)
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "path too long: %s",
                              pg->data);
    if (access(path, F_OK) == 0)
        return MIGC_OK;
    if (errno != ENOENT)
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot check for %s: %s",
                              path, strerror(errno));
    if (fmt(path, sizeof path, "%s/initdb.log", pg->dir) != 0 ||
        fmt(initdb, sizeof initdb, "%s/initdb", pg->bindir) != 0)
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "path too long: %s",
                              pg->dir);
    int fd = open_owned(path, O_TRUNC, &pg->as);
    if (fd < 0)
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot open %s: %s",
                              path, strerror(errno));
    const char *argv[] = {initdb,  "-D", pg->data, "-A",         "trust", "-U",
                          DB_USER, "-E", "UTF8",   "--locale=C", NULL};
    int code = 0;
    enum migc_code rc = run_tool(pg, argv, fd, path, &code, err);
    close(fd);
    if (rc == MIGC_OK && code != 0)
        rc = migc_error_set(err, MIGC_ERR_EMBEDDED,
                            "initdb failed (exit %d); see %s", code, path);
    return rc;
}

/* After a failed start: stop the server only if it is ours (our socket
 * folder in postmaster.pid), never one that won a race for the same data. */
static void stop_leftover(struct embedded_pg *pg, int log_fd)
{
    char sock[PATH_MAX];
    if (pidfile_line(pg, 5, sock, sizeof sock) != 0 ||
        strcmp(sock, pg->sockdir) != 0)
        return;
    const char *argv[] = {pg->pg_ctl, "-D",        pg->data, "-w",
                          "-m",       "immediate", "stop",   NULL};
    int code = 0;
    run_tool(pg, argv, log_fd, pg->log, &code, NULL);
}

static enum migc_code start_server(struct embedded_pg *pg, int log_fd,
                                   struct migc_error *err)
{
    char note[PATH_MAX];
    if (fmt(note, sizeof note, "%s/sockdir", pg->dir) != 0)
        return migc_error_set(err, MIGC_ERR_EMBEDDED, "path too long: %s",
                              pg->dir);
    remove_old_sockdir(note);
    /* A fresh private folder: DIR may be too long for a socket path. */
    memcpy(pg->sockdir, SOCKDIR_TEMPLATE, sizeof SOCKDIR_TEMPLATE);
    if (mkdtemp(pg->sockdir) == NULL) {
        pg->sockdir[0] = '\0';
        return migc_error_set(err, MIGC_ERR_EMBEDDED,
                              "cannot create a socket folder in /tmp: %s",
                              strerror(errno));
    }
    if (pg->as.drop && chown(pg->sockdir, pg->as.uid, pg->as.gid) != 0) {
        migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot give %s to user %s: %s",
                       pg->sockdir, SERVER_USER, strerror(errno));
        remove_sockdir(pg);
        return MIGC_ERR_EMBEDDED;
    }
    note_sockdir(pg, note);
    /* pg_ctl passes -o through /bin/sh; mkdtemp's path needs no quoting. */
    char opts[sizeof SOCKDIR_TEMPLATE + 64];
    snprintf(opts, sizeof opts, "-k %s -p %s -c listen_addresses=''",
             pg->sockdir, PORT);
    const char *argv[] = {pg->pg_ctl, "-D",    pg->data, "-w", "-t",    "60",
                          "-l",       pg->log, "-o",     opts, "start", NULL};
    int code = 0;
    enum migc_code rc = run_tool(pg, argv, log_fd, pg->log, &code, err);
    if (rc == MIGC_OK && code != 0)
        rc = migc_error_set(err, MIGC_ERR_EMBEDDED,
                            "pg_ctl start failed (exit %d); see %s", code,
                            pg->log);
    if (rc != MIGC_OK) {
        stop_leftover(pg, log_fd);
        remove_sockdir(pg);
        return rc;
    }
    snprintf(pg->conninfo, sizeof pg->conninfo,
             "host=%s port=%s user=%s dbname=postgres", pg->sockdir, PORT,
             DB_USER);
    return MIGC_OK;
}

/* ---- API ---------------------------------------------------------------- */

/* With SIGCHLD ignored, waitpid cannot tell whether pg_ctl succeeded. */
static enum migc_code check_can_wait(struct migc_error *err)
{
    struct sigaction sa;
    if (sigaction(SIGCHLD, NULL, &sa) == 0 &&
        (sa.sa_handler == SIG_IGN || (sa.sa_flags & SA_NOCLDWAIT) != 0))
        return migc_error_set(
            err, MIGC_ERR_EMBEDDED,
            "cannot run the embedded server while SIGCHLD is ignored: its "
            "programs' exit statuses would be lost");
    return MIGC_OK;
}

enum migc_code embedded_start(const char *dir, struct embedded_pg **out,
                              struct migc_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (dir == NULL || dir[0] == '\0' || out == NULL)
        return migc_error_set(err, MIGC_ERR_ARG,
                              "embedded_start: dir and out are required");
    struct embedded_pg *pg = calloc(1, sizeof *pg);
    if (pg == NULL)
        return migc_error_set(err, MIGC_ERR_NOMEM,
                              "out of memory starting the embedded server");
    enum migc_code rc = check_can_wait(err);
    if (rc == MIGC_OK)
        rc = find_bindir(pg, err);
    if (rc == MIGC_OK)
        rc = resolve_run_as(&pg->as, err);
    if (rc == MIGC_OK)
        rc = prepare_dirs(pg, dir, err);
    if (rc == MIGC_OK)
        rc = init_if_needed(pg, err);
    if (rc == MIGC_OK) {
        int log_fd = open_owned(pg->log, O_APPEND, &pg->as);
        if (log_fd < 0)
            rc = migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot open %s: %s",
                                pg->log, strerror(errno));
        if (rc == MIGC_OK)
            rc = check_not_running(pg, log_fd, err);
        if (rc == MIGC_OK)
            rc = start_server(pg, log_fd, err);
        if (log_fd >= 0)
            close(log_fd);
    }
    if (rc != MIGC_OK) {
        free(pg);
        return rc;
    }
    *out = pg;
    return MIGC_OK;
}

const char *embedded_conninfo(const struct embedded_pg *pg)
{
    return pg->conninfo;
}

const char *embedded_kept_dir(const struct embedded_pg *pg)
{
    return pg->kept ? pg->dir : NULL;
}

long embedded_orphan_stopped(const struct embedded_pg *pg)
{
    return pg->orphan;
}

enum migc_code embedded_stop(struct embedded_pg *pg, struct migc_error *err)
{
    if (pg == NULL)
        return MIGC_OK;
    /* Without the log, still stop the server: its output goes to /dev/null. */
    int log_fd = open_owned(pg->log, O_APPEND, &pg->as);
    const char *argv[] = {pg->pg_ctl, "-D",   pg->data, "-w",
                          "-m",       "fast", "stop",   NULL};
    int code = 0;
    enum migc_code rc = run_tool(pg, argv, log_fd, pg->log, &code, err);
    if (log_fd >= 0)
        close(log_fd);
    char pid[32];
    /* A server already gone (stopped by other means) is stopped all right. */
    if (rc == MIGC_OK && code != 0 && pidfile_line(pg, 1, pid, sizeof pid) != 0)
        code = 0;
    if (rc == MIGC_OK && code != 0)
        rc = migc_error_set(err, MIGC_ERR_EMBEDDED,
                            "pg_ctl stop failed (exit %d); the server may "
                            "still be running; see %s",
                            code, pg->log);
    /* A running server still needs its socket folder. */
    if (rc == MIGC_OK && remove_sockdir(pg) != 0)
        rc = migc_error_set(err, MIGC_ERR_EMBEDDED, "cannot remove %s: %s",
                            pg->sockdir, strerror(errno));
    free(pg);
    return rc;
}

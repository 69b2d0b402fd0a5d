/* scratch.c: throwaway databases to replay a chain on: a private cluster
 * (runtime/embedded.h) or scratch databases on a given server. */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw, popen */
#define _DEFAULT_SOURCE         /* nftw's FTW_DEPTH, FTW_PHYS */
#include "scratch.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "embedded.h"
#include "xalloc.h"

struct scratch_db {
    char *name;
    PGconn *conn;
};

struct scratch {
    char *base;       /* the temporary folder of a private cluster, or NULL */
    struct embedded_pg *pg;
    char *conninfo;   /* the server's maintenance database */
    PGconn *admin;    /* CREATE and DROP DATABASE */
    char pg_dump[PATH_MAX + 16];
    struct scratch_db *dbs;
    size_t n_dbs, cap_dbs;
};

/* ---- interrupts ------------------------------------------------------------
 * The private cluster runs in a session of its own (pg_ctl), so Ctrl-C,
 * SIGTERM or SIGHUP reach only this process: while a scratch server is in
 * use they are caught, the connection of the scratch database in use is
 * shut down (async-signal-safe; every later call on it fails at once, and
 * DROP DATABASE ... WITH (FORCE) ends the statement it left running), and
 * the command runs its cleanup as after any failure; scratch_close then
 * dies of the signal. Only SIGKILL leaves the cluster or a database. */
static const int interrupts[] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction saved[sizeof interrupts / sizeof *interrupts];
static volatile sig_atomic_t caught;
static volatile sig_atomic_t active_fd = -1;
static int catching;

static void on_interrupt(int sig)
{
    int saved_errno = errno;
    if (!caught)
        caught = sig;
    if (active_fd >= 0)
        shutdown(active_fd, SHUT_RDWR);
    errno = saved_errno;
}

static void catch_interrupts(void)
{
    struct sigaction sa = {.sa_handler = on_interrupt, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    caught = 0;
    active_fd = -1;
    for (size_t i = 0; i < sizeof interrupts / sizeof *interrupts; i++) {
        sigaction(interrupts[i], NULL, &saved[i]);
        /* a signal the caller ignores stays ignored */
        if (saved[i].sa_handler != SIG_IGN)
            sigaction(interrupts[i], &sa, NULL);
    }
    catching = 1;
}

/* The handlers as they were; an interrupt caught is raised again. */
static void release_interrupts(void)
{
    if (!catching)
        return;
    catching = 0;
    active_fd = -1;
    for (size_t i = 0; i < sizeof interrupts / sizeof *interrupts; i++)
        sigaction(interrupts[i], &saved[i], NULL);
    if (caught) {
        int sig = caught;
        caught = 0;
        fflush(NULL);
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

static void fail(struct diags *d, const char *fmt, const char *a,
                 const char *b)
{
    char *msg = xasprintf(fmt, a, b);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    diag_add(d, NULL, 0, 0, DIAG_ERROR, DIAG_SQUASH, "%s", msg);
    free(msg);
}

/* ---- finding the binaries ------------------------------------------- */

static int executable(const char *dir, const char *name)
{
    char p[PATH_MAX];
    return snprintf(p, sizeof p, "%s/%s", dir, name) < (int)sizeof p &&
           access(p, X_OK) == 0;
}

static int has_server(const char *dir)
{
    return executable(dir, "initdb") && executable(dir, "pg_ctl");
}

/* `pg_config --bindir`, when it names a folder holding `need`. */
static int from_pg_config(char *out, size_t size, const char *need)
{
    FILE *f = popen("pg_config --bindir 2>/dev/null", "r");
    if (!f)
        return -1;
    int got = fgets(out, (int)size, f) != NULL;
    if (pclose(f) != 0 || !got)
        return -1;
    out[strcspn(out, "\n")] = '\0';
    return out[0] == '/' && executable(out, need) ? 0 : -1;
}

/* The highest /usr/lib/postgresql/N/bin holding `need` (Debian). */
static int from_debian(char *out, size_t size, const char *need)
{
    DIR *dir = opendir("/usr/lib/postgresql");
    if (!dir)
        return -1;
    long best = -1;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        char *end;
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        long rank = strtol(e->d_name, &end, 10) * 1000;
        if (*end == '.')
            rank += strtol(end + 1, &end, 10);
        char bin[PATH_MAX];
        if (*end != '\0' || rank <= best ||
            snprintf(bin, sizeof bin, "/usr/lib/postgresql/%s/bin",
                     e->d_name) >= (int)sizeof bin ||
            !executable(bin, need))
            continue;
        best = rank;
        snprintf(out, size, "%s", bin);
    }
    closedir(dir);
    return best >= 0 ? 0 : -1;
}

/* The folder of `need` ("initdb" stands for the server: initdb and
 * pg_ctl), found as the embedded default finds the server. */
static int find_bindir(char *out, size_t size, const char *need)
{
    const char *env = getenv("MIGC_PG_BINDIR");
    if (env && *env) {
        snprintf(out, size, "%s", env);
        return strcmp(need, "initdb") == 0 ? (has_server(out) ? 0 : -1)
                                           : (executable(out, need) ? 0 : -1);
    }
    return from_pg_config(out, size, need) == 0 ||
                   from_debian(out, size, need) == 0
               ? 0
               : -1;
}

/* pg_dump: beside the server, else on PATH. */
static int find_pg_dump(struct scratch *s, struct diags *d)
{
    char dir[PATH_MAX];
    if (find_bindir(dir, sizeof dir, "pg_dump") == 0) {
        snprintf(s->pg_dump, sizeof s->pg_dump, "%s/pg_dump", dir);
        return 0;
    }
    const char *env = getenv("MIGC_PG_BINDIR");
    const char *path = getenv("PATH");
    if (!(env && *env) && path) {
        char *copy = xstrdup(path), *save = NULL;
        for (char *p = strtok_r(copy, ":", &save); p;
             p = strtok_r(NULL, ":", &save))
            if (*p && executable(p, "pg_dump")) {
                snprintf(s->pg_dump, sizeof s->pg_dump, "%s/pg_dump", p);
                free(copy);
                return 0;
            }
        free(copy);
    }
    fail(d,
         "pg_dump not found (looked in %s, `pg_config --bindir`, "
         "/usr/lib/postgresql/*/bin and PATH)%s",
         env && *env ? "$MIGC_PG_BINDIR" : "$MIGC_PG_BINDIR (unset)", "");
    return -1;
}

/* ---- the private cluster ---------------------------------------------- */

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 ||
                   errno == ENOENT
               ? 0
               : -1;
}

static int remove_tree(const char *path)
{
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int check_server(struct diags *d)
{
    char bindir[PATH_MAX];
    const char *env = getenv("MIGC_PG_BINDIR");
    if (find_bindir(bindir, sizeof bindir, "initdb") == 0)
        return 0;
    if (env && *env)
        fail(d,
             "no PostgreSQL server to replay on: $MIGC_PG_BINDIR (%s) holds "
             "no executable initdb and pg_ctl%s; point it at the server's "
             "binaries, or pass --database URL",
             env, "");
    else
        fail(d,
             "no PostgreSQL server to replay on: initdb and pg_ctl are not "
             "in `pg_config --bindir` or /usr/lib/postgresql/*/bin%s; "
             "install the PostgreSQL server (Debian: postgresql), set "
             "$MIGC_PG_BINDIR%s, or pass --database URL",
             "", "");
    return -1;
}

static int start_cluster(struct scratch *s, struct diags *d)
{
    const char *tmp = getenv("TMPDIR");
    char *templ = xasprintf("%s/migc-scratch.XXXXXX",
                            tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(templ)) {
        fail(d, "cannot create a temporary folder %s: %s", templ,
             strerror(errno));
        free(templ);
        return -1;
    }
    s->base = templ;
    /* As root the server runs as postgres: it must pass through. */
    if (chmod(s->base, 0711) != 0) {
        fail(d, "cannot open %s to the server's user: %s", s->base,
             strerror(errno));
        return -1;
    }
    char *dir = xasprintf("%s/cluster", s->base);
    struct migc_error err = MIGC_ERROR_INIT;
    enum migc_code rc = embedded_start(dir, &s->pg, &err);
    free(dir);
    if (rc != MIGC_OK) {
        fail(d, "cannot start a private PostgreSQL cluster: %s%s",
             err.message, "");
        return -1;
    }
    s->conninfo = xstrdup(embedded_conninfo(s->pg));
    return 0;
}

/* ---- connections ------------------------------------------------------ */

static void add_quoted(char **buf, const char *key, const char *val)
{
    size_t n = strlen(*buf);
    size_t need = n + strlen(key) + 2 * strlen(val) + 6;
    *buf = xrealloc(*buf, need);
    char *p = *buf + n;
    p += sprintf(p, "%s%s='", n ? " " : "", key);
    for (const char *v = val; *v; v++) {
        if (*v == '\'' || *v == '\\')
            *p++ = '\\';
        *p++ = *v;
    }
    *p++ = '\'';
    *p = '\0';
}

/* The server's conninfo (a URL or key=value string) with another
 * database. */
static char *conninfo_for(const char *conninfo, const char *dbname)
{
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &errmsg);
    PQfreemem(errmsg);
    char *out = xstrdup("");
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (o->val && *o->val && strcmp(o->keyword, "dbname") != 0)
            add_quoted(&out, o->keyword, o->val);
    add_quoted(&out, "dbname", dbname);
    PQconninfoFree(opts);
    return out;
}

static PGconn *connect_to(const char *conninfo, struct diags *d)
{
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        fail(d, "cannot connect to the replay server: %s%s",
             PQerrorMessage(c), "");
        PQfinish(c);
        return NULL;
    }
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    return c;
}

static int exec_admin(PGconn *c, const char *sql, struct diags *d)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
             PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok && d)
        fail(d, "%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    return ok ? 0 : -1;
}

int scratch_open(const char *url, struct scratch **out, struct diags *d)
{
    struct scratch *s = xcalloc(1, sizeof *s);
    *out = NULL;
    catch_interrupts();
    int rc = url ? 0 : check_server(d);
    if (rc == 0)
        rc = find_pg_dump(s, d);
    if (rc == 0 && !url)
        rc = start_cluster(s, d);
    else if (rc == 0)
        s->conninfo = xstrdup(url);
    if (rc == 0) {
        s->admin = connect_to(s->conninfo, d);
        rc = s->admin ? 0 : -1;
    }
    if (rc == 0 && caught) {
        fail(d, "interrupted%s%s", "", "");
        rc = -1;
    }
    if (rc != 0) {
        scratch_close(s, d);
        return -1;
    }
    *out = s;
    return 0;
}

int scratch_db(struct scratch *s, PGconn **conn, const char **name,
               struct diags *d)
{
    if (caught) {
        fail(d, "interrupted%s%s", "", "");
        return -1;
    }
    char *db = xasprintf("migc_scratch_%ld_%zu", (long)getpid(), s->n_dbs);
    char *sql = xasprintf("CREATE DATABASE %s TEMPLATE template0 "
                          "ENCODING 'UTF8'", db);
    int rc = exec_admin(s->admin, sql, d);
    free(sql);
    if (rc != 0) {
        free(db);
        return -1;
    }
    s->dbs = xgrow(s->dbs, s->n_dbs + 1, &s->cap_dbs, sizeof *s->dbs);
    struct scratch_db *sd = &s->dbs[s->n_dbs++];
    sd->name = db;
    char *ci = conninfo_for(s->conninfo, db);
    sd->conn = connect_to(ci, d);
    free(ci);
    if (!sd->conn)
        return -1;
    active_fd = PQsocket(sd->conn);
    if (caught) /* between the check above and now */
        shutdown(PQsocket(sd->conn), SHUT_RDWR);
    *conn = sd->conn;
    *name = sd->name;
    return 0;
}

/* ---- pg_dump ---------------------------------------------------------- */

/* The whole of an open file from its start, NUL-terminated. */
static char *read_all(int fd)
{
    size_t n = 0, cap = 8192;
    char *buf = xmalloc(cap);
    lseek(fd, 0, SEEK_SET);
    for (ssize_t got; (got = read(fd, buf + n, cap - n - 1)) > 0;) {
        n += (size_t)got;
        if (cap - n - 1 == 0)
            buf = xrealloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    return buf;
}

static int temp_fd(void)
{
    const char *tmp = getenv("TMPDIR");
    char *path = xasprintf("%s/migc-dump.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    free(path);
    return fd;
}

char *scratch_dump(struct scratch *s, const char *name,
                   const char *const *args, struct diags *d)
{
    size_t n = 0;
    while (args[n])
        n++;
    char *ci = conninfo_for(s->conninfo, name);
    char *dbarg = xasprintf("--dbname=%s", ci);
    free(ci);
    const char **argv = xcalloc(n + 3, sizeof *argv);
    argv[0] = s->pg_dump;
    for (size_t i = 0; i < n; i++)
        argv[1 + i] = args[i];
    argv[n + 1] = dbarg;
    int out = temp_fd(), err = temp_fd();
    char *text = NULL;
    if (caught) {
        fail(d, "interrupted%s%s", "", "");
    } else if (out < 0 || err < 0) {
        fail(d, "cannot create a temporary file for pg_dump: %s%s",
             strerror(errno), "");
    } else {
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            dup2(out, 1);
            dup2(err, 2);
            execv(argv[0], (char *const *)argv);
            _exit(127);
        }
        int status = 0;
        while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        if (caught) {
            fail(d, "interrupted%s%s", "", "");
        } else if (pid > 0 && WIFEXITED(status) &&
                   WEXITSTATUS(status) == 0) {
            text = read_all(out);
        } else {
            char *msg = read_all(err);
            fail(d, "pg_dump failed: %s%s",
                 *msg ? msg : pid < 0 ? strerror(errno) : "no message", "");
            free(msg);
        }
    }
    if (out >= 0)
        close(out);
    if (err >= 0)
        close(err);
    free(argv);
    free(dbarg);
    return text;
}

char *scratch_query(PGconn *conn, const char *sql, struct diags *d)
{
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK &&
        PQresultStatus(r) != PGRES_COMMAND_OK) {
        fail(d, "%s: %s", sql, PQresultErrorMessage(r));
        PQclear(r);
        return NULL;
    }
    size_t len = 1;
    for (int i = 0; i < PQntuples(r); i++)
        for (int j = 0; j < PQnfields(r); j++)
            len += (size_t)PQgetlength(r, i, j) + 1;
    char *text = xmalloc(len), *p = text;
    for (int i = 0; i < PQntuples(r); i++)
        for (int j = 0; j < PQnfields(r); j++) {
            size_t l = (size_t)PQgetlength(r, i, j);
            memcpy(p, PQgetvalue(r, i, j), l);
            p += l;
            *p++ = j + 1 < PQnfields(r) ? '\t' : '\n';
        }
    *p = '\0';
    PQclear(r);
    return text;
}

int scratch_close(struct scratch *s, struct diags *d)
{
    if (!s) {
        release_interrupts();
        return 0;
    }
    int rc = 0;
    active_fd = -1;
    for (size_t i = 0; i < s->n_dbs; i++) {
        PQfinish(s->dbs[i].conn);
        char *sql = xasprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)",
                              s->dbs[i].name);
        if (s->admin && exec_admin(s->admin, sql, d) != 0)
            rc = -1;
        free(sql);
        free(s->dbs[i].name);
    }
    free(s->dbs);
    PQfinish(s->admin);
    if (s->pg) {
        char *kept = embedded_kept_dir(s->pg)
                         ? xstrdup(embedded_kept_dir(s->pg))
                         : NULL;
        struct migc_error err = MIGC_ERROR_INIT;
        if (embedded_stop(s->pg, &err) != MIGC_OK) {
            if (d)
                fail(d, "stopping the private cluster: %s%s", err.message,
                     "");
            rc = -1;
        } else if (kept) {
            remove_tree(kept);
        }
        free(kept);
    }
    if (s->base && remove_tree(s->base) != 0) {
        if (d)
            fail(d, "cannot remove %s: %s", s->base, strerror(errno));
        rc = -1;
    }
    free(s->base);
    free(s->conninfo);
    free(s);
    release_interrupts(); /* dies of an interrupt caught */
    return rc;
}

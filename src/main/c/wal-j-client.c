/*
 * wal-j-client: the resident daemon's client for wal-push and wal-fetch, in C so that a call costs about a
 * millisecond of CPU instead of a JVM start (docs/daemon.md, "The native client"; figures in docs/performance.md).
 *
 * It speaks Protocol version 1 exactly as org.walj.daemon.DaemonClient does and exits with the daemon's status,
 * mapped as ClientMain and the launcher map it. It decides nothing itself: whenever the daemon does not answer
 * (no socket, a socket directory that is not private, a refusal, a broken answer, anything unexpected here) it
 * prints one line and execs the launcher again with WALJ_CLIENT=none, which runs the command in a JVM in-process.
 *
 * Usage (by packaging/wal-j only): wal-j-client LAUNCHER JAR SUBCOMMAND ARGS...
 *   LAUNCHER  the launcher to exec on fallback; JAR  the jar whose path, size and mtime are the build id;
 *   SUBCOMMAND  the launcher's wal_command (wal-push or wal-fetch); ARGS  the command line, passed on unchanged.
 * Or: wal-j-client --auto RUNDIR PRE LAUNCHER JAR SUBCOMMAND ARGS...: the same for a daemon started on demand,
 *   whose socket RUNDIR/<key>.sock it names itself (auto_socket below).
 * Or: wal-j-client --config-key JAR PRE ARGS...: prints what the launcher's `awk … | cksum` prints for the
 *   configuration's key (the name of an on-demand daemon's socket), for a fraction of its CPU.
 *
 * C99 and POSIX, libc only.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define VERSION 1
#define MAX_REQUEST (1u << 20)
#define MAX_FRAME (1u << 24)
#define DEFAULT_SOCKET "/run/wal-j/daemon.sock"

extern char **environ;

/* DaemonClient.PREFIXES, NAMES and LAUNCHER_ONLY: NativeClientProtocolTest fails when the two differ in effect. */
static const char *const PREFIXES[] = {"WALE_", "WALJ_", "AWS_", "GOOGLE_", "WABS_", "SWIFT_", "GNUPGHOME"};
static const char *const NAMES[] = {"STORAGE_EMULATOR_HOST"};
static const char *const LAUNCHER_ONLY[] = {"WALJ_JAVA", "WALJ_JAVA_OPTS", "WALJ_JAR", "WALJ_CDS", "WALJ_CDS_DIR",
                                            "WALJ_DAEMON_SOCKET", "WALJ_CLIENT"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static char *launcher;
static char **command_args; /* NULL-terminated, the command line as the launcher got it */
static int fetch;

/* ---- fallback ------------------------------------------------------------------------------------------------ */

/* The launcher's fetch_fatal: WALJ_FETCH_ERROR_EXIT_CODE when it is a whole number from 1 to 255, else 200. */
static int fatal_status(void) {
    const char *v = getenv("WALJ_FETCH_ERROR_EXIT_CODE");
    if (v == NULL) {
        return 200;
    }
    while (*v == '0') {
        v++;
    }
    size_t n = strlen(v);
    if (n == 0 || n > 3 || strspn(v, "0123456789") != n) {
        return 200;
    }
    int value = atoi(v);
    return value <= 255 ? value : 200;
}

/* Runs the command in-process: the launcher again, told not to ask the daemon. Never returns. */
static void in_process(const char *fmt, ...) {
    va_list ap;
    fputs("wal-j: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("; working in-process\n", stderr);
    fflush(stderr);
    signal(SIGPIPE, SIG_DFL);
    if (launcher != NULL && setenv("WALJ_CLIENT", "none", 1) == 0) {
        command_args[-1] = launcher; /* argv[0] of the launcher: the slot before the arguments */
        execv(launcher, command_args - 1);
        fprintf(stderr, "wal-j: cannot run %s (%s)\n", launcher, strerror(errno));
    }
    /* as the launcher's die(): never a status PostgreSQL reads as "not in the archive" */
    exit(fetch ? fatal_status() : 1);
}

/* ---- the request --------------------------------------------------------------------------------------------- */

typedef struct {
    unsigned char *data;
    size_t length;
    size_t capacity;
} buffer;

static void put(buffer *b, const void *bytes, size_t n) {
    if (b->length + n > MAX_REQUEST + 9) {
        in_process("the request is larger than the protocol allows");
    }
    if (b->length + n > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 4096;
        while (capacity < b->length + n) {
            capacity *= 2;
        }
        unsigned char *grown = realloc(b->data, capacity);
        if (grown == NULL) {
            in_process("out of memory");
        }
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, bytes, n);
    b->length += n;
}

static void put_u32(buffer *b, uint32_t v) {
    unsigned char be[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                           (unsigned char)v};
    put(b, be, 4);
}

/*
 * Java decodes arguments and the environment as UTF-8 (the launcher makes sure of that) and would send a malformed
 * sequence as U+FFFD: rather than imitate that, such a request goes the JVM's way.
 */
static int valid_utf8(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t more;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            more = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            more = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            more = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        for (size_t k = 1; k <= more; k++) {
            if (i + k >= n || (s[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((more == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (more == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
            return 0;
        }
        i += more + 1;
    }
    return 1;
}

static void put_string(buffer *b, const char *s, size_t n) {
    if (!valid_utf8((const unsigned char *)s, n)) {
        in_process("an argument or setting is not valid UTF-8");
    }
    put_u32(b, (uint32_t)n);
    put(b, s, n);
}

static int name_is(const char *entry, size_t name_length, const char *name) {
    return strlen(name) == name_length && strncmp(entry, name, name_length) == 0;
}

/* One of NAMES, or a name with one of PREFIXES. */
static int named_or_prefixed(const char *entry, size_t name_length) {
    for (size_t i = 0; i < COUNT(NAMES); i++) {
        if (name_is(entry, name_length, NAMES[i])) {
            return 1;
        }
    }
    for (size_t i = 0; i < COUNT(PREFIXES); i++) {
        size_t p = strlen(PREFIXES[i]);
        if (p <= name_length && strncmp(entry, PREFIXES[i], p) == 0) {
            return 1;
        }
    }
    return 0;
}

/* DaemonClient.relevant: the prefixed and named variables, minus the launcher's own. */
static int relevant(const char *entry, size_t name_length) {
    for (size_t i = 0; i < COUNT(LAUNCHER_ONLY); i++) {
        if (name_is(entry, name_length, LAUNCHER_ONLY[i])) {
            return 0;
        }
    }
    return named_or_prefixed(entry, name_length);
}

static int by_name(const void *a, const void *b) {
    const char *x = *(const char *const *)a;
    const char *y = *(const char *const *)b;
    size_t nx = strcspn(x, "="), ny = strcspn(y, "=");
    int c = memcmp(x, y, nx < ny ? nx : ny);
    return c != 0 ? c : (nx > ny) - (nx < ny);
}

/* ---- the configuration's key (packaging/wal-j, auto_socket) --------------------------------------------------- */

/* The launcher's key also covers WALJ_JAVA and WALJ_JAVA_OPTS (the daemon's JVM runs with the starting call's). */
static const char *const KEY_EXCLUDED[] = {"WALJ_JAR", "WALJ_CDS", "WALJ_CDS_DIR", "WALJ_DAEMON_SOCKET", "WALJ_CLIENT"};

static int in_key(const char *entry, size_t name_length) {
    for (size_t i = 0; i < COUNT(KEY_EXCLUDED); i++) {
        if (name_is(entry, name_length, KEY_EXCLUDED[i])) {
            return 0;
        }
    }
    return named_or_prefixed(entry, name_length);
}

/* POSIX cksum: CRC-32 (polynomial 0x04C11DB7, most significant bit first) of the bytes, then of their count. */
static uint32_t cksum_update(uint32_t crc, const void *bytes, size_t n) {
    const unsigned char *b = bytes;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint32_t)b[i] << 24;
        for (int k = 0; k < 8; k++) {
            crc = crc & 0x80000000u ? crc << 1 ^ 0x04C11DB7u : crc << 1;
        }
    }
    return crc;
}

/*
 * The configuration's key, "CRC LENGTH" of the stream the launcher feeds cksum: the jar's path and the PRE options
 * before the subcommand, one per line, then the key's variables sorted by name (byte order, as awk's comparison of
 * these ASCII names), each as NAME=VALUE and a NUL. 0, or 2 when out of memory.
 */
static int key_of(const char *jar, long pre, char **args, uint32_t *crc_out, uint64_t *length_out) {
    uint32_t crc = 0;
    uint64_t length = 0;
    for (long i = -1; i < pre; i++) {
        const char *line = i < 0 ? jar : args[i];
        size_t n = strlen(line);
        crc = cksum_update(cksum_update(crc, line, n), "\n", 1);
        length += n + 1;
    }
    size_t count = 0;
    for (char **e = environ; *e != NULL; e++) {
        count++;
    }
    const char **vars = malloc((count + 1) * sizeof *vars);
    if (vars == NULL) {
        return 2;
    }
    size_t selected = 0;
    for (char **e = environ; *e != NULL; e++) {
        const char *eq = strchr(*e, '=');
        if (eq != NULL && in_key(*e, (size_t)(eq - *e))) {
            vars[selected++] = *e;
        }
    }
    qsort(vars, selected, sizeof *vars, by_name);
    for (size_t i = 0; i < selected; i++) {
        size_t n = strlen(vars[i]) + 1; /* with its NUL, as awk's printf "%c", 0 */
        crc = cksum_update(crc, vars[i], n);
        length += n;
    }
    free(vars);
    for (uint64_t n = length; n != 0; n >>= 8) {
        unsigned char b = (unsigned char)(n & 0xFF);
        crc = cksum_update(crc, &b, 1);
    }
    *crc_out = ~crc;
    *length_out = length;
    return 0;
}

/* A whole number of options before the subcommand, at most `available`; -1 if it is not. */
static long parse_pre(const char *text, int available) {
    char *end;
    long pre = strtol(text, &end, 10);
    return *text == '\0' || *end != '\0' || pre < 0 || pre > available ? -1 : pre;
}

/* --config-key JAR PRE ARGS...: prints the key; exits 0, or 2 on a bad command line (the launcher then uses awk). */
static int config_key(int argc, char **argv) {
    if (argc < 4) {
        return 2;
    }
    long pre = parse_pre(argv[3], argc - 4);
    uint32_t crc;
    uint64_t length;
    if (pre < 0 || key_of(argv[2], pre, argv + 4, &crc, &length) != 0) {
        return 2;
    }
    printf("%lu %llu\n", (unsigned long)crc, (unsigned long long)length);
    return fflush(stdout) == 0 ? 0 : 2;
}

/* Path.of(value).toAbsolutePath() as a string, and its parent directory. */
static void socket_path(const char *cwd, char *path, size_t size, char *dir) {
    const char *value = getenv("WALJ_DAEMON_SOCKET");
    if (value == NULL || *value == '\0') {
        value = DEFAULT_SOCKET;
    }
    char raw[PATH_MAX * 2];
    int n = value[0] == '/' ? snprintf(raw, sizeof raw, "%s", value) : snprintf(raw, sizeof raw, "%s/%s", cwd, value);
    if (n < 0 || (size_t)n >= sizeof raw) {
        in_process("the daemon socket's path is too long");
    }
    /* as java.nio's UnixPath: no repeated and no trailing slashes */
    size_t j = 0;
    for (size_t i = 0; raw[i] != '\0'; i++) {
        if (raw[i] == '/' && j > 0 && path[j - 1] == '/') {
            continue;
        }
        if (j + 1 >= size) {
            in_process("the daemon socket's path is too long");
        }
        path[j++] = raw[i];
    }
    if (j > 1 && path[j - 1] == '/') {
        j--;
    }
    path[j] = '\0';
    char *slash = strrchr(path, '/');
    if (slash == NULL || slash == path || slash[1] == '\0') {
        in_process("cannot use %s as the daemon socket", path);
    }
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
}

/* SocketPath.checkPrivate: a real directory of this user, closed to everyone else. */
static void check_private(const char *dir) {
    struct stat st;
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        in_process("refusing to use the daemon socket: %s is not a directory", dir);
    }
    if (st.st_uid != geteuid()) {
        in_process("refusing to use the daemon socket: %s belongs to uid %ld, not to this user (uid %ld)", dir,
                   (long)st.st_uid, (long)geteuid());
    }
    if ((st.st_mode & 077) != 0) {
        in_process("refusing to use the daemon socket: %s is open to other users (mode %lo); it must be 0700", dir,
                   (unsigned long)(st.st_mode & 07777));
    }
}

/* DaemonClient.build(): the jar's real path, size and modification time in milliseconds. */
static void build_id(const char *jar, char *out, size_t size) {
    char real[PATH_MAX];
    struct stat st;
    if (realpath(jar, real) == NULL || stat(real, &st) != 0) {
        in_process("cannot read the jar %s (%s)", jar, strerror(errno));
    }
    long long millis = (long long)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
    if (snprintf(out, size, "%s:%lld:%lld", real, (long long)st.st_size, millis) >= (int)size) {
        in_process("the jar's path is too long");
    }
}

static void build_request(buffer *request, const char *jar, const char *cwd, int argc, char **argv) {
    char build[PATH_MAX + 64];
    build_id(jar, build, sizeof build);
    buffer body = {0};
    put_u32(&body, 2);
    put_string(&body, build, strlen(build));
    put_string(&body, cwd, strlen(cwd));
    put_u32(&body, (uint32_t)argc);
    for (int i = 0; i < argc; i++) {
        put_string(&body, argv[i], strlen(argv[i]));
    }
    size_t count = 0;
    for (char **e = environ; *e != NULL; e++) {
        count++;
    }
    const char **env = malloc((count + 1) * sizeof *env);
    if (env == NULL) {
        in_process("out of memory");
    }
    size_t kept = 0;
    for (char **e = environ; *e != NULL; e++) {
        const char *eq = strchr(*e, '=');
        if (eq != NULL && eq != *e && relevant(*e, (size_t)(eq - *e))) {
            env[kept++] = *e;
        }
    }
    qsort(env, kept, sizeof *env, by_name);
    for (size_t i = 1; i < kept; i++) {
        if (by_name(&env[i - 1], &env[i]) == 0) {
            in_process("a variable is set twice in the environment");
        }
    }
    put_u32(&body, (uint32_t)kept);
    for (size_t i = 0; i < kept; i++) {
        put_string(&body, env[i], strlen(env[i]));
    }
    free(env);
    if (body.length > MAX_REQUEST) {
        in_process("the request is larger than the protocol allows");
    }
    put(request, "WALJ", 4);
    unsigned char version = VERSION;
    put(request, &version, 1);
    put_u32(request, (uint32_t)body.length);
    put(request, body.data, body.length);
    free(body.data);
}

/* ---- the answer ---------------------------------------------------------------------------------------------- */

/* 1 when all n bytes were read, 0 at end of stream, -1 on an error (errno set). */
static int read_fully(int fd, unsigned char *to, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, to + got, n - got);
        if (r > 0) {
            got += (size_t)r;
        } else if (r == 0) {
            return 0;
        } else if (errno != EINTR) {
            return -1;
        }
    }
    return 1;
}

/* Output the client cannot deliver is dropped, as Java's System.out and System.err drop it. */
static void relay(int fd, const unsigned char *bytes, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, bytes, n);
        if (w > 0) {
            bytes += w;
            n -= (size_t)w;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else {
            return;
        }
    }
}

/* ClientMain's and the launcher's mapping of wal-fetch's statuses, so the result is the JVM client's. */
static int exit_status(int32_t status) {
    if (!fetch) {
        return status & 0xff;
    }
    int fatal = fatal_status();
    int not_found = fatal == 3 ? 4 : 3;
    int s = status == 1 ? not_found : (status & 0xff);
    if (s == not_found) {
        return 1;
    }
    return s == 1 ? fatal : s;
}

static void lost(int r) {
    if (r == 0) {
        in_process("the daemon went away before it answered");
    }
    in_process("lost the daemon's connection (%s)", strerror(errno));
}

/*
 * --auto RUNDIR PRE LAUNCHER JAR SUBCOMMAND ARGS...: a daemon started on demand, whose socket is RUNDIR/<key>.sock.
 * The key is computed here rather than by the launcher (a fork and an exec less on every call). Sets
 * WALJ_DAEMON_SOCKET to that socket, which the launcher takes as its own choice when it runs again; returns the index
 * of LAUNCHER in argv when the socket is there to connect to. With no socket there, the launcher runs again (it
 * decides whether to start a daemon, wait for one, or work in-process); with a path too long for a socket, it runs
 * again without asking a daemon, after the WARNING it would give.
 */
static int auto_socket(int argc, char **argv) {
    long pre = argc >= 7 ? parse_pre(argv[3], argc - 7) : -1;
    if (pre < 0) {
        fputs("wal-j-client: run by the wal-j launcher only (--auto RUNDIR PRE LAUNCHER JAR SUBCOMMAND ARGS...)\n",
              stderr);
        exit(2);
    }
    launcher = argv[4];
    fetch = strcmp(argv[6], "wal-fetch") == 0;
    command_args = argv + 7;
    uint32_t crc;
    uint64_t length;
    char path[PATH_MAX];
    int n = key_of(argv[5], pre, argv + 7, &crc, &length) != 0 ? -1
            : snprintf(path, sizeof path, "%s/%lu-%llu.sock", argv[2], (unsigned long)crc, (unsigned long long)length);
    if (n < 0 || (size_t)n >= sizeof path || n - 5 > 100) { /* the launcher's limit: a socket's path holds 107 bytes */
        if (n >= 0) {
            fprintf(stderr, "wal-j: WARNING: not starting a daemon: the socket path %s is too long; working in-process"
                            " (WALJ_DAEMON_AUTOSTART=off turns this off)\n", path);
        }
        setenv("WALJ_CLIENT", "none", 1);
        command_args[-1] = launcher;
        execv(launcher, command_args - 1);
        in_process("cannot run %s (%s)", launcher, strerror(errno));
    }
    struct stat st;
    if (setenv("WALJ_DAEMON_SOCKET", path, 1) != 0) {
        in_process("out of memory");
    }
    if (stat(path, &st) != 0 || !S_ISSOCK(st.st_mode)) {
        command_args[-1] = launcher;
        execv(launcher, command_args - 1);
        in_process("cannot run %s (%s)", launcher, strerror(errno));
    }
    return 4;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "--config-key") == 0) {
        return config_key(argc, argv);
    }
    if (argc >= 2 && strcmp(argv[1], "--auto") == 0) {
        int first = auto_socket(argc, argv);
        argv += first - 1;
        argc -= first - 1;
    }
    if (argc < 4) {
        fputs("wal-j-client: run by the wal-j launcher only (LAUNCHER JAR SUBCOMMAND ARGS...)\n", stderr);
        return 2;
    }
    launcher = argv[1];
    const char *jar = argv[2];
    fetch = strcmp(argv[3], "wal-fetch") == 0;
    command_args = argv + 4; /* argv[3] is the slot in_process() reuses for argv[0] */
    signal(SIGPIPE, SIG_IGN);

    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == NULL) {
        in_process("cannot read the working directory (%s)", strerror(errno));
    }
    char path[PATH_MAX], dir[PATH_MAX];
    socket_path(cwd, path, sizeof path, dir);
    check_private(dir);

    buffer request = {0};
    build_request(&request, jar, cwd, argc - 4, argv + 4);

    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        in_process("no daemon answers at %s (%s)", path, strerror(errno));
    }
    if (strlen(path) >= sizeof address.sun_path) {
        in_process("no daemon answers at %s (Unix domain path too long)", path);
    }
    memcpy(address.sun_path, path, strlen(path) + 1);
    while (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        if (errno != EINTR) {
            in_process("no daemon answers at %s (%s)", path, strerror(errno));
        }
    }
    /* a daemon that refuses the peer answers without reading: its reason may still be there to read */
    for (size_t sent = 0; sent < request.length;) {
        ssize_t w = send(fd, request.data + sent, request.length - sent, MSG_NOSIGNAL);
        if (w > 0) {
            sent += (size_t)w;
        } else if (!(w < 0 && errno == EINTR)) {
            break;
        }
    }
    free(request.data);

    unsigned char *payload = NULL;
    for (;;) {
        unsigned char head[5];
        int r = read_fully(fd, head, sizeof head);
        if (r <= 0) {
            lost(r);
        }
        uint32_t length = (uint32_t)head[1] << 24 | (uint32_t)head[2] << 16 | (uint32_t)head[3] << 8 | head[4];
        if (length > MAX_FRAME || (head[0] == 'X' && length != 4)) {
            in_process("lost the daemon's connection (malformed answer from the daemon (frame '%c', %ld bytes))",
                       head[0], (long)(int32_t)length);
        }
        payload = realloc(payload, length + 1);
        if (payload == NULL) {
            in_process("out of memory");
        }
        if (length > 0 && (r = read_fully(fd, payload, length)) <= 0) {
            lost(r);
        }
        switch (head[0]) {
        case 'O':
            relay(STDOUT_FILENO, payload, length);
            break;
        case 'E':
            relay(STDERR_FILENO, payload, length);
            break;
        case 'X':
            return exit_status((int32_t)((uint32_t)payload[0] << 24 | (uint32_t)payload[1] << 16
                                         | (uint32_t)payload[2] << 8 | payload[3]));
        case 'R':
            payload[length] = '\0';
            in_process("the daemon refused: %s", (char *)payload);
            break;
        default:
            in_process("the daemon sent an unknown frame '%c'", head[0]);
        }
    }
}

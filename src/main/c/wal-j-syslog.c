/*
 * wal-j-syslog SOCKET: sends each record read from stdin as one datagram to the UNIX datagram socket SOCKET
 * (/dev/log), the way WAL-E's Python SysLogHandler does. Records on stdin are separated by NUL bytes and already
 * carry their "<PRI>" prefix; each datagram is the record plus its NUL, as Python sends it.
 *
 * Why a process: Java 17 has no UNIX datagram sockets (docs/logging.md). wal-j starts this helper only when a record
 * is to go to syslog and the socket exists; it writes records into the pipe and never waits for the helper, which
 * exits at end of input. A record that cannot be sent is dropped (syslog is best effort, as in WAL-E); the helper
 * reports nothing: its stderr is not wal-j's.
 *
 * C99 and POSIX, libc only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_RECORD 65536

static void send_record(int fd, const struct sockaddr_un *to, const char *record, size_t length) {
    /* length includes the NUL; a datagram too large for the socket is cut, as a syslog daemon would cut it */
    while (sendto(fd, record, length, 0, (const struct sockaddr *) to, sizeof *to) < 0) {
        if (errno == EINTR) {
            continue;
        }
        if (errno == EMSGSIZE && length > 1024) {
            length = length / 2;
            continue;
        }
        return;
    }
}

int main(int argc, char **argv) {
    if (argc != 2 || strlen(argv[1]) >= sizeof(((struct sockaddr_un *) 0)->sun_path)) {
        return 2;
    }
    struct sockaddr_un to;
    memset(&to, 0, sizeof to);
    to.sun_family = AF_UNIX;
    strcpy(to.sun_path, argv[1]);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0) {
        return 1;
    }
    static char record[MAX_RECORD];
    size_t used = 0;
    int c;
    while ((c = getchar()) != EOF) {
        if (used < MAX_RECORD - 1) {
            record[used++] = (char) c;
        }
        if (c == '\0') {
            record[used - 1] = '\0';
            send_record(fd, &to, record, used);
            used = 0;
        }
    }
    if (used > 0) {
        record[used++] = '\0';
        send_record(fd, &to, record, used);
    }
    close(fd);
    return 0;
}

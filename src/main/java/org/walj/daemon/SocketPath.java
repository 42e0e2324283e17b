package org.walj.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon listens: {@code $WALJ_DAEMON_SOCKET}, else {@value #DEFAULT} (systemd's
 * {@code RuntimeDirectory=wal-j}). The socket's directory is the access control: it must belong to the user running
 * wal-j and be closed to everyone else (no group or other permission bits), checked by the daemon before it binds
 * and by the client before it connects. java.base only, for the client.
 */
public final class SocketPath {
    public static final String VARIABLE = "WALJ_DAEMON_SOCKET";
    public static final String DEFAULT = "/run/wal-j/daemon.sock";

    private SocketPath() {
    }

    public static Path from(Map<String, String> env) {
        String value = env.get(VARIABLE);
        return Path.of(value == null || value.isEmpty() ? DEFAULT : value).toAbsolutePath();
    }

    /**
     * Throws unless {@code dir} is a real directory (not a symlink) owned by this process's user with mode 0700 or
     * stricter: anyone else who could enter it could talk to the daemon, or put their own socket there.
     */
    public static void checkPrivate(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int self = currentUid();
        if (owner != self) {
            throw new IOException(dir + " belongs to uid " + owner + ", not to this user (uid " + self + ")");
        }
        if ((mode & 077) != 0) {
            throw new IOException(dir + " is open to other users (mode " + Integer.toOctalString(mode & 07777)
                    + "); it must be 0700");
        }
    }

    /** This process's uid: the owner of {@code /proc/self} (Linux), with no native code and no extra module. */
    public static int currentUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}

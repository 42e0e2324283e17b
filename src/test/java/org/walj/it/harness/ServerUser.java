package org.walj.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;

/**
 * The OS user that runs PostgreSQL (and therefore wal-j, as archive_command) in the tests.
 *
 * <p>The server refuses to run as root, so when the tests run as root (CI does) everything the server
 * touches is owned by {@code postgres} and every server-side command runs through
 * {@code runuser -u postgres --}. Otherwise the server runs as the current user and nothing is switched.
 */
public final class ServerUser {

    private static final String DEFAULT_SERVER_USER = "postgres";

    private final String name;
    private final boolean switching;

    private ServerUser(String name, boolean switching) {
        this.name = name;
        this.switching = switching;
    }

    public static ServerUser detect() {
        if (!isRoot()) {
            return new ServerUser(System.getProperty("user.name"), false);
        }
        String name = System.getProperty("walj.it.serverUser", DEFAULT_SERVER_USER);
        Tools.require("runuser", "util-linux");
        ProcessResult id = Exec.of("id", "-u", name).run();
        if (!id.succeeded()) {
            throw new AssertionError("running as root, so PostgreSQL must run as another OS user, but user '" + name
                    + "' does not exist: install PostgreSQL from Debian packages (apt-get install postgresql-15, which"
                    + " creates it), or create it, or pass -Dwalj.it.serverUser=NAME");
        }
        if (id.stdout().trim().equals("0")) {
            throw new AssertionError("user '" + name + "' is root; PostgreSQL refuses to run as root");
        }
        return new ServerUser(name, true);
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    public String name() {
        return name;
    }

    /** True when commands are run through runuser because we are root. */
    public boolean switching() {
        return switching;
    }

    /** The command line that runs {@code command} as this user. */
    public List<String> wrap(List<String> command) {
        if (!switching) {
            return command;
        }
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", name, "--"));
        argv.addAll(command);
        return argv;
    }

    /** Creates a directory (and parents) owned by this user, mode 0700. Parents it creates are owned by it too. */
    public Path createDirectory(Path dir) {
        try {
            Path parent = dir.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                createDirectory(parent);
            }
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            own(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Gives a file or directory to this user (no-op when we are that user). */
    public void own(Path path) {
        if (!switching) {
            return;
        }
        try {
            UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
            Files.setOwner(path, owner);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot chown " + path + " to " + name, e);
        }
    }

    /** Fails the test unless this user can execute {@code file} (e.g. a JDK under /root is not reachable). */
    public void requireExecutable(Path file, String hint) {
        ProcessResult r = Exec.of("test", "-x", file.toString()).as(this).dir(Path.of("/")).run();
        if (!r.succeeded()) {
            throw new AssertionError("OS user '" + name + "' cannot execute " + file + ": " + hint);
        }
    }

    @Override
    public String toString() {
        return name + (switching ? " (via runuser)" : "");
    }
}

package org.walj.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The client side: hands one {@code wal-push} or {@code wal-fetch} to a running daemon and relays its output and
 * exit status. Uses java.base only, so asking costs a JVM start and nothing more. Every way the daemon can fail to
 * answer is an {@link Outcome#notAnswered}: the caller then does the work in-process, so archiving never depends on
 * the daemon being up.
 */
public final class DaemonClient {
    /**
     * What travels with a request: a superset of the daemon's must-match settings, which this class cannot see (it
     * imports java.* only). The daemon compares the declared ones (docs/daemon.md); a test fails if a declared one
     * is missing here. The native client (src/main/c/wal-j-client.c) keeps the same three lists:
     * NativeClientProtocolTest checks that both send the same variables.
     */
    private static final List<String> PREFIXES = List.of("WALE_", "WALJ_", "AWS_", "GOOGLE_", "WABS_", "SWIFT_",
            "GNUPGHOME");
    /** Must-match settings outside those prefixes: read by the storage clients under their common names. */
    private static final java.util.Set<String> NAMES = java.util.Set.of("STORAGE_EMULATOR_HOST");
    /** Read by the launcher only (which JVM, which jar, which socket): they do not change what the command does. */
    private static final java.util.Set<String> LAUNCHER_ONLY = java.util.Set.of("WALJ_JAVA", "WALJ_JAVA_OPTS",
            "WALJ_JAR", "WALJ_CDS", "WALJ_CDS_DIR", SocketPath.VARIABLE, "WALJ_CLIENT");

    private final Path socket;

    public DaemonClient(Path socket) {
        this.socket = socket;
    }

    /** Either the daemon's exit status, or why it did not do the work. */
    public record Outcome(boolean answered, int status, String reason) {
        static Outcome exit(int status) {
            return new Outcome(true, status, null);
        }

        static Outcome notAnswered(String reason) {
            return new Outcome(false, -1, reason);
        }
    }

    /** The variables of {@code env} that travel to the daemon, in name order. */
    public static Map<String, String> relevant(Map<String, String> env) {
        // loops, not lambdas, and no string concatenation on the client's path: each invokedynamic bootstrap costs
        // milliseconds of a cold JVM
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String k = e.getKey();
            if (!LAUNCHER_ONLY.contains(k) && (NAMES.contains(k) || hasRelevantPrefix(k))) {
                out.put(k, e.getValue());
            }
        }
        return out;
    }

    private static boolean hasRelevantPrefix(String name) {
        for (String p : PREFIXES) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Something that identifies this wal-j build: the jar's path, size and modification time. A daemon started from
     * another jar (an upgrade it has not been restarted for) refuses instead of running old code. The jar is the
     * class path's last entry: the launcher puts the small client jar in front of it (docs/daemon.md).
     */
    public static String build() {
        String classPath = System.getProperty("java.class.path", "");
        String last = classPath.substring(classPath.lastIndexOf(java.io.File.pathSeparatorChar) + 1);
        try {
            Path jar = Path.of(last).toRealPath();
            return new StringBuilder().append(jar).append(':').append(Files.size(jar)).append(':')
                    .append(Files.getLastModifiedTime(jar).toMillis()).toString();
        } catch (IOException | RuntimeException e) {
            return classPath;
        }
    }

    public Outcome run(List<String> args, Map<String, String> env, OutputStream stdout, OutputStream stderr) {
        Path dir = socket.getParent();
        try {
            SocketPath.checkPrivate(dir);
        } catch (IOException e) {
            return Outcome.notAnswered("refusing to use the daemon socket: " + e.getMessage());
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return Outcome.notAnswered("no daemon answers at " + socket + " (" + e.getMessage() + ")");
        }
        try (channel) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            String cwd = Path.of("").toAbsolutePath().toString();
            try {
                Protocol.writeRequest(out, new Protocol.Request(build(), cwd, args, relevant(env)));
            } catch (IOException refusedEarly) {
                // a daemon that refuses the peer answers without reading: its reason may still be there to read
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            while (true) {
                Protocol.Frame frame = Protocol.readFrame(in);
                switch (frame.type()) {
                    case Protocol.STDOUT -> write(stdout, frame.payload());
                    case Protocol.STDERR -> write(stderr, frame.payload());
                    case Protocol.EXIT -> {
                        return Outcome.exit(frame.exitStatus());
                    }
                    case Protocol.REFUSED -> {
                        return Outcome.notAnswered("the daemon refused: " + frame.text());
                    }
                    default -> {
                        return Outcome.notAnswered("the daemon sent an unknown frame '" + (char) frame.type() + "'");
                    }
                }
            }
        } catch (EOFException e) {
            // e.g. the daemon was killed mid-push: nothing was acknowledged, so doing it again here is safe
            return Outcome.notAnswered("the daemon went away before it answered");
        } catch (IOException e) {
            return Outcome.notAnswered("lost the daemon's connection (" + e.getMessage() + ")");
        }
    }

    private static void write(OutputStream stream, byte[] bytes) throws IOException {
        stream.write(bytes);
        stream.flush();
    }
}

package org.walj.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.walj.testsupport.ChildCli.assertOneCleanError;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.testsupport.ChildCli;
import org.walj.testsupport.ChildCli.Run;

/**
 * wal-j's command line in a child JVM (its real stderr and exit status) against a backend's real server: wal-push and
 * wal-fetch with WAL-E's variables and object names (checked by listing the server directly), and bad input common
 * to every backend: a wrong secret, a missing container, an unreachable server: one ERROR line naming the cause, no
 * stack trace, never the secret; wal-push 1, wal-fetch 200. A subclass gives the backend's names and errors only
 * (and its own extra cases).
 */
public abstract class BackendCliTest {
    protected static final String CONTAINER = "walj-cli";
    protected static final String HISTORY = "00000002.history";

    protected Path pgWal;
    protected String pathPrefix;

    @TempDir
    protected Path dir;

    /** Starts (or reuses) the server, with {@link #CONTAINER}. */
    protected abstract void startServer() throws IOException;

    /** The environment of a run against {@code container} under {@link #pathPrefix}, with working credentials. */
    protected abstract Map<String, String> env(String container);

    /** The names under {@link #pathPrefix} in {@link #CONTAINER}, listed on the server directly. */
    protected abstract List<String> objectNames() throws IOException;

    /** The name WAL-E gives {@code key} under {@link #pathPrefix} (a leading '/' in Swift, none in Azure). */
    protected abstract String objectName(String key);

    /** The secret {@link #env} holds: never in a message. */
    protected abstract String secret();

    /** {@code env} with a wrong secret, which the server refuses; returns that secret. */
    protected abstract String useAWrongSecret(Map<String, String> env);

    /** What the one ERROR line says when the server refuses the secret. */
    protected abstract String refusedSecret();

    /** {@code env} pointed at a port nothing listens on. */
    protected abstract void pointAt(Map<String, String> env, int closedPort);

    @BeforeEach
    void setUpBackend() throws IOException {
        startServer();
        pgWal = Files.createDirectories(dir.resolve("pg_wal"));
        Files.writeString(pgWal.resolve(HISTORY), "1\t0/3000000\tno recovery target specified\n");
        pathPrefix = "cli-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "/";
    }

    protected Run run(Map<String, String> vars, String... args) throws Exception {
        return ChildCli.run(dir, vars, args);
    }

    protected Run pushHistory(Map<String, String> env) throws Exception {
        return run(env, "wal-push", pgWal.resolve(HISTORY).toString());
    }

    protected Run fetchMissingSegment(Map<String, String> env) throws Exception {
        return run(env, "wal-fetch", "000000010000000000000001", dir.resolve("x").toString());
    }

    @Test
    void walPushAndFetchUseWalEsObjectNames() throws Exception {
        Run push = pushHistory(env(CONTAINER));
        assertEquals(0, push.status(), push.stderr());
        assertEquals(List.of(objectName("wal_005/" + HISTORY + ".lzo")), objectNames());
        assertFalse(push.stderr().contains(secret()), push.stderr());
        Path out = dir.resolve("restored");
        Run fetch = run(env(CONTAINER), "wal-fetch", HISTORY, out.toString());
        assertEquals(0, fetch.status(), fetch.stderr());
        assertEquals(Files.readString(pgWal.resolve(HISTORY)), Files.readString(out));
        Run missing = run(env(CONTAINER), "wal-fetch", "000000010000000000000009", dir.resolve("x").toString());
        assertEquals(1, missing.status(), "not in the archive: " + missing.stderr());
    }

    @Test
    void aWrongSecretIsOneLineWithoutTheSecret() throws Exception {
        Map<String, String> env = env(CONTAINER);
        String wrong = useAWrongSecret(env);
        assertOneCleanError(pushHistory(env), 1, refusedSecret(), wrong);
        assertOneCleanError(fetchMissingSegment(env), 200, refusedSecret(), wrong);
    }

    @Test
    void aMissingContainerIsNamed() throws Exception {
        Map<String, String> env = env("walj-no-such-container");
        assertOneCleanError(pushHistory(env), 1, "container walj-no-such-container does not exist", secret());
        assertOneCleanError(fetchMissingSegment(env), 200, "container walj-no-such-container does not exist",
                secret());
    }

    @Test
    void anUnreachableServerIsNamed() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = env(CONTAINER);
        pointAt(env, closed);
        assertOneCleanError(pushHistory(env), 1, "cannot connect", secret());
        assertOneCleanError(fetchMissingSegment(env), 200, "cannot connect", secret());
    }
}

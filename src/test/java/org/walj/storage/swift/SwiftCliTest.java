package org.walj.storage.swift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.walj.testsupport.ChildCli.assertOneCleanError;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.testsupport.ChildCli;
import org.walj.testsupport.ChildCli.Run;

/**
 * wal-j's command line in a child JVM (its real stderr and exit status) against the real Swift: wal-push and
 * wal-fetch through WALE_SWIFT_PREFIX with WAL-E's SWIFT_* variables (tempauth, and keystone v3 through
 * {@link KeystoneStandIn}), WAL-E's object names (leading '/', checked by listing the server directly), a WAL segment
 * pushed as a static large object (WALJ_SWIFT_SEGMENT_SIZE_MIB=1) and fetched back, and bad input: a wrong password
 * (tempauth and keystone), a missing container, an unreachable auth URL, missing variables: one ERROR line naming the
 * cause, no stack trace, never the secret; wal-push 1, wal-fetch 200.
 */
class SwiftCliTest {
    private static final String CONTAINER = "walj-cli";
    private static final String HISTORY = "00000002.history";

    private SwiftServer server;
    private Path pgWal;
    private String pathPrefix;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        server = SwiftServer.shared();
        server.createContainer(CONTAINER);
        pgWal = Files.createDirectories(dir.resolve("pg_wal"));
        Files.writeString(pgWal.resolve(HISTORY), "1\t0/3000000\tno recovery target specified\n");
        pathPrefix = "cli-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "/";
    }

    private Map<String, String> env(String container) {
        Map<String, String> env = new HashMap<>();
        env.put("WALE_SWIFT_PREFIX", "swift://" + container + "/" + pathPrefix);
        env.put("SWIFT_AUTHURL", server.authUrl());
        env.put("SWIFT_AUTH_VERSION", "1");
        env.put("SWIFT_USER", SwiftServer.USER);
        env.put("SWIFT_PASSWORD", server.key());
        env.put("WALJ_RETRY_ATTEMPTS", "2");
        env.put("WALE_LOG_DESTINATION", "stderr");
        return env;
    }

    private Run run(Map<String, String> vars, String... args) throws Exception {
        return ChildCli.run(dir, vars, args);
    }

    private List<String> objectNames() throws IOException {
        return server.names(CONTAINER, "/" + pathPrefix);
    }

    @Test
    void walPushAndFetchWithTempauthUseWalEsObjectNames() throws Exception {
        Run push = run(env(CONTAINER), "wal-push", pgWal.resolve(HISTORY).toString());
        assertEquals(0, push.status(), push.stderr());
        assertEquals(List.of("/" + pathPrefix + "wal_005/" + HISTORY + ".lzo"), objectNames());
        assertFalse(push.stderr().contains(server.key()), push.stderr());
        Path out = dir.resolve("restored");
        Run fetch = run(env(CONTAINER), "wal-fetch", HISTORY, out.toString());
        assertEquals(0, fetch.status(), fetch.stderr());
        assertEquals(Files.readString(pgWal.resolve(HISTORY)), Files.readString(out));
        Run missing = run(env(CONTAINER), "wal-fetch", "000000010000000000000009", dir.resolve("x").toString());
        assertEquals(1, missing.status(), "not in the archive: " + missing.stderr());
    }

    @Test
    void aSegmentLargerThanWaljSwiftSegmentSizeIsAStaticLargeObject() throws Exception {
        byte[] segment = new byte[16 << 20];
        new Random(42).nextBytes(segment); // incompressible: about 16 MiB of lzop
        String name = "000000010000000000000003";
        Files.write(pgWal.resolve(name), segment);
        Map<String, String> env = env(CONTAINER);
        env.put("WALJ_SWIFT_SEGMENT_SIZE_MIB", "1");
        Run push = run(env, "wal-push", pgWal.resolve(name).toString());
        assertEquals(0, push.status(), push.stderr());
        List<String> names = objectNames();
        assertTrue(names.contains("/" + pathPrefix + "wal_005/" + name + ".lzo"), names.toString());
        assertEquals(17, names.stream().filter(n -> n.startsWith("/" + pathPrefix + ".walj-segments/wal_005/" + name
                + ".lzo/")).count(), names.toString());
        assertEquals(18, names.size(), names.toString());
        Path out = dir.resolve("fetched");
        Run fetch = run(env(CONTAINER), "wal-fetch", name, out.toString());
        assertEquals(0, fetch.status(), fetch.stderr());
        assertArrayEquals(segment, Files.readAllBytes(out));
    }

    @Test
    void keystoneV3WithWalEsVariables() throws Exception {
        String password = "ks-" + System.nanoTime();
        try (KeystoneStandIn keystone = new KeystoneStandIn(server, password)) {
            Map<String, String> env = env(CONTAINER);
            env.put("SWIFT_AUTHURL", keystone.v3Url());
            env.put("SWIFT_AUTH_VERSION", "3");
            env.put("SWIFT_USER", KeystoneStandIn.USER);
            env.put("SWIFT_PASSWORD", password);
            env.put("SWIFT_TENANT", KeystoneStandIn.PROJECT);
            env.put("SWIFT_USER_DOMAIN_NAME", KeystoneStandIn.DOMAIN);
            env.put("SWIFT_PROJECT_DOMAIN_NAME", KeystoneStandIn.DOMAIN);
            env.put("SWIFT_REGION", KeystoneStandIn.REGION);
            Run push = run(env, "wal-push", pgWal.resolve(HISTORY).toString());
            assertEquals(0, push.status(), push.stderr());
            assertEquals(List.of("/" + pathPrefix + "wal_005/" + HISTORY + ".lzo"), objectNames());

            env.put("SWIFT_PASSWORD", "wrong-" + password);
            assertOneCleanError(run(env, "wal-push", pgWal.resolve(HISTORY).toString()), 1,
                    "rejected the credentials of user alice", "wrong-" + password);
            assertOneCleanError(run(env, "wal-fetch", HISTORY, dir.resolve("x").toString()), 200,
                    "rejected the credentials of user alice", "wrong-" + password);
        }
    }

    @Test
    void aWrongTempauthKeyIsOneLineWithoutTheKey() throws Exception {
        Map<String, String> env = env(CONTAINER);
        String wrong = "not-" + server.key();
        env.put("SWIFT_PASSWORD", wrong);
        assertOneCleanError(run(env, "wal-push", pgWal.resolve(HISTORY).toString()), 1,
                "rejected the credentials of user test:tester (HTTP 401)", wrong);
        assertOneCleanError(run(env, "wal-fetch", "000000010000000000000001", dir.resolve("x").toString()), 200,
                "rejected the credentials of user test:tester (HTTP 401)", wrong);
    }

    @Test
    void aMissingContainerIsNamed() throws Exception {
        Map<String, String> env = env("walj-no-such-container");
        assertOneCleanError(run(env, "wal-push", pgWal.resolve(HISTORY).toString()), 1,
                "container walj-no-such-container does not exist", server.key());
        assertOneCleanError(run(env, "wal-fetch", "000000010000000000000001", dir.resolve("x").toString()), 200,
                "container walj-no-such-container does not exist", server.key());
    }

    @Test
    void anUnreachableAuthUrlIsNamed() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = env(CONTAINER);
        env.put("SWIFT_AUTHURL", SwiftServer.authUrlAt(closed));
        assertOneCleanError(run(env, "wal-push", pgWal.resolve(HISTORY).toString()), 1, "cannot connect",
                server.key());
        assertOneCleanError(run(env, "wal-fetch", "000000010000000000000001", dir.resolve("x").toString()), 200,
                "cannot connect", server.key());
    }

    @Test
    void missingVariablesAreNamed() throws Exception {
        for (String variable : List.of("SWIFT_AUTHURL", "SWIFT_USER", "SWIFT_PASSWORD")) {
            Map<String, String> env = env(CONTAINER);
            env.remove(variable);
            assertOneCleanError(run(env, "wal-push", pgWal.resolve(HISTORY).toString()), 1,
                    "Swift credentials are incomplete: " + variable + " is not set", server.key());
        }
        Map<String, String> env = env(CONTAINER);
        env.put("SWIFT_AUTH_VERSION", "4");
        assertOneCleanError(run(env, "wal-push", pgWal.resolve(HISTORY).toString()), 1,
                "invalid SWIFT_AUTH_VERSION", server.key());
    }
}

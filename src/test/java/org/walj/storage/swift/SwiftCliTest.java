package org.walj.storage.swift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.walj.testsupport.ChildCli.assertOneCleanError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.walj.storage.BackendCliTest;
import org.walj.testsupport.ChildCli.Run;

/**
 * wal-j's command line against the real Swift ({@link BackendCliTest}): WALE_SWIFT_PREFIX with WAL-E's SWIFT_*
 * variables (tempauth, and keystone v3 through {@link KeystoneStandIn}), WAL-E's object names (leading '/'), a WAL
 * segment pushed as a static large object (WALJ_SWIFT_SEGMENT_SIZE_MIB=1) and fetched back, and Swift's bad input:
 * a wrong keystone password, missing variables.
 */
class SwiftCliTest extends BackendCliTest {
    private SwiftServer server;

    @Override
    protected void startServer() throws IOException {
        server = SwiftServer.shared();
        server.createContainer(CONTAINER);
    }

    @Override
    protected Map<String, String> env(String container) {
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

    @Override
    protected List<String> objectNames() throws IOException {
        return server.names(CONTAINER, "/" + pathPrefix);
    }

    @Override
    protected String objectName(String key) {
        return "/" + pathPrefix + key;
    }

    @Override
    protected String secret() {
        return server.key();
    }

    @Override
    protected String useAWrongSecret(Map<String, String> env) {
        String wrong = "not-" + server.key();
        env.put("SWIFT_PASSWORD", wrong);
        return wrong;
    }

    @Override
    protected String refusedSecret() {
        return "rejected the credentials of user test:tester (HTTP 401)";
    }

    @Override
    protected void pointAt(Map<String, String> env, int closedPort) {
        env.put("SWIFT_AUTHURL", SwiftServer.authUrlAt(closedPort));
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
            Run push = pushHistory(env);
            assertEquals(0, push.status(), push.stderr());
            assertEquals(List.of("/" + pathPrefix + "wal_005/" + HISTORY + ".lzo"), objectNames());

            env.put("SWIFT_PASSWORD", "wrong-" + password);
            assertOneCleanError(pushHistory(env), 1,
                    "rejected the credentials of user alice", "wrong-" + password);
            assertOneCleanError(run(env, "wal-fetch", HISTORY, dir.resolve("x").toString()), 200,
                    "rejected the credentials of user alice", "wrong-" + password);
        }
    }

    @Test
    void missingVariablesAreNamed() throws Exception {
        for (String variable : List.of("SWIFT_AUTHURL", "SWIFT_USER", "SWIFT_PASSWORD")) {
            Map<String, String> env = env(CONTAINER);
            env.remove(variable);
            assertOneCleanError(pushHistory(env), 1,
                    "Swift credentials are incomplete: " + variable + " is not set", server.key());
        }
        Map<String, String> env = env(CONTAINER);
        env.put("SWIFT_AUTH_VERSION", "4");
        assertOneCleanError(pushHistory(env), 1,
                "invalid SWIFT_AUTH_VERSION", server.key());
    }
}

package org.walj.storage.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.walj.testsupport.ChildCli.assertOneCleanError;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.testsupport.ChildCli;
import org.walj.testsupport.ChildCli.Run;

/**
 * wal-j's command line in a child JVM (its real stderr and exit status) against Azurite: wal-push and wal-fetch
 * through wabs:// with a shared key and with a SAS token, WAL-E's blob names (no leading '/', checked by listing the
 * server directly), and bad input: a wrong key, a missing container, an unreachable endpoint, no account, no
 * credentials: one ERROR line naming the cause, no stack trace, never the secret; wal-push 1, wal-fetch 200.
 */
class AzureCliTest {
    private static final String CONTAINER = "walj-cli";
    private static final String HISTORY = "00000002.history";

    private AzuriteServer server;
    private Path pgWal;
    private String pathPrefix;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        server = AzuriteServer.shared();
        server.createContainer(CONTAINER);
        pgWal = Files.createDirectories(dir.resolve("pg_wal"));
        Files.writeString(pgWal.resolve(HISTORY), "1\t0/3000000\tno recovery target specified\n");
        pathPrefix = "cli-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "/";
    }

    private Map<String, String> env(String container) {
        Map<String, String> env = new HashMap<>();
        env.put("WALE_WABS_PREFIX", "wabs://" + container + "/" + pathPrefix);
        env.put("WABS_ACCOUNT_NAME", AzuriteServer.ACCOUNT);
        env.put("WABS_ACCESS_KEY", server.key());
        env.put("WALJ_WABS_ENDPOINT", server.endpoint());
        env.put("WALJ_RETRY_ATTEMPTS", "2");
        env.put("WALE_LOG_DESTINATION", "stderr");
        return env;
    }

    private Run run(Map<String, String> vars, String... args) throws Exception {
        return ChildCli.run(dir, vars, args);
    }

    private List<String> blobNames() {
        return server.adminClient().getBlobContainerClient(CONTAINER)
                .listBlobs(new ListBlobsOptions().setPrefix(pathPrefix), null).stream().map(BlobItem::getName)
                .toList();
    }

    @Test
    void walPushAndFetchWithASharedKeyUseWalEsBlobNames() throws Exception {
        Run push = run(env(CONTAINER), "wal-push", pgWal.resolve(HISTORY).toString());
        assertEquals(0, push.status(), push.stderr());
        assertEquals(List.of(pathPrefix + "wal_005/" + HISTORY + ".lzo"), blobNames());
        assertFalse(push.stderr().contains(server.key()), push.stderr());
        Path out = dir.resolve("restored");
        Run fetch = run(env(CONTAINER), "wal-fetch", HISTORY, out.toString());
        assertEquals(0, fetch.status(), fetch.stderr());
        assertEquals(Files.readString(pgWal.resolve(HISTORY)), Files.readString(out));
        Run missing = run(env(CONTAINER), "wal-fetch", "000000010000000000000009", dir.resolve("x").toString());
        assertEquals(1, missing.status(), "not in the archive: " + missing.stderr());
    }

    @Test
    void walPushWithASasTokenAndTheAccountOption() throws Exception {
        Map<String, String> env = env(CONTAINER);
        env.remove("WABS_ACCESS_KEY");
        env.remove("WABS_ACCOUNT_NAME");
        String sas = server.containerSas(CONTAINER);
        env.put("WABS_SAS_TOKEN", sas);
        Run push = run(env, "-a", AzuriteServer.ACCOUNT, "wal-push", pgWal.resolve(HISTORY).toString());
        assertEquals(0, push.status(), push.stderr());
        assertEquals(List.of(pathPrefix + "wal_005/" + HISTORY + ".lzo"), blobNames());
        assertFalse(push.stderr().contains(sas), push.stderr());
    }

    @Test
    void aWrongKeyIsOneLineWithoutTheKey() throws Exception {
        byte[] raw = new byte[64];
        new SecureRandom().nextBytes(raw);
        String wrong = Base64.getEncoder().encodeToString(raw);
        Map<String, String> env = env(CONTAINER);
        env.put("WABS_ACCESS_KEY", wrong);
        assertOneCleanError(run(env, "wal-push", pgWal.resolve(HISTORY).toString()), 1, "HTTP 403", wrong);
        assertOneCleanError(run(env, "wal-fetch", "000000010000000000000001", dir.resolve("x").toString()), 200,
                "HTTP 403", wrong);
    }

    @Test
    void aKeyThatIsNotBase64IsRefusedWithoutShowingIt() throws Exception {
        Map<String, String> env = env(CONTAINER);
        env.put("WABS_ACCESS_KEY", "not*base64*secret");
        assertOneCleanError(run(env, "wal-push", pgWal.resolve(HISTORY).toString()), 1, "not base64",
                "not*base64*secret");
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
    void anUnreachableEndpointIsNamed() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = env(CONTAINER);
        env.put("WALJ_WABS_ENDPOINT", AzuriteServer.endpointAt(closed));
        assertOneCleanError(run(env, "wal-push", pgWal.resolve(HISTORY).toString()), 1, "cannot connect",
                server.key());
        assertOneCleanError(run(env, "wal-fetch", "000000010000000000000001", dir.resolve("x").toString()), 200,
                "cannot connect", server.key());
    }

    @Test
    void noAccountAndNoCredentialsAreWalEsMessages() throws Exception {
        Map<String, String> env = env(CONTAINER);
        env.remove("WABS_ACCOUNT_NAME");
        assertOneCleanError(run(env, "wal-push", pgWal.resolve(HISTORY).toString()), 1,
                "WABS account name is undefined", server.key());
        env = env(CONTAINER);
        env.remove("WABS_ACCESS_KEY");
        assertOneCleanError(run(env, "wal-push", pgWal.resolve(HISTORY).toString()), 1,
                "WABS access credentials is required but not provided", null);
    }
}

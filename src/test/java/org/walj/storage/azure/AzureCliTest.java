package org.walj.storage.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.walj.testsupport.ChildCli.assertOneCleanError;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import org.junit.jupiter.api.Test;
import org.walj.storage.BackendCliTest;
import org.walj.testsupport.ChildCli.Run;

/**
 * wal-j's command line against Azurite ({@link BackendCliTest}): wabs:// with a shared key and with a SAS token,
 * WAL-E's blob names (no leading '/'), and Azure's bad input: a key that is not base64, no account, no credentials.
 */
class AzureCliTest extends BackendCliTest {
    private AzuriteServer server;

    @Override
    protected void startServer() {
        server = AzuriteServer.shared();
        server.createContainer(CONTAINER);
    }

    @Override
    protected Map<String, String> env(String container) {
        Map<String, String> env = new HashMap<>();
        env.put("WALE_WABS_PREFIX", "wabs://" + container + "/" + pathPrefix);
        env.put("WABS_ACCOUNT_NAME", AzuriteServer.ACCOUNT);
        env.put("WABS_ACCESS_KEY", server.key());
        env.put("WALJ_WABS_ENDPOINT", server.endpoint());
        env.put("WALJ_RETRY_ATTEMPTS", "2");
        env.put("WALE_LOG_DESTINATION", "stderr");
        return env;
    }

    @Override
    protected List<String> objectNames() {
        return server.adminClient().getBlobContainerClient(CONTAINER)
                .listBlobs(new ListBlobsOptions().setPrefix(pathPrefix), null).stream().map(BlobItem::getName)
                .toList();
    }

    @Override
    protected String objectName(String key) {
        return pathPrefix + key;
    }

    @Override
    protected String secret() {
        return server.key();
    }

    @Override
    protected String useAWrongSecret(Map<String, String> env) {
        byte[] raw = new byte[64];
        new SecureRandom().nextBytes(raw);
        String wrong = Base64.getEncoder().encodeToString(raw);
        env.put("WABS_ACCESS_KEY", wrong);
        return wrong;
    }

    @Override
    protected String refusedSecret() {
        return "HTTP 403";
    }

    @Override
    protected void pointAt(Map<String, String> env, int closedPort) {
        env.put("WALJ_WABS_ENDPOINT", AzuriteServer.endpointAt(closedPort));
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
        assertEquals(List.of(objectName("wal_005/" + HISTORY + ".lzo")), objectNames());
        assertFalse(push.stderr().contains(sas), push.stderr());
    }

    @Test
    void aKeyThatIsNotBase64IsRefusedWithoutShowingIt() throws Exception {
        Map<String, String> env = env(CONTAINER);
        env.put("WABS_ACCESS_KEY", "not*base64*secret");
        assertOneCleanError(pushHistory(env), 1, "not base64", "not*base64*secret");
    }

    @Test
    void noAccountAndNoCredentialsAreWalEsMessages() throws Exception {
        Map<String, String> env = env(CONTAINER);
        env.remove("WABS_ACCOUNT_NAME");
        assertOneCleanError(pushHistory(env), 1, "WABS account name is undefined", server.key());
        env = env(CONTAINER);
        env.remove("WABS_ACCESS_KEY");
        assertOneCleanError(pushHistory(env), 1, "WABS access credentials is required but not provided", null);
    }
}

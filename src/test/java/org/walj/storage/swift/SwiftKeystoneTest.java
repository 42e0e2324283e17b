package org.walj.storage.swift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.walj.storage.RetryPolicy;
import org.walj.storage.StorageUnavailableException;
import org.walj.storage.TestBytes;

/**
 * Keystone v2.0 and v3 token requests, as WAL-E's SWIFT_* variables describe them, against {@link KeystoneStandIn}
 * (keystone cannot run here; the stand-in checks the request as keystone would and hands out a real tempauth token
 * with a catalog naming the real {@link SwiftServer}): the request bodies, the choice of the catalog endpoint by
 * region and endpoint type, a rejected password, a catalog without a matching endpoint, and a token that Swift no
 * longer accepts (renewed once, the request repeated).
 */
class SwiftKeystoneTest {
    private static final String CONTAINER = "walj-keystone";

    private SwiftServer swift;
    private KeystoneStandIn keystone;
    private final String password = "pw-" + System.nanoTime();

    @BeforeEach
    void setUp() throws Exception {
        swift = SwiftServer.shared();
        swift.createContainer(CONTAINER);
        keystone = new KeystoneStandIn(swift, password);
    }

    @AfterEach
    void tearDown() {
        keystone.close();
    }

    private static SwiftCredentials credentials(int version, String url, String password, String region,
            String endpointType) {
        String domain = version == 3 ? KeystoneStandIn.DOMAIN : null;
        return new SwiftCredentials(version, URI.create(url), KeystoneStandIn.USER, password, region, endpointType,
                KeystoneStandIn.PROJECT, null, null, null, domain, null, null, null, domain, null, null);
    }

    private static SwiftStorage storage(SwiftCredentials c) {
        return new SwiftStorage(new SwiftConnection(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .build(), c, CONTAINER, Duration.ofSeconds(30)), "ks-" + System.nanoTime() + "/", 1 << 20, 2,
                new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(10)));
    }

    private static void roundTrip(SwiftStorage storage) throws Exception {
        byte[] content = TestBytes.random(3 << 20, 11); // a large object: three segments
        storage.put("wal_005/000000010000000000000001.lzo", new ByteArrayInputStream(content), null);
        assertArrayEquals(content, TestBytes.read(storage, "wal_005/000000010000000000000001.lzo"));
    }

    @Test
    void keystoneV3WithUserAndProjectDomains() throws Exception {
        try (SwiftStorage storage = storage(credentials(3, keystone.v3Url(), password, KeystoneStandIn.REGION,
                "publicURL"))) {
            roundTrip(storage);
        }
        JsonNode auth = keystone.requests().get(0).path("auth");
        assertEquals("password", auth.path("identity").path("methods").get(0).asText());
        JsonNode user = auth.path("identity").path("password").path("user");
        assertEquals(KeystoneStandIn.USER, user.path("name").asText());
        assertEquals(KeystoneStandIn.DOMAIN, user.path("domain").path("name").asText());
        assertEquals(KeystoneStandIn.PROJECT, auth.path("scope").path("project").path("name").asText());
        assertEquals(KeystoneStandIn.DOMAIN, auth.path("scope").path("project").path("domain").path("name").asText());
    }

    @Test
    void keystoneV2WithTenantAndTheInternalEndpoint() throws Exception {
        try (SwiftStorage storage = storage(credentials(2, keystone.v2Url(), password, KeystoneStandIn.REGION,
                "internalURL"))) {
            roundTrip(storage);
        }
        JsonNode auth = keystone.requests().get(0).path("auth");
        assertEquals(KeystoneStandIn.USER, auth.path("passwordCredentials").path("username").asText());
        assertEquals(KeystoneStandIn.PROJECT, auth.path("tenantName").asText());
        assertEquals(1, keystone.requests().size(), "one token for the whole run");
    }

    @Test
    void aTokenSwiftNoLongerAcceptsIsRenewedOnce() throws Exception {
        keystone.handOutAStaleTokenNext();
        try (SwiftStorage storage = storage(credentials(3, keystone.v3Url(), password, KeystoneStandIn.REGION,
                "publicURL"))) {
            roundTrip(storage);
        }
        assertEquals(2, keystone.requests().size(), "the stale token, then a fresh one");
    }

    @Test
    void aWrongPasswordIsOneLineWithoutThePassword() throws Exception {
        for (int version : List.of(2, 3)) {
            String url = version == 2 ? keystone.v2Url() : keystone.v3Url();
            String wrong = "wrong-" + password;
            try (SwiftStorage storage = storage(credentials(version, url, wrong, KeystoneStandIn.REGION,
                    "publicURL"))) {
                StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                        () -> storage.stat("wal_005/000000010000000000000001.lzo"));
                assertEquals("keystone at " + url + " rejected the credentials of user alice (HTTP 401)",
                        e.getMessage());
                assertFalse(e.getMessage().contains(wrong));
            }
        }
    }

    @Test
    void aRegionWithoutAnObjectStoreIsNamed() throws Exception {
        try (SwiftStorage storage = storage(credentials(3, keystone.v3Url(), password, "Nowhere", "publicURL"))) {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> storage.list("wal_005/"));
            assertTrue(e.getMessage().contains("no object-store endpoint of type publicURL in region Nowhere"),
                    e.getMessage());
        }
    }
}

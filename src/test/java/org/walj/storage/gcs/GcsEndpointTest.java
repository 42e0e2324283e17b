package org.walj.storage.gcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GcsEndpointTest {
    @Test
    void acceptsSchemeHostAndPort() {
        assertEquals("http://127.0.0.1:4443", GcsEndpoint.parse("http://127.0.0.1:4443").host());
        assertEquals("https://storage.example.com", GcsEndpoint.parse("https://storage.example.com/").host());
        // STORAGE_EMULATOR_HOST's bare host:port form, as the Python and Go clients read it
        assertEquals("http://localhost:9023", GcsEndpoint.parse("localhost:9023").host());
    }

    @Test
    void refusesWhatTheClientCouldNotUse() {
        for (String bad : new String[] {"ftp://h:1", "http://", "http://h:1/storage/v1", "http://h:1?x=y"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GcsEndpoint.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains(bad.replace("?x=y", "?***")), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GcsEndpoint.parse("http://user:secret@h:1"));
        assertTrue(!e.getMessage().contains("secret"), e.getMessage());
    }

    /** issue 12 item 7, the GCS twin: a secret that keeps the value from parsing as user info was echoed. */
    @Test
    void noRejectionRepeatsCredentialsOrAQuery() {
        String secret = "s3cr3t-token-value";
        for (String bad : new String[] {"http://user:a/" + secret + "@h:1", "http://user:%zz" + secret + "@h:1",
                "http://h:1/?access_token=" + secret, "ftp://user:" + secret + "@h",
                "user:" + secret + "@h:1/x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GcsEndpoint.parse(bad),
                    bad);
            assertTrue(!e.getMessage().contains(secret), e.getMessage());
        }
    }
}

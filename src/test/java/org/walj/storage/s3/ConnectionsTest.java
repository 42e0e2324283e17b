package org.walj.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.Test;

class ConnectionsTest {
    private final Connections connections = new Connections(Duration.ofSeconds(5), Duration.ofMinutes(2));

    @Test
    void everyConnectionGetsTheConnectAndReadTimeouts() {
        HttpURLConnection c = connections.createConnection(URI.create("http://127.0.0.1:9/bucket/key"));
        assertEquals(5_000, c.getConnectTimeout());
        assertEquals(120_000, c.getReadTimeout());
    }

    @Test
    void httpsUsesTheJdksDefaultTlsContextWithItsTrustStoreAndHostnameCheck() {
        HttpURLConnection c = connections.createConnection(URI.create("https://s3.example.invalid/bucket/key"));
        HttpsURLConnection https = assertInstanceOf(HttpsURLConnection.class, c);
        assertSame(HttpsURLConnection.getDefaultSSLSocketFactory(), https.getSSLSocketFactory());
        assertSame(HttpsURLConnection.getDefaultHostnameVerifier(), https.getHostnameVerifier());
        assertEquals(5_000, https.getConnectTimeout());
    }

    @Test
    void aNonHttpUrlIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> connections.createConnection(URI.create("file:///etc/passwd")));
    }
}

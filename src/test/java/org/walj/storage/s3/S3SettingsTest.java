package org.walj.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.walj.UserException;

/** WAL-E's endpoint syntax, key names, part sizes and secret-free rendering. */
class S3SettingsTest {

    @Test
    void endpointsInWalESyntax() {
        S3Endpoint path = S3Endpoint.parse("https+path://minio.local:9000");
        assertEquals(new S3Endpoint(true, S3Endpoint.Style.PATH, "minio.local", 9000), path);
        assertEquals(URI.create("https://minio.local:9000"), path.baseUri("b"));
        assertEquals(URI.create("http://b.ceph.local"), S3Endpoint.parse("http+subdomain://ceph.local").baseUri("b"));
        assertEquals(URI.create("http://archive.example.com:8080"),
                S3Endpoint.parse("HTTP+VirtualHost://ignored:8080").baseUri("archive.example.com"));
        for (String bad : new String[] {"https://minio:9000", "ftp+path://h", "https+dns://h", "https+path://u:p@h",
                "https+path://h/some/path", "https+path://h?x=1", "https+path://"}) {
            assertThrows(UserException.class, () -> S3Endpoint.parse(bad), bad);
        }
    }

    /** issue 12 item 7: the error that rejects an endpoint with credentials must not repeat them. */
    @Test
    void anEndpointErrorNeverShowsCredentialsOrQuery() {
        String secret = "wJalrXUtnFEMI-K7MDENG";
        for (String bad : new String[] {"http+path://AKIAKEY:" + secret + "@127.0.0.1:9000",
                "https+path://AKIAKEY:" + secret + "@minio.local", "http+path://AKIAKEY:a/b" + secret + "@h:1",
                "http+path://AKIAKEY:a#" + secret + "@h:1", "http+path://AKIAKEY:%zz" + secret + "@h:1",
                "http+path://" + secret + "@h:1", "https+path://h:9000?X-Amz-Signature=" + secret,
                "https+path://h:9000/?token=" + secret + "#frag", "https+path://h:9000#" + secret,
                "ftp+path://AKIAKEY:" + secret + "@h", "https+dns://AKIAKEY:" + secret + "@h",
                " http+path://AKIAKEY:" + secret + "@h:1 "}) {
            UserException e = assertThrows(UserException.class, () -> S3Endpoint.parse(bad), bad);
            String shown = e.getMessage() + "\n" + e.detail().orElse("") + "\n" + e.hint().orElse("");
            assertFalse(shown.contains(secret), shown);
            assertFalse(shown.contains("AKIAKEY"), shown);
            assertEquals(null, e.getCause(), "no cause whose message could quote the value");
        }
        UserException e = assertThrows(UserException.class,
                () -> S3Endpoint.parse("http+path://AKIAKEY:" + secret + "@127.0.0.1:9000"));
        assertEquals("invalid WALE_S3_ENDPOINT \"http+path://***@127.0.0.1:9000\"", e.getMessage());
        e = assertThrows(UserException.class, () -> S3Endpoint.parse("https+path://h:9000?sig=" + secret));
        assertEquals("invalid WALE_S3_ENDPOINT \"https+path://h:9000?***\"", e.getMessage());
        assertEquals("https+path://h:9000", org.walj.storage.EndpointText.redacted("https+path://h:9000"));
    }

    @Test
    void keysAreWalEsWithoutLeadingSlashAndWithSlashRunsCollapsed() {
        S3Keys keys = new S3Keys("b", "pitr//a/");
        assertEquals("pitr/a/wal_005/X.lzo", keys.objectKey("wal_005/X.lzo"));
        assertEquals("s3://b/pitr/a/wal_005/X.lzo", keys.url("wal_005/X.lzo"));
        assertEquals("wal_005/X.lzo", keys.storageKey("pitr/a/wal_005/X.lzo"));
        S3Keys root = new S3Keys("b", "");
        assertEquals("wal_005/X.lzo", root.objectKey("wal_005/X.lzo"));
        assertEquals("", root.objectKey(""));
    }

    @Test
    void walEsSubdomainRule() {
        assertTrue(S3ClientFactory.subdomainSafe("my-bucket"));
        assertFalse(S3ClientFactory.subdomainSafe("my.bucket"));
        assertFalse(S3ClientFactory.subdomainSafe("My_Bucket"));
        assertFalse(S3ClientFactory.subdomainSafe("-x-"));
    }

    @Test
    void partSizesKeepEveryObjectWithinTenThousandParts() {
        PartSizes sizes = new PartSizes(20 << 20);
        assertEquals(20 << 20, sizes.sizeOf(1));
        assertEquals(20 << 20, sizes.sizeOf(1000));
        assertEquals(40 << 20, sizes.sizeOf(1001));
        assertEquals(1 << 30, sizes.sizeOf(10_000));
        assertTrue(sizes.maxObjectSize() >= 5L << 40, "reaches S3's 5 TiB object limit: " + sizes.maxObjectSize());
        // the smallest first part still allows over 3 TiB
        assertTrue(new PartSizes(5 << 20).maxObjectSize() >= 3L << 40);
        assertThrows(IllegalArgumentException.class, () -> sizes.sizeOf(10_001));
    }

    @Test
    void laterPartsShareTheConfiguredPartSizeWithTheParallelism() {
        int mib = 1 << 20;
        // the default: part 1 is 20 MiB (one PUT for a WAL segment), later parts 5 MiB, 20 MiB of buffers in all
        PartSizes three = PartSizes.forParallel(20 * mib, 3);
        assertEquals(20 * mib, three.sizeOf(1));
        assertEquals(5 * mib, three.sizeOf(2));
        assertEquals(5 * mib, three.sizeOf(1000));
        assertEquals(10 * mib, three.sizeOf(1001));
        assertEquals(20L * mib, three.budget());
        // never below S3's 5 MiB part: more parallel parts take more memory, but only the parts in flight (the next
        // part is filled when one of them is done), not one more
        assertEquals(5 * mib, PartSizes.forParallel(20 * mib, 4).sizeOf(2));
        assertEquals(20L * mib, PartSizes.forParallel(20 * mib, 4).budget());
        assertEquals(40L * mib, PartSizes.forParallel(5 * mib, 8).budget());
        assertEquals(30L * mib, PartSizes.forParallel(20 * mib, 6).budget());
        // unclamped: the parts in flight plus one filling fit in the configured size
        assertEquals(20L * mib, PartSizes.forParallel(20 * mib, 2).budget());
        assertEquals(6 * mib, PartSizes.forParallel(20 * mib, 2).sizeOf(2));
        assertEquals(20L * mib, PartSizes.forParallel(20 * mib, 1).budget());
        // one part in flight: halves, rounded down to whole MiB
        assertEquals(10 * mib, PartSizes.forParallel(20 * mib, 1).sizeOf(2));
        assertEquals(8 * mib, PartSizes.forParallel(17 * mib, 1).sizeOf(2));
        // a larger configured size buys larger parts
        PartSizes big = PartSizes.forParallel(100 * mib, 4);
        assertEquals(20 * mib, big.sizeOf(2));
        assertEquals(100L * mib, big.budget());
        assertTrue(three.maxObjectSize() >= 3L << 40, "over 3 TiB in 10,000 parts: " + three.maxObjectSize());
        assertThrows(IllegalArgumentException.class, () -> PartSizes.forParallel(20 * mib, 0));
    }

    @Test
    void credentialsNeverRenderTheirSecrets() {
        Credentials c = new Credentials.Static("AKIAEXAMPLEKEYID", "s3cr3t/K3y+value", Optional.of("TOKEN-xyz"));
        String shown = c.toString();
        assertFalse(shown.contains("AKIAEXAMPLEKEYID") || shown.contains("s3cr3t") || shown.contains("TOKEN-xyz"),
                shown);
    }
}

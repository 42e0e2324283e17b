package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.Compare;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.WalJ;
import org.walj.storage.s3.S3ProxyServer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * WAL-E's {@code virtualhost} endpoint style ({@code WALE_S3_ENDPOINT=http+virtualhost://host:port}, boto's CNAME
 * calling format: the bucket name is the host name) against the real S3 server: S3Proxy, which reads a Host other
 * than its own ({@code s3proxy.virtual-host=127.0.0.1}) as the bucket name. The name resolves to
 * 127.0.0.1 for wal-j's JVM through a JDK hosts file ({@code -Djdk.net.hosts.file}, passed in the launcher's
 * WALJ_JAVA_OPTS), so no DNS is touched.
 */
@ExtendWith(ScratchExtension.class)
class WalS3VirtualHostIT {
    private static final String SEG = "0000000100000000000000D1";

    @Test
    void wholeBucketNameAsHost(Scratch scratch) throws Exception {
        S3ProxyServer server = S3ProxyServer.shared();
        String bucket = "walj-vh.example";
        String cname = bucket;
        server.createBucket(bucket);
        WalJ walj = WalJ.install(scratch);
        Path hosts = scratch.file("hosts");
        Files.writeString(hosts, "127.0.0.1 " + cname + "\n");
        scratch.user().own(hosts);
        Path wal = scratch.dir("pg_wal");
        byte[] segment = new byte[2 << 20];
        new Random(6).nextBytes(segment);
        Files.write(wal.resolve(SEG), segment);
        scratch.user().own(wal.resolve(SEG));
        String prefix = "vh-" + System.nanoTime() + "/";

        Map<String, String> env = new LinkedHashMap<>();
        env.put("WALE_S3_PREFIX", "s3://" + cname + "/" + prefix);
        env.put("WALE_S3_ENDPOINT", "http+virtualhost://unused.invalid:" + server.port());
        env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("WALJ_JAVA_OPTS", "-Djdk.net.hosts.file=" + hosts);
        env.put("WALJ_RETRY_DEADLINE_SECONDS", "3");
        walj.run(env, "wal-push", wal.resolve(SEG).toString()).requireSuccess();
        try (S3Client admin = server.adminClient()) {
            assertEquals(List.of(prefix + "wal_005/" + SEG + ".lzo"),
                    admin.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                            .map(S3Object::key).toList(),
                    () -> "stored in bucket " + bucket + " through host " + cname + "; the bucket holds "
                            + admin.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                                    .toList() + "; buckets " + admin.listBuckets().buckets());
        }
        Path restored = scratch.dir("restore").resolve("RECOVERYXLOG");
        walj.run(env, "wal-fetch", SEG, restored.toString()).requireSuccess();
        Compare.assertSameBytes(wal.resolve(SEG), restored, "fetched through the virtualhost endpoint");
        ProcessResult missing = walj.run(env, "wal-fetch", "0000000100000000000000FF",
                scratch.dir("restore").resolve("X").toString());
        assertEquals(1, missing.exitCode(), missing.describe());
    }
}

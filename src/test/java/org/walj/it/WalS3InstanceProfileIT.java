package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.Compare;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.WalJ;
import org.walj.storage.s3.ImdsStandIn;
import org.walj.storage.s3.S3ProxyServer;

/**
 * Instance-profile credentials through the installed launcher: {@code --aws-instance-profile} and
 * {@code AWS_INSTANCE_PROFILE=true} take the key pair from {@link ImdsStandIn} (a loopback stand-in for the EC2
 * metadata service, IMDSv2) via {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, and store to the real S3 server
 * (S3Proxy) with it; access keys in the environment are then ignored, as in WAL-E.
 */
@ExtendWith(ScratchExtension.class)
class WalS3InstanceProfileIT {
    private static final String BUCKET = "walj-imds";
    private static final String SEG = "0000000100000000000000C1";

    @Test
    void instanceProfileCredentialsComeFromTheMetadataService(Scratch scratch) throws Exception {
        S3ProxyServer server = S3ProxyServer.shared();
        server.createBucket(BUCKET);
        WalJ walj = WalJ.install(scratch);
        Path wal = scratch.dir("pg_wal");
        byte[] segment = new byte[1 << 20];
        new Random(5).nextBytes(segment);
        Files.write(wal.resolve(SEG), segment);
        scratch.user().own(wal.resolve(SEG));
        try (ImdsStandIn imds = new ImdsStandIn(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)) {
            String prefix = "imds-" + System.nanoTime() + "/";
            Map<String, String> env = new LinkedHashMap<>();
            env.put("WALE_S3_PREFIX", "s3://" + BUCKET + "/" + prefix);
            env.put("WALE_S3_ENDPOINT", server.waleEndpoint());
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint());
            // a wrong static key pair in the environment must not be used when the instance profile is asked for
            env.put("AWS_ACCESS_KEY_ID", "WRONG-KEY-ID");
            env.put("AWS_SECRET_ACCESS_KEY", "wrong-secret-MUST-NOT-BE-USED");
            env.put("WALJ_RETRY_DEADLINE_SECONDS", "3");

            walj.run(env, "--aws-instance-profile", "wal-push", wal.resolve(SEG).toString()).requireSuccess();
            assertTrue(imds.credentialRequests() >= 1, "credentials came from the metadata service");

            Map<String, String> viaEnv = new LinkedHashMap<>(env);
            viaEnv.put("AWS_INSTANCE_PROFILE", "true");
            Path restored = scratch.dir("restore").resolve("RECOVERYXLOG");
            walj.run(viaEnv, "wal-fetch", SEG, restored.toString()).requireSuccess();
            Compare.assertSameBytes(wal.resolve(SEG), restored, "fetched with instance-profile credentials");

            // without the instance profile, the (wrong) static keys are used and refused: the stand-in was the source
            ProcessResult r = walj.run(env, "wal-push", wal.resolve(SEG).toString());
            WalBadInputIT.assertOneClearError(r, 1, "rejected the credentials");
            assertFalse(r.stderr().contains("wrong-secret-MUST-NOT-BE-USED"), r.describe());
        }
    }

    @Test
    void anUnreachableMetadataServiceFailsClearly(Scratch scratch) throws Exception {
        S3ProxyServer server = S3ProxyServer.shared();
        server.createBucket(BUCKET);
        WalJ walj = WalJ.install(scratch);
        Path wal = scratch.dir("pg_wal");
        Files.write(wal.resolve(SEG), new byte[4096]);
        scratch.user().own(wal.resolve(SEG));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WALE_S3_PREFIX", "s3://" + BUCKET + "/none/");
        env.put("WALE_S3_ENDPOINT", server.waleEndpoint());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_INSTANCE_PROFILE", "1");
        env.put("WALJ_RETRY_DEADLINE_SECONDS", "3");
        // a metadata service that hangs up on every connection: no assumption that some fixed port is closed
        try (java.net.ServerSocket hangsUp = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!hangsUp.isClosed()) {
                    try {
                        hangsUp.accept().close();
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            }, "metadata-hangs-up");
            t.setDaemon(true);
            t.start();
            env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + hangsUp.getLocalPort());
            ProcessResult r = walj.run(env, "wal-push", wal.resolve(SEG).toString());
            assertEquals(1, r.exitCode(), r.describe());
            WalBadInputIT.assertOneClearError(r, 1, "could not load AWS credentials for bucket " + BUCKET);
        }
    }
}
